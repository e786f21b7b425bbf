/* The lab's experiment log: runs are kept per learner, listed oldest
 * first and decoded into typed fields (data file and hash, settings,
 * solver, threshold, AUC, log loss, curves); the best is the highest AUC;
 * a threshold moved after training is recorded; two runs compare field by
 * field; runs logged before this log kept a threshold, AUC and solver are
 * read back honestly; and runs go with the learner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "experiments.h"
#include "labtest.h"
#include "store_sql.h"
#include "testutil.h"
#include "util.h"

#include <math.h>
#include <string.h>

#define assert_near_eq(a, b) assert_near(a, b, 1e-12 * (1 + fabs(b)))

static void train_toy(const char *dir, struct lab_data *d, struct lab_settings *s,
		      struct lab_run *r, enum model_kind kind)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "review,sentiment\n");
	/* Mostly separable, with a few reviews that go against their label. */
	for (int i = 0; i < 60; i++)
		sb_printf(&sb, "\"%s film number %d\",%s\n",
			  (i % 2) ^ (i % 13 == 0) ? "a great, lovely" : "a dull, awful", i,
			  i % 2 ? "positive" : "negative");
	test_write_file(dir, "toy.csv", sb.data);
	sb_free(&sb);
	char *path = xasprintf("%s/toy.csv", dir);
	lab_settings_default(s);
	s->train.kind = kind;
	char err[512];
	assert_int_equal(lab_data_load(d, path, NULL, s, err, sizeof err), 0);
	assert_int_equal(lab_data_prepare(d, s, err, sizeof err), 0);
	assert_int_equal(lab_train(d, s, NULL, NULL, r, err, sizeof err), 0);
	free(path);
}

static void test_log_list_best_and_cascade(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *db = xasprintf("%s/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(db, &st, err, sizeof err), STORE_OK);
	struct learner ana, ben;
	assert_int_equal(store_learner_create(st, "Ana", &ana), STORE_OK);
	assert_int_equal(store_learner_create(st, "Ben", &ben), STORE_OK);

	struct lab_data d;
	struct lab_settings s;
	struct lab_run r;
	train_toy(dir, &d, &s, &r, MODEL_NB);
	struct experiment first;
	assert_int_equal(experiment_log(st, ana.id, &d, &s, &r, 0.25, &first), STORE_OK);
	assert_int_equal(strlen(first.uid), 36);
	assert_string_equal(first.data_sha256, d.data.sha256);
	lab_run_free(&r);
	lab_data_free(&d);
	train_toy(dir, &d, &s, &r, MODEL_LOGREG);
	struct experiment second;
	assert_int_equal(experiment_log(st, ana.id, &d, &s, &r, 0.5, &second), STORE_OK);
	assert_int_equal(experiment_log(st, ben.id, &d, &s, &r, 0.5, NULL), STORE_OK);

	struct experiment *runs;
	size_t n;
	assert_int_equal(experiment_list(st, ana.id, &runs, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(runs[0].uid, first.uid);
	assert_true(runs[0].seconds == 0.25);
	/* Typed fields, decoded once. */
	const struct experiment *e = &runs[1];
	assert_non_null(strstr(e->data_file, "toy.csv"));
	assert_int_equal(strlen(e->data_sha256), 64);
	assert_string_equal(e->data_sha256, d.data.sha256);
	assert_null(e->test_file);
	assert_int_equal(e->rows, 60);
	assert_int_equal(e->ntrain + e->nval + e->ntest, 60);
	assert_string_equal(e->labels[1], "positive");
	assert_int_equal(e->s.train.kind, MODEL_LOGREG);
	assert_int_equal(e->s.train.solver, SOLVER_LBFGS);
	assert_true(e->s.train.C == 1 && e->s.train.max_iter == 100);
	assert_int_equal(e->s.train.seed, 42);
	assert_true(e->threshold == 0.5 && e->trained_threshold == 0.5);
	assert_true(e->accuracy == r.eval.report.accuracy);
	assert_true(e->f1 == r.eval.report.macro.f1);
	assert_near_eq(e->auc, r.eval.auc);
	assert_near_eq(e->log_loss, r.eval.calibration.log_loss);
	assert_near_eq(e->brier, r.eval.calibration.brier);
	assert_int_equal(e->nsteps, r.train.nsteps);
	assert_int_equal(e->steps, (int)r.train.nsteps);
	assert_near_eq(e->train_loss[e->nsteps - 1], r.train.steps[r.train.nsteps - 1].train_loss);
	assert_true(e->converged);
	assert_string_equal(e->stop, train_stop_name(r.train.stop));
	assert_int_equal(runs[0].s.train.kind, MODEL_NB);
	char model[64];
	experiment_model_text(&runs[0], model, sizeof model);
	assert_string_equal(model, "NB tfidf 1-2");
	experiment_model_text(&runs[1], model, sizeof model);
	assert_string_equal(model, "LR lbfgs tfidf 1-2");

	/* Best by AUC, then log loss. */
	size_t best = experiment_best(runs, n);
	assert_true(best < n);
	assert_true(runs[best].auc > runs[1 - best].auc ||
		    (runs[best].auc == runs[1 - best].auc &&
		     runs[best].log_loss <= runs[1 - best].log_loss));
	assert_int_equal(experiment_best(NULL, 0), SIZE_MAX);

	/* Two runs side by side: the model differs, the data does not. */
	struct experiment_pair_field f[EXPERIMENT_FIELDS];
	size_t nf = experiment_compare(&runs[0], &runs[1], f);
	assert_true(nf > 20 && nf <= EXPERIMENT_FIELDS);
	bool saw_model = false, saw_solver = false;
	for (size_t i = 0; i < nf; i++) {
		if (!strcmp(f[i].name, "model")) {
			saw_model = f[i].differs;
			assert_string_equal(f[i].a, "naive Bayes");
		}
		if (!strcmp(f[i].name, "solver")) {
			saw_solver = true;
			assert_string_equal(f[i].a, "-"); /* NB has none */
			assert_string_equal(f[i].b, "L-BFGS");
		}
		if (!strcmp(f[i].name, "data SHA-256") || !strcmp(f[i].name, "seed"))
			assert_false(f[i].differs);
		if (!strcmp(f[i].name, "seconds"))
			assert_false(f[i].differs);
	}
	assert_true(saw_model && saw_solver);
	assert_int_equal(experiment_find(runs, n, "2"), 1);
	assert_int_equal(experiment_find(runs, n, "3"), SIZE_MAX);
	char prefix[9];
	snprintf(prefix, sizeof prefix, "%.8s", first.uid);
	assert_int_equal(experiment_find(runs, n, prefix), 0);
	assert_int_equal(experiment_find(runs, n, "ab"), SIZE_MAX);
	/* A uid that starts with digits is found by them (it was read as a
	 * run number that does not exist: CI failed on one such uid). */
	memcpy(runs[1].uid, "12345678", 8);
	assert_int_equal(experiment_find(runs, n, "12345678"), 1);
	assert_int_equal(experiment_find(runs, n, "1234"), 1);
	assert_int_equal(experiment_find(runs, n, "123"), SIZE_MAX);
	experiments_free(runs, n);

	/* A threshold moved after training is recorded with the scores at it,
	 * and shown as moved. */
	lab_set_threshold(&r, 0.7);
	assert_int_equal(experiment_set_threshold(st, second.uid, 0.7, r.eval.report.accuracy,
						  r.eval.report.macro.f1),
			 STORE_OK);
	assert_int_equal(experiment_list(st, ana.id, &runs, &n), STORE_OK);
	assert_true(runs[1].threshold == 0.7 && runs[1].trained_threshold == 0.5);
	assert_true(runs[1].accuracy == r.eval.report.accuracy);
	struct experiment_field one[EXPERIMENT_FIELDS];
	size_t k = experiment_fields(&runs[1], one);
	bool moved = false;
	for (size_t i = 0; i < k; i++)
		if (!strcmp(one[i].name, "threshold"))
			moved = strstr(one[i].value, "0.70 (was 0.50)") != NULL;
	assert_true(moved);
	experiments_free(runs, n);

	/* Deleting a learner takes their runs along. */
	sqlite3_stmt *del = store_prepare(st, "DELETE FROM learners WHERE id = ?");
	sqlite3_bind_int64(del, 1, ana.id);
	assert_int_equal(store_step_done(st, del), STORE_OK);
	assert_int_equal(experiment_list(st, ana.id, &runs, &n), STORE_OK);
	assert_int_equal(n, 0);
	experiments_free(runs, n);
	assert_int_equal(experiment_list(st, ben.id, &runs, &n), STORE_OK);
	assert_int_equal(n, 1);
	experiments_free(runs, n);

	experiment_free(&first);
	experiment_free(&second);
	lab_run_free(&r);
	lab_data_free(&d);
	store_close(st);
	free(db);
	test_remove_tree(dir);
	free(dir);
}

/* A run as the log kept it before: SGD with an L2 strength, its epochs
 * under "epochs", its threshold and AUC only in the metrics JSON. */
static const char old_data[] =
	"{\"file\":\"reviews.csv\",\"labels\":[\"negative\",\"positive\"],\"rows\":6000,"
	"\"rows_used\":2000,\"test\":400,\"test_file\":null,\"train\":1400,\"validation\":200,"
	"\"validation_is_test\":false}";
static const char old_settings[] =
	"{\"balanced\":1000,\"batch_size\":16,\"epochs\":2,\"features\":\"tfidf\","
	"\"l2\":1e-05,\"learning_rate\":2.0,\"max_vocab\":0,\"min_df\":1,\"model\":\"logreg\","
	"\"ngram_max\":2,\"seed\":42,\"stop_words\":false,\"strip_html\":true,"
	"\"test_split\":0.2,\"threshold\":0.58,\"val_split\":0.1}";
static const char old_metrics[] =
	"{\"accuracy\":0.693,\"auc\":0.91,\"threshold\":0.58,\"epochs\":["
	"{\"epoch\":1,\"train_loss\":0.69,\"train_accuracy\":0.6,\"val_loss\":0.68,"
	"\"val_accuracy\":0.62},{\"epoch\":2,\"train_loss\":0.5,\"train_accuracy\":0.9,"
	"\"val_loss\":0.55,\"val_accuracy\":0.8}]}";

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static void test_old_rows_after_migration(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	struct learner ana;
	assert_int_equal(store_learner_create(st, "Ana", &ana), STORE_OK);
	store_close(st);
	/* The database as it was before the experiments' new columns
	 * (migration 13) and what came after them (14: bookmarks; 18: the
	 * notes' anchors; 15 to 17 replace triggers and indexes, and run again
	 * as they are). */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec(db, "ALTER TABLE experiments DROP COLUMN log_loss;"
		 "ALTER TABLE experiments DROP COLUMN auc;"
		 "ALTER TABLE experiments DROP COLUMN threshold;"
		 "DROP TABLE bookmarks;"
		 "ALTER TABLE notes DROP COLUMN anchor;");
	char *sql = sqlite3_mprintf(
		"INSERT INTO experiments (uid, learner_id, created_at, data, settings, metrics,"
		" accuracy, f1, seconds) VALUES ('00000000-0000-4000-8000-000000000001', %lld, 1,"
		" %Q, %Q, %Q, 0.693, 0.69, 0.3); PRAGMA user_version = %d;",
		(long long)ana.id, old_data, old_settings, old_metrics, 12);
	exec(db, sql);
	sqlite3_free(sql);
	sqlite3_close(db);

	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	struct experiment *runs;
	size_t n;
	assert_int_equal(experiment_list(st, ana.id, &runs, &n), STORE_OK);
	assert_int_equal(n, 1);
	const struct experiment *e = &runs[0];
	/* Its moved threshold and its AUC come from its metrics. */
	assert_true(e->threshold == 0.58);
	assert_true(e->auc == 0.91);
	assert_true(isnan(e->log_loss));
	/* It was SGD, with the same penalty as C = 1 / (l2 x training rows). */
	assert_int_equal(e->s.train.solver, SOLVER_SGD);
	assert_near_eq(e->s.train.C, 1.0 / (1e-5 * 1400));
	assert_int_equal(e->s.train.patience, 0);
	assert_int_equal(e->s.train.epochs, 2);
	assert_int_equal(e->nsteps, 2);
	assert_true(e->val_accuracy[1] == 0.8);
	assert_string_equal(e->data_sha256, "");
	assert_string_equal(e->stop, "");
	struct experiment_field f[EXPERIMENT_FIELDS];
	size_t k = experiment_fields(e, f);
	for (size_t i = 0; i < k; i++) {
		if (!strcmp(f[i].name, "log loss") || !strcmp(f[i].name, "data SHA-256"))
			assert_string_equal(f[i].value, "unknown");
		if (!strcmp(f[i].name, "threshold"))
			assert_string_equal(f[i].value, "0.58");
	}
	experiments_free(runs, n);
	store_close(st);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_list_best_and_cascade),
		cmocka_unit_test(test_old_rows_after_migration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
