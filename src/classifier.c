#include "classifier.h"

#include "clock.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this the lazily applied weight decay is folded into the weights,
 * long before doubles lose precision. */
#define SCALE_FLOOR 1e-9

int model_kind_parse(const char *s, enum model_kind *out)
{
	if (!strcmp(s, "logreg"))
		*out = MODEL_LOGREG;
	else if (!strcmp(s, "nb"))
		*out = MODEL_NB;
	else
		return -1;
	return 0;
}

const char *model_kind_name(enum model_kind k)
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

static double sigmoid(double z)
{
	if (z >= 0)
		return 1.0 / (1.0 + exp(-z));
	double e = exp(z);
	return e / (1.0 + e);
}

/* -log P(y | z) without overflow: log(1 + e^-z) for y = 1, log(1 + e^z)
 * for y = 0. */
static double logistic_loss(double z, int y)
{
	double m = y ? -z : z;
	return m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
}

static double row_dot(const double *w, const struct csr *X, size_t r)
{
	double s = 0;
	for (size_t k = X->indptr[r]; k < X->indptr[r + 1]; k++)
		s += w[X->indices[k]] * X->values[k];
	return s;
}

double linear_score(const struct linear_model *m, const struct csr *X, size_t r)
{
	return m->bias + row_dot(m->weights, X, r);
}

double linear_prob(const struct linear_model *m, const struct csr *X, size_t r)
{
	return sigmoid(linear_score(m, X, r));
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
		total += logistic_loss(linear_score(m, X, r), y[r]);
	return total / (double)X->rows;
}

void train_options_default(struct train_options *o)
{
	*o = (struct train_options){
		.kind = MODEL_LOGREG,
		.learning_rate = 2.0,
		.batch_size = 16,
		.epochs = 10,
		.l2 = 1e-5,
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
	if (!(o->learning_rate > 0) || !isfinite(o->learning_rate))
		return "the learning rate must be above 0";
	if (o->batch_size < 1)
		return "the batch size must be at least 1";
	if (o->epochs < 1 || o->epochs > 10000)
		return "the number of epochs must be between 1 and 10000";
	if (!(o->l2 >= 0) || !isfinite(o->l2))
		return "the L2 penalty must be 0 or more";
	if (o->learning_rate * o->l2 >= 1)
		return "learning rate times L2 must stay below 1, or the weights flip sign each "
		       "step";
	return NULL;
}

void train_result_free(struct train_result *r)
{
	free(r->epochs);
	memset(r, 0, sizeof *r);
}

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
		double z = s->bias + s->scale * row_dot(s->v, X, r);
		double p = sigmoid(z);
		s->batch_grad[i] = p - (double)y[r];
		mean_bias_grad += s->batch_grad[i];
		s->epoch_loss += logistic_loss(z, y[r]);
		s->epoch_right += (p >= 0.5) == (y[r] == 1);
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

double logreg_objective(const struct linear_model *m, const struct csr *X, const int *y,
			const size_t *rows, size_t n, double l2)
{
	double loss = 0, norm = 0;
	for (size_t i = 0; i < n; i++)
		loss += logistic_loss(linear_score(m, X, rows[i]), y[rows[i]]);
	for (size_t j = 0; j < m->dim; j++)
		norm += m->weights[j] * m->weights[j];
	return (n ? loss / (double)n : 0) + 0.5 * l2 * norm;
}

void logreg_sgd_step(struct linear_model *m, const struct csr *X, const int *y,
		     const size_t *rows, size_t n, double lr, double l2)
{
	struct sgd s = {.v = m->weights, .scale = 1.0, .bias = m->bias, .dim = m->dim,
			 .batch_grad = xmalloc((n + 1) * sizeof(double))};
	sgd_step(&s, X, y, rows, n, lr, l2);
	sgd_fold(&s);
	m->bias = s.bias;
	free(s.batch_grad);
}

static double accuracy(const struct linear_model *m, const struct csr *X, const int *y)
{
	if (!X->rows)
		return 0;
	size_t right = 0;
	for (size_t r = 0; r < X->rows; r++)
		right += (linear_prob(m, X, r) >= 0.5) == (y[r] == 1);
	return (double)right / (double)X->rows;
}

/* Records an epoch (the validation scores measured here) and returns the
 * callback's verdict. */
static bool report_epoch(struct train_result *res, const struct linear_model *m, int epoch,
			 int epochs, double train_loss, double train_accuracy,
			 const struct csr *Xval, const int *yval, double started, train_callback cb,
			 void *cb_data)
{
	struct epoch_stats s = {
		.epoch = epoch,
		.epochs = epochs,
		.train_loss = train_loss,
		.train_accuracy = train_accuracy,
		.has_val = Xval && Xval->rows,
	};
	if (s.has_val) {
		s.val_loss = linear_log_loss(m, Xval, yval);
		s.val_accuracy = accuracy(m, Xval, yval);
	}
	s.seconds = clock_monotonic() - started;
	ARRAY_PUSH(res->epochs, res->nepochs, res->epochs_cap, s);
	return cb ? cb(&s, cb_data) : true;
}

static void train_logreg(const struct train_options *o, const struct csr *X, const int *y,
			 const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
			 struct linear_model *m, struct train_result *res, double started)
{
	size_t n = X->rows;
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
	for (int e = 1; e <= o->epochs; e++) {
		rng_shuffle(&rng, order, n);
		s.epoch_loss = 0;
		s.epoch_right = s.epoch_seen = 0;
		for (size_t b = 0; b < n; b += o->batch_size) {
			size_t len = n - b < o->batch_size ? n - b : o->batch_size;
			double lr = o->learning_rate * (1.0 - step++ / total_steps);
			sgd_step(&s, X, y, order + b, len, lr, o->l2);
		}
		sgd_fold(&s);
		m->bias = s.bias;
		double seen = s.epoch_seen ? (double)s.epoch_seen : 1;
		if (!report_epoch(res, m, e, o->epochs, s.epoch_loss / seen,
				  (double)s.epoch_right / seen, Xval, yval, started, cb, cb_data)) {
			res->cancelled = e < o->epochs;
			break;
		}
	}
	free(s.batch_grad);
	free(order);
}

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

int classifier_train(const struct train_options *o, const struct csr *X, const int *y,
		     const struct csr *Xval, const int *yval, train_callback cb, void *cb_data,
		     struct linear_model *out, struct train_result *result, char *err,
		     size_t errlen)
{
	memset(result, 0, sizeof *result);
	const char *bad = train_options_check(o);
	if (bad) {
		snprintf(err, errlen, "%s", bad);
		return -1;
	}
	size_t per_class[2] = {0, 0};
	for (size_t r = 0; r < X->rows; r++)
		per_class[y[r] ? 1 : 0]++;
	if (!per_class[0] || !per_class[1]) {
		snprintf(err, errlen, "the training set holds only one class: a classifier needs "
				      "examples of both");
		return -1;
	}
	double started = clock_monotonic();
	linear_model_init(out, o->kind, X->cols);
	if (o->kind == MODEL_NB) {
		train_nb(o, X, y, out);
		report_epoch(result, out, 1, 1, linear_log_loss(out, X, y), accuracy(out, X, y),
			     Xval, yval, started, cb, cb_data);
	} else {
		train_logreg(o, X, y, Xval, yval, cb, cb_data, out, result, started);
	}
	result->seconds = clock_monotonic() - started;
	return 0;
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
