/* The styled text view and its word wrapper. */
#include "textview.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { TAB_WIDTH = 4 };

void ui_doc_para(struct ui_doc *doc, int indent, int hang)
{
	struct ui_para para = {.text = xstrdup(""), .indent = indent, .hang = hang};
	ARRAY_PUSH(doc->paras, doc->count, doc->cap, para);
}

void ui_doc_add(struct ui_doc *doc, const char *text, size_t n, attr_t attr)
{
	if (doc->count == 0)
		ui_doc_para(doc, 0, 0);
	struct ui_para *para = &doc->paras[doc->count - 1];
	struct strbuf sb = {para->text, para->len, para->len + 1};
	size_t start = sb.len;
	/* Tabs would make the width depend on the column; spaces do not. */
	for (size_t i = 0; i < n && text[i]; i++) {
		if (text[i] == '\t')
			sb_add(&sb, "    ", TAB_WIDTH);
		else
			sb_putc(&sb, text[i]);
	}
	para->text = sb.data;
	para->len = sb.len;
	if (para->len == start)
		return;
	struct ui_span *last = para->span_count ? &para->spans[para->span_count - 1] : NULL;
	if (last && last->attr == attr && last->end == start) {
		last->end = para->len;
		return;
	}
	struct ui_span span = {start, para->len, attr};
	ARRAY_PUSH(para->spans, para->span_count, para->span_cap, span);
}

void ui_doc_columns(struct ui_doc *doc, int indent, int left_width, int width,
		    const struct ui_cell *left, const struct ui_cell *right)
{
	int right_width = width - indent - left_width - UI_COLUMN_GAP;
	if (right_width < 1)
		right_width = 1;
	size_t left_len = strlen(left->text), right_len = strlen(right->text);
	size_t lpos = 0, rpos = 0;
	do {
		/* ui_wrap_line's next is relative to where it started. */
		size_t lnext = 0, rnext = 0, ln = 0, rn = 0;
		if (lpos < left_len)
			ln = ui_wrap_line(left->text + lpos, left_len - lpos, left_width, &lnext);
		if (rpos < right_len)
			rn = ui_wrap_line(right->text + rpos, right_len - rpos, right_width, &rnext);
		ui_doc_para(doc, 0, 0);
		char pad[256];
		int used = ui_width_n(left->text + lpos, ln);
		int spaces = indent;
		if (spaces > (int)sizeof pad - 1)
			spaces = (int)sizeof pad - 1;
		memset(pad, ' ', (size_t)spaces);
		ui_doc_add(doc, pad, (size_t)spaces, left->attr);
		ui_doc_add(doc, left->text + lpos, ln, left->attr);
		if (rn) {
			spaces = left_width - used + UI_COLUMN_GAP;
			if (spaces > (int)sizeof pad - 1)
				spaces = (int)sizeof pad - 1;
			memset(pad, ' ', (size_t)(spaces > 0 ? spaces : 0));
			ui_doc_add(doc, pad, (size_t)(spaces > 0 ? spaces : 0), left->attr);
			ui_doc_add(doc, right->text + rpos, rn, right->attr);
		}
		lpos = lpos < left_len ? (lnext ? lpos + lnext : left_len) : lpos;
		rpos = rpos < right_len ? (rnext ? rpos + rnext : right_len) : rpos;
	} while (lpos < left_len || rpos < right_len);
}

void ui_doc_free(struct ui_doc *doc)
{
	for (size_t i = 0; i < doc->count; i++) {
		free(doc->paras[i].text);
		free(doc->paras[i].spans);
	}
	free(doc->paras);
	memset(doc, 0, sizeof *doc);
}

void ui_doc_wrap(const struct ui_doc *doc, int width, struct text_line **lines, size_t *count,
		 size_t *cap)
{
	*count = 0;
	for (size_t p = 0; p < doc->count; p++)
		text_wrap_para(doc->paras[p].text, doc->paras[p].len, doc->paras[p].indent,
			       doc->paras[p].hang, width, p, lines, count, cap);
}

size_t ui_doc_line_of(const struct text_line *lines, size_t count, size_t para, size_t offset)
{
	size_t lo = 0, hi = count;
	/* The last line that starts at or before (para, offset). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (lines[mid].para < para || (lines[mid].para == para && lines[mid].start <= offset))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void ui_textview_init(struct ui_textview *tv)
{
	memset(tv, 0, sizeof *tv);
	tv->rows = 1;
	tv->current_mark = SIZE_MAX;
}

void ui_textview_free(struct ui_textview *tv)
{
	ui_doc_free(&tv->doc);
	free(tv->marks);
	free(tv->lines);
	memset(tv, 0, sizeof *tv);
}

static void anchor_top(struct ui_textview *tv)
{
	if (tv->anchored || tv->top >= tv->line_count)
		return;
	tv->anchored = true;
	tv->anchor_para = tv->lines[tv->top].para;
	tv->anchor_offset = tv->lines[tv->top].start;
}

void ui_textview_changed(struct ui_textview *tv)
{
	anchor_top(tv);
	tv->wrap_width = 0;
}

void ui_textview_reset(struct ui_textview *tv)
{
	ui_doc_free(&tv->doc);
	tv->mark_count = tv->line_count = 0;
	tv->current_mark = SIZE_MAX;
	tv->top = 0;
	tv->wrap_width = 0;
	tv->anchored = tv->pending_show = tv->pending_top = false;
}

void ui_textview_clear_marks(struct ui_textview *tv)
{
	tv->mark_count = 0;
	tv->current_mark = SIZE_MAX;
}

void ui_textview_mark_current(struct ui_textview *tv, size_t mark)
{
	tv->current_mark = mark;
}

int ui_textview_where(const struct ui_textview *tv, size_t para, size_t offset)
{
	if (!tv->line_count)
		return 0;
	size_t line = ui_doc_line_of(tv->lines, tv->line_count, para, offset);
	return line < tv->top ? -1 : line >= tv->top + (size_t)tv->rows ? 1 : 0;
}

void ui_textview_mark(struct ui_textview *tv, size_t para, size_t start, size_t end)
{
	struct ui_mark mark = {para, start, end};
	ARRAY_PUSH(tv->marks, tv->mark_count, tv->mark_cap, mark);
}

void ui_textview_show(struct ui_textview *tv, size_t para, size_t offset)
{
	tv->pending_show = true;
	tv->show_para = para;
	tv->show_offset = offset;
}

size_t ui_textview_top_para(const struct ui_textview *tv)
{
	return tv->top < tv->line_count ? tv->lines[tv->top].para : 0;
}

size_t ui_textview_top_line(const struct ui_textview *tv)
{
	if (tv->top >= tv->line_count)
		return 0;
	size_t first = ui_doc_line_of(tv->lines, tv->line_count, tv->lines[tv->top].para, 0);
	return tv->top - first;
}

void ui_textview_set_top(struct ui_textview *tv, size_t para, size_t line)
{
	tv->pending_top = true;
	tv->top_para = para;
	tv->top_line = line;
}

bool ui_textview_at_end(const struct ui_textview *tv)
{
	return tv->top + (size_t)tv->rows >= tv->line_count;
}

int ui_textview_text_width(int width)
{
	/* The last column is the scroll indicator's, always (with a gap
	 * before it), so that the wrapping does not change when it appears. */
	return width > 3 ? width - 2 : 1;
}

int ui_textview_percent(const struct ui_textview *tv)
{
	size_t rows = (size_t)tv->rows;
	if (tv->line_count <= rows)
		return 100;
	return (int)((tv->top + rows) * 100 / tv->line_count);
}

static size_t max_top(const struct ui_textview *tv)
{
	size_t rows = (size_t)tv->rows;
	return tv->line_count > rows ? tv->line_count - rows : 0;
}

/* Draws one wrapped line span by span, with the marks over the spans. */
static void draw_line(const struct ui_textview *tv, WINDOW *w, int y, int x, int width,
		      const struct text_line *line)
{
	const struct ui_para *para = &tv->doc.paras[line->para];
	int col = x + line->x, limit = x + width;
	size_t span = 0;
	for (size_t pos = line->start; pos < line->end;) {
		size_t end = line->end;
		attr_t attr = A_NORMAL;
		while (span < para->span_count && para->spans[span].end <= pos)
			span++;
		if (span < para->span_count) {
			attr = para->spans[span].attr;
			end = para->spans[span].end < end ? para->spans[span].end : end;
		}
		for (size_t m = 0; m < tv->mark_count; m++) {
			const struct ui_mark *mark = &tv->marks[m];
			if (mark->para != line->para || mark->end <= pos)
				continue;
			if (mark->start <= pos) {
				attr = ui_attr_merge(attr, ui_attr(m == tv->current_mark ? UI_MATCH_CURRENT
											 : UI_MATCH));
				end = mark->end < end ? mark->end : end;
			} else if (mark->start < end) {
				end = mark->start;
			}
		}
		col += ui_putn(w, y, col, limit - col, para->text + pos, end - pos, attr);
		pos = end;
	}
}

void ui_textview_draw(struct ui_textview *tv, WINDOW *w, int y, int x, int height, int width)
{
	tv->rows = height > 0 ? height : 1;
	int text_width = ui_textview_text_width(width);
	if (tv->wrap_width != text_width) {
		anchor_top(tv);
		ui_doc_wrap(&tv->doc, text_width, &tv->lines, &tv->line_count, &tv->line_cap);
		tv->wrap_width = text_width;
		if (tv->anchored)
			tv->top = ui_doc_line_of(tv->lines, tv->line_count, tv->anchor_para,
						 tv->anchor_offset);
		tv->anchored = false;
	}
	if (tv->pending_top && tv->line_count) {
		size_t para = tv->top_para < tv->doc.count ? tv->top_para : tv->doc.count - 1;
		size_t first = ui_doc_line_of(tv->lines, tv->line_count, para, 0);
		size_t line = first + tv->top_line;
		/* A paragraph that wraps to fewer lines now keeps its last. */
		while (line > first && (line >= tv->line_count || tv->lines[line].para != para))
			line--;
		tv->top = line;
		tv->pending_top = false;
	}
	if (tv->pending_show && tv->line_count) {
		size_t line = ui_doc_line_of(tv->lines, tv->line_count, tv->show_para, tv->show_offset);
		if (line < tv->top || line >= tv->top + (size_t)tv->rows)
			tv->top = line > 0 ? line - 1 : 0;
		tv->pending_show = false;
	}
	if (tv->top > max_top(tv))
		tv->top = max_top(tv);
	for (int row = 0; row < height; row++) {
		ui_fill(w, y + row, x, width, A_NORMAL);
		size_t line = tv->top + (size_t)row;
		if (line < tv->line_count)
			draw_line(tv, w, y + row, x, text_width, &tv->lines[line]);
	}
	ui_scrollbar(w, y, x + width - 1, height, tv->top, (size_t)tv->rows, tv->line_count);
}

bool ui_textview_key(struct ui_textview *tv, int key)
{
	return ui_nav_key(key, max_top(tv) + 1, tv->rows, true, &tv->top);
}
