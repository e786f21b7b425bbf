/* A learner's progress through the course, computed from the stored
 * attempts (never cached): per-lesson status, the course summary and the
 * next lesson to open. */
#ifndef AIPM_PROGRESS_H
#define AIPM_PROGRESS_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

enum lesson_state { LESSON_NOT_STARTED, LESSON_IN_PROGRESS, LESSON_DONE };

struct lesson_status {
	char id[96];
	char title[192];
	char module_id[32];
	char module_title[192];
	int module_order, order;
	int words;
	int minutes; /* reading time at 200 words a minute, at least 1 */
	int pass_mark;
	int questions;
	bool opened, read_to_end;
	double best_score;   /* percent, < 0 when no finished quiz */
	double latest_score; /* percent, < 0 when no finished quiz */
	enum lesson_state state;
};

struct course_summary {
	int lessons, done, in_progress;
	int modules;
	double percent;
	/* The first lesson in course order that is not done; -1 when all are. */
	int next;
};

/* One module of the course tree: its lessons are lessons[first] onwards. */
struct module_summary {
	char id[32];
	char title[192];
	size_t first;
	int lessons, done, in_progress;
	double percent;
};

/* Every lesson in course order with the learner's status; *out malloc'd. */
enum store_error progress_lessons(struct store *st, int64_t learner_id,
				  struct lesson_status **out, size_t *count);
void progress_summarize(const struct lesson_status *lessons, size_t count,
			struct course_summary *out);
/* The modules of a course-ordered lesson list, with their share done;
 * *out malloc'd. */
void progress_modules(const struct lesson_status *lessons, size_t count,
		      struct module_summary **out, size_t *nmodules);

#endif
