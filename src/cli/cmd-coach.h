/* What the coach command's two files share: cmd-coach.c (import, one
 * learner, imports, groups, pinned keys and the subcommand table) and
 * cmd-coach-report.c (the cohort and difficult-question report). */
#ifndef AIPM_CMD_COACH_H
#define AIPM_CMD_COACH_H

#include "cli.h"
#include "output.h"

#include <stdint.h>

/* A time as clock_format writes it, malloc'd; "" for none (0). */
char *cmd_coach_when(int64_t t);
/* The same as a cell, null for none. */
void cmd_coach_out_time(struct out_table *t, int64_t at);
/* A percentage as a whole number, null when negative (nothing to count). */
void cmd_coach_out_percent(struct out_table *t, double v);

/* aipm coach report */
int cmd_coach_report(struct cli_env *env, int argc, char **argv);

#endif
