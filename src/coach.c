#include "coach.h"

#include "clock.h"
#include "content.h"
#include "experiments.h"
#include "keys.h"
#include "store_sql.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY INT64_C(86400)

const char *const coach_sort_names[COACH_SORT_COUNT] = {
    "name", "progress", "accuracy", "drill", "calibration", "active",
};

int coach_sort_parse(const char *s, enum coach_sort *out)
{
	for (int i = 0; i < COACH_SORT_COUNT; i++) {
		if (!strcmp(s, coach_sort_names[i])) {
			*out = (enum coach_sort)i;
			return 0;
		}
	}
	return -1;
}

/* The group's id, 0 for everyone; STORE_ERR_NOTFOUND for an unknown
 * group. */
static enum store_error group_id(struct store *st, const char *group, int64_t *id)
{
	*id = 0;
	if (!group)
		return STORE_OK;
	sqlite3_stmt *stmt = store_prepare(st, "SELECT id FROM coach_groups WHERE name = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, group, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;
}

/* The learners in scope (?1: a group id, or 0 for everyone), as a SQL
 * condition on a learner_id column. */
#define IN_SCOPE(col)                                                                   \
	"(?1 = 0 OR " col " IN (SELECT learner_id FROM coach_group_members"              \
	" WHERE group_id = ?1))"

/* ---- the cohort ---------------------------------------------------------- */

/* Rows by learner id, for the per-table passes. */
struct row_index {
	int64_t id;
	size_t row;
};

static int cmp_index(const void *a, const void *b)
{
	const struct row_index *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static struct coach_row *row_of(struct coach_cohort *c, const struct row_index *idx,
				int64_t id)
{
	struct row_index key = {id, 0};
	const struct row_index *hit = bsearch(&key, idx, c->count, sizeof *idx, cmp_index);
	return hit ? &c->rows[hit->row] : NULL;
}

static enum store_error load_modules(struct store *st, struct coach_cohort *c)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT m.id, m.title, COUNT(l.id) FROM modules m JOIN lessons l ON l.module_id = m.id"
		" GROUP BY m.id ORDER BY m.ord, m.id");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_module m;
		store_column_copy(m.id, sizeof m.id, stmt, 0);
		store_column_copy(m.title, sizeof m.title, stmt, 1);
		m.lessons = sqlite3_column_int(stmt, 2);
		c->lessons += m.lessons;
		ARRAY_PUSH(c->modules, c->module_count, cap, m);
	}
	return store_finish(stmt, rc);
}

/* The per-learner totals come from coach_learners (kept by triggers);
 * last activity is the newest of its answers (quiz and drill), lesson
 * positions (reading), notes and lab runs, as the one-learner view counts
 * it. */
static const char cohort_learners_sql[] =
    "SELECT l.id, l.uuid, l.name, l.origin = 'imported',"
    " (SELECT MAX(imported_at) FROM bundle_imports b WHERE b.learner_id = l.id),"
    " MAX(COALESCE(c.last_active, 0),"
    "     COALESCE((SELECT MAX(updated_at) FROM lesson_progress p WHERE p.learner_id = l.id), 0),"
    "     COALESCE((SELECT MAX(updated_at) FROM notes n WHERE n.learner_id = l.id), 0),"
    "     COALESCE((SELECT MAX(created_at) FROM experiments e WHERE e.learner_id = l.id), 0)),"
    " (SELECT group_concat(name, ', ') FROM (SELECT g.name FROM coach_group_members gm"
    "   JOIN coach_groups g ON g.id = gm.group_id WHERE gm.learner_id = l.id ORDER BY g.name)),"
    " COALESCE(c.quiz_answers, 0), COALESCE(c.quiz_correct, 0),"
    " COALESCE(c.estimation_answers, 0), COALESCE(c.estimation_hits, 0),"
    " COALESCE(c.interview_answers, 0), COALESCE(c.interview_score, 0),"
    " (SELECT fingerprint FROM coach_keys k WHERE k.learner_uuid = l.uuid)"
    " FROM learners l LEFT JOIN coach_learners c ON c.learner_id = l.id"
    " WHERE " IN_SCOPE("l.id") " ORDER BY l.name, l.id";

/* Lessons done, as progress.c counts them: read to the end, and the quiz
 * passed at the lesson's pass mark by a finished take (or no quiz). The
 * lessons read to the end stream in with their best score; the lesson's
 * module, pass mark and quiz come from a table in memory. */
static const char cohort_read_sql[] =
    "SELECT p.learner_id, p.lesson_id, b.best FROM lesson_progress p"
    " LEFT JOIN coach_lesson_best b ON b.learner_id = p.learner_id AND b.lesson_id = p.lesson_id"
    " WHERE p.read_to_end AND " IN_SCOPE("p.learner_id");

struct course_lesson_info {
	char id[96];
	size_t module;
	int pass_mark;
	bool has_quiz;
};

static int cmp_lesson_info(const void *key, const void *item)
{
	return strcmp(key, ((const struct course_lesson_info *)item)->id);
}

static enum store_error load_lesson_info(struct store *st, const struct coach_cohort *c,
					 struct course_lesson_info **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	/* By id in strcmp order (BINARY collation), for bsearch. */
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT l.id, l.module_id, l.pass_mark,"
		" EXISTS (SELECT 1 FROM quiz_questions q WHERE q.lesson_id = l.id)"
		" FROM lessons l ORDER BY l.id");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct course_lesson_info l;
		store_column_copy(l.id, sizeof l.id, stmt, 0);
		const char *module = (const char *)sqlite3_column_text(stmt, 1);
		l.module = SIZE_MAX;
		for (size_t m = 0; module && m < c->module_count; m++)
			if (!strcmp(c->modules[m].id, module))
				l.module = m;
		l.pass_mark = sqlite3_column_int(stmt, 2);
		l.has_quiz = sqlite3_column_int(stmt, 3) != 0;
		ARRAY_PUSH(*out, *count, cap, l);
	}
	return store_finish(stmt, rc);
}

enum store_error coach_cohort_load(struct store *st, const char *group, struct coach_cohort *out)
{
	memset(out, 0, sizeof *out);
	int64_t gid;
	enum store_error e = group_id(st, group, &gid);
	if (e != STORE_OK)
		return e;
	if ((e = load_modules(st, out)) != STORE_OK)
		return e;
	sqlite3_stmt *stmt = store_prepare(st, cohort_learners_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, gid);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_row r;
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(stmt, 0);
		store_column_copy(r.uuid, sizeof r.uuid, stmt, 1);
		store_column_copy(r.name, sizeof r.name, stmt, 2);
		r.imported = sqlite3_column_int(stmt, 3) != 0;
		r.last_import = sqlite3_column_int64(stmt, 4);
		r.last_active = sqlite3_column_int64(stmt, 5);
		store_column_copy(r.groups, sizeof r.groups, stmt, 6);
		r.module_percent = xcalloc(out->module_count ? out->module_count : 1,
					   sizeof *r.module_percent);
		r.quiz_answers = sqlite3_column_int(stmt, 7);
		r.quiz_correct = sqlite3_column_int(stmt, 8);
		r.estimation_answers = sqlite3_column_int(stmt, 9);
		r.estimation_hits = sqlite3_column_int(stmt, 10);
		r.interview_answers = sqlite3_column_int(stmt, 11);
		r.quiz_accuracy = r.quiz_answers ? 100.0 * r.quiz_correct / r.quiz_answers : -1;
		r.calibration =
		    r.estimation_answers ? 100.0 * r.estimation_hits / r.estimation_answers : -1;
		r.interview_score = r.interview_answers
					? sqlite3_column_double(stmt, 12) / r.interview_answers
					: -1;
		store_column_copy(r.key, sizeof r.key, stmt, 13);
		ARRAY_PUSH(out->rows, out->count, cap, r);
	}
	if ((e = store_finish(stmt, rc)) != STORE_OK) {
		coach_cohort_free(out);
		return e;
	}
	struct row_index *idx = xcalloc(out->count ? out->count : 1, sizeof *idx);
	for (size_t i = 0; i < out->count; i++)
		idx[i] = (struct row_index){out->rows[i].id, i};
	qsort(idx, out->count, sizeof *idx, cmp_index);

	struct course_lesson_info *lessons;
	size_t nlessons;
	e = load_lesson_info(st, out, &lessons, &nlessons);
	stmt = e == STORE_OK ? store_prepare(st, cohort_read_sql) : NULL;
	if (e == STORE_OK && !stmt)
		e = STORE_ERR_SQL;
	if (e == STORE_OK) {
		sqlite3_bind_int64(stmt, 1, gid);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct coach_row *r = row_of(out, idx, sqlite3_column_int64(stmt, 0));
			const char *id = (const char *)sqlite3_column_text(stmt, 1);
			const struct course_lesson_info *l =
			    r && id && nlessons ? bsearch(id, lessons, nlessons, sizeof *lessons,
							  cmp_lesson_info)
				    : NULL;
			if (!l || l->module == SIZE_MAX)
				continue;
			bool passed = !l->has_quiz || (sqlite3_column_type(stmt, 2) != SQLITE_NULL &&
						       sqlite3_column_double(stmt, 2) >= l->pass_mark);
			if (passed) {
				r->lessons_done++;
				r->module_percent[l->module] += 100.0 / out->modules[l->module].lessons;
			}
		}
		e = store_finish(stmt, rc);
	}
	free(lessons);
	free(idx);
	for (size_t i = 0; i < out->count; i++)
		out->rows[i].course_percent =
		    out->lessons ? 100.0 * out->rows[i].lessons_done / out->lessons : 0;
	if (e != STORE_OK)
		coach_cohort_free(out);
	return e;
}

/* How a cohort is sorted: qsort_r's context. */
struct row_order {
	enum coach_sort key;
	int sign; /* -1 reversed */
};

static double sort_value(const struct coach_row *r, enum coach_sort key)
{
	switch (key) {
	case COACH_SORT_PROGRESS:
		return r->course_percent;
	case COACH_SORT_ACCURACY:
		return r->quiz_accuracy;
	case COACH_SORT_DRILL:
		return r->estimation_answers + r->interview_answers;
	case COACH_SORT_CALIBRATION:
		return r->calibration;
	case COACH_SORT_ACTIVE:
		return (double)r->last_active;
	default:
		return 0;
	}
}

static int cmp_rows(const void *a, const void *b, void *order)
{
	const struct coach_row *x = a, *y = b;
	const struct row_order *o = order;
	int by_name = strcasecmp(x->name, y->name);
	if (!by_name)
		by_name = (x->id > y->id) - (x->id < y->id);
	if (o->key == COACH_SORT_NAME)
		return o->sign * by_name;
	double vx = sort_value(x, o->key), vy = sort_value(y, o->key);
	/* Figures best first. */
	int c = (vx < vy) - (vx > vy);
	return c ? o->sign * c : by_name;
}

void coach_cohort_sort(struct coach_cohort *c, enum coach_sort by, bool reverse)
{
	struct row_order order = {by, reverse ? -1 : 1};
	if (c->count) /* qsort_r wants a non-null array even for no rows */
		qsort_r(c->rows, c->count, sizeof *c->rows, cmp_rows, &order);
}

void coach_cohort_free(struct coach_cohort *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->rows[i].module_percent);
	free(c->rows);
	free(c->modules);
	memset(c, 0, sizeof *c);
}

bool coach_row_matches(const struct coach_row *r, const char *filter)
{
	if (!filter || !*filter)
		return true;
	return strcasestr(r->name, filter) || str_starts_with(r->uuid, filter) ||
	       strcasestr(r->groups, filter);
}

/* ---- difficult questions ------------------------------------------------- */

const char *coach_item_kind_name(enum coach_item_kind kind)
{
	switch (kind) {
	case COACH_QUIZ:
		return "quiz";
	case COACH_ESTIMATION:
		return "estimation";
	case COACH_INTERVIEW:
		return "interview";
	}
	return "";
}

/* Per question: learners who answered, learners who missed it at least
 * once, answers, misses; from the totals the triggers keep, over everyone
 * or added up over a group's members. */
static const char difficult_all_sql[] =
    "SELECT kind, question_id, learners, missed_by, attempts, misses FROM coach_questions"
    " WHERE missed_by > 0";
static const char difficult_group_sql[] =
    "SELECT kind, question_id, COUNT(*), SUM(misses > 0), SUM(attempts), SUM(misses)"
    " FROM coach_answers WHERE learner_id IN (SELECT learner_id FROM coach_group_members"
    "  WHERE group_id = ?1) GROUP BY kind, question_id HAVING SUM(misses > 0) > 0";

/* The question's words and the lesson that teaches it. */
static const char *const question_sql[] = {
    "SELECT q.prompt, q.lesson_id, COALESCE(l.title, q.lesson_id) FROM quiz_questions q"
    " LEFT JOIN lessons l ON l.id = q.lesson_id WHERE q.id = ?",
    "SELECT q.question, COALESCE(q.lesson_id, ''), COALESCE(l.title, '')"
    " FROM estimation_questions q LEFT JOIN lessons l ON l.id = q.lesson_id WHERE q.id = ?",
    "SELECT q.question, COALESCE(q.lesson_id, ''), COALESCE(l.title, '')"
    " FROM interview_questions q LEFT JOIN lessons l ON l.id = q.lesson_id WHERE q.id = ?",
};

static enum store_error describe_question(struct store *st, struct coach_question *q)
{
	sqlite3_stmt *stmt = store_prepare(st, question_sql[q->kind]);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, q->id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		q->prompt = store_column_text(stmt, 0);
		store_column_copy(q->lesson_id, sizeof q->lesson_id, stmt, 1);
		q->lesson_title = store_column_text(stmt, 2);
		rc = SQLITE_DONE;
	} else {
		/* Answered, then taken out of the course: known by its id. */
		q->prompt = xasprintf("(no longer in the course) %s", q->id);
		q->lesson_title = xstrdup("");
	}
	return store_finish(stmt, rc);
}

static int cmp_questions(const void *a, const void *b)
{
	const struct coach_question *x = a, *y = b;
	if (x->missed_by != y->missed_by)
		return x->missed_by < y->missed_by ? 1 : -1;
	if (x->miss_percent != y->miss_percent)
		return x->miss_percent < y->miss_percent ? 1 : -1;
	if (x->misses != y->misses)
		return x->misses < y->misses ? 1 : -1;
	return strcmp(x->id, y->id);
}

static void free_question(struct coach_question *q)
{
	free(q->prompt);
	free(q->lesson_title);
	for (size_t i = 0; i < q->wrong_count; i++)
		free(q->wrong[i].text);
}

/* A stored quiz response in words: choice numbers become their text. */
static char *answer_in_words(const char *kind, const char *choices, const char *answer)
{
	if (strcmp(kind, "single") && strcmp(kind, "multiple"))
		return xstrdup(answer);
	char **parts;
	size_t n = content_split_choices(choices, &parts);
	struct strbuf sb;
	sb_init(&sb);
	char *copy = xstrdup(answer);
	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
		char *end;
		long k = strtol(tok, &end, 10);
		if (sb.len)
			sb_puts(&sb, " + ");
		if (*end || k < 1 || (size_t)k > n)
			sb_puts(&sb, tok);
		else
			sb_puts(&sb, parts[k - 1]);
	}
	free(copy);
	content_free_strings(parts, n);
	if (!sb.len)
		sb_puts(&sb, answer);
	return sb_steal(&sb);
}

/* The options an attempt (alias a) was asked with: its own copy, or the
 * bank's for attempts that keep none (from before they were kept). */
#define ASKED_CHOICES(a) "CASE WHEN " a ".choices <> '' THEN " a ".choices ELSE q.choices END"

/* The wrong answers given most, in words: the same numbers name other
 * texts once a content update reorders a question's options, so answers
 * are counted by their words. */
static enum store_error quiz_wrong_answers(struct store *st, int64_t gid, struct coach_question *q)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT a.answer, COUNT(*), q.kind, " ASKED_CHOICES("a") " FROM quiz_attempts a"
		" JOIN quiz_questions q ON q.id = a.question_id"
		" WHERE a.question_id = ?2 AND a.correct = 0 AND " IN_SCOPE("a.learner_id")
		" GROUP BY 1, 4 ORDER BY 1");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, gid);
	sqlite3_bind_text(stmt, 2, q->id, -1, SQLITE_TRANSIENT);
	struct coach_wrong *all = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *answer = (const char *)sqlite3_column_text(stmt, 0);
		const char *kind = (const char *)sqlite3_column_text(stmt, 2);
		const char *choices = (const char *)sqlite3_column_text(stmt, 3);
		char *text = answer_in_words(kind ? kind : "", choices ? choices : "",
					     answer ? answer : "");
		int count = sqlite3_column_int(stmt, 1);
		size_t i = 0;
		while (i < n && strcmp(all[i].text, text))
			i++;
		if (i < n) {
			all[i].count += count;
			free(text);
		} else {
			struct coach_wrong w = {text, count};
			ARRAY_PUSH(all, n, cap, w);
		}
	}
	/* Most given first; a tie in the order of the answers' numbers (a
	 * stable sort of a few). */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && all[j].count > all[j - 1].count; j--) {
			struct coach_wrong w = all[j];
			all[j] = all[j - 1];
			all[j - 1] = w;
		}
	for (size_t i = 0; i < n; i++) {
		if (q->wrong_count < COACH_WRONG_SHOWN)
			q->wrong[q->wrong_count++] = all[i];
		else
			free(all[i].text);
	}
	free(all);
	return store_finish(stmt, rc);
}

/* Missed estimates by how far off they were, in whole orders of
 * magnitude: "10x too low", "about right, range too narrow". */
static enum store_error estimation_wrong_answers(struct store *st, int64_t gid,
						 struct coach_question *q)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT a.point, e.answer FROM estimation_attempts a"
		" JOIN estimation_questions e ON e.id = a.question_id"
		" WHERE a.question_id = ?2 AND a.hit = 0 AND " IN_SCOPE("a.learner_id"));
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, gid);
	sqlite3_bind_text(stmt, 2, q->id, -1, SQLITE_TRANSIENT);
	/* Buckets from 1000x too low to 1000x too high. */
	enum { SPAN = 3, BUCKETS = 2 * SPAN + 1 };
	int counts[BUCKETS] = {0};
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		double point = sqlite3_column_double(stmt, 0), answer = sqlite3_column_double(stmt, 1);
		if (point <= 0 || answer <= 0)
			continue;
		double off = round(log10(point / answer));
		int b = off < -SPAN ? -SPAN : off > SPAN ? SPAN : (int)off;
		counts[b + SPAN]++;
	}
	enum store_error e = store_finish(stmt, rc);
	while (e == STORE_OK && q->wrong_count < COACH_WRONG_SHOWN) {
		int best = -1;
		for (int b = 0; b < BUCKETS; b++)
			if (counts[b] && (best < 0 || counts[b] > counts[best]))
				best = b;
		if (best < 0)
			break;
		int off = best - SPAN;
		char *text;
		if (off == 0)
			text = xstrdup("about right, but the range was too narrow");
		else
			text = xasprintf("%s%.0fx too %s", abs(off) == SPAN ? "over " : "",
					 pow(10, abs(off)), off < 0 ? "low" : "high");
		q->wrong[q->wrong_count].text = text;
		q->wrong[q->wrong_count++].count = counts[best];
		counts[best] = 0;
	}
	return e;
}

/* The rubric points most often left out ("missed") in the answers that
 * missed the question, from the totals the triggers keep. */
static enum store_error interview_wrong_answers(struct store *st, int64_t gid,
						struct coach_question *q)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT COALESCE(p.point, 'rubric point ' || m.ord), SUM(m.misses)"
		" FROM coach_rubric_misses m LEFT JOIN rubric_points p"
		"  ON p.question_id = m.question_id AND p.ord = m.ord"
		" WHERE m.question_id = ?2 AND " IN_SCOPE("m.learner_id")
		" GROUP BY m.ord ORDER BY 2 DESC, m.ord LIMIT 3");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, gid);
	sqlite3_bind_text(stmt, 2, q->id, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && q->wrong_count < COACH_WRONG_SHOWN) {
		q->wrong[q->wrong_count].text = xasprintf("left out: %s", sqlite3_column_text(stmt, 0));
		q->wrong[q->wrong_count++].count = sqlite3_column_int(stmt, 1);
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return store_finish(stmt, rc);
}

enum store_error coach_difficult_load(struct store *st, const char *group, size_t limit,
				      struct coach_difficult *out)
{
	memset(out, 0, sizeof *out);
	int64_t gid;
	enum store_error e = group_id(st, group, &gid);
	if (e != STORE_OK)
		return e;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT COUNT(*) FROM learners l WHERE " IN_SCOPE("l.id"));
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, gid);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		out->learners = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);

	stmt = store_prepare(st, gid ? difficult_group_sql : difficult_all_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, gid);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(stmt, 0);
		if (kind < COACH_QUIZ || kind > COACH_INTERVIEW)
			continue;
		struct coach_question q;
		memset(&q, 0, sizeof q);
		q.kind = (enum coach_item_kind)kind;
		store_column_copy(q.id, sizeof q.id, stmt, 1);
		q.learners = sqlite3_column_int(stmt, 2);
		q.missed_by = sqlite3_column_int(stmt, 3);
		q.attempts = sqlite3_column_int(stmt, 4);
		q.misses = sqlite3_column_int(stmt, 5);
		q.miss_percent = q.learners ? 100.0 * q.missed_by / q.learners : 0;
		ARRAY_PUSH(out->items, out->count, cap, q);
	}
	e = store_finish(stmt, rc);
	if (e == STORE_OK) {
		if (out->count)
			qsort(out->items, out->count, sizeof *out->items, cmp_questions);
		if (limit && out->count > limit) {
			for (size_t i = limit; i < out->count; i++)
				free_question(&out->items[i]);
			out->count = limit;
		}
	}
	for (size_t i = 0; e == STORE_OK && i < out->count; i++) {
		struct coach_question *q = &out->items[i];
		e = describe_question(st, q);
		if (e != STORE_OK)
			break;
		if (q->kind == COACH_QUIZ)
			e = quiz_wrong_answers(st, gid, q);
		else if (q->kind == COACH_ESTIMATION)
			e = estimation_wrong_answers(st, gid, q);
		else
			e = interview_wrong_answers(st, gid, q);
	}
	if (e != STORE_OK)
		coach_difficult_free(out);
	return e;
}

void coach_difficult_free(struct coach_difficult *d)
{
	for (size_t i = 0; i < d->count; i++)
		free_question(&d->items[i]);
	free(d->items);
	memset(d, 0, sizeof *d);
}

/* ---- one learner ---------------------------------------------------------- */

const char *coach_event_kind_name(enum coach_event_kind kind)
{
	switch (kind) {
	case EVENT_LESSON_OPENED:
		return "lesson";
	case EVENT_QUIZ_TAKE:
		return "quiz";
	case EVENT_QUIZ_REVIEW:
		return "review";
	case EVENT_ESTIMATION:
		return "estimation";
	case EVENT_INTERVIEW:
		return "interview";
	case EVENT_MOCK:
		return "mock interview";
	case EVENT_NOTE:
		return "note";
	case EVENT_LAB_RUN:
		return "lab run";
	}
	return "";
}

/* Every kind of thing a learner does, newest first: a lesson opened and,
 * later, read on; quiz takes once (their score), review answers one by
 * one. (Lab runs come from the lab's engine: add_lab_runs.) */
static const char timeline_sql[] =
    "SELECT at, kind, what, detail, outcome FROM ("
    " SELECT p.opened_at AS at, 0 AS kind, COALESCE(l.title, p.lesson_id) AS what,"
    "  CASE WHEN p.read_to_end AND p.updated_at <= p.opened_at THEN 'read to the end'"
    "   ELSE 'opened' END AS detail,"
    "  0 AS outcome FROM lesson_progress p LEFT JOIN lessons l ON l.id = p.lesson_id"
    "  WHERE p.learner_id = ?1"
    " UNION ALL SELECT p.updated_at, 0, COALESCE(l.title, p.lesson_id),"
    "  CASE WHEN p.read_to_end THEN 'read to the end' ELSE 'read on' END, 0"
    "  FROM lesson_progress p LEFT JOIN lessons l ON l.id = p.lesson_id"
    "  WHERE p.learner_id = ?1 AND p.updated_at > p.opened_at"
    " UNION ALL SELECT COALESCE(t.finished_at, t.started_at), 1, COALESCE(l.title, t.lesson_id),"
    "  printf('quiz %d/%d%s', t.correct, t.total,"
    "   CASE WHEN t.finished_at IS NULL THEN printf(' (%d answered, not finished)', t.answered)"
    "   ELSE '' END),"
    "  CASE WHEN t.finished_at IS NULL THEN 0"
    "   WHEN t.total > 0 AND 100.0 * t.correct / t.total >= COALESCE(l.pass_mark, 70) THEN 1"
    "   ELSE -1 END"
    "  FROM quiz_takes t LEFT JOIN lessons l ON l.id = t.lesson_id WHERE t.learner_id = ?1"
    " UNION ALL SELECT a.answered_at, 2, COALESCE(q.prompt, a.question_id),"
    "  CASE WHEN a.correct THEN 'review: right' ELSE 'review: wrong' END,"
    "  CASE WHEN a.correct THEN 1 ELSE -1 END"
    "  FROM quiz_attempts a LEFT JOIN quiz_questions q ON q.id = a.question_id"
    "  WHERE a.learner_id = ?1 AND a.take_uid IS NULL"
    " UNION ALL SELECT a.answered_at, 3, COALESCE(q.question, a.question_id),"
    "  printf('estimate: %.0f points, range %s', a.points,"
    "   CASE WHEN a.hit THEN 'held' ELSE 'missed' END),"
    "  CASE WHEN a.hit THEN 1 ELSE -1 END"
    "  FROM estimation_attempts a LEFT JOIN estimation_questions q ON q.id = a.question_id"
    "  WHERE a.learner_id = ?1"
    " UNION ALL SELECT a.answered_at, 4, COALESCE(q.question, a.question_id),"
    "  printf('interview (%s): %.0f%% of the rubric', a.type, a.score),"
    "  CASE WHEN a.score >= ?2 THEN 1 ELSE -1 END"
    "  FROM interview_attempts a LEFT JOIN interview_questions q ON q.id = a.question_id"
    "  WHERE a.learner_id = ?1"
    " UNION ALL SELECT COALESCE(m.finished_at, m.started_at), 5, 'Mock interview',"
    "  printf('%d questions%s', m.planned,"
    "   CASE WHEN m.finished_at IS NULL THEN ', not finished' ELSE '' END), 0"
    "  FROM mock_sessions m WHERE m.learner_id = ?1"
    " UNION ALL SELECT n.created_at, 6, COALESCE(l.title, n.lesson_id), 'note: ' || n.body, 0"
    "  FROM notes n LEFT JOIN lessons l ON l.id = n.lesson_id WHERE n.learner_id = ?1"
    ") ORDER BY at DESC, kind LIMIT ?3";

static enum store_error load_timeline(struct store *st, struct learner_report *r)
{
	sqlite3_stmt *stmt = store_prepare(st, timeline_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, r->learner.id);
	sqlite3_bind_double(stmt, 2, COACH_INTERVIEW_PASS);
	sqlite3_bind_int(stmt, 3, COACH_TIMELINE_MAX);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_event ev = {
		    .at = sqlite3_column_int64(stmt, 0),
		    .kind = (enum coach_event_kind)sqlite3_column_int(stmt, 1),
		    .what = store_column_text(stmt, 2),
		    .detail = store_column_text(stmt, 3),
		    .outcome = sqlite3_column_int(stmt, 4),
		};
		ARRAY_PUSH(r->timeline, r->timeline_count, cap, ev);
	}
	return store_finish(stmt, rc);
}

static int cmp_events(const void *a, const void *b)
{
	const struct coach_event *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? 1 : -1;
	return (int)x->kind - (int)y->kind;
}

/* The model lab's runs join the timeline (from the lab's own engine),
 * which keeps its newest COACH_TIMELINE_MAX events. */
static void add_lab_runs(struct learner_report *r, const struct experiment *runs, size_t n)
{
	size_t cap = r->timeline_count;
	for (size_t i = 0; i < n; i++) {
		struct coach_event ev = {
		    .at = runs[i].created_at,
		    .kind = EVENT_LAB_RUN,
		    .what = xstrdup("Model lab"),
		    .detail = xasprintf("lab run: accuracy %.2f, F1 %.2f", runs[i].accuracy,
					runs[i].f1),
		    .outcome = 0,
		};
		ARRAY_PUSH(r->timeline, r->timeline_count, cap, ev);
	}
	if (r->timeline_count)
		qsort(r->timeline, r->timeline_count, sizeof *r->timeline, cmp_events);
	while (r->timeline_count > COACH_TIMELINE_MAX) {
		struct coach_event *ev = &r->timeline[--r->timeline_count];
		free(ev->what);
		free(ev->detail);
	}
}

/* Days with any activity, for the streak. */
static const char days_sql[] =
    "SELECT DISTINCT d FROM ("
    " SELECT answered_at - answered_at % 86400 AS d FROM quiz_attempts WHERE learner_id = ?1"
    " UNION ALL SELECT answered_at - answered_at % 86400 FROM estimation_attempts"
    "  WHERE learner_id = ?1"
    " UNION ALL SELECT answered_at - answered_at % 86400 FROM interview_attempts"
    "  WHERE learner_id = ?1"
    " UNION ALL SELECT opened_at - opened_at % 86400 FROM lesson_progress WHERE learner_id = ?1"
    " UNION ALL SELECT updated_at - updated_at % 86400 FROM lesson_progress WHERE learner_id = ?1"
    " UNION ALL SELECT created_at - created_at % 86400 FROM notes WHERE learner_id = ?1"
    " UNION ALL SELECT created_at - created_at % 86400 FROM experiments WHERE learner_id = ?1"
    ") ORDER BY d";

static enum store_error load_streak(struct store *st, struct learner_report *r, int64_t now)
{
	sqlite3_stmt *stmt = store_prepare(st, days_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, r->learner.id);
	int run = 0;
	int64_t prev = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t d = sqlite3_column_int64(stmt, 0);
		/* Unsigned: a stored time at either end of int64 cannot overflow
		 * the difference (d > prev, the days are distinct and sorted). */
		run = r->active_days && (uint64_t)d - (uint64_t)prev == (uint64_t)DAY ? run + 1 : 1;
		if (run > r->best_streak)
			r->best_streak = run;
		r->active_days++;
		prev = d;
	}
	int64_t today = clock_day_start(now);
	/* A streak lasts until a whole day passes without activity. */
	if (r->active_days && (prev == today || prev == today - DAY))
		r->streak = run;
	return store_finish(stmt, rc);
}

static const char totals_sql[] =
    "SELECT (SELECT COALESCE(SUM(seconds_spent), 0) FROM lesson_progress WHERE learner_id = ?1),"
    " (SELECT COALESCE(SUM(seconds), 0) FROM estimation_attempts WHERE learner_id = ?1)"
    "  + (SELECT COALESCE(SUM(seconds), 0) FROM interview_attempts WHERE learner_id = ?1),"
    " (SELECT COUNT(*) FROM quiz_attempts WHERE learner_id = ?1),"
    " (SELECT COALESCE(SUM(correct), 0) FROM quiz_attempts WHERE learner_id = ?1),"
    " (SELECT MAX(imported_at) FROM bundle_imports WHERE learner_id = ?1),"
    " (SELECT origin = 'imported' FROM learners WHERE id = ?1)";

static enum store_error load_totals(struct store *st, struct learner_report *r)
{
	sqlite3_stmt *stmt = store_prepare(st, totals_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, r->learner.id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		r->reading_seconds = sqlite3_column_int64(stmt, 0);
		r->drill_seconds = sqlite3_column_int64(stmt, 1);
		r->quiz_answers = sqlite3_column_int(stmt, 2);
		r->quiz_correct = sqlite3_column_int(stmt, 3);
		r->last_import = sqlite3_column_int64(stmt, 4);
		r->imported = sqlite3_column_int(stmt, 5) != 0;
		rc = SQLITE_DONE;
	}
	return store_finish(stmt, rc);
}

static int cmp_stalls(const void *a, const void *b)
{
	const struct coach_stall *x = a, *y = b;
	return (x->updated_at > y->updated_at) - (x->updated_at < y->updated_at);
}

/* Opened and not done: where the learner stopped and why. */
static enum store_error load_stalls(struct store *st, struct learner_report *r)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT opened_at, updated_at, seconds_spent FROM lesson_progress"
		" WHERE learner_id = ? AND lesson_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	for (size_t i = 0; i < r->lesson_count; i++) {
		const struct lesson_status *l = &r->lessons[i];
		if (l->state != LESSON_IN_PROGRESS)
			continue;
		struct coach_stall s;
		memset(&s, 0, sizeof s);
		s.lesson = i;
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, r->learner.id);
		sqlite3_bind_text(stmt, 2, l->id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			s.opened_at = sqlite3_column_int64(stmt, 0);
			s.updated_at = sqlite3_column_int64(stmt, 1);
			s.seconds = sqlite3_column_int64(stmt, 2);
		}
		if (!l->read_to_end)
			snprintf(s.reason, sizeof s.reason, "not read to the end");
		else if (l->best_score < 0)
			snprintf(s.reason, sizeof s.reason, "quiz not finished");
		else
			snprintf(s.reason, sizeof s.reason, "quiz best %.0f%%, pass mark %d%%",
				 l->best_score, l->pass_mark);
		ARRAY_PUSH(r->stalled, r->stall_count, cap, s);
	}
	sqlite3_reset(stmt);
	if (r->stall_count)
		qsort(r->stalled, r->stall_count, sizeof *r->stalled, cmp_stalls);
	return STORE_OK;
}

/* The quiz questions this learner gets wrong most, with their latest
 * answer. */
static const char weakest_sql[] =
    "SELECT a.question_id, q.prompt, q.lesson_id, COUNT(*), SUM(a.correct = 0),"
    " (SELECT b.correct FROM quiz_attempts b WHERE b.learner_id = ?1"
    "   AND b.question_id = a.question_id ORDER BY b.answered_at DESC, b.rowid DESC LIMIT 1),"
    " (SELECT b.answer FROM quiz_attempts b WHERE b.learner_id = ?1"
    "   AND b.question_id = a.question_id ORDER BY b.answered_at DESC, b.rowid DESC LIMIT 1),"
    " q.kind,"
    " (SELECT " ASKED_CHOICES("b") " FROM quiz_attempts b WHERE b.learner_id = ?1"
    "   AND b.question_id = a.question_id ORDER BY b.answered_at DESC, b.rowid DESC LIMIT 1)"
    " FROM quiz_attempts a JOIN quiz_questions q ON q.id = a.question_id"
    " WHERE a.learner_id = ?1 GROUP BY a.question_id HAVING SUM(a.correct = 0) > 0"
    " ORDER BY 5 DESC, 1.0 * SUM(a.correct = 0) / COUNT(*) DESC, 6, a.question_id LIMIT ?2";

static enum store_error load_weakest(struct store *st, struct learner_report *r)
{
	sqlite3_stmt *stmt = store_prepare(st, weakest_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, r->learner.id);
	sqlite3_bind_int(stmt, 2, COACH_WEAK_MAX);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_weak w;
		memset(&w, 0, sizeof w);
		store_column_copy(w.id, sizeof w.id, stmt, 0);
		w.prompt = store_column_text(stmt, 1);
		store_column_copy(w.lesson_id, sizeof w.lesson_id, stmt, 2);
		w.attempts = sqlite3_column_int(stmt, 3);
		w.wrong = sqlite3_column_int(stmt, 4);
		w.last_correct = sqlite3_column_int(stmt, 5) != 0;
		const char *kind = (const char *)sqlite3_column_text(stmt, 7);
		const char *choices = (const char *)sqlite3_column_text(stmt, 8);
		const char *answer = (const char *)sqlite3_column_text(stmt, 6);
		w.last_answer = answer_in_words(kind ? kind : "", choices ? choices : "",
						answer ? answer : "");
		ARRAY_PUSH(r->weakest, r->weak_count, cap, w);
	}
	return store_finish(stmt, rc);
}

static enum store_error load_notes(struct store *st, struct learner_report *r)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT n.lesson_id, COALESCE(l.title, n.lesson_id), n.body, n.created_at"
		" FROM notes n LEFT JOIN lessons l ON l.id = n.lesson_id WHERE n.learner_id = ?"
		" ORDER BY n.created_at DESC, n.rowid DESC");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, r->learner.id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_note n;
		store_column_copy(n.lesson_id, sizeof n.lesson_id, stmt, 0);
		n.lesson_title = store_column_text(stmt, 1);
		n.body = store_column_text(stmt, 2);
		n.created_at = sqlite3_column_int64(stmt, 3);
		ARRAY_PUSH(r->notes, r->note_count, cap, n);
	}
	return store_finish(stmt, rc);
}

/* The model lab's runs: how many, the best (by AUC, as the lab), and each
 * in the timeline. */
static enum store_error load_experiments(struct store *st, struct learner_report *r)
{
	struct experiment *runs;
	size_t n;
	enum store_error e = experiment_list(st, r->learner.id, &runs, &n);
	if (e != STORE_OK)
		return e;
	r->experiments = (int)n;
	size_t best = experiment_best(runs, n);
	r->best_auc = best == SIZE_MAX || !isfinite(runs[best].auc) ? -1 : runs[best].auc;
	r->best_accuracy = best == SIZE_MAX ? -1 : runs[best].accuracy;
	r->best_f1 = best == SIZE_MAX ? -1 : runs[best].f1;
	add_lab_runs(r, runs, n);
	experiments_free(runs, n);
	return STORE_OK;
}

/* The key that signs the learner's bundles: pinned here for an imported
 * learner, their own for one who signs in here (none made yet: empty). */
static enum store_error load_key(struct store *st, struct learner_report *r)
{
	enum store_error e;
	if (r->imported) {
		struct pinned_key pin;
		e = pinned_key_get(st, r->learner.uuid, &pin);
		if (e == STORE_OK) {
			snprintf(r->key, sizeof r->key, "%s", pin.fingerprint);
			r->key_pinned_at = pin.first_seen;
		}
	} else {
		e = learner_key_fingerprint(st, r->learner.id, r->key);
	}
	return e == STORE_ERR_NOTFOUND ? STORE_OK : e;
}

static int64_t newest_event(const struct learner_report *r)
{
	int64_t t = 0;
	for (size_t i = 0; i < r->timeline_count; i++)
		if (r->timeline[i].at > t)
			t = r->timeline[i].at;
	for (size_t i = 0; i < r->stall_count; i++)
		if (r->stalled[i].updated_at > t)
			t = r->stalled[i].updated_at;
	return t;
}

enum store_error learner_report_load(struct store *st, int64_t learner_id, int64_t now,
				     struct learner_report *out)
{
	memset(out, 0, sizeof *out);
	enum store_error e = store_learner_by_id(st, learner_id, &out->learner);
	if (e == STORE_OK)
		e = progress_lessons(st, learner_id, &out->lessons, &out->lesson_count);
	if (e == STORE_OK) {
		progress_summarize(out->lessons, out->lesson_count, &out->summary);
		progress_modules(out->lessons, out->lesson_count, &out->modules, &out->module_count);
		e = load_totals(st, out);
	}
	if (e == STORE_OK)
		e = drill_stats_load(st, learner_id, now, &out->drill);
	if (e == STORE_OK)
		e = drill_calibration_load(st, learner_id, NULL, &out->calibration);
	if (e == STORE_OK)
		e = load_timeline(st, out);
	if (e == STORE_OK)
		e = load_streak(st, out, now);
	if (e == STORE_OK)
		e = load_stalls(st, out);
	if (e == STORE_OK)
		e = load_weakest(st, out);
	if (e == STORE_OK)
		e = load_notes(st, out);
	if (e == STORE_OK)
		e = load_experiments(st, out);
	if (e == STORE_OK)
		e = load_key(st, out);
	if (e == STORE_OK)
		out->last_active = newest_event(out);
	if (e != STORE_OK)
		learner_report_free(out);
	return e;
}

void learner_report_free(struct learner_report *r)
{
	free(r->lessons);
	free(r->modules);
	drill_stats_free(&r->drill);
	drill_calibration_free(&r->calibration);
	for (size_t i = 0; i < r->timeline_count; i++) {
		free(r->timeline[i].what);
		free(r->timeline[i].detail);
	}
	free(r->timeline);
	free(r->stalled);
	for (size_t i = 0; i < r->weak_count; i++) {
		free(r->weakest[i].prompt);
		free(r->weakest[i].last_answer);
	}
	free(r->weakest);
	for (size_t i = 0; i < r->note_count; i++) {
		free(r->notes[i].lesson_title);
		free(r->notes[i].body);
	}
	free(r->notes);
	memset(r, 0, sizeof *r);
}

enum store_error coach_match_learners(struct store *st, const char *name_or_uuid,
				      struct coach_match **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT l.id, l.uuid, l.name, l.created_at, l.origin = 'imported',"
		" (SELECT MAX(imported_at) FROM bundle_imports b WHERE b.learner_id = l.id)"
		" FROM learners l WHERE l.name = ?1"
		" OR (length(?1) >= 4 AND substr(l.uuid, 1, length(?1)) = lower(?1))"
		" ORDER BY l.name, l.uuid");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, name_or_uuid, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_match m;
		memset(&m, 0, sizeof m);
		m.learner.id = sqlite3_column_int64(stmt, 0);
		store_column_copy(m.learner.uuid, sizeof m.learner.uuid, stmt, 1);
		store_column_copy(m.learner.name, sizeof m.learner.name, stmt, 2);
		m.learner.created_at = sqlite3_column_int64(stmt, 3);
		m.imported = sqlite3_column_int(stmt, 4) != 0;
		m.last_import = sqlite3_column_int64(stmt, 5);
		ARRAY_PUSH(*out, *count, cap, m);
	}
	enum store_error e = store_finish(stmt, rc);
	if (e != STORE_OK) {
		free(*out);
		*out = NULL;
		*count = 0;
	}
	return e;
}

enum store_error coach_find_learner(struct store *st, const char *name_or_uuid,
				    struct learner *out, size_t *matches)
{
	struct coach_match *found;
	enum store_error e = coach_match_learners(st, name_or_uuid, &found, matches);
	if (e != STORE_OK)
		return e;
	if (*matches == 1)
		*out = found[0].learner;
	free(found);
	return *matches == 1 ? STORE_OK : STORE_ERR_NOTFOUND;
}

/* ---- groups and imports --------------------------------------------------- */

enum store_error coach_groups_list(struct store *st, struct coach_group **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT g.id, g.name, (SELECT COUNT(*) FROM coach_group_members m"
		" WHERE m.group_id = g.id) FROM coach_groups g ORDER BY g.name");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_group g;
		g.id = sqlite3_column_int64(stmt, 0);
		store_column_copy(g.name, sizeof g.name, stmt, 1);
		g.members = sqlite3_column_int(stmt, 2);
		ARRAY_PUSH(*out, *count, cap, g);
	}
	return store_finish(stmt, rc);
}

enum store_error coach_group_add(struct store *st, const char *group, int64_t learner_id)
{
	enum store_error e = store_begin(st);
	if (e != STORE_OK)
		return e;
	sqlite3_stmt *make = store_prepare(
	    st, "INSERT INTO coach_groups (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING");
	sqlite3_stmt *add = store_prepare(
	    st, "INSERT INTO coach_group_members (group_id, learner_id)"
		" SELECT id, ?2 FROM coach_groups WHERE name = ?1 ON CONFLICT DO NOTHING");
	if (!make || !add) {
		store_rollback(st);
		return STORE_ERR_SQL;
	}
	sqlite3_bind_text(make, 1, group, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(make, 2, clock_now());
	e = store_step_done(st, make);
	if (e == STORE_OK) {
		sqlite3_bind_text(add, 1, group, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(add, 2, learner_id);
		e = store_step_done(st, add);
	}
	if (e != STORE_OK) {
		store_rollback(st);
		return e;
	}
	return store_commit(st);
}

enum store_error coach_group_remove(struct store *st, const char *group, int64_t learner_id)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "DELETE FROM coach_group_members WHERE learner_id = ?2"
		" AND group_id = (SELECT id FROM coach_groups WHERE name = ?1)");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, group, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner_id);
	enum store_error e = store_step_done(st, stmt);
	if (e == STORE_OK && sqlite3_changes(store_db(st)) == 0)
		return STORE_ERR_NOTFOUND;
	return e;
}

enum store_error coach_group_delete(struct store *st, const char *group)
{
	sqlite3_stmt *stmt = store_prepare(st, "DELETE FROM coach_groups WHERE name = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, group, -1, SQLITE_TRANSIENT);
	enum store_error e = store_step_done(st, stmt);
	if (e == STORE_OK && sqlite3_changes(store_db(st)) == 0)
		return STORE_ERR_NOTFOUND;
	return e;
}

enum store_error coach_imports_list(struct store *st, struct coach_import **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT l.name, l.uuid, b.file, b.exported_at, b.imported_at, b.rows, b.added,"
		" b.updated, b.fingerprint FROM bundle_imports b JOIN learners l ON l.id = b.learner_id"
		" WHERE b.id = (SELECT c.id FROM bundle_imports c WHERE c.learner_id = b.learner_id"
		"   ORDER BY c.imported_at DESC, c.id DESC LIMIT 1)"
		" ORDER BY b.imported_at DESC, l.name");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct coach_import im;
		im.learner_name = store_column_text(stmt, 0);
		store_column_copy(im.learner_uuid, sizeof im.learner_uuid, stmt, 1);
		im.file = store_column_text(stmt, 2);
		im.exported_at = sqlite3_column_int64(stmt, 3);
		im.imported_at = sqlite3_column_int64(stmt, 4);
		im.rows = sqlite3_column_int(stmt, 5);
		im.added = sqlite3_column_int(stmt, 6);
		im.updated = sqlite3_column_int(stmt, 7);
		store_column_copy(im.key, sizeof im.key, stmt, 8);
		ARRAY_PUSH(*out, *count, cap, im);
	}
	enum store_error e = store_finish(stmt, rc);
	if (e != STORE_OK) {
		coach_imports_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return e;
}

void coach_imports_free(struct coach_import *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(items[i].learner_name);
		free(items[i].file);
	}
	free(items);
}
