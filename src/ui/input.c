/* The text entry widgets. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

/* Encodes a code point as UTF-8 (without the locale, which may be C). */
static size_t encode_utf8(wchar_t c, char out[4])
{
	unsigned long u = (unsigned long)c;
	if (u < 0x80) {
		out[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (char)(0xc0 | u >> 6);
		out[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (char)(0xe0 | u >> 12);
		out[1] = (char)(0x80 | (u >> 6 & 0x3f));
		out[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | u >> 18);
	out[1] = (char)(0x80 | (u >> 12 & 0x3f));
	out[2] = (char)(0x80 | (u >> 6 & 0x3f));
	out[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/* A letter and the combining marks after it move and delete as one. */
static size_t next_cluster(const char *s, size_t len, size_t pos)
{
	if (pos >= len)
		return len;
	pos += ui_char_at(s + pos, len - pos).len;
	while (pos < len && ui_char_at(s + pos, len - pos).width == 0 && s[pos] != '\n')
		pos += ui_char_at(s + pos, len - pos).len;
	return pos;
}

static size_t prev_cluster(const char *s, size_t len, size_t pos)
{
	/* Forward from the line start: UTF-8 with invalid bytes cannot be
	 * walked backwards reliably. */
	size_t start = pos;
	while (start > 0 && s[start - 1] != '\n')
		start--;
	if (start == pos)
		return pos > 0 ? pos - 1 : 0;
	size_t prev = start;
	for (size_t at = start; at < pos; at = next_cluster(s, len, at))
		prev = at;
	return prev;
}

static void text_delete(struct strbuf *sb, size_t from, size_t to)
{
	memmove(sb->data + from, sb->data + to, sb->len - to + 1);
	sb->len -= to - from;
}

/* Inserts at pos unless that would pass max_bytes; returns the bytes
 * inserted. */
static size_t text_insert(struct strbuf *sb, size_t pos, const char *s, size_t n, size_t max_bytes)
{
	if (max_bytes && sb->len + n > max_bytes)
		return 0;
	sb_add(sb, s, n); /* grows the buffer; the bytes are put in place below */
	memmove(sb->data + pos + n, sb->data + pos, sb->len - n - pos);
	memcpy(sb->data + pos, s, n);
	return n;
}

/* The bytes of text[0..len) that fit in max_bytes (0: all) without cutting
 * a character. */
static size_t fit_bytes(const char *text, size_t len, size_t max_bytes)
{
	size_t n = 0;
	while (n < len) {
		size_t step = ui_char_at(text + n, len - n).len;
		if (max_bytes && n + step > max_bytes)
			break;
		n += step;
	}
	return n;
}

static size_t insert_key(struct strbuf *sb, size_t pos, int key, size_t max_bytes)
{
	wchar_t c = ui_key_char(key);
	if (!c)
		return 0;
	char utf8[4];
	return text_insert(sb, pos, utf8, encode_utf8(c, utf8), max_bytes);
}

void ui_field_init(struct ui_field *f, const char *initial, size_t max_bytes)
{
	memset(f, 0, sizeof *f);
	sb_init(&f->text);
	f->max_bytes = max_bytes;
	ui_field_set(f, initial ? initial : "");
}

void ui_field_free(struct ui_field *f)
{
	sb_free(&f->text);
}

const char *ui_field_text(const struct ui_field *f)
{
	return f->text.data ? f->text.data : "";
}

void ui_field_set(struct ui_field *f, const char *text)
{
	f->text.len = 0;
	sb_add(&f->text, text, fit_bytes(text, strcspn(text, "\n"), f->max_bytes));
	f->cursor = f->text.len;
	f->scroll = 0;
}

void ui_history_free(struct ui_history *h)
{
	for (size_t i = 0; i < h->count; i++)
		free(h->items[i]);
	free(h->items);
	free(h->draft);
	memset(h, 0, sizeof *h);
}

void ui_history_add(struct ui_history *h, const char *text)
{
	if (!*text)
		return;
	for (size_t i = 0; i < h->count; i++) {
		if (!strcmp(h->items[i], text)) {
			free(h->items[i]);
			memmove(h->items + i, h->items + i + 1, (h->count - i - 1) * sizeof *h->items);
			h->count--;
			break;
		}
	}
	if (h->count == UI_HISTORY_MAX) {
		free(h->items[0]);
		memmove(h->items, h->items + 1, (h->count - 1) * sizeof *h->items);
		h->count--;
	}
	char *copy = xstrdup(text);
	ARRAY_PUSH(h->items, h->count, h->cap, copy);
	ui_history_rewind(h);
}

void ui_history_rewind(struct ui_history *h)
{
	h->at = h->count;
	free(h->draft);
	h->draft = NULL;
}

bool ui_history_key(struct ui_history *h, struct ui_field *f, int key)
{
	if (key != KEY_UP && key != KEY_DOWN)
		return false;
	if (key == KEY_UP && h->at > 0) {
		if (h->at == h->count) {
			free(h->draft);
			h->draft = xstrdup(ui_field_text(f));
		}
		ui_field_set(f, h->items[--h->at]);
	} else if (key == KEY_DOWN && h->at < h->count) {
		h->at++;
		ui_field_set(f, h->at < h->count ? h->items[h->at] : h->draft ? h->draft : "");
	}
	return true;
}

void ui_field_draw(struct ui_field *f, WINDOW *w, int y, int x, int width, attr_t attr)
{
	const char *s = ui_field_text(f);
	size_t len = f->text.len;
	if (width < 1)
		width = 1;
	/* Keep the cursor inside, with a third of the field of context when
	 * it moves back past the left edge. */
	if (f->cursor < f->scroll) {
		f->scroll = f->cursor;
		while (f->scroll > 0 && ui_width_n(s + f->scroll, f->cursor - f->scroll) < width / 3)
			f->scroll = prev_cluster(s, len, f->scroll);
	}
	while (f->scroll < f->cursor && ui_width_n(s + f->scroll, f->cursor - f->scroll) > width - 1)
		f->scroll = next_cluster(s, len, f->scroll);
	ui_fill(w, y, x, width, attr);
	size_t shown = ui_fit_n(s + f->scroll, len - f->scroll, width);
	ui_putn(w, y, x, width, s + f->scroll, shown, attr);
	f->cursor_y = y;
	f->cursor_x = x + ui_width_n(s + f->scroll, f->cursor - f->scroll);
}

bool ui_field_key(struct ui_field *f, int key)
{
	struct strbuf *sb = &f->text;
	const char *s = ui_field_text(f);
	switch (key) {
	case KEY_LEFT:
		f->cursor = prev_cluster(s, sb->len, f->cursor);
		return true;
	case KEY_RIGHT:
		f->cursor = next_cluster(s, sb->len, f->cursor);
		return true;
	case KEY_HOME:
	case UI_CTRL('a'):
		f->cursor = 0;
		return true;
	case KEY_END:
	case UI_CTRL('e'):
		f->cursor = sb->len;
		return true;
	case KEY_BACKSPACE:
	case 127:
	case UI_CTRL('h'):
		if (f->cursor > 0) {
			size_t from = prev_cluster(s, sb->len, f->cursor);
			text_delete(sb, from, f->cursor);
			f->cursor = from;
		}
		return true;
	case KEY_DC:
		if (f->cursor < sb->len)
			text_delete(sb, f->cursor, next_cluster(s, sb->len, f->cursor));
		return true;
	case UI_CTRL('u'):
		text_delete(sb, 0, f->cursor);
		f->cursor = 0;
		return true;
	case UI_CTRL('k'):
		text_delete(sb, f->cursor, sb->len);
		return true;
	default:
		if (!ui_key_char(key))
			return false;
		f->cursor += insert_key(sb, f->cursor, key, f->max_bytes);
		return true;
	}
}

void ui_editor_init(struct ui_editor *e, const char *initial, size_t max_bytes)
{
	memset(e, 0, sizeof *e);
	sb_init(&e->text);
	e->max_bytes = max_bytes;
	e->goal_x = -1;
	e->width = 40;
	e->rows = 1;
	initial = initial ? initial : "";
	sb_add(&e->text, initial, fit_bytes(initial, strlen(initial), max_bytes));
	e->cursor = e->text.len;
}

void ui_editor_free(struct ui_editor *e)
{
	sb_free(&e->text);
	free(e->lines);
	memset(e, 0, sizeof *e);
}

const char *ui_editor_text(const struct ui_editor *e)
{
	return e->text.data ? e->text.data : "";
}

static void editor_layout(struct ui_editor *e)
{
	const char *s = ui_editor_text(e);
	size_t n = e->text.len, pos = 0;
	int width = e->width > 2 ? e->width - 1 : 1;
	e->line_count = 0;
	do {
		size_t next;
		size_t len = ui_wrap_line(s + pos, n - pos, width, &next);
		struct ui_edline line = {pos, pos + len};
		ARRAY_PUSH(e->lines, e->line_count, e->line_cap, line);
		pos += next;
	} while (pos < n);
	/* A final newline starts a line of its own for the cursor. */
	if (n > 0 && s[n - 1] == '\n') {
		struct ui_edline line = {n, n};
		ARRAY_PUSH(e->lines, e->line_count, e->line_cap, line);
	}
}

static size_t cursor_line(const struct ui_editor *e)
{
	size_t line = 0;
	while (line + 1 < e->line_count && e->lines[line + 1].start <= e->cursor)
		line++;
	return line;
}

/* The cursor's column in its line; spaces past a soft break count. */
static int cursor_column(const struct ui_editor *e, size_t line)
{
	const struct ui_edline *l = &e->lines[line];
	const char *s = ui_editor_text(e);
	size_t upto = e->cursor < l->end ? e->cursor : l->end;
	int col = ui_width_n(s + l->start, upto - l->start) + (int)(e->cursor - upto);
	return col < e->width - 1 ? col : e->width - 1;
}

/* Moves to the line by lines, at the goal column. */
static void editor_move_lines(struct ui_editor *e, long by)
{
	size_t line = cursor_line(e);
	if (e->goal_x < 0)
		e->goal_x = cursor_column(e, line);
	long target = (long)line + by;
	target = target < 0 ? 0 : target >= (long)e->line_count ? (long)e->line_count - 1 : target;
	const struct ui_edline *l = &e->lines[target];
	e->cursor = l->start + ui_fit_n(ui_editor_text(e) + l->start, l->end - l->start, e->goal_x);
}

void ui_editor_draw(struct ui_editor *e, WINDOW *w, int y, int x, int height, int width,
		    attr_t attr)
{
	e->width = width;
	e->rows = height > 0 ? height : 1;
	editor_layout(e);
	size_t line = cursor_line(e), rows = (size_t)e->rows;
	if (line < e->top)
		e->top = line;
	if (line >= e->top + rows)
		e->top = line - rows + 1;
	const char *s = ui_editor_text(e);
	for (int row = 0; row < height; row++) {
		ui_fill(w, y + row, x, width, attr);
		size_t at = e->top + (size_t)row;
		if (at < e->line_count)
			ui_putn(w, y + row, x, width - 1, s + e->lines[at].start,
				e->lines[at].end - e->lines[at].start, attr);
	}
	ui_scrollbar(w, y, x + width - 1, height, e->top, rows, e->line_count);
	e->cursor_y = y + (int)(line - e->top);
	e->cursor_x = x + cursor_column(e, line);
}

bool ui_editor_key(struct ui_editor *e, int key)
{
	struct strbuf *sb = &e->text;
	editor_layout(e);
	const char *s = ui_editor_text(e);
	size_t line = cursor_line(e);
	long page = e->rows > 1 ? e->rows - 1 : 1;
	switch (key) {
	case KEY_UP:
		editor_move_lines(e, -1);
		return true;
	case KEY_DOWN:
		editor_move_lines(e, 1);
		return true;
	case KEY_PPAGE:
		editor_move_lines(e, -page);
		return true;
	case KEY_NPAGE:
		editor_move_lines(e, page);
		return true;
	default:
		break;
	}
	/* Any other key ends a run of Up/Down. */
	e->goal_x = -1;
	switch (key) {
	case KEY_LEFT:
		e->cursor = prev_cluster(s, sb->len, e->cursor);
		return true;
	case KEY_RIGHT:
		e->cursor = next_cluster(s, sb->len, e->cursor);
		return true;
	case KEY_HOME:
	case UI_CTRL('a'):
		e->cursor = e->lines[line].start;
		return true;
	case KEY_END:
	case UI_CTRL('e'):
		e->cursor = e->lines[line].end;
		return true;
	case KEY_BACKSPACE:
	case 127:
	case UI_CTRL('h'):
		if (e->cursor > 0) {
			size_t from = prev_cluster(s, sb->len, e->cursor);
			text_delete(sb, from, e->cursor);
			e->cursor = from;
		}
		return true;
	case KEY_DC:
		if (e->cursor < sb->len)
			text_delete(sb, e->cursor, next_cluster(s, sb->len, e->cursor));
		return true;
	case '\n':
	case '\r':
	case KEY_ENTER:
		e->cursor += text_insert(sb, e->cursor, "\n", 1, e->max_bytes);
		return true;
	default:
		if (!ui_key_char(key))
			return false;
		e->cursor += insert_key(sb, e->cursor, key, e->max_bytes);
		return true;
	}
}
