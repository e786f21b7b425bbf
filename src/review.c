#include "review.h"

#include "clock.h"
#include "drill.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUIZ_KEY "quiz:"

void review_quiz_key(const char *question_id, char *buf, size_t size)
{
	snprintf(buf, size, QUIZ_KEY "%s", question_id);
}

enum store_error review_card_get(struct store *st, int64_t learner, const char *key,
				 struct schedule_card *out, bool *exists)
{
	memset(out, 0, sizeof *out);
	*exists = false;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT stability, difficulty, reps, lapses, last_review, due_at"
		" FROM review_cards WHERE learner_id = ? AND item_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*exists = true;
		out->stability = sqlite3_column_double(stmt, 0);
		out->difficulty = sqlite3_column_double(stmt, 1);
		out->reps = sqlite3_column_int(stmt, 2);
		out->lapses = sqlite3_column_int(stmt, 3);
		out->last_review = sqlite3_column_int64(stmt, 4);
		out->due = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

enum store_error review_card_update(struct store *st, int64_t learner, const char *key,
				   enum schedule_rating rating, int64_t now)
{
	struct schedule_card card;
	bool exists;
	enum store_error e = review_card_get(st, learner, key, &card, &exists);
	if (e != STORE_OK)
		return e;
	if (schedule_review(&card, rating, now) != 0)
		return STORE_ERR_SQL;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO review_cards (learner_id, item_id, stability, difficulty, reps,"
		" lapses, last_review, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT(learner_id, item_id) DO UPDATE SET stability = excluded.stability,"
		" difficulty = excluded.difficulty, reps = excluded.reps, lapses = excluded.lapses,"
		" last_review = excluded.last_review, due_at = excluded.due_at");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(stmt, 3, card.stability);
	sqlite3_bind_double(stmt, 4, card.difficulty);
	sqlite3_bind_int(stmt, 5, card.reps);
	sqlite3_bind_int(stmt, 6, card.lapses);
	sqlite3_bind_int64(stmt, 7, card.last_review);
	sqlite3_bind_int64(stmt, 8, card.due);
	return store_step_done(st, stmt);
}

static int64_t end_of_day(int64_t now)
{
	return clock_day_start(now) + 86400;
}

/* The learner's due quiz cards (?1) before ?2, whose questions are still
 * in the bank; callers pick the columns. */
#define DUE_QUIZ_FROM                                                                   \
	" FROM review_cards c JOIN quiz_questions q ON q.id = substr(c.item_id, 6)"     \
	" JOIN lessons l ON l.id = q.lesson_id JOIN modules m ON m.id = l.module_id"    \
	" WHERE c.learner_id = ?1 AND c.item_id LIKE '" QUIZ_KEY "%' AND c.due_at < ?2"

static size_t due_quiz_count(struct store *st, int64_t learner, int64_t now)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT COUNT(*)" DUE_QUIZ_FROM);
	if (!stmt)
		return 0;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_int64(stmt, 2, end_of_day(now));
	size_t n = 0;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return n;
}

void review_due_counts(struct store *st, int64_t learner, int64_t now,
		       struct review_counts *out)
{
	out->drill = drill_due_count(st, learner, now);
	out->quiz = due_quiz_count(st, learner, now);
}

static void copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

static enum store_error due_quiz(struct store *st, int64_t learner, int64_t now,
				 struct review_item **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT q.id, q.lesson_id, q.prompt, c.due_at" DUE_QUIZ_FROM
		" ORDER BY c.due_at, m.ord, l.ord, q.ord, q.id");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_int64(stmt, 2, end_of_day(now));
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct review_item it;
		memset(&it, 0, sizeof it);
		it.kind = REVIEW_QUIZ;
		copy_text(it.id, sizeof it.id, stmt, 0);
		copy_text(it.lesson, sizeof it.lesson, stmt, 1);
		snprintf(it.type, sizeof it.type, "quiz");
		it.prompt = store_column_text(stmt, 2);
		it.due_at = sqlite3_column_int64(stmt, 3);
		ARRAY_PUSH(*out, *count, cap, it);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

enum store_error review_due(struct store *st, int64_t learner, int64_t now,
			    struct review_item **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	struct drill_item *drill;
	size_t ndrill;
	struct review_item *quiz;
	size_t nquiz;
	enum store_error e = drill_due(st, learner, now, &drill, &ndrill);
	if (e != STORE_OK)
		return e;
	e = due_quiz(st, learner, now, &quiz, &nquiz);
	if (e != STORE_OK) {
		drill_items_free(drill, ndrill);
		return e;
	}
	/* Both lists are in due order: merged, the drill's first on a tie. */
	struct review_item *all = xcalloc(ndrill + nquiz ? ndrill + nquiz : 1, sizeof *all);
	size_t d = 0, q = 0, n = 0;
	while (d < ndrill || q < nquiz) {
		if (d < ndrill && (q == nquiz || drill[d].due_at <= quiz[q].due_at)) {
			struct review_item *it = &all[n++];
			it->kind = strcmp(drill[d].type, DRILL_ESTIMATION) ? REVIEW_INTERVIEW
									   : REVIEW_ESTIMATION;
			snprintf(it->id, sizeof it->id, "%s", drill[d].id);
			snprintf(it->type, sizeof it->type, "%s", drill[d].type);
			it->prompt = drill[d].question;
			drill[d].question = NULL;
			it->due_at = drill[d].due_at;
			d++;
		} else {
			all[n++] = quiz[q++];
		}
	}
	drill_items_free(drill, ndrill);
	free(quiz);
	*out = all;
	*count = n;
	return STORE_OK;
}

void review_items_free(struct review_item *items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i].prompt);
	free(items);
}
