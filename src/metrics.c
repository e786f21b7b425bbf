#include "metrics.h"

#include "util.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void metrics_confusion(const double *probs, const int *y, size_t n, double threshold,
		       struct confusion *cm)
{
	memset(cm, 0, sizeof *cm);
	for (size_t i = 0; i < n; i++) {
		bool predicted = probs[i] > threshold;
		if (y[i])
			predicted ? cm->tp++ : cm->fn++;
		else
			predicted ? cm->fp++ : cm->tn++;
	}
}

static double ratio(size_t num, size_t den)
{
	return den ? (double)num / (double)den : 0.0;
}

static void scores(size_t right, size_t called, size_t truly, struct class_scores *s)
{
	s->precision = ratio(right, called);
	s->recall = ratio(right, truly);
	s->f1 = s->precision + s->recall > 0
			? 2 * s->precision * s->recall / (s->precision + s->recall)
			: 0.0;
	s->support = truly;
}

void metrics_from_confusion(const struct confusion *cm, struct metrics_report *out)
{
	memset(out, 0, sizeof *out);
	out->cm = *cm;
	size_t total = cm->tn + cm->fp + cm->fn + cm->tp;
	out->accuracy = ratio(cm->tp + cm->tn, total);
	scores(cm->tn, cm->tn + cm->fn, cm->tn + cm->fp, &out->classes[0]);
	scores(cm->tp, cm->tp + cm->fp, cm->tp + cm->fn, &out->classes[1]);
	const struct class_scores *c = out->classes;
	out->macro = (struct class_scores){
		(c[0].precision + c[1].precision) / 2,
		(c[0].recall + c[1].recall) / 2,
		(c[0].f1 + c[1].f1) / 2,
		total,
	};
	double w0 = total ? (double)c[0].support / (double)total : 0;
	double w1 = total ? (double)c[1].support / (double)total : 0;
	out->weighted = (struct class_scores){
		w0 * c[0].precision + w1 * c[1].precision,
		w0 * c[0].recall + w1 * c[1].recall,
		w0 * c[0].f1 + w1 * c[1].f1,
		total,
	};
}

void curve_free(struct curve *c)
{
	free(c->x);
	free(c->y);
	free(c->thresholds);
	memset(c, 0, sizeof *c);
}

static int cmp_prob_desc(const void *a, const void *b, void *probs)
{
	const double *p = probs;
	double x = p[*(const size_t *)a], y = p[*(const size_t *)b];
	return (x < y) - (x > y);
}

static void curve_push(struct curve *c, size_t *cap, double x, double y, double t)
{
	if (c->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		c->x = xrealloc(c->x, *cap * sizeof *c->x);
		c->y = xrealloc(c->y, *cap * sizeof *c->y);
		c->thresholds = xrealloc(c->thresholds, *cap * sizeof *c->thresholds);
	}
	c->x[c->n] = x;
	c->y[c->n] = y;
	c->thresholds[c->n] = t;
	c->n++;
}

/* Walks the distinct probabilities from the highest down, calling back
 * with the true and false positives at each. */
typedef void (*sweep_fn)(size_t tp, size_t fp, double threshold, void *data);

static void sweep(const double *probs, const int *y, size_t n, sweep_fn fn, void *data)
{
	size_t *order = xmalloc((n + 1) * sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof *order, cmp_prob_desc, (void *)probs);
	size_t tp = 0, fp = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = order[i];
		y[r] ? tp++ : fp++;
		if (i + 1 == n || probs[order[i + 1]] != probs[r])
			fn(tp, fp, probs[r], data);
	}
	free(order);
}

struct sweep_state {
	struct curve *c;
	size_t cap, pos, neg;
};

static void roc_point(size_t tp, size_t fp, double threshold, void *data)
{
	struct sweep_state *s = data;
	curve_push(s->c, &s->cap, (double)fp / (double)s->neg, (double)tp / (double)s->pos,
		   threshold);
}

static void class_totals(const int *y, size_t n, size_t *pos, size_t *neg)
{
	*pos = 0;
	for (size_t i = 0; i < n; i++)
		*pos += y[i] != 0;
	*neg = n - *pos;
}

void metrics_roc(const double *probs, const int *y, size_t n, struct curve *out)
{
	memset(out, 0, sizeof *out);
	struct sweep_state s = {.c = out};
	class_totals(y, n, &s.pos, &s.neg);
	if (!s.pos || !s.neg)
		return;
	curve_push(out, &s.cap, 0, 0, INFINITY);
	sweep(probs, y, n, roc_point, &s);
}

double metrics_auc(const struct curve *c)
{
	if (c->n < 2)
		return NAN;
	double area = 0;
	for (size_t i = 1; i < c->n; i++)
		area += (c->x[i] - c->x[i - 1]) * (c->y[i] + c->y[i - 1]) / 2;
	return area;
}

static void pr_point(size_t tp, size_t fp, double threshold, void *data)
{
	struct sweep_state *s = data;
	curve_push(s->c, &s->cap, (double)tp / (double)s->pos, (double)tp / (double)(tp + fp),
		   threshold);
}

void metrics_pr(const double *probs, const int *y, size_t n, struct curve *out)
{
	memset(out, 0, sizeof *out);
	struct sweep_state s = {.c = out};
	class_totals(y, n, &s.pos, &s.neg);
	if (!s.pos)
		return;
	curve_push(out, &s.cap, 0, 1, INFINITY);
	sweep(probs, y, n, pr_point, &s);
}

double metrics_average_precision(const struct curve *pr)
{
	if (pr->n < 2)
		return NAN;
	double ap = 0;
	for (size_t i = 1; i < pr->n; i++)
		ap += (pr->x[i] - pr->x[i - 1]) * pr->y[i];
	return ap;
}

static double grid_x(size_t i, size_t n)
{
	return n > 1 ? (double)i / (double)(n - 1) : 0;
}

void metrics_roc_grid(const struct curve *roc, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++) {
		double best = NAN, x = grid_x(i, n);
		for (size_t k = 0; k < roc->n; k++)
			if (roc->x[k] <= x + 1e-12 && !(roc->y[k] <= best))
				best = roc->y[k];
		out[i] = best;
	}
}

void metrics_pr_grid(const struct curve *pr, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++) {
		double best = NAN, x = grid_x(i, n);
		for (size_t k = 0; k < pr->n; k++)
			if (pr->x[k] >= x - 1e-12 && !(pr->y[k] <= best))
				best = pr->y[k];
		out[i] = best;
	}
}

void metrics_calibration(const double *probs, const int *y, size_t n, size_t nbins,
			 struct calibration *out)
{
	memset(out, 0, sizeof *out);
	if (nbins < 1)
		nbins = 1;
	if (nbins > CALIBRATION_BINS)
		nbins = CALIBRATION_BINS;
	out->nbins = nbins;
	double sum_p[CALIBRATION_BINS] = {0}, positives[CALIBRATION_BINS] = {0};
	double brier = 0, loss = 0;
	for (size_t i = 0; i < n; i++) {
		double p = probs[i];
		/* The inner edges below p, as numpy's searchsorted counts them
		 * for calibration_curve: a probability on an edge goes down. */
		size_t b = 0;
		while (b + 1 < nbins && (double)(b + 1) * (1.0 / (double)nbins) < p)
			b++;
		out->bins[b].count++;
		sum_p[b] += p;
		positives[b] += y[i] ? 1 : 0;
		brier += (p - (y[i] ? 1 : 0)) * (p - (y[i] ? 1 : 0));
		double q = fmin(fmax(y[i] ? p : 1 - p, 1e-15), 1 - 1e-15);
		loss -= log(q);
	}
	out->brier = n ? brier / (double)n : NAN;
	out->log_loss = n ? loss / (double)n : NAN;
	double weighted = 0;
	for (size_t b = 0; b < nbins; b++) {
		struct calibration_bin *c = &out->bins[b];
		c->from = (double)b / (double)nbins;
		c->to = (double)(b + 1) / (double)nbins;
		if (!c->count) {
			c->mean_predicted = c->observed = NAN;
			continue;
		}
		c->mean_predicted = sum_p[b] / (double)c->count;
		c->observed = positives[b] / (double)c->count;
		double gap = fabs(c->mean_predicted - c->observed);
		out->max_gap = fmax(out->max_gap, gap);
		weighted += gap * (double)c->count;
	}
	out->mean_gap = n ? weighted / (double)n : NAN;
}
