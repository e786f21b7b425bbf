/* A view that scrolls whatever a screen draws: the screen draws its whole
 * content, at its natural height, on an off-screen pad, and the part that
 * fits is copied onto the window with a scrollbar beside it. Charts,
 * tables and wrapped text keep their own drawing code and are never cut
 * to fit the terminal: what does not fit is a key press away. */
#ifndef AIPM_UI_SCROLLPAD_H
#define AIPM_UI_SCROLLPAD_H

#include "ui.h"

struct ui_scrollpad {
	WINDOW *pad;
	int pad_rows, pad_cols;
	size_t top;       /* first content row shown */
	int used;         /* content rows at the last draw */
	int view_rows;    /* rows shown at the last draw */
};

void ui_scrollpad_init(struct ui_scrollpad *s);
void ui_scrollpad_free(struct ui_scrollpad *s);
/* A blank surface at least rows tall and width columns wide (the width
 * left of the scrollbar), to draw the content on from row 0. */
WINDOW *ui_scrollpad_begin(struct ui_scrollpad *s, int rows, int width);
/* Shows content rows [top, top + height) of the used rows drawn since
 * begin at (y, x) of w, width columns with the scrollbar in the last one. */
void ui_scrollpad_show(struct ui_scrollpad *s, int used, WINDOW *w, int y, int x, int height,
		       int width);
/* The columns the content gets in a view width columns wide. */
int ui_scrollpad_text_width(int width);
/* j/k, arrows, PgUp/PgDn, Space, g/G, Home/End, the wheel. */
bool ui_scrollpad_key(struct ui_scrollpad *s, int key);
/* Back to the top (a new content). */
void ui_scrollpad_home(struct ui_scrollpad *s);
/* Brings content rows [from, to) into view at the next draw. */
void ui_scrollpad_reveal(struct ui_scrollpad *s, int from, int to);

#endif
