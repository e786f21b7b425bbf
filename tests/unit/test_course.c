/* The shipped course itself: `aipm content check content/` must pass and
 * the course must be as large as promised (issue: the course itself). The
 * per-row invariants (a right option, patterns that accept their model
 * answer and reject a wrong one, ranges that hold the answer,
 * decompositions within 1%, links that resolve, cited sources) are checked
 * by content_load; this test fails on any problem it reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "content.h"
#include "lesson.h"
#include "markdown.h"
#include "store_sql.h"
#include "testutil.h"
#include "util.h"

static struct store *st;
static char *tmp;

static int setup(void **state)
{
	(void)state;
	tmp = test_tempdir();
	char *path = xasprintf("%s/course.db", tmp);
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		return -1;
	free(path);
	struct content_report report = {0};
	bool imported;
	if (content_import(st, AIPM_SOURCE_CONTENT, true, &report, &imported, err, sizeof err) !=
	    STORE_OK)
		return -1;
	content_report_free(&report);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	test_remove_tree(tmp);
	free(tmp);
	return 0;
}

static int scalar(const char *sql)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void test_course_has_no_problems(void **state)
{
	(void)state;
	struct course_files files;
	struct content_report report = {0};
	int problems = content_load(AIPM_SOURCE_CONTENT, &files, &report);
	content_report_print(&report, stderr);
	assert_int_equal(problems, 0);
	course_files_free(&files);
	content_report_free(&report);
}

static void test_course_size(void **state)
{
	(void)state;
	assert_true(scalar("SELECT COUNT(*) FROM modules") >= 7);
	assert_true(scalar("SELECT COUNT(*) FROM lessons") >= 28);
	assert_true(scalar("SELECT COUNT(*) FROM quiz_questions") >= 110);
	assert_true(scalar("SELECT COUNT(*) FROM glossary") >= 60);
	assert_true(scalar("SELECT COUNT(*) FROM estimation_questions") >= 50);
	assert_true(scalar("SELECT COUNT(*) FROM interview_questions") >= 40);
	/* Every module has lessons; every lesson 400-1,200 words. */
	assert_int_equal(scalar("SELECT COUNT(*) FROM modules m WHERE NOT EXISTS"
				" (SELECT 1 FROM lessons l WHERE l.module_id = m.id)"),
			 0);
	assert_int_equal(scalar("SELECT COUNT(*) FROM lessons WHERE words < 400 OR words > 1200"), 0);
}

static void test_every_lesson_ends_with_a_quiz(void **state)
{
	(void)state;
	assert_int_equal(scalar("SELECT COUNT(*) FROM lessons l WHERE"
				" (SELECT COUNT(*) FROM quiz_questions q WHERE q.lesson_id = l.id) < 3"),
			 0);
	/* All four kinds of question are used. */
	assert_int_equal(scalar("SELECT COUNT(DISTINCT CASE WHEN kind IN ('single','multiple')"
				" THEN 'choice' ELSE kind END) FROM quiz_questions"),
			 4);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_questions WHERE explanation = ''"
				" OR source = ''"),
			 0);
}

static void test_glossary_and_banks_are_linked(void **state)
{
	(void)state;
	assert_int_equal(scalar("SELECT COUNT(*) FROM glossary g WHERE NOT EXISTS"
				" (SELECT 1 FROM glossary_lessons gl WHERE gl.term = g.term)"),
			 0);
	assert_int_equal(scalar("SELECT COUNT(*) FROM estimation_questions e WHERE NOT EXISTS"
				" (SELECT 1 FROM estimation_steps s WHERE s.question_id = e.id)"),
			 0);
	assert_int_equal(scalar("SELECT COUNT(*) FROM estimation_questions"
				" WHERE id = 'est-dog-food-us'"),
			 1);
	assert_int_equal(scalar("SELECT COUNT(*) FROM interview_questions i WHERE"
				" (SELECT COUNT(*) FROM rubric_points r WHERE r.question_id = i.id) < 3"),
			 0);
	/* Every interview type has questions and a framework. */
	assert_int_equal(scalar("SELECT COUNT(DISTINCT type) FROM interview_questions"), 7);
	assert_int_equal(scalar("SELECT COUNT(DISTINCT type) FROM frameworks"), 7);
}

/* What issue 16 asks of the course: at least 250 questions and 6 per
 * lesson, a recap per module, and lessons that lead into the tools. */
static void test_mastery_and_review(void **state)
{
	(void)state;
	assert_true(scalar("SELECT COUNT(*) FROM quiz_questions") >= 250);
	assert_int_equal(scalar("SELECT COUNT(*) FROM lessons l WHERE"
				" (SELECT COUNT(*) FROM quiz_questions q WHERE q.lesson_id = l.id) < 6"),
			 0);
	assert_int_equal(scalar("SELECT COUNT(*) FROM modules m WHERE NOT EXISTS"
				" (SELECT 1 FROM recaps r WHERE r.module_id = m.id)"),
			 0);
	/* "model" is common: linked once per section, not 300 times. */
	assert_int_equal(scalar("SELECT common FROM glossary WHERE term = 'model'"), 1);
}

/* The Try-it blocks of every lesson and recap, as "action:key" words. */
static char *course_tries(void)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, " ");
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st),
					    "SELECT id, 0 FROM lessons UNION ALL"
					    " SELECT module_id, 1 FROM recaps",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);
		struct lesson l;
		enum store_error e = sqlite3_column_int(stmt, 1) ? lesson_load_recap(st, id, &l)
								 : lesson_load(st, id, &l);
		assert_int_equal(e, STORE_OK);
		struct md_doc doc;
		lesson_render(&l, 80, &doc);
		for (size_t i = 0; i < doc.try_count; i++) {
			const struct try_block *b = &doc.tries[i].block;
			const char *what = try_get(b, "type") ? try_get(b, "type")
					   : try_get(b, "question") ? try_get(b, "question")
					   : try_get(b, "scope") ? try_get(b, "scope")
								  : try_get(b, "data");
			sb_printf(&sb, "%s@%s:%s ", id, try_action_name(b->action), what);
		}
		md_doc_free(&doc);
		lesson_free(&l);
	}
	sqlite3_finalize(stmt);
	return sb_steal(&sb);
}

static void test_lessons_lead_into_the_tools(void **state)
{
	(void)state;
	char *tries = course_tries();
	static const char *const wanted[] = {
	    /* the notebook lessons open the lab on the shipped reviews */
	    "m2-the-live-notebook@lab:datasets/reviews.csv",
	    "m2-reading-training-results@lab:datasets/reviews.csv",
	    /* the funnel lessons open the funnel on the shipped log */
	    "m7-the-aarrr-funnel@funnel:datasets/events.csv",
	    "m7-the-aarrr-funnel@funnel:datasets/aarrr_stages.csv",
	    /* the estimation lesson opens the dog-food question */
	    "m8-metrics-and-estimation-answers@drill:est-dog-food-us",
	    /* each cumulative quiz and the final exam are a block away */
	    "m1@quiz:m1", "m8@quiz:final",
	    NULL,
	};
	for (int i = 0; wanted[i]; i++)
		if (!strstr(tries, wanted[i]))
			fail_msg("no Try-it block %s among: %s", wanted[i], tries);
	/* Every interview type is practised from a lesson. */
	static const char *const types[] = {"product_sense", "analytical", "root_cause",
					    "cross_functional", "strategy", "leadership",
					    "behavioral", NULL};
	for (int i = 0; types[i]; i++) {
		char *word = xasprintf("@drill:%s ", types[i]);
		if (!strstr(tries, word))
			fail_msg("no lesson opens the drill on %s", types[i]);
		free(word);
	}
	free(tries);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_course_has_no_problems),
		cmocka_unit_test(test_course_size),
		cmocka_unit_test(test_every_lesson_ends_with_a_quiz),
		cmocka_unit_test(test_glossary_and_banks_are_linked),
		cmocka_unit_test(test_mastery_and_review),
		cmocka_unit_test(test_lessons_lead_into_the_tools),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
