/* Drill stats: answers by type, scores and calibration over time, the
 * streak, and the weakest types. */
#include "drill_screens.h"

#include "chart.h"
#include "clock.h"
#include "table.h"
#include "ui.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stats {
	struct drill_stats s;
	bool ok;
	struct ui_table table; /* the types answered; the others in one line */
	size_t table_rows;
	char *unanswered; /* "Not answered yet: ..."; NULL when every type is */
	double *scores, *held; /* per day with answers */
	char first[32], last[32];
};

static const struct ui_column columns[] = {
	{"Type", UI_ALIGN_LEFT, 12, 30},
	{"Answers", UI_ALIGN_RIGHT, 7, 7},
	{"Mean", UI_ALIGN_RIGHT, 4, 5},
	{"Best", UI_ALIGN_RIGHT, 4, 5},
	{"Last answered", UI_ALIGN_LEFT, 10, 16},
};

static void *stats_enter(struct app *app, void *arg)
{
	(void)arg;
	struct stats *t = xcalloc(1, sizeof *t);
	t->ok = drill_stats_load(app->store, app->learner.id, clock_now(), &t->s) == STORE_OK;
	ui_table_init(&t->table, columns, sizeof columns / sizeof columns[0]);
	/* Only the types answered take a row, so that the chart below gets
	 * the rows of an 80x24 screen; the others are named in one line. */
	struct strbuf none;
	sb_init(&none);
	for (int i = 0; i < DRILL_TYPE_COUNT; i++) {
		const struct drill_type_stats *ts = &t->s.types[i];
		if (!ts->answers) {
			sb_printf(&none, "%s%s", none.len ? ", " : "Not answered yet: ",
				  drill_type_label(drill_types[i]));
			continue;
		}
		char answers[16], mean[16], best[16], last[32];
		snprintf(answers, sizeof answers, "%d", ts->answers);
		snprintf(mean, sizeof mean, "%.0f", ts->mean_score);
		snprintf(best, sizeof best, "%.0f", ts->best_score);
		clock_format(ts->last_at, last, sizeof last);
		last[10] = '\0';
		const char *cells[] = {drill_type_label(drill_types[i]), answers, mean, best, last};
		ui_table_add_row(&t->table, cells);
		t->table_rows++;
	}
	if (none.len) {
		sb_putc(&none, '.');
		t->unanswered = sb_steal(&none);
	} else {
		sb_free(&none);
	}
	t->scores = xcalloc(t->s.day_count + 1, sizeof *t->scores);
	t->held = xcalloc(t->s.day_count + 1, sizeof *t->held);
	for (size_t i = 0; i < t->s.day_count; i++) {
		t->scores[i] = t->s.days[i].mean_score;
		t->held[i] = t->s.days[i].held_percent < 0 ? NAN : t->s.days[i].held_percent;
	}
	if (t->s.day_count) {
		clock_format(t->s.days[0].day, t->first, sizeof t->first);
		clock_format(t->s.days[t->s.day_count - 1].day, t->last, sizeof t->last);
		t->first[10] = t->last[10] = '\0';
	}
	return t;
}

static void stats_leave(void *self, struct app *app)
{
	(void)app;
	struct stats *t = self;
	drill_stats_free(&t->s);
	ui_table_free(&t->table);
	free(t->unanswered);
	free(t->scores);
	free(t->held);
	free(t);
}

static void stats_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct stats *t = self;
	int y = top + 1, width = cols - 4;
	char line[512];
	if (!t->ok) {
		ui_put(w, y, 2, width, "Could not read your answers.", ui_attr(UI_BAD));
		return;
	}
	snprintf(line, sizeof line,
		 "%d answer%s. Streak: %d day%s (best %d). %d mock interview%s. %zu due today.",
		 t->s.answers, t->s.answers == 1 ? "" : "s", t->s.streak, t->s.streak == 1 ? "" : "s",
		 t->s.best_streak, t->s.mocks, t->s.mocks == 1 ? "" : "s", t->s.due_today);
	ui_put(w, y++, 2, width, line, ui_attr(UI_TITLE));
	ui_put(w, y++, 2, width,
	       "Scores out of 100: points for estimates, rubric share for the rest.",
	       ui_attr(UI_DIM));
	y++;
	if (t->table_rows) {
		ui_table_draw(&t->table, w, y, 2, (int)t->table_rows + 2, width);
		y += (int)t->table_rows + 2;
	}
	if (t->unanswered)
		y += ui_put_wrapped(w, y, 2, width, 2, t->unanswered, ui_attr(UI_DIM));
	y++;

	struct strbuf weak;
	sb_init(&weak);
	sb_puts(&weak, "Weakest: ");
	size_t shown = t->s.weakest_count < 3 ? t->s.weakest_count : 3;
	for (size_t i = 0; i < shown; i++) {
		const struct drill_type_stats *ts = &t->s.types[t->s.weakest[i]];
		sb_printf(&weak, "%s%s (%.0f)", i ? ", " : "", drill_type_label(drill_types[t->s.weakest[i]]),
			  ts->mean_score);
	}
	if (!shown)
		sb_puts(&weak, "answer a few questions to see which types need work.");
	ui_put(w, y++, 2, width, weak.data, ui_attr(shown ? UI_WARN : UI_DIM));
	sb_free(&weak);

	int chart_rows = top + rows - y - 1;
	if (chart_rows < 4)
		return;
	ui_put(w, y++, 2, width,
	       "Per day, both out of 100: mean score, and % of 90% ranges held",
	       ui_attr(UI_HEADING2));
	if (t->s.day_count < 2) {
		ui_put(w, y, 2, width, "The chart shows from the second day of practice on.",
		       ui_attr(UI_DIM));
		return;
	}
	struct ui_chart chart;
	ui_chart_init(&chart);
	chart.y_decimals = 0;
	chart.y_from_zero = true;
	chart.x_first = t->first;
	chart.x_last = t->last;
	ui_chart_add(&chart, "mean score", t->scores, t->s.day_count, ui_attr(UI_ACCENT));
	ui_chart_add(&chart, "ranges held %", t->held, t->s.day_count, ui_attr(UI_GOOD));
	ui_chart_draw(&chart, w, y, 2, top + rows - y, width);
}

static enum screen_action stats_key(void *self, struct app *app, int key)
{
	(void)self;
	(void)app;
	(void)key;
	return SCREEN_UNHANDLED;
}

static const char *const stats_keys[] = {"?", "help", "q", "back", NULL};
static const char *const stats_help[] = {NULL};

const struct screen_ops drill_stats_screen = {
	.title = "Drill stats",
	.keys = stats_keys,
	.help_keys = stats_help,
	.help_text = "The streak counts the days in a row with at least one drill answer, up to "
		     "today (or yesterday, until today ends). The weakest types have the lowest "
		     "mean score.",
	.enter = stats_enter,
	.draw = stats_draw,
	.key = stats_key,
	.leave = stats_leave,
};
