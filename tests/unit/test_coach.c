/* The coach's reports on a small course: the totals the triggers keep
 * equal a recount from the attempts after every kind of write (the app's,
 * an import, an update, a learner deleted), the cohort agrees with each
 * learner's own progress, the difficult questions name the misses and the
 * common wrong answers (within a group too), one learner's report, groups,
 * and finding learners by name or UUID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bundle.h"
#include "coach.h"
#include "store_sql.h"
#include "testutil.h"
#include "util.h"

#include <math.h>

#define DAY INT64_C(86400)
/* 2026-03-02 10:00 UTC */
#define T0 INT64_C(1772445600)

static const char course_sql[] =
    "INSERT INTO content_meta VALUES ('hash', 'feedc0de00000000');"
    "INSERT INTO modules (id, ord, title) VALUES ('m1', 1, 'Why AI'), ('m2', 2, 'Models');"
    "INSERT INTO lessons (id, module_id, ord, title, sources, pass_mark, body, words, file) VALUES"
    " ('m1-a', 'm1', 1, 'Pain points', '', 70, 'x', 400, 'a.md'),"
    " ('m1-b', 'm1', 2, 'When not to', '', 70, 'x', 400, 'b.md'),"
    " ('m2-a', 'm2', 1, 'How models learn', '', 50, 'x', 400, 'c.md'),"
    " ('m2-b', 'm2', 2, 'Reading only', '', 70, 'x', 400, 'd.md');"
    "INSERT INTO quiz_questions (id, lesson_id, ord, kind, prompt, choices, answer, explanation,"
    " source) VALUES"
    " ('m1-a-q1', 'm1-a', 1, 'single', 'What comes first?', 'The model | The pain point | Data',"
    "  '2', 'e', 's'),"
    " ('m1-a-q2', 'm1-a', 2, 'truefalse', 'AI fits everything.', '', 'false', 'e', 's'),"
    " ('m1-b-q1', 'm1-b', 1, 'multiple', 'Pick two', 'A | B | C', '1,3', 'e', 's'),"
    " ('m2-a-q1', 'm2-a', 1, 'short', 'Name it', '', 'labels', 'e', 's');"
    "INSERT INTO estimation_questions (id, question, unit, answer, low, high, difficulty,"
    " lesson_id) VALUES ('est-dogs', 'Dog food?', 't', 1000000, 500000, 2000000, 'easy', 'm2-a');"
    "INSERT INTO interview_questions (id, type, question, lesson_id) VALUES"
    " ('iq-alarm', 'product_sense', 'Design an alarm clock for the blind.', 'm1-b');"
    "INSERT INTO rubric_points (question_id, ord, point) VALUES ('iq-alarm', 1, 'Picks a segment'),"
    " ('iq-alarm', 2, 'Names a metric'), ('iq-alarm', 3, 'Talks about risks');";

struct fixture {
	char *dir;
	struct store *st;
	struct learner ana, ben, cy;
};

static void exec(struct store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int64_t one(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(st)));
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Quiz answers: (uid, learner, take, question, answer, correct, at). */
static void quiz(struct store *st, const char *uid, int64_t learner, const char *take,
		 const char *question, const char *answer, int correct, int64_t at)
{
	char *sql = sqlite3_mprintf("INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id,"
				    " answer, correct, answered_at) VALUES (%Q, %lld, %Q, %Q, %Q, %d, %lld)",
				    uid, (long long)learner, take, question, answer, correct,
				    (long long)at);
	exec(st, sql);
	sqlite3_free(sql);
}

static void take(struct store *st, const char *uid, int64_t learner, const char *lesson,
		 int correct, int total, int64_t at)
{
	char *sql = sqlite3_mprintf("INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at,"
				    " finished_at, answered, correct, total) VALUES (%Q, %lld, %Q, %lld,"
				    " %lld, %d, %d, %d)",
				    uid, (long long)learner, lesson, (long long)at, (long long)at + 60,
				    total, correct, total);
	exec(st, sql);
	sqlite3_free(sql);
}

static void read_lesson(struct store *st, int64_t learner, const char *lesson, int to_end,
			int64_t at)
{
	char *sql = sqlite3_mprintf("INSERT INTO lesson_progress VALUES (%lld, %Q, 3, 0, %d, 300,"
				    " %lld, %lld)",
				    (long long)learner, lesson, to_end, (long long)at,
				    (long long)at + 300);
	exec(st, sql);
	sqlite3_free(sql);
}

static void estimate(struct store *st, const char *uid, int64_t learner, double point, int hit,
		     int64_t at)
{
	char *sql = sqlite3_mprintf(
	    "INSERT INTO estimation_attempts (uid, learner_id, question_id, point, low, high,"
	    " log_error, hit, width, interval_score, points, seconds, answered_at)"
	    " VALUES (%Q, %lld, 'est-dogs', %.17g, %.17g, %.17g, 0.5, %d, 1, 1, 50, 200, %lld)",
	    uid, (long long)learner, point, point / 2, point * 2, hit, (long long)at);
	exec(st, sql);
	sqlite3_free(sql);
}

static void interview(struct store *st, const char *uid, int64_t learner, double score,
		      const int grades[3], int64_t at)
{
	char *sql = sqlite3_mprintf(
	    "INSERT INTO interview_attempts (uid, learner_id, question_id, type, answer_text,"
	    " seconds, score, answered_at) VALUES (%Q, %lld, 'iq-alarm', 'product_sense', 'x', 300,"
	    " %.17g, %lld);"
	    "INSERT INTO rubric_grades VALUES (%Q, 1, 0, %d), (%Q, 2, 0, %d), (%Q, 3, 0, %d);",
	    uid, (long long)learner, score, (long long)at, uid, grades[0], uid, grades[1], uid,
	    grades[2]);
	exec(st, sql);
	sqlite3_free(sql);
}

/* Ana: lesson m1-a done (read, quiz 2/2 on the second take), m1-b read but
 * its quiz failed, m2-b read (no quiz); two missed estimates; one weak
 * interview answer. Ben: m1-a opened only, a review answer, one held
 * estimate, one good interview answer. Cy: nothing. */
static void fill(struct fixture *f)
{
	int64_t a = f->ana.id, b = f->ben.id;
	read_lesson(f->st, a, "m1-a", 1, T0);
	take(f->st, "ta1", a, "m1-a", 1, 2, T0 + 400);
	quiz(f->st, "a1", a, "ta1", "m1-a-q1", "1", 0, T0 + 410);
	quiz(f->st, "a2", a, "ta1", "m1-a-q2", "false", 1, T0 + 420);
	take(f->st, "ta2", a, "m1-a", 2, 2, T0 + DAY);
	quiz(f->st, "a3", a, "ta2", "m1-a-q1", "2", 1, T0 + DAY + 10);
	quiz(f->st, "a4", a, "ta2", "m1-a-q2", "false", 1, T0 + DAY + 20);
	read_lesson(f->st, a, "m1-b", 1, T0 + 2 * DAY);
	take(f->st, "ta3", a, "m1-b", 0, 1, T0 + 2 * DAY + 400);
	quiz(f->st, "a5", a, "ta3", "m1-b-q1", "1,2", 0, T0 + 2 * DAY + 410);
	read_lesson(f->st, a, "m2-b", 1, T0 + 3 * DAY);
	estimate(f->st, "e1", a, 1e8, 0, T0 + 3 * DAY + 100);
	estimate(f->st, "e2", a, 9e7, 0, T0 + 3 * DAY + 200);
	interview(f->st, "i1", a, 100.0 / 6, (const int[]){1, 0, 0}, T0 + 3 * DAY + 300);
	exec(f->st, "INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at)"
		    " VALUES ('n1', 1, 'm1-b', 'Ask about the quiz', 1772800000,"
		    " 1772800000)");

	read_lesson(f->st, b, "m1-a", 0, T0);
	quiz(f->st, "b1", b, NULL, "m1-a-q1", "1", 0, T0 + 100);
	quiz(f->st, "b2", b, NULL, "m1-a-q1", "3", 0, T0 + 200);
	estimate(f->st, "e3", b, 1.1e6, 1, T0 + 300);
	interview(f->st, "i2", b, 100.0 * 5 / 6, (const int[]){2, 2, 1}, T0 + 400);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tempdir();
	char *path = xasprintf("%s/coach.db", f->dir);
	char err[512];
	assert_int_equal(store_open(path, &f->st, err, sizeof err), STORE_OK);
	free(path);
	exec(f->st, course_sql);
	assert_int_equal(store_learner_create(f->st, "Ana", &f->ana), STORE_OK);
	assert_int_equal(store_learner_create(f->st, "Ben", &f->ben), STORE_OK);
	assert_int_equal(store_learner_create(f->st, "Cy", &f->cy), STORE_OK);
	assert_int_equal(f->ana.id, 1);
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

/* The totals the triggers keep, against a recount from the attempts:
 * zero rows where they differ. */
static const char *const recounts[] = {
    "SELECT COUNT(*) FROM (SELECT kind, question_id, learner_id, attempts, misses, score"
    " FROM coach_answers EXCEPT SELECT * FROM ("
    " SELECT 0, question_id, learner_id, COUNT(*), SUM(correct = 0), SUM(correct != 0)"
    "  FROM quiz_attempts GROUP BY question_id, learner_id"
    " UNION ALL SELECT 1, question_id, learner_id, COUNT(*), SUM(hit = 0), SUM(hit)"
    "  FROM estimation_attempts GROUP BY question_id, learner_id"
    " UNION ALL SELECT 2, question_id, learner_id, COUNT(*), SUM(score < 60), SUM(score)"
    "  FROM interview_attempts GROUP BY question_id, learner_id))",
    "SELECT (SELECT COUNT(*) FROM coach_answers) - (SELECT COUNT(*) FROM (SELECT DISTINCT"
    " question_id, learner_id FROM quiz_attempts)) - (SELECT COUNT(*) FROM (SELECT DISTINCT"
    " question_id, learner_id FROM estimation_attempts)) - (SELECT COUNT(*) FROM (SELECT"
    " DISTINCT question_id, learner_id FROM interview_attempts))",
    "SELECT COUNT(*) FROM (SELECT kind, question_id, learners, missed_by, attempts, misses"
    " FROM coach_questions EXCEPT SELECT kind, question_id, COUNT(*), SUM(misses > 0),"
    " SUM(attempts), SUM(misses) FROM coach_answers GROUP BY kind, question_id)",
    "SELECT COUNT(*) FROM (SELECT kind, question_id, COUNT(*), SUM(misses > 0), SUM(attempts),"
    " SUM(misses) FROM coach_answers GROUP BY kind, question_id EXCEPT SELECT kind,"
    " question_id, learners, missed_by, attempts, misses FROM coach_questions)",
    "SELECT COUNT(*) FROM (SELECT l.id, (SELECT COUNT(*) FROM quiz_attempts WHERE learner_id ="
    " l.id), (SELECT COUNT(*) FROM quiz_attempts WHERE learner_id = l.id AND correct),"
    " (SELECT COUNT(*) FROM estimation_attempts WHERE learner_id = l.id),"
    " (SELECT COUNT(*) FROM estimation_attempts WHERE learner_id = l.id AND hit),"
    " (SELECT COUNT(*) FROM interview_attempts WHERE learner_id = l.id),"
    " (SELECT printf('%.6f', COALESCE(SUM(score), 0)) FROM interview_attempts WHERE"
    " learner_id = l.id) FROM learners l EXCEPT SELECT l.id, COALESCE(c.quiz_answers, 0),"
    " COALESCE(c.quiz_correct, 0), COALESCE(c.estimation_answers, 0),"
    " COALESCE(c.estimation_hits, 0), COALESCE(c.interview_answers, 0),"
    " printf('%.6f', COALESCE(c.interview_score, 0)) FROM learners l"
    " LEFT JOIN coach_learners c ON c.learner_id = l.id)",
    "SELECT (SELECT COUNT(*) FROM (SELECT learner_id, lesson_id, best FROM coach_lesson_best"
    " EXCEPT SELECT learner_id, lesson_id, MAX(100.0 * correct / total) FROM quiz_takes"
    " WHERE finished_at IS NOT NULL AND total > 0 GROUP BY learner_id, lesson_id))"
    " + (SELECT COUNT(*) FROM (SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
    " FROM quiz_takes WHERE finished_at IS NOT NULL AND total > 0 GROUP BY learner_id,"
    " lesson_id EXCEPT SELECT learner_id, lesson_id, best FROM coach_lesson_best))",
    "SELECT (SELECT COUNT(*) FROM (SELECT question_id, ord, learner_id, misses"
    " FROM coach_rubric_misses EXCEPT SELECT a.question_id, g.ord, a.learner_id, COUNT(*)"
    " FROM rubric_grades g JOIN interview_attempts a ON a.uid = g.attempt_uid"
    " WHERE g.grade = 0 AND a.score < 60 GROUP BY 1, 2, 3)) + (SELECT COUNT(*) FROM (SELECT a.question_id, g.ord, a.learner_id,"
    " COUNT(*) FROM rubric_grades g JOIN interview_attempts a ON a.uid = g.attempt_uid"
    " WHERE g.grade = 0 AND a.score < 60 GROUP BY 1, 2, 3 EXCEPT SELECT question_id, ord,"
    " learner_id, misses FROM coach_rubric_misses))",
};

static void assert_totals_match(struct fixture *f, const char *after)
{
	for (size_t i = 0; i < sizeof recounts / sizeof recounts[0]; i++) {
		int64_t diff = one(f->st, recounts[i]);
		if (diff != 0)
			fail_msg("after %s, recount %zu differs by %lld rows", after, i, (long long)diff);
	}
}

/* A bundle exported into a memory buffer, imported into st at `at`. */
static void import_from(struct store *from, const struct learner *who, struct store *st,
			int64_t at, const char *file)
{
	char *buf = NULL, err[512];
	size_t len = 0, rows;
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(bundle_write(from, who, at, mem, &rows, err, sizeof err), 0);
	fclose(mem);
	struct bundle b;
	assert_int_equal(bundle_parse(file, buf, len, &b, err, sizeof err), 0);
	struct bundle_import_result res;
	if (bundle_import(st, &b, file, at, false, &res, err, sizeof err) != 0)
		fail_msg("%s", err);
	bundle_import_result_free(&res);
	bundle_free(&b);
	free(buf);
}

/* A newer bundle of a learner already imported: the recount takes the
 * learner's old answers out of the per-question totals before it adds
 * the new ones, so another learner's share of a question stays. */
static void test_totals_follow_a_newer_bundle(void **state)
{
	struct fixture *f = *state;
	fill(f);
	char *path = xasprintf("%s/other.db", f->dir);
	struct store *other;
	char err[512];
	assert_int_equal(store_open(path, &other, err, sizeof err), STORE_OK);
	free(path);
	exec(other, course_sql);
	import_from(f->st, &f->ana, other, T0 + 9 * DAY, "ana.csv");
	import_from(f->st, &f->ben, other, T0 + 9 * DAY, "ben.csv");
	struct fixture g = {.st = other};
	assert_totals_match(&g, "two learners");
	/* Ana answers again: a miss on a question Ben missed too, a held
	 * estimate, a new interview answer. */
	quiz(f->st, "a6", f->ana.id, NULL, "m1-a-q1", "3", 0, T0 + 10 * DAY);
	estimate(f->st, "e4", f->ana.id, 1e6, 1, T0 + 10 * DAY + 10);
	interview(f->st, "i3", f->ana.id, 50, (const int[]){0, 0, 1}, T0 + 10 * DAY + 20);
	import_from(f->st, &f->ana, other, T0 + 11 * DAY, "ana-2.csv");
	assert_totals_match(&g, "Ana's newer bundle");
	assert_int_equal(one(other, "SELECT learners FROM coach_questions WHERE question_id ="
				    " 'm1-a-q1'"),
			 2);
	assert_int_equal(one(other, "SELECT attempts FROM coach_questions WHERE question_id ="
				    " 'm1-a-q1'"),
			 5);
	assert_int_equal(one(other, "SELECT quiz_answers FROM coach_learners c JOIN learners l"
				    " ON l.id = c.learner_id WHERE l.name = 'Ana'"),
			 6);
	assert_int_equal(one(other, "SELECT last_active FROM coach_learners c JOIN learners l"
				    " ON l.id = c.learner_id WHERE l.name = 'Ana'"),
			 T0 + 10 * DAY + 20);
	store_close(other);
}

static void test_totals_follow_every_write(void **state)
{
	struct fixture *f = *state;
	assert_totals_match(f, "nothing");
	fill(f);
	assert_totals_match(f, "the first answers");
	assert_int_equal(one(f->st, "SELECT learners FROM coach_questions WHERE question_id ="
				    " 'm1-a-q1'"),
			 2);
	assert_int_equal(one(f->st, "SELECT missed_by FROM coach_questions WHERE question_id ="
				    " 'm1-a-q1'"),
			 2);
	/* Changes the app never makes, but a hand edit might. */
	exec(f->st, "UPDATE quiz_attempts SET correct = 1 WHERE uid = 'b2'");
	exec(f->st, "UPDATE estimation_attempts SET hit = 1 WHERE uid = 'e1'");
	exec(f->st, "UPDATE interview_attempts SET score = 80 WHERE uid = 'i1'");
	exec(f->st, "UPDATE quiz_takes SET correct = 0 WHERE uid = 'ta2'");
	assert_totals_match(f, "updates");
	exec(f->st, "DELETE FROM quiz_attempts WHERE uid = 'a5'");
	exec(f->st, "DELETE FROM interview_attempts WHERE uid = 'i2'");
	exec(f->st, "DELETE FROM quiz_takes WHERE uid = 'ta3'");
	assert_totals_match(f, "deletes");
	/* A learner deleted: every total of theirs goes with them. */
	exec(f->st, "DELETE FROM learners WHERE id = 1");
	assert_totals_match(f, "deleting a learner");
	assert_int_equal(one(f->st, "SELECT COUNT(*) FROM coach_answers WHERE learner_id = 1"), 0);
	assert_int_equal(one(f->st, "SELECT COUNT(*) FROM coach_lesson_best WHERE learner_id = 1"),
			 0);
}

static void test_totals_follow_an_import(void **state)
{
	struct fixture *f = *state;
	fill(f);
	/* Ana's bundle into a second database with the same course. */
	char *path = xasprintf("%s/other.db", f->dir);
	struct store *other;
	char err[512];
	assert_int_equal(store_open(path, &other, err, sizeof err), STORE_OK);
	free(path);
	exec(other, course_sql);
	char *buf = NULL;
	size_t len = 0, rows;
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(bundle_write(f->st, &f->ana, T0 + 9 * DAY, mem, &rows, err, sizeof err), 0);
	fclose(mem);
	struct bundle b;
	assert_int_equal(bundle_parse("ana.csv", buf, len, &b, err, sizeof err), 0);
	struct bundle_import_result res;
	assert_int_equal(bundle_import(other, &b, "ana.csv", T0 + 9 * DAY, false, &res, err,
				       sizeof err),
			 0);
	assert_int_equal(bundle_import(other, &b, "ana.csv", T0 + 9 * DAY, false, &res, err,
				       sizeof err),
			 0);
	struct fixture g = {.st = other};
	assert_totals_match(&g, "two imports");
	assert_int_equal(one(other, "SELECT quiz_answers FROM coach_learners"), 5);
	bundle_free(&b);
	free(buf);
	store_close(other);
}

static void test_cohort_agrees_with_progress(void **state)
{
	struct fixture *f = *state;
	fill(f);
	struct coach_cohort c;
	assert_int_equal(coach_cohort_load(f->st, NULL, &c), STORE_OK);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.lessons, 4);
	assert_int_equal(c.module_count, 2);
	assert_string_equal(c.modules[1].id, "m2");
	for (size_t i = 0; i < c.count; i++) {
		struct lesson_status *lessons;
		size_t n;
		assert_int_equal(progress_lessons(f->st, c.rows[i].id, &lessons, &n), STORE_OK);
		struct course_summary sum;
		progress_summarize(lessons, n, &sum);
		assert_int_equal(c.rows[i].lessons_done, sum.done);
		free(lessons);
	}
	/* Sorted by name: Ana, Ben, Cy. */
	const struct coach_row *ana = &c.rows[0], *ben = &c.rows[1], *cy = &c.rows[2];
	assert_string_equal(ana->name, "Ana");
	assert_int_equal(ana->lessons_done, 2); /* m1-a (passed), m2-b (no quiz) */
	assert_true(fabs(ana->module_percent[0] - 50) < 1e-9);
	assert_true(fabs(ana->module_percent[1] - 50) < 1e-9);
	assert_true(fabs(ana->course_percent - 50) < 1e-9);
	assert_int_equal(ana->quiz_answers, 5);
	assert_int_equal(ana->quiz_correct, 3);
	assert_true(fabs(ana->quiz_accuracy - 60) < 1e-9);
	assert_int_equal(ana->estimation_answers, 2);
	assert_true(fabs(ana->calibration - 0) < 1e-9);
	assert_true(fabs(ana->interview_score - 100.0 / 6) < 1e-9);
	assert_int_equal(ana->last_active, 1772800000); /* the note, the newest */
	assert_false(ana->imported);
	assert_int_equal(ben->lessons_done, 0);
	assert_true(fabs(ben->calibration - 100) < 1e-9);
	assert_int_equal(cy->quiz_accuracy, -1);
	assert_int_equal(cy->calibration, -1);
	assert_int_equal(cy->last_active, 0);

	coach_cohort_sort(&c, COACH_SORT_PROGRESS, false);
	assert_string_equal(c.rows[0].name, "Ana");
	coach_cohort_sort(&c, COACH_SORT_CALIBRATION, false);
	assert_string_equal(c.rows[0].name, "Ben");
	assert_string_equal(c.rows[2].name, "Cy");
	coach_cohort_sort(&c, COACH_SORT_NAME, true);
	assert_string_equal(c.rows[0].name, "Cy");
	assert_true(coach_row_matches(&c.rows[0], "cy"));
	assert_false(coach_row_matches(&c.rows[0], "ana"));
	coach_cohort_free(&c);

	enum coach_sort by;
	assert_int_equal(coach_sort_parse("calibration", &by), 0);
	assert_int_equal(by, COACH_SORT_CALIBRATION);
	assert_int_equal(coach_sort_parse("height", &by), -1);
}

static void test_difficult_questions(void **state)
{
	struct fixture *f = *state;
	fill(f);
	struct coach_difficult d;
	assert_int_equal(coach_difficult_load(f->st, NULL, 0, &d), STORE_OK);
	assert_int_equal(d.learners, 3);
	/* m1-a-q1 is missed by both who answered it: first. */
	assert_true(d.count >= 4);
	const struct coach_question *q = &d.items[0];
	assert_string_equal(q->id, "m1-a-q1");
	assert_int_equal(q->kind, COACH_QUIZ);
	assert_int_equal(q->learners, 2);
	assert_int_equal(q->missed_by, 2);
	assert_int_equal(q->attempts, 4);
	assert_int_equal(q->misses, 3);
	assert_string_equal(q->lesson_id, "m1-a");
	assert_string_equal(q->lesson_title, "Pain points");
	assert_string_equal(q->prompt, "What comes first?");
	/* Answers in words, the most common first. */
	assert_int_equal(q->wrong_count, 2);
	assert_string_equal(q->wrong[0].text, "The model");
	assert_int_equal(q->wrong[0].count, 2);
	assert_string_equal(q->wrong[1].text, "Data");
	bool seen_est = false, seen_iq = false, seen_multi = false;
	for (size_t i = 0; i < d.count; i++) {
		const struct coach_question *x = &d.items[i];
		if (x->kind == COACH_ESTIMATION) {
			seen_est = true;
			assert_int_equal(x->missed_by, 1);
			assert_int_equal(x->learners, 2);
			/* 1e8 and 9e7 against 1e6: two orders of magnitude high. */
			assert_string_equal(x->wrong[0].text, "100x too high");
			assert_int_equal(x->wrong[0].count, 2);
			/* Linked to the lesson that teaches it, as every kind is. */
			assert_string_equal(x->lesson_id, "m2-a");
			assert_string_equal(x->lesson_title, "How models learn");
		} else if (x->kind == COACH_INTERVIEW) {
			seen_iq = true;
			assert_int_equal(x->missed_by, 1);
			assert_string_equal(x->lesson_id, "m1-b");
			assert_string_equal(x->lesson_title, "When not to");
			assert_int_equal(x->wrong_count, 2);
			assert_string_equal(x->wrong[0].text, "left out: Names a metric");
		} else if (!strcmp(x->id, "m1-b-q1")) {
			seen_multi = true;
			assert_string_equal(x->wrong[0].text, "A + B");
		}
		/* Never listed when nobody missed it. */
		assert_true(x->missed_by > 0);
	}
	assert_true(seen_est && seen_iq && seen_multi);
	coach_difficult_free(&d);

	assert_int_equal(coach_difficult_load(f->st, NULL, 1, &d), STORE_OK);
	assert_int_equal(d.count, 1);
	coach_difficult_free(&d);

	/* Within a group of Ben alone. */
	assert_int_equal(coach_group_add(f->st, "Tuesday", f->ben.id), STORE_OK);
	assert_int_equal(coach_difficult_load(f->st, "Tuesday", 0, &d), STORE_OK);
	assert_int_equal(d.learners, 1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].id, "m1-a-q1");
	assert_int_equal(d.items[0].learners, 1);
	assert_int_equal(d.items[0].misses, 2);
	assert_int_equal(d.items[0].wrong_count, 2);
	assert_string_equal(d.items[0].wrong[0].text, "The model");
	assert_int_equal(d.items[0].wrong[0].count, 1);
	coach_difficult_free(&d);
	assert_int_equal(coach_difficult_load(f->st, "Nobody", 0, &d), STORE_ERR_NOTFOUND);

	/* A content update puts "Data" first in m1-a-q1: Ben's answers keep
	 * the words of the options they were asked with, and "Data" given
	 * again on the new order counts with his "Data" of the old one. */
	exec(f->st, "UPDATE quiz_attempts SET choices = 'The model | The pain point | Data',"
		    " right_answer = '2' WHERE question_id = 'm1-a-q1'");
	exec(f->st, "UPDATE quiz_questions SET choices = 'Data | The model | The pain point',"
		    " answer = '3' WHERE id = 'm1-a-q1'");
	quiz(f->st, "b3", f->ben.id, NULL, "m1-a-q1", "1", 0, T0 + 300);
	exec(f->st, "UPDATE quiz_attempts SET choices = 'Data | The model | The pain point',"
		    " right_answer = '3' WHERE uid = 'b3'");
	assert_int_equal(coach_difficult_load(f->st, "Tuesday", 0, &d), STORE_OK);
	assert_int_equal(d.items[0].wrong_count, 2);
	assert_string_equal(d.items[0].wrong[0].text, "Data");
	assert_int_equal(d.items[0].wrong[0].count, 2);
	assert_string_equal(d.items[0].wrong[1].text, "The model");
	assert_int_equal(d.items[0].wrong[1].count, 1);
	coach_difficult_free(&d);
	struct learner_report r;
	assert_int_equal(learner_report_load(f->st, f->ben.id, T0 + DAY, &r), STORE_OK);
	bool seen = false;
	for (size_t i = 0; i < r.weak_count; i++) {
		if (strcmp(r.weakest[i].id, "m1-a-q1"))
			continue;
		seen = true;
		assert_string_equal(r.weakest[i].last_answer, "Data");
	}
	assert_true(seen);
	learner_report_free(&r);
	/* An answer that keeps no options (stored before they were kept)
	 * reads the bank's: Ben's first "1", of the old order, is now "Data". */
	exec(f->st, "UPDATE quiz_attempts SET choices = '', right_answer = '' WHERE uid = 'b1'");
	assert_int_equal(coach_difficult_load(f->st, "Tuesday", 0, &d), STORE_OK);
	assert_string_equal(d.items[0].wrong[0].text, "Data");
	assert_int_equal(d.items[0].wrong[0].count, 3);
	coach_difficult_free(&d);
}

static void test_one_learner(void **state)
{
	struct fixture *f = *state;
	fill(f);
	struct learner_report r;
	assert_int_equal(learner_report_load(f->st, f->ana.id, T0 + 5 * DAY, &r), STORE_OK);
	assert_string_equal(r.learner.name, "Ana");
	assert_int_equal(r.summary.done, 2);
	assert_int_equal(r.module_count, 2);
	assert_int_equal(r.reading_seconds, 900);
	assert_int_equal(r.drill_seconds, 700);
	assert_int_equal(r.quiz_answers, 5);
	assert_int_equal(r.quiz_correct, 3);
	/* Active on days 0 to 3 and the note's day 4: a run of five, alive
	 * while its last day is today or yesterday. */
	assert_int_equal(r.active_days, 5);
	assert_int_equal(r.best_streak, 5);
	assert_int_equal(r.streak, 5);
	/* Stalled: m1-b (read, quiz failed). */
	assert_int_equal(r.stall_count, 1);
	assert_string_equal(r.lessons[r.stalled[0].lesson].id, "m1-b");
	assert_string_equal(r.stalled[0].reason, "quiz best 0%, pass mark 70%");
	/* Weakest: m1-a-q1 and m1-b-q1, one miss each; the latest answer of
	 * m1-a-q1 was right. */
	assert_int_equal(r.weak_count, 2);
	assert_string_equal(r.weakest[0].id, "m1-b-q1");
	assert_false(r.weakest[0].last_correct);
	assert_string_equal(r.weakest[0].last_answer, "A + B");
	assert_string_equal(r.weakest[1].id, "m1-a-q1");
	assert_true(r.weakest[1].last_correct);
	/* The timeline, newest first: the note, then m2-b read to the end and
	 * the interview answer at the same moment (a lesson first). */
	assert_true(r.timeline_count >= 8);
	assert_int_equal(r.timeline[0].kind, EVENT_NOTE);
	assert_int_equal(r.timeline[1].kind, EVENT_LESSON_OPENED);
	assert_string_equal(r.timeline[1].detail, "read to the end");
	assert_int_equal(r.timeline[1].at, T0 + 3 * DAY + 300);
	assert_int_equal(r.timeline[2].kind, EVENT_INTERVIEW);
	assert_int_equal(r.timeline[2].outcome, -1);
	for (size_t i = 1; i < r.timeline_count; i++)
		assert_true(r.timeline[i - 1].at >= r.timeline[i].at);
	assert_int_equal(r.calibration.count, 2);
	assert_int_equal(r.note_count, 1);
	assert_string_equal(r.notes[0].lesson_title, "When not to");
	assert_int_equal(r.drill.answers, 3);
	assert_int_equal(r.experiments, 0);
	assert_true(r.best_f1 < 0);
	learner_report_free(&r);

	/* Two lab runs on day 5: the best is the higher AUC (not the higher
	 * F1); they are activity too (the streak grows, the timeline shows
	 * them). */
	exec(f->st, "INSERT INTO experiments (uid, learner_id, created_at, data, settings, metrics,"
		    " accuracy, f1, seconds, auc) VALUES"
		    " ('x1', 1, 1772878000, '{}', '{}', '{}', 0.9, 0.7, 1, 0.95),"
		    " ('x2', 1, 1772878100, '{}', '{}', '{}', 0.8, 0.8, 1, 0.85)");
	assert_int_equal(learner_report_load(f->st, f->ana.id, T0 + 6 * DAY, &r), STORE_OK);
	assert_int_equal(r.experiments, 2);
	assert_true(fabs(r.best_auc - 0.95) < 1e-9);
	assert_true(fabs(r.best_f1 - 0.7) < 1e-9);
	assert_true(fabs(r.best_accuracy - 0.9) < 1e-9);
	assert_int_equal(r.active_days, 6);
	assert_int_equal(r.streak, 6);
	assert_int_equal(r.last_active, 1772878100);
	assert_int_equal(r.timeline[0].kind, EVENT_LAB_RUN);
	assert_string_equal(r.timeline[0].detail, "lab run: accuracy 0.80, F1 0.80");
	assert_int_equal(r.timeline[1].kind, EVENT_LAB_RUN);
	learner_report_free(&r);

	/* Two days without anything end it. */
	assert_int_equal(learner_report_load(f->st, f->ana.id, T0 + 7 * DAY, &r), STORE_OK);
	assert_int_equal(r.streak, 0);
	assert_int_equal(r.best_streak, 6);
	learner_report_free(&r);
}

/* A learner who only trains models in the lab is active: the cohort's
 * last active, the streak and the timeline count the runs. */
static void test_lab_runs_are_activity(void **state)
{
	struct fixture *f = *state;
	char *sql = sqlite3_mprintf(
	    "INSERT INTO experiments (uid, learner_id, created_at, data, settings, metrics,"
	    " accuracy, f1, seconds) VALUES ('c1', %lld, %lld, '{}', '{}', '{}', 0.7, 0.6, 2),"
	    " ('c2', %lld, %lld, '{}', '{}', '{}', 0.8, 0.7, 2),"
	    " ('c3', %lld, %lld, '{}', '{}', '{}', 0.9, 0.8, 2)",
	    (long long)f->cy.id, (long long)(T0 - DAY), (long long)f->cy.id, (long long)T0,
	    (long long)f->cy.id, (long long)(T0 + 60));
	exec(f->st, sql);
	sqlite3_free(sql);
	struct learner_report r;
	assert_int_equal(learner_report_load(f->st, f->cy.id, T0 + 3600, &r), STORE_OK);
	assert_int_equal(r.experiments, 3);
	assert_int_equal(r.last_active, T0 + 60);
	assert_int_equal(r.streak, 2);
	assert_int_equal(r.active_days, 2);
	assert_int_equal(r.timeline_count, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(r.timeline[i].kind, EVENT_LAB_RUN);
	assert_string_equal(coach_event_kind_name(r.timeline[0].kind), "lab run");
	learner_report_free(&r);
	struct coach_cohort c;
	assert_int_equal(coach_cohort_load(f->st, NULL, &c), STORE_OK);
	bool seen = false;
	for (size_t i = 0; i < c.count; i++) {
		if (c.rows[i].id != f->cy.id)
			continue;
		seen = true;
		assert_int_equal(c.rows[i].last_active, T0 + 60);
	}
	assert_true(seen);
	coach_cohort_free(&c);
}

static void test_groups_and_finding_learners(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(coach_group_add(f->st, "Tuesday", f->ana.id), STORE_OK);
	assert_int_equal(coach_group_add(f->st, "tuesday", f->ben.id), STORE_OK);
	assert_int_equal(coach_group_add(f->st, "Tuesday", f->ben.id), STORE_OK);
	assert_int_equal(coach_group_add(f->st, "Evening", f->ben.id), STORE_OK);
	struct coach_group *groups;
	size_t n;
	assert_int_equal(coach_groups_list(f->st, &groups, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(groups[0].name, "Evening");
	assert_int_equal(groups[1].members, 2);
	free(groups);

	struct coach_cohort c;
	assert_int_equal(coach_cohort_load(f->st, "Tuesday", &c), STORE_OK);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.rows[1].groups, "Evening, Tuesday");
	assert_true(coach_row_matches(&c.rows[1], "even"));
	coach_cohort_free(&c);
	assert_int_equal(coach_cohort_load(f->st, "Weekend", &c), STORE_ERR_NOTFOUND);

	assert_int_equal(coach_group_remove(f->st, "Tuesday", f->ana.id), STORE_OK);
	assert_int_equal(coach_group_remove(f->st, "Tuesday", f->ana.id), STORE_ERR_NOTFOUND);
	assert_int_equal(coach_group_delete(f->st, "Evening"), STORE_OK);
	assert_int_equal(coach_group_delete(f->st, "Evening"), STORE_ERR_NOTFOUND);
	assert_int_equal(one(f->st, "SELECT COUNT(*) FROM learners"), 3);

	/* Two learners called Ben (one imported): a name is ambiguous, the
	 * UUID's start is not. */
	exec(f->st, "INSERT INTO learners (uuid, name, created_at, origin) VALUES"
		    " ('0badc0de-0000-4000-8000-000000000001', 'Ben', 0, 'imported')");
	struct learner l;
	size_t matches;
	assert_int_equal(coach_find_learner(f->st, "Ben", &l, &matches), STORE_ERR_NOTFOUND);
	assert_int_equal(matches, 2);
	assert_int_equal(coach_find_learner(f->st, "0badc0de", &l, &matches), STORE_OK);
	assert_string_equal(l.uuid, "0badc0de-0000-4000-8000-000000000001");
	assert_int_equal(coach_find_learner(f->st, "Ana", &l, &matches), STORE_OK);
	assert_int_equal(l.id, f->ana.id);
	assert_int_equal(coach_find_learner(f->st, "Zed", &l, &matches), STORE_ERR_NOTFOUND);
	assert_int_equal(matches, 0);
	/* The candidates of an ambiguous name, to choose from by UUID. */
	struct coach_match *m;
	assert_int_equal(coach_match_learners(f->st, "ben", &m, &matches), STORE_OK);
	assert_int_equal(matches, 2);
	/* ordered by UUID, and the local Ben's is random */
	size_t imported = strcmp(m[0].learner.uuid, "0badc0de-0000-4000-8000-000000000001") == 0 ? 0 : 1;
	assert_string_equal(m[imported].learner.uuid, "0badc0de-0000-4000-8000-000000000001");
	assert_true(m[imported].imported);
	assert_int_equal(m[1 - imported].learner.id, f->ben.id);
	assert_false(m[1 - imported].imported);
	assert_true(strcmp(m[0].learner.uuid, m[1].learner.uuid) < 0);
	free(m);
	assert_int_equal(coach_match_learners(f->st, "0BADC0DE-0000", &m, &matches), STORE_OK);
	assert_int_equal(matches, 1);
	assert_string_equal(m[0].learner.name, "Ben");
	free(m);
	/* Three characters are not enough to name a UUID. */
	assert_int_equal(coach_match_learners(f->st, "0ba", &m, &matches), STORE_OK);
	assert_int_equal(matches, 0);
	free(m);
}

static void test_imports_list(void **state)
{
	struct fixture *f = *state;
	fill(f);
	char *buf = NULL;
	size_t len = 0, rows;
	char err[512];
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(bundle_write(f->st, &f->ben, T0 + DAY, mem, &rows, err, sizeof err), 0);
	fclose(mem);
	/* Into a coach's own database. */
	char *path = xasprintf("%s/mine.db", f->dir);
	struct store *coach;
	assert_int_equal(store_open(path, &coach, err, sizeof err), STORE_OK);
	free(path);
	exec(coach, course_sql);
	struct bundle b;
	assert_int_equal(bundle_parse("ben.csv", buf, len, &b, err, sizeof err), 0);
	struct bundle_import_result res;
	assert_int_equal(bundle_import(coach, &b, "/tmp/ben.csv", T0 + 2 * DAY, false, &res, err,
				       sizeof err),
			 0);
	assert_int_equal(bundle_import(coach, &b, "/tmp/ben.csv", T0 + 3 * DAY, false, &res, err,
				       sizeof err),
			 0);
	struct coach_import *list;
	size_t n;
	assert_int_equal(coach_imports_list(coach, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].learner_name, "Ben");
	assert_int_equal(list[0].imported_at, T0 + 3 * DAY);
	assert_int_equal(list[0].exported_at, T0 + DAY);
	assert_int_equal(list[0].added, 0);
	coach_imports_free(list, n);
	struct coach_cohort c;
	assert_int_equal(coach_cohort_load(coach, NULL, &c), STORE_OK);
	assert_int_equal(c.count, 1);
	assert_true(c.rows[0].imported);
	assert_int_equal(c.rows[0].last_import, T0 + 3 * DAY);
	assert_int_equal(c.rows[0].quiz_answers, 2);
	coach_cohort_free(&c);
	bundle_free(&b);
	free(buf);
	store_close(coach);
}

int main(void)
{
	/* Learners are made before their rows (a bundle's creation time must
	 * be before its import). */
	setenv("AIPM_NOW", "1769853600", 1);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_totals_follow_every_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_totals_follow_an_import, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_totals_follow_a_newer_bundle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cohort_agrees_with_progress, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_difficult_questions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_learner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lab_runs_are_activity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_groups_and_finding_learners, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_imports_list, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
