/* Loading labelled text as people have it: Kaggle's IMDB CSV shape with
 * quoted multi-line reviews, tab-separated sentence/label files with and
 * without a header, any two labels; refusals name the file and line; the
 * balanced subset and the stratified split are seeded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "textdata.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *name, const char *text, const struct textdata_options *opt,
		 struct text_dataset *d, char *err, size_t errlen)
{
	return textdata_parse(name, text, strlen(text), opt, d, err, errlen);
}

static void expect_error(const char *name, const char *text, const char *want)
{
	struct text_dataset d;
	char err[512];
	assert_int_equal(parse(name, text, NULL, &d, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("message \"%s\" does not say \"%s\"", err, want);
}

/* A file without a header whose first row is data: said so, where a
 * message would otherwise mislead. */
static void test_headerless_first_row_is_data(void **state)
{
	(void)state;
	const char *csv = "good movie,positive\nbad movie,negative\nfine,positive\n";
	struct textdata_options opt = {.text_col = "review", .label_col = "sentiment"};
	struct text_dataset d;
	char err[512];
	assert_int_equal(parse("h.csv", csv, &opt, &d, err, sizeof err), -1);
	assert_string_equal(err, "h.csv: no column called 'review': line 1 ('good movie', "
				 "'positive') looks like data, not a header; if the file has no "
				 "header row, name the columns by number (1 = first)");
	/* by number it loads, line 1 included */
	opt = (struct textdata_options){.text_col = "1", .label_col = "2"};
	assert_int_equal(parse("h.csv", csv, &opt, &d, err, sizeof err), 0);
	assert_int_equal(d.count, 3);
	textdata_free(&d);
	expect_error("three.csv", "great,pos\nawful,neg\nok,meh\nbad,neg\nfine,pos\n",
		     "three.csv:3: a third label 'meh' (after 'pos' and 'neg')");
	expect_error("three.csv", "great,pos\nawful,neg\nok,meh\nbad,neg\nfine,pos\n",
		     "line 1 was read as data, as the file seems to have no header row");
	/* with a header the note is not given */
	struct text_dataset h;
	assert_int_equal(parse("hh.csv", "text,label\ngreat,pos\nawful,neg\nok,meh\n", NULL, &h,
			       err, sizeof err),
			 -1);
	assert_null(strstr(err, "line 1 was read as data"));
}

static void test_imdb_shape(void **state)
{
	(void)state;
	const char *csv =
	    "\xEF\xBB\xBFreview,sentiment\n"
	    "\"One of the best.<br /><br />Truly, \"\"great\"\".\",positive\n"
	    "\"Line one\nline two\nline three\",negative\n"
	    "\"Fine\",positive\r\n";
	struct text_dataset d;
	char err[512];
	assert_int_equal(parse("IMDB Dataset.csv", csv, NULL, &d, err, sizeof err), 0);
	assert_int_equal(d.count, 3);
	assert_string_equal(d.text_column, "review");
	assert_string_equal(d.label_column, "sentiment");
	assert_string_equal(d.label_names[0], "negative");
	assert_string_equal(d.label_names[1], "positive");
	assert_int_equal(d.rows[0].label, 1);
	assert_int_equal(d.rows[1].label, 0);
	assert_string_equal(d.rows[0].text, "One of the best.<br /><br />Truly, \"great\".");
	assert_int_equal(d.rows[1].line, 3);
	assert_int_equal(d.rows[2].line, 6);
	assert_int_equal(d.class_counts[1], 2);
	assert_false(d.tsv);
	textdata_free(&d);
}

static void test_tsv_with_and_without_header(void **state)
{
	(void)state;
	struct text_dataset d;
	char err[512];
	assert_int_equal(parse("train.tsv", "sentence\tlabel\nit is fun\t1\nit drags\t0\n", NULL,
			       &d, err, sizeof err),
			 0);
	assert_true(d.tsv);
	assert_true(d.has_header);
	assert_int_equal(d.count, 2);
	assert_string_equal(d.label_names[1], "1");
	textdata_free(&d);

	/* UCI "sentiment labelled sentences": no header, commas in the text. */
	assert_int_equal(parse("imdb_labelled.txt",
			       "So good, really.\t1\nBad, bad film.\t0\nLoved it\t1\n", NULL, &d,
			       err, sizeof err),
			 0);
	assert_true(d.tsv);
	assert_false(d.has_header);
	assert_int_equal(d.count, 3);
	assert_string_equal(d.text_column, "column 1");
	assert_string_equal(d.rows[0].text, "So good, really.");
	assert_int_equal(d.rows[0].line, 1);
	textdata_free(&d);
}

static void test_labels_and_columns(void **state)
{
	(void)state;
	struct text_dataset d;
	char err[512];
	/* Any two strings; a known positive word decides, else alphabetical. */
	assert_int_equal(parse("x.csv", "label,text\nspam,win money\nham,see you\n", NULL, &d, err,
			       sizeof err),
			 0);
	assert_string_equal(d.label_names[1], "spam");
	assert_string_equal(d.text_column, "text");
	textdata_free(&d);
	assert_int_equal(parse("x.csv", "id,comment,verdict\n1,so fun,yay\n2,so dull,boo\n", NULL,
			       &d, err, sizeof err),
			 0);
	assert_string_equal(d.text_column, "comment");
	assert_string_equal(d.label_column, "verdict");
	assert_string_equal(d.label_names[0], "boo");
	assert_string_equal(d.label_names[1], "yay");
	textdata_free(&d);

	/* Columns by name or number. */
	struct textdata_options opt = {.text_col = "Body", .label_col = "3"};
	assert_int_equal(parse("x.csv", "body,other,mood\nnice,a,good\nnasty,b,bad\n", &opt, &d,
			       err, sizeof err),
			 0);
	assert_string_equal(d.rows[0].text, "nice");
	assert_string_equal(d.label_names[1], "good");
	textdata_free(&d);
	opt.text_col = "missing";
	assert_int_equal(parse("x.csv", "body,mood\nnice,good\nnasty,bad\n", &opt, &d, err,
			       sizeof err),
			 -1);
	assert_non_null(strstr(err, "no column called 'missing'"));
	opt = (struct textdata_options){.label_col = "7"};
	assert_int_equal(parse("x.csv", "body,mood\nnice,good\nnasty,bad\n", &opt, &d, err,
			       sizeof err),
			 -1);
	assert_non_null(strstr(err, "no label column 7"));

	/* A test file keeps the training file's labels. */
	const char *names[2] = {"negative", "positive"};
	opt = (struct textdata_options){.labels = names};
	assert_int_equal(parse("test.csv", "text,label\nok,POSITIVE\n", &opt, &d, err, sizeof err),
			 0);
	assert_int_equal(d.rows[0].label, 1);
	textdata_free(&d);
	assert_int_equal(parse("test.csv", "text,label\nok,positive\nhm,neutral\n", &opt, &d, err,
			       sizeof err),
			 -1);
	assert_non_null(strstr(err, "test.csv:3: label 'neutral' is not one of the training"));
	/* A test file whose rows all lack a text or a label (found by
	 * fuzzing: it used to load with no rows). */
	assert_int_equal(parse("test.csv", "text,label\n,positive\nhm,\n", &opt, &d, err,
			       sizeof err),
			 -1);
	assert_non_null(strstr(err, "test.csv: no row has both a text and a label"));
}

static void test_bad_input(void **state)
{
	(void)state;
	expect_error("empty.csv", "", "empty.csv:1: the file is empty");
	expect_error("three.csv", "text,label\ngood,pos\nbad,neg\nmeh,neutral\n",
		     "three.csv:4: a third label 'neutral'");
	expect_error("one.csv", "text,label\ngood,pos\nfine,pos\n", "only one label ('pos')");
	expect_error("row.csv", "text,label\ngood,pos\n", "only one label");
	expect_error("quote.csv", "text,label\n\"good,pos\n",
		     "quote.csv:2: a quote opens a field here and is never closed");
	expect_error("stray.csv", "text,label\ngo\"od,pos\n", "stray.csv:2: malformed CSV");
	expect_error("nolabels.csv", "text,label\ngood,\nbad,\n",
		     "no row has both a text and a label");
	expect_error("onecol.csv", "text\ngood\nbad\n", "cannot tell which column");
	/* what used to load cut short or be called malformed CSV */
	struct text_dataset bad;
	char err[512];
	static const char nul[] = "text,label\ngood,posi\0tive\nbad,neg\n";
	assert_int_equal(textdata_parse("nul.csv", nul, sizeof nul - 1, NULL, &bad, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "nul.csv:2:10: a NUL byte"));
	static const char tsv_nul[] = "good\tpos\nb\0ad\tneg\n";
	assert_int_equal(textdata_parse("nul.tsv", tsv_nul, sizeof tsv_nul - 1, NULL, &bad, err,
					sizeof err),
			 -1);
	assert_non_null(strstr(err, "nul.tsv:2:2: a NUL byte"));
	static const char wide[] = "\xff\xfet\0e\0x\0t\0";
	assert_int_equal(textdata_parse("u16.csv", wide, sizeof wide - 1, NULL, &bad, err,
					sizeof err),
			 -1);
	assert_string_equal(err, "u16.csv: this is UTF-16 text; save the file as UTF-8");
	/* an unclosed quote, on the line where it opened */
	expect_error("late.csv", "text,label\ngood,pos\n\"bad,neg\nfine,pos\nmeh,neg\n",
		     "late.csv:3: a quote opens a field here and is never closed");

	/* Empty texts and missing labels are skipped, with a warning. */
	struct text_dataset d;
	assert_int_equal(parse("gaps.csv", "text,label\n,1\nbad,\ngood,1\nawful,0\n  ,0\n", NULL,
			       &d, err, sizeof err),
			 0);
	assert_int_equal(d.count, 2);
	assert_int_equal(d.warnings.count, 2);
	assert_string_equal(d.warnings.items[0],
			    "skipped 2 rows with an empty text (first at line 2)");
	assert_string_equal(d.warnings.items[1], "skipped 1 row without a label (first at line 3)");
	textdata_free(&d);

	/* Invalid UTF-8 loads, with a warning naming the line. */
	assert_int_equal(parse("bytes.csv", "text,label\ngood\xff film,1\nbad,0\n", NULL, &d, err,
			       sizeof err),
			 0);
	assert_int_equal(d.warnings.count, 1);
	assert_non_null(
	    strstr(d.warnings.items[0], "1 row holds bytes that are not UTF-8 (first at line 2)"));
	textdata_free(&d);

	assert_int_equal(textdata_load("/nonexistent/reviews.csv", NULL, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/reviews.csv: cannot read"));
}

/* 30 positive and 10 negative rows. */
static void load_unbalanced(struct text_dataset *d)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "text,label\n");
	for (int i = 0; i < 40; i++)
		sb_printf(&sb, "review number %d,%s\n", i, i % 4 ? "positive" : "negative");
	char err[256];
	assert_int_equal(textdata_parse("u.csv", sb.data, sb.len, NULL, d, err, sizeof err), 0);
	sb_free(&sb);
}

static void test_balanced_subset_and_split(void **state)
{
	(void)state;
	struct text_dataset d;
	load_unbalanced(&d);
	size_t *rows;
	bool short_class[2];
	size_t n = textdata_balanced(&d, 8, 42, &rows, short_class);
	assert_int_equal(n, 16);
	size_t per[2] = {0, 0};
	for (size_t i = 0; i < n; i++)
		per[d.rows[rows[i]].label]++;
	assert_int_equal(per[0], 8);
	assert_int_equal(per[1], 8);
	assert_false(short_class[0]);
	/* Same seed, same rows; another seed, others. */
	size_t *again, *other;
	textdata_balanced(&d, 8, 42, &again, short_class);
	assert_memory_equal(rows, again, n * sizeof *rows);
	textdata_balanced(&d, 8, 43, &other, short_class);
	assert_true(memcmp(rows, other, n * sizeof *rows) != 0);
	free(again);
	free(other);
	free(rows);
	n = textdata_balanced(&d, 20, 42, &rows, short_class);
	assert_int_equal(n, 30); /* all 10 negatives, 20 positives */
	assert_true(short_class[0]);
	free(rows);

	/* Stratified: each set keeps the 3:1 ratio. */
	struct text_split s;
	char err[256];
	size_t all[40];
	for (size_t i = 0; i < 40; i++)
		all[i] = i;
	assert_int_equal(textdata_split(&d, all, 40, 0.25, 0.25, 1, false, &s, err, sizeof err), 0);
	/* Per class, rounded: 30 positives give 7.5 -> 8, 10 negatives 2.5 -> 3. */
	assert_int_equal(s.ntest, 11);
	assert_int_equal(s.nval, 11);
	assert_int_equal(s.ntrain, 18);
	size_t neg = 0;
	for (size_t i = 0; i < s.ntest; i++)
		neg += d.rows[s.test[i]].label == 0;
	assert_int_equal(neg, 3);
	assert_false(s.val_is_test);
	text_split_free(&s);

	/* No test share: the validation set stands in, flagged. */
	assert_int_equal(textdata_split(&d, all, 40, 0, 0.2, 1, false, &s, err, sizeof err), 0);
	assert_true(s.val_is_test);
	text_split_free(&s);
	assert_int_equal(textdata_split(&d, all, 40, 0, 0, 1, false, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "nothing to evaluate on"));
	assert_int_equal(textdata_split(&d, all, 40, 0.6, 0.5, 1, false, &s, err, sizeof err), -1);
	assert_int_equal(textdata_split(&d, all, 40, 0.2, 0, 1, true, &s, err, sizeof err), -1);
	/* Too few rows of a class for the shares. */
	size_t tiny[] = {0, 1, 2, 3};
	assert_int_equal(textdata_split(&d, tiny, 4, 0.5, 0.4, 1, false, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "would have no 'negative' rows"));
	textdata_free(&d);
}

static void test_length_histogram(void **state)
{
	(void)state;
	struct text_dataset d;
	load_unbalanced(&d);
	size_t bins[4], width;
	textdata_length_histogram(&d, NULL, 0, bins, 4, &width);
	size_t total = 0;
	for (int i = 0; i < 4; i++)
		total += bins[i];
	assert_int_equal(total, 40);
	assert_int_equal(width, 1); /* every review has 3 words: 3 / 4 + 1 */
	assert_int_equal(bins[3], 40);
	assert_int_equal(textdata_words("  two words\n"), 2);
	/* Some rows only. */
	const size_t some[] = {0, 5, 9};
	textdata_length_histogram(&d, some, 3, bins, 4, &width);
	assert_int_equal(bins[3], 3);
	textdata_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headerless_first_row_is_data),
		cmocka_unit_test(test_imdb_shape),
		cmocka_unit_test(test_tsv_with_and_without_header),
		cmocka_unit_test(test_labels_and_columns),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_balanced_subset_and_split),
		cmocka_unit_test(test_length_histogram),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
