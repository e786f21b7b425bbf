/* The coach's cohort: one row per learner (imported from bundles or
 * signing in here) with course progress, a compact bar per module, quiz
 * accuracy, drill answers, calibration, last activity and last import;
 * sorted by any of them, filtered by name or group, within a group. From
 * here: one learner, the difficult questions, the import, and groups. */
#include "coach_screens.h"

#include "input.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cohort_view {
	struct coach_cohort c;
	bool ok;
	enum coach_sort sort;
	bool reverse;
	char *group; /* NULL: everyone */
	struct ui_list list;
	bool filtering;
	struct ui_field filter;
	int64_t opened; /* the learner id the learner screen reads */
	bool stale;     /* reload at the next draw (back from another screen) */
	bool coach_mode; /* opened by a coach, nobody signed in: L signs in */
	char context[160];
	char message[320]; /* a learner name and a group name, 127 bytes each, fit */
};

static void cohort_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr,
		       void *data)
{
	struct cohort_view *v = data;
	const struct coach_row *r = &v->c.rows[index];
	char buf[64];
	int name_w = width - 62 > 12 ? width - 62 : 12;
	int cx = x;
	ui_put(w, y, cx, name_w, r->name, attr);
	cx += name_w + 1;
	snprintf(buf, sizeof buf, "%3.0f%%", r->course_percent);
	ui_put(w, y, cx, 4, buf, attr);
	cx += 5;
	coach_draw_module_bar(w, y, cx, 8, r->module_percent, v->c.module_count,
			      ui_attr_merge(attr, ui_attr(UI_BAR)));
	cx += (int)(v->c.module_count < 8 ? 8 : v->c.module_count) + 1;
	if (r->quiz_accuracy < 0)
		snprintf(buf, sizeof buf, "    -");
	else
		snprintf(buf, sizeof buf, "%4.0f%%", r->quiz_accuracy);
	ui_put(w, y, cx, 5, buf, attr);
	cx += 6;
	snprintf(buf, sizeof buf, "%5d", r->estimation_answers + r->interview_answers);
	ui_put(w, y, cx, 5, buf, attr);
	cx += 6;
	if (r->calibration < 0)
		snprintf(buf, sizeof buf, "    -");
	else
		snprintf(buf, sizeof buf, "%4.0f%%", r->calibration);
	ui_put(w, y, cx, 5, buf, attr);
	cx += 6;
	coach_format_day(r->last_active, "never", buf, sizeof buf);
	ui_put(w, y, cx, 10, buf, ui_attr_merge(attr, ui_attr(UI_DIM)));
	cx += 11;
	coach_format_day(r->last_import, r->imported ? "-" : "local", buf, sizeof buf);
	ui_put(w, y, cx, x + width - cx, buf, ui_attr_merge(attr, ui_attr(UI_DIM)));
}

static bool cohort_match(size_t index, const char *filter, void *data)
{
	struct cohort_view *v = data;
	return coach_row_matches(&v->c.rows[index], filter);
}

static void cohort_reload(struct cohort_view *v, struct app *app)
{
	int64_t selected = 0;
	size_t sel = ui_list_selected(&v->list);
	if (sel != SIZE_MAX && sel < v->c.count)
		selected = v->c.rows[sel].id;
	coach_cohort_free(&v->c);
	enum store_error e = coach_cohort_load(app->store, v->group, &v->c);
	if (e == STORE_ERR_NOTFOUND) {
		/* The group went away: everyone again. */
		free(v->group);
		v->group = NULL;
		e = coach_cohort_load(app->store, NULL, &v->c);
	}
	v->ok = e == STORE_OK;
	coach_cohort_sort(&v->c, v->sort, v->reverse);
	ui_list_set_model(&v->list, v->c.count, cohort_row, cohort_match, v);
	for (size_t i = 0; i < v->c.count; i++)
		if (v->c.rows[i].id == selected)
			ui_list_select(&v->list, i);
}

static void *cohort_enter(struct app *app, void *arg)
{
	(void)arg;
	struct cohort_view *v = xcalloc(1, sizeof *v);
	v->sort = COACH_SORT_NAME;
	ui_list_init(&v->list);
	v->list.empty_text = "No learners here yet. Press i to import progress bundles (made with "
			     "'aipm progress export').";
	ui_field_init(&v->filter, "", 64);
	v->coach_mode = app->coach_mode;
	cohort_reload(v, app);
	return v;
}

static void cohort_leave(void *self, struct app *app)
{
	(void)app;
	struct cohort_view *v = self;
	coach_cohort_free(&v->c);
	ui_list_free(&v->list);
	ui_field_free(&v->filter);
	free(v->group);
	free(v);
}

static void cohort_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct cohort_view *v = self;
	/* Back from an import or a learner: the figures may have changed. */
	if (v->stale) {
		cohort_reload(v, app);
		v->stale = false;
	}
	int width = cols - 4, y = top;
	char line[320];
	if (!v->ok) {
		ui_put(w, y + 1, 2, width, "Could not read the cohort.", ui_attr(UI_BAD));
		return;
	}
	snprintf(line, sizeof line, "%zu learner%s · %s · sorted by %s%s", v->list.visible_count,
		 v->list.visible_count == 1 ? "" : "s", v->group ? v->group : "all groups",
		 coach_sort_names[v->sort], v->reverse ? " (reversed)" : "");
	ui_put(w, y++, 2, width, line, ui_attr(UI_TITLE));
	if (v->filtering || ui_field_text(&v->filter)[0]) {
		ui_put(w, y, 2, 8, "Filter:", ui_attr(UI_DIM));
		ui_field_draw(&v->filter, w, y, 10, width - 8,
			      ui_attr(v->filtering ? UI_SELECTED : UI_NORMAL));
	} else if (v->message[0]) {
		ui_put(w, y, 2, width, v->message, ui_attr(UI_ACCENT));
	} else {
		snprintf(line, sizeof line, "Modules m1-m%zu, one mark each; Drill: answers; Held: "
					    "90%% ranges that held",
			 v->c.module_count);
		ui_put(w, y, 2, width, line, ui_attr(UI_DIM));
	}
	y += 2;
	int name_w = width - 62 > 12 ? width - 62 : 12;
	int mods = (int)(v->c.module_count < 8 ? 8 : v->c.module_count);
	snprintf(line, sizeof line, "%-*s %-4s %-*s %5s %5s %5s %-10s %s", name_w, "Learner", "Done",
		 mods, "Modules", "Quiz", "Drill", "Held", "Active", "Imported");
	ui_put(w, y++, 2, width, line, ui_attr(UI_HEADING2));
	ui_list_draw(&v->list, w, y, 2, top + rows - y, width);
}

static void add_to_group(struct cohort_view *v, struct app *app)
{
	size_t i = ui_list_selected(&v->list);
	if (i == SIZE_MAX)
		return;
	char group[128] = "";
	if (v->group)
		snprintf(group, sizeof group, "%s", v->group);
	if (!ui_prompt("Add to a group", "Group name:", group, sizeof group) || !group[0])
		return;
	const struct coach_row *r = &v->c.rows[i];
	if (coach_group_add(app->store, group, r->id) == STORE_OK)
		snprintf(v->message, sizeof v->message, "%s is in group %s.", r->name, group);
	else
		snprintf(v->message, sizeof v->message, "Could not save: %s", store_errmsg(app->store));
}

static void remove_from_group(struct cohort_view *v, struct app *app)
{
	size_t i = ui_list_selected(&v->list);
	if (i == SIZE_MAX || !v->group) {
		snprintf(v->message, sizeof v->message,
			 "Show a group first (Tab): x takes a learner out of the group shown.");
		return;
	}
	const struct coach_row *r = &v->c.rows[i];
	if (coach_group_remove(app->store, v->group, r->id) == STORE_OK)
		snprintf(v->message, sizeof v->message, "%s left group %s.", r->name, v->group);
}

/* Everyone, then each group in turn. */
static void next_group(struct cohort_view *v, struct app *app)
{
	struct coach_group *groups;
	size_t n;
	if (coach_groups_list(app->store, &groups, &n) != STORE_OK)
		return;
	size_t next = 0; /* index of the group to show; n: everyone */
	if (v->group) {
		next = n;
		for (size_t i = 0; i < n; i++)
			if (!strcasecmp(groups[i].name, v->group))
				next = i + 1;
	}
	free(v->group);
	v->group = next < n ? xstrdup(groups[next].name) : NULL;
	if (!n)
		snprintf(v->message, sizeof v->message,
			 "No groups yet: a puts the selected learner in one.");
	else
		v->message[0] = '\0';
	free(groups);
}

static enum screen_action cohort_key(void *self, struct app *app, int key)
{
	struct cohort_view *v = self;
	if (v->filtering) {
		if (ui_key_is_enter(key) || key == UI_KEY_ESC) {
			v->filtering = false;
			if (key == UI_KEY_ESC)
				ui_field_set(&v->filter, "");
		} else if (!ui_field_key(&v->filter, key)) {
			return SCREEN_HANDLED;
		}
		ui_list_set_filter(&v->list, ui_field_text(&v->filter));
		return SCREEN_HANDLED;
	}
	if (ui_list_key(&v->list, key))
		return SCREEN_HANDLED;
	v->message[0] = '\0';
	if (ui_key_is_enter(key)) {
		size_t i = ui_list_selected(&v->list);
		if (i != SIZE_MAX) {
			v->opened = v->c.rows[i].id;
			v->stale = true;
			screen_push(app->screens, &coach_learner_screen, &v->opened);
		}
		return SCREEN_HANDLED;
	}
	switch (key) {
	case '/':
		v->filtering = true;
		return SCREEN_HANDLED;
	case 's':
	case 'r':
		if (key == 's')
			v->sort = (v->sort + 1) % COACH_SORT_COUNT;
		else
			v->reverse = !v->reverse;
		/* Sorting keeps the same learner selected, as a reload does. */
		v->stale = true;
		return SCREEN_HANDLED;
	case '\t':
		next_group(v, app);
		v->stale = true;
		return SCREEN_HANDLED;
	case 'a':
		add_to_group(v, app);
		v->stale = true;
		return SCREEN_HANDLED;
	case 'x':
		remove_from_group(v, app);
		v->stale = true;
		return SCREEN_HANDLED;
	case 'd':
		screen_push(app->screens, &coach_questions_screen, v->group);
		return SCREEN_HANDLED;
	case 'i':
		v->stale = true;
		screen_push(app->screens, &coach_import_screen, NULL);
		return SCREEN_HANDLED;
	case 'L':
		if (!v->coach_mode)
			return SCREEN_UNHANDLED;
		screen_push(app->screens, &signin_screen, NULL);
		return SCREEN_HANDLED;
	default:
		return SCREEN_UNHANDLED;
	}
}

static const char *cohort_context(void *self, struct app *app)
{
	(void)app;
	struct cohort_view *v = self;
	snprintf(v->context, sizeof v->context, "%s", v->group ? v->group : "everyone");
	return v->context;
}

static const char *const cohort_keys[] = {"Enter", "learner", "d", "difficult", "i", "import",
					  "s", "sort", "/", "filter", "Tab", "group", "q", "back",
					  NULL};
/* A coach's own start: q leaves the app, L signs in as a learner. */
static const char *const coach_mode_keys[] = {"Enter", "learner", "d", "difficult", "i",
					      "import", "s", "sort", "/", "filter", "L", "sign in",
					      "q", "quit", NULL};
static const char *const filter_keys[] = {"type", "filter", "Enter", "keep", "Esc", "clear",
					  NULL};

static const char *const *cohort_mode_keys(void *self)
{
	struct cohort_view *v = self;
	return v->filtering ? filter_keys : v->coach_mode ? coach_mode_keys : cohort_keys;
}

static const char *const cohort_help[] = {
    "j/k, arrows", "move",
    "Enter", "open the learner: timeline, stalls, weakest questions, calibration, notes",
    "d", "the questions most often missed (by the group shown)",
    "i", "import progress bundles (pick the files)",
    "s / r", "sort by name, progress, accuracy, drill, calibration, activity / reverse",
    "/", "filter by name, id or group",
    "Tab", "show each group in turn, then everyone",
    "a", "put the selected learner in a group",
    "x", "take the selected learner out of the group shown",
    "L", "sign in as a learner (when aipm was opened for a coach)",
    NULL,
};

const struct screen_ops coach_screen = {
	.title = "Coach: cohort",
	.keys = cohort_keys,
	.help_keys = cohort_help,
	.help_text = "Every learner in this database: the ones imported from progress bundles "
		     "(matched by their id, so two people with one name stay two) and the ones who "
		     "sign in here. Done: lessons read to the end with the quiz passed. Modules: one "
		     "mark per module, fuller as more of it is done. Quiz: answers right. Held: "
		     "estimation ranges that held the answer. Imported: the last import.",
	.enter = cohort_enter,
	.draw = cohort_draw,
	.key = cohort_key,
	.leave = cohort_leave,
	.mode_keys = cohort_mode_keys,
	.context = cohort_context,
};
