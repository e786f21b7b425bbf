#include "markdown.h"

#include "sanitize.h"
#include "textwrap.h"
#include "util.h"

#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64, TAB_WIDTH = 4, CODE_INDENT = 2, QUOTE_INDENT = 2 };
/* A column gives up width down to its longest word, but no word holds more
 * than this many columns against the others. */
enum { MAX_WORD_KEEP = 14 };

enum container_type { CONTAINER_QUOTE, CONTAINER_LIST, CONTAINER_ITEM };

struct container {
	enum container_type type;
	/* lists */
	bool ordered, tight, first_item;
	unsigned next_number;
	int nesting; /* how many lists enclose this one: picks the bullet */
	/* items: the marker is written and no paragraph has started yet */
	bool fresh;
	int saved_base;
};

struct table {
	struct md_para *cells; /* row-major, cols per row */
	size_t count, cap;
	size_t cols, head_rows, row_cells;
	MD_ALIGN *align;
};

struct renderer {
	struct md_doc *doc;
	int width;
	int base; /* the indent of text in the current container */
	struct container stack[MAX_DEPTH];
	int depth, lists;
	unsigned spans[MAX_DEPTH]; /* styles of the open inline spans */
	int span_depth;
	struct md_para *target; /* where inline text goes; NULL: none open */
	size_t content_start;   /* where the paragraph's own text starts (after a bullet or bar) */
	bool in_heading, in_code, in_html, in_table, in_head_row;
	bool in_try; /* in a fenced block of info "try": its text goes to try_text */
	struct strbuf try_text;
	int code_column;
	struct table table;
	/* the innermost open link or image */
	char *link_href;
	size_t link_start;
	struct md_para *link_para;
};

static const char *glyph(const char *unicode, const char *ascii)
{
	return text_unicode() ? unicode : ascii;
}

static void para_add(struct md_para *para, const char *text, size_t n, unsigned style)
{
	if (!n)
		return;
	struct strbuf sb = {para->text, para->len, para->len + 1};
	size_t start = sb.len;
	sb_add(&sb, text, n);
	para->text = sb.data;
	para->len = sb.len;
	struct md_span *last = para->span_count ? &para->spans[para->span_count - 1] : NULL;
	if (last && last->style == style && last->end == start) {
		last->end = para->len;
		return;
	}
	struct md_span span = {start, para->len, style};
	ARRAY_PUSH(para->spans, para->span_count, para->span_cap, span);
}

static void para_add_str(struct md_para *para, const char *text, unsigned style)
{
	para_add(para, text, strlen(text), style);
}

static void para_free(struct md_para *para)
{
	free(para->text);
	free(para->spans);
}

static struct md_para *new_para(struct md_doc *doc, enum md_para_kind kind, int indent, int hang)
{
	struct md_para para = {.text = xstrdup(""), .indent = indent, .hang = hang, .kind = kind};
	ARRAY_PUSH(doc->paras, doc->count, doc->cap, para);
	return &doc->paras[doc->count - 1];
}

void md_doc_append(struct md_doc *doc, enum md_para_kind kind, const char *text, unsigned style,
		   int indent, int hang)
{
	struct md_para *para = new_para(doc, kind, indent, hang);
	para_add_str(para, text, style);
}

void md_doc_free(struct md_doc *doc)
{
	for (size_t i = 0; i < doc->count; i++)
		para_free(&doc->paras[i]);
	free(doc->paras);
	for (size_t i = 0; i < doc->section_count; i++)
		free(doc->sections[i].title);
	free(doc->sections);
	for (size_t i = 0; i < doc->link_count; i++)
		free(doc->links[i]);
	free(doc->links);
	free(doc->link_spans);
	for (size_t i = 0; i < doc->try_count; i++)
		try_block_free(&doc->tries[i].block);
	free(doc->tries);
	memset(doc, 0, sizeof *doc);
}

void md_doc_relabel_link(struct md_doc *doc, size_t i, const char *text)
{
	size_t k = 0;
	for (size_t p = 0; p < doc->count; p++) {
		struct md_para *para = &doc->paras[p];
		if (para->kind != MD_PARA_LINK || k++ != i)
			continue;
		/* The "[n] " that starts it is its first span. */
		size_t keep = para->span_count ? para->spans[0].end : 0;
		para->len = keep;
		para->text[keep] = '\0';
		para->span_count = para->span_count ? 1 : 0;
		para_add_str(para, text, MD_STYLE_LINK);
		return;
	}
}

void md_para_add_line(struct md_para *para, const char *text, unsigned style)
{
	para_add_str(para, "\n", style);
	para_add_str(para, text, style);
}

void md_escape(struct strbuf *sb, const char *text)
{
	for (const char *s = text; *s; s++) {
		if (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", *s))
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
}

void md_para_add_style(struct md_para *para, size_t start, size_t end, unsigned style)
{
	if (start >= end)
		return;
	struct md_span *spans = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < para->span_count; i++) {
		struct md_span s = para->spans[i];
		if (s.end <= start || s.start >= end) {
			ARRAY_PUSH(spans, count, cap, s);
			continue;
		}
		if (s.start < start) {
			struct md_span before = {s.start, start, s.style};
			ARRAY_PUSH(spans, count, cap, before);
		}
		struct md_span inside = {s.start > start ? s.start : start, s.end < end ? s.end : end,
					 s.style | style};
		ARRAY_PUSH(spans, count, cap, inside);
		if (s.end > end) {
			struct md_span after = {end, s.end, s.style};
			ARRAY_PUSH(spans, count, cap, after);
		}
	}
	free(para->spans);
	para->spans = spans;
	para->span_count = count;
	para->span_cap = cap;
}

/* A blank line before a block, never two in a row nor at the top. */
static void blank_line(struct renderer *r)
{
	struct md_doc *doc = r->doc;
	if (doc->count && doc->paras[doc->count - 1].kind != MD_PARA_BLANK)
		new_para(doc, MD_PARA_BLANK, 0, 0);
}

static struct container *top(struct renderer *r)
{
	/* Past MAX_DEPTH containers are counted, not kept. */
	return r->depth && r->depth <= MAX_DEPTH ? &r->stack[r->depth - 1] : NULL;
}

/* The list the current item belongs to, when the innermost container is
 * an item. */
static struct container *item_list(struct renderer *r)
{
	struct container *c = top(r);
	if (!c || c->type != CONTAINER_ITEM || r->depth < 2)
		return NULL;
	return &r->stack[r->depth - 2];
}

static void push(struct renderer *r, struct container c)
{
	if (r->depth < MAX_DEPTH)
		r->stack[r->depth] = c;
	r->depth++;
}

static unsigned block_style(const struct renderer *r)
{
	unsigned style = 0;
	for (int i = 0; i < r->depth && i < MAX_DEPTH; i++)
		if (r->stack[i].type == CONTAINER_QUOTE)
			style |= MD_STYLE_QUOTE;
	return style;
}

static bool in_quote(const struct renderer *r)
{
	return block_style(r) & MD_STYLE_QUOTE;
}

/* A paragraph of running text at the current indent; directly inside a
 * quote it starts with the quote's bar. */
static void start_text_para(struct renderer *r)
{
	struct container *c = top(r);
	if (c && c->type == CONTAINER_QUOTE) {
		int indent = r->base - QUOTE_INDENT;
		r->target = new_para(r->doc, MD_PARA_QUOTE, indent < 0 ? 0 : indent, r->base);
		para_add_str(r->target, glyph("│ ", "| "), MD_STYLE_QUOTE | MD_STYLE_RULE);
	} else {
		r->target = new_para(r->doc, in_quote(r) ? MD_PARA_QUOTE : MD_PARA_TEXT, r->base,
				     r->base);
	}
	r->content_start = r->target->len;
}

static void start_item(struct renderer *r, const MD_BLOCK_LI_DETAIL *detail)
{
	struct container *list = top(r);
	char marker[32];
	if (detail && detail->is_task) {
		bool done = detail->task_mark == 'x' || detail->task_mark == 'X';
		snprintf(marker, sizeof marker, "%s ",
			 done ? glyph("☒", "[x]") : glyph("☐", "[ ]"));
	} else if (list && list->type == CONTAINER_LIST && list->ordered) {
		snprintf(marker, sizeof marker, "%u. ", list->next_number++);
	} else {
		static const char *const unicode[] = {"•", "◦", "▪"};
		static const char *const ascii[] = {"*", "-", "+"};
		int n = list ? list->nesting % 3 : 0;
		snprintf(marker, sizeof marker, "%s ", glyph(unicode[n], ascii[n]));
	}
	if (list && list->type == CONTAINER_LIST) {
		if (!list->tight && !list->first_item)
			blank_line(r);
		list->first_item = false;
	}
	int hang = r->base + text_width_n(marker, strlen(marker));
	r->target = new_para(r->doc, MD_PARA_ITEM, r->base, hang);
	para_add_str(r->target, marker, MD_STYLE_BULLET | block_style(r));
	r->content_start = r->target->len;
	push(r, (struct container){.type = CONTAINER_ITEM, .fresh = true, .saved_base = r->base});
	r->base = hang;
}

static bool starts_citation(const char *s)
{
	while (*s == ' ')
		s++;
	return str_starts_with(s, "Source:") || str_starts_with(s, "Sources:");
}

static void end_paragraph(struct renderer *r)
{
	struct md_para *para = r->target;
	if (para && r->content_start <= para->len && starts_citation(para->text + r->content_start)) {
		md_para_add_style(para, r->content_start, para->len, MD_STYLE_CITATION);
		if (para->kind == MD_PARA_TEXT)
			para->kind = MD_PARA_CITATION;
	}
	r->target = NULL;
}

static void repeat(struct md_para *para, const char *s, int times, unsigned style)
{
	for (int i = 0; i < times; i++)
		para_add_str(para, s, style);
}

static int room(const struct renderer *r)
{
	int cols = r->width - r->base;
	return cols < 1 ? 1 : cols;
}

static void end_heading(struct renderer *r, int level)
{
	struct md_para *para = r->target;
	r->target = NULL;
	r->in_heading = false;
	if (!para)
		return;
	struct md_section section = {xstrdup(para->text), (size_t)(para - r->doc->paras), level};
	ARRAY_PUSH(r->doc->sections, r->doc->section_count, r->doc->section_cap, section);
	if (level > 2)
		return;
	int width = text_width_n(para->text, para->len);
	width = width > room(r) ? room(r) : width;
	struct md_para *line = new_para(r->doc, MD_PARA_UNDERLINE, r->base, r->base);
	repeat(line, level == 1 ? glyph("═", "=") : glyph("─", "-"), width, MD_STYLE_RULE);
}

/* Longest run of non-spaces, in columns. */
static int longest_word(const char *s, size_t n)
{
	int longest = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ')
			i++;
		int w = text_width_n(s + start, i - start);
		longest = w > longest ? w : longest;
	}
	return longest;
}

/* Column widths: what the cells need when it fits; otherwise the widest
 * column gives a column at a time, first down to its longest word, then
 * below it (words break) when even that is too wide. */
static void table_widths(const struct table *t, size_t rows, int avail, int *widths)
{
	int *least = xcalloc(t->cols, sizeof *least);
	int total = 0;
	for (size_t c = 0; c < t->cols; c++) {
		widths[c] = 1;
		least[c] = 1;
		for (size_t row = 0; row < rows; row++) {
			const struct md_para *cell = &t->cells[row * t->cols + c];
			int w = text_width_n(cell->text, cell->len);
			int word = longest_word(cell->text, cell->len);
			widths[c] = w > widths[c] ? w : widths[c];
			word = word > MAX_WORD_KEEP ? MAX_WORD_KEEP : word;
			least[c] = word > least[c] ? word : least[c];
		}
		total += widths[c];
	}
	for (int pass = 0; pass < 2 && total > avail; pass++) {
		while (total > avail) {
			size_t widest = t->cols;
			for (size_t c = 0; c < t->cols; c++) {
				int floor = pass == 0 ? least[c] : 1;
				if (widths[c] > floor && (widest == t->cols || widths[c] > widths[widest]))
					widest = c;
			}
			if (widest == t->cols)
				break;
			widths[widest]--;
			total--;
		}
	}
	free(least);
}

/* Copies bytes [from, to) of a cell into the row, with the cell's styles. */
static void add_cell_text(struct md_para *row, const struct md_para *cell, size_t from, size_t to,
			  unsigned extra)
{
	for (size_t i = 0; i < cell->span_count; i++) {
		const struct md_span *s = &cell->spans[i];
		size_t a = s->start > from ? s->start : from, b = s->end < to ? s->end : to;
		if (a < b)
			para_add(row, cell->text + a, b - a, s->style | extra);
	}
}

struct cell_line {
	size_t start, end;
};

static void emit_table(struct renderer *r)
{
	struct table *t = &r->table;
	if (!t->cols)
		return;
	size_t rows = t->count / t->cols;
	const char *bar = glyph("│", "|");
	int avail = room(r) - 3 * (int)(t->cols - 1);
	avail = avail < (int)t->cols ? (int)t->cols : avail;
	int *widths = xcalloc(t->cols, sizeof *widths);
	table_widths(t, rows, avail, widths);
	unsigned border = MD_STYLE_RULE | block_style(r);

	struct cell_line **lines = xcalloc(t->cols, sizeof *lines);
	size_t *nlines = xcalloc(t->cols, sizeof *nlines), *caps = xcalloc(t->cols, sizeof *caps);
	for (size_t row = 0; row < rows; row++) {
		size_t height = 1;
		for (size_t c = 0; c < t->cols; c++) {
			const struct md_para *cell = &t->cells[row * t->cols + c];
			nlines[c] = 0;
			size_t pos = 0;
			while (pos < cell->len) {
				size_t next;
				size_t len = text_wrap_line(cell->text + pos, cell->len - pos, widths[c],
							    &next);
				struct cell_line l = {pos, pos + len};
				ARRAY_PUSH(lines[c], nlines[c], caps[c], l);
				pos += next;
			}
			height = nlines[c] > height ? nlines[c] : height;
		}
		bool head = row < t->head_rows;
		unsigned extra = (head ? MD_STYLE_TABLE_HEAD : 0) | block_style(r);
		struct md_para *para = new_para(r->doc, MD_PARA_TABLE_ROW, r->base, r->base);
		for (size_t i = 0; i < height; i++) {
			if (i)
				para_add_str(para, "\n", extra);
			for (size_t c = 0; c < t->cols; c++) {
				const struct md_para *cell = &t->cells[row * t->cols + c];
				struct cell_line l = i < nlines[c] ? lines[c][i] : (struct cell_line){0, 0};
				int pad = widths[c] - text_width_n(cell->text + l.start, l.end - l.start);
				pad = pad < 0 ? 0 : pad;
				int left = t->align[c] == MD_ALIGN_RIGHT ? pad
					   : t->align[c] == MD_ALIGN_CENTER ? pad / 2
									    : 0;
				bool last = c + 1 == t->cols;
				if (c) {
					para_add_str(para, " ", extra);
					para_add_str(para, bar, border);
					para_add_str(para, " ", extra);
				}
				repeat(para, " ", left, extra);
				add_cell_text(para, cell, l.start, l.end, extra);
				/* No padding after the last column: nothing to align. */
				if (!last)
					repeat(para, " ", pad - left, extra);
			}
		}
		if (row + 1 == t->head_rows) {
			struct md_para *rule = new_para(r->doc, MD_PARA_TABLE_RULE, r->base, r->base);
			for (size_t c = 0; c < t->cols; c++) {
				if (c)
					repeat(rule, glyph("─┼─", "-+-"), 1, border);
				repeat(rule, glyph("─", "-"), widths[c], border);
			}
		}
	}
	for (size_t c = 0; c < t->cols; c++)
		free(lines[c]);
	free(lines);
	free(nlines);
	free(caps);
	free(widths);
}

static void free_table(struct table *t)
{
	for (size_t i = 0; i < t->count; i++)
		para_free(&t->cells[i]);
	free(t->cells);
	free(t->align);
	memset(t, 0, sizeof *t);
}

static void put_utf8(struct strbuf *sb, uint32_t c)
{
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6), b[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12), b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		b[0] = (char)(0xf0 | c >> 18), b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f)), b[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	sb_add(sb, b, n);
}

/* Character references: numeric ones, and the named ones prose uses; any
 * other name is kept as written. */
static void put_entity(struct strbuf *sb, const char *s, size_t n)
{
	static const struct {
		const char *name;
		uint32_t code;
	} named[] = {
		{"&amp;", '&'},       {"&lt;", '<'},         {"&gt;", '>'},
		{"&quot;", '"'},      {"&apos;", '\''},      {"&nbsp;", 0xa0},
		{"&ndash;", 0x2013},  {"&mdash;", 0x2014},   {"&hellip;", 0x2026},
		{"&lsquo;", 0x2018},  {"&rsquo;", 0x2019},   {"&ldquo;", 0x201c},
		{"&rdquo;", 0x201d},  {"&copy;", 0xa9},      {"&reg;", 0xae},
		{"&trade;", 0x2122},  {"&times;", 0xd7},     {"&divide;", 0xf7},
		{"&deg;", 0xb0},      {"&plusmn;", 0xb1},    {"&middot;", 0xb7},
		{"&euro;", 0x20ac},   {"&pound;", 0xa3},     {"&larr;", 0x2190},
		{"&rarr;", 0x2192},   {"&le;", 0x2264},      {"&ge;", 0x2265},
		{"&ne;", 0x2260},     {"&asymp;", 0x2248},   {"&bull;", 0x2022},
	};
	if (n > 3 && s[1] == '#') {
		bool hex = s[2] == 'x' || s[2] == 'X';
		char *end;
		char digits[16];
		size_t dn = n - (hex ? 4 : 3);
		if (dn > 0 && dn < sizeof digits) {
			memcpy(digits, s + (hex ? 3 : 2), dn);
			digits[dn] = '\0';
			unsigned long v = strtoul(digits, &end, hex ? 16 : 10);
			if (*end == '\0') {
				put_utf8(sb, v > 0x10ffff ? 0xfffd : (uint32_t)v);
				return;
			}
		}
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strlen(named[i].name) == n && !memcmp(named[i].name, s, n)) {
			put_utf8(sb, named[i].code);
			return;
		}
	}
	sb_add(sb, s, n);
}

/* An attribute (a link target) with its entities resolved. */
static char *attribute_text(const MD_ATTRIBUTE *a)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			put_entity(&sb, s, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			put_utf8(&sb, 0xfffd);
		else
			sb_add(&sb, s, n);
	}
	return sb_steal(&sb);
}

static int on_enter_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	struct renderer *r = data;
	struct container *c = top(r);
	switch (type) {
	case MD_BLOCK_DOC:
		break;
	case MD_BLOCK_QUOTE:
		blank_line(r);
		push(r, (struct container){.type = CONTAINER_QUOTE});
		r->base += QUOTE_INDENT;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL: {
		struct container *parent = item_list(r);
		if (!parent || !parent->tight)
			blank_line(r);
		if (c && c->type == CONTAINER_ITEM)
			c->fresh = false;
		struct container list = {.type = CONTAINER_LIST, .first_item = true, .nesting = r->lists++};
		if (type == MD_BLOCK_OL) {
			const MD_BLOCK_OL_DETAIL *d = detail;
			list.ordered = true;
			list.tight = d->is_tight;
			list.next_number = d->start;
		} else {
			list.tight = ((const MD_BLOCK_UL_DETAIL *)detail)->is_tight;
		}
		push(r, list);
		r->target = NULL;
		break;
	}
	case MD_BLOCK_LI:
		start_item(r, detail);
		break;
	case MD_BLOCK_HR: {
		blank_line(r);
		struct md_para *rule = new_para(r->doc, MD_PARA_RULE, r->base, r->base);
		repeat(rule, glyph("─", "-"), room(r), MD_STYLE_RULE | block_style(r));
		r->target = NULL;
		break;
	}
	case MD_BLOCK_H:
		blank_line(r);
		r->target = new_para(r->doc, MD_PARA_HEADING, r->base, r->base);
		r->target->level = (int)((const MD_BLOCK_H_DETAIL *)detail)->level;
		r->content_start = 0;
		r->in_heading = true;
		break;
	case MD_BLOCK_CODE: {
		const MD_BLOCK_CODE_DETAIL *d = detail;
		blank_line(r);
		r->target = new_para(r->doc, MD_PARA_CODE, r->base + CODE_INDENT, r->base + CODE_INDENT);
		r->in_code = true;
		r->code_column = 0;
		r->in_try = d->fence_char && d->lang.size == strlen(TRY_INFO) &&
			    !memcmp(d->lang.text, TRY_INFO, d->lang.size);
		sb_free(&r->try_text);
		sb_puts(&r->try_text, "");
		break;
	}
	case MD_BLOCK_HTML:
		r->in_html = true;
		break;
	case MD_BLOCK_P:
		if (c && c->type == CONTAINER_ITEM && c->fresh) {
			c->fresh = false;
			break;
		}
		blank_line(r);
		start_text_para(r);
		break;
	case MD_BLOCK_TABLE: {
		const MD_BLOCK_TABLE_DETAIL *d = detail;
		blank_line(r);
		free_table(&r->table);
		r->table.cols = d->col_count;
		r->table.head_rows = d->head_row_count;
		r->table.align = xcalloc(d->col_count ? d->col_count : 1, sizeof *r->table.align);
		r->in_table = true;
		break;
	}
	case MD_BLOCK_THEAD:
		r->in_head_row = true;
		break;
	case MD_BLOCK_TBODY:
		r->in_head_row = false;
		break;
	case MD_BLOCK_TR:
		r->table.row_cells = 0;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		struct table *t = &r->table;
		/* md4c gives every row the header's column count; a guard
		 * all the same, so that a surprise never writes past align. */
		if (t->row_cells >= t->cols) {
			r->target = NULL;
			break;
		}
		struct md_para cell = {.text = xstrdup("")};
		ARRAY_PUSH(t->cells, t->count, t->cap, cell);
		if (t->count <= t->cols) /* the first row sets the alignment */
			t->align[t->row_cells] = ((const MD_BLOCK_TD_DETAIL *)detail)->align;
		t->row_cells++;
		r->target = &t->cells[t->count - 1];
		break;
	}
	}
	return 0;
}

/* A Try-it block that reads becomes its action's paragraph, in place of
 * the code paragraph para; false (a code block it stays) when it does not
 * read. */
static bool end_try(struct renderer *r, struct md_para *para)
{
	struct md_try t = {.para = (size_t)(para - r->doc->paras)};
	char err[256];
	int line;
	if (try_parse(r->try_text.data, r->try_text.len, &t.block, err, sizeof err, &line) != 0)
		return false;
	free(para->text);
	free(para->spans);
	*para = (struct md_para){.text = xstrdup(""), .indent = r->base, .hang = r->base + 2,
				 .kind = MD_PARA_TRY};
	para_add_str(para, glyph("▶ ", "> "), MD_STYLE_TRY | MD_STYLE_BULLET);
	para_add_str(para, "Try it: ", MD_STYLE_TRY | MD_STYLE_STRONG);
	para_add_str(para, t.block.label, MD_STYLE_TRY);
	ARRAY_PUSH(r->doc->tries, r->doc->try_count, r->doc->try_cap, t);
	return true;
}

static int on_leave_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	(void)detail;
	struct renderer *r = data;
	switch (type) {
	case MD_BLOCK_DOC:
	case MD_BLOCK_HR:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		break;
	case MD_BLOCK_QUOTE:
		r->depth--;
		r->base -= QUOTE_INDENT;
		r->target = NULL;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		r->depth--;
		r->lists--;
		r->target = NULL;
		break;
	case MD_BLOCK_LI: {
		struct container *c = top(r);
		if (c && c->type == CONTAINER_ITEM)
			r->base = c->saved_base;
		end_paragraph(r);
		r->depth--;
		break;
	}
	case MD_BLOCK_H:
		end_heading(r, (int)((const MD_BLOCK_H_DETAIL *)detail)->level);
		break;
	case MD_BLOCK_CODE: {
		struct md_para *para = r->target;
		if (r->in_try && para && end_try(r, para)) {
			r->in_try = r->in_code = false;
			r->target = NULL;
			break;
		}
		r->in_try = false;
		/* The fence's last line break is not a line of code. */
		while (para && para->len && para->text[para->len - 1] == '\n') {
			para->text[--para->len] = '\0';
			struct md_span *s = &para->spans[para->span_count - 1];
			if (--s->end == s->start)
				para->span_count--;
		}
		r->in_code = false;
		r->target = NULL;
		break;
	}
	case MD_BLOCK_HTML:
		r->in_html = false;
		break;
	case MD_BLOCK_P:
		end_paragraph(r);
		break;
	case MD_BLOCK_TABLE:
		emit_table(r);
		free_table(&r->table);
		r->in_table = false;
		r->target = NULL;
		break;
	case MD_BLOCK_TR: {
		struct table *t = &r->table;
		while (t->row_cells < t->cols) {
			struct md_para cell = {.text = xstrdup("")};
			ARRAY_PUSH(t->cells, t->count, t->cap, cell);
			t->row_cells++;
		}
		break;
	}
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		r->target = NULL;
		break;
	}
	return 0;
}

static unsigned span_style(const struct renderer *r)
{
	unsigned style = 0;
	for (int i = 0; i < r->span_depth && i < MAX_DEPTH; i++)
		style |= r->spans[i];
	return style;
}

static int on_enter_span(MD_SPANTYPE type, void *detail, void *data)
{
	struct renderer *r = data;
	unsigned style = 0;
	switch (type) {
	case MD_SPAN_EM:
	case MD_SPAN_U:
		style = MD_STYLE_EMPH;
		break;
	case MD_SPAN_STRONG:
		style = MD_STYLE_STRONG;
		break;
	case MD_SPAN_DEL:
		style = MD_STYLE_STRIKE;
		break;
	case MD_SPAN_CODE:
	case MD_SPAN_LATEXMATH:
	case MD_SPAN_LATEXMATH_DISPLAY:
		style = MD_STYLE_CODE;
		break;
	case MD_SPAN_A:
	case MD_SPAN_IMG:
		style = MD_STYLE_LINK;
		free(r->link_href);
		r->link_href = attribute_text(type == MD_SPAN_A ? &((MD_SPAN_A_DETAIL *)detail)->href
								: &((MD_SPAN_IMG_DETAIL *)detail)->src);
		r->link_para = r->target;
		r->link_start = r->target ? r->target->len : 0;
		break;
	case MD_SPAN_WIKILINK:
		style = MD_STYLE_LINK;
		break;
	}
	if (r->span_depth < MAX_DEPTH)
		r->spans[r->span_depth] = style;
	r->span_depth++;
	return 0;
}

/* After a link's text, "[n]" pointing at its target in the list at the
 * end; a link whose text is its target needs none. */
static void end_link(struct renderer *r)
{
	char *href = r->link_href;
	r->link_href = NULL;
	struct md_para *para = r->link_para;
	if (!href || !*href || !para || para != r->target) {
		free(href);
		return;
	}
	size_t n = para->len - r->link_start;
	if (n == strlen(href) && !memcmp(para->text + r->link_start, href, n)) {
		free(href);
		return;
	}
	struct md_doc *doc = r->doc;
	size_t number = 0;
	for (size_t i = 0; i < doc->link_count && !number; i++)
		if (!strcmp(doc->links[i], href))
			number = i + 1;
	if (!number) {
		ARRAY_PUSH(doc->links, doc->link_count, doc->link_cap, href);
		number = doc->link_count;
	} else {
		free(href);
	}
	struct md_link_span span = {(size_t)(para - doc->paras), r->link_start, para->len,
				    number - 1};
	ARRAY_PUSH(doc->link_spans, doc->link_span_count, doc->link_span_cap, span);
	char ref[32];
	snprintf(ref, sizeof ref, "[%zu]", number);
	para_add_str(para, ref, MD_STYLE_LINK_REF | block_style(r));
}

static int on_leave_span(MD_SPANTYPE type, void *detail, void *data)
{
	(void)detail;
	struct renderer *r = data;
	if (r->span_depth > 0)
		r->span_depth--;
	if (type == MD_SPAN_A || type == MD_SPAN_IMG)
		end_link(r);
	return 0;
}

/* Code keeps its layout: tabs to the next stop, relative to the line. */
static void add_code(struct renderer *r, const char *text, size_t n, unsigned style)
{
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\t') {
			int spaces = TAB_WIDTH - r->code_column % TAB_WIDTH;
			for (int s = 0; s < spaces; s++)
				sb_putc(&sb, ' ');
			r->code_column += spaces;
		} else {
			sb_putc(&sb, text[i]);
			r->code_column = text[i] == '\n' ? 0 : r->code_column + 1;
		}
	}
	para_add(r->target, sb.data, sb.len, style);
	sb_free(&sb);
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *data)
{
	struct renderer *r = data;
	if (r->in_html || type == MD_TEXT_HTML)
		return 0;
	if (!r->target) {
		/* Text after a nested block inside an item, or stray text:
		 * a paragraph of its own at the current indent. */
		if (r->in_table)
			return 0;
		start_text_para(r);
	}
	unsigned style = span_style(r) | block_style(r);
	if (r->in_heading)
		style |= MD_STYLE_HEADING;
	if (r->in_table && r->in_head_row)
		style |= MD_STYLE_TABLE_HEAD;
	if (r->in_code) {
		if (r->in_try)
			sb_add(&r->try_text, text, size);
		add_code(r, text, size, style | MD_STYLE_CODE);
		return 0;
	}
	struct strbuf sb;
	sb_init(&sb);
	switch (type) {
	case MD_TEXT_NULLCHAR:
		put_utf8(&sb, 0xfffd);
		break;
	case MD_TEXT_BR:
		/* A table row or a heading is one line; elsewhere a hard
		 * break is a line break. */
		sb_putc(&sb, r->in_table || r->in_heading ? ' ' : '\n');
		break;
	case MD_TEXT_SOFTBR:
		sb_putc(&sb, ' ');
		break;
	case MD_TEXT_ENTITY:
		put_entity(&sb, text, size);
		break;
	default:
		for (MD_SIZE i = 0; i < size; i++)
			sb_putc(&sb, text[i] == '\t' || text[i] == '\n' ? ' ' : text[i]);
		break;
	}
	para_add(r->target, sb.data, sb.len, style);
	sb_free(&sb);
	return 0;
}

/* The targets of the links, numbered as in the text. */
static void list_links(struct renderer *r)
{
	struct md_doc *doc = r->doc;
	if (!doc->link_count)
		return;
	r->base = 0;
	blank_line(r);
	r->target = new_para(doc, MD_PARA_HEADING, 0, 0);
	r->target->level = 2;
	para_add_str(r->target, "Links", MD_STYLE_HEADING);
	end_heading(r, 2);
	for (size_t i = 0; i < doc->link_count; i++) {
		char ref[32];
		snprintf(ref, sizeof ref, "[%zu] ", i + 1);
		struct md_para *para =
		    new_para(doc, MD_PARA_LINK, 0, text_width_n(ref, strlen(ref)));
		para_add_str(para, ref, MD_STYLE_LINK_REF);
		para_add_str(para, doc->links[i], MD_STYLE_LINK);
	}
}

int md_render(const char *markdown, size_t len, int width, struct md_doc *out)
{
	memset(out, 0, sizeof *out);
	struct renderer r = {.doc = out, .width = width < 1 ? 1 : width};
	MD_PARSER parser = {
	    .abi_version = 0,
	    .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
		     MD_FLAG_NOINDENTEDCODEBLOCKS,
	    .enter_block = on_enter_block,
	    .leave_block = on_leave_block,
	    .enter_span = on_enter_span,
	    .leave_span = on_leave_span,
	    .text = on_text,
	};
	sb_init(&r.try_text);
	int rc = md_parse(markdown, (MD_SIZE)len, &parser, &r);
	sb_free(&r.try_text);
	free(r.link_href);
	free_table(&r.table);
	list_links(&r);
	while (out->count && out->paras[out->count - 1].kind == MD_PARA_BLANK)
		para_free(&out->paras[--out->count]);
	return rc == 0 ? 0 : -1;
}

char *md_heading_slug(const char *text)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	bool dash = false;
	for (const char *c = text; *c; c++) {
		char l = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
		if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
			if (dash && sb.len)
				sb_putc(&sb, '-');
			sb_putc(&sb, l);
			dash = false;
		} else {
			dash = true;
		}
	}
	return sb_steal(&sb);
}

long md_doc_section_of(const struct md_doc *doc, size_t para)
{
	long found = -1;
	for (size_t i = 0; i < doc->section_count && doc->sections[i].para <= para; i++)
		found = (long)i;
	return found;
}

size_t md_doc_search(const struct md_doc *doc, const struct pattern *p, size_t max,
		     struct md_hit **hits, size_t *count, size_t *cap, bool *too_complex)
{
	size_t found = 0;
	*too_complex = false;
	for (size_t i = 0; i < doc->count && !*too_complex; i++) {
		const struct md_para *para = &doc->paras[i];
		size_t offset = 0, start, end;
		enum pattern_rc rc;
		while (offset <= para->len &&
		       (rc = pattern_next(p, para->text, para->len, offset, &start, &end)) !=
			   PATTERN_NO_MATCH) {
			if (rc == PATTERN_TOO_COMPLEX) {
				*too_complex = true;
				break;
			}
			if (end > start) {
				if (*count < max) {
					struct md_hit hit = {i, start, end};
					ARRAY_PUSH(*hits, *count, *cap, hit);
				}
				found++;
				offset = end;
				continue;
			}
			/* An empty match: step over one whole character. */
			offset = start + 1;
			while (offset < para->len && ((unsigned char)para->text[offset] & 0xc0) == 0x80)
				offset++;
		}
	}
	return found;
}

void md_doc_print(const struct md_doc *doc, int width, FILE *out)
{
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < doc->count; i++) {
		const struct md_para *para = &doc->paras[i];
		count = 0;
		text_wrap_para(para->text, para->len, para->indent, para->hang, width, i, &lines,
			       &count, &cap);
		for (size_t l = 0; l < count; l++) {
			size_t end = lines[l].end;
			while (end > lines[l].start && para->text[end - 1] == ' ')
				end--;
			if (end > lines[l].start) {
				/* A course folder is someone else's text: no control of
				 * its own reaches the terminal (sanitize.h). */
				char *text = xstrndup(para->text + lines[l].start,
						      end - lines[l].start);
				fprintf(out, "%*s", lines[l].x, "");
				sanitize_fputs(text, SANITIZE_KEEP_TAB, out);
				free(text);
			}
			fputc('\n', out);
		}
	}
	free(lines);
}
