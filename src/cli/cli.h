/* The command table: every `aipm SUBCOMMAND` is one entry, defined in its
 * own cmd-*.c file (as tmux does), sharing the engines with the TUI. */
#ifndef AIPM_CLI_H
#define AIPM_CLI_H

#include "output.h"
#include "store.h"

#include <stdbool.h>
#include <stdio.h>

/* Global options, parsed before the subcommand. */
struct cli_env {
	const char *db_path; /* --db or AIPM_DB, NULL for the default */
	const char *learner; /* --learner */
	const char *content; /* --content */
	bool coach;          /* --coach: the TUI opens on the Coach screen */
};

/* One subcommand: `aipm COMMAND NAME ARGS`. A name of two words
 * ("group add") takes the first two arguments. */
struct cli_subcommand {
	const char *name;
	const char *usage; /* arguments after the name */
	int (*run)(struct cli_env *env, int argc, char **argv);
};

struct cli_command {
	const char *name;
	const char *usage;   /* arguments after the name, for run; NULL without run */
	const char *summary; /* one line for `aipm --help` */
	/* The command with no subcommand named; NULL when it needs one. */
	int (*run)(struct cli_env *env, int argc, char **argv);
	/* Its subcommands, ending with an entry without a name; NULL for none.
	 * Its usage is made from them (as tmux's is from its table). */
	const struct cli_subcommand *subcommands;
};

/* One entry per cmd-*.c file. */
extern const struct cli_command cmd_calc;
extern const struct cli_command cmd_coach;
extern const struct cli_command cmd_content;
extern const struct cli_command cmd_drill;
extern const struct cli_command cmd_experiments;
extern const struct cli_command cmd_funnel;
extern const struct cli_command cmd_learners;
extern const struct cli_command cmd_lessons;
extern const struct cli_command cmd_notes;
extern const struct cli_command cmd_predict;
extern const struct cli_command cmd_progress;
extern const struct cli_command cmd_quiz;
extern const struct cli_command cmd_review;
extern const struct cli_command cmd_train;

/* Every command, NULL-terminated; defined in cli.c. */
extern const struct cli_command *const cli_commands[];
const struct cli_command *cli_find(const char *name);

/* Prints "aipm NAME: message" to stderr; returns the exit status 1 (or 2
 * for usage errors through cli_usage). */
int cli_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_usage(const struct cli_command *cmd);
/* "usage: aipm NAME ARGS", a line for the command and one for each
 * subcommand. */
void cli_print_usage(const struct cli_command *cmd, FILE *out);
/* Runs the subcommand the arguments name, else the command's own run,
 * else says the usage (status 2). */
int cli_run(const struct cli_command *cmd, struct cli_env *env, int argc, char **argv);

/* Opens the store (and imports changed content) for a command; prints the
 * reason and returns NULL on failure. */
struct store *cli_open_store(struct cli_env *env, const char *command, bool import_content);
/* The learner a command acts for: --learner, else the last signed-in one,
 * else the only one. Prints why and returns non-zero when none fits. */
int cli_learner(struct cli_env *env, struct store *st, const char *command,
		struct learner *out);
/* cli_open_store, then cli_learner: the store and the learner the command
 * acts for, or NULL (the reason printed, the store closed). */
struct store *cli_open_learner(struct cli_env *env, const char *command, bool import_content,
			       struct learner *out);
/* As cli_learner for a command that also serves a database nobody has
 * signed in to (without --learner): then 0, with *found false. */
int cli_learner_if_any(struct cli_env *env, struct store *st, const char *command,
		       struct learner *out, bool *found);
/* Parses --format VALUE / --format=VALUE at argv[*i]; returns 1 when it
 * consumed an option, 0 when argv[*i] is something else, -1 on error. */
int cli_format_option(int argc, char **argv, int *i, enum out_format *format,
		      const char *command);
/* The arguments of a command (or subcommand) whose one option is
 * --format: 0 with *format set (OUT_TABLE without it), else 2 (the exit
 * status) with the problem and cmd's usage said. */
int cli_format_only(const struct cli_command *cmd, int argc, char **argv,
		    enum out_format *format);

#endif
