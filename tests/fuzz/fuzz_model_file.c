/* libFuzzer target for the model file reader: any bytes must load or be
 * refused with "name: message", never crash. With the first byte odd the
 * target writes a correct length and checksum into the input first, so
 * that the fuzzer reaches the payload parser behind the checksum. A model
 * that loads must predict a probability in [0, 1] and survive a save and
 * load unchanged.
 *
 *   tests/fuzz/run.sh 60 model_file     (builds it with meson -Dfuzz=true, runs it for 60 s) */
#include "lab.h"
#include "model_file.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc32_ref(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFu;
}

/* magic 8, version 4, payload length 8, checksum 4 */
#define FRAME_BYTES 24

static void reseal(unsigned char *b, size_t len)
{
	uint64_t payload = len - FRAME_BYTES;
	for (int i = 0; i < 8; i++)
		b[12 + i] = (unsigned char)(payload >> (8 * i));
	uint32_t c = crc32_ref(b, len - 4);
	for (int i = 0; i < 4; i++)
		b[len - 4 + i] = (unsigned char)(c >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t len = size - 1;
	unsigned char *b = xmalloc(len + 1);
	memcpy(b, data + 1, len);
	if ((data[0] & 1) && len >= FRAME_BYTES)
		reseal(b, len);
	struct text_model m;
	char err[512];
	if (model_parse("fuzz.aipm", b, len, &m, err, sizeof err) != 0) {
		if (strncmp(err, "fuzz.aipm: ", 11) != 0)
			abort();
		free(b);
		return 0;
	}
	struct tokenizer *t = tokenizer_new(&m.tok, err, sizeof err);
	struct lab_verdict v;
	lab_explain(&m, t, "Not a masterpiece<br />but great fun", &v);
	if (!(v.prob >= 0 && v.prob <= 1))
		abort();
	lab_verdict_free(&v);
	tokenizer_free(t);
	size_t n1, n2;
	unsigned char *once = model_serialize(&m, &n1);
	struct text_model again;
	if (model_parse("again.aipm", once, n1, &again, err, sizeof err) != 0)
		abort();
	unsigned char *twice = model_serialize(&again, &n2);
	if (n1 != n2 || memcmp(once, twice, n1) != 0)
		abort();
	free(once);
	free(twice);
	text_model_free(&again);
	text_model_free(&m);
	free(b);
	return 0;
}
