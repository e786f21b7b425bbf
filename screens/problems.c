/* The problems the last content import found, as file:line: message. */
#include "app.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

struct problems {
	size_t first;
};

static void *problems_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
	return xcalloc(1, sizeof(struct problems));
}

static void problems_leave(void *self, struct app *app)
{
	(void)app;
	free(self);
}

static void problems_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct problems *p = self;
	char line[1024];
	snprintf(line, sizeof line, "%zu problem%s in %s (those rows or files were skipped):",
		 app->problems.count, app->problems.count == 1 ? "" : "s", app->content_dir);
	ui_put(w, top + 1, 2, cols - 4, line, ui_attr(UI_HEADING2));
	int y = top + 3;
	for (size_t i = p->first; i < app->problems.count && y < top + rows; i++, y++) {
		const struct content_problem *cp = &app->problems.items[i];
		snprintf(line, sizeof line, "%s:%d: %s", cp->file, cp->line, cp->message);
		ui_put(w, y, 2, cols - 4, line, ui_attr(UI_NORMAL));
	}
}

static enum screen_action problems_key(void *self, struct app *app, int key)
{
	struct problems *p = self;
	if ((key == 'j' || key == KEY_DOWN) && p->first + 1 < app->problems.count)
		p->first++;
	else if ((key == 'k' || key == KEY_UP) && p->first > 0)
		p->first--;
	else
		return SCREEN_UNHANDLED;
	return SCREEN_HANDLED;
}

static const char *const problems_keys[] = {"j/k", "scroll", "q", "back", NULL};
static const char *const problems_help[] = {"j/k, arrows", "scroll the list", NULL};

const struct screen_ops problems_screen = {
	.title = "Content problems",
	.keys = problems_keys,
	.help_keys = problems_help,
	.help_text = "Run 'aipm content check' for the same list on the command line.",
	.enter = problems_enter,
	.draw = problems_draw,
	.key = problems_key,
	.leave = problems_leave,
};
