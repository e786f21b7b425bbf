/* Lessons from Markdown (md4c) to a document of paragraphs made of styled
 * spans, with no curses: the reader maps the styles to terminal attributes,
 * `aipm lessons show` prints the text. No Markdown marker survives: emphasis
 * becomes a style, list markers become bullets, tables become aligned
 * columns, links keep their text and are listed at the end.
 *
 * A fenced code block with the info string "try" whose lines read as a
 * Try-it block (tryit.h) becomes one MD_PARA_TRY paragraph, "Try it:" and
 * its label; one that does not read stays a code block.
 *
 * Every paragraph is wrapped by text_wrap_para at display time. Tables,
 * rules and heading underlines are laid out for the width given to
 * md_render; each table row is one paragraph whatever the width (its wrapped
 * cells joined by hard line breaks), so paragraph indexes are the same at
 * every width and a reading position survives a resize. */
#ifndef AIPM_MARKDOWN_H
#define AIPM_MARKDOWN_H

#include "pattern.h"
#include "tryit.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Semantic styles, OR-ed together on a span. */
enum md_style {
	MD_STYLE_EMPH = 1u << 0,
	MD_STYLE_STRONG = 1u << 1,
	MD_STYLE_STRIKE = 1u << 2,
	MD_STYLE_CODE = 1u << 3,       /* inline code and code blocks */
	MD_STYLE_LINK = 1u << 4,       /* the text of a link or an image */
	MD_STYLE_LINK_REF = 1u << 5,   /* "[n]" after a link: its target is listed at the end */
	MD_STYLE_HEADING = 1u << 6,    /* the level is the paragraph's */
	MD_STYLE_QUOTE = 1u << 7,      /* block quotes, with their bar */
	MD_STYLE_BULLET = 1u << 8,     /* list bullets and numbers */
	MD_STYLE_TABLE_HEAD = 1u << 9, /* header cells */
	MD_STYLE_RULE = 1u << 10,      /* rules, heading underlines, table borders */
	MD_STYLE_CITATION = 1u << 11,  /* a paragraph starting with Source: or Sources: */
	MD_STYLE_TERM = 1u << 12,      /* a glossary term (set by glossary_mark) */
	MD_STYLE_TRY = 1u << 13,       /* a Try-it action */
	MD_STYLE_NOTE = 1u << 14,      /* a learner's note under its paragraph (the reader adds it) */
};

enum md_para_kind {
	MD_PARA_TEXT,
	MD_PARA_BLANK,
	MD_PARA_HEADING,
	MD_PARA_UNDERLINE, /* the rule under a level 1 or 2 heading */
	MD_PARA_ITEM,      /* a list item's first paragraph, with its bullet */
	MD_PARA_QUOTE,
	MD_PARA_CODE,
	MD_PARA_TABLE_ROW,
	MD_PARA_TABLE_RULE,
	MD_PARA_RULE,
	MD_PARA_CITATION,
	MD_PARA_LINK, /* an entry of the list of link targets */
	MD_PARA_NOTE, /* added by the caller (md_doc_append) */
	MD_PARA_TRY,  /* a Try-it block: "Try it: <label>" (see tries) */
};

struct md_span {
	size_t start, end; /* bytes of the paragraph text */
	unsigned style;
};

struct md_para {
	char *text; /* UTF-8, no tabs; '\n' is a hard line break */
	size_t len;
	struct md_span *spans; /* in order, covering the text */
	size_t span_count, span_cap;
	int indent, hang; /* columns of the first and of the other lines */
	enum md_para_kind kind;
	int level; /* heading level 1-6 */
};

/* A heading and the paragraph it is. */
struct md_section {
	char *title;
	size_t para;
	int level;
};

/* Where a link's text is: bytes [start, end) of paragraph para; link is
 * its index in links. */
struct md_link_span {
	size_t para, start, end, link;
};

/* A Try-it block (a fenced code block with the info string "try") and
 * the paragraph that shows it. */
struct md_try {
	size_t para;
	struct try_block block;
};

struct md_doc {
	struct md_para *paras;
	size_t count, cap;
	struct md_section *sections;
	size_t section_count, section_cap;
	char **links; /* targets, numbered from 1 in the text */
	size_t link_count, link_cap;
	struct md_link_span *link_spans; /* in document order */
	size_t link_span_count, link_span_cap;
	struct md_try *tries; /* in document order */
	size_t try_count, try_cap;
};

/* Renders Markdown (CommonMark with GitHub tables, strikethrough and task
 * lists; raw HTML is dropped) for a view width columns wide. Returns 0, or
 * -1 when md4c gives up (the document then holds what was rendered). */
int md_render(const char *markdown, size_t len, int width, struct md_doc *out);
void md_doc_free(struct md_doc *doc);

/* Appends a paragraph of one style (a learner's note, a blank line). */
void md_doc_append(struct md_doc *doc, enum md_para_kind kind, const char *text, unsigned style,
		   int indent, int hang);
/* Shows link i (0-based) in the list of link targets at the end as text
 * instead of its target (a lesson's title for "lesson:<id>"). */
void md_doc_relabel_link(struct md_doc *doc, size_t i, const char *text);
/* Adds a line of one style at the end of a paragraph (after a hard line
 * break), so that no paragraph index moves. */
void md_para_add_line(struct md_para *para, const char *text, unsigned style);
/* Markdown that renders as text exactly: ASCII punctuation escaped. */
void md_escape(struct strbuf *sb, const char *text);

/* Adds style to bytes [start, end) of a paragraph, splitting spans. */
void md_para_add_style(struct md_para *para, size_t start, size_t end, unsigned style);

/* A heading's anchor as links name it (`lesson:<id>#<slug>`): lower
 * case, every run of characters other than a-z and 0-9 one '-', none at
 * either end. Malloc'd. */
char *md_heading_slug(const char *text);

/* The section paragraph para falls in: an index into sections, or -1
 * before the first heading. */
long md_doc_section_of(const struct md_doc *doc, size_t para);

/* One match of a search: bytes [start, end) of paragraph para. */
struct md_hit {
	size_t para, start, end;
};
/* Every non-empty match of p in the paragraphs, in order, at most max
 * (appended to *hits). Returns how many were found, which is more than were
 * kept when max cut the list. *too_complex says the search stopped where
 * the pattern hit PCRE2's limits (the hits before it are kept). */
size_t md_doc_search(const struct md_doc *doc, const struct pattern *p, size_t max,
		     struct md_hit **hits, size_t *count, size_t *cap, bool *too_complex);

/* Prints the document as plain text wrapped to width columns, with no
 * trailing spaces. */
void md_doc_print(const struct md_doc *doc, int width, FILE *out);

#endif
