/* The lab's experiment log: runs are kept per learner, listed oldest
 * first, the best is the highest macro F1, and they go with the learner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "experiments.h"
#include "testutil.h"
#include "util.h"

#include <string.h>

static void train_toy(const char *dir, struct lab_data *d, struct lab_settings *s,
		      struct lab_run *r, int epochs)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "review,sentiment\n");
	for (int i = 0; i < 40; i++)
		sb_printf(&sb, "\"%s film number %d\",%s\n",
			  i % 2 ? "a great, lovely" : "a dull, awful", i,
			  i % 2 ? "positive" : "negative");
	test_write_file(dir, "toy.csv", sb.data);
	sb_free(&sb);
	char *path = xasprintf("%s/toy.csv", dir);
	lab_settings_default(s);
	s->train.epochs = epochs;
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
	train_toy(dir, &d, &s, &r, 1);
	struct experiment first;
	assert_int_equal(experiment_log(st, ana.id, &d, &s, &r, 0.25, &first), STORE_OK);
	assert_int_equal(strlen(first.uid), 36);
	lab_run_free(&r);
	lab_data_free(&d);
	train_toy(dir, &d, &s, &r, 20);
	assert_int_equal(experiment_log(st, ana.id, &d, &s, &r, 0.5, NULL), STORE_OK);
	double second_f1 = r.report.macro.f1;
	assert_int_equal(experiment_log(st, ben.id, &d, &s, &r, 0.5, NULL), STORE_OK);

	struct experiment *runs;
	size_t n;
	assert_int_equal(experiment_list(st, ana.id, &runs, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(runs[0].uid, first.uid);
	assert_true(runs[1].f1 == second_f1);
	assert_true(runs[0].seconds == 0.25);
	/* The JSON columns hold what the comparison table shows. */
	json_error_t jerr;
	json_t *settings = json_loads(runs[1].settings, 0, &jerr);
	assert_int_equal(json_integer_value(json_object_get(settings, "epochs")), 20);
	json_decref(settings);
	json_t *metrics = json_loads(runs[1].metrics, 0, &jerr);
	assert_int_equal(json_array_size(json_object_get(metrics, "epochs")), 20);
	json_decref(metrics);
	json_t *data = json_loads(runs[1].data, 0, &jerr);
	assert_int_equal(json_integer_value(json_object_get(data, "rows")), 40);
	json_decref(data);
	size_t best = experiment_best(runs, n);
	assert_true(best < n);
	assert_true(runs[best].f1 >= runs[1 - best].f1);
	experiments_free(runs, n);
	assert_int_equal(experiment_best(NULL, 0), SIZE_MAX);

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

	free(first.data);
	free(first.settings);
	free(first.metrics);
	lab_run_free(&r);
	lab_data_free(&d);
	store_close(st);
	free(db);
	test_remove_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_list_best_and_cascade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
