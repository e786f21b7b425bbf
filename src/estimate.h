/* Scoring of estimation answers: a point estimate with a 90% range against
 * the reference answer, calibration over many answers, and which factor
 * of a worksheet was furthest from the reference decomposition. Every
 * distance is in orders of magnitude (log10), because an estimate that is
 * 10x too high is as wrong as one that is 10x too low. */
#ifndef AIPM_ESTIMATE_H
#define AIPM_ESTIMATE_H

#include "expr.h"

#include <stdbool.h>
#include <stddef.h>

/* The range is read as a central 90% interval. */
#define ESTIMATE_ALPHA 0.1

struct estimate_answer {
	double point, low, high; /* all > 0, low <= point <= high */
};

struct estimate_score {
	double log_error; /* |log10(point / reference)|: orders of magnitude off */
	bool hit;	  /* low <= reference <= high */
	double width;	  /* log10(high / low): orders of magnitude the range spans */
	/* Gneiting and Raftery's interval score on log10 values l, u, x of
	 * low, high and reference:
	 *   (u - l) + (2/alpha)(l - x)[x < l] + (2/alpha)(x - u)[x > u]
	 * Lower is better: a tight range that holds the answer beats a wide
	 * one, and a tight range that misses costs most. */
	double interval_score;
	/* 100 * exp(-interval_score / 2): 100 for an exact zero-width hit, 61
	 * for a hit with a 10x range, 37 for a 100x range, near 0 for a miss by
	 * an order of magnitude. */
	double points;
	/* From log_error rounded to the two decimals shown: "near perfect"
	 * (< 0.10; "near perfect point, but the range missed" when the range
	 * does not hold the reference), "right order of magnitude" (< 0.50),
	 * "within a factor of 10" (< 1.00), else "too far off". */
	const char *verdict;
};

/* 0 on success; -1 with *why (a static sentence) when a value is not a
 * positive number or the range does not hold the point estimate. */
int estimate_score(const struct estimate_answer *answer, double reference,
		   struct estimate_score *out, const char **why);

/* Ranges grouped by width for the calibration chart: < 0.5, 0.5-1, 1-2 and
 * >= 2 orders of magnitude. */
#define ESTIMATE_WIDTH_BUCKETS 4
extern const char *const estimate_width_bucket_labels[ESTIMATE_WIDTH_BUCKETS];

struct estimate_bucket {
	size_t answers, hits;
};

/* Whether a learner's 90% ranges hold the answer about 90% of the time.
 * The verdict, with answers n and hit share h:
 *   n < 5                              "too few answers to tell"
 *   h < 0.8                            "overconfident" (ranges too narrow)
 *   h > 0.97 and mean width > 1.5      "underconfident" (ranges too wide)
 *   otherwise                          "well calibrated" */
struct estimate_calibration {
	size_t answers, hits;
	double hit_share;  /* 0 with no answers */
	double mean_width; /* orders of magnitude; 0 with no answers */
	const char *verdict;
	struct estimate_bucket buckets[ESTIMATE_WIDTH_BUCKETS];
};

/* hits[i] and widths[i] are estimate_score's hit and width of answer i. */
void estimate_calibrate(const bool *hits, const double *widths, size_t count,
			struct estimate_calibration *out);

/* One line of a reference decomposition. */
struct estimate_factor {
	const char *name;
	double value;
};

/* The factor that moved the learner's answer most: of the reference lines
 * before the last (the last is the answer itself), the one whose namesake
 * on the learner's sheet is furthest off in orders of magnitude. Sets
 * *index and *log_ratio = log10(learner / reference) (positive: the
 * learner's value is too high). Lines whose two values differ in sign or
 * include zero cannot be compared and are skipped. False when no line
 * compares. */
bool estimate_biggest_miss(const struct estimate_factor *reference, size_t count,
			   const struct expr_sheet *learner, size_t *index, double *log_ratio);
/* The same over values already paired: of the count factors whose
 * compared[i] is true, the one whose mine[i] is furthest from
 * reference[i]. */
bool estimate_biggest_miss_values(const double *reference, const double *mine,
				  const bool *compared, size_t count, size_t *index,
				  double *log_ratio);

#endif
