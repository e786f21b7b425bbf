/* The course glossary from the store, and the spotting of its terms (and
 * their aliases) in rendered lessons: one PCRE2 pattern, case-insensitive,
 * whole words only, the longest spelling first ("F1 score" before "F1"). */
#ifndef AIPM_GLOSSARY_H
#define AIPM_GLOSSARY_H

#include "markdown.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

struct glossary_entry {
	char *term, *aliases, *definition, *source;
	char **lessons; /* ids of the lessons that use the term */
	size_t lesson_count;
	/* Used in at least half of the lessons (found at import): linked at
	 * its first use in each section only. */
	bool common;
};

struct glossary {
	struct glossary_entry *entries; /* by term, case-insensitively */
	size_t count;
	struct pattern *terms; /* NULL when there are no terms */
	size_t *group_entry;   /* capture group - 1 -> entry */
	size_t group_count;
};

enum store_error glossary_load(struct store *st, struct glossary *out);
void glossary_free(struct glossary *g);

/* Builds the pattern from the entries (glossary_load calls it). Returns 0,
 * or -1 with PCRE2's message in err. */
int glossary_compile(struct glossary *g, char *err, size_t errlen);

/* One term found in a document. */
struct term_hit {
	size_t para, start, end;
	size_t entry;
};
/* Styles every term in doc's running text, tables, lists and quotes with
 * MD_STYLE_TERM (not in code, headings, citations or link targets) and
 * appends where each is to *hits, in document order. A common term is
 * styled at its first such use in each section only (a section runs
 * from a level 1 or 2 heading to the next). Returns the number of
 * paragraphs where the terms' pattern hit PCRE2's limits and marking
 * stopped (a problem of the glossary's content). */
size_t glossary_mark(const struct glossary *g, struct md_doc *doc, struct term_hit **hits,
		     size_t *count, size_t *cap);

/* Which entries doc uses: used[i] is set when entry i (or an alias)
 * occurs in its headings, running text, tables, lists or quotes, outside
 * code, citations and link targets. Returns the number of paragraphs
 * where the terms' pattern hit PCRE2's limits (their use unknown). */
size_t glossary_usage(const struct glossary *g, const struct md_doc *doc, bool *used);

/* Whether filter occurs (case-insensitively) in the term, an alias or the
 * definition. */
bool glossary_entry_matches(const struct glossary_entry *e, const char *filter);

#endif
