#include "textwrap.h"

#include "util.h"

#include <langinfo.h>
#include <stdint.h>
#include <string.h>

static bool unicode;

void text_locale_init(void)
{
	unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

bool text_unicode(void)
{
	return unicode;
}

/* The content is UTF-8 whatever the locale, so this does not go through
 * mbrtowc, which in the C locale would turn every byte of "—" into a '?'. */
unsigned text_decode_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	unsigned len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (unsigned i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Marks that attach to the previous character; only needed without a UTF-8
 * locale, where wcwidth knows nothing beyond ASCII. */
static bool is_zero_width(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	       (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x200b && c <= 0x200f) ||
	       (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe00 && c <= 0xfe0f) ||
	       (c >= 0xfe20 && c <= 0xfe2f);
}

/* Stand-ins for the punctuation and Latin letters the course text uses, so
 * that an ASCII terminal reads "it's - cafe" rather than "it?s ? caf?". */
static wchar_t ascii_stand_in(uint32_t c)
{
	static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
	if (c >= 0xc0 && c <= 0xff)
		return (wchar_t)latin1[c - 0xc0];
	switch (c) {
	case 0xa0: return ' ';
	case 0x2018: case 0x2019: case 0x2032: return '\'';
	case 0x201c: case 0x201d: case 0x2033: return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: return '-';
	case 0x2022: case 0x00b7: return '*';
	case 0x2192: case 0x203a: return '>';
	case 0x2190: case 0x2039: return '<';
	default: return '?';
	}
}

struct text_char text_char_at(const char *s, size_t n)
{
	uint32_t c;
	unsigned len = text_decode_utf8((const unsigned char *)s, n, &c);
	if (!len)
		return (struct text_char){1, 1, L'?'};
	if (unicode) {
		int w = wcwidth((wchar_t)c);
		if (w < 0)
			return (struct text_char){len, 1, L'?'};
		return (struct text_char){len, w, (wchar_t)c};
	}
	if (c < 0x80)
		return (struct text_char){len, 1, c >= 0x20 && c < 0x7f ? (wchar_t)c : L'?'};
	if (is_zero_width(c))
		return (struct text_char){len, 0, 0};
	return (struct text_char){len, 1, ascii_stand_in(c)};
}

int text_width_n(const char *s, size_t n)
{
	int width = 0;
	for (size_t i = 0; i < n && s[i];) {
		struct text_char ch = text_char_at(s + i, n - i);
		width += ch.width;
		i += ch.len;
	}
	return width;
}

size_t text_fit_n(const char *s, size_t n, int cols)
{
	int width = 0;
	size_t i = 0;
	while (i < n && s[i]) {
		struct text_char ch = text_char_at(s + i, n - i);
		if (width + ch.width > cols)
			break;
		width += ch.width;
		i += ch.len;
	}
	return i;
}

size_t text_wrap_line(const char *s, size_t n, int width, size_t *next)
{
	if (width < 1)
		width = 1;
	int used = 0;
	size_t i = 0;
	size_t break_end = 0, break_next = 0; /* the last place the line may end */
	bool can_break = false;
	/* A word with a digit in it (a lesson id "m5-why-ai-products-fail", a
	 * time range "(37:47)-(39:27)", a date) never breaks at its hyphens. */
	bool word_has_digit = false;
	bool in_word = false;
	while (i < n && s[i] && s[i] != '\n') {
		if (s[i] == ' ') {
			/* Spaces at a break show at neither end; leading ones
			 * are indentation and stay. */
			size_t end = i;
			while (i < n && s[i] == ' ')
				i++;
			if (end > 0)
				break_end = end, break_next = i, can_break = true;
			used += (int)(i - end);
			in_word = false;
			continue;
		}
		if (!in_word) {
			in_word = true;
			word_has_digit = false;
			for (size_t j = i; j < n && s[j] && s[j] != ' ' && s[j] != '\n'; j++)
				word_has_digit |= s[j] >= '0' && s[j] <= '9';
		}
		struct text_char ch = text_char_at(s + i, n - i);
		if (used + ch.width > width && i > 0) {
			*next = can_break ? break_next : i;
			return can_break ? break_end : i;
		}
		used += ch.width;
		i += ch.len;
		/* After the hyphen of a compound word; never inside an
		 * option such as "--balanced". */
		if (!word_has_digit && s[i - 1] == '-' && i > 1 && s[i - 2] != ' ' && s[i - 2] != '-' &&
		    i < n && s[i] && s[i] != ' ' && s[i] != '-' && s[i] != '\n')
			break_end = i, break_next = i, can_break = true;
	}
	*next = i < n && s[i] == '\n' ? i + 1 : i;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	return i;
}

void text_wrap_para(const char *text, size_t len, int indent, int hang, int width, size_t para,
		    struct text_line **lines, size_t *count, size_t *cap)
{
	size_t pos = 0;
	bool first = true;
	/* The leading spaces of the source line being wrapped: its own
	 * continuation lines keep them (a code block's indentation). */
	int lead = 0;
	bool continued = false;
	do {
		if (!continued) {
			lead = 0;
			while (pos + (size_t)lead < len && text[pos + (size_t)lead] == ' ')
				lead++;
		}
		int x = first ? indent : continued ? hang + lead : hang;
		/* An indent wider than the view gives way to the text. */
		x = x > width - 1 ? width - 1 : x;
		x = x < 0 ? 0 : x;
		size_t next;
		size_t n = text_wrap_line(text + pos, len - pos, width - x, &next);
		struct text_line line = {para, pos, pos + n, x};
		ARRAY_PUSH(*lines, *count, *cap, line);
		continued = next > 0 && text[pos + next - 1] != '\n';
		pos += next;
		first = false;
	} while (pos < len);
}
