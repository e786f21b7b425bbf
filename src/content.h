/* The content pipeline: reads a content folder (lessons as Markdown with a
 * front matter block, everything else as CSV), checks it, and imports it
 * into the store when its hash has changed. Problems are collected as
 * `file:line: message`; a bad row or file is skipped, the rest still loads. */
#ifndef AIPM_CONTENT_H
#define AIPM_CONTENT_H

#include "csvio.h"
#include "store.h"

#include <stdbool.h>
#include <stdio.h>

struct content_problem {
	char *file;
	int line;
	char *message;
};

struct content_report {
	struct content_problem *items;
	size_t count, cap;
};

void content_report_add(struct content_report *r, const char *file, int line, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));
void content_report_print(const struct content_report *r, FILE *out);
void content_report_free(struct content_report *r);

/* The course's seed files, which lessons cite as "seed 003" or "003 ...":
 * the i-th id and what the file is (for a legend); NULL past the last. */
const char *content_seed(size_t i, const char **description);

/* A Try-it block's text as found in a lesson (checked by content_check,
 * which knows the banks and the files). */
struct lesson_try {
	char *text;
	int line; /* of the file: the block's first line of text */
};

/* A lesson cross-reference, `lesson:<id>` or `lesson:<id>#<heading slug>`. */
struct lesson_ref {
	char *target; /* without "lesson:" */
	int line;
};

/* A lesson, or a module's recap (recap set: id is then the module's id
 * and order 0). */
struct lesson_doc {
	char *file;
	char *id, *title, *module, *sources;
	int order, pass_mark;
	char *body;
	int body_line; /* line of the file where the body starts */
	int words;
	bool recap;
	struct lesson_try *tries;
	size_t ntries, captries;
	struct lesson_ref *refs;
	size_t nrefs, caprefs;
	char **headings; /* the slugs of its headings (md_heading_slug) */
	size_t nheadings, capheadings;
	bool ok;
};

enum content_kind {
	CONTENT_MODULES,
	CONTENT_QUIZ,
	CONTENT_GLOSSARY,
	CONTENT_ESTIMATION,
	CONTENT_ESTIMATION_STEPS,
	CONTENT_INTERVIEW,
	CONTENT_RUBRIC,
	CONTENT_FRAMEWORKS,
	CONTENT_KIND_COUNT
};

struct content_table {
	struct csvio_table csv;
	bool *row_ok;
};

struct course_files {
	char *dir;
	struct content_table *tables[CONTENT_KIND_COUNT];
	size_t ntables[CONTENT_KIND_COUNT], captables[CONTENT_KIND_COUNT];
	struct lesson_doc *lessons;
	size_t nlessons, caplessons;
	struct lesson_doc *recaps;
	size_t nrecaps, caprecaps;
	/* Found by content_check: the glossary terms used in at least half of
	 * the lessons (linked once per section), and the links of terms to
	 * lessons that do not use them ("term\x1flesson"), left out. */
	char **common_terms;
	size_t ncommon, capcommon;
	char **dropped_links;
	size_t ndropped, capdropped;
	char hash[17];
};

struct content_counts {
	int modules, lessons, questions, glossary, estimation, interview, frameworks;
};

/* Which content folder to use: explicit, then $AIPM_CONTENT, then the
 * installed copy, then the source tree's. Returns a malloc'd path. */
char *content_default_dir(const char *explicit_dir);

/* Reads and checks everything in dir. Always fills files (possibly empty)
 * and returns the number of problems found. */
int content_load(const char *dir, struct course_files *files, struct content_report *report);
void course_files_free(struct course_files *files);

/* content_load's steps from memory, for tests and fuzzing: add files to a
 * zeroed course_files (name is the file problems name; data need not be
 * NUL-terminated), then content_check runs the checks across files (ids,
 * links, answers, patterns, decompositions) and returns the problems it
 * found. */
void content_add_table(struct course_files *files, enum content_kind kind, const char *name,
		       const char *data, size_t len, struct content_report *report);
void content_add_lesson(struct course_files *files, const char *name, const char *data,
			size_t len, struct content_report *report);
void content_add_recap(struct course_files *files, const char *name, const char *data,
		       size_t len, struct content_report *report);
int content_check(struct course_files *files, struct content_report *report);
void content_count(const struct course_files *files, struct content_counts *counts);

/* Hash of every file the importer reads (paths and bytes). */
int content_hash(const char *dir, char out[17]);

/* Imports dir when its hash differs from the one recorded (or force).
 * *imported tells whether an import happened. Problems of the last import
 * are recorded in the store and reloaded into report either way. */
enum store_error content_import(struct store *st, const char *dir, bool force,
				struct content_report *report, bool *imported, char *err,
				size_t errlen);
/* content_import's write: replaces the content tables with the rows and
 * lessons files accepted, in one transaction, recording files' hash and
 * the problems of report from index first. */
enum store_error content_store(struct store *st, struct course_files *files,
			       const struct content_report *report, size_t first, char *err,
			       size_t errlen);

/* The quiz bank's stated bound (content/README.md): once the bank has
 * CONTENT_BOUND_MIN_SINGLE single-choice questions, no answer position
 * holds more than CONTENT_BOUND_POSITION of the questions that have that
 * many options, and every position up to 4 is used; once it has
 * CONTENT_BOUND_MIN_TRUEFALSE true/false questions, the share of "true"
 * is within CONTENT_BOUND_TRUE_LOW..HIGH. A short answer lists at least
 * CONTENT_MIN_REJECTS wrong answers. */
#define CONTENT_BOUND_MIN_SINGLE 20
#define CONTENT_BOUND_POSITION 0.40
#define CONTENT_BOUND_MIN_TRUEFALSE 10
#define CONTENT_BOUND_TRUE_LOW 0.40
#define CONTENT_BOUND_TRUE_HIGH 0.60
#define CONTENT_MIN_REJECTS 3

/* Whether a citation names a seed file: "seed 003", "seeds 001 and 002"
 * (ids 000-004); one that cites a live session must name 003, one that
 * cites the podcast 000, 001, 002 or 004. NULL when it is fine, else why
 * not (a static string). */
const char *content_citation_problem(const char *text);

/* Split "a | b | c" into trimmed, malloc'd parts. */
size_t content_split_choices(const char *s, char ***out);
void content_free_strings(char **v, size_t n);

#endif
