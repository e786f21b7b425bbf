/* The Funnels module: a menu (the course's AARRR funnel, the shipped event
 * log, any CSV file) and the stage-count funnel, whose counts and owners
 * can be edited to see how each stage moves the rest. */
#include "funnel_screens.h"

#include "funnel.h"
#include "barchart.h"
#include "list.h"
#include "table.h"
#include "ui.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the menu ------------------------------------------------------------ */

enum menu_entry { ENTRY_COURSE, ENTRY_SHIPPED, ENTRY_OPEN, ENTRY_COUNT };

struct menu {
	struct ui_list list;
	char *course_path, *shipped_path;
	char last_path[1024];
};

static void menu_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	(void)data;
	static const char *const labels[] = {"The course's AARRR funnel", "The shipped event log",
					     "Open a CSV file..."};
	static const char *const details[] = {
	    "the app-store example of lesson m7-04: edit the counts, see who owns each stage",
	    "datasets/events.csv: 90 days of an app in the store, an A/B test, an incident",
	    "an event log (user_id,event,timestamp,...) or stage counts (stage,count)",
	};
	int label_width = 28;
	ui_put(w, y, x + 1, label_width, labels[index], attr);
	if (width > label_width + 3)
		ui_put(w, y, x + label_width + 2, width - label_width - 2, details[index],
		       ui_attr_merge(attr, ui_attr(UI_DIM)));
}

static void *menu_enter(struct app *app, void *arg)
{
	(void)arg;
	struct menu *m = xcalloc(1, sizeof *m);
	ui_list_init(&m->list);
	ui_list_set_model(&m->list, ENTRY_COUNT, menu_row, NULL, m);
	m->course_path = xasprintf("%s/datasets/aarrr_stages.csv", app->content_dir);
	m->shipped_path = xasprintf("%s/datasets/events.csv", app->content_dir);
	return m;
}

static void menu_leave(void *self, struct app *app)
{
	(void)app;
	struct menu *m = self;
	ui_list_free(&m->list);
	free(m->course_path);
	free(m->shipped_path);
	free(m);
}

static void menu_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct menu *m = self;
	int y = top + 1;
	y += ui_put_wrapped(w, y, 2, cols - 4, 3,
				 "A funnel follows people from the first step to the last and shows "
				 "where they drop out. Start from the course's example, explore the "
				 "shipped event log, or open your own export.",
				 ui_attr(UI_DIM));
	ui_list_draw(&m->list, w, y + 1, 1, ENTRY_COUNT, cols - 2);
	(void)rows;
}

static void open_file(struct menu *m, struct app *app)
{
	if (!ui_prompt("Open a CSV file",
		       "Path of an event log (user_id,event,timestamp,... with a header) or of "
		       "stage counts (stage,count[,owner]):",
		       m->last_path, sizeof m->last_path))
		return;
	char *path = str_trim(xstrdup(m->last_path));
	if (*path == '~' && getenv("HOME")) {
		char *full = xasprintf("%s%s", getenv("HOME"), path + 1);
		free(path);
		path = full;
	}
	if (!*path) {
		free(path);
		return;
	}
	if (funnel_is_stage_file(path))
		screen_push(app->screens, &funnel_stages_screen, path);
	else
		screen_push(app->screens, &funnel_log_screen, path);
	free(path);
}

static enum screen_action menu_key(void *self, struct app *app, int key)
{
	struct menu *m = self;
	if (ui_list_key(&m->list, key))
		return SCREEN_HANDLED;
	size_t entry = ui_list_selected(&m->list);
	if (key == 'c')
		entry = ENTRY_COURSE;
	else if (key == 'e')
		entry = ENTRY_SHIPPED;
	else if (key == 'o')
		entry = ENTRY_OPEN;
	else if (!ui_key_is_enter(key))
		return SCREEN_UNHANDLED;
	if (entry == ENTRY_COURSE)
		screen_push(app->screens, &funnel_stages_screen, NULL);
	else if (entry == ENTRY_SHIPPED)
		screen_push(app->screens, &funnel_log_screen, m->shipped_path);
	else if (entry == ENTRY_OPEN)
		open_file(m, app);
	return SCREEN_HANDLED;
}

static const char *const menu_keys[] = {"Enter", "open", "c", "course funnel", "e", "event log",
					"o", "open a file", "q", "back", NULL};
static const char *const menu_help[] = {
	"Enter", "open the selected funnel",
	"c", "the course's AARRR funnel (editable)",
	"e", "the shipped event log",
	"o", "open a CSV file: an event log or stage counts",
	"j/k", "move",
	NULL,
};

const struct screen_ops funnel_screen = {
	.title = "Funnels",
	.keys = menu_keys,
	.help_keys = menu_help,
	.help_text = "Funnels from the course's example, from the shipped event log, or from "
		     "your own CSV export. Nothing here changes your course progress.",
	.enter = menu_enter,
	.draw = menu_draw,
	.key = menu_key,
	.leave = menu_leave,
};

/* ---- the stage-count funnel ------------------------------------------------ */

struct stages_view {
	char *path;
	bool course;
	struct funnel_stages stages;
	struct funnel_bars bars;
	char summary[600];
	size_t selected;
	bool edited;
	char error[1200];
	char context[96];
	char save_path[1024];
};

static void stages_recount(struct stages_view *v)
{
	funnel_stages_bars(&v->stages, &v->bars);
	const char *names[FUNNEL_MAX_STEPS];
	for (size_t i = 0; i < v->stages.count; i++)
		names[i] = v->stages.stage[i].name;
	size_t drop, weak;
	funnel_describe(&v->bars, v->stages.count, names, "people", v->summary, sizeof v->summary,
			&drop, &weak);
}

static int stages_load(struct stages_view *v)
{
	funnel_stages_free(&v->stages);
	if (funnel_stages_load(v->path, &v->stages, v->error, sizeof v->error) != 0)
		return -1;
	v->error[0] = '\0';
	v->edited = false;
	if (v->selected >= v->stages.count)
		v->selected = 0;
	stages_recount(v);
	return 0;
}

static void *stages_enter(struct app *app, void *arg)
{
	struct stages_view *v = xcalloc(1, sizeof *v);
	v->course = arg == NULL;
	v->path = arg ? xstrdup(arg) : xasprintf("%s/datasets/aarrr_stages.csv", app->content_dir);
	stages_load(v);
	return v;
}

static void stages_leave(void *self, struct app *app)
{
	(void)app;
	struct stages_view *v = self;
	funnel_stages_free(&v->stages);
	free(v->path);
	free(v);
}

static void stages_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct stages_view *v = self;
	int y = top + 1, bottom = top + rows, width = cols - 4;
	if (v->error[0]) {
		ui_put_wrapped(w, y, 2, width, rows - 2, v->error, ui_attr(UI_BAD));
		return;
	}
	const char *intro = v->course
				? "Of 100 people searching for the app in the store, how many reach each "
				  "stage; each stage is a subset of the one before (lesson m7-04)."
				: v->path;
	y += ui_put_wrapped(w, y, 2, width, 2, intro, ui_attr(UI_DIM)) + 1;

	struct ui_barchart chart;
	ui_barchart_init(&chart);
	for (size_t i = 0; i < v->stages.count; i++) {
		char label[96], value[64], count[32];
		snprintf(label, sizeof label, "%s %s", i == v->selected ? ui_glyph(GLYPH_ARROW_RIGHT) : " ",
			 v->stages.stage[i].name);
		funnel_format_count(v->bars.count[i], count, sizeof count);
		double pct = funnel_pct_first(&v->bars, i);
		snprintf(value, sizeof value, "%s  %.1f%%", count, pct == pct ? pct : 0.0);
		ui_barchart_add(&chart, label, (double)v->bars.count[i], value);
	}
	int bar_rows = (int)v->stages.count;
	ui_barchart_draw(&chart, w, y, 2, bar_rows, width);
	ui_barchart_free(&chart);
	y += bar_rows + 1;

	static const struct ui_column columns[] = {
	    {"stage", UI_ALIGN_LEFT, 8, 16},
	    {"owner", UI_ALIGN_LEFT, 8, 22},
	    {"people", UI_ALIGN_RIGHT, 6, 12},
	    {"of top", UI_ALIGN_RIGHT, 6, 8},
	    {"step", UI_ALIGN_RIGHT, 6, 8},
	    {"lost", UI_ALIGN_RIGHT, 5, 12},
	};
	struct ui_table table;
	ui_table_init(&table, columns, sizeof columns / sizeof columns[0]);
	for (size_t i = 0; i < v->stages.count; i++) {
		char count[32], top_pct[16], step[16], lost[32];
		funnel_format_count(v->bars.count[i], count, sizeof count);
		double pf = funnel_pct_first(&v->bars, i), pp = funnel_pct_prev(&v->bars, i);
		snprintf(top_pct, sizeof top_pct, pf == pf ? "%.1f%%" : "-", pf);
		snprintf(step, sizeof step, i && pp == pp ? "%.1f%%" : "-", pp);
		uint64_t prev = i ? v->bars.count[i - 1] : v->bars.count[i];
		funnel_format_count(prev > v->bars.count[i] ? prev - v->bars.count[i] : 0, lost,
				    sizeof lost);
		const char *cells[] = {v->stages.stage[i].name,
				       *v->stages.stage[i].owner ? v->stages.stage[i].owner : "-",
				       count, top_pct, step, i ? lost : "-"};
		ui_table_add_row(&table, cells);
	}
	table.selectable = true;
	table.selected = v->selected;
	int table_rows = (int)v->stages.count + 2;
	if (y + table_rows > bottom - 2)
		table_rows = bottom - 2 - y;
	if (table_rows > 2) {
		ui_table_draw(&table, w, y, 2, table_rows, width);
		y += table_rows + 1;
	}
	ui_table_free(&table);
	if (y < bottom)
		ui_put_wrapped(w, y, 2, width, bottom - y, v->summary,
				    ui_attr(v->edited ? UI_ACCENT : UI_NORMAL));
}

/* A whole number as people type it: "1200", "1,200", "1 200". */
static bool parse_count(const char *text, uint64_t *out)
{
	char digits[32];
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p == ',' || *p == ' ' || *p == '_')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
			return false;
		digits[n++] = *p;
	}
	if (!n)
		return false;
	digits[n] = '\0';
	errno = 0;
	unsigned long long v = strtoull(digits, NULL, 10);
	if (errno)
		return false;
	*out = v;
	return true;
}

static void stages_edit_count(struct stages_view *v, struct app *app)
{
	struct funnel_stage *s = &v->stages.stage[v->selected];
	char buf[32], label[160];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)s->count);
	snprintf(label, sizeof label, "People who reach %s (a whole number):", s->name);
	if (!ui_prompt("Edit the count", label, buf, sizeof buf))
		return;
	uint64_t value;
	if (!parse_count(buf, &value)) {
		screen_flash(app->screens, "Not a whole number: %s", buf);
		return;
	}
	s->count = value;
	v->edited = true;
	stages_recount(v);
	if (v->selected > 0 && value > v->stages.stage[v->selected - 1].count)
		screen_flash(app->screens, "More people at %s than at %s: a funnel's stages "
					   "should only shrink.",
			     s->name, v->stages.stage[v->selected - 1].name);
}

static void stages_edit_owner(struct stages_view *v)
{
	struct funnel_stage *s = &v->stages.stage[v->selected];
	char buf[128], label[160];
	snprintf(buf, sizeof buf, "%s", s->owner);
	snprintf(label, sizeof label, "Who owns %s? (the course: product marketing for the first "
				      "three stages, the PM or growth for the rest)",
		 s->name);
	if (!ui_prompt("Edit the owner", label, buf, sizeof buf))
		return;
	free(s->owner);
	s->owner = str_trim(xstrdup(buf));
	v->edited = true;
}

static void stages_save(struct stages_view *v, struct app *app)
{
	if (!v->save_path[0])
		snprintf(v->save_path, sizeof v->save_path, "funnel-stages.csv");
	if (!ui_prompt("Save the stages", "Write stage,count,owner to the CSV file:", v->save_path,
		       sizeof v->save_path))
		return;
	bool replace;
	if (!ui_may_write(v->save_path, &replace))
		return;
	char err[1200];
	if (funnel_stages_save(&v->stages, v->save_path, replace, err, sizeof err) != 0)
		screen_flash(app->screens, "%s", err);
	else
		screen_flash(app->screens, "Saved %zu stages to %s", v->stages.count, v->save_path);
}

static enum screen_action stages_key(void *self, struct app *app, int key)
{
	struct stages_view *v = self;
	if ((key == 'q' || key == UI_KEY_ESC) && v->edited) {
		/* the edits live only on this screen: leaving loses them */
		if (!ui_ask_yes_no("Leave without saving?",
				   "Your edits to the stages are not saved and will be lost. Leave "
				   "anyway? (n stays; w saves them to a file)"))
			return SCREEN_HANDLED;
		return SCREEN_BACK;
	}
	if (v->error[0] || !v->stages.count)
		return SCREEN_UNHANDLED;
	if (ui_nav_key(key, v->stages.count, (int)v->stages.count, false, &v->selected))
		return SCREEN_HANDLED;
	if (ui_key_is_enter(key) || key == 'e') {
		stages_edit_count(v, app);
		return SCREEN_HANDLED;
	}
	switch (key) {
	case 'o':
		stages_edit_owner(v);
		return SCREEN_HANDLED;
	case 'r':
		stages_load(v);
		screen_flash(app->screens, "Back to the numbers in %s", v->path);
		return SCREEN_HANDLED;
	case 'w':
		stages_save(v, app);
		return SCREEN_HANDLED;
	default:
		return SCREEN_UNHANDLED;
	}
}

static const char *stages_context(void *self, struct app *app)
{
	(void)app;
	struct stages_view *v = self;
	snprintf(v->context, sizeof v->context, "%s%s", v->course ? "course example" : "stage counts",
		 v->edited ? " (edited)" : "");
	return v->context;
}

static const char *const stages_keys[] = {"j/k", "stage", "e", "edit count", "o", "owner", "r",
					  "reset", "w", "save", "q", "back", NULL};
static const char *const stages_help[] = {
	"j/k", "select a stage",
	"e, Enter", "edit the selected stage's count: the bars, rates and the biggest drop follow",
	"o", "edit who owns the stage",
	"r", "reset to the numbers in the file",
	"w", "save the stages to a CSV file (stage,count,owner)",
	"q, Esc", "back; after an edit, asks first (the edits are lost unless saved)",
	NULL,
};

const struct screen_ops funnel_stages_screen = {
	.title = "Funnel by stage",
	.keys = stages_keys,
	.help_keys = stages_help,
	.help_text = "Each bar is a stage, as a share of the top; the table adds the step "
		     "conversion (each stage over the one before, where people drop out) and the "
		     "people lost. The course gives awareness, acquisition and activation to "
		     "product marketing, and retention, revenue and referral to the PM or a "
		     "growth specialist. Edits stay on this screen until you save them.",
	.enter = stages_enter,
	.draw = stages_draw,
	.key = stages_key,
	.leave = stages_leave,
	.context = stages_context,
};
