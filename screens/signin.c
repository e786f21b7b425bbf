/* Sign in: pick a learner who shares this database, add a new one, or
 * open the Coach screen as a coach, who is not a learner (nobody is added
 * and the choice is remembered for the next start). The first run has
 * nobody yet and offers the two: a learner's name, or a coach. */
#include "app.h"
#include "input.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES 64

struct signin {
	struct learner *learners;
	size_t count;
	char **rows; /* learner names, then "+ New learner", then "I'm a coach" */
	struct ui_list list;
	bool typing;
	struct ui_field name;
	bool quits; /* q and Esc leave the app: there is no screen to go back to */
	char error[160];
};

/* Where q and Esc lead: back to the screen below, or out of the app when
 * there is none to go back to (the first start, nobody signed in). */
static enum screen_action leave(const struct app *app)
{
	return app->signed_in || app->coach_mode ? SCREEN_BACK : app_ask_quit();
}

static void *signin_enter(struct app *app, void *arg)
{
	(void)arg;
	struct signin *s = xcalloc(1, sizeof *s);
	store_learner_list(app->store, &s->learners, &s->count);
	s->rows = xcalloc(s->count + 2, sizeof *s->rows);
	for (size_t i = 0; i < s->count; i++)
		s->rows[i] = xasprintf(" %s", s->learners[i].name);
	s->rows[s->count] = s->count ? xasprintf(" + New learner%s", ui_glyph(GLYPH_ELLIPSIS))
				     : xasprintf(" I'm a learner: add my name%s",
						 ui_glyph(GLYPH_ELLIPSIS));
	s->rows[s->count + 1] = xstrdup(" I'm a coach: open the cohort (no name needed)");
	ui_list_init(&s->list);
	ui_list_set_items(&s->list, (const char *const *)s->rows, s->count + 2);
	for (size_t i = 0; i < s->count; i++)
		if (app->signed_in && s->learners[i].id == app->learner.id)
			ui_list_select(&s->list, i);
	ui_field_init(&s->name, "", NAME_MAX_BYTES);
	s->quits = !app->signed_in && !app->coach_mode;
	return s;
}

static void signin_leave(void *self, struct app *app)
{
	(void)app;
	struct signin *s = self;
	for (size_t i = 0; i < s->count + 2; i++)
		free(s->rows[i]);
	free(s->rows);
	ui_list_free(&s->list);
	ui_field_free(&s->name);
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
	if (!s->count && !s->typing) {
		ui_put(w, y++, 2, cols - 4,
		       "Are you taking the course, or coaching the people who do?", ui_attr(UI_NORMAL));
		y++;
	}
	if (s->typing) {
		ui_put(w, y++, 2, cols - 4, "What's your name? (Enter to start, Esc to go back)",
		       ui_attr(UI_NORMAL));
		y++;
		ui_put(w, y, 2, 8, "Name:", ui_attr(UI_HEADING2));
		ui_field_draw(&s->name, w, y, 9, cols - 12 < 40 ? cols - 12 : 40, ui_attr(UI_ACCENT));
		y += 2;
		if (s->error[0])
			ui_put(w, y, 2, cols - 4, s->error, ui_attr(UI_BAD));
		return;
	}
	if (s->error[0])
		ui_put(w, top + rows - 1, 2, cols - 4, s->error, ui_attr(UI_BAD));
	ui_list_draw(&s->list, w, y, 2, rows - 4, cols - 4);
}

static enum screen_action create_learner(struct signin *s, struct app *app)
{
	char name[NAME_MAX_BYTES + 1];
	snprintf(name, sizeof name, "%s", ui_field_text(&s->name));
	str_trim(name);
	if (!*name) {
		snprintf(s->error, sizeof s->error, "Type a name first.");
		return SCREEN_HANDLED;
	}
	struct learner l;
	const char *problem = store_learner_name_problem(name);
	if (problem) {
		snprintf(s->error, sizeof s->error, "That cannot be a name: %s.", problem);
		return SCREEN_HANDLED;
	}
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
	screen_reset(app->screens, &home_screen, NULL);
	return SCREEN_HANDLED;
}


static enum screen_action signin_key(void *self, struct app *app, int key)
{
	struct signin *s = self;
	if (s->typing) {
		s->error[0] = '\0';
		if (ui_key_is_enter(key))
			return create_learner(s, app);
		if (key == UI_KEY_ESC) {
			/* Back to the list: the learners, or the first start's choice. */
			s->typing = false;
			return SCREEN_HANDLED;
		}
		ui_field_key(&s->name, key);
		return SCREEN_HANDLED;
	}
	if (ui_list_key(&s->list, key))
		return SCREEN_HANDLED;
	size_t selected = ui_list_selected(&s->list);
	if (key == 'n' || (ui_key_is_enter(key) && selected == s->count)) {
		s->typing = true;
		return SCREEN_HANDLED;
	}
	if (key == 'c' || (ui_key_is_enter(key) && selected == s->count + 1)) {
		app_open_coach(app);
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key) && selected < s->count) {
		app_sign_in(app, &s->learners[selected]);
		screen_reset(app->screens, &home_screen, NULL);
		return SCREEN_HANDLED;
	}
	if (key == 'q' || key == UI_KEY_ESC)
		return leave(app);
	return SCREEN_UNHANDLED;
}

static const char *const signin_keys[] = {"j/k", "move", "Enter", "sign in", "n", "new learner",
					  "c", "coach", "q", "back", NULL};
static const char *const first_keys[] = {"j/k", "move", "Enter", "choose", "n", "new learner",
					 "c", "coach", "q", "quit", NULL};
static const char *const typing_keys[] = {"Enter", "start", "Backspace", "delete", "Esc", "back",
					  NULL};

static const char *const *signin_mode_keys(void *self)
{
	struct signin *s = self;
	return s->typing ? typing_keys : s->quits ? first_keys : signin_keys;
}

static const char *const signin_help[] = {
	"j/k, arrows", "move between learners",
	"Enter", "sign in as the selected learner",
	"n", "add a new learner",
	"c", "open the Coach screen as a coach, without becoming a learner here",
	NULL,
};

const struct screen_ops signin_screen = {
	.title = "Sign in",
	.keys = signin_keys,
	.help_keys = signin_help,
	.help_text = "Several learners can share one computer (a classroom laptop, say): each "
		     "keeps their own progress. Type a name to add yourself. A coach who imports "
		     "their learners' progress bundles picks I'm a coach (or starts aipm --coach): "
		     "the coach is not added as a learner.",
	.enter = signin_enter,
	.draw = signin_draw,
	.key = signin_key,
	.leave = signin_leave,
	.mode_keys = signin_mode_keys,
};
