#!/usr/bin/env bash
# Every test, twice: a -Werror build, then an ASan+UBSan build, each running
# the unit tests, the reliability tests (tests/reliability) and the tmux
# end-to-end suite (a meson test per tests/e2e/test_*.sh); then the funnel
# SQL on live PostgreSQL and ClickHouse (tests/sql), every libFuzzer target
# for 60 s (tests/fuzz/run.sh, a clang build with meson -Dfuzz=true in
# build-fuzz) and end-to-end tests of each module with aipm under valgrind
# (tests/valgrind.sh). Ends with "N passed, N failed": every meson test of
# both builds once (Ok; Fail and Timeout), plus the counts that the SQL,
# fuzz and valgrind scripts end with.
set -u
cd "$(dirname "$0")/.."
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
# Two writers on one database for 20 s here (a minute when run by hand).
export AIPM_CONCURRENT_SECONDS=${AIPM_CONCURRENT_SECONDS:-20}

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
# The sanitizers check the same write paths with fewer SIGKILLs.
AIPM_CRASH_KILLS=${AIPM_CRASH_KILLS_SANITIZE:-80} \
	run_build build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# A summary line "N passed, N failed" of a script's output, added up.
add_counts() {
	local line ok fail
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
	[[ -n $line ]] || { echo "no summary in $1"; broken=1; return; }
	read -r ok _ fail _ <<<"$line"
	passed=$((passed + ok))
	failed=$((failed + fail))
}

# The SQL that `aipm funnel --emit-sql` writes, run on throwaway PostgreSQL
# and ClickHouse servers, on chDB and DuckDB (their npm packages) against aipm's own
# counts (tests/sql); exit 77 is a skip (npm cannot reach its registry).
if [[ -x build/aipm ]]; then
	for engine in postgres clickhouse chdb duckdb; do
		tests/sql/test_$engine.sh build/aipm | tee "build-sql-$engine.log"
		if ((PIPESTATUS[0] == 77)); then
			echo "tests/sql/test_$engine.sh: skipped"
			continue
		fi
		add_counts "build-sql-$engine.log"
	done
fi

# Each libFuzzer target for 60 s over its seeds: a finding is a failure
# (run.sh sets up build-fuzz with clang and -Dfuzz=true).
FUZZ_BUILD=$PWD/build-fuzz tests/fuzz/run.sh 60 | tee build-fuzz.log
add_counts build-fuzz.log

# An end-to-end test of each module with every aipm process under valgrind
# memcheck (the whole suite takes half an hour: tests/valgrind.sh build/aipm).
valgrind_ci='test_switch_learner_and_remember\|test_lessons_read_quiz_and_restart'
valgrind_ci+='\|test_drill_estimate_worksheet_reveal_and_calibration\|test_lab_cli_train_json_and_predict'
valgrind_ci+='\|test_funnel_cli_json_and_sql\|test_coach_imports_two_learners_and_opens_the_views'
valgrind_ci+='\|test_learner_sees_their_progress\|test_hostile_resize_storm_in_every_module'
if [[ -x build/aipm ]]; then
	tests/valgrind.sh build/aipm "$valgrind_ci" | tee build-valgrind.log
	add_counts build-valgrind.log
	grep -q '^memcheck: .* 0 with errors$' build-valgrind.log && passed=$((passed + 1)) ||
		failed=$((failed + 1))
fi

if ((broken)); then
	echo "the build or a test run broke before counting"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
