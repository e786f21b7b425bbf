#include "bundle.h"

#include "bundle_values.h"
#include "clock.h"
#include "config.h"
#include "store_sql.h"
#include "textwrap.h"
#include "fileio.h"
#include "util.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

/* ---- the store's learner tables ------------------------------------------ */

/* Tables that refer to learners but stay on their machine. */
static const struct {
	const char *table, *reason;
} kept_home[] = {
	{"learner_settings", "preferences of one machine"},
	{"learner_keys", "the learner's private signing key, which never leaves their computer"},
	{"bundle_imports", "the coach's own import log"},
	{"coach_group_members", "the coach's own groups"},
	{"coach_answers", "totals that triggers keep from the attempts"},
	{"coach_learners", "totals that triggers keep from the attempts"},
	{"coach_lesson_best", "totals that triggers keep from the quiz takes"},
	{"coach_rubric_misses", "totals that triggers keep from the rubric grades"},
	{"coach_bulk", "a marker while an import runs"},
};

/* Rows that change after they are written, and the column that says which
 * copy is newer (besides any table's updated_at). */
static const struct {
	const char *table, *column;
} version_columns[] = {
	{"quiz_takes", "answered"},     /* a take in progress gains answers */
	{"mock_sessions", "finished_at"}, /* NULL until the mock interview ends */
	{"review_cards", "last_review"},
};

enum affinity { AFF_INTEGER, AFF_REAL, AFF_NUMERIC, AFF_TEXT };

struct bcolumn {
	char *name;
	enum affinity affinity;
	bool notnull, has_default;
	int pk; /* position in the primary key, 0 when not in it */
};

/* A column that refers to a row of another table (one column each). */
struct bref {
	char *column, *table, *to;
};

struct btable {
	char *name;
	struct bcolumn *columns; /* learner_id left out */
	size_t column_count, column_cap;
	bool learner_owned;       /* has learner_id; else owned through parent */
	bool learner_in_key;      /* learner_id is part of the primary key */
	char *parent, *parent_column, *owner_column; /* child tables */
	char **refs;              /* learner tables it refers to */
	size_t ref_count, ref_cap;
	const char *version;      /* a column of columns, or NULL */
	struct bref *fks;         /* besides learner_id */
	size_t fk_count, fk_cap;
};

struct schema {
	struct btable *tables; /* in dependency order */
	size_t count, cap;
	char **skipped;
	size_t skipped_count, skipped_cap;
	/* Every reference of the tables is one column of one table, which
	 * the import checks itself (check_references), so that SQLite's own
	 * check can be off while a batch is written. */
	bool refs_checked;
};

/* SQLite's column affinity rules (section 3.1 of "Datatypes In SQLite"). */
static enum affinity affinity_of(const char *type)
{
	char up[64];
	size_t i = 0;
	for (; type[i] && i + 1 < sizeof up; i++)
		up[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
	up[i] = '\0';
	if (strstr(up, "INT"))
		return AFF_INTEGER;
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return AFF_TEXT;
	if (!up[0] || strstr(up, "BLOB"))
		return AFF_TEXT;
	if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
		return AFF_REAL;
	return AFF_NUMERIC;
}

static void btable_free(struct btable *t)
{
	free(t->name);
	for (size_t i = 0; i < t->column_count; i++)
		free(t->columns[i].name);
	free(t->columns);
	free(t->parent);
	free(t->parent_column);
	free(t->owner_column);
	for (size_t i = 0; i < t->ref_count; i++)
		free(t->refs[i]);
	free(t->refs);
	for (size_t i = 0; i < t->fk_count; i++) {
		free(t->fks[i].column);
		free(t->fks[i].table);
		free(t->fks[i].to);
	}
	free(t->fks);
}

static void schema_free(struct schema *s)
{
	for (size_t i = 0; i < s->count; i++)
		btable_free(&s->tables[i]);
	free(s->tables);
	for (size_t i = 0; i < s->skipped_count; i++)
		free(s->skipped[i]);
	free(s->skipped);
	memset(s, 0, sizeof *s);
}

static const struct btable *schema_find(const struct schema *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++)
		if (!strcmp(s->tables[i].name, name))
			return &s->tables[i];
	return NULL;
}

static const struct bcolumn *table_column(const struct btable *t, const char *name)
{
	for (size_t i = 0; i < t->column_count; i++)
		if (!strcmp(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

struct fk {
	char *table, *from, *to, *on_delete;
	int id; /* the rows of a many-column reference share it */
};

struct raw_table {
	char *name;
	struct bcolumn *columns;
	size_t column_count, column_cap;
	bool has_learner_column, learner_fk, learner_in_key;
	struct fk *fks;
	size_t fk_count, fk_cap;
	bool has_pk;
};

static void raw_table_free(struct raw_table *r)
{
	free(r->name);
	for (size_t i = 0; i < r->column_count; i++)
		free(r->columns[i].name);
	free(r->columns);
	for (size_t i = 0; i < r->fk_count; i++) {
		free(r->fks[i].table);
		free(r->fks[i].from);
		free(r->fks[i].to);
		free(r->fks[i].on_delete);
	}
	free(r->fks);
}

static int read_raw_tables(struct store *st, struct raw_table **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *names = store_prepare(
	    st, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		" ORDER BY name");
	sqlite3_stmt *cols = store_prepare(
	    st, "SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk"
		" FROM pragma_table_info(?) ORDER BY cid");
	sqlite3_stmt *fks = store_prepare(
	    st, "SELECT \"table\", \"from\", COALESCE(\"to\", ''), on_delete, id"
		" FROM pragma_foreign_key_list(?) ORDER BY id, seq");
	if (!names || !cols || !fks)
		return -1;
	while (sqlite3_step(names) == SQLITE_ROW) {
		struct raw_table r;
		memset(&r, 0, sizeof r);
		r.name = store_column_text(names, 0);
		sqlite3_reset(cols);
		sqlite3_bind_text(cols, 1, r.name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			struct bcolumn c = {
			    .name = store_column_text(cols, 0),
			    .affinity = affinity_of((const char *)sqlite3_column_text(cols, 1)
							? (const char *)sqlite3_column_text(cols, 1)
							: ""),
			    .notnull = sqlite3_column_int(cols, 2) != 0,
			    .has_default = sqlite3_column_int(cols, 3) != 0,
			    .pk = sqlite3_column_int(cols, 4),
			};
			if (c.pk)
				r.has_pk = true;
			if (!strcmp(c.name, "learner_id")) {
				r.has_learner_column = true;
				r.learner_in_key = c.pk > 0;
			}
			ARRAY_PUSH(r.columns, r.column_count, r.column_cap, c);
		}
		sqlite3_reset(fks);
		sqlite3_bind_text(fks, 1, r.name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(fks) == SQLITE_ROW) {
			struct fk f = {store_column_text(fks, 0), store_column_text(fks, 1), store_column_text(fks, 2),
				       store_column_text(fks, 3), sqlite3_column_int(fks, 4)};
			if (!strcmp(f.table, "learners") && !strcmp(f.from, "learner_id"))
				r.learner_fk = true;
			ARRAY_PUSH(r.fks, r.fk_count, r.fk_cap, f);
		}
		ARRAY_PUSH(*out, *count, cap, r);
	}
	sqlite3_reset(names);
	sqlite3_reset(cols);
	sqlite3_reset(fks);
	return 0;
}

static const char *kept_home_reason(const char *table)
{
	for (size_t i = 0; i < sizeof kept_home / sizeof kept_home[0]; i++)
		if (!strcmp(kept_home[i].table, table))
			return kept_home[i].reason;
	return NULL;
}

static void take_columns(struct btable *t, struct raw_table *r)
{
	for (size_t i = 0; i < r->column_count; i++) {
		if (!strcmp(r->columns[i].name, "learner_id")) {
			free(r->columns[i].name);
			continue;
		}
		ARRAY_PUSH(t->columns, t->column_count, t->column_cap, r->columns[i]);
	}
	free(r->columns);
	r->columns = NULL;
	r->column_count = r->column_cap = 0;
	const char *version = NULL;
	for (size_t i = 0; i < sizeof version_columns / sizeof version_columns[0]; i++)
		if (!strcmp(version_columns[i].table, t->name))
			version = version_columns[i].column;
	if (!version)
		version = "updated_at";
	const struct bcolumn *c = table_column(t, version);
	t->version = c && !c->pk ? c->name : NULL;
}

static const struct raw_table *raw_find(const struct raw_table *raw, size_t nraw,
					const char *name)
{
	for (size_t k = 0; k < nraw; k++)
		if (!strcmp(raw[k].name, name))
			return &raw[k];
	return NULL;
}

/* Why the owner of the row that reference k of r names cannot be checked
 * (malloc'd), or NULL when it can, or when the row is nobody's (a course
 * row). A learner's row is one of a table with a learner_id, or of a
 * learner table found (found, the refused ones gone). */
static char *unchecked_owner(const struct raw_table *raw, size_t nraw, const struct btable *found,
			     size_t nfound, const bool *refused, const struct raw_table *r, size_t k)
{
	const struct fk *f = &r->fks[k];
	const struct raw_table *target = raw_find(raw, nraw, f->table);
	bool learners = target && target->has_learner_column;
	bool travels = false;
	for (size_t j = 0; j < nfound; j++) {
		if (strcmp(found[j].name, f->table))
			continue;
		learners = true;
		if (refused[j])
			return xasprintf("it refers to %s, which stays home", f->table);
		travels = true;
	}
	if (!learners)
		return NULL;
	if (!travels)
		return xasprintf("it refers to %s, which stays home", f->table);
	bool composite = (k > 0 && r->fks[k - 1].id == f->id) ||
			 (k + 1 < r->fk_count && r->fks[k + 1].id == f->id);
	if (composite || !f->to[0])
		return xasprintf("its reference to %s is not one named column, so the import "
				 "cannot check whose row it names",
				 f->table);
	return NULL;
}

/* schema_load's work: the raw tables of the database and the learner
 * tables found among them, with what became of each. */
struct schema_work {
	struct raw_table *raw;
	size_t nraw;
	bool *taken; /* per raw table: a learner table, sent or not */
	struct btable *found;
	size_t nfound, capfound;
	bool *placed, *refused; /* per found table */
};

/* The tables with learner_id referring to learners. */
static void find_learner_tables(struct schema_work *w, struct schema *s)
{
	for (size_t i = 0; i < w->nraw; i++) {
		struct raw_table *r = &w->raw[i];
		const char *reason = kept_home_reason(r->name);
		if (!r->learner_fk)
			continue;
		w->taken[i] = true;
		if (reason) {
			ARRAY_PUSH(s->skipped, s->skipped_count, s->skipped_cap,
				   xasprintf("%s: %s", r->name, reason));
			continue;
		}
		if (!r->has_pk) {
			ARRAY_PUSH(s->skipped, s->skipped_count, s->skipped_cap,
				   xasprintf("%s: no primary key to merge rows on", r->name));
			continue;
		}
		struct btable t;
		memset(&t, 0, sizeof t);
		t.name = xstrdup(r->name);
		t.learner_owned = true;
		t.learner_in_key = r->learner_in_key;
		take_columns(&t, r);
		ARRAY_PUSH(w->found, w->nfound, w->capfound, t);
	}
}

/* Tables owned through a learner table (rubric grades of an answer). */
static void find_owned_tables(struct schema_work *w, struct schema *s)
{
	size_t owners = w->nfound;
	for (size_t i = 0; i < w->nraw; i++) {
		struct raw_table *r = &w->raw[i];
		if (w->taken[i] || r->has_learner_column)
			continue;
		for (size_t k = 0; k < r->fk_count; k++) {
			const struct fk *f = &r->fks[k];
			bool owner = false;
			for (size_t j = 0; j < owners; j++)
				owner |= !strcmp(w->found[j].name, f->table);
			if (!owner || strcmp(f->on_delete, "CASCADE") || !f->to[0])
				continue;
			w->taken[i] = true;
			if (!r->has_pk) {
				ARRAY_PUSH(s->skipped, s->skipped_count, s->skipped_cap,
					   xasprintf("%s: no primary key to merge rows on", r->name));
				break;
			}
			struct btable t;
			memset(&t, 0, sizeof t);
			t.name = xstrdup(r->name);
			t.parent = xstrdup(f->table);
			t.parent_column = xstrdup(f->to);
			t.owner_column = xstrdup(f->from);
			take_columns(&t, r);
			/* Versions are compared per learner; owned rows are written
			 * once. */
			t.version = NULL;
			ARRAY_PUSH(w->found, w->nfound, w->capfound, t);
			break;
		}
	}
}

/* References between learner tables, for the order. */
static void note_references(struct schema_work *w, struct schema *s)
{
	struct btable *found = w->found;
	for (size_t i = 0; i < w->nfound; i++) {
		const struct raw_table *r = raw_find(w->raw, w->nraw, found[i].name);
		for (size_t k = 0; r && k < r->fk_count; k++)
			for (size_t j = 0; j < w->nfound; j++)
				if (j != i && !strcmp(found[j].name, r->fks[k].table))
					ARRAY_PUSH(found[i].refs, found[i].ref_count,
						   found[i].ref_cap, xstrdup(found[j].name));
		/* The references the import checks itself: any other than the
		 * learner's, when each is one column naming its target. */
		for (size_t k = 0; r && k < r->fk_count; k++) {
			const struct fk *f = &r->fks[k];
			if (!strcmp(f->from, "learner_id") && !strcmp(f->table, "learners"))
				continue;
			bool composite = (k > 0 && r->fks[k - 1].id == f->id) ||
					 (k + 1 < r->fk_count && r->fks[k + 1].id == f->id);
			if (composite || !f->to[0]) {
				s->refs_checked = false;
				continue;
			}
			struct bref ref = {xstrdup(f->from), xstrdup(f->table), xstrdup(f->to)};
			ARRAY_PUSH(found[i].fks, found[i].fk_count, found[i].fk_cap, ref);
		}
	}
}

/* A table that refers to a learner's row in a way the import cannot
 * check for its owner (a row that stays home, a reference of several
 * columns or to an unnamed key) stays home too, and so does any that
 * refers to it: no bundle row may hang on another learner's. */
static void refuse_unchecked(struct schema_work *w, struct schema *s)
{
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < w->nfound; i++) {
			const struct raw_table *r = raw_find(w->raw, w->nraw, w->found[i].name);
			for (size_t k = 0; !w->refused[i] && r && k < r->fk_count; k++) {
				const struct fk *f = &r->fks[k];
				if (!strcmp(f->from, "learner_id") && !strcmp(f->table, "learners"))
					continue;
				char *why = unchecked_owner(w->raw, w->nraw, w->found, w->nfound,
							    w->refused, r, k);
				if (!why)
					continue;
				ARRAY_PUSH(s->skipped, s->skipped_count, s->skipped_cap,
					   xasprintf("%s: %s", w->found[i].name, why));
				free(why);
				w->refused[i] = w->placed[i] = again = true;
			}
		}
	}
}

/* Every table after the tables it refers to; a cycle of references
 * cannot be ordered: such tables stay home. */
static void order_tables(struct schema_work *w, struct schema *s)
{
	struct btable *found = w->found;
	for (size_t round = 0; round < w->nfound; round++) {
		for (size_t i = 0; i < w->nfound; i++) {
			if (w->placed[i])
				continue;
			bool ready = true;
			for (size_t k = 0; k < found[i].ref_count; k++) {
				bool done = false;
				for (size_t j = 0; j < s->count; j++)
					done |= !strcmp(s->tables[j].name, found[i].refs[k]);
				ready &= done;
			}
			if (ready) {
				ARRAY_PUSH(s->tables, s->count, s->cap, found[i]);
				w->placed[i] = true;
			}
		}
	}
	for (size_t i = 0; i < w->nfound; i++) {
		if (w->placed[i] && !w->refused[i])
			continue;
		if (!w->placed[i])
			ARRAY_PUSH(s->skipped, s->skipped_count, s->skipped_cap,
				   xasprintf("%s: its references form a cycle", found[i].name));
		btable_free(&found[i]);
	}
}

/* Finds the learner tables: those with learner_id referring to learners,
 * then those owned (ON DELETE CASCADE) through a learner table's key, and
 * orders them so that every table comes after the tables it refers to. */
static int schema_load(struct store *st, struct schema *s)
{
	memset(s, 0, sizeof *s);
	s->refs_checked = true;
	struct schema_work w = {0};
	if (read_raw_tables(st, &w.raw, &w.nraw) != 0)
		return -1;
	w.taken = xcalloc(w.nraw, sizeof *w.taken);
	find_learner_tables(&w, s);
	find_owned_tables(&w, s);
	note_references(&w, s);
	w.placed = xcalloc(w.nfound ? w.nfound : 1, sizeof *w.placed);
	w.refused = xcalloc(w.nfound ? w.nfound : 1, sizeof *w.refused);
	refuse_unchecked(&w, s);
	order_tables(&w, s);
	free(w.refused);
	free(w.placed);
	free(w.found);
	free(w.taken);
	for (size_t i = 0; i < w.nraw; i++)
		raw_table_free(&w.raw[i]);
	free(w.raw);
	return 0;
}

int bundle_tables(struct store *st, char ***out, size_t *count, char ***skipped,
		  size_t *skipped_count)
{
	struct schema s;
	*out = NULL;
	*count = 0;
	if (schema_load(st, &s) != 0)
		return -1;
	*out = xcalloc(s.count ? s.count : 1, sizeof **out);
	for (size_t i = 0; i < s.count; i++)
		(*out)[i] = xstrdup(s.tables[i].name);
	*count = s.count;
	if (skipped) {
		*skipped = s.skipped;
		*skipped_count = s.skipped_count;
		s.skipped = NULL;
		s.skipped_count = 0;
	}
	schema_free(&s);
	return 0;
}

void bundle_names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* An identifier from the schema, quoted for SQL. Names come from
 * sqlite_schema, never from a bundle: a bundle's names are only compared
 * with them. */
static void sb_ident(struct strbuf *sb, const char *prefix, const char *name)
{
	if (prefix)
		sb_printf(sb, "%s.", prefix);
	sb_putc(sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *p);
	}
	sb_putc(sb, '"');
}

/* ---- writing ------------------------------------------------------------- */

/* libcsv trims unquoted spaces and tabs when it reads, so a field that
 * starts or ends with one is quoted, as is one with a separator, a quote or
 * a line break. */
static void write_field(FILE *out, const char *f)
{
	size_t n = strlen(f);
	bool quote = f[strcspn(f, ",\"\r\n")] || (n && (f[0] == ' ' || f[0] == '\t' ||
							  f[n - 1] == ' ' || f[n - 1] == '\t'));
	if (quote)
		csv_fwrite(out, f, n);
	else
		fwrite(f, 1, n, out);
}

static void write_row(FILE *out, const char *section, const char *kind, const char *const *rest,
		      size_t n)
{
	write_field(out, section);
	fputc(',', out);
	write_field(out, kind);
	for (size_t i = 0; i < n; i++) {
		fputc(',', out);
		write_field(out, rest[i]);
	}
	fputc('\n', out);
}

static void write_meta(FILE *out, const char *key, const char *value)
{
	write_row(out, "meta", key, &value, 1);
}

/* The shortest decimal that reads back as the same double. */
static void format_real(double v, char *buf, size_t size)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static int write_section(struct store *st, const struct btable *t, int64_t learner_id,
			 FILE *out, size_t *rows, char *err, size_t errlen)
{
	const char **names = xmalloc(t->column_count * sizeof *names);
	for (size_t i = 0; i < t->column_count; i++)
		names[i] = t->columns[i].name;
	write_row(out, t->name, "columns", names, t->column_count);
	free(names);

	struct strbuf sql;
	sb_init(&sql);
	sb_puts(&sql, "SELECT ");
	for (size_t i = 0; i < t->column_count; i++) {
		if (i)
			sb_puts(&sql, ", ");
		sb_ident(&sql, "c", t->columns[i].name);
	}
	sb_puts(&sql, " FROM ");
	sb_ident(&sql, NULL, t->name);
	sb_puts(&sql, " c");
	if (t->learner_owned) {
		sb_puts(&sql, " WHERE c.learner_id = ?1");
	} else {
		sb_puts(&sql, " JOIN ");
		sb_ident(&sql, NULL, t->parent);
		sb_puts(&sql, " p ON ");
		sb_ident(&sql, "p", t->parent_column);
		sb_puts(&sql, " = ");
		sb_ident(&sql, "c", t->owner_column);
		sb_puts(&sql, " WHERE p.learner_id = ?1");
	}
	sb_puts(&sql, " ORDER BY ");
	bool first = true;
	for (size_t i = 0; i < t->column_count; i++) {
		if (!t->columns[i].pk)
			continue;
		sb_puts(&sql, first ? "" : ", ");
		sb_ident(&sql, "c", t->columns[i].name);
		first = false;
	}
	sqlite3_stmt *stmt = store_prepare(st, sql.data);
	sb_free(&sql);
	if (!stmt)
		return format_error(err, errlen, "cannot read %s: %s", t->name, store_errmsg(st));
	sqlite3_bind_int64(stmt, 1, learner_id);
	char **values = xcalloc(t->column_count, sizeof *values);
	int rc;
	int status = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (size_t i = 0; i < t->column_count; i++) {
			char num[40];
			const char *v = "";
			switch (sqlite3_column_type(stmt, (int)i)) {
			case SQLITE_INTEGER:
				snprintf(num, sizeof num, "%lld",
					 (long long)sqlite3_column_int64(stmt, (int)i));
				v = num;
				break;
			case SQLITE_FLOAT:
				format_real(sqlite3_column_double(stmt, (int)i), num, sizeof num);
				v = num;
				break;
			case SQLITE_TEXT:
			case SQLITE_BLOB:
				v = (const char *)sqlite3_column_text(stmt, (int)i);
				break;
			default:
				break;
			}
			values[i] = xstrdup(v ? v : "");
		}
		write_row(out, t->name, "row", (const char *const *)values, t->column_count);
		for (size_t i = 0; i < t->column_count; i++)
			free(values[i]);
		(*rows)++;
	}
	free(values);
	if (rc != SQLITE_DONE) {
		format_error(err, errlen, "cannot read %s: %s", t->name, store_errmsg(st));
		status = -1;
	}
	sqlite3_reset(stmt);
	return status;
}

int bundle_write(struct store *st, const struct learner *learner, int64_t now, FILE *out,
		 size_t *rows, char *err, size_t errlen)
{
	*rows = 0;
	char *content = store_content_hash(st);
	if (!content)
		return format_error(
		    err, errlen,
		    "no course is imported in this database, so the bundle could not name its "
		    "course version (run 'aipm content import')");
	/* Before the snapshot below: a learner from before keys gets theirs
	 * in a transaction of its own. */
	struct learner_key key;
	enum store_error ke = learner_key_load(st, learner->id, &key);
	if (ke != STORE_OK) {
		free(content);
		if (ke == STORE_ERR_NOTFOUND)
			format_error(err, errlen,
				"%s's progress was imported from a bundle: only the computer they sign "
				"in on holds their key, so only it can export their progress",
				learner->name);
		else
			format_error(err, errlen, "cannot read the learner's signing key: %s",
				     store_errmsg(st));
		return -1;
	}
	struct schema s;
	if (schema_load(st, &s) != 0) {
		free(content);
		learner_key_wipe(&key);
		return format_error(err, errlen, "cannot read the database schema: %s",
				    store_errmsg(st));
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		free(content);
		schema_free(&s);
		learner_key_wipe(&key);
		return format_error(err, errlen, "out of memory");
	}
	char num[32];
	snprintf(num, sizeof num, "%d", BUNDLE_FORMAT);
	const char *format[] = {num};
	write_row(mem, BUNDLE_MAGIC, "format", format, 1);
	/* The key in its fixed place, the second line, where the reader takes
	 * it before it parses anything else. */
	char pub[KEY_PUBLIC_BASE64 + 1];
	key_base64(key.pub, KEY_PUBLIC_SIZE, pub);
	write_meta(mem, "public_key", pub);
	write_meta(mem, "aipm_version", AIPM_VERSION);
	write_meta(mem, "learner_uuid", learner->uuid);
	write_meta(mem, "learner_name", learner->name);
	snprintf(num, sizeof num, "%" PRId64, learner->created_at);
	write_meta(mem, "learner_created_at", num);
	write_meta(mem, "content_version", content);
	snprintf(num, sizeof num, "%" PRId64, now);
	write_meta(mem, "exported_at", num);
	free(content);

	/* One snapshot: a write from the app in between cannot tear the
	 * bundle. */
	int status = sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	if (status != 0)
		format_error(err, errlen, "cannot read the database: %s", store_errmsg(st));
	for (size_t i = 0; status == 0 && i < s.count; i++)
		status = write_section(st, &s.tables[i], learner->id, mem, rows, err, errlen);
	sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
	schema_free(&s);
	if (fclose(mem) != 0 && status == 0) {
		format_error(err, errlen, "out of memory");
		status = -1;
	}
	if (status == 0) {
		uint8_t sig[KEY_SIGNATURE_SIZE];
		key_sign(key.pub, key.priv, buf, len, sig);
		char b64[KEY_SIGNATURE_BASE64 + 1];
		key_base64(sig, sizeof sig, b64);
		if (fwrite(buf, 1, len, out) != len || fprintf(out, "signature,ed25519,%s\n", b64) < 0 ||
		    fflush(out) != 0) {
			format_error(err, errlen, "cannot write the bundle: %s", strerror(errno));
			status = -1;
		}
	}
	learner_key_wipe(&key);
	free(buf);
	return status;
}

int bundle_export(struct store *st, const struct learner *learner, int64_t now,
		  const char *path, bool replace, size_t *rows, char *err, size_t errlen)
{
	/* Bundles hold a learner's answers: readable by the owner only, as
	 * the database is. */
	struct file_out *o = file_out_open(path, FILE_PRIVATE, replace, err, errlen);
	if (!o)
		return -1;
	char detail[512];
	if (bundle_write(st, learner, now, file_out_stream(o), rows, detail, sizeof detail) != 0) {
		format_error(err, errlen, "%s: %s", path, detail);
		file_out_abort(o);
		return -1;
	}
	return file_out_commit(o, err, errlen);
}

/* ---- reading ------------------------------------------------------------- */

/* Strict UTF-8 (text_decode_utf8). */
static bool valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t c;
		unsigned len = text_decode_utf8((const unsigned char *)s + i, n - i, &c);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

/* A table or column name as the store spells them. */
static bool plain_name(const char *s)
{
	if (!*s || strlen(s) > 64 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

struct record {
	int line;
	size_t first_field, field_count;
};

struct csv_reader {
	struct bundle *b;
	struct record *records;
	size_t record_count, record_cap;
	size_t record_first; /* first field of the record being read */
	int line, row_start;
	int bad_line;	     /* first field with a NUL byte or bad UTF-8 */
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct csv_reader *r = ctx;
	struct bundle *b = r->b;
	const char *s = data ? data : "";
	if (!data)
		len = 0;
	if (!r->bad_line && (memchr(s, '\0', len) || !valid_utf8(s, len)))
		r->bad_line = r->row_start;
	ARRAY_PUSH(b->offsets, b->field_count, b->field_cap, b->text_len);
	grow_array((void **)&b->text, &b->text_cap, b->text_len + len + 1, 1);
	memcpy(b->text + b->text_len, s, len);
	b->text_len += len;
	b->text[b->text_len++] = '\0';
}

static void on_record(int c, void *ctx)
{
	(void)c;
	struct csv_reader *r = ctx;
	struct record rec = {r->row_start, r->record_first, r->b->field_count - r->record_first};
	ARRAY_PUSH(r->records, r->record_count, r->record_cap, rec);
	r->record_first = r->b->field_count;
}

static const char *field_of(const struct bundle *b, const struct record *rec, size_t i)
{
	return b->text + b->offsets[rec->first_field + i];
}

static bool parse_int64(const char *s, int64_t *out)
{
	if (!*s)
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || end == s || *s == ' ' || *s == '+')
		return false;
	*out = v;
	return true;
}

/* The meta rows this format has; each appears once. */
enum meta_key {
	META_PUBLIC_KEY,
	META_VERSION,
	META_UUID,
	META_NAME,
	META_CREATED,
	META_CONTENT,
	META_EXPORTED,
	META_COUNT
};
static const char *const meta_keys[META_COUNT] = {
    "public_key",      "aipm_version", "learner_uuid", "learner_name", "learner_created_at",
    "content_version", "exported_at",
};

static int take_meta(struct bundle *b, const char *name, const struct record *rec,
		     bool *seen, char *err, size_t errlen)
{
	const char *key = field_of(b, rec, 1);
	int k = -1;
	for (int i = 0; i < META_COUNT; i++)
		if (!strcmp(meta_keys[i], key))
			k = i;
	if (k < 0)
		return format_error(err, errlen, "%s:%d: unknown metadata '%.40s'", name, rec->line,
				    key);
	if (rec->field_count != 3)
		return format_error(err, errlen, "%s:%d: metadata '%s' needs exactly one value",
				    name, rec->line, key);
	if (seen[k])
		return format_error(err, errlen, "%s:%d: metadata '%s' appears twice", name,
				    rec->line, key);
	seen[k] = true;
	const char *v = field_of(b, rec, 2);
	struct bundle_meta *m = &b->meta;
	size_t n = strlen(v);
	switch ((enum meta_key)k) {
	case META_PUBLIC_KEY: {
		/* Read before the signature was checked (read_public_key): the
		 * same bytes, so the same key. */
		uint8_t pub[KEY_PUBLIC_SIZE];
		if (key_unbase64(v, n, pub, sizeof pub) != 0 || memcmp(pub, m->public_key, sizeof pub))
			goto bad;
		return 0;
	}
	case META_VERSION:
		if (!n || n >= sizeof m->aipm_version)
			goto bad;
		memcpy(m->aipm_version, v, n + 1);
		return 0;
	case META_UUID: {
		uuid_t u;
		if (n != 36 || uuid_parse(v, u) != 0)
			goto bad;
		for (size_t i = 0; i < n; i++)
			if (v[i] >= 'A' && v[i] <= 'F')
				goto bad;
		memcpy(m->learner_uuid, v, n + 1);
		return 0;
	}
	case META_NAME: {
		const char *problem = store_learner_name_problem(v);
		if (problem)
			return format_error(err, errlen,
					    "%s:%d: metadata 'learner_name' cannot be a name: %s",
					    name, rec->line, problem);
		memcpy(m->learner_name, v, n + 1);
		return 0;
	}
	case META_CREATED:
		/* The upper bound is the import's clock (bundle_import). */
		if (!parse_int64(v, &m->learner_created_at) ||
		    m->learner_created_at < BUNDLE_TIME_MIN)
			goto bad;
		m->created_line = rec->line;
		return 0;
	case META_CONTENT:
		if (!n || n >= sizeof m->content_version)
			goto bad;
		for (size_t i = 0; i < n; i++)
			if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
				goto bad;
		memcpy(m->content_version, v, n + 1);
		return 0;
	case META_EXPORTED:
		if (!parse_int64(v, &m->exported_at) || m->exported_at < BUNDLE_TIME_MIN)
			goto bad;
		m->exported_line = rec->line;
		return 0;
	case META_COUNT:
		break;
	}
bad:
	return format_error(err, errlen, "%s:%d: metadata '%s' has an invalid value '%.60s'", name,
			    rec->line, key, v);
}

/* The first line: the magic and the format, before anything else is
 * trusted (a later format may change the rest, the checksum included). */
static int check_first_line(const char *name, const char *data, size_t len, struct bundle *b,
			    char *err, size_t errlen)
{
	static const char prefix[] = BUNDLE_MAGIC ",format,";
	const char *nl = memchr(data, '\n', len);
	size_t n = nl ? (size_t)(nl - data) : len;
	if (n && data[n - 1] == '\r')
		n--;
	if (n < sizeof prefix - 1 || memcmp(data, prefix, sizeof prefix - 1) != 0)
		return format_error(
		    err, errlen,
		    "%s:1: not an aipm progress bundle (it should start with '%s%d'); "
		    "make one with 'aipm progress export'",
		    name, prefix, BUNDLE_FORMAT);
	char digits[16];
	size_t dn = n - (sizeof prefix - 1);
	if (dn == 0 || dn >= sizeof digits)
		return format_error(err, errlen, "%s:1: the bundle format is not a number", name);
	memcpy(digits, data + sizeof prefix - 1, dn);
	digits[dn] = '\0';
	int64_t format;
	if (!parse_int64(digits, &format) || format < 1)
		return format_error(err, errlen,
				    "%s:1: the bundle format '%s' is not a version number", name,
				    digits);
	if (format > BUNDLE_FORMAT)
		return format_error(err, errlen,
				    "%s: bundle format %" PRId64
				    " is newer than this aipm (%s) reads (up to "
				    "format %d): upgrade aipm to import it",
				    name, format, AIPM_VERSION, BUNDLE_FORMAT);
	if (format < BUNDLE_FORMAT)
		return format_error(
		    err, errlen,
		    "%s:1: bundle format %" PRId64 " is no longer imported: it is not signed, so "
		    "nothing shows who made it; ask the learner to export it again with aipm %s "
		    "or later (format %d)",
		    name, format, AIPM_VERSION, BUNDLE_FORMAT);
	b->meta.format = (int)format;
	return 0;
}

static int count_lines(const char *data, size_t len)
{
	int lines = 1;
	for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))); p++)
		lines++;
	return lines;
}

/* The key on the second line, "meta,public_key,<base64>", read from the
 * bytes before anything is parsed: the signature is checked with it, and
 * no earlier field can hold a line break that would make another line
 * second (the first line is exactly the format's). */
static int read_public_key(const char *name, const char *data, size_t len, struct bundle *b,
			   char *err, size_t errlen)
{
	static const char prefix[] = "meta,public_key,";
	const char *line = memchr(data, '\n', len);
	line = line ? line + 1 : data + len;
	size_t rest = (size_t)(data + len - line);
	const char *nl = memchr(line, '\n', rest);
	size_t n = nl ? (size_t)(nl - line) : rest;
	if (n < sizeof prefix - 1 || memcmp(line, prefix, sizeof prefix - 1) != 0)
		return format_error(
		    err, errlen,
		    "%s:2: the second row should be the learner's public key ('%s...')", name,
		    prefix);
	if (key_unbase64(line + sizeof prefix - 1, n - (sizeof prefix - 1), b->meta.public_key,
			 KEY_PUBLIC_SIZE) != 0) {
		return format_error(err, errlen,
				    "%s:2: the public key is not an Ed25519 key (%d base64 digits)",
				    name, KEY_PUBLIC_BASE64);
	}
	key_fingerprint(b->meta.public_key, b->meta.fingerprint);
	return 0;
}

/* The signature row ends the file and covers every byte before it;
 * returns the length of what it covers. */
static int check_signature(const char *name, const char *data, size_t len, struct bundle *b,
			   size_t *body_len, char *err, size_t errlen)
{
	static const char prefix[] = "signature,ed25519,";
	if (read_public_key(name, data, len, b, err, errlen) != 0)
		return -1;
	size_t end = len;
	if (end && data[end - 1] == '\n')
		end--;
	size_t start = end;
	while (start > 0 && data[start - 1] != '\n')
		start--;
	const char *last = data + start;
	size_t n = end - start;
	if (n < sizeof prefix - 1 || memcmp(last, prefix, sizeof prefix - 1) != 0) {
		const char *row = memmem(data, start, "\n" "signature,ed25519,", sizeof prefix);
		if (n && !memcmp(last, prefix, n < sizeof prefix - 1 ? n : sizeof prefix - 1))
			format_error(err, errlen,
				"%s:%d: the bundle is truncated: it ends inside its signature row",
				name, count_lines(data, start));
		else if (row)
			format_error(err, errlen,
				"%s:%d: the bundle was changed after it was exported: there is more "
				"after its signature row",
				name, count_lines(data, (size_t)(row - data) + 1) + 1);
		else
			format_error(err, errlen,
				"%s:%d: the bundle is truncated: it does not end with its signature "
				"row (export it again and copy the whole file)",
				name, count_lines(data, start));
		return -1;
	}
	const char *text = last + sizeof prefix - 1;
	size_t tn = n - (sizeof prefix - 1);
	uint8_t sig[KEY_SIGNATURE_SIZE];
	if (key_unbase64(text, tn, sig, sizeof sig) != 0)
		return format_error(
		    err, errlen,
		    "%s:%d: the bundle is truncated or damaged: its signature row does not hold "
		    "an Ed25519 signature (%d base64 digits)",
		    name, count_lines(data, start), KEY_SIGNATURE_BASE64);
	if (!key_verify(b->meta.public_key, data, start, sig))
		return format_error(
		    err, errlen,
		    "%s: the signature does not match: the bundle was changed after it was "
		    "exported, or was not signed by the key it names (export it again)",
		    name);
	memcpy(b->meta.signature, text, tn);
	b->meta.signature[tn] = '\0';
	*body_len = start;
	return 0;
}

/* data with every CR LF as LF: a copy whose line ends a Windows editor or
 * a mail client turned into CR LF. Malloc'd. */
static char *crlf_to_lf(const char *data, size_t len, size_t *out_len)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			out[n++] = data[i];
	out[n] = '\0';
	*out_len = n;
	return out;
}

static int read_records(const char *name, const char *data, size_t len, struct csv_reader *r,
			char *err, size_t errlen)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return format_error(err, errlen, "%s: cannot start the CSV parser", name);
	r->line = 1;
	r->row_start = 1;
	int rc = 0;
	const char *pos = data, *end = data + len;
	/* A line at a time, so that each record knows where it began. */
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = nl ? (size_t)(nl - pos) + 1 : (size_t)(end - pos);
		if (p.pstate == 0)
			r->row_start = r->line;
		if (csv_parse(&p, pos, n, on_field, on_record, r) != n) {
			format_error(err, errlen, "%s:%d: malformed CSV (%s)", name, r->row_start,
				csv_strerror(csv_error(&p)));
			rc = -1;
			break;
		}
		pos += n;
		r->line++;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_record, r) != 0) {
		format_error(err, errlen, "%s:%d: malformed CSV (a quoted field is not closed)", name,
			r->row_start);
		rc = -1;
	}
	csv_free(&p);
	if (rc == 0 && r->bad_line) {
		format_error(err, errlen, "%s:%d: a field is not valid UTF-8 text", name, r->bad_line);
		rc = -1;
	}
	return rc;
}

static int take_sections(const char *name, struct bundle *b, const struct csv_reader *r,
			 char *err, size_t errlen)
{
	bool seen[META_COUNT] = {false};
	size_t i = 1; /* record 0 is the first line, already checked */
	if (r->record_count == 0 || r->records[0].field_count != 3)
		return format_error(err, errlen, "%s:1: the first row should have three fields",
				    name);
	for (; i < r->record_count; i++) {
		const struct record *rec = &r->records[i];
		if (rec->field_count < 2)
			return format_error(err, errlen,
					    "%s:%d: a row needs at least a section and a kind",
					    name, rec->line);
		if (strcmp(field_of(b, rec, 0), "meta"))
			break;
		if (take_meta(b, name, rec, seen, err, errlen) != 0)
			return -1;
	}
	for (int k = 0; k < META_COUNT; k++) {
		if (!seen[k])
			return format_error(err, errlen, "%s: the metadata lacks '%s'", name,
					    meta_keys[k]);
	}
	struct bundle_section *cur = NULL;
	for (; i < r->record_count; i++) {
		const struct record *rec = &r->records[i];
		const char *table = rec->field_count ? field_of(b, rec, 0) : "";
		const char *kind = rec->field_count > 1 ? field_of(b, rec, 1) : "";
		if (rec->field_count < 2)
			return format_error(err, errlen,
					    "%s:%d: a row needs at least a section and a kind",
					    name, rec->line);
		if (!strcmp(kind, "columns")) {
			if (!plain_name(table))
				return format_error(err, errlen,
						    "%s:%d: '%.40s' is not a table name", name,
						    rec->line, table);
			for (size_t s = 0; s < b->section_count; s++) {
				if (!strcmp(b->sections[s].table, table))
					return format_error(err, errlen,
							    "%s:%d: section '%s' appears twice",
							    name, rec->line, table);
			}
			struct bundle_section sec = {
			    .table = xstrdup(table),
			    .column_count = rec->field_count - 2,
			    .line = rec->line,
			    .first = b->row_count,
			};
			sec.columns = xcalloc(sec.column_count ? sec.column_count : 1,
					      sizeof *sec.columns);
			for (size_t c = 0; c < sec.column_count; c++)
				sec.columns[c] = xstrdup(field_of(b, rec, c + 2));
			ARRAY_PUSH(b->sections, b->section_count, b->section_cap, sec);
			cur = &b->sections[b->section_count - 1];
			for (size_t c = 0; c < cur->column_count; c++) {
				if (!plain_name(cur->columns[c]))
					return format_error(err, errlen,
							    "%s:%d: '%.40s' is not a column name",
							    name, rec->line, cur->columns[c]);
				for (size_t d = 0; d < c; d++) {
					if (!strcmp(cur->columns[c], cur->columns[d]))
						return format_error(
						    err, errlen,
						    "%s:%d: column '%s' appears twice in '%s'",
						    name, rec->line, cur->columns[c], table);
				}
			}
		} else if (!strcmp(kind, "row")) {
			if (!cur || strcmp(cur->table, table))
				return format_error(
				    err, errlen,
				    "%s:%d: a '%.40s' row outside its section (rows follow their "
				    "'columns' row)",
				    name, rec->line, table);
			if (rec->field_count != cur->column_count + 2)
				return format_error(err, errlen,
						    "%s:%d: a '%s' row has %zu values, not %zu",
						    name, rec->line, table, rec->field_count - 2,
						    cur->column_count);
			struct bundle_row row = {rec->line, rec->first_field + 2};
			ARRAY_PUSH(b->rows, b->row_count, b->row_cap, row);
			cur->count++;
		} else if (!strcmp(table, "meta")) {
			return format_error(err, errlen, "%s:%d: metadata after the first section",
					    name, rec->line);
		} else {
			return format_error(
			    err, errlen,
			    "%s:%d: unknown kind of row '%.40s' (expected 'columns' or "
			    "'row')",
			    name, rec->line, kind);
		}
	}
	return 0;
}

int bundle_parse(const char *name, const char *data, size_t len, struct bundle *out, char *err,
		 size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (len == 0)
		return format_error(err, errlen, "%s: the file is empty, not a progress bundle",
				    name);
	size_t body_len;
	if (check_first_line(name, data, len, out, err, errlen) != 0)
		return -1;
	/* Only bytes that verify are parsed: the file as it is, or read with
	 * its CR LF line ends as LF. */
	char *lf = NULL;
	if (check_signature(name, data, len, out, &body_len, err, errlen) != 0) {
		if (!memmem(data, len, "\r\n", 2))
			return -1;
		size_t lf_len;
		lf = crlf_to_lf(data, len, &lf_len);
		if (check_signature(name, lf, lf_len, out, &body_len, err, errlen) != 0) {
			free(lf);
			return -1;
		}
		data = lf;
		out->meta.crlf = true;
	}
	struct csv_reader r = {.b = out};
	int rc = read_records(name, data, body_len, &r, err, errlen);
	if (rc == 0)
		rc = take_sections(name, out, &r, err, errlen);
	free(r.records);
	free(lf);
	if (rc != 0)
		bundle_free(out);
	return rc;
}

int bundle_read(const char *path, struct bundle *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	size_t len;
	char why[256];
	char *data = file_read(path, FILE_BUNDLE, &len, why, sizeof why);
	if (!data)
		return format_error(err, errlen, "%s: %s", path, why);
	if (text_check_named(path, data, len, err, errlen) != 0) {
		free(data);
		return -1;
	}
	int rc = bundle_parse(path, data, len, out, err, errlen);
	free(data);
	return rc;
}

void bundle_free(struct bundle *b)
{
	for (size_t i = 0; i < b->section_count; i++) {
		free(b->sections[i].table);
		for (size_t c = 0; c < b->sections[i].column_count; c++)
			free(b->sections[i].columns[c]);
		free(b->sections[i].columns);
	}
	free(b->sections);
	free(b->rows);
	free(b->text);
	free(b->offsets);
	memset(b, 0, sizeof *b);
}

/* ---- reading ahead --------------------------------------------------------- */

#define READ_AHEAD 4

struct read_slot {
	struct bundle bundle;
	int rc;
	char err[1024];
	bool ready;
};

struct bundle_reader {
	const char *const *paths;
	size_t count;
	size_t produced, consumed;
	bool stop;
	struct read_slot slots[READ_AHEAD];
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	pthread_t thread;
	bool threaded; /* false: read in bundle_reader_next itself */
};

static void *read_ahead(void *arg)
{
	struct bundle_reader *r = arg;
	/* Named, so that top -H and perf tell the reading from the writing. */
	pthread_setname_np(pthread_self(), "aipm-read");
	for (;;) {
		pthread_mutex_lock(&r->lock);
		while (!r->stop && r->produced < r->count &&
		       r->produced - r->consumed >= READ_AHEAD)
			pthread_cond_wait(&r->emptied, &r->lock);
		if (r->stop || r->produced >= r->count) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		size_t i = r->produced;
		pthread_mutex_unlock(&r->lock);
		/* The slot is this thread's until it is marked ready. */
		struct read_slot *slot = &r->slots[i % READ_AHEAD];
		slot->rc = bundle_read(r->paths[i], &slot->bundle, slot->err, sizeof slot->err);
		pthread_mutex_lock(&r->lock);
		slot->ready = true;
		r->produced++;
		pthread_cond_signal(&r->filled);
		pthread_mutex_unlock(&r->lock);
	}
}

struct bundle_reader *bundle_reader_start(const char *const *paths, size_t count)
{
	struct bundle_reader *r = xcalloc(1, sizeof *r);
	r->paths = paths;
	r->count = count;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	r->threaded = count > 1 && pthread_create(&r->thread, NULL, read_ahead, r) == 0;
	return r;
}

int bundle_reader_next(struct bundle_reader *r, struct bundle *out, char *err, size_t errlen)
{
	size_t i = r->consumed;
	if (i >= r->count) {
		memset(out, 0, sizeof *out);
		return format_error(err, errlen, "no more bundles");
	}
	if (!r->threaded) {
		r->consumed++;
		return bundle_read(r->paths[i], out, err, errlen);
	}
	struct read_slot *slot = &r->slots[i % READ_AHEAD];
	pthread_mutex_lock(&r->lock);
	while (!slot->ready)
		pthread_cond_wait(&r->filled, &r->lock);
	pthread_mutex_unlock(&r->lock);
	*out = slot->bundle;
	int rc = slot->rc;
	if (rc != 0)
		format_error(err, errlen, "%s", slot->err);
	memset(slot, 0, sizeof *slot);
	pthread_mutex_lock(&r->lock);
	r->consumed++;
	pthread_cond_signal(&r->emptied);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

void bundle_reader_stop(struct bundle_reader *r)
{
	if (!r)
		return;
	if (r->threaded) {
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_signal(&r->emptied);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
		for (size_t i = r->consumed; i < r->produced; i++)
			bundle_free(&r->slots[i % READ_AHEAD].bundle);
	}
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->emptied);
	free(r);
}

void bundle_peek(const char *path, struct bundle_peek *out)
{
	memset(out, 0, sizeof *out);
	struct stat sb;
	char why[256];
	int fd = file_open_read(path, &sb, why, sizeof why);
	if (fd < 0)
		return;
	char head[2048];
	ssize_t n;
	do
		n = read(fd, head, sizeof head - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	head[n > 0 ? n : 0] = '\0';
	if (!str_starts_with(head, BUNDLE_MAGIC ",format,"))
		return;
	out->is_bundle = true;
	/* The metadata rows are short and come first; a name with a comma or
	 * a quote is CSV-quoted, which this quick look leaves to the import. */
	for (char *line = head, *next; line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break;
		*next++ = '\0';
		if (str_starts_with(line, "meta,learner_name,"))
			snprintf(out->learner_name, sizeof out->learner_name, "%s",
				 line + strlen("meta,learner_name,"));
		else if (str_starts_with(line, "meta,exported_at,"))
			out->exported_at = strtoll(line + strlen("meta,exported_at,"), NULL, 10);
	}
}

static int cmp_entries(const void *a, const void *b)
{
	const struct bundle_dir_entry *x = a, *y = b;
	if (x->is_dir != y->is_dir)
		return x->is_dir ? -1 : 1;
	if (!strcmp(x->name, ".."))
		return -1;
	if (!strcmp(y->name, ".."))
		return 1;
	return strcmp(x->name, y->name);
}

int bundle_dir_scan(const char *dir, struct bundle_dir_entry **out, size_t *count, char *err,
		    size_t errlen)
{
	*out = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return format_error(err, errlen, "cannot open %s: %s", dir, strerror(errno));
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".."))
			continue;
		if (!strcmp(e->d_name, "..") && !strcmp(dir, "/"))
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat sb;
		bool ok = stat(path, &sb) == 0;
		struct bundle_dir_entry entry = {.is_dir = ok && S_ISDIR(sb.st_mode)};
		size_t n = strlen(e->d_name);
		bool csv = ok && S_ISREG(sb.st_mode) && n > 4 &&
			   !strcasecmp(e->d_name + n - 4, ".csv");
		if (entry.is_dir || csv) {
			entry.name = xstrdup(e->d_name);
			if (csv)
				bundle_peek(path, &entry.peek);
			ARRAY_PUSH(*out, *count, cap, entry);
		}
		free(path);
	}
	closedir(d);
	if (*count)
		qsort(*out, *count, sizeof **out, cmp_entries);
	return 0;
}

void bundle_dir_free(struct bundle_dir_entry *entries, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(entries[i].name);
	free(entries);
}

/* ---- importing ----------------------------------------------------------- */

/* How a bundle section maps onto a table: the table's column for each of
 * the section's columns, the checks of its values, and the values of its
 * rows the import recomputes (an estimate's scores), derived_count a row. */
struct plan {
	const struct bundle_section *section;
	const struct btable *table;
	const struct bcolumn **columns;
	struct value_checks *checks;
	double *derived;
	size_t derived_count;
};

static void plan_free(struct plan *p)
{
	free(p->columns);
	value_checks_free(p->checks);
	free(p->derived);
}

static int check_value(const struct bcolumn *c, const char *v)
{
	if (!*v)
		return c->notnull && c->affinity != AFF_TEXT ? -1 : 0;
	if (c->affinity == AFF_INTEGER) {
		int64_t i;
		if (parse_int64(v, &i))
			return 0;
	}
	if (c->affinity != AFF_TEXT) {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		return *end || end == v || !isfinite(d) || *v == ' ' ? -1 : 0;
	}
	return 0;
}

static void bind_value(sqlite3_stmt *stmt, int param, const struct bcolumn *c, const char *v)
{
	if (!*v && (!c->notnull || c->affinity != AFF_TEXT)) {
		sqlite3_bind_null(stmt, param);
		return;
	}
	switch (c->affinity) {
	case AFF_REAL:
		sqlite3_bind_double(stmt, param, strtod(v, NULL));
		break;
	case AFF_INTEGER: /* a whole number, or a real one SQLite kept as REAL */
	case AFF_NUMERIC: {
		int64_t i;
		if (parse_int64(v, &i))
			sqlite3_bind_int64(stmt, param, i);
		else
			sqlite3_bind_double(stmt, param, strtod(v, NULL));
		break;
	}
	case AFF_TEXT:
		sqlite3_bind_text(stmt, param, v, -1, SQLITE_STATIC);
		break;
	}
}

/* Row r of the plan's section from parameter base on, the recomputed
 * values in place of the bundle's. */
static void bind_row(sqlite3_stmt *stmt, const struct plan *p, const struct bundle *b, size_t r,
		     int base)
{
	const struct bundle_row *row = &b->rows[p->section->first + r];
	for (size_t i = 0; i < p->section->column_count; i++) {
		int slot = value_checks_slot(p->checks, i);
		if (slot < 0) {
			bind_value(stmt, base + (int)i, p->columns[i], bundle_field(b, row, i));
			continue;
		}
		double v = p->derived[r * p->derived_count + (size_t)slot];
		if (value_checks_slot_integer(p->checks, slot))
			sqlite3_bind_int64(stmt, base + (int)i, (sqlite3_int64)v);
		else
			sqlite3_bind_double(stmt, base + (int)i, v);
	}
}

static int make_plan(const char *name, const struct bundle *b, const struct bundle_section *sec,
		     const struct schema *s, int64_t now, const struct value_reference *refs,
		     size_t ref_count, struct plan *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->section = sec;
	p->table = schema_find(s, sec->table);
	if (!p->table)
		return format_error(
		    err, errlen,
		    "%s:%d: '%s' is not a learner table this aipm (%s) knows; the bundle may come "
		    "from a newer aipm",
		    name, sec->line, sec->table, AIPM_VERSION);
	p->columns = xcalloc(sec->column_count ? sec->column_count : 1, sizeof *p->columns);
	for (size_t i = 0; i < sec->column_count; i++) {
		p->columns[i] = table_column(p->table, sec->columns[i]);
		if (!p->columns[i])
			return format_error(
			    err, errlen, "%s:%d: table '%s' has no column '%s' in this aipm (%s)",
			    name, sec->line, sec->table, sec->columns[i], AIPM_VERSION);
	}
	/* Columns the section leaves out must be able to go without. */
	for (size_t k = 0; k < p->table->column_count; k++) {
		const struct bcolumn *c = &p->table->columns[k];
		bool present = false;
		for (size_t i = 0; i < sec->column_count; i++)
			present |= p->columns[i] == c;
		if (!present && (c->pk || (c->notnull && !c->has_default)))
			return format_error(err, errlen,
					    "%s:%d: section '%s' lacks its column '%s'", name,
					    sec->line, sec->table, c->name);
	}
	p->checks = value_checks_new(sec->table, (const char *const *)sec->columns,
				     sec->column_count);
	p->derived_count = value_checks_derived(p->checks);
	if (p->derived_count)
		p->derived = xcalloc(sec->count ? sec->count * p->derived_count : 1,
				     sizeof *p->derived);
	const char **fields = xcalloc(sec->column_count ? sec->column_count : 1, sizeof *fields);
	int status = 0;
	for (size_t r = 0; status == 0 && r < sec->count; r++) {
		const struct bundle_row *row = &b->rows[sec->first + r];
		for (size_t i = 0; status == 0 && i < sec->column_count; i++) {
			fields[i] = bundle_field(b, row, i);
			if (check_value(p->columns[i], fields[i]) != 0) {
				format_error(err, errlen,
					"%s:%d: %s.%s (field %zu) needs a number, not '%.40s'",
					name, row->line, sec->table, sec->columns[i], i + 3,
					fields[i]);
				status = -1;
			}
		}
		size_t col;
		char why[256];
		if (status == 0 &&
		    value_checks_row(p->checks, fields, now, refs, ref_count,
				     p->derived ? p->derived + r * p->derived_count : NULL, &col, why,
				     sizeof why) != 0) {
			/* The field counts the row's section and kind. */
			format_error(err, errlen, "%s:%d: %s.%s (field %zu): %s", name, row->line,
				sec->table, sec->columns[col], col + 3, why);
			status = -1;
		}
	}
	free(fields);
	return status;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The values of a column across a bundle's section of table, sorted; NULL
 * when the bundle has no such section or column. */
static const char **section_values(const struct bundle *b, const char *table, const char *column,
				   size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < b->section_count; i++) {
		const struct bundle_section *sec = &b->sections[i];
		if (strcmp(sec->table, table))
			continue;
		for (size_t c = 0; c < sec->column_count; c++) {
			if (strcmp(sec->columns[c], column))
				continue;
			const char **v = xcalloc(sec->count ? sec->count : 1, sizeof *v);
			for (size_t r = 0; r < sec->count; r++)
				v[r] = bundle_field(b, &b->rows[sec->first + r], c);
			qsort(v, sec->count, sizeof *v, cmp_text);
			*count = sec->count;
			return v;
		}
	}
	return NULL;
}

/* The learner a row of t belongs to, as SQL over the row "c": its
 * learner_id, or its parent's. */
static void sb_owner(struct strbuf *sql, const struct btable *t)
{
	if (t->learner_owned) {
		sb_puts(sql, "c.learner_id");
		return;
	}
	sb_puts(sql, "(SELECT p.learner_id FROM ");
	sb_ident(sql, NULL, t->parent);
	sb_puts(sql, " p WHERE ");
	sb_ident(sql, "p", t->parent_column);
	sb_puts(sql, " = ");
	sb_ident(sql, "c", t->owner_column);
	sb_puts(sql, ")");
}

/* Every reference of a bundle row (an answer's quiz take, a grade's
 * answer) names a row of the bundle or a row of this database that is the
 * same learner's (learner_id; 0 for a learner new here, who has none):
 * checked before the first write, so that a batch can leave SQLite's own
 * check (a lookup per row) off, and so that no bundle hangs its rows on
 * another learner's. */
static int check_references(struct store *st, const char *file, const struct bundle *b,
			    const struct plan *plans, const struct schema *s, int64_t learner_id,
			    char *err, size_t errlen)
{
	for (size_t i = 0; i < b->section_count; i++) {
		const struct plan *p = &plans[i];
		for (size_t k = 0; k < p->table->fk_count; k++) {
			const struct bref *ref = &p->table->fks[k];
			size_t col = SIZE_MAX;
			for (size_t c = 0; c < p->section->column_count; c++)
				if (!strcmp(p->columns[c]->name, ref->column))
					col = c;
			if (col == SIZE_MAX)
				continue; /* left out: NULL or the default */
			const struct bcolumn *c = p->columns[col];
			const struct btable *target = schema_find(s, ref->table);
			size_t n;
			const char **known = section_values(b, ref->table, ref->to, &n);
			struct strbuf sql;
			sb_init(&sql);
			sb_puts(&sql, "SELECT ");
			if (target)
				sb_owner(&sql, target);
			else
				sb_puts(&sql, "NULL"); /* not a learner's row: no owner */
			sb_puts(&sql, " FROM ");
			sb_ident(&sql, NULL, ref->table);
			sb_puts(&sql, " c WHERE ");
			sb_ident(&sql, "c", ref->to);
			sb_puts(&sql, " = ?");
			sqlite3_stmt *lookup = store_prepare(st, sql.data);
			sb_free(&sql);
			int status = lookup ? 0 : -1;
			if (!lookup)
				format_error(err, errlen, "%s: cannot check '%s': %s", file,
					     p->table->name, store_errmsg(st));
			for (size_t r = 0; status == 0 && r < p->section->count; r++) {
				const struct bundle_row *row = &b->rows[p->section->first + r];
				const char *v = bundle_field(b, row, col);
				if (!*v && (!c->notnull || c->affinity != AFF_TEXT))
					continue; /* NULL refers to nothing */
				if (known && bsearch(&v, known, n, sizeof *known, cmp_text))
					continue;
				sqlite3_reset(lookup);
				bind_value(lookup, 1, c, v);
				int rc = sqlite3_step(lookup);
				bool theirs = rc == SQLITE_ROW && target &&
					      (sqlite3_column_type(lookup, 0) == SQLITE_NULL ||
					       sqlite3_column_int64(lookup, 0) != learner_id);
				sqlite3_reset(lookup);
				if (rc == SQLITE_ROW && !theirs)
					continue;
				if (theirs)
					format_error(err, errlen,
						"%s:%d: %s.%s refers to %s %s '%.40s', which is another "
						"learner's in this database: a bundle may only refer to "
						"its own learner's rows",
						file, row->line, p->table->name, ref->column, ref->table,
						ref->to, v);
				else if (rc != SQLITE_DONE)
					format_error(err, errlen, "%s: cannot check '%s': %s", file,
						     p->table->name, store_errmsg(st));
				else
					format_error(err, errlen,
						"%s:%d: %s.%s refers to %s %s '%.40s', which is neither in "
						"the bundle nor in this database (FOREIGN KEY)",
						file, row->line, p->table->name, ref->column, ref->table,
						ref->to, v);
				status = -1;
			}
			free(known);
			if (status != 0)
				return -1;
		}
	}
	return 0;
}

/* INSERT of a section's columns (the learner first when the table has
 * one), doing nothing when the key is there. */
static char *insert_sql(const struct plan *p)
{
	struct strbuf sql;
	sb_init(&sql);
	sb_puts(&sql, "INSERT INTO ");
	sb_ident(&sql, NULL, p->table->name);
	sb_puts(&sql, " (");
	size_t params = 0;
	if (p->table->learner_owned) {
		sb_puts(&sql, "learner_id");
		params++;
	}
	for (size_t i = 0; i < p->section->column_count; i++) {
		if (params++)
			sb_puts(&sql, ", ");
		sb_ident(&sql, NULL, p->columns[i]->name);
	}
	sb_puts(&sql, ") VALUES (");
	for (size_t i = 0; i < params; i++)
		sb_printf(&sql, "%s?%zu", i ? ", " : "", i + 1);
	sb_puts(&sql, ") ON CONFLICT DO NOTHING");
	return sb_steal(&sql);
}

/* The condition on the version column: the bundle's copy is newer. */
static void sb_newer(struct strbuf *sql, const struct plan *p, const char *prefix)
{
	size_t base = p->table->learner_owned ? 2 : 1;
	for (size_t i = 0; i < p->section->column_count; i++) {
		if (p->columns[i]->name != p->table->version)
			continue;
		sb_puts(sql, "(");
		sb_ident(sql, prefix, p->table->version);
		sb_printf(sql, " < ?%zu OR (", base + i);
		sb_ident(sql, prefix, p->table->version);
		sb_printf(sql, " IS NULL AND ?%zu IS NOT NULL))", base + i);
	}
}

/* UPDATE of a row already there when the bundle's copy is newer, only for
 * the same learner's row. Parameters as in insert_sql. */
static char *update_sql(const struct plan *p)
{
	struct strbuf sql;
	sb_init(&sql);
	sb_puts(&sql, "UPDATE ");
	sb_ident(&sql, NULL, p->table->name);
	sb_puts(&sql, " SET ");
	size_t base = p->table->learner_owned ? 2 : 1;
	bool first = true;
	for (size_t i = 0; i < p->section->column_count; i++) {
		if (p->columns[i]->pk)
			continue;
		sb_puts(&sql, first ? "" : ", ");
		sb_ident(&sql, NULL, p->columns[i]->name);
		sb_printf(&sql, " = ?%zu", base + i);
		first = false;
	}
	sb_puts(&sql, " WHERE learner_id = ?1");
	for (size_t i = 0; i < p->section->column_count; i++) {
		if (!p->columns[i]->pk)
			continue;
		sb_puts(&sql, " AND ");
		sb_ident(&sql, NULL, p->columns[i]->name);
		sb_printf(&sql, " = ?%zu", base + i);
	}
	sb_puts(&sql, " AND ");
	sb_newer(&sql, p, NULL);
	return sb_steal(&sql);
}

/* Whether the plan can compare versions: the table has a version column,
 * the section carries it, and there are columns to update. */
static bool plan_updates(const struct plan *p)
{
	if (!p->table->version || !p->table->learner_owned)
		return false;
	bool has_version = false, has_value = false;
	for (size_t i = 0; i < p->section->column_count; i++) {
		has_version |= p->columns[i]->name == p->table->version;
		has_value |= !p->columns[i]->pk;
	}
	return has_version && has_value;
}

/* The copy already here of a row the INSERT left alone: whose it is,
 * whether the bundle's copy is newer, and for each column whether it is
 * the same. Parameters as in insert_sql. */
static char *probe_sql(const struct plan *p)
{
	struct strbuf sql;
	sb_init(&sql);
	sb_puts(&sql, "SELECT ");
	sb_owner(&sql, p->table);
	sb_puts(&sql, ", ");
	if (plan_updates(p))
		sb_newer(&sql, p, "c");
	else
		sb_puts(&sql, "0");
	size_t base = p->table->learner_owned ? 2 : 1;
	for (size_t i = 0; i < p->section->column_count; i++) {
		sb_puts(&sql, ", ");
		sb_ident(&sql, "c", p->columns[i]->name);
		sb_printf(&sql, " IS ?%zu", base + i);
	}
	sb_puts(&sql, " FROM ");
	sb_ident(&sql, NULL, p->table->name);
	sb_puts(&sql, " c WHERE ");
	bool first = true;
	if (p->table->learner_in_key) {
		sb_puts(&sql, "c.learner_id = ?1");
		first = false;
	}
	for (size_t i = 0; i < p->section->column_count; i++) {
		if (!p->columns[i]->pk)
			continue;
		sb_puts(&sql, first ? "" : " AND ");
		sb_ident(&sql, "c", p->columns[i]->name);
		sb_printf(&sql, " = ?%zu", base + i);
		first = false;
	}
	return sb_steal(&sql);
}

/* A row's key as the bundle spells it: its key columns, '/'-separated. */
static void row_key(const struct plan *p, const struct bundle *b, const struct bundle_row *row,
		    char *out, size_t size)
{
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < p->section->column_count; i++)
		if (p->columns[i]->pk)
			sb_printf(&sb, "%s%s", sb.len ? "/" : "", bundle_field(b, row, i));
	snprintf(out, size, "%s", sb.data ? sb.data : "");
	sb_free(&sb);
}

static void add_change(struct bundle_import_result *res, const struct plan *p,
		       const struct bundle *b, const struct bundle_row *row, const char *columns,
		       bool replaced)
{
	if (res->change_count >= BUNDLE_CHANGES_LISTED)
		return;
	struct bundle_change c = {.line = row->line, .replaced = replaced};
	snprintf(c.table, sizeof c.table, "%s", p->table->name);
	row_key(p, b, row, c.key, sizeof c.key);
	snprintf(c.columns, sizeof c.columns, "%s", columns);
	ARRAY_PUSH(res->changes, res->change_count, res->change_cap, c);
}

void bundle_import_result_free(struct bundle_import_result *res)
{
	free(res->changes);
	res->changes = NULL;
	res->change_count = res->change_cap = 0;
}

/* Whose row another learner's is, for the message. */
static void learner_label(struct store *st, int64_t id, char *out, size_t size)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT name, uuid FROM learners WHERE id = ?");
	snprintf(out, size, "a learner who is gone");
	if (!stmt)
		return;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		snprintf(out, size, "%s, %s", sqlite3_column_text(stmt, 0),
			 sqlite3_column_text(stmt, 1));
	sqlite3_reset(stmt);
}

/* A row whose key is already here (the INSERT did nothing): the same
 * learner's, or the bundle is refused; then the same, newer (replaced) or
 * different (kept, reported). */
static int merge_row(struct store *st, const char *name, const struct bundle *b,
		     const struct plan *p, size_t r, sqlite3_stmt *probe, sqlite3_stmt *upd,
		     int64_t learner_id, struct bundle_import_result *res, char *err, size_t errlen)
{
	const struct bundle_row *row = &b->rows[p->section->first + r];
	int base = p->table->learner_owned ? 2 : 1;
	sqlite3_bind_int64(probe, 1, learner_id);
	bind_row(probe, p, b, r, base);
	int rc = sqlite3_step(probe);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(probe);
		return format_error(err, errlen, "%s:%d: cannot import this '%s' row: %s", name,
				    row->line, p->table->name,
				    rc == SQLITE_DONE ? "it clashes with another row"
						      : store_errmsg(st));
	}
	int64_t owner = sqlite3_column_type(probe, 0) == SQLITE_NULL ? -1
								  : sqlite3_column_int64(probe, 0);
	bool newer = sqlite3_column_int(probe, 1) != 0;
	struct strbuf differ;
	sb_init(&differ);
	for (size_t i = 0; i < p->section->column_count; i++)
		if (!sqlite3_column_int(probe, 2 + (int)i))
			sb_printf(&differ, "%s%s", differ.len ? ", " : "", p->columns[i]->name);
	sqlite3_reset(probe);
	int status = 0;
	if (owner != learner_id) {
		char key[96], who[200];
		row_key(p, b, row, key, sizeof key);
		learner_label(st, owner, who, sizeof who);
		format_error(err, errlen,
			"%s:%d: %s row '%s' is already another learner's in this database (%s): a "
			"bundle may only hold its own learner's rows",
			name, row->line, p->table->name, key, who);
		status = -1;
	} else if (!differ.len) {
		res->unchanged++;
	} else if (newer && upd) {
		sqlite3_bind_int64(upd, 1, learner_id);
		bind_row(upd, p, b, r, base);
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		if (rc != SQLITE_DONE) {
			format_error(err, errlen, "%s:%d: cannot import this '%s' row: %s", name,
				row->line, p->table->name, sqlite3_errmsg(store_db(st)));
			status = -1;
		} else {
			res->updated++;
			add_change(res, p, b, row, differ.data, true);
		}
	} else {
		res->changed++;
		add_change(res, p, b, row, differ.data, false);
	}
	sb_free(&differ);
	return status;
}

static int import_section(struct store *st, const char *name, const struct bundle *b,
			  const struct plan *p, int64_t learner_id,
			  struct bundle_import_result *res, char *err, size_t errlen)
{
	char *sql = insert_sql(p);
	sqlite3_stmt *ins = store_prepare(st, sql);
	free(sql);
	sql = probe_sql(p);
	sqlite3_stmt *probe = store_prepare(st, sql);
	free(sql);
	sqlite3_stmt *upd = NULL;
	if (plan_updates(p)) {
		sql = update_sql(p);
		upd = store_prepare(st, sql);
		free(sql);
		if (!upd)
			ins = NULL;
	}
	if (!ins || !probe)
		return format_error(err, errlen, "%s: cannot import '%s': %s", name, p->table->name,
				    store_errmsg(st));
	sqlite3 *db = store_db(st);
	int base = p->table->learner_owned ? 2 : 1;
	for (size_t r = 0; r < p->section->count; r++) {
		const struct bundle_row *row = &b->rows[p->section->first + r];
		if (p->table->learner_owned)
			sqlite3_bind_int64(ins, 1, learner_id);
		bind_row(ins, p, b, r, base);
		int rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc != SQLITE_DONE)
			return format_error(err, errlen, "%s:%d: cannot import this '%s' row: %s",
					    name, row->line, p->table->name, sqlite3_errmsg(db));
		if (sqlite3_changes(db) > 0)
			res->added++;
		else if (merge_row(st, name, b, p, r, probe, upd, learner_id, res, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* What this database knows of a bundle's learner, read before anything is
 * written. */
struct known_learner {
	bool exists, local;
	int64_t id;
	char name[128];
	int64_t last_exported; /* of the newest bundle imported; 0: none */
};

static int find_learner(struct store *st, const char *uuid, struct known_learner *out,
			char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *find = store_prepare(
	    st, "SELECT l.id, l.name, l.origin = 'local',"
		" (SELECT MAX(exported_at) FROM bundle_imports b WHERE b.learner_id = l.id)"
		" FROM learners l WHERE l.uuid = ?");
	if (!find)
		return format_error(err, errlen, "cannot look for the learner: %s",
				    store_errmsg(st));
	sqlite3_bind_text(find, 1, uuid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(find);
	if (rc == SQLITE_ROW) {
		out->exists = true;
		out->id = sqlite3_column_int64(find, 0);
		snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(find, 1));
		out->local = sqlite3_column_int(find, 2) != 0;
		out->last_exported = sqlite3_column_int64(find, 3);
	}
	sqlite3_reset(find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return format_error(err, errlen, "cannot look for the learner: %s",
				    store_errmsg(st));
	return 0;
}

/* Whether this database may take the bundle's learner: not one who signs
 * in here, signed by the key pinned for the UUID (*pin_it when none is
 * yet), and no older bundle than the last one imported. */
static int check_learner(struct store *st, const char *file, const struct bundle_meta *m,
			 const struct known_learner *k, int64_t now, bool *pin_it, char *err,
			 size_t errlen)
{
	if (!value_time_ok(m->exported_at, now) || !value_time_ok(m->learner_created_at, now)) {
		bool exported = !value_time_ok(m->exported_at, now);
		return format_error(err, errlen,
				    "%s:%d: meta.%s (field 3): '%" PRId64
				    "' is not a time from 2000-01-01 to "
				    "a day after this import",
				    file, exported ? m->exported_line : m->created_line,
				    exported ? "exported_at" : "learner_created_at",
				    exported ? m->exported_at : m->learner_created_at);
	}
	if (k->exists && k->local)
		return format_error(
		    err, errlen,
		    "%s: the bundle is for %s (%s), who signs in on this computer: a bundle is "
		    "never merged into a learner of this database's own (import it into the "
		    "coach's database, with --db)",
		    file, k->name, m->learner_uuid);
	/* Who signed it first: a bundle not signed by the learner's pinned
	 * key says nothing trustworthy, its export time included. */
	struct pinned_key pin;
	enum store_error e = pinned_key_get(st, m->learner_uuid, &pin);
	if (e != STORE_OK && e != STORE_ERR_NOTFOUND)
		return format_error(err, errlen, "cannot read the pinned keys: %s",
				    store_errmsg(st));
	*pin_it = e == STORE_ERR_NOTFOUND;
	if (e == STORE_OK && memcmp(pin.pub, m->public_key, KEY_PUBLIC_SIZE)) {
		char since[32];
		clock_format(pin.first_seen, since, sizeof since);
		return format_error(
		    err, errlen,
		    "%s: signed by key %s, but the key of %s (%s) is %s, pinned on %s UTC: if "
		    "%s really has a new key (a new computer), accept it with 'aipm coach trust "
		    "%s --reset' and import again",
		    file, m->fingerprint, k->exists ? k->name : m->learner_name, m->learner_uuid,
		    pin.fingerprint, since, k->exists ? k->name : m->learner_name, m->learner_uuid);
	}
	if (k->exists && m->exported_at < k->last_exported) {
		char then[32], last[32];
		clock_format(m->exported_at, then, sizeof then);
		clock_format(k->last_exported, last, sizeof last);
		return format_error(
		    err, errlen,
		    "%s: exported %s UTC, before the bundle of %s already imported here "
		    "(exported %s UTC): an older bundle is not imported over a newer one "
		    "(import the newest)",
		    file, then, k->name, last);
	}
	return 0;
}

/* The learner of the bundle in this database: created (as an imported
 * learner) when new; an imported learner's name follows the newest bundle
 * (check_learner refused older ones); the key pinned at the first signed
 * import. */
static int import_learner(struct store *st, const char *file, const struct bundle_meta *m,
			  const struct known_learner *k, bool pin_it, int64_t now,
			  struct bundle_import_result *res, char *err, size_t errlen)
{
	snprintf(res->learner_name, sizeof res->learner_name, "%s", m->learner_name);
	snprintf(res->fingerprint, sizeof res->fingerprint, "%s", m->fingerprint);
	res->key_pinned = pin_it;
	if (k->exists) {
		res->learner_id = k->id;
		if (strcmp(k->name, m->learner_name)) {
			sqlite3_stmt *up = store_prepare(st, "UPDATE learners SET name = ? WHERE id = ?");
			if (!up)
				goto fail;
			sqlite3_bind_text(up, 1, m->learner_name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(up, 2, k->id);
			if (store_step_done(st, up) != STORE_OK)
				goto fail;
		}
	} else {
		sqlite3_stmt *add = store_prepare(st, "INSERT INTO learners (uuid, name, created_at,"
						      " origin) VALUES (?, ?, ?, 'imported')");
		if (!add)
			goto fail;
		sqlite3_bind_text(add, 1, m->learner_uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(add, 2, m->learner_name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(add, 3, m->learner_created_at);
		if (store_step_done(st, add) != STORE_OK)
			goto fail;
		res->learner_id = sqlite3_last_insert_rowid(store_db(st));
		res->new_learner = true;
	}
	if (pin_it && pinned_key_set(st, m->learner_uuid, m->public_key, now, file) != STORE_OK)
		goto fail;
	return 0;
fail:
	return format_error(err, errlen, "cannot record the learner: %s", store_errmsg(st));
}

/* The store's per-row totals (the coach's) stand aside while the rows of
 * one learner pour in, and are recomputed for that learner once at the
 * end, when a row was written (migrations 6 and 7). */
static int bulk_mark(struct store *st, int64_t learner_id, bool start, bool changed, char *err,
		     size_t errlen)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, start ? "INSERT INTO coach_bulk (learner_id) VALUES (?1)"
		      : "UPDATE coach_bulk SET changed = ?2 WHERE learner_id = ?1");
	enum store_error e = STORE_ERR_SQL;
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, learner_id);
		if (!start)
			sqlite3_bind_int(stmt, 2, changed);
		e = store_step_done(st, stmt);
	}
	if (e == STORE_OK && !start) {
		stmt = store_prepare(st, "DELETE FROM coach_bulk WHERE learner_id = ?");
		e = STORE_ERR_SQL;
		if (stmt) {
			sqlite3_bind_int64(stmt, 1, learner_id);
			e = store_step_done(st, stmt);
		}
	}
	if (e != STORE_OK)
		return format_error(err, errlen, "cannot %s the learner's totals: %s",
				    start ? "set aside" : "recompute", store_errmsg(st));
	return 0;
}

/* The log's checksum column holds the signature (format 2), which names
 * the bundle as well. */
static int log_import(struct store *st, const struct bundle *b, const char *file, int64_t now,
		      const struct bundle_import_result *res, char *err, size_t errlen)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO bundle_imports (learner_id, file, checksum, format, aipm_version,"
		" exported_at, imported_at, rows, added, updated, fingerprint)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return format_error(err, errlen, "cannot log the import: %s", store_errmsg(st));
	sqlite3_bind_int64(stmt, 1, res->learner_id);
	sqlite3_bind_text(stmt, 2, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, b->meta.signature, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, b->meta.format);
	sqlite3_bind_text(stmt, 5, b->meta.aipm_version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, b->meta.exported_at);
	sqlite3_bind_int64(stmt, 7, now);
	sqlite3_bind_int64(stmt, 8, (int64_t)res->rows);
	sqlite3_bind_int64(stmt, 9, (int64_t)res->added);
	sqlite3_bind_int64(stmt, 10, (int64_t)res->updated);
	sqlite3_bind_text(stmt, 11, b->meta.fingerprint, -1, SQLITE_STATIC);
	if (store_step_done(st, stmt) != STORE_OK)
		return format_error(err, errlen, "cannot log the import: %s", store_errmsg(st));
	return 0;
}

/* ---- batches --------------------------------------------------------------- */

/* A trigger of an imported table, set aside while a batch runs. */
struct kept_trigger {
	char *name, *sql;
};

/* A bundle the batch wrote, kept for a replay. */
struct kept_bundle {
	struct bundle bundle;
	char *file;
	int64_t now;
};

struct bundle_batch {
	struct store *st;
	struct schema schema;	/* read once per batch */
	char *content;		/* this database's course version, or NULL */
	struct value_reference *refs; /* the estimation questions' answers */
	size_t ref_count;
	struct kept_trigger *triggers;
	size_t trigger_count, trigger_cap;
	struct kept_bundle *kept;
	size_t kept_count, kept_cap;
	size_t rows;
	bool broken; /* a replay failed: the batch can only be rolled back */
};

/* After the batch's transaction: the store's references are checked again
 * on every write, and temporary data goes back to SQLite's default place. */
static void batch_close(struct bundle_batch *bb)
{
	sqlite3_exec(store_db(bb->st), "PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT",
		     NULL, NULL, NULL);
}

/* The reference answers the estimation scores are recomputed from, by id
 * in strcmp order (SQLite's BINARY collation). */
static int load_references(struct bundle_batch *bb, char *err, size_t errlen)
{
	sqlite3_stmt *stmt =
	    store_prepare(bb->st, "SELECT id, answer FROM estimation_questions ORDER BY id");
	if (!stmt)
		return format_error(err, errlen, "cannot read the estimation questions: %s",
				    store_errmsg(bb->st));
	size_t cap = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct value_reference r = {store_column_text(stmt, 0), sqlite3_column_double(stmt, 1)};
		ARRAY_PUSH(bb->refs, bb->ref_count, cap, r);
	}
	sqlite3_reset(stmt);
	return 0;
}

/* Opens the batch's transaction and sets the imported tables' triggers
 * aside (in it: another connection never sees them gone). Every such
 * trigger keeps a coach's total (migration 5) that stands aside anyway
 * while coach_bulk holds the learner being imported, and that total is
 * recomputed when the learner's import ends (migrations 6 and 7); but a
 * table with a trigger makes SQLite keep a statement journal for each
 * row inserted, which cost more than all the inserts themselves (1,000
 * learners: 3.6 million writes to a temporary file). */
static int batch_open(struct bundle_batch *bb, bool first, char *err, size_t errlen)
{
	struct store *st = bb->st;
	sqlite3 *db = store_db(st);
	/* A batch writes pages all over the indexes: room for them in the
	 * page cache (SQLite allocates it as it fills), and reads through
	 * mmap rather than a copy per page. */
	sqlite3_exec(db, "PRAGMA cache_size = -262144; PRAGMA mmap_size = 1073741824", NULL, NULL,
		     NULL);
	/* Each learner's totals are recomputed by one DELETE whose trigger
	 * writes hundreds of rows (bulk_mark), so SQLite keeps a statement
	 * journal of every page it touches; past 64 KB that journal went to
	 * a temporary file: 60,000 writes for 300 learners, a third of the
	 * recomputing. In memory it stays a few hundred KB a learner, and it
	 * never held anything durable (the WAL does); the pragma only works
	 * outside a transaction. */
	sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	/* The references are checked before each bundle's first write
	 * (check_references); the pragma only works outside a transaction. */
	if (bb->schema.refs_checked)
		sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	if (store_begin(st) != STORE_OK) {
		format_error(err, errlen, "cannot start the import: %s", store_errmsg(st));
		batch_close(bb);
		return -1;
	}
	if (first) {
		bb->content = store_content_hash(st);
		if (load_references(bb, err, errlen) != 0)
			goto fail;
		sqlite3_stmt *stmt = store_prepare(
		    st, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?"
			" AND sql IS NOT NULL ORDER BY name");
		for (size_t t = 0; stmt && t < bb->schema.count; t++) {
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, bb->schema.tables[t].name, -1, SQLITE_STATIC);
			while (sqlite3_step(stmt) == SQLITE_ROW) {
				struct kept_trigger k = {store_column_text(stmt, 0),
							 store_column_text(stmt, 1)};
				ARRAY_PUSH(bb->triggers, bb->trigger_count, bb->trigger_cap, k);
			}
		}
		if (!stmt) {
			format_error(err, errlen, "cannot read the database schema: %s",
				     store_errmsg(st));
			goto fail;
		}
		sqlite3_reset(stmt);
	}
	for (size_t i = 0; i < bb->trigger_count; i++) {
		struct strbuf sql;
		sb_init(&sql);
		sb_puts(&sql, "DROP TRIGGER ");
		sb_ident(&sql, NULL, bb->triggers[i].name);
		int rc = sqlite3_exec(db, sql.data, NULL, NULL, NULL);
		sb_free(&sql);
		if (rc != SQLITE_OK) {
			format_error(err, errlen, "cannot start the import: %s", sqlite3_errmsg(db));
			goto fail;
		}
	}
	return 0;
fail:
	store_rollback(st);
	batch_close(bb);
	return -1;
}

static void batch_free(struct bundle_batch *bb)
{
	schema_free(&bb->schema);
	free(bb->content);
	for (size_t i = 0; i < bb->ref_count; i++)
		free(bb->refs[i].id);
	free(bb->refs);
	for (size_t i = 0; i < bb->trigger_count; i++) {
		free(bb->triggers[i].name);
		free(bb->triggers[i].sql);
	}
	free(bb->triggers);
	for (size_t i = 0; i < bb->kept_count; i++) {
		bundle_free(&bb->kept[i].bundle);
		free(bb->kept[i].file);
	}
	free(bb->kept);
	free(bb);
}

struct bundle_batch *bundle_batch_begin(struct store *st, char *err, size_t errlen)
{
	if (store_is_readonly(st)) {
		format_error(err, errlen, "the database is read-only: nothing can be imported");
		return NULL;
	}
	struct bundle_batch *bb = xcalloc(1, sizeof *bb);
	bb->st = st;
	if (schema_load(st, &bb->schema) != 0) {
		format_error(err, errlen, "cannot read the database schema: %s", store_errmsg(st));
		batch_free(bb);
		return NULL;
	}
	if (batch_open(bb, true, err, errlen) != 0) {
		batch_free(bb);
		return NULL;
	}
	return bb;
}

void bundle_batch_abandon(struct bundle_batch *bb)
{
	if (!bb)
		return;
	store_rollback(bb->st);
	batch_close(bb);
	batch_free(bb);
}

int bundle_batch_commit(struct bundle_batch *bb, char *err, size_t errlen)
{
	struct store *st = bb->st;
	int status = 0;
	if (bb->broken) {
		format_error(err, errlen, "cannot commit the import: an earlier failure could not be "
					  "undone on its own");
		status = -1;
	}
	for (size_t i = 0; status == 0 && i < bb->trigger_count; i++) {
		if (sqlite3_exec(store_db(st), bb->triggers[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
			format_error(err, errlen, "cannot commit the import: %s", store_errmsg(st));
			status = -1;
		}
	}
	if (status == 0 && store_commit(st) != STORE_OK) {
		format_error(err, errlen, "cannot commit the import: %s", store_errmsg(st));
		status = -1;
	}
	if (status != 0)
		store_rollback(st);
	batch_close(bb);
	batch_free(bb);
	return status;
}

size_t bundle_batch_rows(const struct bundle_batch *bb)
{
	return bb->rows;
}

/* Checks a bundle against this database (the course version, the
 * learner and their key, every table, column, value and reference), then
 * writes it. -1 with err when refused; a failure while writing (*wrote
 * set: a row another learner owns, a CHECK, a full disk) leaves the
 * transaction with part of the bundle in it. */
static int batch_write(struct bundle_batch *bb, const struct bundle *b, const char *file,
		       int64_t now, struct bundle_import_result *res, bool *wrote, char *err,
		       size_t errlen)
{
	struct store *st = bb->st;
	memset(res, 0, sizeof *res);
	res->rows = b->row_count;
	*wrote = false;
	if (!bb->content || strcmp(bb->content, b->meta.content_version))
		return format_error(
		    err, errlen,
		    "%s: made with course version %s, but this database has %s: import it where "
		    "the same course is installed",
		    file, b->meta.content_version, bb->content ? bb->content : "no course");
	const struct schema *s = &bb->schema;
	/* Every check that needs no write comes first. */
	struct known_learner k;
	bool pin_it = false;
	int status = find_learner(st, b->meta.learner_uuid, &k, err, errlen);
	if (status == 0)
		status = check_learner(st, file, &b->meta, &k, now, &pin_it, err, errlen);
	struct plan *plans = xcalloc(b->section_count ? b->section_count : 1, sizeof *plans);
	for (size_t i = 0; status == 0 && i < b->section_count; i++)
		status = make_plan(file, b, &b->sections[i], s, now, bb->refs, bb->ref_count,
				   &plans[i], err, errlen);
	/* Always: whose rows they name (SQLite's own check, when the
	 * schema keeps it on, only asks that they exist). */
	if (status == 0)
		status = check_references(st, file, b, plans, s, k.exists ? k.id : 0, err, errlen);
	if (status == 0) {
		*wrote = true;
		status = import_learner(st, file, &b->meta, &k, pin_it, now, res, err, errlen);
		if (status == 0)
			status = bulk_mark(st, res->learner_id, true, true, err, errlen);
		/* In the store's order, so that a row comes after what it refers
		 * to whatever the bundle's order. */
		for (size_t t = 0; status == 0 && t < s->count; t++)
			for (size_t i = 0; status == 0 && i < b->section_count; i++)
				if (plans[i].table == &s->tables[t])
					status = import_section(st, file, b, &plans[i],
								res->learner_id, res, err,
								errlen);
		if (status == 0)
			status = bulk_mark(st, res->learner_id, false, res->added + res->updated > 0,
					   err, errlen);
		if (status == 0)
			status = log_import(st, b, file, now, res, err, errlen);
	}
	for (size_t i = 0; i < b->section_count; i++)
		plan_free(&plans[i]);
	free(plans);
	return status;
}

/* A bundle failed half-written: the transaction goes back to the batch's
 * start and the bundles written before it are written again, so that no
 * row of the failed one stays (a savepoint per bundle would do the same,
 * but journals every page it touches: a third of the import's time). */
static void batch_replay(struct bundle_batch *bb)
{
	store_rollback(bb->st);
	char err[512];
	bool wrote;
	struct bundle_import_result res;
	if (batch_open(bb, false, err, sizeof err) != 0) {
		bb->broken = true;
		return;
	}
	for (size_t i = 0; i < bb->kept_count; i++) {
		const struct kept_bundle *k = &bb->kept[i];
		int rc = batch_write(bb, &k->bundle, k->file, k->now, &res, &wrote, err, sizeof err);
		bundle_import_result_free(&res);
		if (rc != 0) {
			bb->broken = true;
			return;
		}
	}
}

int bundle_batch_import(struct bundle_batch *bb, struct bundle *b, const char *file, int64_t now,
			struct bundle_import_result *res, char *err, size_t errlen)
{
	if (bb->broken) {
		memset(res, 0, sizeof *res);
		format_error(err, errlen, "%s: not imported: an earlier failure could not be undone on "
					  "its own", file);
		bundle_free(b);
		return -1;
	}
	bool wrote;
	int status = batch_write(bb, b, file, now, res, &wrote, err, errlen);
	if (status != 0) {
		bundle_import_result_free(res);
		if (wrote)
			batch_replay(bb);
		bundle_free(b);
		return -1;
	}
	struct kept_bundle k = {*b, xstrdup(file), now};
	ARRAY_PUSH(bb->kept, bb->kept_count, bb->kept_cap, k);
	memset(b, 0, sizeof *b);
	bb->rows += res->rows;
	return 0;
}

int bundle_import(struct store *st, const struct bundle *b, const char *file, int64_t now,
		  bool dry_run, struct bundle_import_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	res->rows = b->row_count;
	struct bundle_batch *bb = bundle_batch_begin(st, err, errlen);
	if (!bb)
		return -1;
	bool wrote;
	int status = batch_write(bb, b, file, now, res, &wrote, err, errlen);
	if (status != 0)
		bundle_import_result_free(res);
	if (status != 0 || dry_run)
		bundle_batch_abandon(bb);
	else
		status = bundle_batch_commit(bb, err, errlen);
	return status;
}
