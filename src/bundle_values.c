#include "bundle_values.h"

#include "drill.h"
#include "estimate.h"
#include "schedule.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400.0

/* A column's values: a number from min to max (whole: no fraction), a
 * positive number, or a time (a whole number of Unix seconds). */
enum rule_kind { RULE_RANGE, RULE_POSITIVE, RULE_TIME, RULE_DUE };

struct column_rule {
	const char *table, *column;
	enum rule_kind kind;
	double min, max;
	bool whole;
	const char *what; /* "a score from 0 to 100" */
};

/* Every learner table's columns with a meaning beyond their type. Any other
 * column whose name ends in "_at" is a time. A column that a later
 * migration renames or drops simply has no rule; one it adds has its type
 * checked, and its time if it is one. */
static const struct column_rule column_rules[] = {
	{"lesson_progress", "block", RULE_RANGE, 0, 1e6, true, "a block of the lesson"},
	{"lesson_progress", "line_in_block", RULE_RANGE, 0, 1e6, true, "a line of the block"},
	{"lesson_progress", "read_to_end", RULE_RANGE, 0, 1, true, "0 or 1"},
	{"lesson_progress", "seconds_spent", RULE_RANGE, 0, 30 * DAY, true,
	 "a reading time from 0 to 30 days in seconds"},
	{"quiz_takes", "answered", RULE_RANGE, 0, 1000, true, "a count of answers from 0 to 1000"},
	{"quiz_takes", "correct", RULE_RANGE, 0, 1000, true, "a count of answers from 0 to 1000"},
	{"quiz_takes", "total", RULE_RANGE, 0, 1000, true, "a count of questions from 0 to 1000"},
	{"quiz_attempts", "correct", RULE_RANGE, 0, 1, true, "0 or 1"},
	{"mock_sessions", "planned", RULE_RANGE, 1, 100, true, "a count of questions from 1 to 100"},
	{"estimation_attempts", "point", RULE_POSITIVE, 0, 0, false, "a positive estimate"},
	{"estimation_attempts", "low", RULE_POSITIVE, 0, 0, false, "a positive low end"},
	{"estimation_attempts", "high", RULE_POSITIVE, 0, 0, false, "a positive high end"},
	{"estimation_attempts", "seconds", RULE_RANGE, 0, DRILL_MAX_SECONDS, true,
	 "a time from 0 to a week in seconds"},
	{"estimation_attempts", "paused_seconds", RULE_RANGE, 0, DRILL_MAX_SECONDS, true,
	 "a time from 0 to a week in seconds"},
	{"interview_attempts", "seconds", RULE_RANGE, 0, DRILL_MAX_SECONDS, true,
	 "a time from 0 to a week in seconds"},
	{"interview_attempts", "paused_seconds", RULE_RANGE, 0, DRILL_MAX_SECONDS, true,
	 "a time from 0 to a week in seconds"},
	{"interview_attempts", "score", RULE_RANGE, 0, 100, false, "a score from 0 to 100"},
	{"rubric_grades", "ord", RULE_RANGE, 1, 1000, true, "a rubric point from 1 to 1000"},
	{"rubric_grades", "hinted", RULE_RANGE, 0, 1, true, "0 or 1"},
	{"rubric_grades", "grade", RULE_RANGE, 0, 2, true, "a grade of 0, 1 or 2"},
	{"review_cards", "stability", RULE_RANGE, 0.01, SCHEDULE_MAX_INTERVAL_DAYS, false,
	 "a stability from 0.01 to 36500 days"},
	{"review_cards", "difficulty", RULE_RANGE, 1, 10, false, "a difficulty from 1 to 10"},
	{"review_cards", "reps", RULE_RANGE, 0, 1e6, true, "a count of reviews"},
	{"review_cards", "lapses", RULE_RANGE, 0, 1e6, true, "a count of reviews"},
	{"review_cards", "last_review", RULE_TIME, 0, 0, true, NULL},
	{"review_cards", "due_at", RULE_DUE, 0, 0, true, NULL},
	{"experiments", "accuracy", RULE_RANGE, 0, 1, false, "an accuracy from 0 to 1"},
	{"experiments", "f1", RULE_RANGE, 0, 1, false, "an F1 score from 0 to 1"},
	{"experiments", "seconds", RULE_RANGE, 0, DAY, false, "a training time from 0 to a day"},
	{"bookmarks", "para", RULE_RANGE, 0, 1e6, true, "a paragraph of the lesson"},
	{"experiments", "threshold", RULE_RANGE, 0, 1, false, "a threshold from 0 to 1"},
	{"experiments", "auc", RULE_RANGE, 0, 1, false, "an AUC from 0 to 1"},
	{"experiments", "log_loss", RULE_RANGE, 0, 1e3, false, "a log loss from 0 to 1000"},
	{"bookmarks", "highlight", RULE_RANGE, 0, 1, true, "0 or 1"},
};

static const struct column_rule any_time = {NULL, NULL, RULE_TIME, 0, 0, true, NULL};

/* The scores of an estimation answer, recomputed: estimate_score's. */
static const char *const derived_columns[] = {"log_error", "hit", "width", "interval_score",
					      "points"};
enum { DERIVED_LOG_ERROR, DERIVED_HIT, DERIVED_WIDTH, DERIVED_INTERVAL, DERIVED_POINTS,
       DERIVED_COUNT };

/* Columns that rules between columns name; -1 when the section lacks one. */
enum named {
	COL_CORRECT,
	COL_ANSWERED,
	COL_TOTAL,
	COL_REPS,
	COL_LAPSES,
	COL_LAST_REVIEW,
	COL_DUE,
	COL_POINT,
	COL_LOW,
	COL_HIGH,
	COL_QUESTION,
	COL_NAMED
};
static const char *const named_columns[COL_NAMED] = {
    "correct", "answered", "total", "reps", "lapses", "last_review", "due_at",
    "point",   "low",      "high",  "question_id",
};

struct value_checks {
	char *table;
	const char **columns;
	size_t count;
	const struct column_rule **rules; /* per column, NULL: none */
	int *slots;			  /* per column, -1: taken as sent */
	size_t derived;
	int named[COL_NAMED];
	bool estimation, quiz_take, review_card;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

struct value_checks *value_checks_new(const char *table, const char *const *columns,
				      size_t count)
{
	struct value_checks *vc = xcalloc(1, sizeof *vc);
	vc->table = xstrdup(table);
	vc->count = count;
	vc->columns = xcalloc(count ? count : 1, sizeof *vc->columns);
	vc->rules = xcalloc(count ? count : 1, sizeof *vc->rules);
	vc->slots = xcalloc(count ? count : 1, sizeof *vc->slots);
	vc->estimation = !strcmp(table, "estimation_attempts");
	vc->quiz_take = !strcmp(table, "quiz_takes");
	vc->review_card = !strcmp(table, "review_cards");
	for (int k = 0; k < COL_NAMED; k++)
		vc->named[k] = -1;
	for (size_t i = 0; i < count; i++) {
		vc->columns[i] = columns[i];
		vc->slots[i] = -1;
		for (size_t r = 0; r < sizeof column_rules / sizeof column_rules[0]; r++)
			if (!strcmp(column_rules[r].table, table) &&
			    !strcmp(column_rules[r].column, columns[i]))
				vc->rules[i] = &column_rules[r];
		if (!vc->rules[i] && ends_with(columns[i], "_at"))
			vc->rules[i] = &any_time;
		for (int k = 0; k < COL_NAMED; k++)
			if (!strcmp(named_columns[k], columns[i]))
				vc->named[k] = (int)i;
		for (int d = 0; vc->estimation && d < DERIVED_COUNT; d++)
			if (!strcmp(derived_columns[d], columns[i]))
				vc->slots[i] = d;
	}
	if (vc->estimation)
		vc->derived = DERIVED_COUNT;
	return vc;
}

void value_checks_free(struct value_checks *vc)
{
	if (!vc)
		return;
	free(vc->table);
	free(vc->columns);
	free(vc->rules);
	free(vc->slots);
	free(vc);
}

size_t value_checks_derived(const struct value_checks *vc)
{
	return vc->derived;
}

int value_checks_slot(const struct value_checks *vc, size_t column)
{
	return vc->slots[column];
}

bool value_checks_slot_integer(const struct value_checks *vc, int slot)
{
	(void)vc;
	return slot == DERIVED_HIT;
}

bool value_time_ok(int64_t t, int64_t now)
{
	return t >= BUNDLE_TIME_MIN && t <= now + BUNDLE_TIME_AHEAD;
}

/* A field as a number: "" (NULL) is none. */
static bool number_of(const char *s, double *out)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return !*end && end != s;
}

static bool whole_of(const char *s, int64_t *out)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || end == s)
		return false;
	*out = v;
	return true;
}

static int fail_at(size_t *column, int at, char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail_at(size_t *column, int at, char *why, size_t whylen, const char *fmt, ...)
{
	*column = (size_t)at;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_time(const char *v, int64_t now, size_t i, size_t *column, char *why,
		      size_t whylen)
{
	int64_t t;
	if (!*v)
		return 0; /* NULL: a take not finished */
	if (!whole_of(v, &t) || !value_time_ok(t, now))
		return fail_at(column, (int)i, why, whylen,
			       "'%.40s' is not a time from 2000-01-01 to a day after this import", v);
	return 0;
}

static int check_column(const struct column_rule *r, const char *v, int64_t now, size_t i,
			size_t *column, char *why, size_t whylen)
{
	double d;
	switch (r->kind) {
	case RULE_TIME:
		return check_time(v, now, i, column, why, whylen);
	case RULE_DUE:
		return 0; /* against last_review, below */
	case RULE_POSITIVE:
		if (number_of(v, &d) && isfinite(d) && d > 0)
			return 0;
		break;
	case RULE_RANGE:
		if (!*v)
			return 0;
		if (number_of(v, &d) && isfinite(d) && d >= r->min && d <= r->max &&
		    (!r->whole || d == floor(d)))
			return 0;
		break;
	}
	return fail_at(column, (int)i, why, whylen, "'%.40s' is not %s", v, r->what);
}

/* The reference answer of an estimation question; NULL when the course has
 * no such question. */
static const struct value_reference *find_reference(const struct value_reference *refs,
						    size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(refs[mid].id, id);
		if (!c)
			return &refs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static double field_number(const struct value_checks *vc, const char *const *fields,
			   enum named k)
{
	return strtod(fields[vc->named[k]], NULL);
}

static int check_estimation(const struct value_checks *vc, const char *const *fields,
			    const struct value_reference *refs, size_t ref_count, double *derived,
			    size_t *column, char *why, size_t whylen)
{
	/* The section has them all (the table needs them; bundle.c checks). */
	for (int k = COL_POINT; k <= COL_QUESTION; k++)
		if (vc->named[k] < 0)
			return fail_at(column, 0, why, whylen, "the section lacks its column '%s'",
				       named_columns[k]);
	const char *id = fields[vc->named[COL_QUESTION]];
	const struct value_reference *ref = find_reference(refs, ref_count, id);
	if (!ref)
		return fail_at(column, vc->named[COL_QUESTION], why, whylen,
			       "'%.60s' is not an estimation question of this course, so the answer "
			       "cannot be scored here",
			       id);
	struct estimate_answer a = {field_number(vc, fields, COL_POINT),
				    field_number(vc, fields, COL_LOW),
				    field_number(vc, fields, COL_HIGH)};
	struct estimate_score s;
	const char *problem;
	if (estimate_score(&a, ref->answer, &s, &problem) != 0)
		return fail_at(column, vc->named[a.low > a.point ? COL_LOW : COL_HIGH], why, whylen,
			       "%s", problem);
	derived[DERIVED_LOG_ERROR] = s.log_error;
	derived[DERIVED_HIT] = s.hit;
	derived[DERIVED_WIDTH] = s.width;
	derived[DERIVED_INTERVAL] = s.interval_score;
	derived[DERIVED_POINTS] = s.points;
	return 0;
}

/* A count that may not be more than another column's. */
static int check_at_most(const struct value_checks *vc, const char *const *fields, enum named a,
			 enum named b, const char *what, size_t *column, char *why, size_t whylen)
{
	if (vc->named[a] < 0 || vc->named[b] < 0)
		return 0;
	double x = field_number(vc, fields, a), y = field_number(vc, fields, b);
	if (x <= y)
		return 0;
	return fail_at(column, vc->named[a], why, whylen, "%s is more than %s (%s)",
		       fields[vc->named[a]], what, fields[vc->named[b]]);
}

int value_checks_row(const struct value_checks *vc, const char *const *fields, int64_t now,
		     const struct value_reference *refs, size_t ref_count, double *derived,
		     size_t *column, char *why, size_t whylen)
{
	for (size_t i = 0; i < vc->count; i++)
		if (vc->rules[i] &&
		    check_column(vc->rules[i], fields[i], now, i, column, why, whylen) != 0)
			return -1;
	if (vc->quiz_take &&
	    (check_at_most(vc, fields, COL_CORRECT, COL_TOTAL, "the take's total", column, why,
			   whylen) != 0 ||
	     check_at_most(vc, fields, COL_ANSWERED, COL_TOTAL, "the take's total", column, why,
			   whylen) != 0))
		return -1;
	if (vc->review_card) {
		if (check_at_most(vc, fields, COL_LAPSES, COL_REPS, "the card's reviews", column, why,
				  whylen) != 0)
			return -1;
		/* Due a day to a century after the last review (FSRS). */
		int d = vc->named[COL_DUE], l = vc->named[COL_LAST_REVIEW];
		int64_t due, last;
		if (d >= 0 && l >= 0 && whole_of(fields[l], &last) &&
		    (!whole_of(fields[d], &due) || due < last ||
		     due - last > (int64_t)(SCHEDULE_MAX_INTERVAL_DAYS + 1) * (int64_t)DAY))
			return fail_at(column, d, why, whylen,
				       "'%.40s' is not a time from the last review to a century after "
				       "it",
				       fields[d]);
	}
	if (vc->estimation)
		return check_estimation(vc, fields, refs, ref_count, derived, column, why, whylen);
	return 0;
}
