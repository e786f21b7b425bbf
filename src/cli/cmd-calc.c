/* aipm calc [--format ...] EXPR... | aipm calc [--format ...] < WORKSHEET
 *
 * The drill's estimation engine on the command line: one expression from
 * the arguments, or a worksheet of "name = expression" lines on standard
 * input, each line able to use the names before it. */
#include "cli.h"
#include "fileio.h"
#include "expr.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Enough for "-999,999,999,999,999" and for "%.10g". */
#define VALUE_TEXT_MAX 32

/* Limits of a worksheet on standard input. */
#define WORKSHEET_LINE_MAX (64 * 1024)
#define WORKSHEET_MAX (1 << 20)

/* Whole numbers with thousands separators (1.2e9 reads as 1,200,000,000)
 * up to where doubles stop being exact integers; anything else in %g. */
static void format_readable(double value, char *buf, size_t size)
{
	if (value != floor(value) || fabs(value) >= 1e15) {
		snprintf(buf, size, "%.10g", value);
		return;
	}
	char digits[VALUE_TEXT_MAX];
	int n = snprintf(digits, sizeof digits, "%.0f", fabs(value));
	size_t out = 0;
	if (value < 0)
		buf[out++] = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[out++] = ',';
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
}

/* CSV is read by programs: no separators, and every digit that matters. */
static void format_plain(double value, char *buf, size_t size)
{
	snprintf(buf, size, "%.15g", value);
}

/* The text with a caret under the byte at offset, counted in terminal
 * columns so that wide characters before it do not shift it. */
static void print_caret(const char *text, size_t offset)
{
	char *shown = xstrdup(text);
	for (char *c = shown; *c; c++)
		if (*c == '\t')
			*c = ' ';
	char *before = xstrndup(shown, offset);
	sanitize_printf(stderr, "  %s\n  %*s^\n", shown, utf8_width(before), "");
	free(before);
	free(shown);
}

static int calc_expression(const char *expression, enum out_format format)
{
	double value;
	struct expr_error err;
	if (expr_eval(expression, &value, &err) != 0) {
		cli_error("calc", "%s", err.message);
		print_caret(expression, (size_t)err.position);
		return 1;
	}
	char text[VALUE_TEXT_MAX];
	if (format == OUT_JSON) {
		json_t *root = json_object();
		json_object_set_new(root, "expression", json_string(expression));
		json_object_set_new(root, "value", json_real(value));
		out_json(root, stdout);
		json_decref(root);
	} else if (format == OUT_CSV) {
		const char *cols[] = {"expression", "value"};
		struct out_table *t = out_table_new(cols, 2);
		format_plain(value, text, sizeof text);
		out_text(t, expression);
		out_text(t, text);
		out_table_end_row(t);
		out_table_print(t, format, stdout);
		out_table_free(t);
	} else {
		format_readable(value, text, sizeof text);
		puts(text);
	}
	return 0;
}

/* One worksheet line, "name = expression" or a bare expression, trimmed.
 * Prints why it failed, with a caret, and returns -1. */
static int calc_line(struct expr_sheet *sheet, char *line, int number, char **name,
		     const char **expression, double *value)
{
	char *equals = strchr(line, '=');
	*name = equals ? str_trim(xstrndup(line, (size_t)(equals - line))) : NULL;
	*expression = equals ? equals + 1 : line;
	struct expr_error err;
	if (expr_sheet_set(sheet, *name, *expression, value, &err) == 0)
		return 0;
	cli_error("calc", "line %d: %s", number, err.message);
	/* An invalid name has no position in the expression; point at it. */
	size_t offset = err.position < 0 ? 0
					 : (size_t)(*expression - line) + (size_t)err.position;
	print_caret(line, offset);
	free(*name);
	*name = NULL;
	return -1;
}

static int calc_worksheet(FILE *in, enum out_format format)
{
	const char *cols[] = {"name", "expression", "value"};
	struct out_table *table = out_table_new(cols, 3);
	json_t *rows = json_array();
	struct expr_sheet *sheet = expr_sheet_new();
	/* A worksheet is typed by hand: a screenful of short lines. */
	struct line_reader reader;
	line_reader_init(&reader, in, "standard input", WORKSHEET_LINE_MAX, WORKSHEET_MAX);
	char why[256];
	size_t len;
	int number = 0, status = 0, got;
	while ((got = line_reader_next(&reader, &len, why, sizeof why)) > 0) {
		number++;
		char *line = str_trim(reader.buf);
		if (!*line || *line == '#')
			continue;
		char *name;
		const char *expression;
		double value;
		if (calc_line(sheet, line, number, &name, &expression, &value) != 0) {
			status = 1;
			continue;
		}
		char *shown = str_trim(xstrdup(expression));
		if (format == OUT_JSON) {
			json_t *row = json_object();
			json_object_set_new(row, "name", name ? json_string(name) : json_null());
			json_object_set_new(row, "expression", json_string(shown));
			json_object_set_new(row, "value", json_real(value));
			json_array_append_new(rows, row);
		} else {
			char text[VALUE_TEXT_MAX];
			if (format == OUT_CSV)
				format_plain(value, text, sizeof text);
			else
				format_readable(value, text, sizeof text);
			out_text(table, name ? name : "");
			out_text(table, shown);
			out_text(table, text);
			out_table_end_row(table);
		}
		free(shown);
		free(name);
	}
	if (got < 0)
		status = cli_error("calc", "%s", why);
	if (format == OUT_JSON)
		out_json(rows, stdout);
	else
		out_table_print(table, format, stdout);
	line_reader_free(&reader);
	expr_sheet_free(sheet);
	json_decref(rows);
	out_table_free(table);
	return status;
}

static int calc_run(struct cli_env *env, int argc, char **argv)
{
	(void)env;
	enum out_format format = OUT_TABLE;
	/* Every argument that is not --format is a piece of the expression,
	 * so that "aipm calc 2 * 3" and "aipm calc -5 + 2" work unquoted. */
	struct strbuf expression;
	sb_init(&expression);
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, "calc");
		if (r < 0) {
			sb_free(&expression);
			return 2;
		}
		if (r == 0) {
			if (expression.len)
				sb_putc(&expression, ' ');
			sb_puts(&expression, argv[i]);
		}
	}
	if (expression.len) {
		int rc = calc_expression(expression.data, format);
		sb_free(&expression);
		return rc;
	}
	if (isatty(STDIN_FILENO))
		fputs("aipm calc: reading a worksheet, one \"name = expression\" per line; "
		      "end with Ctrl-D\n",
		      stderr);
	return calc_worksheet(stdin, format);
}

const struct cli_command cmd_calc = {
	.name = "calc",
	.usage = "[--format table|csv|json] [EXPR...]  (no EXPR: a worksheet on stdin)",
	.summary = "evaluate an estimate such as '335M * 85% / 2.5', or a worksheet of "
		   "'name = expr' lines",
	.run = calc_run,
};
