#include "review.h"

#include "clock.h"
#include "drill.h"
#include "quiz.h"
#include "store_sql.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void review_card_key(enum review_kind kind, const char *question_id, char *buf, size_t size)
{
	static const char *const prefixes[] = {
	    [REVIEW_ESTIMATION] = "est:", [REVIEW_INTERVIEW] = "iq:", [REVIEW_QUIZ] = "quiz:"};
	snprintf(buf, size, "%s%s", prefixes[kind], question_id);
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

static enum store_error card_put(struct store *st, int64_t learner, const char *key,
				 const struct schedule_card *c);

enum store_error review_card_answered(struct store *st, int64_t learner, enum review_kind kind,
				      const char *question_id, enum schedule_rating rating,
				      int64_t now)
{
	char key[128];
	review_card_key(kind, question_id, key, sizeof key);
	struct schedule_card card;
	bool exists;
	enum store_error e = review_card_get(st, learner, key, &card, &exists);
	if (e != STORE_OK)
		return e;
	return review_card_regrade(st, learner, key, &card, rating, now);
}

enum store_error review_card_restore(struct store *st, int64_t learner, const char *key,
				    const struct schedule_card *before, bool existed)
{
	if (existed)
		return card_put(st, learner, key, before);
	sqlite3_stmt *stmt =
	    store_prepare(st, "DELETE FROM review_cards WHERE learner_id = ? AND item_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error review_card_regrade(struct store *st, int64_t learner, const char *key,
				    const struct schedule_card *before, enum schedule_rating rating,
				    int64_t now)
{
	struct schedule_card card = *before;
	if (schedule_review(&card, rating, now) != 0)
		return STORE_ERR_SQL;
	return card_put(st, learner, key, &card);
}

static enum store_error card_put(struct store *st, int64_t learner, const char *key,
				 const struct schedule_card *c)
{
	struct schedule_card card = *c;
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

void review_due_counts(struct store *st, int64_t learner, int64_t now,
		       struct review_counts *out)
{
	out->drill = drill_due_count(st, learner, now);
	out->quiz = quiz_due_count(st, learner, now);
}

enum store_error review_forecast(struct store *st, int64_t learner, int64_t now,
				 size_t per_day[REVIEW_FORECAST_DAYS])
{
	memset(per_day, 0, REVIEW_FORECAST_DAYS * sizeof *per_day);
	int64_t today_end = clock_day_end(now);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT c.due_at FROM review_cards c WHERE c.learner_id = ?1 AND c.due_at < ?2"
		" AND ((c.item_id LIKE 'est:%' AND substr(c.item_id, 5) IN"
		"       (SELECT id FROM estimation_questions))"
		"  OR (c.item_id LIKE 'iq:%' AND substr(c.item_id, 4) IN"
		"       (SELECT id FROM interview_questions))"
		"  OR (c.item_id LIKE 'quiz:%' AND substr(c.item_id, 6) IN"
		"       (SELECT id FROM quiz_questions)))");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_int64(stmt, 2, today_end + (REVIEW_FORECAST_DAYS - 1) * 86400);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t due = sqlite3_column_int64(stmt, 0);
		size_t day = due < today_end ? 0 : 1 + (size_t)((due - today_end) / 86400);
		if (day < REVIEW_FORECAST_DAYS)
			per_day[day]++;
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

/* The due quiz questions as review items. */
static enum store_error due_quiz(struct store *st, int64_t learner, int64_t now,
				 struct review_item **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	struct quiz q;
	enum store_error e = quiz_load_due(st, learner, now, &q);
	if (e == STORE_OK && q.count) {
		*out = xcalloc(q.count, sizeof **out);
		for (size_t i = 0; i < q.count; i++) {
			struct review_item *it = &(*out)[i];
			it->kind = REVIEW_QUIZ;
			snprintf(it->id, sizeof it->id, "%s", q.questions[i].id);
			snprintf(it->lesson, sizeof it->lesson, "%s", q.questions[i].lesson_id);
			snprintf(it->type, sizeof it->type, "quiz");
			it->prompt = xstrdup(q.questions[i].prompt);
			it->due_at = q.questions[i].due_at;
		}
		*count = q.count;
	}
	quiz_free(&q);
	return e;
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
	/* Both lists are in due order: merged, the drill's first on a tie;
	 * the drill's new questions (due_at 0, last in its list) after
	 * everything scheduled. */
	struct review_item *all = xcalloc(ndrill + nquiz ? ndrill + nquiz : 1, sizeof *all);
	size_t d = 0, q = 0, n = 0;
	while (d < ndrill || q < nquiz) {
		if (d < ndrill && (q == nquiz || (drill[d].due_at && drill[d].due_at <= quiz[q].due_at))) {
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
