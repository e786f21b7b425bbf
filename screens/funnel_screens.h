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


#endif
