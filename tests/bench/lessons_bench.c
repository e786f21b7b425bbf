/* The lessons benchmark's timer (not a test; tests/bench/lessons runs it):
 *
 *   bench_lessons CONTENT_DIR PATTERN [RUNS]
 *
 * imports the course into a fresh database, then prints, as "name value"
 * lines, the median over RUNS runs (default 50) of:
 *   - rendering the longest lesson (md4c to styled paragraphs) at 80 and
 *     200 columns, and the whole reader pipeline at each width (render,
 *     glossary terms, wrapping every paragraph), in milliseconds;
 *   - rendering the whole course for the search, and searching all of it
 *     for PATTERN (PCRE2, case-insensitive), in milliseconds, with the
 *     number of matches. */
#include "content.h"
#include "glossary.h"
#include "lesson.h"
#include "store_sql.h"
#include "textwrap.h"
#include "util.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* What the reader does when it opens a lesson or the width changes. */
static void reader_pipeline(const struct lesson *l, const struct glossary *g, int width)
{
	struct md_doc doc;
	lesson_render(l, width, &doc);
	struct term_hit *hits = NULL;
	size_t nhits = 0, cap = 0;
	glossary_mark(g, &doc, &hits, &nhits, &cap);
	struct text_line *lines = NULL;
	size_t count = 0, lcap = 0;
	for (size_t p = 0; p < doc.count; p++)
		text_wrap_para(doc.paras[p].text, doc.paras[p].len, doc.paras[p].indent,
			       doc.paras[p].hang, width, p, &lines, &count, &lcap);
	free(lines);
	free(hits);
	md_doc_free(&doc);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_lessons CONTENT_DIR PATTERN [RUNS]\n");
		return 2;
	}
	int runs = argc > 3 ? atoi(argv[3]) : 50;
	runs = runs < 1 ? 1 : runs;
	setlocale(LC_CTYPE, "C.UTF-8");
	text_locale_init();

	char dir[] = "/tmp/aipm-bench-lessons-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char *path = xasprintf("%s/b.db", dir);
	struct store *st;
	char err[1024];
	if (store_open(path, &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct content_report report = {0};
	bool imported;
	if (content_import(st, argv[1], true, &report, &imported, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	content_report_free(&report);

	sqlite3_stmt *stmt = store_prepare(st, "SELECT id, length(body), words FROM lessons"
					       " ORDER BY length(body) DESC LIMIT 1");
	if (!stmt || sqlite3_step(stmt) != SQLITE_ROW) {
		fprintf(stderr, "no lessons in %s\n", argv[1]);
		return 1;
	}
	char *id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	printf("longest_lesson %s\nlongest_bytes %d\nlongest_words %d\n", id,
	       sqlite3_column_int(stmt, 1), sqlite3_column_int(stmt, 2));
	sqlite3_reset(stmt);
	struct lesson lesson;
	lesson_load(st, id, &lesson);
	struct glossary glossary;
	glossary_load(st, &glossary);

	double *t = xcalloc((size_t)runs, sizeof *t);
	const int widths[] = {80, 200};
	for (size_t w = 0; w < 2; w++) {
		for (int r = 0; r < runs; r++) {
			double t0 = now_ms();
			struct md_doc doc;
			lesson_render(&lesson, widths[w], &doc);
			t[r] = now_ms() - t0;
			md_doc_free(&doc);
		}
		printf("render_%d_ms %.4f\n", widths[w], median(t, runs));
		for (int r = 0; r < runs; r++) {
			double t0 = now_ms();
			reader_pipeline(&lesson, &glossary, widths[w]);
			t[r] = now_ms() - t0;
		}
		printf("reader_%d_ms %.4f\n", widths[w], median(t, runs));
	}

	struct pattern *p = pattern_compile(argv[2], err, sizeof err);
	if (!p) {
		fprintf(stderr, "pattern: %s\n", err);
		return 1;
	}
	struct course_text course;
	size_t found = 0;
	for (int r = 0; r < runs; r++) {
		double t0 = now_ms();
		course_text_load(st, 80, &course);
		t[r] = now_ms() - t0;
		if (r + 1 < runs)
			course_text_free(&course);
	}
	printf("course_lessons %zu\ncourse_render_ms %.4f\n", course.count, median(t, runs));
	for (int r = 0; r < runs; r++) {
		struct course_hit *hits;
		size_t n;
		double t0 = now_ms();
		bool too_complex;
		found = course_text_search(&course, p, SIZE_MAX, &hits, &n, &too_complex);
		t[r] = now_ms() - t0;
		free(hits);
	}
	printf("search_ms %.4f\nsearch_matches %zu\n", median(t, runs), found);

	course_text_free(&course);
	pattern_free(p);
	free(t);
	glossary_free(&glossary);
	lesson_free(&lesson);
	free(id);
	store_close(st);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(path);
	return 0;
}
