/* Bookmarks and highlights: the paragraphs the learner marked with m or h
 * in a lesson, across the course in course order; Enter opens the lesson
 * at the paragraph, d deletes one (asked first). */
#include "app.h"
#include "lesson.h"
#include "lessons_screens.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

struct bookmarks_screen {
	struct lesson_bookmark *marks;
	size_t count;
	struct ui_list list;
};

static void bookmarks_reload(struct bookmarks_screen *s, struct app *app)
{
	lesson_bookmarks_free(s->marks, s->count);
	s->marks = NULL;
	s->count = 0;
	if (lesson_bookmarks_all(app->store, app->learner.id, NULL, &s->marks, &s->count) != STORE_OK)
		screen_flash(app->screens, "Could not read the bookmarks: %s",
			     store_errmsg(app->store));
	ui_list_set_model(&s->list, s->count, s->list.draw_row, NULL, s);
}

static const char *mark_name(const struct lesson_bookmark *b)
{
	return b->kind == LESSON_MARK_HIGHLIGHT ? "highlight" : "bookmark";
}

static void bookmark_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr,
			 void *data)
{
	struct bookmarks_screen *s = data;
	const struct lesson_bookmark *b = &s->marks[index];
	char *line = xasprintf("%-9s  %s: %s", mark_name(b), b->lesson_title, b->excerpt);
	ui_fill(w, y, x, width, attr);
	ui_put(w, y, x + 1, width - 2, line, attr);
	free(line);
}

static void *bookmarks_enter(struct app *app, void *arg)
{
	(void)arg;
	struct bookmarks_screen *s = xcalloc(1, sizeof *s);
	ui_list_init(&s->list);
	s->list.draw_row = bookmark_row;
	s->list.empty_text = "No bookmarks yet: m in a lesson bookmarks the paragraph at the top, "
			     "h highlights it.";
	bookmarks_reload(s, app);
	return s;
}

static void bookmarks_leave(void *self, struct app *app)
{
	(void)app;
	struct bookmarks_screen *s = self;
	lesson_bookmarks_free(s->marks, s->count);
	ui_list_free(&s->list);
	free(s);
}

static void bookmarks_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct bookmarks_screen *s = self;
	char line[96];
	size_t highlights = 0;
	for (size_t i = 0; i < s->count; i++)
		highlights += s->marks[i].kind == LESSON_MARK_HIGHLIGHT;
	size_t bookmarks = s->count - highlights;
	snprintf(line, sizeof line, "%zu bookmark%s and %zu highlight%s across the course", bookmarks,
		 bookmarks == 1 ? "" : "s", highlights, highlights == 1 ? "" : "s");
	ui_put(w, top + 1, 2, cols - 4, line, ui_attr(UI_HEADING2));
	ui_list_draw(&s->list, w, top + 3, 2, rows - 5, cols - 4);
	/* The whole of the selected one: a row shows only its start. */
	size_t i = ui_list_selected(&s->list);
	if (i != SIZE_MAX && i < s->count) {
		char *whole = xasprintf("%s: %s", s->marks[i].lesson_title, s->marks[i].excerpt);
		ui_put_wrapped(w, top + rows - 2, 2, cols - 4, 2, whole, ui_attr(UI_DIM));
		free(whole);
	}
}

static enum screen_action bookmarks_key(void *self, struct app *app, int key)
{
	struct bookmarks_screen *s = self;
	if (ui_list_key(&s->list, key))
		return SCREEN_HANDLED;
	size_t i = ui_list_selected(&s->list);
	if (i == SIZE_MAX || i >= s->count)
		return SCREEN_UNHANDLED;
	if (ui_key_is_enter(key)) {
		struct reader_request req = {
		    .lesson_id = s->marks[i].lesson,
		    .para = s->marks[i].para,
		    .at_para = true,
		    .anchor = *s->marks[i].anchor ? s->marks[i].anchor : NULL};
		screen_push(app->screens, &reader_screen, &req);
		return SCREEN_HANDLED;
	}
	if (key == 'd' || key == KEY_DC) {
		bool highlight = s->marks[i].kind == LESSON_MARK_HIGHLIGHT;
		if (!ui_ask_yes_no(highlight ? "Remove this highlight?" : "Delete this bookmark?",
				   s->marks[i].excerpt))
			return SCREEN_HANDLED;
		if (lesson_bookmark_delete(app->store, app->learner.id, s->marks[i].uid) != STORE_OK)
			screen_flash(app->screens, "Not deleted: %s", store_errmsg(app->store));
		else
			screen_flash(app->screens, highlight ? "Highlight removed (h in the lesson marks "
							       "it again)."
							     : "Bookmark deleted (m in the lesson marks it "
							       "again).");
		bookmarks_reload(s, app);
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *const bookmarks_keys[] = {"j/k", "move", "Enter", "open", "d", "delete",
					     "q", "back", NULL};
static const char *const bookmarks_help[] = {
	"j/k, arrows", "move between bookmarks",
	"Enter", "open the lesson at the paragraph",
	"d, Delete", "delete the bookmark or remove the highlight (asked first)",
	NULL,
};

const struct screen_ops bookmarks_screen = {
	.title = "Bookmarks",
	.keys = bookmarks_keys,
	.help_keys = bookmarks_help,
	.help_text = "m in a lesson bookmarks the paragraph at the top of the screen (an arrow "
		     "in the margin), h highlights it (a bar in the margin); M (in a lesson or "
		     "the course tree) lists them all here. Each is kept at its paragraph's text: "
		     "after a course update it is found where that text went.",
	.enter = bookmarks_enter,
	.draw = bookmarks_draw,
	.key = bookmarks_key,
	.leave = bookmarks_leave,
};
