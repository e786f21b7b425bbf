/* Text entry widgets: a one-line field (what ui_prompt uses, embeddable in
 * any screen) and a multi-line editor. Both keep UTF-8 text, move by whole
 * characters (a letter with its combining marks) and return true from their
 * key handler when they used the key and want a redraw; Enter (field only),
 * Esc and Tab are left to the caller. */
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

#endif
