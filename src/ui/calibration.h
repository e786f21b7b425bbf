/* The calibration trend of a learner's 90% ranges: the share that held the
 * reference answer over the last DRILL_TREND_WINDOW answers, against the
 * goal of 90%, with the dates of the first and last answers under it. The
 * drill's calibration screen and the progress report both draw it. */
#ifndef AIPM_UI_CALIBRATION_H
#define AIPM_UI_CALIBRATION_H

#include "drill.h"
#include "ui.h"

/* A 90% range should hold the answer nine times in ten. */
#define UI_CALIBRATION_GOAL_PERCENT 90
/* Fewer rows than this and the trend is left out. */
#define UI_CALIBRATION_MIN_ROWS 4

struct ui_calibration {
	const struct drill_calibration *c; /* not copied: it outlives the widget */
	double *goal;                      /* the goal line, as long as the trend */
	char first[16], last[16];          /* YYYY-MM-DD of the first and last answers */
};

void ui_calibration_init(struct ui_calibration *k, const struct drill_calibration *c);
void ui_calibration_free(struct ui_calibration *k);
/* The trend in height rows from y (plot, dates, legend); before the second
 * answer, a line that says it shows from then on. */
void ui_calibration_draw(const struct ui_calibration *k, WINDOW *w, int y, int x, int height,
			 int width);

#endif
