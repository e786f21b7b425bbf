/* aipm coach report [--group G] [--format md|table|csv|json]
 *                   [--only cohort|questions] [--sort KEY] [--reverse]
 *                   [--limit N] [-o FILE|-] [--force]
 *
 * The cohort and the difficult questions, for sharing: Markdown by
 * default, or a table, CSV or JSON; to standard output or a file written
 * whole. Learners wrote what it prints: every cell goes through the
 * sanitiser. */
#include "cli.h"
#include "clock.h"
#include "cmd-coach.h"
#include "coach.h"
#include "fileio.h"
#include "sanitize.h"
#include "util.h"

#include <jansson.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "coach";

static bool utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

/* One character per module: its share done as an eighth block (or 0-9
 * and '#' for done without UTF-8). */
static char *module_bar(const struct coach_row *r, size_t modules, bool unicode)
{
	static const char *const blocks[] = {"·", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	struct strbuf sb;
	sb_init(&sb);
	for (size_t m = 0; m < modules; m++) {
		double p = r->module_percent[m];
		if (unicode) {
			int k = p <= 0 ? 0 : p >= 100 ? 8 : 1 + (int)(p / 100 * 7);
			sb_puts(&sb, blocks[k]);
		} else {
			sb_putc(&sb, p >= 100 ? '#' : p <= 0 ? '.' : (char)('0' + (int)(p / 10)));
		}
	}
	return sb_steal(&sb);
}

static struct out_table *cohort_table(const struct coach_cohort *c, enum out_format format,
				      bool unicode)
{
	/* Table and Markdown show the modules as one compact bar; CSV and
	 * JSON give each module's share as a number. */
	bool numbers = format == OUT_CSV || format == OUT_JSON;
	const char *fixed_head[] = {"learner", "id", "groups", "course_percent", "lessons_done"};
	const char *fixed_tail[] = {"quiz_answers", "quiz_accuracy",	 "estimation_answers",
				    "calibration",  "interview_answers", "interview_score",
				    "last_active",  "last_import",	 "key"};
	size_t ncols = 5 + (numbers ? c->module_count : 1) + 9;
	const char **cols = xcalloc(ncols, sizeof *cols);
	size_t k = 0;
	for (size_t i = 0; i < 5; i++)
		cols[k++] = fixed_head[i];
	if (numbers)
		for (size_t m = 0; m < c->module_count; m++)
			cols[k++] = c->modules[m].id;
	else
		cols[k++] = "modules";
	for (size_t i = 0; i < 9; i++)
		cols[k++] = fixed_tail[i];
	struct out_table *t = out_table_new(cols, ncols);
	free(cols);
	for (size_t i = 0; i < c->count; i++) {
		const struct coach_row *r = &c->rows[i];
		out_text(t, r->name);
		if (numbers) {
			out_text(t, r->uuid);
		} else {
			char id[9];
			snprintf(id, sizeof id, "%.8s", r->uuid);
			out_text(t, id);
		}
		out_text(t, r->groups);
		out_real(t, r->course_percent, 0);
		out_int(t, r->lessons_done);
		if (numbers) {
			for (size_t m = 0; m < c->module_count; m++)
				out_real(t, r->module_percent[m], 0);
		} else {
			char *bar = module_bar(r, c->module_count, unicode);
			out_text(t, bar);
			free(bar);
		}
		out_int(t, r->quiz_answers);
		cmd_coach_out_percent(t, r->quiz_accuracy);
		out_int(t, r->estimation_answers);
		cmd_coach_out_percent(t, r->calibration);
		out_int(t, r->interview_answers);
		cmd_coach_out_percent(t, r->interview_score);
		cmd_coach_out_time(t, r->last_active);
		cmd_coach_out_time(t, r->last_import);
		if (r->key[0])
			out_text(t, r->key);
		else
			out_null(t);
		out_table_end_row(t);
	}
	return t;
}

static struct out_table *questions_table(const struct coach_difficult *d)
{
	const char *cols[] = {"kind",	      "id",	      "question",      "lesson",
			      "lesson_title", "learners",     "missed_by",     "miss_percent",
			      "attempts",     "misses",	      "common_wrong_1", "count_1",
			      "common_wrong_2", "count_2",    "common_wrong_3", "count_3"};
	struct out_table *t = out_table_new(cols, 16);
	for (size_t i = 0; i < d->count; i++) {
		const struct coach_question *q = &d->items[i];
		out_text(t, coach_item_kind_name(q->kind));
		out_text(t, q->id);
		out_text(t, q->prompt);
		out_text(t, q->lesson_id);
		out_text(t, q->lesson_title);
		out_int(t, q->learners);
		out_int(t, q->missed_by);
		out_real(t, q->miss_percent, 0);
		out_int(t, q->attempts);
		out_int(t, q->misses);
		for (size_t w = 0; w < COACH_WRONG_SHOWN; w++) {
			if (w < q->wrong_count) {
				out_text(t, q->wrong[w].text);
				out_int(t, q->wrong[w].count);
			} else {
				out_null(t);
				out_null(t);
			}
		}
		out_table_end_row(t);
	}
	return t;
}

/* Text from the database in a Markdown report: learners and course folders
 * wrote it, so no HTML, link or control of theirs gets through. */
static void md_text(FILE *out, const char *s)
{
	struct strbuf sb;
	sb_init(&sb);
	sanitize_markdown_cell(&sb, s);
	if (sb.len)
		fwrite(sb.data, 1, sb.len, out);
	sb_free(&sb);
}

/* A Markdown table cell: one line, pipes escaped. */
static void md_cell(FILE *out, const char *s)
{
	fputc(' ', out);
	md_text(out, s);
	fputs(" |", out);
}

/* "## Title" or "## Title: group". */
static void md_heading(FILE *out, const char *title, const char *group)
{
	fprintf(out, "## %s", title);
	if (group) {
		fputs(": ", out);
		md_text(out, group);
	}
	fputs("\n\n", out);
}

static void md_cohort(FILE *out, const struct coach_cohort *c, const char *group, bool unicode)
{
	md_heading(out, "Cohort", group);
	fprintf(out, "%zu learner%s, %d lessons in %zu modules (", c->count,
		c->count == 1 ? "" : "s", c->lessons, c->module_count);
	for (size_t m = 0; m < c->module_count; m++) {
		fputs(m ? ", " : "", out);
		md_text(out, c->modules[m].id);
	}
	fprintf(out, ", one mark each in Modules).\n\n");
	fputs("| Learner | ID | Course | Modules | Quiz right | Drill answers | Ranges held |"
	      " Interview | Last active | Last import |\n",
	      out);
	fputs("|---|---|---:|---|---:|---:|---:|---:|---|---|\n", out);
	for (size_t i = 0; i < c->count; i++) {
		const struct coach_row *r = &c->rows[i];
		char buf[64];
		fputc('|', out);
		md_cell(out, r->name);
		snprintf(buf, sizeof buf, "%.8s", r->uuid);
		md_cell(out, buf);
		snprintf(buf, sizeof buf, "%.0f%% (%d)", r->course_percent, r->lessons_done);
		md_cell(out, buf);
		char *bar = module_bar(r, c->module_count, unicode);
		md_cell(out, bar);
		free(bar);
		if (r->quiz_accuracy < 0)
			snprintf(buf, sizeof buf, "-");
		else
			snprintf(buf, sizeof buf, "%.0f%% of %d", r->quiz_accuracy, r->quiz_answers);
		md_cell(out, buf);
		snprintf(buf, sizeof buf, "%d", r->estimation_answers + r->interview_answers);
		md_cell(out, buf);
		if (r->calibration < 0)
			snprintf(buf, sizeof buf, "-");
		else
			snprintf(buf, sizeof buf, "%.0f%% of %d", r->calibration, r->estimation_answers);
		md_cell(out, buf);
		if (r->interview_score < 0)
			snprintf(buf, sizeof buf, "-");
		else
			snprintf(buf, sizeof buf, "%.0f%%", r->interview_score);
		md_cell(out, buf);
		char *a = cmd_coach_when(r->last_active), *im = cmd_coach_when(r->last_import);
		md_cell(out, a[0] ? a : "-");
		md_cell(out, im[0] ? im : r->imported ? "-" : "local");
		free(a);
		free(im);
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void md_questions(FILE *out, const struct coach_difficult *d, const char *group)
{
	md_heading(out, "Difficult questions", group);
	fprintf(out,
		"Missed: a wrong quiz answer, an estimate whose 90%% range did not hold the "
		"answer, or under %.0f%% of an interview rubric. Of %d learner%s.\n\n",
		COACH_INTERVIEW_PASS, d->learners, d->learners == 1 ? "" : "s");
	fputs("| Kind | Question | Lesson | Missed by | Misses | Most common wrong answers |\n", out);
	fputs("|---|---|---|---:|---:|---|\n", out);
	for (size_t i = 0; i < d->count; i++) {
		const struct coach_question *q = &d->items[i];
		char buf[128];
		fputc('|', out);
		md_cell(out, coach_item_kind_name(q->kind));
		md_cell(out, q->prompt);
		md_cell(out, q->lesson_title[0] ? q->lesson_title : "-");
		snprintf(buf, sizeof buf, "%d of %d", q->missed_by, q->learners);
		md_cell(out, buf);
		snprintf(buf, sizeof buf, "%d of %d", q->misses, q->attempts);
		md_cell(out, buf);
		struct strbuf sb;
		sb_init(&sb);
		for (size_t w = 0; w < q->wrong_count; w++)
			sb_printf(&sb, "%s%s (%d)", w ? "; " : "", q->wrong[w].text, q->wrong[w].count);
		md_cell(out, sb.len ? sb.data : "-");
		sb_free(&sb);
		fputc('\n', out);
	}
	fputc('\n', out);
}

struct report_args {
	const char *group, *path;
	enum coach_sort sort;
	bool reverse, force, markdown, want_cohort, want_questions;
	enum out_format format;
	size_t limit;
};

/* The options of `coach report`; 0, or the exit code of a usage error. */
static int report_parse(int argc, char **argv, struct report_args *r)
{
	const char *only = NULL, *format_name = "md";
	*r = (struct report_args){.sort = COACH_SORT_NAME, .format = OUT_TABLE, .limit = 20};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(a, "--group") && has)
			r->group = argv[++i];
		else if (!strcmp(a, "--format") && has)
			format_name = argv[++i];
		else if (str_starts_with(a, "--format="))
			format_name = a + strlen("--format=");
		else if (!strcmp(a, "--only") && has)
			only = argv[++i];
		else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has)
			r->path = argv[++i];
		else if (!strcmp(a, "--reverse"))
			r->reverse = true;
		else if (!strcmp(a, "--force"))
			r->force = true;
		else if (!strcmp(a, "--limit") && has)
			r->limit = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(a, "--sort") && has) {
			if (coach_sort_parse(argv[++i], &r->sort) != 0) {
				cli_error(name, "unknown sort '%s': use name, progress, accuracy, drill, "
						"calibration or active",
					  argv[i]);
				return 2;
			}
		} else {
			return cli_usage(&cmd_coach);
		}
	}
	r->markdown = !strcmp(format_name, "md");
	if (!r->markdown && out_format_parse(format_name, &r->format) != 0) {
		cli_error(name, "unknown format '%s': use md, table, csv or json", format_name);
		return 2;
	}
	if (only && strcmp(only, "cohort") && strcmp(only, "questions")) {
		cli_error(name, "--only takes cohort or questions");
		return 2;
	}
	r->want_cohort = !only || !strcmp(only, "cohort");
	r->want_questions = !only || !strcmp(only, "questions");
	return 0;
}

/* The report in the format asked for. */
static void report_write(FILE *out, const struct report_args *r, const struct coach_cohort *c,
			 const struct coach_difficult *d)
{
	bool unicode = utf8_locale();
	if (r->markdown) {
		char *now = cmd_coach_when(clock_now());
		fprintf(out, "# aipm coach report (%s UTC)\n\n", now);
		free(now);
		if (r->want_cohort)
			md_cohort(out, c, r->group, unicode);
		if (r->want_questions)
			md_questions(out, d, r->group);
	} else if (r->format == OUT_JSON) {
		json_t *root = json_object();
		if (r->group)
			json_object_set_new(root, "group", json_string(r->group));
		if (r->want_cohort) {
			struct out_table *t = cohort_table(c, r->format, unicode);
			json_object_set_new(root, "cohort", out_table_json(t));
			out_table_free(t);
		}
		if (r->want_questions) {
			struct out_table *t = questions_table(d);
			json_object_set_new(root, "difficult_questions", out_table_json(t));
			out_table_free(t);
		}
		out_json(root, out);
		json_decref(root);
	} else {
		/* Two tables: a blank line between them (--only for one). */
		if (r->want_cohort) {
			struct out_table *t = cohort_table(c, r->format, unicode);
			out_table_print(t, r->format, out);
			out_table_free(t);
		}
		if (r->want_cohort && r->want_questions)
			fputc('\n', out);
		if (r->want_questions) {
			struct out_table *t = questions_table(d);
			out_table_print(t, r->format, out);
			out_table_free(t);
		}
	}
}

int cmd_coach_report(struct cli_env *env, int argc, char **argv)
{
	struct report_args r;
	int rc = report_parse(argc, argv, &r);
	if (rc != 0)
		return rc;
	struct store *st = cli_open_store(env, name, true);
	if (!st)
		return 1;
	struct coach_cohort c = {0};
	struct coach_difficult d = {0};
	enum store_error e = STORE_OK;
	if (r.want_cohort)
		e = coach_cohort_load(st, r.group, &c);
	if (e == STORE_OK && r.want_questions)
		e = coach_difficult_load(st, r.group, r.limit, &d);
	if (e != STORE_OK) {
		rc = e == STORE_ERR_NOTFOUND
			 ? cli_error(name, "no group called '%s' (see 'aipm coach groups')", r.group)
			 : cli_error(name, "cannot read the reports: %s", store_errmsg(st));
		goto done;
	}
	coach_cohort_sort(&c, r.sort, r.reverse);
	/* The report names learners and their scores: private to the coach. */
	char err[1024];
	struct file_out *file =
	    file_out_open(r.path ? r.path : "-", FILE_PRIVATE, r.force, err, sizeof err);
	if (!file) {
		rc = cli_error(name, "%s", err);
		goto done;
	}
	report_write(file_out_stream(file), &r, &c, &d);
	if (file_out_commit(file, err, sizeof err) != 0)
		rc = cli_error(name, "%s", err);
	else if (r.path && strcmp(r.path, "-"))
		sanitize_printf(stdout, "wrote %s\n", r.path);
done:
	coach_cohort_free(&c);
	coach_difficult_free(&d);
	store_close(st);
	return rc;
}
