/* Progress bundles: one learner's progress as a CSV file (written and read
 * with libcsv) that a coach imports into their own database, offline,
 * signed with the learner's own key (keys.h).
 *
 * Format 2. Every record starts with two fields, the section and the kind
 * of row; lines end with LF:
 *
 *   aipm-progress-bundle,format,2
 *   meta,public_key,<base64 of the learner's 32-byte Ed25519 public key>
 *   meta,aipm_version,0.1.0          (then learner_uuid, learner_name,
 *   ...                               learner_created_at, content_version,
 *                                     exported_at, in any order)
 *   quiz_takes,columns,uid,lesson_id,...
 *   quiz_takes,row,7c0e...,m1-shiny-object-trap,...
 *   ...                              (one section per learner table)
 *   signature,ed25519,<base64 of the 64-byte signature>
 *
 * The signature row closes the file (a line feed may follow it): an
 * Ed25519 signature (RFC 8032, SHA-512; nettle's ed25519_sha512) by the
 * key of the second row of every byte before the signature row, exactly
 * as they are in the file, that row's own "meta,public_key," included.
 * The key is read from its fixed place, the second line, and the
 * signature checked, before any other byte is parsed; what is parsed is
 * exactly the bytes that were signed. A copy whose line ends were turned
 * into CR LF on the way (a Windows editor, a mail client) is read as if
 * turned back: when the bytes as they are do not verify, every CR LF is
 * read as LF, and that text must verify. Base64 is RFC 4648's, with its
 * padding; no other spelling of the same bytes is accepted. Format 1 (an
 * unkeyed SHA-256 checksum that anyone could recompute) is refused: the
 * learner exports again.
 *
 * Sections are the learner tables of the store, found from its schema (a
 * learner_id column referring to learners, or rows owned through a uid of
 * such a table), so a table added by a later migration travels without a
 * change here. The learner is implied (no learner_id column); an empty
 * field in a column that allows NULL is NULL.
 *
 * Importing checks the bundle whole before its first write: the signature
 * against the key pinned for the learner's UUID (pinned by the first
 * import), every value (bundle_values.h), and that every row it writes or
 * refers to belongs to its learner, who is not one who signs in on the
 * coach's own computer. Rows merge by identity: a row whose key is already
 * present is left alone when it is the same ("unchanged") and reported
 * when it differs ("changed", the stored copy kept), except for tables
 * with a version column (positions, cards, quiz takes in progress), where
 * the row with the newer version replaces it ("updated"). A bundle
 * exported before the last one imported for its learner is refused, so
 * importing the same bundle again adds nothing and a newer one adds only
 * what is new. */
#ifndef AIPM_BUNDLE_H
#define AIPM_BUNDLE_H

#include "keys.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BUNDLE_MAGIC "aipm-progress-bundle"
/* The format this build writes and the newest it reads. */
#define BUNDLE_FORMAT 2

struct bundle_meta {
	int format;
	char aipm_version[32];
	char learner_uuid[37];
	char learner_name[128];
	int64_t learner_created_at;
	char content_version[65];
	int64_t exported_at;
	int created_line, exported_line; /* where those two are */
	uint8_t public_key[KEY_PUBLIC_SIZE];
	char fingerprint[KEY_FINGERPRINT_SIZE];
	char signature[KEY_SIGNATURE_BASE64 + 1]; /* base64, as in the file */
	bool crlf; /* read with its CR LF line ends as LF */
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
 * format, the signature, the CSV, the metadata and the shape of every
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

/* Writes the bundle of a learner who signs in here to out, signed with
 * their key (the bytes are built in memory first, so that the signature
 * covers exactly what is written). rows gets the number of data rows. -1
 * with err on failure (an imported learner has no key here to sign with;
 * learner_key_load gives the key's fingerprint). */
int bundle_write(struct store *st, const struct learner *learner, int64_t now, FILE *out,
		 size_t *rows, char *err, size_t errlen);
/* The same into path ("-": standard output) through fileio's writer (a
 * temporary file renamed into place, so that a reader never sees half a
 * bundle; 0600), replacing an existing file only when replace. */
int bundle_export(struct store *st, const struct learner *learner, int64_t now,
		  const char *path, bool replace, size_t *rows, char *err, size_t errlen);

/* A row that was already here and differs from the bundle's copy. */
struct bundle_change {
	int line;
	char table[40];
	char key[96];	   /* its key, as in the bundle */
	char columns[160]; /* the columns that differ, ", "-separated */
	bool replaced;	   /* the bundle's copy was newer (updated), else kept */
};

/* At most this many changes are listed (all are counted). */
#define BUNDLE_CHANGES_LISTED 1000

struct bundle_import_result {
	int64_t learner_id;
	char learner_name[128];
	bool new_learner;
	char fingerprint[KEY_FINGERPRINT_SIZE]; /* of the key that signed it */
	bool key_pinned; /* this import pinned it (the learner's first signed one) */
	size_t rows;	  /* rows in the bundle */
	size_t added;	  /* new rows */
	size_t updated;	  /* rows replaced by a newer version */
	size_t changed;	  /* rows here that differ from the bundle's, kept */
	size_t unchanged; /* rows already here, the same */
	struct bundle_change *changes; /* the updated and changed rows, by line */
	size_t change_count, change_cap;
};
void bundle_import_result_free(struct bundle_import_result *res);

/* Imports a parsed bundle in one transaction, after checking it against
 * this database: the same course version, the learner's pinned key (or
 * none yet: this import pins it), every table and column known, every
 * value of the column's type and within its range (the estimation scores
 * recomputed), every row and reference the learner's own. The learner is
 * found by UUID (created, as an imported learner, when new). file is what
 * the import log records; now bounds the times a bundle may hold. dry_run
 * checks everything, the inserts included, then rolls back. -1 with err
 * (nothing written) on failure. Free res with bundle_import_result_free
 * (also after a failure). */
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
