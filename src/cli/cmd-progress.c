/* aipm progress [--format table|csv|json]
 * aipm progress export [--learner NAME] [-o FILE|-] [--force]
 *
 * The signed-in learner's progress as the progress screen shows it, and
 * their progress bundle for a coach. */
#include "bundle.h"
#include "cli.h"
#include "clock.h"
#include "coach.h"
#include "keys.h"
#include "sanitize.h"
#include "util.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "progress";

/* One row of the summary: what, how many, of how many, the share. */
static void row(struct out_table *t, const char *area, const char *item, double count,
		double of, int digits)
{
	out_text(t, area);
	out_text(t, item);
	out_real(t, count, digits);
	if (of > 0) {
		out_real(t, of, 0);
		out_real(t, 100.0 * count / of, 1);
	} else {
		out_null(t);
		out_null(t);
	}
	out_table_end_row(t);
}

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char when[32];
	clock_format(t, when, sizeof when);
	return json_string(when);
}

static json_t *report_json(const struct learner_report *r)
{
	json_t *root = json_object();
	json_object_set_new(root, "learner", json_string(r->learner.name));
	json_object_set_new(root, "id", json_string(r->learner.uuid));
	json_object_set_new(root, "lessons", json_integer(r->summary.lessons));
	json_object_set_new(root, "lessons_done", json_integer(r->summary.done));
	json_object_set_new(root, "lessons_in_progress", json_integer(r->summary.in_progress));
	json_object_set_new(root, "percent_done", json_real(r->summary.percent));
	json_t *mods = json_array();
	for (size_t i = 0; i < r->module_count; i++) {
		const struct module_summary *m = &r->modules[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(m->id));
		json_object_set_new(o, "title", json_string(m->title));
		json_object_set_new(o, "lessons", json_integer(m->lessons));
		json_object_set_new(o, "done", json_integer(m->done));
		json_object_set_new(o, "percent_done", json_real(m->percent));
		json_t *scores = json_array();
		for (size_t k = m->first; k < m->first + (size_t)m->lessons; k++) {
			const struct lesson_status *l = &r->lessons[k];
			if (!l->questions)
				continue;
			json_t *s = json_object();
			json_object_set_new(s, "lesson", json_string(l->id));
			json_object_set_new(s, "best", l->best_score < 0 ? json_null()
									 : json_real(l->best_score));
			json_object_set_new(s, "latest", l->latest_score < 0
							     ? json_null()
							     : json_real(l->latest_score));
			json_array_append_new(scores, s);
		}
		json_object_set_new(o, "quiz_scores", scores);
		json_array_append_new(mods, o);
	}
	json_object_set_new(root, "modules", mods);
	json_t *quiz = json_object();
	json_object_set_new(quiz, "answers", json_integer(r->quiz_answers));
	json_object_set_new(quiz, "correct", json_integer(r->quiz_correct));
	json_object_set_new(root, "quiz", quiz);
	json_object_set_new(root, "reading_seconds", json_integer(r->reading_seconds));
	json_object_set_new(root, "drill_seconds", json_integer(r->drill_seconds));
	json_object_set_new(root, "streak_days", json_integer(r->streak));
	json_object_set_new(root, "best_streak_days", json_integer(r->best_streak));
	json_object_set_new(root, "active_days", json_integer(r->active_days));
	json_object_set_new(root, "last_active", time_json(r->last_active));
	json_t *drill = json_array();
	for (int t = 0; t < DRILL_TYPE_COUNT; t++) {
		const struct drill_type_stats *s = &r->drill.types[t];
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string(drill_types[t]));
		json_object_set_new(o, "answers", json_integer(s->answers));
		json_object_set_new(o, "mean_score", s->answers ? json_real(s->mean_score) : json_null());
		json_object_set_new(o, "best_score", s->answers ? json_real(s->best_score) : json_null());
		json_array_append_new(drill, o);
	}
	json_object_set_new(root, "drill", drill);
	const struct estimate_calibration *c = &r->calibration.summary;
	json_t *cal = json_object();
	json_object_set_new(cal, "ranges", json_integer((json_int_t)c->answers));
	json_object_set_new(cal, "held", json_integer((json_int_t)c->hits));
	json_object_set_new(cal, "verdict", json_string(c->verdict ? c->verdict : ""));
	json_t *series = json_array();
	for (size_t i = 0; i < r->calibration.count; i++)
		json_array_append_new(series, json_real(r->calibration.trend[i]));
	json_object_set_new(cal, "trend", series);
	json_object_set_new(root, "calibration", cal);
	json_t *notes = json_array();
	for (size_t i = 0; i < r->note_count; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "lesson", json_string(r->notes[i].lesson_id));
		json_object_set_new(o, "body", json_string(r->notes[i].body));
		json_object_set_new(o, "created", time_json(r->notes[i].created_at));
		json_array_append_new(notes, o);
	}
	json_object_set_new(root, "notes", notes);
	json_t *lab = json_object();
	json_object_set_new(lab, "runs", json_integer(r->experiments));
	json_object_set_new(lab, "best_auc", r->best_auc < 0 ? json_null() : json_real(r->best_auc));
	json_object_set_new(lab, "best_accuracy",
			    r->best_accuracy < 0 ? json_null() : json_real(r->best_accuracy));
	json_object_set_new(lab, "best_f1", r->best_f1 < 0 ? json_null() : json_real(r->best_f1));
	json_object_set_new(root, "lab_experiments", lab);
	return root;
}

static void print_report(const struct learner_report *r, enum out_format format)
{
	if (format == OUT_JSON) {
		json_t *root = report_json(r);
		out_json(root, stdout);
		json_decref(root);
		return;
	}
	const char *cols[] = {"area", "item", "count", "of", "percent"};
	struct out_table *t = out_table_new(cols, 5);
	row(t, "course", "lessons done", r->summary.done, r->summary.lessons, 0);
	for (size_t i = 0; i < r->module_count; i++) {
		char item[256];
		snprintf(item, sizeof item, "%s %s", r->modules[i].id, r->modules[i].title);
		row(t, "module", item, r->modules[i].done, r->modules[i].lessons, 0);
	}
	for (size_t i = 0; i < r->lesson_count; i++) {
		const struct lesson_status *l = &r->lessons[i];
		if (l->best_score < 0)
			continue;
		char item[256];
		snprintf(item, sizeof item, "best %s", l->id);
		row(t, "quiz", item, l->best_score, 0, 0);
		snprintf(item, sizeof item, "latest %s", l->id);
		row(t, "quiz", item, l->latest_score, 0, 0);
	}
	row(t, "quiz", "answers right", r->quiz_correct, r->quiz_answers, 0);
	row(t, "time", "reading minutes", (double)r->reading_seconds / 60, 0, 0);
	row(t, "time", "drill minutes", (double)r->drill_seconds / 60, 0, 0);
	row(t, "streak", "days in a row", r->streak, 0, 0);
	row(t, "streak", "best run of days", r->best_streak, 0, 0);
	for (int k = 0; k < DRILL_TYPE_COUNT; k++) {
		const struct drill_type_stats *s = &r->drill.types[k];
		char item[96];
		snprintf(item, sizeof item, "%s answers", drill_types[k]);
		row(t, "drill", item, s->answers, 0, 0);
		if (s->answers) {
			snprintf(item, sizeof item, "%s mean score", drill_types[k]);
			row(t, "drill", item, s->mean_score, 0, 0);
		}
	}
	const struct estimate_calibration *c = &r->calibration.summary;
	char item[128];
	snprintf(item, sizeof item, "ranges held (%s)", c->verdict ? c->verdict : "no answers");
	row(t, "calibration", item, (double)c->hits, (double)c->answers, 0);
	row(t, "notes", "notes", (double)r->note_count, 0, 0);
	row(t, "lab", "experiments", r->experiments, 0, 0);
	if (r->experiments) {
		row(t, "lab", "best run's AUC (how the best is picked)", r->best_auc, 0, 2);
		row(t, "lab", "best run's F1 (macro)", r->best_f1, 0, 2);
		row(t, "lab", "best run's accuracy", r->best_accuracy, 0, 2);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
}

/* aipm-progress-ana-lima-2026-03-02.csv: the name in lower-case ASCII
 * letters and digits, other characters as single dashes. */
static char *default_file(const struct learner *l, int64_t now)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "aipm-progress-");
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)l->name; *p; p++) {
		if (isalnum(*p) && *p < 0x80) {
			if (dash && sb.len > strlen("aipm-progress-"))
				sb_putc(&sb, '-');
			sb_putc(&sb, (char)tolower(*p));
			dash = false;
		} else {
			dash = true;
		}
	}
	if (sb.len == strlen("aipm-progress-"))
		sb_add(&sb, l->uuid, 8);
	char when[32];
	clock_format(now, when, sizeof when);
	sb_printf(&sb, "-%.10s.csv", when);
	return sb_steal(&sb);
}

static int export_run(struct cli_env *env, int argc, char **argv)
{
	const char *out = NULL;
	bool force = false;
	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else if (!strcmp(argv[i], "--learner") && i + 1 < argc)
			env->learner = argv[++i];
		else
			return cli_usage(&cmd_progress);
	}
	struct learner l;
	struct store *st = cli_open_learner(env, name, true, &l);
	if (!st)
		return 1;
	int64_t now = clock_now();
	char err[1024];
	size_t rows;
	int rc = 0;
	char *path = out ? xstrdup(out) : default_file(&l, now);
	char fingerprint[KEY_FINGERPRINT_SIZE];
	if (bundle_export(st, &l, now, path, force, &rows, err, sizeof err) != 0) {
		rc = cli_error(name, "%s", err);
	} else if (strcmp(path, "-")) {
		if (learner_key_fingerprint(st, l.id, fingerprint) != STORE_OK) {
			rc = cli_error(name, "cannot read the signing key: %s", store_errmsg(st));
		} else {
			/* The fingerprint, for the coach to compare by another way
			 * than the file (as with an ssh host key). */
			sanitize_printf(stdout,
					"wrote %s: %zu rows of %s's progress (learner %s), signed "
					"with key %s\n",
					path, rows, l.name, l.uuid, fingerprint);
		}
	}
	free(path);
	store_close(st);
	return rc;
}

static int progress_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	if (cli_format_only(&cmd_progress, argc, argv, &format) != 0)
		return 2;
	struct learner l;
	struct store *st = cli_open_learner(env, name, true, &l);
	if (!st)
		return 1;
	struct learner_report r;
	int rc = 0;
	if (learner_report_load(st, l.id, clock_now(), &r) != STORE_OK) {
		rc = cli_error(name, "cannot read the progress: %s", store_errmsg(st));
	} else {
		print_report(&r, format);
		learner_report_free(&r);
	}
	store_close(st);
	return rc;
}

static const struct cli_subcommand progress_subcommands[] = {
	{"export", "[--learner NAME] [-o FILE|-] [--force]", export_run},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_progress = {
	.name = "progress",
	.usage = "[--format table|csv|json]",
	.summary = "your progress, or your progress bundle for a coach",
	.run = progress_run,
	.subcommands = progress_subcommands,
};
