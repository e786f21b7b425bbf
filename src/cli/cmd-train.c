/* aipm train FILE [options]: the model lab on the command line. Loads a
 * labelled text file, splits it, trains logistic regression (or naive
 * Bayes) on TF-IDF (or count) features and prints the evaluation: accuracy,
 * precision/recall/F1 per class and averaged, AUC, the confusion matrix,
 * sizes, per-epoch losses and seconds. --save writes the model for
 * `aipm predict` and the lab screen. */
#include "cli.h"
#include "clock.h"
#include "fileio.h"
#include "lab.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_real(const char *option, const char *value, double min, double max,
		      double *out)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (!*value || *end || errno || !isfinite(v) || v < min || v > max) {
		cli_error("train", "%s needs a number from %g to %g, not '%s'", option, min, max,
			  value);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_count(const char *option, const char *value, size_t min, size_t max,
		       size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 10);
	if (!*value || *end || errno || *value == '-' || v < min || v > max) {
		cli_error("train", "%s needs a whole number from %zu to %zu, not '%s'", option, min,
			  max, value);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

struct train_args {
	const char *file, *test_file, *save;
	bool force; /* --save may replace an existing file */
	struct lab_settings s;
	bool test_split_given;
	enum out_format format;
};

/* One option at argv[*i]; 1 when used, 0 when not an option of ours, -1
 * on a bad value. */
static int train_option(int argc, char **argv, int *i, struct train_args *a)
{
	const char *opt = argv[*i];
	static const char *const valued[] = {
		"--test-file", "--text-col", "--label-col", "--model", "--features", "--ngrams",
		"--min-df", "--max-vocab", "--epochs", "--lr", "--batch", "--l2", "--alpha",
		"--test-split", "--val-split", "--balanced", "--seed", "--threshold", "--save",
		NULL,
	};
	if (!strcmp(opt, "--stop-words")) {
		a->s.tok.stop_words = true;
		return 1;
	}
	if (!strcmp(opt, "--keep-html")) {
		a->s.tok.strip_html = false;
		return 1;
	}
	if (!strcmp(opt, "--force")) {
		a->force = true;
		return 1;
	}
	bool known = false;
	for (int k = 0; valued[k] && !known; k++)
		known = !strcmp(opt, valued[k]);
	if (!known)
		return 0;
	if (*i + 1 >= argc) {
		cli_error("train", "%s needs a value", opt);
		return -1;
	}
	const char *v = argv[++*i];
	struct lab_settings *s = &a->s;
	size_t n;
	double x;
	if (!strcmp(opt, "--test-file")) {
		a->test_file = v;
	} else if (!strcmp(opt, "--text-col")) {
		s->text_col = v;
	} else if (!strcmp(opt, "--label-col")) {
		s->label_col = v;
	} else if (!strcmp(opt, "--save")) {
		a->save = v;
	} else if (!strcmp(opt, "--model")) {
		if (model_kind_parse(v, &s->train.kind) != 0) {
			cli_error("train", "--model is logreg or nb, not '%s'", v);
			return -1;
		}
	} else if (!strcmp(opt, "--features")) {
		if (feature_kind_parse(v, &s->features) != 0) {
			cli_error("train", "--features is tfidf or count, not '%s'", v);
			return -1;
		}
	} else if (!strcmp(opt, "--ngrams")) {
		if (parse_count(opt, v, 1, 2, &n))
			return -1;
		s->tok.ngram_max = (int)n;
	} else if (!strcmp(opt, "--min-df")) {
		if (parse_count(opt, v, 1, 1000000, &s->tok.min_df))
			return -1;
	} else if (!strcmp(opt, "--max-vocab")) {
		if (parse_count(opt, v, 0, 100000000, &s->tok.max_vocab))
			return -1;
	} else if (!strcmp(opt, "--epochs")) {
		if (parse_count(opt, v, 1, 10000, &n))
			return -1;
		s->train.epochs = (int)n;
	} else if (!strcmp(opt, "--batch")) {
		if (parse_count(opt, v, 1, 1000000, &s->train.batch_size))
			return -1;
	} else if (!strcmp(opt, "--balanced")) {
		if (parse_count(opt, v, 1, 100000000, &s->balanced))
			return -1;
	} else if (!strcmp(opt, "--seed")) {
		if (parse_count(opt, v, 0, SIZE_MAX, &n))
			return -1;
		s->train.seed = n;
	} else if (!strcmp(opt, "--lr")) {
		if (parse_real(opt, v, 1e-9, 1000, &s->train.learning_rate))
			return -1;
	} else if (!strcmp(opt, "--l2")) {
		if (parse_real(opt, v, 0, 100, &s->train.l2))
			return -1;
	} else if (!strcmp(opt, "--alpha")) {
		if (parse_real(opt, v, 1e-9, 1000, &s->train.nb_alpha))
			return -1;
	} else if (!strcmp(opt, "--test-split")) {
		if (parse_real(opt, v, 0, 0.95, &x))
			return -1;
		s->test_split = x;
		a->test_split_given = true;
	} else if (!strcmp(opt, "--val-split")) {
		if (parse_real(opt, v, 0, 0.95, &x))
			return -1;
		s->val_split = x;
	} else if (!strcmp(opt, "--threshold")) {
		if (parse_real(opt, v, 0, 1, &s->threshold))
			return -1;
	}
	return 1;
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
	json_object_set_new(o, "test_file", d->has_test ? json_string(d->test.path) : json_null());
	json_object_set_new(o, "rows", json_integer((json_int_t)d->data.count));
	json_object_set_new(o, "rows_used", json_integer((json_int_t)d->nrows));
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

static void print_json(const struct lab_data *d, const struct lab_run *r,
		       const struct lab_settings *s, double load_seconds, double total_seconds)
{
	json_t *o = lab_run_json(r);
	json_object_set_new(o, "data", data_json(d));
	json_object_set_new(o, "settings", lab_settings_json(s));
	json_t *secs = json_object_get(o, "seconds");
	json_object_set_new(secs, "load", json_real(load_seconds));
	json_object_set_new(secs, "total", json_real(total_seconds));
	out_json(o, stdout);
	json_decref(o);
}

static void print_table(const struct lab_data *d, const struct lab_run *r,
			const struct lab_settings *s, double total_seconds)
{
	const char *const *labels = (const char *const *)r->model.labels;
	/* The labels and column names are the data file's. */
	sanitize_printf(stdout, "data      %s: %zu rows (%zu %s, %zu %s); text '%s', label '%s'\n",
			d->data.path, d->data.count, d->data.class_counts[0], labels[0],
			d->data.class_counts[1], labels[1], d->data.text_column,
			d->data.label_column);
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
	if (s->train.kind == MODEL_LOGREG)
		printf("model     logistic regression: %d epochs, learning rate %g, batch %zu, L2 "
		       "%g\n",
		       s->train.epochs, s->train.learning_rate, s->train.batch_size, s->train.l2);
	else
		printf("model     multinomial naive Bayes, alpha %g\n", s->train.nb_alpha);
	putchar('\n');

	const char *ecols[] = {"epoch", "train loss", "train accuracy", "val loss", "val accuracy"};
	struct out_table *t = out_table_new(ecols, 5);
	for (size_t i = 0; i < r->train.nepochs; i++) {
		const struct epoch_stats *e = &r->train.epochs[i];
		out_int(t, e->epoch);
		out_real(t, e->train_loss, 4);
		out_real(t, e->train_accuracy, 4);
		if (e->has_val) {
			out_real(t, e->val_loss, 4);
			out_real(t, e->val_accuracy, 4);
		} else {
			out_null(t);
			out_null(t);
		}
		out_table_end_row(t);
	}
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
	putchar('\n');

	const struct metrics_report *m = &r->report;
	printf("accuracy %.4f at threshold %.2f; AUC %.4f\n\n", m->accuracy, r->threshold, r->auc);
	char h0[160], h1[160];
	snprintf(h0, sizeof h0, "predicted %s", labels[0]);
	snprintf(h1, sizeof h1, "predicted %s", labels[1]);
	const char *ccols[] = {"truth", h0, h1};
	t = out_table_new(ccols, 3);
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
	printf("\nseconds   %.3f in all (tokenizing %.3f, features %.3f, training %.3f, "
	       "evaluation %.3f)\n",
	       total_seconds, r->seconds.tokenize, r->seconds.features, r->seconds.train,
	       r->seconds.evaluate);
}

static int train_run(struct cli_env *env, int argc, char **argv)
{
	(void)env;
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
	struct lab_run r;
	if (lab_train(&d, &a.s, NULL, NULL, &r, err, sizeof err) != 0) {
		lab_data_free(&d);
		return cli_error("train", "%s", err);
	}
	double total = clock_monotonic() - started;
	int rc = 0;
	if (a.save && lab_save(&r, a.save, a.force, err, sizeof err) != 0)
		rc = cli_error("train", "%s", err);
	if (a.format == OUT_JSON)
		print_json(&d, &r, &a.s, loaded - started, total);
	else
		print_table(&d, &r, &a.s, total);
	if (a.save && rc == 0 && a.format != OUT_JSON)
		sanitize_printf(stdout, "saved     %s\n", a.save);
	lab_run_free(&r);
	lab_data_free(&d);
	return rc;
}

const struct cli_command cmd_train = {
	.name = "train",
	.usage = "FILE [--test-file FILE] [--text-col C] [--label-col C] [--model logreg|nb]\n"
		 "       [--features tfidf|count] [--ngrams 1|2] [--min-df N] [--max-vocab N]\n"
		 "       [--stop-words] [--keep-html] [--epochs N] [--lr X] [--batch N] [--l2 X]\n"
		 "       [--alpha X] [--test-split F] [--val-split F] [--balanced N] [--seed N]\n"
		 "       [--threshold X] [--save PATH [--force]] [--format table|json]",
	.summary = "train a sentiment classifier on a labelled text CSV/TSV and evaluate it",
	.run = train_run,
};
