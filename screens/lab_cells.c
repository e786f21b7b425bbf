/* Drawing the lab's cells: each shows its settings, its results and a few
 * lines that read the numbers in the course's words (lessons m2-05, m2-07,
 * m2-08, m3-01 and m7-03). */
#include "lab_screens.h"

#include "barchart.h"
#include "chart.h"
#include "clock.h"
#include "progressbar.h"
#include "ui.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows kept at the bottom of a cell for its explanation. */
#define EXPLAIN_ROWS 4
#define HISTOGRAM_BINS 5
#define TOP_TERMS 6

/* 12,345 */
static const char *num(size_t v, char *buf, size_t size)
{
	format_thousands(v, buf, size);
	return buf;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The frame every cell shares: its title and status, then its settings.
 * Returns the first free row. */
static int draw_head(struct lab_screen *ls, WINDOW *w, int y, int x, int width)
{
	char title[64];
	snprintf(title, sizeof title, "%d  %s", ls->cell + 1, lab_cell_names[ls->cell]);
	ui_put(w, y, x, width, title, ui_attr(UI_TITLE));
	const enum lab_field *fields;
	size_t n = lab_cell_fields(ls, ls->cell, &fields);
	/* Values start one column after the cell's longest label. */
	int label_width = 0;
	for (size_t i = 0; i < n; i++)
		if (ui_width(lab_field_label(fields[i])) > label_width)
			label_width = ui_width(lab_field_label(fields[i]));
	label_width += 2;
	int row = y + 1;
	for (size_t i = 0; i < n; i++, row++) {
		bool sel = i == ls->field && !ls->typing;
		attr_t a = ui_attr(sel ? UI_SELECTED : UI_NORMAL);
		if (sel)
			ui_fill(w, row, x, width, a);
		ui_put(w, row, x + 1, label_width - 1, lab_field_label(fields[i]),
		       sel ? a : ui_attr(UI_DIM));
		char value[LAB_PATH_MAX];
		lab_field_value(ls, fields[i], value, sizeof value);
		ui_put(w, row, x + label_width, width - label_width, value, a);
	}
	return row + (n ? 1 : 0);
}

/* A cell's error, or the hint to run it; returns the rows used. */
static int draw_state(struct lab_screen *ls, WINDOW *w, int y, int x, int width, int rows)
{
	int c = ls->cell;
	if (ls->status[c] == CELL_FAILED)
		return ui_put_wrapped(w, y, x, width, rows, ls->error[c], ui_attr(UI_BAD));
	if (ls->status[c] == CELL_CANCELLED) {
		ui_put(w, y, x, width, ls->error[c], ui_attr(UI_WARN));
		return 1;
	}
	if (ls->status[c] == CELL_STALE) {
		ui_put(w, y, x, width, "A setting above changed: press r to run this cell again.",
		       ui_attr(UI_WARN));
		return 1;
	}
	return 0;
}

static void draw_explanation(WINDOW *w, int y, int x, int width, const char *text)
{
	ui_put_wrapped(w, y, x, width, EXPLAIN_ROWS, text, ui_attr(UI_DIM));
}

static void draw_not_run(WINDOW *w, int y, int x, int width, const char *what)
{
	char line[200];
	snprintf(line, sizeof line, "Press r to %s.", what);
	ui_put(w, y, x, width, line, ui_attr(UI_ACCENT));
}

/* ---- 1 data ---- */

static void cell_data(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(w, bottom, x, width,
			 "A classifier learns from labelled examples. A balanced subset (the "
			 "course took 1,000 of each class) keeps accuracy honest: on a lopsided "
			 "set, always saying the bigger class scores high.");
	y += draw_state(ls, w, y, x, width, 3);
	if (!ls->loaded) {
		if (ls->status[CELL_DATA] != CELL_FAILED)
			draw_not_run(w, y, x, width, "load the file");
		return;
	}
	const struct text_dataset *d = &ls->data.data;
	char line[512], a[32], b[32], c[32];
	snprintf(line, sizeof line, "%s: %s rows%s", base_name(d->path), num(d->count, a, sizeof a),
		 d->tsv ? " (tab-separated)" : "");
	ui_put(w, y++, x, width, line, ui_attr(UI_NORMAL));
	snprintf(line, sizeof line, "text column '%s', label column '%s'", d->text_column,
		 d->label_column);
	ui_put(w, y++, x, width, line, ui_attr(UI_DIM));
	snprintf(line, sizeof line, "%s %s, %s %s (positive: '%s')", d->label_names[0],
		 num(d->class_counts[0], a, sizeof a), d->label_names[1],
		 num(d->class_counts[1], b, sizeof b), d->label_names[1]);
	ui_put(w, y++, x, width, line, ui_attr(UI_NORMAL));
	if (ls->data.has_test) {
		snprintf(line, sizeof line, "test file %s: %s rows", base_name(ls->data.test.path),
			 num(ls->data.test.count, a, sizeof a));
		ui_put(w, y++, x, width, line, ui_attr(UI_NORMAL));
	}
	snprintf(line, sizeof line, "in use: %s rows%s%s", num(ls->data.nrows, c, sizeof c),
		 ls->data.balanced ? " (balanced subset)" : "",
		 ls->data.has_test ? " for training" : "");
	ui_put(w, y++, x, width, line, ui_attr(UI_ACCENT));
	/* What the subset did, in the words `aipm train` prints. */
	lab_subset_describe(&ls->data, line, sizeof line);
	y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_DIM));
	const struct text_warnings *lists[] = {&d->warnings, &ls->data.warnings};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < lists[k]->count && y < bottom; i++)
			y += ui_put_wrapped(w, y, x, width, 2, lists[k]->items[i],
					      ui_attr(UI_WARN));
	/* Samples, then the length histogram with what room is left. */
	int room = bottom - y - 1;
	int samples = room >= 8 ? 3 : room >= 5 ? 2 : room >= 2 ? 1 : 0;
	y++;
	for (int i = 0; i < samples && (size_t)i < d->count; i++) {
		const struct text_example *ex = &d->rows[(size_t)i * d->count / (size_t)samples];
		char *flat = xstrdup(ex->text);
		for (char *p = flat; *p; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		snprintf(line, sizeof line, "[%s] ", d->label_names[ex->label]);
		int used = ui_put(w, y, x, width, line, ui_attr(UI_DIM));
		ui_put(w, y++, x + used, width - used, flat, ui_attr(UI_NORMAL));
		free(flat);
	}
	room = bottom - y - 1;
	if (room >= 3) {
		size_t bins[HISTOGRAM_BINS], bin_width;
		textdata_length_histogram(d, ls->data.rows, ls->data.nrows, bins, HISTOGRAM_BINS,
					  &bin_width);
		ui_put(w, ++y, x, width, "length of the rows in use (words)", ui_attr(UI_HEADING2));
		struct ui_barchart chart;
		ui_barchart_init(&chart);
		for (int i = 0; i < HISTOGRAM_BINS; i++) {
			char label[48];
			if (i + 1 < HISTOGRAM_BINS)
				snprintf(label, sizeof label, "%zu-%zu", i * bin_width,
					 (i + 1) * bin_width - 1);
			else
				snprintf(label, sizeof label, "%zu+", i * bin_width);
			ui_barchart_add(&chart, label, (double)bins[i], num(bins[i], a, sizeof a));
		}
		ui_barchart_draw(&chart, w, y + 1, x, bottom - y - 1, width);
		ui_barchart_free(&chart);
	}
}

/* ---- 2 split ---- */

static void class_split(const struct lab_data *d, const size_t *rows, size_t n, size_t out[2])
{
	out[0] = out[1] = 0;
	for (size_t i = 0; i < n; i++)
		out[d->data.rows[rows[i]].label]++;
}

static void cell_split(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(w, bottom, x, width,
			 "The model learns from the training set; the validation set, never "
			 "trained on, shows progress and tunes settings; the test set gives the "
			 "verdict. Ask which set a number comes from.");
	y += draw_state(ls, w, y, x, width, 3);
	if (!ls->split) {
		if (ls->status[CELL_SPLIT] != CELL_FAILED)
			draw_not_run(w, y, x, width,
				     "split the data (stratified: each set keeps the "
				     "class balance)");
		return;
	}
	const struct lab_data *d = &ls->data;
	const char *const *labels = (const char *const *)d->data.label_names;
	struct {
		const char *name;
		const size_t *rows;
		size_t n;
	} sets[] = {
		{"training", d->split.train, d->split.ntrain},
		{"validation", d->split.val, d->split.nval},
		{"test", d->split.test, d->split.ntest},
	};
	char line[256], a[32], b[32], c[32];
	for (int i = 0; i < 3; i++) {
		size_t per[2];
		class_split(d, sets[i].rows, sets[i].n, per);
		if (i == 2 && d->has_test)
			snprintf(line, sizeof line, "%-11s %s rows from %s", sets[i].name,
				 num(d->ntest_rows, a, sizeof a), base_name(d->test.path));
		else if (i == 2 && d->split.val_is_test)
			snprintf(line, sizeof line, "%-11s the validation set", sets[i].name);
		else
			snprintf(line, sizeof line, "%-11s %7s rows  (%s %s, %s %s)", sets[i].name,
				 num(sets[i].n, a, sizeof a), labels[0], num(per[0], b, sizeof b),
				 labels[1], num(per[1], c, sizeof c));
		ui_put(w, y++, x, width, line, ui_attr(UI_NORMAL));
	}
	y++;
	if (lab_split_caveat(d))
		y += ui_put_wrapped(w, y, x, width, 3, lab_split_caveat(d), ui_attr(UI_WARN));
	snprintf(line, sizeof line, "The same seed gives the same split, so runs can be compared.");
	if (y < bottom)
		ui_put(w, y, x, width, line, ui_attr(UI_DIM));
}

/* ---- the sentence field ---- */

static int draw_sentence(struct lab_screen *ls, WINDOW *w, int y, int x, int width)
{
	ui_put(w, y, x, width, ls->typing ? "Type:" : "Sentence (i to type):",
	       ui_attr(UI_HEADING2));
	attr_t a = ui_attr(ls->typing ? UI_SELECTED : UI_CODE);
	ui_field_draw(&ls->sentence, w, y + 1, x, width, a);
	if (ls->typing)
		mvwchgat(w, ls->sentence.cursor_y, ls->sentence.cursor_x, 1, A_REVERSE, 0, NULL);
	return 2;
}

/* ---- 3 tokenize ---- */

static void cell_tokenize(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(w, bottom, x, width,
			 "A computer cannot read words: text becomes tokens, each an id in the "
			 "vocabulary. Word pairs let the model see 'not masterpiece' as one "
			 "thing. Dropping stop words drops 'not' too.");
	y += draw_state(ls, w, y, x, width, 3);
	char line[512], a[32], b[32], c[32], d[32];
	/* Ids only from a vocabulary built with the settings shown. */
	const struct vocab *v = ls->have_run && ls->status[CELL_TOKENIZE] == CELL_DONE
					? ls->run.model.vocab
					: NULL;
	if (v) {
		size_t pairs = 0, n = vocab_size(v);
		for (size_t i = 0; i < n; i++)
			pairs += strchr(vocab_term(v, i), ' ') != NULL;
		snprintf(line, sizeof line, "vocabulary: %s terms (%s words, %s pairs) from %s "
					    "training reviews",
			 num(n, a, sizeof a), num(n - pairs, b, sizeof b), num(pairs, c, sizeof c),
			 num(vocab_docs(v), d, sizeof d));
		ui_put(w, y++, x, width, line, ui_attr(UI_NORMAL));
		/* The terms in the most reviews. */
		struct strbuf sb;
		sb_init(&sb);
		sb_puts(&sb, "in the most reviews:");
		bool *taken = xcalloc(n + 1, 1);
		for (int k = 0; k < 5; k++) {
			size_t best = SIZE_MAX;
			for (size_t i = 0; i < n; i++)
				if (!taken[i] &&
				    (best == SIZE_MAX || vocab_df(v, i) > vocab_df(v, best)))
					best = i;
			if (best == SIZE_MAX)
				break;
			taken[best] = true;
			sb_printf(&sb, " %s (%s)%s", vocab_term(v, best),
				  num(vocab_df(v, best), a, sizeof a), k < 4 ? "," : "");
		}
		free(taken);
		y += ui_put_wrapped(w, y, x, width, 2, sb.data, ui_attr(UI_DIM));
		sb_free(&sb);
	} else if (ls->status[CELL_TOKENIZE] != CELL_FAILED) {
		draw_not_run(w, y++, x, width, "build the vocabulary from the training reviews");
	}
	y++;
	if (y + 3 > bottom)
		return;
	y += draw_sentence(ls, w, y, x, width);
	/* The tokens of the sentence, with this cell's settings. */
	char err[256];
	struct tokenizer *t = v ? ls->run.tok : tokenizer_new(&ls->set.s.tok, err, sizeof err);
	if (!t)
		return;
	struct token_info *items;
	size_t n = tokenizer_explain(t, v, ui_field_text(&ls->sentence), &items);
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_puts(&sb, "  ");
		if (items[i].stop)
			sb_printf(&sb, "%s (stop word)", items[i].term);
		else if (!v)
			sb_printf(&sb, "[%s]", items[i].term);
		else if (items[i].id >= 0)
			sb_printf(&sb, "[%s] #%ld", items[i].term, items[i].id);
		else
			sb_printf(&sb, "[%s] unknown", items[i].term);
	}
	ui_put_wrapped(w, y, x, width, bottom - y, sb.data ? sb.data : "(no tokens)",
			 ui_attr(UI_ACCENT));
	sb_free(&sb);
	token_info_free(items, n);
	if (!v)
		tokenizer_free(t);
}

/* ---- 4 features ---- */

static void cell_features(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(
		w, bottom, x, width,
		ls->set.s.features == FEATURES_TFIDF
			? "TF-IDF counts each word in the review and weighs it down the more "
			  "reviews use it: 'the' counts for little, 'masterpiece' for a lot. "
			  "Most cells are zero (sparse)."
			: "Counts: how often each word appears, nothing more, so common words "
			  "weigh as much as telling ones. Naive Bayes works on counts like "
			  "these.");
	y += draw_state(ls, w, y, x, width, 3);
	if (!ls->have_run || !ls->run.featurized) {
		if (ls->status[CELL_FEATURES] != CELL_FAILED)
			draw_not_run(w, y, x, width, "turn every review into numbers");
		return;
	}
	const struct lab_run *r = &ls->run;
	const struct vocab *v = r->model.vocab;
	char line[512], a[32], b[32], c[32];
	double cells = (double)r->Xtrain.rows * (double)r->Xtrain.cols;
	snprintf(line, sizeof line,
		 "training matrix: %s reviews x %s terms, %s values stored "
		 "(%.2f%% of the cells)",
		 num(r->Xtrain.rows, a, sizeof a), num(r->Xtrain.cols, b, sizeof b),
		 num(r->nnz_train, c, sizeof c),
		 cells > 0 ? 100.0 * (double)r->nnz_train / cells : 0);
	y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_NORMAL));
	if (r->model.features == FEATURES_TFIDF) {
		/* The whole range: the highest idf is every term of the fewest
		 * reviews, which the sentence's table below can show. */
		struct idf_range range;
		if (features_idf_range(v, r->model.idf, &range)) {
			char d[32];
			snprintf(line, sizeof line,
				 "idf from %.2f ('%s', in %s reviews) to %.2f (%s terms in %s "
				 "review%s, such as '%s')",
				 r->model.idf[range.lowest], vocab_term(v, range.lowest),
				 num(vocab_df(v, range.lowest), a, sizeof a),
				 r->model.idf[range.highest], num(range.at_highest, d, sizeof d),
				 num(vocab_df(v, range.highest), b, sizeof b),
				 vocab_df(v, range.highest) == 1 ? "" : "s",
				 vocab_term(v, range.highest));
			y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_DIM));
		}
	}
	y++;
	if (y + 4 > bottom)
		return;
	y += draw_sentence(ls, w, y, x, width);
	/* The sentence as a row of the matrix. */
	const char *text = ui_field_text(&ls->sentence);
	struct doc_terms docs;
	vocab_transform(r->tok, v, &text, 1, &docs);
	struct csr X;
	features_build(&docs, vocab_size(v), r->model.features, r->model.idf, &X);
	static const struct ui_column cols[] = {
		{"term", UI_ALIGN_LEFT, 8, 30},
		{"count", UI_ALIGN_RIGHT, 5, 6},
		{"idf", UI_ALIGN_RIGHT, 5, 6},
		{"value", UI_ALIGN_RIGHT, 6, 7},
	};
	ui_table_free(&ls->terms_table);
	ui_table_init(&ls->terms_table, cols, 4);
	for (size_t k = X.indptr[0]; k < X.indptr[1]; k++) {
		uint32_t id = X.indices[k];
		size_t count = 0;
		for (size_t i = docs.offsets[0]; i < docs.offsets[1]; i++)
			count += docs.ids[i] == id;
		char cnt[16], idf[16], val[16];
		snprintf(cnt, sizeof cnt, "%zu", count);
		snprintf(idf, sizeof idf, "%.2f", r->model.idf[id]);
		snprintf(val, sizeof val, "%.3f", X.values[k]);
		const char *cells_text[] = {vocab_term(v, id), cnt, idf, val};
		ui_table_add_row(&ls->terms_table, cells_text);
	}
	if (X.indptr[1] == X.indptr[0])
		ui_put(w, y, x, width, "None of its words is in the vocabulary: an empty row.",
		       ui_attr(UI_DIM));
	else
		ui_table_draw(&ls->terms_table, w, y, x, bottom - y, width);
	csr_free(&X);
	doc_terms_free(&docs);
}

/* ---- 5 train ---- */

/* The step's unit: "iteration" (L-BFGS), "epoch" (SGD) or "pass" (NB). */
static const char *step_unit(const struct train_options *t)
{
	return t->kind == MODEL_NB ? "pass" : t->solver == SOLVER_LBFGS ? "iteration" : "epoch";
}

/* Loss and accuracy side by side, as the notebook's two plots (one above
 * the other when the cell is narrow). L-BFGS's x axis grows with its
 * iterations (most runs stop long before the limit); SGD's spans the
 * planned epochs. */
static void draw_curves(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width,
			bool lbfgs)
{
	bool has_val = ls->steps_done && !isnan(ls->val_loss[ls->steps_done - 1]);
	size_t count = lbfgs ? (ls->steps_done > 2 ? ls->steps_done : 2) : ls->steps_planned;
	char last[32];
	snprintf(last, sizeof last, "%zu", count);
	bool beside = width >= 50;
	int cw = beside ? (width - 2) / 2 : width, ch = beside ? height : height / 2;
	const char *titles[2] = {has_val ? "loss (train, val)" : "loss (train)",
				 has_val ? "accuracy (train, val)" : "accuracy (train)"};
	double *series[2][2] = {{ls->train_loss, ls->val_loss}, {ls->train_acc, ls->val_acc}};
	for (int k = 0; k < 2; k++) {
		int cy = beside ? y : y + k * ch, cx = beside ? x + k * (cw + 2) : x;
		int rows = beside ? ch : k ? height - ch : ch;
		ui_put(w, cy, cx, cw, titles[k], ui_attr(UI_HEADING2));
		struct ui_chart c;
		ui_chart_init(&c);
		if (k)
			c.y_decimals = 2;
		ui_chart_add(&c, "train", series[k][0], count, ui_attr(k ? UI_GOOD : UI_ACCENT));
		if (has_val)
			ui_chart_add(&c, "val", series[k][1], count, ui_attr(k ? UI_BAD : UI_WARN));
		c.x_first = "1";
		c.x_last = last;
		ui_chart_draw(&c, w, cy + 1, cx, rows - 1, cw);
	}
}

static void cell_train(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	const struct lab_run *r = &ls->run;
	const struct train_options *t = &ls->set.s.train;
	char line[512];
	if (t->kind == MODEL_NB)
		snprintf(line, sizeof line,
			 "Naive Bayes counts each word per class in one pass, no epochs: a quick "
			 "baseline to compare with logistic regression in cell 10.");
	else if (t->solver == SOLVER_LBFGS)
		snprintf(line, sizeof line,
			 "Loss is how far predictions are from the true labels: it should fall "
			 "and accuracy rise. L-BFGS steps on all %zu reviews each iteration and "
			 "stops when the slope is flat (converged), as scikit-learn does.",
			 r->ntrain);
	else
		snprintf(line, sizeof line,
			 "Loss should fall on both sets; training falling while validation rises "
			 "is overfitting, and after %d such epochs SGD stops early. %zu reviews in "
			 "batches of %zu: %zu steps per epoch.",
			 t->patience, r->ntrain, t->batch_size,
			 t->batch_size ? (r->ntrain + t->batch_size - 1) / t->batch_size : 0);
	draw_explanation(w, bottom, x, width, line);
	y += draw_state(ls, w, y, x, width, 2);
	if (!ls->steps_done) {
		if (ls->status[CELL_TRAIN] != CELL_FAILED)
			draw_not_run(w, y, x, width, "train; Esc stops after the current step");
		return;
	}
	const struct train_options *used = ls->status[CELL_TRAIN] == CELL_RUNNING || !r->trained
						   ? t
						   : &r->trained_with;
	const char *unit = step_unit(used);
	size_t i = ls->steps_done - 1;
	bool has_val = !isnan(ls->val_loss[i]);
	if (has_val)
		snprintf(line, sizeof line,
			 "%s %zu/%zu: loss %.3f, validation %.3f; accuracy %.3f, validation %.3f",
			 unit, ls->steps_done, ls->steps_planned, ls->train_loss[i], ls->val_loss[i],
			 ls->train_acc[i], ls->val_acc[i]);
	else
		snprintf(line, sizeof line, "%s %zu/%zu: loss %.3f, accuracy %.3f (no validation set)",
			 unit, ls->steps_done, ls->steps_planned, ls->train_loss[i],
			 ls->train_acc[i]);
	y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_NORMAL));
	if (ls->status[CELL_TRAIN] == CELL_RUNNING) {
		struct ui_progress p = {(double)ls->steps_done / (double)ls->steps_planned,
					"training", NULL};
		ui_progress_draw(&p, w, y++, x, 1, width);
	} else if (ls->have_run && r->trained) {
		lab_train_describe(r, line, sizeof line);
		y += ui_put_wrapped(w, y, x, width, 2, line,
				    ui_attr(train_stop_is_converged(r->train.stop) ? UI_DIM
										  : UI_WARN));
	}
	if (bottom - y < 5)
		return;
	draw_curves(ls, w, y, x, bottom - y, width,
		    used->kind == MODEL_LOGREG && used->solver == SOLVER_LBFGS);
}

/* ---- 6 evaluate and 7 threshold ---- */

static const struct lab_eval *need_eval(struct lab_screen *ls, WINDOW *w, int y, int x,
					int width)
{
	const struct lab_eval *e = lab_current_eval(ls);
	if (e)
		return e;
	if (ls->use_loaded)
		draw_not_run(w, y, x, width,
			     "evaluate the loaded model on the lab's test rows (cells 1-2 run "
			     "first)");
	else
		draw_not_run(w, y, x, width, "train (cells 1-5 run first)");
	return NULL;
}

/* The labels of the model in use. */
static char *const *current_labels(struct lab_screen *ls)
{
	return ls->use_loaded ? ls->loaded_model.labels : ls->run.model.labels;
}

/* The confusion matrix as the course draws it: truth in rows, predictions
 * in columns, each cell named, the diagonal (the right answers)
 * highlighted. Returns the rows used. */
static int draw_matrix(struct lab_screen *ls, const struct lab_eval *e, WINDOW *w, int y, int x,
		       int width)
{
	const struct confusion *cm = &e->report.cm;
	char *const *labels = current_labels(ls);
	char h1[96], h2[96], r1[96], r2[96], tn[48], fp[48], fn[48], tp[48], a[32];
	/* The course's words when they fit, the bare labels when narrow. */
	const char *called = width >= 50 ? "called " : "", *truly = width >= 50 ? "truly " : "";
	snprintf(h1, sizeof h1, "%s%s", called, labels[0]);
	snprintf(h2, sizeof h2, "%s%s", called, labels[1]);
	snprintf(r1, sizeof r1, "%s%s", truly, labels[0]);
	snprintf(r2, sizeof r2, "%s%s", truly, labels[1]);
	snprintf(tn, sizeof tn, "TN %s", num(cm->tn, a, sizeof a));
	snprintf(fp, sizeof fp, "FP %s", num(cm->fp, a, sizeof a));
	snprintf(fn, sizeof fn, "FN %s", num(cm->fn, a, sizeof a));
	snprintf(tp, sizeof tp, "TP %s", num(cm->tp, a, sizeof a));
	/* The column titles name the classes, so they live in the screen's
	 * state for as long as the table points at them. */
	snprintf(ls->matrix_titles[0], sizeof ls->matrix_titles[0], "%s", h1);
	snprintf(ls->matrix_titles[1], sizeof ls->matrix_titles[1], "%s", h2);
	ls->matrix_columns[0] = (struct ui_column){"", UI_ALIGN_LEFT, 6, 24};
	ls->matrix_columns[1] = (struct ui_column){ls->matrix_titles[0], UI_ALIGN_RIGHT, 8, 22};
	ls->matrix_columns[2] = (struct ui_column){ls->matrix_titles[1], UI_ALIGN_RIGHT, 8, 22};
	ui_table_free(&ls->matrix_table);
	ui_table_init(&ls->matrix_table, ls->matrix_columns, 3);
	/* One line per row, so that the diagonal is where it is drawn below. */
	ls->matrix_table.max_cell_lines = 1;
	const char *row1[] = {r1, tn, fp}, *row2[] = {r2, fn, tp};
	ui_table_add_row(&ls->matrix_table, row1);
	ui_table_add_row(&ls->matrix_table, row2);
	ui_table_draw(&ls->matrix_table, w, y, x, 4, width);
	/* The diagonal: true negatives and true positives. */
	const struct ui_table *t = &ls->matrix_table;
	if (t->widths) {
		attr_t good = ui_attr_merge(ui_attr(UI_GOOD), A_BOLD);
		for (int i = 0; i < 2; i++) {
			int cx = t->screen_x + t->widths[0] + 2;
			if (i == 1)
				cx += t->widths[1] + 2;
			int cy = t->screen_y + i;
			mvwchgat(w, cy - getbegy(w), cx - getbegx(w), t->widths[1 + i],
				 good & ~A_COLOR, (short)PAIR_NUMBER(good), NULL);
		}
	}
	return 4;
}

static void draw_report(struct lab_screen *ls, const struct lab_eval *e, WINDOW *w, int y,
			int x, int height, int width)
{
	const struct metrics_report *m = &e->report;
	char *const *labels = current_labels(ls);
	static const struct ui_column cols[] = {
		{"", UI_ALIGN_LEFT, 8, 20},	  {"precision", UI_ALIGN_RIGHT, 9, 9},
		{"recall", UI_ALIGN_RIGHT, 6, 6}, {"F1", UI_ALIGN_RIGHT, 5, 5},
		{"support", UI_ALIGN_RIGHT, 7, 7},
	};
	ui_table_free(&ls->report_table);
	ui_table_init(&ls->report_table, cols, 5);
	ls->report_table.max_cell_lines = 1;
	const struct class_scores *rows[] = {&m->classes[0], &m->classes[1], &m->macro,
					     &m->weighted};
	const char *names[] = {labels[0], labels[1], "macro avg", "weighted avg"};
	for (int i = 0; i < 4; i++) {
		char p[16], rc[16], f[16], s[16];
		snprintf(p, sizeof p, "%.3f", rows[i]->precision);
		snprintf(rc, sizeof rc, "%.3f", rows[i]->recall);
		snprintf(f, sizeof f, "%.3f", rows[i]->f1);
		num(rows[i]->support, s, sizeof s);
		const char *cells[] = {names[i], p, rc, f, s};
		ui_table_add_row(&ls->report_table, cells);
	}
	ui_table_draw(&ls->report_table, w, y, x, height, width);
}

/* The reliability diagram: each probability bin's reviews, what the model
 * said on average and how many truly were positive. */
static void draw_calibration(struct lab_screen *ls, const struct lab_eval *e, WINDOW *w, int y,
			     int x, int height, int width)
{
	const struct calibration *c = &e->calibration;
	char truly[96];
	snprintf(truly, sizeof truly, "truly %s", current_labels(ls)[1]);
	snprintf(ls->matrix_titles[0], sizeof ls->matrix_titles[0], "%s", truly);
	struct ui_column *cols = ls->calibration_columns;
	cols[0] = (struct ui_column){"model says", UI_ALIGN_LEFT, 10, 10};
	cols[1] = (struct ui_column){"reviews", UI_ALIGN_RIGHT, 7, 7};
	cols[2] = (struct ui_column){"on average", UI_ALIGN_RIGHT, 10, 10};
	cols[3] = (struct ui_column){ls->matrix_titles[0], UI_ALIGN_RIGHT, 8, 16};
	ui_table_free(&ls->report_table);
	ui_table_init(&ls->report_table, cols, 4);
	ls->report_table.max_cell_lines = 1;
	for (size_t b = 0; b < c->nbins; b++) {
		const struct calibration_bin *k = &c->bins[b];
		char range[32], count[32], mean[32], share[32];
		snprintf(range, sizeof range, "%.1f-%.1f", k->from, k->to);
		num(k->count, count, sizeof count);
		if (k->count) {
			snprintf(mean, sizeof mean, "%.2f", k->mean_predicted);
			snprintf(share, sizeof share, "%.0f%%", 100 * k->observed);
		} else {
			snprintf(mean, sizeof mean, "-");
			snprintf(share, sizeof share, "-");
		}
		const char *cells[] = {range, count, mean, share};
		ui_table_add_row(&ls->report_table, cells);
	}
	ui_table_draw(&ls->report_table, w, y, x, height, width);
}

static void draw_learning_curve(struct lab_screen *ls, WINDOW *w, int y, int x, int height,
				int width)
{
	if (!ls->has_curve) {
		draw_not_run(w, y, x, width,
			     ls->use_loaded ? "train a run (cell 5): the curve retrains it at "
					      "growing sizes"
					    : "run (r), then v again: train at growing sizes");
		return;
	}
	const struct lab_learning_curve *c = &ls->curve;
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "rows");
	for (size_t i = 0; i < c->n; i++) {
		char a[32];
		sb_printf(&sb, "%s%s", i ? " / " : " ", num(c->points[i].rows, a, sizeof a));
	}
	sb_puts(&sb, "; LR");
	for (size_t i = 0; i < c->n; i++)
		sb_printf(&sb, " %.3f", c->points[i].accuracy[MODEL_LOGREG]);
	sb_puts(&sb, "; NB");
	for (size_t i = 0; i < c->n; i++)
		sb_printf(&sb, " %.3f", c->points[i].accuracy[MODEL_NB]);
	int used = ui_put_wrapped(w, y, x, width, 3, sb.data, ui_attr(UI_NORMAL));
	sb_free(&sb);
	if (height - used < 5)
		return;
	struct ui_chart chart;
	ui_chart_init(&chart);
	chart.y_decimals = 2;
	ui_chart_add(&chart, "logistic regression", ls->curve_lr, c->n, ui_attr(UI_ACCENT));
	ui_chart_add(&chart, "naive Bayes", ls->curve_nb, c->n, ui_attr(UI_WARN));
	char first[48], last[32], a[32];
	snprintf(first, sizeof first, "%s rows", num(c->points[0].rows, a, sizeof a));
	snprintf(last, sizeof last, "%s", num(c->points[c->n - 1].rows, a, sizeof a));
	chart.x_first = first;
	chart.x_last = last;
	ui_chart_draw(&chart, w, y + used, x, height - used, width);
}

/* The calibration's reading in the course's words: the bin of "70%
 * sure", or the fullest one when it is empty. */
static void calibration_words(const struct lab_eval *e, const char *positive, char *buf,
			      size_t size)
{
	const struct calibration *c = &e->calibration;
	size_t b = 6;
	if (b >= c->nbins || !c->bins[b].count)
		for (size_t i = b = 0; i < c->nbins; i++)
			if (c->bins[i].count > c->bins[b].count)
				b = i;
	const struct calibration_bin *k = &c->bins[b];
	char a[32];
	snprintf(buf, size,
		 "\"70%% sure\" should mean about 70 in 100 such reviews are %s. Of the %s given "
		 "%.1f-%.1f, %.0f%% were %s. Brier %.3f, log loss %.3f: lower is better "
		 "(0.25 and 0.69 for a coin).",
		 positive, num(k->count, a, sizeof a), k->from, k->to, k->count ? 100 * k->observed : 0,
		 positive, c->brier, c->log_loss);
}

static void cell_evaluate(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	y += draw_state(ls, w, y, x, width, 2);
	const struct lab_eval *e = need_eval(ls, w, y, x, width);
	if (!e) {
		if (ls->use_loaded)
			ui_put(w, y + 1, x, width, ls->save_note, ui_attr(UI_DIM));
		return;
	}
	const struct metrics_report *m = &e->report;
	char *const *labels = current_labels(ls);
	char line[640], a[32], b[32], c[32];
	snprintf(line, sizeof line, "accuracy %.3f  AUC %.3f  log loss %.3f  (%s %s reviews, "
				    "threshold %.2f)",
		 m->accuracy, e->auc, e->calibration.log_loss, num(e->n, a, sizeof a),
		 ls->use_loaded || !ls->run.val_is_test ? "test" : "validation", e->threshold);
	y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_ACCENT));
	if (ls->use_loaded) {
		const char *base = strrchr(ls->loaded_path, '/');
		snprintf(line, sizeof line, "the loaded model %.200s, on the lab's test rows",
			 base ? base + 1 : ls->loaded_path);
		ui_put(w, y++, x, width, line, ui_attr(UI_DIM));
	}
	y++;
	if (ls->eval_view == EVAL_CALIBRATION) {
		calibration_words(e, labels[1], line, sizeof line);
		draw_explanation(w, bottom, x, width, line);
		draw_calibration(ls, e, w, y, x, bottom - y, width);
		return;
	}
	if (ls->eval_view == EVAL_LEARNING_CURVE) {
		draw_explanation(w, bottom, x, width,
				 "How much data do we need? A simple two-class task can need "
				 "little (the course, 00:16:01). Accuracy on the same test reviews "
				 "as training grows: where the lines flatten, more buys little.");
		if (ls->error[CELL_EVALUATE][0])
			ui_put(w, y++, x, width, ls->error[CELL_EVALUATE], ui_attr(UI_ACCENT));
		draw_learning_curve(ls, w, y, x, bottom - y, width);
		return;
	}
	y += draw_matrix(ls, e, w, y, x, width);
	y++;
	size_t called = m->cm.tp + m->cm.fp, truly = m->cm.tp + m->cm.fn;
	char d[32], f[32];
	snprintf(line, sizeof line,
		 "Called %s: %s, of which %s right (precision %.2f). Truly %s: %s, found %s "
		 "(recall %.2f). %s false positives: %s reviews called %s.",
		 labels[1], num(called, a, sizeof a), num(m->cm.tp, b, sizeof b),
		 m->classes[1].precision, labels[1], num(truly, c, sizeof c),
		 num(m->cm.tp, d, sizeof d), m->classes[1].recall, num(m->cm.fp, f, sizeof f),
		 labels[0], labels[1]);
	draw_explanation(w, bottom, x, width, line);
	if (bottom - y < 3)
		return;
	if (ls->eval_view == EVAL_REPORT) {
		draw_report(ls, e, w, y, x, bottom - y, width);
		return;
	}
	struct ui_chart chart;
	ui_chart_init(&chart);
	chart.y_from_zero = true;
	chart.y_decimals = 1;
	if (ls->eval_view == EVAL_ROC) {
		metrics_roc_grid(&e->roc, LAB_CURVE_POINTS, ls->roc_grid);
		ui_chart_add(&chart, "true positive rate (ROC)", ls->roc_grid, LAB_CURVE_POINTS,
			     ui_attr(UI_ACCENT));
		chart.x_first = "false positive rate 0";
		chart.x_last = "1";
	} else {
		metrics_pr_grid(&e->pr, LAB_CURVE_POINTS, ls->pr_grid);
		ui_chart_add(&chart, "precision (PR)", ls->pr_grid, LAB_CURVE_POINTS,
			     ui_attr(UI_ACCENT));
		chart.x_first = "recall 0";
		chart.x_last = "1";
	}
	ui_chart_draw(&chart, w, y, x, bottom - y, width);
}

static void cell_threshold(struct lab_screen *ls, WINDOW *w, int y, int x, int height,
			   int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	const struct lab_eval *e = lab_current_eval(ls);
	if (!e) {
		need_eval(ls, w, y, x, width);
		draw_explanation(w, bottom, x, width,
				 "AI is a game of thresholds: the model gives each review a "
				 "probability, and the threshold turns it into a decision.");
		return;
	}
	const struct metrics_report *m = &e->report;
	char *const *labels = current_labels(ls);
	char line[640], label[96], a[32], b[32];
	snprintf(label, sizeof label, "threshold %.2f: call a review %s above it",
		 e->threshold, labels[1]);
	struct ui_progress p = {e->threshold, label, NULL};
	ui_progress_draw(&p, w, y, x, 2, width);
	y += 3;
	y += draw_matrix(ls, e, w, y, x, width);
	y++;
	/* The trade-off at a few thresholds beside the learner's. */
	static const double marks[] = {0.3, 0.5, 0.7};
	static const struct ui_column cols[] = {
		{"threshold", UI_ALIGN_RIGHT, 9, 9},  {"called", UI_ALIGN_RIGHT, 6, 8},
		{"precision", UI_ALIGN_RIGHT, 9, 9},  {"recall", UI_ALIGN_RIGHT, 6, 6},
		{"F1", UI_ALIGN_RIGHT, 5, 5},	      {"accuracy", UI_ALIGN_RIGHT, 8, 8},
	};
	ui_table_free(&ls->report_table);
	ui_table_init(&ls->report_table, cols, 6);
	ls->report_table.max_cell_lines = 1;
	for (int i = 0; i < 4; i++) {
		double t = i < 3 ? marks[i] : e->threshold;
		if (i < 3 && fabs(t - e->threshold) < 1e-9)
			continue;
		struct confusion cm;
		struct metrics_report at;
		metrics_confusion(e->p, e->y, e->n, t, &cm);
		metrics_from_confusion(&cm, &at);
		char tt[24], called_text[32], pr[16], rc[16], f[16], acc[16];
		snprintf(tt, sizeof tt, i < 3 ? "%.2f" : "%.2f now", t);
		num(cm.tp + cm.fp, called_text, sizeof called_text);
		snprintf(pr, sizeof pr, "%.3f", at.classes[1].precision);
		snprintf(rc, sizeof rc, "%.3f", at.classes[1].recall);
		snprintf(f, sizeof f, "%.3f", at.classes[1].f1);
		snprintf(acc, sizeof acc, "%.3f", at.accuracy);
		const char *cells[] = {tt, called_text, pr, rc, f, acc};
		ui_table_add_row(&ls->report_table, cells);
	}
	if (bottom - y >= 4) {
		ui_table_draw(&ls->report_table, w, y, x, bottom - y, width);
		y += (int)ls->report_table.row_count + 2;
	}
	size_t called = m->cm.tp + m->cm.fp;
	const char *drift = e->threshold < 0.5 ? "Below 0.5 more reviews are called"
			    : e->threshold > 0.5 ? "Above 0.5 fewer reviews are called"
						 : "At 0.5 the model says";
	snprintf(line, sizeof line,
		 "%s %s (%s): %s false positives, %s %s reviews missed. No threshold avoids "
		 "both mistakes; the PM picks which hurts users more. A new run starts at %.2f.",
		 drift, labels[1], num(called, a, sizeof a), num(m->cm.fp, b, sizeof b),
		 num(m->cm.fn, label, sizeof label), labels[1], ls->set.s.threshold);
	draw_explanation(w, bottom, x, width, line);
}

/* ---- 8 explain ---- */

static void cell_explain(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(w, bottom, x, width,
			 "The model adds up each term's push from its bias. With word pairs 'not "
			 "masterpiece' has its own weight and can outvote praise; with words "
			 "alone 'not' and 'masterpiece' are weighed apart, and praise usually "
			 "wins.");
	struct tokenizer *tok;
	const struct text_model *m = lab_current_model(ls, &tok);
	if (!m) {
		draw_not_run(w, y, x, width,
			     "train (cells 1-5 run first), or open a model in cell 9");
		return;
	}
	char line[512];
	if (ls->use_loaded)
		ui_put(w, y++, x, width, ls->save_note, ui_attr(UI_DIM));
	/* The strongest terms each way. */
	int half = (width - 2) / 2;
	uint32_t ids[TOP_TERMS];
	for (int cls = 1; cls >= 0; cls--) {
		int cx = cls ? x : x + half + 2;
		snprintf(line, sizeof line, "pushes to %s", m->labels[cls]);
		ui_put(w, y, cx, half, line, ui_attr(UI_HEADING2));
		size_t n = linear_top_terms(&m->lm, cls, TOP_TERMS, ids);
		int rows = bottom - y - 6 < (int)n ? bottom - y - 6 : (int)n;
		for (int i = 0; i < rows; i++) {
			snprintf(line, sizeof line, "%+6.2f %s", m->lm.weights[ids[i]],
				 vocab_term(m->vocab, ids[i]));
			ui_put(w, y + 1 + i, cx, half, line,
			       ui_attr(m->lm.weights[ids[i]] >= 0 ? UI_GOOD : UI_BAD));
		}
	}
	int shown = bottom - y - 6 < TOP_TERMS ? bottom - y - 6 : TOP_TERMS;
	y += 1 + (shown > 0 ? shown : 0) + 1;
	if (y + 3 > bottom)
		return;
	y += draw_sentence(ls, w, y, x, width);
	struct lab_verdict v;
	lab_explain(m, tok, ui_field_text(&ls->sentence), &v);
	/* The same probability, to the same decimals, as `aipm predict`. */
	snprintf(line, sizeof line, "%s, probability %.*f (P(%s) = %.*f, threshold %.2f)",
		 m->labels[v.label], LAB_PROB_DECIMALS, lab_verdict_probability(&v),
		 m->labels[1], LAB_PROB_DECIMALS, v.prob, m->threshold);
	ui_put(w, y++, x, width, line, ui_attr(v.label ? UI_GOOD : UI_BAD));
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "bias %+.2f", m->lm.bias);
	for (size_t i = 0; i < v.nitems; i++)
		sb_printf(&sb, "  %s %+.2f", vocab_term(m->vocab, v.items[i].term),
			  v.items[i].contribution);
	if (!v.nitems)
		sb_puts(&sb, "  (no known terms: the bias alone decides)");
	ui_put_wrapped(w, y, x, width, bottom - y, sb.data, ui_attr(UI_NORMAL));
	sb_free(&sb);
	lab_verdict_free(&v);
}

/* ---- 9 save and load ---- */

static void cell_save(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(w, bottom, x, width,
			 "A saved model predicts without training again. The file holds the "
			 "vocabulary, idf, weights and settings with a checksum: a damaged or "
			 "foreign file is refused.");
	y += draw_state(ls, w, y, x, width, 4);
	char line[LAB_PATH_MAX + 200];
	if (ls->save_note[0] && ls->status[CELL_SAVE] != CELL_FAILED)
		ui_put(w, y++, x, width, ls->save_note, ui_attr(UI_GOOD));
	struct tokenizer *tok;
	const struct text_model *m = lab_current_model(ls, &tok);
	if (!m) {
		draw_not_run(w, y, x, width, "save (cells 1-5 run first); o opens a saved model");
		return;
	}
	char a[32];
	snprintf(line, sizeof line, "%s model: %s, %s of %s, %s terms, labels %s / %s",
		 ls->use_loaded ? "loaded" : "this run's",
		 m->lm.kind == MODEL_LOGREG ? "logistic regression" : "naive Bayes",
		 m->features == FEATURES_TFIDF ? "TF-IDF" : "counts",
		 m->tok.ngram_max == 2 ? "words and pairs" : "words",
		 num(vocab_size(m->vocab), a, sizeof a), m->labels[0], m->labels[1]);
	y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_NORMAL));
	struct lab_model_record rec;
	lab_model_record(m, &rec);
	if (rec.has_metrics && y < bottom) {
		snprintf(line, sizeof line,
			 "saved with accuracy %.3f, macro F1 %.3f, AUC %.3f at threshold %.2f "
			 "(%s test rows)",
			 rec.accuracy, rec.macro_f1, rec.auc, rec.threshold,
			 num(rec.test_rows, a, sizeof a));
		y += ui_put_wrapped(w, y, x, width, 2, line, ui_attr(UI_DIM));
	}
	if (rec.before_lbfgs && y < bottom)
		y += ui_put_wrapped(w, y, x, width, 2,
				    "trained by SGD before the lab trained to convergence: its "
				    "probabilities may be squeezed toward 0.5; train again for a "
				    "converged model",
				    ui_attr(UI_WARN));
	y++;
	if (y + 1 < bottom) {
		/* The file of the model in use, once there is one on disk. */
		const char *path = ls->use_loaded ? ls->loaded_path : ls->saved_path;
		ui_put(w, y++, x, width, path[0] ? "On the command line:"
						  : "On the command line, once saved (s):",
		       ui_attr(UI_DIM));
		snprintf(line, sizeof line, "aipm predict --model %s \"a great film\"",
			 path[0] ? path : ls->model_path);
		ui_put(w, y, x, width, line, ui_attr(UI_CODE));
	}
}

/* ---- 10 experiments ---- */

/* One run's validation loss (its training loss without a validation
 * set), NaN-padded to n steps, for the comparison chart. */
static double *comparison_curve(const struct experiment *e, size_t n)
{
	double *v = xmalloc((n + 1) * sizeof *v);
	bool val = e->nsteps && isfinite(e->val_loss[0]);
	for (size_t i = 0; i < n; i++)
		v[i] = i < e->nsteps ? (val ? e->val_loss[i] : e->train_loss[i]) : NAN;
	return v;
}

/* The marked run and the selected one side by side: the settings that
 * differ, every result, and their loss curves. */
static void draw_comparison(struct lab_screen *ls, WINDOW *w, int y, int x, int bottom,
			    int width)
{
	size_t ia = ls->marked, ib = ui_table_selected(&ls->runs_table);
	const struct experiment *a = &ls->runs[ia], *b = &ls->runs[ib];
	struct experiment_pair_field f[EXPERIMENT_FIELDS];
	size_t n = experiment_compare(a, b, f);
	char ha[32], hb[32], line[256];
	snprintf(ha, sizeof ha, "run %zu (A)", ia + 1);
	snprintf(hb, sizeof hb, "run %zu", ib + 1);
	snprintf(ls->matrix_titles[0], sizeof ls->matrix_titles[0], "%s", ha);
	snprintf(ls->matrix_titles[1], sizeof ls->matrix_titles[1], "%s", hb);
	int value_width = (width - 20) / 2;
	ls->matrix_columns[0] = (struct ui_column){"", UI_ALIGN_LEFT, 10, 18};
	ls->matrix_columns[1] = (struct ui_column){ls->matrix_titles[0], UI_ALIGN_LEFT, 8,
						   value_width};
	ls->matrix_columns[2] = (struct ui_column){ls->matrix_titles[1], UI_ALIGN_LEFT, 8,
						   value_width};
	ui_table_free(&ls->report_table);
	ui_table_init(&ls->report_table, ls->matrix_columns, 3);
	ls->report_table.max_cell_lines = 1;
	size_t same = 0;
	for (size_t i = 0; i < n; i++) {
		if (!f[i].differs && f[i].group != EXP_RESULT) {
			same++;
			continue;
		}
		const char *cells[] = {f[i].name, f[i].a, f[i].b};
		ui_table_add_row(&ls->report_table, cells);
	}
	snprintf(line, sizeof line, "%zu settings are the same in both; shown: what differs, "
				    "then every result",
		 same);
	ui_put(w, y++, x, width, line, ui_attr(UI_DIM));
	int rows = (int)ls->report_table.row_count + 1;
	if (rows > bottom - y)
		rows = bottom - y;
	ui_table_draw(&ls->report_table, w, y, x, rows, width);
	y += rows + 1;
	if (bottom - y < 6)
		return;
	size_t steps = a->nsteps > b->nsteps ? a->nsteps : b->nsteps;
	double *ca = comparison_curve(a, steps), *cb = comparison_curve(b, steps);
	struct ui_chart chart;
	ui_chart_init(&chart);
	ui_chart_add(&chart, ha, ca, steps, ui_attr(UI_ACCENT));
	ui_chart_add(&chart, hb, cb, steps, ui_attr(UI_WARN));
	char first[32], last[32];
	snprintf(first, sizeof first, "loss, step 1");
	snprintf(last, sizeof last, "%zu", steps);
	chart.x_first = first;
	chart.x_last = last;
	ui_chart_draw(&chart, w, y, x, bottom - y, width);
	free(ca);
	free(cb);
}

static void cell_experiments(struct lab_screen *ls, WINDOW *w, int y, int x, int height,
			     int width)
{
	int bottom = y + height - EXPLAIN_ROWS;
	draw_explanation(w, bottom, x, width,
			 "The course's assignment: change one thing, then compare. Best is the "
			 "highest AUC: it does not move with the threshold (* marks one moved "
			 "after training). Compare runs on the same test set.");
	if (!ls->nruns) {
		ui_put(w, y, x, width, "No runs yet: train in cell 5 and each run lands here.",
		       ui_attr(UI_DIM));
		return;
	}
	size_t sel = ui_table_selected(&ls->runs_table);
	if (ls->comparing && ls->marked < ls->nruns && sel < ls->nruns && sel != ls->marked) {
		draw_comparison(ls, w, y, x, bottom, width);
		return;
	}
	int table_rows = bottom - y - 4;
	if (table_rows < 3)
		table_rows = bottom - y;
	ui_table_draw(&ls->runs_table, w, y, x, table_rows, width);
	y += table_rows;
	if (sel >= ls->nruns || y + 2 > bottom)
		return;
	const struct experiment *e = &ls->runs[sel];
	const struct train_options *t = &e->s.train;
	char line[640], when[32], hyper[160], rows[32];
	clock_format(e->created_at, when, sizeof when);
	if (t->kind == MODEL_NB)
		snprintf(hyper, sizeof hyper, "naive Bayes, alpha %g", t->nb_alpha);
	else if (t->solver == SOLVER_LBFGS)
		snprintf(hyper, sizeof hyper, "L-BFGS, C %g, at most %d iterations", t->C,
			 t->max_iter);
	else
		snprintf(hyper, sizeof hyper, "SGD, C %g, %d epochs, learning rate %g, batch %zu",
			 t->C, t->epochs, t->learning_rate, t->batch_size);
	char loss[32];
	if (isfinite(e->log_loss))
		snprintf(loss, sizeof loss, "%.3f", e->log_loss);
	else
		snprintf(loss, sizeof loss, "unknown");
	char ntrain[32], ntest[32];
	snprintf(line, sizeof line,
		 "run %zu, %s: %s; %.40s (%.8s), %s rows in use, seed %llu, trained on %s, tested "
		 "on %s %s; %d step%s, %.60s; log loss %s; %.2f s",
		 sel + 1, when, hyper, base_name(e->data_file),
		 e->data_sha256[0] ? e->data_sha256 : "no hash", num(e->rows_used, rows, sizeof rows),
		 (unsigned long long)t->seed, num(e->ntrain, ntrain, sizeof ntrain),
		 num(e->ntest, ntest, sizeof ntest),
		 e->val_is_test ? "validation rows" : e->test_file ? "test-file rows" : "held-out rows",
		 e->steps, e->steps == 1 ? "" : "s", e->stop[0] ? e->stop : "?", loss, e->seconds);
	ui_put_wrapped(w, y, x, width, bottom - y, line, ui_attr(UI_DIM));
}

void lab_draw_cell(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width)
{
	int top = draw_head(ls, w, y, x, width);
	int rest = y + height - top;
	switch (ls->cell) {
	case CELL_DATA:
		cell_data(ls, w, top, x, rest, width);
		break;
	case CELL_SPLIT:
		cell_split(ls, w, top, x, rest, width);
		break;
	case CELL_TOKENIZE:
		cell_tokenize(ls, w, top, x, rest, width);
		break;
	case CELL_FEATURES:
		cell_features(ls, w, top, x, rest, width);
		break;
	case CELL_TRAIN:
		cell_train(ls, w, top, x, rest, width);
		break;
	case CELL_EVALUATE:
		cell_evaluate(ls, w, top, x, rest, width);
		break;
	case CELL_THRESHOLD:
		cell_threshold(ls, w, top, x, rest, width);
		break;
	case CELL_EXPLAIN:
		cell_explain(ls, w, top, x, rest, width);
		break;
	case CELL_SAVE:
		cell_save(ls, w, top, x, rest, width);
		break;
	case CELL_EXPERIMENTS:
		cell_experiments(ls, w, top, x, rest, width);
		break;
	}
}
