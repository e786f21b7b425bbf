#!/usr/bin/env bash
# The SQL of `aipm funnel --emit-sql clickhouse` on a current ClickHouse
# through chDB, its in-process build on npm (the `chdb` package ships the
# engine: npm install is all it takes; it is kept in a cache folder between
# runs). The shipped log and the edge-case log of tests/sql/lib.sh are
# loaded into Log tables of String columns (rows in insertion order) and
# every ordered funnel is counted by both, with the times as text (the
# default) and again over a DateTime64 copy (--time-type timestamp) whose
# rows are written back as CSV for aipm. As in test_clickhouse.sh, strict
# order and the units with events at the same time are left out: ClickHouse
# breaks such ties by step, aipm by file row; and no windowFunnel mode is
# aipm's strict order. On ClickHouse 26.7 (chDB 3.4.0), a unit with events
# a, x, a, b at seconds 1-4 and the funnel a > b: 'strict_order' gives level
# 1 (it gives up at the first other event after the first a; aipm starts
# again from the second a: 2); 'strict_increase' gives 2 but lets the x
# through; both modes together give 1. The query's header says so. Ends with
# "N passed, N failed"; exit 77 (skip) only when npm cannot reach its
# registry.
# usage: tests/sql/test_chdb.sh [PATH/TO/aipm]   (default build/aipm)
set -u
cd "$(dirname "$0")/../.."
AIPM=$(realpath "${1:-build/aipm}")
DIALECT=clickhouse
. tests/sql/lib.sh
[[ -x $AIPM ]] || { echo "no aipm at $AIPM"; echo "0 passed, 1 failed"; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null ||
	{ echo "node and npm are missing: apt-get install -y nodejs npm"; echo "0 passed, 1 failed"; exit 1; }

CHDB_NPM=chdb@3.4.0
CACHE=${AIPM_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aipm-sql-npm}
mkdir -p "$CACHE"
if [[ ! -f $CACHE/node_modules/chdb/package.json ]] ||
	! grep -q '"version": "3.4.0"' "$CACHE/node_modules/chdb/package.json"; then
	if ! npm ping >/dev/null 2>&1; then
		echo "npm cannot reach its registry: skipped"
		exit 77
	fi
	npm install --prefix "$CACHE" --no-audit --no-fund --silent "$CHDB_NPM" >"$CACHE/install-chdb.log" 2>&1 ||
		{ cat "$CACHE/install-chdb.log"; echo "0 passed, 1 failed"; exit 1; }
fi
RUNNER=$CACHE/chdb_run.mjs
# an ES module finds its packages next to itself
cp tests/sql/chdb_run.mjs "$RUNNER"

WORK=$(mktemp -d /tmp/aipm-sql-chdb.XXXXXX)
trap '[[ -n ${SQL_KEEP:-} ]] || rm -rf "$WORK"' EXIT
mkdir "$WORK/data"

ch() { # SQL text
	printf '%s\n' "$1" >"$WORK/stmt.sql"
	node "$RUNNER" "$WORK/data" "$WORK/stmt.sql"
}

# A Log table keeps the rows in the order they were inserted.
sql_load() {
	local table=$1 csv=$2 col list=
	shift 2
	for col in "$@"; do list+="${list:+, }\`$col\` String"; done
	ch "CREATE TABLE \`$table\` ($list) ENGINE = Log" >/dev/null &&
		ch "INSERT INTO \`$table\` SELECT * FROM file('$csv', CSVWithNames, '$list')" >/dev/null
}

sql_run() {
	node "$RUNNER" "$WORK/data" "$1" | tr -d '"'
}

# TABLE_ts: the rows whose time ClickHouse reads (parseDateTime64BestEffort,
# in UTC), the time a DateTime64(3); and TABLE_ts.csv, the same rows for aipm.
sql_typed() {
	local table=$1 col list= out=
	mapfile -t cols < <(sql_columns "$WORK/$table.clean.csv")
	for col in "${cols[@]}"; do
		if [[ $col == timestamp ]]; then
			list+="${list:+, }parseDateTime64BestEffortOrNull(\`$col\`, 3, 'UTC') AS \`$col\`"
			out+="${out:+, }concat(formatDateTime(\`$col\`, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.',"
			out+=" leftPad(toString(toUnixTimestamp64Milli(\`$col\`) % 1000), 3, '0'), 'Z') AS \`$col\`"
		else
			list+="${list:+, }\`$col\`"
			out+="${out:+, }\`$col\`"
		fi
	done
	ch "CREATE TABLE \`${table}_ts\` ENGINE = Log AS SELECT * FROM (SELECT $list FROM \`$table\`)
		WHERE \`timestamp\` IS NOT NULL AND toUnixTimestamp64Milli(\`timestamp\`) >= 0" >/dev/null &&
		ch "SELECT $out FROM \`${table}_ts\` FORMAT CSVWithNames" >"$WORK/${table}_ts.csv"
}

echo "ClickHouse $(ch 'SELECT version()' | tr -d '"') in chDB (npm $CHDB_NPM)"
SQL_EDGE_SKIP='t1|t2|t3|s2'
if sql_load_logs; then
	sql_check_all ordered
	if sql_typed events && sql_typed edge; then
		SQL_TIME_TYPE=timestamp SQL_FILE_SUFFIX=_ts sql_check_all ordered
	else
		echo "FAIL typing the logs' times"
		failed=$((failed + 1))
	fi
else
	echo "FAIL loading the logs"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
