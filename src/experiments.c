#include "experiments.h"

#include "clock.h"
#include "store_sql.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dump(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

static char *data_json(const struct lab_data *d, const struct lab_run *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(d->data.path));
	json_object_set_new(o, "sha256", json_string(d->data.sha256));
	json_object_set_new(o, "test_file", d->has_test ? json_string(d->test.path) : json_null());
	if (d->has_test)
		json_object_set_new(o, "test_sha256", json_string(d->test.sha256));
	json_object_set_new(o, "rows", json_integer((json_int_t)d->data.count));
	json_object_set_new(o, "rows_used", json_integer((json_int_t)d->nrows));
	json_object_set_new(o, "train", json_integer((json_int_t)r->ntrain));
	json_object_set_new(o, "validation", json_integer((json_int_t)r->nval));
	json_object_set_new(o, "test", json_integer((json_int_t)r->ntest));
	json_object_set_new(o, "validation_is_test", json_boolean(r->val_is_test));
	json_object_set_new(o, "labels", json_pack("[ss]", d->data.label_names[0],
						   d->data.label_names[1]));
	return dump(o);
}

static void bind_real_or_null(sqlite3_stmt *stmt, int col, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(stmt, col, v);
	else
		sqlite3_bind_null(stmt, col);
}

enum store_error experiment_log(struct store *st, int64_t learner_id, const struct lab_data *d,
				const struct lab_settings *s, const struct lab_run *r,
				double seconds, struct experiment *out)
{
	char uid[37];
	store_new_uuid(uid);
	int64_t now = clock_now();
	char *data = data_json(d, r), *settings = dump(lab_settings_json(s)),
	     *metrics = dump(lab_run_json(r));
	const struct lab_eval *e = &r->eval;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO experiments (uid, learner_id, created_at, data, settings, metrics,"
		" accuracy, f1, seconds, threshold, auc, log_loss)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	enum store_error rc = STORE_ERR_SQL;
	if (stmt) {
		sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, learner_id);
		sqlite3_bind_int64(stmt, 3, now);
		sqlite3_bind_text(stmt, 4, data, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, settings, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, metrics, -1, SQLITE_STATIC);
		sqlite3_bind_double(stmt, 7, e->report.accuracy);
		sqlite3_bind_double(stmt, 8, e->report.macro.f1);
		sqlite3_bind_double(stmt, 9, seconds);
		sqlite3_bind_double(stmt, 10, e->threshold);
		bind_real_or_null(stmt, 11, e->auc);
		bind_real_or_null(stmt, 12, e->calibration.log_loss);
		rc = store_step_done(st, stmt);
	}
	free(data);
	free(settings);
	free(metrics);
	if (rc == STORE_OK && out) {
		/* What was written, as experiment_list reads it back. */
		struct experiment *all;
		size_t n;
		rc = experiment_list(st, learner_id, &all, &n);
		memset(out, 0, sizeof *out);
		for (size_t i = 0; rc == STORE_OK && i < n; i++)
			if (!strcmp(all[i].uid, uid)) {
				*out = all[i];
				memset(&all[i], 0, sizeof all[i]);
			}
		if (rc == STORE_OK)
			experiments_free(all, n);
	}
	return rc;
}

enum store_error experiment_set_threshold(struct store *st, const char *uid, double threshold,
					  double accuracy, double f1)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "UPDATE experiments SET threshold = ?, accuracy = ?, f1 = ? WHERE uid = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_double(stmt, 1, threshold);
	sqlite3_bind_double(stmt, 2, accuracy);
	sqlite3_bind_double(stmt, 3, f1);
	sqlite3_bind_text(stmt, 4, uid, -1, SQLITE_STATIC);
	return store_step_done(st, stmt);
}

/* ---- decoding a row, once ---- */

static char *string_or(json_t *o, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? xstrdup(v) : fallback ? xstrdup(fallback) : NULL;
}

static size_t count_of(json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));
	return v > 0 ? (size_t)v : 0;
}

static double real_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *parse(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	json_error_t jerr;
	json_t *o = t ? json_loads((const char *)t, 0, &jerr) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	return o;
}

static double column_real(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL ? NAN
							     : sqlite3_column_double(stmt, col);
}

static void decode_data(json_t *d, struct experiment *e)
{
	e->data_file = string_or(d, "file", "?");
	e->test_file = string_or(d, "test_file", NULL);
	const char *sha = json_string_value(json_object_get(d, "sha256"));
	snprintf(e->data_sha256, sizeof e->data_sha256, "%s", sha ? sha : "");
	e->rows = count_of(d, "rows");
	e->rows_used = count_of(d, "rows_used");
	e->ntrain = count_of(d, "train");
	e->nval = count_of(d, "validation");
	e->ntest = count_of(d, "test");
	e->val_is_test = json_is_true(json_object_get(d, "validation_is_test"));
	json_t *labels = json_object_get(d, "labels");
	for (int c = 0; c < 2; c++) {
		const char *l = json_string_value(json_array_get(labels, (size_t)c));
		e->labels[c] = xstrdup(l ? l : c ? "1" : "0");
	}
}

static void decode_settings(json_t *s, struct experiment *e)
{
	lab_settings_default(&e->s);
	/* Before L-BFGS, logistic regression was SGD with an L2 strength per
	 * row and no early stopping. */
	if (!json_object_get(s, "solver")) {
		e->s.train.solver = SOLVER_SGD;
		e->s.train.patience = 0;
		double l2 = real_of(s, "l2");
		if (l2 > 0 && e->ntrain)
			e->s.train.C = 1.0 / (l2 * (double)e->ntrain);
	}
	lab_settings_from_json(s, &e->s);
}

static double *step_values(json_t *steps, const char *key)
{
	size_t n = json_array_size(steps);
	double *v = xmalloc((n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = real_of(json_array_get(steps, i), key);
	return v;
}

static void decode_metrics(json_t *m, struct experiment *e)
{
	e->trained_threshold = real_of(m, "threshold");
	e->brier = real_of(m, "brier");
	json_t *training = json_object_get(m, "training");
	e->stop = string_or(training, "stop", "");
	e->converged = json_is_true(json_object_get(training, "converged"));
	/* Runs logged before kept their epochs under "epochs". */
	json_t *steps = json_object_get(m, "steps");
	if (!json_is_array(steps))
		steps = json_object_get(m, "epochs");
	e->nsteps = json_array_size(steps);
	e->steps = (int)e->nsteps;
	e->train_loss = step_values(steps, "train_loss");
	e->val_loss = step_values(steps, "val_loss");
	e->train_accuracy = step_values(steps, "train_accuracy");
	e->val_accuracy = step_values(steps, "val_accuracy");
	if (!isfinite(e->auc))
		e->auc = real_of(m, "auc");
}

enum store_error experiment_list(struct store *st, int64_t learner_id, struct experiment **out,
				 size_t *count)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT uid, created_at, data, settings, metrics, accuracy, f1, seconds,"
		" threshold, auc, log_loss FROM experiments WHERE learner_id = ?"
		" ORDER BY created_at, rowid");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct experiment e = {0};
		const unsigned char *uid = sqlite3_column_text(stmt, 0);
		snprintf(e.uid, sizeof e.uid, "%s", uid ? (const char *)uid : "");
		e.created_at = sqlite3_column_int64(stmt, 1);
		e.accuracy = sqlite3_column_double(stmt, 5);
		e.f1 = sqlite3_column_double(stmt, 6);
		e.seconds = sqlite3_column_double(stmt, 7);
		e.threshold = sqlite3_column_double(stmt, 8);
		e.auc = column_real(stmt, 9);
		e.log_loss = column_real(stmt, 10);
		json_t *data = parse(stmt, 2), *settings = parse(stmt, 3),
		       *metrics = parse(stmt, 4);
		decode_data(data, &e);
		decode_settings(settings, &e);
		decode_metrics(metrics, &e);
		json_decref(data);
		json_decref(settings);
		json_decref(metrics);
		ARRAY_PUSH(*out, *count, cap, e);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		experiments_free(*out, *count);
		*out = NULL;
		*count = 0;
		return STORE_ERR_SQL;
	}
	return STORE_OK;
}

void experiment_free(struct experiment *e)
{
	free(e->data_file);
	free(e->test_file);
	free(e->labels[0]);
	free(e->labels[1]);
	free(e->stop);
	free(e->train_loss);
	free(e->val_loss);
	free(e->train_accuracy);
	free(e->val_accuracy);
	memset(e, 0, sizeof *e);
}

void experiments_free(struct experiment *items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		experiment_free(&items[i]);
	free(items);
}

/* a is better than b: higher AUC (known beats unknown), then lower log
 * loss. */
static bool better(const struct experiment *a, const struct experiment *b)
{
	bool ka = isfinite(a->auc), kb = isfinite(b->auc);
	if (ka != kb)
		return ka;
	if (ka && a->auc != b->auc)
		return a->auc > b->auc;
	bool la = isfinite(a->log_loss), lb = isfinite(b->log_loss);
	if (la != lb)
		return la;
	return la && a->log_loss < b->log_loss;
}

size_t experiment_best(const struct experiment *items, size_t count)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < count; i++)
		if (best == SIZE_MAX || better(&items[i], &items[best]))
			best = i;
	return best;
}

void experiment_model_text(const struct experiment *e, char *buf, size_t size)
{
	const struct lab_settings *s = &e->s;
	if (s->train.kind == MODEL_NB)
		snprintf(buf, size, "NB %s %s", feature_kind_name(s->features),
			 s->tok.ngram_max == 2 ? "1-2" : "1");
	else
		snprintf(buf, size, "LR %s %s %s", train_solver_name(s->train.solver),
			 feature_kind_name(s->features), s->tok.ngram_max == 2 ? "1-2" : "1");
}

/* ---- side by side ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void real_text(double v, const char *fmt, char *buf, size_t size)
{
	if (isfinite(v))
		snprintf(buf, size, fmt, v);
	else
		snprintf(buf, size, "unknown");
}

size_t experiment_fields(const struct experiment *e, struct experiment_field *out)
{
	const struct lab_settings *s = &e->s;
	const struct train_options *t = &s->train;
	bool lr = t->kind == MODEL_LOGREG, lbfgs = lr && t->solver == SOLVER_LBFGS,
	     sgd = lr && t->solver == SOLVER_SGD;
	size_t n = 0;
	char a[32], b[32], c[32];
#define FIELD(group_, name_, ...)                                                        \
	do {                                                                             \
		out[n].name = (name_);                                                   \
		out[n].group = (group_);                                                 \
		snprintf(out[n].value, sizeof out[n].value, __VA_ARGS__);                \
		n++;                                                                     \
	} while (0)
#define UNUSED_IF(cond, group_, name_, ...)                                              \
	do {                                                                             \
		if (cond)                                                                \
			FIELD(group_, name_, "-");                                       \
		else                                                                     \
			FIELD(group_, name_, __VA_ARGS__);                               \
	} while (0)
	FIELD(EXP_DATA, "data file", "%s", base_name(e->data_file));
	FIELD(EXP_DATA, "data SHA-256", "%.12s", e->data_sha256[0] ? e->data_sha256 : "unknown");
	FIELD(EXP_DATA, "test file", "%s", e->test_file ? base_name(e->test_file) : "none");
	format_thousands(e->rows, a, sizeof a);
	FIELD(EXP_DATA, "rows in the file", "%s", a);
	format_thousands(e->rows_used, a, sizeof a);
	FIELD(EXP_DATA, "rows used", "%s", a);
	format_thousands(e->ntrain, a, sizeof a);
	format_thousands(e->nval, b, sizeof b);
	format_thousands(e->ntest, c, sizeof c);
	FIELD(EXP_DATA, "train / val / test", "%s / %s / %s%s", a, b, c,
	      e->val_is_test ? " (val is test)" : "");
	FIELD(EXP_DATA, "labels", "%s / %s", e->labels[0], e->labels[1]);
	if (s->balanced)
		FIELD(EXP_SETTING, "balanced subset", "%zu per class", s->balanced);
	else
		FIELD(EXP_SETTING, "balanced subset", "off");
	FIELD(EXP_SETTING, "test share", "%g", s->test_split);
	FIELD(EXP_SETTING, "validation share", "%g", s->val_split);
	FIELD(EXP_SETTING, "seed", "%llu", (unsigned long long)t->seed);
	FIELD(EXP_SETTING, "n-grams", "%s", s->tok.ngram_max == 2 ? "1-2" : "1");
	FIELD(EXP_SETTING, "stop words", "%s", s->tok.stop_words ? "dropped" : "kept");
	FIELD(EXP_SETTING, "HTML tags", "%s", s->tok.strip_html ? "stripped" : "kept");
	FIELD(EXP_SETTING, "min. documents", "%zu", s->tok.min_df);
	FIELD(EXP_SETTING, "max. vocabulary", "%zu", s->tok.max_vocab);
	FIELD(EXP_SETTING, "features", "%s", feature_kind_name(s->features));
	FIELD(EXP_SETTING, "model", "%s", lr ? "logistic regression" : "naive Bayes");
	UNUSED_IF(!lr, EXP_SETTING, "solver", "%s", t->solver == SOLVER_LBFGS ? "L-BFGS" : "SGD");
	UNUSED_IF(!lr, EXP_SETTING, "C", "%g", t->C);
	UNUSED_IF(!lbfgs, EXP_SETTING, "max. iterations", "%d", t->max_iter);
	UNUSED_IF(!lbfgs, EXP_SETTING, "tolerance", "%g", t->tol);
	UNUSED_IF(!sgd, EXP_SETTING, "learning rate", "%g", t->learning_rate);
	UNUSED_IF(!sgd, EXP_SETTING, "batch size", "%zu", t->batch_size);
	UNUSED_IF(!sgd, EXP_SETTING, "epochs", "%d", t->epochs);
	UNUSED_IF(!sgd, EXP_SETTING, "patience", "%d", t->patience);
	UNUSED_IF(lr, EXP_SETTING, "alpha", "%g", t->nb_alpha);
	if (isfinite(e->trained_threshold) && fabs(e->threshold - e->trained_threshold) > 1e-9)
		FIELD(EXP_RESULT, "threshold", "%.2f (was %.2f)", e->threshold,
		      e->trained_threshold);
	else
		FIELD(EXP_RESULT, "threshold", "%.2f", e->threshold);
	FIELD(EXP_RESULT, "accuracy", "%.4f", e->accuracy);
	FIELD(EXP_RESULT, "macro F1", "%.4f", e->f1);
	real_text(e->auc, "%.4f", out[n].value, sizeof out[n].value);
	out[n].name = "AUC", out[n++].group = EXP_RESULT;
	real_text(e->log_loss, "%.4f", out[n].value, sizeof out[n].value);
	out[n].name = "log loss", out[n++].group = EXP_RESULT;
	real_text(e->brier, "%.4f", out[n].value, sizeof out[n].value);
	out[n].name = "Brier score", out[n++].group = EXP_RESULT;
	FIELD(EXP_RESULT, "steps", "%d %s", e->steps,
	      !lr ? "pass" : t->solver == SOLVER_LBFGS ? "iterations" : "epochs");
	FIELD(EXP_RESULT, "training ended", "%s", e->stop[0] ? e->stop : "unknown");
	FIELD(EXP_RESULT, "seconds", "%.2f", e->seconds);
#undef UNUSED_IF
#undef FIELD
	return n;
}

size_t experiment_compare(const struct experiment *a, const struct experiment *b,
			  struct experiment_pair_field *out)
{
	struct experiment_field fa[EXPERIMENT_FIELDS], fb[EXPERIMENT_FIELDS];
	size_t n = experiment_fields(a, fa);
	experiment_fields(b, fb);
	for (size_t i = 0; i < n; i++) {
		out[i].name = fa[i].name;
		out[i].group = fa[i].group;
		snprintf(out[i].a, sizeof out[i].a, "%s", fa[i].value);
		snprintf(out[i].b, sizeof out[i].b, "%s", fb[i].value);
		/* Seconds always differ: not a difference between the runs. */
		out[i].differs = strcmp(fa[i].value, fb[i].value) != 0 &&
				 strcmp(fa[i].name, "seconds") != 0;
	}
	return n;
}

size_t experiment_find(const struct experiment *items, size_t count, const char *key)
{
	char *end;
	errno = 0;
	unsigned long long k = strtoull(key, &end, 10);
	/* A number as listed; digits that are no such number may still start
	 * a uid (about 2% of uids start with eight decimal digits). */
	if (*key && !*end && key[0] != '-' && !errno && k >= 1 && k <= count)
		return (size_t)k - 1;
	size_t len = strlen(key), found = SIZE_MAX;
	if (len < 4)
		return SIZE_MAX;
	for (size_t i = 0; i < count; i++)
		if (!strncmp(items[i].uid, key, len)) {
			if (found != SIZE_MAX)
				return SIZE_MAX;
			found = i;
		}
	return found;
}
