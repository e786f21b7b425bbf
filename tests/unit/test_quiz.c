/* The quiz engine and the lesson store: grading each kind of question,
 * storing every attempt and the take's score, the review order of missed
 * questions, the reading position (saved in one statement, restored,
 * read-to-end never lost, time adding up), notes, the course tree's
 * module summaries and the course-wide search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lesson.h"
#include "progress.h"
#include "quiz.h"
#include "review.h"
#include "store_sql.h"
#include "testdump.h"
#include "testutil.h"
#include "textwrap.h"
#include "util.h"

#include <locale.h>

static struct store *st;
static char *tmp;
static struct learner ana;

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
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

static int setup(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C.UTF-8");
	text_locale_init();
	tmp = test_tempdir();
	char *path = xasprintf("%s/quiz.db", tmp);
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		return -1;
	free(path);
	exec("INSERT INTO modules (id, ord, title) VALUES ('m1', 1, 'Basics'), ('m2', 2, 'Models');"
	     "INSERT INTO lessons (id, module_id, ord, title, sources, pass_mark, body, words, file)"
	     " VALUES ('m1-a', 'm1', 1, 'First', 'podcast [00:01]; talk (02:00)', 70,"
	     "  '## Why\n\nA model learns.\n\nSource: podcast [00:01].', 600, 'a.md'),"
	     " ('m1-b', 'm1', 2, 'Second', 's', 50, 'Precision and *recall*.', 400, 'b.md'),"
	     " ('m2-a', 'm2', 1, 'Third', 's', 70, 'No quiz here; precision again.', 200, 'c.md');"
	     "INSERT INTO quiz_questions (id, lesson_id, ord, kind, prompt, choices, answer, tolerance,"
	     " model_answer, explanation, source) VALUES"
	     " ('m1-a-q1', 'm1-a', 1, 'single', 'Pick', 'red | green | blue', '2', '', '', 'e', 's'),"
	     " ('m1-a-q2', 'm1-a', 2, 'multiple', 'Pick two', 'a | b | c | d', '1,3', '', '', 'e', 's'),"
	     " ('m1-a-q3', 'm1-a', 3, 'truefalse', 'True?', '', 'false', '', '', 'e', 's'),"
	     " ('m1-a-q4', 'm1-a', 4, 'short', 'Name', '', '\\bfalse\\s+positives?\\b', '',"
	     "  'false positive', 'e', 's'),"
	     " ('m1-b-q1', 'm1-b', 1, 'numeric', 'How many?', '', '1200', '5%', '', 'e', 's'),"
	     " ('m1-b-q2', 'm1-b', 2, 'numeric', 'Percent?', '', '66.7', '0.5', '40/60', 'e', 's');");
	if (store_learner_create(st, "Ana", &ana) != STORE_OK)
		return -1;
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

static struct quiz load_lesson(const char *id)
{
	struct quiz q;
	assert_int_equal(quiz_load_lesson(st, id, &q), STORE_OK);
	return q;
}

static void test_grade_each_kind(void **state)
{
	(void)state;
	struct quiz a = load_lesson("m1-a"), b = load_lesson("m1-b");
	assert_int_equal(a.count, 4);
	assert_int_equal(a.questions[0].kind, QUIZ_SINGLE);
	assert_int_equal(a.questions[0].choice_count, 3);
	assert_string_equal(a.questions[0].choices[2], "blue");
	assert_string_equal(a.questions[0].lesson_title, "First");

	const struct quiz_question *single = &a.questions[0], *multi = &a.questions[1],
				   *tf = &a.questions[2], *shrt = &a.questions[3];
	assert_true(quiz_grade(single, "2"));
	assert_false(quiz_grade(single, "1"));
	assert_false(quiz_grade(single, "2,3"));
	assert_false(quiz_grade(single, ""));
	assert_true(quiz_grade(multi, "1,3"));
	assert_true(quiz_grade(multi, "3, 1"));
	assert_false(quiz_grade(multi, "1"));
	assert_false(quiz_grade(multi, "1,2,3"));
	assert_false(quiz_grade(multi, "one"));
	assert_true(quiz_grade(tf, "false"));
	assert_true(quiz_grade(tf, " F "));
	assert_false(quiz_grade(tf, "true"));
	assert_false(quiz_grade(tf, "maybe"));
	/* Short answers: the pattern, case-insensitive, surrounding spaces
	 * ignored. */
	assert_true(quiz_grade(shrt, "  A FALSE POSITIVE  "));
	assert_true(quiz_grade(shrt, "false positives"));
	assert_false(quiz_grade(shrt, "true positive"));
	assert_false(quiz_grade(shrt, "   "));
	/* Numbers as people write them, within the tolerance. */
	const struct quiz_question *count = &b.questions[0], *percent = &b.questions[1];
	assert_true(quiz_grade(count, "1,200"));
	assert_true(quiz_grade(count, "1.2k"));
	assert_true(quiz_grade(count, "1250"));  /* within 5% */
	assert_false(quiz_grade(count, "1300")); /* 8% off */
	assert_false(quiz_grade(count, "lots"));
	assert_true(quiz_grade(percent, "66.7"));
	assert_true(quiz_grade(percent, "67"));
	assert_true(quiz_grade(percent, "66.7%"));
	assert_false(quiz_grade(percent, "0.667"));
	assert_false(quiz_grade(percent, "68"));

	char *text = quiz_answer_text(multi);
	assert_string_equal(text, "1. a; 3. c");
	free(text);
	text = quiz_answer_text(percent);
	assert_string_equal(text, "66.7 (within 0.5): 40/60");
	free(text);
	text = quiz_answer_text(tf);
	assert_string_equal(text, "False");
	free(text);
	quiz_free(&a);
	quiz_free(&b);
}

static void answer(struct quiz_take *take, const struct quiz_question *q, const char *response,
		   bool expect)
{
	enum quiz_mark mark;
	assert_int_equal(quiz_take_answer(st, take, q, response, &mark), STORE_OK);
	assert_int_equal(mark, expect ? QUIZ_RIGHT : QUIZ_WRONG);
}

/* An answer to a numeric question that is not a number is not judged: it
 * is refused with a hint and nothing is stored. */
static void test_numeric_answer_not_a_number_is_refused(void **state)
{
	(void)state;
	struct quiz b = load_lesson("m1-b");
	const struct quiz_question *count = &b.questions[0], *percent = &b.questions[1];
	char why[160];
	assert_false(quiz_response_readable(count, "seventy five", why, sizeof why));
	assert_non_null(strstr(why, "digits"));
	assert_false(quiz_response_readable(percent, "60 percent", why, sizeof why));
	assert_true(quiz_response_readable(percent, "60%", why, sizeof why));
	assert_true(quiz_response_readable(count, "1.2 thousand", why, sizeof why));
	/* Refused before the store is asked: a take that is not begun will do. */
	struct quiz_take take = {.learner = ana.id};
	enum quiz_mark mark;
	assert_int_equal(quiz_take_answer(st, &take, count, "lots", &mark), STORE_ERR_INVALID);
	assert_int_equal(mark, QUIZ_UNCHECKED);
	assert_int_equal(take.answered, 0);
	quiz_free(&b);
}

static const struct lesson_status *status_of(const struct lesson_status *ls, size_t n,
					     const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ls[i].id, id))
			return &ls[i];
	fail_msg("no lesson %s", id);
	return NULL;
}

static void test_takes_scores_and_done(void **state)
{
	(void)state;
	setenv("AIPM_NOW", "1000", 1);
	struct quiz a = load_lesson("m1-a");
	struct quiz_take take;
	assert_int_equal(quiz_take_begin(st, ana.id, "m1-a", (int)a.count, 1, &take), STORE_OK);
	assert_int_equal(strlen(take.uid), 36);
	answer(&take, &a.questions[0], "2", true);
	answer(&take, &a.questions[1], "1", false);
	/* Half-way, nothing is scored yet. */
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_takes WHERE finished_at IS NOT NULL"), 0);
	answer(&take, &a.questions[2], "false", true);
	answer(&take, &a.questions[3], "true positive", false);
	assert_int_equal(take.answered, 4);
	assert_int_equal(take.correct, 2);
	assert_true(quiz_take_percent(&take) == 50.0);
	/* Every attempt is kept, with its answer, its time and its take. */
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_attempts WHERE take_uid IS NOT NULL"
				" AND answered_at = 1000 AND length(uid) = 36"),
			 4);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_attempts WHERE question_id = 'm1-a-q4'"
				" AND answer = 'true positive' AND correct = 0"),
			 1);

	struct lesson_status *ls;
	size_t n;
	assert_int_equal(progress_lessons(st, ana.id, &ls, &n), STORE_OK);
	const struct lesson_status *s = status_of(ls, n, "m1-a");
	assert_true(s->best_score == 50.0 && s->latest_score == 50.0);
	assert_int_equal(s->state, LESSON_IN_PROGRESS);
	free(ls);

	/* A retake that passes, read to the end: done, best 100, latest 100;
	 * then a worse retake keeps the best. */
	setenv("AIPM_NOW", "2000", 1);
	assert_int_equal(quiz_take_begin(st, ana.id, "m1-a", 4, 1, &take), STORE_OK);
	answer(&take, &a.questions[0], "2", true);
	answer(&take, &a.questions[1], "3,1", true);
	answer(&take, &a.questions[2], "false", true);
	answer(&take, &a.questions[3], "false positive", true);
	assert_int_equal(lesson_position_save(st, ana.id, "m1-a", 9, 0, true, 30), STORE_OK);
	setenv("AIPM_NOW", "3000", 1);
	assert_int_equal(quiz_take_begin(st, ana.id, "m1-a", 4, 1, &take), STORE_OK);
	for (size_t i = 0; i < 4; i++)
		answer(&take, &a.questions[i], "nothing", false);
	assert_int_equal(progress_lessons(st, ana.id, &ls, &n), STORE_OK);
	s = status_of(ls, n, "m1-a");
	assert_true(s->best_score == 100.0);
	assert_true(s->latest_score == 0.0);
	assert_int_equal(s->state, LESSON_DONE);

	struct module_summary *mods;
	size_t nmods;
	progress_modules(ls, n, &mods, &nmods);
	assert_int_equal(nmods, 2);
	assert_string_equal(mods[0].id, "m1");
	assert_string_equal(mods[0].title, "Basics");
	assert_int_equal(mods[0].first, 0);
	assert_int_equal(mods[0].lessons, 2);
	assert_int_equal(mods[0].done, 1);
	assert_true(mods[0].percent == 50.0);
	assert_int_equal(mods[1].first, 2);
	assert_int_equal(mods[1].done, 0);
	free(mods);
	free(ls);
	unsetenv("AIPM_NOW");
	quiz_free(&a);
}

static char *quiz_rows(void)
{
	static const char *const queries[] = {
	    "SELECT * FROM review_cards ORDER BY 1, 2",
	    "SELECT * FROM quiz_attempts ORDER BY uid",
	    "SELECT * FROM quiz_takes ORDER BY uid",
	    "SELECT * FROM coach_answers ORDER BY 1, 2, 3",
	};
	char *rows = test_dump_rows(store_db(st), queries, sizeof queries / sizeof *queries);
	assert_non_null(rows);
	return rows;
}

/* The last answer of a take undone: its attempt gone, its card as before
 * (or no card for a first answer), the take's counts and its end as
 * before; every row as it was. Once only. */
static void test_take_undo(void **state)
{
	(void)state;
	struct learner dee;
	assert_int_equal(store_learner_create(st, "Dee", &dee), STORE_OK);
	setenv("AIPM_NOW", "5000", 1);
	struct quiz a = load_lesson("m1-a");
	struct quiz_take take;
	enum quiz_mark mark;
	assert_int_equal(quiz_take_begin(st, dee.id, "m1-a", (int)a.count, 1, &take), STORE_OK);
	assert_int_equal(quiz_take_undo(st, &take), STORE_ERR_NOTFOUND);
	static const char *const answers[] = {"2", "1,3", "false"};
	assert_int_equal(a.count, 4);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(quiz_take_answer(st, &take, &a.questions[i], answers[i], &mark),
				 STORE_OK);
	char *before = quiz_rows();
	/* The last answer, a day later: it finishes the take. */
	setenv("AIPM_NOW", "91400", 1);
	assert_int_equal(quiz_take_answer(st, &take, &a.questions[a.count - 1], "false positive",
					  &mark),
			 STORE_OK);
	assert_int_equal(mark, QUIZ_RIGHT);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_takes WHERE finished_at IS NOT NULL"
				" AND learner_id = (SELECT id FROM learners WHERE name = 'Dee')"),
			 1);
	int answered = take.answered, correct = take.correct;
	char *answered_rows = quiz_rows();
	assert_string_not_equal(answered_rows, before);
	assert_int_equal(quiz_take_undo(st, &take), STORE_OK);
	char *after = quiz_rows();
	assert_string_equal(after, before);
	assert_int_equal(take.answered, answered - 1);
	assert_int_equal(take.correct, correct - 1);
	assert_int_equal(quiz_take_undo(st, &take), STORE_ERR_NOTFOUND);
	/* Answered again, it counts once. */
	assert_int_equal(quiz_take_answer(st, &take, &a.questions[a.count - 1], "false positive",
					  &mark),
			 STORE_OK);
	assert_int_equal(take.answered, answered);

	/* A review's first answer undone leaves no card. */
	struct quiz_take review;
	assert_int_equal(quiz_take_begin(st, dee.id, NULL, 1, 1, &review), STORE_OK);
	struct quiz b = load_lesson("m1-b");
	char *no_card = quiz_rows();
	assert_int_equal(quiz_take_answer(st, &review, &b.questions[0], "5", &mark),
			 STORE_OK);
	assert_int_equal(quiz_take_undo(st, &review), STORE_OK);
	char *undone = quiz_rows();
	assert_string_equal(undone, no_card);
	free(before);
	free(answered_rows);
	free(after);
	free(no_card);
	free(undone);
	quiz_free(&a);
	quiz_free(&b);
	unsetenv("AIPM_NOW");
}

static void test_review_most_missed_first(void **state)
{
	(void)state;
	/* From the previous test, m1-a's q1 and q3 were missed once, q2 and
	 * q4 twice, the latest attempts (at 3000) all wrong. Now q4 is
	 * answered right, so it leaves the review, and m1-b's q1 is missed
	 * three times. */
	struct quiz a = load_lesson("m1-a"), b = load_lesson("m1-b");
	struct quiz_take review;
	assert_int_equal(quiz_take_begin(st, ana.id, NULL, 1, 1, &review), STORE_OK);
	assert_string_equal(review.uid, "");
	setenv("AIPM_NOW", "4000", 1);
	answer(&review, &a.questions[3], "false positives", true);
	for (int i = 0; i < 3; i++)
		answer(&review, &b.questions[0], "9", false);
	/* Review attempts count as attempts, never as a take's score. */
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_attempts WHERE take_uid IS NULL"), 4);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_takes"), 3);

	struct quiz r;
	assert_int_equal(quiz_load_review(st, ana.id, NULL, &r), STORE_OK);
	/* m1-b-q1 (3 misses), m1-a-q2 (2), then q1 and q3 with one miss
	 * each, the same time: course order. q4 was answered right last. */
	assert_int_equal(r.count, 4);
	assert_string_equal(r.questions[0].id, "m1-b-q1");
	assert_int_equal(r.questions[0].misses, 3);
	assert_string_equal(r.questions[1].id, "m1-a-q2");
	assert_int_equal(r.questions[1].misses, 2);
	assert_string_equal(r.questions[2].id, "m1-a-q1");
	assert_string_equal(r.questions[3].id, "m1-a-q3");
	quiz_free(&r);
	/* One lesson's review. */
	assert_int_equal(quiz_load_review(st, ana.id, "m1-b", &r), STORE_OK);
	assert_int_equal(r.count, 1);
	quiz_free(&r);
	/* Another learner has nothing to review. */
	struct learner ben;
	assert_int_equal(store_learner_create(st, "Ben", &ben), STORE_OK);
	assert_int_equal(quiz_load_review(st, ben.id, NULL, &r), STORE_OK);
	assert_int_equal(r.count, 0);
	quiz_free(&r);
	unsetenv("AIPM_NOW");
	quiz_free(&a);
	quiz_free(&b);
}

static void test_reading_position(void **state)
{
	(void)state;
	struct lesson_position pos;
	assert_int_equal(lesson_position_get(st, ana.id, "m1-b", &pos), STORE_OK);
	assert_false(pos.saved);
	assert_int_equal(lesson_position_save(st, ana.id, "m1-b", 12, 3, false, 40), STORE_OK);
	assert_int_equal(lesson_position_save(st, ana.id, "m1-b", 30, 1, true, 20), STORE_OK);
	/* Scrolling back up keeps read_to_end; time adds up. */
	assert_int_equal(lesson_position_save(st, ana.id, "m1-b", 4, 2, false, 5), STORE_OK);
	assert_int_equal(lesson_position_get(st, ana.id, "m1-b", &pos), STORE_OK);
	assert_true(pos.saved);
	assert_int_equal(pos.block, 4);
	assert_int_equal(pos.line, 2);
	assert_true(pos.read_to_end);
	assert_int_equal(pos.seconds, 65);
	assert_int_equal(scalar("SELECT COUNT(*) FROM lesson_progress WHERE lesson_id = 'm1-b'"), 1);
}

static void test_notes_and_sources(void **state)
{
	(void)state;
	assert_int_equal(lesson_note_add(st, ana.id, "m1-a", NULL, "Ask the team about labels."),
			 STORE_OK);
	assert_int_equal(lesson_note_add(st, ana.id, "m1-a", NULL, "Second thought"), STORE_OK);
	char big[LESSON_NOTE_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_not_equal(lesson_note_add(st, ana.id, "m1-a", NULL, big), STORE_OK);
	struct lesson_note *notes;
	size_t n;
	assert_int_equal(lesson_notes(st, ana.id, "m1-a", &notes, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(notes[0].body, "Ask the team about labels.");
	assert_int_equal(strlen(notes[1].uid), 36);
	lesson_notes_free(notes, n);

	struct lesson l;
	assert_int_equal(lesson_load(st, "m1-a", &l), STORE_OK);
	assert_string_equal(l.module_title, "Basics");
	assert_int_equal(l.pass_mark, 70);
	char **sources;
	n = lesson_sources(&l, &sources);
	assert_int_equal(n, 2);
	assert_string_equal(sources[1], "talk (02:00)");
	for (size_t i = 0; i < n; i++)
		free(sources[i]);
	free(sources);
	struct md_doc doc;
	assert_int_equal(lesson_render(&l, 40, &doc), 0);
	assert_string_equal(doc.paras[0].text, "First");
	assert_int_equal(doc.paras[0].level, 1);
	assert_int_equal(doc.paras[doc.count - 1].kind, MD_PARA_CITATION);
	md_doc_free(&doc);
	lesson_free(&l);
	assert_int_equal(lesson_load(st, "nope", &l), STORE_ERR_NOTFOUND);
}

/* Notes are edited (a newer version) and deleted, the deletion undone as
 * it was; only the learner's own; all of them listed in course order. */
static void test_notes_edit_delete_undo(void **state)
{
	(void)state;
	setenv("AIPM_NOW", "5000", 1);
	struct learner bo;
	assert_int_equal(store_learner_create(st, "Bo Notes", &bo), STORE_OK);
	assert_int_equal(lesson_note_add(st, bo.id, "m1-b", NULL, "On b"), STORE_OK);
	assert_int_equal(lesson_note_add(st, bo.id, "m1-a", NULL, "On a"), STORE_OK);
	struct lesson_note *notes;
	size_t n;
	assert_int_equal(lesson_notes_all(st, bo.id, &notes, &n), STORE_OK);
	assert_int_equal(n, 2);
	/* Course order: m1-a comes first, whatever was written first. */
	assert_string_equal(notes[0].lesson, "m1-a");
	assert_string_equal(notes[0].lesson_title, "First");
	assert_string_equal(notes[1].body, "On b");
	char a_uid[37], b_uid[37];
	snprintf(a_uid, sizeof a_uid, "%s", notes[0].uid);
	snprintf(b_uid, sizeof b_uid, "%s", notes[1].uid);
	int64_t version = notes[0].updated_at;
	lesson_notes_free(notes, n);

	/* Another learner can neither edit nor delete it. */
	assert_int_equal(lesson_note_edit(st, ana.id, a_uid, "mine now"), STORE_ERR_NOTFOUND);
	struct lesson_note removed;
	assert_int_equal(lesson_note_delete(st, ana.id, a_uid, &removed), STORE_ERR_NOTFOUND);

	assert_int_equal(lesson_note_edit(st, bo.id, a_uid, "On a, edited"), STORE_OK);
	assert_int_equal(lesson_notes(st, bo.id, "m1-a", &notes, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(notes[0].body, "On a, edited");
	assert_true(notes[0].updated_at > version); /* newer, within the same second */
	lesson_notes_free(notes, n);

	assert_int_equal(lesson_note_delete(st, bo.id, b_uid, &removed), STORE_OK);
	assert_string_equal(removed.body, "On b");
	assert_string_equal(removed.lesson, "m1-b");
	assert_int_equal(lesson_notes(st, bo.id, "m1-b", &notes, &n), STORE_OK);
	assert_int_equal(n, 0);
	lesson_notes_free(notes, n);
	struct lesson_note again;
	assert_int_equal(lesson_note_delete(st, bo.id, b_uid, &again), STORE_ERR_NOTFOUND);
	assert_int_equal(lesson_note_restore(st, bo.id, &removed), STORE_OK);
	assert_int_equal(lesson_notes(st, bo.id, "m1-b", &notes, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(notes[0].uid, b_uid);
	assert_string_equal(notes[0].body, "On b");
	assert_int_equal(notes[0].created_at, removed.created_at);
	lesson_notes_free(notes, n);
	free(removed.body);
	free(removed.lesson_title);
	unsetenv("AIPM_NOW");
}

/* Bookmarks: a paragraph marked once (a second mark changes nothing),
 * listed in course order, deleted only by their learner. */
static void test_bookmarks(void **state)
{
	(void)state;
	struct learner cy;
	assert_int_equal(store_learner_create(st, "Cy Marks", &cy), STORE_OK);
	assert_int_equal(lesson_bookmark_add(st, cy.id, "m1-b", LESSON_MARK_BOOKMARK, 3, NULL,
					     "Precision and recall."), STORE_OK);
	assert_int_equal(lesson_bookmark_add(st, cy.id, "m1-a", LESSON_MARK_BOOKMARK, 7, NULL,
					     "First things"), STORE_OK);
	assert_int_equal(lesson_bookmark_add(st, cy.id, "m1-a", LESSON_MARK_BOOKMARK, 7, NULL,
					     "First things"), STORE_OK);
	char long_text[300];
	memset(long_text, 'w', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	assert_int_equal(lesson_bookmark_add(st, cy.id, "m1-a", LESSON_MARK_BOOKMARK, 2, NULL,
					     long_text), STORE_OK);
	struct lesson_bookmark *b;
	size_t n;
	assert_int_equal(lesson_bookmarks_all(st, cy.id, NULL, &b, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(b[0].lesson, "m1-a");
	assert_int_equal(b[0].para, 2);
	assert_int_equal(strlen(b[0].excerpt), LESSON_EXCERPT_COLUMNS);
	assert_int_equal(b[1].para, 7);
	assert_string_equal(b[1].lesson_title, "First");
	assert_string_equal(b[2].lesson, "m1-b");
	char uid[37];
	snprintf(uid, sizeof uid, "%s", b[2].uid);
	lesson_bookmarks_free(b, n);
	assert_int_equal(lesson_bookmark_delete(st, ana.id, uid), STORE_ERR_NOTFOUND);
	assert_int_equal(lesson_bookmark_delete(st, cy.id, uid), STORE_OK);
	assert_int_equal(lesson_bookmarks_all(st, cy.id, NULL, &b, &n), STORE_OK);
	assert_int_equal(n, 2);
	lesson_bookmarks_free(b, n);
	/* A highlight of a bookmarked paragraph is a mark of its own, kept
	 * once, with its anchor; one lesson's marks alone. */
	assert_int_equal(lesson_bookmark_add(st, cy.id, "m1-a", LESSON_MARK_HIGHLIGHT, 7, "one/2/ab",
					     "First things"),
			 STORE_OK);
	assert_int_equal(lesson_bookmark_add(st, cy.id, "m1-a", LESSON_MARK_HIGHLIGHT, 7, "one/2/ab",
					     "First things"),
			 STORE_OK);
	assert_int_equal(lesson_bookmarks_all(st, cy.id, "m1-a", &b, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(b[1].kind, LESSON_MARK_BOOKMARK);
	assert_string_equal(b[1].anchor, "");
	assert_int_equal(b[2].kind, LESSON_MARK_HIGHLIGHT);
	assert_int_equal(b[2].para, 7);
	assert_string_equal(b[2].anchor, "one/2/ab");
	lesson_bookmarks_free(b, n);
	assert_int_equal(lesson_bookmarks_all(st, cy.id, "m1-b", &b, &n), STORE_OK);
	assert_int_equal(n, 0);
	lesson_bookmarks_free(b, n);
}

/* A paragraph's anchor finds it again after the lesson changes around it:
 * at its place, moved within its section or to another, and not at all
 * once reworded. Table rows are found too (they are laid out for a width,
 * the anchors for one width). */
static void test_paragraph_anchors(void **state)
{
	(void)state;
	struct lesson before = {.title = "Anchors",
				.body = "## One\n\nFirst words.\n\nSecond words.\n\n| a | b |\n"
					"|---|---|\n| cell one | cell two |\n\n## Two\n\nThird words.\n"};
	struct lesson_anchors a, b;
	lesson_anchors_make(&before, &a);
	long second = -1, row = -1;
	/* The paragraphs, by their text in a rendering of the lesson (at
	 * another width: the same indexes). */
	struct md_doc doc = {0};
	lesson_render(&before, 60, &doc);
	assert_int_equal(a.count, doc.count);
	for (size_t p = 0; p < doc.count; p++) {
		if (!strncmp(doc.paras[p].text, "Second words.", 13))
			second = (long)p;
		if (strstr(doc.paras[p].text, "cell one"))
			row = (long)p;
	}
	md_doc_free(&doc);
	assert_true(second > 0 && row > 0);
	char second_anchor[LESSON_ANCHOR_SIZE], row_anchor[LESSON_ANCHOR_SIZE];
	snprintf(second_anchor, sizeof second_anchor, "%s", a.at[second]);
	snprintf(row_anchor, sizeof row_anchor, "%s", a.at[row]);
	assert_true(!strncmp(second_anchor, "one/", 4));
	assert_int_equal(lesson_anchor_find(&a, second_anchor), second);
	assert_int_equal(lesson_anchor_find(&a, ""), -1);
	assert_int_equal(lesson_anchor_find(&a, "no anchor"), -1);
	lesson_anchors_free(&a);

	/* A paragraph added before it in its section: it moved down (its
	 * spaces changed too). */
	struct lesson moved = {.title = "Anchors",
			       .body = "## One\n\nNew words.\n\nFirst words.\n\nSecond   words.\n\n"
				       "| a | b |\n|---|---|\n| cell one | cell two |\n"};
	lesson_anchors_make(&moved, &b);
	assert_int_equal(lesson_anchor_find(&b, second_anchor), second + 2);
	assert_int_equal(lesson_anchor_find(&b, row_anchor), row + 2);
	lesson_anchors_free(&b);

	/* Moved to another section. */
	struct lesson other = {.title = "Anchors",
			       .body = "## One\n\nFirst words.\n\n## Two\n\nSecond words.\n"};
	lesson_anchors_make(&other, &b);
	long found = lesson_anchor_find(&b, second_anchor);
	assert_true(found > 0);
	assert_true(!strncmp(b.at[found], "two/", 4));
	lesson_anchors_free(&b);

	/* Reworded: found nowhere. */
	struct lesson reworded = {.title = "Anchors",
				  .body = "## One\n\nFirst words.\n\nOther words.\n"};
	lesson_anchors_make(&reworded, &b);
	assert_int_equal(lesson_anchor_find(&b, second_anchor), -1);
	lesson_anchors_free(&b);
}

static void test_course_search(void **state)
{
	(void)state;
	struct course_text ct;
	assert_int_equal(course_text_load(st, 60, &ct), STORE_OK);
	assert_int_equal(ct.count, 3);
	assert_string_equal(ct.lessons[2].id, "m2-a");
	char err[128];
	struct pattern *p = pattern_compile("precision|recall", err, sizeof err);
	struct course_hit *hits;
	size_t n;
	bool too_complex;
	assert_int_equal(course_text_search(&ct, p, 100, &hits, &n, &too_complex), 3);
	assert_int_equal(n, 3);
	assert_int_equal(hits[0].lesson, 1);
	assert_int_equal(hits[2].lesson, 2);
	size_t s, e;
	char *line = course_hit_line(&ct, &hits[1], 60, &s, &e);
	assert_string_equal(line, "Precision and recall.");
	assert_int_equal(s, strlen("Precision and "));
	assert_int_equal(e, strlen("Precision and recall"));
	free(line);
	free(hits);
	assert_int_equal(course_text_search(&ct, p, 1, &hits, &n, &too_complex), 3);
	assert_int_equal(n, 1);
	free(hits);
	pattern_free(p);
	course_text_free(&ct);
}

/* A short answer whose pattern hits PCRE2's limits is the course's
 * problem: neither right nor wrong, and nothing is stored (before, the
 * limit counted as "no match" and the learner was marked wrong). */
static void test_too_complex_pattern_is_not_a_wrong_mark(void **state)
{
	(void)state;
	struct quiz a = load_lesson("m1-a");
	struct quiz_question q = a.questions[3];
	char *pattern = xstrdup("^(?:(a+)+b|a)$");
	q.answer = pattern;
	char *answer = xasprintf("%s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac");
	assert_int_equal(pattern_check_answer(pattern, answer), PATTERN_TOO_COMPLEX);
	assert_int_equal(quiz_grade(&q, answer), QUIZ_UNCHECKED);
	assert_int_equal(quiz_grade(&q, "a"), QUIZ_RIGHT);
	assert_int_equal(quiz_grade(&q, "b"), QUIZ_WRONG);
	/* a pattern that does not compile is unchecked too */
	q.answer = "(unclosed";
	assert_int_equal(quiz_grade(&q, "x"), QUIZ_UNCHECKED);
	q.answer = pattern;
	struct quiz_take take;
	assert_int_equal(quiz_take_begin(st, ana.id, "m1-a", (int)a.count, 1, &take), STORE_OK);
	int before = scalar("SELECT COUNT(*) FROM quiz_attempts");
	enum quiz_mark mark;
	assert_int_equal(quiz_take_answer(st, &take, &q, answer, &mark), STORE_OK);
	assert_int_equal(mark, QUIZ_UNCHECKED);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_attempts"), before);
	assert_int_equal(take.answered, 0);
	assert_int_equal(take.correct, 0);
	free(answer);
	free(pattern);
	quiz_free(&a);
}

/* ---- issue 16: shuffled options, cumulative quizzes, the review ------- */

static struct learner ben;

/* Two modules of two lessons each, eight questions per lesson: a single
 * choice of four options (the right one the bank's 2nd), one with "All
 * of the above" last, a multiple choice, true/false and a short answer. */
static int setup_mastery(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C.UTF-8");
	text_locale_init();
	tmp = test_tempdir();
	char *path = xasprintf("%s/mastery.db", tmp);
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		return -1;
	free(path);
	exec("INSERT INTO modules (id, ord, title) VALUES ('m1', 1, 'One'), ('m2', 2, 'Two');"
	     "INSERT INTO lessons (id, module_id, ord, title, sources, body, words, file) VALUES"
	     " ('m1-a', 'm1', 1, 'A', 's', 'x', 400, 'a'), ('m1-b', 'm1', 2, 'B', 's', 'x', 400, 'b'),"
	     " ('m2-a', 'm2', 1, 'C', 's', 'x', 400, 'c'), ('m2-b', 'm2', 2, 'D', 's', 'x', 400, 'd');"
	     "INSERT INTO estimation_questions (id, question, unit, answer, low, high, difficulty)"
	     " VALUES ('est-x', 'How many?', 'u', 100, 10, 1000, 'easy');");
	const char *lessons[] = {"m1-a", "m1-b", "m2-a", "m2-b"};
	for (int l = 0; l < 4; l++)
		for (int q = 1; q <= 8; q++) {
			const char *kind = q <= 4 ? "single" : q == 5 ? "multiple" : q == 6 ? "truefalse"
							   : "short";
			const char *choices = q <= 3 ? "w | right | x | y"
					      : q == 4 ? "w | x | y | All of the above"
					      : q == 5 ? "a | b | c | d" : "";
			const char *answer = q <= 3 ? "2" : q == 4 ? "4" : q == 5 ? "1,3" : q == 6 ? "true"
												  : "^ok$";
			char *sql = sqlite3_mprintf(
			    "INSERT INTO quiz_questions (id, lesson_id, ord, kind, prompt, choices, answer,"
			    " model_answer, explanation, source) VALUES ('%s-q%d', '%s', %d, '%s', 'P',"
			    " '%s', '%s', 'ok', 'e', 's')",
			    lessons[l], q, lessons[l], q, kind, choices, answer);
			exec(sql);
			sqlite3_free(sql);
		}
	if (store_learner_create(st, "Ana", &ana) != STORE_OK ||
	    store_learner_create(st, "Ben", &ben) != STORE_OK)
		return -1;
	return 0;
}

static char *orders(const struct quiz *q)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	for (size_t i = 0; i < q->count; i++) {
		char *shown = quiz_shown_text(&q->questions[i]);
		sb_printf(&sb, "%s;", shown);
		free(shown);
	}
	return sb_steal(&sb);
}

/* The order of options: the same for the same seed (the whole take), new
 * for another take or learner, spread over every position, "All of the
 * above" kept last; true/false and typed answers are not shuffled. */
static void test_options_shuffled_per_take(void **state)
{
	(void)state;
	struct quiz a, b;
	assert_int_equal(quiz_load_scope(st, "m1-a", 7, &a), STORE_OK);
	assert_int_equal(quiz_load_scope(st, "m1-a", 7, &b), STORE_OK);
	char *oa = orders(&a), *ob = orders(&b);
	assert_string_equal(oa, ob);
	free(ob);
	quiz_free(&b);
	assert_int_equal(a.count, 8);
	assert_null(a.questions[5].shown); /* true/false */
	assert_null(a.questions[6].shown); /* short */
	quiz_free(&a);

	/* 40 takes: the right option of q1 seen at each of the 4 positions,
	 * more than one order, "All of the above" always 4th. */
	int at[4] = {0};
	size_t distinct = 0;
	char *first = NULL;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		assert_int_equal(quiz_load_scope(st, "m1-a", seed, &a), STORE_OK);
		const struct quiz_question *q = &a.questions[0];
		for (size_t i = 0; i < 4; i++)
			if (quiz_shown_choice(q, i) == 1)
				at[i]++;
		assert_int_equal(quiz_shown_choice(&a.questions[3], 3), 3);
		char *o = orders(&a);
		if (!first)
			first = o;
		else if (strcmp(o, first))
			distinct++, free(o);
		else
			free(o);
		quiz_free(&a);
	}
	free(first);
	free(oa);
	for (int i = 0; i < 4; i++)
		assert_true(at[i] > 0);
	assert_true(distinct > 30);
	/* New seeds: never the same twice, another learner's its own. */
	assert_true(quiz_new_seed(ana.id) != quiz_new_seed(ana.id));
	assert_true(quiz_new_seed(ana.id) != quiz_new_seed(ben.id));
}

/* An answer given as shown is graded and stored in the bank's numbers,
 * with the order shown; the take's answers come back as they were seen. */
static void test_answers_as_shown_and_in_review(void **state)
{
	(void)state;
	setenv("AIPM_NOW", "2026-03-02T09:00:00Z", 1);
	struct quiz q;
	assert_int_equal(quiz_load_scope(st, "m1-b", 99, &q), STORE_OK);
	struct quiz_take take;
	assert_int_equal(quiz_take_begin(st, ana.id, "m1-b", (int)q.count, 99, &take), STORE_OK);
	const struct quiz_question *single = &q.questions[0];
	size_t right_at = 0;
	for (size_t i = 0; i < 4; i++)
		if (quiz_shown_choice(single, i) == 1)
			right_at = i;
	char shown_answer[24];
	snprintf(shown_answer, sizeof shown_answer, "%zu", right_at + 1);
	char *bank = quiz_response_from_shown(single, shown_answer);
	assert_string_equal(bank, "2");
	answer(&take, single, bank, true);
	free(bank);
	/* The feedback numbers the answer as it was shown. */
	char *text = quiz_answer_text(single);
	char expect[32];
	snprintf(expect, sizeof expect, "%zu. right", right_at + 1);
	assert_string_equal(text, expect);
	free(text);
	/* A wrong pick, and the multiple choice answered as shown. */
	const struct quiz_question *other = &q.questions[1];
	bank = quiz_response_from_shown(other, right_at == 0 ? "2" : "1");
	answer(&take, other, bank, false);
	free(bank);
	assert_null(quiz_response_from_shown(single, "5"));
	char *stored = quiz_shown_text(single);
	char *sql = xasprintf("SELECT COUNT(*) FROM quiz_attempts WHERE question_id = 'm1-b-q1'"
			      " AND answer = '2' AND shown = '%s'",
			      stored);
	assert_int_equal(scalar(sql), 1);
	free(sql);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_takes WHERE seed = 99 AND scope = 'lesson'"),
			 1);

	struct quiz seen;
	struct quiz_answered *given;
	assert_int_equal(quiz_take_answers(st, take.uid, &seen, &given), STORE_OK);
	assert_int_equal(seen.count, 2);
	char *again = quiz_shown_text(&seen.questions[0]);
	assert_string_equal(again, stored);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(quiz_shown_choice(&seen.questions[0], i), quiz_shown_choice(single, i));
	assert_string_equal(given[0].response, "2");
	assert_true(given[0].correct);
	assert_false(given[1].correct);
	assert_false(given[0].changed);
	free(again);
	quiz_answered_free(given, seen.count);
	quiz_free(&seen);

	/* A content update rewords q1's options and moves its right one to
	 * the front: the take's answers still show the options asked, the
	 * pick and the right one among them, and say the question changed. */
	exec("UPDATE quiz_questions SET choices = 'right | w, reworded | x | y', answer = '1'"
	     " WHERE id = 'm1-b-q1'");
	assert_int_equal(quiz_take_answers(st, take.uid, &seen, &given), STORE_OK);
	const struct quiz_question *asked = &seen.questions[0];
	assert_true(given[0].changed);
	assert_false(given[1].changed);
	assert_string_equal(asked->choices[0], "w");
	assert_string_equal(asked->choices[1], "right");
	assert_string_equal(asked->answer, "2");
	assert_int_equal(quiz_response_choices(asked, given[0].response), UINT64_C(1) << 1);
	assert_int_equal(quiz_right_choices(asked), UINT64_C(1) << 1);
	again = quiz_shown_text(asked);
	assert_string_equal(again, stored);
	text = quiz_answer_text(asked);
	assert_string_equal(text, expect);
	free(text);
	free(again);
	free(stored);
	quiz_answered_free(given, seen.count);
	quiz_free(&seen);
	exec("UPDATE quiz_questions SET choices = 'w | right | x | y', answer = '2'"
	     " WHERE id = 'm1-b-q1'");
	quiz_free(&q);
	unsetenv("AIPM_NOW");
}

static bool has_lesson(const struct quiz *q, size_t i, const char *lesson)
{
	return !strcmp(q->questions[i].lesson_id, lesson);
}

/* A module's quiz draws 12 of its 16 questions, from its lessons in turn;
 * the final exam draws across the modules in turn; the seed decides. */
static void test_cumulative_quizzes_are_drawn(void **state)
{
	(void)state;
	bool found;
	assert_int_equal(quiz_scope_of(st, "final", &found), QUIZ_SCOPE_FINAL);
	assert_int_equal(quiz_scope_of(st, "m2", &found), QUIZ_SCOPE_MODULE);
	assert_int_equal(quiz_scope_of(st, "m2-a", &found), QUIZ_SCOPE_LESSON);
	assert_true(found);
	quiz_scope_of(st, "m9", &found);
	assert_false(found);

	struct quiz m, again, other;
	assert_int_equal(quiz_load_scope(st, "m1", 5, &m), STORE_OK);
	assert_int_equal(m.count, QUIZ_MODULE_QUESTIONS);
	for (size_t i = 0; i < m.count; i++)
		assert_true(has_lesson(&m, i, i % 2 ? "m1-b" : "m1-a"));
	assert_int_equal(quiz_load_scope(st, "m1", 5, &again), STORE_OK);
	assert_int_equal(quiz_load_scope(st, "m1", 6, &other), STORE_OK);
	bool same = true, differs = false;
	for (size_t i = 0; i < m.count; i++) {
		same &= !strcmp(m.questions[i].id, again.questions[i].id);
		differs |= strcmp(m.questions[i].id, other.questions[i].id) != 0;
	}
	assert_true(same);
	assert_true(differs);
	quiz_free(&again);
	quiz_free(&other);

	struct quiz f;
	assert_int_equal(quiz_load_scope(st, QUIZ_FINAL, 5, &f), STORE_OK);
	assert_int_equal(f.count, 32); /* all of them: fewer than QUIZ_FINAL_QUESTIONS */
	for (size_t i = 0; i < 4; i++)
		assert_true(has_lesson(&f, i, (const char *[]){"m1-a", "m2-a", "m1-b", "m2-b"}[i]));
	quiz_free(&f);

	/* A module's take is stored as one, scored on its own, and no lesson's
	 * score moves. */
	struct quiz_take take;
	assert_int_equal(quiz_take_begin(st, ben.id, "m1", (int)m.count, 5, &take), STORE_OK);
	assert_int_equal(take.scope, QUIZ_SCOPE_MODULE);
	for (size_t i = 0; i < m.count; i++) {
		const struct quiz_question *q = &m.questions[i];
		/* a short answer's key is a pattern; its model answer is the text */
		const char *response = q->kind == QUIZ_SHORT ? q->model_answer : q->answer;
		enum quiz_mark mark;
		assert_int_equal(quiz_take_answer(st, &take, q, response, &mark), STORE_OK);
		assert_int_equal(mark, QUIZ_RIGHT);
	}
	double best, latest;
	assert_int_equal(quiz_scope_scores(st, ben.id, "m1", &best, &latest), STORE_OK);
	assert_true(latest > 0 && best == latest);
	assert_int_equal(scalar("SELECT COUNT(*) FROM quiz_takes WHERE scope = 'module'"
				" AND lesson_id = 'm1' AND finished_at IS NOT NULL"),
			 1);
	struct lesson_status *ls;
	size_t n;
	assert_int_equal(progress_lessons(st, ben.id, &ls, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(ls[i].best_score < 0);
	free(ls);
	quiz_free(&m);
}

/* Every answer schedules its question: right comes back in days, wrong the
 * next day; the due count and the review list mix them with the drill's
 * cards, most overdue first. */
static void test_answers_are_scheduled_with_the_drill(void **state)
{
	(void)state;
	struct learner cy;
	assert_int_equal(store_learner_create(st, "Cy", &cy), STORE_OK);
	setenv("AIPM_NOW", "2026-05-04T10:00:00Z", 1);
	int64_t day1 = 1777888800; /* 2026-05-04 10:00 UTC */
	struct quiz q;
	assert_int_equal(quiz_load_scope(st, "m2-a", 1, &q), STORE_OK);
	struct quiz_take take;
	assert_int_equal(quiz_take_begin(st, cy.id, NULL, 2, 1, &take), STORE_OK);
	enum quiz_mark mark;
	assert_int_equal(quiz_take_answer(st, &take, &q.questions[6], "ok", &mark), STORE_OK);
	assert_int_equal(mark, QUIZ_RIGHT);
	assert_int_equal(quiz_take_answer(st, &take, &q.questions[5], "false", &mark), STORE_OK);
	assert_int_equal(mark, QUIZ_WRONG);
	struct schedule_card right, wrong;
	bool exists;
	assert_int_equal(review_card_get(st, cy.id, "quiz:m2-a-q7", &right, &exists), STORE_OK);
	assert_true(exists);
	assert_int_equal(review_card_get(st, cy.id, "quiz:m2-a-q6", &wrong, &exists), STORE_OK);
	assert_true(exists);
	assert_int_equal(right.reps, 1);
	assert_int_equal(wrong.lapses, 1);
	assert_true(right.due >= day1 + 3 * 86400);
	assert_int_equal(wrong.due, day1 + 86400);
	/* A drill card due the day after tomorrow... and one overdue. */
	char *sql = xasprintf("INSERT INTO review_cards VALUES (%lld, 'est:est-x', 1, 5, 1, 0, %lld,"
			      " %lld)",
			      (long long)cy.id, (long long)day1, (long long)day1 + 3600);
	exec(sql);
	free(sql);
	/* A card whose question left the bank is not counted. */
	sql = xasprintf("INSERT INTO review_cards VALUES (%lld, 'quiz:gone-q1', 1, 5, 1, 0, %lld,"
			" %lld)",
			(long long)cy.id, (long long)day1, (long long)day1);
	exec(sql);
	free(sql);
	struct review_counts c;
	review_due_counts(st, cy.id, day1, &c);
	assert_int_equal(c.drill, 1);
	assert_int_equal(c.quiz, 0);
	review_due_counts(st, cy.id, day1 + 86400, &c);
	assert_int_equal(c.drill, 1);
	assert_int_equal(c.quiz, 1);
	struct review_item *items;
	size_t n;
	assert_int_equal(review_due(st, cy.id, day1 + 86400, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].kind, REVIEW_ESTIMATION);
	assert_string_equal(items[0].id, "est-x");
	assert_int_equal(items[1].kind, REVIEW_QUIZ);
	assert_string_equal(items[1].id, "m2-a-q6");
	assert_string_equal(items[1].lesson, "m2-a");
	review_items_free(items, n);
	struct quiz due;
	assert_int_equal(quiz_load_due(st, cy.id, day1 + 86400, &due), STORE_OK);
	assert_int_equal(due.count, 1);
	assert_string_equal(due.questions[0].id, "m2-a-q6");
	quiz_free(&due);
	/* Answered right the next day: no longer due that day. */
	setenv("AIPM_NOW", "2026-05-05T10:00:00Z", 1);
	assert_int_equal(quiz_take_answer(st, &take, &q.questions[5], "true", &mark), STORE_OK);
	review_due_counts(st, cy.id, day1 + 86400, &c);
	assert_int_equal(c.quiz, 0);
	quiz_free(&q);
	unsetenv("AIPM_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grade_each_kind),
		cmocka_unit_test(test_takes_scores_and_done),
		cmocka_unit_test(test_numeric_answer_not_a_number_is_refused),
		cmocka_unit_test(test_review_most_missed_first),
		cmocka_unit_test(test_reading_position),
		cmocka_unit_test(test_notes_and_sources),
		cmocka_unit_test(test_notes_edit_delete_undo),
		cmocka_unit_test(test_bookmarks),
		cmocka_unit_test(test_paragraph_anchors),
		cmocka_unit_test(test_course_search),
		cmocka_unit_test(test_too_complex_pattern_is_not_a_wrong_mark),
		/* Last: its takes would count in the tests above. */
		cmocka_unit_test(test_take_undo),
	};
	const struct CMUnitTest mastery[] = {
		cmocka_unit_test(test_options_shuffled_per_take),
		cmocka_unit_test(test_answers_as_shown_and_in_review),
		cmocka_unit_test(test_cumulative_quizzes_are_drawn),
		cmocka_unit_test(test_answers_are_scheduled_with_the_drill),
	};
	int failed = cmocka_run_group_tests_name("quiz", tests, setup, teardown);
	return failed + cmocka_run_group_tests_name("mastery", mastery, setup_mastery, teardown);
}
