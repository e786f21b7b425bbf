/* Small helpers shared by every engine: checked allocation, a growable
 * string buffer and a growable array. */
#ifndef AIPM_UTIL_H
#define AIPM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *items (of *cap elements of size elem) so that it holds need. */
void grow_array(void **items, size_t *cap, size_t need, size_t elem);
#define ARRAY_PUSH(arr, count, cap, value)                                   \
	do {                                                                 \
		grow_array((void **)&(arr), &(cap), (count) + 1, sizeof *(arr)); \
		(arr)[(count)++] = (value);                                  \
	} while (0)

struct strbuf {
	char *data;
	size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_steal(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* How aipm reports an error, one idiom a layer (git's usage.c, whose
 * error() returns -1, is the model):
 * - the database: a store function returns its enum store_error, and
 *   store_errmsg says what SQLite said;
 * - parsing and I/O: a function returns -1 and says why in the caller's
 *   err buffer, naming the file and line where there is one. The site is
 *   one line, `return format_error(err, errlen, "%s:%ld: ...", ...);`;
 *   no raw snprintf(err, ...);
 * - screens: screen_flash for a passing message, an inline error in the
 *   screen where a load failed, a dialog (ui_message, ui_confirm) for
 *   what needs an answer. */

/* Formats a message into err (a caller's buffer for error text; nothing
 * when err is NULL or errlen 0). Returns -1, the failure it goes with. */
int format_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* FNV-1a, 64 bits: change detection and seeds, never against an
 * adversary. Start from HASH_FNV_INIT, add data in as many calls as
 * needed. */
#define HASH_FNV_INIT 0xcbf29ce484222325ULL
void hash_fnv_add(uint64_t *h, const void *data, size_t len);
uint64_t hash_fnv_str(const char *s);

/* The whole of s as a finite number; false when s is anything else. */
bool str_to_double(const char *s, double *out);

/* 12,345: a count with thousands separators. */
void format_thousands(unsigned long long v, char *buf, size_t size);

/* The SHA-256 of len bytes as 64 lower-case hex digits (nettle). */
void sha256_hex(const void *data, size_t len, char out[65]);

/* Trim ASCII white space in place; returns s. */
char *str_trim(char *s);
bool str_starts_with(const char *s, const char *prefix);

#endif
