/* Sign in: pick a learner who shares this database, or add a new one. The
 * first run has nobody yet and asks for a name straight away. */
#include "app.h"
#include "ui.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define NAME_MAX_BYTES 64

struct signin {
	struct learner *learners;
	size_t count;
	size_t selected; /* == count: "New learner" */
	bool typing;
	char name[NAME_MAX_BYTES + 1];
	char error[160];
};

static void *signin_enter(struct app *app, void *arg)
{
	(void)arg;
	struct signin *s = xcalloc(1, sizeof *s);
	store_learner_list(app->store, &s->learners, &s->count);
	s->typing = s->count == 0;
	for (size_t i = 0; i < s->count; i++)
		if (app->signed_in && s->learners[i].id == app->learner.id)
			s->selected = i;
	return s;
}

static void signin_leave(void *self, struct app *app)
{
	(void)app;
	struct signin *s = self;
	free(s->learners);
	free(s);
}

static void signin_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct signin *s = self;
	int y = top + 1;
	ui_put(w, y++, 2, cols - 4,
	       s->count ? "Who is learning? Progress is kept for each learner on this computer."
			: "Welcome to aipm, the companion to the AI Product Management course.",
	       ui_attr(UI_TITLE));
	y++;
	if (s->typing) {
		ui_put(w, y++, 2, cols - 4, "What's your name? (Enter to start, Esc to go back)",
		       ui_attr(UI_NORMAL));
		y++;
		ui_put(w, y, 2, 8, "Name:", ui_attr(UI_HEADING2));
		int used = ui_put(w, y, 9, cols - 12, s->name, ui_attr(UI_ACCENT) | A_UNDERLINE);
		ui_put(w, y, 9 + used, 1, "_", ui_attr(UI_ACCENT) | A_BLINK);
		y += 2;
		if (s->error[0])
			ui_put(w, y, 2, cols - 4, s->error, ui_attr(UI_BAD));
		return;
	}
	int visible = rows - 4;
	size_t first = s->selected >= (size_t)visible ? s->selected - (size_t)visible + 1 : 0;
	for (size_t i = first; i <= s->count && y < top + rows - 1; i++, y++) {
		bool sel = i == s->selected;
		attr_t a = sel ? ui_attr(UI_SELECTED) : ui_attr(UI_NORMAL);
		if (sel)
			ui_fill(w, y, 2, cols - 4, a);
		char row[256];
		if (i < s->count)
			snprintf(row, sizeof row, " %s", s->learners[i].name);
		else
			snprintf(row, sizeof row, " + New learner%s", ui_glyph(GLYPH_ELLIPSIS));
		ui_put(w, y, 2, cols - 4, row, i < s->count ? a : (sel ? a : ui_attr(UI_ACCENT)));
	}
}

static void name_backspace(char *name)
{
	size_t n = strlen(name);
	while (n > 0) {
		n--;
		/* Stop at the first byte of a UTF-8 sequence. */
		if (((unsigned char)name[n] & 0xC0) != 0x80)
			break;
	}
	name[n] = '\0';
}

static void name_append(char *name, int key)
{
	char buf[MB_LEN_MAX + 1];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(buf, (wchar_t)key, &st);
	if (n == (size_t)-1 || strlen(name) + n > NAME_MAX_BYTES)
		return;
	buf[n] = '\0';
	strcat(name, buf);
}

static enum screen_action create_learner(struct signin *s, struct app *app)
{
	char name[NAME_MAX_BYTES + 1];
	snprintf(name, sizeof name, "%s", s->name);
	str_trim(name);
	if (!*name) {
		snprintf(s->error, sizeof s->error, "Type a name first.");
		return SCREEN_HANDLED;
	}
	struct learner l;
	if (store_learner_by_name(app->store, name, &l) == STORE_OK) {
		snprintf(s->error, sizeof s->error, "%s is already here: pick them from the list.", name);
		s->typing = false;
		return SCREEN_HANDLED;
	}
	if (store_learner_create(app->store, name, &l) != STORE_OK) {
		snprintf(s->error, sizeof s->error, "Could not save: %s", store_errmsg(app->store));
		return SCREEN_HANDLED;
	}
	app_sign_in(app, &l);
	return SCREEN_BACK;
}

static enum screen_action signin_key(void *self, struct app *app, int key)
{
	struct signin *s = self;
	if (s->typing) {
		s->error[0] = '\0';
		if (key == '\n' || key == KEY_ENTER || key == '\r')
			return create_learner(s, app);
		if (key == 27) {
			if (s->count) {
				s->typing = false;
				return SCREEN_HANDLED;
			}
			return app->signed_in ? SCREEN_BACK : SCREEN_QUIT;
		}
		if (key == KEY_BACKSPACE || key == 127 || key == 8)
			name_backspace(s->name);
		else if (key >= 32 && key < KEY_MIN && !(key >= 127 && key < 160))
			name_append(s->name, key);
		return SCREEN_HANDLED;
	}
	switch (key) {
	case 'j':
	case KEY_DOWN:
		if (s->selected < s->count)
			s->selected++;
		return SCREEN_HANDLED;
	case 'k':
	case KEY_UP:
		if (s->selected > 0)
			s->selected--;
		return SCREEN_HANDLED;
	case 'g':
	case KEY_HOME:
		s->selected = 0;
		return SCREEN_HANDLED;
	case 'G':
	case KEY_END:
		s->selected = s->count;
		return SCREEN_HANDLED;
	case 'n':
		s->typing = true;
		return SCREEN_HANDLED;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (s->selected == s->count) {
			s->typing = true;
			return SCREEN_HANDLED;
		}
		app_sign_in(app, &s->learners[s->selected]);
		return SCREEN_BACK;
	case 'q':
	case 27:
		return app->signed_in ? SCREEN_BACK : SCREEN_QUIT;
	default:
		return SCREEN_UNHANDLED;
	}
}

static const char *const signin_keys[] = {"j/k", "move", "Enter", "sign in", "n", "new learner",
					  "q", "back", NULL};
static const char *const typing_keys[] = {"Enter", "start", "Backspace", "delete", "Esc", "back",
					  NULL};

static const char *const *signin_mode_keys(void *self)
{
	struct signin *s = self;
	return s->typing ? typing_keys : signin_keys;
}

static const char *const signin_help[] = {
	"j/k, arrows", "move between learners",
	"Enter", "sign in as the selected learner",
	"n", "add a new learner",
	NULL,
};

const struct screen_ops signin_screen = {
	.title = "Sign in",
	.keys = signin_keys,
	.help_keys = signin_help,
	.help_text = "Several learners can share one computer (a classroom laptop, say): each "
		     "keeps their own progress. Type a name to add yourself.",
	.enter = signin_enter,
	.draw = signin_draw,
	.key = signin_key,
	.leave = signin_leave,
	.mode_keys = signin_mode_keys,
};
