/* Quizzes: the questions from the store, grading a learner's answer for
 * each kind, recording every attempt, and the review of missed questions.
 * A take is one pass through a quiz (a quiz_takes row): a lesson's, a
 * module's cumulative quiz or the final exam, the last two drawn from the
 * bank; its score is what the course tree shows. A review re-asks
 * questions (the missed ones, or those due for review); its attempts are
 * stored too, outside any take, so that a review of two questions never
 * counts as a quiz score.
 *
 * Options are shown in an order drawn from the take's seed (stored with
 * the take), so that no answer can be learned by its position; answers
 * are stored and graded in the bank's numbering, with the order they were
 * shown in beside them. Every answer reschedules the question's FSRS card
 * (review.h): right rates "good", wrong "again". */
#ifndef AIPM_QUIZ_H
#define AIPM_QUIZ_H

#include "schedule.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum quiz_kind { QUIZ_SINGLE, QUIZ_MULTIPLE, QUIZ_TRUEFALSE, QUIZ_SHORT, QUIZ_NUMERIC };

struct quiz_question {
	char *id, *lesson_id, *lesson_title;
	int order;
	enum quiz_kind kind;
	char *prompt;
	char **choices; /* single and multiple */
	size_t choice_count;
	char *answer, *tolerance, *model_answer, *explanation, *source;
	int misses; /* wrong attempts so far (filled for reviews) */
	/* Display position i shows choice shown[i] (0-based, of choices);
	 * NULL: the bank's order. */
	size_t *shown;
	int64_t due_at; /* filled by quiz_load_due */
};

struct quiz {
	struct quiz_question *questions;
	size_t count;
};

/* A lesson's questions in order. */
enum store_error quiz_load_lesson(struct store *st, const char *lesson, struct quiz *out);

/* What a quiz's scope names: a lesson (its id), a module (its id: the
 * cumulative quiz of the module) or the final exam ("final"). */
enum quiz_scope { QUIZ_SCOPE_LESSON, QUIZ_SCOPE_MODULE, QUIZ_SCOPE_FINAL };
#define QUIZ_FINAL "final"
/* How many questions a cumulative quiz draws, and its pass mark. */
#define QUIZ_MODULE_QUESTIONS 12
#define QUIZ_FINAL_QUESTIONS 40
#define QUIZ_CUMULATIVE_PASS 70
/* Which kind scope is; *found false when it is none of them. */
enum quiz_scope quiz_scope_of(struct store *st, const char *scope, bool *found);
/* A take's questions, options shuffled by seed: a lesson's, in order; a
 * module's QUIZ_MODULE_QUESTIONS (or all it has, when fewer) drawn from
 * its lessons in turn; the final exam's QUIZ_FINAL_QUESTIONS from every
 * module in turn (and within a module from its lessons in turn). The same
 * seed draws the same questions in the same order. */
enum store_error quiz_load_scope(struct store *st, const char *scope, uint64_t seed,
				 struct quiz *out);
/* The questions due for review (their card falls due before the end of
 * now's day), most overdue first. */
enum store_error quiz_load_due(struct store *st, int64_t learner, int64_t now, struct quiz *out);
/* How many that is (0 on error). */
size_t quiz_due_count(struct store *st, int64_t learner, int64_t now);
/* One question by id (count 0 when there is none). */
enum store_error quiz_load_question(struct store *st, const char *id, struct quiz *out);
/* Scores of the learner's finished takes of a scope: best and latest
 * percent, -1 each when there is none. */
enum store_error quiz_scope_scores(struct store *st, int64_t learner, const char *scope,
				   double *best, double *latest);

/* A seed for a new take or review: never the same twice (random), and
 * the learner's own. */
uint64_t quiz_new_seed(int64_t learner);
/* Draws every single- and multiple-choice question's order of options
 * from seed and the question's id (the same seed, the same order); an
 * option with the word "above" in it ("All of the above") keeps its
 * place, as it speaks of the others. True/false stays True, False. */
void quiz_shuffle(struct quiz *q, uint64_t seed);
/* The number of choices shown (2 for true/false), and the 0-based choice
 * shown at display position i, with its text. */
size_t quiz_choice_count(const struct quiz_question *q);
size_t quiz_shown_choice(const struct quiz_question *q, size_t i);
const char *quiz_choice_text(const struct quiz_question *q, size_t choice);
/* A single- or multiple-choice response in display positions ("2",
 * "1,3") as the bank's numbers, in order; NULL when it names a position
 * that is not shown. Other kinds are returned as they are. Malloc'd. */
char *quiz_response_from_shown(const struct quiz_question *q, const char *response);
/* The order shown as stored: the bank's numbers, "3,1,4,2"; "" for the
 * bank's order. Malloc'd. */
char *quiz_shown_text(const struct quiz_question *q);
/* The questions whose latest attempt was wrong, most-missed first (then
 * the most recently missed, then course order); lesson NULL for the whole
 * course. */
enum store_error quiz_load_review(struct store *st, int64_t learner, const char *lesson,
				  struct quiz *out);
void quiz_free(struct quiz *q);

/* How an answer was marked. QUIZ_UNCHECKED: a short answer's pattern does
 * not compile or hit PCRE2's limits, a problem of the course content
 * (`aipm content check` reports it), so the learner is marked neither
 * right nor wrong. */
enum quiz_mark { QUIZ_UNCHECKED = -1, QUIZ_WRONG = 0, QUIZ_RIGHT = 1 };
/* A response as stored and graded: single "2", multiple "1,3", truefalse
 * "true"/"false", short and numeric the text typed. */
enum quiz_mark quiz_grade(const struct quiz_question *q, const char *response);
/* Whether a typed response can be judged at all: a numeric question's
 * answer that is not a number ("seventy five", "60 percent") is refused
 * with a hint in why, to be typed again, rather than marked wrong. */
bool quiz_response_readable(const struct quiz_question *q, const char *response, char *why,
			    size_t whylen);
/* (quiz_take_answer refuses such a response with STORE_ERR_INVALID and
 * stores nothing.) */
/* The right choices as bits (bit 0 the first choice); for true/false,
 * bit 0 is true and bit 1 false; 0 for the typed kinds. */
uint64_t quiz_right_choices(const struct quiz_question *q);
/* The choices a stored response names, as the same bits. */
uint64_t quiz_response_choices(const struct quiz_question *q, const char *response);
/* The right answer in words, numbered as shown, for the feedback.
 * Malloc'd. */
char *quiz_answer_text(const struct quiz_question *q);

struct quiz_take {
	char uid[37]; /* empty for a review */
	int64_t learner;
	char lesson[96]; /* the scope */
	enum quiz_scope scope;
	uint64_t seed;
	int total, answered, correct;
	/* The last answer stored, for quiz_take_undo: its attempt (empty when
	 * there is none to undo), its question and its card before it. */
	char last_uid[37];
	char last_question[96];
	bool last_correct, last_card_existed;
	struct schedule_card last_card;
};
/* Starts a take of a scope's quiz (total questions, drawn and shuffled
 * with seed), or a review when scope is NULL (nothing stored until an
 * answer). */
enum store_error quiz_take_begin(struct store *st, int64_t learner, const char *scope, int total,
				 uint64_t seed, struct quiz_take *out);
/* Grades and stores one answer (in the bank's numbering, as
 * quiz_response_from_shown gives it) in one transaction: the attempt with
 * the order shown, the take's counts (finished when the last question is
 * answered) and the question's review card. An answer
 * that cannot be checked (QUIZ_UNCHECKED) is not stored at all. */
enum store_error quiz_take_answer(struct store *st, struct quiz_take *take,
				  const struct quiz_question *q, const char *response,
				  enum quiz_mark *mark);
/* Takes back the take's last stored answer in one transaction: its
 * attempt deleted, its question's review card put back as it was before
 * and the take's counts (and its end) as before the answer. Once only:
 * STORE_ERR_NOTFOUND when there is no answer to undo. */
enum store_error quiz_take_undo(struct store *st, struct quiz_take *take);
/* Percent of the take's questions answered right. */
double quiz_take_percent(const struct quiz_take *take);

/* An answered question as the learner saw it: the question with its
 * options as they were asked (the attempt keeps them) in the order shown,
 * the response (numbered as those options) and whether it was right;
 * changed when the bank has reworded, reordered or re-keyed the options
 * since. */
struct quiz_answered {
	char *response;
	bool correct, changed;
	int64_t at;
};
/* A take's answers in the order given; questions since removed from the
 * bank are left out. out->questions[i] goes with (*answers)[i]. */
enum store_error quiz_take_answers(struct store *st, const char *take_uid, struct quiz *out,
				   struct quiz_answered **answers);
void quiz_answered_free(struct quiz_answered *answers, size_t count);

#endif
