/* The calibration widget drawn into a curses window that no terminal shows
 * (the screen goes to /dev/null), read back cell by cell: the goal line at
 * 90%, the held share, the dates under the ends, the legend, and what it
 * shows before the second answer or without room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "calibration.h"
#include "ui.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

enum { WIN_ROWS = 12, WIN_COLS = 60, PLOT_ROWS = 8 };

static FILE *term_out, *term_in;
static SCREEN *term;

static int curses_up(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C"); /* ASCII: one mark per point, readable with winnstr */
	ui_text_init();
	term_out = fopen("/dev/null", "w");
	term_in = fopen("/dev/null", "r");
	if (!term_out || !term_in)
		return -1;
	term = newterm("xterm", term_out, term_in);
	return term ? 0 : -1;
}

static int curses_down(void **state)
{
	(void)state;
	endwin();
	delscreen(term);
	fclose(term_out);
	fclose(term_in);
	return 0;
}

/* Four answers from 2026-03-01 09:30 to 2026-03-04 23:59 UTC, the share
 * held rising from none to all. */
static struct drill_range answers[4] = {
    {.at = 1772357400}, {.at = 1772400000}, {.at = 1772500000}, {.at = 1772668740}};
static double trend[4] = {0, 50, 100, 100};

static struct drill_calibration calibration(size_t count)
{
	return (struct drill_calibration){.answers = answers, .count = count, .trend = trend};
}

static void row_text(WINDOW *w, int y, char *buf)
{
	mvwinnstr(w, y, 0, buf, WIN_COLS);
	buf[WIN_COLS] = '\0';
}

static int count_of(const char *s, char c)
{
	int n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void test_init_goal_and_dates(void **state)
{
	(void)state;
	struct drill_calibration c = calibration(4);
	struct ui_calibration k;
	ui_calibration_init(&k, &c);
	for (size_t i = 0; i < c.count; i++)
		assert_true(k.goal[i] == UI_CALIBRATION_GOAL_PERCENT);
	assert_string_equal(k.first, "2026-03-01");
	assert_string_equal(k.last, "2026-03-04");
	ui_calibration_free(&k);
	assert_null(k.goal);
}

static void test_trend_against_goal(void **state)
{
	(void)state;
	struct drill_calibration c = calibration(4);
	struct ui_calibration k;
	ui_calibration_init(&k, &c);
	WINDOW *w = newwin(WIN_ROWS, WIN_COLS, 0, 0);
	assert_non_null(w);
	ui_calibration_draw(&k, w, 0, 0, PLOT_ROWS + 2, WIN_COLS);
	char row[WIN_COLS + 1];
	/* y labels from 0% (the axis starts at zero) to the highest share */
	row_text(w, 0, row);
	assert_non_null(strstr(row, "100%"));
	row_text(w, PLOT_ROWS - 1, row);
	assert_non_null(strstr(row, " 0%"));
	/* the goal ('+', the second series) is one flat line near the top;
	 * the held share ('*') starts on the bottom row, at none held */
	int goal_row = -1, goal_marks = 0;
	for (int y = 0; y < PLOT_ROWS; y++) {
		row_text(w, y, row);
		int n = count_of(row, '+');
		if (n) {
			assert_int_equal(goal_row, -1); /* only one row has the goal */
			goal_row = y;
			goal_marks = n;
		}
	}
	assert_true(goal_row >= 0 && goal_row <= 1);
	assert_true(goal_marks >= 2);
	row_text(w, PLOT_ROWS - 1, row);
	assert_true(count_of(row, '*') >= 1);
	/* the dates under the ends, then the legend */
	row_text(w, PLOT_ROWS, row);
	assert_non_null(strstr(row, "2026-03-01"));
	assert_non_null(strstr(row, "2026-03-04"));
	assert_true(strstr(row, "2026-03-01") < strstr(row, "2026-03-04"));
	row_text(w, PLOT_ROWS + 1, row);
	assert_non_null(strstr(row, "* held"));
	assert_non_null(strstr(row, "+ goal 90%"));
	delwin(w);
	ui_calibration_free(&k);
}

static void test_before_second_answer(void **state)
{
	(void)state;
	struct drill_calibration c = calibration(1);
	struct ui_calibration k;
	ui_calibration_init(&k, &c);
	assert_string_equal(k.first, "2026-03-01");
	assert_string_equal(k.last, "2026-03-01");
	WINDOW *w = newwin(WIN_ROWS, WIN_COLS, 0, 0);
	ui_calibration_draw(&k, w, 2, 3, PLOT_ROWS + 2, WIN_COLS - 3);
	char row[WIN_COLS + 1];
	row_text(w, 2, row);
	assert_non_null(strstr(row, "   The trend shows from the second answer on."));
	row_text(w, 3, row);
	assert_int_equal(count_of(row, ' '), WIN_COLS); /* nothing else */
	delwin(w);
	ui_calibration_free(&k);
}

static void test_no_room_draws_nothing(void **state)
{
	(void)state;
	struct drill_calibration c = calibration(4);
	struct ui_calibration k;
	ui_calibration_init(&k, &c);
	WINDOW *w = newwin(WIN_ROWS, WIN_COLS, 0, 0);
	ui_calibration_draw(&k, w, 0, 0, UI_CALIBRATION_MIN_ROWS - 1, WIN_COLS);
	char row[WIN_COLS + 1];
	for (int y = 0; y < WIN_ROWS; y++) {
		row_text(w, y, row);
		assert_int_equal(count_of(row, ' '), WIN_COLS);
	}
	delwin(w);
	ui_calibration_free(&k);
}

static void test_no_answers(void **state)
{
	(void)state;
	struct drill_calibration c = calibration(0);
	struct ui_calibration k;
	ui_calibration_init(&k, &c);
	assert_string_equal(k.first, "");
	assert_string_equal(k.last, "");
	WINDOW *w = newwin(WIN_ROWS, WIN_COLS, 0, 0);
	ui_calibration_draw(&k, w, 0, 0, PLOT_ROWS + 2, WIN_COLS);
	char row[WIN_COLS + 1];
	row_text(w, 0, row);
	assert_non_null(strstr(row, "The trend shows from the second answer on."));
	delwin(w);
	ui_calibration_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_goal_and_dates),
		cmocka_unit_test(test_trend_against_goal),
		cmocka_unit_test(test_before_second_answer),
		cmocka_unit_test(test_no_room_draws_nothing),
		cmocka_unit_test(test_no_answers),
	};
	return cmocka_run_group_tests_name("calibration", tests, curses_up, curses_down);
}
