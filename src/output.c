#include "output.h"

#include "csvio.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct cell {
	enum out_cell_type type;
	char *text; /* as shown in table/CSV */
	long long i;
	double r;
	bool b;
};

struct out_table {
	char **columns;
	size_t ncols;
	struct cell *cells; /* rows * ncols */
	size_t ncells, capcells;
	size_t cur; /* cells in the row being built */
};

int out_format_parse(const char *s, enum out_format *out)
{
	if (!strcmp(s, "table"))
		*out = OUT_TABLE;
	else if (!strcmp(s, "csv"))
		*out = OUT_CSV;
	else if (!strcmp(s, "json"))
		*out = OUT_JSON;
	else
		return -1;
	return 0;
}

int utf8_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int cols = 0;
	size_t len = strlen(s);
	while (len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, len, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			n = 1;
			wc = L'?';
		} else if (n == 0) {
			break;
		}
		int w = wcwidth(wc);
		cols += w < 0 ? 1 : w;
		s += n;
		len -= n;
	}
	return cols;
}

struct out_table *out_table_new(const char *const *columns, size_t ncols)
{
	struct out_table *t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->columns = xcalloc(ncols, sizeof *t->columns);
	for (size_t i = 0; i < ncols; i++)
		t->columns[i] = xstrdup(columns[i]);
	return t;
}

void out_table_free(struct out_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->columns[i]);
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i].text);
	free(t->columns);
	free(t->cells);
	free(t);
}

static void push(struct out_table *t, struct cell c)
{
	if (t->cur >= t->ncols) {
		free(c.text);
		return;
	}
	ARRAY_PUSH(t->cells, t->ncells, t->capcells, c);
	t->cur++;
}

void out_text(struct out_table *t, const char *value)
{
	push(t, (struct cell){.type = CELL_TEXT, .text = xstrdup(value ? value : "")});
}

void out_int(struct out_table *t, long long value)
{
	push(t, (struct cell){.type = CELL_INT, .text = xasprintf("%lld", value), .i = value});
}

void out_real(struct out_table *t, double value, int digits)
{
	if (!isfinite(value)) {
		out_null(t);
		return;
	}
	push(t, (struct cell){.type = CELL_REAL, .text = xasprintf("%.*f", digits, value), .r = value});
}

void out_bool(struct out_table *t, bool value)
{
	push(t, (struct cell){.type = CELL_BOOL, .text = xstrdup(value ? "yes" : "no"), .b = value});
}

void out_null(struct out_table *t)
{
	push(t, (struct cell){.type = CELL_NULL, .text = xstrdup("")});
}

void out_table_end_row(struct out_table *t)
{
	while (t->cur < t->ncols)
		out_null(t);
	t->cur = 0;
}

json_t *out_table_json(const struct out_table *t)
{
	json_t *rows = json_array();
	for (size_t r = 0; r + t->ncols <= t->ncells; r += t->ncols) {
		json_t *obj = json_object();
		for (size_t c = 0; c < t->ncols; c++) {
			const struct cell *cell = &t->cells[r + c];
			json_t *v;
			switch (cell->type) {
			case CELL_INT:
				v = json_integer(cell->i);
				break;
			case CELL_REAL:
				v = json_real(cell->r);
				break;
			case CELL_BOOL:
				v = json_boolean(cell->b);
				break;
			case CELL_NULL:
				v = json_null();
				break;
			default:
				v = json_string(cell->text);
				break;
			}
			json_object_set_new(obj, t->columns[c], v ? v : json_null());
		}
		json_array_append_new(rows, obj);
	}
	return rows;
}

void out_json(json_t *value, FILE *out)
{
	char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	if (!text)
		return;
	struct strbuf sb;
	sb_init(&sb);
	sanitize_json_append(&sb, text, strlen(text));
	sb_putc(&sb, '\n');
	fwrite(sb.data, 1, sb.len, out);
	sb_free(&sb);
	free(text);
}

static void print_padded(FILE *out, const char *s, int width, bool right)
{
	int pad = width - utf8_width(s);
	if (right)
		for (int i = 0; i < pad; i++)
			fputc(' ', out);
	fputs(s, out);
	if (!right)
		for (int i = 0; i < pad; i++)
			fputc(' ', out);
}

void out_table_print(const struct out_table *t, enum out_format format, FILE *out)
{
	size_t nrows = t->ncols ? t->ncells / t->ncols : 0;
	if (format == OUT_JSON) {
		json_t *rows = out_table_json(t);
		out_json(rows, out);
		json_decref(rows);
		return;
	}
	if (format == OUT_CSV) {
		/* Text cells as OWASP advises for spreadsheets (sanitize_csv_cell);
		 * numbers as they are, a negative one included. */
		char **fields = xcalloc(t->ncols, sizeof *fields);
		for (size_t c = 0; c < t->ncols; c++)
			fields[c] = sanitize_csv_cell(t->columns[c]);
		csvio_write_record(out, (const char *const *)fields, t->ncols);
		for (size_t r = 0; r < nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				const struct cell *cell = &t->cells[r * t->ncols + c];
				free(fields[c]);
				fields[c] = cell->type == CELL_TEXT ? sanitize_csv_cell(cell->text)
								    : xstrdup(cell->text);
			}
			csvio_write_record(out, (const char *const *)fields, t->ncols);
		}
		for (size_t c = 0; c < t->ncols; c++)
			free(fields[c]);
		free(fields);
		return;
	}
	/* Every cell one line with no control character, measured as shown. */
	char **shown = xcalloc(t->ncells + t->ncols, sizeof *shown);
	for (size_t c = 0; c < t->ncols; c++)
		shown[c] = sanitize_dup(t->columns[c], SANITIZE_LINE);
	for (size_t i = 0; i < nrows * t->ncols; i++)
		shown[t->ncols + i] = sanitize_dup(t->cells[i].text, SANITIZE_LINE);
	int *widths = xcalloc(t->ncols, sizeof *widths);
	bool *numeric = xcalloc(t->ncols, sizeof *numeric);
	for (size_t c = 0; c < t->ncols; c++) {
		widths[c] = utf8_width(shown[c]);
		numeric[c] = nrows > 0;
	}
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const struct cell *cell = &t->cells[r * t->ncols + c];
			int w = utf8_width(shown[t->ncols + r * t->ncols + c]);
			if (w > widths[c])
				widths[c] = w;
			if (cell->type == CELL_TEXT || cell->type == CELL_BOOL)
				numeric[c] = false;
		}
	for (size_t r = 0; r <= nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputs("  ", out);
			print_padded(out, shown[r * t->ncols + c],
				     c + 1 == t->ncols && !numeric[c] ? 0 : widths[c], numeric[c]);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < t->ncols * (nrows + 1); i++)
		free(shown[i]);
	free(shown);
	free(widths);
	free(numeric);
}

char *out_clip(const char *s, size_t max)
{
	size_t len = strlen(s);
	if (len <= max || max < 4)
		return xstrdup(s);
	size_t cut = max - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return xasprintf("%.*s...", (int)cut, s);
}
