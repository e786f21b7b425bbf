/* CSV through libcsv: whole-table reads that remember the physical line
 * each row starts on (for `file:line: message` reports), and a writer that
 * quotes exactly the fields that need it. */
#ifndef AIPM_CSVIO_H
#define AIPM_CSVIO_H

#include "fileio.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct csvio_row {
	int line; /* 1-based physical line where the row starts */
	size_t nfields;
	char **fields; /* NUL-terminated, UTF-8 as in the file */
};

struct csvio_table {
	char *path;
	struct csvio_row header;
	struct csvio_row *rows;
	size_t nrows, caprows;
};

/* Reads path (strict RFC 4180, comma, optional UTF-8 BOM, CRLF or LF)
 * through fileio's reader with the size limit of kind. Text that is not
 * UTF-8 (UTF-16/32, a NUL byte) is refused. On failure returns -1 with the
 * reason in err and where in *at ({0, 0} when the file could not be read at
 * all; an unclosed quote is placed on the line where it opened). */
int csvio_table_read(const char *path, enum file_kind kind, struct csvio_table *t, char *err,
		   size_t errlen, struct text_at *at);
/* Same, from memory (name is kept as the table's path). */
int csvio_table_parse(const char *name, const char *data, size_t len, struct csvio_table *t,
		    char *err, size_t errlen, struct text_at *at);
void csvio_table_free(struct csvio_table *t);
/* Index of the header column called name, or -1. */
int csvio_table_column(const struct csvio_table *t, const char *name);
/* Field of row r at column c, "" when the row is short or c < 0. */
const char *csvio_field(const struct csvio_row *r, int c);

/* Writes one record (fields quoted only when they need it) and a newline. */
void csvio_write_record(FILE *out, const char *const *fields, size_t n);

#endif
