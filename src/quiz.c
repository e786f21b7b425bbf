#include "quiz.h"

#include "pattern.h"
#include "clock.h"
#include "content.h"
#include "expr.h"
#include "review.h"
#include "rng.h"
#include "store_sql.h"
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

/* Single and multiple choice: the kinds whose options are shuffled. */
static bool has_choices(const struct quiz_question *q)
{
	return q->kind == QUIZ_SINGLE || q->kind == QUIZ_MULTIPLE;
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

/* What a query gives after the question's columns. */
enum extra_column { EXTRA_NONE, EXTRA_MISSES, EXTRA_DUE };

static enum store_error load(sqlite3_stmt *stmt, enum extra_column extra, struct quiz *out)
{
	size_t cap = out->count;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct quiz_question q = question_from_row(stmt);
		if (extra == EXTRA_MISSES)
			q.misses = sqlite3_column_int(stmt, 12);
		else if (extra == EXTRA_DUE)
			q.due_at = sqlite3_column_int64(stmt, 12);
		ARRAY_PUSH(out->questions, out->count, cap, q);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

/* The questions of a query on one id (?1). */
static enum store_error load_by(struct store *st, const char *where, const char *id,
				struct quiz *out)
{
	memset(out, 0, sizeof *out);
	char *sql = xasprintf("SELECT " QUESTION_COLUMNS " FROM quiz_questions q"
			      " JOIN lessons l ON l.id = q.lesson_id WHERE %s ORDER BY q.ord, q.id",
			      where);
	sqlite3_stmt *stmt = store_prepare(st, sql);
	free(sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	return load(stmt, EXTRA_NONE, out);
}

enum store_error quiz_load_lesson(struct store *st, const char *lesson, struct quiz *out)
{
	return load_by(st, "q.lesson_id = ?1", lesson, out);
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
	return load(stmt, EXTRA_MISSES, out);
}


/* ---- scopes and draws --------------------------------------------------- */

static bool exists(struct store *st, const char *sql, const char *id)
{
	sqlite3_stmt *stmt = store_prepare(st, sql);
	if (!stmt)
		return false;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	bool found = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_reset(stmt);
	return found;
}

enum quiz_scope quiz_scope_of(struct store *st, const char *scope, bool *found)
{
	*found = true;
	if (!strcmp(scope, QUIZ_FINAL))
		return QUIZ_SCOPE_FINAL;
	if (exists(st, "SELECT 1 FROM modules WHERE id = ?", scope))
		return QUIZ_SCOPE_MODULE;
	*found = exists(st, "SELECT 1 FROM lessons WHERE id = ?", scope);
	return QUIZ_SCOPE_LESSON;
}

/* Up to limit items taken from the lists in turn (one from each, then the
 * next from each, ...), into out; returns how many. */
static size_t take_in_turn(size_t **lists, const size_t *lengths, size_t nlists, size_t limit,
			   size_t *out)
{
	size_t n = 0;
	for (size_t round = 0; n < limit; round++) {
		bool any = false;
		for (size_t l = 0; l < nlists && n < limit; l++) {
			if (round < lengths[l]) {
				out[n++] = lists[l][round];
				any = true;
			}
		}
		if (!any)
			break;
	}
	return n;
}

/* A group of consecutive questions (a lesson's, or a module's). */
struct run {
	size_t start, count;
};

/* Runs of questions that share a column value (lesson or module),
 * questions being in course order. */
static size_t runs_of(const struct quiz *q, const char *const *keys, struct run **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < q->count; i++) {
		if (n && !strcmp(keys[i], keys[(*out)[n - 1].start])) {
			(*out)[n - 1].count++;
			continue;
		}
		struct run r = {i, 1};
		ARRAY_PUSH(*out, n, cap, r);
	}
	return n;
}

/* Every question of a module's lessons (or of the course) in turn across
 * its lessons, each lesson's questions in an order drawn from seed:
 * into order[], as indexes of q; returns how many. */
static size_t interleave_lessons(const struct quiz *q, size_t from, size_t count, uint64_t seed,
				 size_t *order)
{
	const char **lesson = xcalloc(count ? count : 1, sizeof *lesson);
	for (size_t i = 0; i < count; i++)
		lesson[i] = q->questions[from + i].lesson_id;
	struct quiz part = {q->questions + from, count};
	struct run *runs;
	size_t nruns = runs_of(&part, lesson, &runs);
	size_t **lists = xcalloc(nruns ? nruns : 1, sizeof *lists);
	size_t *lengths = xcalloc(nruns ? nruns : 1, sizeof *lengths);
	for (size_t r = 0; r < nruns; r++) {
		lists[r] = xcalloc(runs[r].count, sizeof **lists);
		for (size_t i = 0; i < runs[r].count; i++)
			lists[r][i] = from + runs[r].start + i;
		lengths[r] = runs[r].count;
		struct rng g;
		rng_seed(&g, seed ^ hash_fnv_str(lesson[runs[r].start]));
		rng_shuffle(&g, lists[r], lengths[r]);
	}
	size_t n = take_in_turn(lists, lengths, nruns, count, order);
	for (size_t r = 0; r < nruns; r++)
		free(lists[r]);
	free(lists);
	free(lengths);
	free(runs);
	free(lesson);
	return n;
}

/* Keeps the questions at order[0..n) of q, in that order. */
static void keep_only(struct quiz *q, const size_t *order, size_t n)
{
	struct quiz_question *kept = xcalloc(n ? n : 1, sizeof *kept);
	bool *taken = xcalloc(q->count ? q->count : 1, sizeof *taken);
	for (size_t i = 0; i < n; i++) {
		kept[i] = q->questions[order[i]];
		taken[order[i]] = true;
	}
	struct quiz rest = {0};
	size_t cap = 0;
	for (size_t i = 0; i < q->count; i++)
		if (!taken[i])
			ARRAY_PUSH(rest.questions, rest.count, cap, q->questions[i]);
	quiz_free(&rest);
	free(taken);
	free(q->questions);
	q->questions = kept;
	q->count = n;
}

/* The draw of a cumulative quiz from q (its candidates in course order;
 * module[i] the module of question i). */
static void draw(struct quiz *q, const char *const *module, enum quiz_scope scope,
		 uint64_t seed)
{
	size_t *order = xcalloc(q->count ? q->count : 1, sizeof *order);
	size_t n;
	if (scope == QUIZ_SCOPE_MODULE) {
		n = interleave_lessons(q, 0, q->count, seed, order);
		n = n > QUIZ_MODULE_QUESTIONS ? QUIZ_MODULE_QUESTIONS : n;
	} else {
		/* The final exam: each module's questions across its lessons,
		 * then the modules in turn. */
		struct run *runs;
		size_t nruns = runs_of(q, module, &runs);
		size_t **lists = xcalloc(nruns ? nruns : 1, sizeof *lists);
		size_t *lengths = xcalloc(nruns ? nruns : 1, sizeof *lengths);
		for (size_t r = 0; r < nruns; r++) {
			lists[r] = xcalloc(runs[r].count, sizeof **lists);
			lengths[r] = interleave_lessons(q, runs[r].start, runs[r].count, seed, lists[r]);
		}
		n = take_in_turn(lists, lengths, nruns, QUIZ_FINAL_QUESTIONS, order);
		for (size_t r = 0; r < nruns; r++)
			free(lists[r]);
		free(lists);
		free(lengths);
		free(runs);
	}
	keep_only(q, order, n);
	free(order);
}

enum store_error quiz_load_scope(struct store *st, const char *scope, uint64_t seed,
				 struct quiz *out)
{
	memset(out, 0, sizeof *out);
	bool found;
	enum quiz_scope kind = quiz_scope_of(st, scope, &found);
	enum store_error e = STORE_OK;
	if (kind == QUIZ_SCOPE_LESSON) {
		e = quiz_load_lesson(st, scope, out);
	} else {
		sqlite3_stmt *stmt = store_prepare(
		    st, "SELECT " QUESTION_COLUMNS ", l.module_id FROM quiz_questions q"
			" JOIN lessons l ON l.id = q.lesson_id JOIN modules mo ON mo.id = l.module_id"
			" WHERE ?1 = '" QUIZ_FINAL "' OR l.module_id = ?1"
			" ORDER BY mo.ord, mo.id, l.ord, l.id, q.ord, q.id");
		if (!stmt)
			return STORE_ERR_SQL;
		sqlite3_bind_text(stmt, 1, scope, -1, SQLITE_TRANSIENT);
		char **module = NULL;
		size_t nmodule = 0, cap = 0, qcap = 0;
		int rc;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct quiz_question q = question_from_row(stmt);
			ARRAY_PUSH(out->questions, out->count, qcap, q);
			char *m = store_column_text(stmt, 12);
			ARRAY_PUSH(module, nmodule, cap, m);
		}
		sqlite3_reset(stmt);
		e = rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
		draw(out, (const char *const *)module, kind, seed);
		content_free_strings(module, nmodule);
	}
	quiz_shuffle(out, seed);
	return e;
}

#define DUE_FROM                                                                         \
	" FROM review_cards c JOIN quiz_questions q ON q.id = substr(c.item_id, 6)"      \
	" JOIN lessons l ON l.id = q.lesson_id JOIN modules mo ON mo.id = l.module_id"   \
	" WHERE c.learner_id = ?1 AND c.item_id LIKE 'quiz:%' AND c.due_at < ?2"

enum store_error quiz_load_due(struct store *st, int64_t learner, int64_t now, struct quiz *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT " QUESTION_COLUMNS ", c.due_at" DUE_FROM
		" ORDER BY c.due_at, mo.ord, l.ord, q.ord, q.id");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_int64(stmt, 2, clock_day_end(now));
	return load(stmt, EXTRA_DUE, out);
}

size_t quiz_due_count(struct store *st, int64_t learner, int64_t now)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT COUNT(*)" DUE_FROM);
	if (!stmt)
		return 0;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_int64(stmt, 2, clock_day_end(now));
	size_t n = 0;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return n;
}

enum store_error quiz_load_question(struct store *st, const char *id, struct quiz *out)
{
	return load_by(st, "q.id = ?1", id, out);
}

enum store_error quiz_scope_scores(struct store *st, int64_t learner, const char *scope,
				   double *best, double *latest)
{
	*best = *latest = -1;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT MAX(100.0 * correct / total),"
		" (SELECT 100.0 * t.correct / t.total FROM quiz_takes t WHERE t.learner_id = ?1"
		"   AND t.lesson_id = ?2 AND t.finished_at IS NOT NULL AND t.total > 0"
		"   ORDER BY t.finished_at DESC, t.rowid DESC LIMIT 1)"
		" FROM quiz_takes WHERE learner_id = ?1 AND lesson_id = ?2"
		" AND finished_at IS NOT NULL AND total > 0");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, scope, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*best = sqlite3_column_double(stmt, 0);
		*latest = sqlite3_column_double(stmt, 1);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

/* ---- the order of options ----------------------------------------------- */

uint64_t quiz_new_seed(int64_t learner)
{
	char uid[37];
	store_new_uuid(uid);
	return hash_fnv_str(uid) ^ ((uint64_t)learner * 0x9E3779B97F4A7C15ull);
}

/* "All of the above" speaks of the options before it: it keeps its place. */
static bool pinned(const char *choice)
{
	for (const char *p = choice; (p = strcasestr(p, "above")); p += 5) {
		bool before = p == choice || !((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z');
		bool after = !((p[5] | 0x20) >= 'a' && (p[5] | 0x20) <= 'z');
		if (before && after)
			return true;
	}
	return false;
}

void quiz_shuffle(struct quiz *q, uint64_t seed)
{
	for (size_t k = 0; k < q->count; k++) {
		struct quiz_question *x = &q->questions[k];
		free(x->shown);
		x->shown = NULL;
		if (!has_choices(x) || x->choice_count < 2)
			continue;
		size_t n = x->choice_count;
		size_t *movable = xcalloc(n, sizeof *movable);
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!pinned(x->choices[i]))
				movable[m++] = i;
		struct rng g;
		rng_seed(&g, seed ^ hash_fnv_str(x->id));
		rng_shuffle(&g, movable, m);
		x->shown = xcalloc(n, sizeof *x->shown);
		for (size_t i = 0, next = 0; i < n; i++)
			x->shown[i] = pinned(x->choices[i]) ? i : movable[next++];
		free(movable);
	}
}

size_t quiz_choice_count(const struct quiz_question *q)
{
	return q->kind == QUIZ_TRUEFALSE ? 2 : q->choice_count;
}

size_t quiz_shown_choice(const struct quiz_question *q, size_t i)
{
	return q->shown && i < q->choice_count ? q->shown[i] : i;
}

const char *quiz_choice_text(const struct quiz_question *q, size_t choice)
{
	if (q->kind == QUIZ_TRUEFALSE)
		return choice == 0 ? "True" : "False";
	return choice < q->choice_count ? q->choices[choice] : "";
}

char *quiz_shown_text(const struct quiz_question *q)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	for (size_t i = 0; q->shown && i < q->choice_count; i++)
		sb_printf(&sb, "%s%zu", i ? "," : "", q->shown[i] + 1);
	return sb_steal(&sb);
}

/* A choice question's options as the bank lists them ("a | b | c"); ""
 * for the other kinds. Malloc'd. */
static char *choices_text(const struct quiz_question *q)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	for (size_t i = 0; has_choices(q) && i < q->choice_count; i++)
		sb_printf(&sb, "%s%s", i ? " | " : "", q->choices[i]);
	return sb_steal(&sb);
}

/* The order as stored back into q->shown; the bank's order when it is not
 * a permutation of the question's options. */
static void shown_from_text(struct quiz_question *q, const char *text)
{
	free(q->shown);
	q->shown = NULL;
	if (!text || !*text || !has_choices(q))
		return;
	size_t n = q->choice_count;
	size_t *shown = xcalloc(n ? n : 1, sizeof *shown);
	bool *seen = xcalloc(n ? n : 1, sizeof *seen);
	size_t i = 0;
	bool ok = true;
	for (const char *s = text; *s && ok;) {
		char *end;
		long v = strtol(s, &end, 10);
		ok = end != s && v >= 1 && (size_t)v <= n && i < n && !seen[v - 1];
		if (ok) {
			seen[v - 1] = true;
			shown[i++] = (size_t)v - 1;
		}
		s = *end == ',' ? end + 1 : end;
		ok = ok && (*end == ',' || *end == '\0');
	}
	free(seen);
	if (ok && i == n)
		q->shown = shown;
	else
		free(shown);
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
		free(x->shown);
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

bool quiz_response_readable(const struct quiz_question *q, const char *response, char *why,
			    size_t whylen)
{
	double value;
	struct expr_error err;
	if (q->kind != QUIZ_NUMERIC || expr_parse_number(response, &value, &err) == 0)
		return true;
	if (!strcmp(err.message, "expected a number"))
		snprintf(why, whylen, "Not a number: type digits, as 75, 1,200, 1.2k or 12%%.");
	else
		snprintf(why, whylen, "Not a number (%s): type digits, as 75, 1.2k or 12%%.",
			 err.message);
	return false;
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
		switch (pattern_check_answer(q->answer, response)) {
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

uint64_t quiz_response_choices(const struct quiz_question *q, const char *response)
{
	uint64_t set = 0;
	if (has_choices(q))
		choice_set(response, &set);
	else if (q->kind == QUIZ_TRUEFALSE)
		set = truth(response) == 1 ? 1 : truth(response) == 0 ? 2 : 0;
	return set;
}

uint64_t quiz_right_choices(const struct quiz_question *q)
{
	return quiz_response_choices(q, q->answer);
}

char *quiz_response_from_shown(const struct quiz_question *q, const char *response)
{
	if (!has_choices(q))
		return xstrdup(response);
	uint64_t given, bank = 0;
	if (!choice_set(response, &given))
		return NULL;
	for (size_t i = 0; i < 64; i++) {
		if (!(given & (UINT64_C(1) << i)))
			continue;
		if (i >= q->choice_count)
			return NULL;
		bank |= UINT64_C(1) << quiz_shown_choice(q, i);
	}
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	for (size_t c = 0; c < 64; c++)
		if (bank & (UINT64_C(1) << c))
			sb_printf(&sb, "%s%zu", sb.len ? "," : "", c + 1);
	return sb_steal(&sb);
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
			size_t c = quiz_shown_choice(q, i);
			if (!(right & (UINT64_C(1) << c)))
				continue;
			sb_printf(&sb, "%s%zu. %s", sb.len ? "; " : "", i + 1, q->choices[c]);
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

enum store_error quiz_take_begin(struct store *st, int64_t learner, const char *scope, int total,
				 uint64_t seed, struct quiz_take *out)
{
	memset(out, 0, sizeof *out);
	out->learner = learner;
	out->total = total;
	out->seed = seed;
	if (!scope)
		return STORE_OK;
	snprintf(out->lesson, sizeof out->lesson, "%s", scope);
	bool found;
	out->scope = quiz_scope_of(st, scope, &found);
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	static const char *const scope_names[] = {"lesson", "module", "final"};
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at, total, seed, scope)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	store_new_uuid(out->uid);
	sqlite3_bind_text(stmt, 1, out->uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	sqlite3_bind_text(stmt, 3, scope, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, clock_now());
	sqlite3_bind_int(stmt, 5, total);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)seed);
	sqlite3_bind_text(stmt, 7, scope_names[out->scope], -1, SQLITE_STATIC);
	enum store_error e = store_step_done(st, stmt);
	if (e != STORE_OK)
		out->uid[0] = '\0';
	return e;
}

static enum store_error store_answer(struct store *st, struct quiz_take *take,
				     const struct quiz_question *q, const char *response,
				     bool correct, int answered, int right)
{
	int64_t now = clock_now();
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,"
		" answered_at, shown, choices, right_answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	char uid[37];
	store_new_uuid(uid);
	char key[128];
	review_card_key(REVIEW_QUIZ, q->id, key, sizeof key);
	struct schedule_card card_before;
	bool card_existed;
	enum store_error e = review_card_get(st, take->learner, key, &card_before, &card_existed);
	if (e != STORE_OK)
		return e;
	char *shown = quiz_shown_text(q), *choices = choices_text(q);
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
	sqlite3_bind_text(stmt, 8, shown, -1, SQLITE_TRANSIENT);
	/* The options asked, so that the answer keeps its meaning when the
	 * bank's options change. */
	sqlite3_bind_text(stmt, 9, choices, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 10, has_choices(q) ? q->answer : "", -1, SQLITE_TRANSIENT);
	e = store_step_done(st, stmt);
	free(shown);
	free(choices);
	if (e != STORE_OK)
		return e;
	e = review_card_answered(st, take->learner, REVIEW_QUIZ, q->id,
				 correct ? SCHEDULE_GOOD : SCHEDULE_AGAIN, now);
	if (e != STORE_OK)
		return e;
	/* Kept for the undo; the caller's transaction may still fail, so
	 * quiz_take_answer clears it then. */
	snprintf(take->last_uid, sizeof take->last_uid, "%s", uid);
	snprintf(take->last_question, sizeof take->last_question, "%s", q->id);
	take->last_correct = correct;
	take->last_card = card_before;
	take->last_card_existed = card_existed;
	if (!take->uid[0])
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
	char why[160];
	/* Not an answer to judge: nothing is stored, and the caller is told
	 * (the TUI and 'aipm quiz' ask again before they get here). */
	if (!quiz_response_readable(q, trimmed, why, sizeof why)) {
		free(trimmed);
		*mark = QUIZ_UNCHECKED;
		return STORE_ERR_INVALID;
	}
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
	} else {
		take->last_uid[0] = '\0';
	}
	return e;
}

static enum store_error undo_answer(struct store *st, const struct quiz_take *take)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "DELETE FROM quiz_attempts WHERE uid = ? AND learner_id = ? AND question_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, take->last_uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, take->learner);
	sqlite3_bind_text(stmt, 3, take->last_question, -1, SQLITE_TRANSIENT);
	enum store_error e = store_step_done(st, stmt);
	if (e == STORE_OK && sqlite3_changes(store_db(st)) != 1)
		e = STORE_ERR_NOTFOUND;
	if (e != STORE_OK)
		return e;
	char key[128];
	review_card_key(REVIEW_QUIZ, take->last_question, key, sizeof key);
	e = review_card_restore(st, take->learner, key, &take->last_card, take->last_card_existed);
	if (e != STORE_OK || !take->uid[0])
		return e;
	/* Before its last answer a take was not finished. */
	stmt = store_prepare(st, "UPDATE quiz_takes SET answered = ?1, correct = ?2,"
				 " finished_at = NULL WHERE uid = ?3");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int(stmt, 1, take->answered - 1);
	sqlite3_bind_int(stmt, 2, take->correct - (take->last_correct ? 1 : 0));
	sqlite3_bind_text(stmt, 3, take->uid, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error quiz_take_undo(struct store *st, struct quiz_take *take)
{
	if (!take->last_uid[0])
		return STORE_ERR_NOTFOUND;
	enum store_error e = store_begin(st);
	if (e != STORE_OK)
		return e;
	e = undo_answer(st, take);
	if (e != STORE_OK) {
		store_rollback(st);
		return e;
	}
	e = store_commit(st);
	if (e != STORE_OK)
		return e;
	take->answered--;
	take->correct -= take->last_correct ? 1 : 0;
	take->last_uid[0] = '\0';
	return STORE_OK;
}

double quiz_take_percent(const struct quiz_take *take)
{
	return take->total > 0 ? 100.0 * take->correct / take->total : 0;
}

enum store_error quiz_take_answers(struct store *st, const char *take_uid, struct quiz *out,
				   struct quiz_answered **answers)
{
	memset(out, 0, sizeof *out);
	*answers = NULL;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT " QUESTION_COLUMNS ", a.answer, a.correct, a.answered_at, a.shown,"
		" a.choices, a.right_answer"
		" FROM quiz_attempts a JOIN quiz_questions q ON q.id = a.question_id"
		" JOIN lessons l ON l.id = q.lesson_id WHERE a.take_uid = ?"
		" ORDER BY a.answered_at, a.rowid");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, take_uid, -1, SQLITE_TRANSIENT);
	size_t cap = 0, acap = 0, n = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct quiz_question q = question_from_row(stmt);
		struct quiz_answered a = {store_column_text(stmt, 12), sqlite3_column_int(stmt, 13) != 0,
					  false, sqlite3_column_int64(stmt, 14)};
		const char *asked = (const char *)sqlite3_column_text(stmt, 16);
		const char *key = (const char *)sqlite3_column_text(stmt, 17);
		if (has_choices(&q) && asked && *asked && key) {
			char *now = choices_text(&q);
			a.changed = strcmp(now, asked) || strcmp(q.answer, key);
			free(now);
			if (a.changed) {
				/* The question as it was asked: its response and
				 * order number those options. */
				content_free_strings(q.choices, q.choice_count);
				q.choice_count = content_split_choices(asked, &q.choices);
				free(q.answer);
				q.answer = xstrdup(key);
			}
		}
		shown_from_text(&q, (const char *)sqlite3_column_text(stmt, 15));
		ARRAY_PUSH(out->questions, out->count, cap, q);
		ARRAY_PUSH(*answers, n, acap, a);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

void quiz_answered_free(struct quiz_answered *answers, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(answers[i].response);
	free(answers);
}
