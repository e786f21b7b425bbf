#define PCRE2_CODE_UNIT_WIDTH 8
#include "answer.h"

#include "util.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

/* Generous for human-sized text, small enough that a pathological pattern
 * fails fast instead of freezing the screen. */
#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 10000

struct pattern {
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
};

struct pattern *pattern_compile(const char *regex, char *err, size_t errlen)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
					 PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP |
					     PCRE2_MATCH_INVALID_UTF,
					 &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		if (err)
			snprintf(err, errlen, "%s at character %zu", (const char *)msg,
				 (size_t)erroff + 1);
		return NULL;
	}
	/* Compiled to machine code where PCRE2 can (the glossary's pattern
	 * has hundreds of alternatives); the interpreter is the fallback. The
	 * match limit holds for both. */
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	struct pattern *p = xcalloc(1, sizeof *p);
	p->code = code;
	p->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(p->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, DEPTH_LIMIT);
	p->md = pcre2_match_data_create_from_pattern(code, NULL);
	return p;
}

void pattern_free(struct pattern *p)
{
	if (!p)
		return;
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->code);
	free(p);
}

bool pattern_find_group(const struct pattern *p, const char *text, size_t len, size_t offset,
			size_t *start, size_t *end, unsigned *group)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, offset, 0, p->md, p->mctx);
	if (rc <= 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	*start = ov[0];
	*end = ov[1];
	*group = 0;
	/* rc is one more than the highest group that matched. */
	for (int g = 1; g < rc; g++) {
		if (ov[2 * g] != PCRE2_UNSET) {
			*group = (unsigned)g;
			break;
		}
	}
	return true;
}

bool pattern_find(const struct pattern *p, const char *text, size_t len, size_t offset,
		  size_t *start, size_t *end)
{
	unsigned group;
	return pattern_find_group(p, text, len, offset, start, end, &group);
}

bool pattern_search(const struct pattern *p, const char *text)
{
	size_t s, e;
	return pattern_find(p, text, strlen(text), 0, &s, &e);
}

bool answer_matches(const char *regex, const char *answer)
{
	struct pattern *p = pattern_compile(regex, NULL, 0);
	if (!p)
		return false;
	char *trimmed = str_trim(xstrdup(answer));
	bool ok = *trimmed && pattern_search(p, trimmed);
	free(trimmed);
	pattern_free(p);
	return ok;
}
