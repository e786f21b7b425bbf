/* aipm learners [--format ...] | aipm learners add NAME */
#include "cli.h"
#include "clock.h"
#include "sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int learners_add(struct cli_env *env, int argc, char **argv)
{
	if (argc != 1 || !*argv[0])
		return cli_usage(&cmd_learners);
	const char *name = argv[0];
	struct store *st = cli_open_store(env, "learners", false);
	if (!st)
		return 1;
	struct learner l;
	int rc = 0;
	const char *problem = store_learner_name_problem(name);
	if (problem) {
		rc = cli_error("learners", "'%s' cannot be a learner's name: %s", name, problem);
	} else if (store_learner_by_name(st, name, &l) == STORE_OK) {
		rc = cli_error("learners", "a learner called '%s' already exists", name);
	} else if (store_learner_create(st, name, &l) != STORE_OK) {
		rc = cli_error("learners", "cannot add '%s': %s", name, store_errmsg(st));
	} else {
		sanitize_printf(stdout, "added %s (%s)\n", l.name, l.uuid);
	}
	store_close(st);
	return rc;
}

static int learners_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	if (cli_format_only(&cmd_learners, argc, argv, &format) != 0)
		return 2;
	struct store *st = cli_open_store(env, "learners", false);
	if (!st)
		return 1;
	struct learner *all;
	size_t n;
	if (store_learner_list(st, &all, &n) != STORE_OK) {
		cli_error("learners", "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	char *last = store_setting_get(st, "last_learner");
	const char *cols[] = {"name", "id", "created", "current"};
	struct out_table *t = out_table_new(cols, 4);
	for (size_t i = 0; i < n; i++) {
		char when[32];
		clock_format(all[i].created_at, when, sizeof when);
		out_text(t, all[i].name);
		out_text(t, all[i].uuid);
		out_text(t, when);
		out_bool(t, last && strtoll(last, NULL, 10) == all[i].id);
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
	free(last);
	free(all);
	store_close(st);
	return 0;
}

static const struct cli_subcommand learners_subcommands[] = {
	{"add", "NAME", learners_add},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_learners = {
	.name = "learners",
	.usage = "[--format table|csv|json]",
	.summary = "list the learners in the database, or add one",
	.run = learners_run,
	.subcommands = learners_subcommands,
};
