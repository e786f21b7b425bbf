/* libFuzzer target for lessons: any bytes as a lesson file must go through
 * the loader's front matter parser and Markdown checks with problems that
 * name the file and a line inside it, never a crash; a lesson the loader
 * accepts has every required field. The body (or, when the front matter is
 * refused, the whole input) is then rendered by the reader's renderer at a
 * width the first byte picks, and every paragraph must wrap inside that
 * width with spans that cover its text in order.
 *
 *   tests/fuzz/run.sh 60 lesson     (builds it with meson -Dfuzz=true, runs it for 60 s) */
#include "content.h"
#include "markdown.h"
#include "textwrap.h"
#include "util.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct pattern *search_pattern;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	text_locale_init();
	char err[128];
	search_pattern = pattern_compile("\\bsource\\b|[0-9]+%?", err, sizeof err);
	return search_pattern ? 0 : -1;
}

static int count_lines(const uint8_t *data, size_t size)
{
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	return lines;
}

static void check_doc(const struct lesson_doc *d)
{
	if (!d->ok)
		return;
	if (!d->id || !*d->id || !d->title || !*d->title || !d->module || !*d->module ||
	    !d->sources || !*d->sources || !d->body || d->order <= 0 || d->pass_mark < 0 ||
	    d->pass_mark > 100 || strncmp(d->id, "m", 1) != 0 || d->words < 400 || d->words > 1200)
		abort();
}

static void check_para(const struct md_para *p, int width)
{
	if (p->len != strlen(p->text) || memchr(p->text, '\t', p->len))
		abort();
	size_t at = 0;
	for (size_t s = 0; s < p->span_count; s++) {
		if (p->spans[s].start < at || p->spans[s].end < p->spans[s].start ||
		    p->spans[s].end > p->len)
			abort();
		at = p->spans[s].end;
	}
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	text_wrap_para(p->text, p->len, p->indent, p->hang, width, 0, &lines, &count, &cap);
	if (!count)
		abort();
	size_t prev_end = 0;
	for (size_t l = 0; l < count; l++) {
		const struct text_line *ln = &lines[l];
		if (ln->start > ln->end || ln->end > p->len || ln->start < prev_end)
			abort();
		prev_end = ln->end;
		/* A line fits, unless it is one character (a line holds at least
		 * one) or the indent itself leaves no room. */
		size_t end = ln->end;
		while (end > ln->start && p->text[end - 1] == ' ')
			end--;
		int cols = text_width_n(p->text + ln->start, end - ln->start);
		if (ln->x < 0 || (ln->x + cols > width && cols > 2 && ln->x + 2 <= width))
			abort();
	}
	free(lines);
}

static void render(const char *text, size_t len, int width)
{
	struct md_doc doc;
	md_render(text, len, width, &doc);
	for (size_t i = 0; i < doc.count; i++) {
		check_para(&doc.paras[i], width);
		long s = md_doc_section_of(&doc, i);
		if (s < -1 || s >= (long)doc.section_count)
			abort();
	}
	for (size_t i = 0; i < doc.section_count; i++)
		if (doc.sections[i].para >= doc.count)
			abort();
	struct md_hit *hits = NULL;
	size_t count = 0, cap = 0;
	bool too_complex;
	md_doc_search(&doc, search_pattern, 50, &hits, &count, &cap, &too_complex);
	for (size_t i = 0; i < count; i++)
		if (hits[i].para >= doc.count || hits[i].start >= hits[i].end ||
		    hits[i].end > doc.paras[hits[i].para].len)
			abort();
	free(hits);
	md_doc_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	int width = 20 + data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	struct course_files files = {0};
	struct content_report report = {0};
	content_add_lesson(&files, "lessons/fuzz.md", text, len, &report);
	int lines = count_lines(data + 1, len);
	for (size_t i = 0; i < report.count; i++)
		if (strcmp(report.items[i].file, "lessons/fuzz.md") != 0 || report.items[i].line < 0 ||
		    report.items[i].line > lines + 1 || !report.items[i].message[0])
			abort();
	if (files.nlessons != 1)
		abort();
	check_doc(&files.lessons[0]);
	/* What the reader would show: the body, or everything when the front
	 * matter was refused (md4c reads any bytes but NUL-free text is all the
	 * store can hold). */
	const char *body = files.lessons[0].body;
	if (body)
		render(body, strlen(body), width);
	else if (!memchr(text, '\0', len))
		render(text, len, width);
	content_report_free(&report);
	course_files_free(&files);
	return 0;
}
