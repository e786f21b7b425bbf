/* Metrics against confusion matrices worked out by hand: the course's own
 * examples (lesson m2-08's 2,000 reviews at 90% accuracy and lesson
 * m7-03's spam filter), thresholds moving predictions, empty classes, and
 * ROC AUC / average precision equal to scikit-learn's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "labtest.h"
#include "metrics.h"

static void test_course_worked_example(void **state)
{
	(void)state;
	/* Lesson m2-08: truth in rows, predictions in columns. */
	struct confusion cm = {.tn = 910, .fp = 90, .fn = 110, .tp = 890};
	struct metrics_report r;
	metrics_from_confusion(&cm, &r);
	assert_near(r.accuracy, 0.90, 1e-12);
	/* positive: 890 / 980, 890 / 1000, 2PR / (P + R) */
	assert_near(r.classes[1].precision, 890.0 / 980, 1e-12);
	assert_near(r.classes[1].recall, 0.890, 1e-12);
	assert_near(r.classes[1].f1, 0.8989899, 1e-7);
	/* negative: 910 / 1020, 910 / 1000 */
	assert_near(r.classes[0].precision, 910.0 / 1020, 1e-12);
	assert_near(r.classes[0].recall, 0.910, 1e-12);
	assert_near(r.classes[0].f1, 0.9009901, 1e-7);
	assert_int_equal(r.classes[0].support, 1000);
	assert_int_equal(r.classes[1].support, 1000);
	assert_near(r.macro.precision, (890.0 / 980 + 910.0 / 1020) / 2, 1e-12);
	assert_near(r.macro.f1, 0.9, 1e-3);
	/* With 1,000 of each, weighted equals macro. */
	assert_near(r.weighted.recall, r.macro.recall, 1e-12);
	assert_int_equal(r.weighted.support, 2000);
}

static void test_spam_example_and_weighting(void **state)
{
	(void)state;
	/* Lesson m7-03: 100 emails, 20 spam; TP 15, FN 5, FP 3, TN 77. */
	struct confusion cm = {.tn = 77, .fp = 3, .fn = 5, .tp = 15};
	struct metrics_report r;
	metrics_from_confusion(&cm, &r);
	assert_near(r.accuracy, 0.92, 1e-12);
	assert_near(r.classes[1].precision, 15.0 / 18, 1e-12);
	assert_near(r.classes[1].recall, 0.75, 1e-12);
	/* not-spam: precision 77 / 82, recall 77 / 80 */
	assert_near(r.classes[0].precision, 77.0 / 82, 1e-12);
	assert_near(r.classes[0].recall, 77.0 / 80, 1e-12);
	/* weighted by support 80 / 20 */
	assert_near(r.weighted.recall, 0.8 * (77.0 / 80) + 0.2 * 0.75, 1e-12);
	assert_near(r.weighted.recall, r.accuracy, 1e-12);
}

static void test_lazy_model_scores_zero_not_nan(void **state)
{
	(void)state;
	/* Lesson m2-08's trap: 90 positive of 100, everything called positive. */
	struct confusion cm = {.tn = 0, .fp = 10, .fn = 0, .tp = 90};
	struct metrics_report r;
	metrics_from_confusion(&cm, &r);
	assert_near(r.accuracy, 0.9, 1e-12);
	assert_near(r.classes[0].recall, 0, 0);
	assert_near(r.classes[0].precision, 0, 0); /* nothing called negative */
	assert_near(r.classes[0].f1, 0, 0);
	struct confusion none = {0};
	metrics_from_confusion(&none, &r);
	assert_near(r.accuracy, 0, 0);
	assert_near(r.weighted.f1, 0, 0);
}

static void test_threshold_moves_the_matrix(void **state)
{
	(void)state;
	const double p[] = {0.9, 0.8, 0.4, 0.3, 0.6};
	const int y[] = {1, 0, 1, 0, 0};
	struct confusion cm;
	metrics_confusion(p, y, 5, 0.5, &cm);
	assert_int_equal(cm.tp, 1);
	assert_int_equal(cm.fp, 2);
	assert_int_equal(cm.fn, 1);
	assert_int_equal(cm.tn, 1);
	/* Lower: more caught, more false alarms. */
	metrics_confusion(p, y, 5, 0.35, &cm);
	assert_int_equal(cm.tp, 2);
	assert_int_equal(cm.fn, 0);
	assert_int_equal(cm.fp, 2);
	/* Higher: fewer false alarms, more missed. */
	metrics_confusion(p, y, 5, 0.85, &cm);
	assert_int_equal(cm.tp, 1);
	assert_int_equal(cm.fp, 0);
	assert_int_equal(cm.fn, 1);
	assert_int_equal(cm.tn, 3);
	/* At 0 everything is positive; a probability on the threshold is not
	 * above it, as scikit-learn's predict (0.5 is negative there). */
	metrics_confusion(p, y, 5, 0, &cm);
	assert_int_equal(cm.tp + cm.fp, 5);
	metrics_confusion(p, y, 5, 0.9, &cm);
	assert_int_equal(cm.tp + cm.fp, 0);
	metrics_confusion(p, y, 5, 0.8999, &cm);
	assert_int_equal(cm.tp, 1);
}

static void test_roc_and_pr_match_sklearn(void **state)
{
	(void)state;
	/* roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75;
	 * average_precision_score = 0.8333. */
	const double p[] = {0.1, 0.4, 0.35, 0.8};
	const int y[] = {0, 0, 1, 1};
	struct curve roc, pr;
	metrics_roc(p, y, 4, &roc);
	assert_int_equal(roc.n, 5);
	assert_near(roc.x[0], 0, 0);
	assert_near(roc.y[0], 0, 0);
	assert_near(roc.x[4], 1, 0);
	assert_near(roc.y[4], 1, 0);
	assert_near(roc.thresholds[1], 0.8, 0);
	assert_near(metrics_auc(&roc), 0.75, 1e-12);
	metrics_pr(p, y, 4, &pr);
	assert_near(metrics_average_precision(&pr), 5.0 / 6, 1e-12);
	/* Read on a grid for drawing: ROC points (0,0) (0,.5) (.5,.5) (.5,1)
	 * (1,1); PR points (0,1) (.5,1) (.5,.5) (1,.67) (1,.5). */
	double grid[3];
	metrics_roc_grid(&roc, 3, grid);
	assert_near(grid[0], 0.5, 0);
	assert_near(grid[1], 1, 0);
	assert_near(grid[2], 1, 0);
	metrics_pr_grid(&pr, 3, grid);
	assert_near(grid[0], 1, 0);
	assert_near(grid[1], 1, 0);
	assert_near(grid[2], 2.0 / 3, 1e-12);
	curve_free(&roc);
	curve_free(&pr);

	/* Ties count together: roc_auc_score([0,1,0,1,1,0],
	 * [0.2,0.2,0.7,0.7,0.9,0.1]) = 0.7777778, AP = 0.7555556. */
	const double q[] = {0.2, 0.2, 0.7, 0.7, 0.9, 0.1};
	const int z[] = {0, 1, 0, 1, 1, 0};
	metrics_roc(q, z, 6, &roc);
	assert_int_equal(roc.n, 5); /* start + 4 distinct scores */
	assert_near(metrics_auc(&roc), 7.0 / 9, 1e-12);
	metrics_pr(q, z, 6, &pr);
	assert_near(metrics_average_precision(&pr), 0.7555556, 1e-7);
	curve_free(&roc);
	curve_free(&pr);

	/* One class only: no curve, AUC undefined. */
	const int ones[] = {1, 1, 1, 1};
	metrics_roc(p, ones, 4, &roc);
	assert_int_equal(roc.n, 0);
	assert_true(isnan(metrics_auc(&roc)));
	curve_free(&roc);
	const int zeros[] = {0, 0, 0, 0};
	metrics_pr(p, zeros, 4, &pr);
	assert_true(isnan(metrics_average_precision(&pr)));
	curve_free(&pr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_course_worked_example),
		cmocka_unit_test(test_spam_example_and_weighting),
		cmocka_unit_test(test_lazy_model_scores_zero_not_nan),
		cmocka_unit_test(test_threshold_moves_the_matrix),
		cmocka_unit_test(test_roc_and_pr_match_sklearn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
