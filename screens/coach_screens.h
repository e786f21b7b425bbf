/* The progress and coach screens (progress_screen and coach_screen, the
 * modules, are in app.h) and what they share. */
#ifndef AIPM_COACH_SCREENS_H
#define AIPM_COACH_SCREENS_H

#include "app.h"
#include "coach.h"

/* One learner in depth for the coach: arg is a (const int64_t *) learner
 * id, read on enter. */
extern const struct screen_ops coach_learner_screen;
/* The questions most often missed: arg is a group name or NULL for
 * everyone (read on enter). */
extern const struct screen_ops coach_questions_screen;
/* The import with a file picker: arg is unused. */
extern const struct screen_ops coach_import_screen;

/* One column per module: an eighth block for its share done (a digit,
 * '#' for done, with ASCII); draws at most width columns. */
void coach_draw_module_bar(WINDOW *w, int y, int x, int width, const double *percent,
			   size_t modules, attr_t attr);
/* "2026-03-02" of t, or fallback when t is 0. */
void coach_format_day(int64_t t, const char *fallback, char *buf, size_t size);

#endif
