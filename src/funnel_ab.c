/* The A/B (or A/B/n) check behind a breakdown by an experiment's column:
 * per step, Pearson's chi-square across the variants, and every pair's
 * difference with its two-proportion z-test, the p-values adjusted by
 * Holm's step-down procedure and each interval at the level Holm gives
 * its pair. The verdict says it in words. */
#include "funnel_internal.h"

#include "sanitize.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void funnel_format_p(double p, char *buf, size_t size)
{
	if (!(p == p))
		snprintf(buf, size, "-");
	else if (p < 0.001)
		snprintf(buf, size, "<0.001");
	else
		snprintf(buf, size, "%.3f", p);
}

/* v (a fraction) in points with d decimals, a zero never signed. */
static void format_points(double v, int d, char *buf, size_t size)
{
	double scaled = 100 * v, unit = pow(10, -d);
	if (fabs(scaled) < unit / 2)
		snprintf(buf, size, "%.*f", d, 0.0);
	else
		snprintf(buf, size, "%+.*f", d, scaled);
}

void funnel_format_interval(double lo, double hi, char *buf, size_t size)
{
	if (!(lo == lo) || !(hi == hi)) {
		snprintf(buf, size, "-");
		return;
	}
	/* a bound that is not zero keeps its sign: a decimal more, up to 3 */
	int d = 1;
	while (d < 3 && ((lo != 0 && fabs(100 * lo) < pow(10, -d) / 2) ||
			 (hi != 0 && fabs(100 * hi) < pow(10, -d) / 2)))
		d++;
	char a[32], b[32];
	format_points(lo, d, a, sizeof a);
	format_points(hi, d, b, sizeof b);
	snprintf(buf, size, "%s to %s", a, b);
}

/* The chi-square upper tail for a whole number of degrees of freedom, in
 * closed form: a Poisson sum for even df, the normal tail plus a series
 * for odd df. */
double funnel_chi2_sf(double x, int df)
{
	if (df < 1 || !(x == x))
		return NAN;
	if (x <= 0)
		return 1;
	if (df % 2 == 0) {
		double term = exp(-x / 2), sum = term;
		for (int i = 1; i < df / 2; i++) {
			term *= x / 2 / i;
			sum += term;
		}
		return sum > 1 ? 1 : sum;
	}
	double z = sqrt(x);
	double sum = erfc(z / sqrt(2.0));
	double term = z * exp(-x / 2) * sqrt(2.0 / 3.14159265358979323846); /* 2 phi(z) z */
	for (int i = 1; i <= (df - 1) / 2; i++) {
		sum += term;
		term *= x / (2 * i + 1);
	}
	return sum > 1 ? 1 : sum;
}

/* z with P(|Z| > z) = alpha, by bisection on erfc (a handful of calls
 * per A/B check). */
static double two_sided_z(double alpha)
{
	double lo = 0, hi = 40;
	for (int i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;
		if (erfc(mid / sqrt(2.0)) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static void pair_test(struct funnel_ab_pair *s)
{
	s->p_a = s->n_a ? (double)s->x_a / (double)s->n_a : NAN;
	s->p_b = s->n_b ? (double)s->x_b / (double)s->n_b : NAN;
	s->diff = s->p_b - s->p_a;
	s->too_small = s->x_a < 5 || s->n_a - s->x_a < 5 || s->x_b < 5 || s->n_b - s->x_b < 5;
	if (!s->n_a || !s->n_b) {
		s->z = s->p_value = NAN;
		return;
	}
	double na = (double)s->n_a, nb = (double)s->n_b;
	double pooled = (double)(s->x_a + s->x_b) / (na + nb);
	double se0 = sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
	if (se0 > 0) {
		s->z = s->diff / se0;
		s->p_value = erfc(fabs(s->z) / sqrt(2.0));
	} else {
		s->z = 0;
		s->p_value = 1;
	}
}

static void pair_interval(struct funnel_ab_pair *s, double level)
{
	s->ci_level = level;
	if (!s->n_a || !s->n_b) {
		s->ci_low = s->ci_high = NAN;
		return;
	}
	double se = sqrt(s->p_a * (1 - s->p_a) / (double)s->n_a +
			 s->p_b * (1 - s->p_b) / (double)s->n_b);
	double z = two_sided_z(1 - level);
	s->ci_low = s->diff - z * se;
	s->ci_high = s->diff + z * se;
}

static const struct funnel_ab_step *holm_step;

static int cmp_pair_p(const void *a, const void *b)
{
	double x = holm_step->pair[*(const size_t *)a].p_value;
	double y = holm_step->pair[*(const size_t *)b].p_value;
	x = x == x ? x : 2;
	y = y == y ? y : 2;
	return x < y ? -1 : x > y;
}

/* Holm: the pair of rank i (0-based, smallest p first) of m is tested at
 * alpha / (m - i); its adjusted p is the running maximum of (m - i) p. */
static void holm(struct funnel_ab_step *s)
{
	size_t m = s->npairs, order[FUNNEL_MAX_PAIRS];
	for (size_t i = 0; i < m; i++)
		order[i] = i;
	holm_step = s;
	qsort(order, m, sizeof *order, cmp_pair_p);
	holm_step = NULL;
	double running = 0;
	for (size_t i = 0; i < m; i++) {
		struct funnel_ab_pair *p = &s->pair[order[i]];
		double adjusted = p->p_value == p->p_value ? (double)(m - i) * p->p_value : 1;
		running = adjusted > running ? adjusted : running;
		p->p_holm = running > 1 ? 1 : running;
		pair_interval(p, 1 - 0.05 / (double)(m - i));
	}
}

static void chi_square(struct funnel_ab_step *s, size_t nv, const uint64_t *n, const uint64_t *x)
{
	uint64_t total = 0, reached = 0;
	for (size_t v = 0; v < nv; v++) {
		total += n[v];
		reached += x[v];
	}
	s->df = (int)nv - 1;
	s->too_small = false;
	if (!total || reached == 0 || reached == total) {
		s->chi2 = 0;
		s->p_value = 1;
		s->too_small = true;
		return;
	}
	double rate = (double)reached / (double)total, chi2 = 0;
	for (size_t v = 0; v < nv; v++) {
		double e1 = (double)n[v] * rate, e0 = (double)n[v] - e1;
		if (e1 < 5 || e0 < 5)
			s->too_small = true;
		if (e1 > 0)
			chi2 += ((double)x[v] - e1) * ((double)x[v] - e1) / e1;
		if (e0 > 0)
			chi2 += ((double)(n[v] - x[v]) - e0) * ((double)(n[v] - x[v]) - e0) / e0;
	}
	s->chi2 = chi2;
	s->p_value = funnel_chi2_sf(chi2, s->df);
}

static void verdict_two(struct funnel_ab *ab, size_t k, const char *first, const char *last,
			const char *noun)
{
	const struct funnel_ab_pair *s = &ab->step[k].pair[0];
	char *a = sanitize_dup(ab->variant[0], SANITIZE_LINE);
	char *b = sanitize_dup(ab->variant[1], SANITIZE_LINE);
	char p[16], ci[64];
	funnel_format_p(s->p_value, p, sizeof p);
	if (s->too_small) {
		snprintf(ab->verdict, sizeof ab->verdict,
			 "Too small to tell: %s converted %llu of %llu and %s %llu of %llu %s from %s "
			 "to %s; the test needs at least 5 %s who converted and 5 who did not in "
			 "each group.",
			 a, (unsigned long long)s->x_a, (unsigned long long)s->n_a, b,
			 (unsigned long long)s->x_b, (unsigned long long)s->n_b, noun, first, last, noun);
	} else if (s->p_value < 0.05) {
		bool b_wins = s->diff > 0;
		funnel_format_interval(b_wins ? s->ci_low : -s->ci_high,
				       b_wins ? s->ci_high : -s->ci_low, ci, sizeof ci);
		snprintf(ab->verdict, sizeof ab->verdict,
			 "%s converts better than %s from %s to %s: %.1f%% against %.1f%% (%+.1f "
			 "points, 95%% CI %s). A difference this large would be rare by chance "
			 "(p %s%s).",
			 b_wins ? b : a, b_wins ? a : b, first, last,
			 100 * (b_wins ? s->p_b : s->p_a), 100 * (b_wins ? s->p_a : s->p_b),
			 100 * fabs(s->diff), ci, p[0] == '<' ? "" : "= ", p);
	} else {
		funnel_format_interval(s->ci_low, s->ci_high, ci, sizeof ci);
		snprintf(ab->verdict, sizeof ab->verdict,
			 "No clear difference from %s to %s: %s %.1f%%, %s %.1f%% (%+.1f points, 95%% "
			 "CI %s, which includes zero; p %s%s). More %s would narrow it.",
			 first, last, a, 100 * s->p_a, b, 100 * s->p_b, 100 * s->diff, ci,
			 p[0] == '<' ? "" : "= ", p, noun);
	}
	free(a);
	free(b);
}

static void verdict_many(struct funnel_ab *ab, size_t k, const char *first, const char *last,
			 const char *noun)
{
	const struct funnel_ab_step *s = &ab->step[k];
	size_t nv = ab->nvariants;
	char *name[FUNNEL_MAX_VARIANTS];
	double rate[FUNNEL_MAX_VARIANTS];
	size_t by_rate[FUNNEL_MAX_VARIANTS];
	for (size_t v = 0; v < nv; v++) {
		name[v] = sanitize_dup(ab->variant[v], SANITIZE_LINE);
		by_rate[v] = v;
	}
	for (size_t v = 0; v < nv; v++)
		rate[v] = ab->entered[v] ? (double)s->reached[v] / (double)ab->entered[v] : NAN;
	for (size_t i = 1; i < nv; i++) /* a few variants: insertion sort, best first */
		for (size_t j = i; j > 0 && rate[by_rate[j - 1]] < rate[by_rate[j]]; j--) {
			size_t t = by_rate[j];
			by_rate[j] = by_rate[j - 1];
			by_rate[j - 1] = t;
		}
	struct strbuf sb;
	sb_init(&sb);
	char p[16];
	funnel_format_p(s->p_value, p, sizeof p);
	const char *eq = p[0] == '<' ? "" : "= ";
	if (s->too_small) {
		sb_printf(&sb, "Too small to tell across the %zu variants from %s to %s:", nv, first,
			  last);
		for (size_t v = 0; v < nv; v++)
			sb_printf(&sb, "%s %s %.1f%%", v ? "," : "", name[v], 100 * rate[v]);
		sb_printf(&sb, "; the test needs an expected 5 %s who convert and 5 who do not in "
			       "each variant.", noun);
	} else if (s->p_value < 0.05) {
		sb_printf(&sb, "The %zu variants convert differently from %s to %s (chi-square %.1f "
			       "on %d df, p %s%s). Best: %s at %.1f%%, then",
			  nv, first, last, s->chi2, s->df, eq, p, name[by_rate[0]],
			  100 * rate[by_rate[0]]);
		for (size_t i = 1; i < nv; i++)
			sb_printf(&sb, "%s %s %.1f%%", i > 1 ? "," : "", name[by_rate[i]],
				  100 * rate[by_rate[i]]);
		sb_printf(&sb, ". After Holm's correction for the %zu pairs:", s->npairs);
		size_t shown = 0;
		for (size_t i = 0; i < s->npairs; i++) {
			const struct funnel_ab_pair *q = &s->pair[i];
			if (q->too_small || !(q->p_holm < 0.05))
				continue;
			bool b_wins = q->diff > 0;
			char ci[64];
			funnel_format_interval(b_wins ? q->ci_low : -q->ci_high,
					       b_wins ? q->ci_high : -q->ci_low, ci, sizeof ci);
			sb_printf(&sb, "%s %s beats %s (%+.1f points, %.1f%% CI %s)",
				  shown++ ? ";" : "", name[b_wins ? q->b : q->a],
				  name[b_wins ? q->a : q->b], 100 * fabs(q->diff), 100 * q->ci_level, ci);
		}
		sb_puts(&sb, shown < s->npairs ? shown ? "; the other pairs cannot be told apart."
						       : " no single pair can be told apart."
					       : ".");
	} else {
		sb_printf(&sb, "No clear difference across the %zu variants from %s to %s:", nv,
			  first, last);
		for (size_t v = 0; v < nv; v++)
			sb_printf(&sb, "%s %s %.1f%%", v ? "," : "", name[v], 100 * rate[v]);
		sb_printf(&sb, " (chi-square %.1f on %d df, p %s%s). More %s would narrow it.",
			  s->chi2, s->df, eq, p, noun);
	}
	snprintf(ab->verdict, sizeof ab->verdict, "%s", sb.data);
	sb_free(&sb);
	for (size_t v = 0; v < nv; v++)
		free(name[v]);
}

void funnel_ab_fill(struct funnel_ab *ab, size_t nv, const char *const *names,
		    const uint64_t (*count)[FUNNEL_MAX_STEPS], size_t K, const char *first,
		    const char *last, const char *noun)
{
	ab->present = true;
	ab->nvariants = nv;
	for (size_t v = 0; v < nv; v++) {
		ab->variant[v] = xstrdup(names[v]);
		ab->entered[v] = count[v][0];
	}
	for (size_t k = 1; k < K; k++) {
		struct funnel_ab_step *s = &ab->step[k];
		uint64_t n[FUNNEL_MAX_VARIANTS], x[FUNNEL_MAX_VARIANTS];
		for (size_t v = 0; v < nv; v++) {
			n[v] = count[v][0];
			x[v] = count[v][k];
			s->reached[v] = x[v];
		}
		chi_square(s, nv, n, x);
		s->npairs = 0;
		for (size_t a = 0; a < nv; a++)
			for (size_t b = a + 1; b < nv; b++) {
				struct funnel_ab_pair *p = &s->pair[s->npairs++];
				*p = (struct funnel_ab_pair){.a = a, .b = b, .n_a = n[a], .x_a = x[a],
							     .n_b = n[b], .x_b = x[b]};
				pair_test(p);
			}
		holm(s);
	}
	if (nv == 2)
		verdict_two(ab, K - 1, first, last, noun);
	else
		verdict_many(ab, K - 1, first, last, noun);
}

void funnel_ab_free(struct funnel_ab *ab)
{
	for (size_t v = 0; v < ab->nvariants; v++)
		free(ab->variant[v]);
	memset(ab, 0, sizeof *ab);
}
