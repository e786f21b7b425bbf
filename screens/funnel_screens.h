/* The Funnels module: its menu (funnel_screen, in app.h with the other
 * modules), the stage-count funnel (the course's AARRR example or a
 * stage,count file) and the event-log analysis. */
#ifndef AIPM_FUNNEL_SCREENS_H
#define AIPM_FUNNEL_SCREENS_H

#include "app.h"

#include <stddef.h>

/* arg: the path of a stage,count[,owner] file (copied); NULL opens the
 * course's AARRR example. */
extern const struct screen_ops funnel_stages_screen;
/* arg: the path of an event log (copied). */
extern const struct screen_ops funnel_log_screen;

/* An event-log funnel set up beforehand (a lesson's Try-it block): the
 * log, and the settings as `aipm funnel` takes them (NULL: the screen's
 * default). A setting the log cannot take is said on the status bar and
 * left at its default. */
struct funnel_log_request {
	const char *path;
	const char *steps, *window, *order, *from, *to, *by, *where, *trend;
};
/* arg: struct funnel_log_request * (copied). */
extern const struct screen_ops funnel_log_preset_screen;


#endif
