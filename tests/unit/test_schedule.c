#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "schedule.h"

#include <math.h>

#define DAY INT64_C(86400)
/* 2026-01-05 09:00 UTC */
#define T0 INT64_C(1767603600)

static int64_t days_until_due(const struct schedule_card *card, int64_t now)
{
	return (card->due - now) / DAY;
}

/* The interval a fresh card gets from a single first rating. */
static int64_t first_interval(enum schedule_rating rating)
{
	struct schedule_card card = {0};
	assert_int_equal(schedule_review(&card, rating, T0), 0);
	return days_until_due(&card, T0);
}

static void test_new_card_rated_good(void **state)
{
	(void)state;
	struct schedule_card card = {0};
	assert_int_equal(schedule_review(&card, SCHEDULE_GOOD, T0), 0);
	/* FSRS-4.5's first good stability is 3.7145 days. */
	assert_int_equal(days_until_due(&card, T0), 4);
	assert_true(fabs(card.stability - 3.7145) < 1e-9);
	assert_true(fabs(card.difficulty - 5.1618) < 1e-9);
	assert_int_equal(card.reps, 1);
	assert_int_equal(card.lapses, 0);
	assert_int_equal(card.last_review, T0);
	assert_int_equal(card.due % DAY, T0 % DAY);
}

static void test_again_is_due_soon_and_counts_a_lapse(void **state)
{
	(void)state;
	struct schedule_card card = {0};
	assert_int_equal(schedule_review(&card, SCHEDULE_AGAIN, T0), 0);
	assert_int_equal(days_until_due(&card, T0), 1);
	assert_int_equal(card.lapses, 1);

	/* A well-learned card forgotten later comes back within days, not
	 * months, and loses stability. */
	card = (struct schedule_card){0};
	int64_t now = T0;
	for (int i = 0; i < 5; i++) {
		schedule_review(&card, SCHEDULE_GOOD, now);
		now = card.due;
	}
	double before = card.stability;
	assert_true(before > 60);
	assert_int_equal(schedule_review(&card, SCHEDULE_AGAIN, now), 0);
	assert_true(card.stability < before / 5);
	assert_true(days_until_due(&card, now) <= 14);
	assert_int_equal(card.lapses, 1);
	assert_int_equal(card.reps, 6);
}

static void test_intervals_grow_with_goods(void **state)
{
	(void)state;
	struct schedule_card card = {0};
	int64_t now = T0, previous = 0;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(schedule_review(&card, SCHEDULE_GOOD, now), 0);
		int64_t interval = days_until_due(&card, now);
		assert_true(interval > previous);
		previous = interval;
		now = card.due;
	}
	assert_int_equal(card.lapses, 0);
	assert_int_equal(card.reps, 8);
	assert_true(previous > 365);
}

static void test_easy_beats_good_beats_hard(void **state)
{
	(void)state;
	int64_t hard = first_interval(SCHEDULE_HARD), good = first_interval(SCHEDULE_GOOD),
		easy = first_interval(SCHEDULE_EASY), again = first_interval(SCHEDULE_AGAIN);
	assert_true(easy > good && good > hard && hard >= again);

	/* The same holds for a card already in review. */
	struct schedule_card base = {0};
	schedule_review(&base, SCHEDULE_GOOD, T0);
	int64_t now = base.due;
	int64_t interval[5];
	for (int r = SCHEDULE_AGAIN; r <= SCHEDULE_EASY; r++) {
		struct schedule_card card = base;
		assert_int_equal(schedule_review(&card, (enum schedule_rating)r, now), 0);
		interval[r] = days_until_due(&card, now);
	}
	assert_true(interval[SCHEDULE_EASY] > interval[SCHEDULE_GOOD]);
	assert_true(interval[SCHEDULE_GOOD] > interval[SCHEDULE_HARD]);
	assert_true(interval[SCHEDULE_HARD] > interval[SCHEDULE_AGAIN]);
}

static void test_difficulty_moves_with_ratings(void **state)
{
	(void)state;
	struct schedule_card hard = {0}, easy = {0};
	schedule_review(&hard, SCHEDULE_HARD, T0);
	schedule_review(&easy, SCHEDULE_EASY, T0);
	assert_true(hard.difficulty > easy.difficulty);
	for (int i = 0; i < 50; i++) {
		schedule_review(&hard, SCHEDULE_AGAIN, hard.due);
		schedule_review(&easy, SCHEDULE_EASY, easy.due);
	}
	assert_true(hard.difficulty <= 10 && hard.difficulty > 9);
	assert_true(easy.difficulty >= 1);
	assert_true(hard.stability >= 0.01);
	assert_true(easy.due - easy.last_review <= SCHEDULE_MAX_INTERVAL_DAYS * DAY);
}

static void test_retrievability(void **state)
{
	(void)state;
	struct schedule_card card = {0};
	assert_true(schedule_retrievability(&card, T0) == 0);
	schedule_review(&card, SCHEDULE_EASY, T0);
	assert_true(schedule_retrievability(&card, T0) == 1);
	/* At the due date recall is about the requested retention; stability
	 * 13.8206 days rounds to a 14-day interval. */
	double r = schedule_retrievability(&card, card.due);
	assert_true(fabs(r - SCHEDULE_RETENTION) < 0.01);
	assert_true(schedule_retrievability(&card, card.due + 30 * DAY) < r);
	/* A clock that went backwards does not raise recall above 1. */
	assert_true(schedule_retrievability(&card, T0 - 10 * DAY) == 1);
}

static void test_same_day_review_keeps_stability(void **state)
{
	(void)state;
	struct schedule_card card = {0};
	schedule_review(&card, SCHEDULE_GOOD, T0);
	double s = card.stability;
	schedule_review(&card, SCHEDULE_GOOD, T0 + 3600);
	assert_true(fabs(card.stability - s) < 1e-9);
}

static void test_invalid_input(void **state)
{
	(void)state;
	struct schedule_card card = {0};
	assert_int_equal(schedule_review(&card, (enum schedule_rating)0, T0), -1);
	assert_int_equal(schedule_review(&card, (enum schedule_rating)5, T0), -1);
	assert_int_equal(card.reps, 0);
	assert_int_equal(card.due, 0);

	/* A broken stored state starts over instead of producing NaN. */
	struct schedule_card broken = {.stability = 0, .difficulty = 5, .reps = 3, .lapses = 1};
	assert_int_equal(schedule_review(&broken, SCHEDULE_GOOD, T0), 0);
	assert_true(fabs(broken.stability - 3.7145) < 1e-9);
	assert_int_equal(broken.reps, 4);
	broken = (struct schedule_card){.stability = NAN, .difficulty = 0, .reps = 3};
	assert_true(schedule_retrievability(&broken, T0) == 0);
	assert_int_equal(schedule_review(&broken, SCHEDULE_EASY, T0), 0);
	assert_true(isfinite(broken.stability) && broken.difficulty >= 1);
}

static void test_rating_from_percent(void **state)
{
	(void)state;
	assert_int_equal(schedule_rating_from_percent(100), SCHEDULE_EASY);
	assert_int_equal(schedule_rating_from_percent(85), SCHEDULE_EASY);
	assert_int_equal(schedule_rating_from_percent(84.9), SCHEDULE_GOOD);
	assert_int_equal(schedule_rating_from_percent(60), SCHEDULE_GOOD);
	assert_int_equal(schedule_rating_from_percent(59.9), SCHEDULE_HARD);
	assert_int_equal(schedule_rating_from_percent(30), SCHEDULE_HARD);
	assert_int_equal(schedule_rating_from_percent(29.9), SCHEDULE_AGAIN);
	assert_int_equal(schedule_rating_from_percent(0), SCHEDULE_AGAIN);
	assert_int_equal(schedule_rating_from_percent(-5), SCHEDULE_AGAIN);
	assert_int_equal(schedule_rating_from_percent(NAN), SCHEDULE_AGAIN);
	/* A self-graded rubric share of 2 points out of 3. */
	assert_int_equal(schedule_rating_from_percent(2.0 / 3 * 100), SCHEDULE_GOOD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_card_rated_good),
	    cmocka_unit_test(test_again_is_due_soon_and_counts_a_lapse),
	    cmocka_unit_test(test_intervals_grow_with_goods),
	    cmocka_unit_test(test_easy_beats_good_beats_hard),
	    cmocka_unit_test(test_difficulty_moves_with_ratings),
	    cmocka_unit_test(test_retrievability),
	    cmocka_unit_test(test_same_day_review_keeps_stability),
	    cmocka_unit_test(test_invalid_input),
	    cmocka_unit_test(test_rating_from_percent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
