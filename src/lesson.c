#include "lesson.h"

#include "clock.h"
#include "drill.h"
#include "quiz.h"
#include "store_sql.h"
#include "textwrap.h"
#include "tryit.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum store_error lesson_load(struct store *st, const char *id, struct lesson *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT l.id, l.title, l.module_id, m.title, l.sources, l.body, l.pass_mark, l.words"
		" FROM lessons l JOIN modules m ON m.id = l.module_id WHERE l.id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	enum store_error e = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOTFOUND
									      : STORE_ERR_SQL;
	if (e == STORE_OK) {
		out->id = store_column_text(stmt, 0);
		out->title = store_column_text(stmt, 1);
		out->module_id = store_column_text(stmt, 2);
		out->module_title = store_column_text(stmt, 3);
		out->sources = store_column_text(stmt, 4);
		out->body = store_column_text(stmt, 5);
		out->pass_mark = sqlite3_column_int(stmt, 6);
		out->words = sqlite3_column_int(stmt, 7);
	}
	sqlite3_reset(stmt);
	return e;
}

/* The recap's own text, then the module's terms, lessons and quiz. */
static char *recap_body(struct store *st, const char *module, const char *own)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, own);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT g.term, g.definition FROM glossary g WHERE g.term IN"
		" (SELECT gl.term FROM glossary_lessons gl JOIN lessons l ON l.id = gl.lesson_id"
		"  WHERE l.module_id = ?) ORDER BY g.term COLLATE NOCASE");
	if (stmt) {
		sqlite3_bind_text(stmt, 1, module, -1, SQLITE_TRANSIENT);
		bool first = true;
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			if (first)
				sb_puts(&sb, "\n\n## Terms of this module\n\n");
			first = false;
			sb_puts(&sb, "- **");
			md_escape(&sb, (const char *)sqlite3_column_text(stmt, 0));
			sb_puts(&sb, "**: ");
			md_escape(&sb, (const char *)sqlite3_column_text(stmt, 1));
			sb_putc(&sb, '\n');
		}
		sqlite3_reset(stmt);
	}
	stmt = store_prepare(st, "SELECT id, title FROM lessons WHERE module_id = ? ORDER BY ord, id");
	if (stmt) {
		sqlite3_bind_text(stmt, 1, module, -1, SQLITE_TRANSIENT);
		bool first = true;
		for (int n = 1; sqlite3_step(stmt) == SQLITE_ROW; n++) {
			if (first)
				sb_puts(&sb, "\n\n## The lessons of this module\n\n");
			first = false;
			sb_printf(&sb, "%d. [", n);
			md_escape(&sb, (const char *)sqlite3_column_text(stmt, 1));
			sb_printf(&sb, "](lesson:%s)\n", (const char *)sqlite3_column_text(stmt, 0));
		}
		sqlite3_reset(stmt);
	}
	/* The way to the module's quiz, unless the recap shows it itself. */
	struct md_doc doc;
	md_render(own, strlen(own), 80, &doc);
	bool has_quiz = false;
	for (size_t i = 0; i < doc.try_count; i++) {
		const char *scope = try_get(&doc.tries[i].block, "scope");
		has_quiz |= doc.tries[i].block.action == TRY_QUIZ && scope && !strcmp(scope, module);
	}
	md_doc_free(&doc);
	if (!has_quiz)
		sb_printf(&sb, "\n\n```" TRY_INFO "\naction: quiz\nlabel: Take the module's quiz, %d "
			       "questions drawn from its lessons\nscope: %s\n```\n",
			  QUIZ_MODULE_QUESTIONS, module);
	return sb_steal(&sb);
}

enum store_error lesson_load_recap(struct store *st, const char *module, struct lesson *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT r.module_id, r.title, m.title, r.sources, r.body, r.words"
		" FROM recaps r JOIN modules m ON m.id = r.module_id WHERE r.module_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, module, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	enum store_error e = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOTFOUND
									      : STORE_ERR_SQL;
	char *own = NULL;
	if (e == STORE_OK) {
		out->id = store_column_text(stmt, 0);
		out->module_id = store_column_text(stmt, 0);
		out->title = store_column_text(stmt, 1);
		out->module_title = store_column_text(stmt, 2);
		out->sources = store_column_text(stmt, 3);
		own = store_column_text(stmt, 4);
		out->words = sqlite3_column_int(stmt, 5);
		out->pass_mark = QUIZ_CUMULATIVE_PASS;
		out->recap = true;
	}
	sqlite3_reset(stmt);
	if (e == STORE_OK) {
		out->body = recap_body(st, module, own);
		free(own);
	}
	return e;
}

void lesson_describe_links(struct store *st, struct md_doc *doc, bool command)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT title FROM lessons WHERE id = ?");
	if (!stmt)
		return;
	for (size_t i = 0; i < doc->link_count; i++) {
		if (!str_starts_with(doc->links[i], "lesson:"))
			continue;
		char *id = xstrdup(doc->links[i] + strlen("lesson:"));
		char *hash = strchr(id, '#');
		if (hash)
			*hash++ = '\0';
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			char *text = xasprintf("lesson \"%s\"%s%s%s%s%s",
					       (const char *)sqlite3_column_text(stmt, 0),
					       hash ? ", section " : "", hash ? hash : "",
					       command ? " (aipm lessons show " : "", command ? id : "",
					       command ? ")" : "");
			md_doc_relabel_link(doc, i, text);
			free(text);
		}
		sqlite3_reset(stmt);
		free(id);
	}
}

void lesson_add_commands(struct store *st, struct md_doc *doc, const char *content_dir)
{
	for (size_t i = 0; i < doc->try_count; i++) {
		const struct try_block *b = &doc->tries[i].block;
		char type[32] = "";
		const char *question = try_get(b, "question");
		if (question)
			drill_question_type(st, question, type, sizeof type);
		char *command = try_command_line(b, content_dir, *type ? type : NULL);
		char *line = xasprintf("$ %s", command);
		md_para_add_line(&doc->paras[doc->tries[i].para], line, MD_STYLE_CODE);
		free(line);
		free(command);
	}
}

void lesson_free(struct lesson *l)
{
	free(l->id);
	free(l->title);
	free(l->module_id);
	free(l->module_title);
	free(l->sources);
	free(l->body);
	memset(l, 0, sizeof *l);
}

/* The title goes through the same renderer as a heading, its punctuation
 * escaped so that a '*' or '#' in it stays a character. */
int lesson_render_text(const char *title, const char *body, int width, struct md_doc *out)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "# ");
	md_escape(&sb, title);
	sb_puts(&sb, "\n\n");
	sb_puts(&sb, body);
	int rc = md_render(sb.data, sb.len, width, out);
	sb_free(&sb);
	return rc;
}

int lesson_render(const struct lesson *l, int width, struct md_doc *out)
{
	return lesson_render_text(l->title, l->body, width, out);
}

size_t lesson_sources(const struct lesson *l, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	char *copy = xstrdup(l->sources ? l->sources : "");
	for (char *save, *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		str_trim(tok);
		if (!*tok)
			continue;
		char *entry = xstrdup(tok);
		ARRAY_PUSH(*out, n, cap, entry);
	}
	free(copy);
	return n;
}

/* The width anchors are taken at: tables and rules are laid out for the
 * width, so one width for all keeps a table row's text (and hash) the
 * same whatever the window. */
enum { ANCHOR_WIDTH = 120, ANCHOR_HASH_DIGITS = 16, ANCHOR_SLUG_MAX = 80 };

/* The hash of a paragraph's text with every whitespace run one space, so
 * that a reflow or a padded table cell is the same text. */
static void text_hash(const char *text, size_t len, char out[ANCHOR_HASH_DIGITS + 1])
{
	struct strbuf sb;
	sb_init(&sb);
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		bool ws = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
		if (ws) {
			space = sb.len > 0;
			continue;
		}
		if (space)
			sb_putc(&sb, ' ');
		space = false;
		sb_putc(&sb, text[i]);
	}
	char hex[65];
	sha256_hex(sb.data ? sb.data : "", sb.len, hex);
	memcpy(out, hex, ANCHOR_HASH_DIGITS);
	out[ANCHOR_HASH_DIGITS] = '\0';
	sb_free(&sb);
}

void lesson_anchors_make(const struct lesson *l, struct lesson_anchors *out)
{
	struct md_doc doc = {0};
	lesson_render(l, ANCHOR_WIDTH, &doc);
	out->count = doc.count;
	out->at = xcalloc(doc.count ? doc.count : 1, sizeof *out->at);
	for (size_t p = 0; p < doc.count; p++) {
		long section = md_doc_section_of(&doc, p);
		char *slug = section >= 0 ? md_heading_slug(doc.sections[section].title) : xstrdup("");
		size_t from = section >= 0 ? doc.sections[section].para : 0;
		char hash[ANCHOR_HASH_DIGITS + 1];
		text_hash(doc.paras[p].text, doc.paras[p].len, hash);
		snprintf(out->at[p], sizeof out->at[p], "%.*s/%zu/%s", ANCHOR_SLUG_MAX, slug, p - from,
			 hash);
		free(slug);
	}
	md_doc_free(&doc);
}

void lesson_anchors_free(struct lesson_anchors *a)
{
	free(a->at);
	a->at = NULL;
	a->count = 0;
}

/* An anchor's section slug (up to its first '/') and hash (after its
 * last); false when it has no such parts. */
static bool anchor_parts(const char *anchor, size_t *slug_len, const char **hash)
{
	const char *first = strchr(anchor, '/'), *last = strrchr(anchor, '/');
	if (!first || first == last)
		return false;
	*slug_len = (size_t)(first - anchor);
	*hash = last + 1;
	return true;
}

long lesson_anchor_find(const struct lesson_anchors *a, const char *anchor)
{
	size_t slug_len, len;
	const char *hash, *h;
	if (!anchor || !anchor_parts(anchor, &slug_len, &hash))
		return -1;
	long same_section = -1, anywhere = -1;
	for (size_t p = 0; p < a->count; p++) {
		if (!strcmp(a->at[p], anchor))
			return (long)p;
		if (!anchor_parts(a->at[p], &len, &h) || strcmp(h, hash))
			continue;
		if (same_section < 0 && len == slug_len && !strncmp(a->at[p], anchor, len))
			same_section = (long)p;
		if (anywhere < 0)
			anywhere = (long)p;
	}
	return same_section >= 0 ? same_section : anywhere;
}

enum store_error lesson_position_get(struct store *st, int64_t learner, const char *lesson,
				     struct lesson_position *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT block, line_in_block, read_to_end, seconds_spent FROM lesson_progress"
		" WHERE learner_id = ? AND lesson_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, lesson, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->saved = true;
		sqlite3_int64 block = sqlite3_column_int64(stmt, 0), line = sqlite3_column_int64(stmt, 1);
		out->block = block > 0 ? (size_t)block : 0;
		out->line = line > 0 ? (size_t)line : 0;
		out->read_to_end = sqlite3_column_int(stmt, 2) != 0;
		out->seconds = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

enum store_error lesson_position_save(struct store *st, int64_t learner, const char *lesson,
				      size_t block, size_t line, bool read_to_end,
				      int64_t add_seconds)
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO lesson_progress (learner_id, lesson_id, block, line_in_block,"
		"  read_to_end, seconds_spent, opened_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
		" ON CONFLICT(learner_id, lesson_id) DO UPDATE SET block = excluded.block,"
		"  line_in_block = excluded.line_in_block,"
		"  read_to_end = MAX(read_to_end, excluded.read_to_end),"
		"  seconds_spent = seconds_spent + excluded.seconds_spent,"
		"  updated_at = excluded.updated_at");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, lesson, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)block);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)line);
	sqlite3_bind_int(stmt, 5, read_to_end ? 1 : 0);
	sqlite3_bind_int64(stmt, 6, add_seconds > 0 ? add_seconds : 0);
	sqlite3_bind_int64(stmt, 7, clock_now());
	return store_step_done(st, stmt);
}

/* A note body may be written: the store is writable and the body short. */
static enum store_error note_writable(struct store *st, const char *body)
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	return strlen(body) > LESSON_NOTE_MAX ? STORE_ERR_SQL : STORE_OK;
}

/* Rows of (uid, body, created_at, updated_at, lesson_id, title or NULL,
 * anchor). */
static enum store_error read_notes(sqlite3_stmt *stmt, struct lesson_note **out, size_t *count,
				   size_t *cap)
{
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct lesson_note note = {.body = store_column_text(stmt, 1),
					   .created_at = sqlite3_column_int64(stmt, 2),
					   .updated_at = sqlite3_column_int64(stmt, 3)};
		snprintf(note.uid, sizeof note.uid, "%s", (const char *)sqlite3_column_text(stmt, 0));
		snprintf(note.lesson, sizeof note.lesson, "%s",
			 (const char *)sqlite3_column_text(stmt, 4));
		if (sqlite3_column_type(stmt, 5) != SQLITE_NULL)
			note.lesson_title = store_column_text(stmt, 5);
		snprintf(note.anchor, sizeof note.anchor, "%s",
			 (const char *)sqlite3_column_text(stmt, 6));
		ARRAY_PUSH(*out, *count, *cap, note);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

enum store_error lesson_notes(struct store *st, int64_t learner, const char *lesson,
			      struct lesson_note **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT uid, body, created_at, updated_at, lesson_id, NULL, anchor FROM notes"
		" WHERE learner_id = ? AND lesson_id = ? ORDER BY created_at, rowid");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	sqlite3_bind_text(stmt, 2, lesson, -1, SQLITE_TRANSIENT);
	return read_notes(stmt, out, count, &cap);
}

enum store_error lesson_notes_all(struct store *st, int64_t learner, struct lesson_note **out,
				  size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT n.uid, n.body, n.created_at, n.updated_at, n.lesson_id,"
		" COALESCE(l.title, n.lesson_id), n.anchor"
		" FROM notes n LEFT JOIN lessons l ON l.id = n.lesson_id"
		" LEFT JOIN modules m ON m.id = l.module_id WHERE n.learner_id = ?"
		" ORDER BY l.id IS NULL, m.ord, l.ord, n.lesson_id, n.created_at, n.rowid");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	return read_notes(stmt, out, count, &cap);
}

void lesson_notes_free(struct lesson_note *notes, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(notes[i].body);
		free(notes[i].lesson_title);
	}
	free(notes);
}

enum store_error lesson_note_edit(struct store *st, int64_t learner, const char *uid,
				  const char *body)
{
	enum store_error e = note_writable(st, body);
	if (e != STORE_OK)
		return e;
	/* Always a newer version than the one a coach may hold, even within
	 * the second it was written. */
	sqlite3_stmt *stmt = store_prepare(
	    st, "UPDATE notes SET body = ?, updated_at = MAX(?, updated_at + 1)"
		" WHERE uid = ? AND learner_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, body, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, clock_now());
	sqlite3_bind_text(stmt, 3, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, learner);
	e = store_step_done(st, stmt);
	if (e == STORE_OK && sqlite3_changes(store_db(st)) == 0)
		return STORE_ERR_NOTFOUND;
	return e;
}

enum store_error lesson_note_delete(struct store *st, int64_t learner, const char *uid,
				    struct lesson_note *removed)
{
	memset(removed, 0, sizeof *removed);
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "DELETE FROM notes WHERE uid = ? AND learner_id = ?"
		" RETURNING uid, body, created_at, updated_at, lesson_id, NULL, anchor");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	struct lesson_note *rows = NULL;
	size_t n = 0, cap = 0;
	enum store_error e = read_notes(stmt, &rows, &n, &cap);
	if (e == STORE_OK && n == 1) {
		*removed = rows[0]; /* the body and title move with it */
		free(rows);
		return STORE_OK;
	}
	lesson_notes_free(rows, n);
	return e == STORE_OK ? STORE_ERR_NOTFOUND : e;
}

enum store_error lesson_note_restore(struct store *st, int64_t learner,
				     const struct lesson_note *note)
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at,"
		" anchor) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, note->uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	sqlite3_bind_text(stmt, 3, note->lesson, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, note->body, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 5, note->created_at);
	sqlite3_bind_int64(stmt, 6, note->updated_at);
	sqlite3_bind_text(stmt, 7, note->anchor, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error lesson_note_add(struct store *st, int64_t learner, const char *lesson,
				 const char *anchor, const char *body)
{
	enum store_error e = note_writable(st, body);
	if (e != STORE_OK)
		return e;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at,"
		" anchor) VALUES (?, ?, ?, ?, ?5, ?5, ?6)");
	if (!stmt)
		return STORE_ERR_SQL;
	char uid[37];
	store_new_uuid(uid);
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	sqlite3_bind_text(stmt, 3, lesson, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, body, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 5, clock_now());
	sqlite3_bind_text(stmt, 6, anchor ? anchor : "", -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error lesson_bookmark_add(struct store *st, int64_t learner, const char *lesson,
				     enum lesson_mark_kind kind, size_t para, const char *anchor,
				     const char *excerpt)
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO bookmarks (uid, learner_id, lesson_id, para, excerpt, created_at,"
		" updated_at, highlight, anchor) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8"
		" WHERE NOT EXISTS (SELECT 1 FROM bookmarks WHERE learner_id = ?2"
		" AND lesson_id = ?3 AND para = ?4 AND highlight = ?7)");
	if (!stmt)
		return STORE_ERR_SQL;
	char uid[37];
	store_new_uuid(uid);
	size_t len = text_fit_n(excerpt, strlen(excerpt), LESSON_EXCERPT_COLUMNS);
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	sqlite3_bind_text(stmt, 3, lesson, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)para);
	sqlite3_bind_text(stmt, 5, excerpt, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 6, clock_now());
	sqlite3_bind_int(stmt, 7, kind == LESSON_MARK_HIGHLIGHT);
	sqlite3_bind_text(stmt, 8, anchor ? anchor : "", -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error lesson_bookmarks_all(struct store *st, int64_t learner, const char *lesson,
				      struct lesson_bookmark **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT b.uid, b.lesson_id, COALESCE(l.title, b.lesson_id), b.para, b.excerpt,"
		" b.created_at, b.highlight, b.anchor FROM bookmarks b"
		" LEFT JOIN lessons l ON l.id = b.lesson_id"
		" LEFT JOIN modules m ON m.id = l.module_id WHERE b.learner_id = ?1"
		" AND (?2 IS NULL OR b.lesson_id = ?2)"
		" ORDER BY l.id IS NULL, m.ord, l.ord, b.lesson_id, b.para, b.highlight");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner);
	if (lesson)
		sqlite3_bind_text(stmt, 2, lesson, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, 2);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct lesson_bookmark b = {.lesson_title = store_column_text(stmt, 2),
					    .para = (size_t)sqlite3_column_int64(stmt, 3),
					    .excerpt = store_column_text(stmt, 4),
					    .created_at = sqlite3_column_int64(stmt, 5),
					    .kind = sqlite3_column_int(stmt, 6) ? LESSON_MARK_HIGHLIGHT
										 : LESSON_MARK_BOOKMARK};
		snprintf(b.anchor, sizeof b.anchor, "%s", (const char *)sqlite3_column_text(stmt, 7));
		snprintf(b.uid, sizeof b.uid, "%s", (const char *)sqlite3_column_text(stmt, 0));
		snprintf(b.lesson, sizeof b.lesson, "%s", (const char *)sqlite3_column_text(stmt, 1));
		ARRAY_PUSH(*out, *count, cap, b);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

void lesson_bookmarks_free(struct lesson_bookmark *b, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(b[i].lesson_title);
		free(b[i].excerpt);
	}
	free(b);
}

enum store_error lesson_bookmark_delete(struct store *st, int64_t learner, const char *uid)
{
	if (store_is_readonly(st))
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt =
	    store_prepare(st, "DELETE FROM bookmarks WHERE uid = ? AND learner_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, learner);
	enum store_error e = store_step_done(st, stmt);
	if (e == STORE_OK && sqlite3_changes(store_db(st)) == 0)
		return STORE_ERR_NOTFOUND;
	return e;
}

enum store_error course_text_load(struct store *st, int width, struct course_text *out)
{
	memset(out, 0, sizeof *out);
	out->width = width;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT l.id, l.title, l.body FROM lessons l JOIN modules m ON m.id = l.module_id"
		" ORDER BY m.ord, l.ord, l.id");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct course_lesson cl = {.id = store_column_text(stmt, 0), .title = store_column_text(stmt, 1)};
		lesson_render_text(cl.title, (const char *)sqlite3_column_text(stmt, 2), width, &cl.doc);
		ARRAY_PUSH(out->lessons, out->count, cap, cl);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERR_SQL;
}

void course_text_free(struct course_text *ct)
{
	for (size_t i = 0; i < ct->count; i++) {
		free(ct->lessons[i].id);
		free(ct->lessons[i].title);
		md_doc_free(&ct->lessons[i].doc);
	}
	free(ct->lessons);
	memset(ct, 0, sizeof *ct);
}

size_t course_text_search(const struct course_text *ct, const struct pattern *p, size_t max,
			  struct course_hit **hits, size_t *count, bool *too_complex)
{
	*too_complex = false;
	*hits = NULL;
	*count = 0;
	size_t cap = 0, found = 0;
	struct md_hit *lesson_hits = NULL;
	size_t nlesson = 0, lesson_cap = 0;
	for (size_t i = 0; i < ct->count && !*too_complex; i++) {
		nlesson = 0;
		size_t room = max > *count ? max - *count : 0;
		found += md_doc_search(&ct->lessons[i].doc, p, room, &lesson_hits, &nlesson,
				       &lesson_cap, too_complex);
		for (size_t h = 0; h < nlesson; h++) {
			struct course_hit hit = {i, lesson_hits[h]};
			ARRAY_PUSH(*hits, *count, cap, hit);
		}
	}
	free(lesson_hits);
	return found;
}

/* The line, its front cut (with an ellipsis) when the match would end
 * past width columns, so that the match is on screen. */
static char *hit_line_text(const char *line, size_t len, int width, size_t *start, size_t *end)
{
	if (width < 8 || text_width_n(line, *end) <= width)
		return xstrndup(line, len);
	size_t from = 0;
	while (from < *start && text_width_n(line + from, *end - from) > width - 2) {
		from++;
		while (from < *start && ((unsigned char)line[from] & 0xc0) == 0x80)
			from++;
	}
	char *cut = xasprintf("\xe2\x80\xa6%.*s", (int)(len - from), line + from);
	*start = *start - from + 3;
	*end = *end - from + 3;
	return cut;
}

char *course_hit_line(const struct course_text *ct, const struct course_hit *hit, int width,
		      size_t *start, size_t *end)
{
	const struct md_para *para = &ct->lessons[hit->lesson].doc.paras[hit->hit.para];
	struct text_line *lines = NULL;
	size_t count = 0, cap = 0;
	/* A table row keeps its own lines, cut at the screen's edge rather
	 * than wrapped into pieces of cells. */
	int wrap = para->kind == MD_PARA_TABLE_ROW ? 1 << 20 : width;
	text_wrap_para(para->text, para->len, 0, 0, wrap, hit->hit.para, &lines, &count, &cap);
	size_t at = 0;
	while (at + 1 < count && lines[at + 1].start <= hit->hit.start)
		at++;
	struct text_line line = lines[at];
	size_t first_line_end = lines[0].end;
	free(lines);
	size_t s = hit->hit.start > line.start ? hit->hit.start : line.start;
	size_t e = hit->hit.end < line.end ? hit->hit.end : line.end;
	*start = s - line.start;
	*end = e > s ? e - line.start : *start;
	const char *raw = para->text + line.start;
	size_t raw_len = line.end - line.start;
	/* A table row: its first cell (the row's, from its first line when
	 * this is a later one) stays in front of the cut, so that the hit
	 * keeps its row. */
	const char *bar = "\xe2\x94\x82";
	const char *sep = para->kind != MD_PARA_TABLE_ROW ? NULL
			  : memmem(raw, raw_len, bar, 3)    ? bar
			  : memchr(raw, '|', raw_len)	    ? "|"
							    : NULL;
	const char *cut = sep ? memmem(raw, raw_len, sep, strlen(sep)) : NULL;
	size_t rest_at = cut ? (size_t)(cut - raw) + strlen(sep) : 0;
	while (cut && rest_at < raw_len && raw[rest_at] == ' ')
		rest_at++;
	if (!cut || *start < rest_at)
		return hit_line_text(raw, raw_len, width, start, end);
	size_t lead = strspn(raw, " ");
	const char *label = raw + lead;
	size_t label_len = (size_t)(cut - label);
	const struct md_doc *doc = &ct->lessons[hit->lesson].doc;
	for (size_t p = hit->hit.para + 1; !label_len && p-- > 0 &&
					   doc->paras[p].kind == MD_PARA_TABLE_ROW;) {
		if (p == hit->hit.para && at == 0)
			continue;
		const char *row = doc->paras[p].text;
		size_t row_len = p == hit->hit.para ? first_line_end : doc->paras[p].len;
		size_t row_lead = strspn(row, " ");
		const char *row_cut = memmem(row, row_len, sep, strlen(sep));
		if (row_cut && row_cut > row + row_lead) {
			label = row + row_lead;
			label_len = (size_t)(row_cut - label);
		}
	}
	while (label_len && label[label_len - 1] == ' ')
		label_len--;
	size_t s2 = *start - rest_at, e2 = *end - rest_at;
	int room = width - text_width_n(label, label_len) - 3;
	char *rest = hit_line_text(raw + rest_at, raw_len - rest_at, room, &s2, &e2);
	char *joined = xasprintf("%.*s %s %s", (int)label_len, label, sep, rest);
	free(rest);
	size_t shift = label_len + 2 + strlen(sep);
	*start = s2 + shift;
	*end = e2 + shift;
	return joined;
}
