/* A scrollable, selectable list of one-row items, the one widget behind the
 * course tree, question lists and cohort rows (as tmux's mode-tree serves
 * several modes). Items are either strings or drawn by a callback; an
 * optional filter hides the items its match callback rejects. */
#ifndef AIPM_UI_LIST_H
#define AIPM_UI_LIST_H

#include "ui.h"

/* Draws item index in width columns at (y, x); the row is already filled
 * with attr (the selection style when selected). */
typedef void (*ui_list_draw_fn)(WINDOW *w, int y, int x, int width, size_t index,
				 attr_t attr, void *data);
/* Whether item index matches filter (non-empty). */
typedef bool (*ui_list_match_fn)(size_t index, const char *filter, void *data);

struct ui_list {
	/* The model: set with ui_list_set_items or ui_list_set_model. */
	const char *const *items;
	size_t count;
	ui_list_draw_fn draw_row;
	ui_list_match_fn match;
	void *data;
	const char *empty_text; /* shown when nothing is visible */

	char *filter;
	size_t *visible; /* item indices that pass the filter, in order */
	size_t visible_count, visible_cap;
	size_t selected; /* position in visible */
	size_t top;      /* first visible position shown */
	int rows;        /* rows of the last draw: the page for PgUp/PgDn */
	int screen_y, screen_x, width; /* the last drawn area, for clicks */
};

void ui_list_init(struct ui_list *l);
void ui_list_free(struct ui_list *l);
/* String items (not copied); the default match is a case-insensitive
 * substring. */
void ui_list_set_items(struct ui_list *l, const char *const *items, size_t count);
/* count items drawn by draw_row and filtered by match (NULL: the filter
 * keeps everything). Call again when the model changes: the selection stays
 * on the same item index when it is still visible. */
void ui_list_set_model(struct ui_list *l, size_t count, ui_list_draw_fn draw_row,
		       ui_list_match_fn match, void *data);
/* NULL or "" shows every item. */
void ui_list_set_filter(struct ui_list *l, const char *filter);
/* The selected item index, or SIZE_MAX when the list shows nothing. */
size_t ui_list_selected(const struct ui_list *l);
/* Selects an item by index if it is visible. */
void ui_list_select(struct ui_list *l, size_t index);
void ui_list_draw(struct ui_list *l, WINDOW *w, int y, int x, int height, int width);
/* Movement keys, the mouse wheel and clicks; true when the key was used. */
bool ui_list_key(struct ui_list *l, int key);

#endif
