/* A unit test's snapshot of database rows, to compare a learner's data
 * before an answer and after its undo. */
#ifndef AIPM_TESTDUMP_H
#define AIPM_TESTDUMP_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

/* Every row every query gives, as text ('|' between columns, a line per
 * row, "--" after each query); malloc'd, or NULL when a query fails. */
static inline char *test_dump_rows(sqlite3 *db, const char *const *queries, size_t count)
{
	char *out = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&out, &size);
	if (!mem)
		return NULL;
	bool ok = true;
	for (size_t k = 0; k < count && ok; k++) {
		sqlite3_stmt *stmt;
		ok = sqlite3_prepare_v2(db, queries[k], -1, &stmt, NULL) == SQLITE_OK;
		while (ok && sqlite3_step(stmt) == SQLITE_ROW) {
			int columns = sqlite3_column_count(stmt);
			for (int c = 0; c < columns; c++) {
				const char *v = (const char *)sqlite3_column_text(stmt, c);
				fprintf(mem, "%s%s", v ? v : "NULL", c + 1 < columns ? "|" : "\n");
			}
		}
		sqlite3_finalize(stmt);
		fputs("--\n", mem);
	}
	fclose(mem);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

#endif
