/* The content loader and importer on small fixture folders: a good course
 * loads with no problems; each kind of broken file is reported as
 * file:line and skipped while the rest loads; re-import keeps progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "content.h"
#include "store_sql.h"
#include "testutil.h"
#include "util.h"

#include <sys/stat.h>
#include <unistd.h>

static char *lesson_text(const char *id, const char *module, int order)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "---\nid: %s\ntitle: Lesson %s\nmodule: %s\norder: %d\n"
		       "sources: podcast [00:00:00]\n---\n\n",
		  id, id, module, order);
	for (int s = 0; s < 3; s++) {
		sb_printf(&sb, "## Section %d\n\n", s + 1);
		for (int i = 0; i < 20; i++)
			sb_puts(&sb, "A model learns patterns from labelled examples; precision matters. ");
		sb_puts(&sb, "\n\n- one item\n- another item\n\n");
		sb_puts(&sb, "Source: podcast [00:19:35], seed 000.\n\n");
	}
	return sb_steal(&sb);
}

#define QUIZ_HEADER \
	"id,lesson,order,kind,prompt,choices,answer,tolerance,model_answer,reject,explanation,source\n"
#define SOURCE "\"podcast [00:00:01], seed 000\""

static const char quiz_csv[] =
    QUIZ_HEADER
    "m1-a-q1,m1-a,1,single,Pick one,red | green | blue,2,,,,Because.," SOURCE "\n"
    "m1-a-q2,m1-a,2,multiple,Pick two,a | b | c,\"1,3\",,,,Because.," SOURCE "\n"
    "m1-a-q3,m1-a,3,truefalse,True?,,true,,,,Because.," SOURCE "\n"
    "m1-a-q4,m1-a,4,short,Name it,,\\bfalse\\s+positives?\\b,,false positive,"
    "true positive | false negative | a positive that is not false,Because.," SOURCE "\n"
    "m1-b-q1,m1-b,1,numeric,How many?,,0.75,5%,,,Because.," SOURCE "\n";

/* A recap of module m1, as content/README.md asks: key points pointing
 * back to the lessons, a Source paragraph per section. */
static char *recap_text(const char *module)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "---\nmodule: %s\ntitle: What module %s said\nsources: podcast\n---\n\n"
		       "## Key points\n\n",
		  module, module);
	for (int i = 0; i < 10; i++)
		sb_puts(&sb, "- A model learns from labelled examples, and precision is one of its "
			     "scores ([see lesson A](lesson:m1-a#section-2)).\n");
	sb_puts(&sb, "\nSource: podcast [00:19:35], seed 000.\n");
	return sb_steal(&sb);
}

static void write_good_course(const char *dir)
{
	char *sub = xasprintf("%s/lessons", dir);
	mkdir(sub, 0755);
	free(sub);
	sub = xasprintf("%s/quiz", dir);
	mkdir(sub, 0755);
	free(sub);
	sub = xasprintf("%s/recaps", dir);
	mkdir(sub, 0755);
	free(sub);
	char *recap = recap_text("m1");
	test_write_file(dir, "recaps/m1.md", recap);
	free(recap);
	test_write_file(dir, "modules.csv", "id,order,title,summary\nm1,1,Module one,\"Sum, mary\"\n");
	char *a = lesson_text("m1-a", "m1", 1), *b = lesson_text("m1-b", "m1", 2);
	test_write_file(dir, "lessons/m1-01-a.md", a);
	test_write_file(dir, "lessons/m1-02-b.md", b);
	free(a);
	free(b);
	test_write_file(dir, "quiz/m1.csv", quiz_csv);
	test_write_file(dir, "glossary.csv",
			"term,aliases,definition,lessons,source\n"
			"precision,,Share of flagged items that were right.,m1-a m1-b,x\n");
	test_write_file(dir, "estimation.csv",
			"id,question,unit,answer,low,high,difficulty,tags,target_seconds,lesson,source\n"
			"est-dogs,How much dog food?,kg,9.9e9,3e9,3e10,medium,market-size,300,m1-b,app\n");
	test_write_file(dir, "estimation_steps.csv",
			"question,order,name,expression,unit,source\n"
			"est-dogs,1,dogs,90M,dogs,AVMA\n"
			"est-dogs,2,kg_day,0.3,kg,assumption\n"
			"est-dogs,3,total,dogs * kg_day * 365 + 45M,kg,derived\n");
	test_write_file(dir, "interview.csv",
			"id,type,question,model_outline,target_seconds,lesson,source\n"
			"iq-a,strategy,Self-driving cars?,- mission,600,m1-a,app\n");
	test_write_file(dir, "rubric.csv",
			"question,order,point,hint\niq-a,1,Mission,\\bmission\\b\n");
	test_write_file(dir, "frameworks.csv",
			"type,order,step,detail,source\nstrategy,1,Mission,,S3\n");
}

static bool has_problem(const struct content_report *r, const char *file_suffix, int line,
			const char *fragment)
{
	for (size_t i = 0; i < r->count; i++) {
		const char *f = r->items[i].file;
		size_t fl = strlen(f), sl = strlen(file_suffix);
		if (fl >= sl && !strcmp(f + fl - sl, file_suffix) &&
		    (line < 0 || r->items[i].line == line) && strstr(r->items[i].message, fragment))
			return true;
	}
	return false;
}

static void print_report(const struct content_report *r)
{
	content_report_print(r, stderr);
}

static void test_good_course_loads_clean(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	struct course_files files;
	struct content_report report = {0};
	int problems = content_load(dir, &files, &report);
	print_report(&report);
	assert_int_equal(problems, 0);
	struct content_counts c;
	content_count(&files, &c);
	assert_int_equal(c.modules, 1);
	assert_int_equal(c.lessons, 2);
	assert_int_equal(c.questions, 5);
	assert_int_equal(c.glossary, 1);
	assert_int_equal(c.estimation, 1);
	assert_int_equal(c.interview, 1);
	assert_true(files.lessons[0].words >= 400);
	course_files_free(&files);
	content_report_free(&report);
	test_remove_tree(dir);
	free(dir);
}

static void test_broken_files_are_reported_and_skipped(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	/* Unterminated quote on line 3 of a second quiz file. */
	test_write_file(dir, "quiz/broken.csv",
			"id,lesson,order,kind,prompt,choices,answer,tolerance,model_answer,reject,"
			"explanation,source\n"
			"m1-b-q2,m1-b,2,truefalse,Ok?,,false,,,,Fine.,x\n"
			"m1-b-q3,m1-b,3,truefalse,\"Broken,,true,,,,x,x\n");
	/* Bad rows: an answer out of range, a pattern that does not compile, an
	 * unknown lesson, a pattern that accepts its wrong answer. */
	test_write_file(dir, "quiz/bad-rows.csv",
			"id,lesson,order,kind,prompt,choices,answer,tolerance,model_answer,reject,"
			"explanation,source\n"
			"m1-b-q4,m1-b,4,single,Pick,a | b,3,,,,Because.,x\n"
			"m1-b-q5,m1-b,5,short,Name,,(unclosed,,x,y,Because.,x\n"
			"m1-b-q6,m9-none,1,truefalse,T?,,true,,,,Because.,x\n"
			"m1-b-q7,m1-b,7,short,Name,,.*,,x,anything | nothing | else,Because.,x\n"
			"m1-b-q8,m1-b,8,numeric,N?,,12abc,,,,Because.,x\n");
	test_write_file(dir, "lessons/m1-03-nofront.md", "# No front matter\n\nText.\n");
	char *bad_module = lesson_text("m1-c", "m7", 3);
	test_write_file(dir, "lessons/m1-04-badmodule.md", bad_module);
	free(bad_module);
	test_write_file(dir, "lessons/m1-05-short.md",
			"---\nid: m1-d\ntitle: D\nmodule: m1\norder: 4\nsources: x\n---\n\nShort.\n");
	test_write_file(dir, "rubric.csv", "question,point\niq-a,Mission\n");

	struct course_files files;
	struct content_report report = {0};
	int problems = content_load(dir, &files, &report);
	print_report(&report);
	assert_true(problems >= 8);
	assert_true(has_problem(&report, "quiz/broken.csv", 3, "a quote opens a field here and is "
								"never closed"));
	assert_true(has_problem(&report, "quiz/bad-rows.csv", 2, "answer '3'"));
	assert_true(has_problem(&report, "quiz/bad-rows.csv", 3, "does not compile"));
	assert_true(has_problem(&report, "quiz/bad-rows.csv", 4, "lesson 'm9-none' does not exist"));
	assert_true(has_problem(&report, "quiz/bad-rows.csv", 5, "accepts the wrong answer 'anything'"));
	assert_true(has_problem(&report, "quiz/bad-rows.csv", 6, "plain number"));
	assert_true(has_problem(&report, "lessons/m1-03-nofront.md", 1, "front matter"));
	assert_true(has_problem(&report, "lessons/m1-04-badmodule.md", -1, "module 'm7'"));
	assert_true(has_problem(&report, "lessons/m1-05-short.md", 8, "has 1 words"));
	assert_true(has_problem(&report, "lessons/m1-05-short.md", 8, "cites no source"));
	assert_true(has_problem(&report, "rubric.csv", 1, "missing column 'order'"));
	/* The rest still loads. */
	struct content_counts c;
	content_count(&files, &c);
	assert_int_equal(c.lessons, 2);
	assert_int_equal(c.questions, 5);
	course_files_free(&files);
	content_report_free(&report);
	test_remove_tree(dir);
	free(dir);
}

/* Files that used to hang the check (a FIFO), exhaust memory (a lesson
 * linked to /dev/zero), pass a prompt cut at a NUL byte, or take UTF-16
 * for garbage: each is one problem naming the file, the rest loads. */
static void test_hostile_course_files(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	char *fifo = xasprintf("%s/lessons/m1-06-fifo.md", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	char *zero = xasprintf("%s/lessons/m1-07-zero.md", dir);
	assert_int_equal(symlink("/dev/zero", zero), 0);
	char *wide = xasprintf("%s/lessons/m1-08-wide.md", dir);
	FILE *f = fopen(wide, "wb");
	fwrite("\xff\xfe-\0-\0-\0\n\0", 1, 10, f);
	fclose(f);
	char *nul = xasprintf("%s/quiz/nul.csv", dir);
	static const char nul_quiz[] =
	    "id,lesson,order,kind,prompt,choices,answer,tolerance,model_answer,reject,"
	    "explanation,source\n"
	    "m1-b-q9,m1-b,9,truefalse,Is it cut\0 here?,,true,,,,Because.,x\n";
	f = fopen(nul, "wb");
	fwrite(nul_quiz, 1, sizeof nul_quiz - 1, f);
	fclose(f);
	/* a short answer whose pattern hits PCRE2's limits on its own model */
	test_write_file(dir, "quiz/complex.csv",
			"id,lesson,order,kind,prompt,choices,answer,tolerance,model_answer,reject,"
			"explanation,source\n"
			"m1-b-q8,m1-b,8,short,Name,,^(?:(a+)+b|a)$,,"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac,b,Because.,x\n");
	alarm(20); /* a hang on the FIFO fails the test */
	struct course_files files;
	struct content_report report = {0};
	content_load(dir, &files, &report);
	alarm(0);
	print_report(&report);
	assert_true(has_problem(&report, "lessons/m1-06-fifo.md", 0, "not a regular file (a FIFO)"));
	assert_true(has_problem(&report, "lessons/m1-07-zero.md", 0,
				"not a regular file (a device)"));
	assert_true(has_problem(&report, "lessons/m1-08-wide.md", 0, "this is UTF-16 text"));
	assert_true(has_problem(&report, "quiz/nul.csv", 2, "column 35: a NUL byte"));
	assert_true(has_problem(&report, "quiz/complex.csv", 2, "the answer pattern is too complex"));
	struct content_counts c;
	content_count(&files, &c);
	assert_int_equal(c.lessons, 2);
	course_files_free(&files);
	content_report_free(&report);
	/* the change check reads them the same way, without hanging */
	char hash[17];
	alarm(20);
	assert_int_equal(content_hash(dir, hash), 0);
	alarm(0);
	free(fifo);
	free(zero);
	free(wide);
	free(nul);
	test_remove_tree(dir);
	free(dir);
}

static void test_wrong_decomposition_is_reported(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	test_write_file(dir, "estimation_steps.csv",
			"question,order,name,expression,unit,source\n"
			"est-dogs,1,dogs,90M,dogs,AVMA\n"
			"est-dogs,2,total,dogs * kg_dya,kg,derived\n");
	struct course_files files;
	struct content_report report = {0};
	content_load(dir, &files, &report);
	print_report(&report);
	assert_true(has_problem(&report, "estimation_steps.csv", 3, "kg_dya"));
	assert_true(has_problem(&report, "estimation.csv", 2, "decomposition"));
	course_files_free(&files);
	content_report_free(&report);
	test_remove_tree(dir);
	free(dir);
}

/* An estimation question's lesson is a link like a quiz question's: one
 * to no lesson refuses the question, and its steps with it. */
static void test_estimation_lesson_must_exist(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	test_write_file(dir, "estimation.csv",
			"id,question,unit,answer,low,high,difficulty,tags,target_seconds,lesson,source\n"
			"est-dogs,How much dog food?,kg,9.9e9,3e9,3e10,medium,market-size,300,m9-x,app\n");
	struct course_files files;
	struct content_report report = {0};
	content_load(dir, &files, &report);
	print_report(&report);
	assert_true(has_problem(&report, "estimation.csv", 2, "lesson 'm9-x' does not exist"));
	assert_true(has_problem(&report, "estimation_steps.csv", 2, "'est-dogs' does not exist"));
	course_files_free(&files);
	content_report_free(&report);
	test_remove_tree(dir);
	free(dir);
}

static int count_rows(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static void test_import_is_hash_driven_and_keeps_progress(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *content = xasprintf("%s/content", dir);
	mkdir(content, 0755);
	write_good_course(content);
	char *path = xasprintf("%s/db/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	struct content_report report = {0};
	bool imported;
	assert_int_equal(content_import(st, content, false, &report, &imported, err, sizeof err),
			 STORE_OK);
	assert_true(imported);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM lessons"), 2);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM quiz_questions"), 5);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM glossary_lessons"), 2);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM estimation_steps"), 3);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM estimation_questions"
					" WHERE lesson_id = 'm1-b'"), 1);

	struct learner l;
	assert_int_equal(store_learner_create(st, "Ana", &l), STORE_OK);
	char *sql = xasprintf("INSERT INTO lesson_progress (learner_id, lesson_id, block, opened_at,"
			      " updated_at) VALUES (%lld, 'm1-a', 7, 1, 1)",
			      (long long)l.id);
	assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);

	assert_int_equal(content_import(st, content, false, &report, &imported, err, sizeof err),
			 STORE_OK);
	assert_false(imported);

	/* An edit changes the hash: re-imported, progress untouched. */
	test_write_file(content, "modules.csv", "id,order,title,summary\nm1,1,Module One (new),x\n");
	assert_int_equal(content_import(st, content, false, &report, &imported, err, sizeof err),
			 STORE_OK);
	assert_true(imported);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM modules WHERE title = 'Module One (new)'"), 1);
	assert_int_equal(count_rows(st, "SELECT block FROM lesson_progress WHERE lesson_id = 'm1-a'"), 7);

	/* Problems of the last import come back on the next start. */
	test_write_file(content, "quiz/extra.csv", "id,lesson\nbroken\n");
	content_report_free(&report);
	assert_int_equal(content_import(st, content, false, &report, &imported, err, sizeof err),
			 STORE_OK);
	assert_true(report.count > 0);
	size_t first_count = report.count;
	content_report_free(&report);
	assert_int_equal(content_import(st, content, false, &report, &imported, err, sizeof err),
			 STORE_OK);
	assert_false(imported);
	assert_int_equal(report.count, first_count);
	content_report_free(&report);
	store_close(st);
	free(path);
	free(content);
	test_remove_tree(dir);
	free(dir);
}

/* Found by tests/fuzz/fuzz_content_csv: rows the checks passed but the
 * store's primary keys refused (a repeated order in a list of steps,
 * points or framework steps, "01" and "1" alike), and the steps of a
 * question refused for its decomposition, failed the whole import. They are
 * now refused one by one and the rest imports. */
static void test_rows_the_store_would_refuse_are_refused_first(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	test_write_file(dir, "estimation.csv",
			"id,question,unit,answer,low,high,difficulty,tags,target_seconds,source\n"
			"est-dogs,How much dog food?,kg,9.9e9,3e9,3e10,medium,market-size,300,app\n"
			"est-off,Off by far?,kg,100,10,1000,easy,,,\n");
	test_write_file(dir, "estimation_steps.csv",
			"question,order,name,expression,unit,source\n"
			"est-dogs,1,dogs,90M,dogs,AVMA\n"
			"est-dogs,2,kg_day,0.3,kg,assumption\n"
			"est-dogs,3,total,dogs * kg_day * 365 + 45M,kg,derived\n"
			"est-dogs,03,again,1,,\n"
			"est-off,1,x,5,,\n");
	test_write_file(dir, "rubric.csv",
			"question,order,point,hint\niq-a,1,Mission,\\bmission\\b\niq-a,1,Again,\n");
	test_write_file(dir, "frameworks.csv",
			"type,order,step,detail,source\nstrategy,1,Mission,,S3\nstrategy,1,Again,,\n");
	struct course_files files;
	struct content_report report = {0};
	content_load(dir, &files, &report);
	print_report(&report);
	assert_true(has_problem(&report, "estimation_steps.csv", 5, "duplicate order 3"));
	assert_true(has_problem(&report, "estimation_steps.csv", 6, "'est-off' was refused"));
	assert_true(has_problem(&report, "rubric.csv", 3, "duplicate order 1"));
	assert_true(has_problem(&report, "frameworks.csv", 3, "duplicate order 1"));
	course_files_free(&files);
	content_report_free(&report);

	char *path = xasprintf("%s/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	bool imported;
	assert_int_equal(content_import(st, dir, false, &report, &imported, err, sizeof err),
			 STORE_OK);
	assert_true(imported);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM estimation_steps"), 3);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM rubric_points"), 1);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM lessons"), 2);
	content_report_free(&report);
	store_close(st);
	free(path);
	test_remove_tree(dir);
	free(dir);
}


/* ---- issue 16: the checks that keep the course honest ------------------- */

static struct content_report load_dir(const char *dir, struct course_files *files)
{
	struct content_report report = {0};
	content_load(dir, files, &report);
	print_report(&report);
	return report;
}

/* 24 single-choice questions answered at position 2, 12 true/false ones
 * all false: the bank is refused at the first question of each skew. */
static void test_skewed_bank_is_refused(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, QUIZ_HEADER);
	for (int i = 1; i <= 24; i++)
		sb_printf(&sb, "m1-b-s%d,m1-b,%d,single,Pick,a | b | c | d,%d,,,,Why.," SOURCE "\n", i,
			  i + 1, i <= 20 ? 2 : i == 22 ? 4 : i - 20);
	for (int i = 1; i <= 12; i++)
		sb_printf(&sb, "m1-b-t%d,m1-b,%d,truefalse,True?,,false,,,,Why.," SOURCE "\n", i, i + 30);
	test_write_file(dir, "quiz/skewed.csv", sb.data);
	sb_free(&sb);
	struct course_files files;
	struct content_report report = load_dir(dir, &files);
	/* Position 2 holds 21 of 25 (with the good course's own question). */
	assert_true(has_problem(&report, "quiz/m1.csv", 2, "position 2 is right in 21 of the 25"));
	assert_true(has_problem(&report, "quiz/skewed.csv", 26, "1 of 13 are true"));
	course_files_free(&files);
	content_report_free(&report);

	/* Spread out (6 at each position, 7 true of 13): accepted. */
	sb_init(&sb);
	sb_puts(&sb, QUIZ_HEADER);
	for (int i = 1; i <= 24; i++)
		sb_printf(&sb, "m1-b-s%d,m1-b,%d,single,Pick,a | b | c | d,%d,,,,Why.," SOURCE "\n", i,
			  i + 1, (i - 1) % 4 + 1);
	for (int i = 1; i <= 12; i++)
		sb_printf(&sb, "m1-b-t%d,m1-b,%d,truefalse,True?,,%s,,,,Why.," SOURCE "\n", i, i + 30,
			  i <= 6 ? "true" : "false");
	test_write_file(dir, "quiz/skewed.csv", sb.data);
	sb_free(&sb);
	report = load_dir(dir, &files);
	assert_int_equal(report.count, 0);
	course_files_free(&files);
	content_report_free(&report);
	test_remove_tree(dir);
	free(dir);
}

/* A short answer needs three wrong answers, and its pattern is tried on
 * each of them; quiz sources name their seed file. */
static void test_short_answers_are_tried_on_every_reject(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	test_write_file(dir, "quiz/short.csv",
			QUIZ_HEADER
			"m1-b-q2,m1-b,2,short,Who?,,\\bPM\\b,,The PM,ChatGPT | the engineers,Why.," SOURCE "\n"
			"m1-b-q3,m1-b,3,short,Who?,,\\bPM\\b,,The PM,\"ChatGPT | the data team | ChatGPT, "
			"not the PM\",Why.," SOURCE "\n"
			"m1-b-q4,m1-b,4,short,Who?,,^the PM$,,The PM,\"ChatGPT | the data team | ChatGPT, "
			"not the PM\",Why.," SOURCE "\n"
			"m1-b-q5,m1-b,5,truefalse,True?,,true,,,,Why.,Session 3 00:01:00\n"
			"m1-b-q6,m1-b,6,truefalse,True?,,true,,,,Why.,\"Session 3 00:01:00, seed 001\"\n");
	struct course_files files;
	struct content_report report = load_dir(dir, &files);
	assert_true(has_problem(&report, "quiz/short.csv", 2, "at least 3 wrong answers"));
	assert_true(has_problem(&report, "quiz/short.csv", 3,
				"accepts the wrong answer 'ChatGPT, not the PM'"));
	assert_false(has_problem(&report, "quiz/short.csv", 4, ""));
	assert_true(has_problem(&report, "quiz/short.csv", 5, "names no seed file"));
	assert_true(has_problem(&report, "quiz/short.csv", 6, "does not name seed 003"));
	struct content_counts c;
	content_count(&files, &c);
	assert_int_equal(c.questions, 6);
	course_files_free(&files);
	content_report_free(&report);
	test_remove_tree(dir);
	free(dir);
}

static char *lesson_with(const char *id, int order, const char *extra)
{
	char *base = lesson_text(id, "m1", order);
	char *text = xasprintf("%s%s", base, extra);
	free(base);
	return text;
}

static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	assert_non_null(at);
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Every Source paragraph names a seed file, exactly as content/README.md
 * says: the problem points at the paragraph's line. */
static void test_source_paragraphs_name_a_seed(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	char *text = lesson_with("m1-c", 3,
				 "## Sessions\n\nText.\n\nSources: Session 3 00:50:24-00:50:59,\n"
				 "00:52:35.\n\n## Seeds\n\nText.\n\nSource: podcast [00:01:00], "
				 "seed 007.\n\n## Fine\n\nText.\n\nSources: podcast [00:18:02], seeds "
				 "001\nand 002; Session 3 00:01:00, seed 003.\n");
	test_write_file(dir, "lessons/m1-03-c.md", text);
	struct course_files files;
	struct content_report report = load_dir(dir, &files);
	assert_true(has_problem(&report, "lessons/m1-03-c.md", line_of(text, "Sources: Session 3"),
				"names no seed file"));
	assert_true(has_problem(&report, "lessons/m1-03-c.md", line_of(text, "Source: podcast [00:01"),
				"does not exist"));
	assert_int_equal(report.count, 2);
	assert_null(content_citation_problem("podcast [00:18:02], seeds 001 and 002"));
	assert_null(content_citation_problem("\"AI Strategy\" talk (05:40), seed\n003."));
	assert_non_null(content_citation_problem("podcast [00:18:02], seed 003"));
	course_files_free(&files);
	content_report_free(&report);
	free(text);
	test_remove_tree(dir);
	free(dir);
}

/* Try-it blocks are checked against the course: each problem at its line. */
static void test_try_blocks_are_checked(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	char *sub = xasprintf("%s/datasets", dir);
	mkdir(sub, 0755);
	free(sub);
	test_write_file(dir, "datasets/reviews.csv", "review,sentiment\nGood,positive\nBad,negative\n");
	test_write_file(dir, "datasets/stages.csv", "stage,count\nAware,100\nPaid,4\n");
	test_write_file(dir, "datasets/events.csv", "user_id,event,timestamp\nu1,install,2026-07-01\n");
	char *text = lesson_with(
	    "m1-c", 3,
	    "## Practice\n\nText.\n\n"
	    "```try\naction: lab\nlabel: Train it\ndata: datasets/reviews.csv\nbalanced: 1000\n"
	    "model: logreg\nngrams: 2\nrun: evaluate\n```\n\n"
	    "```try\naction: lab\nlabel: No file\ndata: datasets/missing.csv\n```\n\n"
	    "```try\naction: lab\nlabel: Bad model\ndata: datasets/reviews.csv\nmodel: svm\n```\n\n"
	    "```try\naction: juggle\nlabel: What?\n```\n\n"
	    "```try\naction: funnel\nlabel: Stages\ndata: datasets/stages.csv\nwindow: 7d\n```\n\n"
	    "```try\naction: funnel\nlabel: Signups\ndata: datasets/events.csv\nsteps: install,signup\n"
	    "window: 1d\nfrom: 2026-07-10\nto: 2026-07-20\nby: platform\n```\n\n"
	    "```try\naction: funnel\nlabel: No steps\ndata: datasets/events.csv\n```\n\n"
	    "```try\naction: drill\nlabel: Estimate\nquestion: est-dogs\n```\n\n"
	    "```try\naction: drill\nlabel: Unknown\nquestion: est-cats\n```\n\n"
	    "```try\naction: drill\nlabel: A type\ntype: strategy\ncolour: red\n```\n\n"
	    "```try\naction: quiz\nlabel: Module quiz\nscope: m1\n```\n\n"
	    "```try\naction: quiz\nlabel: No module\nscope: m9\n```\n\n"
	    "Source: podcast [00:19:35], seed 000.\n");
	test_write_file(dir, "lessons/m1-03-c.md", text);
	struct course_files files;
	struct content_report report = load_dir(dir, &files);
	const char *f = "lessons/m1-03-c.md";
	assert_true(has_problem(&report, f, line_of(text, "data: datasets/missing.csv"),
				"'datasets/missing.csv' is not in the content folder"));
	assert_true(has_problem(&report, f, line_of(text, "model: svm"), "logreg or nb"));
	assert_true(has_problem(&report, f, line_of(text, "action: juggle"), "not 'juggle'"));
	assert_true(has_problem(&report, f, line_of(text, "window: 7d\n```\n\n```try\naction: funnel\nlabel: Signups"),
				"stage,count file"));
	assert_true(has_problem(&report, f, line_of(text, "data: datasets/events.csv\n```"),
				"needs 'steps'"));
	assert_true(has_problem(&report, f, line_of(text, "question: est-cats"), "est-cats"));
	assert_true(has_problem(&report, f, line_of(text, "colour: red"), "'colour' is not a key"));
	assert_true(has_problem(&report, f, line_of(text, "scope: m9"), "scope 'm9'"));
	assert_int_equal(report.count, 8);
	/* The good blocks were found and would be imported with the lesson,
	 * but a lesson with a broken block is refused. */
	assert_int_equal(files.lessons[2].ntries, 12);
	assert_false(files.lessons[2].ok);
	course_files_free(&files);
	content_report_free(&report);
	free(text);
	test_remove_tree(dir);
	free(dir);
}

/* lesson:<id> and lesson:<id>#<heading> lead somewhere, in lessons and
 * recaps; every module has a recap. */
static void test_cross_references_and_recaps(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	char *text = lesson_with("m1-c", 3,
				 "## Links\n\nSee [A](lesson:m1-a), [its section](lesson:m1-a#section-3),\n"
				 "[nowhere](lesson:m1-zz) and [no heading](lesson:m1-b#no-such).\n\n"
				 "Source: podcast [00:19:35], seed 000.\n");
	test_write_file(dir, "lessons/m1-03-c.md", text);
	test_write_file(dir, "modules.csv", "id,order,title,summary\nm1,1,One,\nm2,2,Two,\n");
	test_write_file(dir, "recaps/m1.md",
			"---\nmodule: m1\ntitle: T\nsources: x\n---\n\n## No link\n\nToo short.\n\n"
			"Source: podcast [00:00:01], seed 000.\n");
	struct course_files files;
	struct content_report report = load_dir(dir, &files);
	const char *f = "lessons/m1-03-c.md";
	assert_true(has_problem(&report, f, line_of(text, "[nowhere]"), "lesson 'm1-zz' leads nowhere"));
	assert_true(has_problem(&report, f, line_of(text, "[no heading]"), "no heading '#no-such'"));
	assert_true(has_problem(&report, "recaps/m1.md", 7, "refers to no lesson"));
	assert_true(has_problem(&report, "recaps/m1.md", 6, "the recap has 9 words"));
	assert_true(has_problem(&report, "modules.csv", 3, "module 'm2' has no recap"));
	assert_int_equal(report.count, 5);
	course_files_free(&files);
	content_report_free(&report);
	free(text);
	test_remove_tree(dir);
	free(dir);
}

/* A glossary link to a lesson that never uses the term is refused (and
 * not imported); a term used in at least half of the lessons is common. */
static void test_glossary_links_need_the_term(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	write_good_course(dir);
	test_write_file(dir, "glossary.csv",
			"term,aliases,definition,lessons,source\n"
			"precision,,Share right.,m1-a m1-b,x\n"
			"recall,true positive rate,Share found.,m1-a,x\n"
			"labelled examples,labeled examples,Data with answers.,m1-b,x\n");
	struct course_files files;
	struct content_report report = load_dir(dir, &files);
	assert_true(has_problem(&report, "glossary.csv", 3,
				"term 'recall' links to lesson 'm1-a', which does not use it"));
	assert_int_equal(report.count, 1);
	assert_int_equal(files.ncommon, 2); /* precision and labelled examples: both lessons */
	course_files_free(&files);
	content_report_free(&report);

	char *path = xasprintf("%s/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	bool imported;
	assert_int_equal(content_import(st, dir, false, &report, &imported, err, sizeof err), STORE_OK);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM glossary_lessons WHERE term = 'recall'"), 0);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM glossary_lessons"), 3);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM glossary WHERE common"), 2);
	assert_int_equal(count_rows(st, "SELECT COUNT(*) FROM recaps WHERE module_id = 'm1'"), 1);
	content_report_free(&report);
	store_close(st);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_course_loads_clean),
		cmocka_unit_test(test_broken_files_are_reported_and_skipped),
		cmocka_unit_test(test_hostile_course_files),
		cmocka_unit_test(test_wrong_decomposition_is_reported),
		cmocka_unit_test(test_estimation_lesson_must_exist),
		cmocka_unit_test(test_import_is_hash_driven_and_keeps_progress),
		cmocka_unit_test(test_rows_the_store_would_refuse_are_refused_first),
		cmocka_unit_test(test_skewed_bank_is_refused),
		cmocka_unit_test(test_short_answers_are_tried_on_every_reject),
		cmocka_unit_test(test_source_paragraphs_name_a_seed),
		cmocka_unit_test(test_try_blocks_are_checked),
		cmocka_unit_test(test_cross_references_and_recaps),
		cmocka_unit_test(test_glossary_links_need_the_term),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
