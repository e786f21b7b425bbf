/* CLI output: the same rows as an aligned table, as CSV that libcsv reads
 * back identically, and as typed JSON. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csvio.h"
#include "output.h"
#include "util.h"

#include <locale.h>
#include <string.h>

static struct out_table *sample(void)
{
	const char *cols[] = {"name", "score", "passed", "note"};
	struct out_table *t = out_table_new(cols, 4);
	out_text(t, "Ana");
	out_real(t, 87.5, 1);
	out_bool(t, true);
	out_text(t, "said \"hi\", then left\nfor home");
	out_table_end_row(t);
	out_text(t, "李雷");
	out_int(t, 100);
	out_bool(t, false);
	out_null(t);
	out_table_end_row(t);
	return t;
}

static char *render(const struct out_table *t, enum out_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	out_table_print(t, f, mem);
	fclose(mem);
	return buf;
}

static void test_csv_round_trips_through_libcsv(void **state)
{
	(void)state;
	struct out_table *t = sample();
	char *csv = render(t, OUT_CSV);
	struct csvio_table back;
	char err[256];
	struct text_at at;
	assert_int_equal(csvio_table_parse("mem", csv, strlen(csv), &back, err, sizeof err, &at), 0);
	assert_int_equal(back.header.nfields, 4);
	assert_int_equal(back.nrows, 2);
	assert_string_equal(back.rows[0].fields[3], "said \"hi\", then left\nfor home");
	assert_string_equal(back.rows[1].fields[0], "李雷");
	assert_string_equal(back.rows[0].fields[1], "87.5");
	/* the second record starts on line 4: the quoted newline counts */
	assert_int_equal(back.rows[1].line, 4);
	csvio_table_free(&back);
	free(csv);
	out_table_free(t);
}

static void test_json_keeps_types(void **state)
{
	(void)state;
	struct out_table *t = sample();
	json_t *rows = out_table_json(t);
	assert_int_equal(json_array_size(rows), 2);
	json_t *first = json_array_get(rows, 0);
	assert_true(json_is_real(json_object_get(first, "score")));
	assert_true(json_is_true(json_object_get(first, "passed")));
	json_t *second = json_array_get(rows, 1);
	assert_int_equal(json_integer_value(json_object_get(second, "score")), 100);
	assert_true(json_is_null(json_object_get(second, "note")));
	json_decref(rows);
	out_table_free(t);
}

static void test_table_aligns_by_display_width(void **state)
{
	(void)state;
	const char *cols[] = {"who", "n"};
	struct out_table *t = out_table_new(cols, 2);
	out_text(t, "李雷");
	out_int(t, 5);
	out_table_end_row(t);
	out_text(t, "Bob");
	out_int(t, 12);
	out_table_end_row(t);
	char *text = render(t, OUT_TABLE);
	/* 李雷 is 4 columns wide: both numbers end in the same column */
	assert_non_null(strstr(text, "李雷   5\n"));
	assert_non_null(strstr(text, "Bob   12\n"));
	free(text);
	out_table_free(t);
}

static void test_format_names(void **state)
{
	(void)state;
	enum out_format f;
	assert_int_equal(out_format_parse("json", &f), 0);
	assert_int_equal(f, OUT_JSON);
	assert_int_equal(out_format_parse("csv", &f), 0);
	assert_int_equal(f, OUT_CSV);
	assert_int_not_equal(out_format_parse("xml", &f), 0);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_round_trips_through_libcsv),
		cmocka_unit_test(test_json_keeps_types),
		cmocka_unit_test(test_table_aligns_by_display_width),
		cmocka_unit_test(test_format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
