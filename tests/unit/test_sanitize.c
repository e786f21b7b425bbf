/* The sanitiser: what a hostile text (a learner's note, a course file, a
 * CSV header) becomes on a terminal, in a spreadsheet cell and in a
 * Markdown report, and which learner names are refused; and the CLI's
 * writers (table, CSV, JSON) putting every cell through it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "output.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <md4c.h>
#include <string.h>

#define P SANITIZE_PLACEHOLDER

/* Whether s holds a byte or a character no terminal should get: a C0
 * control but the line feed, DEL, a C1 control, a bidi control, or a
 * byte that is not UTF-8. */
static bool unsafe_for_terminal(const char *s)
{
	return !sanitize_is_clean(s, SANITIZE_KEEP_NEWLINE);
}

static void expect(const char *in, unsigned keep, const char *want)
{
	char *out = sanitize_dup(in, keep);
	assert_string_equal(out, want);
	/* clean exactly when nothing changes */
	assert_int_equal(sanitize_is_clean(in, keep), strcmp(in, want) == 0);
	free(out);
}

static void test_terminal_controls_become_placeholders(void **state)
{
	(void)state;
	/* The window title, a screen clear, hidden text, the cursor moved up. */
	expect("x\x1b]0;pwned\x07y", SANITIZE_LINE, "x" P "]0;pwned" P "y");
	expect("\x1b[2J\x1b[8mhidden\x1b[0m", SANITIZE_LINE, P "[2J" P "[8mhidden" P "[0m");
	expect("line\x1b[1A\x1b[2Kover", SANITIZE_LINE, "line" P "[1A" P "[2Kover");
	/* CR overwrites a line; DEL; NUL cannot be inside a C string. */
	expect("ok\rFAIL", SANITIZE_LINE, "ok" P "FAIL");
	expect("a\x7f" "b", SANITIZE_LINE, "a" P "b");
	/* C1: U+009B is a one-character CSI, U+0085 a line break. */
	expect("a\xc2\x9b" "2Jb\xc2\x85", SANITIZE_LINE, "a" P "2Jb" P);
	/* A raw 0x9B byte is CSI to an 8-bit terminal: not UTF-8, replaced. */
	expect("a\x9b" "2J", SANITIZE_LINE, "a" P "2J");
	/* Overlong, surrogate and truncated sequences, byte by byte. */
	expect("\xc0\xaf|\xed\xa0\x80|\xe2\x82", SANITIZE_LINE, P P "|" P P P "|" P P);
	/* Bidirectional controls: RLO, LRE..PDF, the isolates, the marks. */
	expect("exe.\xe2\x80\xaetxt", SANITIZE_LINE, "exe." P "txt");
	expect("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", SANITIZE_LINE, P P P P);
	expect("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", SANITIZE_LINE, P P P P);
	expect("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", SANITIZE_LINE, P P P);
	/* Tabs and line feeds: one line, or kept when asked. */
	expect("a\tb\nc", SANITIZE_LINE, "a" P "b" P "c");
	expect("a\tb\nc", SANITIZE_KEEP_TAB, "a\tb" P "c");
	expect("a\tb\nc", SANITIZE_KEEP_TAB | SANITIZE_KEEP_NEWLINE, "a\tb\nc");
	/* Text stays as it is: accents, CJK, emoji, typographic marks. */
	expect("Zoë 日本 😀 “quoted” — done", SANITIZE_LINE, "Zoë 日本 😀 “quoted” — done");
	expect("", SANITIZE_LINE, "");
	char *none = sanitize_dup(NULL, SANITIZE_LINE);
	assert_string_equal(none, "");
	free(none);
}

static void test_printf_and_fputs(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	sanitize_printf(mem, "wrote %s: %d rows\n", "a\x1b[2Jb.csv", 3);
	sanitize_fputs("t\x1b]0;x\x07\n", SANITIZE_LINE, mem);
	fclose(mem);
	assert_string_equal(buf, "wrote a" P "[2Jb.csv: 3 rows\nt" P "]0;x" P P);
	free(buf);
}

static void test_csv_cells_as_owasp_advises(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} cells[] = {
	    {"=HYPERLINK(\"http://evil\",\"Ana\")", "'=HYPERLINK(\"http://evil\",\"Ana\")"},
	    {"+1+1", "'+1+1"},
	    {"-2+3", "'-2+3"},
	    {"@SUM(A1)", "'@SUM(A1)"},
	    {"\t=1", "'\t=1"},
	    {"\r=1", "'" P "=1"},
	    {"Ana = Ben", "Ana = Ben"},
	    {"", ""},
	    /* controls go, the cell's own lines and tabs stay (libcsv quotes
	     * them) */
	    {"two\nlines\tand\x1b[31m red", "two\nlines\tand" P "[31m red"},
	};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		char *out = sanitize_csv_cell(cells[i].in);
		assert_string_equal(out, cells[i].out);
		free(out);
	}
}

/* What a Markdown renderer makes of a sanitised cell: any link, image or
 * HTML is a failure; the text it shows is collected. */
struct rendered {
	bool link, html, in_cell;
	struct strbuf text; /* of the body cell */
};

static int on_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	(void)detail;
	struct rendered *r = data;
	r->html |= type == MD_BLOCK_HTML;
	r->in_cell |= type == MD_BLOCK_TD;
	return 0;
}

static int on_block_leave(MD_BLOCKTYPE type, void *detail, void *data)
{
	(void)detail;
	struct rendered *r = data;
	if (type == MD_BLOCK_TD)
		r->in_cell = false;
	return 0;
}

static int on_span(MD_SPANTYPE type, void *detail, void *data)
{
	(void)detail;
	struct rendered *r = data;
	r->link |= type == MD_SPAN_A || type == MD_SPAN_IMG || type == MD_SPAN_WIKILINK;
	return 0;
}

static int on_span_leave(MD_SPANTYPE type, void *detail, void *data)
{
	(void)type;
	(void)detail;
	(void)data;
	return 0;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *data)
{
	struct rendered *r = data;
	if (type == MD_TEXT_HTML)
		r->html = true;
	else if (!r->in_cell)
		return 0;
	else if (type == MD_TEXT_ENTITY)
		sb_puts(&r->text, size == 4 && !memcmp(text, "&lt;", 4)   ? "<"
				  : size == 4 && !memcmp(text, "&gt;", 4) ? ">"
				  : size == 5 && !memcmp(text, "&amp;", 5) ? "&"
									   : "?");
	else
		sb_add(&r->text, text, size);
	return 0;
}

static void render_cell(const char *cell, struct rendered *r)
{
	struct strbuf md;
	sb_init(&md);
	sb_puts(&md, "| a |\n|---|\n| ");
	sanitize_markdown_cell(&md, cell);
	sb_puts(&md, " |\n");
	MD_PARSER parser = {
	    .flags = MD_DIALECT_GITHUB | MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_WIKILINKS,
	    .enter_block = on_block,
	    .leave_block = on_block_leave,
	    .enter_span = on_span,
	    .leave_span = on_span_leave,
	    .text = on_text,
	};
	memset(r, 0, sizeof *r);
	sb_init(&r->text);
	assert_int_equal(md_parse(md.data, (MD_SIZE)md.len, &parser, r), 0);
	sb_free(&md);
}

static void test_markdown_cells_make_no_link_or_html(void **state)
{
	(void)state;
	const char *hostile[] = {
	    "<script>alert(1)</script>",
	    "<img src=x onerror=alert(1)>",
	    "[click me](http://evil.example/steal)",
	    "![tracker](http://evil.example/pixel.png)",
	    "[ref][1]\n\n[1]: http://evil.example",
	    "<http://evil.example>",
	    "see http://evil.example/x and www.evil.example",
	    "mail bob@evil.example",
	    "[[Wiki]] *bold* _it_ `code` ~strike~ a|b \\ back",
	    "&amp; &lt;b&gt; &#60;",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		struct rendered r;
		render_cell(hostile[i], &r);
		if (r.link || r.html)
			fail_msg("'%s' rendered a %s", hostile[i], r.link ? "link" : "tag");
		/* shown as written, its line breaks as spaces */
		char *want = xstrdup(hostile[i]);
		for (char *c = want; *c; c++)
			if (*c == '\n')
				*c = ' ';
		if (strcmp(r.text.data ? r.text.data : "", want))
			fail_msg("'%s' was shown as '%s'", want, r.text.data);
		free(want);
		sb_free(&r.text);
	}
	struct strbuf sb;
	sb_init(&sb);
	sanitize_markdown_cell(&sb, "a\x1b[2Jb\tc");
	assert_string_equal(sb.data, "a" P "\\[2Jb c");
	sb_free(&sb);
}

static void test_json_escapes_what_jansson_leaves(void **state)
{
	(void)state;
	const char *value = "x\x1b]0;t\x07 \xc2\x9b" "2J \xe2\x80\xae" "cba \x7f é";
	json_t *o = json_pack("{s:s}", "note", value);
	char *text = json_dumps(o, JSON_COMPACT);
	/* jansson escapes C0 itself, and writes C1, DEL and bidi raw */
	assert_non_null(strstr(text, "\\u001B"));
	assert_non_null(strstr(text, "\xc2\x9b"));
	struct strbuf sb;
	sb_init(&sb);
	sanitize_json_append(&sb, text, strlen(text));
	assert_null(strstr(sb.data, "\xc2\x9b"));
	assert_null(strstr(sb.data, "\xe2\x80\xae"));
	assert_null(strchr(sb.data, 0x7f));
	assert_non_null(strstr(sb.data, "\\u009B"));
	assert_non_null(strstr(sb.data, "\\u202E"));
	assert_non_null(strstr(sb.data, "é"));
	/* the same JSON value */
	json_error_t err;
	json_t *back = json_loads(sb.data, 0, &err);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "note")), value);
	json_decref(back);
	json_decref(o);
	free(text);
	sb_free(&sb);
}

static void test_learner_names(void **state)
{
	(void)state;
	assert_null(sanitize_name_problem("Ana Lima"));
	assert_null(sanitize_name_problem("Zoë 日本 O'Brien-Smith"));
	assert_string_equal(sanitize_name_problem("Ana\x1b[31m"), "it holds a control character");
	assert_string_equal(sanitize_name_problem("Ana\tB"), "it holds a control character");
	assert_string_equal(sanitize_name_problem("Ana\xc2\x9b"), "it holds a control character");
	assert_string_equal(sanitize_name_problem("Ana\xe2\x80\xaegnp"),
			    "it holds a character that reorders text (a bidirectional control)");
	assert_string_equal(sanitize_name_problem("\xe2\x81\xa6x"),
			    "it holds a character that reorders text (a bidirectional control)");
	assert_string_equal(sanitize_name_problem("Ana\xff"), "it is not valid UTF-8 text");
}

/* The CLI's writers: nothing unsafe on a terminal in a table, CSV cells
 * neutralised but numbers left alone, JSON escaped. */
static void test_writers_sanitise_every_cell(void **state)
{
	(void)state;
	const char *cols[] = {"name\x1b[2J", "note", "score"};
	struct out_table *t = out_table_new(cols, 3);
	out_text(t, "=HYPERLINK(\"http://evil\",\"Ana\")");
	out_text(t, "\x1b]0;owned\x07\xc2\x9b" "2J\xe2\x80\xae\nsecond line\r");
	out_int(t, -5);
	out_table_end_row(t);
	const enum out_format formats[] = {OUT_TABLE, OUT_CSV, OUT_JSON};
	for (size_t f = 0; f < 3; f++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		out_table_print(t, formats[f], mem);
		fclose(mem);
		if (unsafe_for_terminal(buf))
			fail_msg("format %zu wrote raw controls: %s", f, buf);
		if (formats[f] == OUT_TABLE) {
			/* one line per row: the note's line feed did not split it */
			size_t lines = 0;
			for (char *c = buf; *c; c++)
				lines += *c == '\n';
			assert_int_equal(lines, 2);
		}
		if (formats[f] == OUT_CSV) {
			assert_non_null(strstr(buf, "\"'=HYPERLINK("));
			assert_non_null(strstr(buf, ",-5\r\n") ? strstr(buf, ",-5\r\n")
							       : strstr(buf, ",-5\n"));
			assert_non_null(strstr(buf, "\nsecond line"));
		}
		free(buf);
	}
	out_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_terminal_controls_become_placeholders),
	    cmocka_unit_test(test_printf_and_fputs),
	    cmocka_unit_test(test_csv_cells_as_owasp_advises),
	    cmocka_unit_test(test_markdown_cells_make_no_link_or_html),
	    cmocka_unit_test(test_json_escapes_what_jansson_leaves),
	    cmocka_unit_test(test_learner_names),
	    cmocka_unit_test(test_writers_sanitise_every_cell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
