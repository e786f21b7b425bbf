/* PCRE2 patterns from content (quiz answers, rubric hints, glossary
 * terms), compiled with a match limit so that a bad pattern can never hang
 * the app. */
#ifndef AIPM_ANSWER_H
#define AIPM_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

struct pattern;

/* Case-insensitive, UTF-8, Unicode properties. NULL on error with the
 * message and the offset of the offending character in err. */
struct pattern *pattern_compile(const char *regex, char *err, size_t errlen);
void pattern_free(struct pattern *p);
/* True when the pattern matches anywhere in text (a match-limit hit counts
 * as no match). */
bool pattern_search(const struct pattern *p, const char *text);
/* First match at or after offset; returns false when none. */
bool pattern_find(const struct pattern *p, const char *text, size_t len, size_t offset,
		  size_t *start, size_t *end);
/* The same, and which capturing group took part first (1-based; 0 when
 * none did): with one group per alternative, which alternative matched. */
bool pattern_find_group(const struct pattern *p, const char *text, size_t len, size_t offset,
			size_t *start, size_t *end, unsigned *group);

/* A learner's short answer against a question's pattern: case-insensitive,
 * surrounding white space ignored. */
bool answer_matches(const char *regex, const char *answer);

#endif
