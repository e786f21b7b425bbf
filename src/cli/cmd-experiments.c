/* aipm experiments [--format table|csv|json]
 * aipm experiments diff A B [--all] [--format table|json]
 *
 * The learner's lab runs (from the lab screen or `aipm train --log`), the
 * best marked by AUC, and two runs side by side: the settings that differ
 * (every one with --all), the results and the per-step curves. A and B are
 * run numbers as listed (1 is the oldest) or uid prefixes. */
#include "cli.h"
#include "clock.h"
#include "experiments.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "experiments";

/* Rows of the curve table at most: longer runs are sampled evenly, the
 * first and last step kept. */
#define CURVE_ROWS 20

static void real_or_null(struct out_table *t, double v, int digits)
{
	if (isfinite(v))
		out_real(t, v, digits);
	else
		out_null(t);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void list_runs(const struct experiment *runs, size_t n, enum out_format format)
{
	size_t best = experiment_best(runs, n);
	const char *cols[] = {"run",	   "when",     "data",	   "model", "train",
			      "test",	   "threshold", "accuracy", "f1",	   "auc",
			      "log_loss", "best",      "uid"};
	struct out_table *t = out_table_new(cols, 13);
	for (size_t i = 0; i < n; i++) {
		const struct experiment *e = &runs[i];
		char when[32], model[64];
		clock_format(e->created_at, when, sizeof when);
		experiment_model_text(e, model, sizeof model);
		out_int(t, (long long)i + 1);
		out_text(t, when);
		out_text(t, base_name(e->data_file));
		out_text(t, model);
		out_int(t, (long long)e->ntrain);
		out_int(t, (long long)e->ntest);
		out_real(t, e->threshold, 2);
		out_real(t, e->accuracy, 4);
		out_real(t, e->f1, 4);
		real_or_null(t, e->auc, 4);
		real_or_null(t, e->log_loss, 4);
		out_bool(t, i == best);
		out_text(t, e->uid);
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
	if (format == OUT_TABLE && best != SIZE_MAX)
		printf("best: run %zu, by AUC (it does not move with the threshold, so runs at "
		       "different thresholds compare fairly)\n",
		       best + 1);
}

/* The steps shown of a run of n: every one, or CURVE_ROWS evenly. */
static size_t curve_rows(size_t n, size_t *out)
{
	if (n <= CURVE_ROWS) {
		for (size_t i = 0; i < n; i++)
			out[i] = i;
		return n;
	}
	for (size_t i = 0; i < CURVE_ROWS; i++)
		out[i] = i * (n - 1) / (CURVE_ROWS - 1);
	return CURVE_ROWS;
}

static json_t *curve_json(const struct experiment *e)
{
	json_t *a = json_array();
	for (size_t i = 0; i < e->nsteps; i++) {
		json_t *row = json_pack("{s:I}", "step", (json_int_t)i + 1);
		const double *v[] = {e->train_loss, e->val_loss, e->train_accuracy,
				     e->val_accuracy};
		const char *keys[] = {"train_loss", "val_loss", "train_accuracy", "val_accuracy"};
		for (int k = 0; k < 4; k++)
			json_object_set_new(row, keys[k],
					    isfinite(v[k][i]) ? json_real(v[k][i]) : json_null());
		json_array_append_new(a, row);
	}
	return a;
}

static void print_curves(const struct experiment *a, const struct experiment *b, size_t na,
			 size_t nb)
{
	size_t longest = a->nsteps > b->nsteps ? a->nsteps : b->nsteps;
	if (!longest)
		return;
	char cols_text[6][48];
	snprintf(cols_text[0], 48, "%zu train loss", na);
	snprintf(cols_text[1], 48, "%zu val loss", na);
	snprintf(cols_text[2], 48, "%zu val accuracy", na);
	snprintf(cols_text[3], 48, "%zu train loss", nb);
	snprintf(cols_text[4], 48, "%zu val loss", nb);
	snprintf(cols_text[5], 48, "%zu val accuracy", nb);
	const char *cols[] = {"step",	    cols_text[0], cols_text[1], cols_text[2],
			      cols_text[3], cols_text[4], cols_text[5]};
	struct out_table *t = out_table_new(cols, 7);
	size_t rows[CURVE_ROWS];
	size_t n = curve_rows(longest, rows);
	for (size_t r = 0; r < n; r++) {
		size_t i = rows[r];
		out_int(t, (long long)i + 1);
		const struct experiment *runs[] = {a, b};
		for (int k = 0; k < 2; k++) {
			const struct experiment *e = runs[k];
			if (i < e->nsteps) {
				real_or_null(t, e->train_loss[i], 4);
				real_or_null(t, e->val_loss[i], 4);
				real_or_null(t, e->val_accuracy[i], 4);
			} else {
				out_null(t);
				out_null(t);
				out_null(t);
			}
		}
		out_table_end_row(t);
	}
	printf("\ncurves (steps are L-BFGS iterations or SGD epochs%s):\n",
	       longest > CURVE_ROWS ? "; sampled evenly, --format json has every one" : "");
	out_table_print(t, OUT_TABLE, stdout);
	out_table_free(t);
}

static int diff_runs(const struct experiment *runs, size_t n, const char *ka, const char *kb,
		     bool all, enum out_format format)
{
	size_t ia = experiment_find(runs, n, ka), ib = experiment_find(runs, n, kb);
	if (ia == SIZE_MAX || ib == SIZE_MAX)
		return cli_error(name, "no single run '%s' among the %zu listed (give a number from "
				       "1 to %zu or 4+ characters of a uid)",
				 ia == SIZE_MAX ? ka : kb, n, n);
	const struct experiment *a = &runs[ia], *b = &runs[ib];
	struct experiment_pair_field f[EXPERIMENT_FIELDS];
	size_t nf = experiment_compare(a, b, f);
	size_t best = experiment_best(runs, n);
	if (format == OUT_JSON) {
		json_t *o = json_object();
		json_t *fields = json_array();
		for (size_t i = 0; i < nf; i++)
			if (all || f[i].differs || f[i].group == EXP_RESULT)
				json_array_append_new(
					fields, json_pack("{s:s, s:s, s:s, s:b}", "name", f[i].name,
							  "a", f[i].a, "b", f[i].b, "differs",
							  f[i].differs));
		json_object_set_new(o, "a", json_pack("{s:I, s:s, s:o}", "run", (json_int_t)ia + 1,
						      "uid", a->uid, "steps", curve_json(a)));
		json_object_set_new(o, "b", json_pack("{s:I, s:s, s:o}", "run", (json_int_t)ib + 1,
						      "uid", b->uid, "steps", curve_json(b)));
		json_object_set_new(o, "fields", fields);
		json_object_set_new(o, "best_run", json_integer((json_int_t)best + 1));
		out_json(o, stdout);
		json_decref(o);
		return 0;
	}
	char ha[32], hb[32];
	snprintf(ha, sizeof ha, "run %zu", ia + 1);
	snprintf(hb, sizeof hb, "run %zu", ib + 1);
	const char *cols[] = {"", ha, hb, "differs"};
	struct out_table *t = out_table_new(cols, 4);
	size_t hidden = 0;
	for (size_t i = 0; i < nf; i++) {
		if (!all && !f[i].differs && f[i].group != EXP_RESULT) {
			hidden++;
			continue;
		}
		out_text(t, f[i].name);
		out_text(t, f[i].a);
		out_text(t, f[i].b);
		out_text(t, f[i].differs ? "*" : "");
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
	if (format != OUT_TABLE)
		return 0;
	if (hidden)
		printf("%zu settings are the same in both (--all shows them)\n", hidden);
	bool same_data = !strcmp(a->data_sha256, b->data_sha256) && a->data_sha256[0] &&
			 a->ntest == b->ntest && a->s.train.seed == b->s.train.seed &&
			 a->s.test_split == b->s.test_split;
	if (!same_data)
		printf("note: the runs were not evaluated on the same test rows (data, split or "
		       "seed differ): compare with care\n");
	if (best == ia || best == ib)
		printf("best of all runs (by AUC): run %zu\n", best + 1);
	print_curves(a, b, ia + 1, ib + 1);
	return 0;
}

/* The learner's runs: listed, or two of them (keys) side by side. */
static int show_runs(struct cli_env *env, enum out_format format, const char *const *keys,
		     bool all)
{
	struct learner l;
	struct store *st = cli_open_learner(env, name, false, &l);
	if (!st)
		return 1;
	int rc = 0;
	struct experiment *runs = NULL;
	size_t n = 0;
	if (experiment_list(st, l.id, &runs, &n) != STORE_OK)
		rc = cli_error(name, "%s", store_errmsg(st));
	if (!rc && !n && format == OUT_TABLE)
		printf("no runs yet for %s: train in the lab (m) or with 'aipm train FILE --log'\n",
		       l.name);
	else if (!rc && keys)
		rc = diff_runs(runs, n, keys[0], keys[1], all, format);
	else if (!rc)
		list_runs(runs, n, format);
	experiments_free(runs, n);
	store_close(st);
	return rc;
}

static int experiments_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	if (cli_format_only(&cmd_experiments, argc, argv, &format) != 0)
		return 2;
	return show_runs(env, format, NULL, false);
}

static int diff_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	const char *keys[2] = {NULL, NULL};
	bool all = false;
	size_t nkeys = 0;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (nkeys < 2 && argv[i][0] != '-') {
			keys[nkeys++] = argv[i];
		} else {
			cli_error(name, "unexpected '%s'", argv[i]);
			return cli_usage(&cmd_experiments);
		}
	}
	if (nkeys != 2)
		return cli_usage(&cmd_experiments);
	return show_runs(env, format, keys, all);
}

static const struct cli_subcommand experiments_subcommands[] = {
	{"diff",
	 "A B [--all] [--format table|json]\n"
	 "       (A, B: run numbers as listed, or uid prefixes)",
	 diff_run},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_experiments = {
	.name = "experiments",
	.usage = "[--format table|csv|json]",
	.summary = "the lab's runs, best by AUC, and two runs side by side",
	.run = experiments_run,
	.subcommands = experiments_subcommands,
};
