/* The model lab screen's shared state: the course's live notebook as ten
 * cells on one screen (a rail of cells with their status on the left, the
 * focused cell on the right). lab.c holds the screen, its keys and the
 * running of cells; lab_cells.c draws each cell and explains its numbers
 * in the course's words. */
#ifndef AIPM_SCREENS_LAB_H
#define AIPM_SCREENS_LAB_H

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
	FLD_EPOCHS,
	FLD_LR,
	FLD_BATCH,
	FLD_L2,
	FLD_ALPHA,
	FLD_MODEL_PATH,
	FLD_COUNT
};

/* Views of the evaluation cell's lower half. */
enum eval_view { EVAL_REPORT, EVAL_ROC, EVAL_PR, EVAL_VIEW_COUNT };

#define LAB_PATH_MAX 1024
#define LAB_CURVE_POINTS 41

struct lab_screen {
	int cell;
	size_t field; /* selected row among the focused cell's settings */
	enum cell_status status[CELL_COUNT];
	char error[CELL_COUNT][LAB_PATH_MAX + 320]; /* why a cell failed */

	char data_path[LAB_PATH_MAX], test_path[LAB_PATH_MAX], model_path[LAB_PATH_MAX];
	char text_col[64], label_col[64]; /* "" detects */
	struct lab_settings s;

	bool loaded; /* data (cell 1) */
	struct lab_data data;
	bool split;  /* cell 2 */
	bool have_run; /* run holds at least the tokens */
	struct lab_run run;

	/* The live training chart. */
	double *train_loss, *val_loss;
	size_t epochs_planned, epochs_done;
	double callback_seconds; /* drawing and pacing, left out of the logged time */
	bool cancel_requested;

	/* A model read from a file (cell 9); spot checks use it until the next
	 * training. */
	bool use_loaded;
	struct text_model loaded_model;
	struct tokenizer *loaded_tok;
	char save_note[LAB_PATH_MAX + 200];

	struct ui_field sentence; /* cells 3, 4 and 8 */
	bool typing;

	enum eval_view eval_view;
	double roc_grid[LAB_CURVE_POINTS], pr_grid[LAB_CURVE_POINTS];

	struct experiment *runs;
	size_t nruns;
	struct ui_table runs_table;
	struct ui_table matrix_table, report_table, terms_table;
	struct ui_column matrix_columns[3];
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

/* Draws the focused cell in the area right of the rail. */
void lab_draw_cell(struct lab_screen *ls, WINDOW *w, int y, int x, int height, int width);

extern const char *const lab_cell_names[CELL_COUNT];

#endif
