/* The calibration trend against its goal (see calibration.h). */
#include "calibration.h"

#include "chart.h"
#include "clock.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

static void answer_day(int64_t at, char *buf, size_t size)
{
	char full[32];
	clock_format(at, full, sizeof full);
	snprintf(buf, size, "%.10s", full);
}

void ui_calibration_init(struct ui_calibration *k, const struct drill_calibration *c)
{
	*k = (struct ui_calibration){.c = c};
	k->goal = xcalloc(c->count + 1, sizeof *k->goal);
	for (size_t i = 0; i < c->count; i++)
		k->goal[i] = UI_CALIBRATION_GOAL_PERCENT;
	if (c->count) {
		answer_day(c->answers[0].at, k->first, sizeof k->first);
		answer_day(c->answers[c->count - 1].at, k->last, sizeof k->last);
	}
}

void ui_calibration_free(struct ui_calibration *k)
{
	free(k->goal);
	k->goal = NULL;
}

void ui_calibration_draw(const struct ui_calibration *k, WINDOW *w, int y, int x, int height,
			 int width)
{
	if (k->c->count < 2) {
		ui_put(w, y, x, width, "The trend shows from the second answer on.", ui_attr(UI_DIM));
		return;
	}
	if (height < UI_CALIBRATION_MIN_ROWS)
		return;
	char goal[32];
	snprintf(goal, sizeof goal, "goal %d%%", UI_CALIBRATION_GOAL_PERCENT);
	struct ui_chart chart;
	ui_chart_init(&chart);
	chart.y_suffix = "%";
	chart.y_decimals = 0;
	chart.y_from_zero = true;
	chart.x_first = k->first;
	chart.x_last = k->last;
	ui_chart_add(&chart, "held", k->c->trend, k->c->count, ui_attr(UI_ACCENT));
	ui_chart_add(&chart, goal, k->goal, k->c->count, ui_attr(UI_DIM));
	ui_chart_draw(&chart, w, y, x, height, width);
}
