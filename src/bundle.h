/* Progress bundles: one learner's progress as a CSV file (written and read
 * with libcsv) that a coach imports into their own database, offline.
 *
 * Every record starts with two fields, the section and the kind of row:
 *
 *   aipm-progress-bundle,format,1
 *   meta,aipm_version,0.1.0          (then learner_uuid, learner_name,
 *   ...                               learner_created_at, content_version,
 *                                     exported_at)
 *   quiz_takes,columns,uid,lesson_id,...
 *   quiz_takes,row,7c0e...,m1-shiny-object-trap,...
 *   ...                              (one section per learner table)
 *   checksum,sha256,<64 hex digits>
 *
 * The checksum row closes the file: the SHA-256 of every byte before it.
 * Sections are the learner tables of the store, found from its schema (a
 * learner_id column referring to learners, or rows owned through a uid of
 * such a table), so a table added by a later migration travels without a
 * change here. The learner is implied (no learner_id column); an empty
 * field in a column that allows NULL is NULL.
 *
 * Importing merges by row identity: rows whose key is already present are
 * left alone, except for tables with a version column (positions, cards,
 * quiz takes in progress), where the row with the newer version wins. So
 * importing the same or an older bundle again adds nothing and a newer one
 * adds only what is new. */
#ifndef AIPM_BUNDLE_H
#define AIPM_BUNDLE_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BUNDLE_MAGIC "aipm-progress-bundle"
/* The format this build writes and the newest it reads. */
#define BUNDLE_FORMAT 1

struct bundle_meta {
	int format;
	char aipm_version[32];
	char learner_uuid[37];
	char learner_name[128];
	int64_t learner_created_at;
	char content_version[65];
	int64_t exported_at;
	char checksum[65]; /* lower-case hex SHA-256 */
};

/* A parsed, checked bundle: its sections and rows held in memory. */
struct bundle_section {
	char *table;
	char **columns;
	size_t column_count;
	int line;	/* of the columns row */
	size_t first;	/* index of the first row in bundle.rows */
	size_t count;	/* rows */
};

struct bundle_row {
	int line;
	size_t first_field; /* index into bundle.fields; column_count fields */
};

struct bundle {
	struct bundle_meta meta;
	struct bundle_section *sections;
	size_t section_count, section_cap;
	struct bundle_row *rows;
	size_t row_count, row_cap;
	/* Field i is text + offsets[i], NUL-terminated. */
	char *text;
	size_t text_len, text_cap;
	size_t *offsets;
	size_t field_count, field_cap;
};

static inline const char *bundle_field(const struct bundle *b, const struct bundle_row *r,
				       size_t column)
{
	return b->text + b->offsets[r->first_field + column];
}

/* Reads and checks a bundle on its own (no database): the first row, the
 * format, the checksum, the CSV, the metadata and the shape of every
 * section. On failure returns -1 with the reason in err (naming name and
 * the line where it can). */
int bundle_parse(const char *name, const char *data, size_t len, struct bundle *out, char *err,
		 size_t errlen);
int bundle_read(const char *path, struct bundle *out, char *err, size_t errlen);
void bundle_free(struct bundle *b);

/* Reads and checks bundles (bundle_read) on a second thread, a few files
 * ahead of the caller, who imports meanwhile; in the order of paths (kept
 * by the caller until bundle_reader_stop). */
struct bundle_reader;
struct bundle_reader *bundle_reader_start(const char *const *paths, size_t count);
/* The next file's bundle, as bundle_read gives it. */
int bundle_reader_next(struct bundle_reader *r, struct bundle *out, char *err, size_t errlen);
/* Stops reading (the bundles not taken are freed). NULL: nothing. */
void bundle_reader_stop(struct bundle_reader *r);

/* What a file picker shows about a file without checking it all: whether
 * it starts like a bundle, and whose it is. */
struct bundle_peek {
	bool is_bundle;
	char learner_name[128];
	int64_t exported_at; /* 0 when not seen in the first rows */
};
void bundle_peek(const char *path, struct bundle_peek *out);

/* A folder as the import picker lists it: its sub-folders (with ".." first
 * unless dir is "/"), then its .csv files with a peek at each; hidden
 * entries left out; by name. */
struct bundle_dir_entry {
	char *name;
	bool is_dir;
	struct bundle_peek peek; /* files only */
};
int bundle_dir_scan(const char *dir, struct bundle_dir_entry **out, size_t *count, char *err,
		    size_t errlen);
void bundle_dir_free(struct bundle_dir_entry *entries, size_t count);

/* Writes the learner's bundle to out (the bytes are built in memory first,
 * so that the checksum covers exactly what is written). rows gets the
 * number of data rows. -1 with err on failure. */
int bundle_write(struct store *st, const struct learner *learner, int64_t now, FILE *out,
		 size_t *rows, char *err, size_t errlen);
/* The same into path ("-": standard output) through fileio's writer (a
 * temporary file renamed into place, so that a reader never sees half a
 * bundle; 0600), replacing an existing file only when replace. */
int bundle_export(struct store *st, const struct learner *learner, int64_t now,
		  const char *path, bool replace, size_t *rows, char *err, size_t errlen);

struct bundle_import_result {
	int64_t learner_id;
	char learner_name[128];
	bool new_learner;
	size_t rows;	  /* rows in the bundle */
	size_t added;	  /* new rows */
	size_t updated;	  /* rows replaced by a newer version */
	size_t unchanged; /* rows already there (or newer there) */
};

/* Imports a parsed bundle in one transaction, after checking it against
 * this database: the same course version, every table and column known,
 * every value of the column's type. The learner is found by UUID (created,
 * as an imported learner, when new). file is what the import log records.
 * dry_run checks everything, the inserts included, then rolls back. -1
 * with err (nothing written) on failure. */
int bundle_import(struct store *st, const struct bundle *b, const char *file, int64_t now,
		  bool dry_run, struct bundle_import_result *res, char *err, size_t errlen);

/* Many bundles in one transaction, each still all or nothing: a refused
 * bundle leaves no row and the others stay. Every bundle is checked whole
 * before its first write; one that fails while it is being written (a
 * row that refers to nothing, a full disk) takes the transaction back to
 * the batch's start and the bundles before it are written again. While
 * the batch is open the imported tables' triggers are set aside (they
 * keep totals that each learner's import recomputes at its end). Fewer
 * commits write far fewer pages than a transaction per bundle. */
struct bundle_batch;
/* NULL with err when the transaction cannot start (read-only, busy). */
struct bundle_batch *bundle_batch_begin(struct store *st, char *err, size_t errlen);
/* Takes b (the batch frees it, at once when refused). */
int bundle_batch_import(struct bundle_batch *batch, struct bundle *b, const char *file,
			int64_t now, struct bundle_import_result *res, char *err, size_t errlen);
/* Rows in the bundles the batch holds. */
size_t bundle_batch_rows(const struct bundle_batch *batch);
/* Commits and frees the batch; on a commit error nothing of it is kept. */
int bundle_batch_commit(struct bundle_batch *batch, char *err, size_t errlen);
/* Rolls back and frees the batch (NULL: nothing). */
void bundle_batch_abandon(struct bundle_batch *batch);

/* The store's learner tables, in the order a bundle carries them (a table
 * before the tables that refer to it); for tests and the docs. *out is
 * malloc'd (strings too): free with bundle_names_free. Tables refused a
 * place, with reasons, go to *skipped when not NULL. */
int bundle_tables(struct store *st, char ***out, size_t *count, char ***skipped,
		  size_t *skipped_count);
void bundle_names_free(char **names, size_t count);

#endif
