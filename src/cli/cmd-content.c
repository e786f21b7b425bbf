/* aipm content check [DIR] | aipm content import [--force] */
#include "cli.h"
#include "content.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int content_check_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	const char *dir_arg = NULL;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, "content check");
		if (r < 0)
			return 2;
		if (r == 0 && argv[i][0] != '-' && !dir_arg)
			dir_arg = argv[i];
		else if (r == 0)
			return cli_error("content check", "unexpected argument '%s'", argv[i]) + 1;
	}
	char *dir = content_default_dir(dir_arg ? dir_arg : env->content);
	struct course_files files;
	struct content_report report = {0};
	int problems = content_load(dir, &files, &report);
	struct content_counts c;
	content_count(&files, &c);
	if (format == OUT_JSON) {
		json_t *root = json_object();
		json_object_set_new(root, "dir", json_string(dir));
		json_object_set_new(root, "hash", json_string(files.hash));
		json_t *counts = json_object();
		json_object_set_new(counts, "modules", json_integer(c.modules));
		json_object_set_new(counts, "lessons", json_integer(c.lessons));
		json_object_set_new(counts, "quiz_questions", json_integer(c.questions));
		json_object_set_new(counts, "glossary_terms", json_integer(c.glossary));
		json_object_set_new(counts, "estimation_questions", json_integer(c.estimation));
		json_object_set_new(counts, "interview_questions", json_integer(c.interview));
		json_object_set_new(root, "counts", counts);
		json_t *list = json_array();
		for (size_t i = 0; i < report.count; i++) {
			json_t *p = json_object();
			json_object_set_new(p, "file", json_string(report.items[i].file));
			json_object_set_new(p, "line", json_integer(report.items[i].line));
			json_object_set_new(p, "message", json_string(report.items[i].message));
			json_array_append_new(list, p);
		}
		json_object_set_new(root, "problems", list);
		out_json(root, stdout);
		json_decref(root);
	} else if (format == OUT_CSV) {
		const char *cols[] = {"file", "line", "message"};
		struct out_table *t = out_table_new(cols, 3);
		for (size_t i = 0; i < report.count; i++) {
			out_text(t, report.items[i].file);
			out_int(t, report.items[i].line);
			out_text(t, report.items[i].message);
			out_table_end_row(t);
		}
		out_table_print(t, OUT_CSV, stdout);
		out_table_free(t);
	} else {
		content_report_print(&report, stdout);
		sanitize_printf(stdout,
				"%s: %d modules, %d lessons, %d quiz questions, %d glossary terms, "
				"%d estimation and %d interview questions; %d problem%s\n",
				dir, c.modules, c.lessons, c.questions, c.glossary, c.estimation,
				c.interview, problems, problems == 1 ? "" : "s");
	}
	content_report_free(&report);
	course_files_free(&files);
	free(dir);
	return problems ? 1 : 0;
}

static int content_import_run(struct cli_env *env, int argc, char **argv)
{
	bool force = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			force = true;
		else
			return cli_error("content import", "unexpected argument '%s'", argv[i]) + 1;
	}
	struct store *st = cli_open_store(env, "content import", false);
	if (!st)
		return 1;
	char *dir = content_default_dir(env->content);
	struct content_report report = {0};
	bool imported = false;
	char err[1024];
	enum store_error e = content_import(st, dir, force, &report, &imported, err, sizeof err);
	if (e != STORE_OK)
		cli_error("content import", "%s", err);
	else if (imported)
		sanitize_printf(stdout, "imported %s (%zu problem%s)\n", dir, report.count,
				report.count == 1 ? "" : "s");
	else
		sanitize_printf(stdout, "%s is unchanged since the last import\n", dir);
	content_report_print(&report, stderr);
	/* A file skipped is said and fails the command: the rest is in, but
	 * the course is not whole. */
	bool whole = report.count == 0;
	content_report_free(&report);
	free(dir);
	store_close(st);
	return e == STORE_OK && whole ? 0 : 1;
}

static const struct cli_subcommand content_subcommands[] = {
	{"check", "[DIR] [--format table|csv|json]", content_check_run},
	{"import", "[--force]", content_import_run},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_content = {
	.name = "content",
	.summary = "validate the course files, or import them into the database",
	.subcommands = content_subcommands,
};
