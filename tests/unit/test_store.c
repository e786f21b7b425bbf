/* The store: migrations, private files, newer databases refused untouched,
 * read-only databases, learners, and durability across SIGKILL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store.h"
#include "store_sql.h"
#include "testutil.h"
#include "util.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static char *db_in(const char *dir, const char *sub)
{
	return xasprintf("%s/%s/aipm.db", dir, sub);
}

static void test_new_database_is_migrated_and_private(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = db_in(dir, "nested/aipm");
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(st), store_latest_version());
	assert_false(store_is_readonly(st));

	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA journal_mode", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA foreign_keys", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
	store_close(st);

	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char *folder = xasprintf("%s/nested/aipm", dir);
	assert_int_equal(stat(folder, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	/* Reopening is a no-op migration. */
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(st), store_latest_version());
	store_close(st);
	free(folder);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

static char *file_bytes(const char *path, size_t *len)
{
	char *data = test_read_file(path, len);
	assert_non_null(data);
	return data;
}

static void test_newer_database_is_refused_untouched(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/future.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = xasprintf("CREATE TABLE t(x); PRAGMA user_version = %d; PRAGMA "
			      "application_id = %u;",
			      store_latest_version() + 3, STORE_APPLICATION_ID);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(sql);

	size_t before_len, after_len;
	char *before = file_bytes(path, &before_len);
	struct store *st = NULL;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_ERR_NEWER);
	assert_null(st);
	assert_non_null(strstr(err, "newer version of aipm"));
	char *after = file_bytes(path, &after_len);
	assert_int_equal(before_len, after_len);
	assert_memory_equal(before, after, before_len);
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	assert_int_not_equal(stat(wal, &sb), 0);
	free(wal);
	free(before);
	free(after);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* Opens path with the store and expects it refused as another program's,
 * the file (and its folder) exactly as before. */
static void expect_foreign_untouched(const char *dir, const char *path)
{
	size_t before_len, after_len;
	char *before = file_bytes(path, &before_len);
	struct store *st = NULL;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_ERR_FOREIGN);
	assert_null(st);
	char *want = xasprintf("%s is an SQLite database of another program; aipm left it "
			       "untouched", path);
	assert_non_null(strstr(err, want));
	free(want);
	char *after = file_bytes(path, &after_len);
	assert_int_equal(before_len, after_len);
	assert_memory_equal(before, after, before_len);
	/* no -wal, -shm or -journal made beside it */
	char *cmd = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int files = 0;
	assert_int_equal(fscanf(p, "%d", &files), 1);
	pclose(p);
	free(cmd);
	assert_int_equal(files, 1);
	free(before);
	free(after);
}

static void make_sqlite(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_foreign_database_is_left_untouched(void **state)
{
	(void)state;
	const char *kinds[] = {
		/* another program's tables, an older user_version: before, aipm
		 * added its tables, switched it to WAL and the migration failed */
		"CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
		"INSERT INTO notes(body) VALUES ('mine');"
		"PRAGMA user_version = 3;",
		/* another program's application id */
		"PRAGMA application_id = 42; CREATE TABLE t(x);",
		/* in WAL mode, everything checkpointed */
		"PRAGMA journal_mode = WAL; CREATE TABLE w(x); INSERT INTO w VALUES (1);",
		/* a table called like one of aipm's is not enough */
		"CREATE TABLE learners(x); PRAGMA user_version = 1;",
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		char *dir = test_tempdir();
		char *path = xasprintf("%s/their.db", dir);
		make_sqlite(path, kinds[k]);
		expect_foreign_untouched(dir, path);
		free(path);
		test_remove_tree(dir);
		free(dir);
	}
}

static void test_database_gets_its_application_id(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA application_id", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal((uint32_t)sqlite3_column_int64(stmt, 0), STORE_APPLICATION_ID);
	sqlite3_finalize(stmt);
	/* a database of an aipm from before the id: no id, aipm's tables */
	assert_int_equal(sqlite3_exec(store_db(st), "PRAGMA application_id = 0", NULL, NULL, NULL),
			 SQLITE_OK);
	store_close(st);
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	store_close(st);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal((uint32_t)sqlite3_column_int64(stmt, 0), STORE_APPLICATION_ID);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	/* an empty SQLite file (a header, no tables) becomes aipm's */
	char *empty = xasprintf("%s/empty.db", dir);
	make_sqlite(empty, "VACUUM");
	assert_int_equal(store_open(empty, &st, err, sizeof err), STORE_OK);
	store_close(st);
	free(empty);
	/* a FIFO or a folder is refused at once */
	char *fifo = xasprintf("%s/fifo.db", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_int_equal(store_open(fifo, &st, err, sizeof err), STORE_ERR_OPEN);
	alarm(0);
	assert_non_null(strstr(err, "not a regular file (a FIFO)"));
	assert_int_equal(store_open(dir, &st, err, sizeof err), STORE_ERR_OPEN);
	assert_non_null(strstr(err, "not a regular file (a folder)"));
	free(fifo);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

static int64_t file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

/* Behind a long write, the commits leave the WAL to the second thread:
 * once it is stopped, what the WAL held is in the database file (with the
 * -wal still there: the connection is open), and nothing was lost. New
 * databases have 8 KB pages. */
static void test_checkpoints_behind_a_long_write(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/aipm.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 8192);
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); CREATE TABLE big (b BLOB)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	int64_t before = file_size(path);
	store_long_write_begin(st);
	/* Three commits of 1,200 pages each: each one due for a checkpoint. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(sqlite3_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
						  " SELECT i + 1 FROM n WHERE i < 1200)"
						  " INSERT INTO big SELECT randomblob(8000) FROM n",
					      NULL, NULL, NULL),
				 SQLITE_OK);
	store_long_write_end(st);
	assert_true(file_size(path) >= before + 3 * 1200 * 8192);
	char *wal = xasprintf("%s-wal", path);
	assert_true(file_size(wal) > 0);
	free(wal);
	store_close(st);
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT COUNT(*) FROM big", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 3600);
	sqlite3_finalize(stmt);
	store_close(st);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* An aipm from before the id, killed before its first checkpoint: the
 * file holds a header without the id and no tables, the -wal everything.
 * It is aipm's (read through the -wal), not another program's. */
static void test_old_database_with_everything_in_its_wal(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/aipm.db", dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st;
		char err[512];
		if (store_open(path, &st, err, sizeof err) != STORE_OK ||
		    sqlite3_exec(store_db(st), "PRAGMA application_id = 0", NULL, NULL, NULL) !=
			SQLITE_OK)
			_exit(1);
		_exit(0); /* no close: no checkpoint */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the file's header made as an old aipm made it: no id */
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	static const unsigned char zero[4];
	assert_int_equal(pwrite(fd, zero, 4, 68), 4);
	close(fd);
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA application_id", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal((uint32_t)sqlite3_column_int64(stmt, 0), STORE_APPLICATION_ID);
	sqlite3_finalize(stmt);
	store_close(st);
	free(wal);
	free(path);
	/* Another program's database in the same state is still refused, its
	 * file and its -wal byte for byte as they were. */
	path = xasprintf("%s/their.db", dir);
	wal = xasprintf("%s-wal", path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db;
		if (sqlite3_open(path, &db) != SQLITE_OK ||
		    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
				     "CREATE TABLE notes(body); INSERT INTO notes VALUES ('mine')",
				 NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	size_t db_len, wal_len, len;
	char *db_before = file_bytes(path, &db_len), *wal_before = file_bytes(wal, &wal_len);
	assert_true(wal_len > 0);
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_ERR_FOREIGN);
	char *after = file_bytes(path, &len);
	assert_int_equal(len, db_len);
	assert_memory_equal(after, db_before, len);
	free(after);
	after = file_bytes(wal, &len);
	assert_int_equal(len, wal_len);
	assert_memory_equal(after, wal_before, len);
	free(after);
	free(db_before);
	free(wal_before);
	free(wal);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

static void test_default_path_needs_an_absolute_home(void **state)
{
	(void)state;
	char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	char *xdg = getenv("XDG_DATA_HOME") ? xstrdup(getenv("XDG_DATA_HOME")) : NULL;
	setenv("HOME", "/home/ana", 1);
	unsetenv("XDG_DATA_HOME");
	char *p = store_default_path();
	assert_string_equal(p, "/home/ana/.local/share/aipm/aipm.db");
	free(p);
	setenv("XDG_DATA_HOME", "/data", 1);
	p = store_default_path();
	assert_string_equal(p, "/data/aipm/aipm.db");
	free(p);
	/* relative or unset: no default, and a message that says what to do */
	setenv("XDG_DATA_HOME", "rel", 1);
	setenv("HOME", "", 1);
	assert_null(store_default_path());
	unsetenv("HOME");
	unsetenv("XDG_DATA_HOME");
	assert_null(store_default_path());
	assert_non_null(strstr(store_no_default_path(), "pass --db PATH"));
	if (home)
		setenv("HOME", home, 1);
	if (xdg)
		setenv("XDG_DATA_HOME", xdg, 1);
	free(home);
	free(xdg);
}

static void test_garbage_file_is_reported(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	test_write_file(dir, "junk.db", "this is not a database, it is a text file with words\n");
	char *path = xasprintf("%s/junk.db", dir);
	struct store *st = NULL;
	char err[512];
	enum store_error e = store_open(path, &st, err, sizeof err);
	assert_true(e == STORE_ERR_CORRUPT || e == STORE_ERR_OPEN);
	assert_null(st);
	assert_non_null(strstr(err, path));
	free(path);
	test_remove_tree(dir);
	free(dir);
}

static void test_learners(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/l.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	struct learner a, b, found;
	assert_int_equal(store_learner_create(st, "Ana", &a), STORE_OK);
	assert_int_equal(store_learner_create(st, "Ben Okafor", &b), STORE_OK);
	assert_int_equal(strlen(a.uuid), 36);
	assert_string_not_equal(a.uuid, b.uuid);
	/* Names are unique, case-insensitively. */
	assert_int_not_equal(store_learner_create(st, "ana", &found), STORE_OK);
	assert_int_equal(store_learner_by_name(st, "ANA", &found), STORE_OK);
	assert_int_equal(found.id, a.id);
	assert_int_equal(store_learner_by_name(st, "Nobody", &found), STORE_ERR_NOTFOUND);
	/* A learner just made has not signed in before; after once, has. */
	bool before = true;
	assert_int_equal(store_learner_sign_in(st, a.id, &before), STORE_OK);
	assert_false(before);
	assert_int_equal(store_learner_sign_in(st, a.id, &before), STORE_OK);
	assert_true(before);
	assert_int_equal(store_learner_sign_in(st, b.id, &before), STORE_OK);
	assert_false(before);
	struct learner *all;
	size_t n;
	assert_int_equal(store_learner_list(st, &all, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(all[1].name, "Ben Okafor");
	free(all);
	assert_int_equal(store_setting_set(st, "last_learner", "2"), STORE_OK);
	char *v = store_setting_get(st, "last_learner");
	assert_string_equal(v, "2");
	free(v);
	assert_null(store_setting_get(st, "missing"));
	store_close(st);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* Root ignores file modes, so the read-only check runs as "nobody". */
static int readonly_child(const char *path)
{
	if (geteuid() == 0 && setgid(65534) != 0)
		return 10;
	if (geteuid() == 0 && setuid(65534) != 0)
		return 11;
	struct store *st = NULL;
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		return 12;
	if (!store_is_readonly(st))
		return 13;
	struct learner l;
	if (store_learner_by_name(st, "Ana", &l) != STORE_OK)
		return 14;
	if (store_learner_create(st, "Zoe", &l) != STORE_ERR_READONLY)
		return 15;
	if (store_setting_set(st, "k", "v") != STORE_ERR_READONLY)
		return 16;
	store_close(st);
	return 0;
}

/* readonly_child in another process (as uid 65534 when root), which must
 * find everything as expected. */
static void expect_readonly_child(const char *path)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(readonly_child(path));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_readonly_database(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/ro.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	struct learner l;
	assert_int_equal(store_learner_create(st, "Ana", &l), STORE_OK);
	/* Checkpoint so that the read-only reader needs no WAL. */
	sqlite3_exec(store_db(st), "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	store_close(st);
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	expect_readonly_child(path);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* The same database as left by aipm (WAL mode), read-only and in a folder
 * this user cannot write, as a shared classroom copy would be: SQLite cannot
 * create the -shm file it reads a WAL database through, and refused to
 * read it at all ("attempt to write a readonly database"); it now opens
 * read-only. */
static void test_readonly_wal_database_in_readonly_folder(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/ro.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	struct learner l;
	assert_int_equal(store_learner_create(st, "Ana", &l), STORE_OK);
	store_close(st);
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	expect_readonly_child(path);
	assert_int_equal(stat(path, &after), 0);
	assert_true(before.st_size == after.st_size && before.st_mtime == after.st_mtime);
	assert_int_equal(chmod(dir, 0755), 0);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* The child writes settings one committed transaction at a time and
 * reports each confirmed write on a pipe; the parent kills it at a random
 * moment and checks that the database is intact and every confirmed write
 * is there. */
static void writer_child(const char *path, int fd)
{
	struct store *st;
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK)
		_exit(2);
	for (int i = 0;; i++) {
		char key[32];
		snprintf(key, sizeof key, "k%06d", i);
		if (store_setting_set(st, key, "confirmed") != STORE_OK)
			_exit(3);
		if (write(fd, &i, sizeof i) != sizeof i)
			_exit(4);
	}
}

static void test_sigkill_keeps_confirmed_writes(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	char *path = xasprintf("%s/kill.db", dir);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	store_close(st);
	srand((unsigned)time(NULL));
	int confirmed_total = 0;
	for (int round = 0; round < 20; round++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			writer_child(path, fds[1]);
		}
		close(fds[1]);
		/* The kill lands among the writes, not before the first: opening
		 * the store takes longer than the delay on a loaded machine or
		 * under the sanitizers. */
		int last = -1, i;
		if (read(fds[0], &i, sizeof i) == sizeof i)
			last = i;
		usleep((useconds_t)(1000 + rand() % 40000));
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status));
		while (read(fds[0], &i, sizeof i) == sizeof i)
			last = i;
		close(fds[0]);

		assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
		sqlite3_stmt *stmt;
		assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA integrity_check", -1,
						    &stmt, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "ok");
		sqlite3_finalize(stmt);
		for (int k = 0; k <= last; k++) {
			char key[32];
			snprintf(key, sizeof key, "k%06d", k);
			char *v = store_setting_get(st, key);
			assert_non_null(v);
			free(v);
		}
		confirmed_total += last + 1;
		/* Start the next round from a clean slate of keys. */
		sqlite3_exec(store_db(st), "DELETE FROM app_settings", NULL, NULL, NULL);
		store_close(st);
	}
	assert_true(confirmed_total > 0);
	free(path);
	test_remove_tree(dir);
	free(dir);
}

/* Several processes (terminals) start on the same new database at the
 * same moment: each opens it migrated and in WAL mode. Before, the second
 * one re-ran a migration the first had applied ("table content_meta
 * already exists") or took the lock it met while switching to WAL for a
 * read-only database. */
static int opener_child(const char *path, int barrier)
{
	char c;
	if (read(barrier, &c, 1) != 0) /* returns 0 when the parent lets go */
		return 3;
	struct store *st;
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "child: %s\n", err);
		return 1;
	}
	int ok = !store_is_readonly(st) && store_schema_version(st) == store_latest_version();
	store_close(st);
	return ok ? 0 : 2;
}

static void test_processes_opening_a_new_database_at_once(void **state)
{
	(void)state;
	char *dir = test_tempdir();
	for (int round = 0; round < 10; round++) {
		char *path = xasprintf("%s/new-%d.db", dir, round);
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		pid_t pids[6];
		for (int i = 0; i < 6; i++) {
			pids[i] = fork();
			assert_true(pids[i] >= 0);
			if (pids[i] == 0) {
				close(fds[1]);
				_exit(opener_child(path, fds[0]));
			}
		}
		close(fds[0]);
		close(fds[1]);
		for (int i = 0; i < 6; i++) {
			int status;
			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
		}
		free(path);
	}
	test_remove_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_database_is_migrated_and_private),
		cmocka_unit_test(test_newer_database_is_refused_untouched),
		cmocka_unit_test(test_garbage_file_is_reported),
		cmocka_unit_test(test_foreign_database_is_left_untouched),
		cmocka_unit_test(test_database_gets_its_application_id),
		cmocka_unit_test(test_checkpoints_behind_a_long_write),
		cmocka_unit_test(test_old_database_with_everything_in_its_wal),
		cmocka_unit_test(test_default_path_needs_an_absolute_home),
		cmocka_unit_test(test_learners),
		cmocka_unit_test(test_readonly_database),
		cmocka_unit_test(test_readonly_wal_database_in_readonly_folder),
		cmocka_unit_test(test_sigkill_keeps_confirmed_writes),
		cmocka_unit_test(test_processes_opening_a_new_database_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
