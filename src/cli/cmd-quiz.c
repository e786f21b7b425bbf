/* aipm quiz LESSON|MODULE|final|due [--seed N]
 *
 * A quiz from the shell, as the TUI asks it: a lesson's quiz, a module's
 * cumulative quiz, the final exam (drawn from the bank), or the quiz
 * questions due for review today. Each question is printed with its
 * options in the take's order and answered by a line on standard input
 * (the number of an option, several separated by commas, true or false,
 * or the text); the feedback follows at once. Every answer is stored and
 * reschedules the question as the TUI does. At the end of the input the
 * take stops where it is. */
#include "cli.h"
#include "clock.h"
#include "lesson.h"
#include "quiz.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "quiz";

enum { ANSWER_MAX = 500 };

/* Text from the content folder, made safe for the terminal. */
static void put_clean(const char *prefix, const char *text)
{
	char *clean = sanitize_dup(text, SANITIZE_LINE);
	printf("%s%s\n", prefix, clean);
	free(clean);
}

static void print_question(const struct quiz_question *q, size_t number, size_t total)
{
	printf("\nQuestion %zu of %zu", number, total);
	char *lesson = sanitize_dup(q->lesson_title, SANITIZE_LINE);
	printf(" (%s)\n", lesson);
	free(lesson);
	put_clean("", q->prompt);
	if (q->kind == QUIZ_SINGLE || q->kind == QUIZ_MULTIPLE || q->kind == QUIZ_TRUEFALSE) {
		for (size_t i = 0; i < quiz_choice_count(q); i++) {
			char prefix[32];
			snprintf(prefix, sizeof prefix, "  %zu. ", i + 1);
			put_clean(prefix, quiz_choice_text(q, quiz_shown_choice(q, i)));
		}
	}
	switch (q->kind) {
	case QUIZ_SINGLE:
		printf("Answer with the number of one option: ");
		break;
	case QUIZ_MULTIPLE:
		printf("Answer with the numbers of every right option (1,3): ");
		break;
	case QUIZ_TRUEFALSE:
		printf("True or false (1 or 2, t or f): ");
		break;
	case QUIZ_SHORT:
		printf("Your answer: ");
		break;
	case QUIZ_NUMERIC:
		printf("A number (1,200  1.2k  12%% are fine): ");
		break;
	}
	fflush(stdout);
}

/* The next non-blank line of standard input, trimmed; false at its end. */
static bool read_answer(char *buf, size_t size)
{
	while (fgets(buf, (int)size, stdin)) {
		size_t n = strlen(buf);
		/* A line longer than the buffer: the rest is not an answer. */
		if (n && buf[n - 1] != '\n' && !feof(stdin)) {
			int c;
			while ((c = getchar()) != '\n' && c != EOF)
				;
		}
		str_trim(buf);
		if (*buf)
			return true;
	}
	return false;
}

/* The answer as the bank numbers it; NULL (with a message) when it names
 * no option shown. */
static char *bank_response(const struct quiz_question *q, const char *typed)
{
	char why[160];
	if (!quiz_response_readable(q, typed, why, sizeof why)) {
		fprintf(stderr, "aipm quiz: '%s': %s\n", typed, why);
		return NULL;
	}
	if (q->kind == QUIZ_TRUEFALSE) {
		if (!strcmp(typed, "1"))
			return xstrdup("true");
		if (!strcmp(typed, "2"))
			return xstrdup("false");
		return xstrdup(typed);
	}
	char *bank = quiz_response_from_shown(q, typed);
	if (!bank && (q->kind == QUIZ_SINGLE || q->kind == QUIZ_MULTIPLE))
		fprintf(stderr, "aipm quiz: '%s' is not an option: answer 1 to %zu\n", typed,
			q->choice_count);
	return bank;
}

static void print_feedback(const struct quiz_question *q, enum quiz_mark mark, bool saved,
			   const char *why_not_saved)
{
	if (mark == QUIZ_UNCHECKED) {
		/* The course's problem, not the learner's: nothing is stored. */
		printf("This answer could not be checked: the question's pattern is too complex "
		       "(see 'aipm content check'). It was not recorded.\n");
		return;
	}
	printf("%s\n", mark == QUIZ_RIGHT ? "Right." : "Not right.");
	char *answer = quiz_answer_text(q);
	put_clean("The answer: ", answer);
	free(answer);
	put_clean("", q->explanation);
	put_clean("Source: ", q->source);
	if (!saved)
		fprintf(stderr, "aipm quiz: this answer was not saved: %s\n", why_not_saved);
}

static int parse_seed(const char *text, uint64_t *seed)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-')
		return cli_error(name, "--seed is a whole number, not '%s'", text);
	*seed = v;
	return 0;
}

static int quiz_run(struct cli_env *env, int argc, char **argv)
{
	const char *scope = NULL;
	uint64_t seed = 0;
	bool seeded = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			if (parse_seed(argv[++i], &seed) != 0)
				return 2;
			seeded = true;
		} else if (argv[i][0] != '-' && !scope) {
			scope = argv[i];
		} else {
			cli_error(name, "unexpected argument '%s'", argv[i]);
			return cli_usage(&cmd_quiz);
		}
	}
	if (!scope)
		return cli_usage(&cmd_quiz);
	struct learner learner;
	struct store *st = cli_open_learner(env, name, true, &learner);
	if (!st)
		return 1;
	if (!seeded)
		seed = quiz_new_seed(learner.id);
	bool due = !strcmp(scope, "due");
	bool found = true;
	if (!due)
		quiz_scope_of(st, scope, &found);
	if (!found) {
		cli_error(name, "no lesson or module '%s' (see 'aipm lessons'; or 'final', 'due')",
			  scope);
		store_close(st);
		return 1;
	}
	struct quiz quiz;
	enum store_error e;
	if (due) {
		e = quiz_load_due(st, learner.id, clock_now(), &quiz);
		quiz_shuffle(&quiz, seed);
	} else {
		e = quiz_load_scope(st, scope, seed, &quiz);
	}
	struct quiz_take take;
	if (e == STORE_OK)
		e = quiz_take_begin(st, learner.id, due ? NULL : scope, (int)quiz.count, seed, &take);
	if (e != STORE_OK) {
		cli_error(name, "%s", store_errmsg(st));
		quiz_free(&quiz);
		store_close(st);
		return 1;
	}
	if (!quiz.count) {
		printf("%s\n", due ? "Nothing is due for review today." : "This quiz has no questions.");
		quiz_free(&quiz);
		store_close(st);
		return 0;
	}
	int status = 0;
	size_t asked = 0;
	char buf[ANSWER_MAX + 2];
	for (size_t k = 0; k < quiz.count; k++) {
		const struct quiz_question *q = &quiz.questions[k];
		char *bank = NULL;
		print_question(q, k + 1, quiz.count);
		while (!bank) {
			if (!read_answer(buf, sizeof buf))
				break;
			bank = bank_response(q, buf);
			if (!bank)
				print_question(q, k + 1, quiz.count);
		}
		if (!bank) {
			printf("\n");
			break;
		}
		enum quiz_mark mark = QUIZ_WRONG;
		bool saved = quiz_take_answer(st, &take, q, bank, &mark) == STORE_OK;
		if (!saved)
			status = 1;
		free(bank);
		print_feedback(q, mark, saved, store_errmsg(st));
		asked++;
	}
	if (asked < quiz.count)
		printf("Stopped after %zu of %zu questions (the end of the input)%s.\n", asked,
		       quiz.count, take.uid[0] ? "; this take stays unfinished" : "");
	int pass = QUIZ_CUMULATIVE_PASS;
	struct lesson l;
	if (!due && lesson_load(st, scope, &l) == STORE_OK) {
		pass = l.pass_mark;
		lesson_free(&l);
	}
	if (due || asked < quiz.count)
		printf("\n%s: %d of %zu answered right.\n", due ? "Review" : "So far", take.correct,
		       asked);
	else
		printf("\nScore: %d of %d right (%.0f%%); the pass mark is %d%%: %s.\n", take.correct,
		       take.total, quiz_take_percent(&take), pass,
		       quiz_take_percent(&take) >= pass ? "passed" : "not passed yet");
	quiz_free(&quiz);
	store_close(st);
	return status;
}

const struct cli_command cmd_quiz = {
	.name = "quiz",
	.usage = "LESSON|MODULE|final|due [--seed N]",
	.summary = "take a quiz on standard input: a lesson's, a module's cumulative quiz, the "
		   "final exam, or the quiz questions due for review",
	.run = quiz_run,
};
