/* Logistic regression by L-BFGS (scikit-learn's defaults) and by mini-batch
 * SGD, and multinomial naive Bayes: the objective's gradient and the SGD
 * step follow central differences, L-BFGS gives scikit-learn's
 * LogisticRegression() coefficients and stops by its rules (reporting an
 * iteration limit it hit), SGD stops early on a rising validation loss and
 * keeps its best epoch, a separable toy set is learnt perfectly, naive
 * Bayes gives scikit-learn's MultinomialNB probabilities, training can be
 * cancelled, and contributions add up to the score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "train.h"
#include "labtest.h"
#include "tokenize.h"

#include <string.h>

static const double dense5x4[] = {
	0.5, 0, 1.0, 0,
	0, 0.7, 0, 0.2,
	1.0, 0.3, 0, 0,
	0, 0, 0.9, 0.4,
	0.2, 0.6, 0, 0.8,
};
static const int labels5[] = {1, 0, 1, 1, 0};

static void gradient_check(const size_t *rows, size_t n)
{
	struct csr X;
	labtest_csr(&X, dense5x4, 5, 4);
	const double w0[] = {0.3, -0.2, 0.5, 0.1};
	const double C = 0.5, lr = 0.5, h = 1e-6;
	struct linear_model m;
	linear_model_init(&m, MODEL_LOGREG, 4);

	/* Central differences of the objective at (w0, bias 0.05). */
	double numeric[5];
	for (size_t j = 0; j < 5; j++) {
		double f[2];
		for (int s = 0; s < 2; s++) {
			memcpy(m.weights, w0, sizeof w0);
			m.bias = 0.05;
			double *p = j < 4 ? &m.weights[j] : &m.bias;
			*p += s ? -h : h;
			f[s] = train_logreg_objective(&m, &X, labels5, rows, n, C, NULL);
		}
		numeric[j] = (f[0] - f[1]) / (2 * h);
	}
	/* The gradient L-BFGS is given. */
	memcpy(m.weights, w0, sizeof w0);
	m.bias = 0.05;
	double grad[5];
	train_logreg_objective(&m, &X, labels5, rows, n, C, grad);
	for (size_t j = 0; j < 5; j++)
		assert_near(grad[j], numeric[j], 1e-6);
	/* The SGD step minimizes the same objective per row: with l2 = 1 / (C
	 * n) it moves the weights by -lr * gradient / n. */
	train_sgd_step(&m, &X, labels5, rows, n, lr, 1.0 / (C * (double)n));
	for (size_t j = 0; j < 4; j++)
		assert_near((w0[j] - m.weights[j]) / lr, numeric[j] / (double)n, 1e-6);
	assert_near((0.05 - m.bias) / lr, numeric[4] / (double)n, 1e-6);
	linear_model_free(&m);
	csr_free(&X);
}

static void test_gradient_matches_numerical(void **state)
{
	(void)state;
	const size_t all[] = {0, 1, 2, 3, 4};
	gradient_check(all, 5);
	const size_t batch[] = {3, 1};
	gradient_check(batch, 2);
	const size_t one[] = {4};
	gradient_check(one, 1);
}

static void test_options_checked(void **state)
{
	(void)state;
	struct train_options o;
	train_options_default(&o);
	assert_int_equal(o.solver, SOLVER_LBFGS);
	assert_true(o.C == 1 && o.tol == 1e-4 && o.max_iter == 100);
	assert_null(train_options_check(&o));
	o.C = 0;
	assert_non_null(train_options_check(&o));
	train_options_default(&o);
	o.max_iter = 0;
	assert_non_null(train_options_check(&o));
	train_options_default(&o);
	o.tol = 0;
	assert_non_null(train_options_check(&o));
	/* SGD's own settings are checked only for SGD. */
	train_options_default(&o);
	o.learning_rate = 0;
	assert_null(train_options_check(&o));
	o.solver = SOLVER_SGD;
	assert_non_null(train_options_check(&o));
	train_options_default(&o);
	o.solver = SOLVER_SGD;
	o.batch_size = 0;
	assert_non_null(train_options_check(&o));
	train_options_default(&o);
	o.solver = SOLVER_SGD;
	o.epochs = 0;
	assert_non_null(train_options_check(&o));
	train_options_default(&o);
	o.solver = SOLVER_SGD;
	o.patience = -1;
	assert_non_null(train_options_check(&o));
	train_options_default(&o);
	o.kind = MODEL_NB;
	o.nb_alpha = 0;
	assert_non_null(train_options_check(&o));
	assert_int_equal(train_solver_parse("sgd", &o.solver), 0);
	assert_string_equal(train_solver_name(o.solver), "sgd");
	assert_int_equal(train_solver_parse("newton", &o.solver), -1);
}

/* A small set with an empty row; reference values from scikit-learn
 * 1.2.1: LogisticRegression().fit(csr_matrix(X), y) and C=10. */
static const double dense12x5[] = {
	0.0,  0.71, 0.0,  0.51, 0.0,  0.9,  0.0,  0.0,	0.05, 0.0,  0.03, 0.46,
	0.65, 0.28, 0.68, 0.0,	0.0,  0.0,  0.0,  0.0,	0.0,  0.69, 0.0,  0.16,
	0.54, 0.78, 0.31, 0.0,	0.39, 0.94, 0.98, 0.67, 0.9,  0.85, 0.38, 0.09,
	0.65, 0.0,  0.36, 0.0,	0.0,  0.47, 0.27, 0.29, 0.46, 0.86, 0.0,  0.28,
	0.28, 0.45, 0.21, 0.2,	0.0,  0.0,  0.0,  0.36, 0.71, 0.0,  0.69, 0.0,
};
static const int labels12[] = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0};

static void check_lbfgs(double C, const double coef[5], double intercept, int sk_iterations)
{
	struct csr X;
	labtest_csr(&X, dense12x5, 12, 5);
	struct train_options o;
	train_options_default(&o);
	o.C = C;
	struct linear_model m;
	struct train_result res;
	char err[256];
	assert_int_equal(
		train_classifier(&o, &X, labels12, NULL, NULL, NULL, NULL, &m, &res, err, sizeof err),
		0);
	for (int j = 0; j < 5; j++)
		assert_near(m.weights[j], coef[j], 2e-4 * (1 + fabs(coef[j])));
	assert_near(m.bias, intercept, 2e-4);
	/* Converged by scikit-learn's rules, in about as many iterations. */
	assert_true(train_stop_is_converged(res.stop));
	assert_true(res.stop == TRAIN_CONVERGED || res.stop == TRAIN_FLAT);
	if (res.stop == TRAIN_CONVERGED)
		assert_true(res.steps[res.nsteps - 1].grad_max <= o.tol);
	assert_true(abs((int)res.nsteps - sk_iterations) <= 2);
	assert_int_equal(res.kept_step, (int)res.nsteps);
	/* The step reports what training minimizes. */
	const size_t all[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	assert_near(res.steps[res.nsteps - 1].objective,
		    train_logreg_objective(&m, &X, labels12, all, 12, C, NULL), 1e-9);
	train_result_free(&res);
	linear_model_free(&m);
	csr_free(&X);
}

static void test_lbfgs_matches_sklearn(void **state)
{
	(void)state;
	const double c1[] = {-0.649394010262992, -0.01821847012901394, 0.6841260381147158,
			     -0.006034306805580561, -0.17658733661324483};
	check_lbfgs(1, c1, 0.16750646033973815, 7);
	const double c10[] = {-2.5745257347671036, -0.9328505830023485, 3.668559417495886,
			      -0.009825058281702069, -1.1338172684047854};
	check_lbfgs(10, c10, 0.9414207571293357, 14);

	/* predict_proba of the first rows with C = 1. */
	struct csr X;
	labtest_csr(&X, dense12x5, 12, 5);
	struct train_options o;
	train_options_default(&o);
	struct linear_model m;
	struct train_result res;
	char err[256];
	train_classifier(&o, &X, labels12, NULL, NULL, NULL, NULL, &m, &res, err, sizeof err);
	const double proba[] = {0.5378011941562195, 0.39717502039306435, 0.6136206095269882,
				0.5417789730925936};
	for (size_t r = 0; r < 4; r++)
		assert_near(linear_prob(&m, &X, r), proba[r], 1e-5);
	train_result_free(&res);
	linear_model_free(&m);

	/* An iteration limit too low is reported, as ConvergenceWarning. */
	o.C = 10;
	o.max_iter = 2;
	train_classifier(&o, &X, labels12, NULL, NULL, NULL, NULL, &m, &res, err, sizeof err);
	assert_int_equal(res.stop, TRAIN_MAX_ITER);
	assert_false(train_stop_is_converged(res.stop));
	assert_int_equal(res.nsteps, 2);
	assert_true(res.steps[1].grad_max > o.tol);
	train_result_free(&res);
	linear_model_free(&m);
	csr_free(&X);
}

/* Words that only positives or only negatives use. */
static const char *toy_texts[] = {
	"wonderful acting and a great story", "great fun, superb cast",
	"superb and wonderful film", "a great, lovely movie", "lovely score, great pacing",
	"wonderful lovely superb", "awful acting and a dull story", "dull plot, terrible cast",
	"terrible and awful film", "an awful, boring movie", "boring score, dull pacing",
	"awful boring terrible",
};
static const int toy_labels[] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
#define TOY_N 12

struct toy {
	struct tokenizer *t;
	struct vocab *v;
	double *idf;
	struct csr X;
};

static void toy_build(struct toy *toy, enum feature_kind kind)
{
	struct token_options o;
	token_options_default(&o);
	char err[128];
	toy->t = tokenizer_new(&o, err, sizeof err);
	struct doc_terms docs;
	toy->v = vocab_fit(toy->t, toy_texts, TOY_N, &docs);
	toy->idf = features_idf(toy->v);
	features_build(&docs, vocab_size(toy->v), kind, toy->idf, &toy->X);
	doc_terms_free(&docs);
}

static void toy_free(struct toy *toy)
{
	csr_free(&toy->X);
	free(toy->idf);
	vocab_free(toy->v);
	tokenizer_free(toy->t);
}

static double prob_of(const struct toy *toy, const struct linear_model *m, const char *text)
{
	struct doc_terms docs;
	vocab_transform(toy->t, toy->v, &text, 1, &docs);
	struct csr X;
	features_build(&docs, vocab_size(toy->v), FEATURES_TFIDF, toy->idf, &X);
	double p = linear_prob(m, &X, 0);
	csr_free(&X);
	doc_terms_free(&docs);
	return p;
}

static void check_learns_toy(const struct toy *toy, const struct train_options *o)
{
	struct linear_model m;
	struct train_result res;
	char err[256];
	assert_int_equal(train_classifier(o, &toy->X, toy_labels, NULL, NULL, NULL, NULL, &m, &res,
					  err, sizeof err),
			 0);
	assert_false(res.stop == TRAIN_CANCELLED);
	/* The loss falls and every training review is right. */
	assert_true(res.steps[res.nsteps - 1].train_loss < res.steps[0].train_loss);
	double probs[TOY_N];
	linear_predict(&m, &toy->X, probs);
	for (size_t i = 0; i < TOY_N; i++)
		assert_int_equal(probs[i] > 0.5, toy_labels[i]);
	/* Unseen sentences made of the same words go the right way. */
	assert_true(prob_of(toy, &m, "a superb, lovely story") > 0.5);
	assert_true(prob_of(toy, &m, "a dull, terrible story") < 0.5);

	/* The strongest positive words are positive ones. */
	uint32_t top[3];
	assert_int_equal(linear_top_terms(&m, 1, 3, top), 3);
	for (int i = 0; i < 3; i++) {
		const char *w = vocab_term(toy->v, top[i]);
		assert_true(strstr("wonderful great superb lovely fun", w) != NULL ||
			    strchr(w, ' '));
		assert_true(m.weights[top[i]] > 0);
	}
	assert_int_equal(linear_top_terms(&m, 0, 1, top), 1);
	assert_true(m.weights[top[0]] < 0);

	/* Contributions add up to the score. */
	struct contribution *items;
	size_t n = linear_contributions(&m, &toy->X, 0, &items);
	double sum = m.bias;
	for (size_t i = 0; i < n; i++) {
		sum += items[i].contribution;
		if (i)
			assert_true(fabs(items[i].contribution) <= fabs(items[i - 1].contribution));
	}
	assert_near(sum, linear_score(&m, &toy->X, 0), 1e-9);
	free(items);
	train_result_free(&res);
	linear_model_free(&m);
}

static void test_separable_set_learnt_perfectly(void **state)
{
	(void)state;
	struct toy toy;
	toy_build(&toy, FEATURES_TFIDF);
	struct train_options o;
	train_options_default(&o);
	/* L-BFGS with a weak penalty, so that twelve reviews can move it. */
	o.C = 100;
	check_learns_toy(&toy, &o);
	/* SGD over 30 epochs of batches of 4. */
	o.solver = SOLVER_SGD;
	o.batch_size = 4;
	o.epochs = 30;
	check_learns_toy(&toy, &o);

	/* Naive Bayes learns the same set. */
	o.kind = MODEL_NB;
	struct linear_model m;
	struct train_result res;
	char err[256];
	assert_int_equal(train_classifier(&o, &toy.X, toy_labels, NULL, NULL, NULL, NULL, &m, &res,
					  err, sizeof err),
			 0);
	assert_int_equal(res.stop, TRAIN_FITTED);
	double probs[TOY_N];
	linear_predict(&m, &toy.X, probs);
	for (size_t i = 0; i < TOY_N; i++)
		assert_int_equal(probs[i] > 0.5, toy_labels[i]);
	train_result_free(&res);
	linear_model_free(&m);
	toy_free(&toy);
}

static void test_same_seed_same_model(void **state)
{
	(void)state;
	struct toy toy;
	toy_build(&toy, FEATURES_TFIDF);
	struct train_options o;
	train_options_default(&o);
	o.solver = SOLVER_SGD;
	o.epochs = 3;
	struct linear_model a, b;
	struct train_result ra, rb;
	char err[256];
	train_classifier(&o, &toy.X, toy_labels, NULL, NULL, NULL, NULL, &a, &ra, err, sizeof err);
	train_classifier(&o, &toy.X, toy_labels, NULL, NULL, NULL, NULL, &b, &rb, err, sizeof err);
	assert_memory_equal(a.weights, b.weights, a.dim * sizeof *a.weights);
	o.seed = 7;
	struct linear_model c;
	struct train_result rc;
	train_classifier(&o, &toy.X, toy_labels, NULL, NULL, NULL, NULL, &c, &rc, err, sizeof err);
	assert_true(memcmp(a.weights, c.weights, a.dim * sizeof *a.weights) != 0);
	linear_model_free(&a);
	linear_model_free(&b);
	linear_model_free(&c);
	train_result_free(&ra);
	train_result_free(&rb);
	train_result_free(&rc);
	toy_free(&toy);
}

static bool stop_after_two(const struct train_step *s, void *data)
{
	int *calls = data;
	(*calls)++;
	assert_true(s->has_val);
	assert_true(s->val_loss > 0);
	return s->step < 2;
}

static void test_cancel_and_validation(void **state)
{
	(void)state;
	struct toy toy;
	toy_build(&toy, FEATURES_TFIDF);
	struct train_options o;
	train_options_default(&o);
	struct linear_model m;
	struct train_result res;
	char err[256];
	for (int solver = SOLVER_LBFGS; solver <= SOLVER_SGD; solver++) {
		o.solver = (enum solver_kind)solver;
		o.patience = 0;
		int calls = 0;
		assert_int_equal(train_classifier(&o, &toy.X, toy_labels, &toy.X, toy_labels,
						  stop_after_two, &calls, &m, &res, err, sizeof err),
				 0);
		assert_int_equal(calls, 2);
		assert_int_equal(res.nsteps, 2);
		assert_int_equal(res.stop, TRAIN_CANCELLED);
		assert_false(train_stop_is_converged(res.stop));
		train_result_free(&res);
		linear_model_free(&m);
	}

	/* One class cannot be learnt. */
	const int ones[TOY_N] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	assert_int_equal(train_classifier(&o, &toy.X, ones, NULL, NULL, NULL, NULL, &m, &res, err,
					  sizeof err),
			 -1);
	assert_non_null(strstr(err, "one class"));
	toy_free(&toy);
}

/* The validation loss of every epoch, as the callback saw it. */
struct val_losses {
	double loss[64];
	int n;
};

static bool record_val(const struct train_step *s, void *data)
{
	struct val_losses *v = data;
	if (v->n < 64)
		v->loss[v->n++] = s->val_loss;
	return true;
}

static void test_sgd_stops_early_and_keeps_best(void **state)
{
	(void)state;
	struct toy toy;
	toy_build(&toy, FEATURES_TFIDF);
	/* A validation set that says the opposite: the better the model
	 * learns the training set, the worse it does there. */
	int flipped[TOY_N];
	for (int i = 0; i < TOY_N; i++)
		flipped[i] = !toy_labels[i];
	struct train_options o;
	train_options_default(&o);
	o.solver = SOLVER_SGD;
	o.batch_size = 4;
	o.epochs = 40;
	o.patience = 3;
	struct linear_model m;
	struct train_result res;
	struct val_losses seen = {0};
	char err[256];
	assert_int_equal(train_classifier(&o, &toy.X, toy_labels, &toy.X, flipped, record_val,
					  &seen, &m, &res, err, sizeof err),
			 0);
	assert_int_equal(res.stop, TRAIN_EARLY_STOPPED);
	assert_true(train_stop_is_converged(res.stop));
	assert_true(res.nsteps < 40);
	/* Three epochs without a better validation loss after the best. */
	assert_int_equal((int)res.nsteps - res.kept_step, 3);
	int best = 0;
	for (int i = 1; i < seen.n; i++)
		if (seen.loss[i] < seen.loss[best])
			best = i;
	assert_int_equal(res.kept_step, best + 1);
	/* The model holds the best epoch's weights. */
	assert_near(linear_log_loss(&m, &toy.X, flipped), seen.loss[best], 1e-9);
	train_result_free(&res);
	linear_model_free(&m);

	/* Patience 0 runs every epoch. */
	o.patience = 0;
	assert_int_equal(train_classifier(&o, &toy.X, toy_labels, &toy.X, flipped, NULL, NULL, &m,
					  &res, err, sizeof err),
			 0);
	assert_int_equal(res.stop, TRAIN_EPOCHS_DONE);
	assert_int_equal(res.nsteps, 40);
	train_result_free(&res);
	linear_model_free(&m);
	toy_free(&toy);
}

static void test_naive_bayes_matches_sklearn(void **state)
{
	(void)state;
	/* MultinomialNB().fit([[2,1,0],[0,1,2],[1,0,0]], [1,0,1]) gives
	 * P(1 | [1,1,1]) = 0.62676823 and P(1 | [0,0,3]) = 0.04456825. By
	 * hand: class 1 counts (3,1,0), total 4; class 0 (0,1,2), total 3;
	 * with alpha 1 over 3 terms, P(j|1) = (4/7, 2/7, 1/7), P(j|0) = (1/6,
	 * 2/6, 3/6); priors 2/3 and 1/3. */
	const double train[] = {2, 1, 0, 0, 1, 2, 1, 0, 0};
	const int y[] = {1, 0, 1};
	struct csr X;
	labtest_csr(&X, train, 3, 3);
	struct train_options o;
	train_options_default(&o);
	o.kind = MODEL_NB;
	struct linear_model m;
	struct train_result res;
	char err[256];
	assert_int_equal(train_classifier(&o, &X, y, NULL, NULL, NULL, NULL, &m, &res, err,
					  sizeof err),
			 0);
	assert_near(m.weights[0], log((4.0 / 7) / (1.0 / 6)), 1e-12);
	assert_near(m.bias, log(2.0), 1e-12);
	const double test[] = {1, 1, 1, 0, 0, 3};
	struct csr T;
	labtest_csr(&T, test, 2, 3);
	assert_near(linear_prob(&m, &T, 0), 0.62676823, 1e-8);
	assert_near(linear_prob(&m, &T, 1), 0.04456825, 1e-8);
	csr_free(&T);
	csr_free(&X);
	train_result_free(&res);
	linear_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gradient_matches_numerical),
		cmocka_unit_test(test_options_checked),
		cmocka_unit_test(test_lbfgs_matches_sklearn),
		cmocka_unit_test(test_separable_set_learnt_perfectly),
		cmocka_unit_test(test_same_seed_same_model),
		cmocka_unit_test(test_cancel_and_validation),
		cmocka_unit_test(test_sgd_stops_early_and_keeps_best),
		cmocka_unit_test(test_naive_bayes_matches_sklearn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
