/* The interview drill's menu: the question types with the learner's
 * record, what is due today, the mock interview, calibration and stats.
 * Also the helpers the drill's screens share (see drill.h). */
#include "drill_screens.h"

#include "clock.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char drill_advice[] =
    "The course: say it out loud as you work, as in the room; and ask recruiters for two "
    "to three weeks to prepare (Session 3 00:51).";

void drill_tick(bool running)
{
	wtimeout(stdscr, running ? 1000 : -1);
}

void drill_format_clock(double seconds, char *buf, size_t size)
{
	long s = seconds > 0 ? (long)seconds : 0;
	if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%02ld:%02ld", s / 60, s % 60);
}

void drill_draw_clock(WINDOW *w, int y, int x, int width, const struct drill_timer *timer,
		      int target_seconds)
{
	double now = drill_monotonic();
	double spent = drill_timer_elapsed(timer, now);
	char used[16], target[16], text[64];
	drill_format_clock(spent, used, sizeof used);
	drill_format_clock(target_seconds, target, sizeof target);
	snprintf(text, sizeof text, "time %s / %s%s", used, target,
		 timer->paused ? "  paused" : "");
	enum ui_style style = timer->paused ? UI_DIM : spent > target_seconds ? UI_WARN : UI_ACCENT;
	ui_put_right(w, y, x, width, text, ui_attr(style));
}

void drill_draw_cursor(WINDOW *w, int y, int x)
{
	mvwchgat(w, y, x, 1, A_REVERSE, 0, NULL);
}

int drill_field_column(const struct ui_field *f, int x, int width, int offset)
{
	if (offset < 0 || (size_t)offset < f->scroll || (size_t)offset > f->text.len)
		return -1;
	int col = x + ui_width_n(ui_field_text(f) + f->scroll, (size_t)offset - f->scroll);
	return col < x + width ? col : -1;
}

void drill_push_question(struct app *app, struct drill_open *open, const char *type)
{
	open->answered = false;
	screen_push(app->screens,
		    !strcmp(type, DRILL_ESTIMATION) ? &drill_estimate_screen : &drill_interview_screen,
		    open);
}

/* ---- the menu ----------------------------------------------------------- */

enum menu_row {
	ROW_DUE = DRILL_TYPE_COUNT,
	ROW_MOCK,
	ROW_CALIBRATION,
	ROW_STATS,
	ROW_NEW_PER_DAY, /* the drill's setting: new questions a day */
	ROW_COUNT
};

struct menu {
	struct ui_list list;
	int questions[DRILL_TYPE_COUNT], answered[DRILL_TYPE_COUNT], due[DRILL_TYPE_COUNT];
	size_t due_today, new_today; /* new_today: of due_today, never answered */
	int new_per_day;
	struct estimate_calibration calibration;
	struct drill_stats stats;
	char error[160];
};

static void menu_reload(struct menu *m, struct app *app)
{
	memset(m->questions, 0, sizeof m->questions);
	memset(m->answered, 0, sizeof m->answered);
	memset(m->due, 0, sizeof m->due);
	m->error[0] = '\0';
	int64_t now = clock_now();
	int64_t tomorrow = clock_day_start(now) + 86400;
	struct drill_item *items;
	size_t n;
	if (drill_list(app->store, app->learner.id, NULL, &items, &n) != STORE_OK) {
		snprintf(m->error, sizeof m->error, "Could not read the banks: %s",
			 store_errmsg(app->store));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int t = drill_type_index(items[i].type);
		if (t < 0)
			continue;
		m->questions[t]++;
		m->answered[t] += items[i].attempts > 0;
		m->due[t] += items[i].due_at && items[i].due_at < tomorrow;
	}
	size_t unanswered = 0;
	for (size_t i = 0; i < n; i++)
		unanswered += !items[i].due_at;
	drill_items_free(items, n);
	m->due_today = drill_due_count(app->store, app->learner.id, now);
	m->new_per_day = drill_new_per_day(app->store, app->learner.id);
	size_t new_left = (size_t)drill_new_left(app->store, app->learner.id, now);
	m->new_today = unanswered < new_left ? unanswered : new_left;
	struct drill_calibration c;
	if (drill_calibration_load(app->store, app->learner.id, NULL, &c) == STORE_OK) {
		m->calibration = c.summary;
		drill_calibration_free(&c);
	}
	drill_stats_free(&m->stats);
	drill_stats_load(app->store, app->learner.id, now, &m->stats);
}

static void menu_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct menu *m = data;
	char label[64], detail[160];
	if (index < DRILL_TYPE_COUNT) {
		snprintf(label, sizeof label, "%s", drill_type_label(drill_types[index]));
		int n = m->questions[index];
		snprintf(detail, sizeof detail, "%d question%s, %d answered", n, n == 1 ? "" : "s",
			 m->answered[index]);
		if (m->due[index])
			snprintf(detail + strlen(detail), sizeof detail - strlen(detail), ", %d due",
				 m->due[index]);
	} else if (index == ROW_DUE) {
		snprintf(label, sizeof label, "Due today");
		size_t reviews = m->due_today - m->new_today;
		snprintf(detail, sizeof detail, "%zu to review (spaced repetition), %zu new", reviews,
			 m->new_today);
	} else if (index == ROW_MOCK) {
		snprintf(label, sizeof label, "Mock interview");
		snprintf(detail, sizeof detail, "timed mixed questions, then a summary");
	} else if (index == ROW_CALIBRATION) {
		snprintf(label, sizeof label, "Calibration");
		if (m->calibration.answers)
			snprintf(detail, sizeof detail, "%zu of %zu held (%.0f%%): %s",
				 m->calibration.hits, m->calibration.answers,
				 100 * m->calibration.hit_share, m->calibration.verdict);
		else
			snprintf(detail, sizeof detail, "how often your 90%% ranges hold the answer");
	} else if (index == ROW_NEW_PER_DAY) {
		snprintf(label, sizeof label, "Setting: new questions a day");
		snprintf(detail, sizeof detail, "%d join Due today; Enter or +/- to change",
			 m->new_per_day);
	} else {
		snprintf(label, sizeof label, "Stats");
		snprintf(detail, sizeof detail, "%d answer%s, streak %d day%s", m->stats.answers,
			 m->stats.answers == 1 ? "" : "s", m->stats.streak,
			 m->stats.streak == 1 ? "" : "s");
	}
	int label_width = 30;
	ui_put(w, y, x + 1, label_width, label, attr);
	if (width > label_width + 2)
		ui_put(w, y, x + label_width + 2, width - label_width - 2, detail,
		       ui_attr_merge(attr, ui_attr(UI_DIM)));
}

static void *menu_enter(struct app *app, void *arg)
{
	(void)arg;
	struct menu *m = xcalloc(1, sizeof *m);
	ui_list_init(&m->list);
	ui_list_set_model(&m->list, ROW_COUNT, menu_row, NULL, m);
	menu_reload(m, app);
	return m;
}

static void menu_leave(void *self, struct app *app)
{
	(void)app;
	struct menu *m = self;
	ui_list_free(&m->list);
	drill_stats_free(&m->stats);
	free(m);
}

static void menu_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct menu *m = self;
	menu_reload(m, app);
	int y = top + 1;
	y += ui_put_wrapped(w, y, 2, cols - 4, 2,
			    "Estimates scored in orders of magnitude; the other types against the "
			    "course's frameworks.",
			    ui_attr(UI_DIM));
	y++;
	if (m->error[0])
		ui_put(w, top + rows - 1, 2, cols - 4, m->error, ui_attr(UI_BAD));
	int list_rows = rows - (y - top) - 1;
	ui_list_draw(&m->list, w, y, 2, list_rows, cols - 4);
}

/* Saves the limit of new questions a day and says so. */
static void set_new_per_day(struct menu *m, struct app *app, int limit)
{
	if (limit < 0 || limit > DRILL_NEW_PER_DAY_MAX) {
		screen_flash(app->screens, "New questions a day: a whole number from 0 to %d.",
			     DRILL_NEW_PER_DAY_MAX);
		return;
	}
	if (drill_set_new_per_day(app->store, app->learner.id, limit) != STORE_OK) {
		screen_flash(app->screens, "The setting was not saved: %s", store_errmsg(app->store));
		return;
	}
	menu_reload(m, app);
	screen_flash(app->screens, "New questions a day: %d. Due today holds %zu new.", limit,
		     m->new_today);
}

/* Enter on the setting's row: the limit typed in. */
static void ask_new_per_day(struct menu *m, struct app *app)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%d", m->new_per_day);
	if (!ui_prompt("New questions a day",
		       "How many never-answered questions may join a day's due list (0-100):", buf,
		       sizeof buf))
		return;
	char *end;
	long v = strtol(buf, &end, 10);
	while (*end == ' ')
		end++;
	set_new_per_day(m, app, buf[0] && !*end && v >= 0 && v <= DRILL_NEW_PER_DAY_MAX ? (int)v : -1);
}

static void open_row(struct app *app, size_t row)
{
	if (row < DRILL_TYPE_COUNT)
		screen_push(app->screens, &drill_list_screen, (void *)drill_types[row]);
	else if (row == ROW_DUE)
		screen_push(app->screens, &drill_list_screen, NULL);
	else if (row == ROW_MOCK)
		screen_push(app->screens, &drill_mock_screen, NULL);
	else if (row == ROW_CALIBRATION)
		screen_push(app->screens, &drill_calibration_screen, NULL);
	else if (row == ROW_STATS)
		screen_push(app->screens, &drill_stats_screen, NULL);
}

static enum screen_action menu_key(void *self, struct app *app, int key)
{
	struct menu *m = self;
	if (ui_list_key(&m->list, key))
		return SCREEN_HANDLED;
	static const struct {
		int key;
		size_t row;
	} shortcuts[] = {
	    {'e', 0}, {'u', ROW_DUE}, {'m', ROW_MOCK}, {'c', ROW_CALIBRATION}, {'s', ROW_STATS},
	};
	for (size_t i = 0; i < sizeof shortcuts / sizeof shortcuts[0]; i++) {
		if (key == shortcuts[i].key) {
			ui_list_select(&m->list, shortcuts[i].row);
			open_row(app, shortcuts[i].row);
			return SCREEN_HANDLED;
		}
	}
	size_t row = ui_list_selected(&m->list);
	if (row == ROW_NEW_PER_DAY && (key == '+' || key == '-')) {
		set_new_per_day(m, app, m->new_per_day + (key == '+' ? 1 : -1));
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key)) {
		if (row == ROW_NEW_PER_DAY)
			ask_new_per_day(m, app);
		else if (row != SIZE_MAX)
			open_row(app, row);
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *const menu_keys[] = {"j/k", "move", "Enter", "open", "u", "due", "m", "mock",
					"c", "calibration", "s", "stats", "q", "back", NULL};
static const char *const menu_help[] = {
	"j/k, arrows", "move",
	"Enter", "open the questions of a type, or a view",
	"e", "the estimation questions",
	"u", "the questions due today",
	"m", "a mock interview: a timed set of mixed questions",
	"c", "calibration: how often your 90% ranges hold the answer",
	"s", "stats: answers by type, scores over time, streak",
	"+/-, Enter", "on the setting: fewer or more new questions a day (never-answered ones "
		      "that join Due today), or type the number",
	NULL,
};

const struct screen_ops drill_screen = {
	.title = "Interview drill",
	.keys = menu_keys,
	.help_keys = menu_help,
	.help_text = "Every answer schedules its question again with FSRS spaced repetition: "
		     "a weak answer comes back tomorrow, a strong one weeks later. Estimation "
		     "answers are scored against the app's own reference estimates, not the "
		     "course's; the other answers you grade yourself against a rubric.",
	.enter = menu_enter,
	.draw = menu_draw,
	.key = menu_key,
	.leave = menu_leave,
};
