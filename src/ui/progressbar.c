/* The progress bar widget (progressbar, as progress.h is the learner's
 * progress in the core). */
#include "progressbar.h"

#include <math.h>
#include <stdio.h>

int ui_percent(double fraction)
{
	double clamped = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
	int shown = (int)lround(clamped * 100);
	return shown == 100 && clamped < 1 ? 99 : shown;
}

void ui_progress_draw(const struct ui_progress *p, WINDOW *w, int y, int x, int height, int width)
{
	double fraction = p->fraction < 0 ? 0 : p->fraction > 1 ? 1 : p->fraction;
	ui_fill(w, y, x, width, A_NORMAL);
	int col = x;
	if (p->label && height >= 2) {
		ui_put(w, y, x, width, p->label, A_BOLD);
		y++;
		ui_fill(w, y, x, width, A_NORMAL);
	} else if (p->label) {
		/* Sharing the row, the label leaves the bar at least half. */
		col += ui_put(w, y, x, width / 2 - 1, p->label, A_BOLD) + 1;
	}
	char percent[8];
	snprintf(percent, sizeof percent, "%3d%%", ui_percent(fraction));
	int tail = 1 + ui_width(percent) + (p->rate ? 1 + ui_width(p->rate) : 0);
	bool unicode = ui_caps()->unicode;
	/* ASCII shows the bar between brackets. */
	int bar_width = x + width - col - tail - (unicode ? 0 : 2);
	if (bar_width < 4) {
		tail = 1 + ui_width(percent);
		bar_width = x + width - col - tail - (unicode ? 0 : 2);
	}
	if (!unicode)
		ui_put(w, y, col++, 1, "[", A_NORMAL);
	int used = ui_bar(w, y, col, bar_width, fraction, '#', ui_attr(UI_BAR));
	for (int i = used; i < bar_width; i++)
		ui_put(w, y, col + i, 1, ui_glyph(GLYPH_BLOCK_LIGHT), ui_attr(UI_DIM));
	col += bar_width > 0 ? bar_width : 0;
	if (!unicode)
		ui_put(w, y, col++, 1, "]", A_NORMAL);
	col += 1 + ui_put(w, y, col + 1, x + width - col - 1, percent, A_NORMAL);
	if (p->rate && tail > 1 + ui_width(percent))
		ui_put(w, y, col + 1, x + width - col - 1, p->rate, ui_attr(UI_DIM));
}
