#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "estimate.h"

#include <math.h>
#include <string.h>

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static struct estimate_score score(double point, double low, double high, double reference)
{
	struct estimate_answer a = {point, low, high};
	struct estimate_score s;
	const char *why = NULL;
	if (estimate_score(&a, reference, &s, &why) != 0)
		fail_msg("score(%g, %g, %g, %g) refused: %s", point, low, high, reference, why);
	return s;
}

static void test_exact_hit(void **state)
{
	(void)state;
	struct estimate_score s = score(100, 100, 100, 100);
	CLOSE(s.log_error, 0);
	assert_true(s.hit);
	CLOSE(s.width, 0);
	CLOSE(s.interval_score, 0);
	CLOSE(s.points, 100);
	assert_string_equal(s.verdict, "near perfect");
}

static void test_hit_with_wide_range(void **state)
{
	(void)state;
	struct estimate_score s = score(100, 1, 10000, 100);
	assert_true(s.hit);
	CLOSE(s.width, 4);
	CLOSE(s.interval_score, 4);
	CLOSE(s.points, 100 * exp(-2));
	assert_string_equal(s.verdict, "near perfect");

	/* A 10x range that holds the answer. */
	s = score(30, 10, 100, 50);
	CLOSE(s.width, 1);
	CLOSE(s.interval_score, 1);
	assert_true(s.points > 60 && s.points < 61);
}

static void test_tight_miss(void **state)
{
	(void)state;
	/* Ten times too low with a narrow range: 20 points of penalty for each
	 * order of magnitude outside the range. */
	struct estimate_score s = score(10, 8, 12, 100);
	assert_false(s.hit);
	CLOSE(s.log_error, 1);
	double l = log10(8), u = log10(12);
	CLOSE(s.width, u - l);
	CLOSE(s.interval_score, (u - l) + 20 * (2 - u));
	assert_true(s.points < 0.1);
	assert_string_equal(s.verdict, "too far off");

	/* Too high costs the same way. */
	s = score(10, 8, 12, 1);
	assert_false(s.hit);
	CLOSE(s.interval_score, (u - l) + 20 * l);
}

static void test_wide_miss(void **state)
{
	(void)state;
	struct estimate_score s = score(10, 1, 50, 100);
	assert_false(s.hit);
	double u = log10(50);
	CLOSE(s.width, u);
	CLOSE(s.interval_score, u + 20 * (2 - u));
	assert_string_equal(s.verdict, "too far off");
}

static void test_range_ends_count_as_hits(void **state)
{
	(void)state;
	assert_true(score(5, 5, 50, 5).hit);
	assert_true(score(5, 1, 50, 50).hit);
	assert_false(score(5, 1, 50, 50.001).hit);
}

static void test_points_ordering(void **state)
{
	(void)state;
	double tight_correct = score(100, 80, 125, 100).points;
	double wide_correct = score(100, 1, 10000, 100).points;
	double tight_miss = score(10, 8, 12, 100).points;
	double wide_miss = score(10, 1, 50, 100).points;
	assert_true(tight_correct > 90);
	assert_true(tight_correct > wide_correct);
	assert_true(wide_correct > 100 * tight_miss);
	/* A wide range that barely misses beats a tight one far off. */
	assert_true(wide_miss > tight_miss);
	assert_true(tight_correct <= 100 && tight_miss >= 0);
}

static void test_verdicts(void **state)
{
	(void)state;
	assert_string_equal(score(120, 100, 200, 100).verdict, "near perfect");
	assert_string_equal(score(81, 10, 100, 100).verdict, "near perfect"); /* 0.09 */
	assert_string_equal(score(300, 100, 400, 100).verdict, "right order of magnitude");
	assert_string_equal(score(35, 10, 100, 100).verdict, "right order of magnitude");
	assert_string_equal(score(30, 10, 100, 100).verdict, "within a factor of 10");
	assert_string_equal(score(500, 100, 900, 100).verdict, "within a factor of 10");
	assert_string_equal(score(12, 10, 100, 100).verdict, "within a factor of 10");
	assert_string_equal(score(1001, 100, 2000, 100).verdict, "too far off");
	assert_string_equal(score(1e9, 1e8, 1e10, 1e3).verdict, "too far off");
	/* 0.0986 and 0.1000 orders of magnitude are both shown 0.10: one
	 * verdict for both. */
	assert_string_equal(score(125.5, 100, 200, 100).verdict, "right order of magnitude");
	assert_string_equal(score(125.9, 100, 200, 100).verdict, "right order of magnitude");
	assert_string_equal(score(124, 100, 200, 100).verdict, "near perfect");
	/* A close point whose tight range misses is not simply near perfect. */
	assert_string_equal(score(105, 101, 110, 100).verdict,
			    "near perfect point, but the range missed");
}

static void test_invalid_answers(void **state)
{
	(void)state;
	const struct {
		struct estimate_answer a;
		double reference;
		const char *why;
	} cases[] = {
	    {{0, 1, 10}, 5, "estimate must be a positive"},
	    {{-5, 1, 10}, 5, "estimate must be a positive"},
	    {{NAN, 1, 10}, 5, "estimate must be a positive"},
	    {{5, 0, 10}, 5, "range must be positive"},
	    {{5, 1, INFINITY}, 5, "range must be positive"},
	    {{5, 6, 10}, 5, "low end"},
	    {{5, 1, 4}, 5, "high end"},
	    {{5, 1, 10}, 0, "reference"},
	    {{5, 1, 10}, -1, "reference"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct estimate_score s;
		const char *why = NULL;
		assert_int_equal(estimate_score(&cases[i].a, cases[i].reference, &s, &why), -1);
		if (!why || !strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, why ? why : "(null)", cases[i].why);
	}
}

static void test_calibration(void **state)
{
	(void)state;
	bool hits[20];
	double widths[20];
	struct estimate_calibration c;

	estimate_calibrate(NULL, NULL, 0, &c);
	assert_int_equal(c.answers, 0);
	CLOSE(c.hit_share, 0);
	assert_string_equal(c.verdict, "too few answers to tell");

	for (int i = 0; i < 4; i++) {
		hits[i] = false;
		widths[i] = 0.1;
	}
	estimate_calibrate(hits, widths, 4, &c);
	assert_string_equal(c.verdict, "too few answers to tell");

	/* Half the ranges miss: too narrow. */
	for (int i = 0; i < 10; i++) {
		hits[i] = i % 2;
		widths[i] = 0.3;
	}
	estimate_calibrate(hits, widths, 10, &c);
	assert_int_equal(c.hits, 5);
	CLOSE(c.hit_share, 0.5);
	assert_string_equal(c.verdict, "overconfident");

	/* Every range hits but spans a hundredfold: too wide. */
	for (int i = 0; i < 10; i++) {
		hits[i] = true;
		widths[i] = 2;
	}
	estimate_calibrate(hits, widths, 10, &c);
	CLOSE(c.hit_share, 1);
	CLOSE(c.mean_width, 2);
	assert_string_equal(c.verdict, "underconfident");

	/* Every range hits and is reasonably tight: nothing to fix. */
	for (int i = 0; i < 10; i++)
		widths[i] = 1;
	estimate_calibrate(hits, widths, 10, &c);
	assert_string_equal(c.verdict, "well calibrated");

	/* Nine in ten, as a 90% range should. */
	hits[3] = false;
	estimate_calibrate(hits, widths, 10, &c);
	assert_string_equal(c.verdict, "well calibrated");

	/* Four in five is the edge of overconfidence. */
	estimate_calibrate(hits, widths, 5, &c);
	CLOSE(c.hit_share, 0.8);
	assert_string_equal(c.verdict, "well calibrated");
	hits[4] = false;
	estimate_calibrate(hits, widths, 5, &c);
	assert_string_equal(c.verdict, "overconfident");
}

static void test_calibration_buckets(void **state)
{
	(void)state;
	const double widths[] = {0, 0.2, 0.5, 0.99, 1, 1.99, 2, 5};
	const bool hits[] = {false, true, true, false, true, true, true, true};
	struct estimate_calibration c;
	estimate_calibrate(hits, widths, 8, &c);
	const size_t answers[] = {2, 2, 2, 2}, hit_counts[] = {1, 1, 2, 2};
	for (int b = 0; b < ESTIMATE_WIDTH_BUCKETS; b++) {
		assert_int_equal(c.buckets[b].answers, answers[b]);
		assert_int_equal(c.buckets[b].hits, hit_counts[b]);
		assert_non_null(estimate_width_bucket_labels[b]);
	}
	assert_int_equal(c.hits, 6);
	CLOSE(c.mean_width, (0 + 0.2 + 0.5 + 0.99 + 1 + 1.99 + 2 + 5) / 8);
}

static void test_biggest_miss(void **state)
{
	(void)state;
	const struct estimate_factor reference[] = {
	    {"households", 130e6}, {"dog_share", 0.46}, {"dogs_per_household", 1.5},
	    {"dogs", 130e6 * 0.46 * 1.5},
	};
	struct expr_sheet *sheet = expr_sheet_new();
	size_t index = 99;
	double ratio = 99;
	assert_false(estimate_biggest_miss(reference, 4, sheet, &index, &ratio));
	assert_int_equal(index, 99);

	assert_int_equal(expr_sheet_set(sheet, "Households", "100M", NULL, NULL), 0);
	assert_int_equal(expr_sheet_set(sheet, "dog_share", "10%", NULL, NULL), 0);
	assert_int_equal(expr_sheet_set(sheet, "dogs_per_household", "2", NULL, NULL), 0);
	/* The answer line is the consequence, never the culprit. */
	assert_int_equal(expr_sheet_set(sheet, "dogs", "1", NULL, NULL), 0);
	assert_int_equal(expr_sheet_set(sheet, "unrelated", "1T", NULL, NULL), 0);
	assert_true(estimate_biggest_miss(reference, 4, sheet, &index, &ratio));
	assert_int_equal(index, 1);
	CLOSE(ratio, log10(0.1 / 0.46));

	/* Too high counts as much as too low. */
	assert_int_equal(expr_sheet_set(sheet, "dogs_per_household", "15", NULL, NULL), 0);
	assert_true(estimate_biggest_miss(reference, 4, sheet, &index, &ratio));
	assert_int_equal(index, 2);
	CLOSE(ratio, 1);

	/* Values that cannot be compared are skipped. */
	assert_int_equal(expr_sheet_set(sheet, "dogs_per_household", "0", NULL, NULL), 0);
	assert_int_equal(expr_sheet_set(sheet, "dog_share", "-5", NULL, NULL), 0);
	assert_true(estimate_biggest_miss(reference, 4, sheet, &index, &ratio));
	assert_int_equal(index, 0);
	CLOSE(ratio, log10(100.0 / 130));

	/* Extreme values stay finite. */
	assert_int_equal(expr_sheet_set(sheet, "households", "1e-300", NULL, NULL), 0);
	const struct estimate_factor extreme[] = {{"households", 1e300}, {"total", 1}};
	assert_true(estimate_biggest_miss(extreme, 2, sheet, &index, &ratio));
	CLOSE(ratio, -600);

	assert_false(estimate_biggest_miss(reference, 1, sheet, &index, &ratio));
	assert_false(estimate_biggest_miss(reference, 0, sheet, &index, &ratio));
	expr_sheet_free(sheet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_hit),
	    cmocka_unit_test(test_hit_with_wide_range),
	    cmocka_unit_test(test_tight_miss),
	    cmocka_unit_test(test_wide_miss),
	    cmocka_unit_test(test_range_ends_count_as_hits),
	    cmocka_unit_test(test_points_ordering),
	    cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_invalid_answers),
	    cmocka_unit_test(test_calibration),
	    cmocka_unit_test(test_calibration_buckets),
	    cmocka_unit_test(test_biggest_miss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
