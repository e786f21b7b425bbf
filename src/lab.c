#include "lab.h"

#include "clock.h"
#include "rng.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lab_settings_default(struct lab_settings *s)
{
	memset(s, 0, sizeof *s);
	token_options_default(&s->tok);
	s->features = FEATURES_TFIDF;
	train_options_default(&s->train);
	s->test_split = 0.2;
	s->val_split = 0.1;
	s->balanced = LAB_BALANCED_DEFAULT;
	s->threshold = 0.5;
}

#define SETTING(field) offsetof(struct lab_settings, field)
static const struct lab_number_setting number_settings[] = {
	{"--ngrams", LAB_NUMBER_INT, 1, 2, SETTING(tok.ngram_max)},
	{"--min-df", LAB_NUMBER_SIZE, 1, 1e6, SETTING(tok.min_df)},
	{"--max-vocab", LAB_NUMBER_SIZE, 0, 1e8, SETTING(tok.max_vocab)},
	{"--max-iter", LAB_NUMBER_INT, 1, 1e5, SETTING(train.max_iter)},
	{"--epochs", LAB_NUMBER_INT, 1, 1e4, SETTING(train.epochs)},
	{"--patience", LAB_NUMBER_INT, 0, 1e4, SETTING(train.patience)},
	{"--batch", LAB_NUMBER_SIZE, 1, 1e6, SETTING(train.batch_size)},
	{"--balanced", LAB_NUMBER_SIZE, 0, 1e8, SETTING(balanced)},
	/* a double holds every whole number up to 2^53 exactly */
	{"--seed", LAB_NUMBER_U64, 0, 9007199254740992.0, SETTING(train.seed)},
	{"--C", LAB_NUMBER_REAL, 1e-6, 1e9, SETTING(train.C)},
	{"--tol", LAB_NUMBER_REAL, 1e-12, 1, SETTING(train.tol)},
	{"--lr", LAB_NUMBER_REAL, 1e-9, 1000, SETTING(train.learning_rate)},
	{"--alpha", LAB_NUMBER_REAL, 1e-9, 1000, SETTING(train.nb_alpha)},
	{"--test-split", LAB_NUMBER_REAL, 0, 0.95, SETTING(test_split)},
	{"--val-split", LAB_NUMBER_REAL, 0, 0.95, SETTING(val_split)},
	{"--threshold", LAB_NUMBER_REAL, 0, 1, SETTING(threshold)},
};
#undef SETTING

const struct lab_number_setting *lab_number_setting(const char *option)
{
	for (size_t i = 0; i < sizeof number_settings / sizeof number_settings[0]; i++)
		if (!strcmp(option, number_settings[i].option))
			return &number_settings[i];
	return NULL;
}

int lab_number_set(struct lab_settings *s, const struct lab_number_setting *n, const char *text)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	while (*end == ' ')
		end++;
	if (end == text || *end || errno || !isfinite(v) || v < n->min || v > n->max ||
	    (n->type != LAB_NUMBER_REAL && v != floor(v)))
		return -1;
	void *at = (char *)s + n->offset;
	switch (n->type) {
	case LAB_NUMBER_INT:
		*(int *)at = (int)v;
		break;
	case LAB_NUMBER_SIZE:
		*(size_t *)at = (size_t)v;
		break;
	case LAB_NUMBER_U64:
		*(uint64_t *)at = (uint64_t)v;
		break;
	case LAB_NUMBER_REAL:
		*(double *)at = v;
		break;
	}
	return 0;
}

void lab_number_format(const struct lab_settings *s, const struct lab_number_setting *n,
		       char *buf, size_t size)
{
	const void *at = (const char *)s + n->offset;
	switch (n->type) {
	case LAB_NUMBER_INT:
		snprintf(buf, size, "%d", *(const int *)at);
		break;
	case LAB_NUMBER_SIZE:
		snprintf(buf, size, "%zu", *(const size_t *)at);
		break;
	case LAB_NUMBER_U64:
		snprintf(buf, size, "%llu", (unsigned long long)*(const uint64_t *)at);
		break;
	case LAB_NUMBER_REAL:
		snprintf(buf, size, "%g", *(const double *)at);
		break;
	}
}

json_t *lab_settings_json(const struct lab_settings *s)
{
	const struct train_options *t = &s->train;
	json_t *o = json_object();
	json_object_set_new(o, "model", json_string(linear_kind_name(t->kind)));
	json_object_set_new(o, "features", json_string(feature_kind_name(s->features)));
	json_object_set_new(o, "ngram_max", json_integer(s->tok.ngram_max));
	json_object_set_new(o, "min_df", json_integer((json_int_t)s->tok.min_df));
	json_object_set_new(o, "max_vocab", json_integer((json_int_t)s->tok.max_vocab));
	json_object_set_new(o, "stop_words", json_boolean(s->tok.stop_words));
	json_object_set_new(o, "strip_html", json_boolean(s->tok.strip_html));
	if (t->kind == MODEL_LOGREG) {
		json_object_set_new(o, "solver", json_string(train_solver_name(t->solver)));
		json_object_set_new(o, "C", json_real(t->C));
		if (t->solver == SOLVER_LBFGS) {
			json_object_set_new(o, "max_iter", json_integer(t->max_iter));
			json_object_set_new(o, "tol", json_real(t->tol));
		} else {
			json_object_set_new(o, "learning_rate", json_real(t->learning_rate));
			json_object_set_new(o, "batch_size", json_integer((json_int_t)t->batch_size));
			json_object_set_new(o, "epochs", json_integer(t->epochs));
			json_object_set_new(o, "patience", json_integer(t->patience));
		}
	} else {
		json_object_set_new(o, "alpha", json_real(t->nb_alpha));
	}
	json_object_set_new(o, "test_split", json_real(s->test_split));
	json_object_set_new(o, "val_split", json_real(s->val_split));
	json_object_set_new(o, "balanced", json_integer((json_int_t)s->balanced));
	json_object_set_new(o, "seed", json_integer((json_int_t)t->seed));
	json_object_set_new(o, "threshold", json_real(s->threshold));
	return o;
}

static void get_real(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);
	if (json_is_number(v) && isfinite(json_number_value(v)))
		*out = json_number_value(v);
}

static void get_count(json_t *o, const char *key, size_t *out)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		*out = (size_t)json_integer_value(v);
}

static void get_int(json_t *o, const char *key, int *out)
{
	size_t v = (size_t)*out;
	get_count(o, key, &v);
	if (v <= 1000000)
		*out = (int)v;
}

void lab_settings_from_json(json_t *o, struct lab_settings *s)
{
	struct train_options *t = &s->train;
	const char *v;
	if ((v = json_string_value(json_object_get(o, "model"))))
		linear_kind_parse(v, &t->kind);
	if ((v = json_string_value(json_object_get(o, "solver"))))
		train_solver_parse(v, &t->solver);
	if ((v = json_string_value(json_object_get(o, "features"))))
		feature_kind_parse(v, &s->features);
	get_int(o, "ngram_max", &s->tok.ngram_max);
	get_count(o, "min_df", &s->tok.min_df);
	get_count(o, "max_vocab", &s->tok.max_vocab);
	if (json_is_boolean(json_object_get(o, "stop_words")))
		s->tok.stop_words = json_is_true(json_object_get(o, "stop_words"));
	if (json_is_boolean(json_object_get(o, "strip_html")))
		s->tok.strip_html = json_is_true(json_object_get(o, "strip_html"));
	get_real(o, "C", &t->C);
	get_int(o, "max_iter", &t->max_iter);
	get_real(o, "tol", &t->tol);
	get_real(o, "learning_rate", &t->learning_rate);
	get_count(o, "batch_size", &t->batch_size);
	get_int(o, "epochs", &t->epochs);
	get_int(o, "patience", &t->patience);
	get_real(o, "alpha", &t->nb_alpha);
	get_real(o, "test_split", &s->test_split);
	get_real(o, "val_split", &s->val_split);
	get_count(o, "balanced", &s->balanced);
	json_t *seed = json_object_get(o, "seed");
	if (json_is_integer(seed))
		t->seed = (uint64_t)json_integer_value(seed);
	get_real(o, "threshold", &s->threshold);
}

int lab_data_load(struct lab_data *d, const char *path, const char *test_path,
		  const struct lab_settings *s, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	struct textdata_options opt = {.text_col = s->text_col, .label_col = s->label_col};
	if (textdata_load(path, &opt, &d->data, err, errlen) != 0)
		return -1;
	if (test_path) {
		const char *labels[2] = {d->data.label_names[0], d->data.label_names[1]};
		opt.labels = labels;
		if (textdata_load(test_path, &opt, &d->test, err, errlen) != 0) {
			textdata_free(&d->data);
			return -1;
		}
		d->has_test = true;
	}
	return 0;
}

static size_t subset(struct lab_data *d, const struct text_dataset *t, const char *what,
		     const struct lab_settings *s, size_t **rows)
{
	bool short_class[2];
	size_t n = textdata_balanced(t, s->balanced, s->train.seed, rows, short_class);
	for (int c = 0; c < 2; c++)
		if (short_class[c])
			text_warnings_add(
				&d->warnings,
				"%s has only %zu '%s' rows for a subset of %zu per class: "
				"took them all",
				what, t->class_counts[c], t->label_names[c], s->balanced);
	return n;
}

void lab_data_subset(struct lab_data *d, const struct lab_settings *s)
{
	text_warnings_clear(&d->warnings);
	free(d->rows);
	free(d->test_rows);
	d->rows = d->test_rows = NULL;
	d->ntest_rows = 0;
	d->balanced = s->balanced;
	d->nrows = subset(d, &d->data, "the data", s, &d->rows);
	if (d->has_test)
		d->ntest_rows = subset(d, &d->test, "the test file", s, &d->test_rows);
}

void lab_subset_describe(const struct lab_data *d, char *buf, size_t size)
{
	char used[32], all[32], per[32];
	format_thousands(d->nrows, used, sizeof used);
	format_thousands(d->data.count, all, sizeof all);
	format_thousands(d->balanced, per, sizeof per);
	if (!d->balanced)
		snprintf(buf, size, "every row: %s rows (no balanced subset)", all);
	else
		snprintf(buf, size, "balanced subset: %s rows per class, %s of %s rows (%s)", per,
			 used, all,
			 d->balanced == LAB_BALANCED_DEFAULT
				 ? "the default, as the course's demo; 0 takes every row"
				 : "as set");
}

int lab_data_split(struct lab_data *d, const struct lab_settings *s, char *err, size_t errlen)
{
	text_split_free(&d->split);
	return textdata_split(&d->data, d->rows, d->nrows, d->has_test ? 0 : s->test_split,
			      s->val_split, s->train.seed, d->has_test, &d->split, err, errlen);
}

const char *lab_split_caveat(const struct lab_data *d)
{
	return d->split.val_is_test
		       ? "no separate test set: the validation set is also the test set, so the "
			 "scores are optimistic (the course's own caveat)"
		       : NULL;
}

int lab_data_prepare(struct lab_data *d, const struct lab_settings *s, char *err,
		     size_t errlen)
{
	lab_data_subset(d, s);
	return lab_data_split(d, s, err, errlen);
}

void lab_data_free(struct lab_data *d)
{
	textdata_free(&d->data);
	if (d->has_test)
		textdata_free(&d->test);
	free(d->rows);
	free(d->test_rows);
	text_split_free(&d->split);
	text_warnings_clear(&d->warnings);
	free(d->warnings.items);
	memset(d, 0, sizeof *d);
}

/* ---- evaluation ---- */

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

void lab_eval_init(struct lab_eval *e, int *y, double *p, size_t n, double threshold)
{
	memset(e, 0, sizeof *e);
	e->n = n;
	e->y = y;
	e->p = p;
	metrics_roc(p, y, n, &e->roc);
	metrics_pr(p, y, n, &e->pr);
	e->auc = metrics_auc(&e->roc);
	e->average_precision = metrics_average_precision(&e->pr);
	metrics_calibration(p, y, n, CALIBRATION_BINS, &e->calibration);
	lab_eval_set_threshold(e, threshold);
}

void lab_eval_set_threshold(struct lab_eval *e, double threshold)
{
	e->threshold = threshold;
	struct confusion cm;
	metrics_confusion(e->p, e->y, e->n, threshold, &cm);
	metrics_from_confusion(&cm, &e->report);
}

void lab_eval_free(struct lab_eval *e)
{
	free(e->y);
	free(e->p);
	curve_free(&e->roc);
	curve_free(&e->pr);
	memset(e, 0, sizeof *e);
}

static json_t *scores_json(const struct class_scores *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "precision", json_real(c->precision));
	json_object_set_new(o, "recall", json_real(c->recall));
	json_object_set_new(o, "f1", json_real(c->f1));
	json_object_set_new(o, "support", json_integer((json_int_t)c->support));
	return o;
}

static json_t *calibration_json(const struct calibration *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "brier", real_or_null(c->brier));
	json_object_set_new(o, "log_loss", real_or_null(c->log_loss));
	json_object_set_new(o, "max_gap", real_or_null(c->max_gap));
	json_object_set_new(o, "mean_gap", real_or_null(c->mean_gap));
	json_t *bins = json_array();
	for (size_t b = 0; b < c->nbins; b++) {
		const struct calibration_bin *k = &c->bins[b];
		json_array_append_new(
			bins, json_pack("{s:f, s:f, s:I, s:o, s:o}", "from", k->from, "to", k->to,
					"count", (json_int_t)k->count, "mean_predicted",
					real_or_null(k->mean_predicted), "observed",
					real_or_null(k->observed)));
	}
	json_object_set_new(o, "bins", bins);
	return o;
}

json_t *lab_eval_json(const struct lab_eval *e, char *const labels[2])
{
	const struct metrics_report *m = &e->report;
	json_t *o = json_object();
	json_object_set_new(o, "accuracy", json_real(m->accuracy));
	json_object_set_new(o, "threshold", json_real(e->threshold));
	json_t *classes = json_object();
	for (int c = 0; c < 2; c++)
		json_object_set_new(classes, labels[c], scores_json(&m->classes[c]));
	json_object_set_new(o, "classes", classes);
	json_object_set_new(o, "macro_avg", scores_json(&m->macro));
	json_object_set_new(o, "weighted_avg", scores_json(&m->weighted));
	json_object_set_new(o, "auc", real_or_null(e->auc));
	json_object_set_new(o, "average_precision", real_or_null(e->average_precision));
	json_object_set_new(o, "log_loss", real_or_null(e->calibration.log_loss));
	json_object_set_new(o, "brier", real_or_null(e->calibration.brier));
	json_object_set_new(o, "calibration", calibration_json(&e->calibration));
	json_t *cm = json_object();
	json_object_set_new(cm, "labels", json_pack("[ss]", labels[0], labels[1]));
	json_object_set_new(cm, "rows", json_string("truth"));
	json_object_set_new(cm, "columns", json_string("prediction"));
	json_object_set_new(cm, "matrix",
			    json_pack("[[II][II]]", (json_int_t)m->cm.tn, (json_int_t)m->cm.fp,
				      (json_int_t)m->cm.fn, (json_int_t)m->cm.tp));
	json_object_set_new(cm, "tn", json_integer((json_int_t)m->cm.tn));
	json_object_set_new(cm, "fp", json_integer((json_int_t)m->cm.fp));
	json_object_set_new(cm, "fn", json_integer((json_int_t)m->cm.fn));
	json_object_set_new(cm, "tp", json_integer((json_int_t)m->cm.tp));
	json_object_set_new(o, "confusion_matrix", cm);
	return o;
}

/* ---- runs ---- */

/* Texts and labels of some rows of a dataset. */
struct rows_view {
	const char **texts;
	int *labels;
	size_t n;
};

static void view_rows(const struct text_dataset *t, const size_t *rows, size_t n,
		      struct rows_view *v)
{
	v->n = n;
	v->texts = xmalloc((n + 1) * sizeof *v->texts);
	v->labels = xmalloc((n + 1) * sizeof *v->labels);
	for (size_t i = 0; i < n; i++) {
		v->texts[i] = t->rows[rows[i]].text;
		v->labels[i] = t->rows[rows[i]].label;
	}
}

/* The rows a run is evaluated on: the test file's subset, the validation
 * set when it stands in, or the test split. */
static void view_test_rows(const struct lab_data *d, struct rows_view *v)
{
	if (d->has_test)
		view_rows(&d->test, d->test_rows, d->ntest_rows, v);
	else if (d->split.val_is_test)
		view_rows(&d->data, d->split.val, d->split.nval, v);
	else
		view_rows(&d->data, d->split.test, d->split.ntest, v);
}

static void view_free(struct rows_view *v)
{
	free(v->texts);
	free(v->labels);
}

static int *copy_labels(const struct rows_view *v)
{
	int *y = xmalloc((v->n + 1) * sizeof *y);
	memcpy(y, v->labels, v->n * sizeof *y);
	return y;
}

int lab_tokenize(const struct lab_data *d, const struct lab_settings *s, struct lab_run *r,
		 char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	double t0 = clock_monotonic();
	r->tok = tokenizer_new(&s->tok, err, errlen);
	if (!r->tok)
		return -1;
	struct rows_view train, val, test;
	view_rows(&d->data, d->split.train, d->split.ntrain, &train);
	view_rows(&d->data, d->split.val, d->split.nval, &val);
	view_test_rows(d, &test);
	r->ntrain = train.n;
	r->nval = val.n;
	r->ntest = test.n;
	r->val_is_test = d->split.val_is_test;
	r->ytrain = copy_labels(&train);
	r->yval = copy_labels(&val);
	r->ytest = copy_labels(&test);
	r->data_path = xstrdup(d->data.path);

	struct text_model *m = &r->model;
	m->tok = *tokenizer_options(r->tok);
	m->threshold = s->threshold;
	m->labels[0] = xstrdup(d->data.label_names[0]);
	m->labels[1] = xstrdup(d->data.label_names[1]);
	m->vocab = vocab_fit(r->tok, train.texts, train.n, &r->dtrain);
	vocab_transform(r->tok, m->vocab, val.texts, val.n, &r->dval);
	vocab_transform(r->tok, m->vocab, test.texts, test.n, &r->dtest);
	view_free(&train);
	view_free(&val);
	view_free(&test);
	if (tokenizer_gave_up(r->tok)) {
		format_error(err, errlen,
			     "%zu text%s could not be read to the end: the token pattern hit "
			     "PCRE2's limits",
			     tokenizer_gave_up(r->tok), tokenizer_gave_up(r->tok) == 1 ? "" : "s");
		lab_run_free(r);
		return -1;
	}
	r->tokenized = true;
	r->seconds.tokenize = clock_monotonic() - t0;
	return 0;
}

/* Drops what a stage produced, so that it can be done again. */
static void drop_fit(struct lab_run *r)
{
	linear_model_free(&r->model.lm);
	train_result_free(&r->train);
	lab_eval_free(&r->eval);
	if (r->model.info)
		json_decref(r->model.info);
	r->model.info = NULL;
	r->trained = false;
}

static void drop_features(struct lab_run *r)
{
	drop_fit(r);
	csr_free(&r->Xtrain);
	csr_free(&r->Xval);
	csr_free(&r->Xtest);
	free(r->model.idf);
	r->model.idf = NULL;
	r->featurized = false;
}

void lab_features(struct lab_run *r, const struct lab_settings *s)
{
	drop_features(r);
	double t0 = clock_monotonic();
	struct text_model *m = &r->model;
	m->features = s->features;
	m->idf = features_idf(m->vocab);
	size_t cols = vocab_size(m->vocab);
	features_build(&r->dtrain, cols, m->features, m->idf, &r->Xtrain);
	features_build(&r->dval, cols, m->features, m->idf, &r->Xval);
	features_build(&r->dtest, cols, m->features, m->idf, &r->Xtest);
	r->nnz_train = csr_nnz(&r->Xtrain);
	r->featurized = true;
	r->seconds.features = clock_monotonic() - t0;
}

static void evaluate(struct lab_eval *e, const struct linear_model *lm, const struct csr *X,
		     const int *y, double threshold)
{
	double *p = xmalloc((X->rows + 1) * sizeof *p);
	linear_predict(lm, X, p);
	int *truth = xmalloc((X->rows + 1) * sizeof *truth);
	memcpy(truth, y, X->rows * sizeof *truth);
	lab_eval_init(e, truth, p, X->rows, threshold);
}

int lab_fit(struct lab_run *r, const struct lab_settings *s, train_callback cb, void *cb_data,
	    char *err, size_t errlen)
{
	drop_fit(r);
	struct text_model *m = &r->model;
	double t1 = clock_monotonic();
	if (train_classifier(&s->train, &r->Xtrain, r->ytrain, r->nval ? &r->Xval : NULL, r->yval,
			     cb, cb_data, &m->lm, &r->train, err, errlen) != 0)
		return -1;
	r->trained_with = s->train;
	double t2 = clock_monotonic();
	r->seconds.train = t2 - t1;
	evaluate(&r->eval, &m->lm, &r->Xtest, r->ytest, s->threshold);
	m->threshold = s->threshold;
	m->info = json_object();
	json_object_set_new(m->info, "settings", lab_settings_json(s));
	json_object_set_new(m->info, "data", json_string(r->data_path));
	r->trained = true;
	r->seconds.evaluate = clock_monotonic() - t2;
	return 0;
}

int lab_train(const struct lab_data *d, const struct lab_settings *s, train_callback cb,
	      void *cb_data, struct lab_run *r, char *err, size_t errlen)
{
	if (lab_tokenize(d, s, r, err, errlen) != 0)
		return -1;
	lab_features(r, s);
	if (lab_fit(r, s, cb, cb_data, err, errlen) != 0) {
		lab_run_free(r);
		return -1;
	}
	return 0;
}

void lab_set_threshold(struct lab_run *r, double threshold)
{
	r->model.threshold = threshold;
	lab_eval_set_threshold(&r->eval, threshold);
}

void lab_run_free(struct lab_run *r)
{
	drop_features(r);
	text_model_free(&r->model);
	tokenizer_free(r->tok);
	free(r->data_path);
	free(r->ytrain);
	free(r->yval);
	free(r->ytest);
	doc_terms_free(&r->dtrain);
	doc_terms_free(&r->dval);
	doc_terms_free(&r->dtest);
	memset(r, 0, sizeof *r);
}

void lab_train_describe(const struct lab_run *r, char *buf, size_t size)
{
	const struct train_result *t = &r->train;
	const struct train_options *o = &r->trained_with;
	const struct train_step *last = t->nsteps ? &t->steps[t->nsteps - 1] : NULL;
	if (!last) {
		snprintf(buf, size, "not trained");
		return;
	}
	if (o->kind == MODEL_NB) {
		snprintf(buf, size, "naive Bayes: counted in one pass");
		return;
	}
	if (o->solver == SOLVER_LBFGS) {
		const char *unit = t->nsteps == 1 ? "iteration" : "iterations";
		switch (t->stop) {
		case TRAIN_CONVERGED:
			snprintf(buf, size,
				 "L-BFGS converged in %zu %s (largest gradient %.2g <= tolerance "
				 "%g)",
				 t->nsteps, unit, last->grad_max, o->tol);
			break;
		case TRAIN_FLAT:
			snprintf(buf, size,
				 "L-BFGS converged in %zu %s: the objective stopped falling "
				 "(largest gradient %.2g)",
				 t->nsteps, unit, last->grad_max);
			break;
		case TRAIN_MAX_ITER:
			snprintf(buf, size,
				 "L-BFGS did not converge in %d iterations (largest gradient %.2g > "
				 "tolerance %g): raise the iteration limit, as scikit-learn's "
				 "ConvergenceWarning says",
				 o->max_iter, last->grad_max, o->tol);
			break;
		case TRAIN_CANCELLED:
			snprintf(buf, size, "stopped by the learner after iteration %zu (largest "
					    "gradient %.2g): not converged",
				 t->nsteps, last->grad_max);
			break;
		default:
			snprintf(buf, size,
				 "L-BFGS stopped after %zu %s: no step lowers the objective any "
				 "more (largest gradient %.2g)",
				 t->nsteps, unit, last->grad_max);
			break;
		}
		return;
	}
	switch (t->stop) {
	case TRAIN_EARLY_STOPPED:
		snprintf(buf, size,
			 "SGD stopped early after epoch %zu of %d: the validation loss had not "
			 "fallen for %d epochs; kept epoch %d's weights",
			 t->nsteps, o->epochs, o->patience, t->kept_step);
		break;
	case TRAIN_CANCELLED:
		snprintf(buf, size, "SGD stopped by the learner after epoch %zu of %d", t->nsteps,
			 o->epochs);
		break;
	default:
		snprintf(buf, size, "SGD ran all %d epochs", o->epochs);
		break;
	}
}

json_t *lab_run_json(const struct lab_run *r)
{
	json_t *o = lab_eval_json(&r->eval, r->model.labels);
	json_t *sizes = json_object();
	json_object_set_new(sizes, "train", json_integer((json_int_t)r->ntrain));
	json_object_set_new(sizes, "validation", json_integer((json_int_t)r->nval));
	json_object_set_new(sizes, "test", json_integer((json_int_t)r->ntest));
	json_object_set_new(sizes, "validation_is_test", json_boolean(r->val_is_test));
	json_object_set_new(sizes, "vocabulary",
			    json_integer((json_int_t)vocab_size(r->model.vocab)));
	json_object_set_new(o, "sizes", sizes);
	const struct train_options *t = &r->trained_with;
	json_t *training = json_object();
	json_object_set_new(training, "model", json_string(linear_kind_name(t->kind)));
	if (t->kind == MODEL_LOGREG)
		json_object_set_new(training, "solver", json_string(train_solver_name(t->solver)));
	json_object_set_new(training, "step_unit",
			    json_string(t->kind == MODEL_NB	  ? "pass"
					: t->solver == SOLVER_LBFGS ? "iteration"
								    : "epoch"));
	json_object_set_new(training, "steps", json_integer((json_int_t)r->train.nsteps));
	json_object_set_new(training, "kept_step", json_integer(r->train.kept_step));
	json_object_set_new(training, "converged",
			    json_boolean(train_stop_is_converged(r->train.stop)));
	json_object_set_new(training, "stop", json_string(train_stop_name(r->train.stop)));
	char said[512];
	lab_train_describe(r, said, sizeof said);
	json_object_set_new(training, "summary", json_string(said));
	json_object_set_new(o, "training", training);
	json_t *steps = json_array();
	for (size_t i = 0; i < r->train.nsteps; i++) {
		const struct train_step *e = &r->train.steps[i];
		json_t *row = json_object();
		json_object_set_new(row, "step", json_integer(e->step));
		json_object_set_new(row, "train_loss", json_real(e->train_loss));
		json_object_set_new(row, "train_accuracy", json_real(e->train_accuracy));
		json_object_set_new(row, "val_loss",
				    e->has_val ? json_real(e->val_loss) : json_null());
		json_object_set_new(row, "val_accuracy",
				    e->has_val ? json_real(e->val_accuracy) : json_null());
		if (t->kind == MODEL_LOGREG && t->solver == SOLVER_LBFGS) {
			json_object_set_new(row, "objective", json_real(e->objective));
			json_object_set_new(row, "grad_max", json_real(e->grad_max));
		}
		json_array_append_new(steps, row);
	}
	json_object_set_new(o, "steps", steps);
	json_t *secs = json_object();
	json_object_set_new(secs, "tokenize", json_real(r->seconds.tokenize));
	json_object_set_new(secs, "features", json_real(r->seconds.features));
	json_object_set_new(secs, "train", json_real(r->seconds.train));
	json_object_set_new(secs, "evaluate", json_real(r->seconds.evaluate));
	json_object_set_new(o, "seconds", secs);
	return o;
}

int lab_save(struct lab_run *r, const char *path, bool replace, char *err, size_t errlen)
{
	const struct lab_eval *e = &r->eval;
	json_t *summary = json_object();
	json_object_set_new(summary, "accuracy", json_real(e->report.accuracy));
	json_object_set_new(summary, "macro_f1", json_real(e->report.macro.f1));
	json_object_set_new(summary, "auc", real_or_null(e->auc));
	json_object_set_new(summary, "log_loss", real_or_null(e->calibration.log_loss));
	json_object_set_new(summary, "threshold", json_real(e->threshold));
	json_object_set_new(summary, "test_rows", json_integer((json_int_t)r->ntest));
	json_object_set_new(r->model.info, "metrics", summary);
	return model_save(path, &r->model, replace, err, errlen);
}

void lab_model_record(const struct text_model *m, struct lab_model_record *out)
{
	memset(out, 0, sizeof *out);
	out->auc = out->accuracy = out->macro_f1 = NAN;
	out->threshold = m->threshold;
	json_t *metrics = m->info ? json_object_get(m->info, "metrics") : NULL;
	if (json_is_object(metrics)) {
		out->has_metrics = true;
		get_real(metrics, "accuracy", &out->accuracy);
		get_real(metrics, "macro_f1", &out->macro_f1);
		get_real(metrics, "auc", &out->auc);
		get_real(metrics, "threshold", &out->threshold);
		get_count(metrics, "test_rows", &out->test_rows);
	}
	json_t *settings = m->info ? json_object_get(m->info, "settings") : NULL;
	out->before_lbfgs = m->lm.kind == MODEL_LOGREG && json_is_object(settings) &&
			    !json_object_get(settings, "solver");
}

/* Texts' feature rows in a model's vocabulary. */
static void featurize(const struct text_model *m, struct tokenizer *t, const char *const *texts,
		      size_t n, struct csr *X)
{
	struct doc_terms docs;
	vocab_transform(t, m->vocab, texts, n, &docs);
	features_build(&docs, vocab_size(m->vocab), m->features, m->idf, X);
	doc_terms_free(&docs);
}

int lab_evaluate_model(const struct lab_data *d, const struct text_model *m,
		       struct tokenizer *t, struct lab_eval *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *const *names = (const char *const *)d->data.label_names;
	if (strcmp(m->labels[0], names[0]) || strcmp(m->labels[1], names[1]))
		return format_error(
		    err, errlen,
		    "the model's labels ('%s', positive '%s') are not this data's ('%s', "
		    "positive '%s'): it cannot be evaluated here",
		    m->labels[0], m->labels[1], names[0], names[1]);
	struct rows_view test;
	view_test_rows(d, &test);
	struct csr X;
	featurize(m, t, test.texts, test.n, &X);
	evaluate(out, &m->lm, &X, test.labels, m->threshold);
	csr_free(&X);
	view_free(&test);
	return 0;
}

/* ---- learning curve ---- */

size_t lab_curve_sizes(size_t ntrain, size_t out[LAB_CURVE_SIZES])
{
	static const size_t steps[] = {100, 250, 500, 1000, 2000};
	size_t n = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i] < ntrain)
			out[n++] = steps[i];
	if (ntrain)
		out[n++] = ntrain;
	return n;
}

/* The first k rows of each class's seeded shuffle, k in proportion to the
 * class's share of the training set (in file order). */
static size_t stratified_prefix(size_t *const shuffled[2], const size_t count[2], size_t rows,
				size_t *out)
{
	size_t total = count[0] + count[1], n = 0;
	size_t take1 = (size_t)floor((double)rows * (double)count[1] / (double)total + 0.5);
	if (take1 > count[1])
		take1 = count[1];
	size_t take[2] = {rows - take1 > count[0] ? count[0] : rows - take1, take1};
	for (int c = 0; c < 2; c++) {
		memcpy(out + n, shuffled[c], take[c] * sizeof *out);
		n += take[c];
	}
	return n;
}

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

int lab_learning_curve(const struct lab_data *d, const struct lab_settings *s,
		       lab_curve_callback cb, void *cb_data, struct lab_learning_curve *out,
		       char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	size_t ntrain = d->split.ntrain;
	size_t *by_class[2] = {xmalloc((ntrain + 1) * sizeof(size_t)),
			       xmalloc((ntrain + 1) * sizeof(size_t))};
	size_t count[2] = {0, 0};
	for (size_t i = 0; i < ntrain; i++) {
		size_t row = d->split.train[i];
		int c = d->data.rows[row].label;
		by_class[c][count[c]++] = row;
	}
	struct rng rng;
	rng_seed(&rng, s->train.seed);
	for (int c = 0; c < 2; c++)
		rng_shuffle(&rng, by_class[c], count[c]);
	size_t sizes[LAB_CURVE_SIZES];
	size_t nsizes = lab_curve_sizes(ntrain, sizes);
	size_t *rows = xmalloc((ntrain + 1) * sizeof *rows);
	int rc = 0;
	bool stopped = false;
	for (size_t i = 0; i < nsizes && !rc && !stopped; i++) {
		struct lab_data view = *d;
		view.split.train = rows;
		view.split.ntrain = stratified_prefix(by_class, count, sizes[i], rows);
		qsort(rows, view.split.ntrain, sizeof *rows, cmp_index);
		struct lab_curve_point *pt = &out->points[out->n];
		pt->rows = view.split.ntrain;
		struct lab_run r;
		if (lab_tokenize(&view, s, &r, err, errlen) != 0) {
			rc = -1;
			break;
		}
		lab_features(&r, s);
		out->test_rows = r.ntest;
		out->val_is_test = r.val_is_test;
		for (int kind = MODEL_LOGREG; kind <= MODEL_NB && !rc && !stopped; kind++) {
			struct lab_settings each = *s;
			each.train.kind = (enum model_kind)kind;
			if (lab_fit(&r, &each, NULL, NULL, err, errlen) != 0) {
				rc = -1;
				break;
			}
			pt->accuracy[kind] = r.eval.report.accuracy;
			pt->auc[kind] = r.eval.auc;
			if (cb && !cb(2 * i + (size_t)kind + 1, 2 * nsizes, cb_data))
				stopped = true;
		}
		lab_run_free(&r);
		if (!rc)
			out->n++;
	}
	free(rows);
	free(by_class[0]);
	free(by_class[1]);
	return rc;
}

json_t *lab_learning_curve_json(const struct lab_learning_curve *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "test_rows", json_integer((json_int_t)c->test_rows));
	json_object_set_new(o, "validation_is_test", json_boolean(c->val_is_test));
	json_t *points = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct lab_curve_point *p = &c->points[i];
		json_array_append_new(
			points,
			json_pack("{s:I, s:f, s:f, s:o, s:o}", "train_rows", (json_int_t)p->rows,
				  "logreg_accuracy", p->accuracy[MODEL_LOGREG], "nb_accuracy",
				  p->accuracy[MODEL_NB], "logreg_auc",
				  real_or_null(p->auc[MODEL_LOGREG]), "nb_auc",
				  real_or_null(p->auc[MODEL_NB])));
	}
	json_object_set_new(o, "points", points);
	return o;
}

/* ---- single texts ---- */

void lab_explain(const struct text_model *m, struct tokenizer *t, const char *text,
		 struct lab_verdict *out)
{
	struct csr X;
	featurize(m, t, &text, 1, &X);
	out->prob = linear_prob(&m->lm, &X, 0);
	out->label = out->prob > m->threshold;
	out->nitems = linear_contributions(&m->lm, &X, 0, &out->items);
	csr_free(&X);
}

double lab_verdict_probability(const struct lab_verdict *v)
{
	return v->label ? v->prob : 1 - v->prob;
}

void lab_verdict_free(struct lab_verdict *v)
{
	free(v->items);
	memset(v, 0, sizeof *v);
}
