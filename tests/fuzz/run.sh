#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/fuzz_*.c) as meson does with
# -Dfuzz=true (clang; the engines' own library instrumented for coverage,
# with ASan and UBSan), and runs each for SECONDS (default 60) over its
# committed seed corpus (tests/fuzz/corpus/NAME), two at a time. Prints
# each target's executions, speed and findings, and ends with "N passed,
# N failed"; a target passes when its run ends with no finding (crash,
# sanitizer report, leak, timeout, out of memory). A finding is kept under
# the build folder with the command that replays it.
#
# usage: tests/fuzz/run.sh [SECONDS] [NAME-FILTER]
#   FUZZ_BUILD   meson build folder, also the work folder (default /tmp/aipm-fuzz)
#   FUZZ_JOBS    targets run at once (default 2)
#   FUZZ_MERGE=1 after the runs, add the inputs that found new coverage to
#                the committed corpora (libFuzzer -merge=1), for a commit
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
filter=${2:-}
build=${FUZZ_BUILD:-/tmp/aipm-fuzz}
jobs=${FUZZ_JOBS:-2}
CC=${CC_FUZZ:-clang}

command -v "$CC" >/dev/null || { echo "$CC is not installed (apt-get install clang)"; echo "0 passed, 1 failed"; exit 1; }
command -v meson >/dev/null || { echo "meson is not installed"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$build"
out=$build/fuzz-runs # work, findings and logs
mkdir -p "$out/work" "$out/findings" "$out/logs"

# -O1 as libFuzzer's documentation advises: fast, and the stacks still say
# where a finding is.
setup=(-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false -Doptimization=1 -Ddebug=true)
if [[ -f $build/meson-private/coredata.dat ]]; then
	meson setup --reconfigure "$build" "$root" "${setup[@]}" >"$out/logs/setup.log" 2>&1 ||
		CC=$CC meson setup --wipe "$build" "$root" "${setup[@]}" >"$out/logs/setup.log" 2>&1
else
	CC=$CC meson setup "$build" "$root" "${setup[@]}" >"$out/logs/setup.log" 2>&1
fi || { cat "$out/logs/setup.log"; echo "meson setup failed"; echo "0 passed, 1 failed"; exit 1; }

targets=()
for src in "$here"/fuzz_*.c; do
	name=$(basename "${src%.c}")
	name=${name#fuzz_}
	[[ -n $filter && $name != *$filter* ]] && continue
	# A fuzz_*.c that tests/fuzz/meson.build does not list fails here.
	if ! meson compile -C "$build" "fuzz_$name" >"$out/logs/$name.build" 2>&1; then
		tail -20 "$out/logs/$name.build"
		echo "FAIL $name: does not build"
		targets+=("!$name")
		continue
	fi
	targets+=("$name")
done
bin=$build/tests/fuzz

# The committed corpus of a target: corpus/NAME, or corpus/NAME without a
# trailing "_csv" (the funnel's event log is corpus/funnel).
corpus_of() {
	local name=$1
	if [[ -d $here/corpus/$name ]]; then echo "$here/corpus/$name"; return; fi
	if [[ -d $here/corpus/${name%_csv} ]]; then echo "$here/corpus/${name%_csv}"; return; fi
	return 1
}

run_target() {
	local name=$1 corpus log=$out/logs/$1.log
	corpus=$(corpus_of "$name") || { echo "FAIL $name: no seed corpus under tests/fuzz/corpus" >"$log.summary"; return; }
	mkdir -p "$out/work/$name"
	rm -f "$out/findings/$name"-*
	# New inputs go to the work folder; the committed seeds are only read.
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$bin/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
		-max_len=16384 -print_final_stats=1 -artifact_prefix="$out/findings/$name-" \
		"$out/work/$name" "$corpus" >"$log" 2>&1
	local rc=$? runs speed units findings
	runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log")
	speed=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log")
	units=$(find "$out/work/$name" -type f | wc -l)
	findings=$(find "$out/findings" -name "$name-*" -type f | wc -l)
	if ((rc == 0 && findings == 0)); then
		printf 'ok   %-14s %6s s %12s runs %9s/s  corpus %6s  findings 0\n' \
			"$name" "$seconds" "${runs:-?}" "${speed:-?}" "$units" >"$log.summary"
	else
		{
			printf 'FAIL %-14s %6s s %12s runs %9s/s  corpus %6s  findings %s (exit %s)\n' \
				"$name" "$seconds" "${runs:-?}" "${speed:-?}" "$units" "$((findings ? findings : 1))" "$rc"
			grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error|SUMMARY' "$log" | sed 's/^/     /'
			for f in "$out/findings/$name"-*; do
				[[ -f $f ]] && echo "     replay: $bin/fuzz_$name $f"
			done
			echo "     log: $log"
		} >"$log.summary"
	fi
}

for t in "${targets[@]}"; do
	[[ $t == !* ]] && continue
	while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
	run_target "$t" &
done
wait

passed=0 failed=0
for t in "${targets[@]}"; do
	if [[ $t == !* ]]; then failed=$((failed + 1)); continue; fi
	cat "$out/logs/$t.log.summary"
	if grep -q '^ok' "$out/logs/$t.log.summary"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done

if [[ ${FUZZ_MERGE:-0} == 1 ]]; then
	for t in "${targets[@]}"; do
		[[ $t == !* ]] && continue
		corpus=$(corpus_of "$t") || continue
		"$bin/fuzz_$t" -merge=1 -max_len=16384 "$corpus" "$out/work/$t" >"$out/logs/$t.merge" 2>&1 &&
			echo "merged $t: $(find "$corpus" -type f | wc -l) seeds"
	done
fi
echo "$passed passed, $failed failed"
((failed == 0))
