/* The terminal layer: curses set-up, the theme, glyphs, UTF-8 measuring and
 * clipping, the bars and the modal dialogs. */
#include "ui.h"

#include "fileio.h"
#include "input.h"
#include "textwrap.h"
#include "util.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct ui_caps caps;
static SCREEN *screen;
static attr_t style_attrs[UI_STYLE_COUNT];
static MEVENT last_click;
static bool last_key_was_click;

/* Attributes alone keep every style apart on a monochrome terminal or with
 * NO_COLOR; the kind of row (title, list, status) tells the rest. */
static const attr_t mono_attrs[UI_STYLE_COUNT] = {
	[UI_NORMAL] = A_NORMAL,
	[UI_TITLE] = A_BOLD | A_UNDERLINE,
	[UI_HEADING2] = A_BOLD,
	[UI_DIM] = A_DIM,
	[UI_SELECTED] = A_REVERSE,
	[UI_STATUS] = A_REVERSE,
	[UI_KEY] = A_BOLD,
	[UI_ACCENT] = A_UNDERLINE,
	[UI_GOOD] = A_BOLD,
	[UI_BAD] = A_BOLD | A_UNDERLINE,
	[UI_WARN] = A_BOLD,
	[UI_CITATION] = A_DIM,
	[UI_CODE] = A_BOLD,
	[UI_MATCH] = A_BOLD | A_UNDERLINE,
	[UI_BAR] = A_BOLD,
	[UI_MATCH_CURRENT] = A_REVERSE | A_BOLD,
};

/* fg/bg of each style's colour pair (-1: the terminal's default, or no pair
 * at all when both are -1) and the attributes added to it. */
static const struct {
	short fg, bg;
	attr_t attr;
} color_styles[UI_STYLE_COUNT] = {
	[UI_NORMAL] = {-1, -1, A_NORMAL},
	[UI_TITLE] = {COLOR_CYAN, -1, A_BOLD},
	[UI_HEADING2] = {COLOR_YELLOW, -1, A_BOLD},
	[UI_DIM] = {-1, -1, A_DIM},
	[UI_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL},
	[UI_STATUS] = {-1, -1, A_REVERSE},
	[UI_KEY] = {COLOR_YELLOW, -1, A_BOLD},
	[UI_ACCENT] = {COLOR_CYAN, -1, A_UNDERLINE},
	[UI_GOOD] = {COLOR_GREEN, -1, A_BOLD},
	[UI_BAD] = {COLOR_RED, -1, A_BOLD},
	[UI_WARN] = {COLOR_YELLOW, -1, A_NORMAL},
	[UI_CITATION] = {COLOR_BLUE, -1, A_BOLD},
	[UI_CODE] = {COLOR_MAGENTA, -1, A_NORMAL},
	[UI_MATCH] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL},
	[UI_BAR] = {COLOR_CYAN, -1, A_NORMAL},
	[UI_MATCH_CURRENT] = {COLOR_BLACK, COLOR_GREEN, A_BOLD},
};

static const char *const unicode_glyphs[GLYPH_COUNT] = {
	"─", "│", "•", "→", "✓", "✗", "█", "░", "…", "·",
};
static const char *const ascii_glyphs[GLYPH_COUNT] = {
	"-", "|", "*", ">", "+", "x", "#", ".", "...", ".",
};

/* https://no-color.org: any non-empty value turns colour off. */
static bool color_allowed(void)
{
	const char *no_color = getenv("NO_COLOR");
	return has_colors() && !(no_color && *no_color);
}

static void init_theme(void)
{
	caps.color = false;
	if (color_allowed() && start_color() == OK && COLOR_PAIRS > UI_STYLE_COUNT) {
		caps.color = true;
		bool defaults = use_default_colors() == OK;
		for (int s = 0; s < UI_STYLE_COUNT; s++) {
			short fg = color_styles[s].fg, bg = color_styles[s].bg;
			style_attrs[s] = color_styles[s].attr;
			if (fg < 0 && bg < 0)
				continue;
			/* Without default colours -1 is not allowed: assume the
			 * usual white on black. */
			if (!defaults) {
				fg = fg < 0 ? COLOR_WHITE : fg;
				bg = bg < 0 ? COLOR_BLACK : bg;
			}
			init_pair((short)s, fg, bg);
			style_attrs[s] |= COLOR_PAIR(s);
		}
		return;
	}
	memcpy(style_attrs, mono_attrs, sizeof style_attrs);
}

void ui_text_init(void)
{
	text_locale_init();
	caps.unicode = text_unicode();
}

static bool unusable_terminal(const char *why)
{
	const char *term = getenv("TERM");
	fprintf(stderr, "aipm needs a terminal with cursor movement (TERM=%s %s).\n"
			"Run it in a terminal emulator, or use the command-line mode: aipm --help\n",
		term && *term ? term : "(unset)", why);
	return false;
}

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* A dropped SSH session (SIGHUP) or a plain kill (SIGTERM) must leave the way
 * q does, so that every screen's leave saves what it holds (the reading
 * position). Without SA_RESTART the blocked key read returns at once and the
 * screen loop sees the request. */
static void catch_stop_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool ui_stop_requested(void)
{
	return stop_signal != 0;
}

bool ui_init(void)
{
	/* LC_CTYPE only: numbers must keep '.' whatever the user's locale. */
	setlocale(LC_CTYPE, "");
	ui_text_init();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("aipm: the interactive mode needs a terminal; see aipm --help for the commands\n",
		      stderr);
		return false;
	}
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return unusable_terminal("is not enough");
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return unusable_terminal("is not known on this system");
	char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		endwin();
		delscreen(screen);
		screen = NULL;
		return unusable_terminal("is not enough");
	}
	set_escdelay(25);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	init_theme();
	mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
	wanted |= BUTTON5_PRESSED;
#endif
	caps.mouse = mousemask(wanted, NULL) != 0;
	/* Report presses at once instead of waiting to build clicks: a press
	 * is a click here. */
	mouseinterval(0);
	catch_stop_signals();
	return true;
}

void ui_end(void)
{
	if (!screen)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
}

const struct ui_caps *ui_caps(void)
{
	return &caps;
}

attr_t ui_attr(enum ui_style style)
{
	if ((unsigned)style >= UI_STYLE_COUNT)
		return A_NORMAL;
	return screen ? style_attrs[style] : mono_attrs[style];
}

attr_t ui_attr_merge(attr_t base, attr_t over)
{
	if (over & A_COLOR)
		base &= ~A_COLOR;
	return base | over;
}

const char *ui_glyph(enum ui_glyph g)
{
	if ((unsigned)g >= GLYPH_COUNT)
		return "?";
	return caps.unicode ? unicode_glyphs[g] : ascii_glyphs[g];
}

/* The measuring and wrapping live in textwrap.c, curses-free, so that the
 * CLI wraps text exactly as the screens do. */
struct text_char ui_char_at(const char *s, size_t n)
{
	return text_char_at(s, n);
}

int ui_width_n(const char *s, size_t n)
{
	return text_width_n(s, n);
}

int ui_width(const char *s)
{
	return text_width_n(s, strlen(s));
}

size_t ui_fit_n(const char *s, size_t n, int cols)
{
	return text_fit_n(s, n, cols);
}

size_t ui_fit(const char *s, int cols)
{
	return text_fit_n(s, strlen(s), cols);
}

size_t ui_wrap_line(const char *s, size_t n, int width, size_t *next)
{
	return text_wrap_line(s, n, width, next);
}

/* Draws exactly the characters of s[0..n) (already fitted) from the cursor
 * position; returns their columns. */
static int draw_chars(WINDOW *w, const char *s, size_t n)
{
	int width = 0;
	wchar_t buf[256];
	size_t count = 0;
	for (size_t i = 0; i < n && s[i];) {
		struct text_char ch = ui_char_at(s + i, n - i);
		i += ch.len;
		/* A combining mark with no letter before it would land on the
		 * cell left of the text, which is not ours. */
		if (!ch.shown || (ch.width == 0 && width == 0))
			continue;
		buf[count++] = ch.shown;
		width += ch.width;
		if (count == sizeof buf / sizeof buf[0] - 1) {
			waddnwstr(w, buf, (int)count);
			count = 0;
		}
	}
	if (count)
		waddnwstr(w, buf, (int)count);
	return width;
}

int ui_putn(WINDOW *w, int y, int x, int cols, const char *s, size_t n, attr_t attr)
{
	int maxx = getmaxx(w);
	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= maxx)
		return 0;
	if (cols > maxx - x)
		cols = maxx - x;
	if (cols <= 0)
		return 0;
	size_t shown = n;
	const char *ellipsis = NULL;
	if (ui_width_n(s, n) > cols) {
		ellipsis = ui_glyph(GLYPH_ELLIPSIS);
		int ellipsis_width = ui_width(ellipsis);
		if (cols > ellipsis_width) {
			shown = ui_fit_n(s, n, cols - ellipsis_width);
		} else {
			shown = ui_fit_n(s, n, cols);
			ellipsis = NULL;
		}
	}
	wattrset(w, (int)attr);
	wmove(w, y, x);
	int used = draw_chars(w, s, shown);
	if (ellipsis)
		used += draw_chars(w, ellipsis, strlen(ellipsis));
	wattrset(w, A_NORMAL);
	return used;
}

int ui_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	return ui_putn(w, y, x, cols, s, strlen(s), attr);
}

int ui_put_right(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	int width = ui_width(s);
	if (width < cols)
		x += cols - width, cols = width;
	return ui_put(w, y, x, cols, s, attr);
}

void ui_fill(WINDOW *w, int y, int x, int cols, attr_t attr)
{
	int maxx = getmaxx(w);
	if (y < 0 || y >= getmaxy(w) || x < 0)
		return;
	if (cols > maxx - x)
		cols = maxx - x;
	if (cols <= 0)
		return;
	wattrset(w, (int)attr);
	mvwhline(w, y, x, ' ', cols);
	wattrset(w, A_NORMAL);
}

void ui_hline(WINDOW *w, int y, int x, int cols, attr_t attr)
{
	const char *line = ui_glyph(GLYPH_HLINE);
	for (int i = 0; i < cols && x + i < getmaxx(w); i++)
		ui_put(w, y, x + i, 1, line, attr);
}

int ui_bar(WINDOW *w, int y, int x, int width, double fraction, char ascii_fill, attr_t attr)
{
	static const char *const eighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	if (width <= 0 || !(fraction > 0))
		return 0;
	fraction = fraction > 1 ? 1 : fraction;
	int used;
	if (caps.unicode) {
		long parts = (long)(fraction * width * 8 + 0.5);
		used = (int)(parts / 8);
		for (int i = 0; i < used; i++)
			ui_put(w, y, x + i, 1, "█", attr);
		if (parts % 8) {
			ui_put(w, y, x + used, 1, eighths[parts % 8], attr);
			used++;
		}
	} else {
		used = (int)(fraction * width + 0.5);
		char fill[2] = {ascii_fill, '\0'};
		for (int i = 0; i < used; i++)
			ui_put(w, y, x + i, 1, fill, attr);
	}
	return used;
}

void ui_scrollbar(WINDOW *w, int y, int x, int height, size_t first, size_t shown, size_t total)
{
	if (height < 1 || total <= shown)
		return;
	/* The thumb keeps at least one row, and reaches an end only when the
	 * view does, so that "more below" is never hidden. */
	int thumb = (int)((double)height * (double)shown / (double)total + 0.5);
	thumb = thumb < 1 ? 1 : thumb > height ? height : thumb;
	int from = (int)((double)(height - thumb) * (double)first / (double)(total - shown) + 0.5);
	if (first > 0 && from == 0 && height - thumb > 0)
		from = 1;
	if (first + shown < total && from + thumb == height && from > 0)
		from--;
	for (int row = 0; row < height; row++) {
		bool in_thumb = row >= from && row < from + thumb;
		ui_put(w, y + row, x, 1, ui_glyph(in_thumb ? GLYPH_BLOCK_FULL : GLYPH_VLINE),
		       in_thumb ? A_NORMAL : ui_attr(UI_DIM));
	}
}

void ui_status_bar(WINDOW *w, const char *const *pairs, const char *message)
{
	int y = getmaxy(w) - 1, width = getmaxx(w);
	attr_t bar = ui_attr(UI_STATUS);
	ui_fill(w, y, 0, width, bar);
	int right = width;
	if (message && *message) {
		int msg_width = ui_width(message);
		/* The message matters more than the key list, but leaves room
		 * for the first pair on wide screens. */
		if (msg_width > width - 2)
			msg_width = width - 2;
		right = width - msg_width - 1;
		ui_put(w, y, right, msg_width, message, bar | A_BOLD);
	}
	int x = 1;
	for (size_t i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2) {
		int need = ui_width(pairs[i]) + 1 + ui_width(pairs[i + 1]);
		if (x + need > right - 1)
			break;
		x += ui_put(w, y, x, need, pairs[i], ui_attr(UI_KEY) | bar);
		x += 1;
		x += ui_put(w, y, x, right - x, pairs[i + 1], bar);
		x += 2;
	}
}

void ui_title_bar(WINDOW *w, const char *title, const char *right)
{
	int width = getmaxx(w);
	attr_t bar = ui_attr(UI_STATUS);
	ui_fill(w, 0, 0, width, bar);
	int right_width = right ? ui_width(right) : 0;
	/* The title wins: the right side only gets what is left over. */
	int title_width = ui_put(w, 0, 1, width - 2, title, bar | A_BOLD);
	int room = width - title_width - 4;
	if (right && room > 0) {
		if (right_width > room)
			right_width = room;
		ui_put_right(w, 0, width - 1 - right_width, right_width, right, bar);
	}
}

/* Lines of plain text wrapped to a width, as slices of the original. */
struct text_slice {
	const char *text;
	size_t len;
};
struct wrapped {
	struct text_slice *lines;
	size_t count, cap;
};

static void wrap_text(struct wrapped *out, const char *s, int width)
{
	size_t n = strlen(s);
	size_t pos = 0;
	do {
		size_t next;
		size_t len = ui_wrap_line(s + pos, n - pos, width, &next);
		struct text_slice line = {s + pos, len};
		ARRAY_PUSH(out->lines, out->count, out->cap, line);
		pos += next;
	} while (pos < n);
}

bool ui_too_small(WINDOW *w)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	if (cols >= UI_MIN_COLS && rows >= UI_MIN_ROWS)
		return false;
	werase(w);
	char *msg = xasprintf("Terminal too small: need %dx%d, have %dx%d. "
			      "Enlarge the window or press q to quit.",
			      UI_MIN_COLS, UI_MIN_ROWS, cols, rows);
	struct wrapped lines = {0};
	wrap_text(&lines, msg, cols - 2 > 0 ? cols - 2 : 1);
	int y = (rows - (int)lines.count) / 2;
	for (size_t i = 0; i < lines.count; i++) {
		int width = ui_width_n(lines.lines[i].text, lines.lines[i].len);
		int x = (cols - width) / 2;
		ui_putn(w, y + (int)i, x < 0 ? 0 : x, cols, lines.lines[i].text,
			lines.lines[i].len, i == 0 ? A_BOLD : A_NORMAL);
	}
	free(lines.lines);
	free(msg);
	return true;
}

int ui_getkey(WINDOW *w)
{
	for (;;) {
		wint_t ch;
		int r = wget_wch(w, &ch);
		if (r == ERR)
			return ERR;
		last_key_was_click = false;
		if (r == OK) {
			if (ch >= KEY_MIN && ch <= KEY_MAX)
				return (int)ch | UI_KEY_TEXT;
			return (int)ch;
		}
		if (ch != KEY_MOUSE)
			return (int)ch;
		MEVENT ev;
		if (getmouse(&ev) != OK)
			continue;
		if (ev.bstate & BUTTON4_PRESSED)
			return KEY_UP;
#ifdef BUTTON5_PRESSED
		if (ev.bstate & BUTTON5_PRESSED)
			return KEY_DOWN;
#endif
		if (ev.bstate & BUTTON1_PRESSED) {
			last_click = ev;
			last_key_was_click = true;
			return KEY_MOUSE;
		}
		/* Releases and other buttons: nothing to report. */
	}
}

wchar_t ui_key_char(int key)
{
	if (key & UI_KEY_TEXT)
		return (wchar_t)(key & ~UI_KEY_TEXT);
	if (key < 0x20 || key == 0x7f || (key >= KEY_MIN && key <= KEY_MAX))
		return 0;
	if (key >= 0x80 && key < 0xa0)
		return 0;
	return (wchar_t)key;
}

bool ui_last_click(int *y, int *x)
{
	if (!last_key_was_click)
		return false;
	*y = last_click.y;
	*x = last_click.x;
	return true;
}

bool ui_nav_key(int key, size_t count, int page, bool page_keys, size_t *index)
{
	if (count == 0)
		return false;
	size_t step = page > 1 ? (size_t)page - 1 : 1, last = count - 1, at = *index;
	switch (key) {
	case 'j': case KEY_DOWN: at = at < last ? at + 1 : last; break;
	case 'k': case KEY_UP: at = at > 0 ? at - 1 : 0; break;
	case KEY_NPAGE: at = at + step < last ? at + step : last; break;
	case KEY_PPAGE: at = at > step ? at - step : 0; break;
	case 'g': case KEY_HOME: at = 0; break;
	case 'G': case KEY_END: at = last; break;
	case ' ':
		if (!page_keys)
			return false;
		at = at + step < last ? at + step : last;
		break;
	case 'b':
		if (!page_keys)
			return false;
		at = at > step ? at - step : 0;
		break;
	default: return false;
	}
	*index = at;
	return true;
}

bool ui_key_is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

/* The modal dialogs share one framed, centred box: a title in the top
 * border, a hint in the bottom border, content lines that scroll when the
 * screen is too short, and optionally a one-line input field. */
struct dialog_line {
	const char *key; /* help entries: the key, drawn in the key column */
	const char *text;
	size_t len;
	int x;
	attr_t attr;
};

struct dialog {
	const char *title, *hint;
	const char *const *pairs;
	const char *text;
	struct ui_field *field;
	/* Tab in the field: completes its text (ui_prompt_complete) */
	void (*tab)(struct ui_field *field, void *ctx);
	void *tab_ctx;
	struct ui_history *history; /* Up/Down in the field; may be NULL */
	WINDOW *win;
	struct dialog_line *lines;
	size_t count, cap;
	int top, inner_width, rows;
};

static void dialog_add(struct dialog *d, struct dialog_line line)
{
	ARRAY_PUSH(d->lines, d->count, d->cap, line);
}

static void dialog_add_wrapped(struct dialog *d, const char *key, const char *s, int x, attr_t attr)
{
	struct wrapped lines = {0};
	wrap_text(&lines, s, d->inner_width - x);
	for (size_t i = 0; i < lines.count; i++)
		dialog_add(d, (struct dialog_line){i == 0 ? key : NULL, lines.lines[i].text,
						   lines.lines[i].len, x, attr});
	free(lines.lines);
}

static int widest_line(const char *s)
{
	int widest = 0;
	while (*s) {
		size_t len = strcspn(s, "\n");
		int width = ui_width_n(s, len);
		widest = width > widest ? width : widest;
		s += len + (s[len] == '\n');
	}
	return widest;
}

/* Sizes the box to its content and the screen, and wraps the content to
 * it; called again after a resize. */
static void dialog_layout(struct dialog *d)
{
	int key_col = 0, natural = ui_width(d->title) + 4;
	int hint_width = ui_width(d->hint) + 16; /* with room for "j/k scroll" */
	natural = hint_width > natural ? hint_width : natural;
	for (size_t i = 0; d->pairs && d->pairs[i] && d->pairs[i + 1]; i += 2) {
		int kw = ui_width(d->pairs[i]);
		key_col = kw > key_col ? kw : key_col;
	}
	key_col = key_col > 14 ? 14 : key_col;
	for (size_t i = 0; d->pairs && d->pairs[i] && d->pairs[i + 1]; i += 2) {
		int w = key_col + 2 + ui_width(d->pairs[i + 1]);
		natural = w > natural ? w : natural;
	}
	if (d->text) {
		int w = widest_line(d->text);
		natural = w > natural ? w : natural;
	}
	if (d->field && natural < 40)
		natural = 40;
	natural = natural > 64 ? 64 : natural < 24 ? 24 : natural;
	int box_width = natural + 4 > COLS ? COLS : natural + 4;
	d->inner_width = box_width - 4 > 1 ? box_width - 4 : 1;
	key_col = key_col > d->inner_width / 3 ? d->inner_width / 3 : key_col;

	d->count = 0;
	for (size_t i = 0; d->pairs && d->pairs[i] && d->pairs[i + 1]; i += 2) {
		/* A key wider than the column gets a line of its own, the
		 * description under it, as a man page does: never cut. */
		if (ui_width(d->pairs[i]) > key_col) {
			dialog_add(d, (struct dialog_line){d->pairs[i], "", 0, d->inner_width, A_NORMAL});
			dialog_add_wrapped(d, NULL, d->pairs[i + 1], key_col + 2, A_NORMAL);
		} else {
			dialog_add_wrapped(d, d->pairs[i], d->pairs[i + 1], key_col + 2, A_NORMAL);
		}
	}
	if (d->text) {
		if (d->count)
			dialog_add(d, (struct dialog_line){NULL, "", 0, 0, A_NORMAL});
		dialog_add_wrapped(d, NULL, d->text, 0, A_NORMAL);
	}
	int field_rows = d->field ? 2 : 0;
	int box_height = (int)d->count + field_rows + 2;
	box_height = box_height > LINES ? LINES : box_height;
	d->rows = box_height - 2 - field_rows;
	d->rows = d->rows < 0 ? 0 : d->rows;
	if (d->top > (int)d->count - d->rows)
		d->top = (int)d->count - d->rows > 0 ? (int)d->count - d->rows : 0;
	if (d->win)
		delwin(d->win);
	d->win = newwin(box_height, box_width, (LINES - box_height) / 2, (COLS - box_width) / 2);
	if (d->win)
		keypad(d->win, TRUE);
}

static void dialog_frame(WINDOW *w)
{
	if (ui_caps()->unicode)
		box(w, 0, 0);
	else
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
}

static void dialog_draw(struct dialog *d)
{
	WINDOW *w = d->win;
	int height = getmaxy(w), width = getmaxx(w);
	werase(w);
	dialog_frame(w);
	int title_width = ui_width(d->title);
	if (title_width > width - 6)
		title_width = width - 6;
	ui_put(w, 0, 2, 1, " ", A_NORMAL);
	int used = ui_put(w, 0, 3, title_width, d->title, ui_attr(UI_TITLE));
	ui_put(w, 0, 3 + used, 1, " ", A_NORMAL);
	for (int row = 0; row < d->rows && d->top + row < (int)d->count; row++) {
		const struct dialog_line *line = &d->lines[d->top + row];
		if (line->key)
			ui_put(w, 1 + row, 2, line->x - 1, line->key, ui_attr(UI_KEY));
		ui_putn(w, 1 + row, 2 + line->x, d->inner_width - line->x, line->text, line->len,
			line->attr);
	}
	bool more_above = d->top > 0, more_below = d->top + d->rows < (int)d->count;
	char hint[160];
	snprintf(hint, sizeof hint, " %s%s ", more_above || more_below ? "j/k scroll  " : "",
		 d->hint);
	ui_put_right(w, height - 1, 1, width - 3, hint, ui_attr(UI_DIM));
	if (more_above)
		ui_put(w, 1, width - 1, 1, "^", A_BOLD);
	if (more_below)
		ui_put(w, d->rows, width - 1, 1, "v", A_BOLD);
	if (d->field) {
		ui_field_draw(d->field, w, height - 2, 2, d->inner_width, ui_attr(UI_SELECTED));
		wmove(w, d->field->cursor_y, d->field->cursor_x);
	}
}

/* Scroll keys move the content when it overflows; returns whether the key
 * was one. */
static bool dialog_scroll(struct dialog *d, int key)
{
	int max_top = (int)d->count - d->rows;
	if (max_top <= 0)
		return false;
	size_t top = (size_t)d->top;
	if (!ui_nav_key(key, (size_t)max_top + 1, d->rows, true, &top))
		return false;
	d->top = (int)top;
	return true;
}

/* Shows the dialog and returns the first key that is neither a scroll nor a
 * resize, after letting the field (if any) take its keys. */
static int dialog_run(struct dialog *d, bool (*wanted)(int key))
{
	dialog_layout(d);
	int key;
	for (;;) {
		if (!d->win)
			return UI_KEY_ESC;
		dialog_draw(d);
		wnoutrefresh(stdscr);
		wnoutrefresh(d->win);
		doupdate();
		key = ui_getkey(d->win);
		if (ui_stop_requested()) {
			key = UI_KEY_ESC; /* the cautious answer: cancel */
			break;
		}
		if (key == KEY_RESIZE) {
			/* What was under the box is stale now; the caller redraws
			 * the whole screen afterwards. */
			werase(stdscr);
			dialog_layout(d);
			continue;
		}
		if (d->field && d->tab && key == '\t') {
			d->tab(d->field, d->tab_ctx);
			continue;
		}
		if (d->field && d->history && ui_history_key(d->history, d->field, key))
			continue;
		if (d->field && !ui_key_is_enter(key) && key != UI_KEY_ESC &&
		    ui_field_key(d->field, key))
			continue;
		if (!d->field && dialog_scroll(d, key))
			continue;
		if (key != ERR && (!wanted || wanted(key)))
			break;
	}
	delwin(d->win);
	free(d->lines);
	touchwin(stdscr);
	return key;
}

void ui_help_overlay(const char *title, const char *const *pairs, const char *text)
{
	struct dialog d = {.title = title, .hint = "any key: close", .pairs = pairs, .text = text};
	dialog_run(&d, NULL);
}

int ui_message_key(const char *title, const char *text)
{
	struct dialog d = {.title = title, .hint = "any key: close", .text = text};
	return dialog_run(&d, NULL);
}

void ui_message(const char *title, const char *text)
{
	ui_message_key(title, text);
}

static bool confirm_key(int key)
{
	return key == 'y' || key == 'Y' || key == 'n' || key == 'N' || key == 'q' ||
	       key == UI_KEY_ESC || ui_key_is_enter(key);
}

bool ui_confirm(const char *title, const char *text)
{
	struct dialog d = {.title = title, .hint = "y/Enter: yes  n/Esc: no", .text = text};
	int key = dialog_run(&d, confirm_key);
	return key == 'y' || key == 'Y' || ui_key_is_enter(key);
}

bool ui_ask_yes_no(const char *title, const char *text)
{
	struct dialog d = {.title = title, .hint = "y: yes  n/Esc: no", .text = text};
	int key = dialog_run(&d, confirm_key);
	return key == 'y' || key == 'Y';
}

bool ui_may_write(const char *path, bool *replace)
{
	*replace = false;
	/* The writers take "-" for standard output, which is the screen. */
	if (!strcmp(path, "-")) {
		ui_message("Not a file name",
			   "'-' stands for standard output on the command line; here, give the "
			   "name of a file.");
		return false;
	}
	/* Nothing there, or what the writer refuses even when told to
	 * replace (a link, the database, a folder): no question to ask, the
	 * writer says why. */
	if (!file_exists(path) || file_out_check(path, true, NULL, 0) != 0)
		return true;
	char *text = xasprintf("%s already exists. Replace it? Its contents will be lost.", path);
	bool yes = ui_ask_yes_no("Replace the file?", text);
	free(text);
	*replace = yes;
	return yes;
}

static bool prompt_key(int key)
{
	return key == UI_KEY_ESC || ui_key_is_enter(key);
}

struct completion {
	const char *const *words;
	size_t count;
};

/* Completes the field's last comma-separated item: to the longest prefix
 * its matches share, to the first match when that adds nothing, and with
 * a comma after it when only one word matches. */
static void complete_last_item(struct ui_field *field, void *ctx)
{
	const struct completion *c = ctx;
	const char *text = ui_field_text(field);
	const char *comma = strrchr(text, ',');
	size_t start = comma ? (size_t)(comma - text) + 1 : 0;
	while (text[start] == ' ')
		start++;
	const char *item = text + start;
	size_t len = strlen(item), first = SIZE_MAX, matches = 0, common = 0;
	for (size_t i = 0; i < c->count; i++) {
		if (strncmp(c->words[i], item, len) != 0)
			continue;
		if (first == SIZE_MAX) {
			first = i;
			common = strlen(c->words[i]);
		} else {
			size_t n = 0;
			while (n < common && c->words[i][n] == c->words[first][n])
				n++;
			common = n;
		}
		matches++;
	}
	if (!matches)
		return;
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, text, start);
	if (matches == 1)
		sb_printf(&sb, "%s,", c->words[first]);
	else
		sb_add(&sb, c->words[first], common > len ? common : strlen(c->words[first]));
	ui_field_set(field, sb.data);
	sb_free(&sb);
}

/* One line of text, with Tab completion from words (count 0: none) and
 * Up/Down through history (NULL: none). */
static bool prompt_run(const char *title, const char *label, char *buf, size_t size,
		       const char *const *words, size_t count, struct ui_history *history)
{
	if (size == 0)
		return false;
	struct ui_field field;
	ui_field_init(&field, buf, size - 1);
	struct completion c = {words, count};
	struct dialog d = {.title = title, .text = label, .field = &field, .history = history};
	bool recall = history && history->count;
	d.hint = count && recall ? "Tab: complete  Enter: OK  Esc: cancel  Up/Down: history"
		 : count	 ? "Tab: complete  Enter: OK  Esc: cancel"
		 : recall	 ? "Enter: OK  Esc: cancel  Up/Down: history"
				 : "Enter: OK  Esc: cancel";
	if (count) {
		d.tab = complete_last_item;
		d.tab_ctx = &c;
	}
	if (history)
		ui_history_rewind(history);
	curs_set(1);
	int key = dialog_run(&d, prompt_key);
	curs_set(0);
	bool accepted = ui_key_is_enter(key);
	if (accepted) {
		snprintf(buf, size, "%s", ui_field_text(&field));
		if (history)
			ui_history_add(history, buf);
	}
	ui_field_free(&field);
	return accepted;
}

bool ui_prompt(const char *title, const char *label, char *buf, size_t size)
{
	return prompt_run(title, label, buf, size, NULL, 0, NULL);
}

bool ui_prompt_complete(const char *title, const char *label, char *buf, size_t size,
			const char *const *words, size_t count)
{
	return prompt_run(title, label, buf, size, words, count, NULL);
}

bool ui_prompt_history(const char *title, const char *label, char *buf, size_t size,
		       struct ui_history *history)
{
	return prompt_run(title, label, buf, size, NULL, 0, history);
}

int ui_put_wrapped(WINDOW *w, int y, int x, int width, int max_rows, const char *text,
		   attr_t attr)
{
	size_t len = strlen(text), at = 0;
	int row = 0;
	while (at < len && row < max_rows && width > 0) {
		size_t next;
		size_t n = ui_wrap_line(text + at, len - at, width, &next);
		if (row == max_rows - 1 && at + next < len && next)
			n = len - at; /* the last row: ui_putn ends it with an ellipsis */
		ui_putn(w, y + row, x, width, text + at, n, attr);
		row++;
		if (!next)
			break;
		at += next;
	}
	return row;
}
