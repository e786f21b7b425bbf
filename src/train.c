#include "train.h"

#include "clock.h"
#include "rng.h"
#include "util.h"

#include <lbfgs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this the lazily applied weight decay is folded into the weights,
 * long before doubles lose precision. */
#define SCALE_FLOOR 1e-9

int train_solver_parse(const char *s, enum solver_kind *out)
{
	if (!strcmp(s, "lbfgs"))
		*out = SOLVER_LBFGS;
	else if (!strcmp(s, "sgd"))
		*out = SOLVER_SGD;
	else
		return -1;
	return 0;
}

const char *train_solver_name(enum solver_kind k)
{
	return k == SOLVER_LBFGS ? "lbfgs" : "sgd";
}

void train_options_default(struct train_options *o)
{
	*o = (struct train_options){
		.kind = MODEL_LOGREG,
		.solver = SOLVER_LBFGS,
		.C = 1.0,
		.max_iter = 100,
		.tol = 1e-4,
		.learning_rate = 2.0,
		.batch_size = 16,
		.epochs = 10,
		.patience = 3,
		.seed = 42,
		.nb_alpha = 1.0,
	};
}

const char *train_options_check(const struct train_options *o)
{
	if (o->kind == MODEL_NB)
		return o->nb_alpha > 0 && isfinite(o->nb_alpha)
			       ? NULL
			       : "the smoothing alpha must be above 0";
	if (!(o->C > 0) || !isfinite(o->C))
		return "the regularization C must be above 0";
	if (o->solver == SOLVER_LBFGS) {
		if (o->max_iter < 1 || o->max_iter > 100000)
			return "the number of iterations must be between 1 and 100000";
		if (!(o->tol > 0) || !isfinite(o->tol))
			return "the tolerance must be above 0";
		return NULL;
	}
	if (!(o->learning_rate > 0) || !isfinite(o->learning_rate))
		return "the learning rate must be above 0";
	if (o->batch_size < 1)
		return "the batch size must be at least 1";
	if (o->epochs < 1 || o->epochs > 10000)
		return "the number of epochs must be between 1 and 10000";
	if (o->patience < 0 || o->patience > 10000)
		return "the patience must be between 0 (no early stopping) and 10000 epochs";
	return NULL;
}

const char *train_stop_name(enum train_stop s)
{
	switch (s) {
	case TRAIN_CONVERGED:
		return "converged";
	case TRAIN_FLAT:
		return "converged (the objective stopped falling)";
	case TRAIN_MAX_ITER:
		return "not converged: the iteration limit was reached";
	case TRAIN_LINE_SEARCH:
		return "stopped: no step lowers the objective any more";
	case TRAIN_EPOCHS_DONE:
		return "every epoch ran";
	case TRAIN_EARLY_STOPPED:
		return "stopped early: the validation loss stopped falling";
	case TRAIN_CANCELLED:
		return "stopped by the learner";
	case TRAIN_FITTED:
		break;
	}
	return "fitted in one pass";
}

bool train_stop_is_converged(enum train_stop s)
{
	return s != TRAIN_MAX_ITER && s != TRAIN_LINE_SEARCH && s != TRAIN_CANCELLED;
}

void train_result_free(struct train_result *r)
{
	free(r->steps);
	memset(r, 0, sizeof *r);
}

static double accuracy(const struct linear_model *m, const struct csr *X, const int *y)
{
	if (!X->rows)
		return 0;
	size_t right = 0;
	for (size_t r = 0; r < X->rows; r++)
		right += (linear_prob(m, X, r) > 0.5) == (y[r] == 1);
	return (double)right / (double)X->rows;
}

/* Measures the validation set at m, records the step and returns the
 * callback's verdict. */
static bool report_step(struct train_result *res, struct train_step s, const struct linear_model *m,
			const struct csr *Xval, const int *yval, double started, train_callback cb,
			void *cb_data)
{
	s.has_val = Xval && Xval->rows;
	if (s.has_val) {
		s.val_loss = linear_log_loss(m, Xval, yval);
		s.val_accuracy = accuracy(m, Xval, yval);
	}
	s.seconds = clock_monotonic() - started;
	ARRAY_PUSH(res->steps, res->nsteps, res->steps_cap, s);
	return cb ? cb(&s, cb_data) : true;
}

/* ---- L-BFGS ---- */

/* SciPy's L-BFGS-B defaults, which scikit-learn's lbfgs solver uses:
 * corrections kept, line-search evaluations per iteration, and the
 * relative fall of the objective below which it stops. */
#define LBFGS_CORRECTIONS 10
#define LBFGS_MAX_LINESEARCH 20
#define LBFGS_FTOL 2.220446049250313e-09
/* The line search's sufficient-decrease constant (SciPy's ftol of
 * dcsrch). */
#define LBFGS_ARMIJO 1e-3

struct lbfgs_run {
	const struct train_options *o;
	const struct csr *X, *Xval;
	const int *y, *yval;
	size_t dim;
	double *z; /* the training rows' scores at the last evaluation */
	double previous_f;
	bool has_previous;
	enum train_stop stop;
	struct train_result *res;
	train_callback cb;
	void *cb_data;
	double started;
};

/* The objective and its gradient at x (weights, then the bias). */
static lbfgsfloatval_t lbfgs_evaluate(void *instance, const lbfgsfloatval_t *x,
				      lbfgsfloatval_t *g, const int n, const lbfgsfloatval_t step)
{
	(void)step;
	struct lbfgs_run *L = instance;
	const struct csr *X = L->X;
	size_t dim = L->dim;
	memset(g, 0, (size_t)n * sizeof *g);
	double f = 0, bias_grad = 0;
	const uint32_t *restrict idx = X->indices;
	const float *restrict val = X->values;
	for (size_t r = 0; r < X->rows; r++) {
		double z = x[dim] + linear_row_dot(x, X, r);
		L->z[r] = z;
		/* One exponential gives both the loss and the probability. */
		double e = exp(-fabs(z)), m = L->y[r] ? -z : z;
		f += (m > 0 ? m : 0) + log1p(e);
		double p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
		double d = p - (double)L->y[r];
		bias_grad += d;
		for (size_t k = X->indptr[r]; k < X->indptr[r + 1]; k++)
			g[idx[k]] += d * val[k];
	}
	double inv_c = 1.0 / L->o->C, norm = 0;
	for (size_t j = 0; j < dim; j++) {
		norm += x[j] * x[j];
		g[j] += inv_c * x[j];
	}
	g[dim] = bias_grad;
	f += 0.5 * inv_c * norm;
	if (!L->has_previous) {
		L->previous_f = f;
		L->has_previous = true;
	}
	return f;
}

/* After every iteration: the live figures, then SciPy's two stopping
 * tests (the largest gradient component, the relative fall of the
 * objective). Non-zero stops libLBFGS. */
static int lbfgs_progress(void *instance, const lbfgsfloatval_t *x, const lbfgsfloatval_t *g,
			  const lbfgsfloatval_t fx, const lbfgsfloatval_t xnorm,
			  const lbfgsfloatval_t gnorm, const lbfgsfloatval_t step, int n, int k,
			  int ls)
{
	(void)xnorm, (void)gnorm, (void)step, (void)ls;
	struct lbfgs_run *L = instance;
	double grad_max = 0;
	for (int i = 0; i < n; i++)
		if (fabs(g[i]) > grad_max)
			grad_max = fabs(g[i]);
	/* The last evaluation was at x: its scores give the training figures. */
	const struct csr *X = L->X;
	double loss = 0;
	size_t right = 0;
	for (size_t r = 0; r < X->rows; r++) {
		loss += linear_logistic_loss(L->z[r], L->y[r]);
		right += (L->z[r] > 0) == (L->y[r] == 1);
	}
	double rows = X->rows ? (double)X->rows : 1;
	struct train_step s = {
		.step = k,
		.max_steps = L->o->max_iter,
		.train_loss = loss / rows,
		.train_accuracy = (double)right / rows,
		.objective = fx,
		.grad_max = grad_max,
	};
	struct linear_model view = {MODEL_LOGREG, L->dim, (double *)x, x[L->dim]};
	if (!report_step(L->res, s, &view, L->Xval, L->yval, L->started, L->cb, L->cb_data)) {
		L->stop = TRAIN_CANCELLED;
		return 1;
	}
	if (grad_max <= L->o->tol) {
		L->stop = TRAIN_CONVERGED;
		return 1;
	}
	double scale = fmax(fmax(fabs(L->previous_f), fabs(fx)), 1.0);
	if (L->previous_f - fx <= LBFGS_FTOL * scale) {
		L->stop = TRAIN_FLAT;
		return 1;
	}
	L->previous_f = fx;
	return 0;
}

static int train_lbfgs(const struct train_options *o, const struct csr *X, const int *y,
		       const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
		       struct linear_model *m, struct train_result *res, double started, char *err,
		       size_t errlen)
{
	size_t dim = m->dim;
	if (dim + 1 > (size_t)INT32_MAX)
		return format_error(err, errlen,
				    "the vocabulary is too large for L-BFGS (%zu terms)", dim);
	lbfgsfloatval_t *x = lbfgs_malloc((int)dim + 1);
	if (!x)
		return format_error(err, errlen, "out of memory for %zu weights", dim + 1);
	memset(x, 0, (dim + 1) * sizeof *x);
	struct lbfgs_run L = {
		.o = o, .X = X, .Xval = Xval, .y = y, .yval = yval, .dim = dim,
		.z = xmalloc((X->rows + 1) * sizeof *L.z), .stop = TRAIN_MAX_ITER, .res = res,
		.cb = cb, .cb_data = cb_data, .started = started,
	};
	lbfgs_parameter_t param;
	lbfgs_parameter_init(&param);
	param.m = LBFGS_CORRECTIONS;
	param.epsilon = 0; /* the progress callback applies SciPy's tests */
	param.max_iterations = o->max_iter;
	param.max_linesearch = LBFGS_MAX_LINESEARCH;
	param.ftol = LBFGS_ARMIJO;
	lbfgsfloatval_t fx;
	int rc = lbfgs((int)dim + 1, x, &fx, lbfgs_evaluate, lbfgs_progress, &L, &param);
	int status = 0;
	if (rc == LBFGSERR_OUTOFMEMORY) {
		format_error(err, errlen, "out of memory for L-BFGS over %zu weights", dim + 1);
		status = -1;
	} else if (rc == LBFGS_SUCCESS || rc == LBFGS_ALREADY_MINIMIZED) {
		L.stop = TRAIN_CONVERGED;
	} else if (rc < 0 && rc != LBFGSERR_MAXIMUMITERATION) {
		/* x is back at the last iterate that the line search left. */
		L.stop = TRAIN_LINE_SEARCH;
	}
	memcpy(m->weights, x, dim * sizeof *x);
	m->bias = x[dim];
	res->stop = L.stop;
	res->kept_step = (int)res->nsteps;
	lbfgs_free(x);
	free(L.z);
	return status;
}

/* ---- mini-batch SGD ---- */

/* SGD state: the weights are scale * v, so that the L2 decay of every
 * weight (w *= 1 - lr * l2) costs one multiplication per step instead of
 * one per feature. */
struct sgd {
	double *v, scale, bias;
	size_t dim;
	double *batch_grad; /* p - y of each row of the batch */
	/* Loss and right answers of the rows seen this epoch, each measured
	 * just before its batch's step (as training loops report it). */
	double epoch_loss;
	size_t epoch_right, epoch_seen;
};

static void sgd_fold(struct sgd *s)
{
	for (size_t j = 0; j < s->dim; j++)
		s->v[j] *= s->scale;
	s->scale = 1;
}

static void sgd_step(struct sgd *s, const struct csr *X, const int *y, const size_t *rows,
		     size_t n, double lr, double l2)
{
	if (!n)
		return;
	/* The gradient is taken at the weights before the step, for the whole
	 * batch. */
	double mean_bias_grad = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = rows[i];
		double z = s->bias + s->scale * linear_row_dot(s->v, X, r);
		double p = linear_sigmoid(z);
		s->batch_grad[i] = p - (double)y[r];
		mean_bias_grad += s->batch_grad[i];
		s->epoch_loss += linear_logistic_loss(z, y[r]);
		s->epoch_right += (p > 0.5) == (y[r] == 1);
	}
	mean_bias_grad /= (double)n;
	s->epoch_seen += n;
	s->scale *= 1.0 - lr * l2;
	if (s->scale < SCALE_FLOOR)
		sgd_fold(s);
	double step = lr / ((double)n * s->scale);
	for (size_t i = 0; i < n; i++) {
		size_t r = rows[i];
		double g = s->batch_grad[i] * step;
		for (size_t k = X->indptr[r]; k < X->indptr[r + 1]; k++)
			s->v[X->indices[k]] -= g * X->values[k];
	}
	s->bias -= lr * mean_bias_grad;
}

double train_logreg_objective(const struct linear_model *m, const struct csr *X, const int *y,
			const size_t *rows, size_t n, double C, double *grad)
{
	double f = 0, norm = 0;
	if (grad)
		memset(grad, 0, (m->dim + 1) * sizeof *grad);
	for (size_t i = 0; i < n; i++) {
		size_t r = rows[i];
		double z = linear_score(m, X, r);
		f += linear_logistic_loss(z, y[r]);
		if (!grad)
			continue;
		double d = linear_sigmoid(z) - (double)y[r];
		grad[m->dim] += d;
		for (size_t k = X->indptr[r]; k < X->indptr[r + 1]; k++)
			grad[X->indices[k]] += d * X->values[k];
	}
	for (size_t j = 0; j < m->dim; j++) {
		norm += m->weights[j] * m->weights[j];
		if (grad)
			grad[j] += m->weights[j] / C;
	}
	return f + 0.5 * norm / C;
}

void train_sgd_step(struct linear_model *m, const struct csr *X, const int *y,
		     const size_t *rows, size_t n, double lr, double l2)
{
	struct sgd s = {.v = m->weights, .scale = 1.0, .bias = m->bias, .dim = m->dim,
			 .batch_grad = xmalloc((n + 1) * sizeof(double))};
	sgd_step(&s, X, y, rows, n, lr, l2);
	sgd_fold(&s);
	m->bias = s.bias;
	free(s.batch_grad);
}

/* A copy of the weights (and the bias last) at the best validation loss. */
static void keep_weights(double **best, const struct linear_model *m)
{
	if (!*best)
		*best = xmalloc((m->dim + 1) * sizeof **best);
	memcpy(*best, m->weights, m->dim * sizeof **best);
	(*best)[m->dim] = m->bias;
}

static int train_sgd(const struct train_options *o, const struct csr *X, const int *y,
		     const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
		     struct linear_model *m, struct train_result *res, double started, char *err,
		     size_t errlen)
{
	size_t n = X->rows;
	/* The L-BFGS objective per row: the same minimum. */
	double l2 = 1.0 / (o->C * (double)n);
	if (o->learning_rate * l2 >= 1)
		return format_error(
		    err, errlen,
		    "learning rate times the L2 strength (1 / (C x %zu rows)) must stay below "
		    "1, or the weights flip sign each step: raise C or lower the rate",
		    n);
	size_t *order = xmalloc((n + 1) * sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	struct sgd s = {.v = m->weights, .scale = 1.0, .dim = m->dim,
			.batch_grad = xmalloc((o->batch_size + 1) * sizeof(double))};
	struct rng rng;
	rng_seed(&rng, o->seed);
	/* The learning rate falls linearly to zero over the run (the default
	 * schedule of Hugging Face's Trainer, which the course's notebook
	 * uses), so that the last steps do not throw the model around. */
	size_t batches = (n + o->batch_size - 1) / o->batch_size;
	double total_steps = (double)batches * o->epochs, step = 0;
	bool early = o->patience > 0 && Xval && Xval->rows;
	double best_loss = INFINITY, *best = NULL;
	int since_best = 0, best_step = 0;
	res->stop = TRAIN_EPOCHS_DONE;
	for (int e = 1; e <= o->epochs; e++) {
		rng_shuffle(&rng, order, n);
		s.epoch_loss = 0;
		s.epoch_right = s.epoch_seen = 0;
		for (size_t b = 0; b < n; b += o->batch_size) {
			size_t len = n - b < o->batch_size ? n - b : o->batch_size;
			double lr = o->learning_rate * (1.0 - step++ / total_steps);
			sgd_step(&s, X, y, order + b, len, lr, l2);
		}
		sgd_fold(&s);
		m->bias = s.bias;
		double seen = s.epoch_seen ? (double)s.epoch_seen : 1;
		struct train_step st = {
			.step = e,
			.max_steps = o->epochs,
			.train_loss = s.epoch_loss / seen,
			.train_accuracy = (double)s.epoch_right / seen,
		};
		bool go_on = report_step(res, st, m, Xval, yval, started, cb, cb_data);
		if (early) {
			double loss = res->steps[res->nsteps - 1].val_loss;
			/* As Keras's EarlyStopping: a fall smaller than this is none. */
			if (loss < best_loss - 1e-4) {
				best_loss = loss;
				keep_weights(&best, m);
				best_step = e;
				since_best = 0;
			} else {
				since_best++;
			}
		}
		if (!go_on) {
			res->stop = e < o->epochs ? TRAIN_CANCELLED : TRAIN_EPOCHS_DONE;
			break;
		}
		if (early && since_best >= o->patience && e < o->epochs) {
			res->stop = TRAIN_EARLY_STOPPED;
			break;
		}
	}
	/* Early stopping keeps the best epoch's weights. */
	if (best && res->stop == TRAIN_EARLY_STOPPED) {
		memcpy(m->weights, best, m->dim * sizeof *best);
		m->bias = best[m->dim];
		res->kept_step = best_step;
	} else {
		res->kept_step = (int)res->nsteps;
	}
	free(best);
	free(s.batch_grad);
	free(order);
	return 0;
}

/* ---- naive Bayes ---- */

static void train_nb(const struct train_options *o, const struct csr *X, const int *y,
		     struct linear_model *m)
{
	size_t dim = m->dim;
	double *count[2] = {xcalloc(dim + 1, sizeof(double)), xcalloc(dim + 1, sizeof(double))};
	double total[2] = {0, 0};
	size_t docs[2] = {0, 0};
	for (size_t r = 0; r < X->rows; r++) {
		int c = y[r] ? 1 : 0;
		docs[c]++;
		for (size_t k = X->indptr[r]; k < X->indptr[r + 1]; k++) {
			if (X->indices[k] >= dim)
				continue;
			count[c][X->indices[k]] += X->values[k];
			total[c] += X->values[k];
		}
	}
	double a = o->nb_alpha;
	double denom[2] = {log(total[0] + a * (double)dim), log(total[1] + a * (double)dim)};
	for (size_t j = 0; j < dim; j++)
		m->weights[j] =
			(log(count[1][j] + a) - denom[1]) - (log(count[0][j] + a) - denom[0]);
	m->bias = log((double)docs[1]) - log((double)docs[0]);
	free(count[0]);
	free(count[1]);
}

int train_classifier(const struct train_options *o, const struct csr *X, const int *y,
		     const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
		     struct linear_model *out, struct train_result *result, char *err,
		     size_t errlen)
{
	memset(result, 0, sizeof *result);
	memset(out, 0, sizeof *out);
	const char *bad = train_options_check(o);
	if (bad)
		return format_error(err, errlen, "%s", bad);
	size_t per_class[2] = {0, 0};
	for (size_t r = 0; r < X->rows; r++)
		per_class[y[r] ? 1 : 0]++;
	if (!per_class[0] || !per_class[1])
		return format_error(err, errlen,
				    "the training set holds only one class: a classifier needs "
				    "examples of both");
	double started = clock_monotonic();
	linear_model_init(out, o->kind, X->cols);
	int rc = 0;
	if (o->kind == MODEL_NB) {
		train_nb(o, X, y, out);
		struct train_step s = {.step = 1, .max_steps = 1,
				       .train_loss = linear_log_loss(out, X, y),
				       .train_accuracy = accuracy(out, X, y)};
		report_step(result, s, out, Xval, yval, started, cb, cb_data);
		result->stop = TRAIN_FITTED;
		result->kept_step = 1;
	} else if (o->solver == SOLVER_LBFGS) {
		rc = train_lbfgs(o, X, y, Xval, yval, cb, cb_data, out, result, started, err,
				 errlen);
	} else {
		rc = train_sgd(o, X, y, Xval, yval, cb, cb_data, out, result, started, err, errlen);
	}
	if (rc != 0) {
		linear_model_free(out);
		train_result_free(result);
		return -1;
	}
	result->seconds = clock_monotonic() - started;
	return 0;
}
