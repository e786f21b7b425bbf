#!/usr/bin/env bash
# The SQL of `aipm funnel --emit-sql duckdb` on a current DuckDB, through
# its npm package (@duckdb/node-api ships the engine: npm install is all it
# takes; the package is kept in a cache folder between runs). The shipped
# log and the edge-case log of tests/sql/lib.sh are loaded with read_csv as
# text, and every funnel of lib.sh is counted by both: with the times as
# text (the default, parsed in the query by aipm's grammar), and again with
# --time-type timestamp over copies whose times are typed as TIMESTAMP
# (UTC) where DuckDB can read them, written back as CSV for aipm. Ends with
# "N passed, N failed"; exit 77 (skip) only when npm cannot reach its
# registry.
# usage: tests/sql/test_duckdb.sh [PATH/TO/aipm]   (default build/aipm)
set -u
cd "$(dirname "$0")/../.."
AIPM=$(realpath "${1:-build/aipm}")
DIALECT=duckdb
. tests/sql/lib.sh
[[ -x $AIPM ]] || { echo "no aipm at $AIPM"; echo "0 passed, 1 failed"; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null ||
	{ echo "node and npm are missing: apt-get install -y nodejs npm"; echo "0 passed, 1 failed"; exit 1; }

# the package, pinned, once per cache folder
DUCKDB_NPM=@duckdb/node-api@1.5.6-r.1
CACHE=${AIPM_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aipm-sql-npm}
mkdir -p "$CACHE"
if [[ ! -f $CACHE/node_modules/@duckdb/node-api/package.json ]] ||
	! grep -q '"version": "1.5.6-r.1"' "$CACHE/node_modules/@duckdb/node-api/package.json"; then
	if ! npm ping >/dev/null 2>&1; then
		echo "npm cannot reach its registry: skipped"
		exit 77
	fi
	npm install --prefix "$CACHE" --no-audit --no-fund --silent "$DUCKDB_NPM" >"$CACHE/install.log" 2>&1 ||
		{ cat "$CACHE/install.log"; echo "0 passed, 1 failed"; exit 1; }
fi
export NODE_PATH=$CACHE/node_modules
RUNNER=$CACHE/duckdb_run.mjs
# an ES module finds its packages next to itself, not through NODE_PATH
cp tests/sql/duckdb_run.mjs "$RUNNER"

WORK=$(mktemp -d /tmp/aipm-sql-duckdb.XXXXXX)
trap '[[ -n ${SQL_KEEP:-} ]] || rm -rf "$WORK"' EXIT
DB=$WORK/aipm.duckdb

duck() { # SQL text
	printf '%s\n' "$1" >"$WORK/stmt.sql"
	node "$RUNNER" "$DB" "$WORK/stmt.sql"
}

# A table of text columns in file order (rowid), from read_csv.
sql_load() {
	local table=$1 csv=$2
	duck "CREATE TABLE \"$table\" AS SELECT * FROM read_csv('$csv', header = true, all_varchar = true, quote = '\"', escape = '\"');" >/dev/null
}

sql_run() {
	node "$RUNNER" "$DB" "$1"
}

# TABLE_ts: the rows whose time DuckDB reads (with their offsets; not the
# year 0, which aipm refuses), the time column a TIMESTAMP in UTC; and
# TABLE_ts.csv, the same rows for aipm.
sql_typed() {
	local table=$1 col list= out=
	mapfile -t cols < <(sql_columns "$WORK/$table.clean.csv")
	for col in "${cols[@]}"; do
		if [[ $col == timestamp ]]; then
			list+="${list:+, }CAST(TRY_CAST(\"$col\" AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) AS \"$col\""
			out+="${out:+, }strftime(\"$col\", '%Y-%m-%dT%H:%M:%S.%gZ') AS \"$col\""
		else
			list+="${list:+, }\"$col\""
			out+="${out:+, }\"$col\""
		fi
	done
	duck "CREATE TABLE \"${table}_ts\" AS SELECT $list FROM \"$table\"
		WHERE TRY_CAST(\"timestamp\" AS TIMESTAMPTZ) IS NOT NULL
			AND TRY_CAST(\"timestamp\" AS TIMESTAMPTZ) >= TIMESTAMPTZ '0001-01-01 00:00:00+00'
			ORDER BY rowid;" >/dev/null &&
		duck "COPY (SELECT $out FROM \"${table}_ts\" ORDER BY rowid) TO '$WORK/${table}_ts.csv' (HEADER, DELIMITER ',');" >/dev/null
}

echo "DuckDB $(duck "SELECT version();") (npm $DUCKDB_NPM)"
if sql_load_logs && sql_typed events && sql_typed edge; then
	sql_check_all
	SQL_TIME_TYPE=timestamp SQL_FILE_SUFFIX=_ts sql_check_all
else
	echo "FAIL loading the logs"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
