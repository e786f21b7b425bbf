/* The model lab: the course's live notebook (load, subset, split, tokenize,
 * features, train while the loss falls, evaluate, threshold, spot-check,
 * save, compare runs) as ten cells on one screen, on a laptop with no GPU
 * and no network. A rail on the left lists the cells with their status;
 * the focused cell fills the rest. Running a cell first runs the cells
 * above it that need it, because a notebook runs top to bottom (the live
 * demo's two hiccups were skipped cells). */
#include "lab.h"
#include "try.h"

#include "chart.h"
#include "clock.h"
#include "ui.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A rail of cells this wide (narrower below 80 columns). */
#define RAIL_WIDTH 22
#define RAIL_WIDTH_NARROW 18
/* Each epoch stays on screen at least this long, so that the learner can
 * watch the loss fall even when an epoch takes a millisecond. */
#define EPOCH_SHOW_MS 60

const char *const lab_cell_names[CELL_COUNT] = {
	"Data", "Split", "Tokenize", "Features", "Train",
	"Evaluate", "Threshold", "Explain", "Save/load", "Experiments",
};

static const enum lab_field data_fields[] = {FLD_FILE, FLD_TEST_FILE, FLD_TEXT_COL,
					     FLD_LABEL_COL, FLD_BALANCED};
static const enum lab_field split_fields[] = {FLD_TEST_SPLIT, FLD_VAL_SPLIT, FLD_SEED};
static const enum lab_field token_fields[] = {FLD_NGRAMS, FLD_STOP_WORDS, FLD_STRIP_HTML,
					      FLD_MIN_DF, FLD_MAX_VOCAB};
static const enum lab_field feature_fields[] = {FLD_FEATURES};
static const enum lab_field logreg_fields[] = {FLD_MODEL, FLD_EPOCHS, FLD_LR, FLD_BATCH,
					       FLD_L2};
static const enum lab_field save_fields[] = {FLD_MODEL_PATH};

/* The cell each setting belongs to: changing it makes that cell and the
 * ones below stale. */
static int field_cell(enum lab_field f)
{
	if (f <= FLD_BALANCED)
		return CELL_DATA;
	if (f <= FLD_SEED)
		return CELL_SPLIT;
	if (f <= FLD_MAX_VOCAB)
		return CELL_TOKENIZE;
	if (f == FLD_FEATURES)
		return CELL_FEATURES;
	if (f <= FLD_ALPHA)
		return CELL_TRAIN;
	return CELL_SAVE;
}

size_t lab_cell_fields(const struct lab_screen *ls, int cell, const enum lab_field **out)
{
	static const enum lab_field nb_fields[] = {FLD_MODEL, FLD_ALPHA};
#define FIELDS(a) (*out = (a), sizeof(a) / sizeof((a)[0]))
	switch (cell) {
	case CELL_DATA:
		return FIELDS(data_fields);
	case CELL_SPLIT:
		return FIELDS(split_fields);
	case CELL_TOKENIZE:
		return FIELDS(token_fields);
	case CELL_FEATURES:
		return FIELDS(feature_fields);
	case CELL_TRAIN:
		if (ls->s.train.kind == MODEL_NB)
			return FIELDS(nb_fields);
		return FIELDS(logreg_fields);
	case CELL_SAVE:
		return FIELDS(save_fields);
	default:
		*out = NULL;
		return 0;
	}
#undef FIELDS
}

const char *lab_field_label(enum lab_field f)
{
	static const char *const labels[FLD_COUNT] = {
		[FLD_FILE] = "file",
		[FLD_TEST_FILE] = "test file",
		[FLD_TEXT_COL] = "text column",
		[FLD_LABEL_COL] = "label column",
		[FLD_BALANCED] = "balanced subset",
		[FLD_TEST_SPLIT] = "test share",
		[FLD_VAL_SPLIT] = "validation share",
		[FLD_SEED] = "seed",
		[FLD_NGRAMS] = "n-grams",
		[FLD_STOP_WORDS] = "stop words",
		[FLD_STRIP_HTML] = "HTML tags",
		[FLD_MIN_DF] = "min. documents",
		[FLD_MAX_VOCAB] = "max. vocabulary",
		[FLD_FEATURES] = "features",
		[FLD_MODEL] = "model",
		[FLD_EPOCHS] = "epochs",
		[FLD_LR] = "learning rate",
		[FLD_BATCH] = "batch size",
		[FLD_L2] = "L2 penalty",
		[FLD_ALPHA] = "smoothing alpha",
		[FLD_MODEL_PATH] = "model file",
	};
	return labels[f];
}

void lab_field_value(const struct lab_screen *ls, enum lab_field f, char *buf, size_t size)
{
	const struct lab_settings *s = &ls->s;
	switch (f) {
	case FLD_FILE:
		snprintf(buf, size, "%s", ls->data_path);
		break;
	case FLD_TEST_FILE:
		snprintf(buf, size, "%s",
			 ls->test_path[0] ? ls->test_path : "none (split the data)");
		break;
	case FLD_TEXT_COL:
		snprintf(buf, size, "%s", ls->text_col[0] ? ls->text_col : "detect");
		break;
	case FLD_LABEL_COL:
		snprintf(buf, size, "%s", ls->label_col[0] ? ls->label_col : "detect");
		break;
	case FLD_BALANCED:
		if (s->balanced)
			snprintf(buf, size, "%zu per class", s->balanced);
		else
			snprintf(buf, size, "off (every row)");
		break;
	case FLD_TEST_SPLIT:
		if (ls->test_path[0])
			snprintf(buf, size, "the test file");
		else if (s->test_split == 0)
			snprintf(buf, size, "0 (test on the validation set)");
		else
			snprintf(buf, size, "%.0f%%", s->test_split * 100);
		break;
	case FLD_VAL_SPLIT:
		snprintf(buf, size, "%.0f%%", s->val_split * 100);
		break;
	case FLD_SEED:
		snprintf(buf, size, "%llu", (unsigned long long)s->train.seed);
		break;
	case FLD_NGRAMS:
		snprintf(buf, size, "%s",
			 s->tok.ngram_max == 2 ? "words and pairs (1-2)" : "words (1)");
		break;
	case FLD_STOP_WORDS:
		snprintf(buf, size, "%s", s->tok.stop_words ? "dropped (English list)" : "kept");
		break;
	case FLD_STRIP_HTML:
		snprintf(buf, size, "%s", s->tok.strip_html ? "stripped" : "kept as words");
		break;
	case FLD_MIN_DF:
		snprintf(buf, size, "%zu", s->tok.min_df);
		break;
	case FLD_MAX_VOCAB:
		if (s->tok.max_vocab)
			snprintf(buf, size, "%zu terms", s->tok.max_vocab);
		else
			snprintf(buf, size, "no limit");
		break;
	case FLD_FEATURES:
		snprintf(buf, size, "%s", s->features == FEATURES_TFIDF ? "TF-IDF" : "counts");
		break;
	case FLD_MODEL:
		snprintf(buf, size, "%s",
			 s->train.kind == MODEL_LOGREG ? "logistic regression" : "naive Bayes");
		break;
	case FLD_EPOCHS:
		snprintf(buf, size, "%d", s->train.epochs);
		break;
	case FLD_LR:
		snprintf(buf, size, "%g", s->train.learning_rate);
		break;
	case FLD_BATCH:
		snprintf(buf, size, "%zu", s->train.batch_size);
		break;
	case FLD_L2:
		snprintf(buf, size, "%g", s->train.l2);
		break;
	case FLD_ALPHA:
		snprintf(buf, size, "%g", s->train.nb_alpha);
		break;
	case FLD_MODEL_PATH:
		snprintf(buf, size, "%s", ls->model_path);
		break;
	case FLD_COUNT:
		buf[0] = '\0';
		break;
	}
}

const struct text_model *lab_current_model(const struct lab_screen *ls, struct tokenizer **tok)
{
	if (ls->use_loaded) {
		*tok = ls->loaded_tok;
		return &ls->loaded_model;
	}
	if (ls->have_run && ls->run.trained) {
		*tok = ls->run.tok;
		return &ls->run.model;
	}
	*tok = NULL;
	return NULL;
}

/* ---- state ---- */

/* The log of runs (cell 10) never goes stale: it only grows. */
static void mark_stale_from(struct lab_screen *ls, int cell)
{
	for (int c = cell; c < CELL_EXPERIMENTS; c++)
		if (ls->status[c] == CELL_DONE || ls->status[c] == CELL_CANCELLED)
			ls->status[c] = CELL_STALE;
}

/* "logreg tfidf 1-2" from a run's settings JSON. */
static void run_model_text(const struct experiment *e, char *buf, size_t size)
{
	json_error_t jerr;
	json_t *s = json_loads(e->settings, 0, &jerr);
	const char *model = json_string_value(json_object_get(s, "model"));
	const char *features = json_string_value(json_object_get(s, "features"));
	json_int_t ngrams = json_integer_value(json_object_get(s, "ngram_max"));
	snprintf(buf, size, "%s %s %s", model && !strcmp(model, "nb") ? "NB" : "LR",
		 features ? features : "?", ngrams == 2 ? "1-2" : "1");
	json_decref(s);
}

/* The experiments table, rebuilt when the log changes (the newest run
 * selected). */
static void reload_runs(struct lab_screen *ls, struct app *app)
{
	experiments_free(ls->runs, ls->nruns);
	ls->runs = NULL;
	ls->nruns = 0;
	if (app->signed_in)
		experiment_list(app->store, app->learner.id, &ls->runs, &ls->nruns);
	ui_table_clear(&ls->runs_table);
	size_t best = experiment_best(ls->runs, ls->nruns);
	for (size_t i = 0; i < ls->nruns; i++) {
		const struct experiment *e = &ls->runs[i];
		json_error_t jerr;
		json_t *data = json_loads(e->data, 0, &jerr);
		json_int_t train = json_integer_value(json_object_get(data, "train"));
		bool val_is_test = json_is_true(json_object_get(data, "validation_is_test"));
		bool test_file = json_is_string(json_object_get(data, "test_file"));
		json_decref(data);
		char num[24], model[64], rows[24], acc[32], f1[32];
		snprintf(num, sizeof num, "%zu", i + 1);
		run_model_text(e, model, sizeof model);
		snprintf(rows, sizeof rows, "%lld", (long long)train);
		snprintf(acc, sizeof acc, "%.3f", e->accuracy);
		snprintf(f1, sizeof f1, "%.3f", e->f1);
		const char *cells[] = {num, model, rows,
				       val_is_test ? "val" : test_file ? "file" : "held",
				       acc, f1, i == best ? "best" : ""};
		ui_table_add_row(&ls->runs_table, cells);
	}
	if (ls->nruns)
		ls->runs_table.selected = ls->nruns - 1;
	ls->status[CELL_EXPERIMENTS] = ls->nruns ? CELL_DONE : CELL_NOT_RUN;
}

static void drop_run(struct lab_screen *ls)
{
	if (ls->have_run)
		lab_run_free(&ls->run);
	ls->have_run = false;
}

static void *lab_enter(struct app *app, void *arg)
{
	struct lab_screen *ls = xcalloc(1, sizeof *ls);
	lab_settings_default(&ls->s);
	/* The course's demo: 1,000 reviews of each class. */
	ls->s.balanced = 1000;
	snprintf(ls->data_path, sizeof ls->data_path, "%s/datasets/reviews.csv", app->content_dir);
	char *db = xstrdup(store_path(app->store));
	snprintf(ls->model_path, sizeof ls->model_path, "%s/lab-model.aipm", dirname(db));
	free(db);
	ui_field_init(&ls->sentence, "This film is not a masterpiece.", 2000);
	static const struct ui_column runs_columns[] = {
		{"run", UI_ALIGN_RIGHT, 3, 4},	 {"model", UI_ALIGN_LEFT, 12, 14},
		{"train", UI_ALIGN_RIGHT, 5, 7}, {"test", UI_ALIGN_LEFT, 4, 4},
		{"acc.", UI_ALIGN_RIGHT, 5, 5},	 {"F1", UI_ALIGN_RIGHT, 5, 5},
		{"", UI_ALIGN_LEFT, 4, 4},
	};
	ui_table_init(&ls->runs_table, runs_columns, sizeof runs_columns / sizeof runs_columns[0]);
	ls->runs_table.selectable = true;
	reload_runs(ls, app);
	/* Opened by a lesson's Try-it block: its settings. */
	if (arg)
		try_lab_setup(app, ls, arg);
	return ls;
}

static void lab_leave(void *self, struct app *app)
{
	(void)app;
	struct lab_screen *ls = self;
	drop_run(ls);
	if (ls->loaded)
		lab_data_free(&ls->data);
	if (ls->use_loaded) {
		text_model_free(&ls->loaded_model);
		tokenizer_free(ls->loaded_tok);
	}
	free(ls->train_loss);
	free(ls->val_loss);
	experiments_free(ls->runs, ls->nruns);
	ui_table_free(&ls->runs_table);
	ui_table_free(&ls->matrix_table);
	ui_table_free(&ls->report_table);
	ui_table_free(&ls->terms_table);
	ui_field_free(&ls->sentence);
	free(ls);
}

/* ---- drawing ---- */

static const char *status_word(enum cell_status s)
{
	switch (s) {
	case CELL_DONE:
		return "done";
	case CELL_STALE:
		return "stale";
	case CELL_FAILED:
		return "error";
	case CELL_RUNNING:
		return "running";
	case CELL_CANCELLED:
		return "stopped";
	case CELL_NOT_RUN:
		break;
	}
	return "-";
}

static enum ui_style status_style(enum cell_status s)
{
	switch (s) {
	case CELL_DONE:
		return UI_GOOD;
	case CELL_STALE:
	case CELL_CANCELLED:
		return UI_WARN;
	case CELL_FAILED:
		return UI_BAD;
	case CELL_RUNNING:
		return UI_ACCENT;
	case CELL_NOT_RUN:
		break;
	}
	return UI_DIM;
}

static void draw_rail(struct lab_screen *ls, WINDOW *w, int y, int rows, int width)
{
	ui_put(w, y, 1, width - 1, "Notebook", ui_attr(UI_HEADING2));
	for (int c = 0; c < CELL_COUNT && 1 + c < rows; c++) {
		int row = y + 1 + c;
		bool sel = c == ls->cell;
		attr_t a = ui_attr(sel ? UI_SELECTED : UI_NORMAL);
		if (sel)
			ui_fill(w, row, 0, width, a);
		char name[32];
		snprintf(name, sizeof name, "%s%d %s", c == 9 ? "" : " ", c + 1, lab_cell_names[c]);
		const char *word = status_word(ls->status[c]);
		int word_width = ui_width(word);
		ui_put(w, row, 1, width - word_width - 3, name, a);
		ui_put_right(w, row, width - word_width - 1, word_width, word,
			     sel ? a : ui_attr(status_style(ls->status[c])));
	}
	/* What the notebook holds now, under the cells. */
	int row = y + CELL_COUNT + 2;
	char line[128];
	if (ls->loaded && row < y + rows) {
		snprintf(line, sizeof line, "%zu of %zu rows", ls->data.nrows, ls->data.data.count);
		ui_put(w, row++, 1, width - 1, line, ui_attr(UI_DIM));
	}
	if (ls->have_run && ls->run.trained && row + 1 < y + rows) {
		snprintf(line, sizeof line, "accuracy %.3f", ls->run.report.accuracy);
		ui_put(w, row++, 1, width - 1, line, ui_attr(UI_DIM));
		snprintf(line, sizeof line, "threshold %.2f", ls->run.threshold);
		ui_put(w, row++, 1, width - 1, line, ui_attr(UI_DIM));
	}
	if (ls->use_loaded && row < y + rows)
		ui_put(w, row, 1, width - 1, "model: loaded file", ui_attr(UI_DIM));
}

static void lab_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct lab_screen *ls = self;
	int rail = cols >= 80 ? RAIL_WIDTH : RAIL_WIDTH_NARROW;
	draw_rail(ls, w, top, rows, rail);
	for (int r = 0; r < rows; r++)
		ui_put(w, top + r, rail, 1, ui_glyph(GLYPH_VLINE), ui_attr(UI_DIM));
	lab_draw_cell(ls, w, top, rail + 2, rows, cols - rail - 3);
}

/* ---- running cells ---- */

static void fail_cell(struct lab_screen *ls, int cell, const char *why)
{
	ls->status[cell] = CELL_FAILED;
	snprintf(ls->error[cell], sizeof ls->error[cell], "%s", why);
}

static void apply_columns(struct lab_screen *ls)
{
	ls->s.text_col = ls->text_col[0] ? ls->text_col : NULL;
	ls->s.label_col = ls->label_col[0] ? ls->label_col : NULL;
}

static bool run_data(struct lab_screen *ls)
{
	drop_run(ls);
	if (ls->loaded)
		lab_data_free(&ls->data);
	ls->loaded = ls->split = false;
	apply_columns(ls);
	char err[512];
	if (lab_data_load(&ls->data, ls->data_path, ls->test_path[0] ? ls->test_path : NULL, &ls->s,
			  err, sizeof err) != 0) {
		fail_cell(ls, CELL_DATA, err);
		return false;
	}
	ls->loaded = true;
	lab_data_subset(&ls->data, &ls->s);
	return true;
}

static bool run_split(struct lab_screen *ls)
{
	drop_run(ls);
	ls->split = false;
	char err[512];
	double test_split = ls->s.test_split;
	if (ls->test_path[0])
		ls->s.test_split = 0;
	int rc = lab_data_split(&ls->data, &ls->s, err, sizeof err);
	ls->s.test_split = test_split;
	if (rc != 0) {
		fail_cell(ls, CELL_SPLIT, err);
		return false;
	}
	ls->split = true;
	return true;
}

static bool run_tokenize(struct lab_screen *ls)
{
	drop_run(ls);
	char err[512];
	if (lab_tokenize(&ls->data, &ls->s, &ls->run, err, sizeof err) != 0) {
		fail_cell(ls, CELL_TOKENIZE, err);
		return false;
	}
	ls->have_run = true;
	return true;
}

struct live {
	struct lab_screen *ls;
	struct app *app;
	double last;
};

static const char *const training_keys[] = {"Esc", "stop training", NULL};

/* After every epoch: record the losses, redraw, pace, and look for Esc. */
static bool on_epoch(const struct epoch_stats *e, void *data)
{
	struct live *live = data;
	struct lab_screen *ls = live->ls;
	double t0 = clock_monotonic();
	size_t i = (size_t)e->epoch - 1;
	if (i < ls->epochs_planned) {
		ls->train_loss[i] = e->train_loss;
		ls->val_loss[i] = e->has_val ? e->val_loss : NAN;
		ls->epochs_done = i + 1;
	}
	werase(stdscr);
	ui_title_bar(stdscr, "Model lab", ls->context);
	lab_draw(ls, live->app, stdscr, 1, LINES - 2, COLS);
	ui_status_bar(stdscr, training_keys, NULL);
	wnoutrefresh(stdscr);
	doupdate();
	int wait = EPOCH_SHOW_MS - (int)((t0 - live->last) * 1000);
	if (wait > 0)
		napms(wait);
	/* Esc stops; any other key waits for after training. */
	nodelay(stdscr, TRUE);
	int key = wgetch(stdscr);
	nodelay(stdscr, FALSE);
	if (key == UI_KEY_ESC || ui_stop_requested())
		ls->cancel_requested = true;
	else if (key != ERR)
		ungetch(key);
	live->last = clock_monotonic();
	ls->callback_seconds += live->last - t0;
	return !ls->cancel_requested;
}

static bool run_train(struct lab_screen *ls, struct app *app)
{
	char err[512];
	size_t epochs = ls->s.train.kind == MODEL_NB ? 1 : (size_t)ls->s.train.epochs;
	free(ls->train_loss);
	free(ls->val_loss);
	ls->train_loss = xmalloc(epochs * sizeof *ls->train_loss);
	ls->val_loss = xmalloc(epochs * sizeof *ls->val_loss);
	for (size_t i = 0; i < epochs; i++)
		ls->train_loss[i] = ls->val_loss[i] = NAN;
	ls->epochs_planned = epochs;
	ls->epochs_done = 0;
	ls->callback_seconds = 0;
	ls->cancel_requested = false;
	ls->status[CELL_TRAIN] = CELL_RUNNING;
	struct live live = {ls, app, clock_monotonic()};
	if (lab_fit(&ls->run, &ls->s, on_epoch, &live, err, sizeof err) != 0) {
		fail_cell(ls, CELL_TRAIN, err);
		return false;
	}
	if (ls->use_loaded) {
		text_model_free(&ls->loaded_model);
		tokenizer_free(ls->loaded_tok);
		ls->loaded_tok = NULL;
		ls->use_loaded = false;
	}
	/* Logged time: the work, not the drawing and pacing between epochs. */
	double seconds = ls->run.seconds.tokenize + ls->run.seconds.features +
			 ls->run.seconds.train + ls->run.seconds.evaluate - ls->callback_seconds;
	if (!app->signed_in ||
	    experiment_log(app->store, app->learner.id, &ls->data, &ls->s, &ls->run,
			   seconds < 0 ? 0 : seconds, NULL) != STORE_OK)
		screen_flash(app->screens, "This run could not be logged: %s",
			     app->signed_in ? store_errmsg(app->store) : "nobody is signed in");
	reload_runs(ls, app);
	if (ls->run.train.cancelled) {
		ls->status[CELL_TRAIN] = CELL_CANCELLED;
		snprintf(ls->error[CELL_TRAIN], sizeof ls->error[CELL_TRAIN],
			 "stopped after epoch %zu of %zu", ls->run.train.nepochs, epochs);
	}
	return true;
}

/* Runs cell c itself (its inputs are ready). */
static bool run_one(struct lab_screen *ls, struct app *app, int c)
{
	ls->error[c][0] = '\0';
	bool ok = true;
	switch (c) {
	case CELL_DATA:
		ok = run_data(ls);
		break;
	case CELL_SPLIT:
		ok = run_split(ls);
		break;
	case CELL_TOKENIZE:
		ok = run_tokenize(ls);
		break;
	case CELL_FEATURES:
		lab_features(&ls->run, &ls->s);
		break;
	case CELL_TRAIN:
		ok = run_train(ls, app);
		break;
	default:
		break;
	}
	if (!ok)
		return false;
	if (ls->status[c] != CELL_CANCELLED)
		ls->status[c] = CELL_DONE;
	/* Everything computed from this cell is now out of date. */
	if (c <= CELL_TRAIN) {
		mark_stale_from(ls, c + 1);
		if (c == CELL_TRAIN)
			for (int v = CELL_EVALUATE; v <= CELL_EXPLAIN; v++)
				ls->status[v] = CELL_DONE;
	}
	return true;
}

/* Cells a cell needs before it can run. */
static int needs_up_to(int cell)
{
	if (cell >= CELL_EVALUATE && cell <= CELL_SAVE)
		return CELL_TRAIN;
	if (cell == CELL_EXPERIMENTS)
		return -1;
	return cell - 1;
}

/* Runs the stale or missing cells above `cell`, then `cell`. */
static void run_cell(struct lab_screen *ls, struct app *app, int cell)
{
	int first = -1, last = -1;
	for (int c = 0; c <= needs_up_to(cell); c++) {
		if (ls->status[c] == CELL_DONE)
			continue;
		if (first < 0)
			first = c;
		last = c;
		if (!run_one(ls, app, c)) {
			screen_flash(app->screens, "Cell %d (%s) failed; fix it and run again.",
				     c + 1, lab_cell_names[c]);
			ls->cell = c;
			return;
		}
	}
	if (cell <= CELL_TRAIN && !run_one(ls, app, cell))
		return;
	if (cell == CELL_EXPERIMENTS)
		reload_runs(ls, app);
	if (first >= 0 && first == last)
		screen_flash(app->screens, "Ran cell %d first: a notebook runs top to bottom.",
			     first + 1);
	else if (first >= 0)
		screen_flash(app->screens, "Ran cells %d-%d first: a notebook runs top to bottom.",
			     first + 1, last + 1);
}

/* ---- settings ---- */

static const size_t balanced_steps[] = {0, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 25000};
static const size_t vocab_steps[] = {0, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000};
static const double lr_steps[] = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16};
static const double l2_steps[] = {0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2};
static const double alpha_steps[] = {0.01, 0.1, 0.5, 1, 2, 5};

static size_t step_size(const size_t *steps, size_t n, size_t value, int dir)
{
	size_t i = 0;
	while (i + 1 < n && steps[i] < value)
		i++;
	if (dir > 0)
		return steps[i] > value ? steps[i] : (i + 1 < n ? steps[i + 1] : steps[i]);
	while (i > 0 && steps[i] >= value)
		i--;
	return steps[i] < value ? steps[i] : steps[0];
}

static double step_real(const double *steps, size_t n, double value, int dir)
{
	if (dir > 0) {
		for (size_t i = 0; i < n; i++)
			if (steps[i] > value * (1 + 1e-9))
				return steps[i];
		return steps[n - 1];
	}
	for (size_t i = n; i-- > 0;)
		if (steps[i] < value * (1 - 1e-9) || (value > 0 && steps[i] == 0))
			return steps[i];
	return steps[0];
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Left/right on a setting: the next sensible value. False when the
 * setting is typed instead. */
static bool adjust_field(struct lab_screen *ls, enum lab_field f, int dir)
{
	struct lab_settings *s = &ls->s;
	switch (f) {
	case FLD_BALANCED:
		s->balanced = step_size(balanced_steps, COUNT_OF(balanced_steps), s->balanced, dir);
		break;
	case FLD_TEST_SPLIT:
		if (ls->test_path[0])
			return false;
		s->test_split = clamp(round((s->test_split + 0.05 * dir) * 20) / 20, 0, 0.5);
		break;
	case FLD_VAL_SPLIT:
		s->val_split = clamp(round((s->val_split + 0.05 * dir) * 20) / 20, 0, 0.4);
		break;
	case FLD_SEED:
		if (dir > 0 || s->train.seed > 0)
			s->train.seed += (uint64_t)(int64_t)dir;
		break;
	case FLD_NGRAMS:
		s->tok.ngram_max = s->tok.ngram_max == 2 ? 1 : 2;
		break;
	case FLD_STOP_WORDS:
		s->tok.stop_words = !s->tok.stop_words;
		break;
	case FLD_STRIP_HTML:
		s->tok.strip_html = !s->tok.strip_html;
		break;
	case FLD_MIN_DF:
		if (dir > 0 || s->tok.min_df > 1)
			s->tok.min_df += (size_t)(ptrdiff_t)dir;
		break;
	case FLD_MAX_VOCAB:
		s->tok.max_vocab =
			step_size(vocab_steps, COUNT_OF(vocab_steps), s->tok.max_vocab, dir);
		break;
	case FLD_FEATURES:
		s->features = s->features == FEATURES_TFIDF ? FEATURES_COUNT : FEATURES_TFIDF;
		break;
	case FLD_MODEL:
		s->train.kind = s->train.kind == MODEL_LOGREG ? MODEL_NB : MODEL_LOGREG;
		ls->field = 0;
		break;
	case FLD_EPOCHS:
		s->train.epochs = (int)clamp(s->train.epochs + dir, 1, 200);
		break;
	case FLD_LR:
		s->train.learning_rate = step_real(lr_steps, COUNT_OF(lr_steps),
						   s->train.learning_rate, dir);
		break;
	case FLD_BATCH:
		s->train.batch_size =
			dir > 0 ? (s->train.batch_size < 4096 ? s->train.batch_size * 2 : 4096)
				: (s->train.batch_size > 1 ? s->train.batch_size / 2 : 1);
		break;
	case FLD_L2:
		s->train.l2 = step_real(l2_steps, COUNT_OF(l2_steps), s->train.l2, dir);
		break;
	case FLD_ALPHA:
		s->train.nb_alpha = step_real(alpha_steps, COUNT_OF(alpha_steps), s->train.nb_alpha,
					      dir);
		break;
	default:
		return false;
	}
	return true;
}

static bool parse_number(const char *text, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	while (*end == ' ')
		end++;
	if (end == text || *end || errno || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Enter on a setting: type its value. Returns false when nothing changed. */
static bool edit_field(struct lab_screen *ls, struct app *app, enum lab_field f)
{
	char buf[LAB_PATH_MAX];
	char *target = NULL;
	size_t target_size = 0;
	switch (f) {
	case FLD_FILE:
		target = ls->data_path, target_size = sizeof ls->data_path;
		break;
	case FLD_TEST_FILE:
		target = ls->test_path, target_size = sizeof ls->test_path;
		break;
	case FLD_TEXT_COL:
		target = ls->text_col, target_size = sizeof ls->text_col;
		break;
	case FLD_LABEL_COL:
		target = ls->label_col, target_size = sizeof ls->label_col;
		break;
	case FLD_MODEL_PATH:
		target = ls->model_path, target_size = sizeof ls->model_path;
		break;
	default:
		break;
	}
	if (target) {
		snprintf(buf, sizeof buf, "%s", target);
		const char *hint = f == FLD_TEST_FILE ? "Path (empty: split the data):"
				   : f == FLD_TEXT_COL || f == FLD_LABEL_COL
					   ? "Name or number (empty: detect):"
					   : "Path:";
		if (!ui_prompt(lab_field_label(f), hint, buf, sizeof buf))
			return false;
		snprintf(target, target_size, "%s", str_trim(buf));
		return true;
	}
	char value[64];
	lab_field_value(ls, f, value, sizeof value);
	snprintf(buf, sizeof buf, "%s", value);
	if (!ui_prompt(lab_field_label(f), "Value:", buf, sizeof buf))
		return false;
	double v;
	struct lab_settings *s = &ls->s;
	bool ok = true;
	switch (f) {
	case FLD_BALANCED:
		ok = parse_number(buf, 0, 1e8, &v) && v == floor(v);
		if (ok)
			s->balanced = (size_t)v;
		break;
	case FLD_TEST_SPLIT:
	case FLD_VAL_SPLIT:
		/* "20%" or "0.2" */
		if (strchr(buf, '%'))
			*strchr(buf, '%') = '\0';
		ok = parse_number(buf, 0, 95, &v);
		if (ok) {
			v = v >= 1 ? v / 100 : v;
			*(f == FLD_TEST_SPLIT ? &s->test_split : &s->val_split) = v;
		}
		break;
	case FLD_SEED:
		ok = parse_number(buf, 0, 1e15, &v) && v == floor(v);
		if (ok)
			s->train.seed = (uint64_t)v;
		break;
	case FLD_MIN_DF:
		ok = parse_number(buf, 1, 1e6, &v) && v == floor(v);
		if (ok)
			s->tok.min_df = (size_t)v;
		break;
	case FLD_MAX_VOCAB:
		ok = parse_number(buf, 0, 1e8, &v) && v == floor(v);
		if (ok)
			s->tok.max_vocab = (size_t)v;
		break;
	case FLD_EPOCHS:
		ok = parse_number(buf, 1, 10000, &v) && v == floor(v);
		if (ok)
			s->train.epochs = (int)v;
		break;
	case FLD_LR:
		ok = parse_number(buf, 1e-9, 1000, &v);
		if (ok)
			s->train.learning_rate = v;
		break;
	case FLD_BATCH:
		ok = parse_number(buf, 1, 1e6, &v) && v == floor(v);
		if (ok)
			s->train.batch_size = (size_t)v;
		break;
	case FLD_L2:
		ok = parse_number(buf, 0, 100, &v);
		if (ok)
			s->train.l2 = v;
		break;
	case FLD_ALPHA:
		ok = parse_number(buf, 1e-9, 1000, &v);
		if (ok)
			s->train.nb_alpha = v;
		break;
	default:
		/* Choices and switches change with the arrow keys. */
		return adjust_field(ls, f, 1);
	}
	if (!ok) {
		screen_flash(app->screens, "'%s' is not a valid %s.", buf, lab_field_label(f));
		return false;
	}
	return true;
}

static void field_changed(struct lab_screen *ls, enum lab_field f)
{
	int cell = field_cell(f);
	if (cell != CELL_SAVE)
		mark_stale_from(ls, cell);
}

/* ---- saving and loading ---- */

static void save_model(struct lab_screen *ls, struct app *app)
{
	run_cell(ls, app, CELL_SAVE);
	if (!ls->have_run || !ls->run.trained)
		return;
	bool replace;
	if (!ui_may_write(ls->model_path, &replace))
		return;
	char err[LAB_PATH_MAX + 200];
	if (lab_save(&ls->run, ls->model_path, replace, err, sizeof err) != 0) {
		fail_cell(ls, CELL_SAVE, err);
		return;
	}
	ls->status[CELL_SAVE] = CELL_DONE;
	ls->error[CELL_SAVE][0] = '\0';
	snprintf(ls->save_note, sizeof ls->save_note, "Saved %s", ls->model_path);
	screen_flash(app->screens, "Model saved.");
}

static void load_model(struct lab_screen *ls, struct app *app)
{
	char buf[LAB_PATH_MAX];
	snprintf(buf, sizeof buf, "%s", ls->model_path);
	if (!ui_prompt("Load a model", "Model file:", buf, sizeof buf))
		return;
	struct text_model m;
	char err[LAB_PATH_MAX + 200];
	if (model_load(str_trim(buf), &m, err, sizeof err) != 0) {
		fail_cell(ls, CELL_SAVE, err);
		return;
	}
	struct tokenizer *t = tokenizer_new(&m.tok, err, sizeof err);
	if (!t) {
		text_model_free(&m);
		fail_cell(ls, CELL_SAVE, err);
		return;
	}
	if (ls->use_loaded) {
		text_model_free(&ls->loaded_model);
		tokenizer_free(ls->loaded_tok);
	}
	ls->loaded_model = m;
	ls->loaded_tok = t;
	ls->use_loaded = true;
	ls->status[CELL_SAVE] = CELL_DONE;
	ls->error[CELL_SAVE][0] = '\0';
	snprintf(ls->save_note, sizeof ls->save_note, "Loaded %s", str_trim(buf));
	screen_flash(app->screens, "Model loaded: spot checks in cell 8 use it.");
}

/* ---- keys ---- */

static bool typing_cell(int cell)
{
	return cell == CELL_TOKENIZE || cell == CELL_FEATURES || cell == CELL_EXPLAIN;
}

static void move_threshold(struct lab_screen *ls, double delta)
{
	double t = clamp(round((ls->s.threshold + delta) * 100) / 100, 0, 1);
	ls->s.threshold = t;
	if (ls->have_run && ls->run.trained)
		lab_set_threshold(&ls->run, t);
}

static enum screen_action lab_key(void *self, struct app *app, int key)
{
	struct lab_screen *ls = self;
	if (ls->typing) {
		if (key == UI_KEY_ESC || ui_key_is_enter(key) || key == '\t')
			ls->typing = false;
		else
			ui_field_key(&ls->sentence, key);
		return SCREEN_HANDLED;
	}
	const enum lab_field *fields;
	size_t nfields = lab_cell_fields(ls, ls->cell, &fields);
	if (key >= '1' && key <= '9') {
		ls->cell = key - '1';
		ls->field = 0;
		return SCREEN_HANDLED;
	}
	switch (key) {
	case '0':
		ls->cell = CELL_EXPERIMENTS;
		ls->field = 0;
		return SCREEN_HANDLED;
	case '\t':
		ls->cell = (ls->cell + 1) % CELL_COUNT;
		ls->field = 0;
		return SCREEN_HANDLED;
	case KEY_BTAB:
		ls->cell = (ls->cell + CELL_COUNT - 1) % CELL_COUNT;
		ls->field = 0;
		return SCREEN_HANDLED;
	case 'r':
		if (ls->cell == CELL_SAVE)
			save_model(ls, app);
		else
			run_cell(ls, app, ls->cell);
		return SCREEN_HANDLED;
	case 's':
		if (ls->cell != CELL_SAVE)
			break;
		save_model(ls, app);
		return SCREEN_HANDLED;
	case 'o':
		if (ls->cell != CELL_SAVE)
			break;
		load_model(ls, app);
		return SCREEN_HANDLED;
	case 'i':
	case '/':
		if (!typing_cell(ls->cell))
			break;
		ls->typing = true;
		return SCREEN_HANDLED;
	case 'v':
		if (ls->cell != CELL_EVALUATE)
			break;
		ls->eval_view = (ls->eval_view + 1) % EVAL_VIEW_COUNT;
		return SCREEN_HANDLED;
	case ',':
	case '.':
		if (ls->cell != CELL_THRESHOLD)
			break;
		move_threshold(ls, key == ',' ? -0.01 : 0.01);
		return SCREEN_HANDLED;
	default:
		break;
	}
	if (ls->cell == CELL_THRESHOLD && (key == KEY_LEFT || key == 'h' || key == KEY_RIGHT ||
					   key == 'l')) {
		move_threshold(ls, key == KEY_LEFT || key == 'h' ? -0.05 : 0.05);
		return SCREEN_HANDLED;
	}
	if (ls->cell == CELL_EXPERIMENTS && ui_table_key(&ls->runs_table, key))
		return SCREEN_HANDLED;
	if (nfields) {
		if (key == 'j' || key == KEY_DOWN) {
			if (ls->field + 1 < nfields)
				ls->field++;
			return SCREEN_HANDLED;
		}
		if (key == 'k' || key == KEY_UP) {
			if (ls->field > 0)
				ls->field--;
			return SCREEN_HANDLED;
		}
		if (ls->field >= nfields)
			ls->field = nfields - 1;
		enum lab_field f = fields[ls->field];
		if (key == KEY_LEFT || key == 'h' || key == KEY_RIGHT || key == 'l') {
			if (adjust_field(ls, f, key == KEY_LEFT || key == 'h' ? -1 : 1))
				field_changed(ls, f);
			return SCREEN_HANDLED;
		}
		if (ui_key_is_enter(key)) {
			if (edit_field(ls, app, f))
				field_changed(ls, f);
			return SCREEN_HANDLED;
		}
	}
	return SCREEN_UNHANDLED;
}

static const char *const lab_keys[] = {"Tab", "next cell", "j/k", "setting", "h/l", "change",
				       "Enter", "type", "r", "run", "?", "help", NULL};
static const char *const typing_keys[] = {"Enter/Esc", "done typing", NULL};
static const char *const threshold_keys[] = {"h/l", "threshold -/+0.05", ",/.", "-/+0.01",
					     "Tab", "next cell", "?", "help", NULL};
static const char *const sentence_keys[] = {"i", "type a sentence", "Tab", "next cell", "r",
					    "run", "?", "help", NULL};
static const char *const evaluate_keys[] = {"v", "report/ROC/PR", "Tab", "next cell", "r",
					    "run", "?", "help", NULL};
static const char *const save_keys[] = {"s", "save", "o", "open a model", "Enter", "path",
					"Tab", "next cell", "?", "help", NULL};
static const char *const runs_keys[] = {"j/k", "select run", "Tab", "next cell", "r", "reload",
					"?", "help", NULL};

static const char *const *lab_mode_keys(void *self)
{
	struct lab_screen *ls = self;
	if (ls->typing)
		return typing_keys;
	switch (ls->cell) {
	case CELL_THRESHOLD:
		return threshold_keys;
	case CELL_EXPLAIN:
		return sentence_keys;
	case CELL_EVALUATE:
		return evaluate_keys;
	case CELL_SAVE:
		return save_keys;
	case CELL_EXPERIMENTS:
		return runs_keys;
	default:
		return typing_cell(ls->cell) ? sentence_keys : lab_keys;
	}
}

static const char *lab_context(void *self, struct app *app)
{
	struct lab_screen *ls = self;
	snprintf(ls->context, sizeof ls->context, "%s", app->signed_in ? app->learner.name : "");
	return ls->context;
}

static const char *const lab_help[] = {
	"Tab / S-Tab", "next / previous cell (or 1-9, 0 for cell 10)",
	"j / k", "choose a setting of the cell",
	"h / l, arrows", "change the setting (or move the threshold in cell 7)",
	"Enter", "type a setting's value (files, columns, numbers)",
	"r", "run the cell (and the cells above it that need to run)",
	"Esc", "while training: stop after the current epoch",
	"i or /", "type a sentence (cells 3, 4 and 8); Enter or Esc to finish",
	"v", "cell 6: switch between the report, the ROC curve and the PR curve",
	", / .", "cell 7: threshold down / up by 0.01",
	"s / o", "cell 9: save the model / open a model file",
	NULL,
};

const struct screen_ops lab_screen = {
	.title = "Model lab",
	.keys = lab_keys,
	.help_keys = lab_help,
	.help_text = "The course's live notebook, offline: load labelled reviews, take a small "
		     "balanced subset, split, tokenize, build features, train a logistic "
		     "regression while the loss falls, evaluate, move the threshold, spot-check "
		     "sentences, save the model, and compare your runs. A cell marked stale has "
		     "a setting above it that changed: run it again. Every training run is "
		     "logged under your name in cell 10.",
	.enter = lab_enter,
	.draw = lab_draw,
	.key = lab_key,
	.leave = lab_leave,
	.mode_keys = lab_mode_keys,
	.context = lab_context,
};
