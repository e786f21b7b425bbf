/* The model lab: the course's live notebook (load, subset, split, tokenize,
 * features, train while the loss falls, evaluate, threshold, spot-check,
 * save, compare runs) as ten cells on one screen, on a laptop with no GPU
 * and no network. A rail on the left lists the cells with their status;
 * the focused cell fills the rest. Running a cell first runs the cells
 * above it that need it, because a notebook runs top to bottom (the live
 * demo's two hiccups were skipped cells). */
#include "lab_screens.h"

#include "chart.h"
#include "clock.h"
#include "ui.h"
#include "util.h"

#include <libgen.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A rail of cells this wide (narrower below 80 columns). */
#define RAIL_WIDTH 22
#define RAIL_WIDTH_NARROW 18
/* Each step (epoch or iteration) stays on screen this long at most, and
 * the whole run about TRAINING_SHOW_MS at most, so that the learner can
 * watch the loss fall even when a step takes a millisecond. */
#define EPOCH_SHOW_MS 60
#define TRAINING_SHOW_MS 2000

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
static const enum lab_field lbfgs_fields[] = {FLD_MODEL, FLD_SOLVER, FLD_C, FLD_MAX_ITER};
static const enum lab_field sgd_fields[] = {FLD_MODEL, FLD_SOLVER, FLD_C,	 FLD_EPOCHS,
					    FLD_LR,    FLD_BATCH,  FLD_PATIENCE};
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
		if (ls->set.s.train.kind == MODEL_NB)
			return FIELDS(nb_fields);
		if (ls->set.s.train.solver == SOLVER_SGD)
			return FIELDS(sgd_fields);
		return FIELDS(lbfgs_fields);
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
		[FLD_SOLVER] = "solver",
		[FLD_C] = "regularization C",
		[FLD_MAX_ITER] = "max. iterations",
		[FLD_EPOCHS] = "epochs",
		[FLD_LR] = "learning rate",
		[FLD_BATCH] = "batch size",
		[FLD_PATIENCE] = "patience",
		[FLD_ALPHA] = "smoothing alpha",
		[FLD_MODEL_PATH] = "model file",
	};
	return labels[f];
}

void lab_field_value(const struct lab_screen *ls, enum lab_field f, char *buf, size_t size)
{
	const struct lab_settings *s = &ls->set.s;
	switch (f) {
	case FLD_FILE:
		snprintf(buf, size, "%s", ls->set.data_path);
		break;
	case FLD_TEST_FILE:
		snprintf(buf, size, "%s",
			 ls->set.test_path[0] ? ls->set.test_path : "none (split the data)");
		break;
	case FLD_TEXT_COL:
		snprintf(buf, size, "%s", ls->set.text_col[0] ? ls->set.text_col : "detect");
		break;
	case FLD_LABEL_COL:
		snprintf(buf, size, "%s", ls->set.label_col[0] ? ls->set.label_col : "detect");
		break;
	case FLD_BALANCED:
		if (s->balanced)
			snprintf(buf, size, "%zu per class", s->balanced);
		else
			snprintf(buf, size, "off (every row)");
		break;
	case FLD_TEST_SPLIT:
		if (ls->set.test_path[0])
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
	case FLD_SOLVER:
		snprintf(buf, size, "%s",
			 s->train.solver == SOLVER_LBFGS ? "L-BFGS (to convergence)"
							 : "mini-batch SGD (epochs)");
		break;
	case FLD_C:
		snprintf(buf, size, "%g", s->train.C);
		break;
	case FLD_MAX_ITER:
		snprintf(buf, size, "%d", s->train.max_iter);
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
	case FLD_PATIENCE:
		if (s->train.patience)
			snprintf(buf, size, "%d epochs (early stopping)", s->train.patience);
		else
			snprintf(buf, size, "off (every epoch runs)");
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

const struct lab_eval *lab_current_eval(const struct lab_screen *ls)
{
	if (ls->use_loaded)
		return ls->loaded_evaluated ? &ls->loaded_eval : NULL;
	return ls->have_run && ls->run.trained ? &ls->run.eval : NULL;
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
		char num[24], model[64], thr[32], acc[32], auc[32];
		snprintf(num, sizeof num, "%s%zu", i == ls->marked ? "A " : "", i + 1);
		experiment_model_text(e, model, sizeof model);
		/* A threshold moved after training is marked. */
		snprintf(thr, sizeof thr, "%.2f%s", e->threshold,
			 isfinite(e->trained_threshold) &&
					 fabs(e->threshold - e->trained_threshold) > 1e-9
				 ? "*"
				 : "");
		snprintf(acc, sizeof acc, "%.3f", e->accuracy);
		if (isfinite(e->auc))
			snprintf(auc, sizeof auc, "%.3f", e->auc);
		else
			snprintf(auc, sizeof auc, "-");
		const char *cells[] = {num, model, thr, acc, auc, i == best ? "best" : ""};
		ui_table_add_row(&ls->runs_table, cells);
	}
	if (ls->nruns)
		ls->runs_table.selected = ls->nruns - 1;
	if (ls->marked >= ls->nruns)
		ls->marked = SIZE_MAX;
	ls->status[CELL_EXPERIMENTS] = ls->nruns ? CELL_DONE : CELL_NOT_RUN;
}

static void drop_curve(struct lab_screen *ls)
{
	ls->has_curve = false;
}

static void drop_run(struct lab_screen *ls)
{
	if (ls->have_run)
		lab_run_free(&ls->run);
	ls->have_run = false;
	ls->run_uid[0] = ls->saved_path[0] = '\0';
	drop_curve(ls);
}

/* The loaded model's evaluation on the lab's test rows, which a new split
 * makes stale. */
static void drop_loaded_eval(struct lab_screen *ls)
{
	if (ls->loaded_evaluated)
		lab_eval_free(&ls->loaded_eval);
	ls->loaded_evaluated = false;
}

static void drop_loaded(struct lab_screen *ls)
{
	drop_loaded_eval(ls);
	if (ls->use_loaded) {
		text_model_free(&ls->loaded_model);
		tokenizer_free(ls->loaded_tok);
	}
	ls->loaded_tok = NULL;
	ls->use_loaded = false;
	ls->loaded_path[0] = '\0';
}

void lab_setup_default(struct app *app, struct lab_setup *out)
{
	memset(out, 0, sizeof *out);
	lab_settings_default(&out->s);
	snprintf(out->data_path, sizeof out->data_path, "%s/datasets/reviews.csv",
		 app->content_dir);
	out->cell = CELL_DATA;
}

void lab_open_with(struct app *app, const struct lab_setup *setup)
{
	screen_push(app->screens, &lab_screen, (void *)setup);
}

static void *lab_enter(struct app *app, void *arg)
{
	struct lab_screen *ls = xcalloc(1, sizeof *ls);
	if (arg)
		ls->set = *(const struct lab_setup *)arg;
	else
		lab_setup_default(app, &ls->set);
	if (ls->set.cell < 0 || ls->set.cell >= CELL_COUNT)
		ls->set.cell = CELL_DATA;
	ls->cell = ls->set.cell;
	ls->marked = SIZE_MAX;
	char *db = xstrdup(store_path(app->store));
	snprintf(ls->model_path, sizeof ls->model_path, "%s/lab-model.aipm", dirname(db));
	free(db);
	ui_field_init(&ls->sentence, "This film is not a masterpiece.", 2000);
	static const struct ui_column runs_columns[] = {
		{"run", UI_ALIGN_RIGHT, 3, 4},	{"model", UI_ALIGN_LEFT, 12, 18},
		{"thr.", UI_ALIGN_RIGHT, 5, 5}, {"acc.", UI_ALIGN_RIGHT, 5, 5},
		{"AUC", UI_ALIGN_RIGHT, 5, 5},	{"", UI_ALIGN_LEFT, 4, 4},
	};
	ui_table_init(&ls->runs_table, runs_columns, sizeof runs_columns / sizeof runs_columns[0]);
	ls->runs_table.selectable = true;
	reload_runs(ls, app);
	return ls;
}

static void lab_leave(void *self, struct app *app)
{
	(void)app;
	struct lab_screen *ls = self;
	drop_run(ls);
	drop_loaded(ls);
	if (ls->loaded)
		lab_data_free(&ls->data);
	free(ls->train_loss);
	free(ls->val_loss);
	free(ls->train_acc);
	free(ls->val_acc);
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
	const struct lab_eval *e = lab_current_eval(ls);
	if (e && row + 1 < y + rows) {
		snprintf(line, sizeof line, "accuracy %.3f", e->report.accuracy);
		ui_put(w, row++, 1, width - 1, line, ui_attr(UI_DIM));
		snprintf(line, sizeof line, "threshold %.2f%s", e->threshold,
			 fabs(e->threshold - ls->set.s.threshold) > 1e-9 ? " moved" : "");
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
	ls->set.s.text_col = ls->set.text_col[0] ? ls->set.text_col : NULL;
	ls->set.s.label_col = ls->set.label_col[0] ? ls->set.label_col : NULL;
}

static bool run_data(struct lab_screen *ls)
{
	drop_run(ls);
	drop_loaded_eval(ls);
	if (ls->loaded)
		lab_data_free(&ls->data);
	ls->loaded = ls->split = false;
	apply_columns(ls);
	char err[512];
	if (lab_data_load(&ls->data, ls->set.data_path, ls->set.test_path[0] ? ls->set.test_path : NULL, &ls->set.s,
			  err, sizeof err) != 0) {
		fail_cell(ls, CELL_DATA, err);
		return false;
	}
	ls->loaded = true;
	lab_data_subset(&ls->data, &ls->set.s);
	return true;
}

static bool run_split(struct lab_screen *ls)
{
	drop_run(ls);
	drop_loaded_eval(ls);
	ls->split = false;
	char err[512];
	double test_split = ls->set.s.test_split;
	if (ls->set.test_path[0])
		ls->set.s.test_split = 0;
	int rc = lab_data_split(&ls->data, &ls->set.s, err, sizeof err);
	ls->set.s.test_split = test_split;
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
	if (lab_tokenize(&ls->data, &ls->set.s, &ls->run, err, sizeof err) != 0) {
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

static void draw_now(struct lab_screen *ls, struct app *app, const char *const *keys)
{
	werase(stdscr);
	ui_title_bar(stdscr, "Model lab", ls->context);
	lab_draw(ls, app, stdscr, 1, LINES - 2, COLS);
	ui_status_bar(stdscr, keys, NULL);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Whether Esc (or a stop signal) came; other keys wait for later. */
static bool stop_pressed(void)
{
	nodelay(stdscr, TRUE);
	int key = wgetch(stdscr);
	nodelay(stdscr, FALSE);
	if (key == UI_KEY_ESC || ui_stop_requested())
		return true;
	if (key != ERR)
		ungetch(key);
	return false;
}

/* After every step: record the curves, redraw, pace, and look for Esc. */
static bool on_step(const struct train_step *e, void *data)
{
	struct live *live = data;
	struct lab_screen *ls = live->ls;
	double t0 = clock_monotonic();
	size_t i = (size_t)e->step - 1;
	if (i < ls->steps_planned) {
		ls->train_loss[i] = e->train_loss;
		ls->val_loss[i] = e->has_val ? e->val_loss : NAN;
		ls->train_acc[i] = e->train_accuracy;
		ls->val_acc[i] = e->has_val ? e->val_accuracy : NAN;
		ls->grad_max = e->grad_max;
		ls->steps_done = i + 1;
	}
	draw_now(ls, live->app, training_keys);
	int show = TRAINING_SHOW_MS / (int)(ls->steps_planned ? ls->steps_planned : 1);
	int wait = (show < EPOCH_SHOW_MS ? show : EPOCH_SHOW_MS) - (int)((t0 - live->last) * 1000);
	if (wait > 0)
		napms(wait);
	if (stop_pressed())
		ls->cancel_requested = true;
	live->last = clock_monotonic();
	ls->callback_seconds += live->last - t0;
	return !ls->cancel_requested;
}

static void reset_curves(struct lab_screen *ls, size_t steps)
{
	double **arrays[] = {&ls->train_loss, &ls->val_loss, &ls->train_acc, &ls->val_acc};
	for (int k = 0; k < 4; k++) {
		free(*arrays[k]);
		*arrays[k] = xmalloc((steps + 1) * sizeof **arrays[k]);
		for (size_t i = 0; i < steps; i++)
			(*arrays[k])[i] = NAN;
	}
	ls->steps_planned = steps;
	ls->steps_done = 0;
	ls->grad_max = NAN;
}

static bool run_train(struct lab_screen *ls, struct app *app)
{
	char err[512];
	const struct train_options *t = &ls->set.s.train;
	reset_curves(ls, t->kind == MODEL_NB	       ? 1
			 : t->solver == SOLVER_LBFGS ? (size_t)t->max_iter
						     : (size_t)t->epochs);
	ls->callback_seconds = 0;
	ls->cancel_requested = false;
	ls->status[CELL_TRAIN] = CELL_RUNNING;
	struct live live = {ls, app, clock_monotonic()};
	if (lab_fit(&ls->run, &ls->set.s, on_step, &live, err, sizeof err) != 0) {
		fail_cell(ls, CELL_TRAIN, err);
		return false;
	}
	drop_loaded(ls);
	drop_curve(ls);
	ls->saved_path[0] = '\0';
	/* Logged time: the work, not the drawing and pacing between steps. */
	double seconds = ls->run.seconds.tokenize + ls->run.seconds.features +
			 ls->run.seconds.train + ls->run.seconds.evaluate - ls->callback_seconds;
	struct experiment logged;
	ls->run_uid[0] = '\0';
	if (!app->signed_in ||
	    experiment_log(app->store, app->learner.id, &ls->data, &ls->set.s, &ls->run,
			   seconds < 0 ? 0 : seconds, &logged) != STORE_OK) {
		screen_flash(app->screens, "This run could not be logged: %s",
			     app->signed_in ? store_errmsg(app->store) : "nobody is signed in");
	} else {
		snprintf(ls->run_uid, sizeof ls->run_uid, "%s", logged.uid);
		experiment_free(&logged);
	}
	reload_runs(ls, app);
	if (ls->run.train.stop == TRAIN_CANCELLED) {
		ls->status[CELL_TRAIN] = CELL_CANCELLED;
		snprintf(ls->error[CELL_TRAIN], sizeof ls->error[CELL_TRAIN],
			 "stopped after %s %zu of %zu",
			 t->solver == SOLVER_LBFGS ? "iteration" : "epoch", ls->run.train.nsteps,
			 ls->steps_planned);
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
		lab_features(&ls->run, &ls->set.s);
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

/* A loaded model evaluated on the lab's test rows (the data and split of
 * cells 1-2). */
static bool evaluate_loaded(struct lab_screen *ls)
{
	drop_loaded_eval(ls);
	char err[LAB_PATH_MAX + 320];
	if (lab_evaluate_model(&ls->data, &ls->loaded_model, ls->loaded_tok, &ls->loaded_eval, err,
			       sizeof err) != 0) {
		fail_cell(ls, CELL_EVALUATE, err);
		return false;
	}
	ls->loaded_evaluated = true;
	ls->status[CELL_EVALUATE] = ls->status[CELL_THRESHOLD] = CELL_DONE;
	return true;
}

/* Whether a cell evaluates the loaded model (which needs no training). */
static bool on_loaded_model(const struct lab_screen *ls, int cell)
{
	return ls->use_loaded && (cell == CELL_EVALUATE || cell == CELL_THRESHOLD);
}

/* Cells a cell needs before it can run. */
static int needs_up_to(const struct lab_screen *ls, int cell)
{
	if (on_loaded_model(ls, cell))
		return CELL_SPLIT;
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
	for (int c = 0; c <= needs_up_to(ls, cell); c++) {
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
	if (on_loaded_model(ls, cell) && !ls->loaded_evaluated && !evaluate_loaded(ls))
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
static const double c_steps[] = {0.01, 0.1, 0.3, 1, 3, 10, 100, 1000};
static const size_t iter_steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
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
	struct lab_settings *s = &ls->set.s;
	switch (f) {
	case FLD_BALANCED:
		s->balanced = step_size(balanced_steps, COUNT_OF(balanced_steps), s->balanced, dir);
		break;
	case FLD_TEST_SPLIT:
		if (ls->set.test_path[0])
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
	case FLD_SOLVER:
		s->train.solver = s->train.solver == SOLVER_LBFGS ? SOLVER_SGD : SOLVER_LBFGS;
		break;
	case FLD_C:
		s->train.C = step_real(c_steps, COUNT_OF(c_steps), s->train.C, dir);
		break;
	case FLD_MAX_ITER:
		s->train.max_iter = (int)step_size(iter_steps, COUNT_OF(iter_steps),
						   (size_t)s->train.max_iter, dir);
		break;
	case FLD_PATIENCE:
		s->train.patience = (int)clamp(s->train.patience + dir, 0, 50);
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
	case FLD_ALPHA:
		s->train.nb_alpha = step_real(alpha_steps, COUNT_OF(alpha_steps), s->train.nb_alpha,
					      dir);
		break;
	default:
		return false;
	}
	return true;
}

/* The engine's number setting behind a field; NULL for paths, choices
 * and switches. */
static const struct lab_number_setting *number_of_field(enum lab_field f)
{
	static const char *const options[FLD_COUNT] = {
	    [FLD_BALANCED] = "--balanced", [FLD_TEST_SPLIT] = "--test-split",
	    [FLD_VAL_SPLIT] = "--val-split", [FLD_SEED] = "--seed",
	    [FLD_MIN_DF] = "--min-df",	     [FLD_MAX_VOCAB] = "--max-vocab",
	    [FLD_C] = "--C",		     [FLD_MAX_ITER] = "--max-iter",
	    [FLD_EPOCHS] = "--epochs",	     [FLD_LR] = "--lr",
	    [FLD_BATCH] = "--batch",	     [FLD_PATIENCE] = "--patience",
	    [FLD_ALPHA] = "--alpha",
	};
	return options[f] ? lab_number_setting(options[f]) : NULL;
}

/* Enter on a setting: type its value. Returns false when nothing changed. */
#define MEMBER_SIZE(type, member) sizeof(((type *)0)->member)
#define TEXT_AT(member) offsetof(struct lab_screen, member), MEMBER_SIZE(struct lab_screen, member)

/* The settings typed as text: where each is kept, and the prompt's hint. */
static const struct text_field {
	enum lab_field field;
	size_t offset, size;
	const char *hint;
} text_fields[] = {
    {FLD_FILE, TEXT_AT(set.data_path), "Path:"},
    {FLD_TEST_FILE, TEXT_AT(set.test_path), "Path (empty: split the data):"},
    {FLD_TEXT_COL, TEXT_AT(set.text_col), "Name or number (empty: detect):"},
    {FLD_LABEL_COL, TEXT_AT(set.label_col), "Name or number (empty: detect):"},
    {FLD_MODEL_PATH, TEXT_AT(model_path), "Path:"},
};

static bool edit_field(struct lab_screen *ls, struct app *app, enum lab_field f)
{
	char buf[LAB_PATH_MAX];
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		const struct text_field *t = &text_fields[i];
		if (t->field != f)
			continue;
		char *target = (char *)ls + t->offset;
		snprintf(buf, sizeof buf, "%s", target);
		if (!ui_prompt(lab_field_label(f), t->hint, buf, sizeof buf))
			return false;
		snprintf(target, t->size, "%s", str_trim(buf));
		return true;
	}
	const struct lab_number_setting *n = number_of_field(f);
	if (!n)
		/* Choices and switches change with the arrow keys. */
		return adjust_field(ls, f, 1);
	/* The prompt starts from the bare number (the shown value has words
	 * around some), a split as the percentage shown. */
	bool percent = f == FLD_TEST_SPLIT || f == FLD_VAL_SPLIT;
	struct lab_settings *s = &ls->set.s;
	if (percent)
		lab_field_value(ls, f, buf, sizeof buf);
	else
		lab_number_format(s, n, buf, sizeof buf);
	if (!ui_prompt(lab_field_label(f), "Value:", buf, sizeof buf))
		return false;
	char typed[LAB_PATH_MAX];
	snprintf(typed, sizeof typed, "%s", buf);
	if (percent) {
		/* "20%", "20" or "0.2" */
		char *sign = strchr(buf, '%');
		if (sign)
			*sign = '\0';
		char *end;
		double v = strtod(buf, &end);
		if (end != buf && v >= 1)
			snprintf(buf, sizeof buf, "%.17g", v / 100);
	}
	if (lab_number_set(s, n, buf) != 0) {
		screen_flash(app->screens, "'%s' is not a valid %s.", typed, lab_field_label(f));
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
	snprintf(ls->saved_path, sizeof ls->saved_path, "%s", ls->model_path);
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
	drop_loaded(ls);
	ls->loaded_model = m;
	ls->loaded_tok = t;
	ls->use_loaded = true;
	snprintf(ls->loaded_path, sizeof ls->loaded_path, "%s", str_trim(buf));
	ls->status[CELL_SAVE] = CELL_DONE;
	ls->error[CELL_SAVE][0] = '\0';
	snprintf(ls->save_note, sizeof ls->save_note, "Loaded %s", ls->loaded_path);
	/* Evaluate and Threshold now show this model: on the lab's test rows
	 * when the data is split, else once r runs cells 1-2. */
	ls->status[CELL_EVALUATE] = ls->status[CELL_THRESHOLD] = CELL_NOT_RUN;
	ls->error[CELL_EVALUATE][0] = '\0';
	if (ls->split && ls->status[CELL_SPLIT] == CELL_DONE)
		evaluate_loaded(ls);
	screen_flash(app->screens, "Model loaded: cells 6-8 use it%s.",
		     ls->loaded_evaluated ? ", evaluated on the lab's test rows" : "");
}

/* ---- the learning curve and comparing runs ---- */

struct curve_live {
	struct lab_screen *ls;
	struct app *app;
};

static const char *const curve_keys[] = {"Esc", "stop", NULL};

static bool on_curve_model(size_t done, size_t total, void *data)
{
	struct curve_live *live = data;
	struct lab_screen *ls = live->ls;
	snprintf(ls->error[CELL_EVALUATE], sizeof ls->error[CELL_EVALUATE],
		 "learning curve: %zu of %zu models trained", done, total);
	draw_now(ls, live->app, curve_keys);
	return !stop_pressed();
}

/* The current run's learning curve (LR and NB at growing training sets),
 * drawn in the evaluation cell. */
static void compute_curve(struct lab_screen *ls, struct app *app)
{
	if (!ls->split || !ls->have_run || !ls->run.trained)
		return;
	struct curve_live live = {ls, app};
	char err[512];
	struct lab_learning_curve c;
	int rc = lab_learning_curve(&ls->data, &ls->set.s, on_curve_model, &live, &c, err,
				    sizeof err);
	ls->error[CELL_EVALUATE][0] = '\0';
	if (rc != 0) {
		screen_flash(app->screens, "The learning curve failed: %s", err);
		return;
	}
	ls->curve = c;
	for (size_t i = 0; i < c.n; i++) {
		ls->curve_lr[i] = c.points[i].accuracy[MODEL_LOGREG];
		ls->curve_nb[i] = c.points[i].accuracy[MODEL_NB];
	}
	ls->has_curve = true;
}

static void mark_run(struct lab_screen *ls, struct app *app)
{
	size_t sel = ui_table_selected(&ls->runs_table);
	ls->marked = ls->marked == sel ? SIZE_MAX : sel;
	reload_runs(ls, app);
	ls->runs_table.selected = sel;
	if (ls->marked != SIZE_MAX)
		screen_flash(app->screens, "Run %zu marked: select another and press c to compare.",
			     sel + 1);
}

static void toggle_compare(struct lab_screen *ls, struct app *app)
{
	if (ls->comparing) {
		ls->comparing = false;
		return;
	}
	size_t sel = ui_table_selected(&ls->runs_table);
	if (ls->marked == SIZE_MAX || sel >= ls->nruns || sel == ls->marked) {
		screen_flash(app->screens, "Mark a run with Space, select another, then press c.");
		return;
	}
	ls->comparing = true;
}

/* ---- keys ---- */

static bool typing_cell(int cell)
{
	return cell == CELL_TOKENIZE || cell == CELL_FEATURES || cell == CELL_EXPLAIN;
}

/* Moves the threshold of the model in use, not the setting a new run
 * starts from; a logged run records where its threshold now is. */
static void move_threshold(struct lab_screen *ls, struct app *app, double delta)
{
	const struct lab_eval *e = lab_current_eval(ls);
	if (!e)
		return;
	double t = clamp(round((e->threshold + delta) * 100) / 100, 0, 1);
	if (ls->use_loaded) {
		ls->loaded_model.threshold = t;
		lab_eval_set_threshold(&ls->loaded_eval, t);
		return;
	}
	lab_set_threshold(&ls->run, t);
	if (ls->run_uid[0] && app->signed_in &&
	    experiment_set_threshold(app->store, ls->run_uid, t, ls->run.eval.report.accuracy,
				     ls->run.eval.report.macro.f1) == STORE_OK)
		reload_runs(ls, app);
}

/* The keys of one cell beyond the notebook's own (cells, r, settings):
 * whether the key was the cell's. One function per cell that has any,
 * indexed by the cell, as each screen's keys are in screen_ops. */
typedef bool (*cell_key_fn)(struct lab_screen *ls, struct app *app, int key);

/* The cells that read a typed sentence: i or / starts typing it. */
static bool sentence_key(struct lab_screen *ls, struct app *app, int key)
{
	(void)app;
	if (key != 'i' && key != '/')
		return false;
	ls->typing = true;
	return true;
}

static bool evaluate_key(struct lab_screen *ls, struct app *app, int key)
{
	if (key != 'v')
		return false;
	ls->eval_view = (ls->eval_view + 1) % EVAL_VIEW_COUNT;
	if (ls->eval_view == EVAL_LEARNING_CURVE && !ls->has_curve)
		compute_curve(ls, app);
	return true;
}

static bool threshold_key(struct lab_screen *ls, struct app *app, int key)
{
	if (key == ',' || key == '.')
		move_threshold(ls, app, key == ',' ? -0.01 : 0.01);
	else if (key == KEY_LEFT || key == 'h' || key == KEY_RIGHT || key == 'l')
		move_threshold(ls, app, key == KEY_LEFT || key == 'h' ? -0.05 : 0.05);
	else
		return false;
	return true;
}

static bool save_key(struct lab_screen *ls, struct app *app, int key)
{
	if (key == 's')
		save_model(ls, app);
	else if (key == 'o')
		load_model(ls, app);
	else
		return false;
	return true;
}

static bool experiments_key(struct lab_screen *ls, struct app *app, int key)
{
	if (key == ' ' && ls->nruns && !ls->comparing)
		mark_run(ls, app);
	else if (key == 'c')
		toggle_compare(ls, app);
	else if (key == UI_KEY_ESC && ls->comparing)
		ls->comparing = false;
	else
		return !ls->comparing && ui_table_key(&ls->runs_table, key);
	return true;
}

static const cell_key_fn cell_keys[CELL_COUNT] = {
    [CELL_TOKENIZE] = sentence_key, [CELL_FEATURES] = sentence_key,
    [CELL_EVALUATE] = evaluate_key, [CELL_THRESHOLD] = threshold_key,
    [CELL_EXPLAIN] = sentence_key,  [CELL_SAVE] = save_key,
    [CELL_EXPERIMENTS] = experiments_key,
};

static void focus_cell(struct lab_screen *ls, int cell)
{
	ls->cell = cell;
	ls->field = 0;
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
	if (key >= '1' && key <= '9') {
		focus_cell(ls, key - '1');
		return SCREEN_HANDLED;
	}
	switch (key) {
	case '0':
		focus_cell(ls, CELL_EXPERIMENTS);
		return SCREEN_HANDLED;
	case '\t':
		focus_cell(ls, (ls->cell + 1) % CELL_COUNT);
		return SCREEN_HANDLED;
	case KEY_BTAB:
		focus_cell(ls, (ls->cell + CELL_COUNT - 1) % CELL_COUNT);
		return SCREEN_HANDLED;
	case 'r':
		if (ls->cell == CELL_SAVE)
			save_model(ls, app);
		else
			run_cell(ls, app, ls->cell);
		return SCREEN_HANDLED;
	default:
		break;
	}
	if (cell_keys[ls->cell] && cell_keys[ls->cell](ls, app, key))
		return SCREEN_HANDLED;
	const enum lab_field *fields;
	size_t nfields = lab_cell_fields(ls, ls->cell, &fields);
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
static const char *const evaluate_keys[] = {"v", "next view", "Tab", "next cell", "r", "run",
					    "?", "help", NULL};
static const char *const save_keys[] = {"s", "save", "o", "open a model", "Enter", "path",
					"Tab", "next cell", "?", "help", NULL};
static const char *const runs_keys[] = {"j/k", "select run", "Space", "mark", "c", "compare",
					"Tab", "next cell", "?", "help", NULL};
static const char *const compare_keys[] = {"c/Esc", "back to the runs", "Tab", "next cell", "?",
					   "help", NULL};

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
		return ls->comparing ? compare_keys : runs_keys;
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
	"Esc", "while training: stop after the current iteration or epoch",
	"i or /", "type a sentence (cells 3, 4 and 8); Enter or Esc to finish",
	"v", "cell 6: the report, ROC, PR, calibration and learning curve in turn",
	", / .", "cell 7: threshold down / up by 0.01 (of this run only)",
	"s / o", "cell 9: save the model / open a model file",
	"Space / c", "cell 10: mark a run / compare it with the selected one",
	NULL,
};

const struct screen_ops lab_screen = {
	.title = "Model lab",
	.keys = lab_keys,
	.help_keys = lab_help,
	.help_text = "The course's live notebook, offline: load labelled reviews, take a small "
		     "balanced subset, split, tokenize, build features, train a logistic "
		     "regression while the loss falls (L-BFGS to convergence, as scikit-learn, "
		     "or mini-batch SGD by epochs), evaluate (with calibration and a learning "
		     "curve), move the threshold, spot-check sentences, save the model, and "
		     "compare your runs. A cell marked stale has a setting above it that "
		     "changed: run it again. Every training run is logged under your name in "
		     "cell 10, the best by AUC; a new run starts at threshold 0.5.",
	.enter = lab_enter,
	.draw = lab_draw,
	.key = lab_key,
	.leave = lab_leave,
	.mode_keys = lab_mode_keys,
	.context = lab_context,
};
