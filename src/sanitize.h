/* Text from outside aipm (a learner's progress bundle, a course folder, a
 * model file, the header of someone's CSV) made safe for where it is
 * printed: a terminal, a spreadsheet, a Markdown report. Every CLI output
 * goes through here (the table and CSV writers, the JSON writer, the
 * Markdown report, error messages, plain lines).
 *
 * What a terminal must never receive raw: C0 control characters (ESC
 * starts the sequences that set the window title, clear the screen, hide
 * text or move the cursor over earlier lines; CR overwrites a line), DEL,
 * the C1 controls U+0080-U+009F (U+009B is a one-character CSI), Unicode's
 * bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069: they reorder what is shown, so "exe.txt" can read
 * "txt.exe"), and bytes that are not UTF-8 (a lone 0x9B is CSI to an 8-bit
 * terminal). Each such character, and each bad byte, becomes a visible
 * placeholder. No curses: the CLI and the tests share it. */
#ifndef AIPM_SANITIZE_H
#define AIPM_SANITIZE_H

#include "util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What an unsafe character becomes: U+FFFD REPLACEMENT CHARACTER. */
#define SANITIZE_PLACEHOLDER "\xEF\xBF\xBD"

/* The controls a text may keep, as flags (0: none, one line). */
enum {
	SANITIZE_LINE = 0,
	SANITIZE_KEEP_TAB = 1,     /* moves the cursor right, never back */
	SANITIZE_KEEP_NEWLINE = 2, /* a line feed: multi-line text, CSV cells */
};

/* Whether s (NUL-terminated) needs no change under keep. */
bool sanitize_is_clean(const char *s, unsigned keep);
/* s into sb with every unsafe character and bad byte replaced. */
void sanitize_append(struct strbuf *sb, const char *s, unsigned keep);
/* The same as a malloc'd string. */
char *sanitize_dup(const char *s, unsigned keep);
/* Writes s sanitised. */
void sanitize_fputs(const char *s, unsigned keep, FILE *out);
/* printf whose whole output is sanitised, its tabs and line feeds kept:
 * for lines that carry outside text. */
int sanitize_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A text cell for a CSV file opened in a spreadsheet: sanitised (tabs and
 * line feeds kept, libcsv quotes them), and, as OWASP advises against
 * formula injection, a cell that starts with '=', '+', '-', '@', a tab or
 * a CR gets a leading "'", so that it is read as text, not a formula.
 * Malloc'd. */
char *sanitize_csv_cell(const char *s);

/* Learner-supplied text for one cell of a Markdown table: sanitised to
 * one line (line breaks and tabs become spaces), HTML escaped ("<" "&lt;",
 * ">" "&gt;", "&" "&amp;"), the characters of Markdown's links, images,
 * emphasis and code ("[", "]", "*", "_", "`", "~", "\", "|") and of
 * GFM's autolinks ("@", the ":" of "://", the "." of "www.")
 * backslash-escaped, so that a renderer shows the text as written and
 * makes no link, image or tag of it. */
void sanitize_markdown_cell(struct strbuf *sb, const char *s);

/* JSON text as jansson wrote it (every string already escaped by its
 * rules) into sb, with DEL, C1 and bidirectional controls written as
 * \uXXXX escapes too: the same JSON value, safe on a terminal. They can
 * only be inside strings, where the escape means the same character. */
void sanitize_json_append(struct strbuf *sb, const char *json, size_t len);

/* Why s cannot be a learner's name (a control character of any kind, a
 * bidirectional control, invalid UTF-8), or NULL when it can. */
const char *sanitize_name_problem(const char *s);

#endif
