/* The model lab's pipeline, shared by `aipm train`, `aipm predict` and the
 * lab screen: load a labelled text file (and optionally a test file), take
 * the balanced subset, split, tokenize, build features, train, evaluate at
 * a threshold, explain single texts, and describe a run as JSON (what the
 * CLI prints and what the experiments log keeps). */
#ifndef AIPM_LAB_H
#define AIPM_LAB_H

#include "train.h"
#include "text_features.h"
#include "metrics.h"
#include "model_file.h"
#include "textdata.h"
#include "tokenize.h"

#include <stdbool.h>

/* jansson's object, declared here so that screens including this header
 * need not see jansson (store_sql.h says why). */
typedef struct json_t json_t;

struct lab_settings {
	const char *text_col, *label_col; /* NULL: detect */
	struct token_options tok;
	enum feature_kind features;
	struct train_options train; /* train.seed also seeds the subset and split */
	double test_split, val_split;
	size_t balanced; /* rows per class; 0: all */
	double threshold; /* where a new run starts (a run's own moves apart) */
};
/* The course's demo subset: 1,000 reviews of each class. The CLI and the
 * lab screen both start from it. */
#define LAB_BALANCED_DEFAULT 1000
/* TF-IDF of words and word pairs, logistic regression as scikit-learn's
 * default (L-BFGS, C 1), the balanced subset of 1,000 per class, 20% test
 * and 10% validation, seed 42, threshold 0.5. */
void lab_settings_default(struct lab_settings *s);

/* The settings that take a number, named as `aipm train`'s options, with
 * the values each allows: one table for the CLI and the lab screen. */
enum lab_number_type { LAB_NUMBER_INT, LAB_NUMBER_SIZE, LAB_NUMBER_U64, LAB_NUMBER_REAL };
struct lab_number_setting {
	const char *option; /* "--epochs" */
	enum lab_number_type type;
	double min, max;
	size_t offset; /* into struct lab_settings */
};
/* NULL when option names none. */
const struct lab_number_setting *lab_number_setting(const char *option);
/* Sets text (a number, spaces after it allowed) into s; -1 when it is not
 * a number n allows (a fraction where a whole one is needed included). */
int lab_number_set(struct lab_settings *s, const struct lab_number_setting *n, const char *text);
/* The value as the prompt shows it ("16", "0.2", "1e-06"). */
void lab_number_format(const struct lab_settings *s, const struct lab_number_setting *n,
		       char *buf, size_t size);
/* The settings as JSON (for the experiments log and the model file). */
json_t *lab_settings_json(const struct lab_settings *s);
/* The same read back; fields that are missing keep what s holds (runs
 * logged before a setting existed: see experiments.c). */
void lab_settings_from_json(json_t *o, struct lab_settings *s);

struct lab_data {
	struct text_dataset data, test;
	bool has_test;
	size_t *rows, nrows;           /* the subset of data in use */
	size_t *test_rows, ntest_rows; /* the subset of the test file */
	size_t balanced;               /* the subset's rows per class (0: all) */
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
/* What the subset did, in one sentence the CLI and the screen both show:
 * "balanced subset: 1,000 rows per class, 2,000 of 6,000 rows (the
 * default)" or "every row: 6,000 rows (no balanced subset)". */
void lab_subset_describe(const struct lab_data *d, char *buf, size_t size);
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

/* A model's evaluation on a set: its positive-class probabilities, the
 * confusion matrix and scores at a threshold, the ROC and PR curves, and
 * how far the probabilities can be trusted (calibration, Brier, log loss). */
struct lab_eval {
	size_t n;
	int *y;
	double *p;
	double threshold;
	struct metrics_report report; /* at threshold */
	struct curve roc, pr;
	double auc, average_precision;
	struct calibration calibration;
};
/* Takes y and p (malloc'd, n values each) into e and computes it all. */
void lab_eval_init(struct lab_eval *e, int *y, double *p, size_t n, double threshold);
/* Moves the threshold: the confusion matrix and scores follow. */
void lab_eval_set_threshold(struct lab_eval *e, double threshold);
void lab_eval_free(struct lab_eval *e);
/* Accuracy, per-class and averaged scores, AUC, the confusion matrix and
 * calibration, with the labels' names. */
json_t *lab_eval_json(const struct lab_eval *e, char *const labels[2]);

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
	struct train_options trained_with;
	struct train_result train;
	struct lab_eval eval; /* on the test rows (or the validation rows) */
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
/* Stage 3: trains with s->train (cb gets every step and may cancel) and
 * evaluates on the test rows (or the validation rows when they stand in)
 * at s->threshold. */
int lab_fit(struct lab_run *r, const struct lab_settings *s, train_callback cb, void *cb_data,
	    char *err, size_t errlen);
/* All three stages. */
int lab_train(const struct lab_data *d, const struct lab_settings *s, train_callback cb,
	      void *cb_data, struct lab_run *out, char *err, size_t errlen);
/* Moves the run's threshold (and its model's). */
void lab_set_threshold(struct lab_run *r, double threshold);
void lab_run_free(struct lab_run *r);
/* How training went in a sentence: "L-BFGS converged in 23 iterations
 * (largest gradient 8.1e-05 <= 0.0001)", "L-BFGS did not converge in 100
 * iterations (...): raise the iteration limit", "SGD stopped early after
 * epoch 7 (...); kept epoch 4". */
void lab_train_describe(const struct lab_run *r, char *buf, size_t size);
/* Metrics, calibration, sizes, per-step losses and times. */
json_t *lab_run_json(const struct lab_run *r);
/* Saves the run's model with its current threshold and a summary of its
 * metrics; an existing file only when replace (see model_save). */
int lab_save(struct lab_run *r, const char *path, bool replace, char *err, size_t errlen);

/* What a model file says of itself (its info JSON, read here once). */
struct lab_model_record {
	bool has_metrics; /* the numbers below were saved with it */
	double accuracy, macro_f1, auc, threshold;
	size_t test_rows;
	/* Logistic regression saved before L-BFGS (no solver in its
	 * settings): mini-batch SGD, often far from converged. */
	bool before_lbfgs;
};
void lab_model_record(const struct text_model *m, struct lab_model_record *out);

/* A saved model evaluated on the lab's test rows (as lab_tokenize picks
 * them) with its own tokenizer, vocabulary and threshold. -1 with a
 * reason when its labels are not the data's. */
int lab_evaluate_model(const struct lab_data *d, const struct text_model *m,
		       struct tokenizer *t, struct lab_eval *out, char *err, size_t errlen);

/* Test accuracy as the training set grows, for logistic regression (with
 * s's solver) and naive Bayes on s's features: the course's "how much data
 * do we need" on the learner's own data. Each point trains on a
 * stratified, seeded subset of the training rows (its own vocabulary, as
 * a pipeline does) and tests on the same test rows. */
#define LAB_CURVE_SIZES 6
struct lab_curve_point {
	size_t rows;
	double accuracy[2]; /* [MODEL_LOGREG], [MODEL_NB] */
	double auc[2];
};
struct lab_learning_curve {
	struct lab_curve_point points[LAB_CURVE_SIZES];
	size_t n;
	size_t test_rows;
	bool val_is_test;
};
/* The sizes: 100, 250, 500, 1,000 and 2,000 rows below the training
 * set's, then all of it. */
size_t lab_curve_sizes(size_t ntrain, size_t out[LAB_CURVE_SIZES]);
/* Called after each trained model (done of total); false stops. */
typedef bool (*lab_curve_callback)(size_t done, size_t total, void *data);
int lab_learning_curve(const struct lab_data *d, const struct lab_settings *s,
		       lab_curve_callback cb, void *cb_data, struct lab_learning_curve *out,
		       char *err, size_t errlen);
json_t *lab_learning_curve_json(const struct lab_learning_curve *c);

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
/* The probability of the verdict's label (prob for the positive one, 1 -
 * prob for the negative), which the screen and `aipm predict` both print
 * with LAB_PROB_DECIMALS decimals. */
double lab_verdict_probability(const struct lab_verdict *v);
#define LAB_PROB_DECIMALS 3
void lab_verdict_free(struct lab_verdict *v);

#endif
