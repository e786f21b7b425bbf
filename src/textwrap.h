/* Measuring and word-wrapping UTF-8 text in terminal columns, with no
 * curses: the text view draws what this wraps, and `aipm lessons show`
 * prints it, so both break lines in the same places. */
#ifndef AIPM_TEXTWRAP_H
#define AIPM_TEXTWRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Reads whether LC_CTYPE is UTF-8 (call after setlocale). Without UTF-8
 * every character takes one column and is shown as an ASCII stand-in. */
void text_locale_init(void);
bool text_unicode(void);

/* One character of UTF-8 text as it will be shown. */
struct text_char {
	unsigned len;  /* bytes it takes in the string (1 for an invalid byte) */
	int width;     /* columns: 2 wide, 0 combining, 1 otherwise */
	wchar_t shown; /* what is drawn: the character, '?' for an invalid or
			* non-printable one, an ASCII stand-in without UTF-8,
			* 0 when nothing is drawn (a combining mark in ASCII) */
};
/* The character at s (s[0] != '\0'), reading at most n bytes. */
struct text_char text_char_at(const char *s, size_t n);

/* A copy of s that is valid UTF-8 (bad bytes become U+FFFD) with control
 * characters shown as '?': text from a file or a bundle made safe to
 * print to a terminal or into JSON. Malloc'd. */
char *text_clean(const char *s);

/* Columns the first n bytes of s take (stopping at a NUL). */
int text_width_n(const char *s, size_t n);
/* Byte length of the longest prefix of s[0..n) that fits in cols columns;
 * zero-width characters after it stay with it. */
size_t text_fit_n(const char *s, size_t n, int cols);

/* The byte length of the first line of s[0..n) that fits in width columns,
 * breaking after a space or hyphen when it can and inside a word longer
 * than the line otherwise (never inside a character; at least one
 * character per line). Stops at '\n'. *next gets where the following line
 * starts, the spaces at the break skipped. */
size_t text_wrap_line(const char *s, size_t n, int width, size_t *next);

/* One wrapped line: bytes [start, end) of paragraph para, drawn from
 * column x. */
struct text_line {
	size_t para, start, end;
	int x;
};
/* Appends the lines of one paragraph (its first line at column indent, the
 * others at hang) wrapped to width columns. An empty paragraph is one
 * empty line. */
void text_wrap_para(const char *text, size_t len, int indent, int hang, int width, size_t para,
		    struct text_line **lines, size_t *count, size_t *cap);

#endif
