#include "lab.h"

#include "clock.h"
#include "util.h"

#include <math.h>
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
	s->threshold = 0.5;
}

json_t *lab_settings_json(const struct lab_settings *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "model", json_string(model_kind_name(s->train.kind)));
	json_object_set_new(o, "features", json_string(feature_kind_name(s->features)));
	json_object_set_new(o, "ngram_max", json_integer(s->tok.ngram_max));
	json_object_set_new(o, "min_df", json_integer((json_int_t)s->tok.min_df));
	json_object_set_new(o, "max_vocab", json_integer((json_int_t)s->tok.max_vocab));
	json_object_set_new(o, "stop_words", json_boolean(s->tok.stop_words));
	json_object_set_new(o, "strip_html", json_boolean(s->tok.strip_html));
	if (s->train.kind == MODEL_LOGREG) {
		json_object_set_new(o, "learning_rate", json_real(s->train.learning_rate));
		json_object_set_new(o, "batch_size", json_integer((json_int_t)s->train.batch_size));
		json_object_set_new(o, "epochs", json_integer(s->train.epochs));
		json_object_set_new(o, "l2", json_real(s->train.l2));
	} else {
		json_object_set_new(o, "alpha", json_real(s->train.nb_alpha));
	}
	json_object_set_new(o, "test_split", json_real(s->test_split));
	json_object_set_new(o, "val_split", json_real(s->val_split));
	json_object_set_new(o, "balanced", json_integer((json_int_t)s->balanced));
	json_object_set_new(o, "seed", json_integer((json_int_t)s->train.seed));
	json_object_set_new(o, "threshold", json_real(s->threshold));
	return o;
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
	d->nrows = subset(d, &d->data, "the data", s, &d->rows);
	if (d->has_test)
		d->ntest_rows = subset(d, &d->test, "the test file", s, &d->test_rows);
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
	if (d->has_test)
		view_rows(&d->test, d->test_rows, d->ntest_rows, &test);
	else if (d->split.val_is_test)
		view_rows(&d->data, d->split.val, d->split.nval, &test);
	else
		view_rows(&d->data, d->split.test, d->split.ntest, &test);
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
	curve_free(&r->roc);
	curve_free(&r->pr);
	free(r->ptest);
	r->ptest = NULL;
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

int lab_fit(struct lab_run *r, const struct lab_settings *s, train_callback cb, void *cb_data,
	    char *err, size_t errlen)
{
	drop_fit(r);
	struct text_model *m = &r->model;
	double t1 = clock_monotonic();
	if (classifier_train(&s->train, &r->Xtrain, r->ytrain, r->nval ? &r->Xval : NULL, r->yval,
			     cb, cb_data, &m->lm, &r->train, err, errlen) != 0)
		return -1;
	double t2 = clock_monotonic();
	r->seconds.train = t2 - t1;
	r->ptest = xmalloc((r->ntest + 1) * sizeof *r->ptest);
	linear_predict(&m->lm, &r->Xtest, r->ptest);
	metrics_roc(r->ptest, r->ytest, r->ntest, &r->roc);
	metrics_pr(r->ptest, r->ytest, r->ntest, &r->pr);
	r->auc = metrics_auc(&r->roc);
	r->average_precision = metrics_average_precision(&r->pr);
	lab_set_threshold(r, s->threshold);
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
	r->threshold = threshold;
	r->model.threshold = threshold;
	struct confusion cm;
	metrics_confusion(r->ptest, r->ytest, r->ntest, threshold, &cm);
	metrics_from_confusion(&cm, &r->report);
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

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
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

json_t *lab_run_json(const struct lab_run *r)
{
	const struct metrics_report *m = &r->report;
	json_t *o = json_object();
	json_object_set_new(o, "accuracy", json_real(m->accuracy));
	json_object_set_new(o, "threshold", json_real(r->threshold));
	json_t *classes = json_object();
	for (int c = 0; c < 2; c++)
		json_object_set_new(classes, r->model.labels[c], scores_json(&m->classes[c]));
	json_object_set_new(o, "classes", classes);
	json_object_set_new(o, "macro_avg", scores_json(&m->macro));
	json_object_set_new(o, "weighted_avg", scores_json(&m->weighted));
	json_object_set_new(o, "auc", real_or_null(r->auc));
	json_object_set_new(o, "average_precision", real_or_null(r->average_precision));
	json_t *cm = json_object();
	json_object_set_new(cm, "labels",
			    json_pack("[ss]", r->model.labels[0], r->model.labels[1]));
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
	json_t *sizes = json_object();
	json_object_set_new(sizes, "train", json_integer((json_int_t)r->ntrain));
	json_object_set_new(sizes, "validation", json_integer((json_int_t)r->nval));
	json_object_set_new(sizes, "test", json_integer((json_int_t)r->ntest));
	json_object_set_new(sizes, "validation_is_test", json_boolean(r->val_is_test));
	json_object_set_new(sizes, "vocabulary",
			    json_integer((json_int_t)vocab_size(r->model.vocab)));
	json_object_set_new(o, "sizes", sizes);
	json_t *epochs = json_array();
	for (size_t i = 0; i < r->train.nepochs; i++) {
		const struct epoch_stats *e = &r->train.epochs[i];
		json_t *row = json_object();
		json_object_set_new(row, "epoch", json_integer(e->epoch));
		json_object_set_new(row, "train_loss", json_real(e->train_loss));
		json_object_set_new(row, "train_accuracy", json_real(e->train_accuracy));
		json_object_set_new(row, "val_loss",
				    e->has_val ? json_real(e->val_loss) : json_null());
		json_object_set_new(row, "val_accuracy",
				    e->has_val ? json_real(e->val_accuracy) : json_null());
		json_array_append_new(epochs, row);
	}
	json_object_set_new(o, "epochs", epochs);
	json_object_set_new(o, "cancelled", json_boolean(r->train.cancelled));
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
	json_t *summary = json_object();
	json_object_set_new(summary, "accuracy", json_real(r->report.accuracy));
	json_object_set_new(summary, "macro_f1", json_real(r->report.macro.f1));
	json_object_set_new(summary, "auc", real_or_null(r->auc));
	json_object_set_new(summary, "threshold", json_real(r->threshold));
	json_object_set_new(summary, "test_rows", json_integer((json_int_t)r->ntest));
	json_object_set_new(r->model.info, "metrics", summary);
	return model_save(path, &r->model, replace, err, errlen);
}

void lab_explain(const struct text_model *m, struct tokenizer *t, const char *text,
		 struct lab_verdict *out)
{
	struct doc_terms docs;
	vocab_transform(t, m->vocab, &text, 1, &docs);
	struct csr X;
	features_build(&docs, vocab_size(m->vocab), m->features, m->idf, &X);
	doc_terms_free(&docs);
	out->prob = linear_prob(&m->lm, &X, 0);
	out->label = out->prob >= m->threshold;
	out->nitems = linear_contributions(&m->lm, &X, 0, &out->items);
	csr_free(&X);
}

void lab_verdict_free(struct lab_verdict *v)
{
	free(v->items);
	memset(v, 0, sizeof *v);
}
