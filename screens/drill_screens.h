/* The interview drill's screens (the menu, drill_screen, is in app.h with
 * the other modules) and what they share: how a question is opened, the
 * running clock and the text cursor of the typing screens. */
#ifndef AIPM_DRILL_SCREENS_H
#define AIPM_DRILL_SCREENS_H

#include "app.h"
#include "drill.h"
#include "input.h"

#include <stdbool.h>

/* What a question screen is opened with; it lives in the screen below
 * (a list or the mock interview), which reads answered on return. */
struct drill_open {
	char id[64];
	const char *mock_uid; /* NULL outside a mock interview */
	int number, total;    /* "question 2 of 5" in a mock; 0 outside */
	bool answered;        /* set once the answer is saved */
};

extern const struct screen_ops drill_list_screen;        /* arg: a type, or NULL: due today */
extern const struct screen_ops drill_estimate_screen;    /* arg: struct drill_open * */
extern const struct screen_ops drill_interview_screen;   /* arg: struct drill_open * */
extern const struct screen_ops drill_calibration_screen; /* arg: none */
extern const struct screen_ops drill_stats_screen;       /* arg: none */
extern const struct screen_ops drill_mock_screen;        /* arg: none */

/* Pushes the estimation or the interview screen (by type) for open->id. */
void drill_push_question(struct app *app, struct drill_open *open, const char *type);

/* The course's advice, shown while a question is timed. */
extern const char drill_advice[];

/* While a clock runs the screen is redrawn every second (ERR comes to the
 * key handler on each tick); otherwise input blocks as usual. */
void drill_tick(bool running);
/* "mm:ss" (or "h:mm:ss") of seconds. */
void drill_format_clock(double seconds, char *buf, size_t size);
/* "⏱ 02:13 / 05:00" (over the target in the warning style, "paused"
 * after it when paused), right-aligned to end at column x + width. */
void drill_draw_clock(WINDOW *w, int y, int x, int width, const struct drill_timer *timer,
		      int target_seconds);
/* Shows the text cursor of a field or editor as a reversed cell (the
 * terminal's own cursor stays hidden, as everywhere in the app). */
void drill_draw_cursor(WINDOW *w, int y, int x);
/* Screen column of byte offset of a field drawn at x, or -1 when that
 * part of the text is scrolled out of view. */
int drill_field_column(const struct ui_field *f, int x, int width, int offset);

#endif
