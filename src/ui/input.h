/* Text entry widgets: a one-line field (what ui_prompt uses, embeddable in
 * any screen) and a multi-line editor. Both keep UTF-8 text, move by whole
 * characters (a letter with its combining marks) and return true from their
 * key handler when they used the key and want a redraw; Enter (field only),
 * Esc, Tab and function keys are left to the caller (the screen picks how an
 * editor's text is submitted, e.g. Ctrl-D or F2). */
#ifndef AIPM_UI_INPUT_H
#define AIPM_UI_INPUT_H

#include "ui.h"
#include "util.h"

struct ui_field {
	struct strbuf text;
	size_t cursor;          /* byte offset into text */
	size_t scroll;          /* first byte shown */
	size_t max_bytes;       /* 0: no limit */
	int cursor_y, cursor_x; /* where the last draw put the cursor */
};

void ui_field_init(struct ui_field *f, const char *initial, size_t max_bytes);
void ui_field_free(struct ui_field *f);
/* The text, never NULL. */
const char *ui_field_text(const struct ui_field *f);
void ui_field_set(struct ui_field *f, const char *text);
/* Draws one row of width columns; the caller moves the cursor to
 * (cursor_y, cursor_x) when the field has the focus. */
void ui_field_draw(struct ui_field *f, WINDOW *w, int y, int x, int width, attr_t attr);
/* Left/Right, Home/End (Ctrl-A/E), Backspace, Delete, Ctrl-U/Ctrl-K (erase
 * to the start/end) and typed characters. */
bool ui_field_key(struct ui_field *f, int key);

/* The patterns typed in a prompt, oldest first, for Up/Down in the next
 * prompt (as less and a shell): a repeat moves to the end, at most
 * UI_HISTORY_MAX are kept. */
#define UI_HISTORY_MAX 50
struct ui_history {
	char **items;
	size_t count, cap;
	size_t at;   /* the entry shown while browsing; count: the draft */
	char *draft; /* what was typed before Up */
};
void ui_history_free(struct ui_history *h);
void ui_history_add(struct ui_history *h, const char *text);
/* Starts browsing from the draft (a new prompt). */
void ui_history_rewind(struct ui_history *h);
/* Up (older) and Down (newer, then back to the draft) into f; true when
 * the key was one of them. */
bool ui_history_key(struct ui_history *h, struct ui_field *f, int key);

/* A visual line of the editor: bytes [start, end) of the text. */
struct ui_edline {
	size_t start, end;
};

struct ui_editor {
	struct strbuf text;
	size_t cursor;          /* byte offset into text */
	size_t max_bytes;       /* 0: no limit */
	size_t top;             /* first visual line shown */
	int goal_x;             /* column kept across Up/Down; -1: none */
	int width, rows;        /* of the last draw */
	int cursor_y, cursor_x; /* where the last draw put the cursor */
	struct ui_edline *lines; /* the text wrapped to width */
	size_t line_count, line_cap;
};

void ui_editor_init(struct ui_editor *e, const char *initial, size_t max_bytes);
void ui_editor_free(struct ui_editor *e);
/* The text as UTF-8, lines separated by '\n'; never NULL. */
const char *ui_editor_text(const struct ui_editor *e);
/* Draws the text word-wrapped in height rows of width columns (the last
 * column for the cursor at a line end and the scroll indicator). */
void ui_editor_draw(struct ui_editor *e, WINDOW *w, int y, int x, int height, int width,
		    attr_t attr);
/* Arrows, Home/End (of the visual line), PgUp/PgDn, Enter for a new line,
 * Backspace/Delete (joining lines at their ends) and typed characters. */
bool ui_editor_key(struct ui_editor *e, int key);

#endif
