/* A line chart of a few series over the same x steps (training and
 * validation loss per epoch, daily conversion), in braille dots (2x4 per
 * cell) with UTF-8 and '*', '+', 'o', 'x' per point in ASCII; y labels at
 * the top and bottom, x labels under the ends, and a legend. Also a
 * one-row sparkline. NaN values are gaps. */
#ifndef AIPM_UI_CHART_H
#define AIPM_UI_CHART_H

#include "ui.h"

enum { UI_CHART_MAX_SERIES = 4 };

struct ui_series {
	const char *name;
	const double *values; /* not copied */
	size_t count;
	attr_t attr;
};

struct ui_chart {
	struct ui_series series[UI_CHART_MAX_SERIES];
	size_t series_count;
	const char *x_first, *x_last; /* labels under the ends of the x axis */
	const char *y_suffix;         /* after the y labels, e.g. "%" */
	int y_decimals;               /* of the y labels; -1: 3 significant digits */
	bool y_from_zero;             /* the y axis starts at 0, not the minimum */
};

void ui_chart_init(struct ui_chart *c);
/* Returns false when the chart already has UI_CHART_MAX_SERIES. */
bool ui_chart_add(struct ui_chart *c, const char *name, const double *values, size_t count,
		  attr_t attr);
/* The plot takes height minus two rows (x labels, legend). */
void ui_chart_draw(const struct ui_chart *c, WINDOW *w, int y, int x, int height, int width);
/* The last width values as ▁▂▃▄▅▆▇█ (ASCII "_.-:=+*#") between their
 * minimum and maximum. */
void ui_sparkline(WINDOW *w, int y, int x, int width, const double *values, size_t count,
		  attr_t attr);

#endif
