/* A table: column headers, per-column alignment, widths from the content
 * within each column's bounds and the space there is, cells that wrap onto
 * a few lines, and optionally a selected row. Cohort tables, metric tables,
 * confusion matrices. */
#ifndef AIPM_UI_TABLE_H
#define AIPM_UI_TABLE_H

#include "ui.h"

enum ui_align { UI_ALIGN_LEFT, UI_ALIGN_RIGHT, UI_ALIGN_CENTER };

struct ui_column {
	const char *title;
	enum ui_align align;
	int min_width, max_width; /* 0: no bound */
};

struct ui_table {
	const struct ui_column *columns;
	size_t column_count;
	char **cells; /* row-major copies */
	size_t row_count, cell_cap;
	bool selectable;    /* a selected row, moved by the keys */
	int max_cell_lines; /* a longer cell ends in an ellipsis */
	size_t selected, top;
	int *widths; /* of the last draw */
	int body_rows;
	int screen_y, screen_x, width; /* the body's last drawn area */
};

/* columns must outlive the table. */
void ui_table_init(struct ui_table *t, const struct ui_column *columns, size_t column_count);
void ui_table_free(struct ui_table *t);
/* column_count cells (NULL is empty), copied. */
void ui_table_add_row(struct ui_table *t, const char *const *cells);
void ui_table_clear(struct ui_table *t);
/* The selected row, or SIZE_MAX when there are none. */
size_t ui_table_selected(const struct ui_table *t);
/* Headers on the first row, a rule, then the rows. */
void ui_table_draw(struct ui_table *t, WINDOW *w, int y, int x, int height, int width);
/* Movement keys (the selection, or the view without one) and clicks. */
bool ui_table_key(struct ui_table *t, int key);

#endif
