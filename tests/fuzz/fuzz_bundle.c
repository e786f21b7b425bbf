/* libFuzzer target for progress bundles: any bytes must be refused with a
 * reason or read whole, never crash, hang or leak. Each input is read as
 * it is (so the signature refuses nearly all of it), and again signed by
 * the harness's own key (its second line made that key's row, its last a
 * signature of the rest), so that the CSV, the metadata, the sections,
 * the values and the checks against the database behind the signature
 * are fuzzed too; and that signed copy with its line ends turned into
 * CR LF, which must read exactly as the LF one (when it had no CR). What
 * reads is imported as a dry run into a database with the seeds' course
 * version and an estimation question, which must be left as it was.
 *
 *   tests/fuzz/run.sh 60 bundle     (builds it with meson -Dfuzz=true, runs it for 60 s)
 * The committed seeds that are signed are signed by this key (private key
 * 32 bytes of 0x42: tests/forgery/forge.c resign 4242...42 re-signs one). */
#include "bundle.h"
#include "keys.h"
#include "store_sql.h"
#include "util.h"

#include <nettle/eddsa.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The import's clock: a day after the seeds' rows (2026-03-03 10:00). */
#define NOW INT64_C(1772532000)

static struct store *st;
static uint8_t priv[KEY_PRIVATE_SIZE], pub[KEY_PUBLIC_SIZE];
static char key_row[32 + KEY_PUBLIC_BASE64];

static int64_t learners(void)
{
	sqlite3_stmt *stmt;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_db(st), "SELECT COUNT(*) FROM learners", -1, &stmt, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/fuzz-bundle-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char *path = xasprintf("%s/coach.db", dir);
	char err[512];
	if (store_open(path, &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	free(path);
	if (sqlite3_exec(store_db(st),
			 "INSERT INTO content_meta (key, value) VALUES ('hash', 'c0ffee0123456789');"
			 "INSERT INTO estimation_questions (id, question, unit, answer, low, high,"
			 " difficulty) VALUES ('est-dogs', 'Dog food?', 't', 1e7, 5e6, 2e7, 'easy')",
			 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	memset(priv, 0x42, sizeof priv);
	ed25519_sha512_public_key(pub, priv);
	char b64[KEY_PUBLIC_BASE64 + 1];
	key_base64(pub, KEY_PUBLIC_SIZE, b64);
	snprintf(key_row, sizeof key_row, "meta,public_key,%s\n", b64);
	return 0;
}

/* Reads data; 1 when it read (b filled, to free), 0 when refused. */
static int check(const char *data, size_t len, struct bundle *b)
{
	char err[1024] = "";
	if (bundle_parse("fuzz.csv", data, len, b, err, sizeof err) != 0) {
		if (!err[0] || !memchr(err, '\0', sizeof err))
			abort(); /* a refusal always says why */
		return 0;
	}
	/* What reads is whole: every row of every section has its fields. */
	size_t rows = 0;
	for (size_t s = 0; s < b->section_count; s++) {
		rows += b->sections[s].count;
		for (size_t r = 0; r < b->sections[s].count; r++)
			for (size_t c = 0; c < b->sections[s].column_count; c++)
				(void)strlen(bundle_field(b, &b->rows[b->sections[s].first + r], c));
	}
	if (rows != b->row_count)
		abort();
	struct bundle_import_result res;
	err[0] = '\0';
	int rc = bundle_import(st, b, "fuzz.csv", NOW, true, &res, err, sizeof err);
	if (rc != 0 && !err[0])
		abort();
	if (rc == 0 && res.added + res.updated + res.changed + res.unchanged != res.rows)
		abort();
	bundle_import_result_free(&res);
	/* A dry run writes nothing. */
	if (learners() != 0)
		abort();
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle b;
	if (check((const char *)data, size, &b))
		bundle_free(&b);

	/* Signed: the first line, the harness's key row in place of the
	 * second (or before it, when it is no key row), the rest, a line
	 * break if it lacks one, and the signature. */
	const char *text = (const char *)data, *end = text + size;
	const char *nl = memchr(text, '\n', size);
	const char *rest = nl ? nl + 1 : end;
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, text, (size_t)(rest - text));
	if (!nl)
		sb_putc(&sb, '\n');
	sb_puts(&sb, key_row);
	if ((size_t)(end - rest) >= 16 && !memcmp(rest, "meta,public_key,", 16)) {
		const char *second_end = memchr(rest, '\n', (size_t)(end - rest));
		rest = second_end ? second_end + 1 : end;
	}
	sb_add(&sb, rest, (size_t)(end - rest));
	if (sb.data[sb.len - 1] != '\n')
		sb_putc(&sb, '\n');
	uint8_t sig[KEY_SIGNATURE_SIZE];
	key_sign(pub, priv, sb.data, sb.len, sig);
	char b64[KEY_SIGNATURE_BASE64 + 1];
	key_base64(sig, sizeof sig, b64);
	sb_printf(&sb, "signature,ed25519,%s\n", b64);
	struct bundle lf;
	int read = check(sb.data, sb.len, &lf);

	/* The same with CR LF line ends, as a mail client makes of a bundle:
	 * read as LF, the very same text. (A text with CRs of its own is no
	 * genuine bundle's copy: its CR CR LF need not read the same.) */
	if (memchr(sb.data, '\r', sb.len)) {
		if (read)
			bundle_free(&lf);
		sb_free(&sb);
		return 0;
	}
	struct strbuf crlf;
	sb_init(&crlf);
	for (size_t i = 0; i < sb.len; i++) {
		if (sb.data[i] == '\n')
			sb_putc(&crlf, '\r');
		sb_putc(&crlf, sb.data[i]);
	}
	struct bundle cr;
	if (check(crlf.data, crlf.len, &cr) != read)
		abort();
	if (read) {
		if (cr.row_count != lf.row_count || cr.text_len != lf.text_len ||
		    memcmp(cr.text, lf.text, lf.text_len) != 0 || !cr.meta.crlf)
			abort();
		bundle_free(&cr);
		bundle_free(&lf);
	}
	sb_free(&crlf);
	sb_free(&sb);
	return 0;
}
