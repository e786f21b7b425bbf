/* libFuzzer target for the funnel loader and queries: any bytes must load
 * or fail with a message naming the file, never crash or hang; a loaded
 * log must give consistent counts (rows = valid + skipped, each step no
 * larger than the one before, trend points within step 1) in every order.
 * The first byte picks the options, the rest is the file.
 *
 *   tests/fuzz/run.sh 60 funnel_csv     (builds it with meson -Dfuzz=true, runs it for 60 s) */
#include "funnel.h"
#include "sanitize.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_result(const struct funnel_result *r, const struct funnel_log *log)
{
	for (size_t k = 1; k < r->nsteps; k++)
		if (r->bars.count[k] > r->bars.count[k - 1])
			abort();
	uint64_t entered = 0;
	for (size_t u = 0; u < r->nunits; u++) {
		if (r->reach[u] > r->nsteps)
			abort();
		entered += r->reach[u] >= 1;
	}
	if (entered != r->bars.count[0] || r->nunits != funnel_log_unit_count(log))
		abort();
	for (size_t i = 0; i < r->ntrend; i++)
		if (r->trend[i].converted > r->trend[i].entered)
			abort();
	for (size_t g = 0; g < r->ngroups; g++)
		for (size_t k = 1; k < r->nsteps; k++)
			if (r->groups[g].bars.count[k] > r->groups[g].bars.count[k - 1])
				abort();
	for (size_t k = 1; k < r->nsteps; k++)
		if (!isnan(r->bars.median_s[k]) && r->bars.median_s[k] < 0)
			abort();
	if (!memchr(r->summary, '\0', sizeof r->summary))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const char *csv = (const char *)data + 1;
	size_t len = size - 1;

	struct funnel_load_options opt = {.all_props = mode & 1};
	struct funnel_steps load_steps = {0};
	char err[1024];
	if (mode & 2) {
		/* store only two events, as the command line does */
		funnel_steps_parse("a,/^b/", &load_steps, err, sizeof err);
		opt.steps = &load_steps;
	}
	struct funnel_log *log = NULL;
	if (funnel_log_parse("fuzz.csv", csv, len, &opt, &log, err, sizeof err) != 0) {
		if (strncmp(err, "fuzz.csv", 8) != 0)
			abort();
		funnel_steps_free(&load_steps);
		return 0;
	}
	const struct funnel_load_stats *st = funnel_log_stats(log);
	uint64_t by_reason = 0;
	for (int i = 0; i < FUNNEL_SKIP_REASONS; i++)
		by_reason += st->skipped_by[i];
	if (st->rows != st->valid + st->skipped || by_reason != st->skipped || st->kept > st->valid ||
	    st->examples > FUNNEL_SKIP_EXAMPLES)
		abort();
	for (size_t i = 0; i < st->examples; i++)
		if (st->example[i].line < 1 || st->example[i].line > st->lines + 1)
			abort();

	/* a funnel over the most frequent events (or the stored ones) */
	struct funnel_event_count *ev;
	size_t nev = funnel_log_events(log, &ev);
	struct funnel_steps steps = {0};
	if (mode & 2) {
		funnel_steps_parse("a,/^b/", &steps, err, sizeof err);
	} else {
		for (size_t i = 0; i < 3; i++) {
			char *clean = sanitize_dup(nev ? ev[i % nev].name : "a", SANITIZE_LINE);
			/* names that look like patterns stay literal enough */
			if (funnel_steps_add(&steps, clean[0] == '/' ? "x" : clean, err, sizeof err) != 0)
				funnel_steps_add(&steps, "x", err, sizeof err);
			free(clean);
		}
	}
	free(ev);
	const char *by = NULL;
	const char *const *cols;
	size_t ncols = funnel_log_columns(log, &cols);
	for (size_t i = 0; i < ncols && (mode & 1); i++)
		if (funnel_log_has_prop(log, cols[i]))
			by = cols[i];
	for (int o = FUNNEL_ORDERED; o <= FUNNEL_ANY; o++) {
		struct funnel_query q;
		funnel_query_init(&q, &steps);
		q.order = (enum funnel_order)o;
		q.window_ms = (mode & 4) ? 3600 * 1000 : 1000;
		q.trend = (mode & 8) ? FUNNEL_WEEK : FUNNEL_DAY;
		q.by = by;
		q.top_values = 2;
		if (!funnel_log_covers(log, &q))
			continue;
		struct funnel_result r;
		if (funnel_compute(log, &q, &r, err, sizeof err) == 0) {
			check_result(&r, log);
			size_t *units;
			size_t n = funnel_dropped_units(&r, 1, &units);
			for (size_t i = 0; i < n; i++)
				if (r.reach[units[i]] != 1)
					abort();
			free(units);
			funnel_result_free(&r);
		}
	}
	funnel_steps_free(&steps);
	funnel_steps_free(&load_steps);
	funnel_log_free(log);
	return 0;
}
