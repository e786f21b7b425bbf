/* Funnel queries over the per-unit index: reach per unit for the three
 * orders, breakdowns, the A/B test, the trend, drop-off lists; and funnels
 * given as stage counts. See funnel.h for the semantics. */
#include "funnel_internal.h"

#include "pattern.h"
#include "csvio.h"
#include "sanitize.h"
#include "fileio.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void funnel_format_count(uint64_t v, char *buf, size_t size)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
	size_t o = 0;
	for (int i = 0; i < n && o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* ---- steps ------------------------------------------------------------ */

int funnel_steps_add(struct funnel_steps *steps, const char *text, char *err, size_t errlen)
{
	char *t = str_trim(xstrdup(text));
	size_t len = strlen(t);
	if (!len) {
		format_error(err, errlen, "step %zu is empty", steps->count + 1);
		free(t);
		return -1;
	}
	if (steps->count >= FUNNEL_MAX_STEPS) {
		format_error(err, errlen, "a funnel has at most %d steps", FUNNEL_MAX_STEPS);
		free(t);
		return -1;
	}
	struct funnel_step *s = &steps->step[steps->count];
	memset(s, 0, sizeof *s);
	if (len >= 3 && t[0] == '/' && t[len - 1] == '/') {
		char msg[256];
		s->name = xstrndup(t + 1, len - 2);
		s->re = pattern_compile(s->name, msg, sizeof msg);
		if (!s->re) {
			format_error(err, errlen, "step %zu, pattern %s: %s", steps->count + 1, t,
				     msg);
			free(s->name);
			s->name = NULL;
			free(t);
			return -1;
		}
	} else {
		s->name = xstrdup(t);
	}
	s->text = t;
	steps->count++;
	return 0;
}

int funnel_steps_parse(const char *spec, struct funnel_steps *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *p = spec;
	for (;;) {
		while (*p == ' ')
			p++;
		const char *end;
		if (*p == '/') {
			/* a pattern runs to the slash that ends the step */
			end = p + 1;
			for (;;) {
				const char *slash = strchr(end, '/');
				if (!slash) {
					end = p + strlen(p);
					break;
				}
				const char *q = slash + 1;
				while (*q == ' ')
					q++;
				if (*q == ',' || *q == '\0') {
					end = q;
					break;
				}
				end = slash + 1;
			}
		} else {
			end = strchr(p, ',');
			if (!end)
				end = p + strlen(p);
		}
		char *one = xstrndup(p, (size_t)(end - p));
		int rc = funnel_steps_add(out, one, err, errlen);
		free(one);
		if (rc != 0) {
			funnel_steps_free(out);
			return -1;
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	if (out->count < FUNNEL_MIN_STEPS) {
		format_error(err, errlen,
			     "a funnel needs at least %d steps, comma-separated "
			     "(store_click,install,signup)",
			     FUNNEL_MIN_STEPS);
		funnel_steps_free(out);
		return -1;
	}
	return 0;
}

int funnel_exclusion_parse(const char *spec, size_t nsteps, struct funnel_exclusion *out,
			   char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->from = 0;
	out->to = nsteps ? nsteps - 1 : 0;
	/* a trailing ":FROM-TO" names the steps; the rest is the event */
	size_t len = strlen(spec);
	const char *colon = strrchr(spec, ':');
	unsigned from, to;
	int used = 0;
	if (colon && sscanf(colon + 1, "%u-%u%n", &from, &to, &used) == 2 &&
	    (size_t)used == strlen(colon + 1)) {
		if (from < 1 || to > nsteps || from >= to)
			return format_error(err, errlen,
					    "'%s': the steps must be two of 1 to %zu, the first "
					    "before the second",
					    spec, nsteps);
		out->from = from - 1;
		out->to = to - 1;
		len = (size_t)(colon - spec);
	}
	char *event = str_trim(xstrndup(spec, len));
	int rc = *event ? funnel_steps_add(&out->event, event, err, errlen) : -1;
	if (!*event)
		format_error(err, errlen, "'%s': no event to exclude", spec);
	free(event);
	return rc;
}

void funnel_exclusion_free(struct funnel_exclusion *x)
{
	funnel_steps_free(&x->event);
}

void funnel_steps_free(struct funnel_steps *steps)
{
	for (size_t i = 0; i < steps->count; i++) {
		free(steps->step[i].text);
		free(steps->step[i].name);
		pattern_free(steps->step[i].re);
	}
	memset(steps, 0, sizeof *steps);
}

enum pattern_rc funnel_step_match(const struct funnel_step *step, const char *event)
{
	if (step->re)
		return pattern_test(step->re, event);
	return strcmp(step->name, event) == 0 ? PATTERN_MATCH : PATTERN_NO_MATCH;
}

/* ---- the log's accessors ------------------------------------------ */

const struct funnel_load_stats *funnel_log_stats(const struct funnel_log *log)
{
	return &log->stats;
}

const char *funnel_log_path(const struct funnel_log *log)
{
	return log->path;
}

const char *funnel_log_unit_col(const struct funnel_log *log)
{
	return log->columns[log->unit_col];
}

const char *funnel_log_event_col(const struct funnel_log *log)
{
	return log->columns[log->event_col];
}

const char *funnel_log_time_col(const struct funnel_log *log)
{
	return log->columns[log->time_col];
}

size_t funnel_log_columns(const struct funnel_log *log, const char *const **names)
{
	*names = (const char *const *)log->columns;
	return log->ncolumns;
}

const struct prop_column *funnel_log_prop(const struct funnel_log *log, const char *name)
{
	for (size_t i = 0; i < log->nprops; i++)
		if (!strcmp(log->props[i].name, name))
			return &log->props[i];
	for (size_t i = 0; i < log->nprops; i++)
		if (!strcasecmp(log->props[i].name, name))
			return &log->props[i];
	return NULL;
}

bool funnel_log_has_prop(const struct funnel_log *log, const char *column)
{
	const struct prop_column *p = funnel_log_prop(log, column);
	return p && !p->dropped;
}

size_t funnel_log_prop_value_count(const struct funnel_log *log, const char *column)
{
	const struct prop_column *p = funnel_log_prop(log, column);
	return p && !p->dropped ? p->values.count : 0;
}

const char *funnel_log_prop_value(const struct funnel_log *log, const char *column, size_t i)
{
	const struct prop_column *p = funnel_log_prop(log, column);
	return p && !p->dropped && i < p->values.count ? intern_str(&p->values, (uint32_t)i) : "";
}

/* Lower is more useful: 0 for two to a few hundred values, 1 for a
 * single value, 2 for id-like columns; then fewer values first. */
static const struct funnel_log *usefulness_log;

static int usefulness_rank(const struct prop_column *p)
{
	size_t n = p->values.count;
	if (p->dropped || (usefulness_log->nunits >= 20 && n * 2 > usefulness_log->nunits))
		return 2;
	return n < 2 ? 1 : 0;
}

static int cmp_usefulness(const void *a, const void *b)
{
	const struct prop_column *x = funnel_log_prop(usefulness_log, *(const char *const *)a);
	const struct prop_column *y = funnel_log_prop(usefulness_log, *(const char *const *)b);
	int rx = usefulness_rank(x), ry = usefulness_rank(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->values.count != y->values.count)
		return x->values.count < y->values.count ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

size_t funnel_log_breakdown_columns(const struct funnel_log *log, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < log->nprops && n < max; i++)
		if (!log->props[i].dropped)
			out[n++] = log->props[i].name;
	usefulness_log = log;
	qsort(out, n, sizeof *out, cmp_usefulness);
	usefulness_log = NULL;
	return n;
}

static int cmp_event_count(const void *a, const void *b)
{
	const struct funnel_event_count *x = a, *y = b;
	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t funnel_log_events(const struct funnel_log *log, struct funnel_event_count **out)
{
	size_t n = log->events.count;
	struct funnel_event_count *ev = xcalloc(n ? n : 1, sizeof *ev);
	for (size_t i = 0; i < n; i++) {
		ev[i].name = intern_str(&log->events, (uint32_t)i);
		ev[i].rows = log->event_rows[i];
	}
	qsort(ev, n, sizeof *ev, cmp_event_count);
	*out = ev;
	return n;
}

size_t funnel_log_unit_count(const struct funnel_log *log)
{
	return log->nunits;
}

const char *funnel_log_unit_id(const struct funnel_log *log, size_t unit)
{
	return intern_str(&log->units, (uint32_t)unit);
}

size_t funnel_log_find_unit(const struct funnel_log *log, const char *id)
{
	uint32_t u = intern_find(&log->units, id, strlen(id));
	return u == UINT32_MAX ? SIZE_MAX : u;
}

const char *funnel_skip_reason_name(enum funnel_skip_reason r)
{
	static const char *const names[] = {
	    [FUNNEL_SKIP_RAGGED] = "ragged",
	    [FUNNEL_SKIP_EMPTY_UNIT] = "empty unit",
	    [FUNNEL_SKIP_EMPTY_EVENT] = "empty event",
	    [FUNNEL_SKIP_EMPTY_TIME] = "empty time",
	    [FUNNEL_SKIP_BAD_TIME] = "bad time",
	};
	return r < FUNNEL_SKIP_REASONS ? names[r] : "?";
}

const char *funnel_unit_noun(const struct funnel_log *log)
{
	const char *c = funnel_log_unit_col(log);
	if (strcasestr(c, "session"))
		return "sessions";
	if (strcasestr(c, "user") || strcasestr(c, "person") || strcasestr(c, "distinct") ||
	    strcasestr(c, "visitor") || strcasestr(c, "customer") || strcasestr(c, "member"))
		return "users";
	if (strcasestr(c, "account"))
		return "accounts";
	if (strcasestr(c, "device"))
		return "devices";
	return "units";
}

/* ---- queries ------------------------------------------------------------ */

const char *funnel_order_name(enum funnel_order o)
{
	return o == FUNNEL_STRICT ? "strict" : o == FUNNEL_ANY ? "any" : "ordered";
}

int funnel_order_parse(const char *s, enum funnel_order *o)
{
	if (!strcmp(s, "ordered"))
		*o = FUNNEL_ORDERED;
	else if (!strcmp(s, "strict"))
		*o = FUNNEL_STRICT;
	else if (!strcmp(s, "any"))
		*o = FUNNEL_ANY;
	else
		return -1;
	return 0;
}

void funnel_query_init(struct funnel_query *q, const struct funnel_steps *steps)
{
	memset(q, 0, sizeof *q);
	q->steps = steps;
	q->order = FUNNEL_ORDERED;
	q->window_ms = 14LL * 86400 * 1000;
	q->from_ms = INT64_MIN;
	q->to_ms = INT64_MAX;
	q->trend = FUNNEL_NO_TREND;
}

bool funnel_log_step_has_events(const struct funnel_log *log, const struct funnel_step *step)
{
	/* a pattern too complex for some event is for funnel_compute to
	 * report, not taken for a step without events */
	for (uint32_t c = 0; c < log->events.count; c++)
		if (funnel_step_match(step, intern_str(&log->events, c)) != PATTERN_NO_MATCH)
			return true;
	return false;
}

bool funnel_log_covers(const struct funnel_log *log, const struct funnel_query *q)
{
	if (!log->all_events) {
		for (uint32_t c = 0; c < log->events.count; c++) {
			if (log->event_kept[c])
				continue;
			if (q->order == FUNNEL_STRICT)
				return false;
			for (size_t s = 0; s < q->steps->count; s++)
				if (funnel_step_match(&q->steps->step[s], intern_str(&log->events, c)) ==
				    PATTERN_MATCH)
					return false;
			for (size_t x = 0; x < q->nexclude; x++)
				if (funnel_step_match(&q->exclude[x].event.step[0],
						      intern_str(&log->events, c)) == PATTERN_MATCH)
					return false;
		}
	}
	/* a column that was kept but dropped for its many values cannot be
	 * helped by reading again: compute reports it */
	for (size_t i = 0; i < q->nfilters; i++)
		if (!funnel_log_prop(log, q->filters[i].column))
			return false;
	if (q->by && !funnel_log_prop(log, q->by))
		return false;
	return true;
}

double funnel_pct_first(const struct funnel_bars *b, size_t k)
{
	return b->count[0] ? 100.0 * (double)b->count[k] / (double)b->count[0] : NAN;
}

double funnel_pct_prev(const struct funnel_bars *b, size_t k)
{
	if (k == 0)
		return b->count[0] ? 100.0 : NAN;
	return b->count[k - 1] ? 100.0 * (double)b->count[k] / (double)b->count[k - 1] : NAN;
}

/* ---- reach of one unit -------------------------------------------- */

/* A unit's events that matter to the query, in (time, row) order. */
struct unit_events {
	int64_t *t;
	uint16_t *mask;  /* steps the event matches (bit k: step k+1) */
	uint32_t *index; /* position in the log, for property values */
	size_t n, cap;
};

struct chain {
	int reach;
	int64_t t[FUNNEL_MAX_STEPS]; /* times of the events that made it */
	bool timed;                  /* t holds a chain (not in "any" order) */
};

static bool in_range(int64_t t, int64_t lo, int64_t hi)
{
	return t >= lo && t < hi;
}

/* ClickHouse's windowFunnel pass: level k keeps the chain of k+1 steps
 * with the latest start seen so far, which is the one most able to grow
 * within the window. Going down the levels for each event keeps one
 * event from playing two steps of one chain. */
static void reach_ordered(const struct unit_events *e, size_t from, size_t to, int K, int64_t W,
			  int64_t lo, int64_t hi, struct chain *best)
{
	bool has[FUNNEL_MAX_STEPS] = {false};
	int64_t times[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];
	best->reach = 0;
	best->timed = true;
	for (size_t i = from; i < to; i++) {
		unsigned m = e->mask[i];
		int64_t t = e->t[i];
		for (int k = K - 1; k >= 1; k--) {
			if (!(m >> k & 1) || !has[k - 1] || t - times[k - 1][0] > W)
				continue;
			has[k] = true;
			memcpy(times[k], times[k - 1], (size_t)k * sizeof times[k][0]);
			times[k][k] = t;
			if (k + 1 > best->reach) {
				best->reach = k + 1;
				memcpy(best->t, times[k], (size_t)(k + 1) * sizeof times[k][0]);
				if (best->reach == K)
					return;
			}
		}
		if ((m & 1) && in_range(t, lo, hi)) {
			has[0] = true;
			times[0][0] = t;
			if (best->reach < 1) {
				best->reach = 1;
				best->t[0] = t;
			}
		}
	}
}

/* Strict: the steps are consecutive events of the unit. */
static void reach_strict(const struct unit_events *e, size_t from, size_t to, int K, int64_t W,
			 int64_t lo, int64_t hi, struct chain *best)
{
	best->reach = 0;
	best->timed = true;
	for (size_t i = from; i < to; i++) {
		if (!(e->mask[i] & 1) || !in_range(e->t[i], lo, hi))
			continue;
		int L = 1;
		while (L < K && i + (size_t)L < e->n && (e->mask[i + (size_t)L] >> L & 1) &&
		       e->t[i + (size_t)L] - e->t[i] <= W)
			L++;
		if (L > best->reach) {
			best->reach = L;
			for (int k = 0; k < L; k++)
				best->t[k] = e->t[i + (size_t)k];
			if (L == K)
				return;
		}
	}
}

/* Hall's condition: steps 0..R-1 can each take a different event from
 * the window, whose events come as (mask, count) pairs. */
static bool steps_matchable(int R, const unsigned *masks, const uint32_t *counts, size_t nm)
{
	unsigned all = (1u << R) - 1;
	for (unsigned T = 1; T <= all; T++) {
		uint64_t have = 0;
		for (size_t i = 0; i < nm; i++)
			if (masks[i] & T)
				have += counts[i];
		if (have < (uint64_t)__builtin_popcount(T))
			return false;
	}
	return true;
}

static unsigned effective_mask(const struct unit_events *e, size_t i, int64_t lo, int64_t hi)
{
	unsigned m = e->mask[i];
	if ((m & 1) && !in_range(e->t[i], lo, hi))
		m &= ~1u;
	return m;
}

/* Any order: every window [t, t + W] that starts at an event; the steps
 * 1..k it covers, each by a different event. */
static void reach_any(const struct unit_events *e, size_t from, size_t to, int K, int64_t W,
		      int64_t lo, int64_t hi, struct chain *best)
{
	best->reach = 0;
	best->timed = false;
	bool simple = true;
	for (size_t i = from; i < to && simple; i++)
		simple = __builtin_popcount(effective_mask(e, i, lo, hi)) <= 1;
	uint32_t cnt[FUNNEL_MAX_STEPS] = {0};
	/* general case: the distinct masks met in the window, their counts,
	 * and where each mask sits in that list */
	static _Thread_local unsigned masks[1 << FUNNEL_MAX_STEPS];
	static _Thread_local uint32_t mcount[1 << FUNNEL_MAX_STEPS];
	static _Thread_local int16_t slot_of[1 << FUNNEL_MAX_STEPS];
	size_t nm = 0;
	if (!simple)
		memset(slot_of, -1, sizeof slot_of);
	size_t right = from;
	for (size_t left = from; left < to; left++) {
		if (left > from) {
			/* the event leaving the window */
			unsigned m = effective_mask(e, left - 1, lo, hi);
			if (simple) {
				if (m)
					cnt[__builtin_ctz(m)]--;
			} else if (m) {
				mcount[slot_of[m]]--;
			}
			if (e->t[left] == e->t[left - 1])
				continue; /* same window start */
		}
		for (; right < to && e->t[right] - e->t[left] <= W; right++) {
			unsigned m = effective_mask(e, right, lo, hi);
			if (!m)
				continue;
			if (simple) {
				cnt[__builtin_ctz(m)]++;
				continue;
			}
			if (slot_of[m] < 0) {
				slot_of[m] = (int16_t)nm;
				masks[nm] = m;
				mcount[nm++] = 0;
			}
			mcount[slot_of[m]]++;
		}
		/* the prefix this window covers; Hall's check for R + 1 steps
		 * covers every step below, so it may start from the best */
		int R = 0;
		if (simple) {
			while (R < K && cnt[R] > 0)
				R++;
		} else {
			R = best->reach;
			while (R < K && steps_matchable(R + 1, masks, mcount, nm))
				R++;
		}
		if (R > best->reach) {
			best->reach = R;
			best->t[0] = e->t[left];
			if (R == K)
				return;
		}
	}
}

static void unit_reach(enum funnel_order order, const struct unit_events *e, size_t from,
		       size_t to, int K, int64_t W, int64_t lo, int64_t hi, struct chain *best)
{
	if (order == FUNNEL_STRICT)
		reach_strict(e, from, to, K, W, lo, hi, best);
	else if (order == FUNNEL_ANY)
		reach_any(e, from, to, K, W, lo, hi, best);
	else
		reach_ordered(e, from, to, K, W, lo, hi, best);
}

/* First event at or after time t. */
static size_t lower_bound(const struct unit_events *e, int64_t t)
{
	size_t lo = 0, hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->t[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- the trend ------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t period_start(enum funnel_period p, int64_t ms)
{
	int64_t day = floor_div(ms, 86400000);
	if (p == FUNNEL_WEEK)
		day -= (day + 3) % 7 < 0 ? (day + 3) % 7 + 7 : (day + 3) % 7; /* to Monday */
	return day * 86400000;
}

static int64_t period_length(enum funnel_period p)
{
	return p == FUNNEL_WEEK ? 7 * 86400000LL : 86400000LL;
}

/* Periods by start time, in an open-addressing table. */
struct trend_table {
	struct funnel_trend_point *slot;
	bool *used;
	size_t n, cap;
};

static struct funnel_trend_point *trend_slot(struct trend_table *tt, int64_t start)
{
	if ((tt->n + 1) * 2 > tt->cap) {
		struct trend_table bigger = {.cap = tt->cap ? tt->cap * 2 : 256};
		bigger.slot = xcalloc(bigger.cap, sizeof *bigger.slot);
		bigger.used = xcalloc(bigger.cap, sizeof *bigger.used);
		for (size_t i = 0; i < tt->cap; i++)
			if (tt->used[i])
				*trend_slot(&bigger, tt->slot[i].start_ms) = tt->slot[i];
		free(tt->slot);
		free(tt->used);
		*tt = bigger;
	}
	size_t mask = tt->cap - 1;
	size_t i = (size_t)((uint64_t)(start / 3600000) * 0x9E3779B97F4A7C15ULL >> 20) & mask;
	while (tt->used[i] && tt->slot[i].start_ms != start)
		i = (i + 1) & mask;
	if (!tt->used[i]) {
		tt->used[i] = true;
		tt->slot[i] = (struct funnel_trend_point){.start_ms = start};
		tt->n++;
	}
	return &tt->slot[i];
}

static int cmp_trend(const void *a, const void *b)
{
	const struct funnel_trend_point *x = a, *y = b;
	return x->start_ms < y->start_ms ? -1 : x->start_ms > y->start_ms;
}

/* The table's periods in time order, each with its completeness, rate and
 * interval; frees the table. */
static struct funnel_trend_point *trend_points(struct trend_table *tt, const struct funnel_query *q,
					       int64_t last_ms, size_t *n)
{
	struct funnel_trend_point *points = xcalloc(tt->n ? tt->n : 1, sizeof *points);
	*n = 0;
	for (size_t i = 0; i < tt->cap; i++)
		if (tt->used[i])
			points[(*n)++] = tt->slot[i];
	qsort(points, *n, sizeof *points, cmp_trend);
	int64_t len = period_length(q->trend);
	for (size_t i = 0; i < *n; i++) {
		struct funnel_trend_point *p = &points[i];
		p->complete = p->start_ms + len + q->window_ms <= last_ms + 1;
		p->rate = p->entered ? (double)p->converted / (double)p->entered : NAN;
		funnel_wilson(p->converted, p->entered, &p->low, &p->high);
	}
	free(tt->slot);
	free(tt->used);
	memset(tt, 0, sizeof *tt);
	return points;
}

void funnel_wilson(uint64_t x, uint64_t n, double *low, double *high)
{
	if (!n) {
		*low = *high = NAN;
		return;
	}
	const double z = 1.959963984540054;
	double p = (double)x / (double)n, nn = (double)n;
	double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
	double half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
	*low = centre - half < 0 ? 0 : centre - half;
	*high = centre + half > 1 ? 1 : centre + half;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

bool funnel_trend_lowest(const struct funnel_trend_point *points, size_t n_points, size_t *lowest,
			 double *median)
{
	double *rates = xcalloc(n_points ? n_points : 1, sizeof *rates);
	size_t n = 0;
	for (size_t i = 0; i < n_points; i++)
		if (points[i].complete && points[i].entered)
			rates[n++] = points[i].rate;
	qsort(rates, n, sizeof *rates, cmp_double);
	*median = n ? (n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2) : NAN;
	free(rates);
	bool found = false;
	for (size_t i = 0; i < n_points && n; i++) {
		const struct funnel_trend_point *p = &points[i];
		if (!p->complete || !p->entered || !(p->high < *median))
			continue;
		if (!found || p->rate < points[*lowest].rate) {
			*lowest = i;
			found = true;
		}
	}
	return found;
}

/* Each period in which the unit entered: its reach from the entries of
 * that period alone, so that a period's point equals the funnel run with
 * that period as the date range. */
/* A unit's entry in a period, kept for the breakdown's trends. */
struct trend_entry {
	int64_t start;
	uint32_t value; /* the unit's first-touch value */
	bool converted;
};

struct trend_entries {
	struct trend_entry *v;
	size_t n, cap;
};

static void unit_trend(const struct funnel_query *q, const struct unit_events *e, int K,
		       struct trend_table *tt, struct trend_entries *out, uint32_t value)
{
	int64_t len = period_length(q->trend);
	int64_t done_until = INT64_MIN;
	for (size_t i = 0; i < e->n; i++) {
		if (!(e->mask[i] & 1) || !in_range(e->t[i], q->from_ms, q->to_ms) ||
		    e->t[i] < done_until)
			continue;
		int64_t p = period_start(q->trend, e->t[i]);
		int64_t lo = p > q->from_ms ? p : q->from_ms;
		int64_t hi = p + len < q->to_ms ? p + len : q->to_ms;
		done_until = p + len;
		/* the events a chain starting in the period can use */
		int64_t W = q->window_ms;
		size_t from = q->order == FUNNEL_ANY ? lower_bound(e, lo - W) : lower_bound(e, lo);
		size_t to = hi > INT64_MAX - W ? e->n : lower_bound(e, hi + W + 1);
		if (q->order == FUNNEL_STRICT)
			to = e->n; /* a run may continue past the window's end only to fail */
		struct chain c;
		unit_reach(q->order, e, from, to, K, W, lo, hi, &c);
		struct funnel_trend_point *pt = trend_slot(tt, p);
		pt->entered++;
		if (c.reach == K)
			pt->converted++;
		if (out) {
			struct trend_entry te = {p, value, c.reach == K};
			ARRAY_PUSH(out->v, out->n, out->cap, te);
		}
	}
}

/* ---- the summary in words ------------------------------------------------ */

void funnel_describe(const struct funnel_bars *b, size_t nsteps, const char *const *names,
		     const char *noun, char *buf, size_t size, size_t *biggest_drop,
		     size_t *weakest_step)
{
	*biggest_drop = *weakest_step = 0;
	char n0[32], n1[32], nl[32];
	char *first = sanitize_dup(names[0], SANITIZE_LINE);
	if (b->count[0] == 0) {
		snprintf(buf, size, "No %s reached the first step (%s).", noun, first);
		free(first);
		return;
	}
	for (size_t k = 1; k < nsteps; k++) {
		if (b->count[k] <= b->count[k - 1])
			continue;
		char *from = sanitize_dup(names[k - 1], SANITIZE_LINE);
		char *to = sanitize_dup(names[k], SANITIZE_LINE);
		funnel_format_count(b->count[k - 1], n0, sizeof n0);
		funnel_format_count(b->count[k], n1, sizeof n1);
		snprintf(buf, size,
			 "More %s reach %s (%s) than %s before it (%s): a funnel's counts can only "
			 "fall from step to step, so these numbers need checking.",
			 noun, to, n1, from, n0);
		free(from);
		free(to);
		free(first);
		return;
	}
	uint64_t worst_loss = 0;
	double worst_rate = 101;
	for (size_t k = 1; k < nsteps; k++) {
		uint64_t prev = b->count[k - 1], cur = b->count[k];
		uint64_t loss = prev > cur ? prev - cur : 0;
		if (loss > worst_loss) {
			worst_loss = loss;
			*biggest_drop = k;
		}
		double rate = funnel_pct_prev(b, k);
		if (rate == rate && rate < worst_rate) {
			worst_rate = rate;
			*weakest_step = k;
		}
	}
	char *last = sanitize_dup(names[nsteps - 1], SANITIZE_LINE);
	funnel_format_count(b->count[0], n0, sizeof n0);
	if (!worst_loss) {
		snprintf(buf, size, "No %s are lost between steps: all %s who reach %s get to %s.", noun,
			 n0, first, last);
		free(first);
		free(last);
		return;
	}
	size_t k = *biggest_drop;
	char *from = sanitize_dup(names[k - 1], SANITIZE_LINE);
	char *to = sanitize_dup(names[k], SANITIZE_LINE);
	funnel_format_count(worst_loss, n1, sizeof n1);
	funnel_format_count(b->count[k - 1], nl, sizeof nl);
	int used = snprintf(buf, size,
			    "The biggest drop is from %s to %s: %s of %s %s (%.1f%%) go no further. "
			    "Overall %.1f%% of those who reach %s get to %s.",
			    from, to, n1, nl, noun, 100.0 * (double)worst_loss / (double)b->count[k - 1],
			    funnel_pct_first(b, nsteps - 1), first, last);
	free(from);
	free(to);
	if (*weakest_step != k && used > 0 && (size_t)used < size) {
		size_t w = *weakest_step;
		char *wf = sanitize_dup(names[w - 1], SANITIZE_LINE);
		char *wt = sanitize_dup(names[w], SANITIZE_LINE);
		snprintf(buf + used, size - (size_t)used,
			 " The weakest step by rate is %s to %s: %.1f%% go on.", wf, wt, worst_rate);
		free(wf);
		free(wt);
	}
	free(first);
	free(last);
}

/* ---- the computation ------------------------------------------------ */

/* Puts the k-th smallest of d[0..n) at d[k], smaller ones before it and
 * larger ones after (Hoare's selection): a median needs no full sort. */
static void select_nth(int64_t *d, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		/* the median of three as the pivot: sorted input stays linear */
		size_t mid = lo + (hi - lo) / 2;
		int64_t a = d[lo], b = d[mid], c = d[hi];
		int64_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = lo, j = hi;
		while (i <= j) {
			while (d[i] < pivot)
				i++;
			while (d[j] > pivot)
				j--;
			if (i <= j) {
				int64_t x = d[i];
				d[i] = d[j];
				d[j] = x;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		/* now d[lo..j] <= pivot <= d[i..hi], and anything between equals it */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* Median and mean of step-to-step durations (ms in, seconds out); d is
 * reordered. */
static void duration_stats(int64_t *d, size_t n, double *median, double *mean)
{
	if (!n) {
		*median = *mean = NAN;
		return;
	}
	/* summed exactly, whatever the order */
	__int128 sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += d[i];
	*mean = (double)sum / (double)n / 1000.0;
	size_t k = n / 2;
	select_nth(d, n, k);
	double upper = (double)d[k];
	if (n % 2) {
		*median = upper / 1000.0;
		return;
	}
	int64_t lower = d[0];
	for (size_t i = 1; i < k; i++)
		if (d[i] > lower)
			lower = d[i];
	*median = ((double)lower + upper) / 2 / 1000.0;
}

struct i64_vec {
	int64_t *v;
	size_t n, cap;
};

/* Bucket edges in seconds: 1-2-5 and the units people think in. */
static const double ttc_edges[FUNNEL_TTC_EDGES] = {
    0, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 172800,
    604800, 1209600, 2592000, INFINITY,
};

static void edge_label(double s, char *buf, size_t size)
{
	static const struct {
		double secs;
		const char *unit;
	} units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (s >= units[i].secs && fmod(s, units[i].secs) == 0) {
			snprintf(buf, size, "%.0f%s", s / units[i].secs, units[i].unit);
			return;
		}
	snprintf(buf, size, "%.0fs", s);
}

void funnel_ttc_label(const struct funnel_ttc *t, size_t i, char *buf, size_t size)
{
	char lo[16], hi[16];
	edge_label(t->low_s[i], lo, sizeof lo);
	edge_label(t->high_s[i], hi, sizeof hi);
	if (t->low_s[i] == 0)
		snprintf(buf, size, "<%s", hi);
	else if (isinf(t->high_s[i]))
		snprintf(buf, size, "%s+", lo);
	else
		snprintf(buf, size, "%s-%s", lo, hi);
}

/* d (ms) is reordered. */
static void ttc_fill(struct funnel_ttc *t, int64_t *d, size_t n)
{
	t->n = n;
	t->nbuckets = 0;
	t->median_s = t->p90_s = NAN;
	if (!n)
		return;
	uint64_t count[FUNNEL_TTC_EDGES - 1] = {0};
	for (size_t i = 0; i < n; i++) {
		double s = (double)d[i] / 1000.0;
		size_t b = 0;
		while (b + 2 < FUNNEL_TTC_EDGES && s >= ttc_edges[b + 1])
			b++;
		count[b]++;
	}
	size_t first = 0, last = FUNNEL_TTC_EDGES - 2;
	while (!count[first])
		first++;
	while (!count[last])
		last--;
	for (size_t b = first; b <= last; b++) {
		t->low_s[t->nbuckets] = ttc_edges[b];
		t->high_s[t->nbuckets] = ttc_edges[b + 1];
		t->count[t->nbuckets++] = count[b];
	}
	double mean;
	size_t k90 = (size_t)ceil(0.9 * (double)n) - 1;
	select_nth(d, n, k90);
	t->p90_s = (double)d[k90] / 1000.0;
	duration_stats(d, n, &t->median_s, &mean);
}

static void vec_push(struct i64_vec *v, int64_t x)
{
	ARRAY_PUSH(v->v, v->n, v->cap, x);
}

/* Per breakdown value, while scanning units. */
struct value_tally {
	uint64_t count[FUNNEL_MAX_STEPS];
};

struct value_rank {
	uint32_t value;
	uint64_t entered;
	const char *text;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct value_rank *x = a, *y = b;
	if (x->entered != y->entered)
		return x->entered > y->entered ? -1 : 1;
	return strcmp(x->text, y->text);
}

static int check_column(const struct funnel_log *log, const char *name, const char *what,
			const struct prop_column **out, char *err, size_t errlen)
{
	const struct prop_column *p = funnel_log_prop(log, name);
	if (p && p->dropped)
		return format_error(err, errlen,
				    "column '%s' has more than %d distinct values: not usable %s",
				    name, FUNNEL_MAX_PROP_VALUES, what);
	if (p) {
		*out = p;
		return 0;
	}
	for (size_t i = 0; i < log->ncolumns; i++) {
		if (strcasecmp(log->columns[i], name))
			continue;
		if ((int)i == log->unit_col || (int)i == log->event_col || (int)i == log->time_col)
			format_error(err, errlen, "'%s' is the %s column, not usable %s", name,
				     (int)i == log->unit_col	? "unit"
				     : (int)i == log->event_col ? "event"
								: "time",
				     what);
		else
			format_error(err, errlen,
				     "column '%s' was not loaded (load the log again with it)",
				     name);
		return -1;
	}
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < log->ncolumns; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", log->columns[i]);
	char *cols = sanitize_dup(sb.data ? sb.data : "", SANITIZE_LINE);
	format_error(err, errlen, "no column '%s' in %s (columns: %s)", name, log->path, cols);
	free(cols);
	sb_free(&sb);
	return -1;
}

/* Filters match values exactly; a value that is only there in another
 * case (Android for android) is named, since zero units would say
 * nothing about why. */
static void hint_other_case(const struct prop_column *p, const char *column, const char *value,
			    char *buf, size_t size)
{
	for (uint32_t i = 0; i < p->values.count; i++) {
		const char *have = intern_str(&p->values, i);
		if (strcasecmp(have, value))
			continue;
		char *c = sanitize_dup(column, SANITIZE_LINE);
		char *v = sanitize_dup(value, SANITIZE_LINE);
		char *h = sanitize_dup(have, SANITIZE_LINE);
		snprintf(buf, size, "no row has %s=%s (values match exactly); did you mean %s=%s?", c,
			 v, c, h);
		free(c);
		free(v);
		free(h);
		return;
	}
}

/* Whether an exclusion event falls in its span of the unit's chain: after
 * the chain's step `from`, before its step `to` or, when the chain stops
 * short of it, before the window's end. */
static bool excluded_by(const struct funnel_query *q, const struct chain *c, int64_t W,
			const int64_t *t, const uint8_t *m, size_t n)
{
	for (size_t x = 0; x < q->nexclude; x++) {
		const struct funnel_exclusion *ex = &q->exclude[x];
		if (!c->timed || c->reach <= (int)ex->from)
			continue;
		int64_t lo = c->t[ex->from];
		int64_t hi = c->reach > (int)ex->to ? c->t[ex->to] : c->t[0] + W + 1;
		for (size_t i = 0; i < n; i++)
			if ((m[i] >> x & 1) && t[i] > lo && t[i] < hi)
				return true;
	}
	return false;
}

/* The query's own limits and the columns it names, before any work. */
static int query_check(const struct funnel_log *log, const struct funnel_query *q,
		       const struct prop_column **by, char *err, size_t errlen)
{
	const struct funnel_steps *steps = q->steps;
	if (!steps || steps->count < FUNNEL_MIN_STEPS || steps->count > FUNNEL_MAX_STEPS)
		return format_error(err, errlen, "a funnel needs %d to %d steps", FUNNEL_MIN_STEPS,
				    FUNNEL_MAX_STEPS);
	if (q->window_ms <= 0)
		return format_error(err, errlen, "the conversion window must be positive");
	if (q->ttc_to >= steps->count || (q->ttc_to && q->ttc_from >= q->ttc_to))
		return format_error(err, errlen,
				    "time to convert: the steps must be two of 1 to %zu, the first "
				    "before the second",
				    steps->count);
	if (q->nexclude > FUNNEL_MAX_EXCLUSIONS)
		return format_error(err, errlen, "at most %d exclusion steps",
				    FUNNEL_MAX_EXCLUSIONS);
	for (size_t x = 0; x < q->nexclude; x++) {
		if (q->order == FUNNEL_ANY)
			return format_error(err, errlen,
					    "exclusion steps need an order: between which steps "
					    "is undefined in any order");
		if (q->exclude[x].event.count != 1 || q->exclude[x].from >= q->exclude[x].to ||
		    q->exclude[x].to >= steps->count) {
			return format_error(err, errlen,
					    "exclusion %zu: its steps must be two of 1 to %zu, the "
					    "first before the second",
					    x + 1, steps->count);
		}
	}
	if (!funnel_log_covers(log, q)) {
		/* the caller should have loaded more; say what is missing */
		for (size_t i = 0; i < q->nfilters; i++) {
			const struct prop_column *p;
			if (check_column(log, q->filters[i].column, "as a filter", &p, err, errlen))
				return -1;
		}
		const struct prop_column *p;
		if (q->by && check_column(log, q->by, "for a breakdown", &p, err, errlen))
			return -1;
		return format_error(err, errlen,
				    "the log was loaded without the events this funnel needs");
	}
	*by = NULL;
	if (q->by && check_column(log, q->by, "for a breakdown", by, err, errlen))
		return -1;
	return 0;
}

/* One funnel_compute at work: what each event code and filter value means
 * to the query, and what the scan of the units gathers for the breakdown,
 * the durations and the trends. compute_free frees it all. */
struct compute {
	const struct funnel_log *log;
	const struct funnel_query *q;
	const struct prop_column *by; /* the breakdown column, or NULL */
	int K;                        /* steps */
	int64_t W;                    /* the window */
	uint16_t *code_mask;          /* per event code, the steps it matches */
	uint8_t *exclude_mask;        /* per event code, the exclusions it matches */
	size_t nf;                    /* filtered columns */
	const struct prop_column **fcol;
	uint8_t **allowed;         /* per filtered column, per value: kept */
	uint32_t nvalues;          /* of the breakdown column */
	struct value_tally *tally; /* per breakdown value; [nvalues] without one */
	struct i64_vec deltas;     /* per unit in order: reach-1 durations */
	struct trend_table tt;
	struct trend_entries group_entries;
	uint32_t *group_of; /* per breakdown value, its group or UINT32_MAX */
};

static void compute_free(struct compute *c)
{
	free(c->code_mask);
	free(c->exclude_mask);
	for (size_t j = 0; j < c->nf; j++)
		free(c->allowed[j]);
	free(c->allowed);
	free(c->fcol);
	free(c->tally);
	free(c->deltas.v);
	free(c->tt.slot);
	free(c->tt.used);
	free(c->group_entries.v);
	free(c->group_of);
}

static int match_event_codes(struct compute *c, char *err, size_t errlen)
{
	const struct funnel_log *log = c->log;
	const struct funnel_query *q = c->q;
	const struct funnel_steps *steps = q->steps;
	/* steps per event code */
	c->code_mask = xcalloc(log->events.count ? log->events.count : 1, sizeof *c->code_mask);
	for (uint32_t e = 0; e < log->events.count; e++)
		for (int k = 0; k < c->K; k++) {
			const char *event = intern_str(&log->events, e);
			enum pattern_rc m = funnel_step_match(&steps->step[k], event);
			if (m == PATTERN_TOO_COMPLEX) {
				char *clean = sanitize_dup(event, SANITIZE_LINE);
				format_error(err, errlen, "%s:%ld: step %d, pattern %s: %s (on the event '%.60s')",
					 log->path, log->event_line[e], k + 1, steps->step[k].text,
					 pattern_rc_text(m), clean);
				free(clean);
				return -1;
			}
			if (m == PATTERN_MATCH)
				c->code_mask[e] |= (uint16_t)(1u << k);
		}
	/* exclusions per event code */
	c->exclude_mask = xcalloc(log->events.count ? log->events.count : 1, 1);
	for (uint32_t e = 0; e < log->events.count; e++)
		for (size_t x = 0; x < q->nexclude; x++)
			if (funnel_step_match(&q->exclude[x].event.step[0], intern_str(&log->events, e)) ==
			    PATTERN_MATCH)
				c->exclude_mask[e] |= (uint8_t)(1u << x);
	return 0;
}

/* filters: per column, the allowed values */
static int filter_values(struct compute *c, struct funnel_result *r, char *err, size_t errlen)
{
	const struct funnel_query *q = c->q;
	c->fcol = xcalloc(q->nfilters + 1, sizeof *c->fcol);
	c->allowed = xcalloc(q->nfilters + 1, sizeof *c->allowed);
	for (size_t i = 0; i < q->nfilters; i++) {
		const struct prop_column *p;
		if (check_column(c->log, q->filters[i].column, "as a filter", &p, err, errlen))
			return -1;
		size_t j;
		for (j = 0; j < c->nf && c->fcol[j] != p; j++)
			;
		if (j == c->nf) {
			c->fcol[c->nf] = p;
			c->allowed[c->nf++] = xcalloc(p->values.count ? p->values.count : 1, 1);
		}
		const char *v = q->filters[i].value;
		uint32_t id = intern_find(&p->values, v, strlen(v));
		if (id != UINT32_MAX)
			c->allowed[j][id] = 1;
		else if (!r->filter_hint[0])
			hint_other_case(p, q->filters[i].column, v, r->filter_hint,
					sizeof r->filter_hint);
	}
	return 0;
}

/* Each unit's chain through the steps: its reach, entry and times, the
 * tallies per breakdown value, the durations, the time to convert and the
 * trend. The loop that funnel_compute spends its time in. */
static void scan_units(struct compute *c, struct funnel_result *r)
{
	const struct funnel_log *log = c->log;
	const struct funnel_query *q = c->q;
	const struct prop_column *by = c->by;
	const int K = c->K;
	const int64_t W = c->W;
	const uint16_t *code_mask = c->code_mask;
	const uint8_t *exclude_mask = c->exclude_mask;
	const size_t nf = c->nf;
	const struct prop_column *const *fcol = c->fcol;
	uint8_t *const *allowed = c->allowed;
	const uint32_t nvalues = c->nvalues;
	struct value_tally *tally = c->tally;
	struct unit_events e = {0};
	size_t ttc_to = q->ttc_to ? q->ttc_to : (size_t)K - 1, ttc_from = q->ttc_from;
	struct i64_vec ttc = {0};  /* from step ttc_from to ttc_to, per unit */
	struct i64_vec ex_t = {0}; /* the unit's exclusion events: times ... */
	uint8_t *ex_m = NULL;      /* ... and which exclusions they are */
	size_t ex_cap = 0;

	for (uint32_t u = 0; u < log->nunits; u++) {
		uint32_t a = log->unit_start[u], b = log->unit_start[u + 1];
		e.n = 0;
		ex_t.n = 0;
		if (e.cap < b - a) {
			e.cap = b - a;
			e.t = xrealloc(e.t, e.cap * sizeof *e.t);
			e.mask = xrealloc(e.mask, e.cap * sizeof *e.mask);
			e.index = xrealloc(e.index, e.cap * sizeof *e.index);
		}
		size_t first_entry = SIZE_MAX;
		for (uint32_t i = a; i < b; i++) {
			bool keep = true;
			for (size_t f = 0; f < nf && keep; f++)
				keep = allowed[f][fcol[f]->value[i]];
			if (!keep)
				continue;
			if (exclude_mask[log->code[i]]) {
				if (ex_t.n == ex_cap) {
					ex_cap = ex_cap ? ex_cap * 2 : 16;
					ex_m = xrealloc(ex_m, ex_cap);
				}
				ex_m[ex_t.n] = exclude_mask[log->code[i]];
				vec_push(&ex_t, log->time[i]);
			}
			uint16_t m = code_mask[log->code[i]];
			if (!m && q->order != FUNNEL_STRICT)
				continue; /* only strict order sees the other events */
			if ((m & 1) && first_entry == SIZE_MAX && in_range(log->time[i], q->from_ms, q->to_ms))
				first_entry = e.n;
			e.t[e.n] = log->time[i];
			e.mask[e.n] = m;
			e.index[e.n] = i;
			e.n++;
		}
		r->group_value[u] = UINT32_MAX;
		r->entry_event[u] = UINT32_MAX;
		if (first_entry == SIZE_MAX)
			continue;
		struct chain ch;
		unit_reach(q->order, &e, 0, e.n, K, W, q->from_ms, q->to_ms, &ch);
		if (ex_t.n && excluded_by(q, &ch, W, ex_t.v, ex_m, ex_t.n)) {
			r->excluded++;
			continue;
		}
		r->reach[u] = (uint8_t)ch.reach;
		r->entry_event[u] = (uint32_t)e.index[first_entry];
		r->entered_ms[u] = ch.t[0];
		r->last_ms[u] = ch.timed ? ch.t[ch.reach - 1] : INT64_MIN;
		uint32_t value = by ? by->value[e.index[first_entry]] : 0;
		r->group_value[u] = by ? value : UINT32_MAX;
		for (int k = 0; k < ch.reach; k++) {
			r->bars.count[k]++;
			tally[by ? value : nvalues].count[k]++;
		}
		if (ch.timed)
			for (int k = 1; k < ch.reach; k++)
				vec_push(&c->deltas, ch.t[k] - ch.t[k - 1]);
		if (ch.timed && ch.reach > (int)ttc_to)
			vec_push(&ttc, ch.t[ttc_to] - ch.t[ttc_from]);
		if (q->trend != FUNNEL_NO_TREND)
			unit_trend(q, &e, K, &c->tt, by ? &c->group_entries : NULL, value);
	}
	free(e.t);
	free(e.mask);
	free(e.index);
	free(ex_t.v);
	free(ex_m);
	r->ttc.from = ttc_from;
	r->ttc.to = ttc_to;
	ttc_fill(&r->ttc, ttc.v, ttc.n);
	free(ttc.v);
}

/* A/B: two to FUNNEL_MAX_VARIANTS non-empty values among the entries, in
 * byte order (rank: the nr values with entries). */
static void ab_variants(struct compute *c, struct funnel_result *r, const struct value_rank *rank,
			size_t nr)
{
	size_t nonempty = 0;
	uint64_t empty_entries = 0;
	for (size_t g = 0; g < nr; g++) {
		if (rank[g].text[0])
			nonempty++;
		else
			empty_entries = rank[g].entered;
	}
	if (nonempty < 2 || nonempty > FUNNEL_MAX_VARIANTS)
		return;
	const struct value_rank *variant[FUNNEL_MAX_VARIANTS];
	size_t nv = 0;
	for (size_t g = 0; g < nr; g++)
		if (rank[g].text[0])
			variant[nv++] = &rank[g];
	for (size_t i = 1; i < nv; i++)
		for (size_t j = i; j > 0 && strcmp(variant[j - 1]->text, variant[j]->text) > 0; j--) {
			const struct value_rank *t = variant[j];
			variant[j] = variant[j - 1];
			variant[j - 1] = t;
		}
	const char *names[FUNNEL_MAX_VARIANTS];
	uint64_t counts[FUNNEL_MAX_VARIANTS][FUNNEL_MAX_STEPS];
	for (size_t v = 0; v < nv; v++) {
		names[v] = variant[v]->text;
		memcpy(counts[v], c->tally[variant[v]->value].count, sizeof counts[v]);
	}
	const struct funnel_steps *steps = c->q->steps;
	r->ab.left_out = empty_entries;
	funnel_ab_fill(&r->ab, nv, names, (const uint64_t (*)[FUNNEL_MAX_STEPS])counts, (size_t)c->K,
		       steps->step[0].text, steps->step[c->K - 1].text, funnel_unit_noun(c->log));
}

/* breakdown groups: the values with most entries, then "other" */
static void breakdown_groups(struct compute *c, struct funnel_result *r)
{
	const struct prop_column *by = c->by;
	uint32_t nvalues = c->nvalues;
	size_t top = c->q->top_values ? c->q->top_values : 5;
	struct value_rank *rank = xcalloc(nvalues ? nvalues : 1, sizeof *rank);
	size_t nr = 0;
	for (uint32_t v = 0; v < nvalues; v++)
		if (c->tally[v].count[0])
			rank[nr++] = (struct value_rank){v, c->tally[v].count[0],
							 intern_str(&by->values, v)};
	qsort(rank, nr, sizeof *rank, cmp_rank);
	size_t shown = nr <= top + 1 ? nr : top; /* no "other" of a single value */
	r->ngroups = shown + (nr > shown ? 1 : 0);
	r->groups = xcalloc(r->ngroups ? r->ngroups : 1, sizeof *r->groups);
	c->group_of = xmalloc(((size_t)nvalues + 1) * sizeof *c->group_of);
	for (uint32_t v = 0; v <= nvalues; v++)
		c->group_of[v] = UINT32_MAX;
	for (size_t g = 0; g < nr; g++) {
		size_t gi = g < shown ? g : shown;
		c->group_of[rank[g].value] = (uint32_t)gi;
		struct funnel_group *grp = &r->groups[gi];
		if (g < shown) {
			grp->value = xstrdup(rank[g].text);
		} else {
			if (!grp->value)
				grp->value = xstrdup("other");
			grp->other = true;
			grp->nvalues++;
		}
		for (int k = 0; k < c->K; k++)
			grp->bars.count[k] += c->tally[rank[g].value].count[k];
	}
	ab_variants(c, r, rank, nr);
	free(rank);
}

/* durations: overall and per group, from the deltas in unit order (none
 * in any order: its steps have no times between them) */
static void durations(struct compute *c, struct funnel_result *r)
{
	const size_t K = (size_t)c->K, ng = r->ngroups;
	for (size_t k = 0; k < K; k++) {
		r->bars.median_s[k] = r->bars.mean_s[k] = NAN;
		for (size_t g = 0; g < ng; g++)
			r->groups[g].bars.median_s[k] = r->groups[g].bars.mean_s[k] = NAN;
	}
	if (c->q->order == FUNNEL_ANY)
		return;
	struct i64_vec *per = xcalloc((ng + 1) * K, sizeof *per);
	size_t cursor = 0;
	for (uint32_t u = 0; u < c->log->nunits; u++) {
		int reach = r->reach[u];
		size_t g = ng;
		if (c->by && r->group_value[u] != UINT32_MAX)
			g = c->group_of[r->group_value[u]];
		for (int k = 1; k < reach; k++) {
			int64_t d = c->deltas.v[cursor++];
			vec_push(&per[ng * K + (size_t)k], d);
			if (g < ng)
				vec_push(&per[g * K + (size_t)k], d);
		}
	}
	for (size_t k = 1; k < K; k++) {
		struct i64_vec *all = &per[ng * K + k];
		duration_stats(all->v, all->n, &r->bars.median_s[k], &r->bars.mean_s[k]);
		for (size_t g = 0; g < ng; g++) {
			struct i64_vec *v = &per[g * K + k];
			duration_stats(v->v, v->n, &r->groups[g].bars.median_s[k],
				       &r->groups[g].bars.mean_s[k]);
		}
	}
	for (size_t i = 0; i < (ng + 1) * K; i++)
		free(per[i].v);
	free(per);
}

/* each breakdown group's trend, from its units' entries */
static void group_trends(struct compute *c, struct funnel_result *r)
{
	struct trend_table *per = xcalloc(r->ngroups ? r->ngroups : 1, sizeof *per);
	for (size_t i = 0; i < c->group_entries.n; i++) {
		const struct trend_entry *te = &c->group_entries.v[i];
		uint32_t g = c->group_of[te->value];
		if (g == UINT32_MAX)
			continue;
		struct funnel_trend_point *pt = trend_slot(&per[g], te->start);
		pt->entered++;
		pt->converted += te->converted;
	}
	for (size_t g = 0; g < r->ngroups; g++)
		r->groups[g].trend = trend_points(&per[g], c->q, c->log->stats.last_ms,
						  &r->groups[g].ntrend);
	free(per);
}

int funnel_compute(const struct funnel_log *log, const struct funnel_query *q,
		   struct funnel_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	struct compute c = {.log = log, .q = q};
	if (query_check(log, q, &c.by, err, errlen))
		return -1;
	c.K = (int)q->steps->count;
	c.W = q->window_ms;
	int rc = -1;
	if (match_event_codes(&c, err, errlen) || filter_values(&c, r, err, errlen))
		goto out;

	r->nsteps = (size_t)c.K;
	r->order = q->order;
	r->log = log;
	r->by = c.by ? c.by->name : NULL;
	r->nunits = log->nunits;
	r->reach = xcalloc(log->nunits ? log->nunits : 1, sizeof *r->reach);
	r->entered_ms = xcalloc(log->nunits ? log->nunits : 1, sizeof *r->entered_ms);
	r->last_ms = xcalloc(log->nunits ? log->nunits : 1, sizeof *r->last_ms);
	r->group_value = xcalloc(log->nunits ? log->nunits : 1, sizeof *r->group_value);
	r->entry_event = xcalloc(log->nunits ? log->nunits : 1, sizeof *r->entry_event);
	c.nvalues = c.by ? c.by->values.count : 0;
	c.tally = xcalloc((size_t)c.nvalues + 1, sizeof *c.tally);
	scan_units(&c, r);
	if (c.by)
		breakdown_groups(&c, r);
	durations(&c, r);
	if (c.by && q->trend != FUNNEL_NO_TREND)
		group_trends(&c, r);
	if (q->trend != FUNNEL_NO_TREND) {
		r->trend_period = q->trend;
		r->trend = trend_points(&c.tt, q, log->stats.last_ms, &r->ntrend);
	}

	const char *names[FUNNEL_MAX_STEPS];
	for (int k = 0; k < c.K; k++)
		names[k] = q->steps->step[k].text;
	funnel_describe(&r->bars, (size_t)c.K, names, funnel_unit_noun(log), r->summary,
			sizeof r->summary, &r->biggest_drop, &r->weakest_step);
	rc = 0;
out:
	compute_free(&c);
	return rc;
}

void funnel_result_free(struct funnel_result *r)
{
	for (size_t g = 0; g < r->ngroups; g++) {
		free(r->groups[g].value);
		free(r->groups[g].trend);
	}
	free(r->groups);
	funnel_ab_free(&r->ab);
	free(r->trend);
	free(r->reach);
	free(r->entered_ms);
	free(r->last_ms);
	free(r->group_value);
	free(r->entry_event);
	memset(r, 0, sizeof *r);
}

/* ---- drill-down ------------------------------------------------------ */

static const struct funnel_result *sort_result;

static int cmp_dropped(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int64_t tx = sort_result->entered_ms[x], ty = sort_result->entered_ms[y];
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

size_t funnel_dropped_units(const struct funnel_result *r, size_t k, size_t **units)
{
	size_t n = 0, cap = 0;
	*units = NULL;
	if (k >= 1 && k < r->nsteps)
		for (size_t u = 0; u < r->nunits; u++)
			if (r->reach[u] == k)
				ARRAY_PUSH(*units, n, cap, u);
	if (n) {
		sort_result = r;
		qsort(*units, n, sizeof **units, cmp_dropped);
		sort_result = NULL;
	}
	return n;
}

const char *funnel_unit_group(const struct funnel_result *r, size_t unit)
{
	if (!r->by || unit >= r->nunits || r->group_value[unit] == UINT32_MAX)
		return "";
	const struct prop_column *p = funnel_log_prop(r->log, r->by);
	return p ? intern_str(&p->values, r->group_value[unit]) : "";
}

int funnel_export_dropped(const struct funnel_result *r, size_t k, const char *path,
			  bool replace, char *err, size_t errlen)
{
	/* A list of people (their ids) from someone's event log: private. */
	struct file_out *o = file_out_open(path, FILE_PRIVATE, replace, err, errlen);
	if (!o)
		return -1;
	FILE *f = file_out_stream(o);
	const struct funnel_log *log = r->log;
	size_t nprops = 0;
	const struct prop_column **props = xcalloc(log->nprops + 1, sizeof *props);
	for (size_t i = 0; i < log->nprops; i++)
		if (!log->props[i].dropped)
			props[nprops++] = &log->props[i];
	size_t ncols = 4 + nprops;
	/* what comes from the file is hostile: sanitised, formulas disarmed */
	char **cells = xcalloc(ncols, sizeof *cells);
	cells[0] = sanitize_csv_cell(funnel_log_unit_col(log));
	cells[1] = xstrdup("entered");
	cells[2] = xstrdup("last_step");
	cells[3] = xstrdup("last_step_at");
	for (size_t p = 0; p < nprops; p++)
		cells[4 + p] = sanitize_csv_cell(props[p]->name);
	csvio_write_record(f, (const char *const *)cells, ncols);
	size_t *units;
	size_t n = funnel_dropped_units(r, k, &units);
	for (size_t i = 0; i < n; i++) {
		size_t u = units[i];
		for (size_t c = 0; c < ncols; c++)
			free(cells[c]);
		char entered[32], last_at[32] = "", step[16];
		funnel_format_time(r->entered_ms[u], entered, sizeof entered);
		if (r->last_ms[u] != INT64_MIN)
			funnel_format_time(r->last_ms[u], last_at, sizeof last_at);
		snprintf(step, sizeof step, "%u", (unsigned)r->reach[u]);
		cells[0] = sanitize_csv_cell(funnel_log_unit_id(log, u));
		cells[1] = xstrdup(entered);
		cells[2] = xstrdup(step);
		cells[3] = xstrdup(last_at);
		uint32_t ev = r->entry_event[u];
		for (size_t p = 0; p < nprops; p++)
			cells[4 + p] = sanitize_csv_cell(
			    ev == UINT32_MAX ? "" : intern_str(&props[p]->values, props[p]->value[ev]));
		csvio_write_record(f, (const char *const *)cells, ncols);
	}
	for (size_t c = 0; c < ncols; c++)
		free(cells[c]);
	free(cells);
	free(props);
	free(units);
	return file_out_commit(o, err, errlen);
}

/* ---- stage counts -------------------------------------------------- */

static int stage_column(const struct csvio_table *t, const char *const *names)
{
	for (int n = 0; names[n]; n++)
		for (size_t i = 0; i < t->header.nfields; i++)
			if (!strcasecmp(str_trim(t->header.fields[i]), names[n]))
				return (int)i;
	return -1;
}

static const char *const stage_names[] = {"stage", "step", NULL};
static const char *const count_names[] = {"count", "users", "value", "n", NULL};
static const char *const owner_names[] = {"owner", NULL};

int funnel_stages_load(const char *path, struct funnel_stages *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct csvio_table t;
	char msg[512];
	struct text_at at;
	if (csvio_table_read(path, FILE_STAGES, &t, msg, sizeof msg, &at) != 0) {
		text_at_format(err, errlen, path, at, msg);
		return -1;
	}
	int sc = stage_column(&t, stage_names), cc = stage_column(&t, count_names),
	    oc = stage_column(&t, owner_names);
	if (sc < 0 || cc < 0) {
		format_error(err, errlen,
			     "%s:1: a stage-count file needs 'stage' and 'count' columns", path);
		csvio_table_free(&t);
		return -1;
	}
	for (size_t r = 0; r < t.nrows; r++) {
		const struct csvio_row *row = &t.rows[r];
		char *name = str_trim(xstrdup(csvio_field(row, sc)));
		char *count = str_trim(xstrdup(csvio_field(row, cc)));
		char *end;
		errno = 0;
		unsigned long long v = strtoull(count, &end, 10);
		bool ok = *count && *count != '-' && !*end && !errno;
		if (!*name || !ok || out->count >= FUNNEL_MAX_STEPS) {
			if (!*name)
				format_error(err, errlen, "%s:%d: the stage has no name", path,
					     row->line);
			else if (!ok)
				format_error(err, errlen, "%s:%d: count '%s' is not a whole number",
					     path, row->line, count);
			else
				format_error(err, errlen, "%s:%d: more than %d stages", path,
					     row->line, FUNNEL_MAX_STEPS);
			free(name);
			free(count);
			funnel_stages_free(out);
			csvio_table_free(&t);
			return -1;
		}
		if (out->count && v > out->stage[out->count - 1].count) {
			const struct funnel_stage *prev = &out->stage[out->count - 1];
			char *a = sanitize_dup(prev->name, SANITIZE_LINE);
			char *b = sanitize_dup(name, SANITIZE_LINE);
			format_error(
			    err, errlen,
			    "%s:%d: stage '%s' has %llu, more than the %llu of '%s' before it: "
			    "the counts of a funnel can only fall from stage to stage",
			    path, row->line, b, v, (unsigned long long)prev->count, a);
			free(a);
			free(b);
			free(name);
			free(count);
			funnel_stages_free(out);
			csvio_table_free(&t);
			return -1;
		}
		out->stage = xrealloc(out->stage, (out->count + 1) * sizeof *out->stage);
		out->stage[out->count++] = (struct funnel_stage){
		    .name = name, .owner = str_trim(xstrdup(csvio_field(row, oc))), .count = v};
		free(count);
	}
	csvio_table_free(&t);
	if (out->count < FUNNEL_MIN_STEPS) {
		format_error(err, errlen, "%s: a funnel needs at least %d stages", path,
			     FUNNEL_MIN_STEPS);
		funnel_stages_free(out);
		return -1;
	}
	return 0;
}

int funnel_stages_save(const struct funnel_stages *s, const char *path, bool replace,
		       char *err, size_t errlen)
{
	struct file_out *o = file_out_open(path, FILE_SHARED, replace, err, errlen);
	if (!o)
		return -1;
	FILE *f = file_out_stream(o);
	const char *header[] = {"stage", "count", "owner"};
	csvio_write_record(f, header, 3);
	for (size_t i = 0; i < s->count; i++) {
		char count[32];
		snprintf(count, sizeof count, "%llu", (unsigned long long)s->stage[i].count);
		const char *row[] = {s->stage[i].name, count, s->stage[i].owner};
		csvio_write_record(f, row, 3);
	}
	return file_out_commit(o, err, errlen);
}

void funnel_stages_free(struct funnel_stages *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->stage[i].name);
		free(s->stage[i].owner);
	}
	free(s->stage);
	memset(s, 0, sizeof *s);
}

void funnel_stages_bars(const struct funnel_stages *s, struct funnel_bars *bars)
{
	memset(bars, 0, sizeof *bars);
	for (size_t i = 0; i < s->count && i < FUNNEL_MAX_STEPS; i++) {
		bars->count[i] = s->stage[i].count;
		bars->median_s[i] = bars->mean_s[i] = NAN;
	}
}

bool funnel_is_stage_file(const char *path)
{
	struct stat sb;
	char why[256];
	int fd = file_open_read(path, &sb, why, sizeof why);
	if (fd < 0)
		return false;
	char line[4096];
	ssize_t n;
	do
		n = read(fd, line, sizeof line - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return false;
	line[n] = '\0';
	char *nl = memchr(line, '\n', (size_t)n);
	if (nl)
		nl[1] = '\0';
	struct csvio_table t;
	char msg[256];
	struct text_at at;
	if (csvio_table_parse(path, line, strlen(line), &t, msg, sizeof msg, &at) != 0)
		return false;
	bool stage = stage_column(&t, stage_names) >= 0 && stage_column(&t, count_names) >= 0;
	csvio_table_free(&t);
	return stage;
}
