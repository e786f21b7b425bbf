#include "tryit.h"

#include "drill.h"
#include "funnel.h"
#include "linear.h"
#include "text_features.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a value is checked. */
enum value_kind {
	VAL_TEXT,   /* anything but empty */
	VAL_PATH,   /* relative, inside the content folder */
	VAL_WHOLE,  /* a whole number in [min, max] */
	VAL_REAL,   /* a number in [min, max] */
	VAL_WORDS,  /* one of words (a ' '-separated list) */
	VAL_MODEL,  /* linear_kind_parse */
	VAL_FEATURES,
	VAL_STEPS,  /* funnel_steps_parse */
	VAL_WINDOW, /* funnel_parse_window */
	VAL_ORDER,  /* funnel_order_parse */
	VAL_TIME,   /* funnel_parse_bound */
	VAL_WHERE,  /* column=value */
	VAL_TYPE,   /* a drill type */
	VAL_ID,     /* a bank id: lower case, digits, '-' and '_' */
};

struct key_spec {
	const char *key;
	enum value_kind kind;
	double min, max;
	const char *words;
};

static const struct key_spec common_keys[] = {
	{"action", VAL_WORDS, 0, 0, "lab funnel drill quiz"},
	{"label", VAL_TEXT, 0, 0, NULL},
	{NULL, 0, 0, 0, NULL},
};
static const struct key_spec lab_keys[] = {
	{"data", VAL_PATH, 0, 0, NULL},
	{"balanced", VAL_WHOLE, 0, 1e8, NULL},
	{"model", VAL_MODEL, 0, 0, NULL},
	{"features", VAL_FEATURES, 0, 0, NULL},
	{"ngrams", VAL_WHOLE, 1, 2, NULL},
	{"test_split", VAL_REAL, 0, 0.95, NULL},
	{"val_split", VAL_REAL, 0, 0.95, NULL},
	{"seed", VAL_WHOLE, 0, 4294967295.0, NULL},
	{"threshold", VAL_REAL, 0, 1, NULL},
	{"epochs", VAL_WHOLE, 1, 10000, NULL},
	{"batch", VAL_WHOLE, 1, 1000000, NULL},
	{"run", VAL_WORDS, 0, 0, "data split tokenize features train evaluate threshold explain"},
	{NULL, 0, 0, 0, NULL},
};
static const struct key_spec funnel_keys[] = {
	{"data", VAL_PATH, 0, 0, NULL},
	{"steps", VAL_STEPS, 0, 0, NULL},
	{"window", VAL_WINDOW, 0, 0, NULL},
	{"order", VAL_ORDER, 0, 0, NULL},
	{"from", VAL_TIME, 0, 0, NULL},
	{"to", VAL_TIME, 0, 0, NULL},
	{"by", VAL_TEXT, 0, 0, NULL},
	{"where", VAL_WHERE, 0, 0, NULL},
	{"trend", VAL_WORDS, 0, 0, "day week"},
	{NULL, 0, 0, 0, NULL},
};
static const struct key_spec drill_keys[] = {
	{"type", VAL_TYPE, 0, 0, NULL},
	{"question", VAL_ID, 0, 0, NULL},
	{NULL, 0, 0, 0, NULL},
};
static const struct key_spec quiz_keys[] = {
	{"scope", VAL_ID, 0, 0, NULL},
	{NULL, 0, 0, 0, NULL},
};

static const struct key_spec *const action_keys[] = {
	[TRY_LAB] = lab_keys,
	[TRY_FUNNEL] = funnel_keys,
	[TRY_DRILL] = drill_keys,
	[TRY_QUIZ] = quiz_keys,
};
static const char *const action_names[] = {
	[TRY_LAB] = "lab", [TRY_FUNNEL] = "funnel", [TRY_DRILL] = "drill", [TRY_QUIZ] = "quiz"};
#define ACTION_COUNT (sizeof action_names / sizeof action_names[0])

const char *try_action_name(enum try_action a)
{
	return (size_t)a < ACTION_COUNT ? action_names[a] : "?";
}

static const struct key_spec *find_key(const struct key_spec *specs, const char *key)
{
	for (size_t i = 0; specs[i].key; i++)
		if (!strcmp(specs[i].key, key))
			return &specs[i];
	return NULL;
}

static bool one_of(const char *words, const char *value)
{
	size_t n = strlen(value);
	for (const char *w = words; *w;) {
		const char *end = strchr(w, ' ');
		size_t len = end ? (size_t)(end - w) : strlen(w);
		if (len == n && !strncmp(w, value, n))
			return true;
		if (!end)
			break;
		w = end + 1;
	}
	return false;
}

/* Whether value suits spec; the reason in err when not. */
static bool value_ok(const struct key_spec *spec, const char *value, char *err, size_t errlen)
{
	double v;
	switch (spec->kind) {
	case VAL_TEXT:
		return true;
	case VAL_PATH:
		if (value[0] == '/' || strstr(value, "..")) {
			format_error(err, errlen, "'%s' must be a path inside the content folder "
						  "(relative, without '..')",
				     value);
			return false;
		}
		return true;
	case VAL_WHOLE:
		if (!str_to_double(value, &v) || v != floor(v) || v < spec->min || v > spec->max ||
		    strchr(value, '.') || strchr(value, 'e') || strchr(value, 'E')) {
			format_error(err, errlen, "%s is a whole number from %.0f to %.0f, not '%s'",
				     spec->key, spec->min, spec->max, value);
			return false;
		}
		return true;
	case VAL_REAL:
		if (!str_to_double(value, &v) || v < spec->min || v > spec->max) {
			format_error(err, errlen, "%s is a number from %g to %g, not '%s'", spec->key,
				     spec->min, spec->max, value);
			return false;
		}
		return true;
	case VAL_WORDS:
		if (!one_of(spec->words, value)) {
			format_error(err, errlen, "%s is one of: %s; not '%s'", spec->key, spec->words,
				     value);
			return false;
		}
		return true;
	case VAL_MODEL: {
		enum model_kind k;
		if (linear_kind_parse(value, &k) != 0) {
			format_error(err, errlen, "model is logreg or nb, not '%s'", value);
			return false;
		}
		return true;
	}
	case VAL_FEATURES: {
		enum feature_kind k;
		if (feature_kind_parse(value, &k) != 0) {
			format_error(err, errlen, "features is tfidf or count, not '%s'", value);
			return false;
		}
		return true;
	}
	case VAL_STEPS: {
		struct funnel_steps steps;
		char why[256];
		if (funnel_steps_parse(value, &steps, why, sizeof why) != 0) {
			format_error(err, errlen, "steps '%s': %s", value, why);
			return false;
		}
		funnel_steps_free(&steps);
		return true;
	}
	case VAL_WINDOW: {
		int64_t ms;
		if (!funnel_parse_window(value, &ms)) {
			format_error(err, errlen, "window is a duration such as 30m, 2h, 7d, not '%s'",
				     value);
			return false;
		}
		return true;
	}
	case VAL_ORDER: {
		enum funnel_order o;
		if (funnel_order_parse(value, &o) != 0) {
			format_error(err, errlen, "order is ordered, strict or any, not '%s'", value);
			return false;
		}
		return true;
	}
	case VAL_TIME: {
		int64_t ms;
		if (funnel_parse_bound(value, false, &ms) != 0) {
			format_error(err, errlen, "%s is a date (2026-07-10) or a time, not '%s'",
				     spec->key, value);
			return false;
		}
		return true;
	}
	case VAL_WHERE: {
		const char *eq = strchr(value, '=');
		if (!eq || eq == value || !eq[1]) {
			format_error(err, errlen, "where is column=value, not '%s'", value);
			return false;
		}
		return true;
	}
	case VAL_TYPE:
		if (drill_type_index(value) < 0) {
			struct strbuf sb;
			sb_init(&sb);
			for (int i = 0; drill_types[i]; i++)
				sb_printf(&sb, "%s%s", i ? ", " : "", drill_types[i]);
			format_error(err, errlen, "type is one of %s; not '%s'", sb.data, value);
			sb_free(&sb);
			return false;
		}
		return true;
	case VAL_ID:
		for (const char *c = value; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
			      *c == '_')) {
				format_error(err, errlen, "%s '%s' is not an id (lower case, digits, '-')",
					     spec->key, value);
				return false;
			}
		return true;
	}
	return false;
}

static void free_pairs(struct try_pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].key);
		free(pairs[i].value);
	}
	free(pairs);
}

void try_block_free(struct try_block *t)
{
	free_pairs(t->pairs, t->count);
	memset(t, 0, sizeof *t);
}

const char *try_get(const struct try_block *t, const char *key)
{
	for (size_t i = 0; i < t->count; i++)
		if (!strcmp(t->pairs[i].key, key))
			return t->pairs[i].value;
	return NULL;
}

int try_line(const struct try_block *t, const char *key)
{
	for (size_t i = 0; i < t->count; i++)
		if (!strcmp(t->pairs[i].key, key))
			return t->pairs[i].line;
	return 0;
}

/* Splits the text into key: value pairs; -1 with err and *line on a line
 * that is not one. */
static int read_pairs(const char *text, size_t len, struct try_pair **out, size_t *count,
		      char *err, size_t errlen, int *line)
{
	size_t cap = 0;
	*out = NULL;
	*count = 0;
	int n = 0;
	for (size_t pos = 0; pos < len;) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - start) : len - pos;
		pos += l + (nl ? 1 : 0);
		n++;
		char *row = str_trim(xstrndup(start, l));
		if (!*row) {
			free(row);
			continue;
		}
		char *colon = strchr(row, ':');
		size_t klen = colon ? (size_t)(colon - row) : 0;
		bool key_ok = klen > 0;
		for (size_t i = 0; i < klen; i++)
			key_ok &= (row[i] >= 'a' && row[i] <= 'z') || row[i] == '_';
		if (!key_ok) {
			format_error(err, errlen, "a Try-it line is 'key: value', not '%s'", row);
			*line = n;
			free(row);
			free_pairs(*out, *count);
			*out = NULL;
			*count = 0;
			return -1;
		}
		struct try_pair p = {xstrndup(row, klen), str_trim(xstrdup(colon + 1)), n};
		free(row);
		ARRAY_PUSH(*out, *count, cap, p);
	}
	return 0;
}

int try_parse(const char *text, size_t len, struct try_block *out, char *err, size_t errlen,
	      int *line)
{
	memset(out, 0, sizeof *out);
	*line = 0;
	struct try_pair *pairs;
	size_t n;
	if (read_pairs(text, len, &pairs, &n, err, errlen, line) != 0)
		return -1;
	struct try_block t = {.pairs = pairs, .count = n};
	const char *action = try_get(&t, "action");
	int rc = -1;
	if (!action) {
		format_error(err, errlen, "a Try-it block needs 'action: lab|funnel|drill|quiz'");
		goto done;
	}
	size_t a = 0;
	while (a < ACTION_COUNT && strcmp(action_names[a], action))
		a++;
	if (a == ACTION_COUNT) {
		format_error(err, errlen, "action is lab, funnel, drill or quiz, not '%s'", action);
		*line = try_line(&t, "action");
		goto done;
	}
	t.action = (enum try_action)a;
	for (size_t i = 0; i < n; i++) {
		const struct key_spec *spec = find_key(common_keys, pairs[i].key);
		if (!spec)
			spec = find_key(action_keys[a], pairs[i].key);
		*line = pairs[i].line;
		if (!spec) {
			struct strbuf known;
			sb_init(&known);
			for (const struct key_spec *k = action_keys[a]; k->key; k++)
				sb_printf(&known, "%s%s", known.len ? ", " : "", k->key);
			format_error(err, errlen, "'%s' is not a key of a %s block (its keys: %s)",
				     pairs[i].key, action, known.data);
			sb_free(&known);
			goto done;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(pairs[j].key, pairs[i].key)) {
				format_error(err, errlen, "'%s' is given twice", pairs[i].key);
				goto done;
			}
		if (!*pairs[i].value) {
			format_error(err, errlen, "'%s' has no value", pairs[i].key);
			goto done;
		}
		if (!value_ok(spec, pairs[i].value, err, errlen))
			goto done;
	}
	*line = 0;
	t.label = try_get(&t, "label");
	if (!t.label) {
		format_error(err, errlen, "a Try-it block needs a 'label' (what the learner will do)");
		goto done;
	}
	const char *missing = NULL;
	if ((t.action == TRY_LAB || t.action == TRY_FUNNEL) && !try_get(&t, "data"))
		missing = "data";
	else if (t.action == TRY_QUIZ && !try_get(&t, "scope"))
		missing = "scope";
	if (missing) {
		format_error(err, errlen, "a %s block needs '%s'", action, missing);
		goto done;
	}
	if (t.action == TRY_DRILL && !try_get(&t, "type") == !try_get(&t, "question")) {
		format_error(err, errlen, "a drill block has either 'type' or 'question'");
		goto done;
	}
	if (t.action == TRY_LAB) {
		double test = try_get(&t, "test_split") ? atof(try_get(&t, "test_split")) : 0.2;
		double val = try_get(&t, "val_split") ? atof(try_get(&t, "val_split")) : 0.1;
		if (test + val >= 1) {
			format_error(err, errlen, "test_split + val_split must leave rows to train on");
			*line = try_line(&t, try_get(&t, "val_split") ? "val_split" : "test_split");
			goto done;
		}
	}
	rc = 0;
done:
	if (rc == 0)
		*out = t;
	else
		free_pairs(pairs, n);
	return rc;
}

char *try_data_path(const struct try_block *t, const char *content_dir)
{
	const char *data = try_get(t, "data");
	return data ? xasprintf("%s/%s", content_dir, data) : NULL;
}

/* A word for a POSIX shell: as is when it is made of safe characters,
 * else in single quotes. */
static void shell_word(struct strbuf *sb, const char *s)
{
	bool plain = *s != '\0';
	for (const char *c = s; *c && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			       "_-./,:=@%+",
			       *c) != NULL;
	if (plain) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '\'')
			sb_puts(sb, "'\\''");
		else
			sb_putc(sb, *c);
	}
	sb_putc(sb, '\'');
}

/* " --option value" for each key of the block that the command takes. */
static void options(struct strbuf *sb, const struct try_block *t, const char *const *map)
{
	for (size_t i = 0; map[i]; i += 2) {
		const char *v = try_get(t, map[i]);
		if (!v)
			continue;
		sb_printf(sb, " %s ", map[i + 1]);
		shell_word(sb, v);
	}
}

char *try_command_line(const struct try_block *t, const char *content_dir,
		       const char *question_type)
{
	static const char *const train_options[] = {
	    "model", "--model", "features", "--features", "ngrams", "--ngrams",
	    "test_split", "--test-split", "val_split", "--val-split", "seed", "--seed",
	    "threshold", "--threshold", "epochs", "--epochs", "batch", "--batch", NULL};
	static const char *const funnel_options[] = {
	    "steps", "--steps", "window", "--window", "order", "--order", "from", "--from",
	    "to", "--to", "by", "--by", "where", "--where", "trend", "--trend", NULL};
	struct strbuf sb;
	sb_init(&sb);
	char *path = try_data_path(t, content_dir);
	switch (t->action) {
	case TRY_LAB: {
		sb_puts(&sb, "aipm train ");
		shell_word(&sb, path);
		const char *balanced = try_get(t, "balanced");
		/* Without it, train takes the lab's default subset, as the lab. */
		if (balanced)
			sb_printf(&sb, " --balanced %s", balanced);
		options(&sb, t, train_options);
		break;
	}
	case TRY_FUNNEL:
		sb_puts(&sb, "aipm funnel ");
		shell_word(&sb, path);
		options(&sb, t, funnel_options);
		break;
	case TRY_DRILL: {
		const char *type = try_get(t, "type"), *question = try_get(t, "question");
		if (type)
			sb_printf(&sb, "aipm drill list --type %s", type);
		else if (question_type && strcmp(question_type, DRILL_ESTIMATION))
			sb_printf(&sb, "aipm drill list --type %s", question_type);
		else
			sb_printf(&sb, "aipm drill score %s --point X --low L --high H", question);
		break;
	}
	case TRY_QUIZ:
		sb_printf(&sb, "aipm quiz %s", try_get(t, "scope"));
		break;
	}
	free(path);
	return sb_steal(&sb);
}
