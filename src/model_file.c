#include "model_file.h"

#include "fileio.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char model_magic[8] = {'A', 'I', 'P', 'M', 'M', 'O', 'D', 'L'};
/* magic, version, payload length */
#define HEADER_BYTES (8 + 4 + 8)
#define CHECKSUM_BYTES 4
/* Far beyond any vocabulary a laptop trains; bounds what a bad file can
 * make us allocate. */
#define MAX_TERMS 50000000u
#define MAX_TERM_BYTES 4096u

void text_model_free(struct text_model *m)
{
	vocab_free(m->vocab);
	free(m->idf);
	linear_model_free(&m->lm);
	free(m->labels[0]);
	free(m->labels[1]);
	if (m->info)
		json_decref(m->info);
	memset(m, 0, sizeof *m);
}

/* The CRC-32 table, filled once, whichever thread first needs it. */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_table_fill(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
	pthread_once(&crc_once, crc_table_fill);
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

/* ---- writing ---- */

static void put_u32(struct strbuf *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	sb_add(b, (const char *)c, 4);
}

static void put_u64(struct strbuf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_f64(struct strbuf *b, double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof v);
	put_u64(b, v);
}

static json_t *settings_json(const struct text_model *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "labels", json_pack("[ss]", m->labels[0], m->labels[1]));
	json_object_set_new(o, "model", json_string(linear_kind_name(m->lm.kind)));
	json_object_set_new(o, "features", json_string(feature_kind_name(m->features)));
	json_object_set_new(o, "ngram_max", json_integer(m->tok.ngram_max));
	json_object_set_new(o, "min_df", json_integer((json_int_t)m->tok.min_df));
	json_object_set_new(o, "max_vocab", json_integer((json_int_t)m->tok.max_vocab));
	json_object_set_new(o, "stop_words", json_boolean(m->tok.stop_words));
	json_object_set_new(o, "strip_html", json_boolean(m->tok.strip_html));
	json_object_set_new(o, "threshold", json_real(m->threshold));
	json_object_set_new(o, "training_docs", json_integer((json_int_t)vocab_docs(m->vocab)));
	if (m->info)
		json_object_set(o, "info", m->info);
	return o;
}

unsigned char *model_serialize(const struct text_model *m, size_t *len)
{
	struct strbuf payload;
	sb_init(&payload);
	json_t *settings = settings_json(m);
	char *text = json_dumps(settings, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(settings);
	put_u32(&payload, (uint32_t)strlen(text));
	sb_puts(&payload, text);
	free(text);
	size_t n = vocab_size(m->vocab);
	put_u32(&payload, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const char *term = vocab_term(m->vocab, i);
		put_u32(&payload, (uint32_t)strlen(term));
		sb_puts(&payload, term);
	}
	for (size_t i = 0; i < n; i++)
		put_f64(&payload, m->idf[i]);
	for (size_t i = 0; i < n; i++)
		put_f64(&payload, m->lm.weights[i]);
	put_f64(&payload, m->lm.bias);

	struct strbuf file;
	sb_init(&file);
	sb_add(&file, (const char *)model_magic, sizeof model_magic);
	put_u32(&file, MODEL_FORMAT_VERSION);
	put_u64(&file, payload.len);
	sb_add(&file, payload.data, payload.len);
	put_u32(&file, crc32((const unsigned char *)file.data, file.len));
	sb_free(&payload);
	*len = file.len;
	return (unsigned char *)sb_steal(&file);
}

int model_save(const char *path, const struct text_model *m, bool replace, char *err,
	       size_t errlen)
{
	size_t len;
	unsigned char *data = model_serialize(m, &len);
	/* A model holds a vocabulary, not people's data: readable as the
	 * umask allows, like any file a tool writes. */
	int rc = file_write(path, data, len, FILE_SHARED, replace, err, errlen);
	free(data);
	return rc;
}

/* ---- reading ---- */

struct reader {
	const unsigned char *p, *end;
};

static bool get_u32(struct reader *r, uint32_t *v)
{
	if (r->end - r->p < 4)
		return false;
	*v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	     (uint32_t)r->p[3] << 24;
	r->p += 4;
	return true;
}

static bool get_u64(struct reader *r, uint64_t *v)
{
	uint32_t lo, hi;
	if (!get_u32(r, &lo) || !get_u32(r, &hi))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

static bool get_f64(struct reader *r, double *d)
{
	uint64_t v;
	if (!get_u64(r, &v))
		return false;
	memcpy(d, &v, sizeof *d);
	return isfinite(*d);
}

static int settings_from_json(json_t *o, struct text_model *m, size_t *ndocs, const char **bad)
{
	const char *l0, *l1, *model, *features;
	json_int_t ngram, min_df, max_vocab, docs;
	int stop, html;
	double threshold;
	json_error_t jerr;
	if (json_unpack_ex(o, &jerr, 0, "{s:[ss], s:s, s:s, s:I, s:I, s:I, s:b, s:b, s:F, s:I}",
			   "labels", &l0, &l1, "model", &model, "features", &features,
			   "ngram_max", &ngram, "min_df", &min_df, "max_vocab", &max_vocab,
			   "stop_words", &stop, "strip_html", &html, "threshold", &threshold,
			   "training_docs", &docs) != 0) {
		*bad = "its settings lack a field";
		return -1;
	}
	if (linear_kind_parse(model, &m->lm.kind) != 0) {
		*bad = "it names an unknown model kind";
		return -1;
	}
	if (feature_kind_parse(features, &m->features) != 0) {
		*bad = "it names an unknown feature kind";
		return -1;
	}
	if (ngram < 1 || ngram > 2 || min_df < 1 || max_vocab < 0 || docs < 0 ||
	    !(threshold >= 0 && threshold <= 1)) {
		*bad = "a setting is out of range";
		return -1;
	}
	m->tok = (struct token_options){
		.strip_html = html,
		.stop_words = stop,
		.ngram_max = (int)ngram,
		.min_df = (size_t)min_df,
		.max_vocab = (size_t)max_vocab,
	};
	m->threshold = threshold;
	m->labels[0] = xstrdup(l0);
	m->labels[1] = xstrdup(l1);
	*ndocs = (size_t)docs;
	json_t *info = json_object_get(o, "info");
	if (info)
		m->info = json_incref(info);
	return 0;
}

/* The payload after the checksum passed: anything wrong here means a file
 * written wrongly, which the checksum cannot catch. */
static int parse_payload(struct reader *r, struct text_model *m, const char **bad)
{
	uint32_t json_len, nterms;
	if (!get_u32(r, &json_len) || (size_t)(r->end - r->p) < json_len) {
		*bad = "its settings are cut short";
		return -1;
	}
	json_error_t jerr;
	json_t *settings = json_loadb((const char *)r->p, json_len, JSON_REJECT_DUPLICATES, &jerr);
	r->p += json_len;
	if (!json_is_object(settings)) {
		json_decref(settings);
		*bad = "its settings are not valid JSON";
		return -1;
	}
	size_t ndocs;
	int rc = settings_from_json(settings, m, &ndocs, bad);
	json_decref(settings);
	if (rc)
		return -1;
	if (!get_u32(r, &nterms) || nterms > MAX_TERMS ||
	    (size_t)(r->end - r->p) / 20 < nterms) { /* 4 + 16 bytes per term at least */
		*bad = "its vocabulary size does not fit the file";
		return -1;
	}
	char **terms = xcalloc(nterms + 1, sizeof *terms);
	rc = 0;
	for (uint32_t i = 0; i < nterms && !rc; i++) {
		uint32_t len;
		if (!get_u32(r, &len) || len == 0 || len > MAX_TERM_BYTES ||
		    (size_t)(r->end - r->p) < len || memchr(r->p, '\0', len)) {
			*bad = "a vocabulary term is damaged";
			rc = -1;
			break;
		}
		terms[i] = xstrndup((const char *)r->p, len);
		r->p += len;
	}
	if (!rc) {
		m->vocab = vocab_from_terms((const char *const *)terms, NULL, nterms, ndocs);
		if (!m->vocab) {
			*bad = "its vocabulary is not sorted, unique words and word pairs";
			rc = -1;
		}
	}
	for (uint32_t i = 0; i < nterms; i++)
		free(terms[i]);
	free(terms);
	if (rc)
		return -1;
	m->idf = xmalloc((nterms + 1) * sizeof *m->idf);
	linear_model_init(&m->lm, m->lm.kind, nterms);
	for (uint32_t i = 0; i < nterms; i++)
		if (!get_f64(r, &m->idf[i]) || m->idf[i] < 0) {
			*bad = "an idf weight is damaged";
			return -1;
		}
	for (uint32_t i = 0; i < nterms; i++)
		if (!get_f64(r, &m->lm.weights[i])) {
			*bad = "a classifier weight is damaged";
			return -1;
		}
	if (!get_f64(r, &m->lm.bias)) {
		*bad = "the classifier bias is damaged";
		return -1;
	}
	if (r->p != r->end) {
		*bad = "it has bytes after the model";
		return -1;
	}
	return 0;
}

int model_parse(const char *name, const unsigned char *data, size_t len, struct text_model *m,
		char *err, size_t errlen)
{
	memset(m, 0, sizeof *m);
	if (len < sizeof model_magic || memcmp(data, model_magic, sizeof model_magic))
		return format_error(err, errlen,
				    "%s: not an aipm model file (it does not start with %.8s)",
				    name, (const char *)model_magic);
	struct reader r = {data + sizeof model_magic, data + len};
	uint32_t version;
	uint64_t payload;
	if (!get_u32(&r, &version) || !get_u64(&r, &payload))
		return format_error(err, errlen, "%s: the model file is cut short (%zu bytes)",
				    name, len);
	if (version != MODEL_FORMAT_VERSION) {
		if (version > MODEL_FORMAT_VERSION)
			format_error(err, errlen,
				     "%s: written by a newer aipm (model format %u); this aipm "
				     "reads format "
				     "%d: update aipm or train the model again",
				     name, version, MODEL_FORMAT_VERSION);
		else
			format_error(err, errlen,
				     "%s: unknown model format %u (this aipm reads format %d)",
				     name, version, MODEL_FORMAT_VERSION);
		return -1;
	}
	if (len < HEADER_BYTES + CHECKSUM_BYTES || payload != len - HEADER_BYTES - CHECKSUM_BYTES)
		return format_error(
		    err, errlen,
		    "%s: the model file is truncated or has extra bytes (%zu bytes; the header "
		    "promises %llu)",
		    name, len, (unsigned long long)payload + HEADER_BYTES + CHECKSUM_BYTES);
	size_t body = HEADER_BYTES + (size_t)payload;
	struct reader tail = {data + body, data + len};
	uint32_t stored = 0;
	get_u32(&tail, &stored);
	if (crc32(data, body) != stored)
		return format_error(err, errlen,
				    "%s: the model file is damaged (checksum mismatch)", name);
	r.end = data + body;
	const char *bad = NULL;
	if (parse_payload(&r, m, &bad) != 0) {
		format_error(err, errlen, "%s: the model file is damaged: %s", name, bad);
		text_model_free(m);
		return -1;
	}
	return 0;
}

int model_load(const char *path, struct text_model *m, char *err, size_t errlen)
{
	size_t len;
	char why[256];
	char *data = file_read(path, FILE_MODEL, &len, why, sizeof why);
	if (!data) {
		memset(m, 0, sizeof *m);
		return format_error(err, errlen, "%s: %s", path, why);
	}
	int rc = model_parse(path, (const unsigned char *)data, len, m, err, errlen);
	free(data);
	return rc;
}
