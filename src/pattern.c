#include "pattern.h"

#include "pattern_limits.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

struct pattern {
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
};

const char *pattern_rc_text(enum pattern_rc rc)
{
	switch (rc) {
	case PATTERN_INVALID:
		return "the pattern does not compile";
	case PATTERN_TOO_COMPLEX:
		return "pattern too complex: matching it hit PCRE2's limits (backtracking, depth "
		       "or memory)";
	case PATTERN_NO_MATCH:
		return "no match";
	case PATTERN_MATCH:
		return "a match";
	}
	return "?";
}

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
		format_error(err, errlen, "%s at character %zu", (const char *)msg,
			     (size_t)erroff + 1);
		return NULL;
	}
	/* Compiled to machine code where PCRE2 can (the glossary's pattern
	 * has hundreds of alternatives); the interpreter is the fallback. The
	 * limits hold for both. */
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	pcre2_match_context *mctx = pattern_limits_context();
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!mctx || !md) {
		format_error(err, errlen, "out of memory");
		pcre2_match_context_free(mctx);
		pcre2_match_data_free(md);
		pcre2_code_free(code);
		return NULL;
	}
	struct pattern *p = xcalloc(1, sizeof *p);
	p->code = code;
	p->mctx = mctx;
	p->md = md;
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

enum pattern_rc pattern_next_group(const struct pattern *p, const char *text, size_t len,
				   size_t offset, size_t *start, size_t *end, unsigned *group)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, offset, 0, p->md, p->mctx);
	if (pattern_gave_up(rc))
		return PATTERN_TOO_COMPLEX;
	if (rc <= 0)
		return PATTERN_NO_MATCH;
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
	return PATTERN_MATCH;
}

enum pattern_rc pattern_next(const struct pattern *p, const char *text, size_t len,
			     size_t offset, size_t *start, size_t *end)
{
	unsigned group;
	return pattern_next_group(p, text, len, offset, start, end, &group);
}

enum pattern_rc pattern_test(const struct pattern *p, const char *text)
{
	size_t s, e;
	return pattern_next(p, text, strlen(text), 0, &s, &e);
}

enum pattern_rc pattern_check_answer(const char *regex, const char *answer)
{
	struct pattern *p = pattern_compile(regex, NULL, 0);
	if (!p)
		return PATTERN_INVALID;
	char *trimmed = str_trim(xstrdup(answer));
	enum pattern_rc rc = *trimmed ? pattern_test(p, trimmed) : PATTERN_NO_MATCH;
	free(trimmed);
	pattern_free(p);
	return rc;
}
