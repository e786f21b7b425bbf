/* The lesson renderer without a terminal: every Markdown element becomes
 * styled text with no marker left, tables line up and wrap their cells,
 * wide characters and very long words and lines keep every line inside the
 * width, an empty lesson renders to nothing; and the search and glossary
 * spotting that run over the rendered text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "glossary.h"
#include "markdown.h"
#include "textwrap.h"
#include "util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int utf8_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
		return -1;
	text_locale_init();
	return text_unicode() ? 0 : -1;
}

static void render(const char *md, int width, struct md_doc *doc)
{
	assert_int_equal(md_render(md, strlen(md), width, doc), 0);
}

/* The style over byte offset at of a paragraph. */
static unsigned style_at(const struct md_para *p, size_t at)
{
	for (size_t i = 0; i < p->span_count; i++)
		if (p->spans[i].start <= at && at < p->spans[i].end)
			return p->spans[i].style;
	fail_msg("offset %zu of \"%s\" has no span", at, p->text);
	return 0;
}

/* The style of the first occurrence of word in paragraph p. */
static unsigned style_of(const struct md_para *p, const char *word)
{
	const char *at = strstr(p->text, word);
	if (!at)
		fail_msg("\"%s\" is not in \"%s\"", word, p->text);
	return style_at(p, (size_t)(at - p->text));
}

/* The first paragraph containing text. */
static const struct md_para *find_para(const struct md_doc *doc, const char *text)
{
	for (size_t i = 0; i < doc->count; i++)
		if (strstr(doc->paras[i].text, text))
			return &doc->paras[i];
	fail_msg("no paragraph contains \"%s\"", text);
	return NULL;
}

/* Spans cover each paragraph exactly, in order, and no text keeps a
 * Markdown marker. */
static void check_doc(const struct md_doc *doc)
{
	static const char *const markers[] = {"**", "__", "`", "](", "~~", "<b>", "&amp;", NULL};
	for (size_t i = 0; i < doc->count; i++) {
		const struct md_para *p = &doc->paras[i];
		assert_int_equal(strlen(p->text), p->len);
		assert_null(strchr(p->text, '\t'));
		size_t at = 0;
		for (size_t s = 0; s < p->span_count; s++) {
			assert_int_equal(p->spans[s].start, at);
			assert_true(p->spans[s].end > p->spans[s].start);
			at = p->spans[s].end;
		}
		assert_int_equal(at, p->len);
		for (int m = 0; markers[m]; m++)
			if (strstr(p->text, markers[m]))
				fail_msg("paragraph %zu keeps the marker %s: \"%s\"", i, markers[m], p->text);
		if (p->text[0] == '#' || !strncmp(p->text, "> ", 2) || !strncmp(p->text, "- ", 2))
			fail_msg("paragraph %zu starts with a block marker: \"%s\"", i, p->text);
	}
}

/* Every wrapped line of the document fits in width columns. */
static void check_fits(const struct md_doc *doc, int width)
{
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < doc->count; i++) {
		const struct md_para *p = &doc->paras[i];
		count = 0;
		text_wrap_para(p->text, p->len, p->indent, p->hang, width, i, &lines, &count, &cap);
		for (size_t l = 0; l < count; l++) {
			int w = lines[l].x + text_width_n(p->text + lines[l].start,
							  lines[l].end - lines[l].start);
			if (w > width)
				fail_msg("a line of paragraph %zu is %d columns, more than %d: \"%.*s\"", i, w,
					 width, (int)(lines[l].end - lines[l].start),
					 p->text + lines[l].start);
		}
	}
	free(lines);
}

static void test_headings_and_sections(void **state)
{
	(void)state;
	struct md_doc doc;
	render("# The title\n\nIntro.\n\n## First part\n\nText.\n\n### A detail\n\nMore.\n", 40, &doc);
	check_doc(&doc);
	const struct md_para *h1 = &doc.paras[0];
	assert_int_equal(h1->kind, MD_PARA_HEADING);
	assert_int_equal(h1->level, 1);
	assert_string_equal(h1->text, "The title");
	assert_true(style_of(h1, "title") & MD_STYLE_HEADING);
	/* Levels 1 and 2 are underlined to the heading's width. */
	assert_int_equal(doc.paras[1].kind, MD_PARA_UNDERLINE);
	assert_string_equal(doc.paras[1].text, "═════════");
	assert_int_equal(doc.section_count, 3);
	assert_string_equal(doc.sections[1].title, "First part");
	assert_int_equal(doc.sections[1].level, 2);
	assert_string_equal(doc.paras[doc.sections[2].para].text, "A detail");
	/* Level 3 has no underline: the next paragraph is a blank line. */
	assert_int_equal(doc.paras[doc.sections[2].para + 1].kind, MD_PARA_BLANK);
	assert_int_equal(md_doc_section_of(&doc, 0), 0);
	assert_int_equal(md_doc_section_of(&doc, doc.sections[1].para + 3), 1);
	assert_int_equal(md_doc_section_of(&doc, doc.count - 1), 2);
	md_doc_free(&doc);

	render("Before any heading.\n\n## Later\n", 40, &doc);
	assert_int_equal(md_doc_section_of(&doc, 0), -1);
	md_doc_free(&doc);
}

static void test_inline_styles(void **state)
{
	(void)state;
	struct md_doc doc;
	render("Plain *emphasis* and **strong** and ***both*** and ~~gone~~ and `x = 1`.", 80, &doc);
	check_doc(&doc);
	assert_int_equal(doc.count, 1);
	const struct md_para *p = &doc.paras[0];
	assert_string_equal(p->text, "Plain emphasis and strong and both and gone and x = 1.");
	assert_int_equal(style_of(p, "Plain"), 0);
	assert_int_equal(style_of(p, "emphasis"), MD_STYLE_EMPH);
	assert_int_equal(style_of(p, "strong"), MD_STYLE_STRONG);
	assert_int_equal(style_of(p, "both"), MD_STYLE_EMPH | MD_STYLE_STRONG);
	assert_int_equal(style_of(p, "gone"), MD_STYLE_STRIKE);
	assert_int_equal(style_of(p, "x = 1"), MD_STYLE_CODE);
	md_doc_free(&doc);
}

static void test_lists_nested(void **state)
{
	(void)state;
	struct md_doc doc;
	render("- one\n- two is a longer item that wraps\n  - inner\n    1. deep\n    2. deeper\n"
	       "- three\n\n7. seven\n8. eight\n",
	       24, &doc);
	check_doc(&doc);
	const struct md_para *one = find_para(&doc, "one");
	assert_int_equal(one->kind, MD_PARA_ITEM);
	assert_string_equal(one->text, "• one");
	assert_int_equal(style_of(one, "•"), MD_STYLE_BULLET);
	assert_int_equal(style_of(one, "one"), 0);
	assert_int_equal(one->indent, 0);
	assert_int_equal(one->hang, 2);
	const struct md_para *inner = find_para(&doc, "inner");
	assert_string_equal(inner->text, "◦ inner");
	assert_int_equal(inner->indent, 2);
	assert_int_equal(inner->hang, 4);
	const struct md_para *deep = find_para(&doc, "deep");
	assert_string_equal(deep->text, "1. deep");
	assert_int_equal(deep->indent, 4);
	assert_int_equal(deep->hang, 7);
	assert_string_equal(find_para(&doc, "deeper")->text, "2. deeper");
	/* An ordered list keeps its start number. */
	assert_string_equal(find_para(&doc, "seven")->text, "7. seven");
	assert_string_equal(find_para(&doc, "eight")->text, "8. eight");
	/* Tight items follow each other with no blank line. */
	assert_int_equal(find_para(&doc, "two") - one, 1);
	check_fits(&doc, 24);
	md_doc_free(&doc);

	/* A loose list has a blank line between items, and a second
	 * paragraph of an item is indented under its text. */
	render("- first\n\n  more of the first\n\n- second\n", 40, &doc);
	check_doc(&doc);
	assert_string_equal(doc.paras[0].text, "• first");
	assert_int_equal(doc.paras[1].kind, MD_PARA_BLANK);
	assert_string_equal(doc.paras[2].text, "more of the first");
	assert_int_equal(doc.paras[2].indent, 2);
	assert_int_equal(doc.paras[3].kind, MD_PARA_BLANK);
	assert_string_equal(doc.paras[4].text, "• second");
	md_doc_free(&doc);

	render("- [ ] to do\n- [x] done\n", 40, &doc);
	check_doc(&doc);
	assert_string_equal(doc.paras[0].text, "☐ to do");
	assert_string_equal(doc.paras[1].text, "☒ done");
	md_doc_free(&doc);
}

static void test_quotes_code_rules(void **state)
{
	(void)state;
	struct md_doc doc;
	render("> A quoted *line* that goes on\n> and on.\n\n---\n\n```c\nint x;\n\tif (x)\n```\n\n"
	       "    not code: indented code blocks are off\n",
	       30, &doc);
	check_doc(&doc);
	const struct md_para *q = &doc.paras[0];
	assert_int_equal(q->kind, MD_PARA_QUOTE);
	assert_true(str_starts_with(q->text, "│ A quoted line"));
	assert_int_equal(q->hang, 2);
	assert_true(style_of(q, "A quoted") & MD_STYLE_QUOTE);
	assert_int_equal(style_of(q, "line"), MD_STYLE_QUOTE | MD_STYLE_EMPH);
	const struct md_para *rule = &doc.paras[2];
	assert_int_equal(rule->kind, MD_PARA_RULE);
	assert_int_equal(text_width_n(rule->text, rule->len), 30);
	const struct md_para *code = find_para(&doc, "int x;");
	assert_int_equal(code->kind, MD_PARA_CODE);
	/* The fence and its language are gone, the tab is spaces, the
	 * layout kept. */
	assert_string_equal(code->text, "int x;\n    if (x)");
	assert_int_equal(style_of(code, "if"), MD_STYLE_CODE);
	assert_int_equal(code->indent, 2);
	md_doc_free(&doc);

	render("> outer\n>\n> > inner\n", 30, &doc);
	check_doc(&doc);
	const struct md_para *inner = find_para(&doc, "inner");
	assert_int_equal(inner->indent, 2);
	assert_int_equal(inner->hang, 4);
	md_doc_free(&doc);
}

/* Byte offsets of each "│" in a line: the column borders. */
static int border_columns(const char *line, size_t len, int *cols, int max)
{
	int n = 0;
	for (size_t i = 0; i + 2 < len && n < max; i++)
		if (!memcmp(line + i, "│", 3) || !memcmp(line + i, "┼", 3))
			cols[n++] = text_width_n(line, i);
	return n;
}

static void check_table_aligned(const struct md_doc *doc, int ncols, int width)
{
	int first[8] = {0};
	int nfirst = -1;
	for (size_t i = 0; i < doc->count; i++) {
		const struct md_para *p = &doc->paras[i];
		if (p->kind != MD_PARA_TABLE_ROW && p->kind != MD_PARA_TABLE_RULE)
			continue;
		for (const char *line = p->text; *line;) {
			size_t len = strcspn(line, "\n");
			assert_true(p->indent + text_width_n(line, len) <= width);
			int cols[8] = {0};
			int n = border_columns(line, len, cols, 8);
			assert_int_equal(n, ncols - 1);
			if (nfirst < 0) {
				memcpy(first, cols, sizeof cols);
				nfirst = n;
			}
			for (int c = 0; c < n; c++)
				assert_int_equal(cols[c], first[c]);
			line += len + (line[len] == '\n');
		}
	}
	assert_true(nfirst >= 0);
}

static void test_tables(void **state)
{
	(void)state;
	struct md_doc doc;
	const char *md = "| Metric | Value | Note |\n|:--|--:|:-:|\n"
			 "| precision | 0.8 | share of flagged items that really were spam |\n"
			 "| recall | 12 | **found** |\n";
	render(md, 80, &doc);
	check_doc(&doc);
	const struct md_para *head = find_para(&doc, "Metric");
	assert_int_equal(head->kind, MD_PARA_TABLE_ROW);
	assert_true(style_of(head, "Metric") & MD_STYLE_TABLE_HEAD);
	assert_true(style_of(head, "│") & MD_STYLE_RULE);
	assert_int_equal((head + 1)->kind, MD_PARA_TABLE_RULE);
	/* Right-aligned numbers end in the same column. */
	const struct md_para *p = find_para(&doc, "precision"), *r = find_para(&doc, "recall");
	assert_int_equal(strstr(p->text, "0.8") + 3 - p->text, strstr(r->text, "12") + 2 - r->text);
	assert_int_equal(style_of(r, "found"), MD_STYLE_STRONG);
	check_table_aligned(&doc, 3, 80);
	size_t count = doc.count;
	md_doc_free(&doc);

	/* Narrow: cells wrap onto more lines, a row is still one paragraph,
	 * and the columns still line up. */
	render(md, 30, &doc);
	check_doc(&doc);
	assert_int_equal(doc.count, count);
	p = find_para(&doc, "precision");
	assert_non_null(strchr(p->text, '\n'));
	check_table_aligned(&doc, 3, 30);
	check_fits(&doc, 30);
	md_doc_free(&doc);

	/* Too narrow even for the longest words: words break, lines still
	 * fit. */
	render("| a | b |\n|---|---|\n| extraordinarily | incomprehensibilities |\n", 20, &doc);
	check_table_aligned(&doc, 2, 20);
	check_fits(&doc, 20);
	md_doc_free(&doc);
}

static void test_links_images_entities_html(void **state)
{
	(void)state;
	struct md_doc doc;
	render("See [the docs](https://example.org/a?b=1&amp;c=2), <https://plain.example> and "
	       "[again](https://example.org/a?b=1&amp;c=2) and ![a chart](chart.png).\n\n"
	       "&copy; &#x4E2D;&#20013; &unknown; <b>bold</b> a<br>b\\\nc\n\n<div>\nhidden\n</div>\n",
	       60, &doc);
	check_doc(&doc);
	const struct md_para *p = &doc.paras[0];
	assert_string_equal(p->text, "See the docs[1], https://plain.example and again[1] and a chart[2].");
	assert_int_equal(style_of(p, "the docs"), MD_STYLE_LINK);
	assert_int_equal(style_of(p, "[1]"), MD_STYLE_LINK_REF);
	assert_int_equal(doc.link_count, 2);
	assert_string_equal(doc.links[0], "https://example.org/a?b=1&c=2");
	assert_string_equal(doc.links[1], "chart.png");
	/* The targets are listed at the end, under their own heading. */
	const struct md_para *last = &doc.paras[doc.count - 1];
	assert_int_equal(last->kind, MD_PARA_LINK);
	assert_string_equal(last->text, "[2] chart.png");
	assert_string_equal(doc.sections[doc.section_count - 1].title, "Links");
	p = find_para(&doc, "©");
	/* Raw HTML is dropped, a hard line break (backslash) kept. */
	assert_string_equal(p->text, "© 中中 &unknown; bold ab\nc");
	for (size_t i = 0; i < doc.count; i++)
		assert_null(strstr(doc.paras[i].text, "hidden"));
	md_doc_free(&doc);
}

static void test_citations(void **state)
{
	(void)state;
	struct md_doc doc;
	render("Text.\n\nSources: podcast [00:19:35], seed 002.\n\n**Source:** the talk (05:40).\n\n"
	       "A Source: in the middle is not one.\n",
	       60, &doc);
	check_doc(&doc);
	const struct md_para *c = find_para(&doc, "Sources:");
	assert_int_equal(c->kind, MD_PARA_CITATION);
	assert_true(style_of(c, "podcast") & MD_STYLE_CITATION);
	c = find_para(&doc, "the talk");
	assert_int_equal(c->kind, MD_PARA_CITATION);
	assert_int_equal(style_of(c, "Source:"), MD_STYLE_CITATION | MD_STYLE_STRONG);
	assert_int_equal(find_para(&doc, "middle")->kind, MD_PARA_TEXT);
	md_doc_free(&doc);
}

static void test_wide_characters(void **state)
{
	(void)state;
	struct md_doc doc;
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < 40; i++)
		sb_puts(&sb, i % 3 ? "日本語" : "😀 ok ");
	sb_puts(&sb, "\n\n| 名前 | 説明 |\n|---|---|\n| 精度 | 正しく分類された割合です😀 |\n| F1 | 調和平均 |\n");
	for (int width = 9; width <= 41; width += 8) {
		render(sb.data, width, &doc);
		check_doc(&doc);
		check_fits(&doc, width);
		check_table_aligned(&doc, 2, width);
		md_doc_free(&doc);
	}
	sb_free(&sb);
}

static void test_long_words_and_lines(void **state)
{
	(void)state;
	struct md_doc doc;
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < 300; i++)
		sb_putc(&sb, 'x');
	sb_puts(&sb, " end\n\n");
	/* One line of 20,000 characters. */
	for (int i = 0; i < 2000; i++)
		sb_puts(&sb, "word word ");
	sb_puts(&sb, "\n\n- ");
	for (int i = 0; i < 200; i++)
		sb_putc(&sb, 'y');
	sb_puts(&sb, "\n\n```\n");
	for (int i = 0; i < 500; i++)
		sb_putc(&sb, 'z');
	sb_puts(&sb, "\n```\n");
	render(sb.data, 25, &doc);
	check_doc(&doc);
	check_fits(&doc, 25);
	assert_int_equal(doc.paras[0].len, 304);
	md_doc_free(&doc);
	sb_free(&sb);
}

/* Found by tests/fuzz/fuzz_lesson: more than 64 nested quotes or lists
 * (the renderer keeps 64 containers and counts the rest) read the stack
 * past its end. The text deeper down is still rendered. */
static void test_nesting_deeper_than_kept(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < 100; i++)
		sb_puts(&sb, "> ");
	sb_puts(&sb, "deep quote\n\n");
	for (int i = 0; i < 100; i++)
		sb_printf(&sb, "%*s- item %d\n", 2 * i, "", i);
	struct md_doc doc;
	render(sb.data, 40, &doc);
	bool quote = false, last_item = false;
	for (size_t i = 0; i < doc.count; i++) {
		quote |= strstr(doc.paras[i].text, "deep quote") != NULL;
		last_item |= strstr(doc.paras[i].text, "item 99") != NULL;
	}
	assert_true(quote);
	assert_true(last_item);
	md_doc_free(&doc);
	sb_free(&sb);
}

static void test_empty_lesson(void **state)
{
	(void)state;
	struct md_doc doc;
	render("", 80, &doc);
	assert_int_equal(doc.count, 0);
	assert_int_equal(doc.section_count, 0);
	assert_int_equal(md_doc_section_of(&doc, 0), -1);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	md_doc_print(&doc, 80, f);
	fclose(f);
	assert_int_equal(len, 0);
	free(out);
	md_doc_free(&doc);
	render("   \n\n\n", 80, &doc);
	assert_int_equal(doc.count, 0);
	md_doc_free(&doc);
}

static void test_same_paragraphs_at_every_width(void **state)
{
	(void)state;
	const char *md = "# T\n\nSome text that is long enough to wrap a few times here.\n\n"
			 "| a | b |\n|---|---|\n| long cell text here | x |\n\n- item\n\n---\n";
	struct md_doc narrow, wide;
	render(md, 24, &narrow);
	render(md, 120, &wide);
	assert_int_equal(narrow.count, wide.count);
	for (size_t i = 0; i < wide.count; i++)
		assert_int_equal(narrow.paras[i].kind, wide.paras[i].kind);
	md_doc_free(&narrow);
	md_doc_free(&wide);
}

static void test_print_plain(void **state)
{
	(void)state;
	struct md_doc doc;
	render("## Why\n\nA model learns **patterns** from labelled examples, and the quality of "
	       "the labels limits it.\n\n- one\n- two\n",
	       30, &doc);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	md_doc_print(&doc, 30, f);
	fclose(f);
	assert_string_equal(out, "Why\n"
				 "───\n"
				 "\n"
				 "A model learns patterns from\n"
				 "labelled examples, and the\n"
				 "quality of the labels limits\n"
				 "it.\n"
				 "\n"
				 "• one\n"
				 "• two\n");
	free(out);
	md_doc_free(&doc);
}

static void test_search(void **state)
{
	(void)state;
	struct md_doc doc;
	render("Le **CAFÉ** est ouvert.\n\nUn café, deux cafés.\n\n`café` in code\n", 80, &doc);
	char err[256];
	struct pattern *p = pattern_compile("café", err, sizeof err);
	assert_non_null(p);
	struct md_hit *hits = NULL;
	size_t count = 0, cap = 0;
	bool too_complex;
	/* Case-insensitive with Unicode case folding, on the rendered text. */
	assert_int_equal(md_doc_search(&doc, p, 100, &hits, &count, &cap, &too_complex), 4);
	assert_int_equal(count, 4);
	assert_int_equal(hits[0].para, 0);
	assert_int_equal(hits[0].start, 3);
	assert_int_equal(hits[0].end, 3 + strlen("CAFÉ"));
	assert_int_equal(hits[1].para, 2);
	/* max keeps the first ones and still counts them all. */
	count = 0;
	assert_int_equal(md_doc_search(&doc, p, 2, &hits, &count, &cap, &too_complex), 4);
	assert_int_equal(count, 2);
	pattern_free(p);
	/* A pattern that matches the empty string finds nothing to show. */
	p = pattern_compile("z*", err, sizeof err);
	count = 0;
	assert_int_equal(md_doc_search(&doc, p, 100, &hits, &count, &cap, &too_complex), 0);
	pattern_free(p);
	/* (?-i) asks for case-sensitive. */
	p = pattern_compile("(?-i)CAFÉ", err, sizeof err);
	count = 0;
	assert_int_equal(md_doc_search(&doc, p, 100, &hits, &count, &cap, &too_complex), 1);
	pattern_free(p);
	assert_false(too_complex);
	/* A pattern that hits PCRE2's limits stops the search and says so
	 * (before, it found "nothing"). */
	struct md_doc long_doc;
	render("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac\n", 80, &long_doc);
	p = pattern_compile("^(?:(a+)+b|x)", err, sizeof err);
	count = 0;
	assert_int_equal(md_doc_search(&long_doc, p, 100, &hits, &count, &cap, &too_complex), 0);
	assert_true(too_complex);
	pattern_free(p);
	md_doc_free(&long_doc);
	/* An invalid pattern is an error message, not a crash. */
	assert_null(pattern_compile("caf(", err, sizeof err));
	assert_non_null(strstr(err, "missing closing parenthesis"));
	free(hits);
	md_doc_free(&doc);
}

static void test_glossary_marks_terms(void **state)
{
	(void)state;
	struct glossary_entry entries[] = {
	    {.term = "F1 score", .aliases = "F1 | F-score", .definition = "d", .source = ""},
	    {.term = "naive Bayes", .aliases = "naïve Bayes", .definition = "d", .source = ""},
	    {.term = "A/B test", .aliases = "", .definition = "d", .source = ""},
	};
	struct glossary g = {.entries = entries, .count = 3};
	assert_int_equal(glossary_compile(&g, NULL, 0), 0);
	struct md_doc doc;
	render("## F1 score\n\nThe f1 SCORE, then F1, not F10 nor `F1` nor [F1](x); a Naïve "
	       "bayes and an A/B test.\n\n| F-score | 1 |\n|---|---|\n| F1 | 2 |\n\n"
	       "Source: F1 in a citation.\n",
	       80, &doc);
	struct term_hit *hits = NULL;
	size_t count = 0, cap = 0;
	glossary_mark(&g, &doc, &hits, &count, &cap);
	check_doc(&doc);
	/* Not in the heading, code, link or citation; whole words only; the
	 * longest spelling wins. */
	assert_int_equal(count, 6);
	const struct md_para *p = &doc.paras[hits[0].para];
	assert_int_equal(hits[0].end - hits[0].start, strlen("f1 SCORE"));
	assert_int_equal(hits[0].entry, 0);
	assert_int_equal(style_of(p, "f1 SCORE"), MD_STYLE_TERM);
	assert_int_equal(hits[1].entry, 0);
	assert_int_equal(hits[2].entry, 1);
	assert_int_equal(hits[3].entry, 2);
	assert_int_equal(hits[4].entry, 0); /* F-score in the header row */
	assert_true(style_of(&doc.paras[hits[4].para], "F-score") & MD_STYLE_TERM);
	assert_int_equal(style_of(p, "F10"), 0);
	free(hits);
	md_doc_free(&doc);
	pattern_free(g.terms);
	free(g.group_entry);
}

/* A Try-it block is read by tryit.c: a paragraph of its own in place of
 * the code, the block kept for the reader; one that does not read stays
 * code. Links keep where their text is. */
static void test_try_blocks_and_links(void **state)
{
	(void)state;
	struct md_doc doc;
	render("## Practice\n\nSee [the notebook](lesson:m2-the-live-notebook#try-it).\n\n"
	       "```try\naction: funnel\nlabel: Android signups at the incident\n"
	       "data: datasets/events.csv\nsteps: install,signup\nwindow: 1d\nfrom: 2026-07-10\n"
	       "to: 2026-07-20\nwhere: platform=android\ntrend: day\n```\n\n"
	       "```try\naction: fly\nlabel: Nope\n```\n\n```python\nprint(1)\n```\n",
	       60, &doc);
	check_doc(&doc);
	assert_int_equal(doc.try_count, 1);
	const struct md_para *p = &doc.paras[doc.tries[0].para];
	assert_int_equal(p->kind, MD_PARA_TRY);
	assert_string_equal(p->text, "▶ Try it: Android signups at the incident");
	assert_true(style_of(p, "Android") & MD_STYLE_TRY);
	const struct try_block *b = &doc.tries[0].block;
	assert_int_equal(b->action, TRY_FUNNEL);
	assert_string_equal(try_get(b, "where"), "platform=android");
	assert_int_equal(try_line(b, "steps"), 4);
	/* The unreadable block and the Python one are code. */
	assert_non_null(find_para(&doc, "action: fly"));
	assert_int_equal(find_para(&doc, "action: fly")->kind, MD_PARA_CODE);
	assert_int_equal(find_para(&doc, "print(1)")->kind, MD_PARA_CODE);
	/* The link's text, where the reader selects it. */
	assert_int_equal(doc.link_span_count, 1);
	const struct md_link_span *l = &doc.link_spans[0];
	assert_string_equal(doc.links[l->link], "lesson:m2-the-live-notebook#try-it");
	assert_int_equal(l->end - l->start, strlen("the notebook"));
	assert_memory_equal(doc.paras[l->para].text + l->start, "the notebook", l->end - l->start);
	/* Shown as a lesson's title instead of its target, and a command
	 * line under the block, with no paragraph added. */
	size_t count = doc.count;
	md_doc_relabel_link(&doc, 0, "lesson \"The live notebook\"");
	assert_non_null(find_para(&doc, "[1] lesson \"The live notebook\""));
	char *cmd = try_command_line(b, "/usr/share/aipm/content", NULL);
	assert_string_equal(cmd, "aipm funnel /usr/share/aipm/content/datasets/events.csv --steps "
				 "install,signup --window 1d --from 2026-07-10 --to 2026-07-20 "
				 "--where platform=android --trend day");
	md_para_add_line(&doc.paras[doc.tries[0].para], cmd, MD_STYLE_CODE);
	assert_int_equal(doc.count, count);
	free(cmd);
	char *slug = md_heading_slug("  Feedback loops, again! (v2) ");
	assert_string_equal(slug, "feedback-loops-again-v2");
	free(slug);
	md_doc_free(&doc);
}

static struct try_block parse_ok(const char *text)
{
	struct try_block b;
	char err[256];
	int line;
	if (try_parse(text, strlen(text), &b, err, sizeof err, &line) != 0)
		fail_msg("'%s': %s (line %d)", text, err, line);
	return b;
}

static void parse_bad(const char *text, int expect_line, const char *fragment)
{
	struct try_block b;
	char err[256];
	int line;
	assert_int_equal(try_parse(text, strlen(text), &b, err, sizeof err, &line), -1);
	if (!strstr(err, fragment))
		fail_msg("'%s' gave '%s', not '%s'", text, err, fragment);
	assert_int_equal(line, expect_line);
}

/* Every action's keys and values, and the command line each prints. */
static void test_try_parse_and_command_lines(void **state)
{
	(void)state;
	struct try_block b = parse_ok("action: lab\nlabel: Train\n\ndata: datasets/reviews.csv\n"
				      "balanced: 1000\nmodel: nb\nfeatures: count\nngrams: 1\n"
				      "test_split: 0\nval_split: 0.5\nseed: 7\nthreshold: 0.4\n"
				      "epochs: 2\nbatch: 16\nrun: threshold\n");
	char *cmd = try_command_line(&b, "content", NULL);
	assert_string_equal(cmd, "aipm train content/datasets/reviews.csv --balanced 1000 --model nb "
				 "--features count --ngrams 1 --test-split 0 --val-split 0.5 --seed 7 "
				 "--threshold 0.4 --epochs 2 --batch 16");
	free(cmd);
	assert_string_equal(b.label, "Train");
	try_block_free(&b);
	/* A path with a space is quoted for the shell. */
	b = parse_ok("action: funnel\nlabel: Stages\ndata: datasets/aarrr_stages.csv\n");
	cmd = try_command_line(&b, "/my content", NULL);
	assert_string_equal(cmd, "aipm funnel '/my content/datasets/aarrr_stages.csv'");
	free(cmd);
	try_block_free(&b);
	b = parse_ok("action: drill\nlabel: Estimate\nquestion: est-dog-food-us\n");
	cmd = try_command_line(&b, "c", "estimation");
	assert_string_equal(cmd, "aipm drill score est-dog-food-us --point X --low L --high H");
	free(cmd);
	cmd = try_command_line(&b, "c", "root_cause");
	assert_string_equal(cmd, "aipm drill list --type root_cause");
	free(cmd);
	try_block_free(&b);
	b = parse_ok("action: drill\nlabel: Practise\ntype: strategy\n");
	cmd = try_command_line(&b, "c", NULL);
	assert_string_equal(cmd, "aipm drill list --type strategy");
	free(cmd);
	try_block_free(&b);
	b = parse_ok("action: quiz\nlabel: The final exam\nscope: final\n");
	cmd = try_command_line(&b, "c", NULL);
	assert_string_equal(cmd, "aipm quiz final");
	free(cmd);
	try_block_free(&b);

	parse_bad("label: x\n", 0, "needs 'action");
	parse_bad("action: lab\nlabel: x\n", 0, "needs 'data'");
	parse_bad("action: lab\nlabel: x\ndata: /etc/passwd\n", 3, "inside the content folder");
	parse_bad("action: lab\nlabel: x\ndata: ../x.csv\n", 3, "without '..'");
	parse_bad("action: lab\nlabel: x\ndata: d.csv\nngrams: 3\n", 4, "from 1 to 2");
	parse_bad("action: lab\nlabel: x\ndata: d.csv\nbalanced: 2.5\n", 4, "whole number");
	parse_bad("action: lab\nlabel: x\ndata: d.csv\ntest_split: 0.6\nval_split: 0.5\n", 5,
		  "leave rows");
	parse_bad("action: lab\nlabel: x\ndata: d.csv\nrun: everything\n", 4, "run is one of");
	parse_bad("action: lab\nlabel: x\ndata: d.csv\nsteps: a,b\n", 4, "not a key of a lab");
	parse_bad("action: funnel\nlabel: x\ndata: e.csv\nwindow: soon\n", 4, "window");
	parse_bad("action: funnel\nlabel: x\ndata: e.csv\nsteps: a\n", 4, "steps 'a'");
	parse_bad("action: funnel\nlabel: x\ndata: e.csv\nfrom: 2026-06-31\n", 4, "is a date");
	parse_bad("action: funnel\nlabel: x\ndata: e.csv\nwhere: android\n", 4, "column=value");
	parse_bad("action: funnel\nlabel: x\ndata: e.csv\norder: random\n", 4, "ordered, strict");
	parse_bad("action: drill\nlabel: x\ntype: cooking\n", 3, "type is one of");
	parse_bad("action: drill\nlabel: x\n", 0, "either 'type' or 'question'");
	parse_bad("action: drill\nlabel: x\ntype: strategy\nquestion: est-x\n", 0, "either");
	parse_bad("action: quiz\nlabel: x\nscope: M3!\n", 3, "not an id");
	parse_bad("action: quiz\nlabel: x\nlabel: y\nscope: m3\n", 3, "given twice");
	parse_bad("action: quiz\nscope: m3\n", 0, "needs a 'label'");
	parse_bad("action: quiz\nlabel:\nscope: m3\n", 2, "has no value");
	parse_bad("action: quiz\nthis is prose\n", 2, "'key: value'");
}

/* A term used everywhere (common) is marked at its first use in each
 * section only; the others at every use; usage counts headings too. */
static void test_glossary_common_terms_once_per_section(void **state)
{
	(void)state;
	struct glossary_entry entries[] = {
	    {.term = "model", .aliases = "models", .definition = "d", .source = "", .common = true},
	    {.term = "recall", .aliases = "", .definition = "d", .source = ""},
	};
	struct glossary g = {.entries = entries, .count = 2};
	assert_int_equal(glossary_compile(&g, NULL, 0), 0);
	struct md_doc doc;
	render("# Models\n\nA model, a model and recall, recall.\n\n- models again\n\n"
	       "## Next\n\nThe model once more and the model.\n\n### Deeper\n\nA model.\n\n"
	       "## Last\n\n`model` in code, then a model.\n",
	       80, &doc);
	struct term_hit *hits = NULL;
	size_t count = 0, cap = 0;
	glossary_mark(&g, &doc, &hits, &count, &cap);
	/* model: once under the title, once in "Next" (not again under its
	 * level 3 heading), once in "Last" after the code; recall twice. */
	size_t models = 0, recalls = 0;
	for (size_t i = 0; i < count; i++)
		*(hits[i].entry == 0 ? &models : &recalls) += 1;
	assert_int_equal(models, 3);
	assert_int_equal(recalls, 2);
	const struct md_para *first = find_para(&doc, "A model, a model");
	assert_true(style_at(first, strlen("A ")) & MD_STYLE_TERM);
	assert_false(style_at(first, strlen("A model, a ")) & MD_STYLE_TERM);
	assert_false(style_at(find_para(&doc, "models again"), 2) & MD_STYLE_TERM);
	bool used[2] = {false, false};
	glossary_usage(&g, &doc, used);
	assert_true(used[0] && used[1]);
	md_doc_free(&doc);
	render("# Title\n\nNothing here, `recall` in code only.\n\nSource: recall, seed 000.\n", 80,
	       &doc);
	used[0] = used[1] = false;
	glossary_usage(&g, &doc, used);
	assert_false(used[1]);
	free(hits);
	md_doc_free(&doc);
	pattern_free(g.terms);
	free(g.group_entry);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headings_and_sections),
		cmocka_unit_test(test_inline_styles),
		cmocka_unit_test(test_lists_nested),
		cmocka_unit_test(test_quotes_code_rules),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_links_images_entities_html),
		cmocka_unit_test(test_citations),
		cmocka_unit_test(test_wide_characters),
		cmocka_unit_test(test_long_words_and_lines),
		cmocka_unit_test(test_empty_lesson),
		cmocka_unit_test(test_nesting_deeper_than_kept),
		cmocka_unit_test(test_same_paragraphs_at_every_width),
		cmocka_unit_test(test_print_plain),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_glossary_marks_terms),
		cmocka_unit_test(test_try_blocks_and_links),
		cmocka_unit_test(test_try_parse_and_command_lines),
		cmocka_unit_test(test_glossary_common_terms_once_per_section),
	};
	return cmocka_run_group_tests_name("markdown", tests, utf8_locale, NULL);
}
