/* Who made a progress bundle: every learner who signs in on this computer
 * has an Ed25519 key pair (nettle's ed25519_sha512, RFC 8032), made when
 * the learner is, whose private half never leaves this database (a table
 * that bundles do not carry; the file is the user's alone, 0600); bundles
 * are signed with it. A coach's database pins the public key of each
 * imported learner the first time one of their bundles is imported (trust
 * on first use, as ssh does with host keys) and accepts that learner's
 * later bundles only when they are signed by the same key. */
#ifndef AIPM_KEYS_H
#define AIPM_KEYS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEY_PUBLIC_SIZE 32
#define KEY_PRIVATE_SIZE 32
#define KEY_SIGNATURE_SIZE 64
/* base64 (RFC 4648, with padding) of a public key and of a signature. */
#define KEY_PUBLIC_BASE64 44
#define KEY_SIGNATURE_BASE64 88
/* "SHA256:" and 43 base64 digits, and the NUL. */
#define KEY_FINGERPRINT_SIZE 51

/* A fresh key pair, the private key from getrandom(2). -1 with errno when
 * the system has no randomness to give. */
int key_generate(uint8_t pub[KEY_PUBLIC_SIZE], uint8_t priv[KEY_PRIVATE_SIZE]);
void key_sign(const uint8_t pub[KEY_PUBLIC_SIZE], const uint8_t priv[KEY_PRIVATE_SIZE],
	      const void *msg, size_t len, uint8_t sig[KEY_SIGNATURE_SIZE]);
bool key_verify(const uint8_t pub[KEY_PUBLIC_SIZE], const void *msg, size_t len,
		const uint8_t sig[KEY_SIGNATURE_SIZE]);

/* As ssh-keygen -l prints one: "SHA256:" and the SHA-256 of the raw
 * public key in base64 without its padding. */
void key_fingerprint(const uint8_t pub[KEY_PUBLIC_SIZE], char out[KEY_FINGERPRINT_SIZE]);

/* n bytes as base64 with padding into out (4 * ceil(n / 3) + 1 bytes). */
void key_base64(const uint8_t *in, size_t n, char *out);
/* Exactly n bytes from their canonical base64 (the only spelling
 * key_base64 writes: no spaces, padding as needed); -1 otherwise. */
int key_unbase64(const char *text, size_t len, uint8_t *out, size_t n);

/* ---- a learner's own key ------------------------------------------------ */

/* Makes and stores the key pair of a learner who signs in here, inside
 * the caller's transaction. */
enum store_error learner_key_create(struct store *st, int64_t learner_id);

struct learner_key {
	uint8_t pub[KEY_PUBLIC_SIZE];
	uint8_t priv[KEY_PRIVATE_SIZE];
	char fingerprint[KEY_FINGERPRINT_SIZE];
};
/* The learner's key pair; a learner made before keys existed gets one
 * now. STORE_ERR_NOTFOUND for a learner who does not sign in here (an
 * imported one: their key is on their own computer). Wipe it with
 * learner_key_wipe when done. */
enum store_error learner_key_load(struct store *st, int64_t learner_id, struct learner_key *out);
void learner_key_wipe(struct learner_key *k);
/* The fingerprint of a learner's key, without making one;
 * STORE_ERR_NOTFOUND when they have none (yet). */
enum store_error learner_key_fingerprint(struct store *st, int64_t learner_id,
					 char out[KEY_FINGERPRINT_SIZE]);

/* ---- the coach's pinned keys -------------------------------------------- */

struct pinned_key {
	uint8_t pub[KEY_PUBLIC_SIZE];
	char fingerprint[KEY_FINGERPRINT_SIZE];
	int64_t first_seen; /* the import that pinned it */
	char first_file[256];
};
/* The key pinned for a learner's UUID; STORE_ERR_NOTFOUND when none is. */
enum store_error pinned_key_get(struct store *st, const char *uuid, struct pinned_key *out);
/* Pins pub for uuid (inside the caller's transaction). */
enum store_error pinned_key_set(struct store *st, const char *uuid,
				const uint8_t pub[KEY_PUBLIC_SIZE], int64_t now, const char *file);
/* Forgets the key pinned for uuid, so that the next bundle's key is
 * pinned (a learner on a new computer); STORE_ERR_NOTFOUND when none was. */
enum store_error pinned_key_forget(struct store *st, const char *uuid);

#endif
