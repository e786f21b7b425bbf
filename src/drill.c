#include "drill.h"

#include "pattern.h"
#include "clock.h"
#include "review.h"
#include "store_sql.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_SECONDS 86400

const char *const drill_types[DRILL_TYPE_COUNT + 1] = {
	DRILL_ESTIMATION, "product_sense", "analytical", "root_cause", "cross_functional",
	"strategy",	  "leadership",	   "behavioral", NULL,
};

static const char *const type_labels[DRILL_TYPE_COUNT] = {
	"Estimation",	     "Product sense", "Analytical / success metrics", "Root cause",
	"Cross-functional", "Strategy",	     "Leadership",		      "Behavioral",
};

int drill_type_index(const char *type)
{
	for (int i = 0; type && drill_types[i]; i++)
		if (!strcmp(type, drill_types[i]))
			return i;
	return -1;
}

const char *drill_type_label(const char *type)
{
	int i = drill_type_index(type);
	return i < 0 ? type : type_labels[i];
}

/* ---- lists ------------------------------------------------------------- */

/* Every question with the learner's record (?1), in type then bank order;
 * callers add their WHERE (type ?2, or due before ?2). Each bank's
 * attempts are grouped in one pass, not searched once per question; with
 * a single MAX(), SQLite takes the score from the row holding the
 * maximum: the latest answer (one of them, when two share a second). */
#define LATEST_ATTEMPTS(table, score)                                                        \
	"SELECT question_id, COUNT(*) AS n, MAX(answered_at) AS answered_at,"                \
	"  " score " AS score FROM " table " WHERE learner_id = ?1 GROUP BY question_id"

#define ITEMS_SQL                                                                            \
	"WITH ea AS (" LATEST_ATTEMPTS("estimation_attempts", "points") "),"                 \
	" ia AS (" LATEST_ATTEMPTS("interview_attempts", "score") ")"                        \
	" SELECT id, type, question, target_seconds, attempts, last_score, last_at, due_at"  \
	" FROM ("                                                                            \
	" SELECT q.rowid AS r, q.id, '" DRILL_ESTIMATION "' AS type, q.question,"            \
	"  q.target_seconds, COALESCE(a.n, 0) AS attempts, a.score AS last_score,"           \
	"  a.answered_at AS last_at, c.due_at AS due_at"                                     \
	" FROM estimation_questions q"                                                       \
	" LEFT JOIN ea a ON a.question_id = q.id"                                            \
	" LEFT JOIN review_cards c ON c.learner_id = ?1 AND c.item_id = 'est:' || q.id"      \
	" UNION ALL"                                                                         \
	" SELECT q.rowid, q.id, q.type, q.question, q.target_seconds, COALESCE(a.n, 0),"     \
	"  a.score, a.answered_at, c.due_at"                                                 \
	" FROM interview_questions q"                                                        \
	" LEFT JOIN ia a ON a.question_id = q.id"                                            \
	" LEFT JOIN review_cards c ON c.learner_id = ?1 AND c.item_id = 'iq:' || q.id)"

#define TYPE_ORDER                                                                           \
	"CASE type WHEN 'estimation' THEN 0 WHEN 'product_sense' THEN 1"                     \
	" WHEN 'analytical' THEN 2 WHEN 'root_cause' THEN 3 WHEN 'cross_functional' THEN 4"  \
	" WHEN 'strategy' THEN 5 WHEN 'leadership' THEN 6 WHEN 'behavioral' THEN 7 ELSE 8 END"

static enum store_error read_items(sqlite3_stmt *stmt, struct drill_item **out, size_t *count)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct drill_item it;
		memset(&it, 0, sizeof it);
		store_column_copy(it.id, sizeof it.id, stmt, 0);
		store_column_copy(it.type, sizeof it.type, stmt, 1);
		it.question = store_column_text(stmt, 2);
		it.target_seconds = sqlite3_column_int(stmt, 3);
		it.attempts = sqlite3_column_int(stmt, 4);
		it.last_score = sqlite3_column_type(stmt, 5) == SQLITE_NULL
				    ? -1
				    : sqlite3_column_double(stmt, 5);
		it.last_at = sqlite3_column_int64(stmt, 6);
		it.due_at = sqlite3_column_int64(stmt, 7);
		ARRAY_PUSH(*out, *count, cap, it);
	}
	sqlite3_reset(stmt);
	return store_error_of(rc);
}

enum store_error drill_question_type(struct store *st, const char *id, char *type, size_t size)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT '" DRILL_ESTIMATION "' FROM estimation_questions WHERE id = ?1"
		" UNION ALL SELECT type FROM interview_questions WHERE id = ?1");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		store_column_copy(type, size, stmt, 0);
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;
}

enum store_error drill_list(struct store *st, int64_t learner_id, const char *type,
			    struct drill_item **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, ITEMS_SQL " WHERE ?2 IS NULL OR type = ?2 ORDER BY " TYPE_ORDER ", r");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	if (type)
		sqlite3_bind_text(stmt, 2, type, -1, SQLITE_TRANSIENT);
	return read_items(stmt, out, count);
}

#define NEW_PER_DAY_KEY "drill_new_per_day"

int drill_new_per_day(struct store *st, int64_t learner_id)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT value FROM learner_settings WHERE learner_id = ? AND key = '" NEW_PER_DAY_KEY
		"'");
	int limit = DRILL_NEW_PER_DAY_DEFAULT;
	if (!stmt)
		return limit;
	sqlite3_bind_int64(stmt, 1, learner_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		/* Stored by drill_set_new_per_day; anything else is ignored. */
		const char *text = (const char *)sqlite3_column_text(stmt, 0);
		char *end;
		long v = text ? strtol(text, &end, 10) : -1;
		if (text && *text && !*end && v >= 0 && v <= DRILL_NEW_PER_DAY_MAX)
			limit = (int)v;
	}
	sqlite3_reset(stmt);
	return limit;
}

enum store_error drill_set_new_per_day(struct store *st, int64_t learner_id, int limit)
{
	if (limit < 0 || limit > DRILL_NEW_PER_DAY_MAX)
		return STORE_ERR_INVALID;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO learner_settings (learner_id, key, value) VALUES (?, '" NEW_PER_DAY_KEY
		"', ?) ON CONFLICT (learner_id, key) DO UPDATE SET value = excluded.value");
	if (!stmt)
		return STORE_ERR_SQL;
	char text[16];
	snprintf(text, sizeof text, "%d", limit);
	sqlite3_bind_int64(stmt, 1, learner_id);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

int drill_new_left(struct store *st, int64_t learner_id, int64_t now)
{
	int limit = drill_new_per_day(st, learner_id);
	/* Questions whose first answer falls on now's day. */
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM estimation_attempts WHERE"
		"  learner_id = ?1 GROUP BY question_id HAVING MIN(answered_at) BETWEEN ?2 AND ?3))"
		" + (SELECT COUNT(*) FROM (SELECT 1 FROM interview_attempts WHERE"
		"  learner_id = ?1 GROUP BY question_id HAVING MIN(answered_at) BETWEEN ?2 AND ?3))");
	if (!stmt)
		return 0;
	sqlite3_bind_int64(stmt, 1, learner_id);
	sqlite3_bind_int64(stmt, 2, clock_day_start(now));
	sqlite3_bind_int64(stmt, 3, clock_day_end(now) - 1);
	int introduced = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : limit;
	sqlite3_reset(stmt);
	return introduced < limit ? limit - introduced : 0;
}

enum store_error drill_due(struct store *st, int64_t learner_id, int64_t now,
			  struct drill_item **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	int new_left = drill_new_left(st, learner_id, now);
	/* The scheduled ones first, most overdue first; then the new ones
	 * (no card), the types taken in turn (each type's first in the bank,
	 * then each type's second...), as many as the limit allows. */
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT * FROM (" ITEMS_SQL " WHERE due_at IS NOT NULL AND due_at < ?2"
		" ORDER BY due_at, " TYPE_ORDER ", r)"
		" UNION ALL SELECT * FROM (" ITEMS_SQL " WHERE due_at IS NULL"
		" ORDER BY ROW_NUMBER() OVER (PARTITION BY type ORDER BY r), " TYPE_ORDER
		" LIMIT ?3)");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	sqlite3_bind_int64(stmt, 2, clock_day_end(now));
	sqlite3_bind_int(stmt, 3, new_left);
	return read_items(stmt, out, count);
}

size_t drill_due_count(struct store *st, int64_t learner_id, int64_t now)
{
	/* Cards of questions since removed from the banks are not counted. */
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT (SELECT COUNT(*) FROM review_cards c WHERE c.learner_id = ?1"
		"  AND c.due_at < ?2"
		"  AND ((c.item_id LIKE 'est:%' AND substr(c.item_id, 5) IN"
		"        (SELECT id FROM estimation_questions))"
		"   OR (c.item_id LIKE 'iq:%' AND substr(c.item_id, 4) IN"
		"        (SELECT id FROM interview_questions)))),"
		" (SELECT COUNT(*) FROM estimation_questions q WHERE NOT EXISTS (SELECT 1 FROM"
		"  review_cards c WHERE c.learner_id = ?1 AND c.item_id = 'est:' || q.id))"
		" + (SELECT COUNT(*) FROM interview_questions q WHERE NOT EXISTS (SELECT 1 FROM"
		"  review_cards c WHERE c.learner_id = ?1 AND c.item_id = 'iq:' || q.id))");
	if (!stmt)
		return 0;
	sqlite3_bind_int64(stmt, 1, learner_id);
	sqlite3_bind_int64(stmt, 2, clock_day_end(now));
	size_t n = 0, unanswered = 0;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		n = (size_t)sqlite3_column_int64(stmt, 0);
		unanswered = (size_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	size_t new_left = (size_t)drill_new_left(st, learner_id, now);
	return n + (unanswered < new_left ? unanswered : new_left);
}

void drill_items_free(struct drill_item *items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i].question);
	free(items);
}

/* ---- estimation ---------------------------------------------------------- */

/* The one question loader: runs sql with key bound to ?1 and hands each
 * row to read, with ctx; success only when every row was read. A
 * question's own row and each of its lists come through here. */
static enum store_error each_row(struct store *st, const char *sql, const char *key,
				 void (*read)(sqlite3_stmt *row, void *ctx), void *ctx)
{
	sqlite3_stmt *stmt = store_prepare(st, sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		read(stmt, ctx);
	return store_finish(stmt, rc);
}

static void read_estimation(sqlite3_stmt *row, void *ctx)
{
	struct drill_estimation *q = ctx;
	q->id = store_column_text(row, 0);
	q->question = store_column_text(row, 1);
	q->unit = store_column_text(row, 2);
	q->difficulty = store_column_text(row, 3);
	q->source = store_column_text(row, 4);
	q->answer = sqlite3_column_double(row, 5);
	q->low = sqlite3_column_double(row, 6);
	q->high = sqlite3_column_double(row, 7);
	q->target_seconds = sqlite3_column_int(row, 8);
}

/* The reference steps, each evaluated on one sheet in order. */
struct step_rows {
	struct drill_estimation *q;
	struct expr_sheet *sheet;
	size_t cap;
};

static void read_step(sqlite3_stmt *row, void *ctx)
{
	struct step_rows *r = ctx;
	struct drill_step s = {
	    .name = store_column_text(row, 0),
	    .expression = store_column_text(row, 1),
	    .unit = store_column_text(row, 2),
	    .source = store_column_text(row, 3),
	};
	s.has_value = expr_sheet_set_shaped(r->sheet, s.name, s.expression, &s.value, &s.shape,
					    NULL) == 0;
	ARRAY_PUSH(r->q->steps, r->q->step_count, r->cap, s);
}

enum store_error drill_estimation_load(struct store *st, const char *id,
				       struct drill_estimation *out)
{
	memset(out, 0, sizeof *out);
	enum store_error e = each_row(
	    st, "SELECT id, question, unit, difficulty, source, answer, low, high, target_seconds"
		" FROM estimation_questions WHERE id = ?",
	    id, read_estimation, out);
	if (e == STORE_OK && !out->id)
		e = STORE_ERR_NOTFOUND;
	if (e == STORE_OK) {
		struct step_rows steps = {out, expr_sheet_new(), 0};
		e = each_row(st, "SELECT name, expression, unit, source FROM estimation_steps"
				 " WHERE question_id = ? ORDER BY ord",
			     id, read_step, &steps);
		expr_sheet_free(steps.sheet);
	}
	if (e != STORE_OK)
		drill_estimation_free(out);
	return e;
}

void drill_estimation_free(struct drill_estimation *q)
{
	for (size_t i = 0; i < q->step_count; i++) {
		free(q->steps[i].name);
		free(q->steps[i].expression);
		free(q->steps[i].unit);
		free(q->steps[i].source);
	}
	free(q->steps);
	free(q->id);
	free(q->question);
	free(q->unit);
	free(q->difficulty);
	free(q->source);
	memset(q, 0, sizeof *q);
}

static size_t skip_blanks(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return i;
}

static void eval_line(struct expr_sheet *sheet, const char *line, struct drill_line *r)
{
	memset(r, 0, sizeof *r);
	size_t start = skip_blanks(line, 0);
	if (line[start] == '\0' || line[start] == '#') {
		r->state = DRILL_LINE_BLANK;
		return;
	}
	const char *equals = strchr(line, '=');
	struct expr_error err;
	int rc;
	if (equals) {
		size_t end = (size_t)(equals - line);
		while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
			end--;
		if (end - start >= sizeof r->name) {
			r->state = DRILL_LINE_ERROR;
			r->error_at = (int)start;
			snprintf(r->message, sizeof r->message, "names are at most %zu characters",
				 sizeof r->name - 1);
			return;
		}
		memcpy(r->name, line + start, end - start);
		r->name[end - start] = '\0';
		rc = expr_sheet_set_shaped(sheet, r->name, equals + 1, &r->value, &r->shape, &err);
		/* A bad name has no place in the expression: point at the name. */
		if (rc != 0)
			r->error_at = err.position < 0 ? (int)start
						       : (int)(equals + 1 - line) + err.position;
	} else {
		rc = expr_sheet_set_shaped(sheet, NULL, line, &r->value, &r->shape, &err);
		if (rc != 0)
			r->error_at = err.position;
	}
	if (rc != 0) {
		r->state = DRILL_LINE_ERROR;
		snprintf(r->message, sizeof r->message, "%s", err.message);
		return;
	}
	r->state = DRILL_LINE_OK;
}

size_t drill_sheet_eval(struct expr_sheet *sheet, const char *const *lines, size_t count,
			struct drill_line *results)
{
	size_t errors = 0;
	for (size_t i = 0; i < count; i++) {
		eval_line(sheet, lines[i] ? lines[i] : "", &results[i]);
		if (results[i].state == DRILL_LINE_ERROR)
			errors++;
	}
	return errors;
}

int drill_sheet_value(struct expr_sheet *sheet, const char *text, double *value,
		      struct expr_error *err)
{
	return expr_sheet_set(sheet, NULL, text, value, err);
}

/* What a pair by meaning may cost: values an order of magnitude apart at
 * most, a tenth more for each level of depth between the two lines and
 * three tenths for different operators. An unpaired line costs more than
 * any pair, so the assignment pairs as many lines as it can. */
#define PAIR_MAX_ORDERS 1.0
#define PAIR_DEPTH_COST 0.1
#define PAIR_OPERATOR_COST 0.3
#define PAIR_UNPAIRED_COST 100.0
#define PAIR_FORBIDDEN 1e9

static bool derived(enum expr_role role)
{
	return role != EXPR_INPUT;
}

/* The cost of pairing reference step s with learner line l by meaning, or
 * PAIR_FORBIDDEN. */
static double pair_cost(const struct drill_step *s, const struct drill_line *l, bool same_place)
{
	if (!same_place || !s->has_value || s->value <= 0 || l->state != DRILL_LINE_OK ||
	    !l->name[0] || l->value <= 0 || derived(s->shape.role) != derived(l->shape.role))
		return PAIR_FORBIDDEN;
	double off = fabs(log10(l->value) - log10(s->value));
	if (off >= PAIR_MAX_ORDERS)
		return PAIR_FORBIDDEN;
	double cost = off + PAIR_DEPTH_COST * abs(s->shape.depth - l->shape.depth);
	bool operators = s->shape.role != EXPR_COPY && l->shape.role != EXPR_COPY;
	if (operators && s->shape.role != l->shape.role)
		cost += PAIR_OPERATOR_COST;
	return cost;
}

/* The Hungarian algorithm with potentials (Kuhn-Munkres, O(n^2 m)) on a
 * rows x cols cost matrix, rows <= cols: assigned[r] is row r's column in
 * the assignment of least total cost. */
static void assign_least_cost(const double *cost, size_t rows, size_t cols, size_t *assigned)
{
	/* 1-based, column 0 standing for "no column yet". */
	double *u = xcalloc(rows + 1, sizeof *u), *v = xcalloc(cols + 1, sizeof *v);
	double *least = xcalloc(cols + 1, sizeof *least);
	size_t *row_of = xcalloc(cols + 1, sizeof *row_of), *way = xcalloc(cols + 1, sizeof *way);
	bool *used = xcalloc(cols + 1, sizeof *used);
	for (size_t r = 1; r <= rows; r++) {
		row_of[0] = r;
		size_t col = 0;
		for (size_t j = 0; j <= cols; j++) {
			least[j] = INFINITY;
			used[j] = false;
		}
		do {
			used[col] = true;
			size_t row = row_of[col], next = 0;
			double delta = INFINITY;
			for (size_t j = 1; j <= cols; j++) {
				if (used[j])
					continue;
				double c = cost[(row - 1) * cols + (j - 1)] - u[row] - v[j];
				if (c < least[j]) {
					least[j] = c;
					way[j] = col;
				}
				if (least[j] < delta) {
					delta = least[j];
					next = j;
				}
			}
			for (size_t j = 0; j <= cols; j++) {
				if (used[j]) {
					u[row_of[j]] += delta;
					v[j] -= delta;
				} else {
					least[j] -= delta;
				}
			}
			col = next;
		} while (row_of[col] != 0);
		do {
			size_t prev = way[col];
			row_of[col] = row_of[prev];
			col = prev;
		} while (col);
	}
	for (size_t j = 1; j <= cols; j++)
		if (row_of[j])
			assigned[row_of[j] - 1] = j - 1;
	free(u);
	free(v);
	free(least);
	free(row_of);
	free(way);
	free(used);
}

void drill_pair_lines(const struct drill_estimation *q, const struct drill_line *lines,
		      size_t count, size_t *pair, enum drill_pairing *how)
{
	size_t steps = q->step_count;
	bool *taken = xcalloc(count + 1, sizeof *taken);
	size_t last = count;
	for (size_t j = count; j-- > 0;)
		if (lines[j].state == DRILL_LINE_OK && lines[j].name[0]) {
			last = j;
			break;
		}
	size_t open = 0;
	for (size_t i = 0; i < steps; i++) {
		how[i] = DRILL_UNPAIRED;
		for (size_t j = 0; j < count && how[i] == DRILL_UNPAIRED; j++) {
			if (lines[j].state == DRILL_LINE_OK && !taken[j] &&
			    !strcasecmp(lines[j].name, q->steps[i].name)) {
				pair[i] = j;
				how[i] = DRILL_PAIRED_BY_NAME;
				taken[j] = true;
			}
		}
		if (how[i] == DRILL_UNPAIRED)
			open++;
	}
	if (open == 0) {
		free(taken);
		return;
	}
	/* The steps left against every line plus one "unpaired" column per
	 * step, so that every step has a column. */
	size_t *rows = xcalloc(open, sizeof *rows), cols = count + open, n = 0;
	double *cost = xcalloc(open * cols, sizeof *cost);
	for (size_t i = 0; i < steps; i++) {
		if (how[i] != DRILL_UNPAIRED)
			continue;
		bool final = i + 1 == steps;
		for (size_t j = 0; j < count; j++)
			cost[n * cols + j] = taken[j] ? PAIR_FORBIDDEN
						      : pair_cost(&q->steps[i], &lines[j],
								  (j == last) == final);
		for (size_t k = count; k < cols; k++)
			cost[n * cols + k] = PAIR_UNPAIRED_COST;
		rows[n++] = i;
	}
	size_t *assigned = xcalloc(open, sizeof *assigned);
	assign_least_cost(cost, open, cols, assigned);
	for (size_t r = 0; r < open; r++) {
		if (assigned[r] < count && cost[r * cols + assigned[r]] < PAIR_UNPAIRED_COST) {
			pair[rows[r]] = assigned[r];
			how[rows[r]] = DRILL_PAIRED_BY_VALUE;
		}
	}
	free(assigned);
	free(cost);
	free(rows);
	free(taken);
}

void drill_pair_by_hand(size_t step_count, size_t *pair, enum drill_pairing *how, size_t step,
			size_t line)
{
	if (step >= step_count)
		return;
	for (size_t i = 0; i < step_count; i++)
		if (i != step && how[i] != DRILL_UNPAIRED && pair[i] == line)
			how[i] = DRILL_UNPAIRED;
	how[step] = line == SIZE_MAX ? DRILL_UNPAIRED : DRILL_PAIRED_BY_HAND;
	if (line != SIZE_MAX)
		pair[step] = line;
}

bool drill_biggest_miss(const struct drill_estimation *q, const struct drill_line *lines,
			const size_t *pair, const enum drill_pairing *how, size_t *step,
			double *log_ratio)
{
	size_t factors = q->step_count ? q->step_count - 1 : 0; /* the last is the answer */
	double *theirs = xcalloc(factors + 1, sizeof *theirs);
	double *mine = xcalloc(factors + 1, sizeof *mine);
	bool *compared = xcalloc(factors + 1, sizeof *compared);
	for (size_t i = 0; i < factors; i++) {
		theirs[i] = q->steps[i].value;
		compared[i] = q->steps[i].has_value && how[i] != DRILL_UNPAIRED;
		if (compared[i])
			mine[i] = lines[pair[i]].value;
	}
	bool found = estimate_biggest_miss_values(theirs, mine, compared, factors, step, log_ratio);
	free(theirs);
	free(mine);
	free(compared);
	return found;
}

/* An answer's time as recorded: 0 to DRILL_MAX_SECONDS. */
static int recorded_seconds(int seconds)
{
	return seconds < 0 ? 0 : seconds > DRILL_MAX_SECONDS ? DRILL_MAX_SECONDS : seconds;
}

static void bind_optional_text(sqlite3_stmt *stmt, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(stmt, col, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, col);
}

/* Ends a write: commits, or rolls back and says why. */
static int finish_write(struct store *st, enum store_error e, char *err, size_t errlen)
{
	if (e == STORE_OK)
		e = store_commit(st);
	else
		store_rollback(st);
	if (e == STORE_OK)
		return 0;
	return format_error(err, errlen, "could not save: %s", store_errmsg(st));
}

int drill_record_estimation(struct store *st, int64_t learner_id,
			    const struct drill_estimation *q,
			    const struct drill_estimation_answer *answer, int64_t now,
			    struct estimate_score *score, char uid[37], char *err, size_t errlen)
{
	struct estimate_answer a = {answer->point, answer->low, answer->high};
	const char *why;
	if (estimate_score(&a, q->answer, score, &why) != 0)
		return format_error(err, errlen, "%s", why);
	if (store_begin(st) != STORE_OK)
		return format_error(err, errlen, "could not save: %s", store_errmsg(st));
	store_new_uuid(uid);
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO estimation_attempts (uid, learner_id, question_id, point, low, high,"
		" log_error, hit, width, interval_score, points, seconds, paused_seconds,"
		" worksheet, mock_uid, answered_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	enum store_error e = STORE_ERR_SQL;
	if (stmt) {
		sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, learner_id);
		sqlite3_bind_text(stmt, 3, q->id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(stmt, 4, answer->point);
		sqlite3_bind_double(stmt, 5, answer->low);
		sqlite3_bind_double(stmt, 6, answer->high);
		sqlite3_bind_double(stmt, 7, score->log_error);
		sqlite3_bind_int(stmt, 8, score->hit);
		sqlite3_bind_double(stmt, 9, score->width);
		sqlite3_bind_double(stmt, 10, score->interval_score);
		sqlite3_bind_double(stmt, 11, score->points);
		sqlite3_bind_int(stmt, 12, recorded_seconds(answer->seconds));
		sqlite3_bind_int(stmt, 13, recorded_seconds(answer->paused_seconds));
		sqlite3_bind_text(stmt, 14, answer->worksheet ? answer->worksheet : "", -1,
				  SQLITE_TRANSIENT);
		bind_optional_text(stmt, 15, answer->mock_uid);
		sqlite3_bind_int64(stmt, 16, now);
		e = store_step_done(st, stmt);
	}
	if (e == STORE_OK)
		e = review_card_answered(st, learner_id, REVIEW_ESTIMATION, q->id,
					 schedule_rating_from_percent(score->points), now);
	return finish_write(st, e, err, errlen);
}

/* Deletes the attempt uid (of either bank, not of a mock) and puts its
 * question's card back as before, in one transaction. */
static enum store_error undo_attempt(struct store *st, int64_t learner_id, bool estimation,
				     const char *uid, const char *question_id,
				     const struct schedule_card *before, bool existed)
{
	enum store_error e = store_begin(st);
	if (e != STORE_OK)
		return e;
	/* The rubric grades of an interview answer go with it (ON DELETE
	 * CASCADE), and the tallies' triggers count it out. */
	sqlite3_stmt *stmt = store_prepare(
	    st, estimation ? "DELETE FROM estimation_attempts WHERE uid = ? AND learner_id = ?"
			     " AND question_id = ? AND mock_uid IS NULL"
			   : "DELETE FROM interview_attempts WHERE uid = ? AND learner_id = ?"
			     " AND question_id = ? AND mock_uid IS NULL");
	e = stmt ? STORE_OK : STORE_ERR_SQL;
	if (e == STORE_OK) {
		sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, learner_id);
		sqlite3_bind_text(stmt, 3, question_id, -1, SQLITE_TRANSIENT);
		e = store_step_done(st, stmt);
	}
	if (e == STORE_OK && sqlite3_changes(store_db(st)) != 1)
		e = STORE_ERR_INVALID;
	if (e == STORE_OK) {
		char key[96];
		review_card_key(estimation ? REVIEW_ESTIMATION : REVIEW_INTERVIEW, question_id, key,
				sizeof key);
		e = review_card_restore(st, learner_id, key, before, existed);
	}
	if (e == STORE_OK)
		return store_commit(st);
	store_rollback(st);
	return e;
}

enum store_error drill_estimation_undo(struct store *st, int64_t learner_id, const char *uid,
				       const char *question_id, const struct schedule_card *before,
				       bool existed)
{
	return undo_attempt(st, learner_id, true, uid, question_id, before, existed);
}

enum store_error drill_interview_undo(struct store *st, int64_t learner_id, const char *uid,
				      const char *question_id, const struct schedule_card *before,
				      bool existed)
{
	return undo_attempt(st, learner_id, false, uid, question_id, before, existed);
}

/* ---- the other question types --------------------------------------------- */

enum store_error drill_interview_previous(struct store *st, int64_t learner_id,
					  const char *question_id,
					  struct drill_previous_answer *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT answer_text, score, answered_at FROM interview_attempts"
		" WHERE learner_id = ? AND question_id = ? ORDER BY answered_at DESC, rowid DESC"
		" LIMIT 1");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	sqlite3_bind_text(stmt, 2, question_id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->text = store_column_text(stmt, 0);
		out->score = sqlite3_column_double(stmt, 1);
		out->answered_at = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;
}

static void read_interview(sqlite3_stmt *row, void *ctx)
{
	struct drill_interview *q = ctx;
	q->id = store_column_text(row, 0);
	q->type = store_column_text(row, 1);
	q->question = store_column_text(row, 2);
	q->model_outline = store_column_text(row, 3);
	q->source = store_column_text(row, 4);
	q->target_seconds = sqlite3_column_int(row, 5);
}

/* A list of an interview question's, growing in q. */
struct interview_rows {
	struct drill_interview *q;
	size_t cap;
};

static void read_rubric_point(sqlite3_stmt *row, void *ctx)
{
	struct interview_rows *r = ctx;
	struct drill_rubric_point p = {store_column_text(row, 0), store_column_text(row, 1)};
	ARRAY_PUSH(r->q->points, r->q->point_count, r->cap, p);
}

static void read_framework_step(sqlite3_stmt *row, void *ctx)
{
	struct interview_rows *r = ctx;
	struct drill_framework_step f = {store_column_text(row, 0), store_column_text(row, 1),
					 store_column_text(row, 2)};
	ARRAY_PUSH(r->q->framework, r->q->framework_count, r->cap, f);
}

enum store_error drill_interview_load(struct store *st, const char *id,
				      struct drill_interview *out)
{
	memset(out, 0, sizeof *out);
	enum store_error e = each_row(st,
				      "SELECT id, type, question, model_outline, source,"
				      " target_seconds FROM interview_questions WHERE id = ?",
				      id, read_interview, out);
	if (e == STORE_OK && !out->id)
		e = STORE_ERR_NOTFOUND;
	struct interview_rows points = {out, 0}, framework = {out, 0};
	if (e == STORE_OK)
		e = each_row(st, "SELECT point, hint FROM rubric_points WHERE question_id = ?"
				 " ORDER BY ord",
			     id, read_rubric_point, &points);
	if (e == STORE_OK)
		e = each_row(st, "SELECT step, detail, source FROM frameworks WHERE type = ?"
				 " ORDER BY ord",
			     out->type, read_framework_step, &framework);
	if (e != STORE_OK)
		drill_interview_free(out);
	return e;
}

void drill_interview_free(struct drill_interview *q)
{
	for (size_t i = 0; i < q->point_count; i++) {
		free(q->points[i].point);
		free(q->points[i].hint);
	}
	for (size_t i = 0; i < q->framework_count; i++) {
		free(q->framework[i].step);
		free(q->framework[i].detail);
		free(q->framework[i].source);
	}
	free(q->points);
	free(q->framework);
	free(q->id);
	free(q->type);
	free(q->question);
	free(q->model_outline);
	free(q->source);
	memset(q, 0, sizeof *q);
}

size_t drill_rubric_hints(const struct drill_interview *q, const char *answer, bool *hinted)
{
	size_t unchecked = 0;
	for (size_t i = 0; i < q->point_count; i++) {
		hinted[i] = false;
		if (!q->points[i].hint[0])
			continue;
		char why[256];
		struct pattern *p = pattern_compile(q->points[i].hint, why, sizeof why);
		if (!p) {
			unchecked++;
			continue;
		}
		enum pattern_rc rc = pattern_test(p, answer ? answer : "");
		hinted[i] = rc == PATTERN_MATCH;
		unchecked += rc == PATTERN_TOO_COMPLEX;
		pattern_free(p);
	}
	return unchecked;
}

double drill_rubric_percent(const int *grades, size_t count)
{
	if (!count)
		return 0;
	double sum = 0;
	for (size_t i = 0; i < count; i++)
		sum += grades[i] < DRILL_MISSED ? 0 : grades[i] > DRILL_COVERED ? DRILL_COVERED
										 : grades[i];
	return 100 * sum / (DRILL_COVERED * (double)count);
}

int drill_record_interview(struct store *st, int64_t learner_id, const struct drill_interview *q,
			   const struct drill_interview_answer *answer, int64_t now,
			   double *percent, char uid[37], char *err, size_t errlen)
{
	if (answer->count != q->point_count)
		return format_error(err, errlen, "%zu grades for %zu rubric points", answer->count,
				    q->point_count);
	for (size_t i = 0; i < answer->count; i++) {
		if (answer->grades[i] < DRILL_MISSED || answer->grades[i] > DRILL_COVERED)
			return format_error(err, errlen,
					    "rubric point %zu: a grade must be 0, 1 or 2", i + 1);
	}
	*percent = drill_rubric_percent(answer->grades, answer->count);
	if (store_begin(st) != STORE_OK)
		return format_error(err, errlen, "could not save: %s", store_errmsg(st));
	store_new_uuid(uid);
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO interview_attempts (uid, learner_id, question_id, type, answer_text,"
		" seconds, paused_seconds, score, mock_uid, answered_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	enum store_error e = STORE_ERR_SQL;
	if (stmt) {
		sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, learner_id);
		sqlite3_bind_text(stmt, 3, q->id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, q->type, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 5, answer->text ? answer->text : "", -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 6, recorded_seconds(answer->seconds));
		sqlite3_bind_int(stmt, 7, recorded_seconds(answer->paused_seconds));
		sqlite3_bind_double(stmt, 8, *percent);
		bind_optional_text(stmt, 9, answer->mock_uid);
		sqlite3_bind_int64(stmt, 10, now);
		e = store_step_done(st, stmt);
	}
	for (size_t i = 0; e == STORE_OK && i < answer->count; i++) {
		stmt = store_prepare(st, "INSERT INTO rubric_grades (attempt_uid, ord, hinted, grade)"
					 " VALUES (?, ?, ?, ?)");
		if (!stmt) {
			e = STORE_ERR_SQL;
			break;
		}
		sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 2, (int)i + 1);
		sqlite3_bind_int(stmt, 3, answer->hinted && answer->hinted[i]);
		sqlite3_bind_int(stmt, 4, answer->grades[i]);
		e = store_step_done(st, stmt);
	}
	if (e == STORE_OK)
		e = review_card_answered(st, learner_id, REVIEW_INTERVIEW, q->id,
					 schedule_rating_from_percent(*percent), now);
	return finish_write(st, e, err, errlen);
}

/* The card key of a question of either bank. */
static enum store_error question_card_key(struct store *st, const char *question_id, char *key,
					  size_t size)
{
	char type[32];
	enum store_error e = drill_question_type(st, question_id, type, sizeof type);
	if (e == STORE_ERR_SQL)
		return e;
	/* A question in neither bank has no card: a new one. */
	bool estimation = e == STORE_ERR_NOTFOUND || !strcmp(type, DRILL_ESTIMATION);
	review_card_key(estimation ? REVIEW_ESTIMATION : REVIEW_INTERVIEW, question_id, key, size);
	return STORE_OK;
}

enum store_error drill_card(struct store *st, int64_t learner_id, const char *question_id,
			    struct schedule_card *out, bool *exists)
{
	char key[128];
	enum store_error e = question_card_key(st, question_id, key, sizeof key);
	if (e != STORE_OK)
		return e;
	return review_card_get(st, learner_id, key, out, exists);
}

enum store_error drill_card_regrade(struct store *st, int64_t learner_id, const char *question_id,
				    const struct schedule_card *before,
				    enum schedule_rating rating, int64_t now)
{
	char key[128];
	enum store_error e = question_card_key(st, question_id, key, sizeof key);
	if (e != STORE_OK)
		return e;
	return review_card_regrade(st, learner_id, key, before, rating, now);
}

/* ---- calibration, stats, streaks ----------------------------------------- */

enum store_error drill_calibration_load(struct store *st, int64_t learner_id,
					const char *mock_uid, struct drill_calibration *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT question_id, answered_at, hit, width, points, log_error"
		" FROM estimation_attempts WHERE learner_id = ?1 AND (?2 IS NULL OR mock_uid = ?2)"
		" ORDER BY answered_at, rowid");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	bind_optional_text(stmt, 2, mock_uid);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct drill_range r;
		memset(&r, 0, sizeof r);
		store_column_copy(r.question_id, sizeof r.question_id, stmt, 0);
		r.at = sqlite3_column_int64(stmt, 1);
		r.hit = sqlite3_column_int(stmt, 2) != 0;
		r.width = sqlite3_column_double(stmt, 3);
		r.points = sqlite3_column_double(stmt, 4);
		r.log_error = sqlite3_column_double(stmt, 5);
		ARRAY_PUSH(out->answers, out->count, cap, r);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		drill_calibration_free(out);
		return STORE_ERR_SQL;
	}
	bool *hits = xcalloc(out->count + 1, sizeof *hits);
	double *widths = xcalloc(out->count + 1, sizeof *widths);
	out->trend = xcalloc(out->count + 1, sizeof *out->trend);
	size_t window_hits = 0;
	for (size_t i = 0; i < out->count; i++) {
		hits[i] = out->answers[i].hit;
		widths[i] = out->answers[i].width;
		window_hits += hits[i];
		if (i >= DRILL_TREND_WINDOW)
			window_hits -= hits[i - DRILL_TREND_WINDOW];
		size_t in_window = i + 1 < DRILL_TREND_WINDOW ? i + 1 : DRILL_TREND_WINDOW;
		out->trend[i] = 100.0 * (double)window_hits / (double)in_window;
	}
	estimate_calibrate(hits, widths, out->count, &out->summary);
	free(hits);
	free(widths);
	return STORE_OK;
}

void drill_calibration_free(struct drill_calibration *c)
{
	free(c->answers);
	free(c->trend);
	memset(c, 0, sizeof *c);
}

/* Longest run of consecutive days in a sorted list of day starts, and the
 * run that ends at the last day. */
static void day_runs(const struct drill_day *days, size_t count, int *best, int *last)
{
	*best = *last = 0;
	int run = 0;
	for (size_t i = 0; i < count; i++) {
		run = i > 0 && days[i].day - days[i - 1].day == DAY_SECONDS ? run + 1 : 1;
		if (run > *best)
			*best = run;
	}
	*last = run;
}

enum store_error drill_stats_load(struct store *st, int64_t learner_id, int64_t now,
				  struct drill_stats *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT '" DRILL_ESTIMATION "', answered_at, points, hit FROM estimation_attempts"
		" WHERE learner_id = ?1"
		" UNION ALL SELECT type, answered_at, score, NULL FROM interview_attempts"
		" WHERE learner_id = ?1 ORDER BY 2");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	double sums[DRILL_TYPE_COUNT] = {0};
	size_t cap = 0;
	double day_sum = 0;
	int ranges = 0, held = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int t = drill_type_index((const char *)sqlite3_column_text(stmt, 0));
		int64_t at = sqlite3_column_int64(stmt, 1);
		double score = sqlite3_column_double(stmt, 2);
		out->answers++;
		if (t >= 0) {
			struct drill_type_stats *ts = &out->types[t];
			ts->answers++;
			sums[t] += score;
			if (score > ts->best_score)
				ts->best_score = score;
			if (at > ts->last_at)
				ts->last_at = at;
		}
		if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) {
			ranges++;
			held += sqlite3_column_int(stmt, 3) != 0;
		}
		int64_t day = clock_day_start(at);
		if (!out->day_count || out->days[out->day_count - 1].day != day) {
			struct drill_day d = {.day = day, .held_percent = -1};
			ARRAY_PUSH(out->days, out->day_count, cap, d);
			day_sum = 0;
		}
		struct drill_day *d = &out->days[out->day_count - 1];
		d->answers++;
		day_sum += score;
		d->mean_score = day_sum / d->answers;
		if (ranges)
			d->held_percent = 100.0 * held / ranges;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		drill_stats_free(out);
		return STORE_ERR_SQL;
	}
	for (int t = 0; t < DRILL_TYPE_COUNT; t++)
		if (out->types[t].answers)
			out->types[t].mean_score = sums[t] / out->types[t].answers;

	/* Weakest first: insertion sort of the types with answers. */
	for (int t = 0; t < DRILL_TYPE_COUNT; t++) {
		if (!out->types[t].answers)
			continue;
		size_t j = out->weakest_count++;
		while (j > 0 && out->types[out->weakest[j - 1]].mean_score >
				    out->types[t].mean_score) {
			out->weakest[j] = out->weakest[j - 1];
			j--;
		}
		out->weakest[j] = t;
	}

	int last_run;
	day_runs(out->days, out->day_count, &out->best_streak, &last_run);
	int64_t today = clock_day_start(now);
	/* A streak is alive until a whole day passes without an answer. */
	if (out->day_count && (out->days[out->day_count - 1].day == today ||
			       out->days[out->day_count - 1].day == today - DAY_SECONDS))
		out->streak = last_run;

	stmt = store_prepare(st, "SELECT COUNT(*) FROM mock_sessions"
				 " WHERE learner_id = ? AND finished_at IS NOT NULL");
	if (!stmt) {
		drill_stats_free(out);
		return STORE_ERR_SQL;
	}
	sqlite3_bind_int64(stmt, 1, learner_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		out->mocks = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	out->due_today = drill_due_count(st, learner_id, now);
	return STORE_OK;
}

void drill_stats_free(struct drill_stats *s)
{
	free(s->days);
	memset(s, 0, sizeof *s);
}

/* ---- mock interviews ----------------------------------------------------- */

/* xorshift32: a small, seeded, reproducible sequence (0 is not a state). */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* FNV-1a of the id mixed with the seed: a stable tie-break that still
 * varies from one mock interview to the next. */
static uint32_t id_hash(const char *id, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;
	for (const unsigned char *c = (const unsigned char *)id; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h;
}

/* Whether a is a better pick than b. */
static bool better_pick(const struct drill_item *a, const struct drill_item *b, int64_t day_end,
			uint32_t seed)
{
	bool a_due = a->due_at && a->due_at < day_end, b_due = b->due_at && b->due_at < day_end;
	if (a_due != b_due)
		return a_due;
	if (a->attempts != b->attempts)
		return a->attempts < b->attempts;
	if (a->last_at != b->last_at)
		return a->last_at < b->last_at;
	return id_hash(a->id, seed) < id_hash(b->id, seed);
}

enum store_error drill_mock_pick(struct store *st, int64_t learner_id, size_t count,
				 uint32_t seed, int64_t now, char ***ids, size_t *picked)
{
	*ids = NULL;
	*picked = 0;
	struct drill_item *items;
	size_t n;
	enum store_error e = drill_list(st, learner_id, NULL, &items, &n);
	if (e != STORE_OK)
		return e;
	int order[DRILL_TYPE_COUNT];
	for (int i = 0; i < DRILL_TYPE_COUNT; i++)
		order[i] = i;
	/* Estimation stays first; the others are shuffled (Fisher-Yates). */
	uint32_t state = seed;
	for (int i = DRILL_TYPE_COUNT - 1; i > 1; i--) {
		int j = 1 + (int)(next_random(&state) % (uint32_t)i);
		int tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	bool *taken = xcalloc(n + 1, sizeof *taken);
	*ids = xcalloc(count + 1, sizeof **ids);
	int64_t day_end = clock_day_end(now);
	bool progress = true;
	while (*picked < count && progress) {
		progress = false;
		for (int k = 0; k < DRILL_TYPE_COUNT && *picked < count; k++) {
			const char *type = drill_types[order[k]];
			size_t best = SIZE_MAX;
			for (size_t i = 0; i < n; i++) {
				if (taken[i] || strcmp(items[i].type, type))
					continue;
				if (best == SIZE_MAX ||
				    better_pick(&items[i], &items[best], day_end, seed))
					best = i;
			}
			if (best == SIZE_MAX)
				continue;
			taken[best] = true;
			(*ids)[(*picked)++] = xstrdup(items[best].id);
			progress = true;
		}
	}
	free(taken);
	drill_items_free(items, n);
	return STORE_OK;
}

void drill_ids_free(char **ids, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(ids[i]);
	free(ids);
}

enum store_error drill_mock_start(struct store *st, int64_t learner_id, size_t planned,
				  int64_t now, char uid[37])
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO mock_sessions (uid, learner_id, planned, started_at) VALUES (?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	store_new_uuid(uid);
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner_id);
	sqlite3_bind_int64(stmt, 3, (int64_t)planned);
	sqlite3_bind_int64(stmt, 4, now);
	return store_step_done(st, stmt);
}

enum store_error drill_mock_finish(struct store *st, const char *uid, int64_t now)
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt =
	    store_prepare(st, "UPDATE mock_sessions SET finished_at = ? WHERE uid = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_text(stmt, 2, uid, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error drill_mock_summary_load(struct store *st, const char *uid,
					 struct drill_mock_summary *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(st, "SELECT planned FROM mock_sessions WHERE uid = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		out->planned = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;

	stmt = store_prepare(
	    st, "SELECT a.question_id, '" DRILL_ESTIMATION "', a.seconds,"
		" COALESCE(q.target_seconds, 0), a.points, 1, a.hit, 0, 0, 0, a.answered_at"
		" FROM estimation_attempts a LEFT JOIN estimation_questions q ON q.id = a.question_id"
		" WHERE a.mock_uid = ?1"
		" UNION ALL SELECT a.question_id, a.type, a.seconds, COALESCE(q.target_seconds, 0),"
		" a.score, 0, 0,"
		" (SELECT COUNT(*) FROM rubric_grades g WHERE g.attempt_uid = a.uid AND g.grade = 2),"
		" (SELECT COUNT(*) FROM rubric_grades g WHERE g.attempt_uid = a.uid AND g.grade = 1),"
		" (SELECT COUNT(*) FROM rubric_grades g WHERE g.attempt_uid = a.uid), a.answered_at"
		" FROM interview_attempts a LEFT JOIN interview_questions q ON q.id = a.question_id"
		" WHERE a.mock_uid = ?1 ORDER BY 11");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	double total = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct drill_mock_row r;
		memset(&r, 0, sizeof r);
		store_column_copy(r.question_id, sizeof r.question_id, stmt, 0);
		store_column_copy(r.type, sizeof r.type, stmt, 1);
		r.seconds = sqlite3_column_int(stmt, 2);
		r.target_seconds = sqlite3_column_int(stmt, 3);
		r.score = sqlite3_column_double(stmt, 4);
		r.has_range = sqlite3_column_int(stmt, 5) != 0;
		r.hit = sqlite3_column_int(stmt, 6) != 0;
		r.covered = sqlite3_column_int(stmt, 7);
		r.partly = sqlite3_column_int(stmt, 8);
		r.rubric_total = sqlite3_column_int(stmt, 9);
		out->seconds += r.seconds;
		out->target_seconds += r.target_seconds;
		total += r.score;
		if (r.has_range) {
			out->ranges++;
			out->hits += r.hit;
		}
		out->covered += r.covered;
		out->partly += r.partly;
		out->rubric_total += r.rubric_total;
		ARRAY_PUSH(out->rows, out->count, cap, r);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		drill_mock_summary_free(out);
		return STORE_ERR_SQL;
	}
	if (out->count)
		out->mean_score = total / (double)out->count;
	return STORE_OK;
}

void drill_mock_summary_free(struct drill_mock_summary *s)
{
	free(s->rows);
	memset(s, 0, sizeof *s);
}

/* ---- display ---------------------------------------------------------------- */

static void with_separators(double whole, char *buf, size_t size)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%.0f", whole);
	char out[48];
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < sizeof out; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	snprintf(buf, size, "%s", out);
}

void drill_format_value(double value, char *buf, size_t size)
{
	static const struct {
		double scale;
		const char *suffix;
	} scales[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
	if (!isfinite(value)) {
		snprintf(buf, size, "?");
		return;
	}
	const char *sign = value < 0 ? "-" : "";
	char text[48];
	snprintf(text, sizeof text, "%.3g", fabs(value));
	/* Rounded first, so that 999,960 becomes 1M and not 1e+03k. */
	double rounded = strtod(text, NULL);
	if (fabs(value) >= 1e4 && rounded < 1e15) {
		for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
			if (rounded >= scales[i].scale) {
				snprintf(buf, size, "%s%.3g%s", sign, rounded / scales[i].scale,
					 scales[i].suffix);
				return;
			}
		}
	}
	double a = fabs(value);
	if (a >= 1e15 || (a > 0 && a < 0.001)) {
		snprintf(buf, size, "%s%s", sign, text);
	} else if (a >= 100 || a == floor(a)) {
		with_separators(round(a), text, sizeof text);
		snprintf(buf, size, "%s%s", sign, text);
	} else {
		snprintf(buf, size, "%s%.3g", sign, a);
	}
}

/* ---- the answer timer ------------------------------------------------------ */

double drill_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void drill_timer_start(struct drill_timer *t, double now)
{
	*t = (struct drill_timer){.started = now};
}

void drill_timer_pause(struct drill_timer *t, double now)
{
	if (t->paused)
		return;
	t->paused = true;
	t->paused_since = now;
}

void drill_timer_resume(struct drill_timer *t, double now)
{
	if (!t->paused)
		return;
	t->paused = false;
	if (now > t->paused_since)
		t->paused_total += now - t->paused_since;
}

double drill_timer_paused(const struct drill_timer *t, double now)
{
	double extra = t->paused && now > t->paused_since ? now - t->paused_since : 0;
	return t->paused_total + extra;
}

double drill_timer_elapsed(const struct drill_timer *t, double now)
{
	double running = now - t->started - drill_timer_paused(t, now);
	return running > 0 ? running : 0;
}
