#include "estimate.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>

/* Below this many answers a hit share says more about luck than skill. */
#define CALIBRATION_MIN_ANSWERS 5

const char *const estimate_width_bucket_labels[ESTIMATE_WIDTH_BUCKETS] = {
	"< 0.5",
	"0.5-1",
	"1-2",
	">= 2",
};

static bool positive(double x)
{
	return isfinite(x) && x > 0;
}

int estimate_score(const struct estimate_answer *answer, double reference,
		   struct estimate_score *out, const char **why)
{
	const char *problem = NULL;
	if (!positive(answer->point))
		problem = "the estimate must be a positive number";
	else if (!positive(answer->low) || !positive(answer->high))
		problem = "the range must be positive numbers";
	else if (answer->low > answer->point)
		problem = "the low end of the range is above the estimate";
	else if (answer->high < answer->point)
		problem = "the high end of the range is below the estimate";
	else if (!positive(reference))
		problem = "the reference answer must be a positive number";
	if (problem) {
		if (why)
			*why = problem;
		return -1;
	}
	double l = log10(answer->low), u = log10(answer->high), x = log10(reference);
	out->log_error = fabs(log10(answer->point) - x);
	out->hit = answer->low <= reference && reference <= answer->high;
	out->width = u - l;
	double penalty = 2 / ESTIMATE_ALPHA;
	out->interval_score = (u - l) + (x < l ? penalty * (l - x) : 0) +
			      (x > u ? penalty * (x - u) : 0);
	out->points = 100 * exp(-out->interval_score / 2);
	/* Judged on the error as shown (two decimals), so that two answers
	 * shown "0.10 orders of magnitude" get one verdict. */
	double shown = round(out->log_error * 100) / 100;
	out->verdict = shown < 0.1   ? (out->hit ? "near perfect"
						 : "near perfect point, but the range missed")
		       : shown < 0.5 ? "right order of magnitude"
		       : shown < 1   ? "within a factor of 10"
				     : "too far off";
	return 0;
}

static int width_bucket(double width)
{
	return width < 0.5 ? 0 : width < 1 ? 1 : width < 2 ? 2 : 3;
}

void estimate_calibrate(const bool *hits, const double *widths, size_t count,
			struct estimate_calibration *out)
{
	*out = (struct estimate_calibration){.answers = count};
	double total_width = 0;
	for (size_t i = 0; i < count; i++) {
		struct estimate_bucket *b = &out->buckets[width_bucket(widths[i])];
		b->answers++;
		if (hits[i]) {
			b->hits++;
			out->hits++;
		}
		total_width += widths[i];
	}
	if (count) {
		out->hit_share = (double)out->hits / (double)count;
		out->mean_width = total_width / (double)count;
	}
	if (count < CALIBRATION_MIN_ANSWERS)
		out->verdict = "too few answers to tell";
	else if (out->hit_share < 0.8)
		out->verdict = "overconfident";
	else if (out->hit_share > 0.97 && out->mean_width > 1.5)
		out->verdict = "underconfident";
	else
		out->verdict = "well calibrated";
}

bool estimate_biggest_miss_values(const double *reference, const double *mine,
				  const bool *compared, size_t count, size_t *index,
				  double *log_ratio)
{
	bool found = false;
	double worst = 0;
	for (size_t i = 0; i < count; i++) {
		if (!compared[i])
			continue;
		if (!((mine[i] > 0 && reference[i] > 0) || (mine[i] < 0 && reference[i] < 0)))
			continue;
		/* A difference of logs, not the log of a quotient, which could
		 * overflow for values far apart. */
		double ratio = log10(fabs(mine[i])) - log10(fabs(reference[i]));
		if (!found || fabs(ratio) > fabs(worst)) {
			found = true;
			worst = ratio;
			*index = i;
		}
	}
	if (found)
		*log_ratio = worst;
	return found;
}

bool estimate_biggest_miss(const struct estimate_factor *reference, size_t count,
			   const struct expr_sheet *learner, size_t *index, double *log_ratio)
{
	if (count < 2)
		return false;
	size_t factors = count - 1; /* the last line is the answer itself */
	double *theirs = xcalloc(factors, sizeof *theirs), *mine = xcalloc(factors, sizeof *mine);
	bool *compared = xcalloc(factors, sizeof *compared);
	for (size_t i = 0; i < factors; i++) {
		theirs[i] = reference[i].value;
		compared[i] = expr_sheet_get(learner, reference[i].name, &mine[i]);
	}
	bool found = estimate_biggest_miss_values(theirs, mine, compared, factors, index, log_ratio);
	free(theirs);
	free(mine);
	free(compared);
	return found;
}
