/* libFuzzer target for the course's CSV files (question banks, quizzes,
 * glossary, modules, interview rubrics and frameworks) through the content
 * loader: any bytes must load with problems that name the file and a line
 * inside it, never crash; every row the checks accept must satisfy them
 * (required fields set, numbers parse, keys unique, quiz answers that
 * grade their own model answer) and import into a real store, since one
 * row the database refuses would lose the whole course import.
 *
 * The input is up to eight files separated by form feeds; the first byte
 * picks the kind of the first file and the next files take the following
 * kinds (so an estimation file is followed by its steps, an interview file
 * by its rubric). Two good lessons (m1-a, m1-b) and, unless a file is one,
 * a modules file with m1 are always there for the files to refer to.
 *
 *   tests/fuzz/run.sh 60 content_csv     (builds it with meson -Dfuzz=true, runs it for 60 s) */
#include "pattern.h"
#include "content.h"
#include "store_sql.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const file_names[CONTENT_KIND_COUNT] = {
    [CONTENT_MODULES] = "modules.csv",
    [CONTENT_QUIZ] = "quiz/fuzz.csv",
    [CONTENT_GLOSSARY] = "glossary.csv",
    [CONTENT_ESTIMATION] = "estimation.csv",
    [CONTENT_ESTIMATION_STEPS] = "estimation_steps.csv",
    [CONTENT_INTERVIEW] = "interview.csv",
    [CONTENT_RUBRIC] = "rubric.csv",
    [CONTENT_FRAMEWORKS] = "frameworks.csv",
};

/* The required columns of each kind, as the loader's specs say. */
static const char *const required[CONTENT_KIND_COUNT][8] = {
    [CONTENT_MODULES] = {"id", "order", "title"},
    [CONTENT_QUIZ] = {"id", "lesson", "order", "kind", "prompt", "answer", "explanation",
		      "source"},
    [CONTENT_GLOSSARY] = {"term", "definition"},
    [CONTENT_ESTIMATION] = {"id", "question", "unit", "answer", "low", "high", "difficulty"},
    [CONTENT_ESTIMATION_STEPS] = {"question", "order", "name", "expression"},
    [CONTENT_INTERVIEW] = {"id", "type", "question"},
    [CONTENT_RUBRIC] = {"question", "order", "point"},
    [CONTENT_FRAMEWORKS] = {"type", "order", "step"},
};

static const char modules_csv[] = "id,order,title,summary\nm1,1,Module one,The first\n";

static struct store *store;
static char *store_dir;
static char *lessons[2];

static char *lesson_text(const char *id, int order)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "---\nid: %s\ntitle: Lesson %s\nmodule: m1\norder: %d\n"
		       "sources: podcast [00:00:00]\n---\n\n",
		  id, id, order);
	for (int s = 0; s < 3; s++) {
		sb_printf(&sb, "## Section %d\n\n", s + 1);
		for (int i = 0; i < 20; i++)
			sb_puts(&sb, "A model learns patterns from labelled examples. ");
		sb_puts(&sb, "\n\nSource: podcast [00:19:35].\n\n");
	}
	return sb_steal(&sb);
}

static void remove_store(void)
{
	store_close(store);
	char *cmd = xasprintf("rm -rf '%s'", store_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", store_dir);
	free(cmd);
	free(store_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tmpfs when there is one: each input is a committed import. */
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	store_dir = xasprintf("%s/aipm-fuzz-XXXXXX", base);
	if (!mkdtemp(store_dir))
		return -1;
	char *path = xasprintf("%s/fuzz.db", store_dir);
	char err[512];
	if (store_open(path, &store, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	free(path);
	atexit(remove_store);
	lessons[0] = lesson_text("m1-a", 1);
	lessons[1] = lesson_text("m1-b", 2);
	return 0;
}

static int count_lines(const char *data, size_t size)
{
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	return lines;
}

static bool plain_int(const char *s)
{
	char *end;
	errno = 0;
	strtol(s, &end, 10);
	return !errno && end != s && !*end;
}

/* Every accepted quiz row must grade as its check promised. */
static void check_quiz_row(const struct content_table *t, const struct csvio_row *row)
{
	const char *kind = csvio_field(row, csvio_table_column(&t->csv, "kind"));
	const char *answer = csvio_field(row, csvio_table_column(&t->csv, "answer"));
	if (!strcmp(kind, "short")) {
		const char *model = csvio_field(row, csvio_table_column(&t->csv, "model_answer"));
		const char *wrong = csvio_field(row, csvio_table_column(&t->csv, "reject"));
		if (pattern_check_answer(answer, model) != PATTERN_MATCH ||
		    pattern_check_answer(answer, wrong) != PATTERN_NO_MATCH)
			abort();
	} else if (!strcmp(kind, "truefalse")) {
		if (strcmp(answer, "true") && strcmp(answer, "false"))
			abort();
	} else if (strcmp(kind, "single") && strcmp(kind, "multiple") && strcmp(kind, "numeric")) {
		abort();
	}
}

static void check_tables(const struct course_files *files)
{
	for (int k = 0; k < CONTENT_KIND_COUNT; k++) {
		for (size_t i = 0; i < files->ntables[k]; i++) {
			const struct content_table *t = &files->tables[k][i];
			for (size_t r = 0; r < t->csv.nrows; r++) {
				const struct csvio_row *row = &t->csv.rows[r];
				if (!t->row_ok[r])
					continue;
				if (row->nfields != t->csv.header.nfields)
					abort();
				for (int c = 0; c < 8 && required[k][c]; c++) {
					const char *v =
					    csvio_field(row, csvio_table_column(&t->csv, required[k][c]));
					if (!*v || (!strcmp(required[k][c], "order") && !plain_int(v)))
						abort();
				}
				if (k == CONTENT_QUIZ)
					check_quiz_row(t, row);
			}
		}
	}
}

static int64_t table_rows(const char *table)
{
	char *sql = xasprintf("SELECT COUNT(*) FROM %s", table);
	sqlite3_stmt *stmt = store_prepare(store, sql);
	free(sql);
	if (!stmt || sqlite3_step(stmt) != SQLITE_ROW)
		abort();
	int64_t n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	int first_kind = data[0] % CONTENT_KIND_COUNT;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	struct course_files files = {0};
	files.dir = xstrdup("fuzz");
	struct content_report report = {0};
	const char *names[CONTENT_KIND_COUNT + 2];
	int lines[CONTENT_KIND_COUNT + 2];
	size_t nfiles = 0;
	bool own_modules = false;
	for (const char *part = text, *end = text + len; part <= end && nfiles < CONTENT_KIND_COUNT;) {
		const char *ff = memchr(part, '\f', (size_t)(end - part));
		size_t n = ff ? (size_t)(ff - part) : (size_t)(end - part);
		int kind = (first_kind + (int)nfiles) % CONTENT_KIND_COUNT;
		own_modules |= kind == CONTENT_MODULES;
		names[nfiles] = file_names[kind];
		lines[nfiles++] = count_lines(part, n);
		content_add_table(&files, kind, file_names[kind], part, n, &report);
		if (!ff)
			break;
		part = ff + 1;
	}
	if (!own_modules) {
		names[nfiles] = "modules.csv";
		lines[nfiles++] = count_lines(modules_csv, strlen(modules_csv));
		content_add_table(&files, CONTENT_MODULES, "modules.csv", modules_csv,
				  strlen(modules_csv), &report);
	}
	for (int i = 0; i < 2; i++)
		content_add_lesson(&files, i ? "lessons/m1-b.md" : "lessons/m1-a.md", lessons[i],
				   strlen(lessons[i]), &report);
	content_check(&files, &report);

	for (size_t i = 0; i < report.count; i++) {
		const struct content_problem *p = &report.items[i];
		size_t f = 0;
		while (f < nfiles && strcmp(p->file, names[f]))
			f++;
		/* The fixed lessons only fail through a file's module list. */
		if (f == nfiles ? strncmp(p->file, "lessons/", 8) != 0
				: p->line < 0 || p->line > lines[f] + 1)
			abort();
		if (!p->message[0])
			abort();
	}
	check_tables(&files);

	char err[1024];
	if (content_store(store, &files, &report, 0, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "accepted rows did not import: %s\n", err);
		abort();
	}
	struct content_counts c;
	content_count(&files, &c);
	if (table_rows("modules") != c.modules || table_rows("lessons") != c.lessons ||
	    table_rows("quiz_questions") != c.questions || table_rows("glossary") != c.glossary ||
	    table_rows("estimation_questions") != c.estimation ||
	    table_rows("interview_questions") != c.interview ||
	    table_rows("frameworks") != c.frameworks)
		abort();
	content_report_free(&report);
	course_files_free(&files);
	return 0;
}
