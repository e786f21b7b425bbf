/* Two-class linear models over sparse features: the log-odds of the
 * positive class is bias + sum(weight_j * x_j), whether logistic
 * regression or naive Bayes learned the weights (train.h). Because they
 * are linear, every prediction splits into per-term contributions (weight
 * * value): the "why" of a spot check. */
#ifndef AIPM_LINEAR_H
#define AIPM_LINEAR_H

#include "text_features.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum model_kind { MODEL_LOGREG, MODEL_NB };
int linear_kind_parse(const char *s, enum model_kind *out); /* "logreg" / "nb" */
const char *linear_kind_name(enum model_kind k);

struct linear_model {
	enum model_kind kind;
	size_t dim;
	double *weights; /* dim values */
	double bias;
};
void linear_model_init(struct linear_model *m, enum model_kind kind, size_t dim);
void linear_model_free(struct linear_model *m);

/* Log-odds and probability of the positive class for row r of X. */
double linear_score(const struct linear_model *m, const struct csr *X, size_t r);
double linear_prob(const struct linear_model *m, const struct csr *X, size_t r);
/* Probabilities for every row into probs (X->rows values). */
void linear_predict(const struct linear_model *m, const struct csr *X, double *probs);
/* Mean log loss (cross-entropy) of the rows of X with labels y (0/1). */
double linear_log_loss(const struct linear_model *m, const struct csr *X, const int *y);

/* The logistic function, the log loss of a score and a row's dot
 * product: inline, since training calls them for every row of every
 * pass. */
static inline double linear_sigmoid(double z)
{
	if (z >= 0)
		return 1.0 / (1.0 + exp(-z));
	double e = exp(z);
	return e / (1.0 + e);
}

/* -log P(y | z) without overflow: log(1 + e^-z) for y = 1, log(1 + e^z)
 * for y = 0. */
static inline double linear_logistic_loss(double z, int y)
{
	double m = y ? -z : z;
	return m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
}

/* Four partial sums: a row's terms are summed in four chains at once
 * (one chain waits on every addition), which the training's passes over
 * the matrix feel most. */
static inline double linear_row_dot(const double *restrict w, const struct csr *X, size_t r)
{
	const uint32_t *restrict idx = X->indices;
	const float *restrict val = X->values;
	size_t k = X->indptr[r], end = X->indptr[r + 1];
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	for (; k + 4 <= end; k += 4) {
		s0 += w[idx[k]] * val[k];
		s1 += w[idx[k + 1]] * val[k + 1];
		s2 += w[idx[k + 2]] * val[k + 2];
		s3 += w[idx[k + 3]] * val[k + 3];
	}
	for (; k < end; k++)
		s0 += w[idx[k]] * val[k];
	return (s0 + s1) + (s2 + s3);
}

/* How much each term of row r pushed the score: weight * value, largest
 * push (either way) first. */
struct contribution {
	uint32_t term;
	double value, weight, contribution;
};
size_t linear_contributions(const struct linear_model *m, const struct csr *X, size_t r,
			    struct contribution **out);
/* The k terms that push hardest toward class cls (1: largest weights, 0:
 * most negative), into out; returns how many. */
size_t linear_top_terms(const struct linear_model *m, int cls, size_t k, uint32_t *out);

#endif
