/* The tokenizer reads text as scikit-learn's vectorizers do (lower-cased
 * Unicode words of two or more characters) plus HTML stripping; the
 * vocabulary keeps sklearn's alphabetical ids, min_df and max_features. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tokenize.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static struct tokenizer *make(bool html, bool stop, int ngrams)
{
	struct token_options o;
	token_options_default(&o);
	o.strip_html = html;
	o.stop_words = stop;
	o.ngram_max = ngrams;
	char err[256];
	struct tokenizer *t = tokenizer_new(&o, err, sizeof err);
	assert_non_null(t);
	return t;
}

/* The tokens of text joined by '|'. */
static char *tokens(struct tokenizer *t, const char *text)
{
	struct token_info *items;
	size_t n = tokenizer_explain(t, NULL, text, &items);
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < n; i++) {
		if (items[i].stop)
			continue;
		if (sb.len)
			sb_putc(&sb, '|');
		sb_puts(&sb, items[i].term);
	}
	token_info_free(items, n);
	if (!sb.data)
		return xstrdup("");
	return sb_steal(&sb);
}

static void expect_tokens(struct tokenizer *t, const char *text, const char *want)
{
	char *got = tokens(t, text);
	if (strcmp(got, want))
		fail_msg("tokens of \"%s\": got \"%s\", want \"%s\"", text, got, want);
	free(got);
}

static void test_unicode_words_lower_cased(void **state)
{
	(void)state;
	struct tokenizer *t = make(true, false, 1);
	expect_tokens(t, "Café ÜBER naïve ΩMEGA", "café|über|naïve|ωmega");
	expect_tokens(t, "日本語の映画 ДА", "日本語の映画|да");
	/* Single characters and punctuation are not words; digits are. */
	expect_tokens(t, "I a x OK!! 42 don't", "ok|42|don");
	/* Invalid UTF-8 bytes separate words instead of breaking them. */
	expect_tokens(t, "good\xff\xfe" "bad \xc3", "good|bad");
	expect_tokens(t, "", "");
	tokenizer_free(t);
}

static void test_html_stripped_and_entities_decoded(void **state)
{
	(void)state;
	struct tokenizer *t = make(true, false, 1);
	expect_tokens(t, "Great<br /><br />film &amp; fun", "great|film|fun");
	expect_tokens(t, "<i>so</i><b>good</b>", "so|good");
	expect_tokens(t, "it&#39;s we&#x27;re", "it|we|re");
	/* A '<' that opens no tag is text. */
	expect_tokens(t, "5 < 6 and x>y <no end", "and|no|end");
	tokenizer_free(t);
	/* Without stripping, tags are words, as in sklearn. */
	t = make(false, false, 1);
	expect_tokens(t, "Great<br />film &amp; fun", "great|br|film|amp|fun");
	tokenizer_free(t);
}

static void test_bigrams_and_stop_words(void **state)
{
	(void)state;
	struct tokenizer *t = make(true, false, 2);
	/* "a" is no word, so the pair is "not masterpiece", as in sklearn. */
	expect_tokens(t, "Not a masterpiece", "not|masterpiece|not masterpiece");
	tokenizer_free(t);
	t = make(true, true, 2);
	/* Stop words go before pairs are made; "not" is one of them. */
	expect_tokens(t, "This is not a masterpiece at all, truly great",
		      "masterpiece|truly|great|masterpiece truly|truly great");
	assert_true(token_is_stop_word("not"));
	assert_false(token_is_stop_word("masterpiece"));
	tokenizer_free(t);
}

static void test_vocabulary_ids_min_df_and_cap(void **state)
{
	(void)state;
	struct tokenizer *t = make(true, false, 2);
	const char *texts[] = {"Not a masterpiece", "a masterpiece, not bad"};
	struct doc_terms docs;
	struct vocab *v = vocab_fit(t, texts, 2, &docs);
	/* sklearn's vocabulary_ for the same two texts and ngram_range (1, 2). */
	const char *want[] = {"bad", "masterpiece", "masterpiece not", "not", "not bad",
			      "not masterpiece"};
	assert_int_equal(vocab_size(v), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(vocab_term(v, i), want[i]);
		assert_int_equal(vocab_find(v, want[i]), (long)i);
	}
	assert_int_equal(vocab_find(v, "masterpiece bad"), -1);
	assert_int_equal(vocab_find(v, "film"), -1);
	assert_int_equal(vocab_df(v, 3), 2); /* not */
	assert_int_equal(vocab_df(v, 4), 1); /* not bad */
	assert_int_equal(vocab_docs(v), 2);
	/* Document 0: not, masterpiece, not masterpiece. */
	assert_int_equal(docs.offsets[1] - docs.offsets[0], 3);
	assert_int_equal(docs.offsets[2] - docs.offsets[1], 5);
	doc_terms_free(&docs);

	/* Unknown words vanish; known pairs are found. */
	const char *later[] = {"not bad at all, a masterpiece"};
	vocab_transform(t, v, later, 1, &docs);
	assert_int_equal(docs.offsets[1], 4); /* not, not bad, bad, masterpiece */
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);

	/* min_df 2 keeps the terms of both documents; max_vocab the most
	 * frequent ones. */
	struct token_options o;
	token_options_default(&o);
	o.min_df = 2;
	char err[128];
	t = tokenizer_new(&o, err, sizeof err);
	const char *three[] = {"good good film", "good plot", "film plot good"};
	v = vocab_fit(t, three, 3, &docs);
	assert_int_equal(vocab_size(v), 3);
	assert_string_equal(vocab_term(v, 0), "film");
	assert_string_equal(vocab_term(v, 1), "good");
	assert_string_equal(vocab_term(v, 2), "plot");
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);

	o.min_df = 1;
	o.ngram_max = 1;
	o.max_vocab = 2;
	t = tokenizer_new(&o, err, sizeof err);
	v = vocab_fit(t, three, 3, &docs);
	assert_int_equal(vocab_size(v), 2);
	assert_string_equal(vocab_term(v, 0), "film"); /* twice, plot twice: tie by name */
	assert_string_equal(vocab_term(v, 1), "good"); /* four times */
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);
}

/* Found by tests/fuzz/fuzz_textdata: texts with no word of two letters
 * left no candidate term, and sorting the empty list passed NULL to qsort
 * (undefined behaviour that UBSan stops on). An empty vocabulary results. */
static void test_texts_without_words_give_an_empty_vocabulary(void **state)
{
	(void)state;
	struct tokenizer *t = make(false, true, 2);
	const char *texts[] = {"a !", "I, a: 1 2 3"};
	struct doc_terms docs;
	struct vocab *v = vocab_fit(t, texts, 2, &docs);
	assert_int_equal(vocab_size(v), 0);
	assert_int_equal(docs.offsets[2], 0);
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);
}

static void test_vocabulary_from_terms_checks_order(void **state)
{
	(void)state;
	const char *good[] = {"bad", "not", "not bad"};
	struct vocab *v = vocab_from_terms(good, NULL, 3, 10);
	assert_non_null(v);
	assert_int_equal(vocab_find(v, "not bad"), 2);
	vocab_free(v);
	const char *unsorted[] = {"not", "bad"};
	assert_null(vocab_from_terms(unsorted, NULL, 2, 1));
	const char *twice[] = {"bad", "bad"};
	assert_null(vocab_from_terms(twice, NULL, 2, 1));
	const char *trigram[] = {"a b c"};
	assert_null(vocab_from_terms(trigram, NULL, 1, 1));
	const char *empty[] = {""};
	assert_null(vocab_from_terms(empty, NULL, 1, 1));
	const char *spaced[] = {"bad "};
	assert_null(vocab_from_terms(spaced, NULL, 1, 1));
}

static void test_explain_marks_stop_words_and_ids(void **state)
{
	(void)state;
	struct tokenizer *t = make(true, true, 2);
	const char *texts[] = {"great fun", "great story"};
	struct doc_terms docs;
	struct vocab *v = vocab_fit(t, texts, 2, &docs);
	doc_terms_free(&docs);
	struct token_info *items;
	size_t n = tokenizer_explain(t, v, "Not great fun", &items);
	assert_int_equal(n, 4); /* not, great, fun, great fun */
	assert_string_equal(items[0].term, "not");
	assert_true(items[0].stop);
	assert_int_equal(items[1].id, vocab_find(v, "great"));
	assert_int_equal(items[3].ngram, 2);
	assert_string_equal(items[3].term, "great fun");
	assert_int_equal(items[3].id, vocab_find(v, "great fun"));
	token_info_free(items, n);
	vocab_free(v);
	tokenizer_free(t);
}

static void test_megabyte_text(void **state)
{
	(void)state;
	struct tokenizer *t = make(true, false, 2);
	size_t len = 1 << 20;
	char *big = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		big[i] = "good film <br "[i % 14];
	big[len] = '\0';
	const char *texts[] = {big};
	struct doc_terms docs;
	struct vocab *v = vocab_fit(t, texts, 1, &docs);
	assert_true(vocab_size(v) >= 3);
	assert_true(docs.offsets[1] > 100000);
	doc_terms_free(&docs);
	vocab_free(v);
	free(big);
	tokenizer_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicode_words_lower_cased),
		cmocka_unit_test(test_html_stripped_and_entities_decoded),
		cmocka_unit_test(test_bigrams_and_stop_words),
		cmocka_unit_test(test_vocabulary_ids_min_df_and_cap),
		cmocka_unit_test(test_texts_without_words_give_an_empty_vocabulary),
		cmocka_unit_test(test_vocabulary_from_terms_checks_order),
		cmocka_unit_test(test_explain_marks_stop_words_and_ids),
		cmocka_unit_test(test_megabyte_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
