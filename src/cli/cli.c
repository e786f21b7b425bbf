#include "cli.h"

#include "content.h"
#include "sanitize.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_command *const cli_commands[] = {
	&cmd_calc,
	&cmd_coach,
	&cmd_content,
	&cmd_drill,
	&cmd_experiments,
	&cmd_funnel,
	&cmd_learners,
	&cmd_lessons,
	&cmd_notes,
	&cmd_predict,
	&cmd_progress,
	&cmd_quiz,
	&cmd_review,
	&cmd_train,
	NULL,
};

const struct cli_command *cli_find(const char *name)
{
	for (int i = 0; cli_commands[i]; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

int cli_error(const char *name, const char *fmt, ...)
{
	/* Messages echo what they are about (a bundle's field, a header's
	 * bytes, a file name): one line, no control of theirs. */
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	fprintf(stderr, "aipm %s: ", name);
	sanitize_fputs(msg ? msg : "(out of memory)", SANITIZE_LINE, stderr);
	fputc('\n', stderr);
	free(msg);
	return 1;
}

void cli_print_usage(const struct cli_command *cmd, FILE *out)
{
	const char *lead = "usage:";
	if (cmd->run) {
		fprintf(out, "%s aipm %s %s\n", lead, cmd->name, cmd->usage);
		lead = "      ";
	}
	for (const struct cli_subcommand *sub = cmd->subcommands; sub && sub->name; sub++) {
		fprintf(out, "%s aipm %s %s %s\n", lead, cmd->name, sub->name, sub->usage);
		lead = "      ";
	}
}

int cli_usage(const struct cli_command *cmd)
{
	cli_print_usage(cmd, stderr);
	return 2;
}

/* How many of the arguments name sub, word by word ("group add": "group"
 * then "add"), or 0. */
static int names(const struct cli_subcommand *sub, int argc, char **argv)
{
	const char *name = sub->name;
	for (int words = 0; words < argc; words++) {
		size_t n = strcspn(name, " ");
		if (strlen(argv[words]) != n || strncmp(argv[words], name, n))
			return 0;
		if (!name[n])
			return words + 1;
		name += n + 1;
	}
	return 0;
}

int cli_run(const struct cli_command *cmd, struct cli_env *env, int argc, char **argv)
{
	for (const struct cli_subcommand *sub = cmd->subcommands; sub && sub->name; sub++) {
		int words = names(sub, argc, argv);
		if (words)
			return sub->run(env, argc - words, argv + words);
	}
	return cmd->run ? cmd->run(env, argc, argv) : cli_usage(cmd);
}

struct store *cli_open_store(struct cli_env *env, const char *command, bool import_content)
{
	char *path = env->db_path ? xstrdup(env->db_path) : store_default_path();
	if (!path) {
		cli_error(command, "%s", store_no_default_path());
		return NULL;
	}
	struct store *st = NULL;
	char err[1024];
	if (store_open(path, &st, err, sizeof err) != STORE_OK) {
		cli_error(command, "%s", err);
		free(path);
		return NULL;
	}
	free(path);
	if (import_content) {
		char *dir = content_default_dir(env->content);
		struct content_report report = {0};
		bool imported;
		if (content_import(st, dir, false, &report, &imported, err, sizeof err) != STORE_OK) {
			cli_error(command, "%s", err);
			free(dir);
			content_report_free(&report);
			store_close(st);
			return NULL;
		}
		if (imported && report.count) {
			sanitize_printf(stderr,
					"aipm: %zu content problem(s) in %s; the rest was imported:\n",
					report.count, dir);
			content_report_print(&report, stderr);
		}
		free(dir);
		content_report_free(&report);
	}
	return st;
}

int cli_learner(struct cli_env *env, struct store *st, const char *command, struct learner *out)
{
	if (env->learner) {
		if (store_learner_by_name(st, env->learner, out) == STORE_OK)
			return 0;
		return cli_error(command, "no learner called '%s' (see 'aipm learners')", env->learner);
	}
	char *last = store_setting_get(st, "last_learner");
	if (last) {
		enum store_error e = store_learner_by_id(st, strtoll(last, NULL, 10), out);
		free(last);
		if (e == STORE_OK)
			return 0;
	}
	struct learner *all;
	size_t n;
	if (store_learner_list(st, &all, &n) == STORE_OK && n == 1) {
		*out = all[0];
		free(all);
		return 0;
	}
	free(all);
	return cli_error(command, "%s; pick one with --learner NAME",
			 n ? "several learners share this database" : "no learner has signed in yet");
}

struct store *cli_open_learner(struct cli_env *env, const char *command, bool import_content,
			       struct learner *out)
{
	struct store *st = cli_open_store(env, command, import_content);
	if (st && cli_learner(env, st, command, out) != 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

int cli_learner_if_any(struct cli_env *env, struct store *st, const char *command,
		       struct learner *out, bool *found)
{
	*found = false;
	struct learner *all;
	size_t n;
	if (!env->learner && store_learner_list(st, &all, &n) == STORE_OK) {
		free(all);
		if (n == 0)
			return 0;
	}
	if (cli_learner(env, st, command, out) != 0)
		return 1;
	*found = true;
	return 0;
}

int cli_format_option(int argc, char **argv, int *i, enum out_format *format,
		      const char *command)
{
	const char *arg = argv[*i];
	const char *value = NULL;
	if (!strcmp(arg, "--format")) {
		if (*i + 1 >= argc) {
			cli_error(command, "--format needs a value: table, csv or json");
			return -1;
		}
		value = argv[++*i];
	} else if (str_starts_with(arg, "--format=")) {
		value = arg + strlen("--format=");
	} else {
		return 0;
	}
	if (out_format_parse(value, format) != 0) {
		cli_error(command, "unknown format '%s': use table, csv or json", value);
		return -1;
	}
	return 1;
}

int cli_format_only(const struct cli_command *cmd, int argc, char **argv,
		    enum out_format *format)
{
	*format = OUT_TABLE;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, format, cmd->name);
		if (r < 0)
			return 2;
		if (r == 0) {
			cli_error(cmd->name, "unexpected argument '%s'", argv[i]);
			return cli_usage(cmd);
		}
	}
	return 0;
}
