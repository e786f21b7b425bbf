/* libFuzzer target for the lab's text loader and tokenizer: any bytes, as
 * CSV or TSV, with or without named columns and training labels, must load
 * or be refused with "name:line: message", never crash; whatever loads is
 * split, subset, tokenized and turned into TF-IDF rows of unit length.
 *
 *   tests/fuzz/run.sh 60 textdata     (builds it with meson -Dfuzz=true, runs it for 60 s) */
#include "text_features.h"
#include "textdata.h"
#include "tokenize.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_loaded(const struct text_dataset *d)
{
	if (!d->count || !d->label_names[0] || !d->label_names[1])
		abort();
	for (size_t i = 0; i < d->count; i++)
		if ((d->rows[i].label != 0 && d->rows[i].label != 1) || d->rows[i].line < 1)
			abort();
	size_t bins[8], width;
	textdata_length_histogram(d, NULL, 0, bins, 8, &width);
	size_t total = 0;
	for (int i = 0; i < 8; i++)
		total += bins[i];
	if (total != d->count || width < 1)
		abort();
}

static void tokenize_all(const struct text_dataset *d, bool html, bool stop)
{
	struct token_options o;
	token_options_default(&o);
	o.strip_html = html;
	o.stop_words = stop;
	char err[256];
	struct tokenizer *t = tokenizer_new(&o, err, sizeof err);
	if (!t)
		abort();
	const char **texts = xmalloc((d->count + 1) * sizeof *texts);
	for (size_t i = 0; i < d->count; i++)
		texts[i] = d->rows[i].text;
	struct doc_terms docs;
	struct vocab *v = vocab_fit(t, texts, d->count, &docs);
	double *idf = features_idf(v);
	struct csr X;
	features_build(&docs, vocab_size(v), FEATURES_TFIDF, idf, &X);
	for (size_t r = 0; r < X.rows; r++) {
		double norm = 0;
		for (size_t k = X.indptr[r]; k < X.indptr[r + 1]; k++) {
			if (X.indices[k] >= X.cols)
				abort();
			norm += (double)X.values[k] * X.values[k];
		}
		if (X.indptr[r + 1] > X.indptr[r] && fabs(norm - 1) > 1e-3)
			abort();
	}
	/* Every term is found again by its own text. */
	for (size_t i = 0; i < vocab_size(v); i++)
		if (vocab_find(v, vocab_term(v, i)) != (long)i)
			abort();
	csr_free(&X);
	free(idf);
	doc_terms_free(&docs);
	vocab_free(v);
	free(texts);
	tokenizer_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	/* The first byte picks the options, the rest is the file. */
	uint8_t mode = data[0];
	const char *names[2] = {"negative", "positive"};
	struct textdata_options opt = {0};
	if (mode & 1)
		opt.text_col = mode & 2 ? "review" : "1";
	if (mode & 4)
		opt.label_col = mode & 8 ? "sentiment" : "2";
	if (mode & 16)
		opt.labels = names;
	const char *name = mode & 32 ? "fuzz.tsv" : "fuzz.csv";
	struct text_dataset d;
	char err[512];
	if (textdata_parse(name, (const char *)data + 1, size - 1, &opt, &d, err, sizeof err) !=
	    0) {
		if (strncmp(err, name, strlen(name)) != 0)
			abort();
		return 0;
	}
	check_loaded(&d);
	size_t *rows;
	bool short_class[2];
	size_t n = textdata_balanced(&d, mode & 64 ? 2 : 0, mode, &rows, short_class);
	struct text_split s;
	if (textdata_split(&d, rows, n, 0.2, 0.1, mode, false, &s, err, sizeof err) == 0) {
		if (s.ntrain + s.nval + s.ntest != n)
			abort();
		text_split_free(&s);
	}
	free(rows);
	tokenize_all(&d, mode & 128, mode & 2);
	textdata_free(&d);
	return 0;
}
