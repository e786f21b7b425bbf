/* The course's one daily review, as Anki keeps one queue: every answered
 * question, of the drill and of the quizzes alike, has one FSRS card per
 * learner in review_cards ("est:<id>" and "iq:<id>" for the drill's banks,
 * "quiz:<id>" for quiz questions), and what falls due by the end of the
 * learner's (UTC) day makes one session, most overdue first. No curses:
 * home, the review screen and `aipm review` share it. */
#ifndef AIPM_REVIEW_H
#define AIPM_REVIEW_H

#include "schedule.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum review_kind { REVIEW_ESTIMATION, REVIEW_INTERVIEW, REVIEW_QUIZ };

struct review_item {
	enum review_kind kind;
	char id[96];     /* the question's id in its bank */
	char type[24];   /* the drill type; "quiz" for a quiz question */
	char lesson[96]; /* a quiz question's lesson */
	char *prompt;
	int64_t due_at;
};

/* The card key of a question: "est:<id>", "iq:<id>" or "quiz:<id>" by its
 * bank, so that the banks' ids never collide. */
void review_card_key(enum review_kind kind, const char *question_id, char *buf, size_t size);

/* The learner's card for key; a zeroed (new) card and *exists false when
 * there is none. */
enum store_error review_card_get(struct store *st, int64_t learner, const char *key,
				 struct schedule_card *out, bool *exists);
/* The card writer of every answer, the drill's and the quizzes': reviews
 * the card of the question (of kind's bank) at now with rating and writes
 * it back (a new card when there was none); inside the caller's
 * transaction. */
enum store_error review_card_answered(struct store *st, int64_t learner, enum review_kind kind,
				      const char *question_id, enum schedule_rating rating,
				      int64_t now);
/* The card as before (read with review_card_get before the answer was
 * scheduled) reviewed at now with rating instead: the learner's grade in
 * place of the score's. */
/* Puts the card back as it was (before, from review_card_get) or, when it
 * did not exist, removes it: the undo of an answer's scheduling; inside
 * the caller's transaction. */
enum store_error review_card_restore(struct store *st, int64_t learner, const char *key,
				    const struct schedule_card *before, bool existed);
enum store_error review_card_regrade(struct store *st, int64_t learner, const char *key,
				    const struct schedule_card *before, enum schedule_rating rating,
				    int64_t now);

/* Everything due before the end of now's day, drill and quiz questions
 * mixed, most overdue first (ties: the drill's order, then course
 * order). Cards of questions since removed from the banks are left out. */
enum store_error review_due(struct store *st, int64_t learner, int64_t now,
			    struct review_item **out, size_t *count);
void review_items_free(struct review_item *items, size_t count);

struct review_counts {
	size_t drill, quiz;
};
/* How many of each are due (0 on error): home's "due today". */
void review_due_counts(struct store *st, int64_t learner, int64_t now,
		       struct review_counts *out);

/* The days a forecast covers: today and the six after it, as Anki's. */
#define REVIEW_FORECAST_DAYS 7
/* How many reviews fall due on each of the next days (UTC, as the
 * review's day): day 0 is today with what is overdue, day d the d-th day
 * after; drill and quiz cards alike, of questions still in the banks. */
enum store_error review_forecast(struct store *st, int64_t learner, int64_t now,
				 size_t per_day[REVIEW_FORECAST_DAYS]);

#endif
