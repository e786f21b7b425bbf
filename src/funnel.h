/* Funnels from event logs, as PostHog, Amplitude or ClickHouse's
 * windowFunnel compute them, offline.
 *
 * A log (user_id,event,timestamp,... CSV) is read once, in one streaming
 * libcsv pass, into a compact per-unit index: every unit id and event name
 * interned, each kept event stored as its time (ms since the epoch), its
 * event code and the values of the property columns asked for, sorted by
 * (time, row) inside its unit. Queries (steps, window, order, date range,
 * filters, breakdown, trend) run on that index, so changing any of them
 * never reads the file again.
 *
 * Semantics (README "Funnels"): the steps are matched against the unit's
 * events ordered by time, ties by file row.
 *   ordered: step k is reached if there are events e1 < e2 < ... < ek for
 *            steps 1..k with time(ek) - time(e1) <= window; the unit counts
 *            for the furthest step reached from any of its step-1 events
 *            (ClickHouse windowFunnel, ties broken by row order);
 *   strict:  as ordered, with no other event of the unit between two
 *            consecutive steps;
 *   any:     events for steps 1..k in any order, all within one window.
 * Filters (--where) drop rows before anything else; the date range limits
 * the step-1 events (entries), later steps may fall after its end. */
#ifndef AIPM_FUNNEL_H
#define AIPM_FUNNEL_H

#include "pattern.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUNNEL_MIN_STEPS 2
#define FUNNEL_MAX_STEPS 12
/* Skipped rows whose line and reason are kept for the report. */
#define FUNNEL_SKIP_EXAMPLES 8
/* A breakdown column with more distinct values than this is not kept. */
#define FUNNEL_MAX_PROP_VALUES 65536

/* ---- times ---------------------------------------------------------- */

/* ISO 8601 ("2026-07-09T15:00:00Z", "2026-07-09 15:00:00.250+02:00",
 * "2026-07-09 15:00:00 UTC", "2026-07-09") or Unix seconds/milliseconds
 * ("1783609200", "1783609200123", "1783609200.5") into ms since the epoch,
 * UTC when no zone is given. False when s is not one of these or names an
 * impossible date or time (31 June, hour 25). */
bool funnel_parse_time(const char *s, size_t len, int64_t *ms);
/* A date range's bound: funnel_parse_time, except that a bare date as the
 * end (end true) means the end of that day, so that 2026-07-01 to
 * 2026-07-31 is all of July. 0, or -1 when s is not a time. */
int funnel_parse_bound(const char *s, bool end, int64_t *ms);
/* A window such as "30m", "2h", "7d", "1w", "90s" (a bare number is
 * seconds) into ms; false when not positive or malformed. */
bool funnel_parse_window(const char *s, int64_t *ms);
/* "7d", "2h", "30m", "45s": the largest unit that divides ms exactly. */
void funnel_format_window(int64_t ms, char *buf, size_t size);
/* "2026-07-09 15:00:00" (UTC), seconds only. */
void funnel_format_time(int64_t ms, char *buf, size_t size);
/* 1234567 as "1,234,567". */
void funnel_format_count(uint64_t v, char *buf, size_t size);
/* "3d 4h", "2h 05m", "4m 10s", "12s": a duration for people. */
void funnel_format_duration(double seconds, char *buf, size_t size);

/* ---- steps ---------------------------------------------------------- */

struct pattern;

/* A step is an event name, or a PCRE2 pattern written /like this/
 * (case-insensitive, matched anywhere in the name). */
struct funnel_step {
	char *text; /* as written, shown as the step's name */
	char *name; /* the exact event name, or the pattern without slashes */
	struct pattern *re; /* NULL for an exact name */
};

struct funnel_steps {
	struct funnel_step step[FUNNEL_MAX_STEPS];
	size_t count;
};

/* "store_click,/^sign/,install": comma-separated (a comma inside /.../
 * belongs to the pattern). Needs 2..12 steps; on error returns -1 with the
 * reason in err. */
int funnel_steps_parse(const char *spec, struct funnel_steps *out, char *err, size_t errlen);
/* Adds one step; -1 with a reason (bad pattern, too many steps). */
int funnel_steps_add(struct funnel_steps *steps, const char *text, char *err, size_t errlen);
void funnel_steps_free(struct funnel_steps *steps);
/* Whether the event name is the step's (or matches its pattern);
 * PATTERN_TOO_COMPLEX when the pattern hit PCRE2's limits on it. */
enum pattern_rc funnel_step_match(const struct funnel_step *step, const char *event);

/* ---- loading -------------------------------------------------------- */

enum funnel_skip_reason {
	FUNNEL_SKIP_RAGGED,      /* not as many fields as the header */
	FUNNEL_SKIP_EMPTY_UNIT,
	FUNNEL_SKIP_EMPTY_EVENT,
	FUNNEL_SKIP_EMPTY_TIME,
	FUNNEL_SKIP_BAD_TIME,    /* includes the 1970-01-01 placeholder */
	FUNNEL_SKIP_REASONS
};
/* "ragged", "empty unit", ... (JSON keys and table labels). */
const char *funnel_skip_reason_name(enum funnel_skip_reason r);

struct funnel_skip_example {
	long line;         /* physical line where the row starts */
	char reason[160];  /* "3 fields, the header has 6" */
};

struct funnel_load_stats {
	uint64_t bytes;
	long lines;         /* physical lines */
	uint64_t rows;      /* data rows (blank lines are not rows) */
	uint64_t valid;     /* rows with a unit, an event and a time */
	uint64_t kept;      /* events stored in the index */
	uint64_t skipped;
	uint64_t skipped_by[FUNNEL_SKIP_REASONS];
	struct funnel_skip_example example[FUNNEL_SKIP_EXAMPLES];
	size_t examples;
	size_t units;       /* units with at least one stored event */
	double seconds;     /* wall time of the load */
	int64_t first_ms, last_ms; /* time range of the valid rows */
};

/* Called after each block read; returning false cancels the load. total
 * is 0 when the size is unknown (a pipe). */
typedef bool (*funnel_progress_fn)(void *ctx, uint64_t bytes, uint64_t total, uint64_t rows);

struct funnel_load_options {
	/* Column names; NULL picks by name (unit: user_id, distinct_id,
	 * person_id, session_id...; event: event, event_name, event_type...;
	 * time: timestamp, event_time, time...). */
	const char *unit_col, *event_col, *time_col;
	/* Events stored: those matching one of these steps, or every event
	 * when steps is NULL or all_events is set (strict order needs the
	 * other events). */
	const struct funnel_steps *steps;
	bool all_events;
	/* More events to store (exclusion events), NULL for none. */
	const struct funnel_steps *also;
	/* Property columns whose values are stored for filters and
	 * breakdowns; all_props keeps every other column. */
	const char *const *props;
	size_t nprops;
	bool all_props;
	funnel_progress_fn progress;
	void *progress_ctx;
};

struct funnel_log;

/* Reads a log file ("-" for standard input). On failure returns -1 with a
 * message naming the file (and line when there is one) in err. Unusable
 * rows are not failures: they are skipped and counted in the stats. */
int funnel_log_load(const char *path, const struct funnel_load_options *opt,
		    struct funnel_log **out, char *err, size_t errlen);
/* The same over a buffer; name stands for the file in messages. */
int funnel_log_parse(const char *name, const char *data, size_t len,
		     const struct funnel_load_options *opt, struct funnel_log **out, char *err,
		     size_t errlen);
void funnel_log_free(struct funnel_log *log);

const struct funnel_load_stats *funnel_log_stats(const struct funnel_log *log);
const char *funnel_log_path(const struct funnel_log *log);
/* The columns used for unit, event and time. */
const char *funnel_log_unit_col(const struct funnel_log *log);
const char *funnel_log_event_col(const struct funnel_log *log);
const char *funnel_log_time_col(const struct funnel_log *log);
/* Every header column, in file order. */
size_t funnel_log_columns(const struct funnel_log *log, const char *const **names);
/* Whether a column's values are stored (usable by --by and --where
 * without reading the file again). */
bool funnel_log_has_prop(const struct funnel_log *log, const char *column);
/* Distinct stored values of a property column (0 when not stored), and
 * value i of them. */
size_t funnel_log_prop_value_count(const struct funnel_log *log, const char *column);
const char *funnel_log_prop_value(const struct funnel_log *log, const char *column, size_t i);
/* Distinct event names with their row counts, most frequent first. */
struct funnel_event_count {
	const char *name;
	uint64_t rows;
};
size_t funnel_log_events(const struct funnel_log *log, struct funnel_event_count **out);
size_t funnel_log_unit_count(const struct funnel_log *log);
const char *funnel_log_unit_id(const struct funnel_log *log, size_t unit);
/* Index of a unit id, or SIZE_MAX. */
size_t funnel_log_find_unit(const struct funnel_log *log, const char *id);
/* The header's columns that could be the unit (user_id, session_id...:
 * the names the loader looks for), the one in use among them, in file
 * order; at most max. */
size_t funnel_log_unit_columns(const struct funnel_log *log, const char **out, size_t max);
/* The stored property columns in the order a breakdown is worth trying:
 * those with few distinct values first; single-valued ones after; id-like
 * ones (a value for most units, or too many to keep) last. At most max. */
size_t funnel_log_breakdown_columns(const struct funnel_log *log, const char **out, size_t max);
/* "users", "sessions" or "units", after the unit column's name. */
const char *funnel_unit_noun(const struct funnel_log *log);
/* Whether any event name in the log matches the step (a typo check). */
bool funnel_log_step_has_events(const struct funnel_log *log, const struct funnel_step *step);

/* ---- queries -------------------------------------------------------- */

enum funnel_order { FUNNEL_ORDERED, FUNNEL_STRICT, FUNNEL_ANY };
const char *funnel_order_name(enum funnel_order o);
int funnel_order_parse(const char *s, enum funnel_order *o);

enum funnel_period { FUNNEL_NO_TREND, FUNNEL_DAY, FUNNEL_WEEK };

struct funnel_filter {
	const char *column;
	const char *value;
};

/* An exclusion step (PostHog's): a unit with this event after its chain's
 * step `from` and before its step `to` (or, when it never got there, before
 * the window's end) is left out of the funnel altogether. */
#define FUNNEL_MAX_EXCLUSIONS 8
struct funnel_exclusion {
	struct funnel_steps event; /* one step: an event name or /pattern/ */
	size_t from, to;           /* 0-based steps, from < to */
};
/* "EVENT" (between the first and the last step) or "EVENT:FROM-TO" with
 * steps numbered from 1 (--exclude cancel:2-3). -1 with the reason. */
int funnel_exclusion_parse(const char *spec, size_t nsteps, struct funnel_exclusion *out,
			   char *err, size_t errlen);
void funnel_exclusion_free(struct funnel_exclusion *x);

struct funnel_query {
	const struct funnel_steps *steps;
	const struct funnel_exclusion *exclude;
	size_t nexclude;
	enum funnel_order order;
	int64_t window_ms;
	/* Step-1 events must fall in [from_ms, to_ms); INT64_MIN/INT64_MAX
	 * for no limit. */
	int64_t from_ms, to_ms;
	/* Rows kept: for each column, its value must be one of the values
	 * given for it (filters on the same column are alternatives). */
	const struct funnel_filter *filters;
	size_t nfilters;
	const char *by;      /* breakdown column (first touch) or NULL */
	size_t top_values;   /* breakdown groups before "other"; 0 means 5 */
	enum funnel_period trend;
	/* The time-to-convert histogram: from step ttc_from to step ttc_to
	 * (0-based); ttc_to 0 means from the first step to the last. */
	size_t ttc_from, ttc_to;
};
/* Defaults: ordered, 14-day window, no limits, no trend. */
void funnel_query_init(struct funnel_query *q, const struct funnel_steps *steps);

/* What the log lacks for this query (step events or property columns
 * that were not stored, strict order without the other events): the
 * caller loads the file again with wider options. */
bool funnel_log_covers(const struct funnel_log *log, const struct funnel_query *q);

struct funnel_bars {
	uint64_t count[FUNNEL_MAX_STEPS];
	/* Seconds from step k-1 to step k over the units that made both
	 * (index 0 unused); NAN when none did or the order is "any". */
	double median_s[FUNNEL_MAX_STEPS], mean_s[FUNNEL_MAX_STEPS];
};
/* Percent of the first step and of the previous step (NAN when the base
 * is zero). */
double funnel_pct_first(const struct funnel_bars *b, size_t k);
double funnel_pct_prev(const struct funnel_bars *b, size_t k);

struct funnel_group {
	char *value; /* the breakdown value; "other" for the rest */
	bool other;
	size_t nvalues; /* values folded into "other" */
	struct funnel_bars bars;
	/* The group's own trend (with a trend asked for): its periods, a
	 * subset of the funnel's, each computed as the funnel's are. */
	struct funnel_trend_point *trend;
	size_t ntrend;
};

/* An experiment's variants: the breakdown column's non-empty values when
 * there are two to this many. */
#define FUNNEL_MAX_VARIANTS 8
#define FUNNEL_MAX_PAIRS (FUNNEL_MAX_VARIANTS * (FUNNEL_MAX_VARIANTS - 1) / 2)

/* Variant b against variant a (a < b, in variant order) at one step. */
struct funnel_ab_pair {
	size_t a, b;
	uint64_t n_a, x_a, n_b, x_b; /* entered and reached, per variant */
	double p_a, p_b, diff;       /* diff = p_b - p_a */
	/* The interval of diff (unpooled), at the level Holm's procedure
	 * gives this pair among the step's pairs: 95% when there is one. */
	double ci_low, ci_high, ci_level;
	double z, p_value;           /* pooled two-proportion z-test */
	double p_holm;               /* p_value adjusted by Holm over the pairs */
	bool too_small;              /* under 5 successes or failures */
};

struct funnel_ab_step {
	uint64_t reached[FUNNEL_MAX_VARIANTS]; /* per variant (entered: funnel_ab) */
	/* Across all variants: Pearson's chi-square on the variants x
	 * (reached, not) table; with two variants it is the z-test squared. */
	double chi2, p_value;
	int df;
	bool too_small; /* an expected cell under 5 */
	struct funnel_ab_pair pair[FUNNEL_MAX_PAIRS];
	size_t npairs;
};

struct funnel_ab {
	bool present; /* the breakdown column had 2..FUNNEL_MAX_VARIANTS values */
	size_t nvariants;
	char *variant[FUNNEL_MAX_VARIANTS]; /* in byte order: A, B, C */
	uint64_t entered[FUNNEL_MAX_VARIANTS];
	uint64_t left_out; /* entered units with an empty value */
	/* Conversion from step 1 to step k, k >= 1 (index 0 unused). */
	struct funnel_ab_step step[FUNNEL_MAX_STEPS];
	char verdict[1200];
};

/* A p-value as every output prints it: "0.032", "<0.001". */
void funnel_format_p(double p, char *buf, size_t size);
/* An interval in percentage points, "+0.9 to +6.3": one decimal, more
 * when a bound would otherwise round to a signed zero ("-0.03 to +0.21");
 * a bound that is zero prints as 0.0. */
void funnel_format_interval(double lo, double hi, char *buf, size_t size);
/* Upper tail of the chi-square distribution with df degrees of freedom. */
double funnel_chi2_sf(double x, int df);

struct funnel_trend_point {
	int64_t start_ms; /* start of the UTC day or ISO week (Monday) */
	uint64_t entered, converted; /* step 1, and the last step */
	/* The log goes on for a whole window after the period: entries near
	 * its end have not had the time to convert, and read low. */
	bool complete;
	double rate, low, high; /* converted / entered, its 95% Wilson interval */
};

/* The 95% Wilson score interval of x successes in n. */
void funnel_wilson(uint64_t x, uint64_t n, double *low, double *high);
/* The period an incident shows as: among the complete periods whose
 * whole interval lies below the median rate of the complete periods, the
 * one with the lowest rate; so a week of 1 unit in 10 does not beat a
 * week of 6 in 47. False when no period is clearly below the median;
 * *median is set whenever a period is complete (NAN otherwise). */
bool funnel_trend_lowest(const struct funnel_trend_point *points, size_t n, size_t *lowest,
			 double *median);

/* Time to convert between two steps, over the units whose chain made
 * both: log-scaled buckets (1s, 2s, 5s, 10s, 30s, 1m ... 30d) from the first
 * bucket with a unit to the last, and the exact median and 90th
 * percentile (nearest rank). Empty (n 0) in any order, which has no
 * sequence. */
#define FUNNEL_TTC_EDGES 21
struct funnel_ttc {
	size_t from, to;
	uint64_t n;
	double median_s, p90_s;
	size_t nbuckets;
	/* bucket i holds durations in [low_s[i], high_s[i]); the last high
	 * is INFINITY */
	double low_s[FUNNEL_TTC_EDGES], high_s[FUNNEL_TTC_EDGES];
	uint64_t count[FUNNEL_TTC_EDGES];
};
/* "<1s", "1s-2s", "30d+": a bucket's label. */
void funnel_ttc_label(const struct funnel_ttc *t, size_t i, char *buf, size_t size);

struct funnel_result {
	size_t nsteps;
	struct funnel_ttc ttc;
	enum funnel_order order;
	struct funnel_bars bars;
	uint64_t excluded; /* units left out by the exclusion steps */
	/* Largest loss in units (0 when nothing is lost) and lowest
	 * step-to-step rate, both as the index k >= 1 of the later step. */
	size_t biggest_drop, weakest_step;
	char summary[600]; /* the biggest drop in words */
	/* A filter value no row has, with the value in another case that
	 * rows do have ("" when every filter value is in the log). */
	char filter_hint[320];
	struct funnel_group *groups;
	size_t ngroups;
	struct funnel_ab ab;
	enum funnel_period trend_period;
	struct funnel_trend_point *trend;
	size_t ntrend;
	/* Per unit: furthest step reached (0: never entered), first-touch
	 * breakdown value, and the entry and last-step times of its chain. */
	uint8_t *reach;
	int64_t *entered_ms, *last_ms;
	uint32_t *group_value; /* value id, UINT32_MAX when none */
	uint32_t *entry_event; /* the first-touch event's index, UINT32_MAX when none */
	size_t nunits;
	const struct funnel_log *log;
	const char *by;
};

/* Computes the funnel. On error (a step or column that is not in the log,
 * too few steps) returns -1 with the reason in err. */
int funnel_compute(const struct funnel_log *log, const struct funnel_query *q,
		   struct funnel_result *r, char *err, size_t errlen);
void funnel_result_free(struct funnel_result *r);

/* Units that reached step k-1 but not step k (k >= 1, 0-based index of
 * the step they failed), in order of entry time; the caller frees *units. */
size_t funnel_dropped_units(const struct funnel_result *r, size_t k, size_t **units);
/* The first-touch breakdown value of a unit ("" when none). */
const char *funnel_unit_group(const struct funnel_result *r, size_t unit);
/* Writes the dropped units as CSV (unit, entered, last step reached, its
 * time, then every stored property column's value on the unit's
 * first-touch event) through fileio's writer, private to the user (ids of
 * people); an existing file only when replace; "-" is standard output.
 * Every text cell is sanitised against terminal escapes and spreadsheet
 * formulas (sanitize_csv_cell). -1 with the message in err. */
int funnel_export_dropped(const struct funnel_result *r, size_t k, const char *path,
			  bool replace, char *err, size_t errlen);

/* ---- stage counts ----------------------------------------------------- */

/* A funnel given as counts (stage,count[,owner]), from a dashboard or the
 * course's AARRR example. */
struct funnel_stage {
	char *name;
	char *owner; /* "" when the file has no owner column */
	uint64_t count;
};
struct funnel_stages {
	struct funnel_stage *stage;
	size_t count;
};
/* -1 with "file:line: reason" in err; counts that rise from one stage to
 * the next are refused (naming both). */
int funnel_stages_load(const char *path, struct funnel_stages *out, char *err, size_t errlen);
void funnel_stages_free(struct funnel_stages *s);
/* Writes stage,count,owner (what funnel_stages_load reads back) through
 * fileio's writer; an existing file only when replace. -1 with the message
 * in err. */
int funnel_stages_save(const struct funnel_stages *s, const char *path, bool replace,
		       char *err, size_t errlen);
/* Bars from stage counts (no times), and the summary in words. */
void funnel_stages_bars(const struct funnel_stages *s, struct funnel_bars *bars);
void funnel_describe(const struct funnel_bars *b, size_t nsteps, const char *const *names,
		     const char *noun, char *buf, size_t size, size_t *biggest_drop,
		     size_t *weakest_step);
/* Whether a CSV file's header has stage and count columns. */
bool funnel_is_stage_file(const char *path);

/* ---- the same funnel in SQL ------------------------------------------- */

enum funnel_sql_dialect { FUNNEL_SQL_CLICKHOUSE, FUNNEL_SQL_POSTGRES, FUNNEL_SQL_DUCKDB };
int funnel_sql_dialect_parse(const char *s, enum funnel_sql_dialect *d);

/* How the table holds the time column: as the CSV's text, parsed in the
 * query by aipm's grammar (a table loaded from the CSV as it is), or as
 * the engine's own time type (ClickHouse DateTime/DateTime64, PostgreSQL
 * timestamp or timestamptz, DuckDB TIMESTAMP), read directly: a short
 * query, for a dashboard. */
enum funnel_time_type { FUNNEL_TIME_TEXT, FUNNEL_TIME_TIMESTAMP };
int funnel_time_type_parse(const char *s, enum funnel_time_type *t);

/* The query's funnel as SQL over a table with the log's columns (names
 * taken from log, whose rows are not needed: a prefix of the file will
 * do). NULL with the reason in err when the dialect cannot say it
 * (ClickHouse has no any-order funnel; DuckDB is written for typed times;
 * exclusion steps are not in the SQL) or a name cannot be quoted. */
char *funnel_sql(enum funnel_sql_dialect d, enum funnel_time_type time_type,
		 const struct funnel_log *log, const struct funnel_query *q, const char *table,
		 char *err, size_t errlen);
/* A table name from a file name: "exports/events-2026.csv" -> events_2026. */
char *funnel_sql_table_name(const char *path);


#endif
