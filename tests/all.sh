#!/usr/bin/env bash
# Every test, twice: a -Werror build, then an ASan+UBSan build, each running
# the unit tests and the tmux end-to-end suite. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

passed=0 failed=0 broken=0
run_build() {
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1 || meson setup --wipe "$dir" "$@" >"$dir.setup.log" 2>&1
	else
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
	fi || { cat "$dir.setup.log"; broken=1; return; }
	meson compile -C "$dir" || { broken=1; return; }
	meson test -C "$dir" --print-errorlogs --num-processes 2 | tee "$dir.test.log"
	local ok fail
	ok=$(awk '/^Ok:/ {print $2}' "$dir.test.log")
	fail=$(awk '/^Fail:/ {print $2}' "$dir.test.log")
	timeout=$(awk '/^Timeout:/ {print $2}' "$dir.test.log")
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0} + ${timeout:-0}))
	[ -n "$ok" ] || broken=1
}

run_build build -Dwerror=true -Dbuildtype=debugoptimized
run_build build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

if ((broken)); then
	echo "the build or a test run broke before counting"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
