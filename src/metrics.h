/* How good a two-class model is, as the course reads it: the confusion
 * matrix at a threshold on the positive-class probability (truth in rows,
 * prediction in columns; the diagonal is right), accuracy, precision,
 * recall and F1 for each class with macro and weighted averages (as
 * scikit-learn's classification_report; 0 where a ratio has nothing to
 * divide by), the ROC curve with its AUC and the precision-recall curve. */
#ifndef AIPM_METRICS_H
#define AIPM_METRICS_H

#include <stddef.h>

/* Class 1 is "positive". A row is predicted positive when its probability
 * is above the threshold, as scikit-learn's predict decides (a probability
 * of exactly 0.5, a review with no known word under balanced classes, is
 * negative there too). */
struct confusion {
	size_t tn, fp, fn, tp;
};
void metrics_confusion(const double *probs, const int *y, size_t n, double threshold,
		       struct confusion *cm);

struct class_scores {
	double precision, recall, f1;
	size_t support; /* rows that truly are this class */
};

struct metrics_report {
	struct confusion cm;
	double accuracy;
	struct class_scores classes[2]; /* [0] negative, [1] positive */
	struct class_scores macro, weighted;
};
void metrics_from_confusion(const struct confusion *cm, struct metrics_report *out);

/* A curve through (x[i], y[i]), each point reached at thresholds[i]
 * (decreasing; the first is +infinity: nothing predicted positive). */
struct curve {
	double *x, *y, *thresholds;
	size_t n;
};
void curve_free(struct curve *c);

/* ROC: x = false positive rate, y = true positive rate, one point per
 * distinct probability. Without both classes the curve is empty. */
void metrics_roc(const double *probs, const int *y, size_t n, struct curve *out);
/* Area under a curve by the trapezoid rule; NaN for an empty curve. */
double metrics_auc(const struct curve *c);
/* Precision-recall: x = recall, y = precision, from (0, 1). */
void metrics_pr(const double *probs, const int *y, size_t n, struct curve *out);
/* A curve read at n evenly spaced x from 0 to 1 into out, for drawing:
 * ROC as the best true positive rate reached at or below each false
 * positive rate; precision-recall as the best precision at or above each
 * recall (the usual interpolated curve). NaN where nothing qualifies. */
void metrics_roc_grid(const struct curve *roc, size_t n, double *out);
void metrics_pr_grid(const struct curve *pr, size_t n, double *out);
/* Average precision (sklearn's average_precision_score): the sum of
 * precision times each step in recall. NaN without positives. */
double metrics_average_precision(const struct curve *pr);

/* How far the probabilities can be trusted as probabilities ("the model is
 * 70% sure": of the reviews it gives about 0.7, about 70% should be
 * positive). A reliability diagram as scikit-learn's calibration_curve
 * (uniform bins): the rows whose probability falls in each bin, their mean
 * probability and the share of them that truly are positive; a
 * probability on an edge between two bins goes into the lower one, as
 * there. */
struct calibration_bin {
	double from, to;
	size_t count;
	double mean_predicted, observed; /* NaN for an empty bin */
};
#define CALIBRATION_BINS 10
struct calibration {
	struct calibration_bin bins[CALIBRATION_BINS];
	size_t nbins;
	/* Brier score: the mean of (p - y)^2, 0 perfect, 0.25 for always 0.5.
	 * Log loss: the mean of -ln P(true class), as sklearn's log_loss (p
	 * clipped to [1e-15, 1 - 1e-15]). NaN for no rows. */
	double brier, log_loss;
	/* The largest and the count-weighted mean gap between a bin's mean
	 * probability and its observed share (expected calibration error). */
	double max_gap, mean_gap;
};
/* nbins between 1 and CALIBRATION_BINS. */
void metrics_calibration(const double *probs, const int *y, size_t n, size_t nbins,
			 struct calibration *out);

#endif
