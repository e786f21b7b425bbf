/* The coach's reports over every learner in the database (the ones who
 * sign in here and the ones imported from progress bundles): the cohort,
 * one learner in depth, the questions the cohort misses most, and named
 * groups of learners. Every figure comes from the stored attempts: the
 * per-learner and per-question totals of migration 5 are kept by triggers
 * in the same transaction as the attempts, which keeps each view under
 * 200 ms at 1,000 learners with a full course each. No curses: the
 * screens, the CLI and the tests share it. */
#ifndef AIPM_COACH_H
#define AIPM_COACH_H

#include "drill.h"
#include "keys.h"
#include "progress.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the cohort ---------------------------------------------------------- */

struct coach_row {
	int64_t id;
	char uuid[37];
	char name[128];
	bool imported;
	int64_t last_import; /* 0: never imported (a local learner) */
	int64_t last_active; /* 0: nothing stored yet */
	int lessons_done;
	double course_percent;
	double *module_percent; /* per cohort module, in course order */
	int quiz_answers, quiz_correct;
	double quiz_accuracy;    /* percent; -1 without answers */
	int estimation_answers, estimation_hits;
	double calibration;      /* percent of 90% ranges that held; -1 without */
	int interview_answers;
	double interview_score;  /* mean rubric share; -1 without */
	char groups[256];        /* the learner's groups, ", "-separated */
	char key[KEY_FINGERPRINT_SIZE]; /* the key pinned for them (keys.h), "" when none */
};

struct coach_module {
	char id[32];
	char title[192];
	int lessons;
};

struct coach_cohort {
	struct coach_row *rows;
	size_t count;
	struct coach_module *modules;
	size_t module_count;
	int lessons; /* in the course */
};

enum coach_sort {
	COACH_SORT_NAME,
	COACH_SORT_PROGRESS,
	COACH_SORT_ACCURACY,
	COACH_SORT_DRILL,
	COACH_SORT_CALIBRATION,
	COACH_SORT_ACTIVE,
	COACH_SORT_COUNT
};
extern const char *const coach_sort_names[COACH_SORT_COUNT]; /* "name", "progress", ... */
int coach_sort_parse(const char *s, enum coach_sort *out);

/* Every learner, or the members of group (NULL: everyone), by name.
 * STORE_ERR_NOTFOUND when the group does not exist. */
enum store_error coach_cohort_load(struct store *st, const char *group, struct coach_cohort *out);
/* Best first for the figures (most progress, highest accuracy, most
 * recently active), A to Z for names; reverse flips it. Ties by name. */
void coach_cohort_sort(struct coach_cohort *c, enum coach_sort by, bool reverse);
void coach_cohort_free(struct coach_cohort *c);
/* Whether a row matches a filter: a case-insensitive part of the name, the
 * UUID's start, or a group's name. */
bool coach_row_matches(const struct coach_row *r, const char *filter);

/* ---- difficult questions ------------------------------------------------- */

enum coach_item_kind { COACH_QUIZ, COACH_ESTIMATION, COACH_INTERVIEW };

/* A wrong answer as often given: a quiz answer in words, an estimate's
 * order of magnitude, or an interview rubric point left out. */
struct coach_wrong {
	char *text;
	int count;
};

#define COACH_WRONG_SHOWN 3

struct coach_question {
	enum coach_item_kind kind;
	char id[96];
	char *prompt;
	char lesson_id[96]; /* the lesson that teaches it; "" when none */
	char *lesson_title;
	int learners;        /* who answered it */
	int missed_by;       /* who got it wrong at least once */
	int attempts, misses;
	double miss_percent; /* of the learners who answered */
	struct coach_wrong wrong[COACH_WRONG_SHOWN];
	size_t wrong_count;
};

struct coach_difficult {
	struct coach_question *items; /* most learners missing first */
	size_t count;
	int learners; /* in the cohort or group */
};

/* Quiz questions missed (a wrong answer), estimation questions missed (a
 * 90% range that did not hold the answer) and interview questions missed
 * (under 60% of the rubric), across everyone or a group, keeping the limit
 * (0: all) with the most learners missing each. */
#define COACH_INTERVIEW_PASS 60.0
enum store_error coach_difficult_load(struct store *st, const char *group, size_t limit,
				      struct coach_difficult *out);
void coach_difficult_free(struct coach_difficult *d);
const char *coach_item_kind_name(enum coach_item_kind kind);

/* ---- one learner ---------------------------------------------------------- */

enum coach_event_kind {
	EVENT_LESSON_OPENED,
	EVENT_QUIZ_TAKE,
	EVENT_QUIZ_REVIEW,
	EVENT_ESTIMATION,
	EVENT_INTERVIEW,
	EVENT_MOCK,
	EVENT_NOTE,
	EVENT_LAB_RUN,
};

/* "lesson", "quiz", "review", "estimation", "interview", ..., "lab run" */
const char *coach_event_kind_name(enum coach_event_kind kind);

struct coach_event {
	int64_t at;
	enum coach_event_kind kind;
	char *what;   /* the lesson or question */
	char *detail; /* score, answer */
	int outcome;  /* 1 good, 0 neutral, -1 bad */
};

struct coach_stall {
	size_t lesson;	  /* index into report.lessons */
	int64_t opened_at, updated_at;
	int64_t seconds;
	char reason[96]; /* "not read to the end", "quiz best 40%, pass mark 70%" */
};

struct coach_weak {
	char id[96];
	char *prompt;
	char lesson_id[96];
	int attempts, wrong;
	bool last_correct;
	char *last_answer; /* in words */
};

struct coach_note {
	char lesson_id[96];
	char *lesson_title;
	char *body;
	int64_t created_at;
};

/* Everything the progress screen and the coach's learner view show. */
struct learner_report {
	struct learner learner;
	bool imported;
	int64_t last_import;
	struct lesson_status *lessons; /* course order */
	size_t lesson_count;
	struct course_summary summary;
	struct module_summary *modules;
	size_t module_count;
	int64_t reading_seconds, drill_seconds;
	int streak, best_streak; /* days in a row with any activity */
	int active_days;
	int64_t last_active;
	int quiz_answers, quiz_correct;
	struct drill_stats drill;
	struct drill_calibration calibration;
	struct coach_event *timeline; /* newest first */
	size_t timeline_count;
	struct coach_stall *stalled; /* longest untouched first */
	size_t stall_count;
	struct coach_weak *weakest; /* most missed first */
	size_t weak_count;
	struct coach_note *notes; /* newest first */
	size_t note_count;
	/* Model lab runs, and the best one's scores (-1 without runs; the
	 * best is the highest AUC, as the lab picks it; its AUC is -1 when the
	 * run kept none). */
	int experiments;
	double best_auc, best_accuracy, best_f1;
	/* The fingerprint of the key that signs their bundles: the one pinned
	 * here for an imported learner (and when), their own for a learner
	 * who signs in here; "" when there is none. */
	char key[KEY_FINGERPRINT_SIZE];
	int64_t key_pinned_at;
};

#define COACH_TIMELINE_MAX 300
#define COACH_WEAK_MAX 10

enum store_error learner_report_load(struct store *st, int64_t learner_id, int64_t now,
				     struct learner_report *out);
void learner_report_free(struct learner_report *r);

/* Every learner (local and imported) that name_or_uuid names: by name (any
 * case), or by the start of the UUID (4 characters at least); by name,
 * then UUID. Two imported learners may share a name: the caller asks
 * which. *out is malloc'd (free it). */
struct coach_match {
	struct learner learner;
	bool imported;
	int64_t last_import; /* 0: never imported */
};
enum store_error coach_match_learners(struct store *st, const char *name_or_uuid,
				      struct coach_match **out, size_t *count);
/* The one learner it names; STORE_ERR_NOTFOUND with *matches 0 (none) or
 * more than 1 (ambiguous). */
enum store_error coach_find_learner(struct store *st, const char *name_or_uuid,
				    struct learner *out, size_t *matches);

/* ---- groups and imports --------------------------------------------------- */

struct coach_group {
	int64_t id;
	char name[128];
	int members;
};

enum store_error coach_groups_list(struct store *st, struct coach_group **out, size_t *count);
/* Creates the group when it is new; adds the learner (ignored when already
 * a member). One transaction each. */
enum store_error coach_group_add(struct store *st, const char *group, int64_t learner_id);
/* STORE_ERR_NOTFOUND when the learner was not in the group. */
enum store_error coach_group_remove(struct store *st, const char *group, int64_t learner_id);
/* Deletes the group (its learners stay). */
enum store_error coach_group_delete(struct store *st, const char *group);

struct coach_import {
	char *learner_name;
	char learner_uuid[37];
	char *file;
	int64_t exported_at, imported_at;
	int rows, added, updated;
	char key[KEY_FINGERPRINT_SIZE]; /* the fingerprint of the key that signed it */
};
/* The last import of each imported learner, newest first. */
enum store_error coach_imports_list(struct store *st, struct coach_import **out, size_t *count);
void coach_imports_free(struct coach_import *items, size_t count);

#endif
