/* aipm review [--format table|csv|json]
 *
 * The daily review from the shell: every question due today, of the
 * drill and of the quizzes alike, in the order the review session asks
 * them (most overdue first), with the command that answers each. */
#include "cli.h"
#include "clock.h"
#include "review.h"
#include "sanitize.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "review";

/* Long prompts: the table keeps their start (on a character boundary). */
#define TABLE_PROMPT_BYTES 56

/* The bank's text, safe for a terminal, cut for a table. */
static char *short_prompt(const char *prompt, enum out_format format)
{
	char *p = sanitize_dup(prompt, SANITIZE_LINE);
	if (format != OUT_TABLE)
		return p;
	char *s = out_clip(p, TABLE_PROMPT_BYTES);
	free(p);
	return s;
}

/* An empty list said in words, with when the next reviews fall (the
 * week's forecast, as home shows it). */
static void print_nothing_due(struct store *st, int64_t learner)
{
	size_t per_day[REVIEW_FORECAST_DAYS];
	int next = 0;
	if (review_forecast(st, learner, clock_now(), per_day) == STORE_OK)
		for (int d = 1; d < REVIEW_FORECAST_DAYS && !next; d++)
			if (per_day[d])
				next = d;
	if (!next) {
		printf("Nothing is due for review today, nor in the next %d days: answered quiz "
		       "and drill questions come back here when they are due.\n",
		       REVIEW_FORECAST_DAYS - 1);
		return;
	}
	char when[32];
	clock_format(clock_day_start(clock_now()) + (int64_t)next * 86400, when, sizeof when);
	if (per_day[next] == 1)
		printf("Nothing is due for review today; the next falls due on %.10s.\n", when);
	else
		printf("Nothing is due for review today; the next %zu fall due on %.10s.\n",
		       per_day[next], when);
}

static int review_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	if (cli_format_only(&cmd_review, argc, argv, &format) != 0)
		return 2;
	struct learner learner;
	struct store *st = cli_open_learner(env, name, true, &learner);
	if (!st)
		return 1;
	struct review_item *items;
	size_t n;
	if (review_due(st, learner.id, clock_now(), &items, &n) != STORE_OK) {
		cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	const char *cols[] = {"kind", "id", "type", "lesson", "due", "prompt", "answer with"};
	struct out_table *t = out_table_new(cols, 7);
	for (size_t i = 0; i < n; i++) {
		const struct review_item *it = &items[i];
		out_text(t, it->kind == REVIEW_QUIZ ? "quiz" : "drill");
		out_text(t, it->id);
		out_text(t, it->type);
		if (it->kind == REVIEW_QUIZ)
			out_text(t, it->lesson);
		else
			out_null(t);
		char when[32];
		/* A drill question never answered: one of the day's new ones. */
		if (it->due_at)
			clock_format(it->due_at, when, sizeof when);
		else
			snprintf(when, sizeof when, "new");
		out_text(t, when);
		char *prompt = short_prompt(it->prompt, format);
		out_text(t, prompt);
		free(prompt);
		char *how = it->kind == REVIEW_QUIZ ? xstrdup("aipm quiz due")
			    : it->kind == REVIEW_ESTIMATION
				? xasprintf("aipm drill score %s --point X --low L --high H --record", it->id)
				: xstrdup("the TUI (home, r)");
		out_text(t, how);
		free(how);
		out_table_end_row(t);
	}
	if (n || format != OUT_TABLE)
		out_table_print(t, format, stdout);
	else
		print_nothing_due(st, learner.id);
	out_table_free(t);
	review_items_free(items, n);
	store_close(st);
	return 0;
}

const struct cli_command cmd_review = {
	.name = "review",
	.usage = "[--format table|csv|json]",
	.summary = "what is due for review today, drill and quiz questions in one list",
	.run = review_run,
};
