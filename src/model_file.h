/* A trained text model on disk, read back by the TUI and `aipm predict`:
 * the tokenizer settings, the vocabulary, the idf weights, the classifier
 * weights and the labels, with the training settings and metrics as JSON.
 *
 * Layout (little-endian): the 8-byte magic "AIPMMODL", a u32 format
 * version, a u64 payload length, the payload, and a CRC-32 of everything
 * before it. The payload: u32 length + the JSON; u32 term count; each term
 * as u32 length + bytes (in vocabulary order); the idf and the weights as
 * f64 per term; the bias as f64. A file that is not one, comes from
 * another format version, is truncated or fails its checksum is refused
 * with a message that says which. */
#ifndef AIPM_MODEL_FILE_H
#define AIPM_MODEL_FILE_H

#include "linear.h"
#include "text_features.h"
#include "tokenize.h"

#include <stdbool.h>

/* jansson's object, declared here so that screens including this header
 * need not see jansson (store_sql.h says why). */
typedef struct json_t json_t;
#include <stddef.h>

#define MODEL_FORMAT_VERSION 1

struct text_model {
	struct token_options tok;
	enum feature_kind features;
	struct vocab *vocab;
	double *idf; /* one per term */
	struct linear_model lm;
	char *labels[2]; /* [1] is the positive class */
	double threshold;
	/* Everything else worth keeping: training settings, data, metrics. */
	json_t *info;
};
void text_model_free(struct text_model *m);

/* The file's bytes (malloc'd). */
unsigned char *model_serialize(const struct text_model *m, size_t *len);
/* Reads a model from bytes; name stands for the file in messages. */
int model_parse(const char *name, const unsigned char *data, size_t len, struct text_model *m,
		char *err, size_t errlen);
/* Writes through fileio's writer (a temporary file and a rename, so that a
 * crash never leaves half a model under path); an existing file is
 * replaced only when replace is set. */
int model_save(const char *path, const struct text_model *m, bool replace, char *err,
	       size_t errlen);
int model_load(const char *path, struct text_model *m, char *err, size_t errlen);

#endif
