#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t parse_injected(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end == '\0')
		return v;
	struct tm tm = {0};
	const char *rest = strptime(s, "%Y-%m-%d", &tm);
	if (!rest)
		return -1;
	if (*rest == 'T' || *rest == ' ')
		rest = strptime(rest + 1, "%H:%M:%S", &tm);
	if (!rest)
		return -1;
	return (int64_t)timegm(&tm);
}

int64_t clock_now(void)
{
	const char *injected = getenv("AIPM_NOW");
	if (injected && *injected) {
		int64_t t = parse_injected(injected);
		if (t >= 0)
			return t;
	}
	return (int64_t)time(NULL);
}

int64_t clock_day_start(int64_t t)
{
	return t - (t % 86400 + 86400) % 86400;
}

int64_t clock_day_end(int64_t t)
{
	return clock_day_start(t) + 86400;
}

void clock_format(int64_t t, char *buf, unsigned size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

double clock_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
