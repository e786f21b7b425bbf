/* A horizontal bar chart: one labelled bar per item scaled to the width,
 * with a value label after it, and optionally a second bar under it (A/B
 * variants, before/after). Values below zero draw as empty bars. */
#ifndef AIPM_UI_BARCHART_H
#define AIPM_UI_BARCHART_H

#include "ui.h"

struct ui_bar_item {
	char *label;
	double value, second;
	bool has_second;
	char *value_text, *second_text; /* beside the bars; "%.3g" of the value when NULL */
};

struct ui_barchart {
	struct ui_bar_item *items;
	size_t count, cap;
	double max;                /* the value of a full bar; 0: the largest value */
	attr_t attr, second_attr;  /* ui_attr(UI_BAR) and ui_attr(UI_DIM) by default */
};

void ui_barchart_init(struct ui_barchart *c);
void ui_barchart_free(struct ui_barchart *c);
/* Texts are copied; value_text may be NULL. */
void ui_barchart_add(struct ui_barchart *c, const char *label, double value, const char *value_text);
void ui_barchart_add_pair(struct ui_barchart *c, const char *label, double value,
			  const char *value_text, double second, const char *second_text);
/* One row per bar (two for a pair), as many as height allows. */
void ui_barchart_draw(const struct ui_barchart *c, WINDOW *w, int y, int x, int height, int width);

#endif
