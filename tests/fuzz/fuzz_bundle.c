/* libFuzzer target for progress bundles: any bytes must be refused with a
 * reason or read whole, never crash, hang or leak. Each input is read as
 * it is (so the checksum rejects nearly all of it), and again sealed with
 * a correct checksum row, so that the CSV, the metadata, the sections and
 * the values behind the checksum are fuzzed too; what reads is imported
 * as a dry run into a database with the corpus's course version, which
 * must be left as it was.
 *
 * Build and run (from the repository root, after meson setup BUILD):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -IBUILD \
 *     tests/fuzz/fuzz_bundle.c src/bundle.c src/store.c src/clock.c src/util.c \
 *     -lsqlite3 -lnettle -lcsv -luuid -lm -o /tmp/fuzz_bundle
 *   /tmp/fuzz_bundle -max_total_time=120 -max_len=4096 /tmp/corpus tests/fuzz/corpus/bundle */
#include "bundle.h"
#include "util.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *st;

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
			 "INSERT INTO content_meta (key, value) VALUES ('hash', 'c0ffee0123456789')",
			 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return 0;
}

static void check(const char *data, size_t len)
{
	struct bundle b;
	char err[1024] = "";
	if (bundle_parse("fuzz.csv", data, len, &b, err, sizeof err) != 0) {
		if (!err[0] || !memchr(err, '\0', sizeof err))
			abort(); /* a refusal always says why */
		return;
	}
	/* What reads is whole: every row of every section has its fields. */
	size_t rows = 0;
	for (size_t s = 0; s < b.section_count; s++) {
		rows += b.sections[s].count;
		for (size_t r = 0; r < b.sections[s].count; r++)
			for (size_t c = 0; c < b.sections[s].column_count; c++)
				(void)strlen(bundle_field(&b, &b.rows[b.sections[s].first + r], c));
	}
	if (rows != b.row_count)
		abort();
	struct bundle_import_result res;
	err[0] = '\0';
	int rc = bundle_import(st, &b, "fuzz.csv", 0, true, &res, err, sizeof err);
	if (rc != 0 && !err[0])
		abort();
	if (rc == 0 && res.added + res.updated + res.unchanged != res.rows)
		abort();
	bundle_free(&b);
	/* A dry run writes nothing. */
	if (learners() != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size);

	/* Sealed: the input, a line break if it lacks one, and its checksum. */
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, (const char *)data, size);
	if (!size || data[size - 1] != '\n')
		sb_putc(&sb, '\n');
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, sb.len, (const uint8_t *)sb.data);
	sha256_digest(&ctx, sizeof digest, digest);
	sb_puts(&sb, "checksum,sha256,");
	for (size_t i = 0; i < sizeof digest; i++)
		sb_printf(&sb, "%02x", digest[i]);
	sb_putc(&sb, '\n');
	check(sb.data, sb.len);
	sb_free(&sb);
	return 0;
}
