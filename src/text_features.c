#include "text_features.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int feature_kind_parse(const char *s, enum feature_kind *out)
{
	if (!strcmp(s, "tfidf"))
		*out = FEATURES_TFIDF;
	else if (!strcmp(s, "count") || !strcmp(s, "counts"))
		*out = FEATURES_COUNT;
	else
		return -1;
	return 0;
}

const char *feature_kind_name(enum feature_kind k)
{
	return k == FEATURES_TFIDF ? "tfidf" : "count";
}

double *features_idf(const struct vocab *v)
{
	size_t n = vocab_size(v);
	double docs = (double)vocab_docs(v);
	double *idf = xmalloc((n + 1) * sizeof *idf);
	for (size_t i = 0; i < n; i++)
		idf[i] = log((1.0 + docs) / (1.0 + (double)vocab_df(v, i))) + 1.0;
	return idf;
}

/* a is a better example than b among terms of the same idf: a word
 * before a number, a single word before a pair, then the alphabetical
 * first (the lower id). */
static bool better_example(const struct vocab *v, size_t a, size_t b)
{
	const char *x = vocab_term(v, a), *y = vocab_term(v, b);
	bool da = *x >= '0' && *x <= '9', db = *y >= '0' && *y <= '9';
	if (da != db)
		return !da;
	bool pa = strchr(x, ' ') != NULL, pb = strchr(y, ' ') != NULL;
	return pa != pb ? !pa : a < b;
}

bool features_idf_range(const struct vocab *v, const double *idf, struct idf_range *out)
{
	size_t n = vocab_size(v);
	memset(out, 0, sizeof *out);
	if (!n)
		return false;
	for (size_t i = 1; i < n; i++) {
		if (idf[i] < idf[out->lowest] ||
		    (idf[i] == idf[out->lowest] && better_example(v, i, out->lowest)))
			out->lowest = i;
		if (idf[i] > idf[out->highest] ||
		    (idf[i] == idf[out->highest] && better_example(v, i, out->highest)))
			out->highest = i;
	}
	for (size_t i = 0; i < n; i++)
		out->at_highest += idf[i] == idf[out->highest];
	return true;
}

void features_build(const struct doc_terms *docs, size_t ncols, enum feature_kind kind,
		    const double *idf, struct csr *out)
{
	size_t n = docs->ndocs, total = docs->offsets[n];
	out->rows = n;
	out->cols = ncols;
	out->indptr = xmalloc((n + 1) * sizeof *out->indptr);
	/* Every term occurrence gives at most one entry. */
	out->indices = xmalloc((total + 1) * sizeof *out->indices);
	out->values = xmalloc((total + 1) * sizeof *out->values);
	/* Where term j sits in the row being built, valid when seen[j] is the
	 * row's number + 1: counting without sorting each row. */
	size_t *seen = xcalloc(ncols + 1, sizeof *seen);
	size_t *slot = xmalloc((ncols + 1) * sizeof *slot);
	double *row = NULL;
	size_t rowcap = 0, k = 0;
	for (size_t d = 0; d < n; d++) {
		out->indptr[d] = k;
		size_t start = k;
		grow_array((void **)&row, &rowcap, docs->offsets[d + 1] - docs->offsets[d] + 1,
			   sizeof *row);
		for (size_t i = docs->offsets[d]; i < docs->offsets[d + 1]; i++) {
			uint32_t j = docs->ids[i];
			if (seen[j] != d + 1) {
				seen[j] = d + 1;
				slot[j] = k - start;
				out->indices[k++] = j;
				row[slot[j]] = 0;
			}
			row[slot[j]] += 1;
		}
		double norm = 0;
		if (kind == FEATURES_TFIDF)
			for (size_t i = start; i < k; i++) {
				row[i - start] *= idf[out->indices[i]];
				norm += row[i - start] * row[i - start];
			}
		double scale = kind == FEATURES_TFIDF && norm > 0 ? 1.0 / sqrt(norm) : 1.0;
		for (size_t i = start; i < k; i++)
			out->values[i] = (float)(row[i - start] * scale);
	}
	out->indptr[n] = k;
	free(seen);
	free(slot);
	free(row);
}

void csr_free(struct csr *m)
{
	free(m->indptr);
	free(m->indices);
	free(m->values);
	memset(m, 0, sizeof *m);
}

size_t csr_nnz(const struct csr *m)
{
	return m->rows ? m->indptr[m->rows] : 0;
}
