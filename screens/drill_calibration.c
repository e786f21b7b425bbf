/* Calibration: how often the learner's 90% ranges held the reference
 * answer (the goal is 90%), with a verdict, the share held by range width,
 * and the trend over the answers. */
#include "drill_screens.h"

#include "barchart.h"
#include "calibration.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct calib {
	struct drill_calibration c;
	bool ok;
	struct ui_calibration trend;
};

static void *calib_enter(struct app *app, void *arg)
{
	(void)arg;
	struct calib *k = xcalloc(1, sizeof *k);
	k->ok = drill_calibration_load(app->store, app->learner.id, NULL, &k->c) == STORE_OK;
	ui_calibration_init(&k->trend, &k->c);
	return k;
}

static void calib_leave(void *self, struct app *app)
{
	(void)app;
	struct calib *k = self;
	ui_calibration_free(&k->trend);
	drill_calibration_free(&k->c);
	free(k);
}

static const char *advice(const struct estimate_calibration *s)
{
	if (s->answers < 5)
		return "Answer a few more estimation questions: under five, a share says more about "
		       "luck than skill.";
	if (!strcmp(s->verdict, "overconfident"))
		return "Your ranges are too narrow: widen them until about nine in ten hold the "
		       "answer.";
	if (!strcmp(s->verdict, "underconfident"))
		return "Your ranges hold nearly always and are wide: you can afford to narrow them.";
	return "About nine in ten of your ranges hold the answer, as a 90% range should.";
}

static void calib_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct calib *k = self;
	const struct estimate_calibration *s = &k->c.summary;
	int y = top + 1, width = cols - 4;
	char line[256];
	if (!k->ok) {
		ui_put(w, y, 2, width, "Could not read your answers.", ui_attr(UI_BAD));
		return;
	}
	snprintf(line, sizeof line,
		 "Your 90%% ranges held the answer in %zu of %zu estimates (%.0f%%); the goal is %d%%.",
		 s->hits, s->answers, 100 * s->hit_share, UI_CALIBRATION_GOAL_PERCENT);
	ui_put(w, y++, 2, width, line, ui_attr(UI_TITLE));
	enum ui_style verdict_style = !strcmp(s->verdict, "well calibrated") ? UI_GOOD
				      : s->answers < 5				 ? UI_DIM
										 : UI_WARN;
	snprintf(line, sizeof line, "Verdict: %s", s->verdict);
	ui_put(w, y++, 2, width, line, ui_attr(verdict_style));
	y += ui_put_wrapped(w, y, 2, width, 2, advice(s), ui_attr(UI_NORMAL));
	snprintf(line, sizeof line,
		 "Mean range width %.2f orders of magnitude. The reference answers are the app's "
		 "own estimates, not the course's.",
		 s->mean_width);
	y += ui_put_wrapped(w, y, 2, width, 2, line, ui_attr(UI_DIM));
	y++;

	ui_put(w, y++, 2, width, "Ranges held, by range width (orders of magnitude)",
	       ui_attr(UI_HEADING2));
	struct ui_barchart bars;
	ui_barchart_init(&bars);
	bars.max = 100;
	for (int b = 0; b < ESTIMATE_WIDTH_BUCKETS; b++) {
		const struct estimate_bucket *bucket = &s->buckets[b];
		double share = bucket->answers ? 100.0 * (double)bucket->hits / (double)bucket->answers
					       : 0;
		char label[32], text[64];
		snprintf(label, sizeof label, "%s", estimate_width_bucket_labels[b]);
		if (bucket->answers)
			snprintf(text, sizeof text, "%zu of %zu held (%.0f%%)", bucket->hits,
				 bucket->answers, share);
		else
			snprintf(text, sizeof text, "no answers");
		ui_barchart_add(&bars, label, share, text);
	}
	ui_barchart_draw(&bars, w, y, 2, ESTIMATE_WIDTH_BUCKETS, width);
	ui_barchart_free(&bars);
	y += ESTIMATE_WIDTH_BUCKETS + 1;

	if (top + rows - y - 1 < UI_CALIBRATION_MIN_ROWS)
		return;
	snprintf(line, sizeof line, "Trend: share held over your last %d answers, against the goal",
		 DRILL_TREND_WINDOW);
	ui_put(w, y++, 2, width, line, ui_attr(UI_HEADING2));
	ui_calibration_draw(&k->trend, w, y, 2, top + rows - y, width);
}

static enum screen_action calib_key(void *self, struct app *app, int key)
{
	(void)self;
	(void)app;
	(void)key;
	return SCREEN_UNHANDLED;
}

static const char *const calib_keys[] = {"?", "help", "q", "back", NULL};
static const char *const calib_help[] = {NULL};

const struct screen_ops drill_calibration_screen = {
	.title = "Calibration",
	.keys = calib_keys,
	.help_keys = calib_help,
	.help_text = "A 90% range should hold the true answer nine times in ten. Held far less "
		     "often: overconfident (ranges too narrow). Held almost always with wide "
		     "ranges: underconfident. The bars show the share held for narrow and wide "
		     "ranges; the trend, the share over your last ten answers.",
	.enter = calib_enter,
	.draw = calib_draw,
	.key = calib_key,
	.leave = calib_leave,
};
