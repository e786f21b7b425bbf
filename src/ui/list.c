/* The generic list widget. */
#include "list.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void ui_list_init(struct ui_list *l)
{
	memset(l, 0, sizeof *l);
	l->rows = 1;
	l->empty_text = "Nothing to show.";
}

void ui_list_free(struct ui_list *l)
{
	free(l->filter);
	free(l->visible);
	memset(l, 0, sizeof *l);
}

static bool items_match(size_t index, const char *filter, void *data)
{
	const char *const *items = data;
	return strcasestr(items[index], filter) != NULL;
}

static void refilter(struct ui_list *l)
{
	size_t keep = ui_list_selected(l);
	l->visible_count = 0;
	for (size_t i = 0; i < l->count; i++) {
		if (l->filter && l->match && !l->match(i, l->filter, l->data))
			continue;
		ARRAY_PUSH(l->visible, l->visible_count, l->visible_cap, i);
	}
	l->selected = 0;
	l->top = 0;
	if (keep != SIZE_MAX)
		ui_list_select(l, keep);
}

void ui_list_set_items(struct ui_list *l, const char *const *items, size_t count)
{
	l->items = items;
	ui_list_set_model(l, count, NULL, items_match, (void *)items);
}

void ui_list_set_model(struct ui_list *l, size_t count, ui_list_draw_fn draw_row,
		       ui_list_match_fn match, void *data)
{
	l->count = count;
	l->draw_row = draw_row;
	l->match = match;
	l->data = data;
	refilter(l);
}

void ui_list_set_filter(struct ui_list *l, const char *filter)
{
	free(l->filter);
	l->filter = filter && *filter ? xstrdup(filter) : NULL;
	refilter(l);
}

size_t ui_list_selected(const struct ui_list *l)
{
	return l->selected < l->visible_count ? l->visible[l->selected] : SIZE_MAX;
}

void ui_list_select(struct ui_list *l, size_t index)
{
	for (size_t i = 0; i < l->visible_count; i++) {
		if (l->visible[i] == index) {
			l->selected = i;
			return;
		}
	}
}

void ui_list_draw(struct ui_list *l, WINDOW *w, int y, int x, int height, int width)
{
	int beg_y, beg_x;
	getbegyx(w, beg_y, beg_x);
	l->screen_y = beg_y + y;
	l->screen_x = beg_x + x;
	l->width = width;
	l->rows = height > 0 ? height : 1;
	for (int row = 0; row < height; row++)
		ui_fill(w, y + row, x, width, A_NORMAL);
	if (l->visible_count == 0) {
		ui_put(w, y, x + 1, width - 1, l->empty_text, ui_attr(UI_DIM));
		return;
	}
	/* Keep the selection on screen; after a resize or a filter the top
	 * may also have to come back so the page is full. */
	size_t rows = (size_t)l->rows;
	if (l->selected < l->top)
		l->top = l->selected;
	if (l->selected >= l->top + rows)
		l->top = l->selected - rows + 1;
	if (l->top + rows > l->visible_count)
		l->top = l->visible_count > rows ? l->visible_count - rows : 0;
	bool scrolls = l->visible_count > rows;
	int row_width = scrolls ? width - 1 : width;
	for (size_t row = 0; row < rows && l->top + row < l->visible_count; row++) {
		size_t pos = l->top + row;
		attr_t attr = pos == l->selected ? ui_attr(UI_SELECTED) : A_NORMAL;
		int ry = y + (int)row;
		ui_fill(w, ry, x, row_width, attr);
		if (l->draw_row)
			l->draw_row(w, ry, x, row_width, l->visible[pos], attr, l->data);
		else
			ui_put(w, ry, x + 1, row_width - 2, l->items[l->visible[pos]], attr);
	}
	if (scrolls)
		ui_scrollbar(w, y, x + width - 1, height, l->top, rows, l->visible_count);
}

bool ui_list_key(struct ui_list *l, int key)
{
	int click_y, click_x;
	if (key == KEY_MOUSE && ui_last_click(&click_y, &click_x)) {
		int row = click_y - l->screen_y;
		if (row < 0 || row >= l->rows || click_x < l->screen_x ||
		    click_x >= l->screen_x + l->width || l->top + (size_t)row >= l->visible_count)
			return false;
		l->selected = l->top + (size_t)row;
		return true;
	}
	return ui_nav_key(key, l->visible_count, l->rows, false, &l->selected);
}
