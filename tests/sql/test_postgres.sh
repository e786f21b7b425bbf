#!/usr/bin/env bash
# The SQL of `aipm funnel --emit-sql postgres` on a live PostgreSQL: a
# throwaway cluster in a temporary folder (its socket there, no TCP), the
# shipped event log and a hand-made log of edge cases loaded with COPY into
# tables of text columns, and for each funnel of tests/sql/lib.sh the
# query's counts compared with `aipm funnel --format csv`. Ends with
# "N passed, N failed"; the server stops on exit.
# usage: tests/sql/test_postgres.sh [PATH/TO/aipm]   (default build/aipm)
# Needs Debian's postgresql (15 on Debian 12); as root, the server runs as
# the postgres user.
set -u
cd "$(dirname "$0")/../.."
AIPM=$(realpath "${1:-build/aipm}")
DIALECT=postgres
. tests/sql/lib.sh

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ ! -x $pg_bin/initdb ]]; then
	echo "PostgreSQL is missing: apt-get install -y postgresql"
	echo "0 passed, 1 failed"
	exit 1
fi
[[ -x $AIPM ]] || { echo "no aipm at $AIPM"; echo "0 passed, 1 failed"; exit 1; }

WORK=$(mktemp -d /tmp/aipm-sql-pg.XXXXXX)
chmod 755 "$WORK"
mkdir "$WORK/data" "$WORK/sock"
as_server=()
if [[ $(id -u) == 0 ]]; then
	chown postgres: "$WORK/data" "$WORK/sock"
	as_server=(runuser -u postgres --)
fi
stop() {
	"${as_server[@]}" "$pg_bin/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$WORK"
}
trap stop EXIT

"${as_server[@]}" "$pg_bin/initdb" -D "$WORK/data" -U aipm --auth=trust -E SQL_ASCII --locale=C \
	>"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; echo "0 passed, 1 failed"; exit 1; }
"${as_server[@]}" "$pg_bin/pg_ctl" -D "$WORK/data" -l "$WORK/sock/server.log" -w -o \
	"-c listen_addresses='' -c unix_socket_directories='$WORK/sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	start >/dev/null || { cat "$WORK/sock/server.log"; echo "0 passed, 1 failed"; exit 1; }
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on $WORK/sock"

psql_run() {
	"$pg_bin/psql" -X -q -At -F, -v ON_ERROR_STOP=1 -h "$WORK/sock" -U aipm -d postgres "$@"
}

# A table of text columns, filled by COPY (rows in file order, as ctid).
sql_load() {
	local table=$1 csv=$2 col list=
	shift 2
	for col in "$@"; do list+="${list:+, }\"$col\" text"; done
	psql_run -c "CREATE TABLE \"$table\" ($list)" &&
		psql_run -c "\\copy \"$table\" FROM '$csv' WITH (FORMAT csv, HEADER true)"
}

sql_run() {
	psql_run -f "$1"
}

# For --time-type timestamp: TABLE_ts, the rows whose time PostgreSQL
# reads as a timestamptz (in UTC, with their offsets; not before year 1,
# which aipm refuses), in file order; and TABLE_ts.csv, the same rows for
# aipm.
sql_typed() {
	local table=$1 col list= out=
	mapfile -t cols < <(sql_columns "$WORK/$table.clean.csv")
	for col in "${cols[@]}"; do
		if [[ $col == timestamp ]]; then
			list+="${list:+, }aipm_ts(\"$col\") AS \"$col\""
			out+="${out:+, }to_char(\"$col\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"$col\""
		else
			list+="${list:+, }\"$col\""
			out+="${out:+, }\"$col\""
		fi
	done
	psql_run -c "SET TIME ZONE 'UTC'; CREATE TABLE \"${table}_ts\" AS SELECT $list FROM \"$table\"
		WHERE aipm_ts(\"timestamp\") >= TIMESTAMPTZ '0001-01-01 00:00:00+00' ORDER BY ctid" &&
		psql_run -c "\\copy (SELECT $out FROM \"${table}_ts\" ORDER BY ctid) TO '$WORK/${table}_ts.csv' WITH (FORMAT csv, HEADER true)"
}

if sql_load_logs; then
	sql_check_all
	# the same funnels over typed times
	psql_run -c "CREATE FUNCTION aipm_ts(s text) RETURNS timestamptz LANGUAGE plpgsql AS
		\$\$ BEGIN RETURN s::timestamptz; EXCEPTION WHEN others THEN RETURN NULL; END \$\$"
	if sql_typed events && sql_typed edge; then
		SQL_TIME_TYPE=timestamp SQL_FILE_SUFFIX=_ts sql_check_all
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
