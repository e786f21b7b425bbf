/* A word-wrapped, scrollable view over styled paragraphs (lessons, answers,
 * help). A document is a list of paragraphs; each is plain UTF-8 text made
 * of styled spans, with an indent for its first line and a hanging indent
 * for the others (list items: "• " then the text lined up after it).
 * Wrapping is a pure function of the document and the width, so it can be
 * tested without a terminal; the view keeps each wrapped line's paragraph
 * and offset to stay on the same paragraph across a resize. */
#ifndef AIPM_UI_TEXTVIEW_H
#define AIPM_UI_TEXTVIEW_H

#include "textwrap.h"
#include "ui.h"

struct ui_span {
	size_t start, end; /* bytes of the paragraph text */
	attr_t attr;
};

struct ui_para {
	char *text; /* '\n' is a hard line break; tabs become spaces */
	size_t len;
	struct ui_span *spans; /* in order, covering the text */
	size_t span_count, span_cap;
	int indent, hang;
};

struct ui_doc {
	struct ui_para *paras;
	size_t count, cap;
};

/* Starts a paragraph (an empty one is a blank line) ... */
void ui_doc_para(struct ui_doc *doc, int indent, int hang);
/* ... and appends text to it in a style. */
void ui_doc_add(struct ui_doc *doc, const char *text, size_t n, attr_t attr);
void ui_doc_free(struct ui_doc *doc);

/* Two texts side by side (a reference line beside the learner's, a
 * previous answer beside the new one): left wrapped to left_width columns
 * after indent, right to what is left of width after a gap, each wrapped
 * line its own paragraph so that the columns stay put at any view width
 * of at least width. */
#define UI_COLUMN_GAP 2
struct ui_cell {
	const char *text;
	attr_t attr;
};
void ui_doc_columns(struct ui_doc *doc, int indent, int left_width, int width,
		    const struct ui_cell *left, const struct ui_cell *right);

/* Wraps doc to width columns into *lines (reallocated; *count set), with
 * text_wrap_para. No line is wider than width unless a single character
 * is. */
void ui_doc_wrap(const struct ui_doc *doc, int width, struct text_line **lines, size_t *count,
		 size_t *cap);
/* The wrapped line showing byte offset of paragraph para. */
size_t ui_doc_line_of(const struct text_line *lines, size_t count, size_t para, size_t offset);

/* A highlighted byte range of a paragraph (a search match). */
struct ui_mark {
	size_t para, start, end;
};

struct ui_textview {
	struct ui_doc doc; /* owned: fill it, then ui_textview_changed */
	struct ui_mark *marks;
	size_t mark_count, mark_cap;
	size_t current_mark; /* drawn apart from the others; SIZE_MAX: none */
	struct text_line *lines;
	size_t line_count, line_cap;
	int wrap_width; /* width the lines are wrapped for; 0: not yet */
	size_t top;     /* first wrapped line shown */
	int rows;
	/* The place kept at the top when wrapping again (a resize, a new
	 * rendering of the same text). */
	bool anchored;
	size_t anchor_para, anchor_offset;
	/* A place to bring on screen at the next draw, once wrapped. */
	bool pending_show;
	size_t show_para, show_offset;
	/* A saved reading position to put at the top at the next draw: the
	 * nth wrapped line of a paragraph. */
	bool pending_top;
	size_t top_para, top_line;
};

void ui_textview_init(struct ui_textview *tv);
void ui_textview_free(struct ui_textview *tv);
/* Call after changing doc: wraps again at the next draw, keeping the same
 * paragraph index at the top (a new rendering of the same text). */
void ui_textview_changed(struct ui_textview *tv);
/* Empties the document and the marks and goes back to the top, for a new
 * text. */
void ui_textview_reset(struct ui_textview *tv);
void ui_textview_clear_marks(struct ui_textview *tv);
void ui_textview_mark(struct ui_textview *tv, size_t para, size_t start, size_t end);
/* The mark (in the order they were added) that stands out as the current
 * search match; SIZE_MAX for none. */
void ui_textview_mark_current(struct ui_textview *tv, size_t mark);
/* Where byte offset of paragraph para is against the view as last drawn:
 * negative above it, 0 on screen, positive below. */
int ui_textview_where(const struct ui_textview *tv, size_t para, size_t offset);
/* Scrolls so that byte offset of paragraph para is on screen (a line of
 * context above it when there is room). */
void ui_textview_show(struct ui_textview *tv, size_t para, size_t offset);
/* The paragraph at the top of the view. */
size_t ui_textview_top_para(const struct ui_textview *tv);
/* Which wrapped line of that paragraph is at the top, and putting it back
 * (applied at the next draw): a reading position restored exactly when the
 * width is the same. */
size_t ui_textview_top_line(const struct ui_textview *tv);
void ui_textview_set_top(struct ui_textview *tv, size_t para, size_t line);
/* Whether the last line of the text was on screen at the last draw. */
bool ui_textview_at_end(const struct ui_textview *tv);
/* The columns the text gets in a view width columns wide (the rest is the
 * scroll indicator), for callers that lay text out to fit. */
int ui_textview_text_width(int width);
/* How far through the text the bottom of the view is, 0..100. */
int ui_textview_percent(const struct ui_textview *tv);
void ui_textview_draw(struct ui_textview *tv, WINDOW *w, int y, int x, int height, int width);
/* j/k, arrows, the wheel, PgUp/PgDn, Space/b, g/G/Home/End. */
bool ui_textview_key(struct ui_textview *tv, int key);

#endif
