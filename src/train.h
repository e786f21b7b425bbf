/* Training the two-class linear models of linear.h.
 *
 * - Logistic regression with scikit-learn's LogisticRegression defaults:
 *   L2 with C = 1 and an unpenalized intercept, the objective
 *   sum_i logloss_i + |w|^2 / (2C) (as scikit-learn 1.2's lbfgs solver
 *   writes it), minimized by L-BFGS (libLBFGS: 10 corrections, a Moré-
 *   Thuente line search, as SciPy's L-BFGS-B uses) until the largest
 *   gradient component is at most tol = 1e-4, the objective stops falling
 *   (a relative fall of at most 2.2e-9, SciPy's default ftol) or max_iter =
 *   100 iterations are done, which is reported as scikit-learn's
 *   ConvergenceWarning is.
 * - The same model by mini-batch stochastic gradient descent (learning
 *   rate, batch size, epochs), for teaching epochs and batches: it
 *   minimizes the same objective divided by the number of rows, and stops
 *   early when the validation loss has not fallen for `patience` epochs,
 *   keeping the weights of the best epoch.
 * - Multinomial naive Bayes with additive smoothing alpha, as scikit-learn's
 *   MultinomialNB (alpha = 1, fitted class priors): for two classes its
 *   posterior is a logistic function of the same linear form, with weight_j
 *   = log P(j | positive) - log P(j | negative).
 *
 * Every iteration (L-BFGS) or epoch (SGD) is reported through a callback
 * with the training and validation loss and accuracy; the callback can also
 * stop the run (the TUI draws the curves live and lets the learner cancel).
 */
#ifndef AIPM_TRAIN_H
#define AIPM_TRAIN_H

#include "linear.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum solver_kind { SOLVER_LBFGS, SOLVER_SGD };
int train_solver_parse(const char *s, enum solver_kind *out); /* "lbfgs" / "sgd" */
const char *train_solver_name(enum solver_kind k);

struct train_options {
	enum model_kind kind;
	enum solver_kind solver;
	double C;	 /* inverse L2 strength, as scikit-learn's C */
	int max_iter;	 /* L-BFGS iterations at most */
	double tol;	 /* L-BFGS: stop when every gradient component is this small */
	double learning_rate; /* SGD: the first step's size (falls linearly to 0) */
	size_t batch_size;    /* SGD */
	int epochs;	      /* SGD: passes over the training rows at most */
	int patience;	      /* SGD: epochs without a better validation loss; 0: off */
	uint64_t seed;	      /* SGD: order of the examples in each epoch */
	double nb_alpha;      /* naive Bayes smoothing */
};
/* Logistic regression by L-BFGS, C 1, tol 1e-4, 100 iterations (SGD:
 * learning rate 2, batch 16, 10 epochs, patience 3), seed 42, alpha 1. */
void train_options_default(struct train_options *o);
/* NULL when the options can be used, else why not. */
const char *train_options_check(const struct train_options *o);

/* One iteration of L-BFGS, one epoch of SGD, or naive Bayes's one pass.
 * Losses are mean log losses (the penalty left out), accuracies at 0.5
 * (positive above it, as scikit-learn's predict).
 * L-BFGS measures the training set at the iteration's weights; SGD reports
 * the running means over the epoch, each example scored just before its
 * batch's step (what a training loop prints, and free to compute). The
 * validation set is measured after the step. */
struct train_step {
	int step, max_steps; /* 1-based; of how many at most */
	double train_loss, train_accuracy;
	bool has_val;
	double val_loss, val_accuracy;
	double objective; /* L-BFGS: the objective minimized */
	double grad_max;  /* L-BFGS: its largest gradient component */
	double seconds;	  /* since training started */
};
/* Called after every step; returning false stops training there. */
typedef bool (*train_callback)(const struct train_step *s, void *data);

/* Why training ended. */
enum train_stop {
	TRAIN_CONVERGED,      /* L-BFGS: gradient at most tol */
	TRAIN_FLAT,	      /* L-BFGS: the objective stopped falling (SciPy's ftol) */
	TRAIN_MAX_ITER,	      /* L-BFGS: max_iter reached before converging */
	TRAIN_LINE_SEARCH,    /* L-BFGS: no step lowers the objective any more */
	TRAIN_EPOCHS_DONE,    /* SGD: every epoch ran */
	TRAIN_EARLY_STOPPED,  /* SGD: the validation loss stopped falling */
	TRAIN_CANCELLED,      /* the callback stopped it */
	TRAIN_FITTED,	      /* naive Bayes: counted in one pass */
};
/* "converged (largest gradient 8.1e-05 <= 0.0001)"-style words. */
const char *train_stop_name(enum train_stop s);
/* Whether the model reached what its solver aims for (not cancelled, not
 * cut off by max_iter or a failing line search). */
bool train_stop_is_converged(enum train_stop s);

struct train_result {
	struct train_step *steps;
	size_t nsteps, steps_cap;
	enum train_stop stop;
	/* The step whose weights the model holds (1-based): the last, or the
	 * best validation loss after early stopping. */
	int kept_step;
	double seconds;
};
void train_result_free(struct train_result *r);

/* Trains on X/y (labels 0/1), reporting on Xval/yval when given (NULL
 * otherwise). Returns 0, or -1 with a reason (bad options, one class). */
int train_classifier(const struct train_options *o, const struct csr *X, const int *y,
		     const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
		     struct linear_model *out, struct train_result *result, char *err,
		     size_t errlen);

/* The L-BFGS objective on rows[0..n) of X: the sum of their log losses
 * plus |w|^2 / (2C) (the bias is not penalized), and its gradient (dim + 1
 * values, the bias last) when grad is not NULL. */
double train_logreg_objective(const struct linear_model *m, const struct csr *X, const int *y,
			const size_t *rows, size_t n, double C, double *grad);
/* One mini-batch gradient step on rows[0..n), the step SGD takes:
 * w -= lr * gradient of (mean log loss of the rows + l2 / 2 * |w|^2). */
void train_sgd_step(struct linear_model *m, const struct csr *X, const int *y,
		     const size_t *rows, size_t n, double lr, double l2);

#endif
