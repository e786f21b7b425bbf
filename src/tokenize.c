#define PCRE2_CODE_UNIT_WIDTH 8
#include "tokenize.h"

#include "pattern_limits.h"
#include "util.h"

#include <locale.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* sklearn's default token_pattern: words of two or more word characters. */
#define TOKEN_PATTERN "\\b\\w\\w+\\b"

/* scikit-learn's ENGLISH_STOP_WORDS (from the Glasgow Information
 * Retrieval Group's list), sorted for bsearch. Note that it holds "not",
 * "no" and "never": with stop words on, "not a masterpiece" reads as
 * "masterpiece". */
static const char *const stop_words[] = {
	"a", "about", "above", "across", "after", "afterwards", "again", "against", "all",
	"almost", "alone", "along", "already", "also", "although", "always", "am", "among",
	"amongst", "amoungst", "amount", "an", "and", "another", "any", "anyhow", "anyone",
	"anything", "anyway", "anywhere", "are", "around", "as", "at", "back", "be", "became",
	"because", "become", "becomes", "becoming", "been", "before", "beforehand", "behind",
	"being", "below", "beside", "besides", "between", "beyond", "bill", "both", "bottom",
	"but", "by", "call", "can", "cannot", "cant", "co", "con", "could", "couldnt", "cry",
	"de", "describe", "detail", "do", "done", "down", "due", "during", "each", "eg",
	"eight", "either", "eleven", "else", "elsewhere", "empty", "enough", "etc", "even",
	"ever", "every", "everyone", "everything", "everywhere", "except", "few", "fifteen",
	"fifty", "fill", "find", "fire", "first", "five", "for", "former", "formerly",
	"forty", "found", "four", "from", "front", "full", "further", "get", "give", "go",
	"had", "has", "hasnt", "have", "he", "hence", "her", "here", "hereafter", "hereby",
	"herein", "hereupon", "hers", "herself", "him", "himself", "his", "how", "however",
	"hundred", "i", "ie", "if", "in", "inc", "indeed", "interest", "into", "is", "it",
	"its", "itself", "keep", "last", "latter", "latterly", "least", "less", "ltd", "made",
	"many", "may", "me", "meanwhile", "might", "mill", "mine", "more", "moreover", "most",
	"mostly", "move", "much", "must", "my", "myself", "name", "namely", "neither",
	"never", "nevertheless", "next", "nine", "no", "nobody", "none", "noone", "nor",
	"not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one", "only",
	"onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out",
	"over", "own", "part", "per", "perhaps", "please", "put", "rather", "re", "same",
	"see", "seem", "seemed", "seeming", "seems", "serious", "several", "she", "should",
	"show", "side", "since", "sincere", "six", "sixty", "so", "some", "somehow",
	"someone", "something", "sometime", "sometimes", "somewhere", "still", "such",
	"system", "take", "ten", "than", "that", "the", "their", "them", "themselves", "then",
	"thence", "there", "thereafter", "thereby", "therefore", "therein", "thereupon",
	"these", "they", "thick", "thin", "third", "this", "those", "though", "three",
	"through", "throughout", "thru", "thus", "to", "together", "too", "top", "toward",
	"towards", "twelve", "twenty", "two", "un", "under", "until", "up", "upon", "us",
	"very", "via", "was", "we", "well", "were", "what", "whatever", "when", "whence",
	"whenever", "where", "whereafter", "whereas", "whereby", "wherein", "whereupon",
	"wherever", "whether", "which", "while", "whither", "who", "whoever", "whole", "whom",
	"whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
	"yours", "yourself", "yourselves",
};

#define STOP_WORD_COUNT (sizeof stop_words / sizeof stop_words[0])

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool token_is_stop_word(const char *word)
{
	return bsearch(&word, stop_words, STOP_WORD_COUNT, sizeof *stop_words, cmp_cstr) != NULL;
}

void token_options_default(struct token_options *o)
{
	*o = (struct token_options){
		.strip_html = true,
		.stop_words = false,
		.ngram_max = 2,
		.min_df = 1,
		.max_vocab = 0,
	};
}

/* ---- hash tables ---- */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static uint64_t hash_u64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* Strings to dense ids 0..count-1, the strings kept NUL-terminated in one
 * arena. */
struct strtab {
	char *arena;
	size_t arena_len, arena_cap;
	uint32_t *off, *len;
	uint64_t *hash;
	size_t count, cap;
	uint32_t *slots; /* id + 1; 0 is empty */
	size_t nslots;   /* a power of two */
};

static void strtab_free(struct strtab *t)
{
	free(t->arena);
	free(t->off);
	free(t->len);
	free(t->hash);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

static const char *strtab_str(const struct strtab *t, uint32_t id)
{
	return t->arena + t->off[id];
}

static void strtab_rehash(struct strtab *t, size_t nslots)
{
	free(t->slots);
	t->slots = xcalloc(nslots, sizeof *t->slots);
	t->nslots = nslots;
	for (size_t id = 0; id < t->count; id++) {
		size_t i = t->hash[id] & (nslots - 1);
		while (t->slots[i])
			i = (i + 1) & (nslots - 1);
		t->slots[i] = (uint32_t)id + 1;
	}
}

static long strtab_lookup(const struct strtab *t, const char *s, size_t n, uint64_t h,
			  size_t *slot)
{
	if (!t->nslots) {
		*slot = 0;
		return -1;
	}
	size_t i = h & (t->nslots - 1);
	while (t->slots[i]) {
		uint32_t id = t->slots[i] - 1;
		if (t->hash[id] == h && t->len[id] == n && !memcmp(t->arena + t->off[id], s, n))
			return id;
		i = (i + 1) & (t->nslots - 1);
	}
	*slot = i;
	return -1;
}

static long strtab_find(const struct strtab *t, const char *s, size_t n)
{
	size_t slot;
	return strtab_lookup(t, s, n, hash_bytes(s, n), &slot);
}

static uint32_t strtab_intern(struct strtab *t, const char *s, size_t n, bool *added)
{
	uint64_t h = hash_bytes(s, n);
	size_t slot;
	long found = strtab_lookup(t, s, n, h, &slot);
	if (added)
		*added = found < 0;
	if (found >= 0)
		return (uint32_t)found;
	if (t->count + 1 > t->nslots / 2) {
		strtab_rehash(t, t->nslots ? t->nslots * 2 : 1024);
		strtab_lookup(t, s, n, h, &slot);
	}
	size_t id = t->count;
	if (id == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->off = xrealloc(t->off, t->cap * sizeof *t->off);
		t->len = xrealloc(t->len, t->cap * sizeof *t->len);
		t->hash = xrealloc(t->hash, t->cap * sizeof *t->hash);
	}
	grow_array((void **)&t->arena, &t->arena_cap, t->arena_len + n + 1, 1);
	memcpy(t->arena + t->arena_len, s, n);
	t->arena[t->arena_len + n] = '\0';
	t->off[id] = (uint32_t)t->arena_len;
	t->len[id] = (uint32_t)n;
	t->hash[id] = h;
	t->arena_len += n + 1;
	t->count++;
	t->slots[slot] = (uint32_t)id + 1;
	return (uint32_t)id;
}

/* Pairs of word ids to values; a key is never 0 (ids are stored + 1). */
struct pairtab {
	uint64_t *keys;
	uint32_t *values;
	size_t count, nslots;
};

static uint64_t pair_key(uint32_t a, uint32_t b)
{
	return ((uint64_t)(a + 1) << 32) | (uint64_t)(b + 1);
}

static void pairtab_free(struct pairtab *p)
{
	free(p->keys);
	free(p->values);
	memset(p, 0, sizeof *p);
}

static long pairtab_find(const struct pairtab *p, uint64_t key)
{
	if (!p->nslots)
		return -1;
	for (size_t i = hash_u64(key) & (p->nslots - 1); p->keys[i]; i = (i + 1) & (p->nslots - 1))
		if (p->keys[i] == key)
			return p->values[i];
	return -1;
}

/* Inserts key with value when absent; returns the value stored. */
static uint32_t pairtab_put(struct pairtab *p, uint64_t key, uint32_t value)
{
	if (p->count + 1 > p->nslots / 2) {
		size_t n = p->nslots ? p->nslots * 2 : 1024;
		uint64_t *keys = xcalloc(n, sizeof *keys);
		uint32_t *values = xmalloc(n * sizeof *values);
		for (size_t i = 0; i < p->nslots; i++) {
			if (!p->keys[i])
				continue;
			size_t j = hash_u64(p->keys[i]) & (n - 1);
			while (keys[j])
				j = (j + 1) & (n - 1);
			keys[j] = p->keys[i];
			values[j] = p->values[i];
		}
		free(p->keys);
		free(p->values);
		p->keys = keys;
		p->values = values;
		p->nslots = n;
	}
	size_t i = hash_u64(key) & (p->nslots - 1);
	for (; p->keys[i]; i = (i + 1) & (p->nslots - 1))
		if (p->keys[i] == key)
			return p->values[i];
	p->keys[i] = key;
	p->values[i] = value;
	p->count++;
	return value;
}

/* ---- normalizing ---- */

struct word_span {
	uint32_t start, len; /* in the normalized text */
};

struct tokenizer {
	struct token_options opt;
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *limits;
	size_t gave_up; /* texts where matching hit PCRE2's limits */
	/* Scratch reused across documents. */
	char *html, *norm;
	size_t html_cap, norm_cap, norm_len;
	struct word_span *words;
	size_t nwords, words_cap;
};

/* A UTF-8 locale for towlower_l whatever the process locale is; NULL
 * (ASCII lower-casing only) on a system without one. */
static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_open(void)
{
	utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!utf8_loc)
		utf8_loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
}

static locale_t utf8_locale(void)
{
	pthread_once(&utf8_once, utf8_locale_open);
	return utf8_loc;
}

/* Decodes one UTF-8 character at s (n bytes left); returns its length, or
 * 0 for an invalid sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2;
		v = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		v = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* "&amp;", "&#39;", "&#x27;" at s (n bytes): the character and the length
 * of the entity, or 0 when s does not start a known entity. */
static size_t html_entity(const char *s, size_t n, uint32_t *cp)
{
	static const struct {
		const char *name;
		uint32_t cp;
	} named[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
		{"&apos;", '\''}, {"&nbsp;", ' '},
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t len = strlen(named[i].name);
		if (n >= len && !memcmp(s, named[i].name, len)) {
			*cp = named[i].cp;
			return len;
		}
	}
	if (n < 4 || s[1] != '#')
		return 0;
	bool hex = s[2] == 'x' || s[2] == 'X';
	size_t i = hex ? 3 : 2;
	uint32_t v = 0;
	size_t digits = 0;
	for (; i < n && digits < 7; i++, digits++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'		  ? c - '0'
			: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
						      : -1;
		if (d < 0)
			break;
		v = v * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (!digits || i >= n || s[i] != ';')
		return 0;
	/* Characters that cannot stand in text read as a space. */
	*cp = v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? ' ' : v;
	return i + 1;
}

static bool tag_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' ||
	       c == '?';
}

/* Tags become a space ("good<br />bad" is two words) and entities their
 * character. A '<' that opens no tag before the next '<' stays. */
static size_t strip_html(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '<' && i + 1 < n && tag_start(s[i + 1])) {
			size_t j = i + 1;
			while (j < n && s[j] != '>' && s[j] != '<')
				j++;
			if (j < n && s[j] == '>') {
				out[o++] = ' ';
				i = j + 1;
				continue;
			}
		} else if (s[i] == '&') {
			uint32_t cp;
			size_t len = html_entity(s + i, n - i, &cp);
			if (len) {
				o += utf8_encode(cp, out + o);
				i += len;
				continue;
			}
		}
		out[o++] = s[i++];
	}
	return o;
}

/* Normalizes text into t->norm (t->norm_len bytes, NUL-terminated). */
static void normalize(struct tokenizer *t, const char *text, size_t len)
{
	const char *src = text;
	if (t->opt.strip_html) {
		/* An entity is never shorter than what it decodes to. */
		grow_array((void **)&t->html, &t->html_cap, len + 1, 1);
		len = strip_html(text, len, t->html);
		src = t->html;
	}
	/* Lower-casing can lengthen a character by at most one byte. */
	grow_array((void **)&t->norm, &t->norm_cap, len * 2 + 1, 1);
	locale_t loc = utf8_locale();
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		if (c < 0x80) {
			t->norm[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : (c ? c : ' '));
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			t->norm[o++] = ' ';
			i++;
			continue;
		}
		if (loc) {
			wint_t lower = towlower_l((wint_t)cp, loc);
			if (lower <= 0x10FFFF && !(lower >= 0xD800 && lower <= 0xDFFF))
				cp = (uint32_t)lower;
		}
		o += utf8_encode(cp, t->norm + o);
		i += n;
	}
	t->norm[o] = '\0';
	t->norm_len = o;
}

char *tokenizer_normalize(struct tokenizer *t, const char *text, size_t len, size_t *out_len)
{
	normalize(t, text, len);
	if (out_len)
		*out_len = t->norm_len;
	return xstrndup(t->norm, t->norm_len);
}

struct tokenizer *tokenizer_new(const struct token_options *o, char *err, size_t errlen)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)TOKEN_PATTERN, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		format_error(err, errlen, "cannot compile the token pattern: %s",
			     (const char *)msg);
		return NULL;
	}
	/* JIT makes tokenizing several times faster; without it (some
	 * platforms) the interpreter gives the same tokens. */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	struct tokenizer *t = xcalloc(1, sizeof *t);
	t->opt = *o;
	if (t->opt.ngram_max < 1)
		t->opt.ngram_max = 1;
	if (t->opt.ngram_max > 2)
		t->opt.ngram_max = 2;
	if (t->opt.min_df < 1)
		t->opt.min_df = 1;
	t->code = re;
	t->md = pcre2_match_data_create_from_pattern(re, NULL);
	t->limits = pattern_limits_context();
	if (!t->md || !t->limits) {
		format_error(err, errlen, "out of memory for the token pattern");
		tokenizer_free(t);
		return NULL;
	}
	return t;
}

void tokenizer_free(struct tokenizer *t)
{
	if (!t)
		return;
	pcre2_match_data_free(t->md);
	pcre2_match_context_free(t->limits);
	pcre2_code_free(t->code);
	free(t->html);
	free(t->norm);
	free(t->words);
	free(t);
}

size_t tokenizer_gave_up(const struct tokenizer *t)
{
	return t->gave_up;
}

const struct token_options *tokenizer_options(const struct tokenizer *t)
{
	return &t->opt;
}

/* Splits text into t->words (spans of t->norm); stop words are dropped
 * unless keep_stop. */
static size_t split_words(struct tokenizer *t, const char *text, size_t len, bool keep_stop)
{
	normalize(t, text, len);
	t->nwords = 0;
	PCRE2_SIZE start = 0;
	/* The normalized text is valid UTF-8 by construction, so PCRE2 need not
	 * check it again on every call (which would be quadratic). */
	int rc;
	while (start < t->norm_len &&
	       (rc = pcre2_match(t->code, (PCRE2_SPTR)t->norm, t->norm_len, start,
				 PCRE2_NO_UTF_CHECK, t->md, t->limits)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
		struct word_span w = {(uint32_t)ov[0], (uint32_t)(ov[1] - ov[0])};
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		if (t->opt.stop_words && !keep_stop) {
			char saved = t->norm[ov[1]];
			t->norm[ov[1]] = '\0';
			bool stop = token_is_stop_word(t->norm + ov[0]);
			t->norm[ov[1]] = saved;
			if (stop)
				continue;
		}
		ARRAY_PUSH(t->words, t->nwords, t->words_cap, w);
	}
	/* \b\w\w+\b backtracks over one word at most, so this takes a text
	 * no sane input makes; its words so far are kept and it is counted. */
	if (start < t->norm_len && pattern_gave_up(rc))
		t->gave_up++;
	return t->nwords;
}

/* ---- vocabulary ---- */

struct vocab {
	size_t n, ndocs;
	char **terms; /* into arena */
	char *arena;
	uint32_t *df;
	struct strtab words;   /* every word that is a term or part of one */
	int32_t *word_feature; /* word id -> term id, -1 when only in bigrams */
	size_t word_feature_cap;
	struct pairtab pairs;  /* (word, word) -> term id */
};

size_t vocab_size(const struct vocab *v)
{
	return v->n;
}

const char *vocab_term(const struct vocab *v, size_t id)
{
	return v->terms[id];
}

uint32_t vocab_df(const struct vocab *v, size_t id)
{
	return v->df[id];
}

size_t vocab_docs(const struct vocab *v)
{
	return v->ndocs;
}

void vocab_free(struct vocab *v)
{
	if (!v)
		return;
	free(v->terms);
	free(v->arena);
	free(v->df);
	strtab_free(&v->words);
	free(v->word_feature);
	pairtab_free(&v->pairs);
	free(v);
}

static uint32_t vocab_word(struct vocab *v, const char *s, size_t n)
{
	bool added;
	uint32_t id = strtab_intern(&v->words, s, n, &added);
	if (added) {
		grow_array((void **)&v->word_feature, &v->word_feature_cap, v->words.count,
			   sizeof *v->word_feature);
		v->word_feature[id] = -1;
	}
	return id;
}

struct vocab *vocab_from_terms(const char *const *terms, const uint32_t *df, size_t n,
			       size_t ndocs)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = terms[i];
		const char *space = strchr(s, ' ');
		if (!*s || *s == ' ' || (space && (!space[1] || strchr(space + 1, ' '))) ||
		    (i && strcmp(terms[i - 1], s) >= 0) || n > INT32_MAX)
			return NULL;
		total += strlen(s) + 1;
	}
	struct vocab *v = xcalloc(1, sizeof *v);
	v->n = n;
	v->ndocs = ndocs;
	v->terms = xmalloc((n + 1) * sizeof *v->terms);
	v->arena = xmalloc(total + 1);
	v->df = xmalloc((n + 1) * sizeof *v->df);
	char *p = v->arena;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(terms[i]);
		memcpy(p, terms[i], len + 1);
		v->terms[i] = p;
		p += len + 1;
		v->df[i] = df ? df[i] : 0;
		const char *space = strchr(terms[i], ' ');
		if (space) {
			uint32_t a = vocab_word(v, terms[i], (size_t)(space - terms[i]));
			uint32_t b = vocab_word(v, space + 1, strlen(space + 1));
			pairtab_put(&v->pairs, pair_key(a, b), (uint32_t)i);
		} else {
			/* vocab_word may move word_feature: index it afterwards. */
			uint32_t w = vocab_word(v, terms[i], len);
			v->word_feature[w] = (int32_t)i;
		}
	}
	return v;
}

long vocab_find(const struct vocab *v, const char *term)
{
	const char *space = strchr(term, ' ');
	if (!space) {
		long w = strtab_find(&v->words, term, strlen(term));
		return w < 0 ? -1 : v->word_feature[w];
	}
	long a = strtab_find(&v->words, term, (size_t)(space - term));
	long b = strtab_find(&v->words, space + 1, strlen(space + 1));
	if (a < 0 || b < 0)
		return -1;
	return pairtab_find(&v->pairs, pair_key((uint32_t)a, (uint32_t)b));
}

void doc_terms_free(struct doc_terms *d)
{
	free(d->offsets);
	free(d->ids);
	memset(d, 0, sizeof *d);
}

/* Per-term counts while learning a vocabulary. */
struct term_stats {
	uint32_t *df, *last_doc;
	uint64_t *tf;
	size_t cap;
};

static void stats_see(struct term_stats *s, uint32_t id, uint32_t doc)
{
	if (id >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		while (cap <= id)
			cap *= 2;
		s->df = xrealloc(s->df, cap * sizeof *s->df);
		s->last_doc = xrealloc(s->last_doc, cap * sizeof *s->last_doc);
		s->tf = xrealloc(s->tf, cap * sizeof *s->tf);
		memset(s->df + s->cap, 0, (cap - s->cap) * sizeof *s->df);
		memset(s->tf + s->cap, 0, (cap - s->cap) * sizeof *s->tf);
		memset(s->last_doc + s->cap, 0xff, (cap - s->cap) * sizeof *s->last_doc);
		s->cap = cap;
	}
	s->tf[id]++;
	if (s->last_doc[id] != doc) {
		s->last_doc[id] = doc;
		s->df[id]++;
	}
}

static void stats_free(struct term_stats *s)
{
	free(s->df);
	free(s->last_doc);
	free(s->tf);
}

/* A term that passed min_df, before ids are given. */
struct candidate {
	uint32_t id; /* word or pair id of the fit tables */
	bool pair;
	uint32_t df;
	uint64_t tf;
	const char *term; /* into the candidate arena */
};

static int cmp_candidate_term(const void *a, const void *b)
{
	return strcmp(((const struct candidate *)a)->term, ((const struct candidate *)b)->term);
}

/* Most frequent first (sklearn's max_features), ties alphabetical. */
static int cmp_candidate_tf(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->tf != y->tf)
		return x->tf > y->tf ? -1 : 1;
	return strcmp(x->term, y->term);
}

struct vocab *vocab_fit(struct tokenizer *t, const char *const *texts, size_t n,
			struct doc_terms *docs)
{
	struct strtab words = {0};
	struct pairtab pairs = {0};
	struct term_stats wstats = {0}, pstats = {0};
	uint32_t *seq = NULL, *pseq = NULL; /* word ids and pair ids, per token */
	size_t nseq = 0, capseq = 0, npseq = 0, cappseq = 0;
	size_t *seq_off = xmalloc((n + 1) * sizeof *seq_off);
	size_t *pseq_off = xmalloc((n + 1) * sizeof *pseq_off);
	bool bigrams = t->opt.ngram_max >= 2;

	for (size_t d = 0; d < n; d++) {
		seq_off[d] = nseq;
		pseq_off[d] = npseq;
		size_t nw = split_words(t, texts[d], strlen(texts[d]), false);
		grow_array((void **)&seq, &capseq, nseq + nw, sizeof *seq);
		if (bigrams)
			grow_array((void **)&pseq, &cappseq, npseq + nw, sizeof *pseq);
		for (size_t i = 0; i < nw; i++) {
			uint32_t w = strtab_intern(&words, t->norm + t->words[i].start,
						   t->words[i].len, NULL);
			stats_see(&wstats, w, (uint32_t)d);
			seq[nseq++] = w;
			if (bigrams && i > 0) {
				uint32_t p = pairtab_put(&pairs, pair_key(seq[nseq - 2], w),
							 (uint32_t)pairs.count);
				stats_see(&pstats, p, (uint32_t)d);
				pseq[npseq++] = p;
			}
		}
	}
	seq_off[n] = nseq;
	pseq_off[n] = npseq;

	/* Terms found in enough documents, with their text. */
	struct candidate *cand = NULL;
	size_t ncand = 0, capcand = 0;
	struct strbuf text;
	sb_init(&text);
	for (uint32_t w = 0; w < words.count; w++)
		if (wstats.df[w] >= t->opt.min_df) {
			struct candidate c = {w, false, wstats.df[w], wstats.tf[w], NULL};
			ARRAY_PUSH(cand, ncand, capcand, c);
			sb_add(&text, strtab_str(&words, w), words.len[w] + 1);
		}
	if (bigrams) {
		/* Pair ids to their words, to spell them. */
		uint64_t *key_of = xmalloc((pairs.count + 1) * sizeof *key_of);
		for (size_t i = 0; i < pairs.nslots; i++)
			if (pairs.keys[i])
				key_of[pairs.values[i]] = pairs.keys[i];
		for (uint32_t p = 0; p < pairs.count; p++) {
			if (pstats.df[p] < t->opt.min_df)
				continue;
			struct candidate c = {p, true, pstats.df[p], pstats.tf[p], NULL};
			ARRAY_PUSH(cand, ncand, capcand, c);
			uint32_t a = (uint32_t)(key_of[p] >> 32) - 1, b = (uint32_t)key_of[p] - 1;
			sb_add(&text, strtab_str(&words, a), words.len[a]);
			sb_putc(&text, ' ');
			sb_add(&text, strtab_str(&words, b), words.len[b] + 1);
		}
		free(key_of);
	}
	const char *p = text.data;
	for (size_t i = 0; i < ncand; i++) {
		cand[i].term = p;
		p += strlen(p) + 1;
	}
	if (t->opt.max_vocab && ncand > t->opt.max_vocab) {
		qsort(cand, ncand, sizeof *cand, cmp_candidate_tf);
		ncand = t->opt.max_vocab;
	}
	if (ncand) /* cand is NULL when no term was kept */
		qsort(cand, ncand, sizeof *cand, cmp_candidate_term);

	/* Fit-table ids to final term ids, then each document's terms. */
	int32_t *wfeat = xmalloc((words.count + 1) * sizeof *wfeat);
	int32_t *pfeat = xmalloc((pairs.count + 1) * sizeof *pfeat);
	memset(wfeat, 0xff, (words.count + 1) * sizeof *wfeat);
	memset(pfeat, 0xff, (pairs.count + 1) * sizeof *pfeat);
	const char **terms = xmalloc((ncand + 1) * sizeof *terms);
	uint32_t *df = xmalloc((ncand + 1) * sizeof *df);
	for (size_t i = 0; i < ncand; i++) {
		(cand[i].pair ? pfeat : wfeat)[cand[i].id] = (int32_t)i;
		terms[i] = cand[i].term;
		df[i] = cand[i].df;
	}
	struct vocab *v = vocab_from_terms(terms, df, ncand, n);
	free(terms);
	free(df);

	docs->ndocs = n;
	docs->offsets = xmalloc((n + 1) * sizeof *docs->offsets);
	docs->ids = xmalloc((nseq + npseq + 1) * sizeof *docs->ids);
	size_t k = 0;
	for (size_t d = 0; d < n; d++) {
		docs->offsets[d] = k;
		for (size_t i = seq_off[d]; i < seq_off[d + 1]; i++)
			if (wfeat[seq[i]] >= 0)
				docs->ids[k++] = (uint32_t)wfeat[seq[i]];
		for (size_t i = pseq_off[d]; i < pseq_off[d + 1]; i++)
			if (pfeat[pseq[i]] >= 0)
				docs->ids[k++] = (uint32_t)pfeat[pseq[i]];
	}
	docs->offsets[n] = k;

	free(wfeat);
	free(pfeat);
	free(cand);
	sb_free(&text);
	free(seq);
	free(pseq);
	free(seq_off);
	free(pseq_off);
	stats_free(&wstats);
	stats_free(&pstats);
	strtab_free(&words);
	pairtab_free(&pairs);
	return v;
}

void vocab_transform(struct tokenizer *t, const struct vocab *v, const char *const *texts,
		     size_t n, struct doc_terms *docs)
{
	docs->ndocs = n;
	docs->offsets = xmalloc((n + 1) * sizeof *docs->offsets);
	docs->ids = NULL;
	size_t k = 0, cap = 0;
	bool bigrams = t->opt.ngram_max >= 2;
	for (size_t d = 0; d < n; d++) {
		docs->offsets[d] = k;
		size_t nw = split_words(t, texts[d], strlen(texts[d]), false);
		grow_array((void **)&docs->ids, &cap, k + 2 * nw + 1, sizeof *docs->ids);
		long prev = -1;
		for (size_t i = 0; i < nw; i++) {
			long w = strtab_find(&v->words, t->norm + t->words[i].start,
					     t->words[i].len);
			if (w >= 0 && v->word_feature[w] >= 0)
				docs->ids[k++] = (uint32_t)v->word_feature[w];
			if (bigrams && prev >= 0 && w >= 0) {
				long f = pairtab_find(&v->pairs,
						      pair_key((uint32_t)prev, (uint32_t)w));
				if (f >= 0)
					docs->ids[k++] = (uint32_t)f;
			}
			prev = w;
		}
	}
	docs->offsets[n] = k;
	if (!docs->ids)
		docs->ids = xmalloc(sizeof *docs->ids);
}

size_t tokenizer_explain(struct tokenizer *t, const struct vocab *v, const char *text,
			 struct token_info **out)
{
	size_t nw = split_words(t, text, strlen(text), true);
	struct token_info *items = NULL;
	size_t n = 0, cap = 0;
	/* Copies, since the scratch words are overwritten by the next call. */
	char **w = xmalloc((nw + 1) * sizeof *w);
	bool *stop = xmalloc((nw + 1) * sizeof *stop);
	for (size_t i = 0; i < nw; i++) {
		w[i] = xstrndup(t->norm + t->words[i].start, t->words[i].len);
		stop[i] = t->opt.stop_words && token_is_stop_word(w[i]);
		struct token_info ti = {xstrdup(w[i]), 1, stop[i], -1};
		if (!stop[i] && v)
			ti.id = vocab_find(v, w[i]);
		ARRAY_PUSH(items, n, cap, ti);
	}
	if (t->opt.ngram_max >= 2) {
		const char *prev = NULL;
		for (size_t i = 0; i < nw; i++) {
			if (stop[i])
				continue;
			if (prev) {
				struct token_info ti = {xasprintf("%s %s", prev, w[i]), 2, false,
							-1};
				if (v)
					ti.id = vocab_find(v, ti.term);
				ARRAY_PUSH(items, n, cap, ti);
			}
			prev = w[i];
		}
	}
	for (size_t i = 0; i < nw; i++)
		free(w[i]);
	free(w);
	free(stop);
	*out = items;
	return n;
}

void token_info_free(struct token_info *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i].term);
	free(items);
}
