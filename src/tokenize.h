/* Text to tokens to vocabulary ids, the way scikit-learn's vectorizers do
 * it: HTML tags dropped (optional), Unicode lower-casing, words of two or
 * more word characters (PCRE2 `\b\w\w+\b` with Unicode properties, as
 * sklearn's default token_pattern), optional English stop words (sklearn's
 * list), unigrams or unigrams and bigrams ("not masterpiece"), a minimum
 * document frequency and a maximum vocabulary size. Vocabulary ids follow
 * the alphabetical order of the terms, as sklearn's do. */
#ifndef AIPM_TOKENIZE_H
#define AIPM_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct token_options {
	bool strip_html;  /* drop <tags> and decode &entities; */
	bool stop_words;  /* drop English stop words before making n-grams */
	int ngram_max;    /* 1: words; 2: words and pairs of neighbouring words */
	size_t min_df;    /* keep terms found in at least this many documents */
	size_t max_vocab; /* keep the most frequent terms; 0: all */
};

/* strip_html, no stop words, unigrams and bigrams, min_df 1, no cap. */
void token_options_default(struct token_options *o);

struct tokenizer;

/* NULL (with a reason) only when PCRE2 cannot compile the pattern. */
struct tokenizer *tokenizer_new(const struct token_options *o, char *err, size_t errlen);
void tokenizer_free(struct tokenizer *t);
const struct token_options *tokenizer_options(const struct tokenizer *t);
/* How many texts the token pattern stopped in, having hit PCRE2's limits
 * (the words before the stop are kept); 0 for any real text. */
size_t tokenizer_gave_up(const struct tokenizer *t);
/* Whether word (lower-case) is one of the English stop words. */
bool token_is_stop_word(const char *word);

/* The text as the tokenizer reads it: HTML stripped (when asked) and
 * lower-cased, invalid UTF-8 bytes turned into spaces. Malloc'd. */
char *tokenizer_normalize(struct tokenizer *t, const char *text, size_t len, size_t *out_len);

/* A vocabulary: terms in alphabetical order, id = position, with the
 * number of training documents each was found in (for idf). */
struct vocab;

size_t vocab_size(const struct vocab *v);
const char *vocab_term(const struct vocab *v, size_t id);
/* Training documents that contain term id, and how many documents the
 * vocabulary was built from. */
uint32_t vocab_df(const struct vocab *v, size_t id);
size_t vocab_docs(const struct vocab *v);
/* The id of a term ("word" or "word word"), or -1. */
long vocab_find(const struct vocab *v, const char *term);
void vocab_free(struct vocab *v);
/* A vocabulary from terms already sorted (strcmp) and unique, e.g. read
 * from a model file; NULL when they are not. Copies everything. */
struct vocab *vocab_from_terms(const char *const *terms, const uint32_t *df, size_t n,
			       size_t ndocs);

/* The term ids of each document, in reading order (repeats kept):
 * document d has ids[offsets[d] .. offsets[d + 1]). */
struct doc_terms {
	size_t ndocs;
	size_t *offsets;
	uint32_t *ids;
};
void doc_terms_free(struct doc_terms *d);

/* Learns the vocabulary from n texts and gives their term ids. */
struct vocab *vocab_fit(struct tokenizer *t, const char *const *texts, size_t n,
			struct doc_terms *docs);
/* Term ids of n texts in an existing vocabulary (unknown terms dropped). */
void vocab_transform(struct tokenizer *t, const struct vocab *v, const char *const *texts,
		     size_t n, struct doc_terms *docs);

/* One token of a text, for showing how a sentence is read. */
struct token_info {
	char *term;  /* "word" or "word word" */
	int ngram;   /* 1 or 2 */
	bool stop;   /* a stop word, dropped */
	long id;     /* in the vocabulary, or -1 */
};
/* The words of text in order, then its bigrams (when the tokenizer makes
 * them). *out is malloc'd; free with token_info_free. */
size_t tokenizer_explain(struct tokenizer *t, const struct vocab *v, const char *text,
			 struct token_info **out);
void token_info_free(struct token_info *items, size_t n);

#endif
