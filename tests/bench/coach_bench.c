/* The coach benchmark's tool (not a test):
 *
 *   bench_coach generate DIR [--learners N] [--seed S] [--content DIR]
 *     makes N learners (default 1,000) with a full course of attempts each
 *     in DIR/learners.db (every lesson read, every quiz taken until passed
 *     and some again, every estimation and interview question answered
 *     about three times with self-grades, notes, mock interviews, review
 *     cards), exports each as a signed progress bundle into DIR/bundles/, and
 *     writes the same rows per table as plain CSV into DIR/peer/ for the
 *     sqlite3 comparison. The same seed gives the same rows.
 *
 *   bench_coach views DB [--runs N] [--group G]
 *     times the coach's views on DB (median of N runs, default 7): the
 *     cohort (loaded and sorted), the difficult questions, one learner.
 *
 * Learners answer by skill: each has one, each question has a difficulty,
 * and wrong answers lean to one distractor per question, so that the
 * difficult-question view has something real to find. */
#include "bundle.h"
#include "coach.h"
#include "content.h"
#include "csvio.h"
#include "drill.h"
#include "estimate.h"
#include "keys.h"
#include "rng.h"
#include "store_sql.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DAY INT64_C(86400)
/* 2026-01-05 09:00 UTC: the cohort starts that week. */
#define T0 INT64_C(1767603600)

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_coach: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static double normal(struct rng *r)
{
	double u = uniform(r), v = uniform(r);
	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

static void seeded_uuid(struct rng *r, char out[37])
{
	uint64_t a = rng_next(r), b = rng_next(r);
	a = (a & ~UINT64_C(0xF000)) | UINT64_C(0x4000);
	b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFFF), (unsigned)(b >> 48),
		 (unsigned long long)(b & UINT64_C(0xFFFFFFFFFFFF)));
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct quiz_q {
	char *id, *lesson, *kind, *answer;
	size_t choices;
	double difficulty;
	size_t distractor; /* the wrong choice most people pick (1-based) */
};

struct lesson_row {
	char *id;
	int words, pass_mark;
	size_t first_q, nq; /* into quiz */
};

struct est_q {
	char *id;
	double answer;
	double bias; /* most people guess this many orders of magnitude off */
};

struct iq_q {
	char *id, *type;
	int points;
	double difficulty;
};

struct course {
	struct lesson_row *lessons;
	size_t nlessons, caplessons;
	struct quiz_q *quiz;
	size_t nquiz, capquiz;
	struct est_q *est;
	size_t nest, capest;
	struct iq_q *iq;
	size_t niq, capiq;
};

static char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return xstrdup(t ? (const char *)t : "");
}

static void load_course(struct store *st, struct course *c)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db,
			   "SELECT l.id, l.words, l.pass_mark FROM lessons l JOIN modules m"
			   " ON m.id = l.module_id ORDER BY m.ord, l.ord",
			   -1, &s, NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct lesson_row l = {col(s, 0), sqlite3_column_int(s, 1), sqlite3_column_int(s, 2),
				       0, 0};
		ARRAY_PUSH(c->lessons, c->nlessons, c->caplessons, l);
	}
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db,
			   "SELECT id, kind, answer, choices FROM quiz_questions WHERE lesson_id = ?"
			   " ORDER BY ord",
			   -1, &s, NULL);
	for (size_t i = 0; i < c->nlessons; i++) {
		struct lesson_row *l = &c->lessons[i];
		l->first_q = c->nquiz;
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, l->id, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW) {
			struct quiz_q q = {col(s, 0), xstrdup(l->id), col(s, 1), col(s, 2), 0, 0, 0};
			char **parts;
			q.choices = content_split_choices((const char *)sqlite3_column_text(s, 3), &parts);
			content_free_strings(parts, q.choices);
			uint64_t h = hash_text(q.id);
			q.difficulty = (double)(h % 1000) / 1000.0 * 0.55;
			q.distractor = q.choices ? 1 + (h >> 10) % q.choices : 0;
			if (q.distractor && q.answer[0] == '0' + (int)q.distractor)
				q.distractor = q.distractor % q.choices + 1;
			ARRAY_PUSH(c->quiz, c->nquiz, c->capquiz, q);
			l->nq++;
		}
	}
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db, "SELECT id, answer FROM estimation_questions ORDER BY rowid", -1, &s,
			   NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct est_q q = {col(s, 0), sqlite3_column_double(s, 1), 0};
		q.bias = ((double)(hash_text(q.id) % 2001) / 1000.0 - 1.0) * 1.2;
		ARRAY_PUSH(c->est, c->nest, c->capest, q);
	}
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db,
			   "SELECT q.id, q.type, (SELECT COUNT(*) FROM rubric_points r"
			   " WHERE r.question_id = q.id) FROM interview_questions q ORDER BY q.rowid",
			   -1, &s, NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct iq_q q = {col(s, 0), col(s, 1), sqlite3_column_int(s, 2), 0};
		q.difficulty = (double)(hash_text(q.id) % 1000) / 1000.0 * 0.5;
		ARRAY_PUSH(c->iq, c->niq, c->capiq, q);
	}
	sqlite3_finalize(s);
	if (!c->nlessons || !c->nquiz || !c->nest || !c->niq)
		die("the course in the database is incomplete (lessons %zu, quiz %zu, estimation "
		    "%zu, interview %zu)",
		    c->nlessons, c->nquiz, c->nest, c->niq);
}

struct stmts {
	sqlite3_stmt *learner, *progress, *take, *take_score, *attempt, *est, *iq, *grade, *card,
	    *note, *mock;
};

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die("%s: %s", sql, sqlite3_errmsg(db));
	return s;
}

static void step(sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("insert failed: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
	sqlite3_reset(s);
}

static const char *const first_names[] = {
    "Alex", "Sam", "Priya", "Chen", "Maria", "Ahmed", "Yuki", "Olu", "Ines", "Tom",
    "Lena", "Ravi", "Sofia", "Kwame", "Mei", "Jonas", "Aisha", "Diego", "Hana", "Noah",
};

/* A wrong response of the question's kind, leaning to its distractor. */
static void wrong_answer(struct rng *r, const struct quiz_q *q, char *out, size_t size)
{
	bool usual = uniform(r) < 0.6;
	if (!strcmp(q->kind, "single") && q->choices > 1) {
		size_t k = usual ? q->distractor : 1 + rng_below(r, q->choices);
		if (q->answer[0] == '0' + (int)k)
			k = k % q->choices + 1;
		snprintf(out, size, "%zu", k);
	} else if (!strcmp(q->kind, "multiple") && q->choices > 1) {
		snprintf(out, size, usual ? "%zu" : "1,%zu", q->distractor);
	} else if (!strcmp(q->kind, "truefalse")) {
		snprintf(out, size, "%s", !strcmp(q->answer, "true") ? "false" : "true");
	} else if (!strcmp(q->kind, "numeric")) {
		snprintf(out, size, usual ? "%.0f" : "%.1f", strtod(q->answer, NULL) * 10 + 1);
	} else {
		snprintf(out, size, "%s", usual ? "I am not sure, \"maybe\" the data" : "no idea");
	}
}

/* The question's review card after n answers, the last at `at`. */
static void add_card(struct stmts *s, int64_t learner, const char *prefix, const char *question,
		     int n, int64_t at)
{
	char item[96];
	snprintf(item, sizeof item, "%s:%s", prefix, question);
	sqlite3_bind_int64(s->card, 1, learner);
	sqlite3_bind_text(s->card, 2, item, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(s->card, 3, 2.0 + n);
	sqlite3_bind_double(s->card, 4, 5.0);
	sqlite3_bind_int(s->card, 5, n);
	sqlite3_bind_int(s->card, 6, 0);
	sqlite3_bind_int64(s->card, 7, at);
	sqlite3_bind_int64(s->card, 8, at + (int64_t)n * 3 * DAY);
	step(s->card);
}

static void gen_learner(struct store *st, struct stmts *s, const struct course *c,
			struct rng *r, size_t index)
{
	char uuid[37], uid[37], name[64], answer[64];
	seeded_uuid(r, uuid);
	/* Names repeat across machines ("Alex K."): the number keeps them
	 * unique among the learners of this one database. */
	snprintf(name, sizeof name, "%s %c. %zu", first_names[rng_below(r, 20)],
		 (char)('A' + rng_below(r, 26)), index + 1);
	int64_t created = T0 + (int64_t)index * 600;
	sqlite3_bind_text(s->learner, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s->learner, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s->learner, 3, created);
	step(s->learner);
	int64_t id = sqlite3_last_insert_rowid(sqlite3_db_handle(s->learner));
	/* Each signs their own bundle, as on their own computer. */
	if (learner_key_create(st, id) != STORE_OK)
		die("the key of learner %lld: %s", (long long)id, store_errmsg(st));
	double skill = 0.5 + 0.45 * uniform(r);
	int64_t t = created + (int64_t)rng_below(r, 14) * DAY;

	/* Mock interviews, to link some drill answers to. */
	char mocks[3][37];
	for (int m = 0; m < 3; m++) {
		seeded_uuid(r, mocks[m]);
		sqlite3_bind_text(s->mock, 1, mocks[m], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s->mock, 2, id);
		sqlite3_bind_int(s->mock, 3, 5);
		sqlite3_bind_int64(s->mock, 4, T0 + (40 + m * 7) * DAY);
		sqlite3_bind_int64(s->mock, 5, T0 + (40 + m * 7) * DAY + 3600);
		step(s->mock);
	}

	for (size_t li = 0; li < c->nlessons; li++) {
		const struct lesson_row *l = &c->lessons[li];
		t += (int64_t)(DAY / 2 + rng_below(r, DAY));
		bool finished = uniform(r) > 0.03;
		int64_t seconds = l->words * 60 / 200 + (int64_t)rng_below(r, 300);
		sqlite3_bind_int64(s->progress, 1, id);
		sqlite3_bind_text(s->progress, 2, l->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(s->progress, 3, finished ? 40 : (int)rng_below(r, 20));
		sqlite3_bind_int(s->progress, 4, finished);
		sqlite3_bind_int64(s->progress, 5, seconds);
		sqlite3_bind_int64(s->progress, 6, t);
		sqlite3_bind_int64(s->progress, 7, t + seconds);
		step(s->progress);
		if (!finished || !l->nq)
			continue;
		/* Takes until passed (at most three), then sometimes one more
		 * for practice. */
		bool passed = false;
		int takes = 0;
		while (takes < 3 && (!passed || (takes == 1 && uniform(r) < 0.5))) {
			takes++;
			char take[37];
			seeded_uuid(r, take);
			int64_t at = t + seconds + takes * 600;
			int correct = 0;
			for (size_t k = 0; k < l->nq; k++) {
				const struct quiz_q *q = &c->quiz[l->first_q + k];
				double p = skill + 0.25 - q->difficulty + 0.1 * (takes - 1);
				bool right = uniform(r) < (p < 0.05 ? 0.05 : p > 0.98 ? 0.98 : p);
				correct += right;
				if (right)
					snprintf(answer, sizeof answer, "%s", q->answer);
				else
					wrong_answer(r, q, answer, sizeof answer);
				seeded_uuid(r, uid);
				sqlite3_bind_text(s->attempt, 1, uid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(s->attempt, 2, id);
				sqlite3_bind_text(s->attempt, 3, take, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(s->attempt, 4, q->id, -1, SQLITE_STATIC);
				sqlite3_bind_text(s->attempt, 5, answer, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int(s->attempt, 6, right);
				sqlite3_bind_int64(s->attempt, 7, at + (int64_t)k * 20);
				/* The take goes in first: attempts refer to it. */
				if (k == 0) {
					sqlite3_bind_text(s->take, 1, take, -1, SQLITE_TRANSIENT);
					sqlite3_bind_int64(s->take, 2, id);
					sqlite3_bind_text(s->take, 3, l->id, -1, SQLITE_STATIC);
					sqlite3_bind_int64(s->take, 4, at);
					sqlite3_bind_int64(s->take, 5, at + (int64_t)l->nq * 20);
					sqlite3_bind_int(s->take, 6, (int)l->nq);
					sqlite3_bind_int(s->take, 7, 0);
					sqlite3_bind_int(s->take, 8, (int)l->nq);
					step(s->take);
				}
				step(s->attempt);
				/* Now and then a review of a missed question. */
				if (!right && uniform(r) < 0.3) {
					seeded_uuid(r, uid);
					bool again = uniform(r) < p + 0.2;
					sqlite3_bind_text(s->attempt, 1, uid, -1, SQLITE_TRANSIENT);
					sqlite3_bind_int64(s->attempt, 2, id);
					sqlite3_bind_null(s->attempt, 3);
					sqlite3_bind_text(s->attempt, 4, q->id, -1, SQLITE_STATIC);
					if (again)
						snprintf(answer, sizeof answer, "%s", q->answer);
					else
						wrong_answer(r, q, answer, sizeof answer);
					sqlite3_bind_text(s->attempt, 5, answer, -1, SQLITE_TRANSIENT);
					sqlite3_bind_int(s->attempt, 6, again);
					sqlite3_bind_int64(s->attempt, 7, at + 3 * DAY);
					step(s->attempt);
				}
			}
			sqlite3_bind_int(s->take_score, 1, correct);
			sqlite3_bind_text(s->take_score, 2, take, -1, SQLITE_TRANSIENT);
			step(s->take_score);
			passed = 100.0 * correct / (double)l->nq >= l->pass_mark;
		}
	}

	/* The drill, once the lessons are read: about three answers per
	 * question, spread over the following weeks. */
	int64_t drill_start = t;
	for (size_t qi = 0; qi < c->nest; qi++) {
		const struct est_q *q = &c->est[qi];
		int n = 1 + (int)rng_below(r, 5);
		int64_t at = 0;
		for (int k = 0; k < n; k++) {
			at = drill_start + (int64_t)rng_below(r, 40 * DAY);
			double off = q->bias * (1.1 - skill) + normal(r) * 0.7 * (1.2 - skill) / (k + 1);
			struct estimate_answer a;
			a.point = q->answer * pow(10, off);
			double half = 0.2 + 0.6 * uniform(r);
			a.low = a.point / pow(10, half);
			a.high = a.point * pow(10, half);
			struct estimate_score sc;
			const char *why;
			if (estimate_score(&a, q->answer, &sc, &why) != 0)
				die("%s: %s", q->id, why);
			seeded_uuid(r, uid);
			sqlite3_stmt *e = s->est;
			sqlite3_bind_text(e, 1, uid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(e, 2, id);
			sqlite3_bind_text(e, 3, q->id, -1, SQLITE_STATIC);
			sqlite3_bind_double(e, 4, a.point);
			sqlite3_bind_double(e, 5, a.low);
			sqlite3_bind_double(e, 6, a.high);
			sqlite3_bind_double(e, 7, sc.log_error);
			sqlite3_bind_int(e, 8, sc.hit);
			sqlite3_bind_double(e, 9, sc.width);
			sqlite3_bind_double(e, 10, sc.interval_score);
			sqlite3_bind_double(e, 11, sc.points);
			sqlite3_bind_int(e, 12, 60 + (int)rng_below(r, 540));
			sqlite3_bind_text(e, 13, "people = 330M\nshare = 40%\ntotal = people * share", -1,
					  SQLITE_STATIC);
			if (k == 0 && qi % 10 == 0)
				sqlite3_bind_text(e, 14, mocks[qi % 3], -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(e, 14);
			sqlite3_bind_int64(e, 15, at);
			step(e);
		}
		add_card(s, id, "est", q->id, n, at);
	}
	for (size_t qi = 0; qi < c->niq; qi++) {
		const struct iq_q *q = &c->iq[qi];
		int n = 1 + (int)rng_below(r, 5);
		int64_t at = 0;
		for (int k = 0; k < n; k++) {
			at = drill_start + (int64_t)rng_below(r, 40 * DAY);
			int grades[32];
			int points = q->points < 32 ? q->points : 32;
			for (int g = 0; g < points; g++) {
				double u = uniform(r) + skill - q->difficulty + 0.05 * k;
				grades[g] = u > 1.1 ? 2 : u > 0.7 ? 1 : 0;
			}
			double score = drill_rubric_percent(grades, (size_t)points);
			seeded_uuid(r, uid);
			sqlite3_stmt *e = s->iq;
			sqlite3_bind_text(e, 1, uid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(e, 2, id);
			sqlite3_bind_text(e, 3, q->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(e, 4, q->type, -1, SQLITE_STATIC);
			sqlite3_bind_text(e, 5,
					  "Clarify the goal, pick a segment (commuters, \"power users\"),"
					  " list pain points, then a North Star and guardrails.",
					  -1, SQLITE_STATIC);
			sqlite3_bind_int(e, 6, 120 + (int)rng_below(r, 600));
			sqlite3_bind_double(e, 7, score);
			if (k == 0 && qi % 10 == 0)
				sqlite3_bind_text(e, 8, mocks[qi % 3], -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(e, 8);
			sqlite3_bind_int64(e, 9, at);
			step(e);
			for (int g = 0; g < points; g++) {
				sqlite3_bind_text(s->grade, 1, uid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int(s->grade, 2, g + 1);
				sqlite3_bind_int(s->grade, 3, uniform(r) < 0.5);
				sqlite3_bind_int(s->grade, 4, grades[g]);
				step(s->grade);
			}
		}
		add_card(s, id, "iq", q->id, n, at);
	}
	for (int k = 0; k < 8; k++) {
		const struct lesson_row *l = &c->lessons[rng_below(r, c->nlessons)];
		seeded_uuid(r, uid);
		int64_t at = T0 + (int64_t)rng_below(r, 60 * DAY);
		sqlite3_bind_text(s->note, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s->note, 2, id);
		sqlite3_bind_text(s->note, 3, l->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s->note, 4,
				  k % 2 ? "Ask the team: which metric, \"precision\" or recall?"
					: "Re-read this before the interview.\nCompare with m7.",
				  -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->note, 5, at);
		sqlite3_bind_int64(s->note, 6, at);
		step(s->note);
	}
}

/* Every row of a learner table, with its learner_id, as CSV with a
 * header: what the sqlite3 CLI imports. */
static void dump_table(sqlite3 *db, const char *table, const char *path)
{
	FILE *out = fopen(path, "w");
	if (!out)
		die("cannot write %s: %s", path, strerror(errno));
	char *sql = xasprintf("SELECT * FROM \"%s\"", table);
	sqlite3_stmt *s = prep(db, sql);
	free(sql);
	int n = sqlite3_column_count(s);
	const char **fields = xcalloc((size_t)n, sizeof *fields);
	for (int i = 0; i < n; i++)
		fields[i] = sqlite3_column_name(s, i);
	csvio_write_record(out, fields, (size_t)n);
	char **buf = xcalloc((size_t)n, sizeof *buf);
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			const unsigned char *t = sqlite3_column_text(s, i);
			buf[i] = xstrdup(t ? (const char *)t : "");
			fields[i] = buf[i];
		}
		csvio_write_record(out, fields, (size_t)n);
		for (int i = 0; i < n; i++)
			free(buf[i]);
	}
	sqlite3_finalize(s);
	free(buf);
	free(fields);
	fclose(out);
}

static int generate(const char *dir, size_t learners, uint64_t seed, const char *content_dir)
{
	char err[1024];
	char *path = xasprintf("%s/learners.db", dir);
	remove(path);
	struct store *st;
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		die("%s", err);
	struct content_report report = {0};
	bool imported;
	char *cdir = content_default_dir(content_dir);
	if (content_import(st, cdir, true, &report, &imported, err, sizeof err) != STORE_OK)
		die("%s", err);
	content_report_free(&report);
	free(cdir);
	struct course c = {0};
	load_course(st, &c);

	sqlite3 *db = store_db(st);
	struct stmts s = {
	    /* Learners who sign in here: only they have a key to sign with. */
	    .learner = prep(db, "INSERT INTO learners (uuid, name, created_at) VALUES (?, ?, ?)"),
	    .progress = prep(db, "INSERT INTO lesson_progress (learner_id, lesson_id, block,"
				 " read_to_end, seconds_spent, opened_at, updated_at)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
	    .take = prep(db, "INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at,"
			     " finished_at, answered, correct, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
	    .take_score = prep(db, "UPDATE quiz_takes SET correct = ? WHERE uid = ?"),
	    .attempt = prep(db, "INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id,"
				" answer, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
	    .est = prep(db, "INSERT INTO estimation_attempts (uid, learner_id, question_id, point,"
			    " low, high, log_error, hit, width, interval_score, points, seconds,"
			    " worksheet, mock_uid, answered_at)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
	    .iq = prep(db, "INSERT INTO interview_attempts (uid, learner_id, question_id, type,"
			   " answer_text, seconds, score, mock_uid, answered_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
	    .grade = prep(db, "INSERT INTO rubric_grades (attempt_uid, ord, hinted, grade)"
			      " VALUES (?, ?, ?, ?)"),
	    .card = prep(db, "INSERT INTO review_cards (learner_id, item_id, stability, difficulty,"
			     " reps, lapses, last_review, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
	    .note = prep(db, "INSERT INTO notes (uid, learner_id, lesson_id, body, created_at,"
			     " updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
	    .mock = prep(db, "INSERT INTO mock_sessions (uid, learner_id, planned, started_at,"
			     " finished_at) VALUES (?, ?, ?, ?, ?)"),
	};
	struct rng r;
	rng_seed(&r, seed);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (size_t i = 0; i < learners; i++)
		gen_learner(st, &s, &c, &r, i);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit: %s", sqlite3_errmsg(db));
	sqlite3_stmt **all = (sqlite3_stmt **)&s;
	for (size_t i = 0; i < sizeof s / sizeof *all; i++)
		sqlite3_finalize(all[i]);

	/* One bundle per learner, as `aipm progress export` writes it. */
	char *bundles = xasprintf("%s/bundles", dir);
	char *peer = xasprintf("%s/peer", dir);
	mkdir(bundles, 0755);
	mkdir(peer, 0755);
	sqlite3_stmt *ids = prep(db, "SELECT id FROM learners ORDER BY id");
	size_t n = 0, rows = 0;
	while (sqlite3_step(ids) == SQLITE_ROW) {
		struct learner l;
		if (store_learner_by_id(st, sqlite3_column_int64(ids, 0), &l) != STORE_OK)
			die("learner %lld", (long long)sqlite3_column_int64(ids, 0));
		char *file = xasprintf("%s/learner-%04zu.csv", bundles, ++n);
		size_t count;
		if (bundle_export(st, &l, T0 + 90 * DAY, file, true, &count, err, sizeof err) != 0)
			die("%s", err);
		rows += count;
		free(file);
	}
	sqlite3_finalize(ids);
	char **tables;
	size_t ntables;
	if (bundle_tables(st, &tables, &ntables, NULL, NULL) != 0)
		die("cannot list the learner tables");
	char *list_path = xasprintf("%s/tables.txt", peer);
	FILE *list = fopen(list_path, "w");
	if (!list)
		die("cannot write %s: %s", list_path, strerror(errno));
	free(list_path);
	for (size_t i = 0; i < ntables; i++) {
		char *file = xasprintf("%s/%s.csv", peer, tables[i]);
		dump_table(db, tables[i], file);
		fprintf(list, "%s\n", tables[i]);
		free(file);
	}
	fclose(list);
	bundle_names_free(tables, ntables);
	/* The learners too, for the peer's learner ids. */
	char *learners_csv = xasprintf("%s/learners.csv", peer);
	dump_table(db, "learners", learners_csv);
	free(learners_csv);
	printf("%zu learners, %zu rows in %zu bundles (%s)\n", learners, rows, n, bundles);
	free(bundles);
	free(peer);
	free(path);
	store_close(st);
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static int views(const char *path, int runs, const char *group)
{
	char err[1024];
	struct store *st;
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		die("%s", err);
	double *cohort = xcalloc((size_t)runs, sizeof *cohort);
	double *difficult = xcalloc((size_t)runs, sizeof *difficult);
	double *one = xcalloc((size_t)runs, sizeof *one);
	size_t learners = 0, questions = 0, events = 0;
	int64_t someone = 0;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		struct coach_cohort c;
		if (coach_cohort_load(st, group, &c) != STORE_OK)
			die("cohort: %s", store_errmsg(st));
		coach_cohort_sort(&c, COACH_SORT_PROGRESS, false);
		cohort[i] = now_ms() - t0;
		learners = c.count;
		if (c.count)
			someone = c.rows[c.count / 2].id;
		coach_cohort_free(&c);

		t0 = now_ms();
		struct coach_difficult d;
		if (coach_difficult_load(st, group, 50, &d) != STORE_OK)
			die("difficult questions: %s", store_errmsg(st));
		difficult[i] = now_ms() - t0;
		questions = d.count;
		coach_difficult_free(&d);

		t0 = now_ms();
		struct learner_report rep;
		if (learner_report_load(st, someone, T0 + 90 * DAY, &rep) != STORE_OK)
			die("learner: %s", store_errmsg(st));
		one[i] = now_ms() - t0;
		events = rep.timeline_count;
		learner_report_free(&rep);
	}
	printf("cohort view (%zu learners, loaded and sorted): %.1f ms\n", learners,
	       median(cohort, runs));
	printf("difficult questions (top %zu):                %.1f ms\n", questions,
	       median(difficult, runs));
	printf("one learner (%zu timeline events):            %.1f ms\n", events, median(one, runs));
	free(cohort);
	free(difficult);
	free(one);
	store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "generate")) {
		size_t learners = 1000;
		uint64_t seed = 8;
		const char *content = NULL;
		for (int i = 3; i + 1 < argc; i += 2) {
			if (!strcmp(argv[i], "--learners"))
				learners = strtoul(argv[i + 1], NULL, 10);
			else if (!strcmp(argv[i], "--seed"))
				seed = strtoull(argv[i + 1], NULL, 10);
			else if (!strcmp(argv[i], "--content"))
				content = argv[i + 1];
			else
				die("unknown option %s", argv[i]);
		}
		mkdir(argv[2], 0755);
		return generate(argv[2], learners, seed, content);
	}
	if (argc >= 3 && !strcmp(argv[1], "views")) {
		int runs = 7;
		const char *group = NULL;
		for (int i = 3; i + 1 < argc; i += 2) {
			if (!strcmp(argv[i], "--runs"))
				runs = atoi(argv[i + 1]);
			else if (!strcmp(argv[i], "--group"))
				group = argv[i + 1];
			else
				die("unknown option %s", argv[i]);
		}
		return views(argv[2], runs > 0 ? runs : 1, group);
	}
	fprintf(stderr, "usage: bench_coach generate DIR [--learners N] [--seed S] [--content DIR]\n"
			"       bench_coach views DB [--runs N] [--group G]\n");
	return 2;
}
