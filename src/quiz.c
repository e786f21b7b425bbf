#include "quiz.h"

#include "answer.h"
#include "clock.h"
#include "content.h"
#include "expr.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QUESTION_COLUMNS                                                                     \
	"q.id, q.lesson_id, l.title, q.ord, q.kind, q.prompt, q.choices, q.answer, q.tolerance," \
	" q.model_answer, q.explanation, q.source"

static enum quiz_kind kind_of(const char *s)
{
	if (!strcmp(s, "multiple"))
		return QUIZ_MULTIPLE;
	if (!strcmp(s, "truefalse"))
		return QUIZ_TRUEFALSE;
	if (!strcmp(s, "short"))
		return QUIZ_SHORT;
	if (!strcmp(s, "numeric"))
		return QUIZ_NUMERIC;
	return QUIZ_SINGLE;
}

static struct quiz_question question_from_row(sqlite3_stmt *stmt)
{
	struct quiz_question q = {
	    .id = store_column_text(stmt, 0),
	    .lesson_id = store_column_text(stmt, 1),
	    .lesson_title = store_column_text(stmt, 2),
	    .order = sqlite3_column_int(stmt, 3),
	    .prompt = store_column_text(stmt, 5),
	    .answer = store_column_text(stmt, 7),
	    .tolerance = store_column_text(stmt, 8),
	    .model_answer = store_column_text(stmt, 9),
	    .explanation = store_column_text(stmt, 10),
	    .source = store_column_text(stmt, 11),
	};
	const unsigned char *kind = sqlite3_column_text(stmt, 4);
	q.kind = kind_of(kind ? (const char *)kind : "");
	const unsigned char *choices = sqlite3_column_text(stmt, 6);
	q.choice_count = content_split_choices(choices ? (const char *)choices : "", &q.choices);
	return q;
}

static enum store_error load(sqlite3_stmt *stmt, bool with_misses, struct quiz *out)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct quiz_question q = question_from_row(stmt);
		if (with_misses)
			q.misses = sqlite3_column_int(stmt, 12);
		ARRAY_PUSH(out->questions, out->count, cap, q);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

enum store_error quiz_load_lesson(struct store *st, const char *lesson, struct quiz *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT " QUESTION_COLUMNS " FROM quiz_questions q JOIN lessons l ON l.id = q.lesson_id"
		" WHERE q.lesson_id = ? ORDER BY q.ord, q.id");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, lesson, -1, SQLITE_TRANSIENT);
	return load(stmt, false, out);
}

/* Still missed: the latest attempt was wrong. Most-missed first, then the
 * most recently missed, then course order. */
static const char review_sql[] =
    "WITH latest AS (SELECT question_id, correct, ROW_NUMBER() OVER ("
    "    PARTITION BY question_id ORDER BY answered_at DESC, rowid DESC) AS n"
    "  FROM quiz_attempts WHERE learner_id = ?1),"
    " missed AS (SELECT question_id, SUM(correct = 0) AS wrong,"
    "    MAX(CASE WHEN correct = 0 THEN answered_at END) AS last_wrong"
    "  FROM quiz_attempts WHERE learner_id = ?1 GROUP BY question_id)"
    " SELECT " QUESTION_COLUMNS ", m.wrong FROM quiz_questions q"
    " JOIN latest ON latest.question_id = q.id AND latest.n = 1 AND latest.correct = 0"
    " JOIN missed m ON m.question_id = q.id"
    " JOIN lessons l ON l.id = q.lesson_id JOIN modules mo ON mo.id = l.module_id"
    " WHERE ?2 IS NULL OR q.lesson_id = ?2"
    " ORDER BY m.wrong DESC, m.last_wrong DESC, mo.ord, l.ord, q.ord, q.id";

enum store_error quiz_load_review(struct store *st, int64_t learner, const char *lesson,
				  struct quiz *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(st, review_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	if (lesson)
		sqlite3_bind_text(stmt, 2, lesson, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, 2);
	return load(stmt, true, out);
}

void quiz_free(struct quiz *q)
{
	for (size_t i = 0; i < q->count; i++) {
		struct quiz_question *x = &q->questions[i];
		free(x->id);
		free(x->lesson_id);
		free(x->lesson_title);
		free(x->prompt);
		content_free_strings(x->choices, x->choice_count);
		free(x->answer);
		free(x->tolerance);
		free(x->model_answer);
		free(x->explanation);
		free(x->source);
	}
	free(q->questions);
	memset(q, 0, sizeof *q);
}

/* "1,3" (any order, spaces allowed) as a set of choice numbers 1..64;
 * false when anything else is in it. */
static bool choice_set(const char *s, uint64_t *set)
{
	*set = 0;
	bool any = false;
	while (*s) {
		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s || v < 1 || v > 64)
			return false;
		*set |= UINT64_C(1) << (v - 1);
		any = true;
		s = end;
	}
	return any;
}

/* true/false and the usual short forms; -1 when it is neither. */
static int truth(const char *s)
{
	char *t = str_trim(xstrdup(s));
	static const char *const yes[] = {"true", "t", "yes", "y"}, *const no[] = {"false", "f", "no", "n"};
	int v = -1;
	for (size_t i = 0; i < 4 && v < 0; i++) {
		if (!strcasecmp(t, yes[i]))
			v = 1;
		else if (!strcasecmp(t, no[i]))
			v = 0;
	}
	free(t);
	return v;
}

static bool within(double value, double expected, const char *tolerance)
{
	double diff = fabs(value - expected);
	char *end;
	double t = tolerance && *tolerance ? strtod(tolerance, &end) : 0;
	if (tolerance && *tolerance && end != tolerance) {
		while (*end == ' ')
			end++;
		if (*end == '%')
			return diff <= fabs(expected) * t / 100 + 1e-12;
		return diff <= t + 1e-12;
	}
	/* Exact, up to the rounding of decimal input. */
	return diff <= 1e-9 * (fabs(expected) > 1 ? fabs(expected) : 1);
}

static bool grade_numeric(const struct quiz_question *q, const char *response)
{
	double value, expected;
	struct expr_error err;
	char *end;
	expected = strtod(q->answer, &end);
	if (end == q->answer || expr_parse_number(response, &value, &err) != 0)
		return false;
	if (within(value, expected, q->tolerance))
		return true;
	/* "12%" reads as 0.12; a question asking for a percentage wants 12. */
	return strchr(response, '%') && within(value * 100, expected, q->tolerance);
}

enum quiz_mark quiz_grade(const struct quiz_question *q, const char *response)
{
	if (!response)
		return QUIZ_WRONG;
	switch (q->kind) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE: {
		uint64_t given, right;
		if (!choice_set(response, &given) || !choice_set(q->answer, &right))
			return QUIZ_WRONG;
		/* A single-choice answer is one choice. */
		if (q->kind == QUIZ_SINGLE && (given & (given - 1)))
			return QUIZ_WRONG;
		return given == right ? QUIZ_RIGHT : QUIZ_WRONG;
	}
	case QUIZ_TRUEFALSE: {
		int given = truth(response), right = truth(q->answer);
		return given >= 0 && given == right ? QUIZ_RIGHT : QUIZ_WRONG;
	}
	case QUIZ_SHORT:
		switch (answer_check(q->answer, response)) {
		case PATTERN_MATCH:
			return QUIZ_RIGHT;
		case PATTERN_NO_MATCH:
			return QUIZ_WRONG;
		default: /* the question's pattern failed, not the answer */
			return QUIZ_UNCHECKED;
		}
	case QUIZ_NUMERIC:
		return grade_numeric(q, response) ? QUIZ_RIGHT : QUIZ_WRONG;
	}
	return QUIZ_WRONG;
}

uint64_t quiz_right_choices(const struct quiz_question *q)
{
	uint64_t set = 0;
	if (q->kind == QUIZ_SINGLE || q->kind == QUIZ_MULTIPLE)
		choice_set(q->answer, &set);
	else if (q->kind == QUIZ_TRUEFALSE)
		set = truth(q->answer) == 1 ? 1 : truth(q->answer) == 0 ? 2 : 0;
	return set;
}

char *quiz_answer_text(const struct quiz_question *q)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	switch (q->kind) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE: {
		uint64_t right = quiz_right_choices(q);
		for (size_t i = 0; i < q->choice_count && i < 64; i++) {
			if (!(right & (UINT64_C(1) << i)))
				continue;
			sb_printf(&sb, "%s%zu. %s", sb.len ? "; " : "", i + 1, q->choices[i]);
		}
		break;
	}
	case QUIZ_TRUEFALSE:
		sb_puts(&sb, truth(q->answer) == 1 ? "True" : "False");
		break;
	case QUIZ_SHORT:
		sb_puts(&sb, q->model_answer);
		break;
	case QUIZ_NUMERIC:
		sb_puts(&sb, q->answer);
		if (*q->tolerance)
			sb_printf(&sb, " (within %s)", q->tolerance);
		if (*q->model_answer)
			sb_printf(&sb, ": %s", q->model_answer);
		break;
	}
	return sb_steal(&sb);
}

enum store_error quiz_take_begin(struct store *st, int64_t learner, const char *lesson, int total,
				 struct quiz_take *out)
{
	memset(out, 0, sizeof *out);
	out->learner = learner;
	out->total = total;
	if (!lesson)
		return STORE_OK;
	snprintf(out->lesson, sizeof out->lesson, "%s", lesson);
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at, total)"
		" VALUES (?, ?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	store_new_uuid(out->uid);
	sqlite3_bind_text(stmt, 1, out->uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	sqlite3_bind_text(stmt, 3, lesson, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, clock_now());
	sqlite3_bind_int(stmt, 5, total);
	enum store_error e = store_step_done(st, stmt);
	if (e != STORE_OK)
		out->uid[0] = '\0';
	return e;
}

static enum store_error store_answer(struct store *st, const struct quiz_take *take,
				     const struct quiz_question *q, const char *response,
				     bool correct, int answered, int right)
{
	int64_t now = clock_now();
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,"
		" answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	char uid[37];
	store_new_uuid(uid);
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, take->learner);
	if (take->uid[0])
		sqlite3_bind_text(stmt, 3, take->uid, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_text(stmt, 4, q->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, response, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 6, correct ? 1 : 0);
	sqlite3_bind_int64(stmt, 7, now);
	enum store_error e = store_step_done(st, stmt);
	if (e != STORE_OK || !take->uid[0])
		return e;
	stmt = store_prepare(st, "UPDATE quiz_takes SET answered = ?1, correct = ?2,"
				 " finished_at = CASE WHEN ?1 >= total THEN ?3 END WHERE uid = ?4");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int(stmt, 1, answered);
	sqlite3_bind_int(stmt, 2, right);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_text(stmt, 4, take->uid, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error quiz_take_answer(struct store *st, struct quiz_take *take,
				  const struct quiz_question *q, const char *response,
				  enum quiz_mark *mark)
{
	char *trimmed = str_trim(xstrdup(response));
	*mark = quiz_grade(q, trimmed);
	if (*mark == QUIZ_UNCHECKED) {
		free(trimmed);
		return STORE_OK;
	}
	bool correct = *mark == QUIZ_RIGHT;
	int answered = take->answered + 1, right = take->correct + (correct ? 1 : 0);
	enum store_error e = store_begin(st);
	if (e == STORE_OK) {
		e = store_answer(st, take, q, trimmed, correct, answered, right);
		if (e == STORE_OK)
			e = store_commit(st);
		else
			store_rollback(st);
	}
	free(trimmed);
	/* The feedback is shown either way; the take only counts what was
	 * saved. */
	if (e == STORE_OK) {
		take->answered = answered;
		take->correct = right;
	}
	return e;
}

double quiz_take_percent(const struct quiz_take *take)
{
	return take->total > 0 ? 100.0 * take->correct / take->total : 0;
}
