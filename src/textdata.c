#include "textdata.h"

#include "csvio.h"
#include "fileio.h"
#include "rng.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How many lines decide whether a file is tab-separated. */
#define TSV_PROBE_LINES 5
/* Past this many distinct values a column cannot be the label column. */
#define DISTINCT_CAP 16

/* Header names that say "this is the text" or "this is the label", in
 * order of preference. */
static const char *const text_names[] = {
	"review", "text", "sentence", "content", "comment", "body", "document",
	"tweet", "message", "review_text", "text_a", "utterance", NULL,
};
static const char *const label_names_known[] = {
	"sentiment", "label", "labels", "class", "polarity", "target",
	"category", "y", "is_positive", NULL,
};
/* Label spellings that name the positive or the negative class. */
static const char *const positive_labels[] = {
	"1", "+1", "pos", "positive", "true", "yes", "y", "spam", "good", NULL,
};
static const char *const negative_labels[] = {
	"0", "-1", "neg", "negative", "false", "no", "n", "ham", "bad", NULL,
};

struct raw_row {
	int line;
	size_t nfields, cap;
	char **fields;
};

struct raw_table {
	struct raw_row *rows;
	size_t count, cap;
};

static void raw_free(struct raw_table *t)
{
	for (size_t i = 0; i < t->count; i++) {
		for (size_t f = 0; f < t->rows[i].nfields; f++)
			free(t->rows[i].fields[f]);
		free(t->rows[i].fields);
	}
	free(t->rows);
	memset(t, 0, sizeof *t);
}

void text_warnings_add(struct text_warnings *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	ARRAY_PUSH(w->items, w->count, w->cap, msg);
}

void text_warnings_clear(struct text_warnings *w)
{
	for (size_t i = 0; i < w->count; i++)
		free(w->items[i]);
	w->count = 0;
}

/* ---- reading records ---- */

/* The records of a CSV (csvio's strict reader, the header row included as
 * the first), moved into t. */
static int read_csv(const char *name, const char *data, size_t len, struct raw_table *t,
		    char *err, size_t errlen)
{
	struct csvio_table c;
	char reason[512];
	struct text_at at;
	if (csvio_table_parse(name, data, len, &c, reason, sizeof reason, &at) != 0) {
		text_at_format(err, errlen, name, at, reason);
		return -1;
	}
	t->cap = c.nrows + 1;
	t->rows = xcalloc(t->cap, sizeof *t->rows);
	for (size_t i = 0; i <= c.nrows; i++) {
		struct csvio_row *r = i ? &c.rows[i - 1] : &c.header;
		t->rows[t->count++] = (struct raw_row){.line = r->line, .nfields = r->nfields,
						       .cap = r->nfields, .fields = r->fields};
		r->fields = NULL;
		r->nfields = 0;
	}
	csvio_table_free(&c);
	return 0;
}

static void read_tsv(const char *data, size_t len, struct raw_table *t)
{
	const char *pos = data, *end = data + len;
	for (int line = 1; pos < end; line++) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *stop = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (stop > pos && stop[-1] == '\r')
			stop--;
		if (stop > pos) {
			struct raw_row row = {.line = line};
			for (const char *f = pos;;) {
				const char *tab = memchr(f, '\t', (size_t)(stop - f));
				const char *fend = tab ? tab : stop;
				char *field = xstrndup(f, (size_t)(fend - f));
				ARRAY_PUSH(row.fields, row.nfields, row.cap, field);
				if (!tab)
					break;
				f = tab + 1;
			}
			ARRAY_PUSH(t->rows, t->count, t->cap, row);
		}
		pos = next;
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Tab-separated when the name says so, or when the first lines all hold
 * the same number of tabs (a CSV review with a tab in it is quoted and
 * breaks that pattern soon enough). */
static bool looks_tab_separated(const char *name, const char *data, size_t len)
{
	if (ends_with(name, ".tsv") || ends_with(name, ".tab"))
		return true;
	const char *pos = data, *end = data + len;
	int tabs_first = -1, lines = 0;
	while (pos < end && lines < TSV_PROBE_LINES) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *stop = nl ? nl : end;
		if (stop > pos && !(stop - pos == 1 && *pos == '\r')) {
			int tabs = 0;
			for (const char *c = pos; c < stop; c++)
				tabs += *c == '\t';
			if (tabs_first < 0)
				tabs_first = tabs;
			if (tabs == 0 || tabs != tabs_first)
				return false;
			lines++;
		}
		pos = nl ? nl + 1 : end;
	}
	return lines > 0;
}

/* ---- columns and labels ---- */

static const char *field_at(const struct raw_row *r, int c)
{
	return c >= 0 && (size_t)c < r->nfields ? r->fields[c] : NULL;
}

/* Copy of s without surrounding white space. */
static char *trimmed_copy(const char *s)
{
	return str_trim(xstrdup(s));
}

static bool blank_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static int name_rank(const char *field, const char *const *names)
{
	char *t = trimmed_copy(field);
	int rank = -1;
	for (int i = 0; names[i] && rank < 0; i++)
		if (!strcasecmp(t, names[i]))
			rank = i;
	free(t);
	return rank;
}

/* The header column best matching one of names, or -1. */
static int known_column(const struct raw_row *header, const char *const *names, int avoid)
{
	int best = -1, best_rank = 1 << 30;
	for (size_t c = 0; c < header->nfields; c++) {
		int rank = name_rank(header->fields[c], names);
		if (rank >= 0 && rank < best_rank && (int)c != avoid) {
			best = (int)c;
			best_rank = rank;
		}
	}
	return best;
}

static size_t max_fields(const struct raw_table *t, size_t from)
{
	size_t m = 0;
	for (size_t i = from; i < t->count; i++)
		if (t->rows[i].nfields > m)
			m = t->rows[i].nfields;
	return m;
}

/* Distinct non-empty values of column c over rows [from, count), up to
 * DISTINCT_CAP + 1. */
static size_t distinct_values(const struct raw_table *t, size_t from, int c, char **seen)
{
	size_t n = 0;
	for (size_t i = from; i < t->count && n <= DISTINCT_CAP; i++) {
		const char *f = field_at(&t->rows[i], c);
		if (!f || blank(f))
			continue;
		char *v = trimmed_copy(f);
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = !strcasecmp(seen[k], v);
		if (found)
			free(v);
		else
			seen[n++] = v;
	}
	return n;
}

/* Without telling names: the label is the column with the fewest
 * distinct values (at least two), the text the longest of the others. */
static void guess_columns(const struct raw_table *t, size_t from, int *text_col, int *label_col)
{
	size_t ncols = max_fields(t, from);
	size_t best_distinct = SIZE_MAX;
	char *seen[DISTINCT_CAP + 1];
	if (*label_col < 0) {
		for (size_t c = 0; c < ncols; c++) {
			if ((int)c == *text_col)
				continue;
			size_t n = distinct_values(t, from, (int)c, seen);
			for (size_t k = 0; k < n; k++)
				free(seen[k]);
			if (n >= 2 && n <= best_distinct) {
				best_distinct = n;
				*label_col = (int)c;
			}
		}
	}
	if (*text_col < 0) {
		double best_len = -1;
		for (size_t c = 0; c < ncols; c++) {
			if ((int)c == *label_col)
				continue;
			double total = 0;
			for (size_t i = from; i < t->count; i++) {
				const char *f = field_at(&t->rows[i], (int)c);
				total += f ? (double)strlen(f) : 0;
			}
			if (total > best_len) {
				best_len = total;
				*text_col = (int)c;
			}
		}
	}
}

static bool in_list(const char *value, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcasecmp(value, list[i]))
			return true;
	return false;
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The first row's fields, quoted and cut, for a message about it. */
static void first_row_text(const struct raw_row *r, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t c = 0; c < r->nfields && c < 3 && used + 1 < size; c++) {
		int n = snprintf(buf + used, size - used, "%s'%.24s%s'", c ? ", " : "", r->fields[c],
				 strlen(r->fields[c]) > 24 ? "..." : "");
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* A column the learner named: a 1-based number or a header name. A name
 * looked for in a first row that has no header's names (named_header
 * false) says that the row looks like data. */
static int named_column(const char *name, const struct raw_row *header, bool has_header,
			bool named_header, size_t ncols, const char *file, const char *what,
			char *err, size_t errlen)
{
	if (is_number(name)) {
		errno = 0;
		long n = strtol(name, NULL, 10);
		if (errno || n < 1 || (size_t)n > ncols) {
			format_error(err, errlen,
				     "%s: there is no %s column %ld (the file has %zu)", file, what,
				     n, ncols);
			return -2;
		}
		return (int)n - 1;
	}
	if (has_header)
		for (size_t c = 0; c < header->nfields; c++) {
			char *h = trimmed_copy(header->fields[c]);
			bool same = !strcasecmp(h, name);
			free(h);
			if (same)
				return (int)c;
		}
	if (has_header && !named_header) {
		char first[160];
		first_row_text(header, first, sizeof first);
		format_error(err, errlen,
			     "%s: no column called '%s': line 1 (%s) looks like data, not a header; "
			     "if the file has no header row, name the columns by number (1 = first)",
			     file, name, first);
	} else {
		format_error(err, errlen, "%s: no column called '%s'%s", file, name,
			     has_header ? " in the header"
					: " (the file has no header row: name columns by number, 1 "
					  "= first)");
	}
	return -2;
}

static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned char c = *s;
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			s++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}

static void column_title(char **out, const struct raw_row *header, bool has_header, int c)
{
	if (has_header && (size_t)c < header->nfields)
		*out = trimmed_copy(header->fields[c]);
	else
		*out = xasprintf("column %d", c + 1);
}

/* Which label is the positive class: a known spelling decides, else the
 * later one in alphabetical order (so 0/1, neg/pos, ham/spam all agree). */
static void order_labels(char *labels[2])
{
	bool swap;
	if (in_list(labels[0], positive_labels) || in_list(labels[1], negative_labels))
		swap = true;
	else if (in_list(labels[1], positive_labels) || in_list(labels[0], negative_labels))
		swap = false;
	else
		swap = strcmp(labels[0], labels[1]) > 0;
	if (swap) {
		char *t = labels[0];
		labels[0] = labels[1];
		labels[1] = t;
	}
}

/* Rows skipped for a missing text or label, for the warnings. */
struct skipped_rows {
	size_t no_text, no_label;
	int first_no_text, first_no_label;
};

/* Each usable row's label as 0 or 1 in raw_label (-1: skipped), the two
 * label names in labels (as given in opt, else in the order first seen).
 * Returns -1 with a message for a third label, no usable row or one label
 * only. */
static int label_rows(const struct raw_table *t, size_t from, int text_col, int label_col,
		      const struct textdata_options *opt, const char *name, int *raw_label,
		      char *labels[2], struct skipped_rows *skipped, char *err, size_t errlen)
{
	size_t usable = 0;
	int first_label_line = 0; /* where the first label was found */
	for (size_t i = from; i < t->count; i++) {
		const struct raw_row *r = &t->rows[i];
		const char *text = field_at(r, text_col);
		const char *label = field_at(r, label_col);
		raw_label[i] = -1;
		if (!label || blank(label)) {
			if (!skipped->no_label++)
				skipped->first_no_label = r->line;
			continue;
		}
		if (!text || blank(text)) {
			if (!skipped->no_text++)
				skipped->first_no_text = r->line;
			continue;
		}
		char *value = trimmed_copy(label);
		int k = -1;
		for (int j = 0; j < 2 && k < 0; j++)
			if (labels[j] && !strcasecmp(labels[j], value))
				k = j;
		if (k < 0 && !(opt && opt->labels) && !labels[1]) {
			k = labels[0] ? 1 : 0;
			labels[k] = value;
			value = NULL;
			if (k == 0)
				first_label_line = r->line;
		}
		if (k < 0) {
			if (opt && opt->labels)
				format_error(err, errlen,
					     "%s:%d: label '%s' is not one of the training labels "
					     "'%s' and '%s'",
					     name, r->line, value, labels[0], labels[1]);
			else
				format_error(err, errlen,
					     "%s:%d: a third label '%s' (after '%s' and '%s'): the "
					     "lab trains a two-class model, so keep two labels or "
					     "pick another column with --label-col%s",
					     name, r->line, value, labels[0], labels[1],
					     from == 0 && first_label_line == t->rows[0].line
						 ? "; note that line 1 was read as data, as the file "
						   "seems to have no header row (name the columns "
						   "with --text-col and --label-col if it has one)"
						 : "");
			free(value);
			return -1;
		}
		free(value);
		raw_label[i] = k;
		usable++;
	}
	if (!usable)
		return format_error(err, errlen, "%s: no row has both a text and a label", name);
	if (!labels[1])
		return format_error(
		    err, errlen,
		    "%s: only one label ('%s') in the file: a classifier needs examples "
		    "of both classes",
		    name, labels[0]);
	return 0;
}

static int take_rows(struct raw_table *t, size_t from, int text_col, int label_col,
		     const struct textdata_options *opt, const char *name,
		     struct text_dataset *d, char *err, size_t errlen)
{
	char *labels[2] = {NULL, NULL};
	if (opt && opt->labels) {
		labels[0] = xstrdup(opt->labels[0]);
		labels[1] = xstrdup(opt->labels[1]);
	}
	int *raw_label = xmalloc((t->count + 1) * sizeof *raw_label);
	struct skipped_rows skipped = {0};
	if (label_rows(t, from, text_col, label_col, opt, name, raw_label, labels, &skipped, err,
		       errlen) != 0) {
		free(labels[0]);
		free(labels[1]);
		free(raw_label);
		return -1;
	}
	bool swapped = false;
	if (!(opt && opt->labels)) {
		char *before = labels[0];
		order_labels(labels);
		swapped = labels[0] != before;
	}
	size_t bad_utf8 = 0;
	int first_bad = 0;
	for (size_t i = from; i < t->count; i++) {
		if (raw_label[i] < 0)
			continue;
		struct raw_row *r = &t->rows[i];
		struct text_example ex = {
			.text = r->fields[text_col],
			.label = swapped ? 1 - raw_label[i] : raw_label[i],
			.line = r->line,
		};
		r->fields[text_col] = NULL;
		if (!valid_utf8((const unsigned char *)ex.text) && !bad_utf8++)
			first_bad = ex.line;
		d->class_counts[ex.label]++;
		ARRAY_PUSH(d->rows, d->count, d->cap, ex);
	}
	free(raw_label);
	d->label_names[0] = labels[0];
	d->label_names[1] = labels[1];
	if (skipped.no_text)
		text_warnings_add(&d->warnings,
				  "skipped %zu row%s with an empty text (first at line %d)",
				  skipped.no_text, skipped.no_text == 1 ? "" : "s",
				  skipped.first_no_text);
	if (skipped.no_label)
		text_warnings_add(&d->warnings,
				  "skipped %zu row%s without a label (first at line %d)",
				  skipped.no_label, skipped.no_label == 1 ? "" : "s",
				  skipped.first_no_label);
	if (bad_utf8)
		text_warnings_add(&d->warnings,
				  "%zu row%s bytes that are not UTF-8 (first at line %d); the "
				  "tokenizer skips those bytes",
				  bad_utf8, bad_utf8 == 1 ? " holds" : "s hold", first_bad);
	return 0;
}

int textdata_parse(const char *name, const char *data, size_t len,
		   const struct textdata_options *opt, struct text_dataset *d, char *err,
		   size_t errlen)
{
	memset(d, 0, sizeof *d);
	d->path = xstrdup(name);
	struct raw_table t = {0};
	if (text_check_named(name, data, len, err, errlen) != 0)
		goto fail;
	sha256_hex(data, len, d->sha256);
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	if (blank_text(data, len)) {
		format_error(err, errlen, "%s:1: the file is empty", name);
		goto fail;
	}
	d->tsv = looks_tab_separated(name, data, len);
	if (d->tsv)
		read_tsv(data, len, &t);
	else if (read_csv(name, data, len, &t, err, errlen) != 0)
		goto fail;
	/* Blank records (an empty line in a CSV) carry nothing. */
	size_t kept = 0;
	for (size_t i = 0; i < t.count; i++) {
		struct raw_row *r = &t.rows[i];
		bool empty = true;
		for (size_t f = 0; f < r->nfields && empty; f++)
			empty = blank(r->fields[f]);
		if (empty) {
			for (size_t f = 0; f < r->nfields; f++)
				free(r->fields[f]);
			free(r->fields);
		} else {
			t.rows[kept++] = *r;
		}
	}
	t.count = kept;
	if (t.count == 0) {
		format_error(err, errlen, "%s:1: the file is empty", name);
		goto fail;
	}

	/* A header names a known column, or holds a label value no data row
	 * has (checked once the label column is known). */
	const struct raw_row *first = &t.rows[0];
	int text_col = known_column(first, text_names, -1);
	int label_col = known_column(first, label_names_known, text_col);
	bool has_header = text_col >= 0 || label_col >= 0;
	bool named_header = has_header;
	/* Naming a column by its title says that the file has a header. */
	if (opt && ((opt->text_col && !is_number(opt->text_col)) ||
		    (opt->label_col && !is_number(opt->label_col))))
		has_header = true;
	size_t ncols = max_fields(&t, 0);
	if (opt && opt->text_col) {
		text_col = named_column(opt->text_col, first, has_header, named_header, ncols, name,
					"text", err, errlen);
		if (text_col < -1)
			goto fail;
	}
	if (opt && opt->label_col) {
		label_col = named_column(opt->label_col, first, has_header, named_header, ncols,
					 name, "label", err, errlen);
		if (label_col < -1)
			goto fail;
	}
	if (text_col < 0 || label_col < 0) {
		guess_columns(&t, has_header ? 1 : (t.count > 1 ? 1 : 0), &text_col, &label_col);
		if (!has_header && t.count > 1 && label_col >= 0) {
			/* A first row whose "label" no other row has is a header. */
			char *seen[DISTINCT_CAP + 1];
			size_t n = distinct_values(&t, 1, label_col, seen);
			const char *v = field_at(first, label_col);
			char *tv = v ? trimmed_copy(v) : xstrdup("");
			bool known = false;
			for (size_t k = 0; k < n; k++) {
				known = known || !strcasecmp(seen[k], tv);
				free(seen[k]);
			}
			free(tv);
			has_header = !known && n <= 2;
		}
	}
	if (text_col < 0 || label_col < 0 || text_col == label_col) {
		format_error(err, errlen,
			     "%s: cannot tell which column is the text and which the label (%zu "
			     "column%s); "
			     "name them with --text-col and --label-col",
			     name, ncols, ncols == 1 ? "" : "s");
		goto fail;
	}
	column_title(&d->text_column, first, has_header, text_col);
	column_title(&d->label_column, first, has_header, label_col);
	d->has_header = has_header;
	if (take_rows(&t, has_header ? 1 : 0, text_col, label_col, opt, name, d, err, errlen) != 0)
		goto fail;
	raw_free(&t);
	return 0;
fail:
	raw_free(&t);
	textdata_free(d);
	return -1;
}

int textdata_load(const char *path, const struct textdata_options *opt, struct text_dataset *out,
		  char *err, size_t errlen)
{
	size_t len;
	char why[256];
	char *data = file_read(path, FILE_TRAINING, &len, why, sizeof why);
	if (!data) {
		memset(out, 0, sizeof *out);
		return format_error(err, errlen, "%s: %s", path, why);
	}
	int rc = textdata_parse(path, data, len, opt, out, err, errlen);
	free(data);
	return rc;
}

void textdata_free(struct text_dataset *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->rows[i].text);
	free(d->rows);
	text_warnings_clear(&d->warnings);
	free(d->warnings.items);
	free(d->label_names[0]);
	free(d->label_names[1]);
	free(d->text_column);
	free(d->label_column);
	free(d->path);
	memset(d, 0, sizeof *d);
}

size_t textdata_words(const char *text)
{
	size_t words = 0;
	bool in_word = false;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		bool space = isspace(*c);
		if (!space && !in_word)
			words++;
		in_word = !space;
	}
	return words;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

void textdata_length_histogram(const struct text_dataset *d, const size_t *idx, size_t n,
			       size_t *bins, size_t nbins, size_t *bin_width)
{
	memset(bins, 0, nbins * sizeof *bins);
	*bin_width = 1;
	if (!idx)
		n = d->count;
	if (!n || !nbins)
		return;
	size_t *words = xmalloc(n * sizeof *words);
	for (size_t i = 0; i < n; i++)
		words[i] = textdata_words(d->rows[idx ? idx[i] : i].text);
	size_t *sorted = xmalloc(n * sizeof *sorted);
	memcpy(sorted, words, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_size);
	size_t p98 = sorted[(n - 1) * 98 / 100];
	*bin_width = p98 / nbins + 1;
	for (size_t i = 0; i < n; i++) {
		size_t b = words[i] / *bin_width;
		bins[b < nbins ? b : nbins - 1]++;
	}
	free(sorted);
	free(words);
}

/* Row indices of idx[0..n) with label c. */
static size_t class_rows(const struct text_dataset *d, const size_t *idx, size_t n, int c,
			 size_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = idx ? idx[i] : i;
		if (d->rows[r].label == c)
			out[k++] = r;
	}
	return k;
}

size_t textdata_balanced(const struct text_dataset *d, size_t per_class, uint64_t seed,
			 size_t **out, bool short_class[2])
{
	size_t *result = xmalloc((d->count + 1) * sizeof *result);
	size_t *rows = xmalloc((d->count + 1) * sizeof *rows);
	size_t total = 0;
	struct rng rng;
	rng_seed(&rng, seed);
	for (int c = 0; c < 2; c++) {
		size_t n = class_rows(d, NULL, d->count, c, rows);
		size_t take = n;
		short_class[c] = per_class && n < per_class;
		if (per_class && n > per_class) {
			rng_shuffle(&rng, rows, n);
			take = per_class;
		}
		memcpy(result + total, rows, take * sizeof *rows);
		total += take;
	}
	free(rows);
	qsort(result, total, sizeof *result, cmp_size);
	*out = result;
	return total;
}

static size_t share(double frac, size_t n)
{
	return (size_t)floor(frac * (double)n + 0.5);
}

int textdata_split(const struct text_dataset *d, const size_t *idx, size_t n, double test_frac,
		   double val_frac, uint64_t seed, bool with_test_file, struct text_split *out,
		   char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!(test_frac >= 0 && val_frac >= 0 && test_frac + val_frac < 1))
		return format_error(
		    err, errlen,
		    "the test and validation shares must be at least 0 and add up to less "
		    "than 1 (they are %g and %g)",
		    test_frac, val_frac);
	if (with_test_file && test_frac > 0)
		return format_error(
		    err, errlen, "a test file replaces the test share: leave the test share at 0");
	if (!with_test_file && test_frac == 0 && val_frac == 0)
		return format_error(
		    err, errlen,
		    "nothing to evaluate on: give a test share, a validation share or a test "
		    "file");
	out->train = xmalloc((n + 1) * sizeof *out->train);
	out->val = xmalloc((n + 1) * sizeof *out->val);
	out->test = xmalloc((n + 1) * sizeof *out->test);
	size_t *rows = xmalloc((n + 1) * sizeof *rows);
	struct rng rng;
	rng_seed(&rng, seed);
	for (int c = 0; c < 2; c++) {
		size_t k = class_rows(d, idx, n, c, rows);
		rng_shuffle(&rng, rows, k);
		size_t ntest = share(test_frac, k), nval = share(val_frac, k);
		if (k <= ntest + nval) {
			format_error(err, errlen,
				     "the training set would have no '%s' rows (%zu in all): use "
				     "more data "
				     "or smaller test and validation shares",
				     d->label_names[c], k);
			free(rows);
			text_split_free(out);
			return -1;
		}
		memcpy(out->test + out->ntest, rows, ntest * sizeof *rows);
		out->ntest += ntest;
		memcpy(out->val + out->nval, rows + ntest, nval * sizeof *rows);
		out->nval += nval;
		memcpy(out->train + out->ntrain, rows + ntest + nval,
		       (k - ntest - nval) * sizeof *rows);
		out->ntrain += k - ntest - nval;
	}
	free(rows);
	out->val_is_test = !with_test_file && test_frac == 0;
	if ((!with_test_file && !out->val_is_test && out->ntest == 0) ||
	    (out->val_is_test && out->nval == 0) || (val_frac > 0 && out->nval == 0)) {
		format_error(err, errlen,
			     "%zu rows are too few for these shares: the %s set would be empty", n,
			     out->val_is_test || (val_frac > 0 && out->nval == 0) ? "validation"
										  : "test");
		text_split_free(out);
		return -1;
	}
	qsort(out->train, out->ntrain, sizeof *out->train, cmp_size);
	qsort(out->val, out->nval, sizeof *out->val, cmp_size);
	qsort(out->test, out->ntest, sizeof *out->test, cmp_size);
	return 0;
}

void text_split_free(struct text_split *s)
{
	free(s->train);
	free(s->val);
	free(s->test);
	memset(s, 0, sizeof *s);
}
