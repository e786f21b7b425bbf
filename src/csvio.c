#include "csvio.h"

#include "util.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

/* libcsv's parser state before the first character of a record. */
#define CSV_ROW_NOT_BEGUN 0

struct reader {
	struct csvio_table *t;
	struct csvio_row cur;
	size_t capfields;
	int line;      /* line being fed */
	int row_start; /* line the current record started on */
	bool have_header;
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	char *f = xstrndup(data ? data : "", data ? len : 0);
	if (r->cur.nfields == 0)
		r->cur.line = r->row_start;
	ARRAY_PUSH(r->cur.fields, r->cur.nfields, r->capfields, f);
}

static void on_record(int c, void *ctx)
{
	(void)c;
	struct reader *r = ctx;
	if (!r->have_header) {
		r->t->header = r->cur;
		r->have_header = true;
	} else {
		ARRAY_PUSH(r->t->rows, r->t->nrows, r->t->caprows, r->cur);
	}
	memset(&r->cur, 0, sizeof r->cur);
	r->capfields = 0;
}

/* libcsv's quoted flag: the parser is inside a quoted field. */
static bool in_quotes(const struct csv_parser *p)
{
	return p->quoted != 0;
}

int csvio_table_parse(const char *name, const char *data, size_t len, struct csvio_table *t,
		    char *err, size_t errlen, struct text_at *at)
{
	*at = (struct text_at){0, 0};
	memset(t, 0, sizeof *t);
	if (text_check(data, len, at, err, errlen) != 0)
		return -1;
	t->path = xstrdup(name);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return format_error(err, errlen, "cannot start the CSV parser");
	struct reader r = {.t = t, .line = 1, .row_start = 1};
	const char *pos = data, *end = data + len;
	int rc = 0, quote_line = 0; /* where the quoted field now open began */
	/* Feed a line at a time so that each record knows where it began. */
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = nl ? (size_t)(nl - pos) + 1 : (size_t)(end - pos);
		if (p.pstate == CSV_ROW_NOT_BEGUN)
			r.row_start = r.line;
		bool was_quoted = in_quotes(&p);
		if (csv_parse(&p, pos, n, on_field, on_record, &r) != n) {
			if (quote_line && quote_line < r.line) {
				format_error(
				    err, errlen,
				    "a quoted field that opens on line %d is still open on line "
				    "%d: a closing quote is missing",
				    quote_line, r.line);
				at->line = quote_line;
			} else {
				format_error(err, errlen, "malformed CSV (%s)",
					     csv_strerror(csv_error(&p)));
				at->line = r.row_start;
			}
			rc = -1;
			break;
		}
		if (!in_quotes(&p))
			quote_line = 0;
		else if (!was_quoted)
			quote_line = r.line;
		pos += n;
		r.line++;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_record, &r) != 0) {
		format_error(err, errlen, "a quote opens a field here and is never closed");
		at->line = quote_line ? quote_line : r.row_start;
		rc = -1;
	}
	csv_free(&p);
	for (size_t i = 0; i < r.cur.nfields; i++)
		free(r.cur.fields[i]);
	free(r.cur.fields);
	if (rc == 0 && !r.have_header) {
		format_error(err, errlen, "empty file (a header row is required)");
		at->line = 1;
		rc = -1;
	}
	if (rc != 0)
		csvio_table_free(t);
	return rc;
}

int csvio_table_read(const char *path, enum file_kind kind, struct csvio_table *t, char *err,
		   size_t errlen, struct text_at *at)
{
	size_t len;
	char *data = file_read(path, kind, &len, err, errlen);
	if (!data) {
		memset(t, 0, sizeof *t);
		*at = (struct text_at){0, 0};
		return -1;
	}
	int rc = csvio_table_parse(path, data, len, t, err, errlen, at);
	free(data);
	return rc;
}

static void free_row(struct csvio_row *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	free(r->fields);
}

void csvio_table_free(struct csvio_table *t)
{
	free_row(&t->header);
	for (size_t i = 0; i < t->nrows; i++)
		free_row(&t->rows[i]);
	free(t->rows);
	free(t->path);
	memset(t, 0, sizeof *t);
}

int csvio_table_column(const struct csvio_table *t, const char *name)
{
	for (size_t i = 0; i < t->header.nfields; i++)
		if (strcmp(t->header.fields[i], name) == 0)
			return (int)i;
	return -1;
}

const char *csvio_field(const struct csvio_row *r, int c)
{
	if (c < 0 || (size_t)c >= r->nfields)
		return "";
	return r->fields[c];
}

void csvio_write_record(FILE *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		if (i)
			fputc(',', out);
		if (f[strcspn(f, ",\"\r\n")] || (f[0] == ' ' || (*f && f[strlen(f) - 1] == ' ')))
			csv_fwrite(out, f, strlen(f));
		else
			fputs(f, out);
	}
	fputc('\n', out);
}
