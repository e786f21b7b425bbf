/* A recursive-descent parser that evaluates as it parses: a worksheet line
 * is evaluated once, so a syntax tree would buy nothing.
 *
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary ('^' unary)?        right-associative; -2^2 = -4
 *   primary := number | name | '(' sum ')'
 *   number  := ['~'] ['$'] (either order) digits [suffix | '%'] */
#include "expr.h"

#include "util.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Far deeper than any real estimate, shallow enough that hostile input
 * cannot exhaust the stack. */
#define MAX_DEPTH 200
/* Long names and words are cut in messages so they fit struct expr_error. */
#define QUOTE_MAX 40

struct sheet_line {
	char *name; /* lower case */
	double value;
	int depth; /* its expr_shape's */
};

struct expr_sheet {
	struct sheet_line *lines;
	size_t count, cap;
};

struct parser {
	const char *s;
	size_t pos;
	int depth;
	const struct expr_sheet *sheet; /* NULL: no names */
	struct expr_error *err;
	/* The shape as parsed so far: the outermost operator is the one at
	 * the fewest parentheses, a sum before a product before a power at
	 * the same level (precedence puts the sum at the root). */
	int parens;
	struct expr_shape shape;
	int root_parens;
};

/* Scale words after a number. Single letters are case-sensitive because
 * 'm' reads as milli (or metres) as often as million; only k means the
 * same in both cases. */
static const struct {
	const char *text;
	bool any_case; /* and a plural 's' is allowed */
	double scale;
} suffixes[] = {
	{"k", false, 1e3},	   {"K", false, 1e3},	     {"M", false, 1e6},
	{"B", false, 1e9},	   {"T", false, 1e12},	     {"bn", true, 1e9},
	{"thousand", true, 1e3}, {"million", true, 1e6},  {"billion", true, 1e9},
	{"trillion", true, 1e12},
};

/* Lower-case letters people write for a scale they did not mean. */
static const struct {
	const char *text;
	const char *hint;
} suffix_hints[] = {
	{"m", "use M for million"},
	{"b", "use B or bn for billion"},
	{"t", "use T for trillion"},
};

/* The app runs under the user's locale, whose decimal point may be a
 * comma; numbers in estimates always use '.'. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void c_numeric_open(void)
{
	c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static double parse_c_double(const char *text)
{
	pthread_once(&c_numeric_once, c_numeric_open);
	return c_numeric ? strtod_l(text, NULL, c_numeric) : strtod(text, NULL);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A value nearer 0 than doubles go (5e-324) becomes 0 without a word. */
#define UNDERFLOW_TEXT "too small to hold (nearer 0 than about 1e-308): it would round to 0"

/* Whether a number's digits (before any exponent) are not all zeros. */
static bool mantissa_is_nonzero(const char *text)
{
	for (; *text && *text != 'e' && *text != 'E'; text++)
		if (*text >= '1' && *text <= '9')
			return true;
	return false;
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive comparison of the n bytes at a with the string b. */
static bool same_word(const char *a, size_t n, const char *b)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] == '\0' || ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return b[n] == '\0';
}

static size_t name_length(const char *s)
{
	if (!is_name_start(s[0]))
		return 0;
	size_t n = 1;
	while (is_name_char(s[n]))
		n++;
	return n;
}

/* Fills err (when given) and returns -1, so that callers can return it. */
static int set_error(struct expr_error *err, long long position, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_error(struct expr_error *err, long long position, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->position = position > INT_MAX ? INT_MAX : (int)position;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

#define fail(p, position, ...) set_error((p)->err, (long long)(position), __VA_ARGS__)

static void skip_space(struct parser *p)
{
	for (;;) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f')
			return;
		p->pos++;
	}
}

/* The operator at the cursor in its ASCII form (0 when there is none) and
 * its length in bytes. '**' is a power as in spreadsheets and Python;
 * '×', '·', '÷' and '−' (U+2212) arrive pasted from documents. */
static char peek_operator(const struct parser *p, size_t *len)
{
	const char *s = p->s + p->pos;
	static const struct {
		const char *text;
		char op;
	} operators[] = {
		{"**", '^'}, {"+", '+'}, {"-", '-'}, {"*", '*'}, {"/", '/'}, {"^", '^'},
		{"\xC3\x97", '*'}, {"\xC2\xB7", '*'}, {"\xC3\xB7", '/'}, {"\xE2\x88\x92", '-'},
	};
	for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
		size_t n = strlen(operators[i].text);
		if (!strncmp(s, operators[i].text, n)) {
			*len = n;
			return operators[i].op;
		}
	}
	return 0;
}

/* True when the character at the cursor can appear somewhere in an
 * expression, so that an error there is about order, not the character. */
static bool known_character(const struct parser *p)
{
	size_t len;
	char c = p->s[p->pos];
	return is_name_char(c) || peek_operator(p, &len) || (c && strchr("().~$%", c));
}

static int fail_unknown_character(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->s + p->pos;
	if (s[0] >= 0x21 && s[0] < 0x7F)
		return fail(p, p->pos, "unexpected character '%c'", s[0]);
	/* Quote a whole UTF-8 sequence, never a fragment of one. */
	int n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			n = 0;
	if (n)
		return fail(p, p->pos, "unexpected character '%.*s'", n, (const char *)s);
	return fail(p, p->pos, "unexpected byte 0x%02X", s[0]);
}

/* An error at the cursor: what was expected there (or at the end of the
 * input), unless the character belongs nowhere in an expression. */
static int fail_here(struct parser *p, const char *expected, const char *at_end)
{
	if (p->s[p->pos] == '\0')
		return fail(p, p->pos, "%s", at_end);
	if (!known_character(p))
		return fail_unknown_character(p);
	return fail(p, p->pos, "%s", expected);
}

static bool starts_digits(const char *s)
{
	return is_digit(s[0]) || (s[0] == '.' && is_digit(s[1]));
}

static bool starts_number(const char *s)
{
	return starts_digits(s) || s[0] == '~' || s[0] == '$';
}

/* A scale word of n bytes after a number: 0 when it is not one. */
static double suffix_scale(const char *word, size_t n)
{
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		const char *text = suffixes[i].text;
		size_t len = strlen(text);
		if (!suffixes[i].any_case) {
			if (n == len && !strncmp(word, text, n))
				return suffixes[i].scale;
		} else if (same_word(word, n, text) ||
			   (n == len + 1 && same_word(word, len, text) &&
			    ascii_lower(word[len]) == 's')) {
			return suffixes[i].scale;
		}
	}
	return 0;
}

/* "2 x 3" and "2x3": the letter x is kept out of the grammar because it is
 * a natural name, so it only earns a hint. */
static bool is_times_letter(const char *word, size_t n)
{
	if (n == 0 || ascii_lower(word[0]) != 'x')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_digit(word[i]))
			return false;
	return true;
}

static const char *suffix_hint(const char *word, size_t n)
{
	if (is_times_letter(word, n))
		return "use * to multiply";
	for (size_t i = 0; i < sizeof suffix_hints / sizeof suffix_hints[0]; i++)
		if (n == strlen(suffix_hints[i].text) && !strncmp(word, suffix_hints[i].text, n))
			return suffix_hints[i].hint;
	return NULL;
}

/* Digits with optional thousands separators, fraction and exponent, copied
 * without the separators into digits. */
static int scan_digits(struct parser *p, struct strbuf *digits)
{
	const char *s = p->s;
	size_t group = 0;
	while (is_digit(s[p->pos])) {
		sb_putc(digits, s[p->pos++]);
		group++;
	}
	if (s[p->pos] == ',' && group > 3)
		return fail(p, p->pos, "thousands separators go every 3 digits");
	while (s[p->pos] == ',') {
		size_t comma = p->pos;
		size_t n = 0;
		while (is_digit(s[comma + 1 + n]))
			n++;
		if (n != 3)
			return fail(p, comma, "a thousands separator needs exactly 3 digits after it");
		sb_add(digits, s + comma + 1, 3);
		p->pos = comma + 4;
	}
	if (s[p->pos] == '.') {
		sb_putc(digits, s[p->pos++]);
		while (is_digit(s[p->pos]))
			sb_putc(digits, s[p->pos++]);
	}
	/* An 'e' without digits after it is left for the suffix check, which
	 * reports it. */
	if (s[p->pos] == 'e' || s[p->pos] == 'E') {
		size_t after = p->pos + 1;
		if (s[after] == '+' || s[after] == '-')
			after++;
		if (is_digit(s[after])) {
			sb_add(digits, s + p->pos, after - p->pos);
			p->pos = after;
			while (is_digit(s[p->pos]))
				sb_putc(digits, s[p->pos++]);
		}
	}
	return 0;
}

/* A scale word or '%' after a number, attached or after spaces; *scale
 * stays 1 when there is none. */
static int scan_suffix(struct parser *p, double *scale)
{
	*scale = 1;
	size_t end_of_digits = p->pos;
	skip_space(p);
	const char *word = p->s + p->pos;
	size_t n = name_length(word);
	if (n == 0 && *word == '%') {
		*scale = 0.01;
		p->pos++;
		return 0;
	}
	double found = n ? suffix_scale(word, n) : 0;
	if (found) {
		*scale = found;
		p->pos += n;
		return 0;
	}
	const char *hint = n ? suffix_hint(word, n) : NULL;
	if (hint)
		return fail(p, p->pos, "%s", hint);
	/* Glued to the digits a word can only be a suffix; after a space it
	 * may be the start of something else, which the caller judges. */
	if (n && p->pos == end_of_digits)
		return fail(p, p->pos, "unknown suffix '%.*s'", (int)(n < QUOTE_MAX ? n : QUOTE_MAX),
			    word);
	p->pos = end_of_digits;
	return 0;
}

static int parse_number(struct parser *p, double *out)
{
	size_t start = p->pos;
	bool approximate = false, currency = false;
	for (;;) {
		char c = p->s[p->pos];
		if (c == '~' && !approximate)
			approximate = true;
		else if (c == '$' && !currency)
			currency = true;
		else
			break;
		p->pos++;
		skip_space(p);
	}
	if (!starts_digits(p->s + p->pos))
		return fail_here(p, "expected a number", "expected a number");
	struct strbuf digits;
	sb_init(&digits);
	int rc = scan_digits(p, &digits);
	double value = rc == 0 ? parse_c_double(digits.data) : 0;
	bool nonzero = rc == 0 && mantissa_is_nonzero(digits.data);
	sb_free(&digits);
	double scale;
	if (rc != 0 || scan_suffix(p, &scale) != 0)
		return -1;
	value *= scale;
	if (!isfinite(value))
		return fail(p, start, "the number is too large");
	if (value == 0 && nonzero)
		return fail(p, start, "the number is " UNDERFLOW_TEXT);
	*out = value;
	return 0;
}

static bool sheet_lookup(const struct expr_sheet *sheet, const char *name, size_t n,
			 double *value)
{
	for (size_t i = 0; sheet && i < sheet->count; i++) {
		if (same_word(name, n, sheet->lines[i].name)) {
			*value = sheet->lines[i].value;
			return true;
		}
	}
	return false;
}

static int parse_sum(struct parser *p, double *out);
static int parse_unary(struct parser *p, double *out);

/* Ranks of the roles an operator gives, higher wins at one level. */
static int role_rank(enum expr_role role)
{
	return role == EXPR_SUM ? 3 : role == EXPR_PRODUCT ? 2 : role == EXPR_POWER ? 1 : 0;
}

static void saw_operator(struct parser *p, enum expr_role role)
{
	if (p->shape.role == EXPR_INPUT || p->parens < p->root_parens ||
	    (p->parens == p->root_parens && role_rank(role) > role_rank(p->shape.role))) {
		p->shape.role = role;
		p->root_parens = p->parens;
	}
}

static void saw_name(struct parser *p, const char *name, size_t n)
{
	p->shape.names++;
	for (size_t i = 0; i < p->sheet->count; i++)
		if (same_word(name, n, p->sheet->lines[i].name) &&
		    p->sheet->lines[i].depth + 1 > p->shape.depth)
			p->shape.depth = p->sheet->lines[i].depth + 1;
}

static int parse_primary(struct parser *p, double *out)
{
	skip_space(p);
	const char *s = p->s;
	if (s[p->pos] == '(') {
		p->pos++;
		p->parens++;
		int rc = parse_sum(p, out);
		p->parens--;
		if (rc != 0)
			return -1;
		skip_space(p);
		if (s[p->pos] != ')')
			return fail_here(p, "expected an operator or ')'", "missing ')'");
		p->pos++;
		return 0;
	}
	if (starts_number(s + p->pos))
		return parse_number(p, out);
	size_t n = name_length(s + p->pos);
	if (n) {
		if (!sheet_lookup(p->sheet, s + p->pos, n, out))
			return fail(p, p->pos, "unknown name '%.*s'",
				    (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s + p->pos);
		saw_name(p, s + p->pos, n);
		p->pos += n;
		return 0;
	}
	return fail_here(p, "expected a number, a name or '('", "expected a number, a name or '('");
}

static int parse_power(struct parser *p, double *out)
{
	double base, exponent;
	if (parse_primary(p, &base) != 0)
		return -1;
	skip_space(p);
	size_t at = p->pos, len;
	if (peek_operator(p, &len) != '^') {
		*out = base;
		return 0;
	}
	p->pos += len;
	saw_operator(p, EXPR_POWER);
	if (parse_unary(p, &exponent) != 0)
		return -1;
	if (base == 0 && exponent < 0)
		return fail(p, at, "division by zero");
	if (base < 0 && exponent != floor(exponent))
		return fail(p, at, "a negative number has no real fractional power");
	*out = pow(base, exponent);
	if (!isfinite(*out))
		return fail(p, at, "the result is too large");
	if (*out == 0 && base != 0)
		return fail(p, at, "the result is " UNDERFLOW_TEXT);
	return 0;
}

/* Every level of nesting passes through here (parentheses, signs and
 * powers), so this is where depth is counted. */
static int parse_unary(struct parser *p, double *out)
{
	skip_space(p);
	if (p->depth >= MAX_DEPTH)
		return fail(p, p->pos, "the expression is nested too deeply");
	p->depth++;
	size_t len;
	char op = peek_operator(p, &len);
	int rc;
	if (op == '-' || op == '+') {
		p->pos += len;
		rc = parse_unary(p, out);
		if (rc == 0 && op == '-')
			*out = -*out;
	} else {
		rc = parse_power(p, out);
	}
	p->depth--;
	return rc;
}

static int parse_product(struct parser *p, double *out)
{
	double left, right;
	if (parse_unary(p, &left) != 0)
		return -1;
	for (;;) {
		skip_space(p);
		size_t at = p->pos, len;
		char op = peek_operator(p, &len);
		if (op != '*' && op != '/')
			break;
		p->pos += len;
		saw_operator(p, EXPR_PRODUCT);
		if (parse_unary(p, &right) != 0)
			return -1;
		if (op == '/' && right == 0)
			return fail(p, at, "division by zero");
		bool was_nonzero = left != 0 && right != 0;
		left = op == '*' ? left * right : left / right;
		if (!isfinite(left))
			return fail(p, at, "the result is too large");
		if (left == 0 && was_nonzero)
			return fail(p, at, "the result is " UNDERFLOW_TEXT);
	}
	*out = left;
	return 0;
}

static int parse_sum(struct parser *p, double *out)
{
	double left, right;
	if (parse_product(p, &left) != 0)
		return -1;
	for (;;) {
		skip_space(p);
		size_t at = p->pos, len;
		char op = peek_operator(p, &len);
		if (op != '+' && op != '-')
			break;
		p->pos += len;
		saw_operator(p, EXPR_SUM);
		if (parse_product(p, &right) != 0)
			return -1;
		left = op == '+' ? left + right : left - right;
		if (!isfinite(left))
			return fail(p, at, "the result is too large");
	}
	*out = left;
	return 0;
}

static int evaluate(const char *expression, const struct expr_sheet *sheet, double *value,
		    struct expr_shape *shape, struct expr_error *err)
{
	struct parser p = {.s = expression, .sheet = sheet, .err = err};
	skip_space(&p);
	if (expression[p.pos] == '\0')
		return fail(&p, 0, "empty expression");
	double v;
	if (parse_sum(&p, &v) != 0)
		return -1;
	skip_space(&p);
	if (expression[p.pos] == ')')
		return fail(&p, p.pos, "unmatched ')'");
	if (is_times_letter(expression + p.pos, name_length(expression + p.pos)))
		return fail(&p, p.pos, "use * to multiply");
	if (expression[p.pos] != '\0')
		return fail_here(&p, "expected an operator", "");
	if (value)
		*value = v + 0.0; /* turns -0 into 0, which nobody wants to read */
	if (shape) {
		*shape = p.shape;
		/* Arithmetic on numbers alone ("365 * 24") is still an input;
		 * a line that only names another ("total = x") is derived,
		 * with no operator of its own. */
		if (!shape->names)
			shape->role = EXPR_INPUT;
		else if (shape->role == EXPR_INPUT)
			shape->role = EXPR_COPY;
	}
	return 0;
}

int expr_eval(const char *expression, double *value, struct expr_error *err)
{
	return evaluate(expression, NULL, value, NULL, err);
}

int expr_parse_number(const char *s, double *out, struct expr_error *err)
{
	struct parser p = {.s = s, .err = err};
	skip_space(&p);
	if (s[p.pos] == '\0')
		return fail(&p, 0, "no number");
	size_t len;
	char sign = peek_operator(&p, &len);
	if (sign == '-' || sign == '+') {
		p.pos += len;
		skip_space(&p);
	}
	if (!starts_number(s + p.pos))
		return fail_here(&p, "expected a number", "expected a number");
	double v;
	if (parse_number(&p, &v) != 0)
		return -1;
	skip_space(&p);
	if (s[p.pos] != '\0')
		return fail_here(&p, "expected a single number", "");
	if (out)
		*out = (sign == '-' ? -v : v) + 0.0;
	return 0;
}

struct expr_sheet *expr_sheet_new(void)
{
	return xcalloc(1, sizeof(struct expr_sheet));
}

void expr_sheet_free(struct expr_sheet *sheet)
{
	if (!sheet)
		return;
	for (size_t i = 0; i < sheet->count; i++)
		free(sheet->lines[i].name);
	free(sheet->lines);
	free(sheet);
}

int expr_sheet_set(struct expr_sheet *sheet, const char *name, const char *expression,
		   double *value, struct expr_error *err)
{
	return expr_sheet_set_shaped(sheet, name, expression, value, NULL, err);
}

int expr_sheet_set_shaped(struct expr_sheet *sheet, const char *name, const char *expression,
			  double *value, struct expr_shape *shape, struct expr_error *err)
{
	size_t name_len = name ? name_length(name) : 0;
	if (name && (name_len == 0 || name[name_len] != '\0'))
		return set_error(err, -1,
				 "'%.*s' is not a name: use letters, digits and _, not starting "
				 "with a digit",
				 QUOTE_MAX, name);
	double v;
	struct expr_shape parsed;
	if (evaluate(expression, sheet, &v, &parsed, err) != 0)
		return -1;
	if (value)
		*value = v;
	if (shape)
		*shape = parsed;
	if (!name)
		return 0;
	for (size_t i = 0; i < sheet->count; i++) {
		if (same_word(name, name_len, sheet->lines[i].name)) {
			sheet->lines[i].value = v;
			sheet->lines[i].depth = parsed.depth;
			return 0;
		}
	}
	struct sheet_line line = {xstrdup(name), v, parsed.depth};
	for (char *c = line.name; *c; c++)
		*c = ascii_lower(*c);
	ARRAY_PUSH(sheet->lines, sheet->count, sheet->cap, line);
	return 0;
}

bool expr_sheet_get(const struct expr_sheet *sheet, const char *name, double *value)
{
	double v;
	if (!sheet_lookup(sheet, name, strlen(name), &v))
		return false;
	if (value)
		*value = v;
	return true;
}
