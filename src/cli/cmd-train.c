/* aipm train FILE [options]: the model lab on the command line. Loads a
 * labelled text file, takes the balanced subset (the lab screen's default),
 * splits it, trains logistic regression (L-BFGS to convergence, or
 * mini-batch SGD) or naive Bayes on TF-IDF (or count) features and prints
 * the evaluation: accuracy, precision/recall/F1 per class and averaged,
 * AUC, the confusion matrix, calibration (reliability bins, Brier score,
 * log loss), sizes, per-step losses and accuracies, and seconds.
 * --learning-curve adds test accuracy against training rows for LR and NB;
 * --save writes the model for `aipm predict` and the lab screen; --log
 * records the run in the learner's experiment log, as the lab does. */
#include "cli.h"
#include "clock.h"
#include "experiments.h"
#include "fileio.h"
#include "lab.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct train_args {
	const char *file, *test_file, *save;
	bool force; /* --save may replace an existing file */
	struct lab_settings s;
	bool test_split_given, learning_curve, log;
	/* --solver as given, and the first SGD-only or L-BFGS-only option. */
	const char *solver_given, *sgd_option, *lbfgs_option;
	enum out_format format;
};

/* v into the setting n names; -1 (said) when it is not a number n allows. */
static int set_number(struct train_args *a, const struct lab_number_setting *n, const char *v)
{
	if (*v && lab_number_set(&a->s, n, v) == 0)
		return 0;
	cli_error("train", "%s needs a %snumber from %.15g to %.15g, not '%s'", n->option,
		  n->type == LAB_NUMBER_REAL ? "" : "whole ", n->min, n->max, v);
	return -1;
}

/* A flag (an option without a value) at opt; whether it was one. */
static bool set_flag(struct train_args *a, const char *opt)
{
	if (!strcmp(opt, "--stop-words"))
		a->s.tok.stop_words = true;
	else if (!strcmp(opt, "--keep-html"))
		a->s.tok.strip_html = false;
	else if (!strcmp(opt, "--force"))
		a->force = true;
	else if (!strcmp(opt, "--learning-curve"))
		a->learning_curve = true;
	else if (!strcmp(opt, "--log"))
		a->log = true;
	else
		return false;
	return true;
}

/* A text or named-choice option; 0, or -1 (said) on a bad value. */
static int set_word(struct train_args *a, const char *opt, const char *v)
{
	struct lab_settings *s = &a->s;
	if (!strcmp(opt, "--test-file")) {
		a->test_file = v;
	} else if (!strcmp(opt, "--text-col")) {
		s->text_col = v;
	} else if (!strcmp(opt, "--label-col")) {
		s->label_col = v;
	} else if (!strcmp(opt, "--save")) {
		a->save = v;
	} else if (!strcmp(opt, "--model")) {
		if (linear_kind_parse(v, &s->train.kind) != 0) {
			cli_error("train", "--model is logreg or nb, not '%s'", v);
			return -1;
		}
	} else if (!strcmp(opt, "--solver")) {
		if (train_solver_parse(v, &s->train.solver) != 0) {
			cli_error("train", "--solver is lbfgs or sgd, not '%s'", v);
			return -1;
		}
		a->solver_given = v;
	} else if (!strcmp(opt, "--features")) {
		if (feature_kind_parse(v, &s->features) != 0) {
			cli_error("train", "--features is tfidf or count, not '%s'", v);
			return -1;
		}
	}
	return 0;
}

/* One option at argv[*i]; 1 when used, 0 when not an option of ours, -1
 * on a bad value. */
static int train_option(int argc, char **argv, int *i, struct train_args *a)
{
	static const char *const words[] = {"--test-file", "--text-col", "--label-col", "--model",
					    "--solver",	   "--features", "--save",	NULL};
	static const char *const sgd_only[] = {"--epochs", "--lr", "--batch", "--patience", NULL};
	static const char *const lbfgs_only[] = {"--max-iter", "--tol", NULL};
	const char *opt = argv[*i];
	if (set_flag(a, opt))
		return 1;
	const struct lab_number_setting *number = lab_number_setting(opt);
	bool word = false;
	for (int k = 0; words[k] && !word; k++)
		word = !strcmp(opt, words[k]);
	if (!number && !word)
		return 0;
	if (*i + 1 >= argc) {
		cli_error("train", "%s needs a value", opt);
		return -1;
	}
	for (int k = 0; sgd_only[k]; k++)
		if (!strcmp(opt, sgd_only[k]) && !a->sgd_option)
			a->sgd_option = sgd_only[k];
	for (int k = 0; lbfgs_only[k]; k++)
		if (!strcmp(opt, lbfgs_only[k]) && !a->lbfgs_option)
			a->lbfgs_option = lbfgs_only[k];
	const char *v = argv[++*i];
	if (number && !strcmp(opt, "--test-split"))
		a->test_split_given = true;
	if ((number ? set_number(a, number, v) : set_word(a, opt, v)) != 0)
		return -1;
	return 1;
}

/* The solver the options ask for: SGD's settings (epochs, learning rate,
 * batch, patience) choose SGD when --solver is not given, and say so; they
 * cannot be mixed with L-BFGS's. */
static int settle_solver(struct train_args *a)
{
	struct train_options *t = &a->s.train;
	if (a->sgd_option && a->lbfgs_option) {
		cli_error("train", "%s is an SGD setting and %s an L-BFGS one: pick one solver",
			  a->sgd_option, a->lbfgs_option);
		return -1;
	}
	if (a->solver_given) {
		const char *wrong = t->solver == SOLVER_LBFGS ? a->sgd_option : a->lbfgs_option;
		if (wrong) {
			cli_error("train", "%s does not apply to --solver %s", wrong,
				  a->solver_given);
			return -1;
		}
	} else if (a->sgd_option && t->kind == MODEL_LOGREG) {
		t->solver = SOLVER_SGD;
		fprintf(stderr, "aipm train: %s is a setting of mini-batch SGD: training with "
				"--solver sgd\n",
			a->sgd_option);
	}
	return 0;
}

static void print_warnings(const struct lab_data *d)
{
	const struct text_warnings *lists[] = {
		&d->data.warnings, d->has_test ? &d->test.warnings : NULL, &d->warnings};
	const char *files[] = {d->data.path, d->test.path, NULL};
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; lists[k] && i < lists[k]->count; i++) {
			if (files[k])
				sanitize_printf(stderr, "aipm train: %s: %s\n", files[k],
						lists[k]->items[i]);
			else
				sanitize_printf(stderr, "aipm train: %s\n", lists[k]->items[i]);
		}
	if (lab_split_caveat(d))
		sanitize_printf(stderr, "aipm train: %s\n", lab_split_caveat(d));
}

static json_t *data_json(const struct lab_data *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(d->data.path));
	json_object_set_new(o, "sha256", json_string(d->data.sha256));
	json_object_set_new(o, "test_file", d->has_test ? json_string(d->test.path) : json_null());
	json_object_set_new(o, "rows", json_integer((json_int_t)d->data.count));
	json_object_set_new(o, "rows_used", json_integer((json_int_t)d->nrows));
	json_object_set_new(o, "balanced", json_integer((json_int_t)d->balanced));
	char subset[256];
	lab_subset_describe(d, subset, sizeof subset);
	json_object_set_new(o, "subset", json_string(subset));
	json_object_set_new(o, "text_column", json_string(d->data.text_column));
	json_object_set_new(o, "label_column", json_string(d->data.label_column));
	json_t *counts = json_object();
	for (int c = 0; c < 2; c++)
		json_object_set_new(counts, d->data.label_names[c],
				    json_integer((json_int_t)d->data.class_counts[c]));
	json_object_set_new(o, "class_counts", counts);
	json_object_set_new(o, "positive_label", json_string(d->data.label_names[1]));
	json_t *warnings = json_array();
	const struct text_warnings *lists[] = {
		&d->data.warnings, d->has_test ? &d->test.warnings : NULL, &d->warnings};
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; lists[k] && i < lists[k]->count; i++)
			json_array_append_new(warnings, json_string(lists[k]->items[i]));
	if (lab_split_caveat(d))
		json_array_append_new(warnings, json_string(lab_split_caveat(d)));
	json_object_set_new(o, "warnings", warnings);
	return o;
}

/* What the run printed besides the run itself. */
struct train_extras {
	const struct lab_learning_curve *curve; /* NULL: not asked */
	const struct experiment *logged;	/* NULL: not logged */
	size_t logged_number;
	double load_seconds, total_seconds;
};

static void print_json(const struct lab_data *d, const struct lab_run *r,
		       const struct lab_settings *s, const struct train_extras *x)
{
	json_t *o = lab_run_json(r);
	json_object_set_new(o, "data", data_json(d));
	json_object_set_new(o, "settings", lab_settings_json(s));
	if (x->curve)
		json_object_set_new(o, "learning_curve", lab_learning_curve_json(x->curve));
	if (x->logged)
		json_object_set_new(o, "experiment",
				    json_pack("{s:s, s:I}", "uid", x->logged->uid, "run",
					      (json_int_t)x->logged_number));
	json_t *secs = json_object_get(o, "seconds");
	json_object_set_new(secs, "load", json_real(x->load_seconds));
	json_object_set_new(secs, "total", json_real(x->total_seconds));
	out_json(o, stdout);
	json_decref(o);
}

static void print_model(const struct lab_settings *s)
{
	const struct train_options *t = &s->train;
	if (t->kind == MODEL_NB)
		printf("model     multinomial naive Bayes, alpha %g\n", t->nb_alpha);
	else if (t->solver == SOLVER_LBFGS)
		printf("model     logistic regression by L-BFGS: C %g, tolerance %g, at most %d "
		       "iterations\n",
		       t->C, t->tol, t->max_iter);
	else
		printf("model     logistic regression by mini-batch SGD: %d epochs, learning rate "
		       "%g, batch %zu, C %g, early stopping after %d epochs without progress\n",
		       t->epochs, t->learning_rate, t->batch_size, t->C, t->patience);
}

static void print_steps(const struct lab_run *r)
{
	const struct train_options *t = &r->trained_with;
	bool lbfgs = t->kind == MODEL_LOGREG && t->solver == SOLVER_LBFGS;
	const char *unit = t->kind == MODEL_NB ? "pass" : lbfgs ? "iteration" : "epoch";
	const char *cols[] = {unit, "train loss", "train accuracy", "val loss", "val accuracy",
			      "largest gradient"};
	struct out_table *tb = out_table_new(cols, lbfgs ? 6 : 5);
	for (size_t i = 0; i < r->train.nsteps; i++) {
		const struct train_step *e = &r->train.steps[i];
		out_int(tb, e->step);
		out_real(tb, e->train_loss, 4);
		out_real(tb, e->train_accuracy, 4);
		if (e->has_val) {
			out_real(tb, e->val_loss, 4);
			out_real(tb, e->val_accuracy, 4);
		} else {
			out_null(tb);
			out_null(tb);
		}
		if (lbfgs)
			out_real(tb, e->grad_max, 6);
		out_table_end_row(tb);
	}
	out_table_print(tb, OUT_TABLE, stdout);
	out_table_free(tb);
	char said[512];
	lab_train_describe(r, said, sizeof said);
	sanitize_printf(stdout, "\ntraining  %s\n\n", said);
}

static void print_matrix(const struct lab_eval *e, char *const labels[2])
{
	const struct metrics_report *m = &e->report;
	char h0[160], h1[160];
	snprintf(h0, sizeof h0, "predicted %s", labels[0]);
	snprintf(h1, sizeof h1, "predicted %s", labels[1]);
	const char *ccols[] = {"truth", h0, h1};
	struct out_table *t = out_table_new(ccols, 3);
	out_text(t, labels[0]);
	out_int(t, (long long)m->cm.tn);
	out_int(t, (long long)m->cm.fp);
	out_table_end_row(t);
	out_text(t, labels[1]);
	out_int(t, (long long)m->cm.fn);
	out_int(t, (long long)m->cm.tp);
	out_table_end_row(t);
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	putchar('\n');

	const char *rcols[] = {"class", "precision", "recall", "f1", "support"};
	t = out_table_new(rcols, 5);
	const struct class_scores *rows[] = {&m->classes[0], &m->classes[1], &m->macro,
					     &m->weighted};
	const char *names[] = {labels[0], labels[1], "macro avg", "weighted avg"};
	for (int i = 0; i < 4; i++) {
		out_text(t, names[i]);
		out_real(t, rows[i]->precision, 4);
		out_real(t, rows[i]->recall, 4);
		out_real(t, rows[i]->f1, 4);
		out_int(t, (long long)rows[i]->support);
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
}

/* The reliability diagram as a table, read in the course's words. */
static void print_calibration(const struct lab_eval *e, const char *positive)
{
	const struct calibration *c = &e->calibration;
	printf("\ncalibration: Brier score %.4f, log loss %.4f (lower is better; always "
	       "saying 0.5 scores 0.25 and 0.693)\n",
	       c->brier, c->log_loss);
	char observed[64];
	snprintf(observed, sizeof observed, "truly %s", positive);
	const char *cols[] = {"probability", "reviews", "mean probability", observed};
	struct out_table *t = out_table_new(cols, 4);
	for (size_t b = 0; b < c->nbins; b++) {
		const struct calibration_bin *k = &c->bins[b];
		char range[32];
		snprintf(range, sizeof range, "%.1f-%.1f", k->from, k->to);
		out_text(t, range);
		out_int(t, (long long)k->count);
		if (k->count) {
			out_real(t, k->mean_predicted, 3);
			out_real(t, k->observed, 3);
		} else {
			out_null(t);
			out_null(t);
		}
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	sanitize_printf(stdout, "When the model is 70%% sure, about 70 of 100 such reviews should be %s: the "
	       "mean probability and the share truly %s of a row should agree (largest gap "
	       "%.2f).\n",
	       positive, positive, c->max_gap);
}

static void print_learning_curve(const struct lab_learning_curve *c)
{
	printf("\nlearning curve: accuracy on the same %zu %s reviews as the training set "
	       "grows\n",
	       c->test_rows, c->val_is_test ? "validation" : "test");
	const char *cols[] = {"training rows", "logistic regression", "naive Bayes"};
	struct out_table *t = out_table_new(cols, 3);
	for (size_t i = 0; i < c->n; i++) {
		out_int(t, (long long)c->points[i].rows);
		out_real(t, c->points[i].accuracy[MODEL_LOGREG], 4);
		out_real(t, c->points[i].accuracy[MODEL_NB], 4);
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	printf("How much data do we need? Where the line flattens, more rows of the same kind "
	       "buy little.\n");
}

static void print_table(const struct lab_data *d, const struct lab_run *r,
			const struct lab_settings *s, const struct train_extras *x)
{
	char *const *labels = r->model.labels;
	sanitize_printf(stdout, "data      %s: %zu rows (%zu %s, %zu %s); text '%s', label '%s'\n", d->data.path,
	       d->data.count, d->data.class_counts[0], labels[0], d->data.class_counts[1],
	       labels[1], d->data.text_column, d->data.label_column);
	char subset[256];
	lab_subset_describe(d, subset, sizeof subset);
	sanitize_printf(stdout, "subset    %s\n", subset);
	printf("split     train %zu, validation %zu, test %zu%s (seed %llu)\n", r->ntrain, r->nval,
	       r->ntest,
	       d->has_test ? " from the test file"
	       : r->val_is_test ? " (the validation set)"
				: "",
	       (unsigned long long)s->train.seed);
	printf("features  %s of %s, vocabulary %zu\n",
	       s->features == FEATURES_TFIDF ? "TF-IDF" : "counts",
	       s->tok.ngram_max == 2 ? "words and word pairs" : "words",
	       vocab_size(r->model.vocab));
	print_model(s);
	putchar('\n');
	print_steps(r);
	const struct lab_eval *e = &r->eval;
	printf("accuracy %.4f at threshold %.2f; AUC %.4f\n\n", e->report.accuracy, e->threshold,
	       e->auc);
	print_matrix(e, labels);
	print_calibration(e, labels[1]);
	if (x->curve)
		print_learning_curve(x->curve);
	printf("\nseconds   %.3f in all (tokenizing %.3f, features %.3f, training %.3f, "
	       "evaluation %.3f)\n",
	       x->total_seconds, r->seconds.tokenize, r->seconds.features, r->seconds.train,
	       r->seconds.evaluate);
}

/* Records the run for the learner, as the lab screen does. */
static int log_run(struct cli_env *env, const struct lab_data *d, const struct lab_settings *s,
		   const struct lab_run *r, struct experiment *out, size_t *number)
{
	struct learner l;
	struct store *st = cli_open_learner(env, "train", false, &l);
	if (!st)
		return 1;
	int rc = 0;
	double seconds = r->seconds.tokenize + r->seconds.features + r->seconds.train +
			 r->seconds.evaluate;
	if (experiment_log(st, l.id, d, s, r, seconds, out) != STORE_OK)
		rc = cli_error("train", "cannot log the run: %s", store_errmsg(st));
	if (!rc) {
		struct experiment *all;
		size_t n;
		*number = 0;
		if (experiment_list(st, l.id, &all, &n) == STORE_OK) {
			for (size_t i = 0; i < n; i++)
				if (!strcmp(all[i].uid, out->uid))
					*number = i + 1;
			experiments_free(all, n);
		}
		sanitize_printf(stderr, "aipm train: logged as run %zu of %s's experiments (aipm "
				"experiments)\n",
			*number, l.name);
	}
	store_close(st);
	return rc;
}

static int train_run(struct cli_env *env, int argc, char **argv)
{
	double started = clock_monotonic();
	struct train_args a = {.format = OUT_TABLE};
	lab_settings_default(&a.s);
	for (int i = 0; i < argc; i++) {
		int r = train_option(argc, argv, &i, &a);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		r = cli_format_option(argc, argv, &i, &a.format, "train");
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("train", "unknown option '%s'", argv[i]);
			return cli_usage(&cmd_train);
		}
		if (a.file) {
			cli_error("train", "one data file at a time ('%s' and '%s')", a.file,
				  argv[i]);
			return 2;
		}
		a.file = argv[i];
	}
	if (!a.file)
		return cli_usage(&cmd_train);
	if (a.format == OUT_CSV) {
		cli_error("train", "the report is nested: use --format table or json");
		return 2;
	}
	if (settle_solver(&a) != 0)
		return 2;
	/* A test file is the test set: no share of the data goes to one. */
	if (a.test_file && !a.test_split_given)
		a.s.test_split = 0;
	const char *bad = train_options_check(&a.s.train);
	if (bad) {
		cli_error("train", "%s", bad);
		return 2;
	}

	char err[1024];
	/* The report is the output; a binary model does not go with it. */
	if (a.save && !strcmp(a.save, "-"))
		return cli_error("train", "--save needs a file name: the model is binary, and "
					  "standard output holds the report");
	if (a.save && file_out_check(a.save, a.force, err, sizeof err) != 0)
		return cli_error("train", "--save: %s", err);
	struct lab_data d;
	if (lab_data_load(&d, a.file, a.test_file, &a.s, err, sizeof err) != 0)
		return cli_error("train", "%s", err);
	if (lab_data_prepare(&d, &a.s, err, sizeof err) != 0) {
		print_warnings(&d);
		lab_data_free(&d);
		return cli_error("train", "%s", err);
	}
	double loaded = clock_monotonic();
	print_warnings(&d);
	char subset[256];
	lab_subset_describe(&d, subset, sizeof subset);
	sanitize_printf(stderr, "aipm train: %s\n", subset);
	struct lab_run r;
	if (lab_train(&d, &a.s, NULL, NULL, &r, err, sizeof err) != 0) {
		lab_data_free(&d);
		return cli_error("train", "%s", err);
	}
	if (!train_stop_is_converged(r.train.stop)) {
		char said[512];
		lab_train_describe(&r, said, sizeof said);
		sanitize_printf(stderr, "aipm train: warning: %s\n", said);
	}
	int rc = 0;
	struct lab_learning_curve curve;
	struct train_extras x = {0};
	if (a.learning_curve) {
		if (lab_learning_curve(&d, &a.s, NULL, NULL, &curve, err, sizeof err) != 0)
			rc = cli_error("train", "learning curve: %s", err);
		else
			x.curve = &curve;
	}
	x.total_seconds = clock_monotonic() - started;
	x.load_seconds = loaded - started;
	if (a.save && lab_save(&r, a.save, a.force, err, sizeof err) != 0)
		rc = cli_error("train", "%s", err);
	struct experiment logged;
	if (a.log && !rc) {
		rc = log_run(env, &d, &a.s, &r, &logged, &x.logged_number);
		if (!rc)
			x.logged = &logged;
	}
	if (a.format == OUT_JSON)
		print_json(&d, &r, &a.s, &x);
	else
		print_table(&d, &r, &a.s, &x);
	if (a.save && rc == 0 && a.format != OUT_JSON)
		sanitize_printf(stdout, "saved     %s\n", a.save);
	if (x.logged)
		experiment_free(&logged);
	lab_run_free(&r);
	lab_data_free(&d);
	return rc;
}

const struct cli_command cmd_train = {
	.name = "train",
	.usage = "FILE [--test-file FILE] [--text-col C] [--label-col C] [--model logreg|nb]\n"
		 "       [--features tfidf|count] [--ngrams 1|2] [--min-df N] [--max-vocab N]\n"
		 "       [--stop-words] [--keep-html] [--C X] [--solver lbfgs|sgd]\n"
		 "       [--max-iter N] [--tol X] (L-BFGS) [--epochs N] [--lr X] [--batch N]\n"
		 "       [--patience N] (SGD) [--alpha X] [--test-split F] [--val-split F]\n"
		 "       [--balanced N (0: every row)] [--seed N] [--threshold X]\n"
		 "       [--learning-curve] [--save PATH [--force]] [--log] [--format table|json]",
	.summary = "train a sentiment classifier on a labelled text CSV/TSV and evaluate it",
	.run = train_run,
};
