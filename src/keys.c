#include "keys.h"

#include "clock.h"
#include "store_sql.h"

#include <errno.h>
#include <nettle/base64.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

_Static_assert(KEY_PUBLIC_SIZE == ED25519_KEY_SIZE, "an Ed25519 public key");
_Static_assert(KEY_SIGNATURE_SIZE == ED25519_SIGNATURE_SIZE, "an Ed25519 signature");
_Static_assert(KEY_PUBLIC_BASE64 == BASE64_ENCODE_RAW_LENGTH(KEY_PUBLIC_SIZE), "base64 size");
_Static_assert(KEY_SIGNATURE_BASE64 == BASE64_ENCODE_RAW_LENGTH(KEY_SIGNATURE_SIZE),
	       "base64 size");

int key_generate(uint8_t pub[KEY_PUBLIC_SIZE], uint8_t priv[KEY_PRIVATE_SIZE])
{
	size_t got = 0;
	while (got < KEY_PRIVATE_SIZE) {
		ssize_t n = getrandom(priv + got, KEY_PRIVATE_SIZE - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	ed25519_sha512_public_key(pub, priv);
	return 0;
}

void key_sign(const uint8_t pub[KEY_PUBLIC_SIZE], const uint8_t priv[KEY_PRIVATE_SIZE],
	      const void *msg, size_t len, uint8_t sig[KEY_SIGNATURE_SIZE])
{
	ed25519_sha512_sign(pub, priv, len, msg, sig);
}

bool key_verify(const uint8_t pub[KEY_PUBLIC_SIZE], const void *msg, size_t len,
		const uint8_t sig[KEY_SIGNATURE_SIZE])
{
	return ed25519_sha512_verify(pub, len, msg, sig) == 1;
}

void key_base64(const uint8_t *in, size_t n, char *out)
{
	base64_encode_raw(out, n, in);
	out[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
}

int key_unbase64(const char *text, size_t len, uint8_t *out, size_t n)
{
	if (len != BASE64_ENCODE_RAW_LENGTH(n) || len > 128)
		return -1;
	uint8_t buf[BASE64_DECODE_LENGTH(128)];
	struct base64_decode_ctx ctx;
	base64_decode_init(&ctx);
	size_t got = 0;
	if (!base64_decode_update(&ctx, &got, buf, len, text) || !base64_decode_final(&ctx) ||
	    got != n)
		return -1;
	/* nettle skips white space and accepts unused low bits: only the one
	 * spelling key_base64 writes is taken. */
	char again[129];
	key_base64(buf, n, again);
	if (memcmp(again, text, len) != 0)
		return -1;
	memcpy(out, buf, n);
	return 0;
}

void key_fingerprint(const uint8_t pub[KEY_PUBLIC_SIZE], char out[KEY_FINGERPRINT_SIZE])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, KEY_PUBLIC_SIZE, pub);
	sha256_digest(&ctx, sizeof digest, digest);
	char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
	key_base64(digest, sizeof digest, b64);
	/* 32 bytes are 43 digits and one '=' of padding, which ssh leaves out. */
	snprintf(out, KEY_FINGERPRINT_SIZE, "SHA256:%.43s", b64);
}

/* ---- a learner's own key ------------------------------------------------ */

enum store_error learner_key_create(struct store *st, int64_t learner_id)
{
	uint8_t pub[KEY_PUBLIC_SIZE], priv[KEY_PRIVATE_SIZE];
	if (key_generate(pub, priv) != 0)
		return STORE_ERR_SQL;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO learner_keys (learner_id, public_key, private_key, created_at)"
		" VALUES (?, ?, ?, ?)");
	enum store_error e = STORE_ERR_SQL;
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, learner_id);
		sqlite3_bind_blob(stmt, 2, pub, sizeof pub, SQLITE_TRANSIENT);
		sqlite3_bind_blob(stmt, 3, priv, sizeof priv, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 4, clock_now());
		e = store_step_done(st, stmt);
		/* SQLite's copy is freed; the statement keeps no binding. */
		sqlite3_clear_bindings(stmt);
	}
	explicit_bzero(priv, sizeof priv);
	return e;
}

/* The stored pair, when there is one. */
static enum store_error read_key(struct store *st, int64_t learner_id, struct learner_key *out)
{
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT public_key, private_key FROM learner_keys WHERE learner_id = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	int rc = sqlite3_step(stmt);
	enum store_error e = rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == KEY_PUBLIC_SIZE &&
	    sqlite3_column_bytes(stmt, 1) == KEY_PRIVATE_SIZE) {
		memcpy(out->pub, sqlite3_column_blob(stmt, 0), KEY_PUBLIC_SIZE);
		memcpy(out->priv, sqlite3_column_blob(stmt, 1), KEY_PRIVATE_SIZE);
		key_fingerprint(out->pub, out->fingerprint);
		e = STORE_OK;
	}
	sqlite3_reset(stmt);
	return e;
}

enum store_error learner_key_load(struct store *st, int64_t learner_id, struct learner_key *out)
{
	memset(out, 0, sizeof *out);
	enum store_error e = read_key(st, learner_id, out);
	if (e != STORE_ERR_NOTFOUND)
		return e;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT 1 FROM learners WHERE id = ? AND origin = 'local'");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;
	/* A learner from before keys: theirs is made now, once (another
	 * process doing the same at the same moment loses the race and reads
	 * the winner's). */
	if ((e = store_begin(st)) != STORE_OK)
		return e;
	e = read_key(st, learner_id, out);
	if (e == STORE_ERR_NOTFOUND) {
		e = learner_key_create(st, learner_id);
		if (e == STORE_OK)
			e = read_key(st, learner_id, out);
	}
	if (e != STORE_OK) {
		store_rollback(st);
		learner_key_wipe(out);
		return e;
	}
	return store_commit(st);
}

void learner_key_wipe(struct learner_key *k)
{
	explicit_bzero(k, sizeof *k);
}

enum store_error learner_key_fingerprint(struct store *st, int64_t learner_id,
					 char out[KEY_FINGERPRINT_SIZE])
{
	struct learner_key k;
	enum store_error e = read_key(st, learner_id, &k);
	if (e == STORE_OK)
		memcpy(out, k.fingerprint, KEY_FINGERPRINT_SIZE);
	learner_key_wipe(&k);
	return e;
}

/* ---- the coach's pinned keys -------------------------------------------- */

enum store_error pinned_key_get(struct store *st, const char *uuid, struct pinned_key *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT public_key, first_seen, first_file FROM coach_keys WHERE learner_uuid = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	enum store_error e = rc == SQLITE_DONE ? STORE_ERR_NOTFOUND : STORE_ERR_SQL;
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == KEY_PUBLIC_SIZE) {
		memcpy(out->pub, sqlite3_column_blob(stmt, 0), KEY_PUBLIC_SIZE);
		key_fingerprint(out->pub, out->fingerprint);
		out->first_seen = sqlite3_column_int64(stmt, 1);
		const unsigned char *f = sqlite3_column_text(stmt, 2);
		snprintf(out->first_file, sizeof out->first_file, "%s", f ? (const char *)f : "");
		e = STORE_OK;
	}
	sqlite3_reset(stmt);
	return e;
}

enum store_error pinned_key_set(struct store *st, const char *uuid,
				const uint8_t pub[KEY_PUBLIC_SIZE], int64_t now, const char *file)
{
	char fingerprint[KEY_FINGERPRINT_SIZE];
	key_fingerprint(pub, fingerprint);
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO coach_keys (learner_uuid, public_key, fingerprint, first_seen,"
		" first_file) VALUES (?, ?, ?, ?, ?)");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 2, pub, KEY_PUBLIC_SIZE, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, fingerprint, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, now);
	sqlite3_bind_text(stmt, 5, file, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error pinned_key_forget(struct store *st, const char *uuid)
{
	sqlite3_stmt *stmt = store_prepare(st, "DELETE FROM coach_keys WHERE learner_uuid = ?");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	enum store_error e = store_step_done(st, stmt);
	if (e == STORE_OK && sqlite3_changes(store_db(st)) == 0)
		return STORE_ERR_NOTFOUND;
	return e;
}
