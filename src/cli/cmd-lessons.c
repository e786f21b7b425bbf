/* aipm lessons [--format ...] | aipm lessons show ID [--width N] [--format text|json] */
#include "cli.h"
#include "content.h"
#include "lesson.h"
#include "progress.h"
#include "textwrap.h"
#include "util.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { MIN_WIDTH = 20, MAX_WIDTH = 1000, DEFAULT_WIDTH = 80 };

static const char *state_name(enum lesson_state s)
{
	switch (s) {
	case LESSON_DONE:
		return "done";
	case LESSON_IN_PROGRESS:
		return "in progress";
	default:
		return "not started";
	}
}

static json_t *score_json(double score)
{
	return score < 0 ? json_null() : json_real(score);
}

/* Modules holding their lessons, with the course's share done. */
static json_t *lessons_json(const struct lesson_status *ls, size_t n, const char *learner)
{
	struct course_summary sum;
	progress_summarize(ls, n, &sum);
	struct module_summary *mods;
	size_t nmods;
	progress_modules(ls, n, &mods, &nmods);
	json_t *root = json_object();
	json_object_set_new(root, "learner", learner ? json_string(learner) : json_null());
	json_object_set_new(root, "percent_done", json_real(sum.percent));
	json_object_set_new(root, "next", sum.next >= 0 ? json_string(ls[sum.next].id) : json_null());
	json_t *modules = json_array();
	for (size_t m = 0; m < nmods; m++) {
		json_t *mod = json_object();
		json_object_set_new(mod, "id", json_string(mods[m].id));
		json_object_set_new(mod, "title", json_string(mods[m].title));
		json_object_set_new(mod, "percent_done", json_real(mods[m].percent));
		json_t *list = json_array();
		for (size_t i = mods[m].first; i < mods[m].first + (size_t)mods[m].lessons; i++) {
			json_t *l = json_object();
			json_object_set_new(l, "id", json_string(ls[i].id));
			json_object_set_new(l, "title", json_string(ls[i].title));
			json_object_set_new(l, "status", json_string(state_name(ls[i].state)));
			json_object_set_new(l, "minutes", json_integer(ls[i].minutes));
			json_object_set_new(l, "questions", json_integer(ls[i].questions));
			json_object_set_new(l, "pass_mark", json_integer(ls[i].pass_mark));
			json_object_set_new(l, "best_score", score_json(ls[i].best_score));
			json_object_set_new(l, "latest_score", score_json(ls[i].latest_score));
			json_array_append_new(list, l);
		}
		json_object_set_new(mod, "lessons", list);
		json_array_append_new(modules, mod);
	}
	json_object_set_new(root, "modules", modules);
	free(mods);
	return root;
}

static void score_cell(struct out_table *t, double score)
{
	if (score < 0)
		out_null(t);
	else
		out_real(t, score, 0);
}

static int list_run(struct cli_env *env, enum out_format format)
{
	struct store *st = cli_open_store(env, "lessons", true);
	if (!st)
		return 1;
	/* A fresh database has nobody signed in yet: the course is still
	 * worth listing, all of it not started. */
	struct learner learner;
	bool has_learner;
	if (cli_learner_if_any(env, st, "lessons", &learner, &has_learner) != 0) {
		store_close(st);
		return 1;
	}
	struct lesson_status *ls;
	size_t n;
	if (progress_lessons(st, has_learner ? learner.id : -1, &ls, &n) != STORE_OK) {
		cli_error("lessons", "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	if (format == OUT_JSON) {
		json_t *root = lessons_json(ls, n, has_learner ? learner.name : NULL);
		out_json(root, stdout);
		json_decref(root);
	} else {
		const char *cols[] = {"module", "id", "title", "status", "minutes", "best", "latest"};
		struct out_table *t = out_table_new(cols, 7);
		for (size_t i = 0; i < n; i++) {
			out_text(t, ls[i].module_id);
			out_text(t, ls[i].id);
			out_text(t, ls[i].title);
			out_text(t, state_name(ls[i].state));
			out_int(t, ls[i].minutes);
			score_cell(t, ls[i].best_score);
			score_cell(t, ls[i].latest_score);
			out_table_end_row(t);
		}
		out_table_print(t, format, stdout);
		out_table_free(t);
	}
	free(ls);
	store_close(st);
	return 0;
}

static int terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return DEFAULT_WIDTH;
}

/* The lesson as JSON: what it is, its Markdown, and the text as printed
 * at width (jansson escapes whatever the course holds). */
static void print_lesson_json(const struct lesson *l, const char *text, int width)
{
	json_t *root = json_object();
	json_object_set_new(root, "id", json_string(l->id));
	json_object_set_new(root, "title", json_string(l->title));
	json_object_set_new(root, "module", json_string(l->module_id));
	json_object_set_new(root, "module_title", json_string(l->module_title));
	json_object_set_new(root, "recap", json_boolean(l->recap));
	json_object_set_new(root, "pass_mark", json_integer(l->pass_mark));
	json_object_set_new(root, "words", json_integer(l->words));
	json_object_set_new(root, "sources", json_string(l->sources ? l->sources : ""));
	json_object_set_new(root, "markdown", json_string(l->body ? l->body : ""));
	json_object_set_new(root, "width", json_integer(width));
	json_object_set_new(root, "text", json_string(text));
	out_json(root, stdout);
	json_decref(root);
}

static int show_run(struct cli_env *env, const char *id, int width, bool json)
{
	/* The text goes out as the UTF-8 it is, so it is measured as UTF-8
	 * whatever the locale says. */
	text_locale_init();
	if (!text_unicode() && setlocale(LC_CTYPE, "C.UTF-8"))
		text_locale_init();
	struct store *st = cli_open_store(env, "lessons show", true);
	if (!st)
		return 1;
	struct lesson lesson;
	enum store_error e = lesson_load(st, id, &lesson);
	/* A module's id shows its recap. */
	if (e == STORE_ERR_NOTFOUND)
		e = lesson_load_recap(st, id, &lesson);
	if (e != STORE_OK) {
		if (e == STORE_ERR_NOTFOUND)
			cli_error("lessons show",
				  "no lesson or module '%s' (see 'aipm lessons' for the ids)", id);
		else
			cli_error("lessons show", "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	struct md_doc doc;
	int rc = lesson_render(&lesson, width, &doc);
	char *content = content_default_dir(env->content);
	lesson_describe_links(st, &doc, true);
	lesson_add_commands(st, &doc, content);
	free(content);
	if (json) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		if (mem) {
			md_doc_print(&doc, width, mem);
			fclose(mem);
		}
		print_lesson_json(&lesson, text ? text : "", width);
		free(text);
	} else {
		md_doc_print(&doc, width, stdout);
	}
	if (rc != 0)
		cli_error("lessons show", "the Markdown of '%s' could not be parsed to its end", id);
	md_doc_free(&doc);
	lesson_free(&lesson);
	store_close(st);
	return rc != 0 || fflush(stdout) != 0 ? 1 : 0;
}

static int show_args(struct cli_env *env, int argc, char **argv)
{
	const char *id = NULL;
	int width = 0;
	bool json = false;
	for (int i = 0; i < argc; i++) {
		const char *value = NULL;
		if (!strcmp(argv[i], "--format") || str_starts_with(argv[i], "--format=")) {
			const char *f = argv[i][8] == '=' ? argv[i] + 9 : i + 1 < argc ? argv[++i] : NULL;
			if (!f || (strcmp(f, "text") && strcmp(f, "json")))
				return cli_error("lessons show",
						 "--format is text or json for a lesson, not '%s'",
						 f ? f : "") +
				       1;
			json = !strcmp(f, "json");
			continue;
		}
		if (!strcmp(argv[i], "--width")) {
			if (i + 1 >= argc)
				return cli_error("lessons show", "--width needs a number of columns") + 1;
			value = argv[++i];
		} else if (str_starts_with(argv[i], "--width=")) {
			value = argv[i] + strlen("--width=");
		} else if (argv[i][0] != '-' && !id) {
			id = argv[i];
			continue;
		} else {
			return cli_error("lessons show", "unexpected argument '%s'", argv[i]) + 1;
		}
		char *end;
		long w = strtol(value, &end, 10);
		if (end == value || *end || w < MIN_WIDTH || w > MAX_WIDTH)
			return cli_error("lessons show", "--width must be a number from %d to %d, not '%s'",
					 MIN_WIDTH, MAX_WIDTH, value) +
			       1;
		width = (int)w;
	}
	if (!id)
		return cli_usage(&cmd_lessons);
	return show_run(env, id, width ? width : json ? DEFAULT_WIDTH : terminal_width(), json);
}

static int lessons_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	if (cli_format_only(&cmd_lessons, argc, argv, &format) != 0)
		return 2;
	return list_run(env, format);
}

static const struct cli_subcommand lessons_subcommands[] = {
	{"show", "ID|MODULE [--width N] [--format text|json]", show_args},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_lessons = {
	.name = "lessons",
	.usage = "[--format table|csv|json]",
	.summary = "list the course with your progress, or print a lesson (a module's recap) as "
		   "plain text, its Try-it blocks as command lines",
	.run = lessons_run,
	.subcommands = lessons_subcommands,
};
