#!/usr/bin/env bash
# The SQL of `aipm funnel --emit-sql clickhouse` on a live ClickHouse: a
# throwaway server with its own config, data and ports on 127.0.0.1 in a
# temporary folder, the shipped event log and the hand-made log of
# tests/sql/lib.sh loaded into Log tables of String columns, and each
# ordered funnel's counts compared with `aipm funnel --format csv` (strict
# order is left out: 'strict_order' stops at a unit's first step-1 event,
# where aipm tries every one, as the query's header says). Ends with
# "N passed, N failed"; the server stops on exit.
# usage: tests/sql/test_clickhouse.sh [PATH/TO/aipm]   (default build/aipm)
#
# The emitted SQL is written for current ClickHouse (windowFunnel over ms
# since the epoch as UInt64, and 'strict_order'). Debian 12 ships 18.16,
# whose windowFunnel takes only seconds (UInt32 or DateTime) and has no
# modes: on a server older than 19 each query's windowFunnel(W ms)(aipm_t
# is rewritten to windowFunnel(W / 1000)(toUInt32(intDiv(aipm_t, 1000))
# (nothing else changes), and the edge units whose times have ms that
# matter are left out. Units with events at the
# same time are left out everywhere: ClickHouse breaks such ties by step
# order, aipm by file row (the query's header says so).
set -u
cd "$(dirname "$0")/../.."
AIPM=$(realpath "${1:-build/aipm}")
DIALECT=clickhouse
. tests/sql/lib.sh

server=$(command -v clickhouse-server || command -v clickhouse)
client=$(command -v clickhouse-client)
if [[ -z $server || -z $client ]]; then
	echo "ClickHouse is missing: apt-get install -y clickhouse-server clickhouse-client"
	echo "0 passed, 1 failed"
	exit 1
fi
[[ -x $AIPM ]] || { echo "no aipm at $AIPM"; echo "0 passed, 1 failed"; exit 1; }

WORK=$(mktemp -d /tmp/aipm-sql-ch.XXXXXX)
mkdir -p "$WORK/data" "$WORK/tmp" "$WORK/user_files" "$WORK/log"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$WORK/log/server.log</log><errorlog>$WORK/log/error.log</errorlog></logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$port</tcp_port>
    <path>$WORK/data/</path>
    <tmp_path>$WORK/tmp/</tmp_path>
    <user_files_path>$WORK/user_files/</user_files_path>
    <users_config>$WORK/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
</yandex>
XML
cat >"$WORK/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
        <profile>default</profile><quota>default</quota></default></users>
    <quotas><default></default></quotas>
</yandex>
XML
server_pid=
stop() {
	[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$WORK"
}
trap stop EXIT
if [[ $(basename "$server") == clickhouse ]]; then
	"$server" server --config-file="$WORK/config.xml" >"$WORK/log/stdout" 2>&1 &
else
	"$server" --config-file="$WORK/config.xml" >"$WORK/log/stdout" 2>&1 &
fi
server_pid=$!

ch() {
	"$client" --host 127.0.0.1 --port "$port" "$@"
}
for ((i = 0; i < 60; i++)); do
	ch -q 'SELECT 1' >/dev/null 2>&1 && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.5
done
if ! version=$(ch -q 'SELECT version()' 2>&1); then
	echo "the ClickHouse server did not start:"
	tail -20 "$WORK/log/stdout" "$WORK/log/error.log" 2>/dev/null
	echo "0 passed, 1 failed"
	exit 1
fi
echo "ClickHouse $version on 127.0.0.1:$port"
major=${version%%.*}

# A Log table keeps the rows in the order they were inserted.
sql_load() {
	local table=$1 csv=$2 col list=
	shift 2
	for col in "$@"; do list+="${list:+, }\`$col\` String"; done
	ch -q "CREATE TABLE \`$table\` ($list) ENGINE = Log" &&
		ch -q "INSERT INTO \`$table\` FORMAT CSVWithNames" <"$csv"
}

# windowFunnel in seconds for a server older than 19 (see the top).
legacy_window() {
	perl -pe 's/windowFunnel\((\d+)\)\(aipm_t/"windowFunnel(" . ($1 \/ 1000) . ")(toUInt32(intDiv(aipm_t, 1000))"/e'
}

sql_run() {
	if ((major < 19)); then
		legacy_window <"$1" | ch --multiquery --format CSV
	else
		ch --multiquery --format CSV <"$1"
	fi | tr -d '"'
}

SQL_EDGE_SKIP='t1|t2|t3|s2'
((major < 19)) && SQL_EDGE_SKIP+='|w2|f1|n1'
if sql_load_logs; then
	sql_check_all ordered
else
	echo "FAIL loading the logs"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
