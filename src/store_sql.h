/* The store's SQL, for the engines only: the connection, the statement
 * cache and row helpers. Screens and widgets see store.h alone, which
 * holds no SQLite type, and their library is built without SQLite: a
 * screen that talks SQL does not compile. */
#ifndef AIPM_STORE_SQL_H
#define AIPM_STORE_SQL_H

#ifdef AIPM_SCREEN_LAYER
#error "screens and widgets ask the engines; they never talk SQL (store_sql.h)"
#endif

#include "store.h"

#include <sqlite3.h>

sqlite3 *store_db(struct store *st);
/* Prepared statement from the per-store cache; reset and cleared. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);
/* Runs a statement that returns no rows; maps failures to store_error and
 * records the message. */
enum store_error store_step_done(struct store *st, sqlite3_stmt *stmt);
/* A text column of the current row as a malloc'd string ("" for NULL). */
char *store_column_text(sqlite3_stmt *stmt, int col);
/* The same copied into dst, cut to size. */
void store_column_copy(char *dst, size_t size, sqlite3_stmt *stmt, int col);
/* What a step's result code means (SQLITE_DONE and SQLITE_ROW: success). */
enum store_error store_error_of(int rc);
/* Resets stmt after a loop of steps that ended with rc: success only when
 * the loop ran to SQLITE_DONE. */
enum store_error store_finish(sqlite3_stmt *stmt, int rc);

#endif
