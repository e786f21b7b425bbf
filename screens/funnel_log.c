/* A funnel from an event log: the file is read once (with a progress bar)
 * into the engine's per-unit index, and every change of steps, window,
 * order, breakdown, filter or period recomputes from it. Five views: the
 * funnel's bars, the breakdown by a column, the A/B check, the trend of
 * conversion per day or week, and the units that dropped at a step. */
#include "funnel_screens.h"

#include "barchart.h"
#include "chart.h"
#include "funnel.h"
#include "list.h"
#include "progressbar.h"
#include "scrollpad.h"
#include "table.h"
#include "ui.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum view { VIEW_FUNNEL, VIEW_BREAKDOWN, VIEW_AB, VIEW_TREND, VIEW_DROPPED, VIEW_COUNT };
static const char *const view_names[VIEW_COUNT] = {"Funnel", "Breakdown", "A/B", "Trend",
						   "Drop-offs"};

enum { MAX_FILTERS = 8 };

/* The shipped log's product funnel, awareness to referral. */
static const char shipped_steps[] =
    "store_impression,store_click,install,signup,session_start,purchase,invite_sent";

struct log_view {
	char *path;
	struct funnel_log *log;
	char load_error[1200];
	struct funnel_steps steps;
	struct funnel_query q;
	struct funnel_filter filters[MAX_FILTERS];
	size_t nfilters;
	struct funnel_exclusion exclusions[FUNNEL_MAX_EXCLUSIONS];
	size_t nexclusions;
	char *by;
	bool period_filter; /* from/to are a period picked on the trend */
	struct funnel_result r;
	bool have_result;
	char error[600];
	enum view view;
	size_t step;      /* selected step: the funnel's detail, the drop-offs */
	size_t period;    /* selected trend point */
	size_t trend_group; /* the breakdown group on the trend, SIZE_MAX: all */
	size_t group_top; /* first breakdown group shown */
	size_t *dropped;
	size_t ndropped;
	struct ui_list dropped_list;
	struct ui_scrollpad ab_pad, funnel_pad;
	size_t funnel_revealed; /* the step last scrolled into view */
	bool ttc_from_first;    /* time to convert from step 1, not the step before */
	char export_path[1024];
	char context[160];
};

/* ---- loading ----------------------------------------------------------- */

struct load_progress {
	const char *path;
	struct timespec start;
	bool cancelled;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Draws the bar over the screen's area and lets Esc cancel. */
static bool draw_progress(void *ctx, uint64_t bytes, uint64_t total, uint64_t rows)
{
	struct load_progress *p = ctx;
	double secs = seconds_since(&p->start);
	char label[512], rate[64], count[32];
	funnel_format_count(rows, count, sizeof count);
	snprintf(label, sizeof label, "Reading %s: %s rows (Esc cancels)", p->path, count);
	snprintf(rate, sizeof rate, "%.2fM rows/s", secs > 0 ? (double)rows / secs / 1e6 : 0.0);
	struct ui_progress bar = {.fraction = total ? (double)bytes / (double)total : 0,
				  .label = label, .rate = rate};
	int y = LINES / 2 - 1, width = COLS - 8;
	ui_fill(stdscr, y - 1, 0, COLS, A_NORMAL);
	ui_progress_draw(&bar, stdscr, y, 4, 2, width);
	wnoutrefresh(stdscr);
	doupdate();
	nodelay(stdscr, TRUE);
	int key = wgetch(stdscr);
	nodelay(stdscr, FALSE);
	if (key == UI_KEY_ESC || ui_stop_requested())
		p->cancelled = true;
	return !p->cancelled;
}

/* unit: the unit column, NULL to let the loader pick it. */
static void load(struct log_view *v, const char *unit)
{
	struct load_progress prog = {.path = v->path};
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	/* every event and every column: any funnel on this log can then be
	 * computed without reading the file again */
	struct funnel_load_options opt = {.unit_col = unit, .all_events = true, .all_props = true,
					  .progress = draw_progress, .progress_ctx = &prog};
	if (funnel_log_load(v->path, &opt, &v->log, v->load_error, sizeof v->load_error) != 0)
		v->log = NULL;
}

/* The trend on show: the funnel's, or (v) one breakdown group's. */
static const struct funnel_trend_point *shown_trend(const struct log_view *v, size_t *n)
{
	if (v->by && v->trend_group < v->r.ngroups) {
		*n = v->r.groups[v->trend_group].ntrend;
		return v->r.groups[v->trend_group].trend;
	}
	*n = v->r.ntrend;
	return v->r.trend;
}

/* ---- computing ------------------------------------------------------------ */

static void compute(struct log_view *v)
{
	if (v->have_result)
		funnel_result_free(&v->r);
	v->have_result = false;
	v->error[0] = '\0';
	free(v->dropped);
	v->dropped = NULL;
	v->ndropped = 0;
	if (!v->log || v->steps.count < FUNNEL_MIN_STEPS)
		return;
	v->q.steps = &v->steps;
	v->q.filters = v->filters;
	v->q.nfilters = v->nfilters;
	v->q.exclude = v->exclusions;
	v->q.nexclude = v->nexclusions;
	/* the time to convert to the selected step, from the one before it
	 * or (t) from the first */
	size_t to = v->step >= 1 && v->step < v->steps.count ? v->step : 1;
	v->q.ttc_to = to;
	v->q.ttc_from = v->ttc_from_first ? 0 : to - 1;
	v->q.by = v->by;
	if (funnel_compute(v->log, &v->q, &v->r, v->error, sizeof v->error) != 0)
		return;
	v->have_result = true;
	if (v->step >= v->steps.count)
		v->step = v->steps.count - 1;
	if (v->trend_group != SIZE_MAX && v->trend_group >= v->r.ngroups)
		v->trend_group = SIZE_MAX;
	size_t ntrend;
	shown_trend(v, &ntrend);
	if (v->period >= ntrend)
		v->period = ntrend ? ntrend - 1 : 0;
	size_t k = v->step ? v->step : 1;
	v->ndropped = funnel_dropped_units(&v->r, k, &v->dropped);
	ui_list_set_model(&v->dropped_list, v->ndropped, v->dropped_list.draw_row, NULL, v);
}

static void clear_exclusions(struct log_view *v)
{
	for (size_t i = 0; i < v->nexclusions; i++)
		funnel_exclusion_free(&v->exclusions[i]);
	v->nexclusions = 0;
}

static int set_steps(struct log_view *v, const char *spec, char *err, size_t errlen)
{
	struct funnel_steps steps;
	if (funnel_steps_parse(spec, &steps, err, errlen) != 0)
		return -1;
	funnel_steps_free(&v->steps);
	v->steps = steps;
	/* exclusions name steps by number: new steps, new exclusions */
	clear_exclusions(v);
	v->step = 1;
	compute(v);
	return 0;
}

/* ---- drawing helpers ---------------------------------------------------------- */

static void clean_copy(const char *s, char *buf, size_t size)
{
	char *clean = sanitize_dup(s, SANITIZE_LINE);
	snprintf(buf, size, "%s", clean);
	free(clean);
}

static void draw_header(struct log_view *v, WINDOW *w, int y, int cols)
{
	const struct funnel_load_stats *st = funnel_log_stats(v->log);
	char rows[32], skipped[32], units[32], line[1024], file[512];
	funnel_format_count(st->rows, rows, sizeof rows);
	funnel_format_count(st->skipped, skipped, sizeof skipped);
	funnel_format_count(st->units, units, sizeof units);
	const char *base = strrchr(v->path, '/');
	clean_copy(base ? base + 1 : v->path, file, sizeof file);
	snprintf(line, sizeof line, "%s: %s rows, %s %s, %s skipped%s", file, rows, units,
		 funnel_unit_noun(v->log), skipped, st->skipped ? " (! why)" : "");
	ui_put(w, y, 2, cols - 4, line, ui_attr(UI_DIM));

	char window[32];
	funnel_format_window(v->q.window_ms, window, sizeof window);
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "%s, window %s",
		  v->q.order == FUNNEL_ORDERED ? "in order"
		  : v->q.order == FUNNEL_STRICT ? "strict order"
						: "any order",
		  window);
	if (v->by)
		sb_printf(&sb, ", by %s", v->by);
	for (size_t i = 0; i < v->nfilters; i++)
		sb_printf(&sb, "%s%s=%s", i ? ", " : ", where ", v->filters[i].column, v->filters[i].value);
	for (size_t i = 0; i < v->nexclusions; i++)
		sb_printf(&sb, "%s%s %zu-%zu", i ? ", " : ", excluding ",
			  v->exclusions[i].event.step[0].text, v->exclusions[i].from + 1,
			  v->exclusions[i].to + 1);
	if (v->period_filter) {
		char day[32];
		funnel_format_time(v->q.from_ms, day, sizeof day);
		sb_printf(&sb, ", entries %s %.10s (x clears)",
			  v->q.trend == FUNNEL_WEEK ? "in the week of" : "on", day);
	}
	char *clean = sanitize_dup(sb.data, SANITIZE_LINE);
	ui_put(w, y + 1, 2, cols - 4, clean, ui_attr(v->period_filter ? UI_ACCENT : UI_NORMAL));
	free(clean);
	sb_free(&sb);

	int x = 2;
	for (int i = 0; i < VIEW_COUNT && x < cols - 2; i++) {
		char tab[32];
		snprintf(tab, sizeof tab, " %d %s ", i + 1, view_names[i]);
		x += ui_put(w, y + 2, x, cols - 2 - x, tab,
			    ui_attr(i == (int)v->view ? UI_SELECTED : UI_DIM)) + 1;
	}
}

/* ---- the views ---------------------------------------------------------------- */

static void draw_no_steps(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	struct funnel_event_count *ev;
	size_t n = funnel_log_events(v->log, &ev);
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "Press s to choose the steps: two to twelve events, in order. Events in this "
		     "file, most frequent first: ");
	for (size_t i = 0; i < n && i < 20; i++) {
		char count[32];
		funnel_format_count(ev[i].rows, count, sizeof count);
		sb_printf(&sb, "%s%s (%s)", i ? ", " : "", ev[i].name, count);
	}
	free(ev);
	char *clean = sanitize_dup(sb.data ? sb.data : "", SANITIZE_LINE);
	ui_put_wrapped(w, y, 2, cols - 4, rows, clean, ui_attr(UI_NORMAL));
	free(clean);
	sb_free(&sb);
}

/* The time-to-convert histogram under the funnel; returns the rows used. */
static int draw_ttc(struct log_view *v, WINDOW *pad, int y, int width)
{
	const struct funnel_ttc *t = &v->r.ttc;
	char from[80], to[80], line[320];
	clean_copy(v->steps.step[t->from].text, from, sizeof from);
	clean_copy(v->steps.step[t->to].text, to, sizeof to);
	if (!t->n) {
		snprintf(line, sizeof line, "Time to convert, %s to %s: %s.", from, to,
			 v->q.order == FUNNEL_ANY ? "none in any order (no sequence)"
						  : "nobody made both steps");
		return ui_put_wrapped(pad, y, 0, width, 3, line, ui_attr(UI_DIM));
	}
	char median[32], p90[32], count[32];
	funnel_format_duration(t->median_s, median, sizeof median);
	funnel_format_duration(t->p90_s, p90, sizeof p90);
	funnel_format_count(t->n, count, sizeof count);
	snprintf(line, sizeof line, "Time to convert, %s to %s (t: from %s): %s %s, median %s, "
				    "p90 %s",
		 from, to, v->ttc_from_first ? "the step before" : "step 1", count,
		 funnel_unit_noun(v->log), median, p90);
	int used = ui_put_wrapped(pad, y, 0, width, 4, line, ui_attr(UI_HEADING2));
	struct ui_barchart chart;
	ui_barchart_init(&chart);
	for (size_t i = 0; i < t->nbuckets; i++) {
		char label[32], text[64], n[32];
		funnel_ttc_label(t, i, label, sizeof label);
		funnel_format_count(t->count[i], n, sizeof n);
		snprintf(text, sizeof text, "%s  %.1f%%", n, 100.0 * (double)t->count[i] / (double)t->n);
		ui_barchart_add(&chart, label, (double)t->count[i], text);
	}
	ui_barchart_draw(&chart, pad, y + used, 0, (int)t->nbuckets, width);
	ui_barchart_free(&chart);
	return used + (int)t->nbuckets;
}

/* The bars, the selected step's detail and the summary, whole, on a pad:
 * PgDn/PgUp scroll it, j/k select a step (kept in view). */
static void draw_funnel(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	const struct funnel_bars *b = &v->r.bars;
	size_t K = v->steps.count;
	int width = ui_scrollpad_text_width(cols - 3) - 1;
	WINDOW *pad = ui_scrollpad_begin(&v->funnel_pad, (int)K + 40 + FUNNEL_TTC_EDGES, width);
	int py = 0;
	struct ui_barchart chart;
	ui_barchart_init(&chart);
	for (size_t k = 0; k < K; k++) {
		char label[96], name[80], value[64], count[32];
		clean_copy(v->steps.step[k].text, name, sizeof name);
		snprintf(label, sizeof label, "%s %s", k == v->step ? ui_glyph(GLYPH_ARROW_RIGHT) : " ",
			 name);
		funnel_format_count(b->count[k], count, sizeof count);
		double pct = funnel_pct_first(b, k);
		snprintf(value, sizeof value, "%s  %.1f%%", count, pct == pct ? pct : 0.0);
		ui_barchart_add(&chart, label, (double)b->count[k], value);
	}
	ui_barchart_draw(&chart, pad, py, 0, (int)K, width);
	ui_barchart_free(&chart);
	py += (int)K + 1;
	int selected_row = (int)v->step;
	/* the selected step against the one before it */
	char detail[512];
	size_t k = v->step;
	char name[80], prev[80];
	clean_copy(v->steps.step[k].text, name, sizeof name);
	if (k == 0) {
		char count[32];
		funnel_format_count(b->count[0], count, sizeof count);
		snprintf(detail, sizeof detail, "%s: %s %s entered the funnel.", name, count,
			 funnel_unit_noun(v->log));
	} else {
		char lost[32], median[32], mean[32];
		clean_copy(v->steps.step[k - 1].text, prev, sizeof prev);
		funnel_format_count(b->count[k - 1] - b->count[k], lost, sizeof lost);
		funnel_format_duration(b->median_s[k], median, sizeof median);
		funnel_format_duration(b->mean_s[k], mean, sizeof mean);
		double pp = funnel_pct_prev(b, k);
		int n = snprintf(detail, sizeof detail, "%s: %.1f%% of %s go on, %s drop off", name,
				 pp == pp ? pp : 0.0, prev, lost);
		if (v->q.order != FUNNEL_ANY && n > 0 && (size_t)n < sizeof detail)
			snprintf(detail + n, sizeof detail - (size_t)n,
				 "; time from %s: median %s, mean %s.", prev, median, mean);
	}
	py += ui_put_wrapped(pad, py, 0, width, 6, detail, ui_attr(UI_ACCENT)) + 1;
	if (v->nexclusions) {
		char line[160], count[32];
		funnel_format_count(v->r.excluded, count, sizeof count);
		snprintf(line, sizeof line, "%s %s left out: an exclusion event came inside their chain.",
			 count, funnel_unit_noun(v->log));
		py += ui_put_wrapped(pad, py, 0, width, 3, line, ui_attr(UI_DIM)) + 1;
	}
	if (v->r.filter_hint[0])
		py += ui_put_wrapped(pad, py, 0, width, 6, v->r.filter_hint, ui_attr(UI_WARN)) + 1;
	py += ui_put_wrapped(pad, py, 0, width, 12, v->r.summary, ui_attr(UI_NORMAL)) + 1;
	py += draw_ttc(v, pad, py, width);
	if (v->step != v->funnel_revealed) { /* a new selection comes into view */
		ui_scrollpad_reveal(&v->funnel_pad, selected_row, selected_row + 1);
		v->funnel_revealed = v->step;
	}
	ui_scrollpad_show(&v->funnel_pad, py, w, y, 2, rows, cols - 3);
}

static void draw_breakdown(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	if (!v->by) {
		struct strbuf sb;
		sb_init(&sb);
		sb_puts(&sb, "Press b to break the funnel down by a column, each unit counted under the "
			     "value on its first step-1 event (first touch). Columns:");
		const char *names[256];
		size_t n = funnel_log_breakdown_columns(v->log, names, 256);
		for (size_t i = 0; i < n; i++)
			sb_printf(&sb, "%s %s (%zu)", i ? "," : "", names[i],
				  funnel_log_prop_value_count(v->log, names[i]));
		char *clean = sanitize_dup(sb.data, SANITIZE_LINE);
		ui_put_wrapped(w, y, 2, cols - 4, rows, clean, ui_attr(UI_NORMAL));
		free(clean);
		sb_free(&sb);
		return;
	}
	size_t K = v->steps.count;
	int bottom = y + rows;
	if (v->group_top >= v->r.ngroups)
		v->group_top = v->r.ngroups ? v->r.ngroups - 1 : 0;
	for (size_t g = v->group_top; g < v->r.ngroups && y + 2 <= bottom; g++) {
		const struct funnel_group *grp = &v->r.groups[g];
		char head[256], value[128], count[32];
		if (grp->other)
			snprintf(value, sizeof value, "other (%zu values)", grp->nvalues);
		else
			clean_copy(*grp->value ? grp->value : "(empty)", value, sizeof value);
		funnel_format_count(grp->bars.count[0], count, sizeof count);
		double last = funnel_pct_first(&grp->bars, K - 1);
		snprintf(head, sizeof head, "%s = %s: %s entered, %.1f%% reach the last step", v->by, value,
			 count, last == last ? last : 0.0);
		ui_put(w, y++, 2, cols - 4, head, ui_attr(UI_HEADING2));
		/* bars as a share of the group's own first step, so that the
		 * groups' shapes compare */
		struct ui_barchart chart;
		ui_barchart_init(&chart);
		chart.max = 100;
		for (size_t k = 0; k < K; k++) {
			char label[96], text[64], n[32];
			clean_copy(v->steps.step[k].text, label, sizeof label);
			funnel_format_count(grp->bars.count[k], n, sizeof n);
			double pct = funnel_pct_first(&grp->bars, k);
			snprintf(text, sizeof text, "%s  %.1f%%", n, pct == pct ? pct : 0.0);
			ui_barchart_add(&chart, label, pct == pct ? pct : 0, text);
		}
		int h = (int)K < bottom - y ? (int)K : bottom - y;
		ui_barchart_draw(&chart, w, y, 4, h, cols - 6);
		ui_barchart_free(&chart);
		y += h + 1;
	}
	if (v->r.ngroups > 1 && rows > 0) {
		char more[64];
		snprintf(more, sizeof more, "group %zu of %zu (j/k)", v->group_top + 1, v->r.ngroups);
		ui_put_right(w, bottom - 1, 2, cols - 4, more, ui_attr(UI_DIM));
	}
}

/* The column an A/B check would use: the first stored column with two
 * values, else the first with up to FUNNEL_MAX_VARIANTS. */
static const char *experiment_column(const struct funnel_log *log)
{
	const char *const *names;
	size_t n = funnel_log_columns(log, &names);
	for (size_t want = 2; want <= FUNNEL_MAX_VARIANTS; want++)
		for (size_t i = 0; i < n; i++)
			if (funnel_log_prop_value_count(log, names[i]) == want)
				return names[i];
	return NULL;
}

/* No A/B check in this funnel: what it needs, and the column that has it. */
static void draw_no_ab(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	const char *candidate = experiment_column(v->log);
	char text[400];
	if (candidate)
		snprintf(text, sizeof text, "The A/B check compares the variants of an experiment: "
					    "break the funnel down by a column with 2 to %d "
					    "values. Press a to use '%s'.",
			 FUNNEL_MAX_VARIANTS, candidate);
	else
		snprintf(text, sizeof text, "The A/B check compares the variants of an "
					    "experiment, but no column of this file has 2 to "
					    "%d values.",
			 FUNNEL_MAX_VARIANTS);
	char *clean = sanitize_dup(text, SANITIZE_LINE);
	ui_put_wrapped(w, y, 2, cols - 4, rows, clean, ui_attr(UI_NORMAL));
	free(clean);
}

/* one bar per variant and step, as a share of the variant's entries: the
 * rows it took */
static int draw_ab_bars(struct log_view *v, WINDOW *pad, int py, int width,
			char *const *name)
{
	const struct funnel_ab *ab = &v->r.ab;
	size_t K = v->steps.count, nv = ab->nvariants;
	struct ui_barchart chart;
	ui_barchart_init(&chart);
	chart.max = 100;
	for (size_t k = 1; k < K; k++)
		for (size_t i = 0; i < nv; i++) {
			char label[80] = "", text[96];
			if (i == 0)
				clean_copy(v->steps.step[k].text, label, sizeof label);
			double rate = ab->entered[i] ? 100.0 * (double)ab->step[k].reached[i] /
							       (double)ab->entered[i]
						     : 0;
			snprintf(text, sizeof text, "%.1f%% %s", rate, name[i]);
			ui_barchart_add(&chart, label, rate, text);
		}
	int bars = (int)((K - 1) * nv);
	ui_barchart_draw(&chart, pad, py, 0, bars, width);
	ui_barchart_free(&chart);
	return bars;
}

/* The tests per step: across all variants (more than two), then each
 * pair; the rows it took. */
static int draw_ab_tests(struct log_view *v, WINDOW *pad, int py, int width, char *const *name)
{
	const struct funnel_ab *ab = &v->r.ab;
	size_t K = v->steps.count, nv = ab->nvariants;
	const struct ui_column columns[] = {
	    {"step", UI_ALIGN_LEFT, 6, 20},
	    {"test", UI_ALIGN_LEFT, 6, 20},
	    {"difference", UI_ALIGN_RIGHT, 10, 12},
	    {nv > 2 ? "interval" : "95% CI", UI_ALIGN_RIGHT, 14, 24},
	    {nv > 2 ? "Holm p" : "p-value", UI_ALIGN_RIGHT, 7, 9},
	};
	struct ui_table table;
	ui_table_init(&table, columns, 5);
	int table_rows = 2;
	for (size_t k = 1; k < K; k++) {
		const struct funnel_ab_step *s = &ab->step[k];
		char step[80], p[16];
		clean_copy(v->steps.step[k].text, step, sizeof step);
		if (nv > 2) {
			char test[32];
			snprintf(test, sizeof test, "all %zu", nv);
			funnel_format_p(s->p_value, p, sizeof p);
			const char *cells[] = {step, test, "", "", s->too_small ? "too small" : p};
			ui_table_add_row(&table, cells);
			table_rows++;
		}
		for (size_t i = 0; i < s->npairs; i++) {
			const struct funnel_ab_pair *pr = &s->pair[i];
			char pair[160], diff[32], ci[96], iv[64];
			snprintf(pair, sizeof pair, "%s vs %s", name[pr->b], name[pr->a]);
			snprintf(diff, sizeof diff, "%+.1f pts", 100 * pr->diff);
			funnel_format_interval(pr->ci_low, pr->ci_high, iv, sizeof iv);
			if (pr->ci_level > 0.9500001)
				snprintf(ci, sizeof ci, "%s (%.1f%%)", iv, 100 * pr->ci_level);
			else
				snprintf(ci, sizeof ci, "%s", iv);
			funnel_format_p(nv > 2 ? pr->p_holm : pr->p_value, p, sizeof p);
			const char *cells[] = {nv > 2 || i ? "" : step, pair, diff, ci,
					       pr->too_small ? "too small" : p};
			ui_table_add_row(&table, cells);
			table_rows++;
		}
	}
	table.max_cell_lines = 1;
	ui_table_draw(&table, pad, py, 0, table_rows, width);
	ui_table_free(&table);
	return table_rows;
}

/* The whole A/B check on a pad: the bars of every variant at every step,
 * the table of tests, the verdict; j/k and PgDn scroll it. */
static void draw_ab(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	const struct funnel_ab *ab = &v->r.ab;
	if (!ab->present) {
		draw_no_ab(v, w, y, rows, cols);
		return;
	}
	size_t K = v->steps.count, nv = ab->nvariants, npairs = ab->step[1].npairs;
	int width = ui_scrollpad_text_width(cols - 3) - 1;
	int estimate = 8 + (int)((K - 1) * (nv + npairs + 2)) + 40;
	WINDOW *pad = ui_scrollpad_begin(&v->ab_pad, estimate, width);
	int py = 0;
	char *name[FUNNEL_MAX_VARIANTS];
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "%s:", v->by);
	for (size_t i = 0; i < nv; i++) {
		name[i] = sanitize_dup(ab->variant[i], SANITIZE_LINE);
		char count[32];
		funnel_format_count(ab->entered[i], count, sizeof count);
		sb_printf(&sb, "%s %s (%s entered)", i ? "," : "", name[i], count);
	}
	char *head = sanitize_dup(sb.data, SANITIZE_LINE);
	py += ui_put_wrapped(pad, py, 0, width, 4, head, ui_attr(UI_HEADING2));
	free(head);
	sb_free(&sb);

	py += draw_ab_bars(v, pad, py, width, name) + 1;
	py += draw_ab_tests(v, pad, py, width, name);
	const char *note = nv > 2 ? "All: chi-square across the variants. Pairs: Holm-corrected "
				    "p-values, each interval at the level Holm's procedure gives "
				    "its pair (shown when above 95%)."
				  : "The 95% CI of the difference, in points; p from the two-"
				    "proportion z-test.";
	py += ui_put_wrapped(pad, py, 0, width, 4, note, ui_attr(UI_DIM)) + 1;
	py += ui_put_wrapped(pad, py, 0, width, 20, ab->verdict, ui_attr(UI_ACCENT));
	if (ab->left_out) {
		char left[256], count[32];
		funnel_format_count(ab->left_out, count, sizeof count);
		snprintf(left, sizeof left, "(%s %s with no %s value are left out.)", count,
			 funnel_unit_noun(v->log), v->by);
		char *clean = sanitize_dup(left, SANITIZE_LINE);
		py += 1 + ui_put_wrapped(pad, py + 1, 0, width, 3, clean, ui_attr(UI_DIM));
		free(clean);
	}
	for (size_t i = 0; i < nv; i++)
		free(name[i]);
	ui_scrollpad_show(&v->ab_pad, py, w, y, 2, rows, cols - 3);
}

static double trend_rate(const struct funnel_trend_point *p)
{
	return 100 * p->rate;
}

/* The trend's title: the steps, the period, the breakdown group shown. */
static void trend_title(struct log_view *v, char *title, size_t size)
{
	char name0[80], name1[80];
	clean_copy(v->steps.step[0].text, name0, sizeof name0);
	clean_copy(v->steps.step[v->steps.count - 1].text, name1, sizeof name1);
	char group[160] = "";
	if (v->by && v->trend_group < v->r.ngroups) {
		const struct funnel_group *g = &v->r.groups[v->trend_group];
		char value[96];
		clean_copy(g->other ? "other" : g->value, value, sizeof value);
		snprintf(group, sizeof group, ", %s = %s", v->by, value);
	} else if (v->by) {
		snprintf(group, sizeof group, ", all %s", funnel_unit_noun(v->log));
	}
	char *clean_group = sanitize_dup(group, SANITIZE_LINE);
	snprintf(title, size, "%s to %s, %% converted by %s of entry%s", name0, name1,
		 v->q.trend == FUNNEL_WEEK ? "week" : "day", clean_group);
	free(clean_group);
}

/* the volume: units entering per period, one cell per plot column */
static void draw_trend_volume(WINDOW *w, int y, int label_width, int plot_x, int plot_cols,
			      const struct funnel_trend_point *pts, size_t n, uint64_t most)
{
	static const char *const levels[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char ascii_levels[] = " .:-=+*#%@";
	ui_put(w, y, 2, label_width + 2, "n", ui_attr(UI_DIM));
	for (int c = 0; c < plot_cols; c++) {
		size_t i = n > 1 ? (size_t)((double)c / (double)(plot_cols - 1 > 0 ? plot_cols - 1 : 1) *
					    (double)(n - 1) + 0.5)
				 : 0;
		double f = (double)pts[i < n ? i : n - 1].entered / (double)most;
		int level = (int)(f * 8 + 0.5);
		char cell[8];
		if (ui_caps()->unicode)
			snprintf(cell, sizeof cell, "%s", levels[level]);
		else
			snprintf(cell, sizeof cell, "%c", ascii_levels[(int)(f * 9 + 0.5)]);
		ui_put(w, y, plot_x + c, 1, cell, ui_attr(UI_DIM));
	}
}

/* Under the chart: the selected period in words, then the lowest one
 * against the median, from row yy to bottom. */
static void draw_trend_periods(struct log_view *v, WINDOW *w, int yy, int bottom, int cols,
			       const struct funnel_trend_point *pts, size_t n)
{
	bool week = v->q.trend == FUNNEL_WEEK;
	const struct funnel_trend_point *p = &pts[v->period];
	char day[32], line[400], conv[32], ent[32];
	funnel_format_time(p->start_ms, day, sizeof day);
	funnel_format_count(p->converted, conv, sizeof conv);
	funnel_format_count(p->entered, ent, sizeof ent);
	snprintf(line, sizeof line, "%s %.10s: %s of %s converted, %.1f%% (95%% CI %.1f-%.1f%%)%s. "
				    "Enter: its funnel.",
		 week ? "Week of" : "Day", day, conv, ent, trend_rate(p), 100 * p->low, 100 * p->high,
		 p->complete ? "" : ", not complete");
	if (yy < bottom)
		yy += ui_put_wrapped(w, yy, 2, cols - 4, bottom - yy < 2 ? bottom - yy : 2, line,
				     ui_attr(UI_NORMAL));
	size_t lowest;
	double median;
	bool found = funnel_trend_lowest(pts, n, &lowest, &median);
	if (yy < bottom && median == median) {
		if (found) {
			const struct funnel_trend_point *l = &pts[lowest];
			funnel_format_time(l->start_ms, day, sizeof day);
			funnel_format_count(l->converted, conv, sizeof conv);
			funnel_format_count(l->entered, ent, sizeof ent);
			snprintf(line, sizeof line, "Lowest %s: %.10s, %s of %s, %.1f%% (CI %.1f-%.1f%%), "
						    "against a median of %.1f%%.",
				 week ? "week" : "day", day, conv, ent, trend_rate(l), 100 * l->low,
				 100 * l->high, 100 * median);
		} else {
			snprintf(line, sizeof line, "No %s is clearly below the median of %.1f%% (none has "
						    "its 95%% interval under it).",
				 week ? "week" : "day", 100 * median);
		}
		ui_put_wrapped(w, yy, 2, cols - 4, bottom - yy < 2 ? bottom - yy : 2, line,
			       ui_attr(found ? UI_WARN : UI_DIM));
	}
}

static void draw_trend(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	size_t n;
	const struct funnel_trend_point *pts = shown_trend(v, &n);
	if (!n) {
		ui_put(w, y, 2, cols - 4, "No unit entered the funnel: nothing to plot.", ui_attr(UI_DIM));
		return;
	}
	double *complete = xcalloc(n, sizeof *complete), *partial = xcalloc(n, sizeof *partial);
	for (size_t i = 0; i < n; i++) {
		double rate = trend_rate(&pts[i]);
		complete[i] = pts[i].complete ? rate : NAN;
		/* the partial line joins the last complete point */
		partial[i] = !pts[i].complete || (i + 1 < n && !pts[i + 1].complete) ? rate : NAN;
	}
	char first[32], last[32], title[256];
	funnel_format_time(pts[0].start_ms, first, sizeof first);
	funnel_format_time(pts[n - 1].start_ms, last, sizeof last);
	first[10] = last[10] = '\0';
	trend_title(v, title, sizeof title);
	ui_put(w, y++, 2, cols - 4, title, ui_attr(UI_HEADING2));
	rows--;
	struct ui_chart chart;
	ui_chart_init(&chart);
	chart.x_first = first;
	chart.x_last = last;
	chart.y_suffix = "%";
	chart.y_decimals = 0;
	chart.y_from_zero = true;
	ui_chart_add(&chart, "converted", complete, n, ui_attr(UI_ACCENT));
	ui_chart_add(&chart, "the window runs past the log's end", partial, n, ui_attr(UI_DIM));
	int chart_rows = rows - 6;
	if (chart_rows < 5)
		chart_rows = rows - 2;
	ui_chart_draw(&chart, w, y, 2, chart_rows, cols - 4);

	/* A caret under the selected period. The chart puts its y labels
	 * (the largest rate and 0%, 0 decimals) right-aligned before the
	 * plot and spreads the points over the plot's dots. */
	double hi = 0;
	uint64_t most = 0;
	for (size_t i = 0; i < n; i++) {
		double rate = trend_rate(&pts[i]);
		hi = rate > hi ? rate : hi;
		most = pts[i].entered > most ? pts[i].entered : most;
	}
	if (hi == 0)
		hi = 1;
	char top[32];
	snprintf(top, sizeof top, "%.0f%%", hi);
	int label_width = ui_width(top) > 2 ? ui_width(top) : 2;
	int plot_x = 2 + label_width + 2, plot_cols = cols - 4 - label_width - 2;
	int dots = ui_caps()->unicode ? plot_cols * 2 : plot_cols;
	double fx = n > 1 ? (double)v->period / (double)(n - 1) : 0;
	int px = (int)(fx * (dots - 1) + 0.5);
	int caret_x = plot_x + (ui_caps()->unicode ? px / 2 : px);
	int yy = y + chart_rows;
	if (yy < y + rows && most > 0) {
		draw_trend_volume(w, yy, label_width, plot_x, plot_cols, pts, n, most);
		yy++;
	}
	if (yy < y + rows) {
		ui_put(w, yy, caret_x, 1, "^", ui_attr(UI_WARN));
		yy++;
	}
	draw_trend_periods(v, w, yy, y + rows, cols, pts, n);
	free(complete);
	free(partial);
}

/* The drop-off list's columns, the header's and the rows' alike: a
 * cell too long for its column ends in an ellipsis (Enter shows it whole). */
static void dropped_cells(WINDOW *w, int y, int x, int width, const char *const *cells, bool by,
			  attr_t attr)
{
	static const int widths[] = {18, 12, 16, 16};
	int at = x;
	for (int c = 0; c < 4 && at < x + width; c++) {
		if (c == 1 && !by)
			continue;
		int room = x + width - at;
		int cw = c == 3 || widths[c] > room ? room : widths[c];
		ui_put(w, y, at, cw, cells[c], attr);
		at += widths[c] + (c == 2 ? 2 : 1);
	}
}

static void dropped_fields(struct log_view *v, size_t u, char *id, size_t idlen, char *group,
			   size_t glen, char *entered, char *last)
{
	clean_copy(funnel_log_unit_id(v->log, u), id, idlen);
	clean_copy(funnel_unit_group(&v->r, u), group, glen);
	funnel_format_time(v->r.entered_ms[u], entered, 32);
	if (v->r.last_ms[u] == INT64_MIN)
		snprintf(last, 32, "-");
	else
		funnel_format_time(v->r.last_ms[u], last, 32);
}

static void dropped_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct log_view *v = data;
	char id[256], group[256], entered[32], last[32];
	dropped_fields(v, v->dropped[index], id, sizeof id, group, sizeof group, entered, last);
	/* minutes are enough in the list; the dialog has the seconds */
	entered[16] = last[16] = '\0';
	const char *cells[] = {id, group, entered, last};
	dropped_cells(w, y, x + 1, width - 1, cells, v->by != NULL, attr);
}

/* The selected drop-off whole, with its properties at first touch. */
static void show_dropped(struct log_view *v)
{
	if (!v->ndropped)
		return;
	size_t at = ui_list_selected(&v->dropped_list);
	if (at >= v->ndropped)
		return;
	size_t u = v->dropped[at];
	char id[256], group[256], entered[32], last[32];
	dropped_fields(v, u, id, sizeof id, group, sizeof group, entered, last);
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "%s: %s\nentered: %s\nlast step reached: %u, at %s", funnel_log_unit_col(v->log),
		  id, entered, (unsigned)v->r.reach[u], last);
	if (v->by)
		sb_printf(&sb, "\n%s (first touch): %s", v->by, group);
	char *text = sanitize_dup(sb.data, SANITIZE_KEEP_NEWLINE);
	ui_message("Drop-off", text);
	free(text);
	sb_free(&sb);
}

static void draw_dropped(struct log_view *v, WINDOW *w, int y, int rows, int cols)
{
	size_t k = v->step ? v->step : 1;
	char name[80], prev[80], count[32], line[400];
	clean_copy(v->steps.step[k].text, name, sizeof name);
	clean_copy(v->steps.step[k - 1].text, prev, sizeof prev);
	funnel_format_count(v->ndropped, count, sizeof count);
	/* "users", "sessions", "units": one of them without its s */
	const char *noun = funnel_unit_noun(v->log);
	snprintf(line, sizeof line, "%s %.*s reached %s but not %s:", count,
		 (int)strlen(noun) - (v->ndropped == 1), noun, prev, name);
	ui_put(w, y, 2, cols - 4, line, ui_attr(UI_HEADING2));
	char unit[128], by[128];
	clean_copy(funnel_log_unit_col(v->log), unit, sizeof unit);
	clean_copy(v->by ? v->by : "", by, sizeof by);
	const char *head[] = {unit, by, "entered", "last step reached"};
	dropped_cells(w, y + 1, 2, cols - 4, head, v->by != NULL, ui_attr(UI_DIM));
	v->dropped_list.empty_text = "Nobody dropped at this step.";
	ui_list_draw(&v->dropped_list, w, y + 2, 1, rows - 2, cols - 2);
}

/* ---- the screen ------------------------------------------------------------------ */

static void *log_enter(struct app *app, void *arg)
{
	(void)app;
	struct log_view *v = xcalloc(1, sizeof *v);
	v->path = xstrdup(arg);
	ui_list_init(&v->dropped_list);
	ui_scrollpad_init(&v->ab_pad);
	ui_scrollpad_init(&v->funnel_pad);
	ui_list_set_model(&v->dropped_list, 0, dropped_row, NULL, v);
	funnel_query_init(&v->q, &v->steps);
	v->q.trend = FUNNEL_DAY;
	v->trend_group = SIZE_MAX;
	load(v, NULL);
	if (!v->log)
		return v;
	/* the shipped log opens on its product funnel; another log waits for
	 * its steps */
	struct funnel_steps shipped;
	char err[256];
	if (funnel_steps_parse(shipped_steps, &shipped, err, sizeof err) == 0) {
		bool all = true;
		for (size_t k = 0; k < shipped.count && all; k++)
			all = funnel_log_step_has_events(v->log, &shipped.step[k]);
		funnel_steps_free(&shipped);
		if (all)
			set_steps(v, shipped_steps, err, sizeof err);
	}
	return v;
}

static void log_leave(void *self, struct app *app)
{
	(void)app;
	struct log_view *v = self;
	if (v->have_result)
		funnel_result_free(&v->r);
	funnel_log_free(v->log);
	funnel_steps_free(&v->steps);
	for (size_t i = 0; i < v->nfilters; i++) {
		free((char *)v->filters[i].column);
		free((char *)v->filters[i].value);
	}
	clear_exclusions(v);
	free(v->by);
	free(v->dropped);
	ui_list_free(&v->dropped_list);
	ui_scrollpad_free(&v->ab_pad);
	ui_scrollpad_free(&v->funnel_pad);
	free(v->path);
	free(v);
}

/* Each view's drawing, keys and status-bar keys, indexed by enum view
 * (defined after the key handlers below), as screen_ops is for screens. */
struct view_ops {
	void (*draw)(struct log_view *v, WINDOW *w, int y, int rows, int cols);
	/* A key of this view's own; whether it was one. */
	bool (*key)(struct log_view *v, struct app *app, int key);
	const char *const *(*keys)(const struct log_view *v);
};
static const struct view_ops views[VIEW_COUNT];

static void log_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct log_view *v = self;
	int y = top + 1;
	if (!v->log) {
		ui_put_wrapped(w, y, 2, cols - 4, rows - 2, v->load_error, ui_attr(UI_BAD));
		return;
	}
	draw_header(v, w, y, cols);
	y += 4;
	int body = top + rows - y;
	if (v->steps.count < FUNNEL_MIN_STEPS) {
		draw_no_steps(v, w, y, body, cols);
		return;
	}
	if (!v->have_result) {
		ui_put_wrapped(w, y, 2, cols - 4, body, v->error, ui_attr(UI_BAD));
		return;
	}
	views[v->view].draw(v, w, y, body, cols);
}

/* ---- settings ------------------------------------------------------------------ */

static void ask_steps(struct log_view *v, struct app *app)
{
	struct funnel_event_count *ev;
	size_t n = funnel_log_events(v->log, &ev);
	struct strbuf label;
	sb_init(&label);
	sb_puts(&label, "Two to twelve events in order, comma-separated; /regex/ for a pattern. In "
			"this file:");
	for (size_t i = 0; i < n && i < 16; i++)
		sb_printf(&label, "%s %s", i ? "," : "", ev[i].name);
	if (n > 16)
		sb_puts(&label, ", ...");
	char buf[1024] = "";
	for (size_t k = 0; k < v->steps.count; k++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", k ? "," : "",
			 v->steps.step[k].text);
	sb_puts(&label, " (Tab completes an event name)");
	char *clean = sanitize_dup(label.data, SANITIZE_LINE);
	sb_free(&label);
	/* the log's event names, most frequent first, for Tab; only those
	 * that display as they are (a name with escapes is typed, not offered) */
	const char **words = xcalloc(n ? n : 1, sizeof *words);
	size_t nwords = 0;
	for (size_t i = 0; i < n; i++) {
		char *shown = sanitize_dup(ev[i].name, SANITIZE_LINE);
		if (!strcmp(shown, ev[i].name) && !strchr(ev[i].name, ','))
			words[nwords++] = ev[i].name;
		free(shown);
	}
	bool ok = ui_prompt_complete("Funnel steps", clean, buf, sizeof buf, words, nwords);
	free(words);
	free(ev);
	free(clean);
	if (!ok)
		return;
	/* the comma a completion leaves after the last step */
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == ',' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	char err[512];
	if (set_steps(v, buf, err, sizeof err) != 0) {
		screen_flash(app->screens, "%s", err);
		return;
	}
	for (size_t k = 0; k < v->steps.count; k++)
		if (!funnel_log_step_has_events(v->log, &v->steps.step[k])) {
			screen_flash(app->screens, "No event in the file matches step %zu, '%s'.", k + 1,
				     v->steps.step[k].text);
			break;
		}
}

static void ask_window(struct log_view *v, struct app *app)
{
	char buf[64];
	funnel_format_window(v->q.window_ms, buf, sizeof buf);
	if (!ui_prompt("Conversion window",
		       "How long after step 1 the last step may come: 30m, 2h, 7d, 2w:", buf,
		       sizeof buf))
		return;
	int64_t ms;
	if (!funnel_parse_window(buf, &ms)) {
		screen_flash(app->screens, "Not a window: %s (try 7d)", buf);
		return;
	}
	v->q.window_ms = ms;
	compute(v);
}

static void clear_filters(struct log_view *v)
{
	for (size_t i = 0; i < v->nfilters; i++) {
		free((char *)v->filters[i].column);
		free((char *)v->filters[i].value);
	}
	v->nfilters = 0;
}

/* "platform=android, channel=ads": one COLUMN=VALUE per filter. */
static void ask_filter(struct log_view *v, struct app *app)
{
	char buf[512] = "";
	for (size_t i = 0; i < v->nfilters; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s=%s", i ? "," : "",
			 v->filters[i].column, v->filters[i].value);
	if (!ui_prompt("Filter the rows",
		       "COLUMN=VALUE, comma-separated (two values of one column are either/or); "
		       "empty for none:",
		       buf, sizeof buf))
		return;
	struct funnel_filter parsed[MAX_FILTERS];
	size_t n = 0;
	char *save = NULL;
	for (char *part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '=');
		char *col = eq ? str_trim(xstrndup(part, (size_t)(eq - part))) : NULL;
		if (!col || !*col || n == MAX_FILTERS || !funnel_log_has_prop(v->log, col)) {
			screen_flash(app->screens,
				     !col || !*col ? "Write each filter as COLUMN=VALUE."
				     : n == MAX_FILTERS ? "At most 8 filters."
							: "No column '%s' to filter on.",
				     col ? col : "");
			free(col);
			for (size_t i = 0; i < n; i++) {
				free((char *)parsed[i].column);
				free((char *)parsed[i].value);
			}
			return;
		}
		parsed[n++] = (struct funnel_filter){col, str_trim(xstrdup(eq + 1))};
	}
	clear_filters(v);
	memcpy(v->filters, parsed, n * sizeof *parsed);
	v->nfilters = n;
	compute(v);
}

/* "cancel, refund:2-3": events that leave a unit out when they come
 * inside its chain (between two steps, all of it by default). */
static void ask_exclusions(struct log_view *v, struct app *app)
{
	char buf[512] = "";
	for (size_t i = 0; i < v->nexclusions; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s:%zu-%zu", i ? "," : "",
			 v->exclusions[i].event.step[0].text, v->exclusions[i].from + 1,
			 v->exclusions[i].to + 1);
	if (!ui_prompt("Exclusion steps",
		       "EVENT or EVENT:FROM-TO (steps from 1), comma-separated: a unit with such an "
		       "event inside its chain is left out. Empty for none:",
		       buf, sizeof buf))
		return;
	struct funnel_exclusion parsed[FUNNEL_MAX_EXCLUSIONS];
	size_t n = 0;
	char *save = NULL, err[256];
	for (char *part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		if (n == FUNNEL_MAX_EXCLUSIONS ||
		    funnel_exclusion_parse(part, v->steps.count, &parsed[n], err, sizeof err) != 0) {
			if (n == FUNNEL_MAX_EXCLUSIONS)
				format_error(err, sizeof err, "at most %d exclusion steps",
					     FUNNEL_MAX_EXCLUSIONS);
			screen_flash(app->screens, "%s", err);
			for (size_t i = 0; i < n; i++)
				funnel_exclusion_free(&parsed[i]);
			return;
		}
		n++;
	}
	clear_exclusions(v);
	memcpy(v->exclusions, parsed, n * sizeof *parsed);
	v->nexclusions = n;
	compute(v);
}

/* The next column for the breakdown in order of usefulness (few values
 * first, id-like last), then none again. */
static void cycle_breakdown(struct log_view *v)
{
	const char *names[256];
	size_t n = funnel_log_breakdown_columns(v->log, names, 256);
	size_t start = 0;
	if (v->by)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(names[i], v->by))
				start = i + 1;
	free(v->by);
	v->by = start < n ? xstrdup(names[start]) : NULL;
	v->group_top = 0;
	compute(v);
}

/* Reads the log again with the next column that can be the unit
 * (user_id, then session_id...): the steps and settings stay. */
static void switch_unit(struct log_view *v, struct app *app)
{
	const char *names[32];
	size_t n = funnel_log_unit_columns(v->log, names, 32);
	if (n < 2) {
		screen_flash(app->screens, "No other unit column in this file (looked for user_id, "
					   "session_id, distinct_id...).");
		return;
	}
	size_t next = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], funnel_log_unit_col(v->log)))
			next = (i + 1) % n;
	char *unit = xstrdup(names[next]);
	struct funnel_log *old = v->log;
	if (v->have_result)
		funnel_result_free(&v->r);
	v->have_result = false;
	v->log = NULL;
	load(v, unit);
	if (!v->log) {
		/* the file changed or vanished: keep what was on screen */
		screen_flash(app->screens, "%s", v->load_error);
		v->log = old;
	} else {
		funnel_log_free(old);
	}
	if (v->by && !funnel_log_has_prop(v->log, v->by)) {
		free(v->by);
		v->by = NULL;
	}
	free(unit);
	compute(v);
	screen_flash(app->screens, "Unit: %s (%s)", funnel_log_unit_col(v->log),
		     funnel_unit_noun(v->log));
}

static void pick_period(struct log_view *v)
{
	size_t n;
	const struct funnel_trend_point *pts = shown_trend(v, &n);
	if (!n)
		return;
	int64_t start = pts[v->period].start_ms;
	v->q.from_ms = start;
	v->q.to_ms = start + (v->q.trend == FUNNEL_WEEK ? 7 : 1) * 86400000LL;
	v->period_filter = true;
	v->view = VIEW_FUNNEL;
	compute(v);
}

static void clear_period(struct log_view *v)
{
	if (!v->period_filter)
		return;
	int64_t start = v->q.from_ms;
	v->q.from_ms = INT64_MIN;
	v->q.to_ms = INT64_MAX;
	v->period_filter = false;
	compute(v);
	/* keep the caret on the period that was picked */
	size_t n;
	const struct funnel_trend_point *pts = shown_trend(v, &n);
	for (size_t i = 0; i < n; i++)
		if (pts[i].start_ms == start)
			v->period = i;
}

static void export_dropped(struct log_view *v, struct app *app)
{
	size_t k = v->step ? v->step : 1;
	if (!v->export_path[0] || v->export_path[0] == 'd')
		snprintf(v->export_path, sizeof v->export_path, "dropped-before-%s.csv",
			 v->steps.step[k].re ? "step" : v->steps.step[k].name);
	if (!ui_prompt("Export the drop-offs", "Write the units that dropped to the CSV file:",
		       v->export_path, sizeof v->export_path))
		return;
	bool replace;
	if (!ui_may_write(v->export_path, &replace))
		return;
	char err[1200];
	if (funnel_export_dropped(&v->r, k, v->export_path, replace, err, sizeof err) != 0)
		screen_flash(app->screens, "%s", err);
	else {
		char count[32];
		funnel_format_count(v->ndropped, count, sizeof count);
		screen_flash(app->screens, "Saved %s %s to %s", count, funnel_unit_noun(v->log),
			     v->export_path);
	}
}

static void show_skipped(struct log_view *v)
{
	const struct funnel_load_stats *st = funnel_log_stats(v->log);
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "%llu of %llu rows could not be used and were skipped:",
		  (unsigned long long)st->skipped, (unsigned long long)st->rows);
	const char *sep = " ";
	for (int r = 0; r < FUNNEL_SKIP_REASONS; r++)
		if (st->skipped_by[r]) {
			sb_printf(&sb, "%s%llu %s", sep, (unsigned long long)st->skipped_by[r],
				  funnel_skip_reason_name((enum funnel_skip_reason)r));
			sep = ", ";
		}
	sb_puts(&sb, ".\n\nThe first ones:\n");
	for (size_t i = 0; i < st->examples; i++)
		sb_printf(&sb, "line %ld: %s\n", st->example[i].line, st->example[i].reason);
	char *clean = sanitize_dup(sb.data, SANITIZE_LINE);
	/* line breaks are for the dialog: put them back */
	for (char *p = clean, *q = sb.data; *p && *q; p++, q++)
		if (*q == '\n')
			*p = '\n';
	ui_message("Skipped rows", clean);
	free(clean);
	sb_free(&sb);
}

/* ---- each view's keys ---------------------------------------------------------- */

static bool funnel_view_key(struct log_view *v, struct app *app, int key)
{
	(void)app;
	size_t K = v->steps.count;
	if ((key == KEY_NPAGE || key == KEY_PPAGE || key == ' ') &&
	    ui_scrollpad_key(&v->funnel_pad, key))
		return true;
	if (key == 't') {
		v->ttc_from_first = !v->ttc_from_first;
		compute(v);
		return true;
	}
	size_t before = v->step;
	if (ui_nav_key(key, K, (int)K, false, &v->step)) {
		if (v->step != before)
			compute(v); /* the histogram follows the selection */
		return true;
	}
	if (ui_key_is_enter(key) && v->step > 0) {
		compute(v);
		v->view = VIEW_DROPPED;
		return true;
	}
	return false;
}

/* The top group's value whole: a long one is cut in its heading. */
static void show_group(const struct log_view *v)
{
	if (!v->by || v->group_top >= v->r.ngroups)
		return;
	const struct funnel_group *grp = &v->r.groups[v->group_top];
	char count[32];
	funnel_format_count(grp->bars.count[0], count, sizeof count);
	double last = funnel_pct_first(&grp->bars, v->steps.count - 1);
	struct strbuf sb;
	sb_init(&sb);
	if (grp->other)
		sb_printf(&sb, "%s: other (%zu values)", v->by, grp->nvalues);
	else
		sb_printf(&sb, "%s: %s", v->by, *grp->value ? grp->value : "(empty)");
	sb_printf(&sb, "\n%s entered, %.1f%% reach the last step", count, last == last ? last : 0.0);
	char *text = sanitize_dup(sb.data, SANITIZE_KEEP_NEWLINE);
	ui_message("Breakdown group", text);
	free(text);
	sb_free(&sb);
}

static bool breakdown_view_key(struct log_view *v, struct app *app, int key)
{
	(void)app;
	if (ui_key_is_enter(key)) {
		show_group(v);
		return true;
	}
	return ui_nav_key(key, v->r.ngroups, 1, false, &v->group_top);
}

static bool ab_view_key(struct log_view *v, struct app *app, int key)
{
	if (key == 'a') {
		const char *col = experiment_column(v->log);
		if (!col) {
			screen_flash(app->screens, "No column has 2 to %d values.",
				     FUNNEL_MAX_VARIANTS);
			return true;
		}
		free(v->by);
		v->by = xstrdup(col);
		compute(v);
		ui_scrollpad_home(&v->ab_pad);
		return true;
	}
	return ui_scrollpad_key(&v->ab_pad, key);
}

/* v on the trend: all, then each group, then all again, staying on the
 * same period. */
static void next_trend_group(struct log_view *v)
{
	size_t n;
	const struct funnel_trend_point *pts = shown_trend(v, &n);
	int64_t start = n ? pts[v->period].start_ms : 0;
	v->trend_group = v->trend_group == SIZE_MAX		? 0
			 : v->trend_group + 1 < v->r.ngroups ? v->trend_group + 1
							     : SIZE_MAX;
	pts = shown_trend(v, &n);
	v->period = 0;
	for (size_t i = 0; i < n; i++)
		if (pts[i].start_ms <= start)
			v->period = i;
}

static bool trend_view_key(struct log_view *v, struct app *app, int key)
{
	(void)app;
	size_t n;
	const struct funnel_trend_point *pts = shown_trend(v, &n);
	if (key == KEY_LEFT || key == 'h') {
		if (v->period > 0)
			v->period--;
	} else if (key == KEY_RIGHT || key == 'l') {
		if (v->period + 1 < n)
			v->period++;
	} else if (key == KEY_HOME || key == 'g') {
		v->period = 0;
	} else if (key == KEY_END || key == 'G') {
		v->period = n ? n - 1 : 0;
	} else if (key == 'L') {
		size_t lowest;
		double median;
		if (funnel_trend_lowest(pts, n, &lowest, &median))
			v->period = lowest;
	} else if (key == 'v' && v->by) {
		next_trend_group(v);
	} else if (key == 'p') {
		v->q.trend = v->q.trend == FUNNEL_DAY ? FUNNEL_WEEK : FUNNEL_DAY;
		if (v->period_filter)
			clear_period(v);
		else
			compute(v);
		v->period = 0;
	} else if (ui_key_is_enter(key)) {
		pick_period(v);
	} else {
		return false;
	}
	return true;
}

static bool dropped_view_key(struct log_view *v, struct app *app, int key)
{
	size_t K = v->steps.count;
	if (key == KEY_LEFT || key == 'h' || key == KEY_RIGHT || key == 'l') {
		bool left = key == KEY_LEFT || key == 'h';
		if (left && v->step > 1)
			v->step--;
		else if (!left && v->step + 1 < K)
			v->step++;
		compute(v);
		return true;
	}
	if (key == 'e') {
		export_dropped(v, app);
		return true;
	}
	if (ui_key_is_enter(key)) {
		show_dropped(v);
		return true;
	}
	return ui_list_key(&v->dropped_list, key);
}

static enum screen_action log_key(void *self, struct app *app, int key)
{
	struct log_view *v = self;
	if (!v->log)
		return SCREEN_UNHANDLED;
	if (key == 's') {
		ask_steps(v, app);
		return SCREEN_HANDLED;
	}
	if (key == '!' && funnel_log_stats(v->log)->skipped) {
		show_skipped(v);
		return SCREEN_HANDLED;
	}
	if (v->steps.count < FUNNEL_MIN_STEPS)
		return SCREEN_UNHANDLED;
	if (key >= '1' && key < '1' + VIEW_COUNT) {
		v->view = (enum view)(key - '1');
		return SCREEN_HANDLED;
	}
	switch (key) {
	case '\t':
		v->view = (enum view)((v->view + 1) % VIEW_COUNT);
		return SCREEN_HANDLED;
	case KEY_BTAB:
		v->view = (enum view)((v->view + VIEW_COUNT - 1) % VIEW_COUNT);
		return SCREEN_HANDLED;
	case 'w':
		ask_window(v, app);
		return SCREEN_HANDLED;
	case 'o':
		v->q.order = (enum funnel_order)((v->q.order + 1) % 3);
		compute(v);
		screen_flash(app->screens, "Order: %s", funnel_order_name(v->q.order));
		return SCREEN_HANDLED;
	case 'b':
		cycle_breakdown(v);
		if (v->view != VIEW_AB)
			v->view = VIEW_BREAKDOWN;
		return SCREEN_HANDLED;
	case 'f':
		ask_filter(v, app);
		return SCREEN_HANDLED;
	case 'u':
		switch_unit(v, app);
		return SCREEN_HANDLED;
	case 'n':
		ask_exclusions(v, app);
		return SCREEN_HANDLED;
	case 'x':
		clear_period(v);
		return SCREEN_HANDLED;
	default:
		break;
	}
	if (!v->have_result)
		return SCREEN_UNHANDLED;
	return views[v->view].key(v, app, key) ? SCREEN_HANDLED : SCREEN_UNHANDLED;
}

/* The status bar's keys of each view. */
static const char *const *funnel_view_keys(const struct log_view *v)
{
	static const char *const funnel[] = {"1-5/Tab", "view", "s", "steps", "w", "window", "o",
					     "order", "b", "by", "u", "unit", "f", "filter", "Enter", "drop-offs",
					     NULL};
	static const char *const funnel_period[] = {"1-5/Tab", "view", "x", "all periods", "s",
						    "steps", "w", "window", "o", "order", "f",
						    "filter", NULL};
	return v->period_filter ? funnel_period : funnel;
}

static const char *const *breakdown_view_keys(const struct log_view *v)
{
	(void)v;
	static const char *const breakdown[] = {"1-5/Tab", "view", "b", "next column", "j/k",
						"scroll", "Enter", "whole value", "f", "filter",
						"s", "steps", NULL};
	return breakdown;
}

static const char *const *ab_view_keys(const struct log_view *v)
{
	(void)v;
	static const char *const ab[] = {"1-5/Tab", "view", "j/k/PgDn", "scroll", "a",
					 "experiment column", "b", "column", "s", "steps", NULL};
	return ab;
}

static const char *const *trend_view_keys(const struct log_view *v)
{
	static const char *const trend[] = {"1-5/Tab", "view", "h/l", "period", "L", "lowest",
					    "Enter", "filter to it", "x", "clear", "p", "day/week",
					    NULL};
	static const char *const trend_by[] = {"h/l", "period", "L", "lowest", "v", "group",
					       "Enter", "filter to it", "x", "clear", "p",
					       "day/week", NULL};
	return v->by ? trend_by : trend;
}

static const char *const *dropped_view_keys(const struct log_view *v)
{
	(void)v;
	static const char *const dropped[] = {"1-5/Tab", "view", "h/l", "step", "j/k", "move", "e",
					      "export CSV", "q", "back", NULL};
	return dropped;
}

static const struct view_ops views[VIEW_COUNT] = {
    [VIEW_FUNNEL] = {draw_funnel, funnel_view_key, funnel_view_keys},
    [VIEW_BREAKDOWN] = {draw_breakdown, breakdown_view_key, breakdown_view_keys},
    [VIEW_AB] = {draw_ab, ab_view_key, ab_view_keys},
    [VIEW_TREND] = {draw_trend, trend_view_key, trend_view_keys},
    [VIEW_DROPPED] = {draw_dropped, dropped_view_key, dropped_view_keys},
};

static const char *const *log_mode_keys(void *self)
{
	static const char *const empty[] = {"s", "steps", "q", "back", NULL};
	const struct log_view *v = self;
	if (!v->log || v->steps.count < FUNNEL_MIN_STEPS)
		return empty;
	return views[v->view].keys(v);
}

static const char *log_context(void *self, struct app *app)
{
	(void)app;
	struct log_view *v = self;
	if (!v->log)
		return "";
	char steps[32];
	snprintf(steps, sizeof steps, "%zu steps", v->steps.count);
	snprintf(v->context, sizeof v->context, "%s  %.2fs load", steps,
		 funnel_log_stats(v->log)->seconds);
	return v->context;
}

static const char *const log_help[] = {
	"1-5, Tab", "views: funnel, breakdown, A/B, trend, drop-offs",
	"s", "choose the steps (event names, or /regex/ patterns)",
	"w", "the conversion window (30m, 2h, 7d)",
	"o", "order: ordered, strict (no other event between steps), any",
	"b", "break down by the next column (first touch): few values first, ids last",
	"Enter", "breakdown: the top group's value whole (a long one is cut in its heading)",
	"u", "the unit: the next of the file's unit columns (user_id, session_id...)",
	"n", "exclusion steps: EVENT or EVENT:FROM-TO, a unit with one in its chain is left out",
	"f", "filter rows: COLUMN=VALUE, comma-separated",
	"!", "why rows were skipped, with their line numbers",
	"j/k, Enter", "funnel: select a step; Enter lists who dropped before it",
	"PgDn/PgUp", "funnel: scroll the bars, the words and the time to convert below them",
	"t", "funnel: time to convert to the selected step from step 1 / from the step before",
	"h/l, L, Enter", "trend: move along the periods, jump to the lowest, filter to one",
	"x, p", "trend: clear the period filter; days or weeks",
	"v", "trend with a breakdown: all units, then each group's own trend",
	"a", "A/B: break down by an experiment's column (2 to 8 values)",
	"j/k, PgDn/PgUp", "A/B: scroll the bars, the tests and the verdict",
	"e", "drop-offs: export the list to CSV (with every column at first touch)",
	"Enter", "drop-offs: the selected unit whole (ids too long for the list end in ...)",
	NULL,
};

/* A request's settings on the view, each checked as its own key checks
 * it; the first that does not fit is flashed. */
static void apply_request(struct log_view *v, struct app *app,
			  const struct funnel_log_request *req)
{
	char err[256] = "";
	int64_t ms;
	if (!v->log)
		return;
	if (req->steps && set_steps(v, req->steps, err, sizeof err) != 0)
		screen_flash(app->screens, "Steps '%s': %s", req->steps, err);
	if (req->window && funnel_parse_window(req->window, &ms))
		v->q.window_ms = ms;
	if (req->order)
		funnel_order_parse(req->order, &v->q.order);
	if (req->from && funnel_parse_bound(req->from, false, &ms) == 0)
		v->q.from_ms = ms;
	if (req->to && funnel_parse_bound(req->to, true, &ms) == 0)
		v->q.to_ms = ms;
	if (req->trend)
		v->q.trend = !strcmp(req->trend, "week") ? FUNNEL_WEEK : FUNNEL_DAY;
	if (req->by && funnel_log_has_prop(v->log, req->by)) {
		free(v->by);
		v->by = xstrdup(req->by);
		v->view = VIEW_BREAKDOWN;
	} else if (req->by) {
		screen_flash(app->screens, "No column '%s' to break down by.", req->by);
	}
	const char *eq = req->where ? strchr(req->where, '=') : NULL;
	if (eq) {
		char *col = xstrndup(req->where, (size_t)(eq - req->where));
		if (funnel_log_has_prop(v->log, col)) {
			clear_filters(v);
			v->filters[v->nfilters++] = (struct funnel_filter){col, xstrdup(eq + 1)};
		} else {
			screen_flash(app->screens, "No column '%s' to filter on.", col);
			free(col);
		}
	}
	if (req->trend && !req->by)
		v->view = VIEW_TREND;
	compute(v);
}

static void *preset_enter(struct app *app, void *arg)
{
	const struct funnel_log_request *req = arg;
	struct log_view *v = log_enter(app, (void *)req->path);
	apply_request(v, app, req);
	return v;
}

/* The same screen, opened on a path or on a request. */
#define LOG_SCREEN_OPS(enter_fn)                                                               \
	{ \
	.title = "Funnel from an event log", \
	.mode_keys = log_mode_keys, \
	.help_keys = log_help, \
	.help_text = "A unit (a user, or a session) reaches step k when it has events for steps 1 " \
		     "to k in order, all within the window from its step-1 event; it counts for " \
		     "the furthest step it reaches from any of its step-1 events (ClickHouse's " \
		     "windowFunnel; events at the same time keep the file's order). The file is " \
		     "read once: every change here recomputes from memory.", \
	.enter = enter_fn, \
	.draw = log_draw, \
	.key = log_key, \
	.leave = log_leave, \
	.context = log_context, \
	}

const struct screen_ops funnel_log_screen = LOG_SCREEN_OPS(log_enter);
const struct screen_ops funnel_log_preset_screen = LOG_SCREEN_OPS(preset_enter);
