#include "progress.h"

#include "store_sql.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define WORDS_PER_MINUTE 200

/* A lesson is done when it was read to the end and its quiz passed (or it
 * has no quiz). */
static const char lessons_sql[] =
    "SELECT l.id, l.title, m.id, m.title, m.ord, l.ord, l.words, l.pass_mark,"
    "  (SELECT COUNT(*) FROM quiz_questions q WHERE q.lesson_id = l.id),"
    "  p.lesson_id IS NOT NULL, COALESCE(p.read_to_end, 0),"
    "  (SELECT MAX(100.0 * t.correct / t.total) FROM quiz_takes t"
    "     WHERE t.learner_id = ?1 AND t.lesson_id = l.id AND t.finished_at IS NOT NULL"
    "       AND t.total > 0),"
    "  (SELECT 100.0 * t.correct / t.total FROM quiz_takes t"
    "     WHERE t.learner_id = ?1 AND t.lesson_id = l.id AND t.finished_at IS NOT NULL"
    "       AND t.total > 0 ORDER BY t.finished_at DESC, t.rowid DESC LIMIT 1)"
    " FROM lessons l JOIN modules m ON m.id = l.module_id"
    " LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.learner_id = ?1"
    " ORDER BY m.ord, l.ord, l.id";

static void copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

enum store_error progress_lessons(struct store *st, int64_t learner_id,
				  struct lesson_status **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *stmt = store_prepare(st, lessons_sql);
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct lesson_status s;
		memset(&s, 0, sizeof s);
		copy_text(s.id, sizeof s.id, stmt, 0);
		copy_text(s.title, sizeof s.title, stmt, 1);
		copy_text(s.module_id, sizeof s.module_id, stmt, 2);
		copy_text(s.module_title, sizeof s.module_title, stmt, 3);
		s.module_order = sqlite3_column_int(stmt, 4);
		s.order = sqlite3_column_int(stmt, 5);
		s.words = sqlite3_column_int(stmt, 6);
		s.minutes = (s.words + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE;
		if (s.minutes < 1)
			s.minutes = 1;
		s.pass_mark = sqlite3_column_int(stmt, 7);
		s.questions = sqlite3_column_int(stmt, 8);
		s.opened = sqlite3_column_int(stmt, 9);
		s.read_to_end = sqlite3_column_int(stmt, 10);
		s.best_score = sqlite3_column_type(stmt, 11) == SQLITE_NULL
				   ? -1
				   : sqlite3_column_double(stmt, 11);
		s.latest_score = sqlite3_column_type(stmt, 12) == SQLITE_NULL
				     ? -1
				     : sqlite3_column_double(stmt, 12);
		bool passed = s.questions == 0 || s.best_score >= s.pass_mark;
		if (s.read_to_end && passed)
			s.state = LESSON_DONE;
		else if (s.opened || s.best_score >= 0)
			s.state = LESSON_IN_PROGRESS;
		else
			s.state = LESSON_NOT_STARTED;
		ARRAY_PUSH(*out, *count, cap, s);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

void progress_summarize(const struct lesson_status *lessons, size_t count,
			struct course_summary *out)
{
	memset(out, 0, sizeof *out);
	out->next = -1;
	const char *last_module = "";
	for (size_t i = 0; i < count; i++) {
		out->lessons++;
		if (strcmp(last_module, lessons[i].module_id)) {
			out->modules++;
			last_module = lessons[i].module_id;
		}
		if (lessons[i].state == LESSON_DONE)
			out->done++;
		else if (out->next < 0)
			out->next = (int)i;
		if (lessons[i].state == LESSON_IN_PROGRESS)
			out->in_progress++;
	}
	out->percent = out->lessons ? 100.0 * out->done / out->lessons : 0;
}

void progress_modules(const struct lesson_status *lessons, size_t count,
		      struct module_summary **out, size_t *nmodules)
{
	*out = NULL;
	*nmodules = 0;
	size_t cap = 0;
	for (size_t i = 0; i < count; i++) {
		if (!*nmodules || strcmp((*out)[*nmodules - 1].id, lessons[i].module_id)) {
			struct module_summary m = {.first = i};
			snprintf(m.id, sizeof m.id, "%s", lessons[i].module_id);
			snprintf(m.title, sizeof m.title, "%s", lessons[i].module_title);
			ARRAY_PUSH(*out, *nmodules, cap, m);
		}
		struct module_summary *m = &(*out)[*nmodules - 1];
		m->lessons++;
		m->done += lessons[i].state == LESSON_DONE;
		m->in_progress += lessons[i].state == LESSON_IN_PROGRESS;
		m->percent = 100.0 * m->done / m->lessons;
	}
}
