/* The clock: formatting times gmtime cannot show, the day of the
 * earliest times, and AIPM_NOW's range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"

#include <stdlib.h>
#include <string.h>

static void test_format(void **state)
{
	(void)state;
	char buf[32];
	assert_int_equal(clock_format(0, buf, sizeof buf), 0);
	assert_string_equal(buf, "1970-01-01 00:00");
	assert_int_equal(clock_format(1795183380, buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-11-20 14:03");
	/* years past what struct tm holds (a bundle's or a database's value):
	 * a clear placeholder, never an uninitialised struct tm */
	assert_int_equal(clock_format(INT64_MAX, buf, sizeof buf), -1);
	assert_string_equal(buf, "(no such date)");
	assert_int_equal(clock_format(INT64_MIN, buf, sizeof buf), -1);
	assert_string_equal(buf, "(no such date)");
	/* too small a buffer is cut, still a string */
	char tiny[6];
	assert_int_equal(clock_format(0, tiny, sizeof tiny), -1);
	assert_int_equal(strlen(tiny), 5);
}

static void test_day_start(void **state)
{
	(void)state;
	assert_int_equal(clock_day_start(86400 + 5), 86400);
	assert_int_equal(clock_day_start(-1), -86400);
	/* no signed overflow at the ends */
	assert_int_equal(clock_day_start(INT64_MIN), INT64_MIN);
	assert_true(clock_day_start(INT64_MAX) <= INT64_MAX);
	assert_int_equal(clock_day_start(INT64_MIN + 5), INT64_MIN);
}

static void test_injected_now(void **state)
{
	(void)state;
	setenv("AIPM_NOW", "2026-06-01T12:00:00", 1);
	assert_int_equal(clock_now(), 1780315200);
	setenv("AIPM_NOW", "1000", 1);
	assert_int_equal(clock_now(), 1000);
	/* out of range or malformed: the real clock, not a wrapped value */
	const char *bad[] = {"99999999999999999999", "253402300800", "2026-06-01Tjunk",
			     "2026-06-01 12:00:00 extra"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setenv("AIPM_NOW", bad[i], 1);
		int64_t t = clock_now();
		assert_true(t > 1700000000 && t < CLOCK_MAX);
	}
	unsetenv("AIPM_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_day_start),
		cmocka_unit_test(test_injected_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
