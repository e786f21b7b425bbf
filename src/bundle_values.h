/* The values a row of a progress bundle may hold, beyond the SQL type of
 * its column (bundle.c checks that): counts, scores and durations within
 * their ranges, times between 2000-01-01 and a day after the import, and
 * the scores of an estimation answer recomputed from the raw estimate and
 * the question's reference answer with the drill's own estimate_score,
 * never taken as sent. Part of the bundle engine (bundle.c), apart for its
 * length; no curses, no SQL. */
#ifndef AIPM_BUNDLE_VALUES_H
#define AIPM_BUNDLE_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2000-01-01 00:00 UTC: no aipm answer is older. */
#define BUNDLE_TIME_MIN INT64_C(946684800)
/* How far past the import's clock a time may be (another computer's clock
 * runs ahead). */
#define BUNDLE_TIME_AHEAD INT64_C(86400)

/* An estimation question's reference answer, by id (sorted by strcmp). */
struct value_reference {
	char *id;
	double answer;
};

/* The checks of one bundle section: its table and columns. */
struct value_checks;
struct value_checks *value_checks_new(const char *table, const char *const *columns,
				      size_t count);
void value_checks_free(struct value_checks *vc);

/* The recomputed columns: how many, and column i's place among them (-1
 * for a column taken as sent). */
size_t value_checks_derived(const struct value_checks *vc);
int value_checks_slot(const struct value_checks *vc, size_t column);
/* Whether a column that is recomputed is an integer (hit). */
bool value_checks_slot_integer(const struct value_checks *vc, int slot);

/* Checks one row: fields[i] holds columns[i] ("" for NULL, already of the
 * column's type). 0 with the recomputed values in derived
 * (value_checks_derived of them); -1 with the index of the column at
 * fault in *column and why, a sentence about its value. */
int value_checks_row(const struct value_checks *vc, const char *const *fields, int64_t now,
		     const struct value_reference *refs, size_t ref_count, double *derived,
		     size_t *column, char *why, size_t whylen);

/* Whether t is a time a bundle may hold when imported at now. */
bool value_time_ok(int64_t t, int64_t now);

#endif
