#include "screen.h"

#include "ui.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct screen_frame {
	const struct screen_ops *ops;
	void *self;
};

struct global_key {
	int key;
	const char *name, *description;
	void (*action)(struct app *app);
};

struct screen_manager {
	struct app *app;
	struct global_key *globals;
	size_t nglobals, capglobals;
	struct screen_frame *stack;
	size_t depth, cap;
	char flash[256];
	bool quit;
};

struct screen_manager *screen_manager_new(struct app *app)
{
	struct screen_manager *sm = xcalloc(1, sizeof *sm);
	sm->app = app;
	return sm;
}

static void pop(struct screen_manager *sm)
{
	if (!sm->depth)
		return;
	struct screen_frame *f = &sm->stack[--sm->depth];
	if (f->ops->leave)
		f->ops->leave(f->self, sm->app);
}

void screen_manager_free(struct screen_manager *sm)
{
	if (!sm)
		return;
	while (sm->depth)
		pop(sm);
	free(sm->stack);
	free(sm->globals);
	free(sm);
}

void screen_push(struct screen_manager *sm, const struct screen_ops *ops, void *arg)
{
	void *self = ops->enter ? ops->enter(sm->app, arg) : NULL;
	struct screen_frame f = {ops, self};
	ARRAY_PUSH(sm->stack, sm->depth, sm->cap, f);
}

void screen_reset(struct screen_manager *sm, const struct screen_ops *ops, void *arg)
{
	while (sm->depth)
		pop(sm);
	screen_push(sm, ops, arg);
}

void screen_bind_global(struct screen_manager *sm, int key, const char *key_name,
			const char *description, void (*action)(struct app *app))
{
	struct global_key g = {key, key_name, description, action};
	ARRAY_PUSH(sm->globals, sm->nglobals, sm->capglobals, g);
}

void screen_flash(struct screen_manager *sm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sm->flash, sizeof sm->flash, fmt, ap);
	va_end(ap);
}

static void draw(struct screen_manager *sm)
{
	werase(stdscr);
	if (ui_too_small(stdscr)) {
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	struct screen_frame *f = &sm->stack[sm->depth - 1];
	const char *right = f->ops->context ? f->ops->context(f->self, sm->app) : NULL;
	ui_title_bar(stdscr, f->ops->title, right);
	f->ops->draw(f->self, sm->app, stdscr, 1, LINES - 2, COLS);
	const char *const *keys = f->ops->mode_keys ? f->ops->mode_keys(f->self) : f->ops->keys;
	ui_status_bar(stdscr, keys, sm->flash[0] ? sm->flash : NULL);
	wnoutrefresh(stdscr);
	doupdate();
}

/* The screen's keys, then the global ones unless the screen holds them
 * now, then q/Esc unless the screen says what its Esc does. */
static void show_help(const struct screen_manager *sm, const struct screen_ops *ops, void *self)
{
	const char *pairs[64];
	int n = 0;
	bool own_esc = false;
	for (int i = 0; ops->help_keys && ops->help_keys[i] && n < 50; i++) {
		if (i % 2 == 0 && strstr(ops->help_keys[i], "Esc"))
			own_esc = true;
		pairs[n++] = ops->help_keys[i];
	}
	bool held = ops->holds && ops->holds(self);
	for (size_t i = 0; i < sm->nglobals && n < 56 && !held; i++) {
		pairs[n++] = sm->globals[i].name;
		pairs[n++] = sm->globals[i].description;
	}
	pairs[n++] = "?";
	pairs[n++] = "this help";
	if (!own_esc) {
		pairs[n++] = "q / Esc";
		pairs[n++] = sm->depth > 1 ? "back" : "leave aipm";
	}
	pairs[n++] = "Ctrl-L";
	pairs[n++] = "redraw";
	pairs[n] = NULL;
	ui_help_overlay(ops->title, pairs, ops->help_text);
}

void screen_manager_run(struct screen_manager *sm)
{
	while (sm->depth && !sm->quit) {
		draw(sm);
		int key = ui_getkey(stdscr);
		if (ui_stop_requested())
			break;
		sm->flash[0] = '\0';
		if (key == KEY_RESIZE || key == 12 /* Ctrl-L */) {
			clearok(curscr, TRUE);
			continue;
		}
		/* The handler may push a screen (moving the stack), so keep
		 * what is needed by value. */
		struct screen_frame top = sm->stack[sm->depth - 1];
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
			/* Only leaving makes sense until the window grows. */
			if (key == 'q' || key == 27)
				sm->quit = true;
			continue;
		}
		bool global = false;
		for (size_t i = 0; i < sm->nglobals && !global; i++) {
			if (sm->globals[i].key == key) {
				const char *held = top.ops->holds ? top.ops->holds(top.self) : NULL;
				if (held)
					screen_flash(sm, "%s", held);
				else
					sm->globals[i].action(sm->app);
				global = true;
			}
		}
		if (global)
			continue;
		enum screen_action a = top.ops->key(top.self, sm->app, key);
		if (a == SCREEN_UNHANDLED) {
			if (key == '?')
				show_help(sm, top.ops, top.self);
			else if (key == 'q' || key == 27)
				a = SCREEN_BACK;
		}
		if (a == SCREEN_BACK)
			pop(sm);
		else if (a == SCREEN_QUIT)
			sm->quit = true;
	}
}
