/* aipm notes [--lesson ID] [--format table|csv|json|markdown]
 *
 * The learner's notes across the course, in course order: a table (or CSV,
 * JSON), or a Markdown document with a heading per lesson, to keep or
 * share. The same notes the TUI's Notes screen lists. */
#include "cli.h"
#include "clock.h"
#include "lesson.h"
#include "sanitize.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "notes";

/* A Markdown document: a heading per lesson, a bullet per note. Text
 * from the store goes out as one line each, safe for a terminal. */
static void print_markdown(const struct learner *learner, const struct lesson_note *notes,
			   size_t n)
{
	char *who = sanitize_dup(learner->name, SANITIZE_LINE);
	printf("# Notes of %s\n", who);
	free(who);
	if (!n)
		printf("\nNo notes yet: a in a lesson adds one.\n");
	const char *lesson = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!lesson || strcmp(lesson, notes[i].lesson)) {
			lesson = notes[i].lesson;
			char *title = sanitize_dup(notes[i].lesson_title ? notes[i].lesson_title : lesson,
						   SANITIZE_LINE);
			char *id = sanitize_dup(lesson, SANITIZE_LINE);
			printf("\n## %s (%s)\n\n", title, id);
			free(title);
			free(id);
		}
		char when[32];
		clock_format(notes[i].updated_at, when, sizeof when);
		char *body = sanitize_dup(notes[i].body, SANITIZE_LINE);
		printf("- %s: %s\n", when, body);
		free(body);
	}
}

static int notes_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	bool markdown = false;
	const char *only = NULL;
	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "--format") && i + 1 < argc && !strcmp(argv[i + 1], "markdown")) ||
		    !strcmp(argv[i], "--format=markdown") || !strcmp(argv[i], "--markdown")) {
			markdown = true;
			i += !strcmp(argv[i], "--format");
			continue;
		}
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--lesson") && i + 1 < argc) {
			only = argv[++i];
		} else {
			cli_error(name, "unexpected argument '%s'", argv[i]);
			return cli_usage(&cmd_notes);
		}
	}
	struct learner learner;
	struct store *st = cli_open_learner(env, name, true, &learner);
	if (!st)
		return 1;
	struct lesson_note *notes;
	size_t n;
	if (lesson_notes_all(st, learner.id, &notes, &n) != STORE_OK) {
		cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (!only || !strcmp(notes[i].lesson, only)) {
			notes[kept++] = notes[i];
		} else {
			free(notes[i].body);
			free(notes[i].lesson_title);
		}
	}
	if (markdown) {
		print_markdown(&learner, notes, kept);
	} else {
		const char *cols[] = {"lesson", "title", "written", "note"};
		struct out_table *t = out_table_new(cols, 4);
		for (size_t i = 0; i < kept; i++) {
			out_text(t, notes[i].lesson);
			out_text(t, notes[i].lesson_title ? notes[i].lesson_title : notes[i].lesson);
			char when[32];
			clock_format(notes[i].updated_at, when, sizeof when);
			out_text(t, when);
			out_text(t, notes[i].body);
			out_table_end_row(t);
		}
		if (!kept && format == OUT_TABLE)
			printf("No notes yet: a in a lesson (in the TUI) adds one.\n");
		else
			out_table_print(t, format, stdout);
		out_table_free(t);
	}
	lesson_notes_free(notes, kept);
	store_close(st);
	return 0;
}

const struct cli_command cmd_notes = {
	.name = "notes",
	.usage = "[--lesson ID] [--format table|csv|json|markdown]",
	.summary = "your notes across the course, in course order; --format markdown as a "
		   "document with a heading per lesson",
	.run = notes_run,
};
