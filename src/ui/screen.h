/* The screen interface and the screen manager. Every screen in screens/ is
 * one `struct screen_ops`: enter creates its state, draw paints it, key
 * handles a key and says what happens next, leave frees it. The manager
 * keeps a stack (Enter pushes, q/Esc pops), draws the title and status
 * bars, the help overlay on '?', and the "too small" notice. */
#ifndef AIPM_SCREEN_H
#define AIPM_SCREEN_H

#include <curses.h>

struct app;

enum screen_action {
	SCREEN_UNHANDLED = 0, /* the manager may act on the key (?, q, Esc) */
	SCREEN_HANDLED,	      /* redraw */
	SCREEN_BACK,	      /* pop this screen */
	SCREEN_QUIT,	      /* leave the app */
};

struct screen_ops {
	const char *title;
	/* Status bar "key", "label" pairs, NULL-terminated. */
	const char *const *keys;
	/* Help overlay "key", "description" pairs, NULL-terminated, and a
	 * paragraph about the screen. */
	const char *const *help_keys;
	const char *help_text;
	void *(*enter)(struct app *app, void *arg);
	/* Draws inside the area between the title bar and the status bar. */
	void (*draw)(void *self, struct app *app, WINDOW *w, int top, int rows, int cols);
	enum screen_action (*key)(void *self, struct app *app, int key);
	void (*leave)(void *self, struct app *app);
	/* Optional: the status-bar keys of the screen's current mode (typing
	 * versus browsing, say), instead of keys. */
	const char *const *(*mode_keys)(void *self);
	/* Optional: text for the right side of the title bar. */
	const char *(*context)(void *self, struct app *app);
	/* Optional: a reason the global keys (Ctrl-N) must not take the
	 * learner away now (a timed answer in progress), shown instead; NULL
	 * when they may. */
	const char *(*holds)(void *self);
};

struct screen_manager;

struct screen_manager *screen_manager_new(struct app *app);
void screen_manager_free(struct screen_manager *sm);
/* Pushes a screen; arg is passed to its enter. */
void screen_push(struct screen_manager *sm, const struct screen_ops *ops, void *arg);
/* Replaces every screen above the bottom one (e.g. after switching
 * learner, back to a fresh home). */
void screen_reset(struct screen_manager *sm, const struct screen_ops *ops, void *arg);
/* A one-off message in the status bar until the next key. */
void screen_flash(struct screen_manager *sm, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A key that works on every screen (taken before the screen sees it, so
 * pick one no text field uses), with its line in every help overlay. */
void screen_bind_global(struct screen_manager *sm, int key, const char *key_name,
			const char *description, void (*action)(struct app *app));
/* Runs until the stack is empty or a screen quits. */
void screen_manager_run(struct screen_manager *sm);

#endif
