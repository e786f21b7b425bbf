/* Spaced repetition with FSRS-4.5 (the Free Spaced Repetition Scheduler
 * of the open-spaced-repetition project, with its 17 published default
 * weights and a requested retention of 0.9). A card is either new or in
 * review; there are no same-day learning steps, so every interval is at
 * least a day. */
#ifndef AIPM_SCHEDULE_H
#define AIPM_SCHEDULE_H

#include <stdint.h>

/* The share of cards the learner should still remember when they fall due. */
#define SCHEDULE_RETENTION 0.9
/* A century: long enough to mean "known". */
#define SCHEDULE_MAX_INTERVAL_DAYS 36500

enum schedule_rating {
	SCHEDULE_AGAIN = 1, /* forgotten or wrong */
	SCHEDULE_HARD,
	SCHEDULE_GOOD,
	SCHEDULE_EASY,
};

/* A zeroed card is new, and so is one whose state is out of range. Times
 * are Unix seconds. */
struct schedule_card {
	double stability;  /* days until recall falls to 90% */
	double difficulty; /* 1 (easy) to 10 (hard) */
	int64_t due, last_review;
	int reps;   /* reviews so far */
	int lapses; /* reviews rated again */
};

/* Updates the card for a review at now: stability, difficulty, counts,
 * last_review and due. -1 (card unchanged) for a rating outside 1-4. */
int schedule_review(struct schedule_card *card, enum schedule_rating rating, int64_t now);

/* The probability that the learner recalls the card at now: 0 for a new
 * card, 1 right after a review, 0.9 when it falls due. */
double schedule_retrievability(const struct schedule_card *card, int64_t now);

/* A score out of 100 as a rating: 85 and above easy, 60 good, 30 hard,
 * below 30 again. Takes an estimation answer's points, or a self-graded
 * rubric share times 100. */
enum schedule_rating schedule_rating_from_percent(double percent);
/* "again", "hard", "good", "easy"; "" outside 1-4. */
const char *schedule_rating_name(enum schedule_rating rating);

#endif
