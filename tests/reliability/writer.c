/* The write paths of aipm, driven through the same engine calls the screens
 * make, for the reliability tests (crash.py, concurrent.py, fulldisk.py,
 * readonly.py). Every write is announced on stdout before it starts
 * ("try ...") and confirmed after the engine returned success ("ok ..."),
 * each line written with one write(2) so that a line the harness reads was
 * really printed before the process died.
 *
 *   writer setup DB CONTENT WORKDIR   import the course, create the
 *       learner "Crash", write the toy data set the lab trains on and, from
 *       a second database, progress bundles of other learners to import;
 *       prints "bundle FILE UUID QUIZ_ATTEMPTS ESTIMATION_ATTEMPTS" each
 *   writer write DB WORKDIR SEED [SECONDS]   writes until killed (or for
 *       SECONDS, then exits 0): quiz answers, drill answers (estimation and
 *       interview), reading positions, notes, bundle imports, experiments;
 *       any failure prints "err KIND message" and exits 1
 *
 * Timestamps on try/ok lines are CLOCK_MONOTONIC nanoseconds, comparable
 * between processes, so that concurrent.py can tell which of two position
 * writes was necessarily the later one. */
#include "bundle.h"
#include "clock.h"
#include "content.h"
#include "drill.h"
#include "experiments.h"
#include "lab.h"
#include "lesson.h"
#include "quiz.h"
#include "rng.h"
#include "store_sql.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One line, one write(2): never half a confirmation in the pipe. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = NULL;
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(STDOUT_FILENO, line + off, (size_t)(n - off));
		if (w <= 0)
			abort();
		off += w;
	}
	free(line);
}

static void die(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void die(const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	say("err %s %s\n", kind, msg ? msg : "?");
	exit(1);
}

static struct store *open_store(const char *path)
{
	struct store *st;
	char err[1024];
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		die("open", "%s", err);
	return st;
}

/* The ids a query returns, malloc'd. */
static size_t query_ids(struct store *st, const char *sql, char ***out)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
		die("sql", "%s", store_errmsg(st));
	size_t n = 0, cap = 0;
	*out = NULL;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char *id = store_column_text(stmt, 0);
		ARRAY_PUSH(*out, n, cap, id);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		die("sql", "%s", store_errmsg(st));
	return n;
}

static void answer_quiz(struct store *st, int64_t learner, const char *lesson, int answers,
			struct rng *rng)
{
	struct quiz quiz;
	if (quiz_load_lesson(st, lesson, &quiz) != STORE_OK || !quiz.count)
		die("quiz", "cannot load the quiz of %s", lesson);
	struct quiz_take take;
	if (quiz_take_begin(st, learner, lesson, (int)quiz.count, 0, &take) != STORE_OK)
		die("quiz", "cannot start a take: %s", store_errmsg(st));
	say("ok take %s %s\n", take.uid, lesson);
	for (int i = 0; i < answers && (size_t)i < quiz.count; i++) {
		const struct quiz_question *q = &quiz.questions[i];
		/* A numeric question takes a number only (anything else is
		 * refused, not marked wrong). */
		const char *response =
		    q->kind == QUIZ_NUMERIC || rng_below(rng, 2) ? "1" : "true";
		enum quiz_mark mark;
		say("try quiz %s %s\n", take.uid, q->id);
		enum store_error e = quiz_take_answer(st, &take, q, response, &mark);
		if (e != STORE_OK)
			die("quiz", "answer not saved: %s", store_errmsg(st));
		say("ok quiz %s %s\n", take.uid, q->id);
	}
	quiz_free(&quiz);
}

static void answer_estimation(struct store *st, int64_t learner, const char *id, struct rng *rng)
{
	struct drill_estimation q;
	if (drill_estimation_load(st, id, &q) != STORE_OK)
		die("est", "cannot load %s", id);
	double factor = 0.2 + (double)rng_below(rng, 400) / 100;
	struct drill_estimation_answer a = {
	    .point = q.answer * factor,
	    .low = q.answer * factor / 3,
	    .high = q.answer * factor * 3,
	    .seconds = 60 + (int)rng_below(rng, 200),
	    .worksheet = "total = 3M * 12",
	};
	struct estimate_score score;
	char uid[37], err[512];
	say("try est %s\n", id);
	if (drill_record_estimation(st, learner, &q, &a, clock_now(), &score, uid, err, sizeof err) !=
	    0)
		die("est", "%s", err);
	say("ok est %s %s\n", uid, id);
	drill_estimation_free(&q);
}

static void answer_interview(struct store *st, int64_t learner, const char *id, struct rng *rng)
{
	struct drill_interview q;
	if (drill_interview_load(st, id, &q) != STORE_OK)
		die("iq", "cannot load %s", id);
	int *grades = xcalloc(q.point_count + 1, sizeof *grades);
	bool *hinted = xcalloc(q.point_count + 1, sizeof *hinted);
	for (size_t i = 0; i < q.point_count; i++)
		grades[i] = (int)rng_below(rng, 3);
	struct drill_interview_answer a = {
	    .text = "Clarify the goal, pick the users, list the pain points, prioritise.",
	    .seconds = 300,
	    .grades = grades,
	    .hinted = hinted,
	    .count = q.point_count,
	};
	double percent;
	char uid[37], err[512];
	say("try iq %s\n", id);
	if (drill_record_interview(st, learner, &q, &a, clock_now(), &percent, uid, err,
				   sizeof err) != 0)
		die("iq", "%s", err);
	say("ok iq %s %s %zu\n", uid, id, q.point_count);
	free(grades);
	free(hinted);
	drill_interview_free(&q);
}

static void save_position(struct store *st, int64_t learner, const char *lesson, unsigned n)
{
	size_t block = n % 97, line = n % 5;
	say("try pos %s %zu %zu %lld\n", lesson, block, line, (long long)mono_ns());
	if (lesson_position_save(st, learner, lesson, block, line, n % 11 == 0, 1) != STORE_OK)
		die("pos", "position not saved: %s", store_errmsg(st));
	say("ok pos %s %zu %zu %lld\n", lesson, block, line, (long long)mono_ns());
}

static void add_note(struct store *st, int64_t learner, const char *lesson, unsigned seed,
		     unsigned n)
{
	char body[64];
	snprintf(body, sizeof body, "note-%u-%u", seed, n);
	say("try note %s %s\n", lesson, body);
	if (lesson_note_add(st, learner, lesson, NULL, body) != STORE_OK)
		die("note", "note not saved: %s", store_errmsg(st));
	say("ok note %s %s\n", lesson, body);
}

static void import_bundle(struct store *st, const char *path)
{
	struct bundle b;
	char err[1024];
	if (bundle_read(path, &b, err, sizeof err) != 0)
		die("bundle", "%s", err);
	struct bundle_import_result res;
	say("try bundle %s\n", b.meta.learner_uuid);
	if (bundle_import(st, &b, path, clock_now(), false, &res, err, sizeof err) != 0)
		die("bundle", "%s", err);
	say("ok bundle %s %zu\n", b.meta.learner_uuid, res.added);
	bundle_free(&b);
}

struct lab_state {
	struct lab_data d;
	struct lab_settings s;
	struct lab_run r;
};

static void train_toy(const char *workdir, struct lab_state *lab)
{
	char *path = xasprintf("%s/toy.csv", workdir);
	char err[512];
	lab_settings_default(&lab->s);
	lab->s.train.max_iter = 2;
	if (lab_data_load(&lab->d, path, NULL, &lab->s, err, sizeof err) != 0 ||
	    lab_data_prepare(&lab->d, &lab->s, err, sizeof err) != 0 ||
	    lab_train(&lab->d, &lab->s, NULL, NULL, &lab->r, err, sizeof err) != 0)
		die("exp", "%s", err);
	free(path);
}

static void log_experiment(struct store *st, int64_t learner, struct lab_state *lab)
{
	struct experiment e;
	say("try exp\n");
	if (experiment_log(st, learner, &lab->d, &lab->s, &lab->r, 0.5, &e) != STORE_OK)
		die("exp", "experiment not logged: %s", store_errmsg(st));
	say("ok exp %s\n", e.uid);
	experiment_free(&e);
}

static int64_t learner_id(struct store *st, const char *name)
{
	struct learner l;
	if (store_learner_by_name(st, name, &l) != STORE_OK)
		die("learner", "no learner %s", name);
	return l.id;
}

static void import_course(struct store *st, const char *content)
{
	struct content_report report = {0};
	bool imported;
	char err[1024];
	if (content_import(st, content, false, &report, &imported, err, sizeof err) != STORE_OK)
		die("content", "%s", err);
	content_report_free(&report);
}

static void write_toy(const char *workdir)
{
	char *path = xasprintf("%s/toy.csv", workdir);
	FILE *f = fopen(path, "w");
	if (!f)
		die("setup", "cannot write %s", path);
	fputs("review,sentiment\n", f);
	for (int i = 0; i < 60; i++)
		fprintf(f, "\"%s film number %d\",%s\n", i % 2 ? "a great, lovely" : "a dull, awful", i,
			i % 2 ? "positive" : "negative");
	fclose(f);
	free(path);
}

static int setup(const char *db, const char *content, const char *workdir)
{
	struct store *st = open_store(db);
	import_course(st, content);
	struct learner me;
	if (store_learner_create(st, "Crash", &me) != STORE_OK)
		die("setup", "cannot create the learner: %s", store_errmsg(st));
	store_close(st);
	write_toy(workdir);

	/* Other learners' progress, exported as bundles the writer imports. */
	char *source = xasprintf("%s/source.db", workdir);
	st = open_store(source);
	import_course(st, content);
	char **lessons, **est;
	size_t nl = query_ids(st, "SELECT DISTINCT lesson_id FROM quiz_questions ORDER BY 1", &lessons);
	size_t ne = query_ids(st, "SELECT id FROM estimation_questions ORDER BY id", &est);
	struct rng rng;
	rng_seed(&rng, 7);
	for (int k = 0; k < 6; k++) {
		char name[32];
		snprintf(name, sizeof name, "Peer %d", k);
		struct learner l;
		if (store_learner_create(st, name, &l) != STORE_OK)
			die("setup", "cannot create %s", name);
		int quiz_answers = 0, est_answers = 0;
		for (int i = 0; i <= k; i++) {
			struct quiz quiz;
			struct quiz_take take;
			const char *lesson = lessons[(size_t)(k + i) % nl];
			quiz_load_lesson(st, lesson, &quiz);
			quiz_take_begin(st, l.id, lesson, (int)quiz.count, 0, &take);
			for (size_t q = 0; q < quiz.count; q++) {
				enum quiz_mark mark;
				if (quiz_take_answer(st, &take, &quiz.questions[q], "2", &mark) !=
				    STORE_OK)
					die("setup", "quiz answer: %s", store_errmsg(st));
				quiz_answers++;
			}
			quiz_free(&quiz);
			struct drill_estimation q;
			drill_estimation_load(st, est[(size_t)(k * 3 + i) % ne], &q);
			struct drill_estimation_answer a = {.point = q.answer, .low = q.low,
							    .high = q.high, .seconds = 90};
			struct estimate_score score;
			char uid[37], err[512];
			if (drill_record_estimation(st, l.id, &q, &a, clock_now(), &score, uid, err,
						    sizeof err) != 0)
				die("setup", "%s", err);
			drill_estimation_free(&q);
			est_answers++;
		}
		char *path = xasprintf("%s/bundle-%d.csv", workdir, k);
		size_t rows;
		char err[1024];
		if (bundle_export(st, &l, clock_now(), path, true, &rows, err, sizeof err) != 0)
			die("setup", "%s", err);
		say("bundle %s %s %d %d\n", path, l.uuid, quiz_answers, est_answers);
		free(path);
	}
	content_free_strings(lessons, nl);
	content_free_strings(est, ne);
	store_close(st);
	free(source);
	return 0;
}

static int write_loop(const char *db, const char *workdir, unsigned seed, double seconds)
{
	struct store *st = open_store(db);
	int64_t me = learner_id(st, "Crash");
	char **quiz_lessons, **lessons, **est, **iq, **bundles;
	size_t nql = query_ids(st, "SELECT DISTINCT lesson_id FROM quiz_questions ORDER BY 1",
			       &quiz_lessons);
	size_t nl = query_ids(st, "SELECT id FROM lessons ORDER BY id", &lessons);
	size_t ne = query_ids(st, "SELECT id FROM estimation_questions ORDER BY id", &est);
	size_t ni = query_ids(st, "SELECT id FROM interview_questions ORDER BY id", &iq);
	size_t nb = 0, capb = 0;
	bundles = NULL;
	for (int k = 0;; k++) {
		char *path = xasprintf("%s/bundle-%d.csv", workdir, k);
		if (access(path, R_OK) != 0) {
			free(path);
			break;
		}
		ARRAY_PUSH(bundles, nb, capb, path);
	}
	if (!nql || !nl || !ne || !ni || !nb)
		die("setup", "the database has no course or %s has no bundles", workdir);
	struct lab_state lab;
	train_toy(workdir, &lab);
	say("ready %u\n", seed);

	struct rng rng;
	rng_seed(&rng, seed);
	int64_t deadline = seconds > 0 ? mono_ns() + (int64_t)(seconds * 1e9) : 0;
	for (unsigned n = 0; !deadline || mono_ns() < deadline; n++) {
		switch (rng_below(&rng, 10)) {
		case 0:
		case 1:
			answer_quiz(st, me, quiz_lessons[rng_below(&rng, nql)],
				    1 + (int)rng_below(&rng, 3), &rng);
			break;
		case 2:
		case 3:
			answer_estimation(st, me, est[rng_below(&rng, ne)], &rng);
			break;
		case 4:
			answer_interview(st, me, iq[rng_below(&rng, ni)], &rng);
			break;
		case 5:
		case 6:
			/* A few lessons only, so that positions are overwritten. */
			save_position(st, me, lessons[rng_below(&rng, nl < 4 ? nl : 4)], n);
			break;
		case 7:
			add_note(st, me, lessons[rng_below(&rng, nl)], seed, n);
			break;
		case 8:
			import_bundle(st, bundles[rng_below(&rng, nb)]);
			break;
		default:
			log_experiment(st, me, &lab);
			break;
		}
	}
	say("done\n");
	lab_run_free(&lab.r);
	lab_data_free(&lab.d);
	content_free_strings(quiz_lessons, nql);
	content_free_strings(lessons, nl);
	content_free_strings(est, ne);
	content_free_strings(iq, ni);
	content_free_strings(bundles, nb);
	store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "setup"))
		return setup(argv[2], argv[3], argv[4]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "write"))
		return write_loop(argv[2], argv[3], (unsigned)strtoul(argv[4], NULL, 10),
				  argc == 6 ? atof(argv[5]) : 0);
	fprintf(stderr, "usage: writer setup DB CONTENT WORKDIR | write DB WORKDIR SEED [SECONDS]\n");
	return 2;
}
