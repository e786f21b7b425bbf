/* aipm funnel FILE --steps a,b,c [--window 7d] [--order ordered|strict|any]
 *   [--unit COL] [--event-col COL] [--time-col COL] [--by COL]
 *   [--where COL=VALUE]... [--exclude EVENT[:FROM-TO]]... [--time-to-convert FROM-TO]
 *   [--dropped STEP -o FILE|- [--force]]
 *   [--from DATE] [--to DATE] [--trend day|week]
 *   [--format table|csv|json] [--emit-sql clickhouse|postgres|duckdb]
 *   [--time-type text|timestamp]
 *
 * A funnel from an event log, or from a stage-count file (stage,count)
 * when FILE is one. --emit-sql prints the same funnel as SQL for the
 * user's warehouse instead of computing it. */
#include "cli.h"
#include "fileio.h"
#include "funnel.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CMD "funnel"
/* How much of the file --emit-sql reads to learn its columns. */
#define SNIFF_BYTES (64 * 1024)

struct funnel_args {
	const char *file;
	const char *steps, *window, *order, *unit, *event_col, *time_col, *by, *from, *to, *trend;
	const char *emit;
	const char *dropped, *output; /* --dropped STEP -o FILE */
	const char *ttc;              /* --time-to-convert FROM-TO */
	const char *time_type;        /* --time-type text|timestamp (--emit-sql) */
	bool force;                   /* -o may replace a file */
	struct funnel_filter *where;
	size_t nwhere;
	const char **exclude; /* --exclude EVENT[:FROM-TO], as given */
	size_t nexclude;
	enum out_format format;
};

/* --name VALUE or --name=VALUE at argv[*i]: 1 and *value set when it is
 * this option, 0 when not, -1 when the value is missing. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		cli_error(CMD, "%s needs a value", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

static int parse_args(int argc, char **argv, struct funnel_args *a)
{
	static const struct {
		const char *name;
		size_t offset;
	} named[] = {
	    {"--steps", offsetof(struct funnel_args, steps)},
	    {"--window", offsetof(struct funnel_args, window)},
	    {"--order", offsetof(struct funnel_args, order)},
	    {"--unit", offsetof(struct funnel_args, unit)},
	    {"--event-col", offsetof(struct funnel_args, event_col)},
	    {"--time-col", offsetof(struct funnel_args, time_col)},
	    {"--by", offsetof(struct funnel_args, by)},
	    {"--from", offsetof(struct funnel_args, from)},
	    {"--to", offsetof(struct funnel_args, to)},
	    {"--trend", offsetof(struct funnel_args, trend)},
	    {"--emit-sql", offsetof(struct funnel_args, emit)},
	    {"--dropped", offsetof(struct funnel_args, dropped)},
	    {"--time-to-convert", offsetof(struct funnel_args, ttc)},
	    {"--time-type", offsetof(struct funnel_args, time_type)},
	    {"--output", offsetof(struct funnel_args, output)},
	    {"-o", offsetof(struct funnel_args, output)},
	};
	size_t capwhere = 0, capexclude = 0;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &a->format, CMD);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		const char *value;
		r = option_value(argc, argv, &i, "--where", &value);
		if (r < 0)
			return -1;
		if (r > 0) {
			const char *eq = strchr(value, '=');
			if (!eq || eq == value) {
				cli_error(CMD, "--where takes COLUMN=VALUE, not '%s'", value);
				return -1;
			}
			struct funnel_filter f = {xstrndup(value, (size_t)(eq - value)), eq + 1};
			ARRAY_PUSH(a->where, a->nwhere, capwhere, f);
			continue;
		}
		if (!strcmp(argv[i], "--force")) {
			a->force = true;
			continue;
		}
		r = option_value(argc, argv, &i, "--exclude", &value);
		if (r < 0)
			return -1;
		if (r > 0) {
			ARRAY_PUSH(a->exclude, a->nexclude, capexclude, value);
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof named / sizeof named[0]; k++) {
			r = option_value(argc, argv, &i, named[k].name, &value);
			if (r < 0)
				return -1;
			if (r > 0) {
				*(const char **)((char *)a + named[k].offset) = value;
				break;
			}
		}
		if (k < sizeof named / sizeof named[0])
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error(CMD, "unknown option '%s'", argv[i]);
			return -1;
		}
		if (a->file) {
			cli_error(CMD, "one file at a time ('%s' and '%s')", a->file, argv[i]);
			return -1;
		}
		a->file = argv[i];
	}
	if (!a->file) {
		cli_error(CMD, "which event log? (aipm funnel FILE --steps a,b,c)");
		return -1;
	}
	return 0;
}

/* ---- progress on a terminal ---------------------------------------------- */

struct progress {
	const char *name;
	struct timespec start, last;
	bool shown;
};

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static bool show_progress(void *ctx, uint64_t bytes, uint64_t total, uint64_t rows)
{
	struct progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	bool done = total && bytes >= total;
	/* a few updates a second, and only for loads long enough to notice */
	if (!done && (elapsed(&p->start, &now) < 0.3 || elapsed(&p->last, &now) < 0.1))
		return true;
	p->last = now;
	double secs = elapsed(&p->start, &now);
	double rate = secs > 0 ? (double)rows / secs : 0;
	if (done) {
		if (p->shown)
			fputs("\r\033[K", stderr);
		return true;
	}
	p->shown = true;
	if (total)
		fprintf(stderr, "\r\033[Kaipm funnel: reading %s  %3.0f%%  %llu rows  %.1fM rows/s",
			p->name, 100.0 * (double)bytes / (double)total, (unsigned long long)rows, rate / 1e6);
	else
		fprintf(stderr, "\r\033[Kaipm funnel: reading %s  %llu MB  %llu rows  %.1fM rows/s",
			p->name, (unsigned long long)(bytes >> 20), (unsigned long long)rows, rate / 1e6);
	return true;
}

/* ---- output helpers ------------------------------------------------------------ */

static json_t *json_number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_clean_string(const char *s)
{
	char *clean = sanitize_dup(s, SANITIZE_LINE);
	json_t *v = json_string(clean);
	free(clean);
	return v;
}

static json_t *steps_json(const struct funnel_bars *b, const struct funnel_steps *steps,
			  bool timed)
{
	json_t *arr = json_array();
	for (size_t k = 0; k < steps->count; k++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_clean_string(steps->step[k].text));
		json_object_set_new(o, "count", json_integer((json_int_t)b->count[k]));
		json_object_set_new(o, "percent_of_first", json_number_or_null(funnel_pct_first(b, k)));
		json_object_set_new(o, "percent_of_previous", json_number_or_null(funnel_pct_prev(b, k)));
		json_object_set_new(o, "dropped",
				    json_integer(k ? (json_int_t)(b->count[k - 1] - b->count[k]) : 0));
		json_object_set_new(o, "median_seconds_from_previous",
				    json_number_or_null(timed && k ? b->median_s[k] : NAN));
		json_object_set_new(o, "mean_seconds_from_previous",
				    json_number_or_null(timed && k ? b->mean_s[k] : NAN));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* One row of a steps table: the step's figures as cells. */
static void step_cells(struct out_table *t, const struct funnel_bars *b, size_t k,
		       enum out_format format)
{
	out_int(t, (long long)b->count[k]);
	out_real(t, funnel_pct_first(b, k), 1);
	out_real(t, funnel_pct_prev(b, k), 1);
	out_int(t, k ? (long long)(b->count[k - 1] - b->count[k]) : 0);
	for (int m = 0; m < 2; m++) {
		double s = k ? (m ? b->mean_s[k] : b->median_s[k]) : NAN;
		if (format == OUT_TABLE) {
			char buf[32];
			funnel_format_duration(s, buf, sizeof buf);
			out_text(t, buf);
		} else {
			out_real(t, s, 1);
		}
	}
}

static void print_skipped(const struct funnel_load_stats *st, FILE *out)
{
	if (!st->skipped)
		return;
	sanitize_printf(out, "Skipped %llu row%s:", (unsigned long long)st->skipped,
		st->skipped == 1 ? "" : "s");
	const char *sep = " ";
	for (int r = 0; r < FUNNEL_SKIP_REASONS; r++)
		if (st->skipped_by[r]) {
			sanitize_printf(out, "%s%llu %s", sep, (unsigned long long)st->skipped_by[r],
				funnel_skip_reason_name((enum funnel_skip_reason)r));
			sep = ", ";
		}
	fputs(". First ones:\n", out);
	for (size_t i = 0; i < st->examples; i++)
		sanitize_printf(out, "  line %ld: %s\n", st->example[i].line, st->example[i].reason);
}

static json_t *skipped_json(const struct funnel_load_stats *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "total", json_integer((json_int_t)st->skipped));
	for (int r = 0; r < FUNNEL_SKIP_REASONS; r++)
		json_object_set_new(o, funnel_skip_reason_name((enum funnel_skip_reason)r),
				    json_integer((json_int_t)st->skipped_by[r]));
	json_t *ex = json_array();
	for (size_t i = 0; i < st->examples; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "line", json_integer(st->example[i].line));
		json_object_set_new(e, "reason", json_clean_string(st->example[i].reason));
		json_array_append_new(ex, e);
	}
	json_object_set_new(o, "examples", ex);
	return o;
}

/* The date a trend period starts on. */
static void period_label(int64_t ms, char *buf, size_t size)
{
	char when[32];
	funnel_format_time(ms, when, sizeof when);
	snprintf(buf, size, "%.10s", when);
}

/* ---- the event-log funnel ----------------------------------------------------- */

/* The time-to-convert histogram: a bar of #s per bucket. */
static void print_ttc(const struct funnel_steps *steps, const struct funnel_result *r,
		      const char *noun)
{
	const struct funnel_ttc *t = &r->ttc;
	if (!t->n)
		return;
	char median[32], p90[32];
	funnel_format_duration(t->median_s, median, sizeof median);
	funnel_format_duration(t->p90_s, p90, sizeof p90);
	sanitize_printf(stdout, "\nTime to convert, %s to %s: %llu %s, median %s, p90 %s\n",
			steps->step[t->from].text, steps->step[t->to].text,
			(unsigned long long)t->n, noun, median, p90);
	uint64_t most = 0;
	for (size_t i = 0; i < t->nbuckets; i++)
		most = t->count[i] > most ? t->count[i] : most;
	const char *cols[] = {"time", noun, "%", ""};
	struct out_table *tab = out_table_new(cols, 4);
	for (size_t i = 0; i < t->nbuckets; i++) {
		char label[32], bar[48];
		funnel_ttc_label(t, i, label, sizeof label);
		size_t len = (size_t)(40.0 * (double)t->count[i] / (double)most + 0.5);
		memset(bar, '#', len);
		bar[len] = '\0';
		out_text(tab, label);
		out_int(tab, (long long)t->count[i]);
		out_real(tab, 100.0 * (double)t->count[i] / (double)t->n, 1);
		out_text(tab, bar);
		out_table_end_row(tab);
	}
	out_table_print(tab, OUT_TABLE, stdout);
	out_table_free(tab);
}

/* What was read and which funnel this is, over the step table. */
static void print_table_header(const struct funnel_args *a, const struct funnel_log *log,
			       const struct funnel_steps *steps, const struct funnel_query *q,
			       const struct funnel_result *r)
{
	const struct funnel_load_stats *st = funnel_log_stats(log);
	const char *noun = funnel_unit_noun(log);
	char window[32];
	funnel_format_window(q->window_ms, window, sizeof window);
	char *path = sanitize_dup(a->file, SANITIZE_LINE);
	sanitize_printf(stdout, "%s: %llu rows, %llu skipped; %zu %s with a step event\n", path,
	       (unsigned long long)st->rows, (unsigned long long)st->skipped, st->units, noun);
	free(path);
	sanitize_printf(stdout, "Funnel: %s, window %s, unit %s", funnel_order_name(q->order),
			window,
	       funnel_log_unit_col(log));
	if (a->from || a->to)
		sanitize_printf(stdout, ", entries %s to %s", a->from ? a->from : "start",
				a->to ? a->to : "end");
	for (size_t i = 0; i < q->nfilters; i++)
		sanitize_printf(stdout, "%s%s=%s", i ? ", " : ", where ", q->filters[i].column,
				q->filters[i].value);
	for (size_t i = 0; i < q->nexclude; i++)
		sanitize_printf(stdout, "%s%s between %s and %s", i ? ", " : ", excluding ",
				q->exclude[i].event.step[0].text, steps->step[q->exclude[i].from].text,
				steps->step[q->exclude[i].to].text);
	sanitize_printf(stdout, "\n");
	if (q->nexclude)
		sanitize_printf(stdout, "Excluded: %llu %s with an exclusion event in their chain\n",
				(unsigned long long)r->excluded, noun);
	sanitize_printf(stdout, "\n");
}

/* The steps of each breakdown group, by first touch. */
static void print_groups_table(const struct funnel_steps *steps, const struct funnel_query *q,
			       const struct funnel_result *r, const char *noun)
{
	sanitize_printf(stdout, "\nBy %s (first touch):\n", q->by);
	const char *gcols[] = {q->by, "step", noun, "% of first", "% of previous", "dropped",
			       "median time", "mean time"};
	struct out_table *t = out_table_new(gcols, 8);
	for (size_t g = 0; g < r->ngroups; g++) {
		const struct funnel_group *grp = &r->groups[g];
		char *value = sanitize_dup(grp->value, SANITIZE_LINE);
		char label[160];
		if (grp->other)
			snprintf(label, sizeof label, "other (%zu values)", grp->nvalues);
		else
			snprintf(label, sizeof label, "%s", *value ? value : "(empty)");
		free(value);
		for (size_t k = 0; k < steps->count; k++) {
			char *name = sanitize_dup(steps->step[k].text, SANITIZE_LINE);
			out_text(t, k ? "" : label);
			out_text(t, name);
			free(name);
			step_cells(t, &grp->bars, k, OUT_TABLE);
			out_table_end_row(t);
		}
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
}

/* The A/B check: each variant's rate per step with the test across them,
 * then every pair, Holm-corrected. */
static void print_ab_table(const struct funnel_steps *steps, const struct funnel_query *q,
			   const struct funnel_ab *ab, const char *noun)
{
	size_t nv = ab->nvariants;
	char *vn[FUNNEL_MAX_VARIANTS];
	for (size_t v = 0; v < nv; v++)
		vn[v] = sanitize_dup(ab->variant[v], SANITIZE_LINE);
	sanitize_printf(stdout, "\nA/B by %s: conversion from %s to each step\n", q->by,
			steps->step[0].text);
	/* per step: each variant's rate, and the test across them */
	const char *acols[FUNNEL_MAX_VARIANTS + 2];
	acols[0] = "step";
	for (size_t v = 0; v < nv; v++)
		acols[1 + v] = vn[v];
	acols[1 + nv] = nv == 2 ? "p-value" : "chi-square p";
	struct out_table *t = out_table_new(acols, nv + 2);
	for (size_t k = 1; k < steps->count; k++) {
		const struct funnel_ab_step *s = &ab->step[k];
		char *name = sanitize_dup(steps->step[k].text, SANITIZE_LINE);
		out_text(t, name);
		free(name);
		for (size_t v = 0; v < nv; v++) {
			uint64_t x = s->reached[v], n = ab->entered[v];
			char cell[64];
			snprintf(cell, sizeof cell, "%.1f%% (%llu/%llu)",
				 n ? 100.0 * (double)x / (double)n : 0.0, (unsigned long long)x,
				 (unsigned long long)n);
			out_text(t, cell);
		}
		char pv[16];
		funnel_format_p(s->p_value, pv, sizeof pv);
		out_text(t, s->too_small ? "too small" : pv);
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	/* every pair, Holm-corrected */
	const char *pcols[] = {"step", "pair", "difference", "interval", "p-value", "Holm p"};
	t = out_table_new(pcols, 6);
	for (size_t k = 1; k < steps->count; k++) {
		const struct funnel_ab_step *s = &ab->step[k];
		for (size_t i = 0; i < s->npairs; i++) {
			const struct funnel_ab_pair *pr = &s->pair[i];
			char pair[160], diff[32], ci[96], iv[64], pv[16], ph[16];
			snprintf(pair, sizeof pair, "%s vs %s", vn[pr->b], vn[pr->a]);
			snprintf(diff, sizeof diff, "%+.1f pts", 100 * pr->diff);
			funnel_format_interval(pr->ci_low, pr->ci_high, iv, sizeof iv);
			snprintf(ci, sizeof ci, "%s (%.1f%%)", iv, 100 * pr->ci_level);
			funnel_format_p(pr->p_value, pv, sizeof pv);
			funnel_format_p(pr->p_holm, ph, sizeof ph);
			char *name = sanitize_dup(steps->step[k].text, SANITIZE_LINE);
			out_text(t, i ? "" : name);
			free(name);
			out_text(t, pair);
			out_text(t, diff);
			out_text(t, ci);
			out_text(t, pr->too_small ? "too small" : pv);
			out_text(t, pr->too_small ? "-" : ph);
			out_table_end_row(t);
		}
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	for (size_t v = 0; v < nv; v++)
		free(vn[v]);
	sanitize_printf(stdout, "%s\n", ab->verdict);
	if (ab->left_out)
		sanitize_printf(stdout, "(%llu %s with no %s value are left out.)\n",
		       (unsigned long long)ab->left_out, noun, q->by);
}

/* The trend per period with the lowest one named, then per breakdown
 * group. */
static void print_trend_table(const struct funnel_steps *steps, const struct funnel_query *q,
			      const struct funnel_result *r)
{
	sanitize_printf(stdout, "\nTrend by %s: %s to %s\n",
			q->trend == FUNNEL_WEEK ? "week" : "day",
	       steps->step[0].text, steps->step[steps->count - 1].text);
	const char *tcols[] = {q->trend == FUNNEL_WEEK ? "week of" : "day", "entered", "converted",
			       "rate %", "95% CI", "note"};
	struct out_table *t = out_table_new(tcols, 6);
	size_t lowest;
	double median;
	bool found = funnel_trend_lowest(r->trend, r->ntrend, &lowest, &median);
	for (size_t i = 0; i < r->ntrend; i++) {
		const struct funnel_trend_point *p = &r->trend[i];
		char day[32], ci[48];
		period_label(p->start_ms, day, sizeof day);
		snprintf(ci, sizeof ci, "%.1f-%.1f", 100 * p->low, 100 * p->high);
		out_text(t, day);
		out_int(t, (long long)p->entered);
		out_int(t, (long long)p->converted);
		out_real(t, 100 * p->rate, 1);
		out_text(t, ci);
		out_text(t, !p->complete ? "incomplete: the log ends within a window"
			    : found && i == lowest ? "lowest"
						   : "");
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	if (median == median) {
		char day[32];
		if (found) {
			const struct funnel_trend_point *p = &r->trend[lowest];
			period_label(p->start_ms, day, sizeof day);
			printf("Lowest %s: %s, %.1f%% (95%% CI %.1f-%.1f%%) against a median of "
			       "%.1f%%.\n",
			       q->trend == FUNNEL_WEEK ? "week" : "day", day, 100 * p->rate,
			       100 * p->low, 100 * p->high, 100 * median);
		} else {
			printf("No %s is clearly below the median of %.1f%%: none has its 95%% "
			       "interval under it.\n",
			       q->trend == FUNNEL_WEEK ? "week" : "day", 100 * median);
		}
	}
	if (!q->by || !r->ngroups)
		return;
	sanitize_printf(stdout, "\nTrend by %s and %s (first touch)\n",
			q->trend == FUNNEL_WEEK ? "week" : "day", q->by);
	const char *gcols[] = {q->by, q->trend == FUNNEL_WEEK ? "week of" : "day",
			       "entered", "converted", "rate %", "95% CI"};
	t = out_table_new(gcols, 6);
	for (size_t g = 0; g < r->ngroups; g++) {
		const struct funnel_group *grp = &r->groups[g];
		char *value = sanitize_dup(grp->other ? "other" : grp->value, SANITIZE_LINE);
		for (size_t i = 0; i < grp->ntrend; i++) {
			const struct funnel_trend_point *p = &grp->trend[i];
			char day[32], ci[48];
			period_label(p->start_ms, day, sizeof day);
			snprintf(ci, sizeof ci, "%.1f-%.1f", 100 * p->low, 100 * p->high);
			out_text(t, i ? "" : value);
			out_text(t, day);
			out_int(t, (long long)p->entered);
			out_int(t, (long long)p->converted);
			out_real(t, 100 * p->rate, 1);
			out_text(t, ci);
			out_table_end_row(t);
		}
		free(value);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
}

static void print_table(const struct funnel_args *a, const struct funnel_log *log,
			const struct funnel_steps *steps, const struct funnel_query *q,
			const struct funnel_result *r)
{
	const struct funnel_load_stats *st = funnel_log_stats(log);
	const char *noun = funnel_unit_noun(log);
	print_table_header(a, log, steps, q, r);
	const char *cols[] = {"#", "step", noun, "% of first", "% of previous", "dropped", "median time",
			      "mean time"};
	struct out_table *t = out_table_new(cols, 8);
	for (size_t k = 0; k < steps->count; k++) {
		out_int(t, (long long)k + 1);
		char *name = sanitize_dup(steps->step[k].text, SANITIZE_LINE);
		out_text(t, name);
		free(name);
		step_cells(t, &r->bars, k, OUT_TABLE);
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	sanitize_printf(stdout, "\n%s\n", r->summary);
	print_ttc(steps, r, noun);
	if (q->by)
		print_groups_table(steps, q, r, noun);
	if (r->ab.present)
		print_ab_table(steps, q, &r->ab, noun);
	if (r->trend)
		print_trend_table(steps, q, r);
	if (st->skipped) {
		putchar('\n');
		print_skipped(st, stdout);
	}
}

static void print_csv(const struct funnel_log *log, const struct funnel_steps *steps,
		      const struct funnel_result *r)
{
	struct out_table *t;
	if (r->trend) {
		/* with a breakdown, a first column: "all", then each group's own */
		bool by = r->by != NULL;
		const char *cols[] = {"group", "period_start", "entered", "converted", "rate",
				      "ci95_low", "ci95_high", "complete"};
		t = out_table_new(by ? cols : cols + 1, by ? 8 : 7);
		for (size_t g = 0; g <= (by ? r->ngroups : 0); g++) {
			const struct funnel_trend_point *pts = g ? r->groups[g - 1].trend : r->trend;
			size_t n = g ? r->groups[g - 1].ntrend : r->ntrend;
			char *group = sanitize_dup(g ? r->groups[g - 1].value : "all", SANITIZE_LINE);
			for (size_t i = 0; i < n; i++) {
				char day[32];
				period_label(pts[i].start_ms, day, sizeof day);
				if (by)
					out_text(t, group);
				out_text(t, day);
				out_int(t, (long long)pts[i].entered);
				out_int(t, (long long)pts[i].converted);
				out_real(t, pts[i].rate, 6);
				out_real(t, pts[i].low, 6);
				out_real(t, pts[i].high, 6);
				out_bool(t, pts[i].complete);
				out_table_end_row(t);
			}
			free(group);
		}
	} else {
		const char *cols[] = {"group", "step", "name", "count", "percent_of_first",
				      "percent_of_previous", "dropped", "median_seconds", "mean_seconds"};
		t = out_table_new(cols, 9);
		for (size_t g = 0; g <= r->ngroups; g++) {
			const struct funnel_bars *b = g ? &r->groups[g - 1].bars : &r->bars;
			char *group = sanitize_dup(g ? r->groups[g - 1].value : "all", SANITIZE_LINE);
			for (size_t k = 0; k < steps->count; k++) {
				char *name = sanitize_dup(steps->step[k].text, SANITIZE_LINE);
				out_text(t, group);
				out_int(t, (long long)k + 1);
				out_text(t, name);
				free(name);
				step_cells(t, b, k, OUT_CSV);
				out_table_end_row(t);
			}
			free(group);
		}
	}
	out_table_print(t, OUT_CSV, stdout);
	out_table_free(t);
	print_skipped(funnel_log_stats(log), stderr);
}

static json_t *trend_point_json(const struct funnel_trend_point *p)
{
	char day[32];
	period_label(p->start_ms, day, sizeof day);
	json_t *o = json_object();
	json_object_set_new(o, "start", json_string(day));
	json_object_set_new(o, "entered", json_integer((json_int_t)p->entered));
	json_object_set_new(o, "converted", json_integer((json_int_t)p->converted));
	json_object_set_new(o, "rate", json_number_or_null(p->rate));
	json_t *ci = json_array();
	json_array_append_new(ci, json_number_or_null(p->low));
	json_array_append_new(ci, json_number_or_null(p->high));
	json_object_set_new(o, "ci95", ci);
	json_object_set_new(o, "complete", json_boolean(p->complete));
	return o;
}

/* The time-to-convert histogram. */
static json_t *ttc_json(const struct funnel_result *r)
{
	const struct funnel_ttc *t = &r->ttc;
	json_t *o = json_object();
	json_object_set_new(o, "from_step", json_integer((json_int_t)t->from + 1));
	json_object_set_new(o, "to_step", json_integer((json_int_t)t->to + 1));
	json_object_set_new(o, "units", json_integer((json_int_t)t->n));
	json_object_set_new(o, "median_seconds", json_real(t->median_s));
	json_object_set_new(o, "p90_seconds", json_real(t->p90_s));
	json_t *buckets = json_array();
	for (size_t i = 0; i < t->nbuckets; i++) {
		json_t *b = json_object();
		json_object_set_new(b, "from_seconds", json_real(t->low_s[i]));
		json_object_set_new(b, "to_seconds",
				    isinf(t->high_s[i]) ? json_null() : json_real(t->high_s[i]));
		json_object_set_new(b, "units", json_integer((json_int_t)t->count[i]));
		json_array_append_new(buckets, b);
	}
	json_object_set_new(o, "buckets", buckets);
	return o;
}

/* The A/B check: the variants, then per step the test across them and
 * every pair. */
static json_t *ab_json(const struct funnel_steps *steps, const struct funnel_query *q,
		       const struct funnel_result *r)
{
	const struct funnel_ab *rab = &r->ab;
	json_t *ab = json_object();
	json_object_set_new(ab, "column", json_clean_string(q->by));
	json_t *variants = json_array();
	for (size_t v = 0; v < rab->nvariants; v++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_clean_string(rab->variant[v]));
		json_object_set_new(o, "units", json_integer((json_int_t)rab->entered[v]));
		json_array_append_new(variants, o);
	}
	json_object_set_new(ab, "variants", variants);
	json_object_set_new(ab, "left_out", json_integer((json_int_t)rab->left_out));
	json_t *arr = json_array();
	for (size_t k = 1; k < steps->count; k++) {
		const struct funnel_ab_step *s = &rab->step[k];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_clean_string(steps->step[k].text));
		json_t *converted = json_array();
		for (size_t v = 0; v < rab->nvariants; v++) {
			json_array_append_new(converted, json_integer((json_int_t)s->reached[v]));
		}
		json_object_set_new(o, "converted", converted);
		json_object_set_new(o, "chi2", json_number_or_null(s->chi2));
		json_object_set_new(o, "df", json_integer(s->df));
		json_object_set_new(o, "p_value", json_number_or_null(s->p_value));
		json_object_set_new(o, "too_small", json_boolean(s->too_small));
		json_t *pairs = json_array();
		for (size_t i = 0; i < s->npairs; i++) {
			const struct funnel_ab_pair *pr = &s->pair[i];
			json_t *po = json_object();
			json_object_set_new(po, "a", json_clean_string(rab->variant[pr->a]));
			json_object_set_new(po, "b", json_clean_string(rab->variant[pr->b]));
			json_object_set_new(po, "difference", json_number_or_null(pr->diff));
			json_t *ci = json_array();
			json_array_append_new(ci, json_number_or_null(pr->ci_low));
			json_array_append_new(ci, json_number_or_null(pr->ci_high));
			json_object_set_new(po, "interval", ci);
			json_object_set_new(po, "interval_level", json_real(pr->ci_level));
			json_object_set_new(po, "z", json_number_or_null(pr->z));
			json_object_set_new(po, "p_value", json_number_or_null(pr->p_value));
			json_object_set_new(po, "p_holm", json_number_or_null(pr->p_holm));
			json_object_set_new(po, "too_small", json_boolean(pr->too_small));
			json_array_append_new(pairs, po);
		}
		json_object_set_new(o, "pairs", pairs);
		json_array_append_new(arr, o);
	}
	json_object_set_new(ab, "steps", arr);
	json_object_set_new(ab, "verdict", json_clean_string(rab->verdict));
	return ab;
}

/* The trend per period, per breakdown group too, with the median and the
 * lowest period. */
static json_t *trend_json(const struct funnel_query *q, const struct funnel_result *r)
{
	json_t *tr = json_object();
	json_object_set_new(tr, "period", json_string(q->trend == FUNNEL_WEEK ? "week" : "day"));
	json_t *pts = json_array();
	for (size_t i = 0; i < r->ntrend; i++)
		json_array_append_new(pts, trend_point_json(&r->trend[i]));
	json_object_set_new(tr, "points", pts);
	if (q->by) {
		json_t *groups = json_array();
		for (size_t g = 0; g < r->ngroups; g++) {
			const struct funnel_group *grp = &r->groups[g];
			json_t *go = json_object();
			json_object_set_new(go, "value", json_clean_string(grp->value));
			json_object_set_new(go, "other", json_boolean(grp->other));
			json_t *gp = json_array();
			for (size_t i = 0; i < grp->ntrend; i++)
				json_array_append_new(gp, trend_point_json(&grp->trend[i]));
			json_object_set_new(go, "points", gp);
			json_array_append_new(groups, go);
		}
		json_object_set_new(tr, "groups", groups);
	}
	size_t lowest;
	double median;
	bool found = funnel_trend_lowest(r->trend, r->ntrend, &lowest, &median);
	json_object_set_new(tr, "median_rate", json_number_or_null(median));
	if (found) {
		char day[32];
		period_label(r->trend[lowest].start_ms, day, sizeof day);
		json_object_set_new(tr, "lowest", json_string(day));
	} else {
		json_object_set_new(tr, "lowest", json_null());
	}
	return tr;
}

static void print_json(const struct funnel_args *a, const struct funnel_log *log,
		       const struct funnel_steps *steps, const struct funnel_query *q,
		       const struct funnel_result *r)
{
	const struct funnel_load_stats *st = funnel_log_stats(log);
	bool timed = q->order != FUNNEL_ANY;
	json_t *root = json_object();
	json_object_set_new(root, "file", json_clean_string(a->file));
	json_object_set_new(root, "unit_column", json_clean_string(funnel_log_unit_col(log)));
	json_object_set_new(root, "event_column", json_clean_string(funnel_log_event_col(log)));
	json_object_set_new(root, "time_column", json_clean_string(funnel_log_time_col(log)));
	json_object_set_new(root, "order", json_string(funnel_order_name(q->order)));
	json_object_set_new(root, "window_seconds", json_real((double)q->window_ms / 1000));
	json_object_set_new(root, "from", a->from ? json_string(a->from) : json_null());
	json_object_set_new(root, "to", a->to ? json_string(a->to) : json_null());
	json_t *filters = json_array();
	for (size_t i = 0; i < q->nfilters; i++) {
		json_t *f = json_object();
		json_object_set_new(f, "column", json_clean_string(q->filters[i].column));
		json_object_set_new(f, "value", json_clean_string(q->filters[i].value));
		json_array_append_new(filters, f);
	}
	json_object_set_new(root, "where", filters);
	json_object_set_new(root, "rows", json_integer((json_int_t)st->rows));
	json_object_set_new(root, "units_with_step_events", json_integer((json_int_t)st->units));
	json_object_set_new(root, "skipped", skipped_json(st));
	json_object_set_new(root, "steps", steps_json(&r->bars, steps, timed));
	json_object_set_new(root, "summary", json_clean_string(r->summary));
	if (r->ttc.n)
		json_object_set_new(root, "time_to_convert", ttc_json(r));
	if (q->nexclude) {
		json_t *ex = json_array();
		for (size_t i = 0; i < q->nexclude; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "event", json_clean_string(q->exclude[i].event.step[0].text));
			json_object_set_new(o, "from_step", json_integer((json_int_t)q->exclude[i].from + 1));
			json_object_set_new(o, "to_step", json_integer((json_int_t)q->exclude[i].to + 1));
			json_array_append_new(ex, o);
		}
		json_object_set_new(root, "exclusions", ex);
		json_object_set_new(root, "excluded", json_integer((json_int_t)r->excluded));
	}
	if (q->by) {
		json_t *bd = json_object();
		json_object_set_new(bd, "column", json_clean_string(q->by));
		json_t *values = json_array();
		for (size_t g = 0; g < r->ngroups; g++) {
			json_t *v = json_object();
			json_object_set_new(v, "value", json_clean_string(r->groups[g].value));
			json_object_set_new(v, "other", json_boolean(r->groups[g].other));
			if (r->groups[g].other)
				json_object_set_new(v, "values", json_integer((json_int_t)r->groups[g].nvalues));
			json_object_set_new(v, "steps", steps_json(&r->groups[g].bars, steps, timed));
			json_array_append_new(values, v);
		}
		json_object_set_new(bd, "values", values);
		json_object_set_new(root, "breakdown", bd);
	}
	if (r->ab.present)
		json_object_set_new(root, "ab", ab_json(steps, q, r));
	if (r->trend)
		json_object_set_new(root, "trend", trend_json(q, r));
	out_json(root, stdout);
	json_decref(root);
}

/* The first SNIFF_BYTES of the file into buf, cut after its last complete
 * line: its length, or -1 with err set. The caller's array, not a heap
 * block, holds it: gcc's UBSan build checks memrchr's pointer for NULL,
 * cannot rule NULL out for a malloc'd block (the sanitizer turns off
 * -fdelete-null-pointer-checks) and then warned (-Wnonnull) about the
 * NULL on the check's own branch; an array's address is never NULL. */
static ssize_t read_prefix(const char *path, char buf[static SNIFF_BYTES], char *err,
			   size_t errlen)
{
	struct stat sb;
	char why[256];
	int fd = strcmp(path, "-") ? file_open_read(path, &sb, why, sizeof why) : STDIN_FILENO;
	if (fd < 0)
		return format_error(err, errlen, "%s: %s", path, why);
	size_t n = 0;
	while (n < SNIFF_BYTES) {
		ssize_t got = read(fd, buf + n, SNIFF_BYTES - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			format_error(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			if (fd != STDIN_FILENO)
				close(fd);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (n == SNIFF_BYTES) {
		char *nl = memrchr(buf, '\n', n);
		if (nl)
			n = (size_t)(nl - buf) + 1;
	}
	return (ssize_t)n;
}

static int emit_sql(const struct funnel_args *a, const struct funnel_load_options *opt,
		    const struct funnel_query *q)
{
	enum funnel_sql_dialect d;
	if (funnel_sql_dialect_parse(a->emit, &d) != 0)
		return cli_error(CMD, "--emit-sql takes clickhouse, postgres or duckdb, not '%s'",
				 a->emit);
	enum funnel_time_type tt = FUNNEL_TIME_TEXT;
	if (a->time_type && funnel_time_type_parse(a->time_type, &tt) != 0)
		return cli_error(CMD, "--time-type takes text or timestamp, not '%s'", a->time_type);
	char err[1024];
	char prefix[SNIFF_BYTES];
	ssize_t len = read_prefix(a->file, prefix, err, sizeof err);
	if (len < 0)
		return cli_error(CMD, "%s", err);
	struct funnel_log *log;
	int rc = funnel_log_parse(a->file, prefix, (size_t)len, opt, &log, err, sizeof err);
	if (rc != 0)
		return cli_error(CMD, "%s", err);
	char *table = funnel_sql_table_name(a->file);
	char *sql = funnel_sql(d, tt, log, q, table, err, sizeof err);
	free(table);
	funnel_log_free(log);
	if (!sql)
		return cli_error(CMD, "%s", err);
	sanitize_fputs(sql, SANITIZE_KEEP_TAB | SANITIZE_KEEP_NEWLINE, stdout);
	free(sql);
	return 0;
}

/* ---- a stage-count file ----------------------------------------------------- */

static int stage_funnel(const struct funnel_args *a)
{
	struct funnel_stages s;
	char err[1024];
	if (funnel_stages_load(a->file, &s, err, sizeof err) != 0)
		return cli_error(CMD, "%s", err);
	struct funnel_bars bars;
	funnel_stages_bars(&s, &bars);
	const char *names[FUNNEL_MAX_STEPS];
	for (size_t i = 0; i < s.count; i++)
		names[i] = s.stage[i].name;
	char summary[600];
	size_t drop, weak;
	funnel_describe(&bars, s.count, names, "people", summary, sizeof summary, &drop, &weak);
	if (a->format == OUT_JSON) {
		json_t *root = json_object(), *arr = json_array();
		json_object_set_new(root, "file", json_clean_string(a->file));
		for (size_t k = 0; k < s.count; k++) {
			json_t *o = json_object();
			json_object_set_new(o, "name", json_clean_string(s.stage[k].name));
			json_object_set_new(o, "owner", json_clean_string(s.stage[k].owner));
			json_object_set_new(o, "count", json_integer((json_int_t)bars.count[k]));
			json_object_set_new(o, "percent_of_first", json_number_or_null(funnel_pct_first(&bars, k)));
			json_object_set_new(o, "percent_of_previous", json_number_or_null(funnel_pct_prev(&bars, k)));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "stages", arr);
		json_object_set_new(root, "summary", json_clean_string(summary));
		out_json(root, stdout);
		json_decref(root);
	} else {
		const char *cols[] = {"stage", "owner", "count", "% of first", "% of previous", "dropped"};
		struct out_table *t = out_table_new(cols, 6);
		for (size_t k = 0; k < s.count; k++) {
			char *name = sanitize_dup(s.stage[k].name, SANITIZE_LINE);
			char *owner = sanitize_dup(s.stage[k].owner, SANITIZE_LINE);
			out_text(t, name);
			out_text(t, owner);
			out_int(t, (long long)bars.count[k]);
			out_real(t, funnel_pct_first(&bars, k), 1);
			out_real(t, funnel_pct_prev(&bars, k), 1);
			out_int(t, k && bars.count[k - 1] > bars.count[k]
				       ? (long long)(bars.count[k - 1] - bars.count[k])
				       : 0);
			out_table_end_row(t);
			free(name);
			free(owner);
		}
		out_table_print(t, a->format, stdout);
		out_table_free(t);
		if (a->format == OUT_TABLE)
			sanitize_printf(stdout, "\n%s\n", summary);
	}
	funnel_stages_free(&s);
	return 0;
}

/* ---- the command --------------------------------------------------------------- */

/* No --steps: a stage-count file, or an event log that needs them. */
static int run_without_steps(const struct funnel_args *a)
{
	if (funnel_is_stage_file(a->file)) {
		if (a->emit)
			return cli_error(CMD,
					 "--emit-sql: %s holds stage counts, not events: there "
					 "is no event table to query",
					 a->file);
		return stage_funnel(a);
	}
	/* Not stage counts: a file that cannot be read or is not text
	 * is said to be so; else it is taken for events. */
	char err[1024], prefix[SNIFF_BYTES];
	ssize_t len = strcmp(a->file, "-") ? read_prefix(a->file, prefix, err, sizeof err) : 0;
	if (len < 0 || text_check_named(a->file, prefix, (size_t)len, err, sizeof err) != 0)
		return cli_error(CMD, "%s", err);
	return cli_error(CMD,
			 "%s has no stage,count header, so it is read as an event log, "
			 "which needs --steps, e.g. --steps store_click,install,signup",
			 a->file);
}

/* The query's window, order, dates, trend, breakdown, filters and time
 * to convert from the options: 0, or the command's status. */
static int query_options(const struct funnel_args *a, const struct funnel_steps *steps,
			 struct funnel_query *q)
{
	if (a->window && !funnel_parse_window(a->window, &q->window_ms))
		return cli_error(CMD, "--window '%s': use a number and a unit: 30m, 2h, 7d, 2w",
				 a->window);
	if (a->order && funnel_order_parse(a->order, &q->order) != 0)
		return cli_error(CMD, "--order takes ordered, strict or any, not '%s'", a->order);
	if (a->from && funnel_parse_bound(a->from, false, &q->from_ms) != 0)
		return cli_error(CMD, "--from '%s' is not a date (2026-07-01) or a time", a->from);
	if (a->to && funnel_parse_bound(a->to, true, &q->to_ms) != 0)
		return cli_error(CMD, "--to '%s' is not a date (2026-07-31) or a time", a->to);
	if (q->from_ms >= q->to_ms)
		return cli_error(CMD, "--from must come before --to");
	if (a->trend) {
		if (!strcmp(a->trend, "day"))
			q->trend = FUNNEL_DAY;
		else if (!strcmp(a->trend, "week"))
			q->trend = FUNNEL_WEEK;
		else
			return cli_error(CMD, "--trend takes day or week, not '%s'", a->trend);
	}
	q->by = a->by;
	q->filters = a->where;
	q->nfilters = a->nwhere;
	if (a->ttc) {
		unsigned from, to;
		int used = 0;
		if (sscanf(a->ttc, "%u-%u%n", &from, &to, &used) != 2 || (size_t)used != strlen(a->ttc) ||
		    from < 1 || to > steps->count || from >= to)
			return cli_error(CMD, "--time-to-convert takes FROM-TO, two of the steps 1 to "
					      "%zu, the first before the second (e.g. 1-%zu), not '%s'",
					 steps->count, steps->count, a->ttc);
		q->ttc_from = from - 1;
		q->ttc_to = to - 1;
	}
	return 0;
}

/* The columns of --by and --where, each once: the only properties stored. */
static const char **loaded_props(const struct funnel_args *a, size_t *nprops)
{
	const char **props = xcalloc(a->nwhere + 1, sizeof *props);
	*nprops = 0;
	for (size_t i = 0; i <= a->nwhere; i++) {
		const char *col = i < a->nwhere ? a->where[i].column : a->by;
		bool seen = !col;
		for (size_t j = 0; j < *nprops && !seen; j++)
			seen = !strcmp(props[j], col);
		if (!seen)
			props[(*nprops)++] = col;
	}
	return props;
}

/* --dropped STEP: a step's number (2 to K) or its name as written, into
 * *step (0 without --dropped): 0, or the command's status. */
static int dropped_option(const struct funnel_args *a, const struct funnel_steps *steps,
			  size_t *step)
{
	*step = 0;
	if (!a->dropped && !a->output)
		return 0;
	if (!a->dropped || !a->output)
		return cli_error(CMD, "--dropped STEP and -o FILE go together (-o - for "
				      "standard output)");
	char *end;
	unsigned long n = strtoul(a->dropped, &end, 10);
	if (*a->dropped >= '0' && *a->dropped <= '9' && !*end)
		*step = n >= 2 && n <= steps->count ? (size_t)n - 1 : 0;
	else
		for (size_t k = 1; k < steps->count && !*step; k++)
			if (!strcmp(steps->step[k].text, a->dropped))
				*step = k;
	if (!*step)
		return cli_error(CMD, "--dropped takes the step the units failed to reach: "
				      "its number, 2 to %zu, or its name, not '%s'",
				 steps->count, a->dropped);
	return 0;
}

/* A step no event of the log matches is worth a warning: likely a typo. */
static void warn_unmatched_steps(const struct funnel_log *log, const struct funnel_steps *steps)
{
	for (size_t k = 0; k < steps->count; k++)
		if (!funnel_log_step_has_events(log, &steps->step[k])) {
			struct funnel_event_count *ev;
			size_t n = funnel_log_events(log, &ev);
			struct strbuf names;
			sb_init(&names);
			for (size_t i = 0; i < n && i < 12; i++)
				sb_printf(&names, "%s%s", i ? ", " : "", ev[i].name);
			char *clean = sanitize_dup(names.data ? names.data : "none", SANITIZE_LINE);
			sanitize_printf(stderr,
					"aipm funnel: no event matches step %zu '%s' (events: %s%s)\n",
					k + 1,
				steps->step[k].text, clean, n > 12 ? ", ..." : "");
			free(clean);
			sb_free(&names);
			free(ev);
		}
}

/* The funnel over the loaded log, printed or its dropped units exported. */
static int compute_and_print(const struct funnel_args *a, const struct funnel_log *log,
			     const struct funnel_steps *steps, const struct funnel_query *q,
			     size_t dropped_step)
{
	char err[1024];
	struct funnel_result r;
	if (funnel_compute(log, q, &r, err, sizeof err) != 0)
		return cli_error(CMD, "%s", err);
	int status = 0;
	if (r.filter_hint[0])
		fprintf(stderr, "aipm funnel: --where: %s\n", r.filter_hint);
	if (dropped_step) {
		if (funnel_export_dropped(&r, dropped_step, a->output, a->force, err, sizeof err) != 0)
			status = cli_error(CMD, "%s", err);
		else if (strcmp(a->output, "-"))
			sanitize_printf(stderr, "aipm funnel: %llu %s reached %s but not %s: written to %s\n",
					(unsigned long long)(r.bars.count[dropped_step - 1] -
							     r.bars.count[dropped_step]),
					funnel_unit_noun(log), steps->step[dropped_step - 1].text,
					steps->step[dropped_step].text, a->output);
	} else if (a->format == OUT_JSON) {
		print_json(a, log, steps, q, &r);
	} else if (a->format == OUT_CSV) {
		print_csv(log, steps, &r);
	} else {
		print_table(a, log, steps, q, &r);
	}
	funnel_result_free(&r);
	return status;
}

static int funnel_run(struct cli_env *env, int argc, char **argv)
{
	(void)env;
	struct funnel_args a = {.format = OUT_TABLE};
	int status = 0;
	struct funnel_steps steps = {0}, also = {0};
	struct funnel_exclusion *exclusions = NULL;
	size_t nexclusions = 0;
	struct funnel_log *log = NULL;
	const char **props = NULL;
	char *shown_file = NULL;
	if (parse_args(argc, argv, &a) != 0) {
		status = 2;
		goto out;
	}
	if (!a.steps) {
		status = run_without_steps(&a);
		goto out;
	}
	char err[1024];
	if (funnel_steps_parse(a.steps, &steps, err, sizeof err) != 0) {
		status = cli_error(CMD, "--steps: %s", err);
		goto out;
	}
	struct funnel_query q;
	funnel_query_init(&q, &steps);
	status = query_options(&a, &steps, &q);
	if (status)
		goto out;
	if (a.nexclude > FUNNEL_MAX_EXCLUSIONS) {
		status = cli_error(CMD, "--exclude: at most %d exclusion steps", FUNNEL_MAX_EXCLUSIONS);
		goto out;
	}
	exclusions = xcalloc(a.nexclude + 1, sizeof *exclusions);
	for (size_t i = 0; i < a.nexclude; i++) {
		if (funnel_exclusion_parse(a.exclude[i], steps.count, &exclusions[i], err,
					   sizeof err) != 0) {
			status = cli_error(CMD, "--exclude %s", err);
			goto out;
		}
		nexclusions++;
		if (funnel_steps_add(&also, exclusions[i].event.step[0].text, err, sizeof err) != 0) {
			status = cli_error(CMD, "--exclude %s", err);
			goto out;
		}
	}
	q.exclude = exclusions;
	q.nexclude = nexclusions;

	/* store only what this funnel uses: the step events (every event for
	 * strict order) and the columns of --by and --where */
	size_t nprops;
	props = loaded_props(&a, &nprops);
	size_t dropped_step;
	status = dropped_option(&a, &steps, &dropped_step);
	if (status)
		goto out;
	struct funnel_load_options opt = {
	    .unit_col = a.unit, .event_col = a.event_col, .time_col = a.time_col,
	    .steps = &steps, .all_events = q.order == FUNNEL_STRICT, .also = &also,
	    .props = props, .nprops = nprops,
	    /* the dropped units' properties at first touch: every column */
	    .all_props = dropped_step != 0,
	};
	if (a.emit) {
		status = emit_sql(&a, &opt, &q);
		goto out;
	}
	/* The progress line is the one output with escapes of its own: the
	 * file's name in it is sanitised. */
	shown_file = sanitize_dup(a.file, SANITIZE_LINE);
	struct progress prog = {.name = shown_file};
	if (isatty(STDERR_FILENO)) {
		clock_gettime(CLOCK_MONOTONIC, &prog.start);
		prog.last = prog.start;
		opt.progress = show_progress;
		opt.progress_ctx = &prog;
	}
	if (funnel_log_load(a.file, &opt, &log, err, sizeof err) != 0) {
		if (prog.shown)
			fputs("\r\033[K", stderr);
		status = cli_error(CMD, "%s", err);
		goto out;
	}
	warn_unmatched_steps(log, &steps);
	status = compute_and_print(&a, log, &steps, &q, dropped_step);
out:
	free(shown_file);
	funnel_log_free(log);
	funnel_steps_free(&steps);
	funnel_steps_free(&also);
	for (size_t i = 0; i < nexclusions; i++)
		funnel_exclusion_free(&exclusions[i]);
	free(exclusions);
	free(a.exclude);
	for (size_t i = 0; i < a.nwhere; i++)
		free((char *)a.where[i].column);
	free(a.where);
	free(props);
	return status;
}

const struct cli_command cmd_funnel = {
	.name = "funnel",
	.usage = "FILE --steps a,b,c [--window 7d] [--order ordered|strict|any] [--unit COL] "
		 "[--event-col COL] [--time-col COL] [--by COL] [--where COL=VALUE]... "
		 "[--exclude EVENT[:FROM-TO]]... [--time-to-convert FROM-TO] "
		 "[--dropped STEP -o FILE|- [--force]] "
		 "[--from DATE] [--to DATE] [--trend day|week] [--format table|csv|json] "
		 "[--emit-sql clickhouse|postgres|duckdb [--time-type text|timestamp]]",
	.summary = "a conversion funnel from an event log CSV (or a stage,count file), with "
		   "breakdowns, an A/B check and a trend",
	.run = funnel_run,
};
