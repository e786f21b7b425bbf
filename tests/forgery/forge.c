/* The forgery suite's tool (tests/forgery/run.sh): what an attacker who
 * holds a private key (their own, read from their own database) can do to
 * a bundle.
 *
 *   forge resign PRIVATE_KEY_HEX IN OUT
 *     OUT is IN with its second line naming that key's public half and its
 *     last line a fresh signature (by that key) of every byte before it;
 *     IN's own signature row, when it has one, is dropped first. */
#include "fileio.h"
#include "keys.h"
#include "util.h"

#include <nettle/eddsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fputs("usage: forge resign PRIVATE_KEY_HEX IN OUT\n", stderr);
	return 2;
}

static int hex_key(const char *hex, uint8_t out[KEY_PRIVATE_SIZE])
{
	if (strlen(hex) != 2 * KEY_PRIVATE_SIZE)
		return -1;
	for (size_t i = 0; i < KEY_PRIVATE_SIZE; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[1], "resign"))
		return usage();
	uint8_t priv[KEY_PRIVATE_SIZE], pub[KEY_PUBLIC_SIZE];
	if (hex_key(argv[2], priv) != 0) {
		fprintf(stderr, "forge: '%s' is not a private key in hex\n", argv[2]);
		return 2;
	}
	ed25519_sha512_public_key(pub, priv);
	size_t len;
	char why[512];
	char *in = file_read(argv[3], FILE_BUNDLE, &len, why, sizeof why);
	if (!in) {
		fprintf(stderr, "forge: %s\n", why);
		return 1;
	}
	char *second = memchr(in, '\n', len);
	char *third = second ? memchr(second + 1, '\n', len - (size_t)(second + 1 - in)) : NULL;
	if (!third) {
		fprintf(stderr, "forge: %s has no second line\n", argv[3]);
		return 1;
	}
	char *sig = strstr(in, "\nsignature,ed25519,");
	size_t end = sig ? (size_t)(sig - in) + 1 : len;
	char b64[KEY_SIGNATURE_BASE64 + 1];
	key_base64(pub, KEY_PUBLIC_SIZE, b64);
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, in, (size_t)(second + 1 - in));
	sb_printf(&sb, "meta,public_key,%s\n", b64);
	sb_add(&sb, third + 1, end - (size_t)(third + 1 - in));
	uint8_t s[KEY_SIGNATURE_SIZE];
	key_sign(pub, priv, sb.data, sb.len, s);
	key_base64(s, sizeof s, b64);
	sb_printf(&sb, "signature,ed25519,%s\n", b64);
	FILE *out = fopen(argv[4], "wb");
	if (!out || fwrite(sb.data, 1, sb.len, out) != sb.len || fclose(out) != 0) {
		perror(argv[4]);
		return 1;
	}
	sb_free(&sb);
	free(in);
	return 0;
}
