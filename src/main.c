/* aipm: the terminal companion to the AI Product Management course.
 * With no subcommand it starts the TUI; otherwise it runs one entry of the
 * command table (src/cli/cli.c). */
#include "app.h"
#include "cli.h"
#include "config.h"
#include "sanitize.h"
#include "fileio.h"
#include "store.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_help(FILE *out)
{
	fprintf(out,
		"usage: aipm [--db PATH] [--learner NAME] [--content DIR] [--coach]\n"
		"            [COMMAND [ARGS...]]\n"
		"\n"
		"With no command, aipm opens the course in the terminal.\n"
		"\n"
		"Options:\n"
		"  --db PATH       the database (default $AIPM_DB, else\n"
		"                  $XDG_DATA_HOME/aipm/aipm.db or ~/.local/share/aipm/aipm.db)\n"
		"  --learner NAME  act as this learner\n"
		"  --content DIR   read the course from DIR instead of the installed copy\n"
		"  --coach         open the Coach screen, as a coach (not added as a learner)\n"
		"  -h, --help      this help\n"
		"  -V, --version   the version\n"
		"\n"
		"Commands:\n");
	for (int i = 0; cli_commands[i]; i++)
		fprintf(out, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fprintf(out, "\n'aipm COMMAND --help' shows a command's arguments. See aipm(1).\n");
}

static int take_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	if (strcmp(argv[*i], name))
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "aipm: %s needs a value\n", name);
		return -1;
	}
	*out = argv[++*i];
	return 1;
}

int main(int argc, char **argv)
{
	/* Character classes only: numbers keep '.' whatever the locale. */
	setlocale(LC_CTYPE, "");
	struct cli_env env = {0};
	const char *db_env = getenv("AIPM_DB");
	if (db_env && *db_env)
		env.db_path = db_env;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		int r;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_help(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("aipm %s\n", AIPM_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "--coach")) {
			env.coach = true;
			continue;
		}
		if ((r = take_value(argc, argv, &i, "--db", &env.db_path)) ||
		    (r = take_value(argc, argv, &i, "--learner", &env.learner)) ||
		    (r = take_value(argc, argv, &i, "--content", &env.content))) {
			if (r < 0)
				return 2;
			continue;
		}
		sanitize_printf(stderr, "aipm: unknown option '%s' (see aipm --help)\n", argv[i]);
		return 2;
	}
	/* No writer may replace the database, whether or not the command
	 * opens it (`train --save` does not). */
	char *db = env.db_path ? strdup(env.db_path) : store_default_path();
	if (db)
		file_protect_database(db);
	free(db);
	/* A write past a file size limit (ulimit -f) fails with EFBIG, which
	 * the writers report, instead of killing aipm half-way. */
	signal(SIGXFSZ, SIG_IGN);
	if (i >= argc)
		return app_run(&env);
	const struct cli_command *cmd = cli_find(argv[i]);
	if (!cmd) {
		sanitize_printf(stderr, "aipm: unknown command '%s' (see aipm --help)\n", argv[i]);
		return 2;
	}
	if (i + 1 < argc && (!strcmp(argv[i + 1], "--help") || !strcmp(argv[i + 1], "-h"))) {
		cli_print_usage(cmd, stdout);
		printf("%s\n", cmd->summary);
		return 0;
	}
	return cli_run(cmd, &env, argc - i - 1, argv + i + 1);
}
