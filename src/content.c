#define PCRE2_CODE_UNIT_WIDTH 8
#include "content.h"

#include "pattern.h"
#include "clock.h"
#include "config.h"
#include "expr.h"
#include "fileio.h"
#include "funnel.h"
#include "glossary.h"
#include "lesson.h"
#include "markdown.h"
#include "pattern_limits.h"
#include "sanitize.h"
#include "store_sql.h"
#include "tryit.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <md4c.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Bump when the importer's interpretation of the files changes, so that
 * databases re-import even though the files did not. */
#define CONTENT_FORMAT 2

enum column_type { COL_TEXT, COL_INT, COL_REAL };

struct column_spec {
	const char *name;
	const char *db_column; /* NULL: not stored as such */
	enum column_type type;
	bool required;
	const char *fallback; /* stored when the field is empty */
};

struct table_spec {
	const char *file; /* relative path, or a folder ending in '/' */
	const char *db_table;
	const struct column_spec *cols;
	size_t ncols;
	/* The columns that must be unique together, as the table's primary
	 * key in the store: key alone, or key and order (key2) for the lists
	 * of steps and points; key -1 for none. */
	int key, key2;
};

#define SPEC(name, file, table, key, key2) \
	{file, table, name, sizeof name / sizeof name[0], key, key2}

static const struct column_spec module_cols[] = {
	{"id", "id", COL_TEXT, true, NULL},
	{"order", "ord", COL_INT, true, NULL},
	{"title", "title", COL_TEXT, true, NULL},
	{"summary", "summary", COL_TEXT, false, ""},
};
static const struct column_spec quiz_cols[] = {
	{"id", "id", COL_TEXT, true, NULL},
	{"lesson", "lesson_id", COL_TEXT, true, NULL},
	{"order", "ord", COL_INT, true, NULL},
	{"kind", "kind", COL_TEXT, true, NULL},
	{"prompt", "prompt", COL_TEXT, true, NULL},
	{"choices", "choices", COL_TEXT, false, ""},
	{"answer", "answer", COL_TEXT, true, NULL},
	{"tolerance", "tolerance", COL_TEXT, false, ""},
	{"model_answer", "model_answer", COL_TEXT, false, ""},
	{"reject", "reject", COL_TEXT, false, ""},
	{"explanation", "explanation", COL_TEXT, true, NULL},
	{"source", "source", COL_TEXT, true, NULL},
};
static const struct column_spec glossary_cols[] = {
	{"term", "term", COL_TEXT, true, NULL},
	{"aliases", "aliases", COL_TEXT, false, ""},
	{"definition", "definition", COL_TEXT, true, NULL},
	{"lessons", NULL, COL_TEXT, false, ""},
	{"source", "source", COL_TEXT, false, ""},
};
static const struct column_spec estimation_cols[] = {
	{"id", "id", COL_TEXT, true, NULL},
	{"question", "question", COL_TEXT, true, NULL},
	{"unit", "unit", COL_TEXT, true, NULL},
	{"answer", "answer", COL_REAL, true, NULL},
	{"low", "low", COL_REAL, true, NULL},
	{"high", "high", COL_REAL, true, NULL},
	{"difficulty", "difficulty", COL_TEXT, true, NULL},
	{"tags", "tags", COL_TEXT, false, ""},
	{"target_seconds", "target_seconds", COL_INT, false, "300"},
	{"lesson", "lesson_id", COL_TEXT, false, NULL},
	{"source", "source", COL_TEXT, false, ""},
};
static const struct column_spec step_cols[] = {
	{"question", "question_id", COL_TEXT, true, NULL},
	{"order", "ord", COL_INT, true, NULL},
	{"name", "name", COL_TEXT, true, NULL},
	{"expression", "expression", COL_TEXT, true, NULL},
	{"unit", "unit", COL_TEXT, false, ""},
	{"source", "source", COL_TEXT, false, ""},
};
static const struct column_spec interview_cols[] = {
	{"id", "id", COL_TEXT, true, NULL},
	{"type", "type", COL_TEXT, true, NULL},
	{"question", "question", COL_TEXT, true, NULL},
	{"model_outline", "model_outline", COL_TEXT, false, ""},
	{"target_seconds", "target_seconds", COL_INT, false, "600"},
	{"lesson", "lesson_id", COL_TEXT, false, NULL},
	{"source", "source", COL_TEXT, false, ""},
};
static const struct column_spec rubric_cols[] = {
	{"question", "question_id", COL_TEXT, true, NULL},
	{"order", "ord", COL_INT, true, NULL},
	{"point", "point", COL_TEXT, true, NULL},
	{"hint", "hint", COL_TEXT, false, ""},
};
static const struct column_spec framework_cols[] = {
	{"type", "type", COL_TEXT, true, NULL},
	{"order", "ord", COL_INT, true, NULL},
	{"step", "step", COL_TEXT, true, NULL},
	{"detail", "detail", COL_TEXT, false, ""},
	{"source", "source", COL_TEXT, false, ""},
};

static const struct table_spec specs[CONTENT_KIND_COUNT] = {
	[CONTENT_MODULES] = SPEC(module_cols, "modules.csv", "modules", 0, -1),
	[CONTENT_QUIZ] = SPEC(quiz_cols, "quiz/", "quiz_questions", 0, -1),
	[CONTENT_GLOSSARY] = SPEC(glossary_cols, "glossary.csv", "glossary", 0, -1),
	[CONTENT_ESTIMATION] =
	    SPEC(estimation_cols, "estimation.csv", "estimation_questions", 0, -1),
	[CONTENT_ESTIMATION_STEPS] =
	    SPEC(step_cols, "estimation_steps.csv", "estimation_steps", 0, 1),
	[CONTENT_INTERVIEW] = SPEC(interview_cols, "interview.csv", "interview_questions", 0, -1),
	[CONTENT_RUBRIC] = SPEC(rubric_cols, "rubric.csv", "rubric_points", 0, 1),
	[CONTENT_FRAMEWORKS] = SPEC(framework_cols, "frameworks.csv", "frameworks", 0, 1),
};

static const char *const interview_types[] = {
    "product_sense", "analytical", "root_cause", "cross_functional",
    "strategy",      "leadership", "behavioral", NULL};

/* ---- problems ---------------------------------------------------------- */

void content_report_add(struct content_report *r, const char *file, int line, const char *fmt,
			...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	struct content_problem p = {xstrdup(file ? file : ""), line, msg ? msg : xstrdup("?")};
	ARRAY_PUSH(r->items, r->count, r->cap, p);
}

void content_report_print(const struct content_report *r, FILE *out)
{
	/* The messages quote the course's files: one line each, no control
	 * character of theirs (sanitize.h). */
	for (size_t i = 0; i < r->count; i++) {
		char *line = r->items[i].line > 0
				 ? xasprintf("%s:%d: %s", r->items[i].file, r->items[i].line,
					     r->items[i].message)
				 : xasprintf("%s: %s", r->items[i].file, r->items[i].message);
		sanitize_fputs(line, SANITIZE_LINE, out);
		fputc('\n', out);
		free(line);
	}
}

/* A file the loader cannot take, with the place its reader gave. */
static void report_at(struct content_report *report, const char *file, struct text_at at,
		      const char *reason)
{
	if (at.column > 0)
		content_report_add(report, file, (int)at.line, "column %ld: %s; skipped",
				   at.column, reason);
	else
		content_report_add(report, file, (int)at.line, "%s; skipped", reason);
}

void content_report_free(struct content_report *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].file);
		free(r->items[i].message);
	}
	free(r->items);
	memset(r, 0, sizeof *r);
}

/* ---- helpers ----------------------------------------------------------- */

char *content_default_dir(const char *explicit_dir)
{
	if (explicit_dir && *explicit_dir)
		return xstrdup(explicit_dir);
	const char *env = getenv("AIPM_CONTENT");
	if (env && *env)
		return xstrdup(env);
	struct stat sb;
	if (stat(AIPM_INSTALLED_CONTENT "/modules.csv", &sb) == 0)
		return xstrdup(AIPM_INSTALLED_CONTENT);
	return xstrdup(AIPM_SOURCE_CONTENT);
}

size_t content_split_choices(const char *s, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!s || !*s)
		return 0;
	const char *p = s;
	for (;;) {
		const char *bar = strstr(p, " | ");
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		char *part = str_trim(xstrndup(p, len));
		ARRAY_PUSH(*out, n, cap, part);
		if (!bar)
			break;
		p = bar + 3;
	}
	return n;
}

void content_free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool parse_int(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}


static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the regular files in dir ending in suffix. */
static size_t list_dir(const char *dir, const char *suffix, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	size_t slen = strlen(suffix);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= slen || strcmp(e->d_name + len - slen, suffix))
			continue;
		char *name = xstrdup(e->d_name);
		ARRAY_PUSH(*out, n, cap, name);
	}
	closedir(d);
	qsort(*out, n, sizeof **out, cmp_str);
	return n;
}

/* Every file the importer reads, relative to dir, in a stable order. */
static size_t import_files(const char *dir, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (int k = 0; k < CONTENT_KIND_COUNT; k++) {
		const char *f = specs[k].file;
		size_t flen = strlen(f);
		if (f[flen - 1] == '/') {
			char *sub = xasprintf("%s/%.*s", dir, (int)(flen - 1), f);
			char **names;
			size_t m = list_dir(sub, ".csv", &names);
			for (size_t i = 0; i < m; i++) {
				char *rel = xasprintf("%s%s", f, names[i]);
				ARRAY_PUSH(*out, n, cap, rel);
			}
			content_free_strings(names, m);
			free(sub);
		} else {
			char *rel = xstrdup(f);
			ARRAY_PUSH(*out, n, cap, rel);
		}
	}
	static const char *const markdown_dirs[] = {"lessons", "recaps", NULL};
	for (int d = 0; markdown_dirs[d]; d++) {
		char *sub = xasprintf("%s/%s", dir, markdown_dirs[d]);
		char **names;
		size_t m = list_dir(sub, ".md", &names);
		for (size_t i = 0; i < m; i++) {
			char *rel = xasprintf("%s/%s", markdown_dirs[d], names[i]);
			ARRAY_PUSH(*out, n, cap, rel);
		}
		content_free_strings(names, m);
		free(sub);
	}
	return n;
}

/* The reader's size limit for a course file (relative to the folder). */
static enum file_kind file_kind_of(const char *rel)
{
	if (str_starts_with(rel, "lessons/") || str_starts_with(rel, "recaps/"))
		return FILE_LESSON;
	return FILE_COURSE_TABLE;
}

int content_hash(const char *dir, char out[17])
{
	uint64_t h = HASH_FNV_INIT;
	int format = CONTENT_FORMAT;
	hash_fnv_add(&h, &format, sizeof format);
	char **files;
	size_t n = import_files(dir, &files);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		size_t len = 0;
		char why[256];
		/* One that cannot be read counts by its name: the import that
		 * follows reports why. */
		char *data = file_read(path, file_kind_of(files[i]), &len, why, sizeof why);
		hash_fnv_add(&h, files[i], strlen(files[i]) + 1);
		if (data) {
			hash_fnv_add(&h, &len, sizeof len);
			hash_fnv_add(&h, data, len);
		}
		free(data);
		free(path);
	}
	content_free_strings(files, n);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return 0;
}

/* ---- lessons ----------------------------------------------------------- */

struct md_scan {
	const char *body, *body_end;
	const char *file;
	int body_line;
	struct content_report *report;
	int words;
	int line_cursor;
	const char *line_pos;
	/* sections */
	int heading_level; /* >0 while inside a heading */
	struct strbuf heading;
	struct strbuf heading_text; /* of any level, for its slug */
	int section_line;
	bool in_section, section_cited, any_citation;
	bool in_paragraph;
	struct strbuf paragraph;
	int paragraph_line;
	bool html_reported;
	struct lesson_doc *doc;
	/* a Try-it block being read */
	bool in_try;
	struct strbuf try_text;
	int try_line;
	/* recaps: whether the current section refers to a lesson */
	bool section_refers;
	int section_start_line;
};

static int scan_line_of(struct md_scan *s, const char *ptr)
{
	/* md4c passes some texts (line breaks, entities) from its own static
	 * strings: only pointers into the body tell a position. */
	if (ptr < s->body || ptr > s->body_end || ptr < s->line_pos)
		return s->line_cursor;
	while (s->line_pos < ptr) {
		if (*s->line_pos == '\n')
			s->line_cursor++;
		s->line_pos++;
	}
	return s->line_cursor;
}

static bool is_citation(const char *text)
{
	while (*text == ' ' || *text == '*' || *text == '_')
		text++;
	return str_starts_with(text, "Source:") || str_starts_with(text, "Sources:");
}

static void close_section(struct md_scan *s)
{
	if (s->in_section && !s->section_cited)
		content_report_add(s->report, s->file, s->section_line,
				   "section \"%s\" has no Source: paragraph",
				   s->heading.data ? s->heading.data : "");
	if (s->in_section && s->doc->recap && !s->section_refers)
		content_report_add(s->report, s->file, s->section_line,
				   "recap section \"%s\" refers to no lesson (a link to lesson:<id>)",
				   s->heading.data ? s->heading.data : "");
	s->in_section = false;
}

/* ---- citations --------------------------------------------------------- */

/* The seed files, as content/README.md names them, and what each is. */
static const char *const seed_ids[] = {"000", "001", "002", "003", "004", NULL};
static const char *const seed_descriptions[] = {
    "notes on a podcast episode with the course's instructor: \"Training and utilizing AI "
    "models in business\"",
    "notes on the same episode: \"AI in product management\"",
    "notes on the same episode: \"Understanding AI models and training processes\"",
    "transcripts of the course's live sessions (\"AI Strategy\", \"Live Model Training\", "
    "\"Session 3\") and its written lesson on AI strategy and vision",
    "notes on the same episode: \"AI integration in product management\"",
};

const char *content_seed(size_t i, const char **description)
{
	if (i >= sizeof seed_descriptions / sizeof seed_descriptions[0])
		return NULL;
	*description = seed_descriptions[i];
	return seed_ids[i];
}
/* Where a live session is cited, and where the podcast is. */
static const char *const session_names[] = {"Session 3", "Live Model Training", "AI Strategy",
					    "Strategy lesson", NULL};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool word_start(const char *text, const char *p)
{
	return p == text || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z'));
}

/* Three digits and no more. */
static bool seed_id_at(const char *p)
{
	return is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && !is_digit(p[3]);
}

const char *content_citation_problem(const char *cited)
{
	bool named[5] = {false};
	bool any = false;
	/* A paragraph's soft line breaks are spaces. */
	char *text = xstrdup(cited);
	for (char *c = text; *c; c++)
		if (*c == '\n' || *c == '\t' || *c == '\r')
			*c = ' ';
	const char *why = NULL;
	for (const char *p = text; (p = strcasestr(p, "seed")); p += 4) {
		if (!word_start(text, p))
			continue;
		const char *q = p + 4;
		if (*q == 's' || *q == 'S')
			q++;
		if (*q != ' ')
			continue;
		while (*q == ' ')
			q++;
		/* "seed 001", "seeds 001, 002 and 004", "seeds 001 & 002" */
		while (seed_id_at(q)) {
			int id = -1;
			for (int i = 0; seed_ids[i]; i++)
				if (!strncmp(q, seed_ids[i], 3))
					id = i;
			if (id < 0) {
				free(text);
				return "names a seed that does not exist (the seed files are 000 to 004)";
			}
			named[id] = any = true;
			q += 3;
			const char *next = q;
			while (*next == ' ' || *next == ',' || *next == '&')
				next++;
			if (!strncmp(next, "and ", 4))
				next += 4;
			while (*next == ' ')
				next++;
			if (!seed_id_at(next))
				break;
			q = next;
		}
	}
	bool session = false;
	for (int i = 0; session_names[i]; i++)
		session |= strstr(text, session_names[i]) != NULL;
	if (!any)
		why = "names no seed file (write its seed: 'seed 000' ... 'seed 004')";
	else if (session && !named[3])
		why = "cites a live session or the written lesson, which are seed 003, but does "
		      "not name seed 003";
	else if (strcasestr(text, "podcast") && !named[0] && !named[1] && !named[2] && !named[4])
		why = "cites the podcast, whose notes are seeds 000, 001, 002 and 004, but names "
		      "none of them";
	free(text);
	return why;
}

static int scan_enter_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	struct md_scan *s = data;
	if (type == MD_BLOCK_H) {
		s->heading_level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
		if (s->heading_level == 2) {
			close_section(s);
			sb_free(&s->heading);
			sb_puts(&s->heading, "");
			s->section_line = 0;
		}
	} else if (type == MD_BLOCK_P) {
		s->in_paragraph = true;
		s->paragraph_line = 0;
		sb_free(&s->paragraph);
		sb_puts(&s->paragraph, "");
	} else if (type == MD_BLOCK_CODE) {
		const MD_BLOCK_CODE_DETAIL *d = detail;
		s->in_try = d->fence_char && d->lang.size == strlen(TRY_INFO) &&
			    !memcmp(d->lang.text, TRY_INFO, d->lang.size);
		sb_free(&s->try_text);
		sb_puts(&s->try_text, "");
		/* The fence's line; the text starts on the next. */
		s->try_line = scan_line_of(s, d->info.text ? d->info.text : s->line_pos) + 1;
	} else if (type == MD_BLOCK_HTML && !s->html_reported) {
		content_report_add(s->report, s->file, s->line_cursor,
				   "raw HTML is not allowed in lessons");
		s->html_reported = true;
	}
	return 0;
}

static int scan_leave_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	(void)detail;
	struct md_scan *s = data;
	if (type == MD_BLOCK_H) {
		if (s->heading_level == 2) {
			s->in_section = true;
			s->section_cited = false;
			s->section_refers = false;
		}
		char *slug = md_heading_slug(s->heading_text.data ? s->heading_text.data : "");
		ARRAY_PUSH(s->doc->headings, s->doc->nheadings, s->doc->capheadings, slug);
		sb_free(&s->heading_text);
		s->heading_level = 0;
	} else if (type == MD_BLOCK_P) {
		s->in_paragraph = false;
		if (s->paragraph.data && is_citation(s->paragraph.data)) {
			s->section_cited = true;
			s->any_citation = true;
			const char *why = content_citation_problem(s->paragraph.data);
			if (why)
				content_report_add(s->report, s->file, s->paragraph_line,
						   "this Source paragraph %s", why);
		}
	} else if (type == MD_BLOCK_CODE && s->in_try) {
		struct lesson_try tr = {xstrdup(s->try_text.data ? s->try_text.data : ""),
					s->try_line};
		ARRAY_PUSH(s->doc->tries, s->doc->ntries, s->doc->captries, tr);
		s->in_try = false;
	}
	return 0;
}

#define LESSON_LINK "lesson:"

static int scan_enter_span(MD_SPANTYPE type, void *detail, void *data)
{
	struct md_scan *s = data;
	if (type != MD_SPAN_A)
		return 0;
	const MD_ATTRIBUTE *href = &((MD_SPAN_A_DETAIL *)detail)->href;
	size_t n = strlen(LESSON_LINK);
	if (href->size < n || memcmp(href->text, LESSON_LINK, n))
		return 0;
	struct lesson_ref ref = {xstrndup(href->text + n, href->size - n),
				 scan_line_of(s, href->text)};
	ARRAY_PUSH(s->doc->refs, s->doc->nrefs, s->doc->caprefs, ref);
	s->section_refers = true;
	return 0;
}

static int scan_leave_span(MD_SPANTYPE type, void *detail, void *data)
{
	(void)type;
	(void)detail;
	(void)data;
	return 0;
}

static int scan_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *data)
{
	struct md_scan *s = data;
	int line = scan_line_of(s, text);
	if (type == MD_TEXT_HTML && !s->html_reported) {
		content_report_add(s->report, s->file, line, "raw HTML is not allowed in lessons");
		s->html_reported = true;
	}
	if (s->heading_level == 2) {
		if (!s->section_line)
			s->section_line = line;
		sb_add(&s->heading, text, size);
	}
	if (s->heading_level)
		sb_add(&s->heading_text, text, size);
	if (s->in_paragraph) {
		if (!s->paragraph_line)
			s->paragraph_line = line;
		sb_add(&s->paragraph, text, size);
	}
	if (s->in_try)
		sb_add(&s->try_text, text, size);
	bool in_word = false;
	for (MD_SIZE i = 0; i < size; i++) {
		bool space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
		if (!space && !in_word)
			s->words++;
		in_word = !space;
	}
	return 0;
}

static const unsigned md_flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOINDENTEDCODEBLOCKS;

static void scan_markdown(struct lesson_doc *doc, struct content_report *report)
{
	struct md_scan s = {
	    .body = doc->body,
	    .body_end = doc->body + strlen(doc->body),
	    .file = doc->file,
	    .body_line = doc->body_line,
	    .report = report,
	    .line_cursor = doc->body_line,
	    .line_pos = doc->body,
	    .doc = doc,
	};
	sb_init(&s.heading);
	sb_init(&s.heading_text);
	sb_init(&s.paragraph);
	sb_init(&s.try_text);
	MD_PARSER parser = {
	    .abi_version = 0,
	    .flags = md_flags,
	    .enter_block = scan_enter_block,
	    .leave_block = scan_leave_block,
	    .enter_span = scan_enter_span,
	    .leave_span = scan_leave_span,
	    .text = scan_text,
	};
	if (md_parse(doc->body, (MD_SIZE)strlen(doc->body), &parser, &s) != 0)
		content_report_add(report, doc->file, doc->body_line, "Markdown could not be parsed");
	close_section(&s);
	if (!s.any_citation)
		content_report_add(report, doc->file, doc->body_line,
				   "the %s cites no source (no paragraph starting with Source:)",
				   doc->recap ? "recap" : "lesson");
	doc->words = s.words;
	sb_free(&s.heading);
	sb_free(&s.heading_text);
	sb_free(&s.paragraph);
	sb_free(&s.try_text);
}

static const char *const front_keys[] = {"id", "title", "module", "order", "sources", "pass_mark",
					 NULL};
static const char *const recap_keys[] = {"module", "title", "sources", NULL};

/* Words in a lesson and in a recap. */
enum { LESSON_MIN_WORDS = 400, LESSON_MAX_WORDS = 1200, RECAP_MIN_WORDS = 80,
       RECAP_MAX_WORDS = 800 };

/* One 'key: value' line of the front matter into doc: false when the key
 * is not one the file may have or its value is wrong. */
static bool front_matter_entry(struct lesson_doc *doc, const char *const *keys, const char *key,
			       const char *value, int line, struct content_report *report)
{
	bool known = false;
	for (int i = 0; keys[i]; i++)
		known |= strcmp(key, keys[i]) == 0;
	long num;
	if (!known) {
		content_report_add(report, doc->file, line, "unknown front matter key '%s'",
				   key);
		return false;
	} else if (!strcmp(key, "order") || !strcmp(key, "pass_mark")) {
		if (!parse_int(value, &num) || num < 0 ||
		    (!strcmp(key, "pass_mark") && num > 100)) {
			content_report_add(report, doc->file, line,
					   "'%s' must be a whole number%s", key,
					   strcmp(key, "order") ? " from 0 to 100" : "");
			return false;
		} else if (!strcmp(key, "order")) {
			doc->order = (int)num;
		} else {
			doc->pass_mark = (int)num;
		}
	} else {
		char **slot = !strcmp(key, "id")	? &doc->id
			      : !strcmp(key, "title")	? &doc->title
			      : !strcmp(key, "module") ? &doc->module
						       : &doc->sources;
		free(*slot);
		*slot = xstrdup(value);
	}
	return true;
}

/* The front matter's lines from *p, after its opening '---', to its
 * closing '---', into doc; *p and *line move past them. Returns whether
 * the front matter was closed; *ok turns false at a wrong line. */
static bool read_front_matter(struct lesson_doc *doc, const char *const *keys, char **p, int *line,
			      bool *ok, struct content_report *report)
{
	bool closed = false;
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *kv = pcre2_compile((PCRE2_SPTR) "^([a-z_]+)[ \\t]*:[ \\t]*(.*?)[ \\t\\r]*$",
				       PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(kv, NULL);
	pcre2_match_context *limits = pattern_limits_context();
	while (**p) {
		char *nl = strchr(*p, '\n');
		size_t l = nl ? (size_t)(nl - *p) : strlen(*p);
		char *row = xstrndup(*p, l);
		*p = nl ? nl + 1 : *p + l;
		if (strcmp(str_trim(row), "---") == 0) {
			free(row);
			closed = true;
			(*line)++;
			break;
		}
		if (*row == '\0') {
			free(row);
			(*line)++;
			continue;
		}
		int rc = limits ? pcre2_match(kv, (PCRE2_SPTR)row, PCRE2_ZERO_TERMINATED, 0, 0, md,
					      limits)
				: PCRE2_ERROR_NOMEMORY;
		if (rc < 3) {
			content_report_add(report, doc->file, *line,
					   pattern_gave_up(rc)
					       ? "this front matter line is too long to read as 'key: value'"
					       : "front matter lines are 'key: value'");
			*ok = false;
			free(row);
			(*line)++;
			continue;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		char *key = xstrndup(row + ov[2], ov[3] - ov[2]);
		char *value = xstrndup(row + ov[4], ov[5] - ov[4]);
		if (!front_matter_entry(doc, keys, key, value, *line, report))
			*ok = false;
		free(key);
		free(value);
		free(row);
		(*line)++;
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(limits);
	pcre2_code_free(kv);
	return closed;
}

/* The keys the file must have, and the id's form: false when one is
 * missing or wrong. */
static bool front_matter_complete(struct lesson_doc *doc, bool recap,
				  struct content_report *report)
{
	const char *missing[5];
	int nmissing = 0;
	if (recap && doc->module)
		doc->id = xstrdup(doc->module);
	if (!recap && (!doc->id || !*doc->id))
		missing[nmissing++] = "id";
	if (!doc->title || !*doc->title)
		missing[nmissing++] = "title";
	if (!doc->module || !*doc->module)
		missing[nmissing++] = "module";
	if (!recap && !doc->order)
		missing[nmissing++] = "order";
	if (!doc->sources || !*doc->sources)
		missing[nmissing++] = "sources";
	for (int i = 0; i < nmissing; i++)
		content_report_add(report, doc->file, 1, "front matter lacks '%s'", missing[i]);
	bool ok = nmissing == 0;
	if (!recap && doc->id && pattern_check_answer("^m[0-9]+-[a-z0-9-]+$", doc->id) != PATTERN_MATCH) {
		content_report_add(report, doc->file, 2,
				   "id '%s' must look like m<module>-<slug> (lower case)", doc->id);
		ok = false;
	}
	return ok;
}

/* A lesson (or recap) file's bytes (not NUL-terminated) into doc; doc->ok
 * tells whether it may be imported. */
static void parse_lesson(const char *file, const char *data, size_t len, bool recap,
			 struct lesson_doc *doc, struct content_report *report)
{
	memset(doc, 0, sizeof *doc);
	doc->file = xstrdup(file);
	doc->pass_mark = 70;
	doc->recap = recap;
	struct text_at at;
	char why[256];
	if (text_check(data, len, &at, why, sizeof why) != 0) {
		report_at(report, doc->file, at, why);
		return;
	}
	char *text = xstrndup(data, len);
	char *p = text;
	if (str_starts_with(p, "\xEF\xBB\xBF"))
		p += 3;
	if (!str_starts_with(p, "---\n") && !str_starts_with(p, "---\r\n")) {
		content_report_add(report, doc->file, 1, "missing front matter (a first line '---')");
		free(text);
		return;
	}
	p = strchr(p, '\n') + 1;
	int line = 2;
	bool ok = true;
	if (!read_front_matter(doc, recap ? recap_keys : front_keys, &p, &line, &ok, report)) {
		content_report_add(report, doc->file, line, "front matter is not closed by '---'");
		free(text);
		return;
	}
	ok = front_matter_complete(doc, recap, report) && ok;
	doc->body = xstrdup(p);
	doc->body_line = line;
	free(text);
	size_t before = report->count;
	scan_markdown(doc, report);
	int least = recap ? RECAP_MIN_WORDS : LESSON_MIN_WORDS,
	    most = recap ? RECAP_MAX_WORDS : LESSON_MAX_WORDS;
	if (doc->words < least || doc->words > most)
		content_report_add(report, doc->file, doc->body_line, "the %s has %d words; %ss have %d to %d",
				   recap ? "recap" : "lesson", doc->words, recap ? "recap" : "lesson",
				   least, most);
	doc->ok = ok && report->count == before;
}

/* ---- CSV tables -------------------------------------------------------- */

/* Checks a parsed table's columns and rows against its kind and adds it to
 * files (rows marked ok or not), or reports it skipped. */
static void accept_table(struct content_table t, enum content_kind kind,
			 struct course_files *files, struct content_report *report)
{
	const struct table_spec *spec = &specs[kind];
	for (size_t c = 0; c < spec->ncols; c++) {
		if (spec->cols[c].required && csvio_table_column(&t.csv, spec->cols[c].name) < 0) {
			struct strbuf found;
			sb_init(&found);
			for (size_t i = 0; i < t.csv.header.nfields; i++)
				sb_printf(&found, "%s%s", i ? ", " : "", t.csv.header.fields[i]);
			content_report_add(report, t.csv.path, 1,
					   "missing column '%s' (columns found: %s); file skipped",
					   spec->cols[c].name, found.data ? found.data : "none");
			sb_free(&found);
			csvio_table_free(&t.csv);
			return;
		}
	}
	t.row_ok = xcalloc(t.csv.nrows ? t.csv.nrows : 1, sizeof *t.row_ok);
	for (size_t r = 0; r < t.csv.nrows; r++) {
		const struct csvio_row *row = &t.csv.rows[r];
		bool ok = true;
		if (row->nfields != t.csv.header.nfields) {
			content_report_add(report, t.csv.path, row->line,
					   "row has %zu fields, the header has %zu", row->nfields,
					   t.csv.header.nfields);
			ok = false;
		}
		for (size_t c = 0; ok && c < spec->ncols; c++) {
			const struct column_spec *col = &spec->cols[c];
			const char *v = csvio_field(row, csvio_table_column(&t.csv, col->name));
			long iv;
			double rv;
			if (!*v) {
				if (col->required) {
					content_report_add(report, t.csv.path, row->line,
							   "'%s' is empty", col->name);
					ok = false;
				}
			} else if (col->type == COL_INT && !parse_int(v, &iv)) {
				content_report_add(report, t.csv.path, row->line,
						   "'%s' must be a whole number, not '%s'", col->name, v);
				ok = false;
			} else if (col->type == COL_REAL && !str_to_double(v, &rv)) {
				content_report_add(report, t.csv.path, row->line,
						   "'%s' must be a number, not '%s'", col->name, v);
				ok = false;
			}
		}
		t.row_ok[r] = ok;
	}
	ARRAY_PUSH(files->tables[kind], files->ntables[kind], files->captables[kind], t);
}

static void load_table(const char *dir, const char *rel, enum content_kind kind,
		       struct course_files *files, struct content_report *report)
{
	char *path = xasprintf("%s/%s", dir, rel);
	struct content_table t = {0};
	char err[512];
	struct text_at at;
	if (csvio_table_read(path, FILE_COURSE_TABLE, &t.csv, err, sizeof err, &at) != 0) {
		struct stat sb;
		if (kind == CONTENT_MODULES || lstat(path, &sb) == 0)
			report_at(report, path, at, err);
		free(path);
		return;
	}
	free(path);
	accept_table(t, kind, files, report);
}

void content_add_table(struct course_files *files, enum content_kind kind, const char *name,
		       const char *data, size_t len, struct content_report *report)
{
	struct content_table t = {0};
	char err[512];
	struct text_at at;
	if (csvio_table_parse(name, data, len, &t.csv, err, sizeof err, &at) != 0) {
		report_at(report, name, at, err);
		return;
	}
	accept_table(t, kind, files, report);
}

void content_add_lesson(struct course_files *files, const char *name, const char *data,
			size_t len, struct content_report *report)
{
	struct lesson_doc doc;
	parse_lesson(name, data, len, false, &doc, report);
	ARRAY_PUSH(files->lessons, files->nlessons, files->caplessons, doc);
}

void content_add_recap(struct course_files *files, const char *name, const char *data,
		       size_t len, struct content_report *report)
{
	struct lesson_doc doc;
	parse_lesson(name, data, len, true, &doc, report);
	ARRAY_PUSH(files->recaps, files->nrecaps, files->caprecaps, doc);
}

/* Iterates over the rows of every table of a kind. */
#define FOR_ROWS(files, kind, t, r)                                                   \
	for (size_t t##_i = 0; t##_i < (files)->ntables[kind]; t##_i++)                \
		for (struct content_table *t = &(files)->tables[kind][t##_i]; t; t = NULL) \
			for (size_t r = 0; r < t->csv.nrows; r++)

static const char *field(const struct content_table *t, size_t r, const char *col)
{
	return csvio_field(&t->csv.rows[r], csvio_table_column(&t->csv, col));
}

static void reject_row(struct content_table *t, size_t r, struct content_report *report,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void reject_row(struct content_table *t, size_t r, struct content_report *report,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	content_report_add(report, t->csv.path, t->csv.rows[r].line, "%s", msg ? msg : "?");
	free(msg);
	t->row_ok[r] = false;
}

/* Ids seen so far for one kind: a duplicate is a problem. */
struct id_set {
	char **ids;
	size_t n, cap;
};

static bool id_set_has(const struct id_set *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->ids[i], id) == 0)
			return true;
	return false;
}

static void id_set_add(struct id_set *s, const char *id)
{
	char *copy = xstrdup(id);
	ARRAY_PUSH(s->ids, s->n, s->cap, copy);
}

static void id_set_free(struct id_set *s)
{
	content_free_strings(s->ids, s->n);
	memset(s, 0, sizeof *s);
}

static void collect_keys(struct course_files *files, enum content_kind kind, struct id_set *ids,
			 struct content_report *report)
{
	const struct table_spec *spec = &specs[kind];
	FOR_ROWS(files, kind, t, r)
	{
		if (!t->row_ok[r] || spec->key < 0)
			continue;
		const char *name = spec->cols[spec->key].name;
		const char *id = field(t, r, name);
		if (spec->key2 < 0) {
			if (id_set_has(ids, id))
				reject_row(t, r, report, "duplicate %s '%s'", name, id);
			else
				id_set_add(ids, id);
			continue;
		}
		/* The second key column is a whole number (the order): "01" and
		 * "1" are the same row to the database. */
		const char *name2 = spec->cols[spec->key2].name;
		long order = strtol(field(t, r, name2), NULL, 10);
		char *key = xasprintf("%s\x1f%ld", id, order);
		if (id_set_has(ids, key))
			reject_row(t, r, report, "duplicate %s %ld for %s '%s'", name2, order, name, id);
		else
			id_set_add(ids, key);
		free(key);
	}
}

static bool parse_tolerance(const char *s)
{
	if (!*s)
		return true;
	char *copy = xstrdup(s);
	size_t n = strlen(copy);
	if (n && copy[n - 1] == '%')
		copy[n - 1] = '\0';
	double v;
	bool ok = str_to_double(copy, &v) && v >= 0;
	free(copy);
	return ok;
}

/* A short answer's wrong answers: at least CONTENT_MIN_REJECTS, all
 * different, none accepted by the pattern. */
static void check_rejects(struct content_table *t, size_t r, const char *pattern,
			  struct content_report *report)
{
	char **wrong;
	size_t n = content_split_choices(field(t, r, "reject"), &wrong);
	size_t filled = 0;
	for (size_t i = 0; i < n; i++)
		filled += *wrong[i] != '\0';
	if (filled < CONTENT_MIN_REJECTS || filled < n) {
		reject_row(t, r, report,
			   "a short answer lists at least %d wrong answers in 'reject', separated "
			   "by ' | ' (found %zu)",
			   CONTENT_MIN_REJECTS, filled);
	} else {
		for (size_t i = 0; i < n && t->row_ok[r]; i++) {
			enum pattern_rc rc;
			bool twice = false;
			for (size_t j = 0; j < i; j++)
				twice |= !strcasecmp(wrong[i], wrong[j]);
			if (twice)
				reject_row(t, r, report, "the wrong answer '%s' is listed twice",
					   wrong[i]);
			else if ((rc = pattern_check_answer(pattern, wrong[i])) == PATTERN_TOO_COMPLEX)
				reject_row(t, r, report,
					   "the answer pattern is too complex: matching it against the "
					   "wrong answer '%s' hit PCRE2's limits",
					   wrong[i]);
			else if (rc == PATTERN_MATCH)
				reject_row(t, r, report,
					   "the answer pattern accepts the wrong answer '%s'", wrong[i]);
		}
	}
	content_free_strings(wrong, n);
}

static void check_quiz(struct course_files *files, struct id_set *lessons,
		       struct content_report *report)
{
	FOR_ROWS(files, CONTENT_QUIZ, t, r)
	{
		if (!t->row_ok[r])
			continue;
		const char *kind = field(t, r, "kind");
		const char *answer = field(t, r, "answer");
		if (!id_set_has(lessons, field(t, r, "lesson"))) {
			reject_row(t, r, report, "lesson '%s' does not exist", field(t, r, "lesson"));
			continue;
		}
		if (!strcmp(kind, "single") || !strcmp(kind, "multiple")) {
			char **choices;
			size_t n = content_split_choices(field(t, r, "choices"), &choices);
			content_free_strings(choices, n);
			if (n < 2) {
				reject_row(t, r, report, "a %s question needs at least 2 choices "
						       "separated by ' | '", kind);
				continue;
			}
			char *list = xstrdup(answer);
			int picked = 0;
			bool bad = false;
			for (char *save, *tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				long v;
				if (!parse_int(str_trim(tok), &v) || v < 1 || (size_t)v > n)
					bad = true;
				picked++;
			}
			free(list);
			if (bad || !picked || (!strcmp(kind, "single") && picked != 1))
				reject_row(t, r, report,
					   "answer '%s' must name %s of the %zu choices (1-based)",
					   answer, strcmp(kind, "single") ? "one or more" : "one", n);
			else if (!strcmp(kind, "multiple") && (size_t)picked >= n)
				reject_row(t, r, report,
					   "every choice is right: a multiple-choice question needs a "
					   "wrong one");
		} else if (!strcmp(kind, "truefalse")) {
			if (strcmp(answer, "true") && strcmp(answer, "false"))
				reject_row(t, r, report, "a truefalse answer is 'true' or 'false'");
		} else if (!strcmp(kind, "short")) {
			char err[256];
			struct pattern *p = pattern_compile(answer, err, sizeof err);
			if (!p) {
				reject_row(t, r, report, "answer pattern does not compile: %s", err);
				continue;
			}
			pattern_free(p);
			const char *model = field(t, r, "model_answer");
			enum pattern_rc on_model = *model ? pattern_check_answer(answer, model) : PATTERN_NO_MATCH;
			if (on_model == PATTERN_TOO_COMPLEX)
				reject_row(t, r, report,
					   "the answer pattern is too complex: matching it against its "
					   "model_answer hit PCRE2's limits");
			else if (on_model != PATTERN_MATCH)
				reject_row(t, r, report,
					   "the answer pattern does not accept its model_answer '%s'",
					   model);
			else
				check_rejects(t, r, answer, report);
		} else if (!strcmp(kind, "numeric")) {
			double v;
			if (!str_to_double(answer, &v))
				reject_row(t, r, report, "a numeric answer must be a plain number");
			else if (!parse_tolerance(field(t, r, "tolerance")))
				reject_row(t, r, report, "tolerance is a number or a percentage");
		} else {
			reject_row(t, r, report,
				   "kind '%s' is not single, multiple, truefalse, short or numeric",
				   kind);
		}
		const char *why = content_citation_problem(field(t, r, "source"));
		if (t->row_ok[r] && why)
			reject_row(t, r, report, "the source %s", why);
	}
}

static void check_glossary(struct course_files *files, struct id_set *lessons,
			   struct content_report *report)
{
	FOR_ROWS(files, CONTENT_GLOSSARY, t, r)
	{
		if (!t->row_ok[r])
			continue;
		char *list = xstrdup(field(t, r, "lessons"));
		for (char *save, *tok = strtok_r(list, " ,", &save); tok;
		     tok = strtok_r(NULL, " ,", &save))
			if (!id_set_has(lessons, tok))
				content_report_add(report, t->csv.path, t->csv.rows[r].line,
						   "term '%s' links to lesson '%s', which does not exist",
						   field(t, r, "term"), tok);
		free(list);
	}
}

static void check_estimation(struct course_files *files, struct id_set *lessons,
			     struct content_report *report)
{
	static const char *const levels[] = {"easy", "medium", "hard", NULL};
	FOR_ROWS(files, CONTENT_ESTIMATION, t, r)
	{
		if (!t->row_ok[r])
			continue;
		double a = atof(field(t, r, "answer")), lo = atof(field(t, r, "low")),
		       hi = atof(field(t, r, "high"));
		bool level_ok = false;
		for (int i = 0; levels[i]; i++)
			level_ok |= !strcmp(levels[i], field(t, r, "difficulty"));
		const char *lesson = field(t, r, "lesson");
		if (!(lo > 0 && lo <= a && a <= hi))
			reject_row(t, r, report, "the range must hold the answer: 0 < low <= answer <= high");
		else if (!level_ok)
			reject_row(t, r, report, "difficulty is easy, medium or hard");
		else if (*lesson && !id_set_has(lessons, lesson))
			reject_row(t, r, report, "lesson '%s' does not exist", lesson);
	}
	struct id_set questions = {0};
	FOR_ROWS(files, CONTENT_ESTIMATION, t, r)
	if (t->row_ok[r]) id_set_add(&questions, field(t, r, "id"));
	FOR_ROWS(files, CONTENT_ESTIMATION_STEPS, s, sr)
	if (s->row_ok[sr] && !id_set_has(&questions, field(s, sr, "question")))
		reject_row(s, sr, report, "question '%s' does not exist", field(s, sr, "question"));
	/* Each decomposition, evaluated by the drill's own engine, must give
	 * the reference answer within 1%. */
	FOR_ROWS(files, CONTENT_ESTIMATION, t, r)
	{
		if (!t->row_ok[r])
			continue;
		const char *qid = field(t, r, "id");
		struct expr_sheet *sheet = expr_sheet_new();
		double last = NAN;
		bool any = false, bad = false;
		FOR_ROWS(files, CONTENT_ESTIMATION_STEPS, s, sr)
		{
			if (!s->row_ok[sr] || strcmp(field(s, sr, "question"), qid))
				continue;
			struct expr_error e;
			double v;
			if (expr_sheet_set(sheet, field(s, sr, "name"), field(s, sr, "expression"), &v,
					   &e) != 0) {
				reject_row(s, sr, report, "'%s': %s (at character %d)",
					   field(s, sr, "expression"), e.message, e.position + 1);
				bad = true;
				continue;
			}
			last = v;
			any = true;
		}
		expr_sheet_free(sheet);
		double a = atof(field(t, r, "answer"));
		if (!any)
			reject_row(t, r, report, "question '%s' has no decomposition in "
						 "estimation_steps.csv", qid);
		else if (bad)
			reject_row(t, r, report, "the decomposition of '%s' has an error (see "
						 "estimation_steps.csv)", qid);
		else if (fabs(last - a) > 0.01 * fabs(a))
			reject_row(t, r, report,
				   "the decomposition gives %g, more than 1%% from the answer %g", last, a);
	}
	/* The steps of a question refused above go with it (the store would
	 * refuse them and, with them, the whole import). */
	id_set_free(&questions);
	FOR_ROWS(files, CONTENT_ESTIMATION, t, r)
	if (t->row_ok[r]) id_set_add(&questions, field(t, r, "id"));
	FOR_ROWS(files, CONTENT_ESTIMATION_STEPS, s, sr)
	if (s->row_ok[sr] && !id_set_has(&questions, field(s, sr, "question")))
		reject_row(s, sr, report, "question '%s' was refused (see estimation.csv)",
			   field(s, sr, "question"));
	id_set_free(&questions);
}

static bool known_type(const char *type)
{
	for (int i = 0; interview_types[i]; i++)
		if (!strcmp(type, interview_types[i]))
			return true;
	return false;
}

static void check_interview(struct course_files *files, struct id_set *lessons,
			    struct content_report *report)
{
	struct id_set questions = {0};
	FOR_ROWS(files, CONTENT_INTERVIEW, t, r)
	{
		if (!t->row_ok[r])
			continue;
		const char *lesson = field(t, r, "lesson");
		if (!known_type(field(t, r, "type")))
			reject_row(t, r, report, "type '%s' is not a question type",
				   field(t, r, "type"));
		else if (*lesson && !id_set_has(lessons, lesson))
			reject_row(t, r, report, "lesson '%s' does not exist", lesson);
		else
			id_set_add(&questions, field(t, r, "id"));
	}
	FOR_ROWS(files, CONTENT_RUBRIC, t, r)
	{
		if (!t->row_ok[r])
			continue;
		char err[256];
		const char *hint = field(t, r, "hint");
		struct pattern *p = *hint ? pattern_compile(hint, err, sizeof err) : NULL;
		if (!id_set_has(&questions, field(t, r, "question")))
			reject_row(t, r, report, "question '%s' does not exist",
				   field(t, r, "question"));
		else if (*hint && !p)
			reject_row(t, r, report, "hint pattern does not compile: %s", err);
		pattern_free(p);
	}
	FOR_ROWS(files, CONTENT_FRAMEWORKS, t, r)
	if (t->row_ok[r] && !known_type(field(t, r, "type")))
		reject_row(t, r, report, "type '%s' is not a question type", field(t, r, "type"));
	id_set_free(&questions);
}

/* ---- the bank's bound --------------------------------------------------- */

/* The first accepted question of a kind whose answer is `answer` (the
 * place a skew is reported). */
static bool first_answered(struct course_files *files, const char *kind, const char *answer,
			   struct content_table **table, size_t *row)
{
	FOR_ROWS(files, CONTENT_QUIZ, t, r)
	{
		if (t->row_ok[r] && !strcmp(field(t, r, "kind"), kind) &&
		    !strcmp(field(t, r, "answer"), answer)) {
			*table = t;
			*row = r;
			return true;
		}
	}
	return false;
}

enum { MAX_POSITION = 16 };

/* Answer positions of single-choice questions and the share of true among
 * true/false ones, against the bound of content.h. */
static void check_bank_bound(struct course_files *files, struct content_report *report)
{
	size_t held[MAX_POSITION + 1] = {0}, offered[MAX_POSITION + 1] = {0};
	size_t singles = 0, truths = 0, falses = 0;
	size_t most_options = 0;
	FOR_ROWS(files, CONTENT_QUIZ, t, r)
	{
		if (!t->row_ok[r])
			continue;
		const char *kind = field(t, r, "kind");
		if (!strcmp(kind, "truefalse")) {
			truths += !strcmp(field(t, r, "answer"), "true");
			falses += !strcmp(field(t, r, "answer"), "false");
			continue;
		}
		if (strcmp(kind, "single"))
			continue;
		char **choices;
		size_t n = content_split_choices(field(t, r, "choices"), &choices);
		content_free_strings(choices, n);
		long a = strtol(field(t, r, "answer"), NULL, 10);
		n = n > MAX_POSITION ? MAX_POSITION : n;
		most_options = n > most_options ? n : most_options;
		for (size_t p = 1; p <= n; p++)
			offered[p]++;
		if (a >= 1 && (size_t)a <= n)
			held[a]++;
		singles++;
	}
	struct content_table *t;
	size_t r;
	if (singles >= CONTENT_BOUND_MIN_SINGLE) {
		struct strbuf counts;
		sb_init(&counts);
		for (size_t p = 1; p <= most_options; p++)
			sb_printf(&counts, "%s%zu: %zu", p > 1 ? ", " : "", p, held[p]);
		for (size_t p = 1; p <= most_options; p++) {
			char answer[24];
			snprintf(answer, sizeof answer, "%zu", p);
			if ((double)held[p] > CONTENT_BOUND_POSITION * (double)offered[p] &&
			    first_answered(files, "single", answer, &t, &r))
				content_report_add(report, t->csv.path, t->csv.rows[r].line,
						   "the bank's single-choice answers are skewed: position "
						   "%zu is right in %zu of the %zu questions that have it "
						   "(%.0f%%; at most %.0f%%); by position %s",
						   p, held[p], offered[p], 100.0 * held[p] / offered[p],
						   100 * CONTENT_BOUND_POSITION, counts.data);
		}
		for (size_t p = 1; p <= most_options && p <= 4; p++) {
			if (held[p])
				continue;
			FOR_ROWS(files, CONTENT_QUIZ, u, ur)
			{
				if (!u->row_ok[ur] || strcmp(field(u, ur, "kind"), "single"))
					continue;
				content_report_add(report, u->csv.path, u->csv.rows[ur].line,
						   "no single-choice answer of the bank is at position "
						   "%zu: spread the answers over every position (by "
						   "position %s)",
						   p, counts.data);
				goto reported;
			}
		reported:;
		}
		sb_free(&counts);
	}
	size_t tf = truths + falses;
	if (tf >= CONTENT_BOUND_MIN_TRUEFALSE) {
		double share = (double)truths / (double)tf;
		bool few = share < CONTENT_BOUND_TRUE_LOW, many = share > CONTENT_BOUND_TRUE_HIGH;
		if ((few || many) && first_answered(files, "truefalse", few ? "false" : "true", &t, &r))
			content_report_add(report, t->csv.path, t->csv.rows[r].line,
					   "the bank's true/false answers are skewed: %zu of %zu are "
					   "true (%.0f%%; from %.0f%% to %.0f%%)",
					   truths, tf, 100 * share, 100 * CONTENT_BOUND_TRUE_LOW,
					   100 * CONTENT_BOUND_TRUE_HIGH);
	}
}

/* ---- cross-references, Try-it blocks, recaps ------------------------------ */

static const struct lesson_doc *find_lesson(const struct course_files *files, const char *id)
{
	for (size_t i = 0; i < files->nlessons; i++)
		if (files->lessons[i].ok && !strcmp(files->lessons[i].id, id))
			return &files->lessons[i];
	return NULL;
}

static void check_refs(struct course_files *files, struct lesson_doc *d,
		       struct content_report *report)
{
	for (size_t i = 0; i < d->nrefs; i++) {
		const struct lesson_ref *ref = &d->refs[i];
		char *id = xstrdup(ref->target);
		char *hash = strchr(id, '#');
		if (hash)
			*hash++ = '\0';
		const struct lesson_doc *target = find_lesson(files, id);
		bool heading = !hash;
		for (size_t h = 0; target && hash && h < target->nheadings; h++)
			heading |= !strcmp(target->headings[h], hash);
		if (!target)
			content_report_add(report, d->file, ref->line,
					   "the link to lesson '%s' leads nowhere: no such lesson", id);
		else if (!heading)
			content_report_add(report, d->file, ref->line,
					   "lesson '%s' has no heading '#%s' (a heading's slug: lower "
					   "case, '-' for spaces and punctuation)",
					   id, hash);
		if (!target || !heading)
			d->ok = false;
		free(id);
	}
}

static bool has_row(struct course_files *files, enum content_kind kind, const char *col,
		    const char *value, const char **other, const char *other_col)
{
	FOR_ROWS(files, kind, t, r)
	if (t->row_ok[r] && !strcmp(field(t, r, col), value)) {
		if (other)
			*other = field(t, r, other_col);
		return true;
	}
	return false;
}

/* A block against the course: its files, bank ids and modules. */
static void check_try(struct course_files *files, struct lesson_doc *d,
		      const struct lesson_try *tr, struct content_report *report)
{
	struct try_block b;
	char err[512];
	int line;
	if (try_parse(tr->text, strlen(tr->text), &b, err, sizeof err, &line) != 0) {
		content_report_add(report, d->file, line ? tr->line + line - 1 : tr->line - 1, "%s",
				   err);
		d->ok = false;
		return;
	}
	int at = tr->line - 1;
	const char *problem = NULL;
	char why[600];
	if ((b.action == TRY_LAB || b.action == TRY_FUNNEL) && files->dir) {
		char *path = try_data_path(&b, files->dir);
		struct stat sb;
		at = tr->line + try_line(&b, "data") - 1;
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			snprintf(why, sizeof why, "data file '%s' is not in the content folder",
				 try_get(&b, "data"));
			problem = why;
		} else if (b.action == TRY_FUNNEL && funnel_is_stage_file(path)) {
			for (size_t i = 0; i < b.count && !problem; i++)
				if (strcmp(b.pairs[i].key, "action") && strcmp(b.pairs[i].key, "label") &&
				    strcmp(b.pairs[i].key, "data")) {
					snprintf(why, sizeof why,
						 "'%s' is a stage,count file: a funnel of its stages "
						 "takes no '%s'",
						 try_get(&b, "data"), b.pairs[i].key);
					problem = why;
					at = tr->line + b.pairs[i].line - 1;
				}
		} else if (b.action == TRY_FUNNEL && !try_get(&b, "steps")) {
			snprintf(why, sizeof why, "a funnel on the event log '%s' needs 'steps'",
				 try_get(&b, "data"));
			problem = why;
		}
		free(path);
	} else if (b.action == TRY_DRILL && try_get(&b, "question")) {
		const char *q = try_get(&b, "question");
		at = tr->line + try_line(&b, "question") - 1;
		if (!has_row(files, CONTENT_ESTIMATION, "id", q, NULL, NULL) &&
		    !has_row(files, CONTENT_INTERVIEW, "id", q, NULL, NULL)) {
			snprintf(why, sizeof why,
				 "question '%s' is in neither estimation.csv nor interview.csv", q);
			problem = why;
		}
	} else if (b.action == TRY_QUIZ) {
		const char *scope = try_get(&b, "scope");
		at = tr->line + try_line(&b, "scope") - 1;
		if (strcmp(scope, "final") && !has_row(files, CONTENT_MODULES, "id", scope, NULL, NULL)) {
			snprintf(why, sizeof why,
				 "scope '%s' is neither a module of modules.csv nor 'final'", scope);
			problem = why;
		}
	}
	if (problem) {
		content_report_add(report, d->file, at, "%s", problem);
		d->ok = false;
	}
	try_block_free(&b);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void check_recaps(struct course_files *files, struct id_set *modules,
			 struct content_report *report)
{
	struct id_set seen = {0};
	for (size_t i = 0; i < files->nrecaps; i++) {
		struct lesson_doc *d = &files->recaps[i];
		if (!d->ok)
			continue;
		char *expected = xasprintf("%s.md", d->module);
		if (!id_set_has(modules, d->module)) {
			content_report_add(report, d->file, 2, "module '%s' is not in modules.csv",
					   d->module);
			d->ok = false;
		} else if (id_set_has(&seen, d->module)) {
			content_report_add(report, d->file, 2, "a second recap of module '%s'",
					   d->module);
			d->ok = false;
		} else if (strcmp(base_name(d->file), expected)) {
			content_report_add(report, d->file, 2,
					   "the recap of module '%s' is named recaps/%s", d->module,
					   expected);
			d->ok = false;
		} else {
			id_set_add(&seen, d->module);
		}
		free(expected);
	}
	FOR_ROWS(files, CONTENT_MODULES, t, r)
	if (t->row_ok[r] && !id_set_has(&seen, field(t, r, "id"))) {
		bool written = false;
		for (size_t i = 0; i < files->nrecaps; i++)
			written |= files->recaps[i].module && !strcmp(files->recaps[i].module, field(t, r, "id"));
		if (!written)
			content_report_add(report, t->csv.path, t->csv.rows[r].line,
					   "module '%s' has no recap (recaps/%s.md)", field(t, r, "id"),
					   field(t, r, "id"));
	}
	id_set_free(&seen);
}

/* ---- glossary usage ------------------------------------------------------ */

enum { USAGE_WIDTH = 100000 };

/* Links of terms to lessons that do not use them are dropped; terms used
 * in at least half of the lessons are common. */
static void check_glossary_usage(struct course_files *files, struct content_report *report)
{
	struct glossary g;
	memset(&g, 0, sizeof g);
	size_t cap = 0;
	struct content_table **tables = NULL;
	size_t *rows = NULL, ncap = 0, rcap = 0, ntables = 0, nrows = 0;
	FOR_ROWS(files, CONTENT_GLOSSARY, t, r)
	{
		if (!t->row_ok[r])
			continue;
		struct glossary_entry e = {.term = xstrdup(field(t, r, "term")),
					   .aliases = xstrdup(field(t, r, "aliases")),
					   .definition = xstrdup(""),
					   .source = xstrdup("")};
		ARRAY_PUSH(g.entries, g.count, cap, e);
		ARRAY_PUSH(tables, ntables, ncap, t);
		ARRAY_PUSH(rows, nrows, rcap, r);
	}
	char err[256];
	if (g.count && glossary_compile(&g, err, sizeof err) != 0)
		content_report_add(report, tables[0]->csv.path, 0,
				   "the terms do not make a pattern, so none is checked: %s", err);
	size_t nlessons = 0;
	for (size_t i = 0; i < files->nlessons; i++)
		nlessons += files->lessons[i].ok;
	bool *used = xcalloc((nlessons ? nlessons : 1) * (g.count ? g.count : 1), sizeof *used);
	const struct lesson_doc **docs = xcalloc(nlessons ? nlessons : 1, sizeof *docs);
	size_t l = 0;
	for (size_t i = 0; i < files->nlessons && g.terms; i++) {
		if (!files->lessons[i].ok)
			continue;
		struct md_doc doc;
		/* Wide enough that no table cell wraps: a term split over two
		 * wrapped lines of a cell is still the term. */
		lesson_render_text(files->lessons[i].title, files->lessons[i].body, USAGE_WIDTH, &doc);
		if (glossary_usage(&g, &doc, used + l * g.count))
			content_report_add(report, files->lessons[i].file, 0,
					   "the glossary's terms are too complex for PCRE2's limits "
					   "here, so their use in this lesson is not known");
		md_doc_free(&doc);
		docs[l++] = &files->lessons[i];
	}
	for (size_t e = 0; e < g.count && g.terms; e++) {
		struct content_table *t = tables[e];
		size_t r = rows[e];
		size_t users = 0;
		for (size_t k = 0; k < nlessons; k++)
			users += used[k * g.count + e];
		if (nlessons && 2 * users >= nlessons) {
			char *term = xstrdup(g.entries[e].term);
			ARRAY_PUSH(files->common_terms, files->ncommon, files->capcommon, term);
		}
		char *list = xstrdup(field(t, r, "lessons"));
		for (char *save, *tok = strtok_r(list, " ,", &save); tok;
		     tok = strtok_r(NULL, " ,", &save)) {
			for (size_t k = 0; k < nlessons; k++) {
				if (strcmp(docs[k]->id, tok) || used[k * g.count + e])
					continue;
				content_report_add(report, t->csv.path, t->csv.rows[r].line,
						   "term '%s' links to lesson '%s', which does not use it "
						   "(nor an alias); the link is left out",
						   g.entries[e].term, tok);
				char *key = xasprintf("%s\x1f%s", g.entries[e].term, tok);
				ARRAY_PUSH(files->dropped_links, files->ndropped, files->capdropped, key);
			}
		}
		free(list);
	}
	free(used);
	free(docs);
	free(tables);
	free(rows);
	glossary_free(&g);
}

int content_load(const char *dir, struct course_files *files, struct content_report *report)
{
	memset(files, 0, sizeof *files);
	files->dir = xstrdup(dir);
	size_t before = report->count;
	content_hash(dir, files->hash);

	char **rel;
	size_t n = import_files(dir, &rel);
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < CONTENT_KIND_COUNT; k++) {
			const char *f = specs[k].file;
			size_t flen = strlen(f);
			if (f[flen - 1] == '/' ? !strncmp(rel[i], f, flen) : !strcmp(rel[i], f))
				load_table(dir, rel[i], k, files, report);
		}
		bool lesson = str_starts_with(rel[i], "lessons/");
		bool recap = str_starts_with(rel[i], "recaps/");
		if (lesson || recap) {
			char *path = xasprintf("%s/%s", dir, rel[i]);
			size_t len;
			char why[256];
			char *text = file_read(path, FILE_LESSON, &len, why, sizeof why);
			if (text && lesson)
				content_add_lesson(files, path, text, len, report);
			else if (text)
				content_add_recap(files, path, text, len, report);
			else
				content_report_add(report, path, 0, "%s; %s skipped", why, lesson ? "lesson" : "recap");
			free(text);
			free(path);
		}
	}
	content_free_strings(rel, n);
	content_check(files, report);
	return (int)(report->count - before);
}

int content_check(struct course_files *files, struct content_report *report)
{
	size_t before = report->count;
	struct id_set modules = {0}, lessons = {0}, scratch = {0};
	collect_keys(files, CONTENT_MODULES, &modules, report);
	for (size_t i = 0; i < files->nlessons; i++) {
		struct lesson_doc *d = &files->lessons[i];
		if (!d->ok)
			continue;
		if (!id_set_has(&modules, d->module)) {
			content_report_add(report, d->file, 2, "module '%s' is not in modules.csv",
					   d->module);
			d->ok = false;
		} else if (id_set_has(&lessons, d->id)) {
			content_report_add(report, d->file, 2, "duplicate lesson id '%s'", d->id);
			d->ok = false;
		} else {
			id_set_add(&lessons, d->id);
		}
	}
	for (int k = CONTENT_QUIZ; k < CONTENT_KIND_COUNT; k++) {
		collect_keys(files, k, &scratch, report);
		id_set_free(&scratch);
	}
	check_quiz(files, &lessons, report);
	check_bank_bound(files, report);
	check_glossary(files, &lessons, report);
	check_estimation(files, &lessons, report);
	check_interview(files, &lessons, report);
	check_recaps(files, &modules, report);
	/* Links and blocks are checked against lessons that loaded; a lesson
	 * refused here is not a target the next ones can count on. */
	for (int pass = 0; pass < 2; pass++) {
		struct lesson_doc *docs = pass ? files->recaps : files->lessons;
		size_t n = pass ? files->nrecaps : files->nlessons;
		for (size_t i = 0; i < n; i++) {
			if (!docs[i].ok)
				continue;
			check_refs(files, &docs[i], report);
			for (size_t k = 0; k < docs[i].ntries; k++)
				check_try(files, &docs[i], &docs[i].tries[k], report);
		}
	}
	content_free_strings(files->common_terms, files->ncommon);
	content_free_strings(files->dropped_links, files->ndropped);
	files->common_terms = files->dropped_links = NULL;
	files->ncommon = files->capcommon = files->ndropped = files->capdropped = 0;
	check_glossary_usage(files, report);
	id_set_free(&modules);
	id_set_free(&lessons);
	return (int)(report->count - before);
}

static void lesson_doc_free(struct lesson_doc *d)
{
	free(d->file);
	free(d->id);
	free(d->title);
	free(d->module);
	free(d->sources);
	free(d->body);
	for (size_t i = 0; i < d->ntries; i++)
		free(d->tries[i].text);
	free(d->tries);
	for (size_t i = 0; i < d->nrefs; i++)
		free(d->refs[i].target);
	free(d->refs);
	content_free_strings(d->headings, d->nheadings);
}

void course_files_free(struct course_files *files)
{
	for (int k = 0; k < CONTENT_KIND_COUNT; k++) {
		for (size_t i = 0; i < files->ntables[k]; i++) {
			csvio_table_free(&files->tables[k][i].csv);
			free(files->tables[k][i].row_ok);
		}
		free(files->tables[k]);
	}
	for (size_t i = 0; i < files->nlessons; i++)
		lesson_doc_free(&files->lessons[i]);
	free(files->lessons);
	for (size_t i = 0; i < files->nrecaps; i++)
		lesson_doc_free(&files->recaps[i]);
	free(files->recaps);
	content_free_strings(files->common_terms, files->ncommon);
	content_free_strings(files->dropped_links, files->ndropped);
	free(files->dir);
	memset(files, 0, sizeof *files);
}

void content_count(const struct course_files *files, struct content_counts *c)
{
	memset(c, 0, sizeof *c);
	int *slots[CONTENT_KIND_COUNT] = {
	    [CONTENT_MODULES] = &c->modules,	   [CONTENT_QUIZ] = &c->questions,
	    [CONTENT_GLOSSARY] = &c->glossary,	   [CONTENT_ESTIMATION] = &c->estimation,
	    [CONTENT_INTERVIEW] = &c->interview, [CONTENT_FRAMEWORKS] = &c->frameworks,
	};
	for (int k = 0; k < CONTENT_KIND_COUNT; k++) {
		if (!slots[k])
			continue;
		for (size_t i = 0; i < files->ntables[k]; i++)
			for (size_t r = 0; r < files->tables[k][i].csv.nrows; r++)
				*slots[k] += files->tables[k][i].row_ok[r];
	}
	for (size_t i = 0; i < files->nlessons; i++)
		c->lessons += files->lessons[i].ok;
}

/* ---- import ------------------------------------------------------------ */

static const char *const clear_order[] = {
    "glossary_lessons", "rubric_points", "estimation_steps", "quiz_questions",
    "interview_questions", "glossary", "estimation_questions", "frameworks",
    "lessons", "recaps", "modules", NULL};

static int insert_table(struct store *st, enum content_kind kind, struct course_files *files,
			struct id_set *lessons)
{
	const struct table_spec *spec = &specs[kind];
	struct strbuf sql;
	sb_init(&sql);
	sb_printf(&sql, "INSERT INTO %s (", spec->db_table);
	int ncols = 0;
	for (size_t c = 0; c < spec->ncols; c++)
		if (spec->cols[c].db_column)
			sb_printf(&sql, "%s%s", ncols++ ? ", " : "", spec->cols[c].db_column);
	sb_puts(&sql, ") VALUES (");
	for (int c = 0; c < ncols; c++)
		sb_puts(&sql, c ? ", ?" : "?");
	sb_puts(&sql, ")");
	sqlite3_stmt *stmt = store_prepare(st, sql.data);
	sb_free(&sql);
	if (!stmt)
		return -1;
	FOR_ROWS(files, kind, t, r)
	{
		if (!t->row_ok[r])
			continue;
		int bind = 1;
		for (size_t c = 0; c < spec->ncols; c++) {
			const struct column_spec *col = &spec->cols[c];
			if (!col->db_column)
				continue;
			const char *v = field(t, r, col->name);
			if (!*v)
				v = col->fallback;
			/* A link to a lesson that failed to load is dropped, not fatal. */
			if (v && !strcmp(col->db_column, "lesson_id") &&
			    (kind == CONTENT_INTERVIEW || kind == CONTENT_ESTIMATION) &&
			    !id_set_has(lessons, v))
				v = NULL;
			if (!v)
				sqlite3_bind_null(stmt, bind);
			else if (col->type == COL_INT)
				sqlite3_bind_int64(stmt, bind, strtoll(v, NULL, 10));
			else if (col->type == COL_REAL)
				sqlite3_bind_double(stmt, bind, strtod(v, NULL));
			else
				sqlite3_bind_text(stmt, bind, v, -1, SQLITE_TRANSIENT);
			bind++;
		}
		if (store_step_done(st, stmt) != STORE_OK)
			return -1;
	}
	return 0;
}

static int insert_lessons(struct store *st, struct course_files *files, struct id_set *lessons)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO lessons (id, module_id, ord, title, sources, pass_mark, body, words,"
		" file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	for (size_t i = 0; i < files->nlessons; i++) {
		struct lesson_doc *d = &files->lessons[i];
		if (!d->ok)
			continue;
		sqlite3_bind_text(stmt, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, d->module, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, d->order);
		sqlite3_bind_text(stmt, 4, d->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, d->sources, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 6, d->pass_mark);
		sqlite3_bind_text(stmt, 7, d->body, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 8, d->words);
		sqlite3_bind_text(stmt, 9, d->file, -1, SQLITE_STATIC);
		if (store_step_done(st, stmt) != STORE_OK)
			return -1;
		id_set_add(lessons, d->id);
	}
	return 0;
}

static int insert_glossary_links(struct store *st, struct course_files *files,
				 struct id_set *lessons)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT OR IGNORE INTO glossary_lessons (term, lesson_id) VALUES (?, ?)");
	if (!stmt)
		return -1;
	FOR_ROWS(files, CONTENT_GLOSSARY, t, r)
	{
		if (!t->row_ok[r])
			continue;
		char *list = xstrdup(field(t, r, "lessons"));
		int rc = 0;
		for (char *save, *tok = strtok_r(list, " ,", &save); tok && !rc;
		     tok = strtok_r(NULL, " ,", &save)) {
			char *key = xasprintf("%s\x1f%s", field(t, r, "term"), tok);
			bool dropped = false;
			for (size_t i = 0; i < files->ndropped; i++)
				dropped |= !strcmp(files->dropped_links[i], key);
			free(key);
			if (!id_set_has(lessons, tok) || dropped)
				continue;
			sqlite3_bind_text(stmt, 1, field(t, r, "term"), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, tok, -1, SQLITE_TRANSIENT);
			rc = store_step_done(st, stmt) == STORE_OK ? 0 : -1;
		}
		free(list);
		if (rc)
			return -1;
	}
	return 0;
}

static int insert_recaps(struct store *st, struct course_files *files)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO recaps (module_id, title, sources, body, words, file)"
		" VALUES (?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	for (size_t i = 0; i < files->nrecaps; i++) {
		struct lesson_doc *d = &files->recaps[i];
		if (!d->ok)
			continue;
		sqlite3_bind_text(stmt, 1, d->module, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, d->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, d->sources, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, d->body, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 5, d->words);
		sqlite3_bind_text(stmt, 6, d->file, -1, SQLITE_STATIC);
		if (store_step_done(st, stmt) != STORE_OK)
			return -1;
	}
	return 0;
}

static int mark_common_terms(struct store *st, struct course_files *files)
{
	sqlite3_stmt *stmt = store_prepare(st, "UPDATE glossary SET common = 1 WHERE term = ?");
	if (!stmt)
		return -1;
	for (size_t i = 0; i < files->ncommon; i++) {
		sqlite3_bind_text(stmt, 1, files->common_terms[i], -1, SQLITE_STATIC);
		if (store_step_done(st, stmt) != STORE_OK)
			return -1;
	}
	return 0;
}

static int record_meta(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO content_meta (key, value) VALUES (?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!stmt)
		return -1;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt) == STORE_OK ? 0 : -1;
}

/* Problems are kept as "file\tline\tmessage" lines so that every start can
 * show them without re-reading the folder. */
static char *encode_problems(const struct content_report *r, size_t from)
{
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = from; i < r->count; i++)
		sb_printf(&sb, "%s\t%d\t%s\n", r->items[i].file, r->items[i].line,
			  r->items[i].message);
	return sb_steal(&sb);
}

static void decode_problems(const char *text, struct content_report *r)
{
	char *copy = xstrdup(text);
	for (char *save, *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab1 = strchr(line, '\t');
		char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (!tab2)
			continue;
		*tab1 = *tab2 = '\0';
		content_report_add(r, line, atoi(tab1 + 1), "%s", tab2 + 1);
	}
	free(copy);
}

enum store_error content_import(struct store *st, const char *dir, bool force,
				struct content_report *report, bool *imported, char *err,
				size_t errlen)
{
	*imported = false;
	char hash[17];
	content_hash(dir, hash);
	char *old = store_content_hash(st);
	bool same = old && !strcmp(old, hash);
	free(old);
	if ((same && !force) || store_is_readonly(st)) {
		char *saved = NULL;
		sqlite3_stmt *stmt =
		    store_prepare(st, "SELECT value FROM content_meta WHERE key = 'problems'");
		if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
			saved = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		if (stmt)
			sqlite3_reset(stmt);
		if (saved)
			decode_problems(saved, report);
		free(saved);
		return STORE_OK;
	}

	size_t before = report->count;
	struct course_files files;
	content_load(dir, &files, report);
	struct content_counts counts;
	content_count(&files, &counts);
	if (counts.lessons == 0 && counts.modules == 0) {
		format_error(err, errlen, "no course found in %s (is it a content folder?)", dir);
		course_files_free(&files);
		return STORE_ERR_NOTFOUND;
	}

	enum store_error e = content_store(st, &files, report, before, err, errlen);
	course_files_free(&files);
	if (e == STORE_OK)
		*imported = true;
	return e;
}

enum store_error content_store(struct store *st, struct course_files *files,
			       const struct content_report *report, size_t first, char *err,
			       size_t errlen)
{
	enum store_error e = store_begin(st);
	if (e != STORE_OK) {
		format_error(err, errlen, "cannot import content: %s", store_errmsg(st));
		return e;
	}
	int rc = 0;
	for (int i = 0; clear_order[i] && !rc; i++) {
		char *sql = xasprintf("DELETE FROM %s", clear_order[i]);
		rc = sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
		free(sql);
	}
	struct id_set lessons = {0};
	if (!rc)
		rc = insert_table(st, CONTENT_MODULES, files, &lessons);
	if (!rc)
		rc = insert_lessons(st, files, &lessons);
	if (!rc)
		rc = insert_recaps(st, files);
	for (int k = CONTENT_QUIZ; k < CONTENT_KIND_COUNT && !rc; k++)
		rc = insert_table(st, k, files, &lessons);
	if (!rc)
		rc = insert_glossary_links(st, files, &lessons);
	if (!rc)
		rc = mark_common_terms(st, files);
	char *problems = encode_problems(report, first);
	char stamp[32];
	snprintf(stamp, sizeof stamp, "%lld", (long long)clock_now());
	if (!rc)
		rc = record_meta(st, "hash", files->hash) || record_meta(st, "problems", problems) ||
		     record_meta(st, "imported_at", stamp) ||
		     record_meta(st, "dir", files->dir ? files->dir : "");
	free(problems);
	id_set_free(&lessons);
	if (rc) {
		format_error(err, errlen, "cannot import content: %s",
			     sqlite3_errmsg(store_db(st)));
		store_rollback(st);
		return STORE_ERR_SQL;
	}
	e = store_commit(st);
	if (e != STORE_OK)
		format_error(err, errlen, "cannot import content: %s", store_errmsg(st));
	return e;
}
