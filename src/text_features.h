/* Documents as sparse vectors (CSR), the way scikit-learn builds them:
 * raw term counts (CountVectorizer), or TF-IDF exactly as TfidfVectorizer's
 * defaults do it: tf = raw count, idf = ln((1 + n) / (1 + df)) + 1 (smooth
 * idf, n training documents), each row scaled to unit length (l2 norm), no
 * sublinear tf. */
#ifndef AIPM_TEXT_FEATURES_H
#define AIPM_TEXT_FEATURES_H

#include "tokenize.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum feature_kind { FEATURES_TFIDF, FEATURES_COUNT };

/* "tfidf" / "count" and back; -1 for an unknown name. */
int feature_kind_parse(const char *s, enum feature_kind *out);
const char *feature_kind_name(enum feature_kind k);

/* Compressed sparse rows: row r has values[indptr[r] .. indptr[r + 1]) at
 * columns indices[...], each column once, in the order the terms first
 * appear in the document. */
struct csr {
	size_t rows, cols;
	size_t *indptr;
	uint32_t *indices;
	float *values;
};

/* The smooth idf of every vocabulary term (malloc'd, vocab_size values). */
double *features_idf(const struct vocab *v);
/* The whole range of idf over a vocabulary, as the features cell states
 * it: the lowest (the term in the most documents) and the highest (every
 * term in the fewest documents: how many share it), each with an example
 * term: a word rather than a number or a pair when there is one. */
struct idf_range {
	size_t lowest, highest; /* term ids */
	size_t at_highest;	/* terms with the highest idf */
};
/* false for an empty vocabulary. */
bool features_idf_range(const struct vocab *v, const double *idf, struct idf_range *out);
/* One row per document; idf is used (and rows l2-normalized) for
 * FEATURES_TFIDF only. */
void features_build(const struct doc_terms *docs, size_t ncols, enum feature_kind kind,
		    const double *idf, struct csr *out);
void csr_free(struct csr *m);
size_t csr_nnz(const struct csr *m);

#endif
