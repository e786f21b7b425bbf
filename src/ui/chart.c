/* The line chart and the sparkline. */
#include "chart.h"

#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ascii_marks[UI_CHART_MAX_SERIES] = {'*', '+', 'o', 'x'};

void ui_chart_init(struct ui_chart *c)
{
	memset(c, 0, sizeof *c);
	c->y_decimals = -1;
}

bool ui_chart_add(struct ui_chart *c, const char *name, const double *values, size_t count,
		  attr_t attr)
{
	if (c->series_count == UI_CHART_MAX_SERIES)
		return false;
	c->series[c->series_count++] = (struct ui_series){name, values, count, attr};
	return true;
}

static bool value_range(const double *values, size_t count, double *lo, double *hi)
{
	bool any = false;
	for (size_t i = 0; i < count; i++) {
		if (isnan(values[i]))
			continue;
		*lo = !any || values[i] < *lo ? values[i] : *lo;
		*hi = !any || values[i] > *hi ? values[i] : *hi;
		any = true;
	}
	return any;
}

static char *y_label(const struct ui_chart *c, double v)
{
	const char *suffix = c->y_suffix ? c->y_suffix : "";
	if (c->y_decimals < 0)
		return xasprintf("%.3g%s", v, suffix);
	return xasprintf("%.*f%s", c->y_decimals, v, suffix);
}

/* A grid of cells, each a braille pattern (or an ASCII mark) and the
 * series that drew in it last, which gives the cell its style. */
struct canvas {
	int cols, rows;
	bool braille;
	uint8_t *dots;
	char *marks;
	int8_t *owner;
};

static void plot(struct canvas *cv, int px, int py, int series)
{
	/* Braille bit of the dot at (column, row) within a 2x4 cell. */
	static const uint8_t bits[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	int cell;
	if (cv->braille) {
		cell = py / 4 * cv->cols + px / 2;
		cv->dots[cell] |= bits[py % 4][px % 2];
	} else {
		cell = py * cv->cols + px;
		cv->marks[cell] = ascii_marks[series];
	}
	cv->owner[cell] = (int8_t)series;
}

/* Bresenham, so that consecutive points join. */
static void plot_line(struct canvas *cv, int x0, int y0, int x1, int y1, int series)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
	for (;;) {
		plot(cv, x0, y0, series);
		if (x0 == x1 && y0 == y1)
			return;
		int e2 = 2 * err;
		if (e2 >= dy)
			err += dy, x0 += sx;
		if (e2 <= dx)
			err += dx, y0 += sy;
	}
}

static void draw_series(struct canvas *cv, const struct ui_series *s, int series, double lo,
			double hi)
{
	int dots_w = cv->braille ? cv->cols * 2 : cv->cols;
	int dots_h = cv->braille ? cv->rows * 4 : cv->rows;
	bool have_prev = false;
	int prev_x = 0, prev_y = 0;
	for (size_t i = 0; i < s->count; i++) {
		if (isnan(s->values[i])) {
			have_prev = false;
			continue;
		}
		double fx = s->count > 1 ? (double)i / (double)(s->count - 1) : 0;
		int px = (int)(fx * (dots_w - 1) + 0.5);
		int py = (int)((hi - s->values[i]) / (hi - lo) * (dots_h - 1) + 0.5);
		/* ASCII marks only the points; lines of '*' would read as data. */
		if (have_prev && cv->braille)
			plot_line(cv, prev_x, prev_y, px, py, series);
		else
			plot(cv, px, py, series);
		prev_x = px, prev_y = py, have_prev = true;
	}
}

static void draw_canvas(const struct canvas *cv, const struct ui_chart *c, WINDOW *w, int y, int x)
{
	for (int row = 0; row < cv->rows; row++) {
		for (int col = 0; col < cv->cols; col++) {
			int cell = row * cv->cols + col;
			if (cv->owner[cell] < 0)
				continue;
			char glyph[4];
			if (cv->braille) {
				/* U+2800 + the dots, in UTF-8. */
				unsigned cp = 0x2800u + cv->dots[cell];
				glyph[0] = (char)(0xe0 | cp >> 12);
				glyph[1] = (char)(0x80 | (cp >> 6 & 0x3f));
				glyph[2] = (char)(0x80 | (cp & 0x3f));
				glyph[3] = '\0';
			} else {
				glyph[0] = cv->marks[cell];
				glyph[1] = '\0';
			}
			ui_put(w, y + row, x + col, 1, glyph, c->series[cv->owner[cell]].attr);
		}
	}
}

void ui_chart_draw(const struct ui_chart *c, WINDOW *w, int y, int x, int height, int width)
{
	for (int row = 0; row < height; row++)
		ui_fill(w, y + row, x, width, A_NORMAL);
	double lo = 0, hi = 0;
	bool any = false;
	for (size_t s = 0; s < c->series_count; s++) {
		double slo = 0, shi = 0;
		if (!value_range(c->series[s].values, c->series[s].count, &slo, &shi))
			continue;
		lo = !any || slo < lo ? slo : lo;
		hi = !any || shi > hi ? shi : hi;
		any = true;
	}
	if (!any) {
		ui_put(w, y, x, width, "No data yet.", ui_attr(UI_DIM));
		return;
	}
	if (c->y_from_zero && lo > 0)
		lo = 0;
	if (hi == lo) /* a flat line sits in the middle */
		lo -= 1, hi += 1;

	char *top = y_label(c, hi), *bottom = y_label(c, lo);
	int label_width = ui_width(top) > ui_width(bottom) ? ui_width(top) : ui_width(bottom);
	int plot_x = x + label_width + 2, plot_rows = height - 2;
	/* Braille dots differ only by colour: without colour (NO_COLOR, a
	 * monochrome terminal) each series draws with its own mark, and its
	 * legend shows that mark, so the series can be told apart. */
	struct canvas cv = {.cols = x + width - plot_x, .rows = plot_rows < 1 ? 1 : plot_rows,
			    .braille = ui_caps()->unicode && (ui_caps()->color || c->series_count < 2)};
	if (cv.cols < 2) {
		free(top);
		free(bottom);
		return;
	}
	size_t cells = (size_t)cv.cols * (size_t)cv.rows;
	cv.dots = xcalloc(cells, 1);
	cv.marks = xcalloc(cells, 1);
	cv.owner = xmalloc(cells);
	memset(cv.owner, -1, cells);
	for (size_t s = 0; s < c->series_count; s++)
		draw_series(&cv, &c->series[s], (int)s, lo, hi);

	ui_put_right(w, y, x, label_width, top, ui_attr(UI_DIM));
	ui_put_right(w, y + cv.rows - 1, x, label_width, bottom, ui_attr(UI_DIM));
	for (int row = 0; row < cv.rows; row++)
		ui_put(w, y + row, plot_x - 1, 1, ui_glyph(GLYPH_VLINE), ui_attr(UI_DIM));
	draw_canvas(&cv, c, w, y, plot_x);
	int row = y + cv.rows;
	if (row < y + height) {
		if (c->x_first)
			ui_put(w, row, plot_x, cv.cols / 2, c->x_first, ui_attr(UI_DIM));
		if (c->x_last)
			ui_put_right(w, row, plot_x + cv.cols / 2, cv.cols - cv.cols / 2, c->x_last,
				     ui_attr(UI_DIM));
		row++;
	}
	if (row < y + height) {
		int col = plot_x;
		for (size_t s = 0; s < c->series_count && col < x + width; s++) {
			char mark[2] = {ascii_marks[s], '\0'};
			const char *glyph = cv.braille ? ui_glyph(GLYPH_BLOCK_FULL) : mark;
			col += ui_put(w, row, col, x + width - col, glyph, c->series[s].attr) + 1;
			const char *name = c->series[s].name ? c->series[s].name : "";
			col += ui_put(w, row, col, x + width - col, name, A_NORMAL) + 2;
		}
	}
	free(cv.dots);
	free(cv.marks);
	free(cv.owner);
	free(top);
	free(bottom);
}

void ui_sparkline(WINDOW *w, int y, int x, int width, const double *values, size_t count,
		  attr_t attr)
{
	static const char *const blocks[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char ascii_levels[] = "_.-:=+*#";
	if (width <= 0)
		return;
	/* The most recent values when there are more than columns. */
	size_t first = count > (size_t)width ? count - (size_t)width : 0;
	double lo = 0, hi = 0;
	if (!value_range(values + first, count - first, &lo, &hi))
		return;
	bool unicode = ui_caps()->unicode;
	for (size_t i = first; i < count; i++) {
		int col = x + (int)(i - first);
		if (isnan(values[i])) {
			ui_put(w, y, col, 1, " ", attr);
			continue;
		}
		int level = hi > lo ? (int)((values[i] - lo) / (hi - lo) * 7 + 0.5) : 3;
		char ascii[2] = {ascii_levels[level], '\0'};
		ui_put(w, y, col, 1, unicode ? blocks[level] : ascii, attr);
	}
}
