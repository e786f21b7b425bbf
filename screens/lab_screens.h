/* The model lab screen's shared state: the course's live notebook as ten
 * cells on one screen (a rail of cells with their status on the left, the
 * focused cell on the right). lab.c holds the screen, its keys and the
 * running of cells; lab_cells.c draws each cell and explains its numbers
 * in the course's words.
 *
 * Everything a learner can set lives in one struct lab_setup, which
 * another screen (a lesson's Try-it block) fills before opening the lab
 * with lab_open_with. */
#ifndef AIPM_LAB_SCREENS_H
#define AIPM_LAB_SCREENS_H

#include "app.h"
#include "experiments.h"
#include "input.h"
#include "lab.h"
#include "table.h"

#include <stdbool.h>

enum lab_cell {
	CELL_DATA,
	CELL_SPLIT,
	CELL_TOKENIZE,
	CELL_FEATURES,
	CELL_TRAIN,
	CELL_EVALUATE,
	CELL_THRESHOLD,
	CELL_EXPLAIN,
	CELL_SAVE,
	CELL_EXPERIMENTS,
	CELL_COUNT
};

enum cell_status {
	CELL_NOT_RUN,
	CELL_DONE,
	CELL_STALE,   /* a setting above it changed since it ran */
	CELL_FAILED,
	CELL_RUNNING,
	CELL_CANCELLED,
};

/* The settings a learner can change, each in one cell. */
enum lab_field {
	FLD_FILE,
	FLD_TEST_FILE,
	FLD_TEXT_COL,
	FLD_LABEL_COL,
	FLD_BALANCED,
	FLD_TEST_SPLIT,
	FLD_VAL_SPLIT,
	FLD_SEED,
	FLD_NGRAMS,
	FLD_STOP_WORDS,
	FLD_STRIP_HTML,
	FLD_MIN_DF,
	FLD_MAX_VOCAB,
	FLD_FEATURES,
	FLD_MODEL,
	FLD_SOLVER,
	FLD_C,
	FLD_MAX_ITER,
	FLD_EPOCHS,
	FLD_LR,
	FLD_BATCH,
	FLD_PATIENCE,
	FLD_ALPHA,
	FLD_MODEL_PATH,
	FLD_COUNT
};

/* Views of the evaluation cell's lower half. */
enum eval_view {
	EVAL_REPORT,
	EVAL_ROC,
	EVAL_PR,
	EVAL_CALIBRATION,
	EVAL_LEARNING_CURVE,
	EVAL_VIEW_COUNT
};

#define LAB_PATH_MAX 1024
#define LAB_CURVE_POINTS 41

/* What the lab opens with: the files, the columns ("" detects), the
 * settings and the cell in focus. */
struct lab_setup {
	char data_path[LAB_PATH_MAX], test_path[LAB_PATH_MAX]; /* test "" : split */
	char text_col[64], label_col[64];
	struct lab_settings s; /* s.text_col and s.label_col follow the two above */
	int cell;	       /* enum lab_cell */
};
/* The shipped reviews, the engine's defaults (the balanced subset of
 * 1,000 per class, as `aipm train`), cell 1. */
void lab_setup_default(struct app *app, struct lab_setup *out);
/* Opens the lab set up so (copied); the learner presses r to run. */
void lab_open_with(struct app *app, const struct lab_setup *setup);

struct lab_screen {
	int cell;
	size_t field; /* selected row among the focused cell's settings */
	enum cell_status status[CELL_COUNT];
	char error[CELL_COUNT][LAB_PATH_MAX + 320]; /* why a cell failed */

	struct lab_setup set;
	char model_path[LAB_PATH_MAX];

	bool loaded; /* data (cell 1) */
	struct lab_data data;
	bool split;  /* cell 2 */
	bool have_run; /* run holds at least the tokens */
	struct lab_run run;

	/* The live training charts, one value per step (iteration or epoch). */
	double *train_loss, *val_loss, *train_acc, *val_acc;
	size_t steps_planned, steps_done;
	double grad_max; /* L-BFGS: the last step's largest gradient */
	double callback_seconds; /* drawing and pacing, left out of the logged time */
	bool cancel_requested;
	char run_uid[37]; /* the logged experiment of the run, "" when not logged */

	/* A model read from a file (cell 9); spot checks, evaluation and the
	 * threshold use it until the next training. */
	bool use_loaded;
	struct text_model loaded_model;
	struct tokenizer *loaded_tok;
	bool loaded_evaluated; /* loaded_eval holds it on the lab's test rows */
	struct lab_eval loaded_eval;
	char loaded_path[LAB_PATH_MAX];
	char saved_path[LAB_PATH_MAX]; /* where this run's model was saved, "" none */
	char save_note[LAB_PATH_MAX + 200];

	/* The learning curve of the evaluation cell, for the current run. */
	bool has_curve;
	struct lab_learning_curve curve;
	double curve_lr[LAB_CURVE_SIZES], curve_nb[LAB_CURVE_SIZES];

	struct ui_field sentence; /* cells 3, 4 and 8 */
	bool typing;

	enum eval_view eval_view;
	double roc_grid[LAB_CURVE_POINTS], pr_grid[LAB_CURVE_POINTS];

	struct experiment *runs;
	size_t nruns;
	size_t marked;	/* the run to compare (SIZE_MAX: none) */
	bool comparing; /* cell 10 shows marked and selected side by side */
	struct ui_table runs_table;
	struct ui_table matrix_table, report_table, terms_table;
	struct ui_column matrix_columns[3], calibration_columns[4];
	char matrix_titles[2][96];
	char context[160];
};

/* The settings rows of a cell (they depend on the model kind), and their
 * texts. */
size_t lab_cell_fields(const struct lab_screen *ls, int cell, const enum lab_field **out);
const char *lab_field_label(enum lab_field f);
void lab_field_value(const struct lab_screen *ls, enum lab_field f, char *buf, size_t size);

/* The model spot checks use (the last run's or a loaded one), or NULL. */
const struct text_model *lab_current_model(const struct lab_screen *ls, struct tokenizer **tok);
/* The evaluation the Evaluate and Threshold cells show: the loaded model's
 * on the lab's test rows, or the last run's; NULL when there is none. */
const struct lab_eval *lab_current_eval(const struct lab_screen *ls);

/* Draws the focused cell in the area right of the rail. */
void lab_draw_cell(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width);

extern const char *const lab_cell_names[CELL_COUNT];

#endif
