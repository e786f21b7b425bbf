/* TF-IDF as scikit-learn's TfidfVectorizer defaults compute it, checked
 * against values worked out by hand (and equal to sklearn 1.2's output):
 *
 * documents: "good good film", "bad film", "good plot"; n = 3
 * vocabulary (alphabetical): bad 0, film 1, good 2, plot 3
 * df: bad 1, film 2, good 2, plot 1
 * idf = ln((1 + n) / (1 + df)) + 1:
 *   bad, plot: ln(4 / 2) + 1 = 1.6931472
 *   film, good: ln(4 / 3) + 1 = 1.2876821
 * row 0: good 2 * 1.2876821, film 1 * 1.2876821; the l2 norm divides by
 *   1.2876821 * sqrt(5): good 2 / sqrt(5) = 0.8944272, film 0.4472136
 * row 1: bad 1.6931472, film 1.2876821; norm sqrt(1.6931472^2 +
 *   1.2876821^2) = 2.1271754: bad 0.7959605, film 0.6053485
 * row 2: good 0.6053485, plot 0.7959605 (the same two idf values) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "labtest.h"
#include "text_features.h"
#include "tokenize.h"

static const char *docs3[] = {"good good film", "bad film", "good plot"};

static struct vocab *fit(struct tokenizer **t, struct doc_terms *docs)
{
	struct token_options o;
	token_options_default(&o);
	o.ngram_max = 1;
	char err[128];
	*t = tokenizer_new(&o, err, sizeof err);
	return vocab_fit(*t, docs3, 3, docs);
}

static void test_idf_by_hand(void **state)
{
	(void)state;
	struct tokenizer *t;
	struct doc_terms docs;
	struct vocab *v = fit(&t, &docs);
	double *idf = features_idf(v);
	assert_near(idf[0], 1.6931472, 1e-7);
	assert_near(idf[1], 1.2876821, 1e-7);
	assert_near(idf[2], 1.2876821, 1e-7);
	assert_near(idf[3], 1.6931472, 1e-7);
	free(idf);
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);
}

static void test_tfidf_rows_by_hand(void **state)
{
	(void)state;
	struct tokenizer *t;
	struct doc_terms docs;
	struct vocab *v = fit(&t, &docs);
	double *idf = features_idf(v);
	struct csr X;
	features_build(&docs, vocab_size(v), FEATURES_TFIDF, idf, &X);
	assert_int_equal(X.rows, 3);
	assert_int_equal(X.cols, 4);
	assert_int_equal(csr_nnz(&X), 6);
	const double want[3][4] = {
		{0, 0.4472136, 0.8944272, 0},
		{0.7959605, 0.6053485, 0, 0},
		{0, 0, 0.6053485, 0.7959605},
	};
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 4; c++)
			assert_near(labtest_at(&X, r, c), want[r][c], 1e-6);
	csr_free(&X);

	/* New text: unknown words dropped, the rest weighted by the training
	 * idf and normalized: film 1.2876821, plot 1.6931472 -> 0.6053485,
	 * 0.7959605. */
	const char *later[] = {"film plot unknown", "nothing known"};
	struct doc_terms ld;
	vocab_transform(t, v, later, 2, &ld);
	features_build(&ld, vocab_size(v), FEATURES_TFIDF, idf, &X);
	assert_near(labtest_at(&X, 0, 1), 0.6053485, 1e-6);
	assert_near(labtest_at(&X, 0, 3), 0.7959605, 1e-6);
	/* An empty row stays empty instead of dividing by zero. */
	assert_int_equal(X.indptr[2] - X.indptr[1], 0);
	csr_free(&X);
	doc_terms_free(&ld);

	free(idf);
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);
}

static void test_counts_are_raw(void **state)
{
	(void)state;
	struct tokenizer *t;
	struct doc_terms docs;
	struct vocab *v = fit(&t, &docs);
	struct csr X;
	features_build(&docs, vocab_size(v), FEATURES_COUNT, NULL, &X);
	assert_near(labtest_at(&X, 0, 2), 2, 0);
	assert_near(labtest_at(&X, 0, 1), 1, 0);
	assert_near(labtest_at(&X, 1, 0), 1, 0);
	assert_near(labtest_at(&X, 2, 3), 1, 0);
	csr_free(&X);
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);
}

static void test_bigram_tfidf_matches_sklearn(void **state)
{
	(void)state;
	/* sklearn: TfidfVectorizer(ngram_range=(1, 2)) on these two texts
	 * gives row 0 = masterpiece 0.50154891, not 0.50154891, not
	 * masterpiece 0.70490949 (idf 1 for terms in both documents, ln(3/2)
	 * + 1 = 1.4054651 for the others). */
	struct token_options o;
	token_options_default(&o);
	char err[128];
	struct tokenizer *t = tokenizer_new(&o, err, sizeof err);
	const char *texts[] = {"Not a masterpiece", "a masterpiece, not bad"};
	struct doc_terms docs;
	struct vocab *v = vocab_fit(t, texts, 2, &docs);
	double *idf = features_idf(v);
	struct csr X;
	features_build(&docs, vocab_size(v), FEATURES_TFIDF, idf, &X);
	assert_near(labtest_at(&X, 0, 1), 0.50154891, 1e-6);
	assert_near(labtest_at(&X, 0, 3), 0.50154891, 1e-6);
	assert_near(labtest_at(&X, 0, 5), 0.70490949, 1e-6);
	assert_near(labtest_at(&X, 1, 0), 0.49922133, 1e-6);
	assert_near(labtest_at(&X, 1, 2), 0.49922133, 1e-6);
	assert_near(labtest_at(&X, 1, 1), 0.35520009, 1e-6);
	csr_free(&X);
	free(idf);
	doc_terms_free(&docs);
	vocab_free(v);
	tokenizer_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idf_by_hand),
		cmocka_unit_test(test_tfidf_rows_by_hand),
		cmocka_unit_test(test_counts_are_raw),
		cmocka_unit_test(test_bigram_tfidf_matches_sklearn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
