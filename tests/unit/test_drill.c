/* The drill engine on a small fixture bank: worksheets, recording scored
 * answers and self-grades in one transaction, the FSRS due queue with
 * injected times, calibration, stats and streaks, and mock interviews. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "drill.h"
#include "store_sql.h"
#include "testdump.h"
#include "testutil.h"
#include "util.h"

#include <math.h>

#define DAY INT64_C(86400)
/* 2026-03-02 10:00 UTC */
#define T0 INT64_C(1772445600)
#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static const char bank_sql[] =
    "INSERT INTO estimation_questions (id, question, unit, answer, low, high, difficulty,"
    " target_seconds) VALUES"
    " ('est-a', 'How many pencils?', 'pencils', 1000, 500, 2000, 'easy', 120),"
    " ('est-b', 'How many pens?', 'pens', 50000, 20000, 90000, 'medium', 300);"
    "INSERT INTO estimation_steps (question_id, ord, name, expression, unit, source) VALUES"
    " ('est-a', 1, 'people', '100', 'people', 'a census'),"
    " ('est-a', 2, 'per_person', '10', 'pencils each', 'a survey'),"
    " ('est-a', 3, 'total', 'people * per_person', 'pencils', 'derived'),"
    " ('est-b', 1, 'total', '50k', 'pens', 'a guess');"
    "INSERT INTO interview_questions (id, type, question, model_outline, target_seconds)"
    " VALUES ('iq-metrics', 'analytical', 'How would you measure X?', '- mission', 600),"
    " ('iq-design', 'product_sense', 'Design Y.', '- users', 600),"
    " ('iq-why', 'root_cause', 'Why did Z drop?', '- data', 480);"
    "INSERT INTO rubric_points (question_id, ord, point, hint) VALUES"
    " ('iq-metrics', 1, 'States the mission', '\\bmission\\b'),"
    " ('iq-metrics', 2, 'Names a North Star', 'north\\s*star'),"
    " ('iq-metrics', 3, 'Adds a guardrail', '\\bguardrails?\\b'),"
    " ('iq-design', 1, 'Picks a segment', '\\bsegments?\\b'),"
    " ('iq-why', 1, 'Checks the data', '\\bdata\\b');"
    "INSERT INTO frameworks (type, ord, step, detail) VALUES"
    " ('analytical', 1, 'Start with the mission', 'Why it exists.'),"
    " ('analytical', 2, 'State the goals', 'What it serves.');";

struct fixture {
	char *dir;
	struct store *st;
	struct learner learner;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tempdir();
	char *path = xasprintf("%s/aipm.db", f->dir);
	char err[512];
	assert_int_equal(store_open(path, &f->st, err, sizeof err), STORE_OK);
	free(path);
	assert_int_equal(sqlite3_exec(store_db(f->st), bank_sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_learner_create(f->st, "Ana", &f->learner), STORE_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	test_remove_tree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int count_rows(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* Records an answer to est-a (reference 1000) at time at. */
static struct estimate_score answer_a(struct fixture *f, double point, double low, double high,
				      int64_t at, const char *mock_uid)
{
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-a", &q), STORE_OK);
	struct drill_estimation_answer a = {point, low, high, 90, 5, "total = 900", mock_uid};
	struct estimate_score s;
	char uid[37], err[256];
	if (drill_record_estimation(f->st, f->learner.id, &q, &a, at, &s, uid, err, sizeof err))
		fail_msg("record refused: %s", err);
	drill_estimation_free(&q);
	return s;
}

static void test_types_and_labels(void **state)
{
	(void)state;
	assert_string_equal(drill_types[0], "estimation");
	assert_null(drill_types[DRILL_TYPE_COUNT]);
	assert_int_equal(drill_type_index("root_cause"), 3);
	assert_int_equal(drill_type_index("nope"), -1);
	assert_string_equal(drill_type_label("analytical"), "Analytical / success metrics");
	assert_string_equal(drill_type_label("nope"), "nope");
}

static void test_worksheet_lines(void **state)
{
	(void)state;
	const char *lines[] = {
	    "dogs = 90M",
	    "",
	    "# a comment",
	    "food_kg_day = 0.4",
	    "total = dogs * food_kg_day * 365",
	    "dogs * 2",
	    "bad = dgos * 2",
	    "2x = 5",
	    "  spaced   =  1,2000",
	};
	struct drill_line r[9];
	struct expr_sheet *sheet = expr_sheet_new();
	assert_int_equal(drill_sheet_eval(sheet, lines, 9, r), 3);
	assert_int_equal(r[0].state, DRILL_LINE_OK);
	assert_string_equal(r[0].name, "dogs");
	CLOSE(r[0].value, 90e6);
	assert_int_equal(r[1].state, DRILL_LINE_BLANK);
	assert_int_equal(r[2].state, DRILL_LINE_BLANK);
	CLOSE(r[4].value, 90e6 * 0.4 * 365);
	assert_string_equal(r[5].name, "");
	CLOSE(r[5].value, 180e6);
	/* Errors point at the character in the line's own text. */
	assert_int_equal(r[6].state, DRILL_LINE_ERROR);
	assert_int_equal(r[6].error_at, 6);
	assert_non_null(strstr(r[6].message, "dgos"));
	assert_int_equal(r[7].state, DRILL_LINE_ERROR);
	assert_int_equal(r[7].error_at, 0);
	assert_int_equal(r[8].state, DRILL_LINE_ERROR);
	assert_int_equal(r[8].error_at, (int)strlen("  spaced   =  1"));

	double v;
	struct expr_error err;
	assert_int_equal(drill_sheet_value(sheet, "total / 1000", &v, &err), 0);
	CLOSE(v, 90e6 * 0.4 * 365 / 1000);
	assert_int_equal(drill_sheet_value(sheet, "~$3M", &v, &err), 0);
	CLOSE(v, 3e6);
	assert_int_not_equal(drill_sheet_value(sheet, "", &v, &err), 0);
	expr_sheet_free(sheet);
}

/* Random lines from the characters worksheets are made of: every result
 * is blank, a finite value, or an error placed inside its own line. */
static void test_random_worksheet_lines(void **state)
{
	(void)state;
	static const char alphabet[] = "ab_x09.,=+-*/^()%~$ kMBTe#\t";
	uint32_t seed = 12345;
	for (int round = 0; round < 2000; round++) {
		char text[8][24];
		const char *lines[8];
		for (int i = 0; i < 8; i++) {
			seed = seed * 1664525u + 1013904223u;
			int len = (int)(seed >> 27) % 23;
			for (int j = 0; j < len; j++) {
				seed = seed * 1664525u + 1013904223u;
				text[i][j] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
			text[i][len] = '\0';
			lines[i] = text[i];
		}
		struct drill_line r[8];
		struct expr_sheet *sheet = expr_sheet_new();
		drill_sheet_eval(sheet, lines, 8, r);
		for (int i = 0; i < 8; i++) {
			if (r[i].state == DRILL_LINE_OK)
				assert_true(isfinite(r[i].value));
			if (r[i].state == DRILL_LINE_ERROR) {
				assert_true(r[i].error_at >= 0);
				assert_true((size_t)r[i].error_at <= strlen(lines[i]));
				assert_true(r[i].message[0] != '\0');
			}
		}
		expr_sheet_free(sheet);
	}
}

static void test_estimation_load_and_biggest_miss(void **state)
{
	struct fixture *f = *state;
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-a", &q), STORE_OK);
	assert_string_equal(q.unit, "pencils");
	assert_int_equal(q.target_seconds, 120);
	assert_int_equal(q.step_count, 3);
	assert_true(q.steps[2].has_value);
	CLOSE(q.steps[2].value, 1000);
	assert_string_equal(q.steps[0].source, "a census");

	/* per_person is 30x off, people only 2x: per_person moved it most. */
	const char *lines[] = {"People = 200", "per_person = 300", "total = people * per_person"};
	struct drill_line r[3];
	struct expr_sheet *sheet = expr_sheet_new();
	drill_sheet_eval(sheet, lines, 3, r);
	size_t step, pair[3];
	enum drill_pairing how[3];
	double ratio;
	drill_pair_lines(&q, r, 3, pair, how);
	assert_true(drill_biggest_miss(&q, r, pair, how, &step, &ratio));
	assert_int_equal(step, 1);
	CLOSE(ratio, log10(30));
	expr_sheet_free(sheet);
	drill_estimation_free(&q);

	assert_int_equal(drill_estimation_load(f->st, "est-nope", &q), STORE_ERR_NOTFOUND);
}

/* The learner names lines freely: a reference line finds its namesake,
 * else the unpaired line of nearest value within an order of magnitude;
 * the learner's answer line pairs with the reference's answer only. */
static void test_pair_lines_by_value(void **state)
{
	struct fixture *f = *state;
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-a", &q), STORE_OK);
	const char *lines[] = {"each = 12", "humans = 150", "total = humans * each"};
	struct drill_line r[3];
	struct expr_sheet *sheet = expr_sheet_new();
	drill_sheet_eval(sheet, lines, 3, r);
	size_t pair[3];
	enum drill_pairing how[3];
	drill_pair_lines(&q, r, 3, pair, how);
	assert_int_equal(how[0], DRILL_PAIRED_BY_VALUE); /* people 100 ~ humans 150 */
	assert_int_equal(pair[0], 1);
	assert_int_equal(how[1], DRILL_PAIRED_BY_VALUE); /* per_person 10 ~ each 12 */
	assert_int_equal(pair[1], 0);
	assert_int_equal(how[2], DRILL_PAIRED_BY_NAME);
	assert_int_equal(pair[2], 2);
	/* Nothing within an order of magnitude: unpaired. */
	const char *far[] = {"people = 100", "lots = 50000", "sum = people * lots"};
	drill_sheet_eval(sheet, far, 3, r);
	drill_pair_lines(&q, r, 3, pair, how);
	assert_int_equal(how[0], DRILL_PAIRED_BY_NAME);
	assert_int_equal(how[1], DRILL_UNPAIRED);
	/* "sum" (500,000) is the answer line: it may pair with the answer
	 * only, and 1,000 is too far. */
	assert_int_equal(how[2], DRILL_UNPAIRED);
	expr_sheet_free(sheet);
	drill_estimation_free(&q);
}

/* A reference decomposition built in memory: steps[i] is "name = expr". */
static void reference_of(struct drill_estimation *q, const char *const *names,
			 const char *const *expressions, size_t count)
{
	memset(q, 0, sizeof *q);
	q->steps = calloc(count, sizeof *q->steps);
	q->step_count = count;
	struct expr_sheet *sheet = expr_sheet_new();
	for (size_t i = 0; i < count; i++) {
		struct drill_step *s = &q->steps[i];
		s->name = strdup(names[i]);
		s->expression = strdup(expressions[i]);
		s->unit = strdup("");
		s->source = strdup("");
		s->has_value = expr_sheet_set_shaped(sheet, s->name, s->expression, &s->value,
						     &s->shape, NULL) == 0;
		assert_true(s->has_value);
	}
	expr_sheet_free(sheet);
}

/* Pairing by meaning, with no name in common: a leaf input pairs with an
 * input and a line worked out from others with another, even when a value
 * of the other kind is nearer (nearest value alone would cross them). */
static void test_pair_lines_by_role(void **state)
{
	(void)state;
	static const char *const names[] = {"users", "active", "price", "revenue"};
	static const char *const exprs[] = {"1M", "users * 0.3", "20", "active * price * 12"};
	struct drill_estimation q;
	reference_of(&q, names, exprs, 4);
	/* pop 400k is nearer active (300k) than users (1M); engaged 800k is
	 * nearer users: by value alone, users-engaged and active-pop. */
	const char *lines[] = {"pop = 400k", "engaged = pop * 2", "fee = 25",
			       "yearly = engaged * fee * 12"};
	struct drill_line r[4];
	struct expr_sheet *sheet = expr_sheet_new();
	assert_int_equal(drill_sheet_eval(sheet, lines, 4, r), 0);
	assert_int_equal(r[0].shape.role, EXPR_INPUT);
	assert_int_equal(r[1].shape.role, EXPR_PRODUCT);
	assert_int_equal(r[1].shape.depth, 1);
	assert_int_equal(r[3].shape.depth, 2);
	size_t pair[4];
	enum drill_pairing how[4];
	drill_pair_lines(&q, r, 4, pair, how);
	for (int i = 0; i < 4; i++)
		assert_int_equal(how[i], DRILL_PAIRED_BY_VALUE);
	assert_int_equal(pair[0], 0); /* users - pop: both inputs */
	assert_int_equal(pair[1], 1); /* active - engaged: both products */
	assert_int_equal(pair[2], 2); /* price - fee */
	assert_int_equal(pair[3], 3); /* the answers */

	/* The biggest miss is found over the pairs, names apart: engaged
	 * 800k against active 300k. */
	size_t step;
	double ratio;
	assert_true(drill_biggest_miss(&q, r, pair, how, &step, &ratio));
	assert_int_equal(step, 1);
	assert_true(fabs(ratio - log10(800.0 / 300.0)) < 1e-9);

	/* A sum pairs with a sum and a product with a product when their
	 * values are near enough, though each value matches the other
	 * kind's exactly. */
	static const char *const names2[] = {"base", "extra", "both", "scaled", "answer"};
	static const char *const exprs2[] = {"100", "50", "base + extra", "base * 2",
					     "both * scaled"};
	struct drill_estimation q2;
	reference_of(&q2, names2, exprs2, 5);
	const char *lines2[] = {"k = 100", "m = 50", "p = k * 1.5", "s = k + m * 2",
				"out = p * s"};
	struct drill_line r2[5];
	assert_int_equal(drill_sheet_eval(sheet, lines2, 5, r2), 0);
	assert_int_equal(r2[3].shape.role, EXPR_SUM);
	size_t pair2[5];
	enum drill_pairing how2[5];
	drill_pair_lines(&q2, r2, 5, pair2, how2);
	assert_int_equal(pair2[0], 0);
	assert_int_equal(pair2[1], 1);
	assert_int_equal(pair2[2], 3); /* both (sum, 150) - s (sum, 200) */
	assert_int_equal(pair2[3], 2); /* scaled (product, 200) - p (product, 150) */
	assert_int_equal(pair2[4], 4);

	/* The learner pairs by hand: price with pop takes pop from users. */
	drill_pair_by_hand(4, pair, how, 2, 0);
	assert_int_equal(how[2], DRILL_PAIRED_BY_HAND);
	assert_int_equal(pair[2], 0);
	assert_int_equal(how[0], DRILL_UNPAIRED);
	drill_pair_by_hand(4, pair, how, 2, SIZE_MAX);
	assert_int_equal(how[2], DRILL_UNPAIRED);
	assert_int_equal(how[1], DRILL_PAIRED_BY_VALUE);
	expr_sheet_free(sheet);
	drill_estimation_free(&q);
	drill_estimation_free(&q2);
}

/* One-to-one at the least total cost, not greedy: a (100) would take x
 * (150) as its nearest and leave b (200) with nothing within an order of
 * magnitude; the assignment pairs both. */
static void test_pair_lines_optimal(void **state)
{
	(void)state;
	static const char *const names[] = {"a", "b", "answer"};
	static const char *const exprs[] = {"100", "200", "a * b"};
	struct drill_estimation q;
	reference_of(&q, names, exprs, 3);
	const char *lines[] = {"x = 150", "y = 20", "z = x * y"};
	struct drill_line r[3];
	struct expr_sheet *sheet = expr_sheet_new();
	drill_sheet_eval(sheet, lines, 3, r);
	size_t pair[3];
	enum drill_pairing how[3];
	drill_pair_lines(&q, r, 3, pair, how);
	assert_int_equal(how[0], DRILL_PAIRED_BY_VALUE);
	assert_int_equal(pair[0], 1); /* a - y, 0.70 orders apart */
	assert_int_equal(how[1], DRILL_PAIRED_BY_VALUE);
	assert_int_equal(pair[1], 0); /* b - x */
	assert_int_equal(how[2], DRILL_PAIRED_BY_VALUE);
	assert_int_equal(pair[2], 2);
	/* An input never pairs with a derived line, however near. */
	const char *derived[] = {"x = 150 + 0", "y = x * 1.3", "z = x * y"};
	drill_sheet_eval(sheet, derived, 3, r);
	drill_pair_lines(&q, r, 3, pair, how);
	/* "150 + 0" has no names: an input, nearer b than a; y (195) is
	 * derived and pairs with neither. */
	assert_int_equal(how[0], DRILL_UNPAIRED);
	assert_int_equal(how[1], DRILL_PAIRED_BY_VALUE);
	assert_int_equal(pair[1], 0);
	expr_sheet_free(sheet);
	drill_estimation_free(&q);
}

static void test_record_estimation_and_due_queue(void **state)
{
	struct fixture *f = *state;
	/* Reviews only: no new questions join the due list. */
	assert_int_equal(drill_set_new_per_day(f->st, f->learner.id, 0), STORE_OK);
	/* A 4x range that holds the reference. */
	struct estimate_score s = answer_a(f, 800, 400, 1600, T0, NULL);
	struct estimate_answer expect_in = {800, 400, 1600};
	struct estimate_score expect;
	assert_int_equal(estimate_score(&expect_in, 1000, &expect, NULL), 0);
	CLOSE(s.points, expect.points);
	assert_true(s.hit);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM estimation_attempts WHERE"
					   " hit = 1 AND seconds = 90 AND paused_seconds = 5 AND"
					   " worksheet = 'total = 900' AND mock_uid IS NULL"),
			 1);

	/* 70 points rate "good": FSRS's first good interval is 4 days. */
	struct schedule_card card;
	bool exists;
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &card, &exists), STORE_OK);
	assert_true(exists);
	assert_int_equal(card.reps, 1);
	assert_int_equal(card.due, T0 + 4 * DAY);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0), 0);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0 + 3 * DAY), 0);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0 + 4 * DAY), 1);

	/* A tight miss rates "again": due the next day, listed as due then. */
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-b", &q), STORE_OK);
	struct drill_estimation_answer a = {500, 400, 600, 30, 8 * 86400, NULL, NULL};
	char uid[37], err[256];
	assert_int_equal(
	    drill_record_estimation(f->st, f->learner.id, &q, &a, T0, &s, uid, err, sizeof err), 0);
	/* A pause of eight days is recorded as the longest a drill answer keeps. */
	assert_int_equal(count_rows(f->st, "SELECT paused_seconds FROM estimation_attempts WHERE"
					   " question_id = 'est-b'"),
			 DRILL_MAX_SECONDS);
	drill_estimation_free(&q);
	assert_false(s.hit);
	assert_true(s.points < 1);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0), 0);
	/* Early in the next day it is due already: due counts to the day's end. */
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0 + DAY - 9 * 3600), 1);
	struct drill_item *items;
	size_t n;
	assert_int_equal(drill_due(f->st, f->learner.id, T0 + 5 * DAY, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].id, "est-b"); /* most overdue first */
	assert_string_equal(items[1].id, "est-a");
	drill_items_free(items, n);

	/* The list carries the record; other learners see none of it. */
	assert_int_equal(drill_list(f->st, f->learner.id, "estimation", &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].id, "est-a");
	assert_int_equal(items[0].attempts, 1);
	CLOSE(items[0].last_score, expect.points);
	assert_int_equal(items[0].last_at, T0);
	drill_items_free(items, n);
	struct learner other;
	assert_int_equal(store_learner_create(f->st, "Ben", &other), STORE_OK);
	assert_int_equal(drill_list(f->st, other.id, NULL, &items, &n), STORE_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(items[i].attempts, 0);
		assert_true(items[i].last_score < 0);
		assert_int_equal(items[i].due_at, 0);
	}
	/* Types in the course's order: estimation, product sense, analytical,
	 * root cause. */
	assert_string_equal(items[2].type, "product_sense");
	assert_string_equal(items[3].type, "analytical");
	assert_string_equal(items[4].type, "root_cause");
	drill_items_free(items, n);
	/* Nothing of Ben's is scheduled: only new questions are due, as
	 * many as his limit (the default) allows. */
	assert_int_equal(drill_due_count(f->st, other.id, T0 + 30 * DAY),
			 DRILL_NEW_PER_DAY_DEFAULT < 5 ? DRILL_NEW_PER_DAY_DEFAULT : 5);
}

/* The learner's grade in place of the score's: the card is scheduled from
 * its state before the answer, as if the answer had been rated so. */
static void test_regrade_before_scheduling(void **state)
{
	struct fixture *f = *state;
	struct schedule_card before, card;
	bool exists;
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &before, &exists), STORE_OK);
	assert_false(exists);
	answer_a(f, 800, 400, 1600, T0, NULL); /* 70 points: good, 4 days */
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &card, &exists), STORE_OK);
	assert_int_equal(card.due, T0 + 4 * DAY);
	/* Rated again instead: the next day, one review and one lapse. */
	assert_int_equal(drill_card_regrade(f->st, f->learner.id, "est-a", &before, SCHEDULE_AGAIN, T0),
			 STORE_OK);
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &card, &exists), STORE_OK);
	assert_int_equal(card.reps, 1);
	assert_true(card.due < T0 + 4 * DAY);
	int64_t again_due = card.due;
	/* Then easy: later than good, still one review. */
	assert_int_equal(drill_card_regrade(f->st, f->learner.id, "est-a", &before, SCHEDULE_EASY, T0),
			 STORE_OK);
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &card, &exists), STORE_OK);
	assert_int_equal(card.reps, 1);
	assert_true(card.due > T0 + 4 * DAY && card.due > again_due);
	/* And good again: as the score had it. */
	assert_int_equal(drill_card_regrade(f->st, f->learner.id, "est-a", &before, SCHEDULE_GOOD, T0),
			 STORE_OK);
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &card, &exists), STORE_OK);
	assert_int_equal(card.due, T0 + 4 * DAY);
}

/* The undo of an estimate: its attempt gone and its card as before, in one
 * transaction; a wrong uid changes nothing. */
/* Every row of the tables an answer touches, to compare a learner's data
 * before an answer and after its undo. */
static char *dump_rows(struct store *st)
{
	static const char *const queries[] = {
	    "SELECT * FROM review_cards ORDER BY 1, 2",
	    "SELECT * FROM interview_attempts ORDER BY uid",
	    "SELECT * FROM rubric_grades ORDER BY 1, 2",
	    "SELECT * FROM estimation_attempts ORDER BY uid",
	    "SELECT * FROM coach_answers ORDER BY 1, 2, 3",
	    "SELECT * FROM coach_rubric_misses ORDER BY 1, 2, 3",
	};
	char *rows = test_dump_rows(store_db(st), queries, sizeof queries / sizeof *queries);
	assert_non_null(rows);
	return rows;
}

static void test_estimation_undo(void **state)
{
	struct fixture *f = *state;
	answer_a(f, 800, 400, 1600, T0, NULL);
	struct schedule_card before, card;
	bool existed, exists;
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &before, &existed), STORE_OK);
	assert_true(existed);
	char *before_rows = dump_rows(f->st);
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-a", &q), STORE_OK);
	struct drill_estimation_answer a = {900, 500, 2000, 30, 0, "", NULL};
	struct estimate_score s;
	char uid[37], err[256];
	assert_int_equal(drill_record_estimation(f->st, f->learner.id, &q, &a, T0 + DAY, &s, uid, err,
						 sizeof err),
			 0);
	drill_estimation_free(&q);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM estimation_attempts"), 2);
	assert_int_equal(drill_estimation_undo(f->st, f->learner.id, "no-such-uid", "est-a", &before,
					       true),
			 STORE_ERR_INVALID);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM estimation_attempts"), 2);
	assert_int_equal(drill_estimation_undo(f->st, f->learner.id, uid, "est-a", &before, true),
			 STORE_OK);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM estimation_attempts"), 1);
	assert_int_equal(drill_card(f->st, f->learner.id, "est-a", &card, &exists), STORE_OK);
	assert_int_equal(card.reps, before.reps);
	assert_int_equal(card.due, before.due);
	char *after_rows = dump_rows(f->st);
	assert_string_equal(after_rows, before_rows);
	free(before_rows);
	free(after_rows);
}

/* An interview answer undone leaves no trace: its attempt, its rubric
 * grades and its tallies go, and the card is back as it was, every row
 * as before the answer. */
static void test_interview_undo(void **state)
{
	struct fixture *f = *state;
	struct drill_interview q;
	assert_int_equal(drill_interview_load(f->st, "iq-metrics", &q), STORE_OK);
	int grades[3] = {DRILL_COVERED, DRILL_MISSED, DRILL_MISSED};
	bool hinted[3] = {true, false, false};
	struct drill_interview_answer a = {"Start with the mission.", 200, 0, grades, hinted, 3,
					   NULL};
	double percent;
	char uid[37], err[256];
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &a, T0, &percent, uid,
						err, sizeof err),
			 0);
	char *before_rows = dump_rows(f->st);
	struct schedule_card before;
	bool existed;
	assert_int_equal(drill_card(f->st, f->learner.id, "iq-metrics", &before, &existed), STORE_OK);
	assert_true(existed);
	int later[3] = {DRILL_COVERED, DRILL_COVERED, DRILL_PARTLY};
	struct drill_interview_answer b = {"North Star, guardrails.", 100, 0, later, hinted, 3, NULL};
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &b, T0 + DAY, &percent,
						uid, err, sizeof err),
			 0);
	char *answered_rows = dump_rows(f->st);
	assert_string_not_equal(answered_rows, before_rows);
	/* The attempt under another question's id is refused. */
	assert_int_equal(drill_interview_undo(f->st, f->learner.id, uid, "iq-other", &before, true),
			 STORE_ERR_INVALID);
	assert_int_equal(drill_interview_undo(f->st, f->learner.id, uid, "iq-metrics", &before, true),
			 STORE_OK);
	char *after_rows = dump_rows(f->st);
	assert_string_equal(after_rows, before_rows);
	/* Undone once only: the attempt is gone. */
	assert_int_equal(drill_interview_undo(f->st, f->learner.id, uid, "iq-metrics", &before, true),
			 STORE_ERR_INVALID);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM interview_attempts"), 1);
	drill_interview_free(&q);
	free(before_rows);
	free(answered_rows);
	free(after_rows);
}

static void test_unscorable_answer_stores_nothing(void **state)
{
	struct fixture *f = *state;
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-a", &q), STORE_OK);
	struct drill_estimation_answer a = {800, 900, 1600, 10, 0, NULL, NULL};
	struct estimate_score s;
	char uid[37], err[256];
	assert_int_equal(
	    drill_record_estimation(f->st, f->learner.id, &q, &a, T0, &s, uid, err, sizeof err), -1);
	assert_string_equal(err, "the low end of the range is above the estimate");
	a = (struct drill_estimation_answer){0, 0, 10, 10, 0, NULL, NULL};
	assert_int_equal(
	    drill_record_estimation(f->st, f->learner.id, &q, &a, T0, &s, uid, err, sizeof err), -1);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM estimation_attempts"), 0);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM review_cards"), 0);
	drill_estimation_free(&q);
}

static void test_failed_card_write_rolls_back_the_attempt(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(sqlite3_exec(store_db(f->st),
				      "CREATE TEMP TRIGGER no_cards BEFORE INSERT ON review_cards"
				      " BEGIN SELECT RAISE(ABORT, 'cards are locked'); END;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	struct drill_estimation q;
	assert_int_equal(drill_estimation_load(f->st, "est-a", &q), STORE_OK);
	struct drill_estimation_answer a = {800, 400, 1600, 10, 0, NULL, NULL};
	struct estimate_score s;
	char uid[37], err[256];
	assert_int_equal(
	    drill_record_estimation(f->st, f->learner.id, &q, &a, T0, &s, uid, err, sizeof err), -1);
	assert_non_null(strstr(err, "could not save"));
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM estimation_attempts"), 0);
	drill_estimation_free(&q);
}

/* The daily limit of new questions: never-answered questions join the due
 * list after the scheduled ones, as many as the limit less the questions
 * first answered today; a new day starts again. */
static void test_new_questions_a_day(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(drill_new_per_day(f->st, f->learner.id), DRILL_NEW_PER_DAY_DEFAULT);
	assert_int_equal(drill_set_new_per_day(f->st, f->learner.id, -1), STORE_ERR_INVALID);
	assert_int_equal(drill_set_new_per_day(f->st, f->learner.id, DRILL_NEW_PER_DAY_MAX + 1),
			 STORE_ERR_INVALID);
	assert_int_equal(drill_set_new_per_day(f->st, f->learner.id, 2), STORE_OK);
	assert_int_equal(drill_new_per_day(f->st, f->learner.id), 2);
	int bank = count_rows(f->st, "SELECT (SELECT COUNT(*) FROM estimation_questions)"
				     " + (SELECT COUNT(*) FROM interview_questions)");
	assert_true(bank > 3);
	struct drill_item *items;
	size_t n;
	assert_int_equal(drill_due(f->st, f->learner.id, T0, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	/* The types in turn: the first estimate, the first product sense
	 * question (before the second estimate). */
	assert_string_equal(items[0].id, "est-a");
	assert_string_equal(items[1].id, "iq-design");
	assert_int_equal(items[0].due_at, 0);
	drill_items_free(items, n);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0), 2);

	/* est-a answered today: one new question left, est-b (the types in
	 * turn again). */
	answer_a(f, 800, 400, 1600, T0, NULL);
	assert_int_equal(drill_new_left(f->st, f->learner.id, T0), 1);
	assert_int_equal(drill_due(f->st, f->learner.id, T0, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, "est-b");
	drill_items_free(items, n);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0), 1);
	/* Answered again the same day, it is still one question introduced. */
	answer_a(f, 900, 400, 1600, T0 + 60, NULL);
	assert_int_equal(drill_new_left(f->st, f->learner.id, T0), 1);

	/* Five days on, est-a is due (scheduled first) and two new ones
	 * follow; est-a is not new any more. */
	assert_int_equal(drill_due(f->st, f->learner.id, T0 + 5 * DAY, &items, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(items[0].id, "est-a");
	assert_true(items[0].due_at > 0);
	assert_string_equal(items[1].id, "est-b");
	assert_string_equal(items[2].id, "iq-design");
	assert_int_equal(items[2].due_at, 0);
	assert_string_not_equal(items[2].id, "est-a");
	drill_items_free(items, n);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0 + 5 * DAY), 3);

	/* A limit of 0: reviews only. */
	assert_int_equal(drill_set_new_per_day(f->st, f->learner.id, 0), STORE_OK);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0 + 5 * DAY), 1);
	/* Another learner keeps the default. */
	struct learner other;
	assert_int_equal(store_learner_create(f->st, "Other", &other), STORE_OK);
	assert_int_equal(drill_new_per_day(f->st, other.id), DRILL_NEW_PER_DAY_DEFAULT);
}

static void test_record_interview_with_self_grades(void **state)
{
	struct fixture *f = *state;
	/* Reviews only: no new questions join the due list. */
	assert_int_equal(drill_set_new_per_day(f->st, f->learner.id, 0), STORE_OK);
	struct drill_interview q;
	assert_int_equal(drill_interview_load(f->st, "iq-metrics", &q), STORE_OK);
	assert_string_equal(q.type, "analytical");
	assert_int_equal(q.point_count, 3);
	assert_int_equal(q.framework_count, 2);
	assert_string_equal(q.framework[0].step, "Start with the mission");

	const char *text = "Start with the Mission.\nNorth Star: watch time per member.";
	bool hinted[3];
	drill_rubric_hints(&q, text, hinted);
	assert_true(hinted[0]);
	assert_true(hinted[1]);
	assert_false(hinted[2]);

	int grades[3] = {DRILL_COVERED, DRILL_PARTLY, DRILL_MISSED};
	CLOSE(drill_rubric_percent(grades, 3), 50);
	struct drill_interview_answer a = {text, 200, 12, grades, hinted, 3, NULL};
	double percent;
	char uid[37], err[256];
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &a, T0, &percent, uid,
						err, sizeof err),
			 0);
	CLOSE(percent, 50);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM interview_attempts WHERE"
					   " type = 'analytical' AND seconds = 200 AND"
					   " paused_seconds = 12 AND score = 50"),
			 1);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM rubric_grades"), 3);
	assert_int_equal(count_rows(f->st, "SELECT SUM(hinted) FROM rubric_grades"), 2);
	assert_int_equal(count_rows(f->st, "SELECT grade FROM rubric_grades WHERE ord = 2"), 1);
	/* 50% rates "hard": FSRS's first hard interval is 1 day. */
	struct schedule_card card;
	bool exists;
	assert_int_equal(drill_card(f->st, f->learner.id, "iq-metrics", &card, &exists), STORE_OK);
	assert_true(exists);
	assert_int_equal(card.due, T0 + DAY);
	assert_int_equal(drill_due_count(f->st, f->learner.id, T0 + DAY), 1);

	/* A question left open for ten days records a week (what a progress
	 * bundle may hold), and no time below 0. */
	struct drill_interview_answer open = {text, 10 * 86400, -5, grades, hinted, 3, NULL};
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &open, T0 + 10, &percent,
						uid, err, sizeof err),
			 0);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM interview_attempts WHERE"
					   " seconds = 604800 AND paused_seconds = 0"),
			 1);
	assert_int_equal(DRILL_MAX_SECONDS, 604800);
	assert_int_equal(sqlite3_exec(store_db(f->st),
				      "DELETE FROM rubric_grades WHERE attempt_uid IN (SELECT uid FROM"
				      " interview_attempts WHERE seconds = 604800);"
				      "DELETE FROM interview_attempts WHERE seconds = 604800",
				      NULL, NULL, NULL),
			 SQLITE_OK);

	/* Grades must match the rubric and be 0-2. */
	a.count = 2;
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &a, T0, &percent, uid,
						err, sizeof err),
			 -1);
	a.count = 3;
	grades[2] = 3;
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &a, T0, &percent, uid,
						err, sizeof err),
			 -1);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM interview_attempts"), 1);
	drill_interview_free(&q);

	/* A learner's removal takes their answers and grades with them. */
	assert_int_equal(sqlite3_exec(store_db(f->st), "DELETE FROM learners", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM rubric_grades"), 0);
	assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM review_cards"), 0);
}

static void test_bad_hint_marks_nothing(void **state)
{
	(void)state;
	struct drill_rubric_point points[3] = {
	    {"Broken", "(unclosed"}, {"No hint", ""}, {"Too complex", "^(?:(a+)+b|a)$"}};
	struct drill_interview q = {.points = points, .point_count = 3};
	bool hinted[3] = {true, true, true};
	/* the broken and the too complex hint are counted as unchecked */
	assert_int_equal(drill_rubric_hints(&q, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", hinted), 2);
	assert_false(hinted[0]);
	assert_false(hinted[1]);
	assert_false(hinted[2]);
}

static void test_calibration_over_answers(void **state)
{
	struct fixture *f = *state;
	struct drill_calibration c;
	assert_int_equal(drill_calibration_load(f->st, f->learner.id, NULL, &c), STORE_OK);
	assert_int_equal(c.count, 0);
	assert_string_equal(c.summary.verdict, "too few answers to tell");
	drill_calibration_free(&c);

	/* Four tight misses, then eight hits with 4x ranges. */
	for (int i = 0; i < 4; i++)
		answer_a(f, 300, 250, 350, T0 + i * DAY, NULL);
	for (int i = 4; i < 12; i++)
		answer_a(f, 900, 500, 2000, T0 + i * DAY, NULL);
	assert_int_equal(drill_calibration_load(f->st, f->learner.id, NULL, &c), STORE_OK);
	assert_int_equal(c.count, 12);
	assert_int_equal(c.summary.hits, 8);
	CLOSE(c.summary.hit_share, 8.0 / 12);
	assert_string_equal(c.summary.verdict, "overconfident");
	/* The tight misses are under half an order of magnitude wide. */
	assert_int_equal(c.summary.buckets[0].answers, 4);
	assert_int_equal(c.summary.buckets[0].hits, 0);
	assert_int_equal(c.summary.buckets[1].answers, 8);
	assert_int_equal(c.summary.buckets[1].hits, 8);
	/* The trend is a rolling share of the last ten. */
	CLOSE(c.trend[0], 0);
	CLOSE(c.trend[5], 100.0 * 2 / 6);
	CLOSE(c.trend[9], 60);
	CLOSE(c.trend[11], 80);
	assert_true(c.answers[0].at < c.answers[11].at);
	/* The list's last score is the latest answer's, not the first's. */
	struct drill_item *items;
	size_t n;
	assert_int_equal(drill_list(f->st, f->learner.id, "estimation", &items, &n), STORE_OK);
	assert_int_equal(items[0].attempts, 12);
	CLOSE(items[0].last_score, c.answers[11].points);
	assert_true(items[0].last_score > c.answers[0].points + 50);
	assert_int_equal(items[0].last_at, T0 + 11 * DAY);
	drill_items_free(items, n);
	drill_calibration_free(&c);
}

static void test_stats_and_streaks(void **state)
{
	struct fixture *f = *state;
	/* Days 0, 1, 2 and 4: a best streak of 3. */
	answer_a(f, 1000, 500, 2000, T0, NULL);
	answer_a(f, 1000, 500, 2000, T0 + DAY, NULL);
	answer_a(f, 300, 250, 350, T0 + 2 * DAY, NULL);
	struct drill_interview q;
	assert_int_equal(drill_interview_load(f->st, "iq-design", &q), STORE_OK);
	int grades[1] = {DRILL_PARTLY};
	bool hinted[1] = {false};
	struct drill_interview_answer a = {"users", 60, 0, grades, hinted, 1, NULL};
	double percent;
	char uid[37], err[256];
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &a, T0 + 4 * DAY, &percent,
						uid, err, sizeof err),
			 0);
	drill_interview_free(&q);

	struct drill_stats s;
	assert_int_equal(drill_stats_load(f->st, f->learner.id, T0 + 4 * DAY, &s), STORE_OK);
	assert_int_equal(s.answers, 4);
	assert_int_equal(s.types[0].answers, 3);
	assert_int_equal(s.types[1].answers, 1);
	CLOSE(s.types[1].mean_score, 50);
	assert_int_equal(s.best_streak, 3);
	assert_int_equal(s.streak, 1);
	assert_int_equal(s.day_count, 4);
	CLOSE(s.days[0].held_percent, 100);
	CLOSE(s.days[2].held_percent, 100.0 * 2 / 3);
	/* The interview day carries the estimation share forward. */
	CLOSE(s.days[3].held_percent, 100.0 * 2 / 3);
	CLOSE(s.days[3].mean_score, 50);
	/* Weakest first: the interview type at 50 before estimation. */
	assert_int_equal(s.weakest_count, 2);
	assert_true(s.types[s.weakest[0]].mean_score <= s.types[s.weakest[1]].mean_score);
	drill_stats_free(&s);

	/* The next day the streak is still alive; a day later it is broken. */
	assert_int_equal(drill_stats_load(f->st, f->learner.id, T0 + 5 * DAY, &s), STORE_OK);
	assert_int_equal(s.streak, 1);
	drill_stats_free(&s);
	assert_int_equal(drill_stats_load(f->st, f->learner.id, T0 + 6 * DAY, &s), STORE_OK);
	assert_int_equal(s.streak, 0);
	assert_int_equal(s.best_streak, 3);
	drill_stats_free(&s);
}

static void test_mock_interview(void **state)
{
	struct fixture *f = *state;
	char **ids;
	size_t n;
	assert_int_equal(drill_mock_pick(f->st, f->learner.id, 4, 7, T0, &ids, &n), STORE_OK);
	assert_int_equal(n, 4);
	/* Estimation first, then one of each other type before any repeat. */
	assert_true(str_starts_with(ids[0], "est-"));
	int est = 0;
	for (size_t i = 0; i < n; i++) {
		est += str_starts_with(ids[i], "est-");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);
	}
	assert_int_equal(est, 1);
	drill_ids_free(ids, n);
	/* More than the banks hold: every question once. */
	assert_int_equal(drill_mock_pick(f->st, f->learner.id, 50, 7, T0, &ids, &n), STORE_OK);
	assert_int_equal(n, 5);
	drill_ids_free(ids, n);

	/* Practised questions yield to unseen ones. */
	answer_a(f, 1000, 500, 2000, T0, NULL);
	assert_int_equal(drill_mock_pick(f->st, f->learner.id, 1, 7, T0, &ids, &n), STORE_OK);
	assert_string_equal(ids[0], "est-b");
	drill_ids_free(ids, n);
	/* ... unless they are due. */
	assert_int_equal(drill_mock_pick(f->st, f->learner.id, 1, 7, T0 + 20 * DAY, &ids, &n),
			 STORE_OK);
	assert_string_equal(ids[0], "est-a");
	drill_ids_free(ids, n);

	char mock[37];
	assert_int_equal(drill_mock_start(f->st, f->learner.id, 2, T0, mock), STORE_OK);
	answer_a(f, 300, 250, 350, T0 + 60, mock);
	struct drill_interview q;
	assert_int_equal(drill_interview_load(f->st, "iq-metrics", &q), STORE_OK);
	int grades[3] = {DRILL_COVERED, DRILL_PARTLY, DRILL_COVERED};
	bool hinted[3] = {true, false, false};
	struct drill_interview_answer a = {"mission", 300, 0, grades, hinted, 3, mock};
	double percent;
	char uid[37], err[256];
	assert_int_equal(drill_record_interview(f->st, f->learner.id, &q, &a, T0 + 400, &percent,
						uid, err, sizeof err),
			 0);
	drill_interview_free(&q);
	assert_int_equal(drill_mock_finish(f->st, mock, T0 + 500), STORE_OK);

	struct drill_mock_summary s;
	assert_int_equal(drill_mock_summary_load(f->st, mock, &s), STORE_OK);
	assert_int_equal(s.planned, 2);
	assert_int_equal(s.count, 2);
	assert_string_equal(s.rows[0].question_id, "est-a");
	assert_true(s.rows[0].has_range);
	assert_false(s.rows[0].hit);
	assert_int_equal(s.rows[0].target_seconds, 120);
	assert_string_equal(s.rows[1].type, "analytical");
	assert_int_equal(s.rows[1].covered, 2);
	assert_int_equal(s.rows[1].partly, 1);
	assert_int_equal(s.rows[1].rubric_total, 3);
	assert_int_equal(s.seconds, 90 + 300);
	assert_int_equal(s.target_seconds, 120 + 600);
	assert_int_equal(s.ranges, 1);
	assert_int_equal(s.hits, 0);
	CLOSE(s.mean_score, (s.rows[0].score + 100.0 * 5 / 6) / 2);
	drill_mock_summary_free(&s);

	/* The session's calibration counts only its own ranges. */
	struct drill_calibration c;
	assert_int_equal(drill_calibration_load(f->st, f->learner.id, mock, &c), STORE_OK);
	assert_int_equal(c.count, 1);
	drill_calibration_free(&c);
	struct drill_stats st;
	assert_int_equal(drill_stats_load(f->st, f->learner.id, T0 + DAY, &st), STORE_OK);
	assert_int_equal(st.mocks, 1);
	drill_stats_free(&st);
	assert_int_equal(drill_mock_summary_load(f->st, "no-such-mock", &s), STORE_ERR_NOTFOUND);
}

static void test_values_read_as_typed(void **state)
{
	(void)state;
	static const struct {
		double value;
		const char *text;
	} cases[] = {
	    {9820000, "9.82M"}, {90e6, "90M"},	   {110000, "110k"},  {999960, "1M"},
	    {1.2e9, "1.2B"},	{4e12, "4T"},	   {1060, "1,060"},   {9999, "9,999"},
	    {0.3, "0.3"},	{12.5, "12.5"},	   {365.25, "365"},   {0, "0"},
	    {-2500, "-2,500"},	{-3e6, "-3M"},	   {2e16, "2e+16"},   {0.0001, "0.0001"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		drill_format_value(cases[i].value, buf, sizeof buf);
		assert_string_equal(buf, cases[i].text);
		/* What is shown parses back to about the same value. */
		double back;
		struct expr_error err;
		assert_int_equal(expr_eval(buf, &back, &err), 0);
		assert_true(fabs(back - cases[i].value) <= 0.005 * fabs(cases[i].value) + 0.5);
	}
}

static void test_timer_leaves_pauses_out(void **state)
{
	(void)state;
	struct drill_timer t;
	drill_timer_start(&t, 100);
	CLOSE(drill_timer_elapsed(&t, 130), 30);
	drill_timer_pause(&t, 130);
	drill_timer_pause(&t, 135); /* a second pause changes nothing */
	CLOSE(drill_timer_elapsed(&t, 150), 30);
	CLOSE(drill_timer_paused(&t, 150), 20);
	drill_timer_resume(&t, 160);
	drill_timer_resume(&t, 170);
	CLOSE(drill_timer_elapsed(&t, 200), 70);
	CLOSE(drill_timer_paused(&t, 200), 30);
	/* A clock that goes back never gives negative time. */
	CLOSE(drill_timer_elapsed(&t, 50), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types_and_labels),
	    cmocka_unit_test(test_worksheet_lines),
	    cmocka_unit_test(test_random_worksheet_lines),
	    cmocka_unit_test(test_bad_hint_marks_nothing),
	    cmocka_unit_test(test_values_read_as_typed),
	    cmocka_unit_test(test_timer_leaves_pauses_out),
	    cmocka_unit_test_setup_teardown(test_estimation_load_and_biggest_miss, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pair_lines_by_value, setup, teardown),
	    cmocka_unit_test(test_pair_lines_by_role),
	    cmocka_unit_test(test_pair_lines_optimal),
	    cmocka_unit_test_setup_teardown(test_record_estimation_and_due_queue, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_regrade_before_scheduling, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_estimation_undo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_interview_undo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unscorable_answer_stores_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_card_write_rolls_back_the_attempt, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_new_questions_a_day, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_interview_with_self_grades, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_calibration_over_answers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stats_and_streaks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mock_interview, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
