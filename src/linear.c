#include "linear.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int linear_kind_parse(const char *s, enum model_kind *out)
{
	if (!strcmp(s, "logreg"))
		*out = MODEL_LOGREG;
	else if (!strcmp(s, "nb"))
		*out = MODEL_NB;
	else
		return -1;
	return 0;
}

const char *linear_kind_name(enum model_kind k)
{
	return k == MODEL_LOGREG ? "logreg" : "nb";
}

void linear_model_init(struct linear_model *m, enum model_kind kind, size_t dim)
{
	m->kind = kind;
	m->dim = dim;
	m->weights = xcalloc(dim + 1, sizeof *m->weights);
	m->bias = 0;
}

void linear_model_free(struct linear_model *m)
{
	free(m->weights);
	memset(m, 0, sizeof *m);
}

double linear_score(const struct linear_model *m, const struct csr *X, size_t r)
{
	return m->bias + linear_row_dot(m->weights, X, r);
}

double linear_prob(const struct linear_model *m, const struct csr *X, size_t r)
{
	return linear_sigmoid(linear_score(m, X, r));
}

void linear_predict(const struct linear_model *m, const struct csr *X, double *probs)
{
	for (size_t r = 0; r < X->rows; r++)
		probs[r] = linear_prob(m, X, r);
}

double linear_log_loss(const struct linear_model *m, const struct csr *X, const int *y)
{
	if (!X->rows)
		return 0;
	double total = 0;
	for (size_t r = 0; r < X->rows; r++)
		total += linear_logistic_loss(linear_score(m, X, r), y[r]);
	return total / (double)X->rows;
}

static int cmp_contribution(const void *a, const void *b)
{
	double x = fabs(((const struct contribution *)a)->contribution);
	double y = fabs(((const struct contribution *)b)->contribution);
	if (x != y)
		return x > y ? -1 : 1;
	uint32_t s = ((const struct contribution *)a)->term,
		 t = ((const struct contribution *)b)->term;
	return (s > t) - (s < t);
}

size_t linear_contributions(const struct linear_model *m, const struct csr *X, size_t r,
			    struct contribution **out)
{
	size_t n = 0;
	struct contribution *items = xmalloc((X->indptr[r + 1] - X->indptr[r] + 1) * sizeof *items);
	for (size_t k = X->indptr[r]; k < X->indptr[r + 1]; k++) {
		uint32_t j = X->indices[k];
		if (j >= m->dim)
			continue;
		items[n++] = (struct contribution){j, X->values[k], m->weights[j],
						   m->weights[j] * X->values[k]};
	}
	qsort(items, n, sizeof *items, cmp_contribution);
	*out = items;
	return n;
}

/* Term ids by weight, largest first (ties by id). */
static int cmp_weight_desc(const void *a, const void *b, void *weights)
{
	const double *w = weights;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	if (w[i] != w[j])
		return w[i] > w[j] ? -1 : 1;
	return (i > j) - (i < j);
}

static int cmp_weight_asc(const void *a, const void *b, void *weights)
{
	const double *w = weights;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	if (w[i] != w[j])
		return w[i] < w[j] ? -1 : 1;
	return (i > j) - (i < j);
}

size_t linear_top_terms(const struct linear_model *m, int cls, size_t k, uint32_t *out)
{
	uint32_t *ids = xmalloc((m->dim + 1) * sizeof *ids);
	for (size_t j = 0; j < m->dim; j++)
		ids[j] = (uint32_t)j;
	qsort_r(ids, m->dim, sizeof *ids, cls ? cmp_weight_desc : cmp_weight_asc, m->weights);
	size_t n = k < m->dim ? k : m->dim;
	memcpy(out, ids, n * sizeof *out);
	free(ids);
	return n;
}
