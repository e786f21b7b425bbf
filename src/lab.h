/* The model lab's pipeline, shared by `aipm train`, `aipm predict` and the
 * lab screen: load a labelled text file (and optionally a test file), take
 * the balanced subset, split, tokenize, build features, train, evaluate at
 * a threshold, explain single texts, and describe a run as JSON (what the
 * CLI prints and what the experiments log keeps). */
#ifndef AIPM_LAB_H
#define AIPM_LAB_H

#include "classifier.h"
#include "text_features.h"
#include "metrics.h"
#include "model_file.h"
#include "textdata.h"
#include "tokenize.h"

#include <jansson.h>
#include <stdbool.h>

struct lab_settings {
	const char *text_col, *label_col; /* NULL: detect */
	struct token_options tok;
	enum feature_kind features;
	struct train_options train; /* train.seed also seeds the subset and split */
	double test_split, val_split;
	size_t balanced; /* rows per class; 0: all */
	double threshold;
};
/* TF-IDF of words and word pairs, logistic regression (learning rate 2,
 * batch 16, 10 epochs, L2 1e-5), 20% test and 10% validation, seed 42,
 * threshold 0.5. */
void lab_settings_default(struct lab_settings *s);
/* The settings as JSON (for the experiments log and the model file). */
json_t *lab_settings_json(const struct lab_settings *s);

struct lab_data {
	struct text_dataset data, test;
	bool has_test;
	size_t *rows, nrows;           /* the subset of data in use */
	size_t *test_rows, ntest_rows; /* the subset of the test file */
	struct text_split split;
	/* Warnings about the subset (the files' own are in data and test). */
	struct text_warnings warnings;
};

/* Loads the files (test_path may be NULL). */
int lab_data_load(struct lab_data *d, const char *path, const char *test_path,
		  const struct lab_settings *s, char *err, size_t errlen);
/* Takes the balanced subset (s->balanced per class) of the data and of
 * the test file; can be called again with new settings. */
void lab_data_subset(struct lab_data *d, const struct lab_settings *s);
/* Splits the subset into train/validation/test (s->test_split,
 * s->val_split, seed s->train.seed). */
int lab_data_split(struct lab_data *d, const struct lab_settings *s, char *err, size_t errlen);
/* The course's caveat when the validation set stands in for the test set,
 * else NULL. */
const char *lab_split_caveat(const struct lab_data *d);
/* Both. */
int lab_data_prepare(struct lab_data *d, const struct lab_settings *s, char *err,
		     size_t errlen);
void lab_data_free(struct lab_data *d);

/* A run goes through three stages, as the notebook's cells do:
 * tokenize (the vocabulary from the training rows, every row's term ids),
 * features (TF-IDF or counts), then fit (train and evaluate). A later
 * stage can be redone without the earlier ones (new epochs keep the
 * features; new features keep the tokens). */
struct lab_run {
	struct text_model model; /* labels, tokenizer settings, vocab, idf, weights */
	struct tokenizer *tok;
	char *data_path;
	size_t ntrain, nval, ntest;
	bool val_is_test;
	int *ytrain, *yval, *ytest;
	struct doc_terms dtrain, dval, dtest;
	struct csr Xtrain, Xval, Xtest;
	bool tokenized, featurized, trained;
	size_t nnz_train; /* stored feature values of the training matrix */
	/* The evaluation set's positive-class probabilities. */
	double *ptest;
	struct train_result train;
	double threshold;
	struct metrics_report report; /* at threshold */
	struct curve roc, pr;
	double auc, average_precision;
	struct {
		double tokenize, features, train, evaluate;
	} seconds;
};

/* Stage 1: the tokenizer of s, the vocabulary of the training rows and the
 * term ids of every set. Starts the run afresh (r is overwritten; free it
 * first if it held one). */
int lab_tokenize(const struct lab_data *d, const struct lab_settings *s, struct lab_run *r,
		 char *err, size_t errlen);
/* Stage 2: idf and the feature matrices of s->features. */
void lab_features(struct lab_run *r, const struct lab_settings *s);
/* Stage 3: trains with s->train (cb gets every epoch and may cancel) and
 * evaluates on the test rows (or the validation rows when they stand in)
 * at s->threshold. */
int lab_fit(struct lab_run *r, const struct lab_settings *s, train_callback cb, void *cb_data,
	    char *err, size_t errlen);
/* All three stages. */
int lab_train(const struct lab_data *d, const struct lab_settings *s, train_callback cb,
	      void *cb_data, struct lab_run *out, char *err, size_t errlen);
/* Moves the threshold: the confusion matrix and scores follow. */
void lab_set_threshold(struct lab_run *r, double threshold);
void lab_run_free(struct lab_run *r);
/* Metrics, sizes, per-epoch losses and times. */
json_t *lab_run_json(const struct lab_run *r);
/* Saves the run's model with its current threshold and a summary of its
 * metrics; an existing file only when replace (see model_save). */
int lab_save(struct lab_run *r, const char *path, bool replace, char *err, size_t errlen);

/* One text through a model: its positive-class probability, the label at
 * the model's threshold, and every term's contribution (largest first). */
struct lab_verdict {
	double prob;
	int label;
	struct contribution *items;
	size_t nitems;
};
void lab_explain(const struct text_model *m, struct tokenizer *t, const char *text,
		 struct lab_verdict *out);
void lab_verdict_free(struct lab_verdict *v);

#endif
