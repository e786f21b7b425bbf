/* The funnel loader on several threads (issue 19): for every thread
 * count, the log it builds (stats, skip examples and their lines, units
 * and events in first-seen order, property values, the index itself),
 * and its error messages with their lines, are those of one thread, on
 * logs with quoted line breaks where the file is cut, CRLF, a BOM, bad
 * rows and a property whose values pass the limit only over the whole
 * file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "funnel_internal.h"
#include "testutil.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TESTED_THREADS 16

static int load_threads(const char *csv, size_t len, unsigned threads,
			const struct funnel_load_options *opt, struct funnel_log **log, char *err,
			size_t errlen)
{
	char n[16];
	snprintf(n, sizeof n, "%u", threads);
	setenv("AIPM_THREADS", n, 1);
	int rc = funnel_log_parse("events.csv", csv, len, opt, log, err, errlen);
	unsetenv("AIPM_THREADS");
	return rc;
}

static struct funnel_log *load_ok(const char *csv, size_t len, unsigned threads,
				  const struct funnel_load_options *opt)
{
	struct funnel_log *log = NULL;
	char err[1024];
	if (load_threads(csv, len, threads, opt, &log, err, sizeof err) != 0)
		fail_msg("%u threads: load failed: %s", threads, err);
	return log;
}

static void expect_same_strings(const struct intern *a, const struct intern *b, const char *what,
				unsigned threads)
{
	if (a->count != b->count)
		fail_msg("%u threads: %u %s, one thread %u", threads, b->count, what, a->count);
	for (uint32_t i = 0; i < a->count; i++)
		if (intern_len(a, i) != intern_len(b, i) ||
		    memcmp(intern_str(a, i), intern_str(b, i), intern_len(a, i)) != 0)
			fail_msg("%u threads: %s %u is '%s', one thread '%s'", threads, what, i,
				 intern_str(b, i), intern_str(a, i));
}

/* b, loaded on threads, is a to the last byte that matters. */
static void expect_same_log(const struct funnel_log *a, const struct funnel_log *b,
			    unsigned threads)
{
	const struct funnel_load_stats *x = &a->stats, *y = &b->stats;
	assert_int_equal(x->bytes, y->bytes);
	assert_int_equal(x->lines, y->lines);
	assert_int_equal(x->rows, y->rows);
	assert_int_equal(x->valid, y->valid);
	assert_int_equal(x->kept, y->kept);
	assert_int_equal(x->skipped, y->skipped);
	for (int r = 0; r < FUNNEL_SKIP_REASONS; r++)
		assert_int_equal(x->skipped_by[r], y->skipped_by[r]);
	assert_int_equal(x->examples, y->examples);
	for (size_t i = 0; i < x->examples; i++) {
		if (x->example[i].line != y->example[i].line)
			fail_msg("%u threads: example %zu on line %ld, one thread %ld", threads, i,
				 y->example[i].line, x->example[i].line);
		assert_string_equal(x->example[i].reason, y->example[i].reason);
	}
	assert_int_equal(x->units, y->units);
	assert_int_equal(x->first_ms, y->first_ms);
	assert_int_equal(x->last_ms, y->last_ms);

	expect_same_strings(&a->units, &b->units, "units", threads);
	expect_same_strings(&a->events, &b->events, "events", threads);
	for (uint32_t c = 0; c < a->events.count; c++) {
		assert_int_equal(a->event_rows[c], b->event_rows[c]);
		assert_int_equal(a->event_line[c], b->event_line[c]);
		assert_int_equal(a->event_kept[c], b->event_kept[c]);
	}
	assert_int_equal(a->nunits, b->nunits);
	assert_int_equal(a->nevents, b->nevents);
	assert_memory_equal(a->unit_start, b->unit_start, ((size_t)a->nunits + 1) * sizeof *a->unit_start);
	if (a->nevents) {
		assert_memory_equal(a->time, b->time, a->nevents * sizeof *a->time);
		assert_memory_equal(a->code, b->code, a->nevents * sizeof *a->code);
	}
	assert_int_equal(a->nprops, b->nprops);
	for (size_t p = 0; p < a->nprops; p++) {
		assert_string_equal(a->props[p].name, b->props[p].name);
		assert_int_equal(a->props[p].dropped, b->props[p].dropped);
		if (a->props[p].dropped)
			continue;
		expect_same_strings(&a->props[p].values, &b->props[p].values, a->props[p].name, threads);
		if (a->nevents)
			assert_memory_equal(a->props[p].value, b->props[p].value,
					    a->nevents * sizeof *a->props[p].value);
	}
}

/* A log of 40 units over a few days, with ties, a property of three
 * values, notes of which some are quoted and hold line breaks and quotes,
 * bad rows of every kind, and in its middle one row whose note runs over
 * 300 lines: wherever two or more threads cut the file near its middle,
 * the cut falls inside that quoted field, and the chunk after it must be
 * read again. */
static char *make_log(const char *eol, bool bom, size_t *len)
{
	struct strbuf sb;
	sb_init(&sb);
	if (bom)
		sb_puts(&sb, "\xEF\xBB\xBF");
	sb_printf(&sb, "user_id,event,timestamp,plan,note%s", eol);
	static const char *const events[] = {"a", "b", "c", "d", "x"};
	static const char *const plans[] = {"free", "pro", "team"};
	unsigned seed = 7;
	for (int i = 0; i < 900; i++) {
		seed = seed * 1103515245 + 12345;
		unsigned r = seed >> 8;
		int unit = (int)(r % 40), minute = (int)(i / 3); /* three rows a minute: ties */
		const char *event = events[r / 40 % 5];
		const char *plan = plans[r / 200 % 3];
		if (i == 450) {
			sb_printf(&sb, "u%d,a,2026-06-02T00:00:00Z,pro,\"", unit);
			for (int k = 0; k < 300; k++)
				sb_printf(&sb, "line %d of a long note, with a comma and \"\"quotes\"\"%s", k,
					  eol);
			sb_printf(&sb, "end\"%s", eol);
			continue;
		}
		switch (r / 600 % 23) {
		case 0:
			sb_printf(&sb, "u%d,%s,,%s,empty time%s", unit, event, plan, eol);
			continue;
		case 1:
			sb_printf(&sb, "u%d,%s,soon,%s,bad time%s", unit, event, plan, eol);
			continue;
		case 2:
			sb_printf(&sb, "u%d,%s,2026-06-01T00:00:00Z%s", unit, event, eol);
			continue;
		case 3: /* ragged over two lines */
			sb_printf(&sb, "u%d,\"%s%s\",2026-06-01T00:00:00Z%s", unit, event, eol, eol);
			continue;
		case 4:
			sb_printf(&sb, "%s", eol); /* a blank line */
			break;
		}
		sb_printf(&sb, "u%d,%s,2026-06-%02dT%02d:%02d:00Z,%s,", unit, event, 1 + minute / 1440,
			  minute / 60 % 24, minute % 60, plan);
		if (r % 7 == 0)
			sb_printf(&sb, "\"two%slines, \"\"quoted\"\"\"%s", eol, eol);
		else
			sb_printf(&sb, "n%u%s", r % 5, eol);
	}
	*len = sb.len;
	return sb_steal(&sb);
}

static void expect_every_thread_count_same(const char *csv, size_t len,
					   const struct funnel_load_options *opt)
{
	struct funnel_log *one = load_ok(csv, len, 1, opt);
	for (unsigned t = 2; t <= MAX_TESTED_THREADS; t++) {
		struct funnel_log *many = load_ok(csv, len, t, opt);
		expect_same_log(one, many, t);
		funnel_log_free(many);
	}
	funnel_log_free(one);
}

static void test_same_log_on_any_thread_count(void **state)
{
	(void)state;
	static const struct {
		const char *eol;
		bool bom;
	} kinds[] = {{"\n", false}, {"\r\n", false}, {"\r\n", true}, {"\n", true}};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t len;
		char *csv = make_log(kinds[k].eol, kinds[k].bom, &len);
		const char *props[] = {"plan"};
		struct funnel_load_options all = {.all_props = true};
		struct funnel_load_options plan = {.props = props, .nprops = 1};
		expect_every_thread_count_same(csv, len, &all);
		expect_every_thread_count_same(csv, len, &plan);
		expect_every_thread_count_same(csv, len, NULL);
		/* the log is what it claims: bad rows found on the lines they are on */
		struct funnel_log *log = load_ok(csv, len, 4, &all);
		assert_true(log->stats.skipped_by[FUNNEL_SKIP_RAGGED] > 0);
		assert_true(log->stats.skipped_by[FUNNEL_SKIP_BAD_TIME] > 0);
		assert_true(log->stats.skipped_by[FUNNEL_SKIP_EMPTY_TIME] > 0);
		assert_true(log->stats.lines > 1200);
		funnel_log_free(log);
		free(csv);
	}
}

/* Only the stored steps' events, and a funnel over ties, counted alike. */
static void test_same_funnel_on_any_thread_count(void **state)
{
	(void)state;
	size_t len;
	char *csv = make_log("\n", false, &len);
	struct funnel_steps steps;
	char err[512];
	assert_int_equal(funnel_steps_parse("a,b,c", &steps, err, sizeof err), 0);
	struct funnel_load_options opt = {.steps = &steps};
	expect_every_thread_count_same(csv, len, &opt);
	uint64_t want[3] = {0};
	for (unsigned t = 1; t <= 8; t++) {
		struct funnel_log *log = load_ok(csv, len, t, &opt);
		struct funnel_query q;
		funnel_query_init(&q, &steps);
		q.window_ms = 3600 * 1000;
		struct funnel_result r;
		assert_int_equal(funnel_compute(log, &q, &r, err, sizeof err), 0);
		for (int k = 0; k < 3; k++) {
			if (t == 1)
				want[k] = r.bars.count[k];
			assert_int_equal(r.bars.count[k], want[k]);
		}
		funnel_result_free(&r);
		funnel_log_free(log);
	}
	assert_true(want[2] > 0);
	funnel_steps_free(&steps);
	free(csv);
}

static void expect_error_on_any_thread_count(const char *csv, size_t len, const char *want)
{
	for (unsigned t = 1; t <= MAX_TESTED_THREADS; t++) {
		struct funnel_log *log = NULL;
		char err[1024];
		if (load_threads(csv, len, t, NULL, &log, err, sizeof err) == 0)
			fail_msg("%u threads: loaded, want the error '%s'", t, want);
		if (!strstr(err, want))
			fail_msg("%u threads: '%s', want '%s'", t, err, want);
	}
}

/* A failure late in the file names the file's line, not the chunk's. */
static void test_errors_name_the_file_line(void **state)
{
	(void)state;
	size_t len;
	char *csv = make_log("\r\n", true, &len);
	struct funnel_log *log = load_ok(csv, len, 1, NULL);
	long lines = log->stats.lines;
	funnel_log_free(log);
	/* a NUL byte on the last line, in its fourth column */
	char *nul = xmalloc(len + 32);
	memcpy(nul, csv, len);
	memcpy(nul + len, "u1,a\0b\r\n", 8);
	char want[64];
	snprintf(want, sizeof want, "events.csv:%ld:5: a NUL byte", lines + 1);
	expect_error_on_any_thread_count(nul, len + 8, want);
	/* a quote opened on the last line and never closed */
	memcpy(nul + len, "u1,\"a,2026-06-01\r\n", 18);
	snprintf(want, sizeof want, "events.csv:%ld: a quote opens a field here", lines + 1);
	expect_error_on_any_thread_count(nul, len + 18, want);
	free(nul);
	free(csv);
}

/* A property with fewer than FUNNEL_MAX_PROP_VALUES values in each
 * chunk but more over the file is not stored, as on one thread; one
 * with fewer over the file is. */
static void test_property_limit_over_the_whole_file(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "user_id,event,timestamp,session,plan\n");
	size_t rows = FUNNEL_MAX_PROP_VALUES + 5000;
	for (size_t i = 0; i < rows; i++)
		sb_printf(&sb, "u%zu,a,2026-06-01T00:00:%02zuZ,s%zu,p%zu\n", i % 997, i % 60, i, i % 3);
	struct funnel_load_options opt = {.all_props = true};
	struct funnel_log *one = load_ok(sb.data, sb.len, 1, &opt);
	for (unsigned t = 2; t <= 3; t++) {
		struct funnel_log *many = load_ok(sb.data, sb.len, t, &opt);
		expect_same_log(one, many, t);
		funnel_log_free(many);
	}
	assert_false(funnel_log_has_prop(one, "session"));
	assert_true(funnel_log_has_prop(one, "plan"));
	funnel_log_free(one);
	sb_free(&sb);
}

/* A file on disk is read at offsets by each thread: the same log. */
static void test_file_read_by_threads(void **state)
{
	(void)state;
	size_t len;
	char *csv = make_log("\r\n", true, &len);
	char *dir = test_tempdir();
	char *path = NULL;
	assert_true(asprintf(&path, "%s/events.csv", dir) > 0);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(csv, 1, len, f), len);
	fclose(f);
	struct funnel_log *one = load_ok(csv, len, 1, NULL);
	for (unsigned t = 1; t <= 6; t++) {
		setenv("AIPM_THREADS", t == 6 ? "64" : (char[]){(char)('0' + t), 0}, 1);
		struct funnel_log *log = NULL;
		char err[512];
		if (funnel_log_load(path, NULL, &log, err, sizeof err) != 0)
			fail_msg("%s", err);
		unsetenv("AIPM_THREADS");
		free(log->path);
		log->path = xstrdup("events.csv");
		expect_same_log(one, log, t);
		funnel_log_free(log);
	}
	funnel_log_free(one);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_log_on_any_thread_count),
	    cmocka_unit_test(test_same_funnel_on_any_thread_count),
	    cmocka_unit_test(test_errors_name_the_file_line),
	    cmocka_unit_test(test_property_limit_over_the_whole_file),
	    cmocka_unit_test(test_file_read_by_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
