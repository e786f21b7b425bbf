/* The estimation expression engine: numbers as people write them in
 * interviews (1,200  2.5k  3M  1.2B  4T  2e6  12%  90 million  ~300  $5)
 * and expressions over named worksheet lines. Used by the drill's
 * worksheet, `aipm calc`, quiz numeric answers and the content checker.
 * Every result is finite: overflow, division by zero and NaN are errors. */
#ifndef AIPM_EXPR_H
#define AIPM_EXPR_H

#include <stdbool.h>
#include <stddef.h>

struct expr_error {
	int position; /* 0-based byte offset of the offending character */
	char message[128];
};

/* The whole of s must be one number (surrounding spaces and a leading sign
 * allowed). */
int expr_parse_number(const char *s, double *out, struct expr_error *err);

/* A worksheet: named lines, each a number or an expression over the names
 * of lines set before it. */
struct expr_sheet;
struct expr_sheet *expr_sheet_new(void);
void expr_sheet_free(struct expr_sheet *sheet);
/* Evaluates expression against the sheet and, when name is not NULL,
 * defines (or redefines, in place) name with the value. 0 on success.
 * Names are [a-z_][a-z0-9_]*, case-insensitive; an invalid name is
 * reported at position -1 since it is not part of the expression. */
int expr_sheet_set(struct expr_sheet *sheet, const char *name, const char *expression,
		   double *value, struct expr_error *err);
/* What a line is in the tree of a decomposition, for pairing lines by
 * meaning rather than by name: an input (a number, or arithmetic on
 * numbers only) or a line derived from others, by its outermost operator;
 * depth is 0 for an input, else one more than the deepest line it uses. */
enum expr_role { EXPR_INPUT, EXPR_COPY, EXPR_SUM, EXPR_PRODUCT, EXPR_POWER };
struct expr_shape {
	enum expr_role role;
	int names; /* names used, repeats counted */
	int depth;
};
/* expr_sheet_set, and the expression's shape in *shape (when not NULL). */
int expr_sheet_set_shaped(struct expr_sheet *sheet, const char *name, const char *expression,
			  double *value, struct expr_shape *shape, struct expr_error *err);
bool expr_sheet_get(const struct expr_sheet *sheet, const char *name, double *value);

/* Evaluates an expression with no names. */
int expr_eval(const char *expression, double *value, struct expr_error *err);

#endif
