/* Results for the CLI in the format the user asked for: an aligned table
 * (display-width aware), CSV (libcsv quoting) or JSON (jansson). */
#ifndef AIPM_OUTPUT_H
#define AIPM_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

/* jansson's object: the JSON writers' callers include jansson.h. */
typedef struct json_t json_t;

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON };

/* "table", "csv" or "json" (md where a command also allows it is its own). */
int out_format_parse(const char *s, enum out_format *out);

enum out_cell_type { CELL_TEXT, CELL_INT, CELL_REAL, CELL_BOOL, CELL_NULL };

struct out_table;
/* Column names double as JSON keys and CSV header. */
struct out_table *out_table_new(const char *const *columns, size_t ncols);
void out_table_free(struct out_table *t);
/* Cells of the current row, left to right; out_table_end_row closes it. */
void out_text(struct out_table *t, const char *value);
void out_int(struct out_table *t, long long value);
/* digits: decimals shown in table/CSV; JSON keeps full precision. */
void out_real(struct out_table *t, double value, int digits);
void out_bool(struct out_table *t, bool value);
void out_null(struct out_table *t);
void out_table_end_row(struct out_table *t);
/* The rows as JSON: an array of objects. The caller owns the result. */
json_t *out_table_json(const struct out_table *t);
void out_table_print(const struct out_table *t, enum out_format format, FILE *out);

/* Pretty-prints a JSON value with a trailing newline. */
void out_json(json_t *value, FILE *out);

/* Display width of a UTF-8 string in terminal columns. */
int utf8_width(const char *s);
/* s cut to at most max bytes (on a character boundary, "..." at the end)
 * for a table cell. Malloc'd. */
char *out_clip(const char *s, size_t max);

#endif
