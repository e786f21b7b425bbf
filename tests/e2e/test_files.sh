# Issue 14 from the command line: the messages that used to mislead, each
# checked on the real binary (the hostile files themselves are
# tests/files/hostile_files.sh).

# expect_fail NAME WANT CMD...: CMD exits 1 and says WANT on standard error.
expect_fail() {
	local name=$1 want=$2 err status
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	status=$?
	[[ $status == 1 ]] || fail "$name: exit $status, not 1 ($err)"
	grep -qF -- "$want" <<<"$err" || fail "$name: '$err' does not say '$want'"
}

test_files_cli_messages() {
	E2E_HOME=$(mktemp -d "${TMPDIR:-/tmp}/aipm-e2e-XXXXXX")
	SESSION="aipm-e2e-cli-$$" # no screen: the command line only
	local d=$E2E_HOME
	# stage counts that rise, and --emit-sql on stage counts
	printf 'stage,count\nseen,100\nclicked,200\n' >"$d/rise.csv"
	expect_fail "rising stages" "rise.csv:3: stage 'clicked' has 200, more than the 100 of 'seen'" \
		aipm_cli funnel "$d/rise.csv"
	printf 'stage,count\nseen,100\nclicked,20\n' >"$d/stages.csv"
	expect_fail "--emit-sql on stages" "stages.csv holds stage counts, not events" \
		aipm_cli funnel "$d/stages.csv" --emit-sql postgres
	# an unclosed quote: the line where it opened, not a ragged row later
	printf 'user_id,event,timestamp\nu1,a,2026-06-01\nu2,"a,2026-06-01\nu3,b,2026-06-01\n' \
		>"$d/quote.csv"
	expect_fail "unclosed quote" "quote.csv:3: a quote opens a field here and is never closed" \
		aipm_cli funnel "$d/quote.csv" --steps a,b
	# --where in another case: a hint, and still the (empty) funnel
	local out err
	err=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup \
		--where platform=Android 2>&1 >"$d/out")
	grep -qF "did you mean platform=android?" <<<"$err" || fail "--where hint: $err"
	grep -q "install *0" "$d/out" || fail "--where: the funnel is not shown: $(cat "$d/out")"
	# a NUL byte in an event name is refused, placed
	printf 'user_id,event,timestamp\nu1,signup\0_FAILED,2026-06-01\n' >"$d/nul.csv"
	expect_fail "NUL in an event" "nul.csv:2:10: a NUL byte" aipm_cli funnel "$d/nul.csv" \
		--steps signup,x
	# a headerless training file whose first row is data
	printf 'good movie,positive\nbad movie,negative\nso so,meh\nawful,negative\nfine,positive\n' \
		>"$d/h.csv"
	expect_fail "headerless training file" "line 1 was read as data" aipm_cli train "$d/h.csv"
	# UTF-16 and UTF-32, by every reader
	printf 'text,label\ngood,pos\nbad,neg\n' | iconv -f UTF-8 -t UTF-16 >"$d/u16.csv"
	printf 'text,label\ngood,pos\nbad,neg\n' | iconv -f UTF-8 -t UTF-32 >"$d/u32.csv"
	expect_fail "train UTF-16" "u16.csv: this is UTF-16 text" aipm_cli train "$d/u16.csv"
	expect_fail "train UTF-32" "u32.csv: this is UTF-32 text" aipm_cli train "$d/u32.csv"
	expect_fail "funnel UTF-32" "u32.csv: this is UTF-32 text" aipm_cli funnel "$d/u32.csv"
	expect_fail "coach import UTF-16" "u16.csv: this is UTF-16 text" \
		aipm_cli coach import "$d/u16.csv"
	out=$(printf '1 + 1\n' | iconv -f UTF-8 -t UTF-16 | aipm_cli calc 2>&1)
	grep -qF "standard input: this is UTF-16 text" <<<"$out" || fail "calc UTF-16: $out"
	# calc underflow
	expect_fail "calc underflow" "too small to hold" aipm_cli calc '10^-400'
	# neither HOME nor XDG_DATA_HOME: no database in ./
	mkdir "$d/cwd"
	out=$(cd "$d/cwd" && env -u HOME -u XDG_DATA_HOME AIPM_DB= "$AIPM" learners 2>&1)
	[[ $? == 1 ]] || fail "no HOME: not exit 1: $out"
	grep -qF "set one of them, or pass --db PATH" <<<"$out" || fail "no HOME: $out"
	[[ -z $(ls -A "$d/cwd") ]] || fail "no HOME: a database was made in ./"
	# a database of another program is left as it was
	python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
c.execute('create table notes(x)'); c.execute('pragma user_version = 3'); c.commit()" "$d/their.db"
	local before
	before=$(sha256sum <"$d/their.db")
	expect_fail "foreign database" "their.db is an SQLite database of another program; aipm left it untouched" \
		aipm_cli --db "$d/their.db" learners
	[[ $(sha256sum <"$d/their.db") == "$before" ]] || fail "the foreign database changed"
	# the writer: no clobbering without --force, - is standard output
	aipm_cli learners add Ana >/dev/null
	aipm_cli coach report -o "$d/r.md" >/dev/null || fail "coach report -o: not written"
	expect_fail "report over a report" "r.md already exists: aipm replaces a file only when told to (--force)" \
		aipm_cli coach report -o "$d/r.md"
	aipm_cli coach report -o "$d/r.md" --force >/dev/null || fail "coach report --force failed"
	aipm_cli coach report -o - | grep -q "^# aipm coach report" || fail "coach report -o - is not on stdout"
	aipm_cli progress export --learner Ana -o - | head -1 | grep -q "^aipm-progress-bundle,format," ||
		fail "progress export -o - is not on stdout"
	expect_fail "report over the database" "is the database aipm is using" \
		aipm_cli coach report -o "$d/.local/share/aipm/aipm.db" --force
	rm -rf "$E2E_HOME"
}
