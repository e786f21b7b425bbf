#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "expr.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double eval_ok(const char *expression)
{
	double v = NAN;
	struct expr_error err = {0};
	int rc = expr_eval(expression, &v, &err);
	if (rc != 0)
		fail_msg("'%s' failed at %d: %s", expression, err.position, err.message);
	assert_true(isfinite(v));
	return v;
}

static void assert_value(const char *expression, double expected)
{
	double v = eval_ok(expression);
	if (fabs(v - expected) > 1e-9 * fmax(1, fabs(expected)))
		fail_msg("'%s' gave %.17g, expected %.17g", expression, v, expected);
}

/* The error must name the character at position and mention message. */
static void assert_error(const char *expression, int position, const char *message)
{
	double v = 12345;
	struct expr_error err = {0};
	if (expr_eval(expression, &v, &err) == 0)
		fail_msg("'%s' should fail but gave %g", expression, v);
	if (err.position != position)
		fail_msg("'%s': error at %d (%s), expected at %d", expression, err.position,
			 err.message, position);
	if (!strstr(err.message, message))
		fail_msg("'%s': message '%s' lacks '%s'", expression, err.message, message);
	assert_true(v == 12345); /* the output is untouched on error */
}

static void test_plain_numbers(void **state)
{
	(void)state;
	assert_value("1200", 1200);
	assert_value("2.5", 2.5);
	assert_value(".5", 0.5);
	assert_value("2.", 2);
	assert_value("2e6", 2e6);
	assert_value("1.5E-3", 1.5e-3);
	assert_value("3e+2", 300);
	assert_value("  42  ", 42);
	assert_value("0", 0);
}

static void test_thousands_separators(void **state)
{
	(void)state;
	assert_value("1,200", 1200);
	assert_value("12,345,678", 12345678);
	assert_value("1,000,000.5", 1000000.5);
	assert_value("999,999", 999999);
	assert_error("1,20", 1, "exactly 3 digits");
	assert_error("1,2345", 1, "exactly 3 digits");
	assert_error("1,200,", 5, "exactly 3 digits");
	assert_error("1,200,00", 5, "exactly 3 digits");
	assert_error("1, 200", 1, "exactly 3 digits");
	assert_error("12345,678", 5, "every 3 digits");
	assert_error(".5,000", 2, "unexpected character ','");
}

static void test_suffixes(void **state)
{
	(void)state;
	assert_value("2k", 2e3);
	assert_value("2K", 2e3);
	assert_value("2 k", 2e3);
	assert_value("3M", 3e6);
	assert_value("3 M", 3e6);
	assert_value("1.2B", 1.2e9);
	assert_value("2bn", 2e9);
	assert_value("2 Bn", 2e9);
	assert_value("2BN", 2e9);
	assert_value("4T", 4e12);
	assert_value("1,500k", 1.5e6);
	assert_value("2e3k", 2e6);
	assert_error("2m", 1, "use M for million");
	assert_error("2 m", 2, "use M for million");
	assert_error("2b", 1, "use B or bn for billion");
	assert_error("2t", 1, "use T for trillion");
	assert_error("2kg", 1, "unknown suffix 'kg'");
	assert_error("2e", 1, "unknown suffix 'e'");
	assert_error("2 kids", 2, "expected an operator");
	assert_error("2kk", 1, "unknown suffix 'kk'");
}

static void test_scale_words(void **state)
{
	(void)state;
	assert_value("2 thousand", 2e3);
	assert_value("2thousand", 2e3);
	assert_value("3 thousands", 3e3);
	assert_value("90 million", 90e6);
	assert_value("90 Millions", 90e6);
	assert_value("1.5 MILLION", 1.5e6);
	assert_value("7 billion", 7e9);
	assert_value("7 billions", 7e9);
	assert_value("2 trillion", 2e12);
	assert_value("2 Trillions", 2e12);
	assert_value("335 million * 85%", 335e6 * 0.85);
	assert_error("2 millionss", 2, "expected an operator");
}

static void test_percent_and_prefixes(void **state)
{
	(void)state;
	assert_value("12%", 0.12);
	assert_value("12 %", 0.12);
	assert_value("0.5%", 0.005);
	assert_value("100% * 3", 3);
	assert_value("~300", 300);
	assert_value("$5", 5);
	assert_value("~$5", 5);
	assert_value("$~5", 5);
	assert_value("~ 300", 300);
	assert_value("$1.2B", 1.2e9);
	assert_value("-$5", -5);
	assert_value("~$2.5M / 2", 1.25e6);
	assert_error("~~5", 1, "expected a number");
	assert_error("$$5", 1, "expected a number");
	assert_error("$", 1, "expected a number");
	assert_error("5%%", 2, "expected an operator");
}

static void test_precedence_and_associativity(void **state)
{
	(void)state;
	assert_value("2 + 3 * 4", 14);
	assert_value("(2 + 3) * 4", 20);
	assert_value("10 - 4 - 3", 3);
	assert_value("64 / 4 / 2", 8);
	assert_value("2 * 3 / 4", 1.5);
	assert_value("2^3^2", 512);
	assert_value("2 ^ 10", 1024);
	assert_value("2**3", 8);
	assert_value("-2^2", -4);
	assert_value("(-2)^2", 4);
	assert_value("2^-1", 0.5);
	assert_value("-3 * -2", 6);
	assert_value("--3", 3);
	assert_value("+3", 3);
	assert_value("-(2 + 3)", -5);
	assert_value("2 - -3", 5);
	assert_value("((((7))))", 7);
	assert_value("1 + 2 * 3 ^ 2 - 4 / 2", 17);
	assert_value("-0", 0);
	assert_false(signbit(eval_ok("-0")));
}

static void test_unicode_operators(void **state)
{
	(void)state;
	assert_value("2\xC3\x97" "3", 6);	    /* × */
	assert_value("2 \xC2\xB7 3", 6);	    /* · */
	assert_value("6 \xC3\xB7 3", 2);	    /* ÷ */
	assert_value("5 \xE2\x88\x92 2", 3);    /* − */
	assert_error("2 \xE2\x80\x93 3", 2, "unexpected character '\xE2\x80\x93'"); /* – */
	assert_error("2 x 3", 2, "use * to multiply");
	assert_error("2x3", 1, "use * to multiply");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	assert_error("2 + * 3", 4, "expected a number, a name or '('");
	assert_error("", 0, "empty expression");
	assert_error("   ", 0, "empty expression");
	assert_error("2 +", 3, "expected a number, a name or '('");
	assert_error("(2 + 3", 6, "missing ')'");
	assert_error("(2 3)", 3, "expected an operator or ')'");
	assert_error("2 + 3)", 5, "unmatched ')'");
	assert_error("2 3", 2, "expected an operator");
	assert_error("2 @ 3", 2, "unexpected character '@'");
	assert_error("2 \xFF", 2, "unexpected byte 0xFF");
	assert_error("2 \xC3(", 2, "unexpected byte 0xC3");
	assert_error("()", 1, "expected a number, a name or '('");
	assert_error("2(3)", 1, "expected an operator");
	assert_error("*2", 0, "expected a number, a name or '('");
	assert_error("2 ^", 3, "expected a number, a name or '('");
}

static void test_arithmetic_errors(void **state)
{
	(void)state;
	assert_error("1/0", 1, "division by zero");
	assert_error("5 / (2 - 2)", 2, "division by zero");
	assert_error("1 / -0", 2, "division by zero");
	assert_error("0^-1", 1, "division by zero");
	assert_error("1e308*10", 5, "the result is too large");
	assert_error("1e308 + 1e308", 6, "the result is too large");
	assert_error("-1e308 - 1e308", 7, "the result is too large");
	assert_error("1e308 / 0.1", 6, "the result is too large");
	assert_error("10^400", 2, "the result is too large");
	assert_error("1e400", 0, "the number is too large");
	assert_error("~1e300T", 0, "the number is too large");
	assert_error("(-8)^(1/3)", 4, "no real fractional power");
	/* Underflow is said, not turned into 0 (issue 14). */
	assert_error("10^-400", 2, "the result is too small to hold");
	assert_error("1e-400", 0, "the number is too small to hold");
	assert_error("1e-200 * 1e-200", 7, "it would round to 0");
	assert_error("1e-300 / 1e100", 7, "the result is too small to hold");
	assert_value("0e-400", 0);
	assert_value("0 * 1e-300", 0);
	assert_value("1e-310", 1e-310);
	assert_value("0^0", 1);
	assert_value("(-2)^3", -8);
}

/* Every failure path leaves no NaN or infinity behind, and no success
 * returns one. */
static void test_never_nan_or_inf(void **state)
{
	(void)state;
	const char *inputs[] = {
	    "0/0", "1e308*1e308", "-(1e308*10)", "(-1)^0.5", "0^-0.5", "1e999-1e999",
	    "2^1024", "10^-400", "1e-300/1e300", "(1e200^2)/1e200", "nan", "inf", "NaN*0",
	    "0x10", "1e308*10-1e308*10",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		double v = 0;
		struct expr_error err;
		if (expr_eval(inputs[i], &v, &err) == 0 && !isfinite(v))
			fail_msg("'%s' returned %g", inputs[i], v);
	}
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < 150; i++)
		sb_putc(&sb, '(');
	sb_putc(&sb, '1');
	for (int i = 0; i < 150; i++)
		sb_putc(&sb, ')');
	assert_value(sb.data, 1);
	sb_free(&sb);

	for (int i = 0; i < 100000; i++)
		sb_putc(&sb, '(');
	assert_error(sb.data, 200, "nested too deeply");
	sb_free(&sb);

	for (int i = 0; i < 100000; i++)
		sb_putc(&sb, '-');
	sb_putc(&sb, '1');
	assert_error(sb.data, 200, "nested too deeply");
	sb_free(&sb);

	sb_puts(&sb, "1");
	for (int i = 0; i < 100000; i++)
		sb_puts(&sb, "^1");
	assert_error(sb.data, 400, "nested too deeply");
	sb_free(&sb);

	/* Long flat expressions are not nesting and stay allowed. */
	sb_puts(&sb, "1");
	for (int i = 0; i < 100000; i++)
		sb_puts(&sb, "+1");
	assert_value(sb.data, 100001);
	sb_free(&sb);
}

static void test_parse_number(void **state)
{
	(void)state;
	double v = 0;
	struct expr_error err;
	assert_int_equal(expr_parse_number(" 1,200 ", &v, &err), 0);
	assert_true(v == 1200);
	assert_int_equal(expr_parse_number("~$2.5M", &v, &err), 0);
	assert_true(v == 2.5e6);
	assert_int_equal(expr_parse_number("-3%", &v, &err), 0);
	assert_true(fabs(v + 0.03) < 1e-15);
	assert_int_equal(expr_parse_number("90 million", &v, &err), 0);
	assert_true(v == 9e7);
	assert_int_not_equal(expr_parse_number("2+3", &v, &err), 0);
	assert_int_equal(err.position, 1);
	assert_int_not_equal(expr_parse_number("", &v, &err), 0);
	assert_int_equal(err.position, 0);
	assert_int_not_equal(expr_parse_number("abc", &v, &err), 0);
	assert_int_equal(err.position, 0);
	assert_int_not_equal(expr_parse_number("5m", &v, &err), 0);
	assert_string_equal(err.message, "use M for million");
	assert_int_not_equal(expr_parse_number("(5)", &v, &err), 0);
	assert_int_equal(err.position, 0);
}

static void test_sheet(void **state)
{
	(void)state;
	struct expr_sheet *sheet = expr_sheet_new();
	double v = 0;
	struct expr_error err;
	assert_int_equal(expr_sheet_set(sheet, "households", "130M", &v, &err), 0);
	assert_int_equal(expr_sheet_set(sheet, "Dog_Share", "46%", &v, &err), 0);
	assert_int_equal(expr_sheet_set(sheet, "dogs", "households * DOG_SHARE * 1.5", &v, &err),
			 0);
	assert_true(fabs(v - 130e6 * 0.46 * 1.5) < 1e-3);
	assert_true(expr_sheet_get(sheet, "DOGS", &v));
	assert_true(fabs(v - 130e6 * 0.46 * 1.5) < 1e-3);
	assert_false(expr_sheet_get(sheet, "cats", &v));

	/* Redefining replaces the value; later lines see the new one. */
	assert_int_equal(expr_sheet_set(sheet, "households", "households / 2", &v, &err), 0);
	assert_true(v == 65e6);
	assert_true(expr_sheet_get(sheet, "households", &v));
	assert_true(v == 65e6);

	/* Names that spell a suffix are ordinary names. */
	assert_int_equal(expr_sheet_set(sheet, "k", "3", &v, &err), 0);
	assert_int_equal(expr_sheet_set(sheet, "m", "4", &v, &err), 0);
	assert_int_equal(expr_sheet_set(sheet, "million", "5", &v, &err), 0);
	assert_int_equal(expr_sheet_set(sheet, NULL, "k * m * million + 2k", &v, &err), 0);
	assert_true(v == 2060);

	assert_int_not_equal(expr_sheet_set(sheet, "total", "dogz * 2", &v, &err), 0);
	assert_int_equal(err.position, 0);
	assert_string_equal(err.message, "unknown name 'dogz'");
	assert_false(expr_sheet_get(sheet, "total", NULL));

	assert_int_not_equal(expr_sheet_set(sheet, "2x", "1", &v, &err), 0);
	assert_int_equal(err.position, -1);
	assert_int_not_equal(expr_sheet_set(sheet, "a b", "1", &v, &err), 0);
	assert_int_equal(err.position, -1);
	assert_int_not_equal(expr_sheet_set(sheet, "", "1", &v, &err), 0);

	/* A line may not use itself before it exists. */
	assert_int_not_equal(expr_sheet_set(sheet, "fresh", "fresh + 1", &v, &err), 0);
	assert_int_equal(err.position, 0);

	/* expr_eval knows no names. */
	assert_error("households", 0, "unknown name 'households'");
	expr_sheet_free(sheet);
	expr_sheet_free(NULL);
}

/* The shape a line has in the decomposition's tree, for pairing lines by
 * meaning. */
static void test_shapes(void **state)
{
	(void)state;
	struct expr_sheet *sheet = expr_sheet_new();
	struct expr_shape sh;
	double v;
	assert_int_equal(expr_sheet_set_shaped(sheet, "a", "365 * 24", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_INPUT);
	assert_int_equal(sh.depth, 0);
	assert_int_equal(expr_sheet_set_shaped(sheet, "b", "a * 2 + 1", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_SUM);
	assert_int_equal(sh.depth, 1);
	assert_int_equal(expr_sheet_set_shaped(sheet, "c", "(a + b) * 3", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_PRODUCT);
	assert_int_equal(sh.depth, 2);
	assert_int_equal(sh.names, 2);
	assert_int_equal(expr_sheet_set_shaped(sheet, "d", "(a * b)", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_PRODUCT);
	assert_int_equal(expr_sheet_set_shaped(sheet, "e", "-c", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_COPY);
	assert_int_equal(sh.depth, 3);
	assert_int_equal(expr_sheet_set_shaped(sheet, NULL, "a + b ^ 2", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_SUM);
	assert_int_equal(expr_sheet_set_shaped(sheet, NULL, "a ^ 2", &v, &sh, NULL), 0);
	assert_int_equal(sh.role, EXPR_POWER);
	/* A line set again takes its new depth. */
	assert_int_equal(expr_sheet_set_shaped(sheet, "c", "5", &v, &sh, NULL), 0);
	assert_int_equal(expr_sheet_set_shaped(sheet, NULL, "c * 2", &v, &sh, NULL), 0);
	assert_int_equal(sh.depth, 1);
	expr_sheet_free(sheet);
}

static void test_null_outputs(void **state)
{
	(void)state;
	assert_int_equal(expr_eval("1+1", NULL, NULL), 0);
	assert_int_not_equal(expr_eval("1+", NULL, NULL), 0);
	struct expr_sheet *sheet = expr_sheet_new();
	assert_int_equal(expr_sheet_set(sheet, "a", "1", NULL, NULL), 0);
	assert_int_not_equal(expr_sheet_set(sheet, "b", "a/0", NULL, NULL), 0);
	expr_sheet_free(sheet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_numbers),
	    cmocka_unit_test(test_thousands_separators),
	    cmocka_unit_test(test_suffixes),
	    cmocka_unit_test(test_scale_words),
	    cmocka_unit_test(test_percent_and_prefixes),
	    cmocka_unit_test(test_precedence_and_associativity),
	    cmocka_unit_test(test_unicode_operators),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_arithmetic_errors),
	    cmocka_unit_test(test_never_nan_or_inf),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_parse_number),
	    cmocka_unit_test(test_sheet),
	    cmocka_unit_test(test_null_outputs),
	    cmocka_unit_test(test_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
