/* The terminal layer's text handling, without a terminal: measuring and
 * clipping UTF-8, word wrapping, the wrapped-line map of the text view, and
 * the editing of the input field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "input.h"
#include "progressbar.h"
#include "textview.h"
#include "ui.h"
#include "util.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static int utf8_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
		return -1;
	ui_text_init();
	return ui_caps()->unicode ? 0 : -1;
}

static int ascii_locale(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C");
	ui_text_init();
	return ui_caps()->unicode ? -1 : 0;
}

static void test_width_ascii(void **state)
{
	(void)state;
	assert_int_equal(ui_width(""), 0);
	assert_int_equal(ui_width("hello"), 5);
	assert_int_equal(ui_fit("hello", 3), 3);
	assert_int_equal(ui_fit("hello", 10), 5);
	assert_int_equal(ui_fit("hello", 0), 0);
}

static void test_width_cjk(void **state)
{
	(void)state;
	const char *s = "日本語";
	assert_int_equal(ui_width(s), 6);
	/* A wide character that does not fit whole is left out, never cut. */
	assert_int_equal(ui_fit(s, 1), 0);
	assert_int_equal(ui_fit(s, 3), 3);
	assert_int_equal(ui_fit(s, 4), 6);
	assert_int_equal(ui_width("a日b"), 4);
}

static void test_width_emoji(void **state)
{
	(void)state;
	assert_int_equal(ui_width("😀"), 2);
	assert_int_equal(ui_width("ok 😀!"), 6);
	assert_int_equal(ui_fit("😀😀", 3), 4);
}

static void test_width_combining(void **state)
{
	(void)state;
	const char *e_acute = "e\xcc\x81"; /* e + U+0301 */
	assert_int_equal(ui_width(e_acute), 1);
	assert_int_equal(ui_width("cafe\xcc\x81s"), 5);
	/* The accent stays with its letter at a cut. */
	assert_int_equal(ui_fit("e\xcc\x81x", 1), 3);
	struct text_char ch = ui_char_at("\xcc\x81", 2);
	assert_int_equal(ch.width, 0);
	assert_int_equal(ch.len, 2);
}

static void test_width_invalid(void **state)
{
	(void)state;
	/* Each invalid byte shows as one '?' column. */
	assert_int_equal(ui_width("a\xff" "b"), 3);
	assert_int_equal(ui_width("\xe6\x97"), 2);       /* cut short */
	assert_int_equal(ui_width("\xc0\xaf"), 2);       /* overlong '/' */
	assert_int_equal(ui_width("\xed\xa0\x80"), 3);   /* a surrogate */
	struct text_char ch = ui_char_at("\xff", 1);
	assert_int_equal(ch.shown, L'?');
	assert_int_equal(ch.len, 1);
	ch = ui_char_at("\x01", 1);
	assert_int_equal(ch.shown, L'?');
	assert_int_equal(ch.width, 1);
	/* ui_fit never stops inside a valid character after invalid bytes. */
	assert_int_equal(ui_fit("\xff日", 2), 1);
}

static void test_width_ascii_locale(void **state)
{
	(void)state;
	/* Without UTF-8 every character is one column, accents vanish, and
	 * common punctuation gets an ASCII stand-in. */
	assert_int_equal(ui_width("日本"), 2);
	assert_int_equal(ui_width("e\xcc\x81"), 1);
	assert_int_equal(ui_char_at("—", 3).shown, L'-');
	assert_int_equal(ui_char_at("é", 2).shown, L'e');
	assert_string_equal(ui_glyph(GLYPH_ELLIPSIS), "...");
}

static void test_wrap_line(void **state)
{
	(void)state;
	size_t next;
	const char *s = "hello brave new world";
	assert_int_equal(ui_wrap_line(s, strlen(s), 11, &next), 11);
	assert_int_equal(next, 12);
	assert_int_equal(ui_wrap_line(s, strlen(s), 10, &next), 5);
	assert_int_equal(next, 6);
	s = "ab\ncd";
	assert_int_equal(ui_wrap_line(s, strlen(s), 20, &next), 2);
	assert_int_equal(next, 3);
	s = "well-known fact";
	assert_int_equal(ui_wrap_line(s, strlen(s), 8, &next), 5);
	assert_int_equal(next, 5);
	/* A command line's option stays whole: "--" is no compound word. */
	s = "train --balanced 1000";
	assert_int_equal(ui_wrap_line(s, strlen(s), 12, &next), 5);
	assert_int_equal(next, 6);
	/* A lesson id or a time range stays whole: a word with a digit does
	 * not break at its hyphens (it moves to the next line whole). */
	s = "see m5-why-ai-products-fail now";
	assert_int_equal(ui_wrap_line(s, strlen(s), 12, &next), 3);
	assert_int_equal(next, 4);
	s = "at (37:47)-(39:27) in";
	assert_int_equal(ui_wrap_line(s, strlen(s), 14, &next), 2);
	assert_int_equal(next, 3);
	/* At least one character per line, even when it is too wide. */
	assert_int_equal(ui_wrap_line("日", 3, 1, &next), 3);
}

/* A code line that wraps keeps its own indentation on the lines it wraps
 * to; the next source line starts at the block's indent again. */
static void test_wrap_keeps_code_indent(void **state)
{
	(void)state;
	const char *code = "if x:\n    call_a_function(with, many, arguments)\ny";
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	text_wrap_para(code, strlen(code), 2, 2, 30, 0, &lines, &count, &cap);
	assert_int_equal(count, 4);
	assert_int_equal(lines[0].x, 2);                        /* if x: */
	assert_int_equal(lines[1].x, 2);                        /* "    call_a_function(with," */
	assert_int_equal(lines[2].x, 6);                        /* its continuation, under call */
	assert_int_equal(lines[3].x, 2);                        /* y */
	assert_memory_equal(code + lines[3].start, "y", 1);
	free(lines);
}

/* Checks that every wrapped line fits, lies inside its paragraph, starts on
 * a character boundary, and that together they cover every non-space byte. */
static void check_lines(const struct ui_doc *doc, const struct text_line *lines, size_t count,
			int width)
{
	size_t p = 0, covered = 0;
	for (size_t i = 0; i < count; i++) {
		const struct text_line *l = &lines[i];
		const struct ui_para *para = &doc->paras[l->para];
		assert_true(l->para >= p);
		if (l->para != p) {
			assert_int_equal(covered, doc->paras[p].len);
			p = l->para, covered = 0;
		}
		assert_true(l->start <= l->end && l->end <= para->len);
		int w = l->x + ui_width_n(para->text + l->start, l->end - l->start);
		if (w > width)
			fail_msg("line %zu is %d columns wide, more than %d", i, w, width);
		assert_true(l->start >= covered);
		for (size_t b = covered; b < l->start; b++)
			assert_true(para->text[b] == ' ' || para->text[b] == '\n');
		/* On a character boundary: not a UTF-8 continuation byte. */
		assert_true(((unsigned char)para->text[l->start] & 0xc0) != 0x80 || l->start == l->end);
		covered = l->end;
	}
	assert_int_equal(p, doc->count - 1);
	for (size_t b = covered; b < doc->paras[p].len; b++)
		assert_true(doc->paras[p].text[b] == ' ');
}

static void add_text(struct ui_doc *doc, const char *s, attr_t attr)
{
	ui_doc_add(doc, s, strlen(s), attr);
}

static void test_wrap_paragraph(void **state)
{
	(void)state;
	struct ui_doc doc = {0};
	ui_doc_para(&doc, 0, 0);
	add_text(&doc, "A model learns a mapping from ", A_NORMAL);
	add_text(&doc, "inputs", A_BOLD);
	add_text(&doc, " to outputs from labelled examples, and the quality of "
		       "those labels limits what it can learn.",
		 A_NORMAL);
	assert_int_equal(doc.paras[0].span_count, 3);
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	ui_doc_wrap(&doc, 20, &lines, &count, &cap);
	assert_true(count >= 7);
	check_lines(&doc, lines, count, 20);
	/* Words are not broken when a space allows a break. */
	for (size_t i = 0; i + 1 < count; i++)
		assert_true(doc.paras[0].text[lines[i].end] == ' ');
	free(lines);
	ui_doc_free(&doc);
}

static void test_wrap_long_word(void **state)
{
	(void)state;
	struct ui_doc doc = {0};
	char word[51];
	memset(word, 'x', 50);
	word[50] = '\0';
	ui_doc_para(&doc, 0, 0);
	add_text(&doc, "see ", A_NORMAL);
	add_text(&doc, word, A_NORMAL);
	add_text(&doc, " end", A_NORMAL);
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	ui_doc_wrap(&doc, 20, &lines, &count, &cap);
	check_lines(&doc, lines, count, 20);
	/* "see", then the word in pieces of 20, 20 and 10 + " end". */
	assert_int_equal(count, 4);
	assert_int_equal(lines[0].end - lines[0].start, 3);
	assert_int_equal(lines[1].end - lines[1].start, 20);
	assert_int_equal(lines[2].end - lines[2].start, 20);
	free(lines);
	ui_doc_free(&doc);
}

static void test_wrap_wide(void **state)
{
	(void)state;
	struct ui_doc doc = {0};
	ui_doc_para(&doc, 0, 0);
	for (int i = 0; i < 15; i++)
		add_text(&doc, "日本", A_NORMAL);
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	/* An odd width: each line holds 10 characters, never 10 and a half. */
	ui_doc_wrap(&doc, 21, &lines, &count, &cap);
	check_lines(&doc, lines, count, 21);
	assert_int_equal(count, 3);
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(lines[i].start % 3, 0);
		assert_int_equal(ui_width_n(doc.paras[0].text + lines[i].start,
					    lines[i].end - lines[i].start),
				 20);
	}
	/* Combining marks stay with their letter across a forced break. */
	ui_doc_para(&doc, 0, 0);
	for (int i = 0; i < 30; i++)
		add_text(&doc, "e\xcc\x81", A_NORMAL);
	ui_doc_wrap(&doc, 20, &lines, &count, &cap);
	check_lines(&doc, lines, count, 20);
	assert_int_equal(lines[count - 1].start % 3, 0);
	free(lines);
	ui_doc_free(&doc);
}

static void test_wrap_mapping(void **state)
{
	(void)state;
	struct ui_doc doc = {0};
	ui_doc_para(&doc, 0, 0);
	add_text(&doc, "Why models fail", A_BOLD);
	ui_doc_para(&doc, 0, 0); /* a blank line */
	ui_doc_para(&doc, 2, 4);
	add_text(&doc, "• ", A_NORMAL);
	add_text(&doc, "the data changed after launch and nobody retrained the model", A_NORMAL);
	ui_doc_para(&doc, 0, 0);
	add_text(&doc, "col\tumn", A_NORMAL);
	assert_string_equal(doc.paras[3].text, "col    umn");

	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	ui_doc_wrap(&doc, 24, &lines, &count, &cap);
	check_lines(&doc, lines, count, 24);
	assert_int_equal(lines[0].para, 0);
	assert_int_equal(lines[1].para, 1);
	assert_int_equal(lines[1].start, lines[1].end);
	/* The list item: first line at the indent, the rest at the hang. */
	assert_int_equal(lines[2].para, 2);
	assert_int_equal(lines[2].x, 2);
	assert_int_equal(lines[3].para, 2);
	assert_int_equal(lines[3].x, 4);

	/* Every byte maps back to the line that shows it, at any width. */
	int widths[] = {24, 13, 60};
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		ui_doc_wrap(&doc, widths[w], &lines, &count, &cap);
		for (size_t i = 0; i < count; i++) {
			for (size_t off = lines[i].start; off < lines[i].end; off++) {
				size_t at = ui_doc_line_of(lines, count, lines[i].para, off);
				assert_int_equal(at, i);
			}
		}
	}
	/* After a narrower wrap, a paragraph's place is still its own. */
	ui_doc_wrap(&doc, 13, &lines, &count, &cap);
	size_t at = ui_doc_line_of(lines, count, 2, 30);
	assert_int_equal(lines[at].para, 2);
	assert_true(lines[at].start <= 30 && 30 <= lines[at].end + 1);
	free(lines);
	ui_doc_free(&doc);
}

static void test_keys(void **state)
{
	(void)state;
	assert_int_equal(ui_key_char('a'), L'a');
	assert_int_equal(ui_key_char(0x101 | UI_KEY_TEXT), 0x101);
	assert_int_equal(ui_key_char(KEY_DOWN), 0);
	assert_int_equal(ui_key_char(UI_KEY_ESC), 0);
	assert_int_equal(ui_key_char(0x65e5), 0x65e5);
	size_t at = 0;
	assert_true(ui_nav_key('G', 10, 5, false, &at));
	assert_int_equal(at, 9);
	assert_true(ui_nav_key(KEY_PPAGE, 10, 5, false, &at));
	assert_int_equal(at, 5);
	assert_false(ui_nav_key(' ', 10, 5, false, &at));
	assert_true(ui_nav_key(' ', 10, 5, true, &at));
	assert_int_equal(at, 9);
}

static void type(struct ui_field *f, const char *keys)
{
	for (const char *k = keys; *k; k++)
		ui_field_key(f, (unsigned char)*k);
}

static void test_field_editing(void **state)
{
	(void)state;
	struct ui_field f;
	ui_field_init(&f, "cafe\xcc\x81", 0);
	assert_int_equal(f.cursor, strlen("cafe\xcc\x81"));
	/* Backspace takes the letter with its accent. */
	ui_field_key(&f, KEY_BACKSPACE);
	assert_string_equal(ui_field_text(&f), "caf");
	ui_field_key(&f, 0x65e5); /* 日 */
	assert_string_equal(ui_field_text(&f), "caf日");
	ui_field_key(&f, KEY_LEFT);
	ui_field_key(&f, KEY_LEFT);
	type(&f, "X");
	assert_string_equal(ui_field_text(&f), "caX" "f日");
	ui_field_key(&f, KEY_HOME);
	ui_field_key(&f, KEY_DC);
	assert_string_equal(ui_field_text(&f), "aXf日");
	ui_field_key(&f, KEY_END);
	ui_field_key(&f, 0x101 | UI_KEY_TEXT); /* ā, not a KEY_* code */
	assert_string_equal(ui_field_text(&f), "aXf日ā");
	assert_false(ui_field_key(&f, '\n'));
	assert_false(ui_field_key(&f, UI_KEY_ESC));
	ui_field_free(&f);

	/* The limit is in bytes and never cuts a character. */
	ui_field_init(&f, "日本語", 7);
	assert_string_equal(ui_field_text(&f), "日本");
	type(&f, "ab");
	assert_string_equal(ui_field_text(&f), "日本a");
	ui_field_free(&f);
}

/* A threshold's bar reads as the fraction it is given: 0.58 said 57%
 * (0.58 * 100 is 57.99... in binary). */
static void test_progress_percent(void **state)
{
	(void)state;
	assert_int_equal(ui_percent(0.58), 58);
	assert_int_equal(ui_percent(0.29), 29);
	assert_int_equal(ui_percent(0.57), 57);
	for (int i = 0; i <= 100; i++)
		assert_int_equal(ui_percent(i / 100.0), i);
}

/* Home's bar and the tree's line show one percent for one progress: 1 of
 * 37 lessons is 3% on both (the bar truncated it to 2%), and nothing
 * short of the whole says 100%. */
static void test_percent_shown(void **state)
{
	(void)state;
	assert_int_equal(ui_percent(1.0 / 37), 3);
	assert_int_equal(ui_percent(0), 0);
	assert_int_equal(ui_percent(0.5), 50);
	assert_int_equal(ui_percent(0.996), 99);
	assert_int_equal(ui_percent(1), 100);
	assert_int_equal(ui_percent(1.5), 100);
	assert_int_equal(ui_percent(-1), 0);
}

/* Up/Down in a prompt: older, newer, then back to what was typed; a
 * repeat moves to the end; only so many are kept. */
static void test_prompt_history(void **state)
{
	(void)state;
	struct ui_history h = {0};
	struct ui_field f;
	ui_field_init(&f, "", 0);
	assert_true(ui_history_key(&h, &f, KEY_UP)); /* nothing yet: stays empty */
	assert_string_equal(ui_field_text(&f), "");
	ui_history_add(&h, "pain");
	ui_history_add(&h, "point");
	ui_history_add(&h, "");
	ui_history_add(&h, "pain");
	assert_int_equal(h.count, 2);
	ui_history_rewind(&h);
	ui_field_set(&f, "draft");
	ui_history_key(&h, &f, KEY_UP);
	assert_string_equal(ui_field_text(&f), "pain");
	ui_history_key(&h, &f, KEY_UP);
	assert_string_equal(ui_field_text(&f), "point");
	ui_history_key(&h, &f, KEY_UP);
	assert_string_equal(ui_field_text(&f), "point");
	ui_history_key(&h, &f, KEY_DOWN);
	assert_string_equal(ui_field_text(&f), "pain");
	ui_history_key(&h, &f, KEY_DOWN);
	assert_string_equal(ui_field_text(&f), "draft");
	assert_false(ui_history_key(&h, &f, 'x'));
	char word[16];
	for (int i = 0; i < UI_HISTORY_MAX + 5; i++) {
		snprintf(word, sizeof word, "w%d", i);
		ui_history_add(&h, word);
	}
	assert_int_equal(h.count, UI_HISTORY_MAX);
	assert_string_equal(h.items[h.count - 1], word);
	ui_field_free(&f);
	ui_history_free(&h);
}

int main(void)
{
	const struct CMUnitTest utf8[] = {
		cmocka_unit_test(test_progress_percent),
		cmocka_unit_test(test_percent_shown),
		cmocka_unit_test(test_prompt_history),
		cmocka_unit_test(test_wrap_keeps_code_indent),
		cmocka_unit_test(test_width_ascii),
		cmocka_unit_test(test_width_cjk),
		cmocka_unit_test(test_width_emoji),
		cmocka_unit_test(test_width_combining),
		cmocka_unit_test(test_width_invalid),
		cmocka_unit_test(test_wrap_line),
		cmocka_unit_test(test_wrap_paragraph),
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_wrap_wide),
		cmocka_unit_test(test_wrap_mapping),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_field_editing),
	};
	const struct CMUnitTest ascii[] = {
		cmocka_unit_test(test_width_ascii),
		cmocka_unit_test(test_width_ascii_locale),
	};
	int failed = cmocka_run_group_tests_name("utf-8", utf8, utf8_locale, NULL);
	failed += cmocka_run_group_tests_name("ascii", ascii, ascii_locale, NULL);
	return failed;
}
