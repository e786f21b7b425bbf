#!/usr/bin/env bash
# Every command that reads or writes a file, against what another person
# (or a slip of the keyboard) can hand it: /dev/zero, /dev/urandom, a FIFO,
# a folder, a 3 GB sparse file, a symbolic link to the database and the
# database itself. Each runs under `ulimit -v` of 1 GB and `timeout`, and
# must exit 1 within seconds with a message naming the file; no file that
# was not to be written may change (sha256 before and after), the
# database included.
#
# usage: tests/files/hostile_files.sh path/to/aipm path/to/content
# Ends with "N passed, N failed".
set -u
aipm=$(realpath "$1")
content=$(realpath "$2")
limit_kb=1048576 # ulimit -v: 1 GB
seconds=10       # timeout per command; each must finish well inside it

work=$(mktemp -d "${TMPDIR:-/tmp}/aipm-hostile-XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 1
export HOME="$work/home" XDG_DATA_HOME= AIPM_DB= NO_COLOR=1 LANG=C.UTF-8
mkdir -p "$HOME"

passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# An ASan build reserves terabytes of address space and cannot start under
# ulimit -v: there, the memory limit is left out (and said so).
use_ulimit=1
if ! (ulimit -v $limit_kb; "$aipm" --version) >/dev/null 2>&1; then
	use_ulimit=0
	echo "note: $aipm cannot start under ulimit -v $limit_kb (a sanitizer build?);" \
		"running without the memory limit"
fi

# run NAME FILE-IN-MESSAGE STDIN -- ARGS...: the command must exit 1,
# within the timeout, naming FILE-IN-MESSAGE on standard error (or, for
# `content check`, whose report is its output, on standard output).
run() {
	local name=$1 want=$2 input=$3
	shift 4
	local started=$SECONDS status
	(
		[ $use_ulimit = 1 ] && ulimit -v $limit_kb
		exec timeout -k 2 $seconds "$aipm" --db "${run_db:-$work/aipm.db}" \
			--content "${run_content:-$content}" "$@" \
			<"$input" >"$work/out" 2>"$work/err"
	)
	status=$?
	local took=$((SECONDS - started))
	if [ $status = 124 ] || [ $status = 137 ]; then
		fail "$name: still running after $seconds s (a hang)"
	elif [ $status != 1 ]; then
		fail "$name: exit $status, not 1: $(head -c 300 "$work/err")"
	elif ! cat "$work/err" "$work/out" | grep -qF -- "$want"; then
		fail "$name: the message does not name '$want': $(head -c 300 "$work/err")"
	elif grep -qiE 'out of memory|abort|sanitizer' "$work/err"; then
		fail "$name: $(head -c 300 "$work/err")"
	else
		pass
		printf '  ok  %-58s %2ds  %s\n' "$name" "$took" "$(head -n 1 "$work/err" | cut -c 1-90)"
	fi
}

# ---- the set-up: a database with a learner and the course, a model ----
"$aipm" --db "$work/aipm.db" --content "$content" learners add Ana >/dev/null ||
	{ echo "cannot make the database"; echo "0 passed, 1 failed"; exit 1; }
head -n 201 "$content/datasets/reviews.csv" >"$work/reviews.csv"
"$aipm" train "$work/reviews.csv" --save "$work/model.aipm" >/dev/null 2>&1 ||
	{ echo "cannot train the model"; echo "0 passed, 1 failed"; exit 1; }
# a bundle exported and imported once, so that the next runs write nothing
"$aipm" --db "$work/aipm.db" --content "$content" progress export -o "$work/ana.csv" >/dev/null
"$aipm" --db "$work/aipm.db" --content "$content" coach report >/dev/null

# ---- the hostile files ----
mkfifo "$work/fifo.csv"
mkdir "$work/folder.csv"
truncate -s 3G "$work/sparse.csv"
ln -s "$work/aipm.db" "$work/link-to-db.csv"
hostile=(/dev/zero /dev/urandom "$work/fifo.csv" "$work/folder.csv" "$work/sparse.csv"
	"$work/link-to-db.csv" "$work/aipm.db")

# the files nothing may change
keep=("$work/aipm.db" "$work/model.aipm" "$work/reviews.csv" "$work/ana.csv")
for f in "${keep[@]}"; do sha256sum "$f"; done >"$work/before.sum"
sparse_before=$(sha256sum <"$work/sparse.csv")
sparse_blocks=$(stat -c %b "$work/sparse.csv")

echo "readers:"
for f in "${hostile[@]}"; do
	b=$(basename "$f")
	run "train $b" "$f" /dev/null -- train "$f"
	run "train --test-file $b" "$f" /dev/null -- train "$work/reviews.csv" --test-file "$f"
	run "predict --model $b" "$f" /dev/null -- predict --model "$f" "great film"
	run "coach import $b" "$f" /dev/null -- coach import "$f"
	run "coach import --dry-run $b" "$f" /dev/null -- coach import --dry-run "$f"
	run "funnel $b --steps" "$f" /dev/null -- funnel "$f" --steps a,b
	run "funnel $b (stage counts)" "$f" /dev/null -- funnel "$f"
	run "funnel $b --emit-sql" "$f" /dev/null -- funnel "$f" --steps a,b --emit-sql postgres
	# a course folder whose lesson and quiz are the hostile file
	course="$work/course-$b"
	cp -r "$content" "$course"
	ln -sf "$f" "$course/lessons/m1-99-hostile.md"
	ln -sf "$f" "$course/quiz/hostile.csv"
	run "content check (a lesson and a quiz are $b)" "m1-99-hostile.md" /dev/null -- \
		content check "$course"
	run "content check (the quiz is $b)" "quiz/hostile.csv" /dev/null -- \
		content check "$course"
	# an import takes the rest of the course (into a database of its own)
	# and fails, naming what it skipped
	run_db="$work/import.db" run_content="$course" \
		run "content import (a lesson and a quiz are $b)" "m1-99-hostile.md" /dev/null -- \
		content import
	rm -f "$work"/import.db*
	rm -rf "$course"
done
# the course folder itself
for f in /dev/zero "$work/fifo.csv" "$work/sparse.csv"; do
	run_content="$f" run "--content $(basename "$f") lessons" "$f" /dev/null -- lessons
done
# the database itself as the database: a device, a FIFO, a folder,
# a 3 GB file of zeros
for f in /dev/zero /dev/urandom "$work/fifo.csv" "$work/folder.csv" "$work/sparse.csv"; do
	b=$(basename "$f")
	(
		[ $use_ulimit = 1 ] && ulimit -v $limit_kb
		exec timeout -k 2 $seconds "$aipm" --db "$f" learners >/dev/null 2>"$work/err"
	)
	status=$?
	if [ $status = 1 ] && grep -qF -- "$f" "$work/err"; then
		pass
		printf '  ok  %-58s      %s\n' "--db $b learners" "$(head -n 1 "$work/err" | cut -c 1-90)"
	else
		fail "--db $b learners: exit $status: $(head -c 300 "$work/err")"
	fi
done

echo "standard input:"
for f in /dev/zero /dev/urandom "$work/sparse.csv" "$work/aipm.db"; do
	b=$(basename "$f")
	run "predict < $b" "standard input" "$f" -- predict --model "$work/model.aipm"
	run "calc < $b" "standard input" "$f" -- calc
	run "funnel - < $b" "standard input" "$f" -- funnel - --steps a,b
done

echo "writers:"
for f in "${hostile[@]}"; do
	b=$(basename "$f")
	run "coach report -o $b" "$f" /dev/null -- coach report -o "$f"
	run "progress export -o $b" "$f" /dev/null -- progress export -o "$f"
	run "train --save $b" "$f" /dev/null -- train "$work/reviews.csv" --save "$f"
done
# told to replace: still never the database, never through the link
for f in "$work/link-to-db.csv" "$work/aipm.db" "$work/aipm.db-wal" "$work/aipm.db-shm"; do
	b=$(basename "$f")
	run "coach report -o $b --force" "$f" /dev/null -- coach report -o "$f" --force
	run "progress export -o $b --force" "$f" /dev/null -- progress export -o "$f" --force
	run "train --save $b --force" "$f" /dev/null -- train "$work/reviews.csv" --save "$f" --force
done

echo "unchanged:"
if sha256sum --quiet -c "$work/before.sum"; then
	pass
	echo "  ok  ${#keep[@]} files byte for byte the same (sha256), the database included"
else
	fail "a file that was not to be written changed"
fi
if [ "$(sha256sum <"$work/sparse.csv")" = "$sparse_before" ] &&
	[ "$(stat -c %b "$work/sparse.csv")" = "$sparse_blocks" ] &&
	[ "$(stat -c %s "$work/sparse.csv")" = $((3 << 30)) ]; then
	pass
	echo "  ok  the 3 GB sparse file: same sha256, size and (no) blocks"
else
	fail "the sparse file changed"
fi
if [ -z "$(find "$work/folder.csv" -mindepth 1)" ] && [ -p "$work/fifo.csv" ] &&
	[ -L "$work/link-to-db.csv" ]; then
	pass
	echo "  ok  the folder is empty, the FIFO and the link are still there"
else
	fail "the folder, the FIFO or the link changed"
fi
leftover=$(find "$work" -maxdepth 1 -name '.*aipm-*' | head -n 3)
if [ -z "$leftover" ]; then
	pass
	echo "  ok  no temporary file left behind"
else
	fail "temporary files left: $leftover"
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
