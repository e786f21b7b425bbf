/* aipm coach import [--dry-run] [--verbose] [--format table|csv|json] FILE...
 * aipm coach report ...  (cmd-coach-report.c)
 * aipm coach learner NAME|UUID [--only SECTION] [--format table|csv|json]
 * aipm coach imports [--format table|csv|json]
 * aipm coach groups [--format table|csv|json]
 * aipm coach group add|remove G NAME...  |  aipm coach group delete G
 * aipm coach trust NAME|UUID [--reset]
 *
 * The coach's side: progress bundles into this database (each checked
 * whole, then imported in one transaction), the cohort and difficult-
 * question reports for sharing, groups of learners, and the key pinned
 * for each imported learner. Everything printed from the database goes
 * through the sanitiser (output.c, sanitize.h): learners wrote it. */
#include "bundle.h"
#include "cli.h"
#include "clock.h"
#include "cmd-coach.h"
#include "coach.h"
#include "keys.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "coach";

/* Rows per committed batch of an import: about 280 full-course bundles.
 * Against 250,000: 0.4 s less for 1,000 learners (fewer commits rewrite
 * the same index pages), 60 MB more at the peak (460 MB: the page cache,
 * and the batch's bundles, kept for a replay). */
#define BATCH_ROWS 500000

char *cmd_coach_when(int64_t t)
{
	if (!t)
		return xstrdup("");
	char buf[32];
	clock_format(t, buf, sizeof buf);
	return xstrdup(buf);
}

void cmd_coach_out_time(struct out_table *t, int64_t at)
{
	if (!at) {
		out_null(t);
		return;
	}
	char *s = cmd_coach_when(at);
	out_text(t, s);
	free(s);
}

void cmd_coach_out_percent(struct out_table *t, double v)
{
	if (v < 0)
		out_null(t);
	else
		out_real(t, v, 0);
}

/* ---- import --------------------------------------------------------------- */

/* The rows of an import that differ from the copies already here, for
 * --verbose: one line each, on stderr beside the reasons for refusals. */
static void print_changes(const char *file, const struct bundle_import_result *res)
{
	for (size_t i = 0; i < res->change_count; i++) {
		const struct bundle_change *c = &res->changes[i];
		char *line = xasprintf("%s:%d: %s '%s' differs from the copy here in %s: %s", file,
				       c->line, c->table, c->key, c->columns,
				       c->replaced ? "the bundle's is newer and replaced it"
						   : "the copy here was kept");
		sanitize_fputs(line, SANITIZE_LINE, stderr);
		fputc('\n', stderr);
		free(line);
	}
	size_t listed = res->change_count, all = res->updated + res->changed;
	if (all > listed)
		sanitize_printf(stderr, "%s: %zu more rows differ (the first %zu are listed)\n",
				file, all - listed, listed);
}

static int import_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	bool dry_run = false, verbose = false;
	const char **files = xcalloc((size_t)argc + 1, sizeof *files);
	size_t nfiles = 0;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0) {
			free(files);
			return 2;
		}
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--dry-run"))
			dry_run = true;
		else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			verbose = true;
		else
			files[nfiles++] = argv[i];
	}
	if (!nfiles) {
		free(files);
		return cli_usage(&cmd_coach);
	}
	struct store *st = cli_open_store(env, name, true);
	if (!st) {
		free(files);
		return 1;
	}
	const char *cols[] = {"file",  "learner", "id",	     "new",	  "key",      "pinned",
			      "rows",  "added",	  "updated", "changed", "unchanged", "status"};
	struct out_table *t = out_table_new(cols, 12);
	int failed = 0;
	int64_t now = clock_now();
	/* Bundles go in batches (each still all or nothing); what a batch
	 * imported is reported once it is committed. */
	struct bundle_batch *batch = NULL;
	size_t batch_first = 0;
	/* Files are read and checked on a second thread while this one writes
	 * (1,000 bundles: a second less). */
	struct bundle_reader *reader = bundle_reader_start(files, nfiles);
	/* and the WAL copied back on a third. */
	if (!dry_run)
		store_long_write_begin(st);
	for (size_t i = 0; i < nfiles; i++) {
		char err[1024];
		struct bundle b;
		struct bundle_import_result res;
		memset(&res, 0, sizeof res);
		char uuid[37] = "";
		int rc = bundle_reader_next(reader, &b, err, sizeof err);
		/* A batch starts with the first bundle that reads: files that
		 * are all refused leave the database as it was, byte for byte. */
		if (rc == 0 && !batch && !dry_run) {
			batch = bundle_batch_begin(st, err, sizeof err);
			if (!batch) {
				bundle_free(&b);
				failed++;
				cli_error(name, "%s", err);
				break;
			}
			batch_first = i;
		}
		if (rc == 0) {
			snprintf(uuid, sizeof uuid, "%s", b.meta.learner_uuid);
			if (batch) {
				rc = bundle_batch_import(batch, &b, files[i], now, &res, err,
							 sizeof err);
			} else {
				rc = bundle_import(st, &b, files[i], now, true, &res, err, sizeof err);
				bundle_free(&b);
			}
		}
		out_text(t, files[i]);
		if (rc != 0) {
			/* The reason names the file and line; the table says refused. */
			cli_error(name, "refused %s", err);
			failed++;
			for (int k = 0; k < 10; k++)
				out_null(t);
			out_text(t, "refused");
		} else {
			out_text(t, res.learner_name);
			out_text(t, uuid);
			out_bool(t, res.new_learner);
			out_text(t, res.fingerprint);
			out_bool(t, res.key_pinned);
			out_int(t, (long long)res.rows);
			out_int(t, (long long)res.added);
			out_int(t, (long long)res.updated);
			out_int(t, (long long)res.changed);
			out_int(t, (long long)res.unchanged);
			out_text(t, dry_run ? "checked" : "imported");
			if (verbose)
				print_changes(files[i], &res);
		}
		bundle_import_result_free(&res);
		out_table_end_row(t);
		if (batch && (bundle_batch_rows(batch) >= BATCH_ROWS || i + 1 == nfiles)) {
			/* The last commit waits for the disk, and with it every
			 * batch before. */
			if (i + 1 == nfiles)
				store_long_write_end(st);
			int committed = bundle_batch_commit(batch, err, sizeof err);
			batch = NULL;
			if (committed != 0) {
				failed++;
				cli_error(name, "%s: files %zu to %zu were not imported", err,
					  batch_first + 1, i + 1);
			}
		}
	}
	bundle_reader_stop(reader);
	out_table_print(t, format, stdout);
	out_table_free(t);
	free(files);
	store_close(st);
	return failed ? 1 : 0;
}

/* ---- one learner ------------------------------------------------------------ */

/* The sections of the one-learner view, as --only names them. */
static const char *const learner_sections[] = {"summary", "stalled", "weakest", "calibration",
					       "notes", "timeline"};
#define LEARNER_SECTIONS (sizeof learner_sections / sizeof learner_sections[0])

static const char *title_of_lesson(const struct learner_report *r, const char *id)
{
	for (size_t i = 0; i < r->lesson_count; i++)
		if (!strcmp(r->lessons[i].id, id))
			return r->lessons[i].title;
	return id;
}

static json_t *when_json(int64_t t)
{
	if (!t)
		return json_null();
	char *s = cmd_coach_when(t);
	json_t *j = json_string(s);
	free(s);
	return j;
}

static json_t *percent_json(double num, double den)
{
	return den > 0 ? json_real(100.0 * num / den) : json_null();
}

static json_t *learner_json(const struct learner_report *r, const bool *want)
{
	json_t *root = json_object();
	json_object_set_new(root, "learner", json_string(r->learner.name));
	json_object_set_new(root, "id", json_string(r->learner.uuid));
	if (want[0]) {
		json_object_set_new(root, "imported", json_boolean(r->imported));
		json_object_set_new(root, "last_import", when_json(r->last_import));
		json_object_set_new(root, "key", r->key[0] ? json_string(r->key) : json_null());
		json_object_set_new(root, "key_pinned", when_json(r->key_pinned_at));
		json_object_set_new(root, "last_active", when_json(r->last_active));
		json_object_set_new(root, "lessons", json_integer(r->summary.lessons));
		json_object_set_new(root, "lessons_done", json_integer(r->summary.done));
		json_object_set_new(root, "percent_done", json_real(r->summary.percent));
		json_object_set_new(root, "quiz_answers", json_integer(r->quiz_answers));
		json_object_set_new(root, "quiz_correct", json_integer(r->quiz_correct));
		json_object_set_new(root, "quiz_accuracy", percent_json(r->quiz_correct, r->quiz_answers));
		json_object_set_new(root, "active_days", json_integer(r->active_days));
		json_object_set_new(root, "streak_days", json_integer(r->streak));
	}
	if (want[1]) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->stall_count; i++) {
			const struct coach_stall *st = &r->stalled[i];
			const struct lesson_status *l = &r->lessons[st->lesson];
			json_t *o = json_object();
			json_object_set_new(o, "lesson", json_string(l->id));
			json_object_set_new(o, "title", json_string(l->title));
			json_object_set_new(o, "reason", json_string(st->reason));
			json_object_set_new(o, "opened", when_json(st->opened_at));
			json_object_set_new(o, "last_touched", when_json(st->updated_at));
			json_object_set_new(o, "seconds", json_integer(st->seconds));
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "stalled", a);
	}
	if (want[2]) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->weak_count; i++) {
			const struct coach_weak *q = &r->weakest[i];
			json_t *o = json_object();
			json_object_set_new(o, "question", json_string(q->id));
			json_object_set_new(o, "prompt", json_string(q->prompt));
			json_object_set_new(o, "lesson", json_string(q->lesson_id));
			json_object_set_new(o, "lesson_title",
					    json_string(title_of_lesson(r, q->lesson_id)));
			json_object_set_new(o, "attempts", json_integer(q->attempts));
			json_object_set_new(o, "wrong", json_integer(q->wrong));
			json_object_set_new(o, "last_answer", json_string(q->last_answer));
			json_object_set_new(o, "last_correct", json_boolean(q->last_correct));
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "weakest", a);
	}
	if (want[3]) {
		const struct estimate_calibration *c = &r->calibration.summary;
		json_t *cal = json_object();
		json_object_set_new(cal, "ranges", json_integer((json_int_t)c->answers));
		json_object_set_new(cal, "held", json_integer((json_int_t)c->hits));
		json_object_set_new(cal, "held_percent", percent_json((double)c->hits,
								      (double)c->answers));
		json_object_set_new(cal, "mean_width", c->answers ? json_real(c->mean_width)
								  : json_null());
		json_object_set_new(cal, "verdict", json_string(c->verdict ? c->verdict : ""));
		json_t *a = json_array();
		for (size_t i = 0; i < r->calibration.count; i++) {
			const struct drill_range *d = &r->calibration.answers[i];
			json_t *o = json_object();
			json_object_set_new(o, "question", json_string(d->question_id));
			json_object_set_new(o, "at", when_json(d->at));
			json_object_set_new(o, "held", json_boolean(d->hit));
			json_object_set_new(o, "width", json_real(d->width));
			json_object_set_new(o, "trend", json_real(r->calibration.trend[i]));
			json_array_append_new(a, o);
		}
		json_object_set_new(cal, "answers", a);
		json_object_set_new(root, "calibration", cal);
	}
	if (want[4]) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->note_count; i++) {
			const struct coach_note *n = &r->notes[i];
			json_t *o = json_object();
			json_object_set_new(o, "lesson", json_string(n->lesson_id));
			json_object_set_new(o, "lesson_title", json_string(n->lesson_title));
			json_object_set_new(o, "body", json_string(n->body));
			json_object_set_new(o, "created", when_json(n->created_at));
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "notes", a);
	}
	if (want[5]) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->timeline_count; i++) {
			const struct coach_event *e = &r->timeline[i];
			json_t *o = json_object();
			json_object_set_new(o, "at", when_json(e->at));
			json_object_set_new(o, "kind", json_string(coach_event_kind_name(e->kind)));
			json_object_set_new(o, "what", json_string(e->what));
			json_object_set_new(o, "detail", json_string(e->detail));
			json_object_set_new(o, "outcome", json_string(e->outcome > 0   ? "good"
								      : e->outcome < 0 ? "bad"
										       : ""));
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "timeline", a);
	}
	return root;
}

/* One row of the flat table: section, when, item, detail, lesson, figure. */
static void learner_row(struct out_table *t, const char *section, int64_t at, const char *item,
			const char *detail, const char *lesson)
{
	out_text(t, section);
	cmd_coach_out_time(t, at);
	out_text(t, item);
	out_text(t, detail);
	if (lesson && *lesson)
		out_text(t, lesson);
	else
		out_null(t);
}

static void learner_table(const struct learner_report *r, const bool *want, enum out_format format)
{
	const char *cols[] = {"section", "at", "item", "detail", "lesson", "figure"};
	struct out_table *t = out_table_new(cols, 6);
	char detail[256];
	if (want[0]) {
		snprintf(detail, sizeof detail, "of %d", r->summary.lessons);
		learner_row(t, "summary", 0, "lessons done", detail, NULL);
		out_int(t, r->summary.done);
		out_table_end_row(t);
		snprintf(detail, sizeof detail, "of %d answers", r->quiz_answers);
		learner_row(t, "summary", 0, "quiz answers right", detail, NULL);
		out_int(t, r->quiz_correct);
		out_table_end_row(t);
		learner_row(t, "summary", r->last_active, "last active", "", NULL);
		out_null(t);
		out_table_end_row(t);
		/* Days with anything done: reading, quizzes, drills, notes, lab runs. */
		snprintf(detail, sizeof detail, "days in a row to today (best %d; %d active days)",
			 r->best_streak, r->active_days);
		learner_row(t, "summary", 0, "streak", detail, NULL);
		out_int(t, r->streak);
		out_table_end_row(t);
		learner_row(t, "summary", r->last_import, "last import",
			    r->imported ? "from a progress bundle" : "signs in on this machine", NULL);
		out_null(t);
		out_table_end_row(t);
		/* The key their bundles are signed with; at: when it was pinned. */
		learner_row(t, "summary", r->key_pinned_at, "key",
			    r->key[0] ? r->key
				      : r->imported ? "none pinned" : "none yet (made at the first export)",
			    NULL);
		out_null(t);
		out_table_end_row(t);
	}
	for (size_t i = 0; want[1] && i < r->stall_count; i++) {
		const struct coach_stall *st = &r->stalled[i];
		const struct lesson_status *l = &r->lessons[st->lesson];
		learner_row(t, "stalled", st->updated_at, l->title, st->reason, l->id);
		out_int(t, (long long)((st->seconds + 59) / 60)); /* minutes spent */
		out_table_end_row(t);
	}
	for (size_t i = 0; want[2] && i < r->weak_count; i++) {
		const struct coach_weak *q = &r->weakest[i];
		snprintf(detail, sizeof detail, "wrong %d of %d; last answer (%s): %s", q->wrong,
			 q->attempts, q->last_correct ? "right" : "wrong", q->last_answer);
		learner_row(t, "weakest", 0, q->prompt, detail, q->lesson_id);
		out_int(t, q->wrong);
		out_table_end_row(t);
	}
	if (want[3]) {
		const struct estimate_calibration *c = &r->calibration.summary;
		snprintf(detail, sizeof detail, "%zu of %zu 90%% ranges held: %s", c->hits, c->answers,
			 c->verdict ? c->verdict : "no answers");
		learner_row(t, "calibration", 0, "ranges held", detail, NULL);
		if (c->answers)
			out_real(t, 100.0 * (double)c->hits / (double)c->answers, 0);
		else
			out_null(t);
		out_table_end_row(t);
		/* The chart's points: each answer, and the share of the last ten
		 * ranges that held up to it. */
		for (size_t i = 0; i < r->calibration.count; i++) {
			const struct drill_range *d = &r->calibration.answers[i];
			snprintf(detail, sizeof detail, "range %s, %.1f orders of magnitude wide",
				 d->hit ? "held" : "missed", d->width);
			learner_row(t, "calibration", d->at, d->question_id, detail, NULL);
			out_real(t, r->calibration.trend[i], 0);
			out_table_end_row(t);
		}
	}
	for (size_t i = 0; want[4] && i < r->note_count; i++) {
		const struct coach_note *n = &r->notes[i];
		learner_row(t, "note", n->created_at, n->lesson_title, n->body, n->lesson_id);
		out_null(t);
		out_table_end_row(t);
	}
	for (size_t i = 0; want[5] && i < r->timeline_count; i++) {
		const struct coach_event *e = &r->timeline[i];
		learner_row(t, "timeline", e->at, e->what, e->detail, NULL);
		out_text(t, e->outcome > 0 ? "good" : e->outcome < 0 ? "bad" : "");
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
}

/* The one learner who names (a name, or the start of a UUID); 1 with the
 * reason printed when none does, or several do (their UUIDs listed). */
static int one_learner(struct store *st, const char *who, struct coach_match *out)
{
	struct coach_match *found;
	size_t n;
	int rc = 0;
	if (coach_match_learners(st, who, &found, &n) != STORE_OK) {
		rc = cli_error(name, "cannot look for '%s': %s", who, store_errmsg(st));
	} else if (n == 0) {
		rc = cli_error(name, "no learner called '%s' (a name, or the start of a UUID)", who);
	} else if (n > 1) {
		rc = cli_error(name, "%zu learners match '%s'; name one by its UUID:", n, who);
		for (size_t i = 0; i < n; i++) {
			char *im = cmd_coach_when(found[i].last_import);
			sanitize_printf(stderr, "  %s  %s  %s%s\n", found[i].learner.uuid,
					found[i].learner.name,
					found[i].imported ? "imported " : "signs in here", im);
			free(im);
		}
	} else {
		*out = found[0];
	}
	free(found);
	return rc;
}

static int learner_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	const char *who = NULL, *only = NULL;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!who && argv[i][0] != '-')
			who = argv[i];
		else
			return cli_usage(&cmd_coach);
	}
	if (!who)
		return cli_usage(&cmd_coach);
	bool want[LEARNER_SECTIONS];
	bool known = false;
	for (size_t k = 0; k < LEARNER_SECTIONS; k++) {
		want[k] = !only || !strcmp(only, learner_sections[k]);
		known |= only && want[k];
	}
	if (only && !known) {
		cli_error(name, "unknown section '%s': use summary, stalled, weakest, calibration, "
				"notes or timeline",
			  only);
		return 2;
	}
	struct store *st = cli_open_store(env, name, false);
	if (!st)
		return 1;
	struct coach_match found;
	int rc = one_learner(st, who, &found);
	if (rc == 0) {
		struct learner_report r;
		if (learner_report_load(st, found.learner.id, clock_now(), &r) != STORE_OK) {
			rc = cli_error(name, "cannot read %s's progress: %s", found.learner.name,
				       store_errmsg(st));
		} else {
			if (format == OUT_JSON) {
				json_t *root = learner_json(&r, want);
				out_json(root, stdout);
				json_decref(root);
			} else {
				learner_table(&r, want, format);
			}
			learner_report_free(&r);
		}
	}
	store_close(st);
	return rc;
}

/* ---- imports and groups ----------------------------------------------------- */

/* A listing's only option, --format, and the store; NULL in *st with the
 * exit status to return when either fails. */
static int open_listing(struct cli_env *env, int argc, char **argv, enum out_format *format,
			struct store **st)
{
	*st = NULL;
	int rc = cli_format_only(&cmd_coach, argc, argv, format);
	if (rc != 0)
		return rc;
	*st = cli_open_store(env, name, false);
	return *st ? 0 : 1;
}

static int imports_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	struct store *st;
	int rc = open_listing(env, argc, argv, &format, &st);
	if (!st)
		return rc;
	struct coach_import *list;
	size_t n;
	if (coach_imports_list(st, &list, &n) != STORE_OK) {
		rc = cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return rc;
	}
	const char *cols[] = {"learner", "id", "last_import", "exported", "file", "rows", "added",
			      "updated", "key"};
	struct out_table *t = out_table_new(cols, 9);
	for (size_t i = 0; i < n; i++) {
		out_text(t, list[i].learner_name);
		out_text(t, list[i].learner_uuid);
		cmd_coach_out_time(t, list[i].imported_at);
		cmd_coach_out_time(t, list[i].exported_at);
		out_text(t, list[i].file);
		out_int(t, list[i].rows);
		out_int(t, list[i].added);
		out_int(t, list[i].updated);
		if (list[i].key[0])
			out_text(t, list[i].key);
		else
			out_null(t);
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
	coach_imports_free(list, n);
	store_close(st);
	return 0;
}

static int groups_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	struct store *st;
	int rc = open_listing(env, argc, argv, &format, &st);
	if (!st)
		return rc;
	struct coach_group *groups;
	size_t n;
	if (coach_groups_list(st, &groups, &n) != STORE_OK) {
		rc = cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return rc;
	}
	const char *cols[] = {"group", "learners"};
	struct out_table *t = out_table_new(cols, 2);
	for (size_t i = 0; i < n; i++) {
		out_text(t, groups[i].name);
		out_int(t, groups[i].members);
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
	free(groups);
	store_close(st);
	return 0;
}

static int group_delete_run(struct cli_env *env, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage(&cmd_coach);
	const char *group = argv[0];
	struct store *st = cli_open_store(env, name, false);
	if (!st)
		return 1;
	int rc = 0;
	enum store_error e = coach_group_delete(st, group);
	if (e == STORE_ERR_NOTFOUND)
		rc = cli_error(name, "no group called '%s'", group);
	else if (e != STORE_OK)
		rc = cli_error(name, "cannot delete '%s': %s", group, store_errmsg(st));
	else
		sanitize_printf(stdout, "deleted group %s (its learners stay)\n", group);
	store_close(st);
	return rc;
}

/* Adds the learners argv[1...] to group argv[0], or removes them. */
static int group_change(struct cli_env *env, int argc, char **argv, bool add)
{
	if (argc < 2)
		return cli_usage(&cmd_coach);
	const char *group = argv[0];
	struct store *st = cli_open_store(env, name, false);
	if (!st)
		return 1;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct learner l;
		size_t matches;
		enum store_error e = coach_find_learner(st, argv[i], &l, &matches);
		if (e == STORE_ERR_NOTFOUND) {
			rc = matches > 1 ? cli_error(name,
						     "%zu learners are called '%s': name one by the start "
						     "of its id (see 'aipm coach report --format table')",
						     matches, argv[i])
					 : cli_error(name, "no learner called '%s'", argv[i]);
			continue;
		}
		if (e == STORE_OK)
			e = add ? coach_group_add(st, group, l.id) : coach_group_remove(st, group, l.id);
		if (e == STORE_OK)
			sanitize_printf(stdout, "%s %s (%.8s) %s %s\n", add ? "added" : "removed", l.name,
					l.uuid, add ? "to" : "from", group);
		else if (e == STORE_ERR_NOTFOUND)
			rc = cli_error(name, "%s is not in group '%s'", l.name, group);
		else
			rc = cli_error(name, "cannot change '%s': %s", group, store_errmsg(st));
	}
	store_close(st);
	return rc;
}

static int group_add_run(struct cli_env *env, int argc, char **argv)
{
	return group_change(env, argc, argv, true);
}

static int group_remove_run(struct cli_env *env, int argc, char **argv)
{
	return group_change(env, argc, argv, false);
}

/* ---- pinned keys ------------------------------------------------------------ */

static int trust_run(struct cli_env *env, int argc, char **argv)
{
	const char *who = NULL;
	bool reset = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--reset"))
			reset = true;
		else if (!who && argv[i][0] != '-')
			who = argv[i];
		else
			return cli_usage(&cmd_coach);
	}
	if (!who)
		return cli_usage(&cmd_coach);
	struct store *st = cli_open_store(env, name, false);
	if (!st)
		return 1;
	struct coach_match found;
	int rc = one_learner(st, who, &found);
	const struct learner *l = &found.learner;
	struct pinned_key pin;
	enum store_error e = rc == 0 ? pinned_key_get(st, l->uuid, &pin) : STORE_OK;
	char since[32] = "";
	if (rc == 0 && e == STORE_OK)
		clock_format(pin.first_seen, since, sizeof since);
	if (rc != 0) {
		/* said */
	} else if (!found.imported) {
		rc = cli_error(name,
			       "%s signs in on this computer: their key is their own, none is pinned",
			       l->name);
	} else if (e != STORE_OK && e != STORE_ERR_NOTFOUND) {
		rc = cli_error(name, "cannot read the pinned keys: %s", store_errmsg(st));
	} else if (e == STORE_ERR_NOTFOUND) {
		sanitize_printf(stdout,
				"%s (%s): no key pinned yet; the key of their next bundle will be\n",
				l->name, l->uuid);
	} else if (!reset) {
		sanitize_printf(stdout, "%s (%s): key %s, pinned %s UTC by %s\n", l->name, l->uuid,
				pin.fingerprint, since, pin.first_file);
	} else if (pinned_key_forget(st, l->uuid) != STORE_OK) {
		rc = cli_error(name, "cannot forget the key of %s: %s", l->name, store_errmsg(st));
	} else {
		sanitize_printf(stdout,
				"forgot key %s of %s (%s), pinned %s UTC; the key of their next "
				"bundle will be pinned: check its fingerprint with them ('aipm "
				"progress export' prints it)\n",
				pin.fingerprint, l->name, l->uuid, since);
	}
	store_close(st);
	return rc;
}

static const struct cli_subcommand coach_subcommands[] = {
	{"import", "[--dry-run] [--verbose] [--format table|csv|json] FILE...", import_run},
	{"report",
	 "[--group G] [--format md|table|csv|json] [--only cohort|questions] [--sort KEY]"
	 " [--reverse] [--limit N] [-o FILE|-] [--force]",
	 cmd_coach_report},
	{"learner", "NAME|UUID [--only SECTION] [--format table|csv|json]", learner_run},
	{"imports", "[--format table|csv|json]", imports_run},
	{"groups", "[--format table|csv|json]", groups_run},
	{"group add", "G NAME...", group_add_run},
	{"group remove", "G NAME...", group_remove_run},
	{"group delete", "G", group_delete_run},
	{"trust", "NAME|UUID [--reset]", trust_run},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_coach = {
	.name = "coach",
	.summary = "import learners' signed progress bundles; cohort, one-learner and "
		   "difficult-question reports; pinned keys",
	.subcommands = coach_subcommands,
};
