/* Home: who is signed in, how far the course is, what to open next, and
 * the modules that exist. */
#include "app.h"
#include "clock.h"
#include "review.h"
#include "lessons_screens.h"
#include "progress.h"
#include "progressbar.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct home {
	size_t selected; /* index into app_modules */
	struct lesson_status *lessons;
	size_t nlessons;
	struct course_summary summary;
	char context[160];
};

static void home_reload(struct home *h, struct app *app)
{
	free(h->lessons);
	h->lessons = NULL;
	h->nlessons = 0;
	if (app->signed_in)
		progress_lessons(app->store, app->learner.id, &h->lessons, &h->nlessons);
	progress_summarize(h->lessons, h->nlessons, &h->summary);
}

static void *home_enter(struct app *app, void *arg)
{
	(void)arg;
	struct home *h = xcalloc(1, sizeof *h);
	home_reload(h, app);
	return h;
}

static void home_leave(void *self, struct app *app)
{
	(void)app;
	struct home *h = self;
	free(h->lessons);
	free(h);
}

static void home_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct home *h = self;
	home_reload(h, app);
	int y = top + 1, label = 2, value = 14, width = cols - value - 2;
	(void)rows;
	char line[512];

	const char *greeting = app->first_visit ? "Welcome," : "Welcome back,";
	int name_at = label + (int)strlen(greeting) + 1;
	ui_put(w, y, label, cols - 4, greeting, ui_attr(UI_DIM));
	ui_put(w, y, name_at, cols - name_at - 2, app->learner.name, ui_attr(UI_TITLE));
	y += 2;

	ui_put(w, y, label, value - label, "Course", ui_attr(UI_HEADING2));
	if (h->summary.lessons == 0) {
		ui_put(w, y, value, width, "No lessons are imported (see the content problems below).",
		       ui_attr(UI_WARN));
	} else {
		int bar = width < 40 ? width / 2 : 26;
		struct ui_progress p = {h->summary.percent / 100.0, NULL, NULL};
		ui_progress_draw(&p, w, y, value, 1, bar);
		snprintf(line, sizeof line, "%d of %d lessons done in %d modules", h->summary.done,
			 h->summary.lessons, h->summary.modules);
		ui_put(w, y, value + bar + 1, width - bar - 1, line, ui_attr(UI_NORMAL));
	}
	y++;
	if (h->summary.in_progress) {
		snprintf(line, sizeof line, "%d in progress", h->summary.in_progress);
		ui_put(w, y++, value, width, line, ui_attr(UI_DIM));
	}
	y++;
	ui_put(w, y, label, value - label, "Next", ui_attr(UI_HEADING2));
	if (h->summary.next >= 0) {
		const struct lesson_status *n = &h->lessons[h->summary.next];
		/* The how-to on a row of its own: at 80 columns the title takes
		 * the first row's width. */
		snprintf(line, sizeof line, "%s %s %s", n->module_title, ui_glyph(GLYPH_ARROW_RIGHT),
			 n->title);
		ui_put(w, y, value, width, line, ui_attr(UI_ACCENT));
		snprintf(line, sizeof line, "%d min read, press n", n->minutes);
		ui_put(w, ++y, value, width, line, ui_attr(UI_DIM));
	} else if (h->summary.lessons) {
		ui_put(w, y, value, width, "Every lesson is done. Well done!", ui_attr(UI_GOOD));
	}
	y += 2;
	if (app->signed_in) {
		/* One queue, as Anki's: the quiz questions and the drill's. */
		struct review_counts due;
		review_due_counts(app->store, app->learner.id, clock_now(), &due);
		size_t all = due.drill + due.quiz;
		snprintf(line, sizeof line, "%zu due today: %zu quiz, %zu drill%s", all, due.quiz,
			 due.drill, all ? " (press r)" : "");
		ui_put(w, y, label, value - label, "Review", ui_attr(UI_HEADING2));
		ui_put(w, y, value, width, line, ui_attr(all ? UI_ACCENT : UI_DIM));
		/* The week ahead, as Anki's forecast: the days after today. */
		size_t ahead[REVIEW_FORECAST_DAYS];
		if (review_forecast(app->store, app->learner.id, clock_now(), ahead) == STORE_OK) {
			int n = snprintf(line, sizeof line, "next %d days:", REVIEW_FORECAST_DAYS - 1);
			for (int d = 1; d < REVIEW_FORECAST_DAYS && n < (int)sizeof line; d++)
				n += snprintf(line + n, sizeof line - (size_t)n, " %s%zu",
					      d == 1 ? "" : "· ", ahead[d]);
			if (n < (int)sizeof line)
				snprintf(line + n, sizeof line - (size_t)n, " (tomorrow first)");
			ui_put(w, ++y, value, width, line, ui_attr(UI_DIM));
		}
		y += 2;
	}
	if (app->problems.count) {
		snprintf(line, sizeof line,
			 "%zu problem%s in the course files were skipped (press ! to list)",
			 app->problems.count, app->problems.count == 1 ? "" : "s");
		ui_put(w, y, label, value - label, "Content", ui_attr(UI_HEADING2));
		ui_put(w, y, value, width, line, ui_attr(UI_WARN));
		y += 2;
	}
	if (!app_module_count)
		return;
	ui_put(w, y++, label, cols - 4, "Modules", ui_attr(UI_HEADING2));
	for (size_t i = 0; i < app_module_count && y < top + rows; i++, y++) {
		const struct app_module *m = &app_modules[i];
		bool sel = i == h->selected;
		attr_t a = ui_attr(sel ? UI_SELECTED : UI_NORMAL);
		if (sel)
			ui_fill(w, y, label, cols - 2 * label, a);
		snprintf(line, sizeof line, " %c  %-18s %s", m->key, m->name, m->description);
		ui_put(w, y, label, cols - 2 * label, line, a);
	}
}

static enum screen_action home_key(void *self, struct app *app, int key)
{
	struct home *h = self;
	for (size_t i = 0; i < app_module_count; i++) {
		if (key == app_modules[i].key) {
			screen_push(app->screens, app_modules[i].screen, NULL);
			return SCREEN_HANDLED;
		}
	}
	switch (key) {
	case 'j':
	case KEY_DOWN:
		if (h->selected + 1 < app_module_count)
			h->selected++;
		return SCREEN_HANDLED;
	case 'k':
	case KEY_UP:
		if (h->selected > 0)
			h->selected--;
		return SCREEN_HANDLED;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (app_module_count)
			screen_push(app->screens, app_modules[h->selected].screen, NULL);
		return SCREEN_HANDLED;
	case 's':
		screen_push(app->screens, &signin_screen, NULL);
		return SCREEN_HANDLED;
	case 'n':
		if (app->signed_in)
			lessons_open_next(app);
		return SCREEN_HANDLED;
	case '!':
		if (app->problems.count)
			screen_push(app->screens, &problems_screen, NULL);
		return SCREEN_HANDLED;
	case 'q':
	case 27:
		return app_ask_quit();
	default:
		return SCREEN_UNHANDLED;
	}
}

static const char *home_context(void *self, struct app *app)
{
	struct home *h = self;
	snprintf(h->context, sizeof h->context, "%s", app->signed_in ? app->learner.name : "");
	return h->context;
}

static const char *const home_keys[] = {"n",	"next lesson", "s", "switch learner",
					"?",	"help",	       "q", "quit",
					NULL};
static const char *const home_help[] = {
	"n", "open the next lesson you have not finished, where you left it",
	"s", "switch to another learner, or add one",
	"!", "list the problems found in the course files",
	NULL,
};

const struct screen_ops home_screen = {
	.title = "aipm · AI Product Management",
	.keys = home_keys,
	.help_keys = home_help,
	.help_text = "Your progress through the course at a glance. Progress is saved as you "
		     "go, for each learner who shares this computer.",
	.enter = home_enter,
	.draw = home_draw,
	.key = home_key,
	.leave = home_leave,
	.context = home_context,
};
