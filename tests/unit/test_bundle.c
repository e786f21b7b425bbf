/* Progress bundles: write and read back, the checksum, idempotent
 * re-import, a newer bundle merging, learners matched by UUID, and every
 * refusal (truncated, a changed byte, a future format, another course
 * version, unknown tables and bad values), each leaving the coach's
 * database untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bundle.h"
#include "config.h"
#include "testutil.h"
#include "util.h"

#include <nettle/sha2.h>
#include <sys/stat.h>

/* 2026-03-02 10:00 UTC */
#define T0 INT64_C(1772445600)

struct fixture {
	char *dir;
	struct store *learner_db, *coach_db;
	struct learner ana;
};

static struct store *open_db(const char *dir, const char *name, const char *content_hash)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct store *st;
	char err[512];
	assert_int_equal(store_open(path, &st, err, sizeof err), STORE_OK);
	free(path);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st),
					    "INSERT INTO content_meta (key, value) VALUES ('hash', ?)",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(stmt, 1, content_hash, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_finalize(stmt);
	return st;
}

static void exec(struct store *st, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(store_db(st), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int64_t count(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static char *text(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(stmt, 0);
	char *s = xstrdup(t ? (const char *)t : "(null)");
	sqlite3_finalize(stmt);
	return s;
}

/* A learner's first session: a lesson half read, a quiz take in progress
 * with a review answer outside any take, a note with every kind of awkward
 * character, an estimation answer in a mock interview, an interview answer
 * with its rubric grades, and a card. */
static const char first_session[] =
    "INSERT INTO lesson_progress (learner_id, lesson_id, block, line_in_block, read_to_end,"
    " seconds_spent, opened_at, updated_at) VALUES (1, 'm1-a', 3, 1, 0, 120, 1000, 1100),"
    " (1, 'm1-b', 9, 0, 1, 300, 1200, 1500);"
    "INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at, finished_at, answered,"
    " correct, total) VALUES ('take-1', 1, 'm1-a', 1100, NULL, 1, 1, 3);"
    "INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,"
    " answered_at) VALUES ('qa-1', 1, 'take-1', 'm1-a-q1', '2', 1, 1110),"
    " ('qa-2', 1, NULL, 'm1-b-q1', 'shiny, \"new\" objects', 0, 1120);"
    "INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at) VALUES"
    " ('note-1', 1, 'm1-a', '\tIndented, \"quoted\"' || char(10) || 'second line é 日本 ', 1130,"
    " 1130);"
    "INSERT INTO mock_sessions (uid, learner_id, planned, started_at, finished_at) VALUES"
    " ('mock-1', 1, 2, 1200, NULL);"
    "INSERT INTO estimation_attempts (uid, learner_id, question_id, point, low, high,"
    " log_error, hit, width, interval_score, points, seconds, worksheet, mock_uid, answered_at)"
    " VALUES ('est-1', 1, 'est-dogs', 9.5e6, 4e6, 2e7, 0.1, 1, 0.69897000433601875,"
    " 0.7, 70.468809, 300, 'dogs = 90M' || char(10) || 'total = dogs * 0.1', 'mock-1', 1210);"
    "INSERT INTO interview_attempts (uid, learner_id, question_id, type, answer_text, seconds,"
    " score, mock_uid, answered_at) VALUES ('iq-1', 1, 'iq-alarm', 'product_sense',"
    " 'Blind users, vibration', 400, 50, 'mock-1', 1220);"
    "INSERT INTO rubric_grades (attempt_uid, ord, hinted, grade) VALUES ('iq-1', 1, 1, 2),"
    " ('iq-1', 2, 0, 0);"
    "INSERT INTO review_cards (learner_id, item_id, stability, difficulty, reps, lapses,"
    " last_review, due_at) VALUES (1, 'est:est-dogs', 3.1, 5.2, 1, 0, 1210, 90000);";

/* The same learner later: the take finished, the lesson read to the end,
 * the mock interview over, one more answer and the card reviewed again. */
static const char second_session[] =
    "UPDATE lesson_progress SET read_to_end = 1, block = 20, seconds_spent = 400,"
    " updated_at = 2000 WHERE lesson_id = 'm1-a';"
    "UPDATE quiz_takes SET answered = 3, correct = 2, finished_at = 2010 WHERE uid = 'take-1';"
    "INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,"
    " answered_at) VALUES ('qa-3', 1, 'take-1', 'm1-a-q2', 'true', 1, 2005),"
    " ('qa-4', 1, 'take-1', 'm1-a-q3', '1,3', 0, 2010);"
    "UPDATE mock_sessions SET finished_at = 2100 WHERE uid = 'mock-1';"
    "UPDATE review_cards SET reps = 2, last_review = 2200, due_at = 200000;";

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->dir = test_tempdir();
	f->learner_db = open_db(f->dir, "learner.db", "c0ffee0123456789");
	f->coach_db = open_db(f->dir, "coach.db", "c0ffee0123456789");
	assert_int_equal(store_learner_create(f->learner_db, "Ana", &f->ana), STORE_OK);
	assert_int_equal(f->ana.id, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->learner_db);
	store_close(f->coach_db);
	test_remove_tree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The learner's bundle as bytes. */
static char *export_bytes(struct store *st, const struct learner *l, int64_t now, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&buf, &n);
	size_t rows;
	char err[512];
	if (bundle_write(st, l, now, mem, &rows, err, sizeof err) != 0)
		fail_msg("%s", err);
	fclose(mem);
	*len = n;
	return buf;
}

static int import_bytes(struct store *st, const char *data, size_t len,
			struct bundle_import_result *res, char *err, size_t errlen)
{
	struct bundle b;
	if (bundle_parse("ana.csv", data, len, &b, err, errlen) != 0)
		return -1;
	int rc = bundle_import(st, &b, "ana.csv", T0, false, res, err, errlen);
	bundle_free(&b);
	return rc;
}

/* Every learner row of the coach's database, in a fixed order, as text:
 * what must not change when an import is refused or repeated. */
static char *snapshot(struct store *st)
{
	return text(st,
		    "SELECT (SELECT COUNT(*) FROM learners) || '|' ||"
		    " (SELECT group_concat(x, ';') FROM (SELECT lesson_id || ',' || block || ','"
		    "   || read_to_end || ',' || updated_at AS x FROM lesson_progress ORDER BY 1)) || '|'"
		    " || (SELECT group_concat(uid || ',' || answered || ',' || IFNULL(finished_at, '-'),"
		    "   ';') FROM quiz_takes) || '|' || (SELECT COUNT(*) FROM quiz_attempts) || '|'"
		    " || (SELECT COUNT(*) FROM notes) || '|' || (SELECT COUNT(*) FROM rubric_grades)"
		    " || '|' || (SELECT group_concat(item_id || ',' || reps, ';') FROM review_cards)"
		    " || '|' || (SELECT COUNT(*) FROM bundle_imports)");
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t len;
	char *data = export_bytes(f->learner_db, &f->ana, T0, &len);

	/* Metadata first, in order. */
	char head[512];
	snprintf(head, sizeof head,
		 "aipm-progress-bundle,format,1\nmeta,aipm_version,%s\nmeta,learner_uuid,%s\n"
		 "meta,learner_name,Ana\n",
		 AIPM_VERSION, f->ana.uuid);
	assert_memory_equal(data, head, strlen(head));
	assert_non_null(strstr(data, "meta,content_version,c0ffee0123456789\n"));
	assert_non_null(strstr(data, "meta,exported_at,1772445600\n"));

	struct bundle_import_result res;
	char err[512] = "";
	assert_int_equal(import_bytes(f->coach_db, data, len, &res, err, sizeof err), 0);
	assert_true(res.new_learner);
	assert_string_equal(res.learner_name, "Ana");
	/* 2 positions, 1 take, 2 attempts, 1 note, 1 mock, 1 estimation, 1
	 * interview, 2 grades, 1 card. */
	assert_int_equal(res.rows, 12);
	assert_int_equal(res.added, 12);
	assert_int_equal(res.updated + res.unchanged, 0);

	char *uuid = text(f->coach_db, "SELECT uuid || ',' || name || ',' || origin FROM learners");
	char want[128];
	snprintf(want, sizeof want, "%s,Ana,imported", f->ana.uuid);
	assert_string_equal(uuid, want);
	free(uuid);

	/* Values come back exactly: texts with separators and line breaks,
	 * reals to the last bit, NULLs as NULL. */
	const char *same[] = {
	    "SELECT body FROM notes",
	    "SELECT answer FROM quiz_attempts WHERE uid = 'qa-2'",
	    "SELECT quote(take_uid) FROM quiz_attempts WHERE uid = 'qa-2'",
	    "SELECT quote(finished_at) FROM quiz_takes",
	    "SELECT printf('%!.17g|%!.17g|%!.17g', point, width, points) FROM estimation_attempts",
	    "SELECT worksheet || mock_uid FROM estimation_attempts",
	    "SELECT group_concat(ord || ':' || hinted || ':' || grade) FROM rubric_grades",
	    "SELECT typeof(seconds) || typeof(point) FROM estimation_attempts",
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char *a = text(f->learner_db, same[i]);
		char *b = text(f->coach_db, same[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	char *body = text(f->coach_db, "SELECT body FROM notes");
	assert_string_equal(body, "\tIndented, \"quoted\"\nsecond line é 日本 ");
	free(body);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM quiz_attempts WHERE take_uid IS NULL"),
			 1);
	free(data);
}

static void test_checksum_is_sha256_of_what_precedes_it(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t len;
	char *data = export_bytes(f->learner_db, &f->ana, T0, &len);
	assert_true(len > 81);
	assert_int_equal(data[len - 1], '\n');
	const char *row = data + len - 1 - 16 - 64;
	assert_memory_equal(row, "checksum,sha256,", 16);
	assert_int_equal(row[-1], '\n');

	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, (size_t)(row - data), (const uint8_t *)data);
	sha256_digest(&ctx, sizeof digest, digest);
	char hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	assert_memory_equal(row + 16, hex, 64);

	struct bundle b;
	char err[512];
	assert_int_equal(bundle_parse("ana.csv", data, len, &b, err, sizeof err), 0);
	assert_string_equal(b.meta.checksum, hex);
	assert_string_equal(b.meta.learner_uuid, f->ana.uuid);
	assert_int_equal(b.meta.exported_at, T0);
	assert_int_equal(b.meta.format, BUNDLE_FORMAT);
	bundle_free(&b);

	/* Without its final line break the file still holds all it covers. */
	assert_int_equal(bundle_parse("ana.csv", data, len - 1, &b, err, sizeof err), 0);
	bundle_free(&b);
	free(data);
}

static void test_reimport_adds_nothing(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t len;
	char *data = export_bytes(f->learner_db, &f->ana, T0, &len);
	struct bundle_import_result res;
	char err[512];
	assert_int_equal(import_bytes(f->coach_db, data, len, &res, err, sizeof err), 0);
	char *before = snapshot(f->coach_db);
	assert_int_equal(import_bytes(f->coach_db, data, len, &res, err, sizeof err), 0);
	assert_false(res.new_learner);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.updated, 0);
	assert_int_equal(res.unchanged, 12);
	char *after = snapshot(f->coach_db);
	/* Only the import log grew. */
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM bundle_imports"), 2);
	before[strlen(before) - 1] = '\0';
	after[strlen(after) - 1] = '\0';
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(data);
}

static void test_newer_bundle_merges_and_older_changes_nothing(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t old_len, new_len;
	char *old = export_bytes(f->learner_db, &f->ana, T0, &old_len);
	exec(f->learner_db, second_session);
	char *newer = export_bytes(f->learner_db, &f->ana, T0 + 3600, &new_len);

	struct bundle_import_result res;
	char err[512];
	assert_int_equal(import_bytes(f->coach_db, old, old_len, &res, err, sizeof err), 0);
	assert_int_equal(import_bytes(f->coach_db, newer, new_len, &res, err, sizeof err), 0);
	/* Two new attempts; the position, the take, the mock and the card
	 * replaced by their newer copies. */
	assert_int_equal(res.added, 2);
	assert_int_equal(res.updated, 4);
	assert_int_equal(res.unchanged, 14 - 6);
	char *pos = text(f->coach_db, "SELECT block || ',' || read_to_end || ',' || seconds_spent"
				      " FROM lesson_progress WHERE lesson_id = 'm1-a'");
	assert_string_equal(pos, "20,1,400");
	free(pos);
	char *take = text(f->coach_db, "SELECT answered || ',' || correct || ',' || finished_at"
				       " FROM quiz_takes");
	assert_string_equal(take, "3,2,2010");
	free(take);

	/* The older bundle again: nothing goes back. */
	char *before = snapshot(f->coach_db);
	assert_int_equal(import_bytes(f->coach_db, old, old_len, &res, err, sizeof err), 0);
	assert_int_equal(res.added + res.updated, 0);
	char *after = snapshot(f->coach_db);
	before[strlen(before) - 1] = '\0';
	after[strlen(after) - 1] = '\0';
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(count(f->coach_db, "SELECT reps FROM review_cards"), 2);
	assert_int_equal(count(f->coach_db, "SELECT finished_at FROM mock_sessions"), 2100);
	free(old);
	free(newer);
}

static void test_learners_are_matched_by_uuid(void **state)
{
	struct fixture *f = *state;
	/* Two people called Alex on two machines, and a local Alex on the
	 * coach's own. */
	struct store *other = open_db(f->dir, "other.db", "c0ffee0123456789");
	struct learner alex1, alex2, local;
	assert_int_equal(store_learner_create(f->learner_db, "Alex", &alex1), STORE_OK);
	assert_int_equal(store_learner_create(other, "Alex", &alex2), STORE_OK);
	assert_int_equal(store_learner_create(f->coach_db, "Alex", &local), STORE_OK);
	size_t l1, l2;
	char *b1 = export_bytes(f->learner_db, &alex1, T0, &l1);
	char *b2 = export_bytes(other, &alex2, T0, &l2);
	struct bundle_import_result r1, r2;
	char err[512];
	assert_int_equal(import_bytes(f->coach_db, b1, l1, &r1, err, sizeof err), 0);
	assert_int_equal(import_bytes(f->coach_db, b2, l2, &r2, err, sizeof err), 0);
	assert_true(r1.new_learner && r2.new_learner);
	assert_int_not_equal(r1.learner_id, r2.learner_id);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM learners WHERE name = 'Alex'"), 3);
	/* Signing in by name still means the local Alex; imported learners are
	 * not offered for sign-in. */
	struct learner found;
	assert_int_equal(store_learner_by_name(f->coach_db, "alex", &found), STORE_OK);
	assert_int_equal(found.id, local.id);
	struct learner *all;
	size_t n;
	assert_int_equal(store_learner_list(f->coach_db, &all, &n), STORE_OK);
	assert_int_equal(n, 1);
	free(all);
	/* A second local Alex is still refused. */
	assert_int_not_equal(store_learner_create(f->coach_db, "ALEX", &found), STORE_OK);
	/* Re-importing the first Alex finds the same learner. */
	assert_int_equal(import_bytes(f->coach_db, b1, l1, &r2, err, sizeof err), 0);
	assert_false(r2.new_learner);
	assert_int_equal(r2.learner_id, r1.learner_id);
	free(b1);
	free(b2);
	store_close(other);
}

/* Replaces the checksum row so that an edit passes the checksum and meets
 * the next check. */
static char *reseal(const char *data, size_t *len)
{
	const char *row = strstr(data, "\nchecksum,sha256,");
	assert_non_null(row);
	size_t body = (size_t)(row - data) + 1;
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, body, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof digest, digest);
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, data, body);
	sb_puts(&sb, "checksum,sha256,");
	for (int i = 0; i < 32; i++)
		sb_printf(&sb, "%02x", digest[i]);
	sb_putc(&sb, '\n');
	*len = sb.len;
	return sb_steal(&sb);
}

static char *replace(const char *data, const char *from, const char *to)
{
	const char *at = strstr(data, from);
	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - data), data, to, at + strlen(from));
}

/* The import of data is refused with a message containing want, and the
 * coach's database is as it was. */
static void assert_refused(struct fixture *f, const char *data, size_t len, const char *want)
{
	char *before = snapshot(f->coach_db);
	struct bundle_import_result res;
	char err[512] = "";
	assert_int_equal(import_bytes(f->coach_db, data, len, &res, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("expected '%s' in: %s", want, err);
	char *after = snapshot(f->coach_db);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t len;
	char *data = export_bytes(f->learner_db, &f->ana, T0, &len);

	/* Truncated anywhere: half way, at a line end, inside the checksum
	 * row. */
	assert_refused(f, data, len / 2, "truncated");
	const char *last_row = strstr(data, "\nchecksum,");
	assert_refused(f, data, (size_t)(last_row - data) + 1, "does not end with its checksum");
	assert_refused(f, data, len - 20, "truncated");
	assert_refused(f, data, (size_t)(last_row - data) + 5, "ends inside its checksum row");
	assert_refused(f, data, 0, "empty");

	/* Something added after the checksum row. */
	char *longer = xasprintf("%.*sx\n", (int)len, data);
	assert_refused(f, longer, len + 2, "more after its checksum row");
	free(longer);

	/* One byte changed, anywhere before the checksum. */
	for (size_t at = 0; at < (size_t)(last_row - data); at += 97) {
		if (at < 30)
			continue; /* the first line is checked for its own reasons */
		char *copy = xstrndup(data, len);
		copy[at] = copy[at] == 'x' ? 'y' : 'x';
		assert_refused(f, copy, len, "checksum does not match");
		free(copy);
	}
	/* The checksum itself changed. */
	char *copy = xstrndup(data, len);
	copy[len - 2] = copy[len - 2] == '0' ? '1' : '0';
	assert_refused(f, copy, len, "checksum does not match");
	free(copy);

	/* A future format, even with a valid checksum. */
	char *future = replace(data, "aipm-progress-bundle,format,1", "aipm-progress-bundle,format,2");
	size_t flen;
	char *sealed = reseal(future, &flen);
	assert_refused(f, sealed, flen, "bundle format 2 is newer than this aipm");
	free(future);
	free(sealed);

	/* Not a bundle at all. */
	assert_refused(f, "id,name\n1,Ana\n", 14, "not an aipm progress bundle");

	/* Another course version. */
	char *course = replace(data, "meta,content_version,c0ffee0123456789",
			       "meta,content_version,0123456789abcdef");
	sealed = reseal(course, &flen);
	assert_refused(f, sealed, flen, "made with course version 0123456789abcdef, but this "
					"database has c0ffee0123456789");
	free(course);
	free(sealed);

	/* Sealed edits that break the structure: each names its line. */
	const struct {
		const char *from, *to, *want;
	} edits[] = {
	    {"notes,columns,uid", "notes,columns,id", "no column 'id'"},
	    {",1210\n", ",soon\n", "answered_at needs a number, not 'soon'"},
	    {"quiz_takes,row,take-1,", "quiz_takes,row,take-1,extra,", "values, not"},
	    {"meta,learner_name,Ana\n", "", "the metadata lacks 'learner_name'"},
	    {"meta,exported_at,1772445600", "meta,exported_at,yesterday", "invalid value"},
	    {"meta,learner_uuid,", "meta,learner_uuid,x", "invalid value"},
	    {"quiz_takes,row,take-1,", "quiz_takes,sum,take-1,", "unknown kind of row"},
	    {"quiz_takes,row,take-1,", "notes,row,take-1,", "outside its section"},
	    {"quiz_attempts,columns,", "quiz_takes,columns,uid\nquiz_attempts,columns,",
	     "appears twice"},
	    {"meta,exported_at,", "meta,exported_at,1,", "exactly one value"},
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char *edited = replace(data, edits[i].from, edits[i].to);
		sealed = reseal(edited, &flen);
		assert_refused(f, sealed, flen, edits[i].want);
		free(edited);
		free(sealed);
	}
	/* A table this aipm does not have (the whole section renamed). */
	char *secrets = replace(data, "notes,columns,", "secrets,columns,");
	char *renamed = replace(secrets, "notes,row,", "secrets,row,");
	sealed = reseal(renamed, &flen);
	assert_refused(f, sealed, flen, "'secrets' is not a learner table");
	free(secrets);
	free(renamed);
	free(sealed);

	/* A row referring to a take that neither side holds. */
	char *orphan = replace(data, "qa-1,take-1,", "qa-1,take-9,");
	sealed = reseal(orphan, &flen);
	assert_refused(f, sealed, flen, "FOREIGN KEY");
	free(orphan);
	free(sealed);

	/* Invalid UTF-8 in a field. */
	char *bad = replace(data, "second line", "second \xC3\x28line");
	sealed = reseal(bad, &flen);
	assert_refused(f, sealed, flen, "not valid UTF-8");
	free(bad);
	free(sealed);

	/* After all that, the real bundle still imports. */
	struct bundle_import_result res;
	char err[512];
	assert_int_equal(import_bytes(f->coach_db, data, len, &res, err, sizeof err), 0);
	assert_int_equal(res.added, 12);
	free(data);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t len;
	char *data = export_bytes(f->learner_db, &f->ana, T0, &len);
	struct bundle b;
	char err[512];
	assert_int_equal(bundle_parse("ana.csv", data, len, &b, err, sizeof err), 0);
	struct bundle_import_result res;
	char *before = snapshot(f->coach_db);
	assert_int_equal(bundle_import(f->coach_db, &b, "ana.csv", T0, true, &res, err, sizeof err),
			 0);
	assert_int_equal(res.added, 12);
	char *after = snapshot(f->coach_db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	bundle_free(&b);
	free(data);
}

static void test_export_to_file_and_peek(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	char *path = xasprintf("%s/ana.csv", f->dir);
	size_t rows;
	char err[512];
	assert_int_equal(bundle_export(f->learner_db, &f->ana, T0, path, &rows, err, sizeof err), 0);
	assert_int_equal(rows, 12);
	struct bundle_peek peek;
	bundle_peek(path, &peek);
	assert_true(peek.is_bundle);
	assert_string_equal(peek.learner_name, "Ana");
	assert_int_equal(peek.exported_at, T0);
	struct bundle b;
	assert_int_equal(bundle_read(path, &b, err, sizeof err), 0);
	assert_int_equal(b.row_count, 12);
	bundle_free(&b);
	/* A folder that does not exist: a clear error, no file. */
	char *bad = xasprintf("%s/missing/ana.csv", f->dir);
	assert_int_equal(bundle_export(f->learner_db, &f->ana, T0, bad, &rows, err, sizeof err), -1);
	assert_non_null(strstr(err, "missing/ana.csv"));
	bundle_peek(bad, &peek);
	assert_false(peek.is_bundle);
	free(bad);
	free(path);
}

static void test_batch_keeps_each_bundle_whole(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	size_t len, blen, flen, clen;
	char *good = export_bytes(f->learner_db, &f->ana, T0, &len);
	struct learner ben;
	assert_int_equal(store_learner_create(f->learner_db, "Ben", &ben), STORE_OK);
	exec(f->learner_db, "INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at, total)"
			    " VALUES ('take-b', 2, 'm1-a', 5, 3);"
			    "INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,"
			    " answered_at) VALUES ('qa-b', 2, 'take-b', 'm1-a-q1', '1', 0, 6);"
			    "INSERT INTO estimation_attempts (uid, learner_id, question_id, point, low,"
			    " high, log_error, hit, width, interval_score, points, seconds, answered_at)"
			    " VALUES ('ea-b', 2, 'est-x', 10, 5, 20, 0.5, 1, 4, 3, 2, 60, 7);");
	char *ben_bytes = export_bytes(f->learner_db, &ben, T0, &blen);
	/* One bundle refers to a take nobody has: refused before it writes. */
	char *broken = replace(ben_bytes, "qa-b,take-b,", "qa-b,take-x,");
	char *sealed = reseal(broken, &flen);
	/* Another breaks a CHECK of the store (hit is 0 or 1), which only
	 * SQLite sees: it fails half-written. */
	char *checked = replace(ben_bytes, ",0.5,1,4,", ",0.5,7,4,");
	char *check_sealed = reseal(checked, &clen);
	char err[512];
	struct bundle_batch *batch = bundle_batch_begin(f->coach_db, err, sizeof err);
	assert_non_null(batch);
	struct bundle_import_result res;
	struct bundle b;
	assert_int_equal(bundle_parse("ana.csv", good, len, &b, err, sizeof err), 0);
	assert_int_equal(bundle_batch_import(batch, &b, "ana.csv", T0, &res, err, sizeof err), 0);
	assert_int_equal(bundle_parse("ben.csv", sealed, flen, &b, err, sizeof err), 0);
	assert_int_equal(bundle_batch_import(batch, &b, "ben.csv", T0, &res, err, sizeof err), -1);
	assert_non_null(strstr(err, "FOREIGN KEY"));
	assert_non_null(strstr(err, "take-x"));
	/* Ana's rows are written again after Ben's fail. */
	assert_int_equal(bundle_parse("ben.csv", check_sealed, clen, &b, err, sizeof err), 0);
	assert_int_equal(bundle_batch_import(batch, &b, "ben.csv", T0, &res, err, sizeof err), -1);
	assert_non_null(strstr(err, "CHECK"));
	/* The batch goes on after the failures. */
	assert_int_equal(bundle_parse("ana.csv", good, len, &b, err, sizeof err), 0);
	assert_int_equal(bundle_batch_import(batch, &b, "ana.csv", T0, &res, err, sizeof err), 0);
	assert_int_equal(res.added, 0);
	assert_int_equal(bundle_batch_commit(batch, err, sizeof err), 0);
	/* The triggers set aside for the batch are back, and so is the check
	 * of references. */
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger'"
					    " AND name = 'quiz_attempts_tally'"), 1);
	assert_int_equal(count(f->coach_db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM learners"), 1);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM quiz_takes"), 1);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM estimation_attempts"
					    " WHERE uid = 'ea-b'"), 0);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM bundle_imports"), 2);
	/* The totals were recomputed for Ana at the end of her import. */
	assert_int_equal(count(f->coach_db, "SELECT quiz_answers FROM coach_learners"), 2);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM coach_bulk"), 0);
	/* Ben's good bundle imports on its own. */
	assert_int_equal(import_bytes(f->coach_db, ben_bytes, blen, &res, err, sizeof err), 0);
	assert_int_equal(count(f->coach_db, "SELECT COUNT(*) FROM estimation_attempts"
					    " WHERE uid = 'ea-b'"), 1);
	free(good);
	free(ben_bytes);
	free(broken);
	free(sealed);
	free(checked);
	free(check_sealed);
}

static void test_dir_scan(void **state)
{
	struct fixture *f = *state;
	exec(f->learner_db, first_session);
	char *dir = xasprintf("%s/picker", f->dir);
	char *sub = xasprintf("%s/sub", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	char *path = xasprintf("%s/b-ana.csv", dir);
	size_t rows;
	char err[512];
	assert_int_equal(bundle_export(f->learner_db, &f->ana, T0, path, &rows, err, sizeof err), 0);
	test_write_file(dir, "a-other.CSV", "id,name\n");
	test_write_file(dir, ".hidden.csv", "x");
	test_write_file(dir, "notes.txt", "x");
	struct bundle_dir_entry *e;
	size_t n;
	assert_int_equal(bundle_dir_scan(dir, &e, &n, err, sizeof err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(e[0].name, "..");
	assert_true(e[0].is_dir);
	assert_string_equal(e[1].name, "sub");
	assert_string_equal(e[2].name, "a-other.CSV");
	assert_false(e[2].peek.is_bundle);
	assert_string_equal(e[3].name, "b-ana.csv");
	assert_true(e[3].peek.is_bundle);
	assert_string_equal(e[3].peek.learner_name, "Ana");
	bundle_dir_free(e, n);
	assert_int_equal(bundle_dir_scan(path, &e, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "b-ana.csv"));
	free(path);
	free(sub);
	free(dir);
}

/* Every learner table travels in a bundle, or stays home for a stated
 * reason: a table added by a later migration without a key to merge on
 * fails here. */
static void test_every_learner_table_travels(void **state)
{
	struct fixture *f = *state;
	char **tables, **skipped;
	size_t n, nskipped;
	assert_int_equal(bundle_tables(f->coach_db, &tables, &n, &skipped, &nskipped), 0);
	const char *must[] = {"lesson_progress", "quiz_takes",	  "quiz_attempts",
			      "notes",		 "mock_sessions", "estimation_attempts",
			      "interview_attempts", "rubric_grades", "review_cards"};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
		bool found = false;
		for (size_t k = 0; k < n; k++)
			found |= !strcmp(tables[k], must[i]);
		if (!found)
			fail_msg("%s is not carried by bundles", must[i]);
	}
	/* Parents before the tables that refer to them. */
	const char *order[][2] = {{"quiz_takes", "quiz_attempts"},
				  {"mock_sessions", "estimation_attempts"},
				  {"interview_attempts", "rubric_grades"}};
	for (size_t i = 0; i < 3; i++) {
		size_t a = n, b = n;
		for (size_t k = 0; k < n; k++) {
			if (!strcmp(tables[k], order[i][0]))
				a = k;
			if (!strcmp(tables[k], order[i][1]))
				b = k;
		}
		assert_true(a < b);
	}
	for (size_t i = 0; i < nskipped; i++) {
		if (!str_starts_with(skipped[i], "learner_settings:") &&
		    !str_starts_with(skipped[i], "bundle_imports:") &&
		    !str_starts_with(skipped[i], "coach_group_members:") &&
		    !str_starts_with(skipped[i], "coach_answers:") &&
		    !str_starts_with(skipped[i], "coach_learners:") &&
		    !str_starts_with(skipped[i], "coach_lesson_best:") &&
		    !str_starts_with(skipped[i], "coach_rubric_misses:") &&
		    !str_starts_with(skipped[i], "coach_bulk:"))
			fail_msg("a learner table cannot travel in a bundle: %s", skipped[i]);
	}
	/* Every table with a learner_id is one or the other. */
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->coach_db),
					    "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c"
					    " WHERE m.type = 'table' AND c.name = 'learner_id'",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		bool known = false;
		for (size_t k = 0; k < n; k++)
			known |= !strcmp(tables[k], name);
		for (size_t k = 0; k < nskipped; k++)
			known |= str_starts_with(skipped[k], name) && skipped[k][strlen(name)] == ':';
		if (!known)
			fail_msg("learner table %s is neither carried nor kept home", name);
	}
	sqlite3_finalize(stmt);
	bundle_names_free(tables, n);
	bundle_names_free(skipped, nskipped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_checksum_is_sha256_of_what_precedes_it, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reimport_adds_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newer_bundle_merges_and_older_changes_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_learners_are_matched_by_uuid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_to_file_and_peek, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_batch_keeps_each_bundle_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dir_scan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_learner_table_travels, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
