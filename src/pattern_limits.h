/* The limits of every PCRE2 match aipm runs (README: "Patterns"), set
 * explicitly rather than left to the library's build defaults. A pattern
 * that hits one is an error its caller reports ("pattern too complex"),
 * never "no match". */
#ifndef AIPM_PATTERN_LIMITS_H
#define AIPM_PATTERN_LIMITS_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stdbool.h>

/* Backtracking steps per match attempt: a human-sized text needs a few
 * thousand; a pathological pattern ((a+)+b) on a few dozen characters
 * reaches this in milliseconds instead of running for minutes. */
#define PATTERN_MATCH_LIMIT 1000000
/* Nested backtracking points, which bound the interpreter's frames. */
#define PATTERN_DEPTH_LIMIT 10000
/* The interpreter's heap for those frames, in KiB (PCRE2's default). */
#define PATTERN_HEAP_LIMIT 20000

/* A match context with the three limits; NULL when out of memory (a
 * caller must not match without one: NULL means no limits to PCRE2). */
static inline pcre2_match_context *pattern_limits_context(void)
{
	pcre2_match_context *c = pcre2_match_context_create(NULL);
	if (c) {
		pcre2_set_match_limit(c, PATTERN_MATCH_LIMIT);
		pcre2_set_depth_limit(c, PATTERN_DEPTH_LIMIT);
		pcre2_set_heap_limit(c, PATTERN_HEAP_LIMIT);
	}
	return c;
}

/* Whether pcre2_match's result means it gave up: a limit hit (match,
 * depth or heap) or no memory for its frames; anything but a match or
 * PCRE2_ERROR_NOMATCH. */
static inline bool pattern_gave_up(int rc)
{
	return rc < 0 && rc != PCRE2_ERROR_NOMATCH;
}

#endif
