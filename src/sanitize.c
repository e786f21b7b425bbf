#include "sanitize.h"

#include "textwrap.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum char_class { CHAR_SAFE, CHAR_TAB, CHAR_NEWLINE, CHAR_UNSAFE };

/* Unicode's Bidi_Control characters (PropList.txt). */
static bool is_bidi_control(uint32_t c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* The character at s (s[0] != 0) and its length in *len (1 for a bad
 * byte). */
static enum char_class classify(const char *s, size_t n, unsigned *len)
{
	uint32_t c;
	*len = text_decode_utf8((const unsigned char *)s, n, &c);
	if (!*len) {
		*len = 1;
		return CHAR_UNSAFE;
	}
	if (c == '\t')
		return CHAR_TAB;
	if (c == '\n')
		return CHAR_NEWLINE;
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || is_bidi_control(c))
		return CHAR_UNSAFE;
	return CHAR_SAFE;
}

static bool kept(enum char_class k, unsigned keep)
{
	return k == CHAR_SAFE || (k == CHAR_TAB && (keep & SANITIZE_KEEP_TAB)) ||
	       (k == CHAR_NEWLINE && (keep & SANITIZE_KEEP_NEWLINE));
}

/* Where the first character of s[from..n) that keep does not allow
 * starts, its length in *len; n when there is none. */
static size_t next_unsafe(const char *s, size_t n, size_t from, unsigned keep, unsigned *len)
{
	for (size_t i = from; i < n;) {
		/* ASCII text, the common case, without decoding. */
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if (!kept(classify(s + i, n - i, len), keep))
			return i;
		i += *len;
	}
	return n;
}

bool sanitize_is_clean(const char *s, unsigned keep)
{
	size_t n = strlen(s);
	unsigned len;
	return next_unsafe(s, n, 0, keep, &len) == n;
}

void sanitize_append(struct strbuf *sb, const char *s, unsigned keep)
{
	size_t n = strlen(s), run = 0; /* run: the start of the bytes kept as they are */
	unsigned len;
	for (size_t i; (i = next_unsafe(s, n, run, keep, &len)) < n; run = i + len) {
		sb_add(sb, s + run, i - run);
		sb_puts(sb, SANITIZE_PLACEHOLDER);
	}
	sb_add(sb, s + run, n - run);
}

char *sanitize_dup(const char *s, unsigned keep)
{
	struct strbuf sb;
	sb_init(&sb);
	sanitize_append(&sb, s ? s : "", keep);
	return sb_steal(&sb);
}

void sanitize_fputs(const char *s, unsigned keep, FILE *out)
{
	if (sanitize_is_clean(s, keep)) {
		fputs(s, out);
		return;
	}
	char *clean = sanitize_dup(s, keep);
	fputs(clean, out);
	free(clean);
}

int sanitize_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	sanitize_fputs(text, SANITIZE_KEEP_TAB | SANITIZE_KEEP_NEWLINE, out);
	free(text);
	return n;
}

char *sanitize_csv_cell(const char *s)
{
	struct strbuf sb;
	sb_init(&sb);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		sb_putc(&sb, '\'');
	sanitize_append(&sb, s, SANITIZE_KEEP_TAB | SANITIZE_KEEP_NEWLINE);
	return sb_steal(&sb);
}

void sanitize_markdown_cell(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);
	bool word_start = true;
	for (size_t i = 0; i < n;) {
		unsigned len;
		enum char_class k = classify(s + i, n - i, &len);
		char c = s[i];
		if (k == CHAR_TAB || k == CHAR_NEWLINE || c == '\r') {
			sb_putc(sb, ' ');
		} else if (k == CHAR_UNSAFE) {
			sb_puts(sb, SANITIZE_PLACEHOLDER);
		} else if (c == '<') {
			sb_puts(sb, "&lt;");
		} else if (c == '>') {
			sb_puts(sb, "&gt;");
		} else if (c == '&') {
			sb_puts(sb, "&amp;");
		} else if (strchr("[]*_`~\\|@", c) && len == 1) {
			sb_putc(sb, '\\');
			sb_putc(sb, c);
		} else if (c == ':' && !strncmp(s + i, "://", 3)) {
			/* "http://..." and "www...." would be made links by GFM's
			 * autolinks: an escape breaks the pattern. */
			sb_puts(sb, "\\:");
		} else if (word_start && !strncasecmp(s + i, "www.", 4)) {
			sb_add(sb, s + i, 3);
			sb_puts(sb, "\\.");
			len = 4;
		} else {
			sb_add(sb, s + i, len);
		}
		word_start = len == 1 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					   (c >= '0' && c <= '9'));
		i += len;
	}
}

void sanitize_json_append(struct strbuf *sb, const char *json, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)json[i];
		if (c < 0x7f) {
			i++;
			continue;
		}
		uint32_t cp = 0;
		unsigned n = text_decode_utf8((const unsigned char *)json + i, len - i, &cp);
		if (!n)
			n = 1; /* jansson writes valid UTF-8 only: left as it is */
		if (c == 0x7f || (n > 1 && ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)))) {
			sb_add(sb, json + run, i - run);
			/* upper-case hex, as jansson writes its own */
			sb_printf(sb, "\\u%04X", c == 0x7f ? 0x7fu : (unsigned)cp);
			run = i + n;
		}
		i += n;
	}
	sb_add(sb, json + run, len - run);
}

const char *sanitize_name_problem(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t c;
		unsigned len = text_decode_utf8((const unsigned char *)s + i, n - i, &c);
		if (!len)
			return "it is not valid UTF-8 text";
		if (is_bidi_control(c))
			return "it holds a character that reorders text (a bidirectional control)";
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
			return "it holds a control character";
		i += len;
	}
	return NULL;
}
