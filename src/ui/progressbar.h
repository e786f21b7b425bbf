/* A progress bar: a label, the bar, the percentage and an optional rate
 * ("1.2M rows/s"). */
#ifndef AIPM_UI_PROGRESSBAR_H
#define AIPM_UI_PROGRESSBAR_H

#include "ui.h"

struct ui_progress {
	double fraction;   /* 0..1 */
	const char *label; /* may be NULL */
	const char *rate;  /* may be NULL */
};

/* A fraction as the whole percent every screen shows for it (home, the
 * tree, Progress, a threshold's bar): rounded to nearest, but never 100
 * before the whole. */
int ui_percent(double fraction);

/* On one row, or with height 2 or more the label on a row of its own above
 * the bar. */
void ui_progress_draw(const struct ui_progress *p, WINDOW *w, int y, int x, int height, int width);

#endif
