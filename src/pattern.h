/* PCRE2 patterns from content (quiz answers, rubric hints, glossary
 * terms), from funnel steps and from searches, matched within the limits
 * of pattern_limits.h so that a bad pattern can never hang the app; a
 * pattern that hits them is reported, never taken for "no match". */
#ifndef AIPM_PATTERN_H
#define AIPM_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

struct pattern;

/* What a match gave: PATTERN_TOO_COMPLEX when PCRE2 gave up (a match,
 * depth or heap limit, or no memory), which the caller reports as the
 * pattern's fault; PATTERN_INVALID when the pattern does not compile
 * (answer_check only). */
enum pattern_rc {
	PATTERN_INVALID = -2,
	PATTERN_TOO_COMPLEX = -1,
	PATTERN_NO_MATCH = 0,
	PATTERN_MATCH = 1,
};
/* "too complex to match (it hit PCRE2's backtracking limit)" and the like,
 * for messages. */
const char *pattern_rc_text(enum pattern_rc rc);

/* Case-insensitive, UTF-8, Unicode properties. NULL on error with the
 * message and the offset of the offending character in err. */
struct pattern *pattern_compile(const char *regex, char *err, size_t errlen);
void pattern_free(struct pattern *p);
/* Whether the pattern matches anywhere in text. */
enum pattern_rc pattern_test(const struct pattern *p, const char *text);
/* The first match at or after offset into [*start, *end). */
enum pattern_rc pattern_next(const struct pattern *p, const char *text, size_t len,
			     size_t offset, size_t *start, size_t *end);
/* The same, and which capturing group took part first (1-based; 0 when
 * none did): with one group per alternative, which alternative matched. */
enum pattern_rc pattern_next_group(const struct pattern *p, const char *text, size_t len,
				   size_t offset, size_t *start, size_t *end, unsigned *group);

/* A learner's short answer against a question's pattern: case-insensitive,
 * surrounding white space ignored. PATTERN_INVALID or PATTERN_TOO_COMPLEX
 * is the question's problem, not the learner's. */
enum pattern_rc pattern_check_answer(const char *regex, const char *answer);

#endif
