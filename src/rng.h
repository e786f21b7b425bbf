/* A small seeded random generator (splitmix64) for the model lab: subsets,
 * splits and SGD shuffles must give the same result for the same seed on
 * every machine, which rand() does not promise. */
#ifndef AIPM_RNG_H
#define AIPM_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t state;
};

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	r->state = seed;
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound) without modulo bias (Lemire's method). */
static inline size_t rng_below(struct rng *r, size_t bound)
{
	uint64_t x = rng_next(r);
	__uint128_t m = (__uint128_t)x * bound;
	uint64_t low = (uint64_t)m;
	if (low < bound) {
		uint64_t threshold = -(uint64_t)bound % bound;
		while (low < threshold) {
			x = rng_next(r);
			m = (__uint128_t)x * bound;
			low = (uint64_t)m;
		}
	}
	return (size_t)(m >> 64);
}

/* Fisher-Yates shuffle of n indices. */
static inline void rng_shuffle(struct rng *r, size_t *items, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_below(r, i);
		size_t t = items[i - 1];
		items[i - 1] = items[j];
		items[j] = t;
	}
}

#endif
