/* libFuzzer target for the expression engine: any bytes must give either a
 * finite value or an error with a position inside the input, never a crash,
 * a hang or NaN. Each input is evaluated alone and as worksheet lines. */
#include "expr.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(int rc, double value, const struct expr_error *err, size_t len)
{
	if (rc == 0 && !isfinite(value))
		abort();
	if (rc != 0 && (err->position < 0 || (size_t)err->position > len ||
			!memchr(err->message, '\0', sizeof err->message) || !err->message[0]))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	size_t len = strlen(text);
	double value = 0;
	struct expr_error err;

	check(expr_eval(text, &value, &err), value, &err, len);
	check(expr_parse_number(text, &value, &err), value, &err, len);

	/* Every line defines a name (a, b, c, ...) usable by the lines after
	 * it, so that names and redefinition are exercised too. */
	struct expr_sheet *sheet = expr_sheet_new();
	char name[2] = "a";
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		check(expr_sheet_set(sheet, name, line, &value, &err), value, &err, strlen(line));
		name[0] = (char)('a' + (name[0] - 'a' + 1) % 4);
	}
	expr_sheet_free(sheet);
	free(text);
	return 0;
}
