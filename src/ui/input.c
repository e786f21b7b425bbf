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
	size_t len = strcspn(text, "\n"), n = 0;
	/* Cut to max_bytes on a character boundary. */
	while (n < len) {
		size_t step = ui_char_at(text + n, len - n).len;
		if (f->max_bytes && n + step > f->max_bytes)
			break;
		n += step;
	}
	sb_add(&f->text, text, n);
	f->cursor = f->text.len;
	f->scroll = 0;
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
