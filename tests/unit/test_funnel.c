/* The funnel engine: each order mode on hand-made logs (window edges, ties,
 * repeated events, a unit entering twice, time zones), a brute-force
 * reference that the engine must match exactly on thousands of random
 * small logs, breakdowns, the A/B test, the trend, drop-off lists, stage
 * counts, and the loader on bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "funnel.h"
#include "sanitize.h"
#include "testutil.h"
#include "util.h"

#include <math.h>
#include <stdbool.h>

#define HOUR (3600LL * 1000)
#define DAY (24 * HOUR)

/* ---- helpers ---------------------------------------------------------- */

static struct funnel_log *load_text(const char *csv, const struct funnel_load_options *opt)
{
	struct funnel_log *log = NULL;
	char err[1024];
	int rc = funnel_log_parse("test.csv", csv, strlen(csv), opt, &log, err, sizeof err);
	if (rc != 0)
		fail_msg("load failed: %s", err);
	return log;
}

/* Loads csv and runs steps in an order with a window; returns the counts
 * as "n1 n2 n3". */
static char *run_counts(const char *csv, const char *steps_spec, enum funnel_order order,
			int64_t window_ms)
{
	struct funnel_steps steps;
	char err[512];
	assert_int_equal(funnel_steps_parse(steps_spec, &steps, err, sizeof err), 0);
	struct funnel_log *log = load_text(csv, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.order = order;
	q.window_ms = window_ms;
	struct funnel_result r;
	if (funnel_compute(log, &q, &r, err, sizeof err) != 0)
		fail_msg("compute failed: %s", err);
	struct strbuf sb;
	sb_init(&sb);
	for (size_t k = 0; k < r.nsteps; k++)
		sb_printf(&sb, "%s%llu", k ? " " : "", (unsigned long long)r.bars.count[k]);
	funnel_result_free(&r);
	funnel_log_free(log);
	funnel_steps_free(&steps);
	return sb_steal(&sb);
}

static void expect_counts(const char *csv, const char *steps, enum funnel_order order,
			  int64_t window_ms, const char *want)
{
	char *got = run_counts(csv, steps, order, window_ms);
	if (strcmp(got, want) != 0)
		fail_msg("steps %s, %s order: got '%s', want '%s'", steps, funnel_order_name(order), got,
			 want);
	free(got);
}

/* ---- the order modes --------------------------------------------------- */

static const char three_units[] =
    "user_id,event,timestamp\n"
    /* u1: a b c in order */
    "u1,a,2026-06-01T00:00:00Z\n"
    "u1,b,2026-06-01T00:10:00Z\n"
    "u1,c,2026-06-01T00:20:00Z\n"
    /* u2: a x b c: ordered reaches c, strict stops at x */
    "u2,a,2026-06-01T00:00:00Z\n"
    "u2,x,2026-06-01T00:01:00Z\n"
    "u2,b,2026-06-01T00:02:00Z\n"
    "u2,c,2026-06-01T00:03:00Z\n"
    /* u3: c b a: only "any" reaches c */
    "u3,c,2026-06-01T00:00:00Z\n"
    "u3,b,2026-06-01T00:01:00Z\n"
    "u3,a,2026-06-01T00:02:00Z\n";

static void test_order_modes(void **state)
{
	(void)state;
	expect_counts(three_units, "a,b,c", FUNNEL_ORDERED, HOUR, "3 2 2");
	expect_counts(three_units, "a,b,c", FUNNEL_STRICT, HOUR, "3 1 1");
	expect_counts(three_units, "a,b,c", FUNNEL_ANY, HOUR, "3 3 3");
}

static void test_window_edges(void **state)
{
	(void)state;
	const char *at_edge = "user_id,event,timestamp\n"
			      "u1,a,2026-06-01T00:00:00Z\n"
			      "u1,b,2026-06-08T00:00:00Z\n";
	const char *past_edge = "user_id,event,timestamp\n"
				"u1,a,2026-06-01T00:00:00Z\n"
				"u1,b,2026-06-08T00:00:01Z\n";
	for (int o = FUNNEL_ORDERED; o <= FUNNEL_ANY; o++) {
		/* exactly at the window counts; one second past does not */
		expect_counts(at_edge, "a,b", (enum funnel_order)o, 7 * DAY, "1 1");
		expect_counts(past_edge, "a,b", (enum funnel_order)o, 7 * DAY, "1 0");
	}
	/* the window is measured from step 1, not from the step before */
	const char *chain = "user_id,event,timestamp\n"
			    "u1,a,2026-06-01T00:00:00Z\n"
			    "u1,b,2026-06-01T00:50:00Z\n"
			    "u1,c,2026-06-01T01:00:01Z\n";
	expect_counts(chain, "a,b,c", FUNNEL_ORDERED, HOUR, "1 1 0");
	expect_counts(chain, "a,b,c", FUNNEL_ORDERED, HOUR + 1000, "1 1 1");
}

static void test_ties_follow_row_order(void **state)
{
	(void)state;
	const char *a_first = "user_id,event,timestamp\n"
			      "u1,a,2026-06-01T00:00:00Z\n"
			      "u1,b,2026-06-01T00:00:00Z\n";
	const char *b_first = "user_id,event,timestamp\n"
			      "u1,b,2026-06-01T00:00:00Z\n"
			      "u1,a,2026-06-01T00:00:00Z\n";
	expect_counts(a_first, "a,b", FUNNEL_ORDERED, HOUR, "1 1");
	expect_counts(b_first, "a,b", FUNNEL_ORDERED, HOUR, "1 0");
	expect_counts(a_first, "a,b", FUNNEL_STRICT, HOUR, "1 1");
	expect_counts(b_first, "a,b", FUNNEL_STRICT, HOUR, "1 0");
	/* any order does not care */
	expect_counts(b_first, "a,b", FUNNEL_ANY, HOUR, "1 1");
	/* rows far apart in the file, same time: still the file order */
	const char *apart = "user_id,event,timestamp\n"
			    "u1,a,2026-06-01T00:00:00Z\n"
			    "u2,a,2026-06-01T00:00:00Z\n"
			    "u2,b,2026-06-01T00:00:00Z\n"
			    "u1,b,2026-06-01T00:00:00Z\n";
	expect_counts(apart, "a,b", FUNNEL_ORDERED, HOUR, "2 2");
}

static void test_repeated_events_and_steps(void **state)
{
	(void)state;
	/* many a's and b's: counted once per unit */
	const char *many = "user_id,event,timestamp\n"
			   "u1,a,2026-06-01T00:00:00Z\n"
			   "u1,a,2026-06-01T00:01:00Z\n"
			   "u1,b,2026-06-01T00:02:00Z\n"
			   "u1,b,2026-06-01T00:03:00Z\n"
			   "u1,a,2026-06-01T00:04:00Z\n";
	expect_counts(many, "a,b", FUNNEL_ORDERED, HOUR, "1 1");
	/* a step repeated in the funnel needs two events */
	const char *one_a = "user_id,event,timestamp\n"
			    "u1,a,2026-06-01T00:00:00Z\n"
			    "u1,b,2026-06-01T00:02:00Z\n";
	const char *two_a = "user_id,event,timestamp\n"
			    "u1,a,2026-06-01T00:00:00Z\n"
			    "u1,a,2026-06-01T00:01:00Z\n"
			    "u1,b,2026-06-01T00:02:00Z\n";
	for (int o = FUNNEL_ORDERED; o <= FUNNEL_ANY; o++) {
		expect_counts(one_a, "a,a,b", (enum funnel_order)o, HOUR, "1 0 0");
		expect_counts(two_a, "a,a,b", (enum funnel_order)o, HOUR, "1 1 1");
	}
	/* strict: the a's must be next to each other */
	expect_counts(many, "a,a,b", FUNNEL_STRICT, HOUR, "1 1 1");
	/* a pattern step that also matches the next step's event */
	expect_counts(one_a, "/^[ab]$/,b", FUNNEL_ORDERED, HOUR, "1 1");
	expect_counts(one_a, "/^[ab]$/,a", FUNNEL_ANY, HOUR, "1 1");
	expect_counts(one_a, "/^[ab]$/,a", FUNNEL_ORDERED, HOUR, "1 0");
}

static void test_unit_entering_twice(void **state)
{
	(void)state;
	/* the first entry times out; the second converts */
	const char *csv = "user_id,event,timestamp\n"
			  "u1,a,2026-06-01T00:00:00Z\n"
			  "u1,a,2026-06-20T00:00:00Z\n"
			  "u1,b,2026-06-21T00:00:00Z\n";
	expect_counts(csv, "a,b", FUNNEL_ORDERED, 7 * DAY, "1 1");
	/* the latest entry is not always the best: b after the second a is
	 * too late, after the first it is in time */
	const char *earlier = "user_id,event,timestamp\n"
			      "u1,a,2026-06-01T00:00:00Z\n"
			      "u1,b,2026-06-01T01:00:00Z\n"
			      "u1,a,2026-06-01T02:00:00Z\n"
			      "u1,c,2026-06-01T02:30:00Z\n";
	expect_counts(earlier, "a,b,c", FUNNEL_ORDERED, 3 * HOUR, "1 1 1");
	expect_counts(earlier, "a,b,c", FUNNEL_ORDERED, 2 * HOUR, "1 1 0");

	/* the trend counts each day's entry, with that day's own result */
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	struct funnel_log *log = load_text(csv, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.window_ms = 7 * DAY;
	q.trend = FUNNEL_DAY;
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ntrend, 2);
	assert_int_equal(r.trend[0].entered, 1);
	assert_int_equal(r.trend[0].converted, 0);
	assert_int_equal(r.trend[1].entered, 1);
	assert_int_equal(r.trend[1].converted, 1);
	/* the log ends a day after the second entry: within its 7-day window */
	assert_true(r.trend[0].complete);
	assert_false(r.trend[1].complete);
	char day[32];
	funnel_format_time(r.trend[1].start_ms, day, sizeof day);
	assert_string_equal(day, "2026-06-20 00:00:00");
	funnel_result_free(&r);
	/* weeks start on Monday: 2026-06-01 is a Monday, the 20th a Saturday */
	q.trend = FUNNEL_WEEK;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ntrend, 2);
	funnel_format_time(r.trend[1].start_ms, day, sizeof day);
	assert_string_equal(day, "2026-06-15 00:00:00");
	funnel_result_free(&r);
	/* a date range limits the entries, not the later steps */
	q.trend = FUNNEL_NO_TREND;
	assert_true(funnel_parse_time("2026-06-15", 10, &q.from_ms));
	assert_true(funnel_parse_time("2026-06-20T12:00:00Z", 20, &q.to_ms));
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 1);
	assert_int_equal(r.bars.count[1], 1);
	funnel_result_free(&r);
	assert_true(funnel_parse_time("2026-06-19", 10, &q.to_ms));
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 0);
	funnel_result_free(&r);
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

static void test_time_zones(void **state)
{
	(void)state;
	int64_t a, b;
	assert_true(funnel_parse_time("2026-06-01T02:00:00+02:00", 25, &a));
	assert_true(funnel_parse_time("2026-06-01T00:00:00Z", 20, &b));
	assert_int_equal(a, b);
	assert_true(funnel_parse_time("2026-05-31 19:00:00-0500", 24, &a));
	assert_int_equal(a, b);
	assert_true(funnel_parse_time("2026-06-01 05:30:00 +05:30", 26, &a));
	assert_int_equal(a, b);
	assert_true(funnel_parse_time("2026-06-01 00:00:00 UTC", 23, &a));
	assert_int_equal(a, b);
	assert_true(funnel_parse_time("2026-06-01 03", 13, &a) == false);
	/* the same instant written in two zones: a tie, so the row order */
	const char *csv = "user_id,event,timestamp\n"
			  "u1,a,2026-06-01T09:00:00+09:00\n"
			  "u1,b,2026-06-01T00:00:00Z\n"
			  /* b 30 minutes after a, written in an earlier zone */
			  "u2,a,2026-06-01T12:00:00+02:00\n"
			  "u2,b,2026-06-01T05:30:00-05:00\n"
			  /* b before a once converted to UTC */
			  "u3,a,2026-06-01T10:00:00Z\n"
			  "u3,b,2026-06-01T11:00:00+02:00\n";
	expect_counts(csv, "a,b", FUNNEL_ORDERED, HOUR, "3 2");
	expect_counts(csv, "a,b", FUNNEL_ANY, HOUR, "3 3");
}

static void test_time_formats(void **state)
{
	(void)state;
	int64_t ms;
	static const struct {
		const char *text;
		long long ms;
	} good[] = {
	    {"2026-06-01T00:00:00Z", 1780272000000LL},
	    {"2026-06-01t00:00:00z", 1780272000000LL},
	    {"2026-06-01 00:00:00", 1780272000000LL},
	    {"2026-06-01", 1780272000000LL},
	    {"2026-06-01T00:00Z", 1780272000000LL},
	    {"2026-06-01T00:00:00.250Z", 1780272000250LL},
	    {"2026-06-01T00:00:00,5", 1780272000500LL},
	    {"2026-06-01T00:00:00.123456789+00:00", 1780272000123LL},
	    {"  2026-06-01T00:00:00Z  ", 1780272000000LL},
	    {"2026-06-01T00:00:00 GMT", 1780272000000LL},
	    {"1780272000", 1780272000000LL},
	    {"1780272000.5", 1780272000500LL},
	    {"1780272000123", 1780272000123LL},
	    {"2024-02-29T12:00:00Z", 1709208000000LL},
	    {"1969-12-31T23:59:59Z", -1000LL},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!funnel_parse_time(good[i].text, strlen(good[i].text), &ms))
			fail_msg("rejected '%s'", good[i].text);
		if (ms != good[i].ms)
			fail_msg("'%s' gave %lld, want %lld", good[i].text, (long long)ms, good[i].ms);
	}
	/* the generator's messy timestamps, and other impossible ones */
	static const char *const bad[] = {
	    "", "null", "NaN", "07/06/2026 07:28:53", "2026-06-07T28:09:09Z", "2026-06-31T10:00:00Z",
	    "2026-06-01T12:3", "2026-06-0112:34:56Z", "0000-00-00T00:00:00Z", "1970-01-01T00:00:00Z",
	    "0", "2025-02-29", "2026-06-01T10:60:00Z", "2026-06-01T10:00:00+25:00", "2026-06-01T10:00:00Q",
	    "2026-06-01T10:00:00.Z", "12abc", "1e9", "2026-6-1", "99999999999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (funnel_parse_time(bad[i], strlen(bad[i]), &ms))
			fail_msg("accepted '%s' as %lld", bad[i], (long long)ms);
}

static void test_windows(void **state)
{
	(void)state;
	int64_t ms;
	char buf[32];
	assert_true(funnel_parse_window("30m", &ms));
	assert_int_equal(ms, 30 * 60 * 1000);
	assert_true(funnel_parse_window("2h", &ms));
	assert_int_equal(ms, 2 * HOUR);
	assert_true(funnel_parse_window("7d", &ms));
	assert_int_equal(ms, 7 * DAY);
	assert_true(funnel_parse_window("1w", &ms));
	assert_int_equal(ms, 7 * DAY);
	assert_true(funnel_parse_window("90", &ms));
	assert_int_equal(ms, 90000);
	assert_true(funnel_parse_window("1.5 hours", &ms));
	assert_int_equal(ms, 90 * 60 * 1000);
	assert_false(funnel_parse_window("0d", &ms));
	assert_false(funnel_parse_window("-2h", &ms));
	assert_false(funnel_parse_window("7 parsecs", &ms));
	assert_false(funnel_parse_window("", &ms));
	funnel_format_window(7 * DAY, buf, sizeof buf);
	assert_string_equal(buf, "7d");
	funnel_format_window(90 * 60 * 1000, buf, sizeof buf);
	assert_string_equal(buf, "90m");
	funnel_format_window(28 * DAY, buf, sizeof buf);
	assert_string_equal(buf, "4w");
}

/* ---- the brute-force reference ------------------------------------------ */

struct ref_event {
	int unit;
	int ev;      /* index into alphabet */
	int64_t t;
	int row;
};

static const char *const alphabet[] = {"a", "b", "c", "d", "x"};

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

struct ref_funnel {
	int nsteps;
	int step_ev[FUNNEL_MAX_STEPS]; /* -1: the pattern /^[ab]$/ */
	int64_t window, lo, hi;
};

static bool ref_matches(const struct ref_funnel *f, int k, int ev)
{
	if (f->step_ev[k] < 0)
		return ev == 0 || ev == 1;
	return f->step_ev[k] == ev;
}

/* e: one unit's events sorted by (t, row). */
static int ref_ordered_from(const struct ref_funnel *f, const struct ref_event *e, int n, int k,
			    int prev, int64_t start)
{
	int best = k;
	if (k == f->nsteps)
		return k;
	for (int i = prev + 1; i < n; i++)
		if (ref_matches(f, k, e[i].ev) && e[i].t - start <= f->window) {
			int r = ref_ordered_from(f, e, n, k + 1, i, start);
			if (r > best)
				best = r;
		}
	return best;
}

static int ref_reach(const struct ref_funnel *f, enum funnel_order order, const struct ref_event *e,
		     int n)
{
	int best = 0;
	for (int s = 0; s < n; s++) {
		if (!ref_matches(f, 0, e[s].ev) || e[s].t < f->lo || e[s].t >= f->hi)
			continue;
		int r = 0;
		if (order == FUNNEL_ORDERED) {
			r = ref_ordered_from(f, e, n, 1, s, e[s].t);
		} else if (order == FUNNEL_STRICT) {
			r = 1;
			while (r < f->nsteps && s + r < n && ref_matches(f, r, e[s + r].ev) &&
			       e[s + r].t - e[s].t <= f->window)
				r++;
		}
		if (r > best)
			best = r;
	}
	if (order != FUNNEL_ANY)
		return best;
	/* any order: every assignment of distinct events to steps 1..k, the
	 * step-1 event inside the date range, all within one window */
	int used[16] = {0};
	int pick[FUNNEL_MAX_STEPS];
	int k = 0;
	/* depth-first over assignments, keeping the deepest valid prefix */
	int idx[FUNNEL_MAX_STEPS + 1];
	idx[0] = -1;
	while (k >= 0) {
		int i = idx[k] + 1;
		for (; i < n; i++) {
			if (used[i] || !ref_matches(f, k, e[i].ev))
				continue;
			if (k == 0 && (e[i].t < f->lo || e[i].t >= f->hi))
				continue;
			int64_t mn = e[i].t, mx = e[i].t;
			for (int j = 0; j < k; j++) {
				mn = e[pick[j]].t < mn ? e[pick[j]].t : mn;
				mx = e[pick[j]].t > mx ? e[pick[j]].t : mx;
			}
			if (mx - mn <= f->window)
				break;
		}
		if (i >= n) {
			k--;
			if (k >= 0)
				used[pick[k]] = 0;
			continue;
		}
		idx[k] = i;
		pick[k] = i;
		used[i] = 1;
		if (k + 1 > best)
			best = k + 1;
		if (k + 1 == f->nsteps) {
			used[i] = 0;
			continue;
		}
		k++;
		idx[k] = -1;
	}
	return best;
}

static int cmp_ref(const void *a, const void *b)
{
	const struct ref_event *x = a, *y = b;
	if (x->unit != y->unit)
		return x->unit - y->unit;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->row - y->row;
}

static void test_matches_brute_force(void **state)
{
	(void)state;
	rng_state = 42;
	const int64_t base = 1780272000000LL; /* 2026-06-01, a Monday */
	int logs = 0, checked_units = 0;
	for (int iter = 0; iter < 3000; iter++) {
		int nunits = 1 + (int)rnd(4);
		struct ref_event ev[64];
		int n = 0;
		for (int u = 0; u < nunits; u++) {
			int ne = (int)rnd(9);
			for (int j = 0; j < ne; j++)
				ev[n++] = (struct ref_event){u, (int)rnd(5), base + (int64_t)rnd(13) * 6 * HOUR, 0};
		}
		/* rows in a shuffled order */
		for (int i = n - 1; i > 0; i--) {
			int j = (int)rnd((unsigned)i + 1);
			struct ref_event t = ev[i];
			ev[i] = ev[j];
			ev[j] = t;
		}
		struct strbuf csv;
		sb_init(&csv);
		sb_puts(&csv, "user_id,event,timestamp\n");
		for (int i = 0; i < n; i++) {
			ev[i].row = i;
			char when[32];
			funnel_format_time(ev[i].t, when, sizeof when);
			sb_printf(&csv, "u%d,%s,%s\n", ev[i].unit, alphabet[ev[i].ev], when);
		}
		struct ref_funnel f = {.nsteps = 2 + (int)rnd(3), .window = (1 + (int64_t)rnd(6)) * 6 * HOUR,
				       .lo = INT64_MIN, .hi = INT64_MAX};
		char spec[64] = "";
		for (int k = 0; k < f.nsteps; k++) {
			f.step_ev[k] = rnd(8) == 0 ? -1 : (int)rnd(4);
			strcat(spec, k ? "," : "");
			strcat(spec, f.step_ev[k] < 0 ? "/^[ab]$/" : alphabet[f.step_ev[k]]);
		}
		if (rnd(3) == 0) {
			f.lo = base + (int64_t)rnd(3) * DAY;
			f.hi = f.lo + DAY;
		}
		qsort(ev, (size_t)n, sizeof ev[0], cmp_ref);

		struct funnel_steps steps;
		char err[256];
		assert_int_equal(funnel_steps_parse(spec, &steps, err, sizeof err), 0);
		/* sometimes load only the step events, as the CLI does */
		struct funnel_load_options opt = {.steps = rnd(2) ? &steps : NULL};
		struct funnel_log *log = load_text(csv.data, &opt);
		for (int o = FUNNEL_ORDERED; o <= FUNNEL_ANY; o++) {
			struct funnel_query q;
			funnel_query_init(&q, &steps);
			q.order = (enum funnel_order)o;
			q.window_ms = f.window;
			q.from_ms = f.lo;
			q.to_ms = f.hi;
			q.trend = FUNNEL_DAY;
			if (!funnel_log_covers(log, &q)) {
				assert_int_equal(o, FUNNEL_STRICT);
				continue;
			}
			struct funnel_result r;
			assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
			uint64_t want_count[FUNNEL_MAX_STEPS] = {0};
			for (int s = 0, e = 0; s < n; s = e) {
				for (e = s; e < n && ev[e].unit == ev[s].unit; e++)
					;
				int want = ref_reach(&f, q.order, ev + s, e - s);
				for (int k = 0; k < want; k++)
					want_count[k]++;
				char id[16];
				snprintf(id, sizeof id, "u%d", ev[s].unit);
				size_t u = funnel_log_find_unit(log, id);
				int got = u == SIZE_MAX ? 0 : r.reach[u];
				if (got != want)
					fail_msg("log %d, unit %s, steps %s, %s order, window %lldh: engine %d, "
						 "reference %d\n%s",
						 iter, id, spec, funnel_order_name(q.order),
						 (long long)(f.window / HOUR), got, want, csv.data);
				checked_units++;
			}
			for (int k = 0; k < f.nsteps; k++)
				assert_int_equal(r.bars.count[k], want_count[k]);
			/* each day of the trend equals the funnel limited to that day */
			for (size_t p = 0; p < r.ntrend; p++) {
				struct ref_funnel day = f;
				day.lo = r.trend[p].start_ms > f.lo ? r.trend[p].start_ms : f.lo;
				day.hi = r.trend[p].start_ms + DAY < f.hi ? r.trend[p].start_ms + DAY : f.hi;
				uint64_t entered = 0, converted = 0;
				for (int s = 0, e = 0; s < n; s = e) {
					for (e = s; e < n && ev[e].unit == ev[s].unit; e++)
						;
					int reach = ref_reach(&day, q.order, ev + s, e - s);
					entered += reach >= 1;
					converted += reach == f.nsteps;
				}
				assert_int_equal(r.trend[p].entered, entered);
				assert_int_equal(r.trend[p].converted, converted);
			}
			funnel_result_free(&r);
		}
		funnel_log_free(log);
		funnel_steps_free(&steps);
		sb_free(&csv);
		logs++;
	}
	assert_int_equal(logs, 3000);
	assert_true(checked_units > 10000);
}

/* ---- times between steps, breakdown, A/B ---------------------------------- */

static void test_times_between_steps(void **state)
{
	(void)state;
	const char *csv = "user_id,event,timestamp\n"
			  "u1,a,2026-06-01T00:00:00Z\n"
			  "u1,b,2026-06-01T00:01:00Z\n"
			  "u1,c,2026-06-01T00:11:00Z\n"
			  "u2,a,2026-06-01T00:00:00Z\n"
			  "u2,b,2026-06-01T00:03:00Z\n"
			  "u3,a,2026-06-01T00:00:00Z\n"
			  "u3,b,2026-06-01T00:08:00Z\n"
			  "u3,c,2026-06-01T00:10:00Z\n"
			  "u4,a,2026-06-01T00:00:00Z\n";
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a, b ,c", &steps, err, sizeof err), 0);
	assert_string_equal(steps.step[1].text, "b");
	struct funnel_log *log = load_text(csv, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 4);
	assert_int_equal(r.bars.count[1], 3);
	assert_int_equal(r.bars.count[2], 2);
	assert_true(isnan(r.bars.median_s[0]));
	/* a->b: 60, 180, 480 s; b->c: 600, 120 s */
	assert_float_equal(r.bars.median_s[1], 180, 1e-9);
	assert_float_equal(r.bars.mean_s[1], 240, 1e-9);
	assert_float_equal(r.bars.median_s[2], 360, 1e-9);
	assert_float_equal(r.bars.mean_s[2], 360, 1e-9);
	assert_float_equal(funnel_pct_first(&r.bars, 2), 50, 1e-9);
	assert_float_equal(funnel_pct_prev(&r.bars, 2), 200.0 / 3, 1e-9);
	assert_int_equal(r.biggest_drop, 1);
	assert_non_null(strstr(r.summary, "The biggest drop is from a to b: 1 of 4 users (25.0%)"));
	funnel_result_free(&r);
	/* any order has no step-to-step times */
	q.order = FUNNEL_ANY;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_true(isnan(r.bars.median_s[1]));
	funnel_result_free(&r);
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

/* n units of a variant entering, x of them converting. */
static void add_group(struct strbuf *sb, const char *variant, const char *platform, int n, int x,
		      int *id)
{
	for (int i = 0; i < n; i++, (*id)++) {
		sb_printf(sb, "u%d,a,2026-06-01T10:00:00Z,%s,%s\n", *id, variant, platform);
		if (i < x)
			sb_printf(sb, "u%d,b,2026-06-01T10:05:00Z,%s,%s\n", *id, variant, platform);
	}
}

static void test_ab_test(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "user_id,event,timestamp,variant,platform\n");
	int id = 0;
	add_group(&sb, "A", "ios", 100, 50, &id);
	add_group(&sb, "B", "web", 100, 65, &id);
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	const char *props[] = {"variant"};
	struct funnel_load_options opt = {.props = props, .nprops = 1};
	struct funnel_log *log = load_text(sb.data, &opt);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.by = "variant";
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_true(r.ab.present);
	assert_int_equal(r.ab.nvariants, 2);
	assert_string_equal(r.ab.variant[0], "A");
	assert_string_equal(r.ab.variant[1], "B");
	assert_int_equal(r.ab.step[1].npairs, 1);
	const struct funnel_ab_pair *s = &r.ab.step[1].pair[0];
	assert_int_equal(s->n_a, 100);
	assert_int_equal(s->x_b, 65);
	assert_float_equal(s->diff, 0.15, 1e-12);
	assert_float_equal(s->z, 2.14558, 1e-4);
	assert_float_equal(s->p_value, 0.03190, 1e-4);
	assert_float_equal(s->ci_low, 0.01457, 1e-4);
	assert_float_equal(s->ci_high, 0.28543, 1e-4);
	assert_false(s->too_small);
	/* one pair: Holm changes nothing, the interval is the 95% one */
	assert_float_equal(s->p_holm, s->p_value, 1e-12);
	assert_float_equal(s->ci_level, 0.95, 1e-12);
	/* with two variants the chi-square is the z-test squared */
	assert_float_equal(r.ab.step[1].chi2, s->z * s->z, 1e-9);
	assert_float_equal(r.ab.step[1].p_value, s->p_value, 1e-9);
	assert_int_equal(r.ab.step[1].df, 1);
	assert_non_null(strstr(r.ab.verdict, "B converts better than A"));
	assert_non_null(strstr(r.ab.verdict, "95% CI +1.5 to +28.5"));
	assert_non_null(strstr(r.ab.verdict, "(p = 0.032)"));
	assert_int_equal(r.ngroups, 2);
	funnel_result_free(&r);
	/* the platform column was not loaded: the caller must read again */
	q.by = "platform";
	assert_false(funnel_log_covers(log, &q));
	assert_int_not_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_non_null(strstr(err, "was not loaded"));
	funnel_log_free(log);

	/* too small to tell */
	sb.len = 0;
	sb_puts(&sb, "user_id,event,timestamp,variant,platform\n");
	id = 0;
	add_group(&sb, "control", "ios", 8, 2, &id);
	add_group(&sb, "treatment", "ios", 9, 6, &id);
	log = load_text(sb.data, &opt);
	q.by = "variant";
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_true(r.ab.step[1].pair[0].too_small);
	assert_non_null(strstr(r.ab.verdict, "Too small to tell"));
	funnel_result_free(&r);
	funnel_log_free(log);

	/* no clear difference */
	sb.len = 0;
	sb_puts(&sb, "user_id,event,timestamp,variant,platform\n");
	id = 0;
	add_group(&sb, "A", "ios", 200, 100, &id);
	add_group(&sb, "B", "ios", 200, 104, &id);
	log = load_text(sb.data, &opt);
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_false(r.ab.step[1].pair[0].too_small);
	assert_true(r.ab.step[1].pair[0].p_value > 0.5);
	assert_true(r.ab.step[1].pair[0].ci_low < 0 && r.ab.step[1].pair[0].ci_high > 0);
	assert_non_null(strstr(r.ab.verdict, "No clear difference"));
	funnel_result_free(&r);
	funnel_log_free(log);
	sb_free(&sb);
	funnel_steps_free(&steps);
}

/* A/B/n: the chi-square across the variants, every pair Holm-corrected,
 * the verdict naming the pair that differs (issue 19). Reference values
 * from scipy.stats.chi2_contingency and a hand Holm adjustment. */
static void test_ab_many_variants(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "user_id,event,timestamp,variant,platform\n");
	int id = 0;
	add_group(&sb, "A", "ios", 200, 100, &id);
	add_group(&sb, "B", "ios", 200, 104, &id);
	add_group(&sb, "C", "ios", 200, 130, &id);
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	const char *props[] = {"variant"};
	struct funnel_load_options opt = {.props = props, .nprops = 1};
	struct funnel_log *log = load_text(sb.data, &opt);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.by = "variant";
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_true(r.ab.present);
	assert_int_equal(r.ab.nvariants, 3);
	assert_string_equal(r.ab.variant[2], "C");
	const struct funnel_ab_step *s = &r.ab.step[1];
	assert_int_equal(s->df, 2);
	/* expected 111.33 of 200 convert: chi2 = 10.7514 */
	assert_float_equal(s->chi2, 10.75143, 1e-4);
	assert_float_equal(s->p_value, 0.0046276, 1e-6);
	assert_int_equal(s->npairs, 3);
	/* pairs (A,B), (A,C), (B,C); C-A is the smallest p, tested at 0.05/3 */
	const struct funnel_ab_pair *ab = &s->pair[0], *ac = &s->pair[1], *bc = &s->pair[2];
	assert_int_equal(ac->a, 0);
	assert_int_equal(ac->b, 2);
	assert_float_equal(ac->diff, 0.15, 1e-12);
	assert_float_equal(ac->p_holm, 3 * ac->p_value, 1e-12);
	assert_float_equal(ac->ci_level, 1 - 0.05 / 3, 1e-12);
	assert_float_equal(bc->p_holm, fmax(2 * bc->p_value, ac->p_holm), 1e-12);
	assert_float_equal(bc->ci_level, 1 - 0.05 / 2, 1e-12);
	assert_float_equal(ab->p_holm, fmax(ab->p_value, bc->p_holm), 1e-12);
	assert_float_equal(ab->ci_level, 0.95, 1e-12);
	/* a wider interval than the plain 95% one: z = 2.394 at 98.33% */
	double se = sqrt(0.5 * 0.5 / 200 + 0.65 * 0.35 / 200);
	assert_float_equal(ac->ci_high - ac->diff, 2.39398 * se, 1e-5);
	assert_true(ac->p_holm < 0.05 && ab->p_holm > 0.05);
	assert_non_null(strstr(r.ab.verdict, "The 3 variants convert differently"));
	assert_non_null(strstr(r.ab.verdict, "Best: C at 65.0%"));
	assert_non_null(strstr(r.ab.verdict, "C beats A"));
	assert_non_null(strstr(r.ab.verdict, "C beats B"));
	assert_null(strstr(r.ab.verdict, "B beats A"));
	assert_non_null(strstr(r.ab.verdict, "the other pairs cannot be told apart"));
	funnel_result_free(&r);
	funnel_log_free(log);

	/* more values than an experiment has variants: no A/B */
	sb.len = 0;
	sb_puts(&sb, "user_id,event,timestamp,variant,platform\n");
	id = 0;
	for (int v = 0; v < FUNNEL_MAX_VARIANTS + 1; v++) {
		char name[8];
		snprintf(name, sizeof name, "v%d", v);
		add_group(&sb, name, "ios", 20, 10, &id);
	}
	log = load_text(sb.data, &opt);
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_false(r.ab.present);
	funnel_result_free(&r);
	funnel_log_free(log);
	sb_free(&sb);
	funnel_steps_free(&steps);
}

static void test_ab_formats(void **state)
{
	(void)state;
	char buf[64];
	funnel_format_p(0.00896, buf, sizeof buf);
	assert_string_equal(buf, "0.009");
	funnel_format_p(0.769, buf, sizeof buf);
	assert_string_equal(buf, "0.769");
	funnel_format_p(0.16, buf, sizeof buf);
	assert_string_equal(buf, "0.160");
	funnel_format_p(0.00002, buf, sizeof buf);
	assert_string_equal(buf, "<0.001");
	/* a bound just below zero is not printed as -0.0 */
	funnel_format_interval(-0.0003, 0.0021, buf, sizeof buf);
	assert_string_equal(buf, "-0.03 to +0.21");
	funnel_format_interval(0.009, 0.063, buf, sizeof buf);
	assert_string_equal(buf, "+0.9 to +6.3");
	funnel_format_interval(0, 0.05, buf, sizeof buf);
	assert_string_equal(buf, "0.0 to +5.0");
	funnel_format_interval(-0.0000001, 0.05, buf, sizeof buf);
	assert_string_equal(buf, "0.000 to +5.000");
	/* chi-square tails against known values */
	assert_float_equal(funnel_chi2_sf(3.841459, 1), 0.05, 1e-6);
	assert_float_equal(funnel_chi2_sf(5.991465, 2), 0.05, 1e-6);
	assert_float_equal(funnel_chi2_sf(7.814728, 3), 0.05, 1e-6);
	assert_float_equal(funnel_chi2_sf(14.06714, 7), 0.05, 1e-6);
	assert_float_equal(funnel_chi2_sf(0, 3), 1, 0);
}

/* Breakdown columns by usefulness; the unit columns a screen can switch
 * between (issue 19). */
static void test_breakdown_columns_by_usefulness(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "session_id,user_id,event,timestamp,country,platform,constant\n");
	for (int u = 0; u < 30; u++)
		for (int s = 0; s < 2; s++)
			sb_printf(&sb, "s%d_%d,u%d,a,2026-06-01T10:0%d:00Z,c%d,p%d,x\n", u, s, u, s, u % 5,
				  u % 2);
	struct funnel_load_options opt = {.unit_col = "user_id", .all_props = true};
	struct funnel_log *log = load_text(sb.data, &opt);
	const char *names[8];
	size_t n = funnel_log_breakdown_columns(log, names, 8);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "platform"); /* 2 values */
	assert_string_equal(names[1], "country");  /* 5 */
	assert_string_equal(names[2], "constant"); /* one value: nothing to compare */
	assert_string_equal(names[3], "session_id"); /* a value per event: an id */
	const char *units[4];
	assert_int_equal(funnel_log_unit_columns(log, units, 4), 2);
	assert_string_equal(units[0], "session_id");
	assert_string_equal(units[1], "user_id");
	funnel_log_free(log);
	sb_free(&sb);
}

/* The lowest period is the incident: among the periods whose Wilson
 * interval lies below the median, not the smallest noisy one (issue 19). */
static void test_trend_lowest_with_intervals(void **state)
{
	(void)state;
	double lo, hi;
	funnel_wilson(6, 47, &lo, &hi);
	assert_float_equal(lo, 0.059846, 1e-5); /* the score interval, by hand */
	assert_float_equal(hi, 0.251739, 1e-5);
	funnel_wilson(0, 0, &lo, &hi);
	assert_true(lo != lo && hi != hi);
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "user_id,event,timestamp\n");
	/* days 1..9: 30 of 100; day 10: 1 of 10; day 11: 6 of 47 */
	int id = 0;
	for (int d = 1; d <= 11; d++) {
		int n = d <= 9 ? 100 : d == 10 ? 10 : 47, x = d <= 9 ? 30 : d == 10 ? 1 : 6;
		for (int i = 0; i < n; i++, id++) {
			sb_printf(&sb, "u%d,a,2026-06-%02dT10:00:00Z\n", id, d);
			if (i < x)
				sb_printf(&sb, "u%d,b,2026-06-%02dT11:00:00Z\n", id, d);
		}
	}
	sb_puts(&sb, "zz,a,2026-07-30T10:00:00Z\n"); /* the log runs on: all complete */
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	struct funnel_log *log = load_text(sb.data, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.window_ms = 86400000;
	q.trend = FUNNEL_DAY;
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ntrend, 12);
	assert_float_equal(r.trend[10].rate, 6.0 / 47, 1e-12);
	assert_float_equal(r.trend[10].high, 0.251739, 1e-5);
	size_t lowest;
	double median;
	assert_true(funnel_trend_lowest(r.trend, r.ntrend, &lowest, &median));
	assert_float_equal(median, 0.30, 1e-12);
	assert_int_equal(lowest, 10); /* 6 of 47, not the day of 1 in 10 */
	funnel_result_free(&r);
	funnel_log_free(log);
	sb_free(&sb);
	funnel_steps_free(&steps);
}

/* Exclusion steps: a unit with the event inside its span of the chain is
 * left out altogether (PostHog's exclusions; issue 19). */
static void test_exclusion_steps(void **state)
{
	(void)state;
	const char *text = "user_id,event,timestamp\n"
			   "u1,a,2026-06-01T10:00:00Z\nu1,x,2026-06-01T10:01:00Z\n"
			   "u1,b,2026-06-01T10:02:00Z\n"
			   "u2,a,2026-06-01T10:00:00Z\nu2,b,2026-06-01T10:01:00Z\n"
			   "u2,x,2026-06-01T10:02:00Z\nu2,c,2026-06-01T10:03:00Z\n"
			   "u3,a,2026-06-01T10:00:00Z\nu3,x,2026-06-01T10:30:00Z\n"
			   "u4,a,2026-06-01T10:00:00Z\nu4,x,2026-06-03T10:00:00Z\n"
			   "u5,a,2026-06-01T10:00:00Z\nu5,b,2026-06-01T10:01:00Z\n"
			   "u5,c,2026-06-01T10:02:00Z\n";
	struct funnel_steps steps, also = {0};
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b,c", &steps, err, sizeof err), 0);
	struct funnel_exclusion ex;
	assert_int_equal(funnel_exclusion_parse("x:1-2", steps.count, &ex, err, sizeof err), 0);
	assert_int_equal(ex.from, 0);
	assert_int_equal(ex.to, 1);
	assert_int_equal(funnel_steps_add(&also, "x", err, sizeof err), 0);
	/* only the step events and the exclusion's are stored */
	struct funnel_load_options opt = {.steps = &steps, .also = &also};
	struct funnel_log *log = load_text(text, &opt);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.window_ms = 86400000;
	q.exclude = &ex;
	q.nexclude = 1;
	assert_true(funnel_log_covers(log, &q));
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	/* u1 (x between a and b) and u3 (x within the window, no b) are out;
	 * u4's x comes after its window, u2's after its b */
	assert_int_equal(r.excluded, 2);
	assert_int_equal(r.bars.count[0], 3);
	assert_int_equal(r.bars.count[1], 2);
	assert_int_equal(r.bars.count[2], 2);
	assert_int_equal(r.reach[funnel_log_find_unit(log, "u1")], 0);
	funnel_result_free(&r);
	funnel_exclusion_free(&ex);
	/* between b and c: u2 is out, u1 (x before its b) stays */
	assert_int_equal(funnel_exclusion_parse("x:2-3", steps.count, &ex, err, sizeof err), 0);
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.excluded, 1);
	assert_int_equal(r.bars.count[0], 4);
	assert_int_equal(r.bars.count[2], 1);
	funnel_result_free(&r);
	/* any order has no "between" */
	q.order = FUNNEL_ANY;
	assert_int_not_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_non_null(strstr(err, "need an order"));
	funnel_exclusion_free(&ex);
	funnel_log_free(log);
	/* the log loaded without x cannot answer */
	struct funnel_load_options narrow = {.steps = &steps};
	log = load_text(text, &narrow);
	assert_int_equal(funnel_exclusion_parse("x", steps.count, &ex, err, sizeof err), 0);
	assert_int_equal(ex.from, 0);
	assert_int_equal(ex.to, 2);
	q.order = FUNNEL_ORDERED;
	assert_false(funnel_log_covers(log, &q));
	funnel_exclusion_free(&ex);
	funnel_log_free(log);
	/* bad specs */
	assert_int_not_equal(funnel_exclusion_parse("x:3-2", 3, &ex, err, sizeof err), 0);
	assert_non_null(strstr(err, "two of 1 to 3"));
	assert_int_not_equal(funnel_exclusion_parse("x:0-1", 3, &ex, err, sizeof err), 0);
	assert_int_not_equal(funnel_exclusion_parse(":1-2", 3, &ex, err, sizeof err), 0);
	assert_non_null(strstr(err, "no event"));
	/* a colon that does not name steps belongs to the event */
	assert_int_equal(funnel_exclusion_parse("page:view", 3, &ex, err, sizeof err), 0);
	assert_string_equal(ex.event.step[0].name, "page:view");
	funnel_exclusion_free(&ex);
	funnel_steps_free(&also);
	funnel_steps_free(&steps);
}

/* Time to convert between two steps: log buckets, median, p90 (issue 19). */
static void test_time_to_convert(void **state)
{
	(void)state;
	/* a to c in 3s, 3s, 40s, 90s, 7 x 2h, 3d: twelve units */
	static const int seconds[] = {3, 3, 40, 90, 7200, 7200, 7200, 7200, 7200, 7200, 7200, 259200};
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "user_id,event,timestamp\n");
	size_t n = sizeof seconds / sizeof seconds[0];
	for (size_t i = 0; i < n; i++) {
		sb_printf(&sb, "u%zu,a,1780000000\nu%zu,b,1780000001\n", i, i);
		sb_printf(&sb, "u%zu,c,%d\n", i, 1780000000 + seconds[i]);
	}
	sb_puts(&sb, "u99,a,1780000000\n"); /* enters, never converts */
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b,c", &steps, err, sizeof err), 0);
	struct funnel_log *log = load_text(sb.data, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	const struct funnel_ttc *t = &r.ttc;
	assert_int_equal(t->from, 0);
	assert_int_equal(t->to, 2);
	assert_int_equal(t->n, 12);
	assert_float_equal(t->median_s, 7200, 1e-9);
	assert_float_equal(t->p90_s, 7200, 1e-9); /* rank 11 of 12 */
	/* from the 2s-5s bucket to the 2d-7d one */
	char label[32];
	funnel_ttc_label(t, 0, label, sizeof label);
	assert_string_equal(label, "2s-5s");
	assert_int_equal(t->count[0], 2);
	funnel_ttc_label(t, t->nbuckets - 1, label, sizeof label);
	assert_string_equal(label, "2d-7d");
	assert_int_equal(t->count[t->nbuckets - 1], 1);
	uint64_t total = 0;
	for (size_t i = 0; i < t->nbuckets; i++)
		total += t->count[i];
	assert_int_equal(total, 12);
	funnel_ttc_label(t, 3, label, sizeof label); /* 30s-1m holds the 40s */
	assert_string_equal(label, "30s-1m");
	assert_int_equal(t->count[3], 1);
	funnel_result_free(&r);
	/* between steps 1 and 2 (b one second after a): all in 1s-2s */
	q.ttc_from = 0;
	q.ttc_to = 1;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ttc.nbuckets, 1);
	funnel_ttc_label(&r.ttc, 0, label, sizeof label);
	assert_string_equal(label, "1s-2s");
	assert_float_equal(r.ttc.median_s, 1, 1e-9);
	funnel_result_free(&r);
	q.ttc_from = 2;
	q.ttc_to = 1;
	assert_int_not_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	/* any order has no time to convert */
	q.ttc_from = q.ttc_to = 0;
	q.order = FUNNEL_ANY;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ttc.n, 0);
	funnel_result_free(&r);
	funnel_log_free(log);
	sb_free(&sb);
	funnel_steps_free(&steps);
}

/* A breakdown with a trend: each group gets its own points (issue 19). */
static void test_trend_per_breakdown_value(void **state)
{
	(void)state;
	const char *text = "user_id,event,timestamp,platform\n"
			   "u1,a,2026-06-01T10:00:00Z,ios\nu1,b,2026-06-01T10:01:00Z,ios\n"
			   "u2,a,2026-06-01T11:00:00Z,web\n"
			   "u3,a,2026-06-02T10:00:00Z,web\nu3,b,2026-06-02T10:01:00Z,web\n"
			   "u4,a,2026-06-02T11:00:00Z,web\nu4,b,2026-06-02T11:01:00Z,web\n"
			   "u5,a,2026-06-02T12:00:00Z,ios\n";
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	struct funnel_load_options opt = {.all_props = true};
	struct funnel_log *log = load_text(text, &opt);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.by = "platform";
	q.trend = FUNNEL_DAY;
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ntrend, 2);
	assert_int_equal(r.ngroups, 2);
	/* web has 3 entries, ios 2: web first */
	assert_string_equal(r.groups[0].value, "web");
	assert_int_equal(r.groups[0].ntrend, 2);
	assert_int_equal(r.groups[0].trend[0].entered, 1);
	assert_int_equal(r.groups[0].trend[0].converted, 0);
	assert_int_equal(r.groups[0].trend[1].entered, 2);
	assert_int_equal(r.groups[0].trend[1].converted, 2);
	assert_string_equal(r.groups[1].value, "ios");
	assert_int_equal(r.groups[1].trend[0].converted, 1);
	assert_int_equal(r.groups[1].trend[1].entered, 1);
	assert_int_equal(r.groups[1].trend[1].converted, 0);
	/* the groups add up to the whole */
	for (size_t p = 0; p < r.ntrend; p++)
		assert_int_equal(r.trend[p].entered,
				 r.groups[0].trend[p].entered + r.groups[1].trend[p].entered);
	funnel_result_free(&r);
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

/* --time-type timestamp: short queries over typed times; duckdb parses
 * text times too; exclusions are not in the SQL (issue 19). */
static void test_sql_typed_times(void **state)
{
	(void)state;
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,/^b/", &steps, err, sizeof err), 0);
	struct funnel_log *log = load_text("user_id,event,ts\nu1,a,2026-06-01\n", NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	enum funnel_time_type tt;
	assert_int_equal(funnel_time_type_parse("timestamp", &tt), 0);
	assert_int_not_equal(funnel_time_type_parse("datetime", &tt), 0);
	enum funnel_sql_dialect d;
	assert_int_equal(funnel_sql_dialect_parse("duckdb", &d), 0);
	assert_int_equal(d, FUNNEL_SQL_DUCKDB);
	char *text = funnel_sql(FUNNEL_SQL_CLICKHOUSE, FUNNEL_TIME_TEXT, log, &q, "t", err, sizeof err);
	char *typed = funnel_sql(FUNNEL_SQL_CLICKHOUSE, FUNNEL_TIME_TIMESTAMP, log, &q, "t", err,
				 sizeof err);
	assert_non_null(text);
	assert_non_null(typed);
	assert_non_null(strstr(typed, "toUnixTimestamp64Milli(toDateTime64(\"ts\", 3, 'UTC'))"));
	assert_null(strstr(typed, "replaceRegexpAll"));
	assert_true(strlen(typed) * 3 < strlen(text)); /* a third of the text mode's, or less */
	free(text);
	free(typed);
	typed = funnel_sql(FUNNEL_SQL_POSTGRES, FUNNEL_TIME_TIMESTAMP, log, &q, "t", err, sizeof err);
	assert_non_null(strstr(typed, "floor(extract(epoch FROM t.\"ts\") * 1000)::bigint"));
	assert_null(strstr(typed, "regexp_match"));
	free(typed);
	typed = funnel_sql(FUNNEL_SQL_DUCKDB, FUNNEL_TIME_TIMESTAMP, log, &q, "t", err, sizeof err);
	assert_non_null(strstr(typed, "epoch_ms(t.\"ts\")"));
	assert_non_null(strstr(typed, "t.rowid AS aipm_row"));
	assert_non_null(strstr(typed, "regexp_matches(e.ev, '^b', 'i')"));
	assert_null(strstr(typed, "FILTER (WHERE e.ev"));
	free(typed);
	text = funnel_sql(FUNNEL_SQL_DUCKDB, FUNNEL_TIME_TEXT, log, &q, "t", err, sizeof err);
	assert_non_null(text);
	/* DuckDB has no regexp_match: the groups as a struct, made a list */
	assert_non_null(strstr(text, "regexp_extract(aipm_text.s, '^([0-9]{4})"));
	assert_non_null(strstr(text, "CASE WHEN d_ok THEN [nullif(dg.d1, '')"));
	assert_non_null(strstr(text, "t.rowid AS aipm_row, aipm_time.ms AS aipm_ms"));
	assert_null(strstr(text, "SET datestyle"));
	assert_null(strstr(text, "btrim("));
	free(text);
	struct funnel_exclusion ex;
	assert_int_equal(funnel_exclusion_parse("x", 2, &ex, err, sizeof err), 0);
	q.exclude = &ex;
	q.nexclude = 1;
	assert_null(funnel_sql(FUNNEL_SQL_POSTGRES, FUNNEL_TIME_TEXT, log, &q, "t", err, sizeof err));
	assert_non_null(strstr(err, "exclusion steps"));
	funnel_exclusion_free(&ex);
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

static void test_breakdown_and_filters(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "user_id,event,timestamp,variant,platform\n");
	int id = 0;
	/* seven platforms of decreasing size: the top five, then "other" */
	static const char *const platforms[] = {"p1", "p2", "p3", "p4", "p5", "p6", "p7"};
	for (int p = 0; p < 7; p++)
		add_group(&sb, "A", platforms[p], 20 - p, 10 - p, &id);
	/* first touch: u900 enters on p1 and later shows up on p2 */
	sb_puts(&sb, "u900,a,2026-06-01T09:00:00Z,A,p1\nu900,b,2026-06-01T09:01:00Z,A,p2\n");
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	struct funnel_load_options opt = {.all_props = true};
	struct funnel_log *log = load_text(sb.data, &opt);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.by = "platform";
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.ngroups, 6);
	assert_string_equal(r.groups[0].value, "p1");
	assert_int_equal(r.groups[0].bars.count[0], 21);
	assert_int_equal(r.groups[0].bars.count[1], 11);
	assert_string_equal(r.groups[4].value, "p5");
	assert_true(r.groups[5].other);
	assert_int_equal(r.groups[5].nvalues, 2);
	assert_int_equal(r.groups[5].bars.count[0], 15 + 14);
	/* seven values: an A/B/n check across all of them */
	assert_true(r.ab.present);
	assert_int_equal(r.ab.nvariants, 7);
	size_t u900 = funnel_log_find_unit(log, "u900");
	assert_string_equal(funnel_unit_group(&r, u900), "p1");
	funnel_result_free(&r);

	/* filters drop rows: two values of one column are alternatives */
	struct funnel_filter f[] = {{"platform", "p1"}, {"platform", "p3"}};
	q.by = NULL;
	q.filters = f;
	q.nfilters = 2;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	/* u900's b is on p2 and is filtered out */
	assert_int_equal(r.bars.count[0], 21 + 18);
	assert_int_equal(r.bars.count[1], 10 + 8);
	funnel_result_free(&r);
	/* a value that never occurs keeps nothing; a missing column is named */
	struct funnel_filter none[] = {{"platform", "p9"}};
	q.filters = none;
	q.nfilters = 1;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 0);
	assert_non_null(strstr(r.summary, "No users reached the first step"));
	funnel_result_free(&r);
	struct funnel_filter missing[] = {{"country", "fr"}};
	q.filters = missing;
	assert_false(funnel_log_covers(log, &q));
	assert_int_not_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_non_null(strstr(err, "no column 'country'"));
	assert_non_null(strstr(err, "platform"));
	funnel_log_free(log);
	funnel_steps_free(&steps);
	sb_free(&sb);
}

static void test_dropped_units_and_export(void **state)
{
	(void)state;
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b,c", &steps, err, sizeof err), 0);
	struct funnel_log *log = load_text(three_units, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.order = FUNNEL_STRICT;
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	size_t *units;
	size_t n = funnel_dropped_units(&r, 1, &units);
	assert_int_equal(n, 2);
	assert_string_equal(funnel_log_unit_id(log, units[0]), "u2");
	assert_string_equal(funnel_log_unit_id(log, units[1]), "u3");
	free(units);
	assert_int_equal(funnel_dropped_units(&r, 2, &units), 0);
	free(units);
	char *dir = test_tempdir();
	char *path = xasprintf("%s/dropped.csv", dir);
	assert_int_equal(funnel_export_dropped(&r, 1, path, false, err, sizeof err), 0);
	size_t len;
	char *text = test_read_file(path, &len);
	assert_string_equal(text, "user_id,entered,last_step,last_step_at\n"
				  "u2,2026-06-01 00:00:00,1,2026-06-01 00:00:00\n"
				  "u3,2026-06-01 00:02:00,1,2026-06-01 00:02:00\n");
	free(text);
	assert_int_not_equal(funnel_export_dropped(&r, 1, dir, true, err, sizeof err), 0);
	assert_non_null(strstr(err, "not a regular file (a folder)"));
	/* an existing file is kept unless the caller may replace it */
	assert_int_not_equal(funnel_export_dropped(&r, 1, path, false, err, sizeof err), 0);
	assert_non_null(strstr(err, "already exists"));
	assert_int_equal(funnel_export_dropped(&r, 1, path, true, err, sizeof err), 0);
	funnel_result_free(&r);
	funnel_log_free(log);

	/* every stored column at first touch, formulas disarmed (issue 19) */
	const char *props_log = "user_id,event,timestamp,campaign,plan\n"
				"@u1,a,2026-06-01T10:00:00Z,+spring,free\n"
				"@u1,a,2026-06-02T10:00:00Z,summer,pro\n"
				"u2,a,2026-06-01T10:00:00Z,-1,free\nu2,b,2026-06-01T10:01:00Z,x,free\n";
	struct funnel_load_options all = {.all_props = true};
	log = load_text(props_log, &all);
	q.order = FUNNEL_ORDERED;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(funnel_export_dropped(&r, 1, path, true, err, sizeof err), 0);
	text = test_read_file(path, &len);
	assert_string_equal(text, "user_id,entered,last_step,last_step_at,campaign,plan\n"
				  "'@u1,2026-06-01 10:00:00,1,2026-06-01 10:00:00,'+spring,free\n");
	free(text);
	assert_int_equal(funnel_export_dropped(&r, 2, path, true, err, sizeof err), 0);
	text = test_read_file(path, &len);
	assert_string_equal(text, "user_id,entered,last_step,last_step_at,campaign,plan\n"
				  "u2,2026-06-01 10:00:00,2,2026-06-01 10:01:00,'-1,free\n");
	free(text);
	funnel_result_free(&r);
	test_remove_tree(dir);
	free(path);
	free(dir);
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

static void test_steps_parse(void **state)
{
	(void)state;
	struct funnel_steps s;
	char err[256];
	assert_int_equal(funnel_steps_parse("store_click,/^sign(up|_up)$/,/a,b/", &s, err, sizeof err), 0);
	assert_int_equal(s.count, 3);
	assert_string_equal(s.step[1].text, "/^sign(up|_up)$/");
	assert_int_equal(funnel_step_match(&s.step[1], "signup"), PATTERN_MATCH);
	assert_int_equal(funnel_step_match(&s.step[1], "SIGN_UP"), PATTERN_MATCH);
	assert_int_equal(funnel_step_match(&s.step[1], "signups"), PATTERN_NO_MATCH);
	assert_int_equal(funnel_step_match(&s.step[2], "xa,by"), PATTERN_MATCH);
	assert_int_equal(funnel_step_match(&s.step[0], "store_clicks"), PATTERN_NO_MATCH);
	funnel_steps_free(&s);
	assert_int_not_equal(funnel_steps_parse("only_one", &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "at least 2 steps"));
	assert_int_not_equal(funnel_steps_parse("a,,b", &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "step 2 is empty"));
	assert_int_not_equal(funnel_steps_parse("a,/(/", &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "step 2, pattern /(/"));
	assert_int_not_equal(funnel_steps_parse("a,b,c,d,e,f,g,h,i,j,k,l,m", &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "at most 12 steps"));
}

/* ---- loading -------------------------------------------------------------- */

static void expect_load_error(const char *data, size_t len, const char *fragment)
{
	struct funnel_log *log = NULL;
	char err[1024];
	if (funnel_log_parse("bad.csv", data, len, NULL, &log, err, sizeof err) == 0) {
		funnel_log_free(log);
		fail_msg("loaded; expected an error with '%s'", fragment);
	}
	if (!strstr(err, fragment))
		fail_msg("error '%s' lacks '%s'", err, fragment);
}

static void test_loader_columns(void **state)
{
	(void)state;
	/* other names for the columns, in another order, found by name */
	const char *csv = "Time,Distinct_ID,event_name,plan\n"
			  "2026-06-01T00:00:00Z,p1,a,pro\n"
			  "2026-06-01T00:01:00Z,p1,b,pro\n";
	struct funnel_log *log = load_text(csv, NULL);
	assert_string_equal(funnel_log_unit_col(log), "Distinct_ID");
	assert_string_equal(funnel_log_event_col(log), "event_name");
	assert_string_equal(funnel_log_time_col(log), "Time");
	assert_int_equal(funnel_log_stats(log)->kept, 2);
	assert_string_equal(funnel_unit_noun(log), "users");
	funnel_log_free(log);
	/* a chosen unit column wins */
	struct funnel_load_options opt = {.unit_col = "plan"};
	log = load_text(csv, &opt);
	assert_string_equal(funnel_log_unit_col(log), "plan");
	assert_string_equal(funnel_unit_noun(log), "units");
	funnel_log_free(log);
	/* a missing column names the ones found */
	const char *nameless = "who,what,when\nu1,a,2026-06-01\n";
	expect_load_error(nameless, strlen(nameless),
			  "bad.csv:1: no unit column (looked for user_id, distinct_id, person_id...); "
			  "the header has 3 columns: 'who', 'what', 'when'");
	opt = (struct funnel_load_options){.time_col = "ts"};
	struct funnel_log *l2;
	char err[512];
	assert_int_not_equal(funnel_log_parse("x.csv", csv, strlen(csv), &opt, &l2, err, sizeof err), 0);
	assert_non_null(strstr(err, "no time column 'ts'"));
	const char *props[] = {"country"};
	opt = (struct funnel_load_options){.props = props, .nprops = 1};
	assert_int_not_equal(funnel_log_parse("x.csv", csv, strlen(csv), &opt, &l2, err, sizeof err), 0);
	assert_non_null(strstr(err, "no column 'country'"));
}

static void test_loader_bad_rows(void **state)
{
	(void)state;
	const char *csv = "\xEF\xBB\xBFuser_id,event,timestamp,note\r\n"
			  "u1,a,2026-06-01T00:00:00Z,\"two\r\nlines\"\r\n"
			  "u1,b,2026-06-01T00:01:00Z,ok\r\n"
			  "\r\n"
			  "u2,a,,x\r\n"
			  "u3,a,2026-02-30T00:00:00Z,x\r\n"
			  "u4,a,2026-06-01T00:00:00Z\r\n"
			  ",a,2026-06-01T00:00:00Z,x\r\n"
			  "u5,,2026-06-01T00:00:00Z,x\r\n"
			  "u\xff\xfe,a,2026-06-01T00:00:00Z,x\r\n"
			  "u6,a,1970-01-01T00:00:00Z,x";
	struct funnel_log *log = load_text(csv, NULL);
	const struct funnel_load_stats *st = funnel_log_stats(log);
	assert_int_equal(st->lines, 12);
	assert_int_equal(st->rows, 9);
	assert_int_equal(st->valid, 3);
	assert_int_equal(st->skipped, 6);
	assert_int_equal(st->skipped_by[FUNNEL_SKIP_RAGGED], 1);
	assert_int_equal(st->skipped_by[FUNNEL_SKIP_EMPTY_TIME], 1);
	assert_int_equal(st->skipped_by[FUNNEL_SKIP_BAD_TIME], 2);
	assert_int_equal(st->skipped_by[FUNNEL_SKIP_EMPTY_UNIT], 1);
	assert_int_equal(st->skipped_by[FUNNEL_SKIP_EMPTY_EVENT], 1);
	assert_int_equal(st->examples, 6);
	/* physical lines, counting the quoted line break and the blank line */
	assert_int_equal(st->example[0].line, 6);
	assert_string_equal(st->example[0].reason, "empty timestamp");
	assert_int_equal(st->example[1].line, 7);
	assert_string_equal(st->example[1].reason, "bad timestamp '2026-02-30T00:00:00Z'");
	assert_int_equal(st->example[2].line, 8);
	assert_string_equal(st->example[2].reason, "3 fields, the header has 4");
	assert_int_equal(st->example[5].line, 12);
	/* the invalid UTF-8 unit id loads, and prints cleaned */
	size_t bad = funnel_log_find_unit(log, "u\xff\xfe");
	assert_true(bad != SIZE_MAX);
	char *clean = sanitize_dup(funnel_log_unit_id(log, bad), SANITIZE_LINE);
	assert_string_equal(clean, "u\xef\xbf\xbd\xef\xbf\xbd");
	free(clean);
	clean = sanitize_dup("tab\there \xc3\xa9 \xe2\x82\xac \xed\xa0\x80 \xc0\xaf", SANITIZE_LINE);
	assert_string_equal(clean, "tab\xef\xbf\xbd" "here \xc3\xa9 \xe2\x82\xac "
				   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
	free(clean);
	funnel_log_free(log);
}

static void test_loader_bad_files(void **state)
{
	(void)state;
	expect_load_error("", 0, "empty file");
	expect_load_error("\n\n\r\n", 4, "empty file");
	expect_load_error("\xff\xfeu\0s\0", 6, "UTF-16");
	/* binary: its first NUL byte, placed */
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0,\x03\0>\0\n\x01\x02";
	expect_load_error(elf, sizeof elf - 1, "bad.csv:1:8: a NUL byte");
	/* an unclosed quote swallowing a large file is stopped, with its line */
	size_t big = (3u << 20) + 100;
	char *data = xmalloc(big);
	const char *head = "user_id,event,timestamp\nu1,a,2026-06-01\nu2,\"a,";
	memcpy(data, head, strlen(head));
	for (size_t i = strlen(head); i < big; i++)
		data[i] = i % 50 ? 'x' : '\n';
	expect_load_error(data, big, "bad.csv:3: a field runs over 1 MB");
	free(data);
	/* the first row's first field empty (found by the fuzzer: an empty
	 * copy into a buffer not yet allocated) */
	struct funnel_log *first_empty = load_text("user_id,event,timestamp\n,a,2026-06-01\n", NULL);
	assert_int_equal(funnel_log_stats(first_empty)->skipped_by[FUNNEL_SKIP_EMPTY_UNIT], 1);
	funnel_log_free(first_empty);
	/* a header alone is a log with no events */
	struct funnel_log *log = load_text("user_id,event,timestamp\n", NULL);
	assert_int_equal(funnel_log_stats(log)->rows, 0);
	assert_int_equal(funnel_log_unit_count(log), 0);
	struct funnel_steps steps;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 0);
	funnel_result_free(&r);
	funnel_log_free(log);
	funnel_steps_free(&steps);
	/* a missing file and a folder */
	assert_int_not_equal(funnel_log_load("/nonexistent/events.csv", NULL, &log, err, sizeof err), 0);
	assert_non_null(strstr(err, "/nonexistent/events.csv: cannot read: No such file"));
	assert_int_not_equal(funnel_log_load("/tmp", NULL, &log, err, sizeof err), 0);
	assert_non_null(strstr(err, "/tmp: not a regular file (a folder)"));
}

/* Issue 14: what used to be counted silently is refused or said. */
static void test_loader_refuses_what_it_would_cut(void **state)
{
	(void)state;
	/* a NUL byte cut 'signup\0_FAILED' to 'signup': refused, placed */
	static const char nul[] = "user_id,event,timestamp\nu1,signup\0_FAILED,2026-06-01\n";
	expect_load_error(nul, sizeof nul - 1, "bad.csv:2:10: a NUL byte");
	/* past the first 1 MB block, on a line that began in the block before */
	size_t big = (1u << 20) + 5000;
	char *data = xmalloc(big + 64);
	const char *head = "user_id,event,timestamp,note\n";
	size_t n = strlen(head);
	memcpy(data, head, n);
	long lines = 1;
	while (n < (1u << 20) - 20) {
		memcpy(data + n, "u1,a,2026-06-01,xxxxx\n", 22);
		n += 22;
		lines++;
	}
	/* a row that straddles the block boundary, its NUL after it */
	const char *tail = "u2,b,2026-06-01,yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";
	memcpy(data + n, tail, strlen(tail));
	n += strlen(tail);
	data[n++] = '\0';
	memcpy(data + n, "z\n", 2);
	n += 2;
	char want[64];
	snprintf(want, sizeof want, "bad.csv:%ld:%zu: a NUL byte", lines + 1, strlen(tail) + 1);
	expect_load_error(data, n, want);
	free(data);
	/* an unclosed quote at the end: named on the line where it opened */
	const char *open_quote = "user_id,event,timestamp\nu1,a,2026-06-01\n\"u3,a,2026-06-01\n"
				 "u4,a,2026-06-01\n";
	expect_load_error(open_quote, strlen(open_quote),
			  "bad.csv:3: a quote opens a field here and is never closed");
	/* one closed far too late: the skipped row says where the quote ran */
	const char *late = "user_id,event,timestamp\nu1,\"a,2026-06-01\nu2,a,2026-06-01\n"
			   "u3,a\",2026-06-01,x\n";
	struct funnel_log *log = load_text(late, NULL);
	const struct funnel_load_stats *st = funnel_log_stats(log);
	assert_int_equal(st->skipped_by[FUNNEL_SKIP_RAGGED], 1);
	assert_int_equal(st->example[0].line, 2);
	assert_non_null(strstr(st->example[0].reason, "a quoted field runs to line 4"));
	funnel_log_free(log);
	/* UTF-32 is named too */
	expect_load_error("u\0\0\0s\0\0\0", 8, "this is UTF-32 text");
}

/* A step pattern that hits PCRE2's limits stops the funnel with the
 * pattern and the line, in the loader and in the computation (the TUI
 * loads every event); before, it undercounted silently. */
static void test_too_complex_step_pattern(void **state)
{
	(void)state;
	const char *csv = "user_id,event,timestamp\n"
			  "u1,b,2026-06-01T00:00:00Z\n"
			  "u1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac,2026-06-01T00:01:00Z\n"
			  "u1,b,2026-06-01T00:02:00Z\n";
	struct funnel_steps steps;
	char err[512];
	assert_int_equal(funnel_steps_parse("/^(?:(a+)+b|a)/,b", &steps, err, sizeof err), 0);
	assert_int_equal(funnel_step_match(&steps.step[0], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"),
			 PATTERN_TOO_COMPLEX);
	struct funnel_load_options opt = {.steps = &steps};
	struct funnel_log *log = NULL;
	assert_int_not_equal(funnel_log_parse("test.csv", csv, strlen(csv), &opt, &log, err,
					      sizeof err),
			     0);
	assert_non_null(strstr(err, "test.csv:3: step 1, pattern /^(?:(a+)+b|a)/: pattern too "
				    "complex"));
	log = load_text(csv, NULL);
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	struct funnel_result r;
	assert_int_not_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_non_null(strstr(err, "test.csv:3: step 1, pattern /^(?:(a+)+b|a)/: pattern too "
				    "complex"));
	assert_true(funnel_log_step_has_events(log, &steps.step[0]));
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

static void test_where_value_in_another_case(void **state)
{
	(void)state;
	const char *csv = "user_id,event,timestamp,platform\n"
			  "u1,a,2026-06-01T00:00:00Z,android\n"
			  "u1,b,2026-06-01T00:01:00Z,android\n";
	struct funnel_steps steps;
	char err[512];
	assert_int_equal(funnel_steps_parse("a,b", &steps, err, sizeof err), 0);
	const char *props[] = {"platform"};
	struct funnel_load_options opt = {.props = props, .nprops = 1};
	struct funnel_log *log = load_text(csv, &opt);
	struct funnel_filter f = {"platform", "Android"};
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	q.filters = &f;
	q.nfilters = 1;
	struct funnel_result r;
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 0);
	assert_string_equal(r.filter_hint, "no row has platform=Android (values match exactly); "
					   "did you mean platform=android?");
	funnel_result_free(&r);
	f.value = "android";
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_int_equal(r.bars.count[0], 1);
	assert_string_equal(r.filter_hint, "");
	funnel_result_free(&r);
	/* a value in no case at all gets no hint */
	f.value = "ios";
	assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
	assert_string_equal(r.filter_hint, "");
	funnel_result_free(&r);
	funnel_log_free(log);
	funnel_steps_free(&steps);
}

static void test_covers_and_events(void **state)
{
	(void)state;
	struct funnel_steps load_steps, other;
	char err[256];
	assert_int_equal(funnel_steps_parse("a,b", &load_steps, err, sizeof err), 0);
	assert_int_equal(funnel_steps_parse("a,c", &other, err, sizeof err), 0);
	struct funnel_load_options opt = {.steps = &load_steps};
	struct funnel_log *log = load_text(three_units, &opt);
	/* only a and b were stored: 6 of 10 events */
	assert_int_equal(funnel_log_stats(log)->kept, 6);
	assert_int_equal(funnel_log_stats(log)->valid, 10);
	struct funnel_query q;
	funnel_query_init(&q, &load_steps);
	assert_true(funnel_log_covers(log, &q));
	q.order = FUNNEL_STRICT;
	assert_false(funnel_log_covers(log, &q));
	funnel_query_init(&q, &other);
	assert_false(funnel_log_covers(log, &q));
	struct funnel_event_count *ev;
	size_t n = funnel_log_events(log, &ev);
	assert_int_equal(n, 4);
	assert_string_equal(ev[0].name, "a");
	assert_int_equal(ev[0].rows, 3);
	assert_string_equal(ev[3].name, "x");
	free(ev);
	assert_true(funnel_log_step_has_events(log, &other.step[1]));
	funnel_log_free(log);
	funnel_steps_free(&load_steps);
	funnel_steps_free(&other);
}

static void test_stage_counts(void **state)
{
	(void)state;
	const char *content = getenv("AIPM_SOURCE_CONTENT");
	assert_non_null(content);
	char *path = xasprintf("%s/datasets/aarrr_stages.csv", content);
	struct funnel_stages s;
	char err[512];
	assert_int_equal(funnel_stages_load(path, &s, err, sizeof err), 0);
	assert_true(funnel_is_stage_file(path));
	assert_int_equal(s.count, 6);
	assert_string_equal(s.stage[0].name, "awareness");
	assert_string_equal(s.stage[0].owner, "product marketing");
	assert_string_equal(s.stage[3].owner, "PM or growth");
	struct funnel_bars bars;
	funnel_stages_bars(&s, &bars);
	assert_int_equal(bars.count[5], 2);
	const char *names[FUNNEL_MAX_STEPS];
	for (size_t i = 0; i < s.count; i++)
		names[i] = s.stage[i].name;
	char text[600];
	size_t drop, weak;
	funnel_describe(&bars, s.count, names, "people", text, sizeof text, &drop, &weak);
	assert_string_equal(text, "The biggest drop is from awareness to acquisition: 60 of 100 people "
				  "(60.0%) go no further. Overall 2.0% of those who reach awareness "
				  "get to referral.");
	assert_int_equal(drop, 1);
	funnel_stages_free(&s);
	free(path);

	char *dir = test_tempdir();
	test_write_file(dir, "s.csv", "stage,count\nseen,100\nclicked,lots\n");
	path = xasprintf("%s/s.csv", dir);
	assert_int_not_equal(funnel_stages_load(path, &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "s.csv:3: count 'lots' is not a whole number"));
	free(path);
	/* counts that rise: before, "200.0% of first" and "no people are lost" */
	test_write_file(dir, "r.csv", "stage,count\nseen,100\nclicked,200\n");
	path = xasprintf("%s/r.csv", dir);
	assert_int_not_equal(funnel_stages_load(path, &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "r.csv:3: stage 'clicked' has 200, more than the 100 of 'seen' "
				    "before it"));
	free(path);
	/* and an edited count (the TUI) is described as needing a check */
	struct funnel_bars rising = {.count = {100, 200}};
	const char *two[] = {"seen", "clicked"};
	funnel_describe(&rising, 2, two, "people", text, sizeof text, &drop, &weak);
	assert_non_null(strstr(text, "More people reach clicked (200) than seen before it (100)"));
	/* UTF-16 and a NUL byte in a stage file */
	test_write_file(dir, "w.csv", "\xff\xfes\0t\0");
	path = xasprintf("%s/w.csv", dir);
	assert_int_not_equal(funnel_stages_load(path, &s, err, sizeof err), 0);
	assert_non_null(strstr(err, "w.csv: this is UTF-16 text"));
	free(path);
	test_write_file(dir, "e.csv", "user_id,event,timestamp\n");
	path = xasprintf("%s/e.csv", dir);
	assert_false(funnel_is_stage_file(path));
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* What the screen's "save" writes, the loader reads back, quoting included. */
static void test_stage_counts_save_round_trip(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	test_write_file(dir, "in.csv", "stage,count,owner\nseen,100,marketing\nclicked,40,growth\n");
	char *in = xasprintf("%s/in.csv", dir), *out = xasprintf("%s/out.csv", dir);
	struct funnel_stages s, back;
	char err[512];
	assert_int_equal(funnel_stages_load(in, &s, err, sizeof err), 0);
	free(s.stage[1].owner);
	s.stage[1].owner = xstrdup("PM, \"growth\"");
	s.stage[1].count = 41;
	assert_int_equal(funnel_stages_save(&s, out, false, err, sizeof err), 0);
	assert_int_equal(funnel_stages_load(out, &back, err, sizeof err), 0);
	assert_int_equal(back.count, 2);
	assert_string_equal(back.stage[0].name, "seen");
	assert_int_equal(back.stage[1].count, 41);
	assert_string_equal(back.stage[1].owner, "PM, \"growth\"");
	funnel_stages_free(&back);
	char *missing = xasprintf("%s/no/such/dir/x.csv", dir);
	assert_int_not_equal(funnel_stages_save(&s, missing, false, err, sizeof err), 0);
	assert_non_null(strstr(err, "cannot write"));
	free(missing);
	funnel_stages_free(&s);
	free(in);
	free(out);
	test_remove_tree(dir);
	free(dir);
}

static void test_durations_and_counts_in_words(void **state)
{
	(void)state;
	char buf[64];
	funnel_format_duration(42, buf, sizeof buf);
	assert_string_equal(buf, "42s");
	funnel_format_duration(250, buf, sizeof buf);
	assert_string_equal(buf, "4m 10s");
	funnel_format_duration(3 * 3600 + 300, buf, sizeof buf);
	assert_string_equal(buf, "3h 05m");
	funnel_format_duration(2 * 86400 + 7200, buf, sizeof buf);
	assert_string_equal(buf, "2d 2h");
	funnel_format_duration(NAN, buf, sizeof buf);
	assert_string_equal(buf, "-");
	struct funnel_bars b = {.count = {12345, 12345}};
	const char *names[] = {"x", "y"};
	char text[300];
	size_t drop, weak;
	funnel_describe(&b, 2, names, "users", text, sizeof text, &drop, &weak);
	assert_string_equal(text, "No users are lost between steps: all 12,345 who reach x get to y.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_modes),
	    cmocka_unit_test(test_window_edges),
	    cmocka_unit_test(test_ties_follow_row_order),
	    cmocka_unit_test(test_repeated_events_and_steps),
	    cmocka_unit_test(test_unit_entering_twice),
	    cmocka_unit_test(test_time_zones),
	    cmocka_unit_test(test_time_formats),
	    cmocka_unit_test(test_windows),
	    cmocka_unit_test(test_matches_brute_force),
	    cmocka_unit_test(test_times_between_steps),
	    cmocka_unit_test(test_ab_test),
	    cmocka_unit_test(test_ab_many_variants),
	    cmocka_unit_test(test_ab_formats),
	    cmocka_unit_test(test_sql_typed_times),
	    cmocka_unit_test(test_trend_per_breakdown_value),
	    cmocka_unit_test(test_time_to_convert),
	    cmocka_unit_test(test_exclusion_steps),
	    cmocka_unit_test(test_trend_lowest_with_intervals),
	    cmocka_unit_test(test_breakdown_columns_by_usefulness),
	    cmocka_unit_test(test_breakdown_and_filters),
	    cmocka_unit_test(test_dropped_units_and_export),
	    cmocka_unit_test(test_steps_parse),
	    cmocka_unit_test(test_loader_columns),
	    cmocka_unit_test(test_loader_bad_rows),
	    cmocka_unit_test(test_loader_bad_files),
	    cmocka_unit_test(test_loader_refuses_what_it_would_cut),
	    cmocka_unit_test(test_too_complex_step_pattern),
	    cmocka_unit_test(test_where_value_in_another_case),
	    cmocka_unit_test(test_covers_and_events),
	    cmocka_unit_test(test_stage_counts),
	    cmocka_unit_test(test_stage_counts_save_round_trip),
	    cmocka_unit_test(test_durations_and_counts_in_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
