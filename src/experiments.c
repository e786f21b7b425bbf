#include "experiments.h"

#include "clock.h"
#include "util.h"

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
	json_object_set_new(o, "test_file", d->has_test ? json_string(d->test.path) : json_null());
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

enum store_error experiment_log(struct store *st, int64_t learner_id, const struct lab_data *d,
				const struct lab_settings *s, const struct lab_run *r,
				double seconds, struct experiment *out)
{
	struct experiment e = {0};
	store_new_uuid(e.uid);
	e.created_at = clock_now();
	e.data = data_json(d, r);
	e.settings = dump(lab_settings_json(s));
	e.metrics = dump(lab_run_json(r));
	e.accuracy = r->report.accuracy;
	e.f1 = r->report.macro.f1;
	e.seconds = seconds;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO experiments (uid, learner_id, created_at, data, settings, metrics,"
		" accuracy, f1, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	enum store_error rc = STORE_ERR_SQL;
	if (stmt) {
		sqlite3_bind_text(stmt, 1, e.uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, learner_id);
		sqlite3_bind_int64(stmt, 3, e.created_at);
		sqlite3_bind_text(stmt, 4, e.data, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, e.settings, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, e.metrics, -1, SQLITE_STATIC);
		sqlite3_bind_double(stmt, 7, e.accuracy);
		sqlite3_bind_double(stmt, 8, e.f1);
		sqlite3_bind_double(stmt, 9, e.seconds);
		rc = store_step_done(st, stmt);
	}
	if (rc == STORE_OK && out) {
		*out = e;
	} else {
		free(e.data);
		free(e.settings);
		free(e.metrics);
	}
	return rc;
}

static char *column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	return xstrdup(t ? (const char *)t : "");
}

enum store_error experiment_list(struct store *st, int64_t learner_id, struct experiment **out,
				 size_t *count)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT uid, created_at, data, settings, metrics, accuracy, f1, seconds"
		" FROM experiments WHERE learner_id = ? ORDER BY created_at, rowid");
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
		e.data = column_text(stmt, 2);
		e.settings = column_text(stmt, 3);
		e.metrics = column_text(stmt, 4);
		e.accuracy = sqlite3_column_double(stmt, 5);
		e.f1 = sqlite3_column_double(stmt, 6);
		e.seconds = sqlite3_column_double(stmt, 7);
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

void experiments_free(struct experiment *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(items[i].data);
		free(items[i].settings);
		free(items[i].metrics);
	}
	free(items);
}

size_t experiment_best(const struct experiment *items, size_t count)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < count; i++)
		if (best == SIZE_MAX || items[i].f1 > items[best].f1 ||
		    (items[i].f1 == items[best].f1 && items[i].accuracy > items[best].accuracy))
			best = i;
	return best;
}
