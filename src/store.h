/* The store: one SQLite database holding the imported course (content
 * tables, rebuilt on import) and the learners' progress (learner tables,
 * never touched by an import). Learner rows refer to content by its stable
 * text ids, so re-importing or editing content never orphans progress.
 *
 * Every learner write is its own committed transaction (synchronous=FULL),
 * so once a function here returns success the write survives a SIGKILL. */
#ifndef AIPM_STORE_H
#define AIPM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_error {
	STORE_OK = 0,
	STORE_ERR_OPEN,     /* cannot create or open the file */
	STORE_ERR_NEWER,    /* written by a newer aipm: refused, untouched */
	STORE_ERR_CORRUPT,  /* not a database, or failed integrity */
	STORE_ERR_READONLY, /* a write was needed but the database is read-only */
	STORE_ERR_SQL,      /* any other SQLite failure */
	STORE_ERR_NOTFOUND,
	STORE_ERR_INVALID,  /* a value the store refuses (store_learner_name_problem) */
	STORE_ERR_FOREIGN,  /* an SQLite database of another program: untouched */
};

/* PRAGMA application_id of aipm's databases: "AIPM" in ASCII. A file with
 * another id, or without one and without aipm's tables, is not opened. */
#define STORE_APPLICATION_ID 0x4149504DU
#define STORE_APPLICATION_ID_TEXT "1095323725"

struct store;

struct learner {
	int64_t id;
	char uuid[37];
	char name[128];
	int64_t created_at;
};

/* Where the database lives unless --db or AIPM_DB say otherwise:
 * $XDG_DATA_HOME/aipm/aipm.db, else ~/.local/share/aipm/aipm.db.
 * Returns a malloc'd path, or NULL when neither is set to an absolute
 * folder (then store_no_default_path says what to do). */
char *store_default_path(void);
const char *store_no_default_path(void);

/* Opens (creating the file 0600 and its folder 0700 when missing) and
 * migrates. A file that is not aipm's (see STORE_APPLICATION_ID) is
 * refused before anything is written to it. The path is added to fileio's
 * protected files, which no writer replaces. On failure returns an error
 * code and a message in err. */
enum store_error store_open(const char *path, struct store **out, char *err, size_t errlen);
void store_close(struct store *st);

const char *store_path(const struct store *st);
bool store_is_readonly(const struct store *st);
int store_schema_version(struct store *st);
/* The schema version this build migrates to. */
int store_latest_version(void);
/* The last SQLite error, for messages. */
const char *store_errmsg(struct store *st);

/* Transactions for multi-statement writes. BEGIN IMMEDIATE so that a
 * second process waits (busy timeout) instead of failing mid-way. */
/* A long write (a coach's import) of several transactions: the WAL is
 * copied back into the database on a thread of its own rather than by the
 * commits, and the commits do not wait for the disk (a killed process
 * loses nothing; a power cut may lose those transactions). _end (or
 * store_close) ends that after a last checkpoint if one is due: the next
 * commit waits for the disk again, and with it everything before. */
void store_long_write_begin(struct store *st);
void store_long_write_end(struct store *st);
enum store_error store_begin(struct store *st);
enum store_error store_commit(struct store *st);
void store_rollback(struct store *st);

/* Why name cannot be a learner's (empty, too long, a control or
 * bidirectional character: see sanitize.h), or NULL when it can. */
const char *store_learner_name_problem(const char *name);
/* Learners. The ones who sign in here ("local") have names unique per
 * database (case-insensitively); learners imported from progress bundles
 * are matched by UUID, may share names, and are left out of by_name and
 * list (the coach engine lists them). create makes a local learner with
 * their signing key (keys.h), in one transaction; STORE_ERR_INVALID for a
 * name store_learner_name_problem refuses. */
enum store_error store_learner_create(struct store *st, const char *name, struct learner *out);
/* Notes that the learner signs in now; *before says whether they had
 * signed in here before (false for one made by `learners add`, by the
 * sign-in screen or by --learner and not yet signed in). On a read-only
 * database nothing is noted and *before says what was there. */
enum store_error store_learner_sign_in(struct store *st, int64_t learner_id, bool *before);
enum store_error store_learner_by_name(struct store *st, const char *name, struct learner *out);
enum store_error store_learner_by_id(struct store *st, int64_t id, struct learner *out);
/* All local learners, oldest first; *out is malloc'd. */
enum store_error store_learner_list(struct store *st, struct learner **out, size_t *count);

/* App-wide settings (e.g. the last signed-in learner). */
enum store_error store_setting_set(struct store *st, const char *key, const char *value);
/* Returns a malloc'd value or NULL when unset. */
char *store_setting_get(struct store *st, const char *key);

/* Content bookkeeping used by the importer. */
char *store_content_hash(struct store *st);

/* A fresh random (version 4) UUID, for learners and attempt rows. */
void store_new_uuid(char out[37]);

#endif
