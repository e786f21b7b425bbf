/* The table widget. */
#include "table.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { COLUMN_GAP = 2 };

void ui_table_init(struct ui_table *t, const struct ui_column *columns, size_t column_count)
{
	memset(t, 0, sizeof *t);
	t->columns = columns;
	t->column_count = column_count;
	t->max_cell_lines = 3;
	t->body_rows = 1;
	t->widths = xcalloc(column_count, sizeof *t->widths);
}

void ui_table_clear(struct ui_table *t)
{
	for (size_t i = 0; i < t->row_count * t->column_count; i++)
		free(t->cells[i]);
	t->row_count = 0;
	t->selected = t->top = 0;
}

void ui_table_free(struct ui_table *t)
{
	ui_table_clear(t);
	free(t->cells);
	free(t->widths);
	memset(t, 0, sizeof *t);
}

void ui_table_add_row(struct ui_table *t, const char *const *cells)
{
	size_t need = (t->row_count + 1) * t->column_count;
	grow_array((void **)&t->cells, &t->cell_cap, need, sizeof *t->cells);
	for (size_t c = 0; c < t->column_count; c++)
		t->cells[t->row_count * t->column_count + c] = xstrdup(cells[c] ? cells[c] : "");
	t->row_count++;
}

size_t ui_table_selected(const struct ui_table *t)
{
	return t->selectable && t->row_count ? t->selected : SIZE_MAX;
}

static const char *cell(const struct ui_table *t, size_t row, size_t column)
{
	return t->cells[row * t->column_count + column];
}

/* Each column gets its widest content within its bounds; when that is too
 * wide for the space, the widest columns give up columns first, down to
 * their minimum (or 6), so that narrow columns of numbers stay whole. */
static void layout(struct ui_table *t, int width)
{
	int total = 0, avail = width - 1 - COLUMN_GAP * ((int)t->column_count - 1);
	for (size_t c = 0; c < t->column_count; c++) {
		const struct ui_column *col = &t->columns[c];
		int w = ui_width(col->title);
		for (size_t r = 0; r < t->row_count; r++) {
			int cw = ui_width(cell(t, r, c));
			w = cw > w ? cw : w;
		}
		w = col->max_width && w > col->max_width ? col->max_width : w;
		w = w < col->min_width ? col->min_width : w;
		t->widths[c] = w;
		total += w;
	}
	while (total > avail) {
		size_t widest = SIZE_MAX;
		for (size_t c = 0; c < t->column_count; c++) {
			int floor = t->columns[c].min_width ? t->columns[c].min_width : 6;
			if (t->widths[c] > floor &&
			    (widest == SIZE_MAX || t->widths[c] > t->widths[widest]))
				widest = c;
		}
		if (widest == SIZE_MAX)
			break; /* the last columns are cut at the edge */
		t->widths[widest]--;
		total--;
	}
}

/* Lines a cell takes at its column's width, at most max_cell_lines. */
static int cell_lines(const struct ui_table *t, const char *s, int width)
{
	size_t n = strlen(s), pos = 0, next;
	int lines = 0;
	do {
		ui_wrap_line(s + pos, n - pos, width, &next);
		pos += next;
		lines++;
	} while (pos < n && lines < t->max_cell_lines);
	return lines;
}

static int row_height(const struct ui_table *t, size_t row)
{
	int height = 1;
	for (size_t c = 0; c < t->column_count; c++) {
		int lines = cell_lines(t, cell(t, row, c), t->widths[c]);
		height = lines > height ? lines : height;
	}
	return height;
}

static void put_aligned(WINDOW *w, int y, int x, int width, const char *s, size_t n,
			enum ui_align align, attr_t attr)
{
	int text_width = ui_width_n(s, n);
	int pad = text_width >= width ? 0 : align == UI_ALIGN_RIGHT ? width - text_width
				      : align == UI_ALIGN_CENTER ? (width - text_width) / 2
								  : 0;
	ui_putn(w, y, x + pad, width - pad, s, n, attr);
}

/* A cell wrapped onto at most lines lines; the last takes the rest of the
 * text, which ui_putn cuts with an ellipsis. */
static void draw_cell(WINDOW *w, int y, int x, int width, int lines, const char *s,
		      enum ui_align align, attr_t attr)
{
	size_t n = strlen(s), pos = 0, next;
	for (int line = 0; line < lines && (pos < n || line == 0); line++) {
		size_t len = ui_wrap_line(s + pos, n - pos, width, &next);
		if (line == lines - 1 && pos + next < n)
			len = n - pos;
		put_aligned(w, y + line, x, width, s + pos, len, align, attr);
		pos += next;
	}
}

static void draw_row(const struct ui_table *t, WINDOW *w, int y, int x, int height, size_t row,
		     attr_t attr)
{
	for (int line = 0; line < height; line++)
		ui_fill(w, y + line, x, t->width - 1, attr);
	for (size_t c = 0; c < t->column_count; c++) {
		draw_cell(w, y, x, t->widths[c], height, cell(t, row, c), t->columns[c].align, attr);
		x += t->widths[c] + COLUMN_GAP;
	}
}

void ui_table_draw(struct ui_table *t, WINDOW *w, int y, int x, int height, int width)
{
	layout(t, width);
	int col_x = x;
	attr_t head = ui_attr(UI_HEADING2);
	ui_fill(w, y, x, width, A_NORMAL);
	for (size_t c = 0; c < t->column_count; c++) {
		const char *title = t->columns[c].title;
		put_aligned(w, y, col_x, t->widths[c], title, strlen(title), t->columns[c].align, head);
		col_x += t->widths[c] + COLUMN_GAP;
	}
	if (height > 1)
		ui_hline(w, y + 1, x, width - 1, ui_attr(UI_DIM));
	int beg_y, beg_x;
	getbegyx(w, beg_y, beg_x);
	t->screen_y = beg_y + y + 2;
	t->screen_x = beg_x + x;
	t->width = width;
	t->body_rows = height > 2 ? height - 2 : 1;
	for (int row = 2; row < height; row++)
		ui_fill(w, y + row, x, width, A_NORMAL);
	if (t->row_count == 0 || height <= 2)
		return;

	if (t->top >= t->row_count)
		t->top = t->row_count - 1;
	if (t->selectable) {
		if (t->selected >= t->row_count)
			t->selected = t->row_count - 1;
		if (t->selected < t->top)
			t->top = t->selected;
		/* Rows differ in height: move the top down until the selected
		 * row fits whole. */
		for (;;) {
			int used = 0;
			for (size_t r = t->top; r <= t->selected; r++)
				used += row_height(t, r);
			if (used <= t->body_rows || t->top == t->selected)
				break;
			t->top++;
		}
	} else {
		/* Without a selection, G and End still show a full page. */
		int used = 0;
		for (size_t r = t->top; r < t->row_count; r++)
			used += row_height(t, r);
		while (t->top > 0 && used + row_height(t, t->top - 1) <= t->body_rows)
			used += row_height(t, --t->top);
	}
	int row_y = y + 2;
	size_t r = t->top;
	for (; r < t->row_count && row_y < y + height; r++) {
		/* A row cut by the bottom edge ends in an ellipsis. */
		int h = row_height(t, r);
		h = h < y + height - row_y ? h : y + height - row_y;
		bool selected = t->selectable && r == t->selected;
		draw_row(t, w, row_y, x, h, r, selected ? ui_attr(UI_SELECTED) : A_NORMAL);
		row_y += h;
	}
	ui_scrollbar(w, y + 2, x + width - 1, t->body_rows, t->top, r - t->top, t->row_count);
}

/* The row under a click, SIZE_MAX when none. */
static size_t row_at(const struct ui_table *t, int screen_y, int screen_x)
{
	if (screen_x < t->screen_x || screen_x >= t->screen_x + t->width)
		return SIZE_MAX;
	int y = t->screen_y;
	for (size_t r = t->top; r < t->row_count && y < t->screen_y + t->body_rows; r++) {
		int h = row_height(t, r);
		if (screen_y >= y && screen_y < y + h)
			return r;
		y += h;
	}
	return SIZE_MAX;
}

bool ui_table_key(struct ui_table *t, int key)
{
	int click_y, click_x;
	if (key == KEY_MOUSE && ui_last_click(&click_y, &click_x)) {
		size_t row = row_at(t, click_y, click_x);
		if (row == SIZE_MAX || !t->selectable)
			return false;
		t->selected = row;
		return true;
	}
	return ui_nav_key(key, t->row_count, t->body_rows, false,
			  t->selectable ? &t->selected : &t->top);
}
