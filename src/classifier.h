/* Two-class classifiers over sparse features, both linear in the end:
 * the log-odds of the positive class is bias + sum(weight_j * x_j).
 *
 * - Logistic regression trained by mini-batch stochastic gradient descent
 *   (learning rate, batch size, epochs, L2 penalty), reporting train and
 *   validation loss and accuracy after every epoch through a callback that
 *   can also stop the run (the TUI draws the loss live and lets the learner
 *   cancel).
 * - Multinomial naive Bayes with additive smoothing alpha, as scikit-learn's
 *   MultinomialNB (alpha = 1, fitted class priors): for two classes its
 *   posterior is a logistic function of the same linear form, with weight_j
 *   = log P(j | positive) - log P(j | negative).
 *
 * Because both are linear, every prediction splits into per-term
 * contributions (weight * value): the "why" of a spot check. */
#ifndef AIPM_CLASSIFIER_H
#define AIPM_CLASSIFIER_H

#include "text_features.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum model_kind { MODEL_LOGREG, MODEL_NB };
int model_kind_parse(const char *s, enum model_kind *out); /* "logreg" / "nb" */
const char *model_kind_name(enum model_kind k);

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

struct train_options {
	enum model_kind kind;
	double learning_rate;
	size_t batch_size;
	int epochs;
	double l2;	  /* penalty (l2 / 2) * |w|^2 added to the mean loss */
	uint64_t seed;	  /* order of the examples in each epoch */
	double nb_alpha;  /* naive Bayes smoothing */
};
void train_options_default(struct train_options *o);
/* NULL when the options can be used, else why not. */
const char *train_options_check(const struct train_options *o);

/* Training loss and accuracy are the running means over the epoch, each
 * example scored just before its batch's step (what a training loop
 * prints, and free to compute); validation scores are measured after the
 * epoch. Naive Bayes has one "epoch", measured after fitting. */
struct epoch_stats {
	int epoch, epochs; /* 1-based; of how many */
	double train_loss, train_accuracy;
	bool has_val;
	double val_loss, val_accuracy;
	double seconds; /* since training started */
};
/* Called after every epoch; returning false stops training there. */
typedef bool (*train_callback)(const struct epoch_stats *s, void *data);

struct train_result {
	struct epoch_stats *epochs;
	size_t nepochs, epochs_cap;
	bool cancelled;
	double seconds;
};
void train_result_free(struct train_result *r);

/* Trains on X/y (labels 0/1), reporting on Xval/yval when given (NULL
 * otherwise). Returns 0, or -1 with a reason (bad options, one class). */
int classifier_train(const struct train_options *o, const struct csr *X, const int *y,
		     const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
		     struct linear_model *out, struct train_result *result, char *err,
		     size_t errlen);

/* The training objective on rows[0..n) of X: mean log loss plus
 * (l2 / 2) * |w|^2 (the bias is not penalized). */
double logreg_objective(const struct linear_model *m, const struct csr *X, const int *y,
			const size_t *rows, size_t n, double l2);
/* One mini-batch gradient step on rows[0..n), the step training takes:
 * w -= lr * gradient of logreg_objective over those rows. */
void logreg_sgd_step(struct linear_model *m, const struct csr *X, const int *y,
		     const size_t *rows, size_t n, double lr, double l2);

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
