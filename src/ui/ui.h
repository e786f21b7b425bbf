/* The terminal layer shared by every screen and widget: start/stop curses,
 * the theme (colour when allowed, attributes otherwise), Unicode or ASCII
 * drawing, and width-aware text output. Only src/ui and screens/ include
 * curses. */
#ifndef AIPM_UI_H
#define AIPM_UI_H

#include "textwrap.h"

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Semantic styles; ui_attr maps them to colour pairs or, with NO_COLOR or a
 * monochrome terminal, to bold/underline/reverse. */
enum ui_style {
	UI_NORMAL,
	UI_TITLE,     /* screen titles, headings */
	UI_HEADING2,
	UI_DIM,       /* secondary text */
	UI_SELECTED,  /* the highlighted row of a list */
	UI_STATUS,    /* status bar */
	UI_KEY,       /* a key name in the status bar / help */
	UI_ACCENT,    /* links, glossary terms */
	UI_GOOD,      /* correct, done, gains */
	UI_BAD,       /* wrong, errors, losses */
	UI_WARN,
	UI_CITATION,  /* source citations */
	UI_CODE,
	UI_MATCH,     /* search matches */
	UI_BAR,       /* filled part of bars */
	UI_MATCH_CURRENT, /* the search match n/N went to, apart from the others */
	UI_STYLE_COUNT
};

/* Below this the screen is replaced by a "too small" message. */
#define UI_MIN_COLS 60
#define UI_MIN_ROWS 20

struct ui_caps {
	bool color;   /* colours in use (terminal has them, NO_COLOR unset) */
	bool unicode; /* UTF-8 locale: box drawing, braille, blocks */
	bool mouse;
};

/* Initialises curses for the whole app; returns false (with a message on
 * stderr) when the terminal cannot be used at all. */
bool ui_init(void);
void ui_end(void);
const struct ui_caps *ui_caps(void);
attr_t ui_attr(enum ui_style style);
/* Adds over to base; the colour of over, when it has one, replaces the
 * colour of base (OR-ing two colour pairs would make a third). */
attr_t ui_attr_merge(attr_t base, attr_t over);

/* Glyphs with an ASCII fallback when the locale is not UTF-8. */
enum ui_glyph {
	GLYPH_HLINE,
	GLYPH_VLINE,
	GLYPH_BULLET,
	GLYPH_ARROW_RIGHT,
	GLYPH_CHECK,
	GLYPH_CROSS,
	GLYPH_BLOCK_FULL,
	GLYPH_BLOCK_LIGHT,
	GLYPH_ELLIPSIS,
	GLYPH_DOT_EMPTY,
	GLYPH_COUNT
};
const char *ui_glyph(enum ui_glyph g);

/* Reads the codeset of the current LC_CTYPE into ui_caps()->unicode, which
 * the text functions below follow. ui_init calls it; code that measures
 * text without curses (the CLI, tests) calls it after setlocale. */
void ui_text_init(void);

/* The character at s (s[0] != '\0'), reading at most n bytes, as it will
 * be shown (struct text_char: bytes, columns, what is drawn). */
struct text_char ui_char_at(const char *s, size_t n);

/* Columns a UTF-8 string takes (wide characters count 2, combining 0). */
int ui_width(const char *s);
/* Byte length of the longest prefix of s that fits in cols columns. */
size_t ui_fit(const char *s, int cols);
/* Same for the first n bytes of s. */
int ui_width_n(const char *s, size_t n);
size_t ui_fit_n(const char *s, size_t n, int cols);
/* Word wrap: the byte length of the first line of s[0..n) that fits in
 * width columns, breaking after a space or hyphen when it can and inside a
 * word longer than the line otherwise (never inside a character; at least
 * one character per line). Stops at '\n'. *next gets where the following
 * line starts, the spaces at the break skipped. */
size_t ui_wrap_line(const char *s, size_t n, int width, size_t *next);

/* Draws s at (y, x) clipped to cols columns (an ellipsis when cut), with a
 * style; returns the columns used. Invalid UTF-8 shows as '?'. */
int ui_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr);
/* Same for the first n bytes of s. */
int ui_putn(WINDOW *w, int y, int x, int cols, const char *s, size_t n, attr_t attr);
/* Same, right-aligned within cols. */
int ui_put_right(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr);
/* Word-wraps text into at most max_rows rows of width columns from (y, x),
 * ending the last row with an ellipsis when text is longer; returns the
 * rows used. */
int ui_put_wrapped(WINDOW *w, int y, int x, int width, int max_rows, const char *text,
		   attr_t attr);
/* Fills a row from x with spaces in attr. */
void ui_fill(WINDOW *w, int y, int x, int cols, attr_t attr);
void ui_hline(WINDOW *w, int y, int x, int cols, attr_t attr);
/* A horizontal bar for fraction (0..1) of width columns at (y, x): eighth
 * blocks with UTF-8, ascii_fill characters otherwise; returns the columns
 * it took (the caller draws any track after them). */
int ui_bar(WINDOW *w, int y, int x, int width, double fraction, char ascii_fill, attr_t attr);
/* A one-column scroll indicator of height rows at (y, x) for a view showing
 * shown of total lines from first; draws nothing when all fit. */
void ui_scrollbar(WINDOW *w, int y, int x, int height, size_t first, size_t shown, size_t total);

/* The status bar on the last row: "key label" pairs, e.g.
 * {"j/k", "move", "Enter", "open", NULL}. */
void ui_status_bar(WINDOW *w, const char *const *pairs, const char *message);
/* The title bar on the first row: title left, context right. */
void ui_title_bar(WINDOW *w, const char *title, const char *right);

/* A centred "terminal too small" notice; true when it was drawn. */
bool ui_too_small(WINDOW *w);

/* The help overlay: a framed box listing key/description pairs (NULL
 * terminated pairs) and a paragraph; waits for any key. */
void ui_help_overlay(const char *title, const char *const *pairs, const char *text);

/* Modal dialogs, centred over the current screen. ui_message waits for a
 * key; ui_confirm returns true for y/Enter; ui_prompt edits one line of text
 * into buf (returns false on Esc). */
void ui_message(const char *title, const char *text);
/* The same, returning the key that closed it (for a message whose keys
 * do something, such as a number opening what it lists). */
int ui_message_key(const char *title, const char *text);
bool ui_confirm(const char *title, const char *text);
bool ui_prompt(const char *title, const char *label, char *buf, size_t size);
/* ui_prompt for a comma-separated list: Tab completes the last item from
 * words (the longest prefix its matches share, then the first match; a
 * single match gets its comma). */
bool ui_prompt_complete(const char *title, const char *label, char *buf, size_t size,
			const char *const *words, size_t count);
/* The same with Up/Down through history (see input.h); what is accepted
 * is added to it. */
struct ui_history;
bool ui_prompt_history(const char *title, const char *label, char *buf, size_t size,
		       struct ui_history *history);
/* A yes/no question whose default is no: only y answers yes; n, q, Esc
 * and Enter answer no (for what cannot be undone). */
bool ui_ask_yes_no(const char *title, const char *text);
/* Before writing path: when a file the writer could replace is there
 * already, asks whether to replace it. False when the user said no;
 * otherwise *replace says whether the writer may replace the file (a link
 * or the database is not asked about: the writer refuses it). "-" (the
 * writers' standard output, the screen) is refused with a message. */
bool ui_may_write(const char *path, bool *replace);

/* Reads a key as an int (wide characters included, KEY_* codes); mouse
 * wheel events come back as KEY_UP/KEY_DOWN. Resize comes as KEY_RESIZE.
 * A left click comes back as KEY_MOUSE (see ui_last_click). A typed
 * character whose code point lies in the KEY_* range (U+0101..U+01FF, such
 * as 'ā') comes back with UI_KEY_TEXT set so that it is not mistaken for a
 * function key; ui_key_char gives the character back. */
int ui_getkey(WINDOW *w);
/* True once SIGHUP or SIGTERM arrived (after ui_init): the key read returns
 * ERR and the caller should leave as if the user quit. */
bool ui_stop_requested(void);
#define UI_KEY_TEXT 0x40000000
/* The character a key types, or 0 for function keys and control keys. */
wchar_t ui_key_char(int key);
/* Where the last left click was, in screen coordinates; false when the
 * last key read was not a click. */
bool ui_last_click(int *y, int *x);
#define UI_KEY_ESC 27
#define UI_CTRL(c) ((c) & 0x1f)
/* The shared movement keys of lists, tables and views: j/k and arrows one
 * step, PgUp/PgDn (and Space/b when page_keys) a page of page rows, g/Home
 * and G/End the ends. Moves *index within [0, count); false when key is not
 * a movement key. */
bool ui_nav_key(int key, size_t count, int page, bool page_keys, size_t *index);
/* Whether a key is Enter in any of its forms. */
bool ui_key_is_enter(int key);

#endif
