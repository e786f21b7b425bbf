/* The in-memory index behind struct funnel_log, shared by the loader
 * (funnel_load.c) and the queries (funnel.c); nothing outside the funnel
 * engine includes this. */
#ifndef AIPM_FUNNEL_INTERNAL_H
#define AIPM_FUNNEL_INTERNAL_H

#include "funnel.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Interned strings: ids 0..count-1 in first-seen order. Each string is a
 * record in one arena (its id and length, the bytes, a NUL, padded to 8
 * bytes). The open-addressing table's 32-byte slots hold the hash, the
 * id, the length, the record's place and the first 16 bytes: a short id
 * (most are) is found in its slot alone, which can be prefetched from
 * the hash, with no second load to wait for. */
#define INTERN_HEADER 8  /* id and length before the bytes */
#define INTERN_INLINE 16 /* bytes of the string kept in its slot */

struct intern_slot {
	uint32_t hash;
	uint32_t id1;  /* id + 1; 0 when the slot is empty */
	uint32_t len;
	uint32_t rec8; /* the record's offset / 8 */
	char head[INTERN_INLINE];
};

struct intern {
	char *arena;
	size_t arena_len, arena_cap;
	size_t *offset; /* per id, of its record */
	uint32_t count, cap;
	struct intern_slot *slots;
	uint32_t nslots; /* a power of two */
};

void intern_init(struct intern *t);
void intern_free(struct intern *t);
uint32_t intern_hash(const char *s, size_t len);
/* The id of s[0..len), adding it when new (*added set then); hash is
 * intern_hash(s, len). */
uint32_t intern_get_hashed(struct intern *t, const char *s, size_t len, uint32_t hash,
			   bool *added);
static inline uint32_t intern_get(struct intern *t, const char *s, size_t len, bool *added)
{
	return intern_get_hashed(t, s, len, intern_hash(s, len), added);
}
/* Starts loading the slot a lookup of this hash reads first. */
static inline void intern_prefetch(const struct intern *t, uint32_t hash)
{
	if (t->nslots)
		__builtin_prefetch(&t->slots[hash & (t->nslots - 1)]);
}
/* The id of s, or UINT32_MAX. */
uint32_t intern_find(const struct intern *t, const char *s, size_t len);
/* Hands over the slot table's block (of *size bytes, NULL when none) once
 * no more strings will be added: the ids and strings stay, and
 * intern_find goes through them one by one. */
void *intern_take_slots(struct intern *t, size_t *size);
static inline const char *intern_str(const struct intern *t, uint32_t id)
{
	return t->arena + t->offset[id] + INTERN_HEADER;
}
static inline uint32_t intern_len(const struct intern *t, uint32_t id)
{
	uint32_t len;
	__builtin_memcpy(&len, t->arena + t->offset[id] + 4, sizeof len);
	return len;
}

/* The last ids seen for recent strings of a low-cardinality column
 * (platform, variant), keyed by length and end bytes: most rows then skip
 * hashing altogether. */
#define VALUE_CACHE_SIZE 64
struct value_cache {
	uint32_t id[VALUE_CACHE_SIZE]; /* id + 1, 0 when empty */
};

/* A property column whose value is kept per stored event. */
struct prop_column {
	char *name;
	int col;           /* header index */
	bool dropped;      /* more than FUNNEL_MAX_PROP_VALUES values */
	struct intern values;
	struct value_cache cache;
	uint32_t *value;   /* per stored event, in index order */
};

struct funnel_log {
	char *path;
	char **columns;
	size_t ncolumns;
	int unit_col, event_col, time_col;
	struct intern units, events;
	uint64_t *event_rows; /* valid rows per event code */
	long *event_line;     /* the line of each code's first row, for messages */
	uint8_t *event_kept;  /* whether a code's events are stored */
	bool all_events;
	struct prop_column *props;
	size_t nprops;
	/* The index: unit u's events are [unit_start[u], unit_start[u+1]),
	 * sorted by (time, row). */
	uint32_t nunits;
	uint32_t *unit_start;
	int64_t *time;   /* ms since the epoch */
	uint32_t *code;  /* event code */
	uint64_t nevents;
	struct funnel_load_stats stats;
};

/* The stored property column called name, or NULL. */
const struct prop_column *funnel_log_prop(const struct funnel_log *log, const char *name);

/* The A/B check over nv variants (names in byte order; count[v][k] the
 * variant's units reaching step k, [0] those entering), and its verdict
 * from the first step to the last of K (funnel_ab.c). */
void funnel_ab_fill(struct funnel_ab *ab, size_t nv, const char *const *names,
		    const uint64_t (*count)[FUNNEL_MAX_STEPS], size_t K, const char *first,
		    const char *last, const char *noun);
void funnel_ab_free(struct funnel_ab *ab);

#endif
