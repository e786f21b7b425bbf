/* The in-memory index behind struct funnel_log, shared by the loader
 * (funnel_load.c) and the queries (funnel.c); nothing outside the funnel
 * engine includes this. */
#ifndef AIPM_FUNNEL_INTERNAL_H
#define AIPM_FUNNEL_INTERNAL_H

#include "funnel.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Interned strings: ids 0..count-1 in first-seen order, each string
 * NUL-terminated in one arena, found through an open-addressing table
 * whose slots hold the hash beside the id so that a probe touches one
 * cache line before the string itself. */
struct intern_entry {
	size_t offset; /* into the arena */
	uint32_t len;
	uint32_t hash;
};

struct intern {
	char *arena;
	size_t arena_len, arena_cap;
	struct intern_entry *entry; /* per id */
	uint32_t count, cap;
	uint64_t *slots;  /* hash << 32 | (id + 1); 0 when empty */
	uint32_t nslots;  /* a power of two */
};

void intern_init(struct intern *t);
void intern_free(struct intern *t);
/* The id of s[0..len), adding it when new (*added set then). */
uint32_t intern_get(struct intern *t, const char *s, size_t len, bool *added);
/* The id of s, or UINT32_MAX. */
uint32_t intern_find(const struct intern *t, const char *s, size_t len);
static inline const char *intern_str(const struct intern *t, uint32_t id)
{
	return t->arena + t->entry[id].offset;
}
static inline uint32_t intern_len(const struct intern *t, uint32_t id)
{
	return t->entry[id].len;
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

#endif
