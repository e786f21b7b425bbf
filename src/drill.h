/* The interview drill's engine: the question banks as the drill reads
 * them, the learner's answers (estimation answers scored by estimate.c,
 * other answers self-graded against the rubric), one FSRS card per
 * question and learner (schedule.c), calibration, stats, streaks and mock
 * interviews. No curses: the screens, the CLI and the tests share it.
 *
 * Every write is one committed transaction; times are Unix seconds passed
 * in by the caller (clock_now() in the app, fixed values in tests). */
#ifndef AIPM_DRILL_H
#define AIPM_DRILL_H

#include "estimate.h"
#include "expr.h"
#include "schedule.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The question types, estimation first, then the interview bank's types in
 * the course's order; NULL-terminated. */
#define DRILL_TYPE_COUNT 8
extern const char *const drill_types[DRILL_TYPE_COUNT + 1];
#define DRILL_ESTIMATION "estimation"
/* "Product sense" for "product_sense"; the type itself when unknown. */
const char *drill_type_label(const char *type);
/* Index in drill_types, or -1. */
int drill_type_index(const char *type);

/* Self-grades of a rubric point. */
enum drill_grade { DRILL_MISSED = 0, DRILL_PARTLY = 1, DRILL_COVERED = 2 };

/* One question as a list shows it, with the learner's record. */
struct drill_item {
	char id[64];
	char type[24];
	char *question;
	int target_seconds;
	int attempts;
	double last_score; /* 0-100: points or rubric share; -1 when never answered */
	int64_t last_at;   /* 0 when never answered */
	int64_t due_at;    /* 0 when not scheduled yet (never answered) */
};

/* The type of a question of either bank ("estimation" for the estimation
 * bank's); STORE_ERR_NOTFOUND when it is in neither. */
enum store_error drill_question_type(struct store *st, const char *id, char *type, size_t size);

/* The questions of a type (NULL: every type), in type then bank order. */
enum store_error drill_list(struct store *st, int64_t learner_id, const char *type,
			    struct drill_item **out, size_t *count);
/* The day's due list: the scheduled questions due before the end of now's
 * (UTC) day, most overdue first, then as many new questions (never
 * answered, due_at 0) as the day's limit of new questions still allows
 * (drill_new_left), the types taken in turn (each type's first question
 * in the bank, then each type's second...), as Anki adds new cards to the
 * reviews. */
enum store_error drill_due(struct store *st, int64_t learner_id, int64_t now,
			  struct drill_item **out, size_t *count);
/* How many that is (0 on error). */
size_t drill_due_count(struct store *st, int64_t learner_id, int64_t now);

/* The learner's daily limit of new questions (a setting of this machine's,
 * learner_settings): how many never-answered questions may join a day's
 * due list. */
#define DRILL_NEW_PER_DAY_DEFAULT 5
#define DRILL_NEW_PER_DAY_MAX 100
int drill_new_per_day(struct store *st, int64_t learner_id);
/* STORE_ERR_INVALID for a limit outside 0..DRILL_NEW_PER_DAY_MAX. */
enum store_error drill_set_new_per_day(struct store *st, int64_t learner_id, int limit);
/* How many new questions the limit still allows on now's day: the limit
 * less the questions first answered that day. */
int drill_new_left(struct store *st, int64_t learner_id, int64_t now);
void drill_items_free(struct drill_item *items, size_t count);

/* ---- estimation ---------------------------------------------------------- */

/* A line of the reference decomposition, its value worked out with the
 * expression engine. */
struct drill_step {
	char *name, *expression, *unit, *source;
	double value;
	bool has_value; /* false when the expression does not evaluate */
	struct expr_shape shape;
};

struct drill_estimation {
	char *id, *question, *unit, *difficulty, *source;
	double answer, low, high; /* the reference answer and 90% range */
	int target_seconds;
	struct drill_step *steps;
	size_t step_count;
};

enum store_error drill_estimation_load(struct store *st, const char *id,
				       struct drill_estimation *out);
void drill_estimation_free(struct drill_estimation *q);

/* One worksheet line evaluated: "name = expression", a bare expression,
 * or a blank or '#' comment line (skipped), as `aipm calc` reads them. */
enum drill_line_state { DRILL_LINE_BLANK, DRILL_LINE_OK, DRILL_LINE_ERROR };
struct drill_line {
	enum drill_line_state state;
	char name[64]; /* empty for a bare expression */
	double value;
	struct expr_shape shape; /* of a line that evaluates */
	int error_at;  /* byte offset in the line's own text */
	char message[128];
};

/* Evaluates lines in order into sheet (names defined as they go, so a
 * line can use the lines above it) and results[i] for lines[i]. Returns
 * the number of lines with an error. */
size_t drill_sheet_eval(struct expr_sheet *sheet, const char *const *lines, size_t count,
			struct drill_line *results);
/* An answer field: a number or an expression over the sheet's names
 * ("total", "total / 3"). */
int drill_sheet_value(struct expr_sheet *sheet, const char *text, double *value,
		      struct expr_error *err);

/* How a reference line found its line on the learner's sheet. */
enum drill_pairing {
	DRILL_UNPAIRED,
	DRILL_PAIRED_BY_NAME,
	DRILL_PAIRED_BY_VALUE, /* by meaning: value and role in the tree */
	DRILL_PAIRED_BY_HAND,
};
/* Pairs each reference step with one of the learner's lines (pair[i] its
 * index in lines, how[i] how), the learner naming lines freely: a line of
 * the same name first; the others by an optimal one-to-one assignment
 * (Hungarian) that pairs as many lines as it can at the least total cost,
 * where a pair costs the orders of magnitude between its two values (at
 * most one) plus a little for a different outermost operator (a sum
 * against a product) and for each level of depth apart, and only lines of
 * the same kind may pair: an input (a number) with an input, a line
 * worked out from others with another. The learner's last line, the
 * answer, pairs by value only with the reference's last line. */
void drill_pair_lines(const struct drill_estimation *q, const struct drill_line *lines,
		      size_t count, size_t *pair, enum drill_pairing *how);
/* The learner's own pairing of step with line (an index in lines), which
 * undoes any other pair either had; line SIZE_MAX unpairs the step. */
void drill_pair_by_hand(size_t step_count, size_t *pair, enum drill_pairing *how, size_t step,
			size_t line);

/* Of the paired reference lines before the answer, the one whose line on
 * the learner's sheet is furthest off (estimate_biggest_miss_values). */
bool drill_biggest_miss(const struct drill_estimation *q, const struct drill_line *lines,
			const size_t *pair, const enum drill_pairing *how, size_t *step,
			double *log_ratio);

/* The longest answer time (and pause) a drill answer records: a question
 * left open for more than a week says nothing more about the answer, and
 * progress bundles hold no longer ones (bundle_values.c). */
#define DRILL_MAX_SECONDS (7 * 86400)

struct drill_estimation_answer {
	double point, low, high;
	int seconds, paused_seconds;
	const char *worksheet; /* the learner's lines, '\n'-separated; may be NULL */
	const char *mock_uid;  /* the mock interview it belongs to, or NULL */
};

/* Scores the answer against the reference answer (estimate_score), stores
 * the attempt and reschedules the question's card from the points, in one
 * transaction. 0 on success with *score and uid filled; -1 with a message
 * in err (an answer that cannot be scored, or a store failure). */
int drill_record_estimation(struct store *st, int64_t learner_id,
			    const struct drill_estimation *q,
			    const struct drill_estimation_answer *answer, int64_t now,
			    struct estimate_score *score, char uid[37], char *err, size_t errlen);

/* ---- the other question types --------------------------------------------- */

struct drill_rubric_point {
	char *point, *hint;
};

struct drill_framework_step {
	char *step, *detail, *source;
};

struct drill_interview {
	char *id, *type, *question, *model_outline, *source;
	int target_seconds;
	struct drill_rubric_point *points;
	size_t point_count;
	struct drill_framework_step *framework; /* the course's framework for the type */
	size_t framework_count;
};

enum store_error drill_interview_load(struct store *st, const char *id,
				      struct drill_interview *out);
void drill_interview_free(struct drill_interview *q);

/* hinted[i]: whether the answer seems to touch points[i] (its PCRE2 hint
 * matches somewhere in the text). A point without a usable hint is never
 * hinted. Returns how many hints could not be checked (a pattern that does
 * not compile or hits PCRE2's limits: the bank's problem, not the
 * answer's). */
size_t drill_rubric_hints(const struct drill_interview *q, const char *answer, bool *hinted);
/* The self-grades as a share of the best possible, 0-100 (0 with none). */
double drill_rubric_percent(const int *grades, size_t count);

struct drill_interview_answer {
	const char *text;
	int seconds, paused_seconds;
	const int *grades;   /* enum drill_grade per rubric point, in order */
	const bool *hinted;  /* per rubric point: pre-marked from the hints */
	size_t count;        /* must equal the question's point_count */
	const char *mock_uid;
};

/* Undoes an estimate just recorded (attempt uid, of question_id): the
 * attempt is deleted and the card put back as before (from drill_card,
 * existed as it said), in one transaction. An answer of a mock interview
 * is refused (STORE_ERR_INVALID): the mock's summary counts it. */
enum store_error drill_estimation_undo(struct store *st, int64_t learner_id, const char *uid,
				       const char *question_id, const struct schedule_card *before,
				       bool existed);
/* The same for an interview answer just recorded (its rubric grades go
 * with it). */
enum store_error drill_interview_undo(struct store *st, int64_t learner_id, const char *uid,
				      const char *question_id, const struct schedule_card *before,
				      bool existed);

/* The learner's last answer to an interview question: its text (malloc'd),
 * rubric share and time; STORE_ERR_NOTFOUND when never answered. Shown
 * beside a retry's answer, as Exponent's practice does. */
struct drill_previous_answer {
	char *text;
	double score;
	int64_t answered_at;
};
enum store_error drill_interview_previous(struct store *st, int64_t learner_id,
					  const char *question_id,
					  struct drill_previous_answer *out);

/* Stores the answer with its self-grades and reschedules the card from the
 * rubric share, in one transaction. 0 on success; -1 with err. */
int drill_record_interview(struct store *st, int64_t learner_id, const struct drill_interview *q,
			   const struct drill_interview_answer *answer, int64_t now,
			   double *percent, char uid[37], char *err, size_t errlen);

/* The card of a question ("est-..." or "iq-..." id); *exists false and a
 * zeroed (new) card when it was never answered. */
enum store_error drill_card(struct store *st, int64_t learner_id, const char *question_id,
			    struct schedule_card *out, bool *exists);
/* After an answer: its question's card scheduled from before (its state
 * before the answer, from drill_card) with the learner's rating instead of
 * the score's, as Anki lets a learner grade a card. */
enum store_error drill_card_regrade(struct store *st, int64_t learner_id, const char *question_id,
				    const struct schedule_card *before,
				    enum schedule_rating rating, int64_t now);

/* ---- calibration, stats, streaks ----------------------------------------- */

/* Answers in the rolling share of the calibration trend. */
#define DRILL_TREND_WINDOW 10

struct drill_range {
	char question_id[64];
	int64_t at;
	bool hit;
	double width, points, log_error;
};

struct drill_calibration {
	struct estimate_calibration summary;
	struct drill_range *answers; /* oldest first */
	size_t count;
	/* trend[i]: percent of the last DRILL_TREND_WINDOW ranges up to
	 * answer i that held the reference. */
	double *trend;
};

/* Over every estimation answer of the learner, or of one mock interview
 * (mock_uid not NULL). */
enum store_error drill_calibration_load(struct store *st, int64_t learner_id,
					const char *mock_uid, struct drill_calibration *out);
void drill_calibration_free(struct drill_calibration *c);

struct drill_type_stats {
	int answers;
	double mean_score, best_score; /* 0-100; 0 with no answers */
	int64_t last_at;
};

struct drill_day {
	int64_t day; /* start of the UTC day */
	int answers;
	double mean_score;
	double held_percent; /* share of ranges held over every estimation answer up
			      * to the end of this day; -1 before the first */
};

struct drill_stats {
	struct drill_type_stats types[DRILL_TYPE_COUNT]; /* in drill_types order */
	int answers;
	int streak;      /* days in a row with an answer, up to today (or yesterday) */
	int best_streak;
	int mocks;       /* mock interviews finished */
	size_t due_today;
	struct drill_day *days; /* days with answers, oldest first */
	size_t day_count;
	/* Types with answers, lowest mean score first. */
	int weakest[DRILL_TYPE_COUNT];
	size_t weakest_count;
};

enum store_error drill_stats_load(struct store *st, int64_t learner_id, int64_t now,
				  struct drill_stats *out);
void drill_stats_free(struct drill_stats *s);

/* ---- mock interviews ----------------------------------------------------- */

/* count question ids for a mock interview: the types taken in turn
 * (estimation first, the others in an order shuffled by seed), and in each
 * type a due question first, then the least practised, then the longest
 * unseen. *ids is malloc'd; free with drill_ids_free. */
enum store_error drill_mock_pick(struct store *st, int64_t learner_id, size_t count,
				 uint32_t seed, int64_t now, char ***ids, size_t *picked);
void drill_ids_free(char **ids, size_t count);

enum store_error drill_mock_start(struct store *st, int64_t learner_id, size_t planned,
				  int64_t now, char uid[37]);
enum store_error drill_mock_finish(struct store *st, const char *uid, int64_t now);

struct drill_mock_row {
	char question_id[64];
	char type[24];
	int seconds, target_seconds;
	double score;                    /* 0-100 */
	bool has_range, hit;             /* estimation answers */
	int covered, partly, rubric_total; /* other answers */
};

struct drill_mock_summary {
	struct drill_mock_row *rows; /* in answer order */
	size_t count;
	size_t planned;
	int seconds, target_seconds;
	double mean_score;
	int ranges, hits;
	int covered, partly, rubric_total;
};

enum store_error drill_mock_summary_load(struct store *st, const char *uid,
					 struct drill_mock_summary *out);
void drill_mock_summary_free(struct drill_mock_summary *s);

/* A value as the drill shows it, in the notation the worksheet accepts:
 * three significant digits with k, M, B or T from 10,000 up (9.82M,
 * 110k), whole numbers with separators below (1,060), small fractions as
 * they are (0.3, 12.5). */
void drill_format_value(double value, char *buf, size_t size);

/* ---- the answer timer ------------------------------------------------------ */

/* A stopwatch that can pause; times are seconds of a monotonic clock. */
struct drill_timer {
	double started, paused_since, paused_total;
	bool paused;
};

double drill_monotonic(void);
void drill_timer_start(struct drill_timer *t, double now);
void drill_timer_pause(struct drill_timer *t, double now);
void drill_timer_resume(struct drill_timer *t, double now);
/* Seconds running (pauses left out) and seconds paused, up to now. */
double drill_timer_elapsed(const struct drill_timer *t, double now);
double drill_timer_paused(const struct drill_timer *t, double now);

#endif
