#include "scrollpad.h"

#include <string.h>

void ui_scrollpad_init(struct ui_scrollpad *s)
{
	memset(s, 0, sizeof *s);
}

void ui_scrollpad_free(struct ui_scrollpad *s)
{
	if (s->pad)
		delwin(s->pad);
	memset(s, 0, sizeof *s);
}

int ui_scrollpad_text_width(int width)
{
	return width > 2 ? width - 1 : width;
}

WINDOW *ui_scrollpad_begin(struct ui_scrollpad *s, int rows, int width)
{
	rows = rows < 1 ? 1 : rows;
	width = width < 1 ? 1 : width;
	if (!s->pad || s->pad_rows < rows || s->pad_cols != width) {
		if (s->pad)
			delwin(s->pad);
		s->pad = newpad(rows, width);
		s->pad_rows = rows;
		s->pad_cols = width;
	}
	werase(s->pad);
	return s->pad;
}

static size_t max_top(const struct ui_scrollpad *s)
{
	return s->used > s->view_rows ? (size_t)(s->used - s->view_rows) : 0;
}

void ui_scrollpad_show(struct ui_scrollpad *s, int used, WINDOW *w, int y, int x, int height,
		       int width)
{
	s->used = used < 0 ? 0 : used > s->pad_rows ? s->pad_rows : used;
	s->view_rows = height < 1 ? 1 : height;
	if (s->top > max_top(s))
		s->top = max_top(s);
	if (!s->pad || height < 1)
		return;
	int shown = s->used - (int)s->top < height ? s->used - (int)s->top : height;
	int text = ui_scrollpad_text_width(width);
	int cols = text < s->pad_cols ? text : s->pad_cols;
	int maxy = getmaxy(w), maxx = getmaxx(w);
	if (shown > maxy - y)
		shown = maxy - y;
	if (cols > maxx - x)
		cols = maxx - x;
	if (shown > 0 && cols > 0)
		copywin(s->pad, w, (int)s->top, 0, y, x, y + shown - 1, x + cols - 1, FALSE);
	if (text < width)
		ui_scrollbar(w, y, x + width - 1, height, s->top, (size_t)height, (size_t)s->used);
}

bool ui_scrollpad_key(struct ui_scrollpad *s, int key)
{
	return ui_nav_key(key, max_top(s) + 1, s->view_rows, false, &s->top) ||
	       (key == ' ' && ui_nav_key(KEY_NPAGE, max_top(s) + 1, s->view_rows, false, &s->top));
}

void ui_scrollpad_home(struct ui_scrollpad *s)
{
	s->top = 0;
}

void ui_scrollpad_reveal(struct ui_scrollpad *s, int from, int to)
{
	if (from < 0 || to <= from)
		return;
	if ((size_t)from < s->top)
		s->top = (size_t)from;
	else if (s->view_rows > 0 && (size_t)to > s->top + (size_t)s->view_rows)
		s->top = (size_t)(to - s->view_rows) > (size_t)from ? (size_t)from
								     : (size_t)(to - s->view_rows);
}
