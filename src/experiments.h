/* The lab's experiment log: every training run a learner makes in the lab
 * (or with `aipm train --log`) is kept so that runs can be compared side by
 * side, as the course's assignment asks ("change one thing, compare"):
 * the data file (name and SHA-256 of its bytes), rows, split, settings,
 * model, solver, hyper-parameters, the threshold its accuracy and F1 are
 * at (a threshold moved after training is recorded), AUC, log loss and the
 * per-step curves. The row keeps data, settings and metrics as JSON; they
 * are decoded here, once, into typed fields, so that no screen or command
 * parses them. "Best" is the highest AUC: it does not move with the
 * threshold, so runs at different thresholds compare fairly. Rows have a
 * uid so that progress bundles can merge. */
#ifndef AIPM_EXPERIMENTS_H
#define AIPM_EXPERIMENTS_H

#include "lab.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

struct experiment {
	char uid[37];
	int64_t created_at;
	/* The data. data_sha256 is "" for runs logged before it was kept. */
	char *data_file, *test_file; /* test_file NULL: split from the data */
	char data_sha256[65];
	size_t rows, rows_used, ntrain, nval, ntest;
	bool val_is_test;
	char *labels[2];
	/* The settings (text_col and label_col unused). Runs logged before the
	 * L-BFGS solver were SGD runs with an L2 strength per row: their C is
	 * 1 / (l2 x training rows), the same penalty. */
	struct lab_settings s;
	/* The results: accuracy and F1 (macro) at threshold; the rest does not
	 * depend on it. NaN where a run logged before did not keep it. */
	double threshold, trained_threshold;
	double accuracy, f1, auc, log_loss, brier;
	int steps;
	char *stop;	    /* how training ended, in words ("" when unknown) */
	bool converged;	    /* meaningful when stop is not "" */
	/* Per step (iteration or epoch): NaN where there was no validation. */
	double *train_loss, *val_loss, *train_accuracy, *val_accuracy;
	size_t nsteps;
	double seconds;
};

/* Logs a finished run for a learner in one committed statement. */
enum store_error experiment_log(struct store *st, int64_t learner_id, const struct lab_data *d,
				const struct lab_settings *s, const struct lab_run *r,
				double seconds, struct experiment *out);
/* Records a threshold moved after training, with the accuracy and macro F1
 * at it. */
enum store_error experiment_set_threshold(struct store *st, const char *uid, double threshold,
					  double accuracy, double f1);
/* A learner's runs, oldest first; free with experiments_free. */
enum store_error experiment_list(struct store *st, int64_t learner_id, struct experiment **out,
				 size_t *count);
void experiment_free(struct experiment *e);
void experiments_free(struct experiment *items, size_t count);
/* The best run: highest AUC, then lowest log loss, then the earliest;
 * SIZE_MAX for none. */
size_t experiment_best(const struct experiment *items, size_t count);
/* "LR lbfgs tfidf 1-2", "NB count 1": a run's model in a few words. */
void experiment_model_text(const struct experiment *e, char *buf, size_t size);

/* A run as named settings and results, each as text, in a fixed order:
 * what a side-by-side compares. The texts are the run's own (a setting a
 * model does not use reads "-"). */
enum experiment_group { EXP_DATA, EXP_SETTING, EXP_RESULT };
struct experiment_field {
	const char *name;
	enum experiment_group group;
	char value[160];
};
#define EXPERIMENT_FIELDS 40
size_t experiment_fields(const struct experiment *e, struct experiment_field *out);

/* Two runs side by side: every field with both values and whether they
 * differ. */
struct experiment_pair_field {
	const char *name;
	enum experiment_group group;
	char a[160], b[160];
	bool differs;
};
size_t experiment_compare(const struct experiment *a, const struct experiment *b,
			  struct experiment_pair_field *out);

/* A run by its number in the list (1 is the oldest) or a prefix of its uid
 * (at least 4 characters); SIZE_MAX when none or several match. */
size_t experiment_find(const struct experiment *items, size_t count, const char *key);

#endif
