# Shared by tests/sql/test_postgres.sh and tests/sql/test_clickhouse.sh:
# the funnels whose --emit-sql output must count what aipm counts, the
# hand-made log of edge cases, and the loading and comparing around them.
# The caller defines sql_load TABLE CSV COLUMNS... (a table of text
# columns holding CSV's rows in file order) and sql_run FILE (prints the
# query's rows as comma-separated values), and sets AIPM, DIALECT, WORK;
# SQL_TIME_TYPE=timestamp asks for the typed-time query, and
# SQL_FILE_SUFFIX names the files (and so the tables) the funnels run on
# (events_ts.csv for "events" with _ts).

passed=0 failed=0

# The hand-made log: ties in time, window edges to the second and the ms,
# time zones and the other ways aipm reads times, a unit that enters twice,
# strict order broken and kept, repeated steps, and rows aipm skips.
sql_edge_log() {
	cat >"$1" <<'CSV'
user_id,event,timestamp,platform
t1,a,2026-03-01T10:00:00Z,ios
t1,b,2026-03-01T09:59:59Z,ios
t2,b,2026-03-01T10:00:00Z,ios
t2,a,2026-03-01T10:00:00Z,ios
t2,c,2026-03-01T10:00:00Z,ios
t3,a,2026-03-01T10:00:00Z,android
t3,b,2026-03-01T10:00:00Z,android
t3,c,2026-03-01T11:00:00Z,android
w1,a,2026-03-02 08:00:00,web
w1,b,2026-03-02 08:30:00,web
w1,c,2026-03-02 09:00:01,web
w2,a,2026-03-02T08:00:00.000Z,web
w2,b,2026-03-09T08:00:00.000Z,web
w2,c,2026-03-09T08:00:00.001Z,web
z1,a,2026-03-03T12:00:00+02:00,ios
z1,b,2026-03-03T10:30:00Z,ios
z1,c,2026-03-03T06:45:00-04:00,ios
z2,b,2026-03-03T09:00:00+0100,ios
z2,a,2026-03-03 08:30:00 UTC,ios
z2,b,2026-03-03t09:40:00+01,ios
z2,c,2026-03-03T09:10:00 GMT,ios
e1,a,2026-03-04T10:00:00Z,android
e1,b,2026-03-04T10:20:00Z,android
e1,a,2026-03-05T10:00:00Z,android
e1,b,2026-03-05T10:10:00Z,android
e1,c,2026-03-05T10:40:00Z,android
s1,a,2026-03-06T10:00:00Z,ios
s1,x,2026-03-06T10:01:00Z,ios
s1,b,2026-03-06T10:02:00Z,ios
s1,c,2026-03-06T10:03:00Z,ios
s1,a,2026-03-06T10:04:00Z,ios
s1,b,2026-03-06T10:05:00Z,ios
s1,c,2026-03-06T10:06:00Z,ios
s2,a,2026-03-06T11:00:00Z,web
s2,b,2026-03-06T11:00:00Z,web
s2,x,2026-03-06T11:00:00Z,web
s2,c,2026-03-06T11:00:00Z,web
r1,a,2026-03-07T10:00:00Z,web
r1,a,2026-03-07T10:01:00Z,web
r1,b,2026-03-07T10:02:00Z,web
r1,b,2026-03-07T10:03:00Z,web
r1,c,2026-03-07T12:00:00Z,web
n1,a,1772877600,android
n1,b,1772877660000,android
n1,c,1772881200.5,android
f1,a,2026-03-08T10:00:00.5Z,ios
f1,b,2026-03-08T11:00:00.4999Z,ios
f1,c,"2026-03-08T11:00:00,5009Z",ios
l1,a,2026-12-31T23:59:60Z,web
l1,b,2027-01-01T00:00:00Z,web
l1,c,2024-02-29T10:00:00Z,web
b1,a,,ios
b1,b,n/a,ios
b1,c,2026-06-31T10:00:00Z,ios
b2,a,2023-02-29T10:00:00Z,ios
b2,b,2026-03-01T25:00:00Z,ios
b2,c,1970-01-01T00:00:00Z,ios
b3,a,0000-01-01T00:00:00Z,ios
b3,b,2026-03-01T10:00Z,ios
,a,2026-03-01T10:00:00Z,ios
b4,,2026-03-01T10:00:00Z,ios
b4,a,2026-03-01T10:00:00Z,ios,extra
b4,b,2026-03-01T10:00:00Z
b4,a," 2026-03-01T10:00:00Z ",android
b4,b,2026-03-01T10:00:00.Z,android
b4,c,2026-03-01T10:30:00 +05:30,android
b5,a,2026-03-01T10:00:00Z,ios
b5,b,2026-03-01T10:00:00+00:,ios
b5,c,2026-03-01 10:00:01,ios
CSV
}

# The funnels, one per line: FILE ORDER ARGS... (FILE is "events" for the
# shipped log, "edge" for the one above).
sql_funnels() {
	cat <<'LIST'
edge ordered --steps a,b,c --window 1h
edge ordered --steps a,b,c --window 7d
edge ordered --steps a,b,c --window 30m
edge ordered --steps a,b --window 1s
edge ordered --steps /^A$/,b,c --window 1d
edge ordered --steps a,b,c --window 7d --where platform=ios
edge ordered --steps a,b,c --window 1d --from 2026-03-02 --to 2026-03-05
edge ordered --steps a,b,c --window 7d --by platform
edge strict --steps a,b,c --window 1h
edge strict --steps a,b,c --window 7d
edge strict --steps a,b,c --window 1d --where platform=ios --by platform
edge any --steps a,b,c --window 1h
edge any --steps a,b,c --window 7d
edge any --steps a,b,c --window 30m --from 2026-03-03 --to 2026-03-06
events ordered --steps store_impression,store_click,install,signup,purchase --window 1d
events ordered --steps store_impression,store_click,install,signup,purchase --window 14d
events ordered --steps store_click,install,/^sign/,purchase --window 7d --where platform=android
events ordered --steps store_click,install,signup --window 2h --where channel=ads --where channel=social
events ordered --steps store_click,install,signup,purchase --window 7d --from 2026-07-01 --to 2026-07-31
events ordered --steps install,signup,purchase --window 7d --by variant
events ordered --steps store_click,install,signup --window 1d --by platform --where variant=B
events strict --steps store_impression,store_click,install --window 1h
events strict --steps session_start,store_impression,store_click --window 30m --by platform
events any --steps store_click,install,signup --window 1d
events any --steps install,signup,purchase --window 7d --where platform=ios --from 2026-06-15 --to 2026-07-15
LIST
}

# CSV of a log as a warehouse would hold it: the rows aipm can split into
# the header's columns (a ragged row is no row of a table), in file order.
sql_clean_csv() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
data = open(sys.argv[1], "rb").read()
if data.startswith(b"\xef\xbb\xbf"):
    data = data[3:]
rows = list(csv.reader(data.decode("latin-1").splitlines(True)))
header = rows[0]
with open(sys.argv[2], "w", encoding="latin-1", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows[1:]:
        if len(r) == len(header):
            w.writerow(r)
PY
}

# The header's columns of a CSV, one per line.
sql_columns() {
	python3 -c 'import csv, sys; print("\n".join(next(csv.reader(open(sys.argv[1], encoding="latin-1")))))' "$1"
}

# Loads both logs into tables "events" and "edge"; the units whose ids
# match the pattern SQL_EDGE_SKIP (if set) are left out of the edge log.
sql_load_logs() {
	sql_edge_log "$WORK/edge.csv"
	if [[ -n ${SQL_EDGE_SKIP:-} ]]; then
		grep -v -E "^($SQL_EDGE_SKIP)," "$WORK/edge.csv" >"$WORK/edge.kept"
		mv "$WORK/edge.kept" "$WORK/edge.csv"
	fi
	cp content/datasets/events.csv "$WORK/events.csv"
	local name
	for name in events edge; do
		sql_clean_csv "$WORK/$name.csv" "$WORK/$name.clean.csv" || return 1
		mapfile -t cols < <(sql_columns "$WORK/$name.clean.csv")
		sql_load "$name" "$WORK/$name.clean.csv" "${cols[@]}" || return 1
	done
}

# aipm's counts: "c1,c2,..." for the whole funnel, or "value:c1,c2,..."
# per breakdown value.
aipm_counts() {
	"$AIPM" funnel "$@" --format csv 2>/dev/null | awk -F, -v by="$by" '
		NR == 1 { next }
		by == "" && $1 == "all" { printf "%s%s", sep, $4; sep = "," }
		by != "" && $1 != "all" { c[$1] = c[$1] (c[$1] == "" ? "" : ",") $4 }
		END {
			if (by == "") print ""
			else for (g in c) print g ":" c[g]
		}' | sort
}

# The SQL's counts in the same form.
sql_counts() {
	sql_run "$1" | awk -F, -v by="$by" '
		by == "" { print; next }
		{ v = $1; sub(/^[^,]*,/, ""); print v ":" $0 }' | sort
}

# check FILE ORDER ARGS...: the funnel by aipm and by its SQL.
check() {
	local file=$WORK/$1.csv order=$2
	shift 2
	by=
	local a
	for ((a = 1; a <= $#; a++)); do
		[[ ${!a} == --by ]] && { b=$((a + 1)); by=${!b}; }
	done
	local name="$DIALECT${SQL_TIME_TYPE:+ ($SQL_TIME_TYPE)}: $(basename "$file") --order $order $*"
	local want got
	want=$(aipm_counts "$file" --order "$order" "$@")
	if ! "$AIPM" funnel "$file" --order "$order" "$@" --emit-sql "$DIALECT" \
		${SQL_TIME_TYPE:+--time-type "$SQL_TIME_TYPE"} >"$WORK/q.sql" 2>"$WORK/q.err"; then
		echo "FAIL $name: no SQL: $(cat "$WORK/q.err")"
		failed=$((failed + 1))
		return
	fi
	got=$(sql_counts "$WORK/q.sql" 2>"$WORK/q.err")
	if [[ -n $want && $want == "$got" ]]; then
		echo "ok   $name: $(tr '\n' ' ' <<<"$want")"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		echo "     aipm: $(tr '\n' ' ' <<<"$want")"
		echo "     SQL:  $(tr '\n' ' ' <<<"$got") $(head -c 600 "$WORK/q.err")"
		failed=$((failed + 1))
	fi
}

# Runs every funnel whose order the dialect has (all when none named).
sql_check_all() {
	local orders=" ${1:-ordered strict any} "
	local file order rest
	while read -r file order rest; do
		[[ $orders == *" $order "* ]] || continue
		# shellcheck disable=SC2086 # the arguments are words
		check "$file${SQL_FILE_SUFFIX:-}" "$order" $rest
	done < <(sql_funnels)
}
