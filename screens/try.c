#include "try.h"

#include "drill.h"
#include "funnel.h"
#include "funnel_screens.h"
#include "lab_screens.h"
#include "lessons_screens.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cells a block's `run` names, in the notebook's order (as the lab's
 * enum lab_cell numbers them). */
static const char *const run_cells[] = {"data", "split", "tokenize", "features", "train",
					"evaluate", "threshold", "explain", NULL};

/* The lab set up as the block says: the engine's defaults for what it
 * leaves out, so that the lab and `aipm train` (try_command_line) agree. */
static void open_lab(struct app *app, const struct try_block *b)
{
	struct lab_setup set;
	lab_setup_default(app, &set);
	char *path = try_data_path(b, app->content_dir);
	if (path)
		snprintf(set.data_path, sizeof set.data_path, "%s", path);
	free(path);
	struct lab_settings *s = &set.s;
	const char *v;
	/* try_parse checked every value's form. */
	if ((v = try_get(b, "balanced")))
		s->balanced = strtoull(v, NULL, 10);
	if ((v = try_get(b, "model")))
		linear_kind_parse(v, &s->train.kind);
	if ((v = try_get(b, "features")))
		feature_kind_parse(v, &s->features);
	if ((v = try_get(b, "ngrams")))
		s->tok.ngram_max = atoi(v);
	if ((v = try_get(b, "test_split")))
		s->test_split = atof(v);
	if ((v = try_get(b, "val_split")))
		s->val_split = atof(v);
	if ((v = try_get(b, "seed")))
		s->train.seed = strtoull(v, NULL, 10);
	if ((v = try_get(b, "threshold")))
		s->threshold = atof(v);
	/* Epochs and batches are the notebook's SGD: as `aipm train --epochs`,
	 * either one chooses it. */
	if ((v = try_get(b, "epochs"))) {
		s->train.epochs = atoi(v);
		s->train.solver = SOLVER_SGD;
	}
	if ((v = try_get(b, "batch"))) {
		s->train.batch_size = strtoull(v, NULL, 10);
		s->train.solver = SOLVER_SGD;
	}
	const char *run = try_get(b, "run");
	for (int c = 0; run && run_cells[c]; c++)
		if (!strcmp(run, run_cells[c]))
			set.cell = c;
	lab_open_with(app, &set);
	screen_flash(app->screens, "Set up by the lesson: press r to run cell %d (%s) and the "
				   "cells above it.",
		     set.cell + 1, lab_cell_names[set.cell]);
}

static void open_funnel(struct app *app, const struct try_block *b)
{
	char *path = try_data_path(b, app->content_dir);
	if (funnel_is_stage_file(path)) {
		screen_push(app->screens, &funnel_stages_screen, path);
	} else {
		struct funnel_log_request req = {
		    .path = path,
		    .steps = try_get(b, "steps"),
		    .window = try_get(b, "window"),
		    .order = try_get(b, "order"),
		    .from = try_get(b, "from"),
		    .to = try_get(b, "to"),
		    .by = try_get(b, "by"),
		    .where = try_get(b, "where"),
		    .trend = try_get(b, "trend"),
		};
		screen_push(app->screens, &funnel_log_preset_screen, &req);
	}
	free(path);
}

static void open_drill(struct app *app, const struct try_block *b, struct drill_open *open)
{
	const char *type = try_get(b, "type"), *question = try_get(b, "question");
	if (type) {
		int i = drill_type_index(type);
		if (i >= 0)
			screen_push(app->screens, &drill_list_screen, (void *)drill_types[i]);
		return;
	}
	char found[32];
	if (drill_question_type(app->store, question, found, sizeof found) != STORE_OK) {
		screen_flash(app->screens, "Question %s is not in the drill's banks.", question);
		return;
	}
	memset(open, 0, sizeof *open);
	snprintf(open->id, sizeof open->id, "%s", question);
	drill_push_question(app, open, found);
}

void try_run(struct app *app, const struct try_block *b, struct drill_open *open)
{
	switch (b->action) {
	case TRY_LAB:
		open_lab(app, b);
		break;
	case TRY_FUNNEL:
		open_funnel(app, b);
		break;
	case TRY_DRILL:
		open_drill(app, b, open);
		break;
	case TRY_QUIZ:
		screen_push(app->screens, &quiz_screen,
			    &(struct quiz_request){.lesson_id = try_get(b, "scope")});
		break;
	}
}
