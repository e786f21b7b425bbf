/* The lab's experiment log: every training run a learner makes in the lab
 * is kept (data, split, settings, metrics, time) so that runs can be
 * compared side by side, as the course's assignment asks ("change one
 * thing, compare"). Rows have a uid so that progress bundles can merge. */
#ifndef AIPM_EXPERIMENTS_H
#define AIPM_EXPERIMENTS_H

#include "lab.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

struct experiment {
	char uid[37];
	int64_t created_at;
	char *data;     /* JSON: file, rows, split sizes, labels */
	char *settings; /* JSON: lab_settings_json */
	char *metrics;  /* JSON: lab_run_json */
	double accuracy, f1, seconds; /* f1: macro average */
};

/* Logs a finished run for a learner in one committed statement. */
enum store_error experiment_log(struct store *st, int64_t learner_id, const struct lab_data *d,
				const struct lab_settings *s, const struct lab_run *r,
				double seconds, struct experiment *out);
/* A learner's runs, oldest first; free with experiments_free. */
enum store_error experiment_list(struct store *st, int64_t learner_id, struct experiment **out,
				 size_t *count);
void experiments_free(struct experiment *items, size_t count);
/* The best run: highest macro F1, then accuracy, then the earliest; SIZE_MAX
 * for none. */
size_t experiment_best(const struct experiment *items, size_t count);

#endif
