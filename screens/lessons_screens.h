/* The screens of the Lessons module (course tree, reader, quiz, glossary,
 * course search) and how one opens another. */
#ifndef AIPM_LESSONS_SCREENS_H
#define AIPM_LESSONS_SCREENS_H

#include "app.h"
#include "glossary.h"

#include <stdbool.h>
#include <stddef.h>

/* What the reader opens: a lesson, at the saved position, at a search
 * match (pattern and place) when search is set, or at the heading whose
 * slug is heading (a cross-reference); or a module's recap (recap set:
 * lesson_id is the module). */
struct reader_request {
	const char *lesson_id;
	const char *search;
	size_t para, offset;
	bool at_para; /* without a search: open with paragraph para at the top (a bookmark) */
	const char *anchor; /* with at_para: the paragraph's anchor, found first (lesson.h) */
	const char *heading;
	bool recap;
};

/* A quiz: a lesson's (lesson_id a lesson), a module's cumulative quiz
 * (lesson_id the module) or the final exam (lesson_id "final"); or a
 * review of the missed questions (of one lesson, or of the whole course
 * when lesson_id is NULL); or one question of the daily review
 * (question_id), which goes back after its feedback, setting *answered
 * once the answer is given. */
struct quiz_request {
	const char *lesson_id;
	bool review;
	const char *question_id;
	bool *answered;
};

/* Opens the reader on a lesson at the learner's saved place. */
void lessons_open(struct app *app, const char *lesson_id);
/* Opens the reader on a module's recap. */
void lessons_open_recap(struct app *app, const char *module_id);
/* Opens the first lesson that is not done, over the course tree above
 * home (the screens that were open close, as q would close them); false
 * (with a message) when every lesson is. */
bool lessons_open_next(struct app *app);
/* Shows a glossary entry in a dialog; the lessons that use the term are
 * listed by title, and a number opens one. */
void glossary_show_entry(struct app *app, const struct glossary_entry *e);

#endif
