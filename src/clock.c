#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t parse_injected(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end == '\0')
		return errno || v > CLOCK_MAX ? -1 : v;
	struct tm tm = {0};
	const char *rest = strptime(s, "%Y-%m-%d", &tm);
	if (!rest)
		return -1;
	if (*rest == 'T' || *rest == ' ')
		rest = strptime(rest + 1, "%H:%M:%S", &tm);
	if (rest && *rest == 'Z') /* UTC, as the times are read anyway */
		rest++;
	if (!rest || *rest)
		return -1;
	time_t t = timegm(&tm);
	return t == (time_t)-1 || t > CLOCK_MAX ? -1 : (int64_t)t;
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
	int64_t into_day = (t % 86400 + 86400) % 86400;
	/* the day of the earliest times starts before INT64_MIN */
	return t < INT64_MIN + into_day ? INT64_MIN : t - into_day;
}

int64_t clock_day_end(int64_t t)
{
	return clock_day_start(t) + 86400;
}

int clock_format(int64_t t, char *buf, unsigned size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (size == 0)
		return -1;
	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0) {
		snprintf(buf, size, "(no such date)");
		return -1;
	}
	return 0;
}

double clock_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
