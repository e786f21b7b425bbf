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

/* The whole percent the bar shows for fraction (clamped to 0..1). */
int ui_progress_percent(double fraction);
/* On one row, or with height 2 or more the label on a row of its own above
 * the bar. */
void ui_progress_draw(const struct ui_progress *p, WINDOW *w, int y, int x, int height, int width);

#endif
