/* The model file: what is saved comes back identical (same vocabulary,
 * weights and predictions), every kind of bad file is refused with a
 * message that says what is wrong, and a model saved before the lab
 * trained to convergence still loads and says so. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lab.h"
#include "labtest.h"
#include "model_file.h"
#include "testutil.h"

#include <string.h>

static const char *texts[] = {
	"a wonderful, moving film", "great acting and a great story",
	"not a masterpiece, but fun", "dull and far too long", "an awful, boring mess",
	"not good at all",
};
static const int labels[] = {1, 1, 1, 0, 0, 0};

static void build(struct text_model *m, struct tokenizer **tok)
{
	memset(m, 0, sizeof *m);
	token_options_default(&m->tok);
	m->tok.stop_words = true;
	char err[256];
	*tok = tokenizer_new(&m->tok, err, sizeof err);
	struct doc_terms docs;
	m->vocab = vocab_fit(*tok, texts, 6, &docs);
	m->idf = features_idf(m->vocab);
	m->features = FEATURES_TFIDF;
	struct csr X;
	features_build(&docs, vocab_size(m->vocab), m->features, m->idf, &X);
	struct train_options o;
	train_options_default(&o);
	struct train_result res;
	assert_int_equal(train_classifier(&o, &X, labels, NULL, NULL, NULL, NULL, &m->lm, &res, err,
					  sizeof err),
			 0);
	train_result_free(&res);
	csr_free(&X);
	doc_terms_free(&docs);
	m->labels[0] = xstrdup("neg");
	m->labels[1] = xstrdup("pos");
	m->threshold = 0.4;
	m->info = json_pack("{s:s}", "data", "toy.csv");
}

static void test_round_trip(void **state)
{
	(void)state;
	struct text_model a, b;
	struct tokenizer *tok;
	build(&a, &tok);
	size_t len;
	unsigned char *bytes = model_serialize(&a, &len);
	char err[512];
	assert_int_equal(model_parse("m.aipm", bytes, len, &b, err, sizeof err), 0);
	assert_int_equal(vocab_size(b.vocab), vocab_size(a.vocab));
	for (size_t i = 0; i < vocab_size(a.vocab); i++) {
		assert_string_equal(vocab_term(b.vocab, i), vocab_term(a.vocab, i));
		assert_near(b.idf[i], a.idf[i], 0);
		assert_near(b.lm.weights[i], a.lm.weights[i], 0);
	}
	assert_near(b.lm.bias, a.lm.bias, 0);
	assert_int_equal(b.lm.kind, MODEL_LOGREG);
	assert_int_equal(b.features, FEATURES_TFIDF);
	assert_true(b.tok.stop_words);
	assert_true(b.tok.strip_html);
	assert_int_equal(b.tok.ngram_max, 2);
	assert_string_equal(b.labels[0], "neg");
	assert_string_equal(b.labels[1], "pos");
	assert_near(b.threshold, 0.4, 0);
	assert_string_equal(json_string_value(json_object_get(b.info, "data")), "toy.csv");

	/* The same text gets the same probability from both. */
	struct tokenizer *tok_b = tokenizer_new(&b.tok, err, sizeof err);
	struct lab_verdict va, vb;
	lab_explain(&a, tok, "a great film, not dull", &va);
	lab_explain(&b, tok_b, "a great film, not dull", &vb);
	assert_near(vb.prob, va.prob, 0);
	assert_int_equal(vb.nitems, va.nitems);
	lab_verdict_free(&va);
	lab_verdict_free(&vb);
	tokenizer_free(tok_b);

	/* Through a file. */
	char *dir = test_tempdir();
	char *path = xasprintf("%s/model.aipm", dir);
	assert_int_equal(model_save(path, &a, false, err, sizeof err), 0);
	text_model_free(&b);
	assert_int_equal(model_load(path, &b, err, sizeof err), 0);
	assert_int_equal(vocab_size(b.vocab), vocab_size(a.vocab));
	text_model_free(&b);
	char *nowhere = xasprintf("%s/missing/model.aipm", dir);
	assert_int_equal(model_save(nowhere, &a, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write"));
	assert_int_equal(model_load(nowhere, &b, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read"));
	free(nowhere);
	free(path);
	test_remove_tree(dir);
	free(dir);

	free(bytes);
	text_model_free(&a);
	tokenizer_free(tok);
}

static uint32_t crc32_ref(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFu;
}

static void reseal(unsigned char *bytes, size_t len)
{
	uint32_t c = crc32_ref(bytes, len - 4);
	for (int i = 0; i < 4; i++)
		bytes[len - 4 + i] = (unsigned char)(c >> (8 * i));
}

static void expect_refused(const unsigned char *bytes, size_t len, const char *why)
{
	struct text_model m;
	char err[512];
	assert_int_equal(model_parse("bad.aipm", bytes, len, &m, err, sizeof err), -1);
	if (!strstr(err, why))
		fail_msg("message \"%s\" does not say \"%s\"", err, why);
	assert_non_null(strstr(err, "bad.aipm"));
}

static void test_refusals(void **state)
{
	(void)state;
	struct text_model a;
	struct tokenizer *tok;
	build(&a, &tok);
	size_t len;
	unsigned char *good = model_serialize(&a, &len);
	unsigned char *b = xmalloc(len);

	expect_refused((const unsigned char *)"", 0, "not an aipm model file");
	expect_refused((const unsigned char *)"review,sentiment\n", 17, "not an aipm model file");
	expect_refused(good, 10, "cut short");

	memcpy(b, good, len);
	b[8] = MODEL_FORMAT_VERSION + 1;
	expect_refused(b, len, "newer aipm");
	b[8] = 0;
	expect_refused(b, len, "unknown model format");

	expect_refused(good, len - 7, "truncated");

	memcpy(b, good, len);
	b[len / 2] ^= 0x40;
	expect_refused(b, len, "checksum");

	/* A payload that passes the checksum but is wrong inside: the first
	 * term renamed so that it sorts after the second. */
	memcpy(b, good, len);
	uint32_t json_len = (uint32_t)b[20] | (uint32_t)b[21] << 8 | (uint32_t)b[22] << 16 |
			    (uint32_t)b[23] << 24;
	unsigned char *first_term = b + 24 + json_len + 4 + 4;
	assert_true(first_term[0] < 'z');
	first_term[0] = 'z';
	reseal(b, len);
	expect_refused(b, len, "not sorted");

	/* Settings that are not JSON. */
	memcpy(b, good, len);
	b[24] = '[';
	reseal(b, len);
	expect_refused(b, len, "settings");

	/* A NaN weight. */
	memcpy(b, good, len);
	memset(b + len - 4 - 8, 0xff, 8);
	reseal(b, len);
	expect_refused(b, len, "bias is damaged");

	free(b);
	free(good);
	text_model_free(&a);
	tokenizer_free(tok);
}

/* tests/unit/data/model-sgd-format1.aipm was saved by the aipm before
 * L-BFGS (main at f4a010b): `aipm train content/datasets/reviews.csv
 * --balanced 100 --epochs 3 --ngrams 1 --min-df 3 --save ...`. */
static void test_model_saved_before_lbfgs(void **state)
{
	(void)state;
	char *path = xasprintf("%s/model-sgd-format1.aipm", getenv("AIPM_TEST_DATA"));
	struct text_model m;
	char err[512];
	assert_int_equal(model_load(path, &m, err, sizeof err), 0);
	assert_int_equal(m.lm.kind, MODEL_LOGREG);
	assert_string_equal(m.labels[1], "positive");
	struct lab_model_record rec;
	lab_model_record(&m, &rec);
	assert_true(rec.before_lbfgs);
	assert_true(rec.has_metrics && rec.test_rows == 40);
	/* It still predicts, with the probabilities it was saved with
	 * (squeezed toward 0.5: its SGD stopped far from convergence). */
	struct tokenizer *t = tokenizer_new(&m.tok, err, sizeof err);
	struct lab_verdict v;
	lab_explain(&m, t, "Dreadful. Two hours I will never get back.", &v);
	assert_near(v.prob, 0.485, 0.001);
	assert_int_equal(v.label, 0);
	lab_verdict_free(&v);
	tokenizer_free(t);
	text_model_free(&m);

	/* A model saved now is not flagged. */
	struct text_model a;
	struct tokenizer *tok;
	build(&a, &tok);
	lab_model_record(&a, &rec);
	assert_false(rec.before_lbfgs);
	text_model_free(&a);
	tokenizer_free(tok);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_model_saved_before_lbfgs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
