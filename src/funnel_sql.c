/* The funnel of a query as SQL for the user's warehouse: ClickHouse's
 * windowFunnel, or PostgreSQL with window functions (per event, the first
 * event of each later step from it on) and one join per step. Both read
 * a table with the log's own columns (text timestamps are parsed in the
 * query), apply the same filters and date range, and count units per step
 * (per first-touch value with a breakdown). Where the engines' semantics
 * differ from aipm's, a comment at the top of the query says how. */
#include "funnel_internal.h"

#include "sanitize.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int funnel_sql_dialect_parse(const char *s, enum funnel_sql_dialect *d)
{
	if (!strcmp(s, "clickhouse"))
		*d = FUNNEL_SQL_CLICKHOUSE;
	else if (!strcmp(s, "postgres") || !strcmp(s, "postgresql"))
		*d = FUNNEL_SQL_POSTGRES;
	else if (!strcmp(s, "duckdb"))
		*d = FUNNEL_SQL_DUCKDB;
	else
		return -1;
	return 0;
}

int funnel_time_type_parse(const char *s, enum funnel_time_type *t)
{
	if (!strcmp(s, "text"))
		*t = FUNNEL_TIME_TEXT;
	else if (!strcmp(s, "timestamp"))
		*t = FUNNEL_TIME_TIMESTAMP;
	else
		return -1;
	return 0;
}

char *funnel_sql_table_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strcspn(base, ".");
	struct strbuf sb;
	sb_init(&sb);
	if (!len || (base[0] >= '0' && base[0] <= '9'))
		sb_puts(&sb, "t_");
	for (size_t i = 0; i < len; i++) {
		char c = base[i];
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		sb_putc(&sb, word ? c : '_');
	}
	if (!len)
		sb_puts(&sb, "events");
	return sb_steal(&sb);
}

/* An identifier in double quotes (both dialects accept them); false when
 * the name holds a quote or a control character. */
static bool put_ident(struct strbuf *sb, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\' || *p == '`' || *p == 0x7f)
			return false;
	sb_printf(sb, "\"%s\"", name);
	return true;
}

/* A string literal: '' for a quote in both; ClickHouse also treats the
 * backslash as an escape. */
static void put_literal(struct strbuf *sb, enum funnel_sql_dialect d, const char *s)
{
	sb_putc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_puts(sb, "''");
		else if (*s == '\\' && d == FUNNEL_SQL_CLICKHOUSE)
			sb_puts(sb, "\\\\");
		else
			sb_putc(sb, *s);
	}
	sb_putc(sb, '\'');
}

struct sql_ctx {
	enum funnel_sql_dialect d;
	enum funnel_time_type tt;
	const struct funnel_log *log;
	const struct funnel_query *q;
	struct strbuf *sb;
	bool ok;
	char *bad; /* the name that could not be quoted */
};

static void ident(struct sql_ctx *c, const char *name)
{
	if (!put_ident(c->sb, name) && c->ok) {
		c->ok = false;
		c->bad = xstrdup(name);
	}
}

/* The condition for step k on an event column expression. */
static void step_condition(struct sql_ctx *c, size_t k, const char *event_expr)
{
	const struct funnel_step *s = &c->q->steps->step[k];
	if (!s->re) {
		sb_printf(c->sb, "%s = ", event_expr);
		put_literal(c->sb, c->d, s->name);
		return;
	}
	/* aipm's patterns are case-insensitive searches */
	if (c->d == FUNNEL_SQL_CLICKHOUSE) {
		sb_printf(c->sb, "match(%s, ", event_expr);
		/* the group keeps older ClickHouse (18.16) from taking a literal
		 * pattern for a case-sensitive substring search */
		char *re = xasprintf("(?i)(?:%s)", s->name);
		put_literal(c->sb, c->d, re);
		free(re);
		sb_putc(c->sb, ')');
	} else if (c->d == FUNNEL_SQL_DUCKDB) {
		sb_printf(c->sb, "regexp_matches(%s, ", event_expr);
		put_literal(c->sb, c->d, s->name);
		sb_puts(c->sb, ", 'i')");
	} else {
		sb_printf(c->sb, "%s ~* ", event_expr);
		put_literal(c->sb, c->d, s->name);
	}
}

static bool has_from(const struct funnel_query *q)
{
	return q->from_ms != INT64_MIN;
}

static bool has_to(const struct funnel_query *q)
{
	return q->to_ms != INT64_MAX;
}

/* A time bound: ms since the epoch, as both queries compare times, and
 * in PostgreSQL the time in words beside it. */
static void time_literal(struct sql_ctx *c, int64_t ms)
{
	sb_printf(c->sb, "%lld", (long long)ms);
	if (c->d == FUNNEL_SQL_POSTGRES) {
		char when[32];
		funnel_format_time(ms, when, sizeof when);
		sb_printf(c->sb, " /* %s.%03d UTC */", when, (int)(((ms % 1000) + 1000) % 1000));
	}
}

/* The filters as "AND col IN (...)" lines, one per column. */
static void filter_lines(struct sql_ctx *c, const char *indent)
{
	const struct funnel_query *q = c->q;
	for (size_t i = 0; i < q->nfilters; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(q->filters[j].column, q->filters[i].column);
		if (seen)
			continue;
		sb_printf(c->sb, "%sAND ", indent);
		ident(c, q->filters[i].column);
		sb_puts(c->sb, " IN (");
		bool first = true;
		for (size_t j = i; j < q->nfilters; j++) {
			if (strcmp(q->filters[j].column, q->filters[i].column))
				continue;
			sb_puts(c->sb, first ? "" : ", ");
			put_literal(c->sb, c->d, q->filters[j].value);
			first = false;
		}
		sb_puts(c->sb, ")\n");
	}
}

/* "-- ..." lines stating the funnel and where the engine differs. */
static void header_comment(struct sql_ctx *c, const char *table)
{
	const struct funnel_query *q = c->q;
	char window[32];
	funnel_format_window(q->window_ms, window, sizeof window);
	sb_printf(c->sb, "-- aipm funnel over table %s: order %s, window %s, steps:", table,
		  funnel_order_name(q->order), window);
	for (size_t k = 0; k < q->steps->count; k++) {
		char *clean = sanitize_dup(q->steps->step[k].text, SANITIZE_LINE);
		sb_printf(c->sb, "%s %s", k ? " ->" : "", clean);
		free(clean);
	}
	sb_puts(c->sb, "\n-- Counts units per step as aipm does: the furthest step each unit reaches"
		       "\n-- from any of its step-1 events");
	if (has_from(q) || has_to(q))
		sb_puts(c->sb, " inside the date range (later steps may fall\n-- after it)");
	sb_puts(c->sb, ", within the window from its step-1 event.\n");
	bool typed = c->tt == FUNNEL_TIME_TIMESTAMP;
	if (typed)
		sb_puts(c->sb, "-- The time column is the engine's time type (DateTime, timestamptz,\n"
			       "-- TIMESTAMP), compared in ms since the epoch; 1970-01-01 00:00 is skipped\n"
			       "-- as aipm skips it (a missing time's placeholder).\n");
	if (c->d == FUNNEL_SQL_DUCKDB) {
		sb_puts(c->sb, "-- Ties in time follow rowid: the file order for a table created from\n"
			       "-- read_csv. Tested with DuckDB 1.x.\n");
		if (q->order == FUNNEL_ANY)
			sb_puts(c->sb, "-- Any order: one event may stand for two steps when their conditions\n"
				       "-- overlap (aipm needs a different event for each).\n");
	} else if (c->d == FUNNEL_SQL_CLICKHOUSE) {
		if (!typed)
			sb_puts(c->sb, "-- Times are read from the column's text as aipm reads them (ISO 8601 or\n"
				       "-- Unix seconds or ms; others are skipped) into ms since the epoch.\n");
		sb_puts(c->sb, "-- Needs ClickHouse 21.8 or later (windowFunnel over UInt64 ms, and\n"
			       "-- 'strict_order'); 18.16 takes the window in seconds over\n"
			       "-- toUInt32(intDiv(aipm_t, 1000)) and has no modes.\n"
			       "-- Differences: ClickHouse puts events with the same timestamp in step order\n"
			       "-- (aipm: file order), one row matching two steps may count for both, and\n"
			       "-- times before 1970 are skipped.\n");
		if (q->order == FUNNEL_STRICT)
			sb_puts(c->sb, "-- strict_order stops at the first other event after a unit's first\n"
				       "-- step-1 event; aipm tries every step-1 event, so ClickHouse can count\n"
				       "-- fewer units at later steps.\n");
	} else {
		sb_puts(c->sb, "-- Ties in time follow the table's physical order (ctid): the file order\n"
			       "-- for a table loaded with COPY.\n");
		if (!typed)
			sb_puts(c->sb, "-- Times are read from the column's text as aipm reads them (ISO 8601 or\n"
				       "-- Unix seconds or ms; others are skipped) and compared in ms since\n"
				       "-- the epoch.\n");
		sb_puts(c->sb, typed ? "-- Needs PostgreSQL 11 or later (RANGE frames with an offset); tested\n"
				       "-- with 15.\n"
				     : "-- Needs PostgreSQL 11 or later (regexp_match, RANGE frames with an\n"
				       "-- offset); tested with 15.\n");
		if (q->order == FUNNEL_ANY)
			sb_puts(c->sb, "-- Any order: one event may stand for two steps when their conditions\n"
				       "-- overlap (aipm needs a different event for each).\n");
	}
	if (q->trend != FUNNEL_NO_TREND)
		sb_puts(c->sb, "-- The trend is not part of this query: run it with --from/--to per period.\n");
}

/* ---- times, read as aipm's loader reads them ------------------------- */

/* The parts of an ISO 8601 time in the grammar funnel_parse_time accepts,
 * in the order of their groups. */
enum iso_part {
	ISO_YEAR, ISO_MONTH, ISO_DAY, ISO_HOUR, ISO_MINUTE, ISO_SECOND, ISO_FRACTION,
	ISO_SIGN, ISO_OFFSET_HOURS, ISO_OFFSET_MINUTES, ISO_PARTS,
	ISO_NONE = ISO_PARTS /* no group captures */
};

/* The whole grammar as one anchored regular expression, as PostgreSQL
 * and ClickHouse (RE2) both read it: every part a capturing group when all
 * is set, else only the part capture (ClickHouse's extract returns the
 * first group). */
static void iso_regex(struct strbuf *sb, bool all, enum iso_part capture)
{
	static const char *const part[ISO_PARTS] = {
	    "[0-9]{4}", "[0-9]{2}", "[0-9]{2}", "[0-9]{2}", "[0-9]{2}",
	    "[0-9]{2}", "[0-9]+",   "[+-]",     "[0-9]{2}", "[0-9]{2}",
	};
	static const char *const before[ISO_PARTS] = {
	    "^", "-", "-", "(?:[Tt ]", ":", "(?::", "(?:[.,]",
	    ")?)?)? ?(?:[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|", "", ":?",
	};
	for (int i = 0; i < ISO_PARTS; i++) {
		bool capturing = all || (int)capture == i;
		sb_printf(sb, "%s%s%s)", before[i], capturing ? "(" : "(?:", part[i]);
	}
	sb_puts(sb, "?)?$");
}

/* Unix seconds or ms: sign, whole, fraction. */
#define UNIX_TIME_REGEX "^([+-]?)([0-9]{1,15})(?:\\.([0-9]+))?$"

/* A column: before, the grammar's regex with part p captured (ISO_NONE:
 * none), after. */
static void ch_regex_column(struct sql_ctx *c, enum iso_part p, const char *before,
			    const char *after)
{
	struct strbuf re;
	sb_init(&re);
	iso_regex(&re, false, p);
	sb_printf(c->sb, "            %s", before);
	put_literal(c->sb, c->d, re.data);
	sb_puts(c->sb, after);
	sb_free(&re);
}

/* The inner select's time columns: the text (aipm_s) read by the grammar
 * aipm's loader accepts (the same as PostgreSQL's regex), whether it
 * parses (aipm_time_ok), the ms since the epoch as the loader computes
 * them (ts_ms) and as windowFunnel takes them (aipm_t). Every branch of
 * an if is computed for every row, so nothing here may fail on bad text:
 * the parts are OrZero and checked before use. */
static void ch_time_columns(struct sql_ctx *c, const char *tcol)
{
	struct strbuf *sb = c->sb;
	sb_puts(sb, "            replaceRegexpAll(toString(");
	ident(c, tcol);
	sb_puts(sb, "), '^[ \\t]+|[ \\t]+$', '') AS aipm_s,\n");
	ch_regex_column(c, ISO_NONE, "match(aipm_s, ", ") AS aipm_iso,\n");
	static const char *const names[ISO_PARTS] = {
	    [ISO_YEAR] = "aipm_y",         [ISO_MONTH] = "aipm_mo",  [ISO_DAY] = "aipm_d",
	    [ISO_HOUR] = "aipm_h",         [ISO_MINUTE] = "aipm_mi", [ISO_SECOND] = "aipm_sec",
	    [ISO_OFFSET_HOURS] = "aipm_oh", [ISO_OFFSET_MINUTES] = "aipm_om",
	};
	for (int p = 0; p < ISO_PARTS; p++) {
		if (!names[p])
			continue;
		char *after = xasprintf(")) AS %s,\n", names[p]);
		ch_regex_column(c, (enum iso_part)p, "toInt64OrZero(extract(aipm_s, ", after);
		free(after);
	}
	/* the fraction's first 3 digits are the ms; the sign a string */
	ch_regex_column(c, ISO_FRACTION, "toInt64OrZero(substring(concat(extract(aipm_s, ",
			"), '000'), 1, 3)) AS aipm_frac,\n");
	ch_regex_column(c, ISO_SIGN, "extract(aipm_s, ", ") AS aipm_sign,\n");
	sb_puts(sb,
		"            (aipm_y % 4 = 0 AND aipm_y % 100 != 0) OR aipm_y % 400 = 0 AS aipm_leap,\n"
		"            multiIf(aipm_mo = 2, 28 + aipm_leap, aipm_mo IN (4, 6, 9, 11), 30, 31) AS aipm_dim,\n"
		"            aipm_iso AND aipm_y >= 1 AND aipm_mo >= 1 AND aipm_mo <= 12 AND aipm_d >= 1\n"
		"                AND aipm_d <= aipm_dim AND aipm_h <= 23 AND aipm_mi <= 59 AND aipm_sec <= 60\n"
		"                AND aipm_oh <= 23 AND aipm_om <= 59 AS aipm_iso_ok,\n"
		"            -- days since 1970-01-01 (H. Hinnant's days_from_civil)\n"
		"            aipm_y - (aipm_mo <= 2) AS aipm_ya,\n"
		"            aipm_ya - intDiv(aipm_ya, 400) * 400 AS aipm_yoe,\n"
		"            intDiv(aipm_ya, 400) * 146097 + aipm_yoe * 365 + intDiv(aipm_yoe, 4)\n"
		"                - intDiv(aipm_yoe, 100) + intDiv(153 * ((aipm_mo + 9) % 12) + 2, 5)\n"
		"                + aipm_d - 1 - 719468 AS aipm_days,\n"
		"            (((aipm_days * 24 + aipm_h) * 60 + aipm_mi) * 60 + aipm_sec\n"
		"                - multiIf(aipm_sign = '-', -1, aipm_sign = '+', 1, 0) * (aipm_oh * 3600 + aipm_om * 60))\n"
		"                * 1000 + aipm_frac AS aipm_iso_ms,\n"
		"            -- Unix seconds, or ms from 1e11 up (1e11 seconds would be the year 5138)\n");
	sb_puts(sb, "            match(aipm_s, ");
	put_literal(sb, c->d, UNIX_TIME_REGEX);
	sb_puts(sb, ") AS aipm_unix,\n"
		    "            toInt64OrZero(extract(aipm_s, ");
	put_literal(sb, c->d, "^[+-]?([0-9]{1,15})(?:\\.[0-9]+)?$");
	sb_puts(sb, ")) AS aipm_whole,\n"
		    "            toInt64OrZero(substring(concat(extract(aipm_s, ");
	put_literal(sb, c->d, "^[+-]?[0-9]{1,15}\\.([0-9]+)$");
	sb_puts(sb, "), '000'), 1, 3)) AS aipm_unix_frac,\n"
		    "            if(substring(aipm_s, 1, 1) = '-', -1, 1) * if(aipm_whole >= 100000000000, aipm_whole,\n"
		    "                aipm_whole * 1000 + aipm_unix_frac) AS aipm_unix_ms,\n"
		    "            aipm_iso_ok OR aipm_unix AS aipm_time_ok,\n"
		    "            if(aipm_iso_ok, aipm_iso_ms, aipm_unix_ms) AS ts_ms,\n"
		    "            toUInt64(ts_ms) AS aipm_t\n");
}

static char *clickhouse(struct sql_ctx *c, const char *table, char *err, size_t errlen)
{
	const struct funnel_log *log = c->log;
	const struct funnel_query *q = c->q;
	struct strbuf *sb = c->sb;
	if (q->order == FUNNEL_ANY) {
		format_error(err, errlen,
			     "ClickHouse's windowFunnel has no any-order mode; use --emit-sql "
			     "postgres, or --order ordered");
		return NULL;
	}
	size_t K = q->steps->count;
	header_comment(c, table);
	sb_puts(sb, "SELECT\n");
	if (q->by) {
		sb_puts(sb, "    first_touch AS ");
		ident(c, q->by);
		sb_puts(sb, ",\n");
	}
	for (size_t k = 0; k < K; k++) {
		char *label = sanitize_dup(q->steps->step[k].text, SANITIZE_LINE);
		sb_printf(sb, "    countIf(level >= %zu) AS ", k + 1);
		char *name = xasprintf("%zu %s", k + 1, label);
		ident(c, name);
		sb_puts(sb, k + 1 < K ? ",\n" : "\n");
		free(name);
		free(label);
	}
	sb_puts(sb, "FROM\n(\n    SELECT\n        ");
	ident(c, funnel_log_unit_col(log));
	sb_printf(sb, " AS unit,\n        windowFunnel(%lld%s)(aipm_t", (long long)q->window_ms,
		  q->order == FUNNEL_STRICT ? ", 'strict_order'" : "");
	for (size_t k = 0; k < K; k++) {
		sb_puts(sb, ",\n            ");
		if (k == 0 && (has_from(q) || has_to(q)))
			sb_putc(sb, '(');
		step_condition(c, k, "ev");
		if (k == 0 && has_from(q)) {
			sb_puts(sb, " AND ts_ms >= ");
			time_literal(c, q->from_ms);
		}
		if (k == 0 && has_to(q)) {
			sb_puts(sb, " AND ts_ms < ");
			time_literal(c, q->to_ms);
		}
		if (k == 0 && (has_from(q) || has_to(q)))
			sb_putc(sb, ')');
	}
	sb_puts(sb, ") AS level");
	if (q->by) {
		sb_puts(sb, ",\n        argMinIf(toString(");
		ident(c, q->by);
		sb_puts(sb, "), ts_ms, ");
		step_condition(c, 0, "ev");
		if (has_from(q)) {
			sb_puts(sb, " AND ts_ms >= ");
			time_literal(c, q->from_ms);
		}
		if (has_to(q)) {
			sb_puts(sb, " AND ts_ms < ");
			time_literal(c, q->to_ms);
		}
		sb_puts(sb, ") AS first_touch");
	}
	sb_puts(sb, "\n    FROM\n    (\n        SELECT *, toString(");
	ident(c, funnel_log_event_col(log));
	sb_puts(sb, ") AS ev,\n");
	if (c->tt == FUNNEL_TIME_TIMESTAMP) {
		sb_puts(sb, "            toInt64(toUnixTimestamp64Milli(toDateTime64(");
		ident(c, funnel_log_time_col(log));
		sb_puts(sb, ", 3, 'UTC'))) AS ts_ms,\n"
			    "            toUInt64(ts_ms) AS aipm_t,\n"
			    "            1 AS aipm_time_ok\n");
	} else {
		ch_time_columns(c, funnel_log_time_col(log));
	}
	sb_puts(sb, "        FROM ");
	ident(c, table);
	sb_puts(sb, "\n    )\n    WHERE aipm_time_ok AND ts_ms > 0 AND ev != '' AND toString(");
	ident(c, funnel_log_unit_col(log));
	sb_puts(sb, ") != ''\n");
	filter_lines(c, "        ");
	if (has_from(q)) {
		sb_puts(sb, "        AND ts_ms >= ");
		time_literal(c, q->from_ms);
		sb_putc(sb, '\n');
	}
	if (has_to(q)) {
		sb_puts(sb, "        AND ts_ms <= ");
		time_literal(c, q->to_ms + q->window_ms);
		sb_putc(sb, '\n');
	}
	sb_puts(sb, "    GROUP BY unit\n)\nWHERE level >= 1\n");
	if (q->by)
		sb_puts(sb, "GROUP BY first_touch\nORDER BY 2 DESC\n");
	sb_puts(sb, ";\n");
	return sb_steal(sb);
}

/* The rest of raw's FROM: the time's text (aipm_text.s) taken apart by
 * the grammar aipm's loader accepts (funnel_parse_time), then checked
 * and turned into ms since the epoch as the loader does; a row that does
 * not parse gets NULL. CASE evaluates its branches in order, so make_date
 * only sees a month and day already checked. */
static void pg_time_parts(struct strbuf *sb, bool duck)
{
	if (duck) {
		/* DuckDB has no regexp_match: the groups come as a struct (''
		 * for a group not matched), made a list of text or NULL as
		 * PostgreSQL's array, so that the same arithmetic follows */
		sb_puts(sb, "    CROSS JOIN LATERAL (SELECT\n        regexp_extract(aipm_text.s, '");
		iso_regex(sb, true, ISO_NONE);
		sb_puts(sb, "', ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10']) AS dg,\n"
			    "        regexp_extract(aipm_text.s, '" UNIX_TIME_REGEX "', ['n1', 'n2', 'n3']) AS ng,\n"
			    "        regexp_matches(aipm_text.s, '");
		iso_regex(sb, true, ISO_NONE);
		sb_puts(sb, "') AS d_ok,\n        regexp_matches(aipm_text.s, '" UNIX_TIME_REGEX "') AS n_ok\n"
			    "    ) AS aipm_groups\n"
			    "    CROSS JOIN LATERAL (SELECT\n"
			    "        CASE WHEN d_ok THEN [nullif(dg.d1, ''), nullif(dg.d2, ''), nullif(dg.d3, ''),\n"
			    "            nullif(dg.d4, ''), nullif(dg.d5, ''), nullif(dg.d6, ''), nullif(dg.d7, ''),\n"
			    "            nullif(dg.d8, ''), nullif(dg.d9, ''), nullif(dg.d10, '')] END AS d,\n"
			    "        CASE WHEN n_ok THEN [ng.n1, ng.n2, nullif(ng.n3, '')] END AS n\n"
			    "    ) AS aipm_parts\n");
	} else {
		sb_puts(sb, "    CROSS JOIN LATERAL (SELECT\n        regexp_match(aipm_text.s, '");
		iso_regex(sb, true, ISO_NONE);
		sb_puts(sb, "') AS d,\n        regexp_match(aipm_text.s, '" UNIX_TIME_REGEX "') AS n\n"
			    "        OFFSET 0 -- matched once per row, not once per use of d and n\n"
			    "    ) AS aipm_parts\n");
	}
	sb_puts(sb,
		"    CROSS JOIN LATERAL (SELECT CASE\n"
		"        WHEN d IS NOT NULL THEN CASE\n"
		"            WHEN d[1]::int < 1 OR d[2]::int NOT BETWEEN 1 AND 12 OR d[3]::int < 1\n"
		"                OR coalesce(d[4]::int, 0) > 23 OR coalesce(d[5]::int, 0) > 59\n"
		"                OR coalesce(d[6]::int, 0) > 60\n"
		"                OR coalesce(d[9]::int, 0) > 23 OR coalesce(d[10]::int, 0) > 59 THEN NULL\n"
		"            WHEN d[3]::int > (make_date(d[1]::int, d[2]::int, 1) + interval '1 month')::date\n"
		"                - make_date(d[1]::int, d[2]::int, 1) THEN NULL\n"
		"            ELSE (make_date(d[1]::int, d[2]::int, d[3]::int) - DATE '1970-01-01')::bigint * 86400000\n"
		"                + coalesce(d[4]::bigint, 0) * 3600000 + coalesce(d[5]::bigint, 0) * 60000\n"
		"                + coalesce(d[6]::bigint, 0) * 1000 + coalesce(rpad(left(d[7], 3), 3, '0')::bigint, 0)\n"
		"                - CASE d[8] WHEN '-' THEN -1 WHEN '+' THEN 1 ELSE 0 END\n"
		"                  * (coalesce(d[9]::bigint, 0) * 3600000 + coalesce(d[10]::bigint, 0) * 60000)\n"
		"            END\n"
		"        -- Unix seconds, or ms from 1e11 up (1e11 seconds would be the year 5138)\n"
		"        WHEN n IS NOT NULL THEN CASE n[1] WHEN '-' THEN -1 ELSE 1 END\n"
		"            * CASE WHEN n[2]::bigint >= 100000000000 THEN n[2]::bigint\n"
		"                ELSE n[2]::bigint * 1000 + coalesce(rpad(left(n[3], 3), 3, '0')::bigint, 0) END\n"
		"    END AS ms) AS aipm_time");
}

/* raw: the table with each row's position and its time in ms since the
 * epoch, UTC */
static void pg_raw(struct sql_ctx *c, const char *table)
{
	struct strbuf *sb = c->sb;
	const char *tcol = funnel_log_time_col(c->log);
	bool duck = c->d == FUNNEL_SQL_DUCKDB;
	if (c->tt == FUNNEL_TIME_TIMESTAMP) {
		/* the engine's own time: ms since the epoch, UTC */
		sb_printf(sb, "WITH raw AS (\n    SELECT t.*, t.%s AS aipm_row, ", duck ? "rowid" : "ctid");
		if (duck) {
			sb_puts(sb, "epoch_ms(t.");
			ident(c, tcol);
			sb_puts(sb, ")");
		} else {
			sb_puts(sb, "floor(extract(epoch FROM t.");
			ident(c, tcol);
			sb_puts(sb, ") * 1000)::bigint");
		}
		sb_puts(sb, " AS aipm_ms\n    FROM ");
		ident(c, table);
		sb_puts(sb, " AS t");
	} else {
		/* a timestamp or timestamptz column prints as ISO text in UTC
		 * (DuckDB's text mode is for the VARCHAR columns of read_csv) */
		if (!duck)
			sb_puts(sb, "SET TIME ZONE 'UTC';\nSET datestyle = 'ISO, YMD';\n");
		sb_printf(sb, "WITH raw AS (\n    SELECT t.*, t.%s AS aipm_row, aipm_time.ms AS aipm_ms\n    FROM ",
			  duck ? "rowid" : "ctid");
		ident(c, table);
		sb_printf(sb, " AS t\n    CROSS JOIN LATERAL (SELECT %s(", duck ? "trim" : "btrim");
		ident(c, tcol);
		sb_puts(sb, duck ? "::text, ' ' || chr(9)) AS s) AS aipm_text\n"
				 : "::text, E' \\t') AS s) AS aipm_text\n");
		pg_time_parts(sb, duck);
	}
}

/* ev: the rows the funnel can use, numbered in time order per unit */
static void pg_events(struct sql_ctx *c)
{
	const struct funnel_log *log = c->log;
	const struct funnel_query *q = c->q;
	struct strbuf *sb = c->sb;
	sb_puts(sb, "\n),\nev AS (\n    SELECT ");
	ident(c, funnel_log_unit_col(log));
	sb_puts(sb, "::text AS unit, ");
	ident(c, funnel_log_event_col(log));
	sb_puts(sb, "::text AS ev, aipm_ms AS ts");
	if (q->by) {
		sb_puts(sb, ", ");
		ident(c, q->by);
		sb_puts(sb, "::text AS first_touch_value");
	}
	sb_puts(sb, ",\n        row_number() OVER (PARTITION BY ");
	ident(c, funnel_log_unit_col(log));
	sb_puts(sb, " ORDER BY aipm_ms, aipm_row) AS seq\n    FROM raw\n"
		    "    WHERE aipm_ms IS NOT NULL AND aipm_ms <> 0\n        AND ");
	ident(c, funnel_log_unit_col(log));
	sb_puts(sb, "::text <> '' AND ");
	ident(c, funnel_log_event_col(log));
	sb_puts(sb, "::text <> ''\n");
	filter_lines(c, "        ");
	if (has_from(q)) {
		/* any order: a window may start up to one window before */
		sb_puts(sb, "        AND aipm_ms >= ");
		time_literal(c, q->order == FUNNEL_ANY ? q->from_ms - q->window_ms : q->from_ms);
		sb_putc(sb, '\n');
	}
	if (has_to(q)) {
		sb_puts(sb, "        AND aipm_ms <= ");
		time_literal(c, q->to_ms + q->window_ms);
		sb_putc(sb, '\n');
	}
	sb_puts(sb, "),\n");
}

/* The condition of a step-1 event, with the date range, into first. */
static void pg_first_step(struct sql_ctx *c, struct strbuf *first)
{
	struct strbuf *saved = c->sb;
	c->sb = first;
	step_condition(c, 0, "e.ev");
	if (has_from(c->q)) {
		sb_puts(first, " AND e.ts >= ");
		time_literal(c, c->q->from_ms);
	}
	if (has_to(c->q)) {
		sb_puts(first, " AND e.ts < ");
		time_literal(c, c->q->to_ms);
	}
	c->sb = saved;
}

/* Any order: every window [t0, t0 + window] that starts at an event (all
 * events at t0 included); steps 1..k covered in it, the step-1 event
 * inside the date range. */
static void pg_levels_any(struct sql_ctx *c, const char *first, const char *window)
{
	struct strbuf *sb = c->sb;
	size_t K = c->q->steps->count;
	bool duck = c->d == FUNNEL_SQL_DUCKDB;
	sb_puts(sb, "windows AS (\n    SELECT e.unit");
	for (size_t k = 0; k < K; k++) {
		/* DuckDB has no FILTER on window aggregates: a sum of cases */
		sb_printf(sb, duck ? ",\n        sum(CASE WHEN " : ",\n        count(*) FILTER (WHERE ");
		if (k == 0)
			sb_puts(sb, first);
		else
			step_condition(c, k, "e.ev");
		sb_printf(sb, "%s OVER span AS c%zu", duck ? " THEN 1 ELSE 0 END)" : ")", k + 1);
	}
	sb_printf(sb, "\n    FROM ev e\n    WINDOW span AS (PARTITION BY e.unit ORDER BY e.ts "
		      "RANGE BETWEEN CURRENT ROW AND %s FOLLOWING)\n),\n", window);
	sb_puts(sb, "levels AS (\n    SELECT unit, max(");
	for (size_t k = 0; k < K; k++) {
		sb_puts(sb, k ? "\n        + (" : "(");
		for (size_t j = 0; j <= k; j++)
			sb_printf(sb, "%sc%zu > 0", j ? " AND " : "", j + 1);
		sb_puts(sb, ")::int");
	}
	sb_puts(sb, ") AS level\n    FROM windows GROUP BY unit HAVING max(c1) > 0\n)");
}

/* Ordered and strict: per event, the first event of each later step from
 * it on (its time too: events are numbered in time order); then per
 * step-1 event, the next step's first event after the previous one, if
 * within the window (the very next event in strict order). */
static void pg_levels_ordered(struct sql_ctx *c, const char *first, const char *window)
{
	const struct funnel_query *q = c->q;
	struct strbuf *sb = c->sb;
	size_t K = q->steps->count;
	bool duck = c->d == FUNNEL_SQL_DUCKDB;
	sb_puts(sb, "nx AS (\n    SELECT e.unit, e.seq, e.ts");
	for (size_t k = 1; k < K; k++) {
		sb_puts(sb, ",\n        ");
		if (q->order == FUNNEL_STRICT) {
			sb_puts(sb, "(");
			step_condition(c, k, "e.ev");
			sb_printf(sb, ") AS is%zu", k + 1);
		} else if (duck) {
			sb_puts(sb, "min(CASE WHEN ");
			step_condition(c, k, "e.ev");
			sb_printf(sb, " THEN e.seq END) OVER later AS n%zu, min(CASE WHEN ", k + 1);
			step_condition(c, k, "e.ev");
			sb_printf(sb, " THEN e.ts END) OVER later AS t%zu", k + 1);
		} else {
			sb_puts(sb, "min(e.seq) FILTER (WHERE ");
			step_condition(c, k, "e.ev");
			sb_printf(sb, ") OVER later AS n%zu, min(e.ts) FILTER (WHERE ", k + 1);
			step_condition(c, k, "e.ev");
			sb_printf(sb, ") OVER later AS t%zu", k + 1);
		}
	}
	sb_puts(sb, "\n    FROM ev e");
	if (q->order != FUNNEL_STRICT)
		sb_puts(sb, "\n    WINDOW later AS (PARTITION BY e.unit ORDER BY e.seq DESC)");
	sb_puts(sb, "\n),\ns1 AS (\n    SELECT e.unit, e.seq AS q1, e.ts AS t1 FROM ev e WHERE ");
	sb_puts(sb, first);
	sb_puts(sb, "\n)");
	for (size_t k = 1; k < K; k++) {
		if (q->order == FUNNEL_STRICT)
			sb_printf(sb, ",\ns%zu AS (\n    SELECT s.*, CASE WHEN n.is%zu AND n.ts <= s.t1 + %s "
				      "THEN n.seq END AS q%zu\n",
				  k + 1, k + 1, window, k + 1);
		else
			sb_printf(sb, ",\ns%zu AS (\n    SELECT s.*, CASE WHEN n.t%zu <= s.t1 + %s "
				      "THEN n.n%zu END AS q%zu\n",
				  k + 1, k + 1, window, k + 1, k + 1);
		sb_printf(sb, "    FROM s%zu s LEFT JOIN nx n ON n.unit = s.unit AND n.seq = s.q%zu + 1\n)",
			  k, k);
	}
	sb_puts(sb, ",\nlevels AS (\n    SELECT unit, max(");
	for (size_t k = K; k >= 2; k--)
		sb_printf(sb, "CASE WHEN q%zu IS NOT NULL THEN %zu ELSE ", k, k);
	sb_puts(sb, "1");
	for (size_t k = K; k >= 2; k--)
		sb_puts(sb, " END");
	sb_printf(sb, ") AS level\n    FROM s%zu GROUP BY unit\n)", K);
}

/* The units per step (per first-touch value with a breakdown). */
static void pg_select(struct sql_ctx *c)
{
	const struct funnel_query *q = c->q;
	struct strbuf *sb = c->sb;
	size_t K = q->steps->count;
	sb_puts(sb, "\nSELECT\n");
	if (q->by) {
		sb_puts(sb, "    touch.first_touch AS ");
		ident(c, q->by);
		sb_puts(sb, ",\n");
	}
	for (size_t k = 0; k < K; k++) {
		char *label = sanitize_dup(q->steps->step[k].text, SANITIZE_LINE);
		char *name = xasprintf("%zu %s", k + 1, label);
		sb_printf(sb, "    count(*) FILTER (WHERE level >= %zu) AS ", k + 1);
		ident(c, name);
		sb_puts(sb, k + 1 < K ? ",\n" : "\n");
		free(name);
		free(label);
	}
	sb_puts(sb, "FROM levels");
	if (q->by)
		sb_puts(sb, " JOIN touch USING (unit)\nGROUP BY touch.first_touch\nORDER BY 2 DESC");
	sb_puts(sb, ";\n");
}

static char *postgres(struct sql_ctx *c, const char *table)
{
	const struct funnel_query *q = c->q;
	struct strbuf *sb = c->sb;
	bool duck = c->d == FUNNEL_SQL_DUCKDB;
	header_comment(c, table);
	pg_raw(c, table);
	pg_events(c);
	char window[32];
	snprintf(window, sizeof window, "%lld", (long long)q->window_ms);
	struct strbuf first;
	sb_init(&first);
	pg_first_step(c, &first);
	if (q->order == FUNNEL_ANY)
		pg_levels_any(c, first.data, window);
	else
		pg_levels_ordered(c, first.data, window);
	if (q->by) {
		/* the first touch: the breakdown value of the unit's first step-1 event */
		sb_puts(sb, duck ? ",\ntouch AS (\n    SELECT e.unit, arg_min(e.first_touch_value, e.seq) AS "
				   "first_touch\n    FROM ev e WHERE "
				 : ",\ntouch AS (\n    SELECT e.unit, (array_agg(e.first_touch_value ORDER BY e.seq))[1] AS "
				   "first_touch\n    FROM ev e WHERE ");
		sb_puts(sb, first.data);
		sb_puts(sb, "\n    GROUP BY e.unit\n)");
	}
	sb_free(&first);
	pg_select(c);
	return sb_steal(sb);
}

char *funnel_sql(enum funnel_sql_dialect d, enum funnel_time_type time_type,
		 const struct funnel_log *log, const struct funnel_query *q, const char *table,
		 char *err, size_t errlen)
{
	if (q->nexclude) {
		format_error(err, errlen,
			     "exclusion steps are not part of the SQL: drop --exclude");
		return NULL;
	}
	struct strbuf sb;
	sb_init(&sb);
	struct sql_ctx c = {.d = d, .tt = time_type, .log = log, .q = q, .sb = &sb, .ok = true};
	char *sql = d == FUNNEL_SQL_CLICKHOUSE ? clickhouse(&c, table, err, errlen) : postgres(&c, table);
	if (!sql) {
		sb_free(&sb);
		return NULL;
	}
	if (!c.ok) {
		char *clean = sanitize_dup(c.bad, SANITIZE_LINE);
		format_error(err, errlen, "the name '%s' cannot be quoted safely in SQL", clean);
		free(clean);
		free(c.bad);
		free(sql);
		return NULL;
	}
	return sql;
}
