/* Notes: the learner's notes on one lesson (from the reader) or on the
 * whole course (from the tree), to edit, delete (asked first, and undone
 * with u) and open at their lesson. */
#include "app.h"
#include "clock.h"
#include "lesson.h"
#include "lessons_screens.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct notes_screen {
	char lesson[96]; /* empty: every lesson */
	struct lesson_note *notes;
	size_t count;
	struct ui_list list;
	/* The last note deleted, for u; has_removed once there is one. */
	struct lesson_note removed;
	bool has_removed;
	char context[112];
};

static void notes_reload(struct notes_screen *s, struct app *app)
{
	lesson_notes_free(s->notes, s->count);
	s->notes = NULL;
	s->count = 0;
	enum store_error e = s->lesson[0]
				 ? lesson_notes(app->store, app->learner.id, s->lesson, &s->notes,
						&s->count)
				 : lesson_notes_all(app->store, app->learner.id, &s->notes, &s->count);
	if (e != STORE_OK)
		screen_flash(app->screens, "Could not read the notes: %s", store_errmsg(app->store));
	ui_list_set_model(&s->list, s->count, s->list.draw_row, NULL, s);
}

static void note_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct notes_screen *s = data;
	const struct lesson_note *n = &s->notes[index];
	char when[32], line[LESSON_NOTE_MAX + 256];
	clock_format(n->updated_at, when, sizeof when);
	if (s->lesson[0])
		snprintf(line, sizeof line, "%.16s  %s", when, n->body);
	else
		snprintf(line, sizeof line, "%.10s  %s: %s", when,
			 n->lesson_title ? n->lesson_title : n->lesson, n->body);
	ui_fill(w, y, x, width, attr);
	ui_put(w, y, x + 1, width - 2, line, attr);
}

static void *notes_enter(struct app *app, void *arg)
{
	struct notes_screen *s = xcalloc(1, sizeof *s);
	if (arg)
		snprintf(s->lesson, sizeof s->lesson, "%s", (const char *)arg);
	ui_list_init(&s->list);
	s->list.draw_row = note_row;
	s->list.empty_text = s->lesson[0] ? "No notes on this lesson yet: a in the lesson adds one."
					  : "No notes yet: a in a lesson adds one.";
	notes_reload(s, app);
	return s;
}

static void forget_removed(struct notes_screen *s)
{
	if (s->has_removed) {
		free(s->removed.body);
		free(s->removed.lesson_title);
	}
	s->has_removed = false;
}

static void notes_leave(void *self, struct app *app)
{
	(void)app;
	struct notes_screen *s = self;
	forget_removed(s);
	lesson_notes_free(s->notes, s->count);
	ui_list_free(&s->list);
	free(s);
}

static void notes_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct notes_screen *s = self;
	char line[160];
	snprintf(line, sizeof line, "%zu note%s%s", s->count, s->count == 1 ? "" : "s",
		 s->lesson[0] ? " on this lesson" : " across the course, in course order");
	ui_put(w, top + 1, 2, cols - 4, line, ui_attr(UI_HEADING2));
	ui_list_draw(&s->list, w, top + 3, 2, rows - 4, cols - 4);
	if (s->count) {
		/* The whole of the selected note: a row shows only its start. */
		size_t i = ui_list_selected(&s->list);
		if (i != SIZE_MAX)
			ui_put_wrapped(w, top + rows - 1, 2, cols - 4, 1, s->notes[i].body,
				       ui_attr(UI_DIM));
	}
}

static void edit_note(struct notes_screen *s, struct app *app, size_t i)
{
	char body[LESSON_NOTE_MAX + 1];
	snprintf(body, sizeof body, "%s", s->notes[i].body);
	if (!ui_prompt("Edit the note", "The note (empty keeps it as it was; d deletes):", body,
		       sizeof body))
		return;
	str_trim(body);
	if (!*body || !strcmp(body, s->notes[i].body))
		return;
	if (lesson_note_edit(app->store, app->learner.id, s->notes[i].uid, body) != STORE_OK) {
		screen_flash(app->screens, "The note was not saved: %s", store_errmsg(app->store));
		return;
	}
	notes_reload(s, app);
	screen_flash(app->screens, "Note saved.");
}

static void delete_note(struct notes_screen *s, struct app *app, size_t i)
{
	char *text = xasprintf("\"%s\" will be deleted (u undoes it while this list is open).",
			       s->notes[i].body);
	bool yes = ui_ask_yes_no("Delete this note?", text);
	free(text);
	if (!yes)
		return;
	struct lesson_note removed;
	if (lesson_note_delete(app->store, app->learner.id, s->notes[i].uid, &removed) !=
	    STORE_OK) {
		screen_flash(app->screens, "The note was not deleted: %s", store_errmsg(app->store));
		return;
	}
	forget_removed(s);
	s->removed = removed;
	s->has_removed = true;
	notes_reload(s, app);
	screen_flash(app->screens, "Note deleted: u brings it back.");
}

static void undo_delete(struct notes_screen *s, struct app *app)
{
	if (!s->has_removed) {
		screen_flash(app->screens, "Nothing to undo.");
		return;
	}
	if (lesson_note_restore(app->store, app->learner.id, &s->removed) != STORE_OK) {
		screen_flash(app->screens, "The note was not restored: %s", store_errmsg(app->store));
		return;
	}
	char uid[sizeof s->removed.uid];
	snprintf(uid, sizeof uid, "%s", s->removed.uid);
	forget_removed(s);
	notes_reload(s, app);
	/* The cursor goes to the note brought back. */
	for (size_t i = 0; i < s->count; i++)
		if (!strcmp(s->notes[i].uid, uid))
			ui_list_select(&s->list, i);
	screen_flash(app->screens, "Note restored.");
}

static enum screen_action notes_key(void *self, struct app *app, int key)
{
	struct notes_screen *s = self;
	if (ui_list_key(&s->list, key))
		return SCREEN_HANDLED;
	if (key == 'u') {
		undo_delete(s, app);
		return SCREEN_HANDLED;
	}
	size_t i = ui_list_selected(&s->list);
	if (i == SIZE_MAX || i >= s->count)
		return SCREEN_UNHANDLED;
	if (key == 'e') {
		edit_note(s, app, i);
		return SCREEN_HANDLED;
	}
	if (key == 'd' || key == KEY_DC) {
		delete_note(s, app, i);
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key)) {
		/* From a lesson's own list, back to it; else open the lesson. */
		if (s->lesson[0])
			return SCREEN_BACK;
		lessons_open(app, s->notes[i].lesson);
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *notes_context(void *self, struct app *app)
{
	(void)app;
	struct notes_screen *s = self;
	snprintf(s->context, sizeof s->context, "%s", s->lesson[0] ? s->lesson : "all lessons");
	return s->context;
}

static const char *const notes_keys[] = {"j/k", "move", "e", "edit", "d", "delete", "u", "undo",
					 "Enter", "open", "q", "back", NULL};
static const char *const notes_help[] = {
	"j/k, arrows", "move between notes",
	"e", "edit the selected note",
	"d, Delete", "delete it (asked first)",
	"u", "undo the last delete",
	"Enter", "open the note's lesson",
	NULL,
};

const struct screen_ops notes_screen = {
	.title = "Notes",
	.keys = notes_keys,
	.help_keys = notes_help,
	.help_text = "Your notes, kept with your progress (and in your progress bundle for a "
		     "coach: a coach who imported a bundle before a note was deleted keeps that "
		     "copy). 'aipm notes' lists them on the command line, --markdown as a Markdown "
		     "document.",
	.enter = notes_enter,
	.draw = notes_draw,
	.key = notes_key,
	.leave = notes_leave,
	.context = notes_context,
};
