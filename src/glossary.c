#include "glossary.h"

#include "content.h"
#include "store_sql.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum store_error glossary_load(struct store *st, struct glossary *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT term, aliases, definition, source, common FROM glossary"
		" ORDER BY term COLLATE NOCASE");
	if (!stmt)
		return STORE_ERR_SQL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct glossary_entry e = {
		    .term = store_column_text(stmt, 0),
		    .aliases = store_column_text(stmt, 1),
		    .definition = store_column_text(stmt, 2),
		    .source = store_column_text(stmt, 3),
		    .common = sqlite3_column_int(stmt, 4) != 0,
		};
		ARRAY_PUSH(out->entries, out->count, cap, e);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return STORE_ERR_SQL;
	stmt = store_prepare(st, "SELECT lesson_id FROM glossary_lessons WHERE term = ?"
				 " ORDER BY lesson_id");
	if (!stmt)
		return STORE_ERR_SQL;
	for (size_t i = 0; i < out->count; i++) {
		struct glossary_entry *e = &out->entries[i];
		size_t lcap = 0;
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, e->term, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			char *id = store_column_text(stmt, 0);
			ARRAY_PUSH(e->lessons, e->lesson_count, lcap, id);
		}
	}
	sqlite3_reset(stmt);
	/* The content checker compiles nothing here, so a term that cannot
	 * make a pattern only costs the highlighting, never the screen. */
	glossary_compile(out, NULL, 0);
	return STORE_OK;
}

void glossary_free(struct glossary *g)
{
	for (size_t i = 0; i < g->count; i++) {
		struct glossary_entry *e = &g->entries[i];
		free(e->term);
		free(e->aliases);
		free(e->definition);
		free(e->source);
		content_free_strings(e->lessons, e->lesson_count);
	}
	free(g->entries);
	pattern_free(g->terms);
	free(g->group_entry);
	memset(g, 0, sizeof *g);
}

struct spelling {
	char *text;
	size_t entry;
};

static int longest_first(const void *a, const void *b)
{
	const struct spelling *x = a, *y = b;
	size_t lx = strlen(x->text), ly = strlen(y->text);
	if (lx != ly)
		return lx < ly ? 1 : -1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* A literal for the pattern: ASCII punctuation escaped, any run of spaces
 * matching any white space (a term may be split across a line). */
static void add_literal(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ') {
			sb_puts(sb, "\\s+");
			while (s[1] == ' ')
				s++;
		} else if (c < 0x80 && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else {
			sb_putc(sb, (char)c);
		}
	}
}

int glossary_compile(struct glossary *g, char *err, size_t errlen)
{
	pattern_free(g->terms);
	g->terms = NULL;
	free(g->group_entry);
	g->group_entry = NULL;
	g->group_count = 0;

	struct spelling *all = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < g->count; i++) {
		struct spelling term = {xstrdup(g->entries[i].term), i};
		ARRAY_PUSH(all, count, cap, term);
		char **aliases;
		size_t n = content_split_choices(g->entries[i].aliases, &aliases);
		for (size_t a = 0; a < n; a++) {
			struct spelling alias = {aliases[a], i};
			ARRAY_PUSH(all, count, cap, alias);
		}
		free(aliases);
	}
	/* Trimmed white space leaves nothing to match in an empty one. */
	size_t kept = 0;
	for (size_t i = 0; i < count; i++) {
		str_trim(all[i].text);
		if (*all[i].text)
			all[kept++] = all[i];
		else
			free(all[i].text);
	}
	count = kept;
	if (!count) {
		free(all);
		return 0;
	}
	qsort(all, count, sizeof *all, longest_first);

	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "(?<![\\p{L}\\p{N}_])(?:");
	g->group_entry = xcalloc(count, sizeof *g->group_entry);
	for (size_t i = 0; i < count; i++) {
		sb_puts(&sb, i ? "|(" : "(");
		add_literal(&sb, all[i].text);
		sb_putc(&sb, ')');
		g->group_entry[i] = all[i].entry;
		free(all[i].text);
	}
	sb_puts(&sb, ")(?![\\p{L}\\p{N}_])");
	free(all);
	g->terms = pattern_compile(sb.data, err, errlen);
	sb_free(&sb);
	if (!g->terms) {
		free(g->group_entry);
		g->group_entry = NULL;
		return -1;
	}
	g->group_count = count;
	return 0;
}

/* Where a term is not a glossary word: code, headings (the reader's
 * landmarks), citations, link targets, bullets and rules. */
static const unsigned untouchable = MD_STYLE_CODE | MD_STYLE_LINK | MD_STYLE_LINK_REF |
				    MD_STYLE_HEADING | MD_STYLE_CITATION | MD_STYLE_BULLET |
				    MD_STYLE_RULE;

static bool eligible_para(const struct md_para *para)
{
	switch (para->kind) {
	case MD_PARA_TEXT:
	case MD_PARA_ITEM:
	case MD_PARA_QUOTE:
	case MD_PARA_TABLE_ROW:
		return true;
	default:
		return false;
	}
}

static bool touches(const struct md_para *para, size_t start, size_t end, unsigned style)
{
	for (size_t i = 0; i < para->span_count; i++) {
		const struct md_span *s = &para->spans[i];
		if (s->start < end && s->end > start && (s->style & style))
			return true;
	}
	return false;
}

/* Calls found(entry, start, end, data) for every term of a paragraph, in
 * order, the longest spelling first at each place. Returns false when the
 * terms' pattern hit PCRE2's limits there and the search stopped. */
static bool each_term(const struct glossary *g, const struct md_para *para,
		      void (*found)(size_t entry, size_t start, size_t end, void *data), void *data)
{
	size_t offset = 0, start, end;
	unsigned group;
	enum pattern_rc rc;
	while (offset < para->len &&
	       (rc = pattern_next_group(g->terms, para->text, para->len, offset, &start, &end,
					&group)) != PATTERN_NO_MATCH) {
		if (rc == PATTERN_TOO_COMPLEX)
			return false;
		if (end <= start || group == 0 || group > g->group_count)
			break;
		offset = end;
		found(g->group_entry[group - 1], start, end, data);
	}
	return true;
}

struct marking {
	const struct glossary *g;
	struct md_para *para;
	size_t section;
	/* last_section[e]: 1 + the section where common entry e was last
	 * styled; 0 for never. */
	size_t *last_section;
	size_t para_index;
	struct term_hit **hits;
	size_t *count, *cap;
};

static void mark_one(size_t entry, size_t start, size_t end, void *data)
{
	struct marking *m = data;
	if (touches(m->para, start, end, untouchable))
		return;
	if (m->g->entries[entry].common) {
		if (m->last_section[entry] == m->section + 1)
			return;
		m->last_section[entry] = m->section + 1;
	}
	md_para_add_style(m->para, start, end, MD_STYLE_TERM);
	struct term_hit hit = {m->para_index, start, end, entry};
	ARRAY_PUSH(*m->hits, *m->count, *m->cap, hit);
}

size_t glossary_mark(const struct glossary *g, struct md_doc *doc, struct term_hit **hits,
		     size_t *count, size_t *cap)
{
	size_t gave_up = 0;
	if (!g->terms)
		return 0;
	struct marking m = {.g = g, .hits = hits, .count = count, .cap = cap};
	m.last_section = xcalloc(g->count ? g->count : 1, sizeof *m.last_section);
	for (size_t p = 0; p < doc->count; p++) {
		/* A new section at every level 1 or 2 heading. */
		if (doc->paras[p].kind == MD_PARA_HEADING && doc->paras[p].level <= 2)
			m.section++;
		if (!eligible_para(&doc->paras[p]))
			continue;
		m.para = &doc->paras[p];
		m.para_index = p;
		if (!each_term(g, m.para, mark_one, &m))
			gave_up++;
	}
	free(m.last_section);
	return gave_up;
}

struct usage {
	const struct md_para *para;
	bool *used;
};

static void use_one(size_t entry, size_t start, size_t end, void *data)
{
	struct usage *u = data;
	if (!touches(u->para, start, end, MD_STYLE_CODE | MD_STYLE_CITATION | MD_STYLE_LINK_REF))
		u->used[entry] = true;
}

size_t glossary_usage(const struct glossary *g, const struct md_doc *doc, bool *used)
{
	size_t gave_up = 0;
	if (!g->terms)
		return 0;
	for (size_t p = 0; p < doc->count; p++) {
		const struct md_para *para = &doc->paras[p];
		if (!eligible_para(para) && para->kind != MD_PARA_HEADING)
			continue;
		struct usage u = {para, used};
		if (!each_term(g, para, use_one, &u))
			gave_up++;
	}
	return gave_up;
}

bool glossary_entry_matches(const struct glossary_entry *e, const char *filter)
{
	if (!filter || !*filter)
		return true;
	return strcasestr(e->term, filter) || strcasestr(e->aliases, filter) ||
	       strcasestr(e->definition, filter);
}
