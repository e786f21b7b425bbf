/* The TUI: the state every screen shares, and its entry point. */
#ifndef AIPM_APP_H
#define AIPM_APP_H

#include "cli.h"
#include "content.h"
#include "input.h"
#include "screen.h"
#include "store.h"

#include <stdbool.h>

struct app {
	struct store *store;
	struct learner learner;
	bool signed_in;
	/* The Coach screen opened by a coach, nobody signed in (aipm --coach,
	 * or "I'm a coach"): it is the bottom of the stack. */
	bool coach_mode;
	/* The learner was added just now (on the sign-in screen, or by
	 * --learner with a new name): home greets them with "Welcome", not
	 * "Welcome back". */
	bool first_visit;
	char *content_dir;
	/* Problems found by the last content import, shown on the home screen. */
	struct content_report problems;
	struct screen_manager *screens;
	/* The patterns searched in this session (a lesson or the course),
	 * for Up/Down in the next search prompt. */
	struct ui_history search_history;
};

/* Runs the TUI until the learner quits; returns the exit status. */
int app_run(struct cli_env *env);

/* Signs in (remembering the choice for the next start). */
bool app_sign_in(struct app *app, const struct learner *learner);
/* Opens the Coach screen for a coach, signed out, in place of every
 * screen (remembered: the next start opens it again, until someone signs
 * in). */
void app_open_coach(struct app *app);
/* q or Esc on the bottom screen: asks before leaving the app, so that one
 * q too many on the way back from a lesson does not quit. SCREEN_QUIT on
 * y or Enter, otherwise SCREEN_HANDLED (the screen stays). */
enum screen_action app_ask_quit(void);

/* The modules listed on the home screen, in order: a module appears here
 * once its screen exists (no placeholders). */
struct app_module {
	const char *name;
	const char *description;
	char key; /* opens it from home */
	const struct screen_ops *screen;
};
extern const struct app_module app_modules[];
extern const size_t app_module_count;

/* Every screen. */
extern const struct screen_ops home_screen;
extern const struct screen_ops signin_screen;
extern const struct screen_ops problems_screen;
extern const struct screen_ops lessons_screen;
extern const struct screen_ops reader_screen;
extern const struct screen_ops quiz_screen;
extern const struct screen_ops review_screen;
extern const struct screen_ops glossary_screen;
extern const struct screen_ops search_screen;
extern const struct screen_ops drill_screen;
extern const struct screen_ops lab_screen;
extern const struct screen_ops funnel_screen;
extern const struct screen_ops progress_screen;
extern const struct screen_ops coach_screen;
extern const struct screen_ops notes_screen;
extern const struct screen_ops bookmarks_screen;

#endif
