/* The app's notion of "now". Tests inject a clock with AIPM_NOW (Unix
 * seconds or an ISO 8601 date/time, UTC) so that "due tomorrow" can be
 * checked without waiting. */
#ifndef AIPM_CLOCK_H
#define AIPM_CLOCK_H

#include <stdint.h>

/* The latest time AIPM_NOW may set: the end of the year 9999. */
#define CLOCK_MAX 253402300799LL

int64_t clock_now(void);
/* Start of the UTC day containing t, and of the next one. */
int64_t clock_day_start(int64_t t);
int64_t clock_day_end(int64_t t);
/* Seconds on a clock that only moves forward (CLOCK_MONOTONIC), for
 * measuring how long work takes; AIPM_NOW does not touch it. */
double clock_monotonic(void);
/* "2026-11-20 14:03" in UTC into buf; for a time gmtime cannot show (a
 * year past what an int holds) or a buffer too small, "(no such date)"
 * (cut to fit) and -1. */
int clock_format(int64_t t, char *buf, unsigned size);

#endif
