/* The bar chart widget. */
#include "barchart.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ui_barchart_init(struct ui_barchart *c)
{
	memset(c, 0, sizeof *c);
	c->attr = ui_attr(UI_BAR);
	c->second_attr = ui_attr(UI_DIM);
}

void ui_barchart_free(struct ui_barchart *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->items[i].label);
		free(c->items[i].value_text);
		free(c->items[i].second_text);
	}
	free(c->items);
	memset(c, 0, sizeof *c);
}

static char *value_text(double value, const char *text)
{
	return text ? xstrdup(text) : xasprintf("%.3g", value);
}

void ui_barchart_add(struct ui_barchart *c, const char *label, double value, const char *text)
{
	struct ui_bar_item item = {.label = xstrdup(label), .value = value,
				   .value_text = value_text(value, text)};
	ARRAY_PUSH(c->items, c->count, c->cap, item);
}

void ui_barchart_add_pair(struct ui_barchart *c, const char *label, double value,
			  const char *text, double second, const char *second_text)
{
	ui_barchart_add(c, label, value, text);
	struct ui_bar_item *item = &c->items[c->count - 1];
	item->second = second;
	item->has_second = true;
	item->second_text = value_text(second, second_text);
}

void ui_barchart_draw(const struct ui_barchart *c, WINDOW *w, int y, int x, int height, int width)
{
	double max = c->max;
	int label_width = 0, value_width = 0;
	for (size_t i = 0; i < c->count; i++) {
		const struct ui_bar_item *item = &c->items[i];
		int lw = ui_width(item->label);
		int vw = ui_width(item->value_text);
		if (item->has_second) {
			int sw = ui_width(item->second_text);
			vw = sw > vw ? sw : vw;
		}
		label_width = lw > label_width ? lw : label_width;
		value_width = vw > value_width ? vw : value_width;
		if (c->max <= 0) {
			max = item->value > max ? item->value : max;
			max = item->has_second && item->second > max ? item->second : max;
		}
	}
	/* Labels may take a third of the width; the bars get what is left. */
	label_width = label_width > width / 3 ? width / 3 : label_width;
	int bar_x = x + label_width + 1;
	int bar_width = width - label_width - value_width - 2;
	int row = 0;
	for (size_t i = 0; i < c->count && row < height; i++) {
		const struct ui_bar_item *item = &c->items[i];
		ui_fill(w, y + row, x, width, A_NORMAL);
		ui_put(w, y + row, x, label_width, item->label, A_NORMAL);
		int used = ui_bar(w, y + row, bar_x, bar_width, max > 0 ? item->value / max : 0, '#',
				  c->attr);
		/* After the bar and a space; with no bar, where the bars start,
		 * so that every row lines up under the same column. */
		ui_put(w, y + row, bar_x + used + (used ? 1 : 0), value_width, item->value_text,
		       A_NORMAL);
		row++;
		if (item->has_second && row < height) {
			ui_fill(w, y + row, x, width, A_NORMAL);
			used = ui_bar(w, y + row, bar_x, bar_width, max > 0 ? item->second / max : 0,
				      '=', c->second_attr);
			ui_put(w, y + row, bar_x + used + (used ? 1 : 0), value_width,
			       item->second_text, ui_attr(UI_DIM));
			row++;
		}
	}
}
