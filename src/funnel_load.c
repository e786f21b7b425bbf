/* The funnel loader: one streaming libcsv pass over big read() blocks into
 * the per-unit index of funnel_internal.h, and the timestamp parser. */
#include "funnel_internal.h"

#include "sanitize.h"
#include "fileio.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Big enough that libcsv's per-call overhead vanishes, small enough that
 * the progress bar moves. */
#define BLOCK_SIZE (1 << 20)
/* A longer field is taken for an unclosed quote (or a binary file) rather
 * than buffered until memory runs out. */
#define FIELD_LIMIT (1 << 20)
/* Property columns stored when the caller asks for all of them: enough for
 * event exports, bounded so that a 500-column table does not slow the load
 * to a crawl (a later column can still be asked for by name). */
#define MAX_AUTO_PROPS 32

/* ---- times ---------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s into *v. */
static bool digits(const char *s, const char *end, int n, int *v)
{
	if (end - s < n)
		return false;
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/* The date part of the last timestamp parsed by the loader: logs repeat
 * the same day for thousands of rows. */
struct date_cache {
	char text[10];
	int64_t days;
	bool valid;
};

static bool parse_numeric_time(const char *s, const char *end, int64_t *ms)
{
	bool neg = false;
	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	int64_t whole = 0;
	int n = 0;
	for (; s < end && is_digit(*s); s++, n++) {
		if (n >= 15)
			return false;
		whole = whole * 10 + (*s - '0');
	}
	if (n == 0)
		return false;
	int64_t frac_ms = 0;
	if (s < end && *s == '.') {
		s++;
		int f = 0;
		if (s == end || !is_digit(*s))
			return false;
		for (; s < end && is_digit(*s); s++, f++)
			if (f < 3)
				frac_ms = frac_ms * 10 + (*s - '0');
		for (; f < 3; f++)
			frac_ms *= 10;
	}
	if (s != end)
		return false;
	/* 1e11 seconds is the year 5138, 1e11 ms is 1973: a larger number is
	 * in milliseconds. */
	int64_t v = whole >= 100000000000LL ? whole : whole * 1000 + frac_ms;
	if (v == 0)
		return false; /* the epoch stands for a missing time */
	*ms = neg ? -v : v;
	return true;
}

/* ISO 8601 as logs write it; see funnel_parse_time. */
static bool parse_iso_time(const char *s, const char *end, int64_t *ms, struct date_cache *cache)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t days;
	if (end - s < 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (cache && cache->valid && memcmp(cache->text, s, 10) == 0) {
		days = cache->days;
	} else {
		if (!digits(s, end, 4, &y) || !digits(s + 5, end, 2, &mo) ||
		    !digits(s + 8, end, 2, &d))
			return false;
		if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
			return false;
		days = days_from_civil(y, (unsigned)mo, (unsigned)d);
		if (cache) {
			memcpy(cache->text, s, 10);
			cache->days = days;
			cache->valid = true;
		}
	}
	const char *p = s + 10;
	int64_t frac_ms = 0, offset_s = 0;
	if (p < end && (*p == 'T' || *p == 't' || *p == ' ') && end - p >= 6 && is_digit(p[1])) {
		p++;
		if (!digits(p, end, 2, &h) || p[2] != ':' || !digits(p + 3, end, 2, &mi))
			return false;
		p += 5;
		if (p < end && *p == ':') {
			if (!digits(p + 1, end, 2, &sec))
				return false;
			p += 3;
			if (p < end && (*p == '.' || *p == ',')) {
				p++;
				int f = 0;
				if (p == end || !is_digit(*p))
					return false;
				for (; p < end && is_digit(*p); p++, f++)
					if (f < 3)
						frac_ms = frac_ms * 10 + (*p - '0');
				for (; f < 3; f++)
					frac_ms *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return false;
	}
	/* The zone: none (UTC), Z, +hh, +hh:mm, +hhmm, or " UTC"/" GMT",
	 * with one optional space before it. */
	if (p < end && *p == ' ' && p + 1 < end)
		p++;
	if (p < end) {
		if ((*p == 'Z' || *p == 'z') && p + 1 == end) {
			p++;
		} else if (end - p == 3 && (!strncasecmp(p, "UTC", 3) || !strncasecmp(p, "GMT", 3))) {
			p = end;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om = 0;
			p++;
			if (!digits(p, end, 2, &oh))
				return false;
			p += 2;
			if (p < end && *p == ':')
				p++;
			if (p < end) {
				if (!digits(p, end, 2, &om))
					return false;
				p += 2;
			}
			if (oh > 23 || om > 59)
				return false;
			offset_s = sign * (oh * 3600 + om * 60);
		}
	}
	if (p != end)
		return false;
	int64_t t = ((days * 24 + h) * 60 + mi) * 60 + sec - offset_s;
	if (t == 0 && frac_ms == 0)
		return false; /* 1970-01-01T00:00:00Z: a missing time written as 0 */
	*ms = t * 1000 + frac_ms;
	return true;
}

static bool parse_time_cached(const char *s, size_t len, int64_t *ms, struct date_cache *cache)
{
	const char *end = s + len;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - s >= 10 && s[4] == '-')
		return parse_iso_time(s, end, ms, cache);
	return parse_numeric_time(s, end, ms);
}

bool funnel_parse_time(const char *s, size_t len, int64_t *ms)
{
	return parse_time_cached(s, len, ms, NULL);
}

int funnel_parse_bound(const char *s, bool end, int64_t *ms)
{
	if (!funnel_parse_time(s, strlen(s), ms))
		return -1;
	if (end && strlen(s) == 10)
		*ms += 86400 * 1000LL;
	return 0;
}

bool funnel_parse_window(const char *s, int64_t *ms)
{
	static const struct {
		const char *name;
		int64_t ms;
	} units[] = {
	    {"ms", 1},         {"s", 1000},       {"sec", 1000},       {"secs", 1000},
	    {"second", 1000},  {"seconds", 1000}, {"m", 60000},        {"min", 60000},
	    {"mins", 60000},   {"minute", 60000}, {"minutes", 60000},  {"h", 3600000},
	    {"hr", 3600000},   {"hrs", 3600000},  {"hour", 3600000},   {"hours", 3600000},
	    {"d", 86400000},   {"day", 86400000}, {"days", 86400000},  {"w", 604800000},
	    {"week", 604800000}, {"weeks", 604800000},
	};
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !(v > 0))
		return false;
	while (*end == ' ')
		end++;
	int64_t unit = 1000;
	if (*end) {
		size_t i;
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (!strcasecmp(end, units[i].name))
				break;
		if (i == sizeof units / sizeof units[0])
			return false;
		unit = units[i].ms;
	}
	double total = v * (double)unit;
	if (total < 1 || total > 1e15) /* up to ~31,000 years */
		return false;
	*ms = (int64_t)(total + 0.5);
	return true;
}

void funnel_format_window(int64_t ms, char *buf, size_t size)
{
	static const struct {
		int64_t ms;
		char unit;
	} units[] = {{604800000, 'w'}, {86400000, 'd'}, {3600000, 'h'}, {60000, 'm'}, {1000, 's'}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (ms % units[i].ms == 0) {
			/* "14d" reads better than "2w" for the usual windows */
			if (units[i].unit == 'w' && ms / units[i].ms < 4)
				continue;
			snprintf(buf, size, "%lld%c", (long long)(ms / units[i].ms), units[i].unit);
			return;
		}
	}
	snprintf(buf, size, "%lldms", (long long)ms);
}

void funnel_format_time(int64_t ms, char *buf, size_t size)
{
	int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	time_t t = (time_t)secs;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

void funnel_format_duration(double seconds, char *buf, size_t size)
{
	if (!(seconds == seconds)) {
		snprintf(buf, size, "-");
		return;
	}
	long long s = (long long)(seconds + 0.5);
	if (s < 60)
		snprintf(buf, size, "%llds", s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm %02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh %02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lldd %lldh", s / 86400, s % 86400 / 3600);
}

/* ---- interning ------------------------------------------------------ */

/* Eight bytes at a time: unit ids and property values are hashed for
 * every row, so a byte-at-a-time hash would cost more than parsing. */
static inline uint64_t load_tail(const char *s, size_t len)
{
	uint64_t w = 0;
	for (size_t i = 0; i < len; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	return w;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)len * 0xff51afd7ed558ccdULL);
	const char *end = s + len;
	while (end - s >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		s += 8;
	}
	if (s < end) {
		uint64_t w;
		if (len >= 8)
			memcpy(&w, end - 8, 8); /* the last 8 bytes, overlapping */
		else
			w = load_tail(s, (size_t)(end - s));
		h = (h ^ w) * 0x94d049bb133111ebULL;
		h ^= h >> 29;
	}
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

/* memcmp(a, b, len) == 0 without a call for the short strings ids are. */
static inline bool same_bytes(const char *a, const char *b, size_t len)
{
	while (len >= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
		a += 8;
		b += 8;
		len -= 8;
	}
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Tables read at random (the hash slots, the string arena) on 2 MB pages
 * where the kernel allows it: one TLB entry then covers what 512 small
 * pages would, and a lookup in a table of millions of ids stops waiting
 * on page walks. */
#define HUGE_PAGE (2u << 20)

static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

/* The same for a block that grows with realloc: its whole mapping is
 * advised, as advising a part would split the mapping in two, and a
 * split mapping cannot grow in place (mremap fails, and realloc copies
 * the block, holding both copies meanwhile). */
static void advise_huge_growing(void *p)
{
#ifdef MADV_HUGEPAGE
	size_t size = malloc_usable_size(p);
	if (size < HUGE_PAGE)
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)p & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + size + page - 1) & ~(page - 1);
	madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
#endif
}

static void *table_alloc(size_t size)
{
	void *p;
	if (size >= HUGE_PAGE && posix_memalign(&p, HUGE_PAGE, size) == 0) {
		advise_huge(p, size);
		return p;
	}
	return xmalloc(size ? size : 1);
}

uint32_t intern_hash(const char *s, size_t len)
{
	return (uint32_t)hash_bytes(s, len);
}

void intern_init(struct intern *t)
{
	memset(t, 0, sizeof *t);
}

void intern_free(struct intern *t)
{
	free(t->arena);
	free(t->offset);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

static struct intern_slot slot_of(uint32_t hash, uint32_t id, const char *s, size_t len,
				   size_t offset)
{
	struct intern_slot slot = {.hash = hash, .id1 = id + 1, .len = (uint32_t)len,
				   .rec8 = (uint32_t)(offset / 8)};
	memcpy(slot.head, s, len < INTERN_INLINE ? len : INTERN_INLINE);
	return slot;
}

/* A table twice the size, its ids filed anew with their slots prefetched
 * a batch ahead. (Growing the block in place with realloc would spare
 * faulting in the old half again, but the moved pages stay small and the
 * lookups then wait on the TLB.) */
static void intern_rehash(struct intern *t, uint32_t nslots)
{
	size_t size = (size_t)nslots * sizeof *t->slots;
	free(t->slots);
	t->slots = table_alloc(size);
	memset(t->slots, 0, size);
	t->nslots = nslots;
	uint32_t mask = nslots - 1;
	enum { BATCH = 16 };
	uint32_t hash[BATCH];
	for (uint32_t first = 0; first < t->count; first += BATCH) {
		uint32_t n = t->count - first < BATCH ? t->count - first : BATCH;
		for (uint32_t k = 0; k < n; k++) {
			hash[k] = intern_hash(intern_str(t, first + k), intern_len(t, first + k));
			__builtin_prefetch(&t->slots[hash[k] & mask], 1);
		}
		for (uint32_t k = 0; k < n; k++) {
			uint32_t id = first + k, i = hash[k] & mask;
			while (t->slots[i].id1)
				i = (i + 1) & mask;
			t->slots[i] = slot_of(hash[k], id, intern_str(t, id), intern_len(t, id),
					      t->offset[id]);
		}
	}
}

void *intern_take_slots(struct intern *t, size_t *size)
{
	void *slots = t->slots;
	*size = (size_t)t->nslots * sizeof *t->slots;
	t->slots = NULL;
	t->nslots = 0;
	return slots;
}

/* The slot holding s, or the empty slot where it would go. */
static inline uint32_t intern_probe(const struct intern *t, const char *s, size_t len, uint32_t h)
{
	uint32_t mask = t->nslots - 1, i;
	for (i = h & mask; t->slots[i].id1; i = (i + 1) & mask) {
		const struct intern_slot *slot = &t->slots[i];
		if (slot->hash != h || slot->len != len)
			continue;
		size_t head = len < INTERN_INLINE ? len : INTERN_INLINE;
		if (!same_bytes(slot->head, s, head))
			continue;
		if (len <= INTERN_INLINE ||
		    same_bytes(t->arena + (size_t)slot->rec8 * 8 + INTERN_HEADER + head, s + head,
			       len - head))
			break;
	}
	return i;
}

uint32_t intern_find(const struct intern *t, const char *s, size_t len)
{
	if (!t->nslots) {
		/* no table (empty, or its slots taken): ids one by one */
		for (uint32_t id = 0; id < t->count; id++)
			if (intern_len(t, id) == len && same_bytes(intern_str(t, id), s, len))
				return id;
		return UINT32_MAX;
	}
	uint32_t id1 = t->slots[intern_probe(t, s, len, intern_hash(s, len))].id1;
	return id1 ? id1 - 1 : UINT32_MAX;
}

/* Files s as the next id, in the arena only (no slot). */
static uint32_t intern_add(struct intern *t, const char *s, size_t len)
{
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->offset = xrealloc(t->offset, t->cap * sizeof *t->offset);
	}
	size_t need = (INTERN_HEADER + len + 1 + 7) & ~(size_t)7;
	if (t->arena_len + need > t->arena_cap) {
		size_t cap = t->arena_cap ? t->arena_cap * 2 : 4096;
		while (cap < t->arena_len + need)
			cap *= 2;
		/* realloc moves a big arena's pages (mremap) instead of copying
		 * them into fresh ones */
		t->arena = xrealloc(t->arena, cap);
		t->arena_cap = cap;
		advise_huge_growing(t->arena);
	}
	if ((t->arena_len + need) / 8 >= UINT32_MAX || len >= UINT32_MAX) {
		/* 32 GB of distinct strings: the slots cannot point past it */
		fputs("aipm: more distinct ids than the index can hold\n", stderr);
		abort();
	}
	uint32_t id = t->count++;
	char *rec = t->arena + t->arena_len;
	uint32_t len32 = (uint32_t)len;
	memcpy(rec, &id, 4);
	memcpy(rec + 4, &len32, 4);
	memcpy(rec + INTERN_HEADER, s, len);
	memset(rec + INTERN_HEADER + len, 0, need - INTERN_HEADER - len);
	t->offset[id] = t->arena_len;
	t->arena_len += need;
	return id;
}

uint32_t intern_get_hashed(struct intern *t, const char *s, size_t len, uint32_t h, bool *added)
{
	/* Up to three quarters full: probes stay short (the slots run on in
	 * one cache line), and every fresh page of a bigger table costs. */
	if ((uint64_t)(t->count + 1) * 4 > (uint64_t)t->nslots * 3)
		intern_rehash(t, t->nslots ? t->nslots * 2 : 64);
	uint32_t i = intern_probe(t, s, len, h);
	if (t->slots[i].id1) {
		*added = false;
		return t->slots[i].id1 - 1;
	}
	uint32_t id = intern_add(t, s, len);
	t->slots[i] = slot_of(h, id, s, len, t->offset[id]);
	*added = true;
	return id;
}

/* intern_get through the column's cache of recent values. */
static uint32_t intern_cached(struct intern *t, struct value_cache *c, const char *s, size_t len,
			      bool *added)
{
	unsigned key = (unsigned)(len * 31 + (len ? (unsigned char)s[0] * 7 +
							 (unsigned char)s[len - 1] * 13 +
							 (unsigned char)s[len / 2]
						   : 0)) %
		       VALUE_CACHE_SIZE;
	uint32_t id = c->id[key];
	if (id && intern_len(t, id - 1) == len && same_bytes(intern_str(t, id - 1), s, len)) {
		*added = false;
		return id - 1;
	}
	id = intern_get(t, s, len, added);
	c->id[key] = id + 1;
	return id;
}

/* ---- the streaming pass ------------------------------------------- */

enum { ROLE_NONE = -1, ROLE_UNIT = -2, ROLE_EVENT = -3, ROLE_TIME = -4 };

struct span {
	size_t off, len;
};

/* A unit id is looked up a few rows after its own, its table slot
 * prefetched meanwhile: a lookup at once would wait on the load. The ids
 * wait in a ring of PENDING_RING slots: PENDING_ROWS queued and the one
 * the row being read copies its id into. */
#define PENDING_ROWS 15
#define PENDING_RING 16
#define PENDING_ID_MAX 64 /* longer ids are looked up at once */

/* The units of recent rows, one per hash bucket: event logs come in
 * sessions, so most rows' units were seen a few hundred rows before, and
 * this table (small enough to stay in the cache) finds them without the
 * big one's load. An id longer than an entry's bytes always goes to the
 * big table. */
#define RECENT_UNITS_MAX (1u << 16)
#define RECENT_ID_MAX 24

struct recent_unit {
	uint32_t id1; /* id + 1; 0 when empty */
	uint32_t len;
	char id[RECENT_ID_MAX];
};

struct pending_unit {
	uint32_t hash, len;
	size_t row; /* staging position whose unit it is */
	char id[PENDING_ID_MAX];
};

struct loader {
	struct funnel_log *log;
	const struct funnel_load_options *opt;
	/* The first failure, its line (and column) counted from the loader's
	 * first byte: a chunk's lines are made the file's when the chunks are
	 * joined (report_failure). */
	bool failed;
	long fail_line, fail_column;
	char fail_msg[768];
	/* per skip example: for a ragged row over several lines, its fields
	 * and last line (0 otherwise), to name the file's line once known */
	struct {
		size_t nfields;
		long last;
	} ragged[FUNNEL_SKIP_EXAMPLES];
	bool header_done;
	size_t columns_cap;
	int *role; /* per header column: ROLE_* or a property index */
	/* The row being read. Its fields are taken as they come: the time is
	 * parsed, an event like the previous row's is known by its code, and
	 * the unit id goes into the ring's free slot; only what is left
	 * (other events, long ids, properties, the text of a bad time) is
	 * copied into scratch for the end of the row. */
	size_t nfields;
	char *scratch;
	size_t scratch_len, scratch_cap;
	struct span long_unit, event, time, *prop;
	size_t unit_len;
	uint32_t row_code; /* the event's code, or UINT32_MAX: see event */
	int64_t row_ms;
	bool row_time_ok;
	/* rows whose unit id waits for its table slot and record to load */
	struct pending_unit pending[PENDING_RING];
	size_t pending_head, npending;
	struct recent_unit *recent;
	uint32_t recent_mask; /* their number - 1 */
	uint32_t unit_hash; /* of the row's unit id, when not long */
	/* physical lines: the line the parser is on and where the row began */
	long line, row_line;
	/* characters of the input's last line so far (for a NUL's column) */
	long tail_chars;
	bool cr_pending;
	bool quotes_possible; /* the block has a '"' or starts inside quotes */
	char last_byte; /* of the input: does the last line end with a break? */
	struct date_cache dates;
	uint32_t last_event; /* the previous row's event code, UINT32_MAX */
	/* staging, in file order; moved into the index at the end */
	uint32_t *su, *sc, **sp;
	int64_t *st;
	size_t n, cap;
};

static void fail(struct loader *L, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct loader *L, long line, const char *fmt, ...)
{
	if (L->failed)
		return;
	L->failed = true;
	L->fail_line = line;
	L->fail_column = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(L->fail_msg, sizeof L->fail_msg, fmt, ap);
	va_end(ap);
}

/* The failure's message, its line moved on by the lines before the
 * loader's first byte. */
static void report_failure(const struct loader *L, const char *path, long line_offset, char *err,
			   size_t errlen)
{
	if (L->fail_line > 0 && L->fail_column > 0)
		format_error(err, errlen, "%s:%ld:%ld: %s", path, L->fail_line + line_offset,
			     L->fail_column, L->fail_msg);
	else if (L->fail_line > 0)
		format_error(err, errlen, "%s:%ld: %s", path, L->fail_line + line_offset, L->fail_msg);
	else
		format_error(err, errlen, "%s: %s", path, L->fail_msg);
}

/* Characters (not bytes) of UTF-8 text. */
static long count_chars(const char *s, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* After each block: the characters of the line that is still open. */
static void track_column(struct loader *L, const char *data, size_t n)
{
	const char *nl = memrchr(data, '\n', n);
	if (nl)
		L->tail_chars = count_chars(nl + 1, n - (size_t)(nl + 1 - data));
	else
		L->tail_chars += count_chars(data, n);
}

/* The block holds a NUL byte at data[at], up to which it was parsed: its
 * line is the parser's (plus the breaks in the field it is inside), its
 * column the characters since the last line break. */
static void fail_nul(struct loader *L, const struct csv_parser *p, const char *data, size_t at)
{
	long line = L->line;
	for (size_t i = 0; i < p->entry_pos; i++)
		line += p->entry_buf[i] == '\n';
	const char *nl = memrchr(data, '\n', at);
	long column = 1 + (nl ? count_chars(nl + 1, at - (size_t)(nl + 1 - data))
			      : L->tail_chars + count_chars(data, at));
	fail(L, line, "a NUL byte: aipm reads text files, and this is binary data or a damaged file");
	L->fail_column = column;
}

/* A field as it can be quoted in a message: cleaned, at most 40 bytes. */
static void quote_field(const char *s, size_t len, char *buf, size_t size)
{
	char *raw = xstrndup(s, len < 40 ? len : 40);
	char *clean = sanitize_dup(raw, SANITIZE_LINE);
	snprintf(buf, size, "'%s%s'", clean, len > 40 ? "..." : "");
	free(clean);
	free(raw);
}

static void skip_row(struct loader *L, enum funnel_skip_reason why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void skip_row(struct loader *L, enum funnel_skip_reason why, const char *fmt, ...)
{
	struct funnel_load_stats *st = &L->log->stats;
	st->skipped++;
	st->skipped_by[why]++;
	if (st->examples < FUNNEL_SKIP_EXAMPLES) {
		struct funnel_skip_example *ex = &st->example[st->examples++];
		ex->line = L->row_line;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ex->reason, sizeof ex->reason, fmt, ap);
		va_end(ap);
	}
}

/* The copy of a short field: the id and event fields a row is made of are
 * a few bytes long, where a call to memcpy costs more than the copy. */
static inline void copy_short(char *dst, const char *src, size_t len)
{
	if (len >= 8 && len <= 16) {
		uint64_t a, b;
		memcpy(&a, src, 8);
		memcpy(&b, src + len - 8, 8);
		memcpy(dst, &a, 8);
		memcpy(dst + len - 8, &b, 8);
	} else if (len < 8) {
		for (size_t i = 0; i < len; i++)
			dst[i] = src[i];
	} else {
		memcpy(dst, src, len);
	}
}

static void keep_field(struct loader *L, struct span *sp, const char *s, size_t len)
{
	if (L->scratch_len + len > L->scratch_cap) {
		L->scratch_cap = (L->scratch_len + len) * 2 + 256;
		L->scratch = xrealloc(L->scratch, L->scratch_cap);
	}
	copy_short(L->scratch + L->scratch_len, s, len);
	sp->off = L->scratch_len;
	sp->len = len;
	L->scratch_len += len;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct loader *L = ctx;
	if (L->failed)
		return;
	const char *s = data ? data : "";
	if (!data)
		len = 0;
	/* Only a quoted field can hold a line break, which the physical line
	 * count must include; blocks without a quote skip the search. */
	if (L->quotes_possible)
		for (const char *nl = memchr(s, '\n', len); nl;
		     nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - s)))
			L->line++;
	L->cr_pending = false;
	size_t f = L->nfields++;
	if (!L->header_done) {
		struct funnel_log *log = L->log;
		ARRAY_PUSH(log->columns, log->ncolumns, L->columns_cap, xstrndup(s, len));
		return;
	}
	if (f >= L->log->ncolumns)
		return;
	switch (L->role[f]) {
	case ROLE_NONE:
		return;
	case ROLE_UNIT:
		L->unit_len = len;
		if (len <= PENDING_ID_MAX) {
			copy_short(L->pending[(L->pending_head + L->npending) % PENDING_RING].id, s, len);
			/* the bucket loads while the row's other fields are read */
			L->unit_hash = intern_hash(s, len);
			__builtin_prefetch(&L->recent[L->unit_hash & L->recent_mask]);
		} else
			keep_field(L, &L->long_unit, s, len);
		return;
	case ROLE_EVENT: {
		const struct intern *events = &L->log->events;
		uint32_t code = L->last_event;
		L->event.len = len;
		if (code != UINT32_MAX && intern_len(events, code) == len &&
		    same_bytes(intern_str(events, code), s, len)) {
			L->row_code = code;
		} else {
			L->row_code = UINT32_MAX;
			keep_field(L, &L->event, s, len);
		}
		return;
	}
	case ROLE_TIME:
		L->row_time_ok = parse_time_cached(s, len, &L->row_ms, &L->dates);
		L->time.len = len;
		if (!L->row_time_ok) /* for the message */
			keep_field(L, &L->time, s, len);
		return;
	default:
		keep_field(L, &L->prop[L->role[f]], s, len);
		return;
	}
}

static const char *const unit_names[] = {
    "user_id",    "distinct_id", "person_id",  "session_id", "userid",    "user",
    "uid",        "customer_id", "account_id", "anonymous_id", "visitor_id", "device_id",
    "client_id",  "member_id",   NULL,
};
static const char *const event_names[] = {
    "event", "event_name", "event_type", "eventname", "event_action", "action", "name", "type", NULL,
};
static const char *const time_names[] = {
    "timestamp", "event_time",  "time",        "ts",       "event_timestamp", "datetime",
    "date_time", "created_at",  "occurred_at", "time_stamp", "client_time",   "server_time",
    "date",      NULL,
};

/* The column called name (exactly, else ignoring case), or -1. */
static int find_column(const struct funnel_log *log, const char *name)
{
	for (size_t i = 0; i < log->ncolumns; i++)
		if (!strcmp(log->columns[i], name))
			return (int)i;
	for (size_t i = 0; i < log->ncolumns; i++)
		if (!strcasecmp(log->columns[i], name))
			return (int)i;
	return -1;
}

static int detect_column(const struct funnel_log *log, const char *const *names, int taken1,
			 int taken2)
{
	for (int n = 0; names[n]; n++)
		for (size_t i = 0; i < log->ncolumns; i++)
			if ((int)i != taken1 && (int)i != taken2 && !strcasecmp(log->columns[i], names[n]))
				return (int)i;
	return -1;
}

size_t funnel_log_unit_columns(const struct funnel_log *log, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < log->ncolumns; i++)
		for (int k = 0; unit_names[k] && n < max; k++)
			if ((int)i != log->event_col && (int)i != log->time_col &&
			    !strcasecmp(log->columns[i], unit_names[k])) {
				out[n++] = log->columns[i];
				break;
			}
	return n;
}

/* "'a', 'b', 'c'" for an error message: the columns that were found. */
static char *columns_found(const struct funnel_log *log)
{
	struct strbuf sb;
	sb_init(&sb);
	size_t shown = log->ncolumns < 20 ? log->ncolumns : 20;
	for (size_t i = 0; i < shown; i++) {
		char q[64];
		quote_field(log->columns[i], strlen(log->columns[i]), q, sizeof q);
		sb_printf(&sb, "%s%s", i ? ", " : "", q);
	}
	if (log->ncolumns > shown)
		sb_printf(&sb, " and %zu more", log->ncolumns - shown);
	if (!sb.len)
		sb_puts(&sb, "none");
	return sb_steal(&sb);
}

static int pick_column(struct loader *L, const char *asked, const char *const *names,
		       const char *what, int taken1, int taken2)
{
	struct funnel_log *log = L->log;
	int c = asked ? find_column(log, asked) : detect_column(log, names, taken1, taken2);
	if (c >= 0)
		return c;
	char *found = columns_found(log);
	if (asked)
		fail(L, 1, "no %s column '%s'; the header has %zu column%s: %s", what, asked,
		     log->ncolumns, log->ncolumns == 1 ? "" : "s", found);
	else
		fail(L, 1,
		     "no %s column (looked for %s, %s, %s...); the header has %zu column%s: %s; "
		     "name the column with --%s",
		     what, names[0], names[1], names[2], log->ncolumns, log->ncolumns == 1 ? "" : "s",
		     found, !strcmp(what, "unit") ? "unit" : !strcmp(what, "event") ? "event-col" : "time-col");
	free(found);
	return -1;
}

static void add_prop(struct loader *L, int col)
{
	struct funnel_log *log = L->log;
	for (size_t i = 0; i < log->nprops; i++)
		if (log->props[i].col == col)
			return;
	log->props = xrealloc(log->props, (log->nprops + 1) * sizeof *log->props);
	struct prop_column *p = &log->props[log->nprops];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(log->columns[col]);
	p->col = col;
	intern_init(&p->values);
	L->role[col] = (int)log->nprops++;
}

static void on_header(struct loader *L)
{
	struct funnel_log *log = L->log;
	const struct funnel_load_options *o = L->opt;
	L->header_done = true;
	int u = pick_column(L, o->unit_col, unit_names, "unit", -1, -1);
	if (u < 0)
		return;
	int e = pick_column(L, o->event_col, event_names, "event", u, -1);
	if (e < 0)
		return;
	int t = pick_column(L, o->time_col, time_names, "time", u, e);
	if (t < 0)
		return;
	if (u == e || u == t || e == t) {
		fail(L, 1, "the unit, event and time columns must differ ('%s', '%s', '%s')",
		     log->columns[u], log->columns[e], log->columns[t]);
		return;
	}
	log->unit_col = u;
	log->event_col = e;
	log->time_col = t;
	L->role = xmalloc(log->ncolumns * sizeof *L->role);
	for (size_t i = 0; i < log->ncolumns; i++)
		L->role[i] = ROLE_NONE;
	L->role[u] = ROLE_UNIT;
	L->role[e] = ROLE_EVENT;
	L->role[t] = ROLE_TIME;
	for (size_t i = 0; i < o->nprops; i++) {
		int c = find_column(log, o->props[i]);
		if (c < 0) {
			char *found = columns_found(log);
			fail(L, 1, "no column '%s'; the header has %zu column%s: %s", o->props[i],
			     log->ncolumns, log->ncolumns == 1 ? "" : "s", found);
			free(found);
			return;
		}
		if (c == u || c == e || c == t) {
			fail(L, 1, "'%s' is the %s column, not a property", o->props[i],
			     c == u ? "unit" : c == e ? "event" : "time");
			return;
		}
		add_prop(L, c);
	}
	if (o->all_props)
		for (size_t i = 0; i < log->ncolumns && log->nprops < MAX_AUTO_PROPS; i++)
			if ((int)i != u && (int)i != e && (int)i != t)
				add_prop(L, (int)i);
	L->prop = xcalloc(log->nprops ? log->nprops : 1, sizeof *L->prop);
	L->sp = xcalloc(log->nprops ? log->nprops : 1, sizeof *L->sp);
}

/* Step patterns share their match data: one chunk at a time tests an
 * event name (once per new name), in on_data_row. */
static pthread_mutex_t pattern_lock = PTHREAD_MUTEX_INITIALIZER;

/* Whether the events called name are stored: all of them, or those of a
 * step. A step pattern too complex to match name stops the load. */
static bool event_wanted(struct loader *L, const char *name)
{
	const struct funnel_load_options *o = L->opt;
	if (o->all_events || !o->steps)
		return true;
	for (size_t i = 0; i < o->steps->count; i++) {
		enum pattern_rc rc = funnel_step_match(&o->steps->step[i], name);
		if (rc == PATTERN_TOO_COMPLEX) {
			char q[64];
			quote_field(name, strlen(name), q, sizeof q);
			fail(L, L->row_line, "step %zu, pattern %s: %s (on the event %s)", i + 1,
			     o->steps->step[i].text, pattern_rc_text(rc), q);
		}
		if (rc != PATTERN_NO_MATCH)
			return true;
	}
	for (size_t i = 0; o->also && i < o->also->count; i++)
		if (funnel_step_match(&o->also->step[i], name) != PATTERN_NO_MATCH)
			return true;
	return false;
}

static void stage_grow(struct loader *L)
{
	size_t cap = L->cap ? L->cap * 2 : 1024;
	L->su = xrealloc(L->su, cap * sizeof *L->su);
	L->sc = xrealloc(L->sc, cap * sizeof *L->sc);
	L->st = xrealloc(L->st, cap * sizeof *L->st);
	for (size_t i = 0; i < L->log->nprops; i++)
		if (!L->log->props[i].dropped)
			L->sp[i] = xrealloc(L->sp[i], cap * sizeof *L->sp[i]);
	/* the index is gathered from these at random */
	advise_huge_growing(L->st);
	advise_huge_growing(L->sc);
	for (size_t i = 0; i < L->log->nprops; i++)
		if (!L->log->props[i].dropped)
			advise_huge_growing(L->sp[i]);
	L->cap = cap;
}

/* Looks up the oldest queued unit id. */
static void resolve_oldest_unit(struct loader *L)
{
	const struct pending_unit *p = &L->pending[L->pending_head];
	bool added;
	uint32_t id = intern_get_hashed(&L->log->units, p->id, p->len, p->hash, &added);
	L->su[p->row] = id;
	if (p->len <= RECENT_ID_MAX) {
		struct recent_unit *r = &L->recent[p->hash & L->recent_mask];
		r->id1 = id + 1;
		r->len = p->len;
		copy_short(r->id, p->id, p->len);
	}
	L->pending_head = (L->pending_head + 1) % PENDING_RING;
	L->npending--;
}

static void flush_units(struct loader *L)
{
	while (L->npending)
		resolve_oldest_unit(L);
}

/* Files the unit of the row being stored (at staging position L->n),
 * whose id on_field left in the ring's free slot (or in scratch when
 * long), moving the queue on: the oldest is looked up. */
static void queue_unit(struct loader *L)
{
	struct intern *units = &L->log->units;
	size_t len = L->unit_len;
	if (len > PENDING_ID_MAX) {
		flush_units(L); /* ids stay numbered in the order first seen */
		const char *id = L->scratch + L->long_unit.off;
		bool added;
		L->su[L->n] = intern_get_hashed(units, id, len, intern_hash(id, len), &added);
		return;
	}
	struct pending_unit *p = &L->pending[(L->pending_head + L->npending) % PENDING_RING];
	const struct recent_unit *r = &L->recent[L->unit_hash & L->recent_mask];
	if (r->id1 && r->len == len && same_bytes(r->id, p->id, len)) {
		L->su[L->n] = r->id1 - 1;
		return;
	}
	if (L->npending == PENDING_ROWS)
		resolve_oldest_unit(L); /* the free slot stays where it is */
	L->npending++;
	p->hash = L->unit_hash;
	p->len = (uint32_t)len;
	p->row = L->n;
	intern_prefetch(units, p->hash);
}

/* Why a row with the wrong number of fields is skipped; last is the line
 * its quoted field runs to, 0 when the row is on one line. */
static void ragged_reason(char *buf, size_t size, size_t nfields, size_t ncolumns, long last)
{
	if (last)
		snprintf(buf, size,
			 "%zu field%s, the header has %zu; a quoted field runs to line %ld "
			 "(a closing quote missing?)",
			 nfields, nfields == 1 ? "" : "s", ncolumns, last);
	else
		snprintf(buf, size, "%zu field%s, the header has %zu", nfields, nfields == 1 ? "" : "s",
			 ncolumns);
}

static void on_data_row(struct loader *L)
{
	struct funnel_log *log = L->log;
	struct funnel_load_stats *st = &log->stats;
	st->rows++;
	if (L->nfields != log->ncolumns) {
		/* A row over several lines with the wrong fields is most likely
		 * a quote that was not closed where it should have been. */
		long last = L->line - 1;
		size_t example = st->examples;
		char reason[sizeof st->example[0].reason];
		ragged_reason(reason, sizeof reason, L->nfields, log->ncolumns,
			      last > L->row_line ? last : 0);
		skip_row(L, FUNNEL_SKIP_RAGGED, "%s", reason);
		if (example < FUNNEL_SKIP_EXAMPLES) {
			L->ragged[example].nfields = L->nfields;
			L->ragged[example].last = last > L->row_line ? last : 0;
		}
		return;
	}
	const char *base = L->scratch;
	if (!L->unit_len) {
		skip_row(L, FUNNEL_SKIP_EMPTY_UNIT, "empty %s", log->columns[log->unit_col]);
		return;
	}
	if (!L->event.len) {
		skip_row(L, FUNNEL_SKIP_EMPTY_EVENT, "empty %s", log->columns[log->event_col]);
		return;
	}
	int64_t ms = L->row_ms;
	if (!L->row_time_ok) {
		bool blank = true;
		for (size_t i = 0; i < L->time.len; i++)
			blank &= base[L->time.off + i] == ' ' || base[L->time.off + i] == '\t';
		if (blank) {
			skip_row(L, FUNNEL_SKIP_EMPTY_TIME, "empty %s", log->columns[log->time_col]);
		} else {
			char q[64];
			quote_field(base + L->time.off, L->time.len, q, sizeof q);
			skip_row(L, FUNNEL_SKIP_BAD_TIME, "bad %s %s", log->columns[log->time_col], q);
		}
		return;
	}
	uint32_t code = L->row_code;
	if (code == UINT32_MAX) {
		bool added;
		code = intern_get(&log->events, base + L->event.off, L->event.len, &added);
		if (added) {
			log->event_rows = xrealloc(log->event_rows, log->events.cap * sizeof *log->event_rows);
			log->event_kept = xrealloc(log->event_kept, log->events.cap * sizeof *log->event_kept);
			log->event_line = xrealloc(log->event_line, log->events.cap * sizeof *log->event_line);
			log->event_rows[code] = 0;
			log->event_line[code] = L->row_line;
			pthread_mutex_lock(&pattern_lock);
			log->event_kept[code] = event_wanted(L, intern_str(&log->events, code));
			pthread_mutex_unlock(&pattern_lock);
			if (L->failed)
				return;
		}
		L->last_event = code;
	}
	log->event_rows[code]++;
	if (st->valid == 0 || ms < st->first_ms)
		st->first_ms = ms;
	if (st->valid == 0 || ms > st->last_ms)
		st->last_ms = ms;
	st->valid++;
	if (!log->event_kept[code])
		return;
	if (L->n == UINT32_MAX - 1) {
		fail(L, L->row_line, "more than %u events to index", UINT32_MAX - 1);
		return;
	}
	if (L->n == L->cap)
		stage_grow(L);
	bool added;
	queue_unit(L);
	for (size_t i = 0; i < log->nprops; i++) {
		struct prop_column *p = &log->props[i];
		if (p->dropped)
			continue;
		uint32_t v = intern_cached(&p->values, &p->cache, base + L->prop[i].off,
					   L->prop[i].len, &added);
		if (p->values.count > FUNNEL_MAX_PROP_VALUES) {
			/* an id or a free-text column: not a breakdown */
			p->dropped = true;
			intern_free(&p->values);
			memset(&p->cache, 0, sizeof p->cache);
			free(L->sp[i]);
			L->sp[i] = NULL;
			continue;
		}
		L->sp[i][L->n] = v;
	}
	L->sc[L->n] = code;
	L->st[L->n] = ms;
	L->n++;
}

static void on_record(int c, void *ctx)
{
	struct loader *L = ctx;
	if (L->failed)
		return;
	bool empty = L->nfields == 0;
	if (c == '\n') {
		if (!(empty && L->cr_pending))
			L->line++;
		L->cr_pending = false;
	} else if (c == '\r') {
		L->line++;
		L->cr_pending = true;
	}
	if (!empty) {
		if (!L->header_done)
			on_header(L);
		else
			on_data_row(L);
	}
	L->nfields = 0;
	L->scratch_len = 0;
	L->row_line = L->line;
}

static int cmp_event(const void *a, const void *b, void *ctx)
{
	const int64_t *t = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (t[x] != t[y])
		return t[x] < t[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Buffers for sorting one unit's events, grown to the biggest unit. */
struct unit_sort {
	uint32_t *perm;
	int64_t *time;
	uint32_t *column;
	size_t cap;
};

/* perm[dst] = src for the column's n values at v. */
static void permute_u32(uint32_t *v, const uint32_t *perm, size_t n, uint32_t *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[perm[i]];
	memcpy(v, tmp, n * sizeof *v);
}

/* Sorts one unit's events, in file order, by time: a stable sort, so the
 * row breaks ties. Most units come sorted or nearly so. */
static void sort_unit(struct funnel_log *log, size_t start, size_t n, struct unit_sort *us)
{
	int64_t *t = log->time + start;
	size_t i;
	for (i = 1; i < n; i++)
		if (t[i - 1] > t[i])
			break;
	if (i >= n)
		return;
	if (n > us->cap) {
		us->cap = n;
		us->perm = xrealloc(us->perm, n * sizeof *us->perm);
		us->time = xrealloc(us->time, n * sizeof *us->time);
		us->column = xrealloc(us->column, n * sizeof *us->column);
	}
	uint32_t *perm = us->perm;
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	if (n <= 24) {
		for (i = 1; i < n; i++) {
			uint32_t v = perm[i];
			size_t j = i;
			while (j > 0 && t[perm[j - 1]] > t[v]) {
				perm[j] = perm[j - 1];
				j--;
			}
			perm[j] = v;
		}
	} else {
		qsort_r(perm, n, sizeof *perm, cmp_event, t);
	}
	for (i = 0; i < n; i++)
		us->time[i] = t[perm[i]];
	memcpy(t, us->time, n * sizeof *t);
	permute_u32(log->code + start, perm, n, us->column);
	for (size_t p = 0; p < log->nprops; p++)
		if (!log->props[p].dropped)
			permute_u32(log->props[p].value + start, perm, n, us->column);
}

/* Staging into the index (unit order, then time): each staged column,
 * part after part in file order, is scattered to its unit's next place,
 * which keeps a unit's events in file order, and then each unit is
 * sorted by time on its own. The scatter reads the staging columns in
 * order, and its writes do not wait on one another. Each staged column
 * is freed once scattered, so that the index takes little more memory
 * than the staging; the times take the unit table's block, faulted in
 * already. */
static uint32_t **staged_column(struct loader *L, int prop)
{
	return prop < 0 ? &L->sc : &L->sp[prop];
}

static uint32_t *scatter_column(struct loader *const *parts, size_t nparts, int prop, size_t n,
				uint32_t *next)
{
	const struct funnel_log *log = parts[0]->log;
	memcpy(next, log->unit_start, ((size_t)log->nunits + 1) * sizeof *next);
	uint32_t *dst = table_alloc(n * sizeof *dst);
	for (size_t k = 0; k < nparts; k++) {
		uint32_t **column = staged_column(parts[k], prop);
		const uint32_t *su = parts[k]->su, *src = *column;
		for (size_t i = 0; i < parts[k]->n; i++)
			dst[next[su[i]]++] = src[i];
		free(*column);
		*column = NULL;
	}
	return dst;
}

static void build_index(struct loader *const *parts, size_t nparts, void *spare_block,
			size_t spare_size)
{
	struct funnel_log *log = parts[0]->log;
	size_t n = 0;
	for (size_t k = 0; k < nparts; k++)
		n += parts[k]->n;
	uint32_t nunits = log->units.count;
	log->nunits = nunits;
	log->nevents = n;
	log->unit_start = xcalloc((size_t)nunits + 1, sizeof *log->unit_start);
	for (size_t k = 0; k < nparts; k++)
		for (size_t i = 0; i < parts[k]->n; i++)
			log->unit_start[parts[k]->su[i] + 1]++;
	for (uint32_t u = 0; u < nunits; u++)
		log->unit_start[u + 1] += log->unit_start[u];
	uint32_t *next = xmalloc(((size_t)nunits + 1) * sizeof *next);
	memcpy(next, log->unit_start, ((size_t)nunits + 1) * sizeof *next);
	size_t time_size = n * sizeof *log->time;
	if (spare_block && time_size <= spare_size) {
		log->time = spare_block;
	} else {
		free(spare_block); /* growing it would copy it: see advise_huge_growing */
		log->time = table_alloc(time_size);
	}
	for (size_t k = 0; k < nparts; k++) {
		struct loader *L = parts[k];
		for (size_t i = 0; i < L->n; i++)
			log->time[next[L->su[i]]++] = L->st[i];
		free(L->st);
		L->st = NULL;
	}
	log->code = scatter_column(parts, nparts, -1, n, next);
	for (size_t p = 0; p < log->nprops; p++)
		if (!log->props[p].dropped)
			log->props[p].value = scatter_column(parts, nparts, (int)p, n, next);
	free(next);
	for (size_t k = 0; k < nparts; k++) {
		free(parts[k]->su);
		parts[k]->su = NULL;
	}
	struct unit_sort us = {0};
	for (uint32_t u = 0; u < nunits; u++)
		sort_unit(log, log->unit_start[u], log->unit_start[u + 1] - log->unit_start[u], &us);
	free(us.perm);
	free(us.time);
	free(us.column);
	log->stats.kept = n;
	log->stats.units = nunits;
}

static void loader_init(struct loader *L, struct funnel_log *log,
			const struct funnel_load_options *opt, uint64_t bytes)
{
	*L = (struct loader){.log = log, .opt = opt, .line = 1, .row_line = 1,
			     .last_event = UINT32_MAX, .scratch_cap = 256};
	L->scratch = xmalloc(L->scratch_cap);
	/* a bucket per few rows of a small input (a test's, a fuzzer's) */
	uint32_t nrecent = 64;
	while (nrecent < RECENT_UNITS_MAX && (!bytes || nrecent < bytes / 256))
		nrecent *= 2;
	L->recent = xcalloc(nrecent, sizeof *L->recent);
	L->recent_mask = nrecent - 1;
}

static void loader_free(struct loader *L)
{
	free(L->role);
	free(L->scratch);
	free(L->prop);
	free(L->su);
	free(L->sc);
	free(L->st);
	if (L->sp)
		for (size_t i = 0; i < L->log->nprops; i++)
			free(L->sp[i]);
	free(L->sp);
	free(L->recent);
	memset(L, 0, sizeof *L);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The source of bytes: a buffer in memory, a file read at any offset,
 * or a pipe read in turn. */
struct source {
	int fd;
	bool seekable;
	const char *data;
	size_t len;
	uint64_t total;
};

/* Up to cap bytes at off (a pipe: the next ones) in *out. */
static ssize_t source_read_at(const struct source *s, uint64_t off, char *buf, size_t cap,
			      const char **out)
{
	if (s->data) {
		size_t n = off >= s->len ? 0 : s->len - off < cap ? s->len - off : cap;
		*out = s->data + (off < s->len ? off : s->len);
		return (ssize_t)n;
	}
	ssize_t n;
	do
		n = s->seekable ? pread(s->fd, buf, cap, (off_t)off) : read(s->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	*out = buf;
	return n;
}

/* ---- parsing with every core ---------------------------------------- */

/* The file after its header is cut into chunks at line starts, one a
 * thread, each parsed with its own libcsv parser into tables of its own.
 * A chunk may start inside a quoted field (a line break in a value): the
 * parser of the chunk before, which started at a true row start, then
 * reaches the cut inside a row. Such a chunk's work is thrown away and
 * the parser before carries on through it. The chunks are then joined in
 * file order: their ids filed in the log's tables in order of first sight
 * and their line numbers moved on by the lines before them, so that the
 * index, the counts and every message are those of one pass. */
#define MAX_THREADS 64
/* Below this a thread costs more than it saves. */
#define MIN_CHUNK (4u << 20)
/* The header is read in small pieces, so that the chunks can start right
 * after it. */
#define HEADER_PIECE 64
/* libcsv's state between rows (ROW_NOT_BEGUN in libcsv.c) */
#define CSV_BETWEEN_ROWS 0

struct shared {
	const struct source *src;
	const struct funnel_load_options *opt;
	atomic_uint_fast64_t bytes, rows; /* parsed so far, by every chunk */
	atomic_bool cancel;
	atomic_uint running; /* chunks still parsing in their threads */
};

struct chunk {
	struct loader L;
	struct csv_parser p;
	struct shared *sh;
	char *buf; /* read buffer (NULL for a source in memory) */
	uint64_t from, to, reached;
	uint64_t rows_counted;
	bool stop_after_header;
	bool ran; /* parsed to its end in its thread */
	long line_offset; /* physical lines before the chunk's first byte */
	pthread_t thread;
};

/* How many threads parse bytes of rows: AIPM_THREADS when set (for
 * tests and benchmarks, whatever the size), else one per online core,
 * each with MIN_CHUNK bytes at least. */
static size_t chunk_count(uint64_t bytes)
{
	const char *env = getenv("AIPM_THREADS");
	if (env && *env) {
		char *end;
		long n = strtol(env, &end, 10);
		if (!*end && n >= 1)
			return n < MAX_THREADS ? (size_t)n : MAX_THREADS;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t n = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (uint64_t)cores;
	if (n > bytes / MIN_CHUNK)
		n = bytes / MIN_CHUNK ? bytes / MIN_CHUNK : 1;
	return (size_t)n;
}

/* Parses one block; false when the load stops. */
static bool feed_block(struct chunk *c, const char *data, size_t n)
{
	struct loader *L = &c->L;
	struct csv_parser *p = &c->p;
	if (n > 0)
		L->last_byte = data[n - 1];
	/* A NUL byte would cut its field short: the block is parsed up to it,
	 * so that the parser knows the line it is on, and refused. */
	const char *nul = memchr(data, '\0', n);
	size_t feed = nul ? (size_t)(nul - data) : n;
	L->quotes_possible = p->quoted || memchr(data, '"', feed) != NULL;
	if (csv_parse(p, data, feed, on_field, on_record, L) != feed) {
		fail(L, L->row_line, "CSV error: %s", csv_strerror(csv_error(p)));
		return false;
	}
	if (L->failed)
		return false;
	if (nul) {
		fail_nul(L, p, data, feed);
		return false;
	}
	track_column(L, data, n);
	if (p->entry_pos > FIELD_LIMIT) {
		fail(L, L->row_line, "a field runs over %d MB: an unclosed quote, or not a CSV file?",
		     FIELD_LIMIT >> 20);
		return false;
	}
	return true;
}

/* Counts a parsed block; on the main thread, tells the caller's progress
 * function. False once the load is cancelled. */
static bool chunk_progress(struct chunk *c, size_t n, bool on_main)
{
	struct shared *sh = c->sh;
	uint64_t rows = c->L.log->stats.rows;
	uint64_t all_rows = atomic_fetch_add(&sh->rows, rows - c->rows_counted) + rows -
			    c->rows_counted;
	c->rows_counted = rows;
	uint64_t bytes = atomic_fetch_add(&sh->bytes, n) + n;
	if (on_main && sh->opt->progress &&
	    !sh->opt->progress(sh->opt->progress_ctx, bytes, sh->src->total, all_rows))
		atomic_store(&sh->cancel, true);
	return !atomic_load(&sh->cancel);
}

/* Parses [from, to) of the source (a pipe: to its end). */
static void parse_range(struct chunk *c, uint64_t from, uint64_t to, bool on_main)
{
	struct loader *L = &c->L;
	uint64_t pos = from;
	while (pos < to && !L->failed && !(c->stop_after_header && L->header_done)) {
		size_t cap = c->stop_after_header ? HEADER_PIECE : BLOCK_SIZE;
		if (cap > to - pos)
			cap = (size_t)(to - pos);
		const char *data;
		ssize_t n = source_read_at(c->sh->src, pos, c->buf, cap, &data);
		if (n < 0) {
			fail(L, 0, "cannot read: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		pos += (uint64_t)n;
		if (!feed_block(c, data, (size_t)n))
			break;
		if (!chunk_progress(c, (size_t)n, on_main)) {
			fail(L, 0, "loading cancelled");
			break;
		}
	}
	c->reached = pos;
	flush_units(L);
}

static void *chunk_thread(void *arg)
{
	struct chunk *c = arg;
	parse_range(c, c->from, c->to, false);
	c->ran = true;
	atomic_fetch_sub(&c->sh->running, 1);
	return NULL;
}

/* Where the first line starting at or after off starts (UINT64_MAX when
 * none does). */
static uint64_t line_start_from(const struct source *src, uint64_t off, char *buf)
{
	uint64_t pos = off - 1; /* off > 0: a break just before starts a line at off */
	for (;;) {
		const char *data;
		ssize_t n = source_read_at(src, pos, buf, BLOCK_SIZE, &data);
		if (n <= 0)
			return UINT64_MAX;
		const char *nl = memchr(data, '\n', (size_t)n);
		if (nl)
			return pos + (uint64_t)(nl - data) + 1;
		pos += (uint64_t)n;
	}
}

static bool parser_start(struct csv_parser *p)
{
	if (csv_init(p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		return false;
	/* libcsv grows a field's buffer by this much at a time: the default
	 * 128 bytes makes a long field cost quadratic copying */
	csv_set_blk_size(p, 64 * 1024);
	return true;
}

/* A chunk after the first: the header's columns and roles, tables of its
 * own. Its log shares the main log's column and property names. */
static bool chunk_start(struct chunk *c, const struct chunk *first, uint64_t from, uint64_t to)
{
	const struct funnel_log *main_log = first->L.log;
	struct funnel_log *log = xcalloc(1, sizeof *log);
	log->path = main_log->path;
	log->columns = main_log->columns;
	log->ncolumns = main_log->ncolumns;
	log->unit_col = main_log->unit_col;
	log->event_col = main_log->event_col;
	log->time_col = main_log->time_col;
	intern_init(&log->units);
	intern_init(&log->events);
	log->nprops = main_log->nprops;
	log->props = xcalloc(log->nprops ? log->nprops : 1, sizeof *log->props);
	for (size_t i = 0; i < log->nprops; i++) {
		log->props[i].name = main_log->props[i].name;
		log->props[i].col = main_log->props[i].col;
		intern_init(&log->props[i].values);
	}
	loader_init(&c->L, log, first->L.opt, to - from);
	c->L.header_done = true;
	c->L.role = xmalloc(log->ncolumns * sizeof *c->L.role);
	memcpy(c->L.role, first->L.role, log->ncolumns * sizeof *c->L.role);
	c->L.prop = xcalloc(log->nprops ? log->nprops : 1, sizeof *c->L.prop);
	c->L.sp = xcalloc(log->nprops ? log->nprops : 1, sizeof *c->L.sp);
	c->sh = first->sh;
	c->from = to > from ? from : to;
	c->to = to;
	c->buf = first->buf ? xmalloc(BLOCK_SIZE) : NULL;
	return parser_start(&c->p);
}

/* A log's tables of ids, counts and property values; the property names
 * too unless they are shared (a chunk's log shares the main log's). */
static void log_free_tables(struct funnel_log *log, bool own_names)
{
	intern_free(&log->units);
	intern_free(&log->events);
	free(log->event_rows);
	free(log->event_kept);
	free(log->event_line);
	for (size_t i = 0; i < log->nprops; i++) {
		if (own_names)
			free(log->props[i].name);
		intern_free(&log->props[i].values);
		free(log->props[i].value);
	}
	free(log->props);
}

/* Frees a chunk after the first: its log's own tables, not the names it
 * shares. */
static void chunk_free(struct chunk *c)
{
	struct funnel_log *log = c->L.log;
	csv_free(&c->p);
	loader_free(&c->L);
	free(c->buf);
	c->buf = NULL;
	if (!log)
		return;
	log_free_tables(log, false);
	free(log);
}

/* Whether c's parser, having read to off, is between two rows there. */
static bool between_rows_at(const struct chunk *c, uint64_t off)
{
	return !c->L.failed && c->reached == off && c->p.pstate == CSV_BETWEEN_ROWS &&
	       c->p.entry_pos == 0 && c->L.nfields == 0;
}

/* A part's strings filed in the log's table, in the part's first-seen
 * order (and so the file's): the part's id to the log's. Hashed and
 * prefetched a batch ahead, as intern_rehash does. */
static uint32_t *intern_all(struct intern *to, const struct intern *from)
{
	uint32_t *map = xmalloc((from->count ? from->count : 1) * sizeof *map);
	enum { BATCH = 16 };
	uint32_t hash[BATCH];
	for (uint32_t first = 0; first < from->count; first += BATCH) {
		uint32_t n = from->count - first < BATCH ? from->count - first : BATCH;
		for (uint32_t k = 0; k < n; k++) {
			hash[k] = intern_hash(intern_str(from, first + k), intern_len(from, first + k));
			intern_prefetch(to, hash[k]);
		}
		for (uint32_t k = 0; k < n; k++) {
			bool added;
			map[first + k] = intern_get_hashed(to, intern_str(from, first + k),
							   intern_len(from, first + k), hash[k], &added);
		}
	}
	return map;
}

/* A part's units as the log's. The log's slots are gone by now (their
 * block waits for the index), and growing them would cost the memory
 * of a second table: each of the log's units is looked up in the part's
 * table instead, and the part's units not found there are filed as new,
 * in the part's first-seen order. */
static uint32_t *join_units(struct intern *to, const struct intern *from)
{
	uint32_t *map = xmalloc((from->count ? from->count : 1) * sizeof *map);
	memset(map, 0xff, from->count * sizeof *map);
	enum { BATCH = 16 };
	uint32_t hash[BATCH];
	for (uint32_t first = 0; from->nslots && first < to->count; first += BATCH) {
		uint32_t n = to->count - first < BATCH ? to->count - first : BATCH;
		for (uint32_t k = 0; k < n; k++) {
			hash[k] = intern_hash(intern_str(to, first + k), intern_len(to, first + k));
			intern_prefetch(from, hash[k]);
		}
		for (uint32_t k = 0; k < n; k++) {
			uint32_t id1 = from->slots[intern_probe(from, intern_str(to, first + k),
							       intern_len(to, first + k), hash[k])]
					   .id1;
			if (id1)
				map[id1 - 1] = first + k;
		}
	}
	for (uint32_t id = 0; id < from->count; id++)
		if (map[id] == UINT32_MAX)
			map[id] = intern_add(to, intern_str(from, id), intern_len(from, id));
	return map;
}

static void remap(uint32_t *v, size_t n, const uint32_t *map)
{
	for (size_t i = 0; i < n; i++)
		v[i] = map[v[i]];
}

/* A property with too many values, over the joined parts: not stored. */
static void drop_prop(struct loader *const *parts, size_t nparts, size_t i)
{
	struct prop_column *p = &parts[0]->log->props[i];
	p->dropped = true;
	intern_free(&p->values);
	memset(&p->cache, 0, sizeof p->cache);
	for (size_t k = 0; k < nparts; k++) {
		free(parts[k]->sp[i]);
		parts[k]->sp[i] = NULL;
	}
}

/* Joins part k (after parts 0..k-1, already joined into part 0's log):
 * its counts and examples, its ids turned into the log's. */
static void join_part(struct loader *const *parts, size_t nparts, size_t k, long line_offset)
{
	struct loader *C = parts[k];
	struct funnel_log *log = parts[0]->log, *part = C->log;
	struct funnel_load_stats *st = &log->stats;
	const struct funnel_load_stats *ps = &part->stats;
	if (ps->valid) {
		if (!st->valid || ps->first_ms < st->first_ms)
			st->first_ms = ps->first_ms;
		if (!st->valid || ps->last_ms > st->last_ms)
			st->last_ms = ps->last_ms;
	}
	st->rows += ps->rows;
	st->valid += ps->valid;
	st->skipped += ps->skipped;
	for (int r = 0; r < FUNNEL_SKIP_REASONS; r++)
		st->skipped_by[r] += ps->skipped_by[r];
	for (size_t j = 0; j < ps->examples && st->examples < FUNNEL_SKIP_EXAMPLES; j++) {
		struct funnel_skip_example *ex = &st->example[st->examples++];
		*ex = ps->example[j];
		ex->line += line_offset;
		if (C->ragged[j].last)
			ragged_reason(ex->reason, sizeof ex->reason, C->ragged[j].nfields, log->ncolumns,
				      C->ragged[j].last + line_offset);
	}

	uint32_t before = log->events.count;
	uint32_t *codes = intern_all(&log->events, &part->events);
	if (log->events.count > before) {
		log->event_rows = xrealloc(log->event_rows, log->events.cap * sizeof *log->event_rows);
		log->event_kept = xrealloc(log->event_kept, log->events.cap * sizeof *log->event_kept);
		log->event_line = xrealloc(log->event_line, log->events.cap * sizeof *log->event_line);
	}
	for (uint32_t c = 0; c < part->events.count; c++) {
		uint32_t g = codes[c];
		if (g >= before) {
			log->event_rows[g] = 0;
			log->event_line[g] = part->event_line[c] + line_offset;
			log->event_kept[g] = part->event_kept[c];
		}
		log->event_rows[g] += part->event_rows[c];
	}
	remap(C->sc, C->n, codes);
	free(codes);

	uint32_t *units = join_units(&log->units, &part->units);
	intern_free(&part->units);
	remap(C->su, C->n, units);
	free(units);

	for (size_t i = 0; i < log->nprops; i++) {
		struct prop_column *p = &log->props[i], *q = &part->props[i];
		if (p->dropped)
			continue;
		if (q->dropped) {
			drop_prop(parts, nparts, i);
			continue;
		}
		uint32_t *values = intern_all(&p->values, &q->values);
		intern_free(&q->values);
		if (p->values.count > FUNNEL_MAX_PROP_VALUES)
			drop_prop(parts, nparts, i);
		else
			remap(C->sp[i], C->n, values);
		free(values);
	}
}

/* Starts a thread per chunk after the first, the chunks cut at line
 * starts after the header (which the first chunk has read up to body).
 * Returns the number of chunks; the first one's end is set. */
static size_t start_chunks(struct chunk *chunks, uint64_t body)
{
	struct chunk *first = &chunks[0];
	const struct source *src = first->sh->src;
	uint64_t total = src->data ? src->len : src->total;
	size_t want = total > body ? chunk_count(total - body) : 1;
	uint64_t start[MAX_THREADS + 1];
	size_t n = 1;
	start[0] = body;
	char *probe = first->buf ? xmalloc(BLOCK_SIZE) : NULL;
	for (size_t i = 1; i < want; i++) {
		uint64_t s = line_start_from(src, body + (total - body) * i / want, probe);
		if (s > start[n - 1] && s < total)
			start[n++] = s;
	}
	free(probe);
	start[n] = total;
	first->to = start[1];
	for (size_t i = 1; i < n; i++) {
		struct chunk *c = &chunks[i];
		if (!chunk_start(c, first, start[i], start[i + 1]))
			continue; /* the chunk before parses it */
		atomic_fetch_add(&first->sh->running, 1);
		if (pthread_create(&c->thread, NULL, chunk_thread, c) != 0) {
			atomic_fetch_sub(&first->sh->running, 1);
			c->thread = 0;
		}
	}
	return n;
}

/* Waits for the chunks' threads, telling the progress function meanwhile. */
static void wait_chunks(struct chunk *chunks, size_t n)
{
	struct shared *sh = chunks[0].sh;
	while (atomic_load(&sh->running)) {
		struct timespec pause = {0, 20 * 1000 * 1000};
		nanosleep(&pause, NULL);
		if (sh->opt->progress &&
		    !sh->opt->progress(sh->opt->progress_ctx, atomic_load(&sh->bytes), sh->src->total,
				       atomic_load(&sh->rows)))
			atomic_store(&sh->cancel, true);
	}
	for (size_t i = 1; i < n; i++)
		if (chunks[i].ran)
			pthread_join(chunks[i].thread, NULL);
}

/* Reads the source into chunks (one unless it can be read at any
 * offset), checks each chunk's start and lines them up: kept[] gets the
 * chunks kept, in file order. Returns the last of them, which read the
 * end, or stopped at the first failure. */
static struct chunk *read_chunks(struct chunk *chunks, size_t *nchunks, struct chunk **kept,
				 size_t *nkept)
{
	struct chunk *first = &chunks[0];
	struct loader *L = &first->L;
	const struct source *src = first->sh->src;
	*nchunks = 1;
	*nkept = 1;
	kept[0] = first;
	const char *data;
	ssize_t n = source_read_at(src, 0, first->buf, BLOCK_SIZE, &data);
	if (n < 0) {
		fail(L, 0, "cannot read: %s", strerror(errno));
		return first;
	}
	const char *wide = text_wide_encoding(data, (size_t)n);
	if (wide) {
		char reason[128];
		text_wide_reason(wide, reason, sizeof reason);
		fail(L, 0, "%s", reason);
		return first;
	}
	size_t bom = n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (!src->data && !src->seekable) {
		/* a pipe: what was read is parsed, and the rest as it comes */
		if (feed_block(first, data + bom, (size_t)n - bom) &&
		    !chunk_progress(first, (size_t)n, true))
			fail(L, 0, "loading cancelled");
		parse_range(first, (uint64_t)n, n ? UINT64_MAX : 0, true);
		return first;
	}
	uint64_t total = src->data ? src->len : src->total;
	first->stop_after_header = true;
	parse_range(first, bom, total, true);
	first->stop_after_header = false;
	first->to = total;
	if (!L->failed && L->header_done)
		*nchunks = start_chunks(chunks, first->reached);
	parse_range(first, first->reached, first->to, true);
	wait_chunks(chunks, *nchunks);

	struct chunk *owner = first;
	for (size_t i = 1; i < *nchunks; i++) {
		struct chunk *c = &chunks[i];
		if (owner->L.failed)
			break;
		if (c->ran && between_rows_at(owner, c->from)) {
			c->line_offset = owner->line_offset + owner->L.line - 1;
			owner = c;
			kept[(*nkept)++] = c;
		} else {
			/* cut inside a row (or never parsed): read again after the
			 * chunk before */
			chunk_free(c);
			parse_range(owner, c->from, c->to, true);
		}
	}
	return owner;
}

/* The staging columns and string arenas grow by doubling. glibc serves
 * a block from its heap once it has freed a bigger mapped one (its
 * threshold follows the frees), and growing such a block copies it, with
 * the old and new copies held at once; a fixed threshold keeps every big
 * block mapped, and a mapped block grows in place (mremap). */
static void keep_big_blocks_mapped(void)
{
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

static int run_loader(const char *name, struct source *src, const struct funnel_load_options *opt,
		      struct funnel_log **out, char *err, size_t errlen)
{
	static const struct funnel_load_options defaults = {0};
	static pthread_once_t malloc_tuned = PTHREAD_ONCE_INIT;
	pthread_once(&malloc_tuned, keep_big_blocks_mapped);
	if (!opt)
		opt = &defaults;
	double t0 = now_seconds();
	struct funnel_log *log = xcalloc(1, sizeof *log);
	log->path = xstrdup(name);
	log->all_events = opt->all_events || !opt->steps;
	log->unit_col = log->event_col = log->time_col = -1;
	intern_init(&log->units);
	intern_init(&log->events);
	struct shared sh = {.src = src, .opt = opt};
	struct chunk *chunks = xcalloc(MAX_THREADS, sizeof *chunks);
	struct chunk *first = &chunks[0];
	first->sh = &sh;
	loader_init(&first->L, log, opt, src->total);
	if (!parser_start(&first->p)) {
		format_error(err, errlen, "%s: cannot start the CSV parser", name);
		loader_free(&first->L);
		free(chunks);
		funnel_log_free(log);
		return -1;
	}
	first->buf = src->data ? NULL : xmalloc(BLOCK_SIZE);
	size_t nchunks, nkept;
	struct chunk *kept[MAX_THREADS];
	struct chunk *last = read_chunks(chunks, &nchunks, kept, &nkept);
	struct loader *L = &last->L, *parts[MAX_THREADS];
	if (!L->failed && last->p.quoted)
		fail(L, L->row_line,
		     "a quote opens a field here and is never closed (it runs to the end of the "
		     "file)");
	if (!L->failed) {
		csv_fini(&last->p, on_field, on_record, L);
		flush_units(L);
	}
	if (!L->failed && !first->L.header_done)
		fail(L, 0, "empty file: an event log needs a header row (user_id,event,timestamp,...)");
	bool failed = L->failed;
	if (failed)
		report_failure(L, name, last->line_offset, err, errlen);
	for (size_t k = 0; k < nkept; k++)
		parts[k] = &kept[k]->L;
	/* Every unit of the first part is numbered: the table that found
	 * them is done with, and its memory goes to the index (a unit is
	 * still found by id). */
	size_t spare_size;
	void *spare = intern_take_slots(&log->units, &spare_size);
	for (size_t k = 1; k < nkept && !failed; k++)
		join_part(parts, nkept, k, kept[k]->line_offset);
	uint64_t bytes = last->reached;
	bool open_line = bytes && L->last_byte != '\n' && L->last_byte != '\r';
	log->stats.bytes = bytes;
	log->stats.lines = last->line_offset + L->line - 1 + (open_line ? 1 : 0);
	csv_free(&first->p);
	free(first->buf);
	if (!failed)
		build_index(parts, nkept, spare, spare_size);
	else
		free(spare);
	for (size_t i = 1; i < nchunks; i++)
		chunk_free(&chunks[i]);
	loader_free(&first->L);
	free(chunks);
	if (failed) {
		funnel_log_free(log);
		return -1;
	}
	log->stats.seconds = now_seconds() - t0;
	if (opt->progress)
		opt->progress(opt->progress_ctx, bytes, src->total ? src->total : bytes, log->stats.rows);
	*out = log;
	return 0;
}

int funnel_log_parse(const char *name, const char *data, size_t len,
		     const struct funnel_load_options *opt, struct funnel_log **out, char *err,
		     size_t errlen)
{
	struct source src = {.fd = -1, .data = data ? data : "", .len = data ? len : 0,
			     .total = len};
	return run_loader(name, &src, opt, out, err, errlen);
}

int funnel_log_load(const char *path, const struct funnel_load_options *opt,
		    struct funnel_log **out, char *err, size_t errlen)
{
	bool is_stdin = !strcmp(path, "-");
	struct stat sb;
	char why[256];
	/* A named file must be a regular one; standard input may be a pipe. */
	int fd = is_stdin ? STDIN_FILENO : file_open_read(path, &sb, why, sizeof why);
	if (fd < 0)
		return format_error(err, errlen, "%s: %s", path, why);
	if (is_stdin && (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)))
		return format_error(err, errlen, "(standard input): %s",
				    S_ISDIR(sb.st_mode) ? "is a folder, not a CSV file"
							: strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	/* a regular file is read at offsets: standard input redirected from
	 * a file only when it is at its start */
	bool regular = S_ISREG(sb.st_mode) && (!is_stdin || lseek(fd, 0, SEEK_CUR) == 0);
	struct source src = {.fd = fd, .seekable = regular,
			     .total = regular ? (uint64_t)sb.st_size : 0};
	int rc = run_loader(is_stdin ? "(standard input)" : path, &src, opt, out, err, errlen);
	if (!is_stdin)
		close(fd);
	return rc;
}

void funnel_log_free(struct funnel_log *log)
{
	if (!log)
		return;
	free(log->path);
	for (size_t i = 0; i < log->ncolumns; i++)
		free(log->columns[i]);
	free(log->columns);
	log_free_tables(log, true);
	free(log->unit_start);
	free(log->time);
	free(log->code);
	free(log);
}
