#include "app.h"
#include "lessons_screens.h"

#include "sanitize.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct app_module app_modules[] = {
	{"Lessons", "read the course, take the quizzes", 'l', &lessons_screen},
	{"Interview drill", "estimation and PM interview questions", 'd', &drill_screen},
	{"Daily review", "today's due quiz and drill questions in one session", 'r', &review_screen},
	{"Model lab", "train a sentiment classifier, as in the live notebook", 'm', &lab_screen},
	{"Funnels", "the AARRR funnel, event logs, breakdowns, A/B checks", 'f', &funnel_screen},
	{"Progress", "your lessons, scores, drills and experiments", 'p', &progress_screen},
	{"Coach", "cohort reports from imported progress bundles", 'c', &coach_screen},
	{NULL, NULL, 0, NULL},
};
const size_t app_module_count = sizeof app_modules / sizeof app_modules[0] - 1;

/* What the next start opens when no --learner or --coach says: "coach",
 * or the last learner. */
#define START_SETTING "start"

bool app_sign_in(struct app *app, const struct learner *learner)
{
	app->learner = *learner;
	bool before = true;
	store_learner_sign_in(app->store, learner->id, &before);
	app->first_visit = !before;
	app->signed_in = true;
	app->coach_mode = false;
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)learner->id);
	/* Remembering is a convenience: a read-only database still signs in. */
	store_setting_set(app->store, "last_learner", id);
	store_setting_set(app->store, START_SETTING, "learner");
	return true;
}

void app_open_coach(struct app *app)
{
	memset(&app->learner, 0, sizeof app->learner);
	app->signed_in = false;
	app->coach_mode = true;
	store_setting_set(app->store, START_SETTING, "coach");
	screen_reset(app->screens, &coach_screen, NULL);
}

/* --learner NAME, else the last learner unless a coach chose the Coach
 * screen last, else nobody (sign-in asks). Whether the Coach screen opens
 * instead. */
static bool pick_learner(struct app *app, struct cli_env *env)
{
	struct learner l;
	if (env->learner) {
		if (store_learner_by_name(app->store, env->learner, &l) == STORE_OK) {
			app_sign_in(app, &l);
		} else if (store_learner_create(app->store, env->learner, &l) == STORE_OK) {
			app_sign_in(app, &l);
		}
		return false;
	}
	if (env->coach)
		return true;
	char *start = store_setting_get(app->store, START_SETTING);
	bool coach = start && !strcmp(start, "coach");
	free(start);
	if (coach)
		return true;
	char *last = store_setting_get(app->store, "last_learner");
	if (last && store_learner_by_id(app->store, strtoll(last, NULL, 10), &l) == STORE_OK)
		app_sign_in(app, &l);
	free(last);
	return false;
}

static void open_next_lesson(struct app *app)
{
	if (app->signed_in)
		lessons_open_next(app);
}

int app_run(struct cli_env *env)
{
	struct app app;
	memset(&app, 0, sizeof app);
	char *path = env->db_path ? xstrdup(env->db_path) : store_default_path();
	if (!path) {
		fprintf(stderr, "aipm: %s\n", store_no_default_path());
		return 1;
	}
	char err[1024];
	if (store_open(path, &app.store, err, sizeof err) != STORE_OK) {
		sanitize_printf(stderr, "aipm: %s\n", err);
		free(path);
		return 1;
	}
	free(path);
	app.content_dir = content_default_dir(env->content);
	bool imported;
	if (content_import(app.store, app.content_dir, false, &app.problems, &imported, err,
			   sizeof err) != STORE_OK) {
		sanitize_printf(stderr, "aipm: %s\n", err);
		store_close(app.store);
		free(app.content_dir);
		content_report_free(&app.problems);
		return 1;
	}
	bool coach = pick_learner(&app, env);
	if (!ui_init()) {
		store_close(app.store);
		free(app.content_dir);
		content_report_free(&app.problems);
		return 1;
	}
	app.screens = screen_manager_new(&app);
	screen_bind_global(app.screens, UI_CTRL('n'), "Ctrl-N", "open the next unfinished lesson",
			   open_next_lesson);
	if (coach) {
		app.coach_mode = true;
		screen_push(app.screens, &coach_screen, NULL);
	} else {
		screen_push(app.screens, &home_screen, NULL);
		if (!app.signed_in)
			screen_push(app.screens, &signin_screen, NULL);
	}
	if (store_is_readonly(app.store))
		screen_flash(app.screens, "The database is read-only: you can read, but nothing will be saved.");
	screen_manager_run(app.screens);
	screen_manager_free(app.screens);
	ui_history_free(&app.search_history);
	ui_end();
	store_close(app.store);
	free(app.content_dir);
	content_report_free(&app.problems);
	return 0;
}

enum screen_action app_ask_quit(void)
{
	return ui_confirm("Quit aipm?", "y or Enter quits; n, q or Esc stays.")
		   ? SCREEN_QUIT
		   : SCREEN_HANDLED;
}
