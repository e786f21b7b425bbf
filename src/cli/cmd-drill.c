/* aipm drill list [--type TYPE] [--due] | aipm drill due
 * aipm drill score ID --point X --low L --high H [--seconds N] [--record]
 * aipm drill calibration
 * aipm drill settings [--new-per-day N]
 *
 * The interview drill from the shell: the question banks with the
 * learner's record, an estimation answer scored exactly as the TUI scores
 * it (stored only with --record), and the calibration of the ranges. */
#include "clock.h"
#include "cli.h"
#include "drill.h"
#include "review.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "drill";

/* Questions are long: the table keeps the start of each (on a character
 * boundary); CSV and JSON keep all of it. */
#define TABLE_QUESTION_BYTES 60

/* In the due list (due_list), a question never answered is one of the
 * day's new questions: due "new", and due now. */
static void print_items(const struct drill_item *items, size_t n, int64_t now, bool due_list,
			enum out_format format)
{
	const char *cols[] = {"id", "type", "question", "attempts", "last_score", "due", "due_now"};
	struct out_table *t = out_table_new(cols, 7);
	int64_t tomorrow = clock_day_start(now) + 86400;
	for (size_t i = 0; i < n; i++) {
		out_text(t, items[i].id);
		out_text(t, items[i].type);
		if (format == OUT_TABLE) {
			char *q = out_clip(items[i].question, TABLE_QUESTION_BYTES);
			out_text(t, q);
			free(q);
		} else {
			out_text(t, items[i].question);
		}
		out_int(t, items[i].attempts);
		if (items[i].last_score < 0)
			out_null(t);
		else
			out_real(t, items[i].last_score, 0);
		if (items[i].due_at) {
			char when[32];
			clock_format(items[i].due_at, when, sizeof when);
			out_text(t, when);
		} else if (due_list) {
			out_text(t, "new");
		} else {
			out_null(t);
		}
		out_bool(t, (items[i].due_at && items[i].due_at < tomorrow) ||
				(due_list && !items[i].due_at));
		out_table_end_row(t);
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
}

/* An empty due list says so, and when the next review comes (a table's
 * header alone reads as a failure). */
static void print_nothing_due(struct store *st, int64_t learner, const char *type, int64_t now)
{
	struct drill_item *all;
	size_t n;
	int64_t next = 0;
	if (drill_list(st, learner, type, &all, &n) == STORE_OK) {
		for (size_t i = 0; i < n; i++)
			if (all[i].due_at > now && (!next || all[i].due_at < next))
				next = all[i].due_at;
		drill_items_free(all, n);
	}
	if (next) {
		char when[32];
		clock_format(next, when, sizeof when);
		printf("Nothing is due for review today; the next review is due %.10s.\n", when);
	} else {
		printf("Nothing is due for review today: questions answered come back here when "
		       "they are due ('aipm drill list' lists them all).\n");
	}
}

/* The reviews due on each of the next days (today with what is overdue),
 * as Anki's forecast: the one queue of drill and quiz cards. */
static int print_forecast(struct store *st, int64_t learner, int64_t now, enum out_format format)
{
	size_t per_day[REVIEW_FORECAST_DAYS];
	if (review_forecast(st, learner, now, per_day) != STORE_OK)
		return cli_error(name, "%s", store_errmsg(st));
	const char *cols[] = {"in_days", "date", "reviews"};
	struct out_table *t = out_table_new(cols, 3);
	size_t total = 0;
	for (int d = 0; d < REVIEW_FORECAST_DAYS; d++) {
		char date[32];
		clock_format(clock_day_start(now) + (int64_t)d * 86400, date, sizeof date);
		date[10] = '\0';
		out_int(t, d); /* days from today */
		out_text(t, date);
		out_int(t, (int64_t)per_day[d]);
		out_table_end_row(t);
		total += per_day[d];
	}
	out_table_print(t, format, stdout);
	out_table_free(t);
	if (format == OUT_TABLE)
		printf("\n%zu review%s in the next %d days (today counts what is overdue).\n", total,
		       total == 1 ? "" : "s", REVIEW_FORECAST_DAYS);
	return 0;
}

static int drill_list_run(struct cli_env *env, int argc, char **argv, bool due_only)
{
	enum out_format format = OUT_TABLE;
	const char *type = NULL;
	bool forecast = false;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--type") && i + 1 < argc) {
			type = argv[++i];
		} else if (!strcmp(argv[i], "--due")) {
			due_only = true;
		} else if (!strcmp(argv[i], "--forecast")) {
			forecast = true;
		} else {
			cli_error(name, "unexpected argument '%s'", argv[i]);
			return 2;
		}
	}
	if (forecast && (!due_only || type)) {
		cli_error(name, "--forecast goes with 'drill due' alone: the reviews of the next %d "
			  "days, drill and quiz questions in one queue", REVIEW_FORECAST_DAYS);
		return 2;
	}
	if (type && drill_type_index(type) < 0) {
		struct strbuf known;
		sb_init(&known);
		for (int i = 0; drill_types[i]; i++)
			sb_printf(&known, "%s%s", i ? ", " : "", drill_types[i]);
		cli_error(name, "unknown type '%s': use one of %s", type, known.data);
		sb_free(&known);
		return 2;
	}
	struct store *st = cli_open_store(env, name, true);
	if (!st)
		return 1;
	/* Nobody (an empty record) on a database without learners. */
	struct learner l;
	bool found;
	if (cli_learner_if_any(env, st, name, &l, &found) != 0) {
		store_close(st);
		return 1;
	}
	int64_t learner = found ? l.id : 0;
	int64_t now = clock_now();
	if (forecast) {
		int rc = print_forecast(st, learner, now, format);
		store_close(st);
		return rc;
	}
	struct drill_item *items;
	size_t n;
	enum store_error e = due_only ? drill_due(st, learner, now, &items, &n)
				      : drill_list(st, learner, type, &items, &n);
	if (e != STORE_OK) {
		cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	size_t shown = 0;
	for (size_t i = 0; i < n; i++)
		if (!type || !strcmp(items[i].type, type))
			items[shown++] = items[i];
		else
			free(items[i].question);
	if (due_only && !shown && format == OUT_TABLE)
		print_nothing_due(st, learner, type, now);
	else
		print_items(items, shown, now, due_only, format);
	drill_items_free(items, shown);
	store_close(st);
	return 0;
}

/* --point 9.8M, --low "4 million": the drill's number and expression
 * syntax. */
static int parse_value(const char *option, const char *text, double *out)
{
	struct expr_error err;
	if (expr_eval(text, out, &err) == 0)
		return 0;
	cli_error(name, "%s '%s': %s (at character %d)", option, text, err.message,
		  err.position + 1);
	return -1;
}

static void print_score(const struct drill_estimation *q, const struct drill_estimation_answer *a,
			const struct estimate_score *s, const char *uid, enum out_format format)
{
	if (format == OUT_JSON) {
		json_t *root = json_object();
		json_object_set_new(root, "question", json_string(q->id));
		json_object_set_new(root, "unit", json_string(q->unit));
		json_object_set_new(root, "reference", json_real(q->answer));
		json_object_set_new(root, "point", json_real(a->point));
		json_object_set_new(root, "low", json_real(a->low));
		json_object_set_new(root, "high", json_real(a->high));
		json_object_set_new(root, "log_error", json_real(s->log_error));
		json_object_set_new(root, "hit", json_boolean(s->hit));
		json_object_set_new(root, "width", json_real(s->width));
		json_object_set_new(root, "interval_score", json_real(s->interval_score));
		json_object_set_new(root, "points", json_real(s->points));
		json_object_set_new(root, "verdict", json_string(s->verdict));
		json_object_set_new(root, "recorded", uid ? json_string(uid) : json_null());
		out_json(root, stdout);
		json_decref(root);
		return;
	}
	if (format == OUT_TABLE) {
		/* One answer reads better as label: value lines. */
		char ref[32], point[32], low[32], high[32];
		drill_format_value(q->answer, ref, sizeof ref);
		drill_format_value(a->point, point, sizeof point);
		drill_format_value(a->low, low, sizeof low);
		drill_format_value(a->high, high, sizeof high);
		sanitize_printf(stdout, "%-15s %s (%s)\n", "question", q->id, q->unit);
		printf("%-15s %s  (the app's own estimate, not the course's)\n", "reference", ref);
		printf("%-15s %s\n", "point", point);
		printf("%-15s %s to %s\n", "90% range", low, high);
		printf("%-15s %.2f orders of magnitude\n", "off by", s->log_error);
		printf("%-15s %s\n", "range held", s->hit ? "yes" : "no");
		printf("%-15s %.2f orders of magnitude\n", "range width", s->width);
		printf("%-15s %.3f (lower is better)\n", "interval score", s->interval_score);
		printf("%-15s %.0f of 100: %s\n", "points", s->points, s->verdict);
		if (uid)
			printf("%-15s %s\n", "recorded", uid);
		return;
	}
	const char *cols[] = {"question", "reference", "point", "low", "high", "log_error", "hit",
			      "width", "interval_score", "points", "verdict", "recorded"};
	struct out_table *t = out_table_new(cols, 12);
	out_text(t, q->id);
	out_real(t, q->answer, 6);
	out_real(t, a->point, 6);
	out_real(t, a->low, 6);
	out_real(t, a->high, 6);
	out_real(t, s->log_error, 6);
	out_bool(t, s->hit);
	out_real(t, s->width, 6);
	out_real(t, s->interval_score, 6);
	out_real(t, s->points, 6);
	out_text(t, s->verdict);
	if (uid)
		out_text(t, uid);
	else
		out_null(t);
	out_table_end_row(t);
	out_table_print(t, format, stdout);
	out_table_free(t);
}

static int drill_score_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	const char *id = NULL;
	struct drill_estimation_answer a = {0};
	bool have_point = false, have_low = false, have_high = false, record = false;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		const char *opt = argv[i];
		bool takes_value = !strcmp(opt, "--point") || !strcmp(opt, "--low") ||
				   !strcmp(opt, "--high") || !strcmp(opt, "--seconds");
		if (takes_value && i + 1 >= argc) {
			cli_error(name, "%s needs a value", opt);
			return 2;
		}
		if (!strcmp(opt, "--point")) {
			if (parse_value(opt, argv[++i], &a.point) != 0)
				return 2;
			have_point = true;
		} else if (!strcmp(opt, "--low")) {
			if (parse_value(opt, argv[++i], &a.low) != 0)
				return 2;
			have_low = true;
		} else if (!strcmp(opt, "--high")) {
			if (parse_value(opt, argv[++i], &a.high) != 0)
				return 2;
			have_high = true;
		} else if (!strcmp(opt, "--seconds")) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 0 || v > 86400) {
				cli_error(name, "--seconds '%s': a whole number of seconds", argv[i]);
				return 2;
			}
			a.seconds = (int)v;
		} else if (!strcmp(opt, "--record")) {
			record = true;
		} else if (opt[0] != '-' && !id) {
			id = opt;
		} else {
			cli_error(name, "unexpected argument '%s'", opt);
			return 2;
		}
	}
	if (!id || !have_point || !have_low || !have_high) {
		cli_error(name, "score needs a question id, --point, --low and --high");
		return 2;
	}
	struct store *st = cli_open_store(env, name, true);
	if (!st)
		return 1;
	struct drill_estimation q;
	enum store_error e = drill_estimation_load(st, id, &q);
	if (e != STORE_OK) {
		if (e == STORE_ERR_NOTFOUND)
			cli_error(name, "no estimation question '%s' (see 'aipm drill list --type "
					"estimation')",
				  id);
		else
			cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	int rc = 0;
	struct estimate_score s;
	char uid[37];
	if (record) {
		struct learner l;
		char err[256];
		if (cli_learner(env, st, name, &l) != 0)
			rc = 1;
		else if (drill_record_estimation(st, l.id, &q, &a, clock_now(), &s, uid, err,
						 sizeof err) != 0)
			rc = cli_error(name, "%s", err);
	} else {
		struct estimate_answer answer = {a.point, a.low, a.high};
		const char *why;
		if (estimate_score(&answer, q.answer, &s, &why) != 0)
			rc = cli_error(name, "%s", why);
	}
	if (rc == 0)
		print_score(&q, &a, &s, record ? uid : NULL, format);
	drill_estimation_free(&q);
	store_close(st);
	return rc;
}

static int drill_calibration_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format;
	if (cli_format_only(&cmd_drill, argc, argv, &format) != 0)
		return 2;
	struct learner l;
	struct store *st = cli_open_learner(env, name, true, &l);
	if (!st)
		return 1;
	struct drill_calibration c;
	if (drill_calibration_load(st, l.id, NULL, &c) != STORE_OK) {
		cli_error(name, "%s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	const char *cols[] = {"width", "answers", "held", "held_percent"};
	struct out_table *t = out_table_new(cols, 4);
	for (int b = 0; b <= ESTIMATE_WIDTH_BUCKETS; b++) {
		bool all = b == ESTIMATE_WIDTH_BUCKETS;
		size_t answers = all ? c.summary.answers : c.summary.buckets[b].answers;
		size_t held = all ? c.summary.hits : c.summary.buckets[b].hits;
		out_text(t, all ? "all" : estimate_width_bucket_labels[b]);
		out_int(t, (long long)answers);
		out_int(t, (long long)held);
		if (answers)
			out_real(t, 100.0 * (double)held / (double)answers, 1);
		else
			out_null(t);
		out_table_end_row(t);
	}
	if (format == OUT_JSON) {
		json_t *root = json_object();
		json_object_set_new(root, "answers", json_integer((json_int_t)c.summary.answers));
		json_object_set_new(root, "held", json_integer((json_int_t)c.summary.hits));
		json_object_set_new(root, "held_share", json_real(c.summary.hit_share));
		json_object_set_new(root, "mean_width", json_real(c.summary.mean_width));
		json_object_set_new(root, "verdict", json_string(c.summary.verdict));
		json_object_set_new(root, "by_width", out_table_json(t));
		out_json(root, stdout);
		json_decref(root);
	} else {
		out_table_print(t, format, stdout);
		if (format == OUT_TABLE)
			printf("\n%zu of %zu ranges held the answer (goal: 90%%): %s\n",
			       c.summary.hits, c.summary.answers, c.summary.verdict);
	}
	out_table_free(t);
	drill_calibration_free(&c);
	store_close(st);
	return 0;
}

/* aipm drill settings [--new-per-day N]: the drill's settings, set first
 * when given. */
static int drill_settings_run(struct cli_env *env, int argc, char **argv)
{
	enum out_format format = OUT_TABLE;
	const char *new_per_day = NULL;
	for (int i = 0; i < argc; i++) {
		int r = cli_format_option(argc, argv, &i, &format, name);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--new-per-day") && i + 1 < argc) {
			new_per_day = argv[++i];
		} else {
			cli_error(name, "unexpected argument '%s'", argv[i]);
			return 2;
		}
	}
	long limit = 0;
	if (new_per_day) {
		char *end;
		limit = strtol(new_per_day, &end, 10);
		if (!*new_per_day || *end || limit < 0 || limit > DRILL_NEW_PER_DAY_MAX) {
			cli_error(name, "--new-per-day takes a whole number from 0 to %d, not '%s'",
				  DRILL_NEW_PER_DAY_MAX, new_per_day);
			return 2;
		}
	}
	struct learner l;
	struct store *st = cli_open_learner(env, name, true, &l);
	if (!st)
		return 1;
	if (new_per_day && drill_set_new_per_day(st, l.id, (int)limit) != STORE_OK) {
		cli_error(name, "the setting was not saved: %s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	const char *cols[] = {"setting", "value", "meaning"};
	struct out_table *t = out_table_new(cols, 3);
	out_text(t, "new_per_day");
	out_int(t, drill_new_per_day(st, l.id));
	out_text(t, "never-answered questions that may join a day's due list");
	out_table_end_row(t);
	out_table_print(t, format, stdout);
	out_table_free(t);
	store_close(st);
	return 0;
}

static int drill_all_run(struct cli_env *env, int argc, char **argv)
{
	return drill_list_run(env, argc, argv, false);
}

static int drill_due_run(struct cli_env *env, int argc, char **argv)
{
	return drill_list_run(env, argc, argv, true);
}

static const struct cli_subcommand drill_subcommands[] = {
	{"list", "[--type TYPE] [--due] [--format table|csv|json]", drill_all_run},
	{"due", "[--forecast] [--format table|csv|json]", drill_due_run},
	{"score", "ID --point X --low L --high H [--seconds N] [--record] [--format table|csv|json]",
	 drill_score_run},
	{"calibration", "[--format table|csv|json]", drill_calibration_run},
	{"settings", "[--new-per-day N] [--format table|csv|json]", drill_settings_run},
	{NULL, NULL, NULL},
};

const struct cli_command cmd_drill = {
	.name = "drill",
	.summary = "the interview drill: questions, due reviews, scoring an estimate, calibration",
	.subcommands = drill_subcommands,
};
