/* Lesson quizzes: the questions from the store, grading a learner's answer
 * for each kind, recording every attempt, and the review of missed
 * questions. A take is one pass through a lesson's quiz (a quiz_takes row);
 * its score is what the course tree shows. A review re-asks missed
 * questions; its attempts are stored too, outside any take, so that a
 * review of two questions never counts as a quiz score. */
#ifndef AIPM_QUIZ_H
#define AIPM_QUIZ_H

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
};

struct quiz {
	struct quiz_question *questions;
	size_t count;
};

/* A lesson's questions in order. */
enum store_error quiz_load_lesson(struct store *st, const char *lesson, struct quiz *out);
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
/* The right choices as bits (bit 0 the first choice); for true/false,
 * bit 0 is true and bit 1 false; 0 for the typed kinds. */
uint64_t quiz_right_choices(const struct quiz_question *q);
/* The right answer in words, for the feedback. Malloc'd. */
char *quiz_answer_text(const struct quiz_question *q);

struct quiz_take {
	char uid[37]; /* empty for a review */
	int64_t learner;
	char lesson[96];
	int total, answered, correct;
};
/* Starts a take of a lesson's quiz (total questions), or a review when
 * lesson is NULL (nothing stored until an answer). */
enum store_error quiz_take_begin(struct store *st, int64_t learner, const char *lesson, int total,
				 struct quiz_take *out);
/* Grades and stores one answer in one transaction: the attempt, and the
 * take's counts (finished when the last question is answered). An answer
 * that cannot be checked (QUIZ_UNCHECKED) is not stored at all. */
enum store_error quiz_take_answer(struct store *st, struct quiz_take *take,
				  const struct quiz_question *q, const char *response,
				  enum quiz_mark *mark);
/* Percent of the take's questions answered right. */
double quiz_take_percent(const struct quiz_take *take);

#endif
