#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/fuzz_*.c) with clang,
# -fsanitize=fuzzer,address,undefined, against the engines in src/, and runs
# each for SECONDS (default 60) over its committed seed corpus
# (tests/fuzz/corpus/NAME), two at a time. Prints each target's executions,
# speed and findings, and ends with "N passed, N failed"; a target passes
# when its run ends with no finding (crash, sanitizer report, leak, timeout,
# out of memory). A finding is kept under the build folder with the command
# that replays it.
#
# usage: tests/fuzz/run.sh [SECONDS] [NAME-FILTER]
#   FUZZ_BUILD   build and work folder (default /tmp/aipm-fuzz)
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
mkdir -p "$build/obj" "$build/work" "$build/findings" "$build/logs"

# config.h as meson writes it; the targets read no installed content.
cat >"$build/config.h.new" <<EOF
#define AIPM_VERSION "fuzz"
#define AIPM_INSTALLED_CONTENT "$root/content"
#define AIPM_SOURCE_CONTENT "$root/content"
EOF
cmp -s "$build/config.h.new" "$build/config.h" || mv "$build/config.h.new" "$build/config.h"

# The engines once, with coverage for the fuzzer and the sanitizers; an
# object is rebuilt when its source or any header is newer.
cflags=(-g -O1 -std=gnu17 -D_GNU_SOURCE -fsanitize=fuzzer-no-link,address,undefined
	-fno-sanitize-recover=all -fno-omit-frame-pointer -I"$build" -I"$root/src")
libs=(-lsqlite3 -lpcre2-8 -lmd4c -ljansson -luuid -lcsv -lhogweed -lnettle -llbfgs -lm)
newest_header=$(ls -t "$root"/src/*.h "$build/config.h" | head -1)
export CC newest_header
# An engine that does not compile is reported; only the targets that need
# it fail (at link time).
printf '%s\n' "${cflags[@]}" >"$build/cflags"
printf '%s\n' "$root"/src/*.c | grep -v '/main\.c$' |
	xargs -P "$jobs" -I{} bash -c '
		src={}; obj='"$build"'/obj/$(basename "${src%.c}").o
		mapfile -t f <'"$build"'/cflags
		if [[ ! -f $obj || $src -nt $obj || $newest_header -nt $obj ]]; then
			rm -f "$obj"
			"$CC" "${f[@]}" -c "$src" -o "$obj" 2>"$obj.log" ||
				{ echo "$src does not compile with $CC:"; head -5 "$obj.log"; }
		fi'
rm -f "$build/libengines.a"
ar rcs "$build/libengines.a" "$build"/obj/*.o

targets=()
for src in "$here"/fuzz_*.c; do
	name=$(basename "${src%.c}")
	name=${name#fuzz_}
	[[ -n $filter && $name != *$filter* ]] && continue
	if ! "$CC" "${cflags[@]/fuzzer-no-link/fuzzer}" "$src" "$build/libengines.a" "${libs[@]}" \
		-o "$build/fuzz_$name" 2>"$build/logs/$name.build"; then
		cat "$build/logs/$name.build"
		echo "FAIL $name: does not build"
		targets+=("!$name")
		continue
	fi
	targets+=("$name")
done

# The committed corpus of a target: corpus/NAME, or corpus/NAME without a
# trailing "_csv" (the funnel's event log is corpus/funnel).
corpus_of() {
	local name=$1
	if [[ -d $here/corpus/$name ]]; then echo "$here/corpus/$name"; return; fi
	if [[ -d $here/corpus/${name%_csv} ]]; then echo "$here/corpus/${name%_csv}"; return; fi
	return 1
}

run_target() {
	local name=$1 corpus log=$build/logs/$1.log
	corpus=$(corpus_of "$name") || { echo "FAIL $name: no seed corpus under tests/fuzz/corpus" >"$log.summary"; return; }
	mkdir -p "$build/work/$name"
	rm -f "$build/findings/$name"-*
	# New inputs go to the work folder; the committed seeds are only read.
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
		-max_len=16384 -print_final_stats=1 -artifact_prefix="$build/findings/$name-" \
		"$build/work/$name" "$corpus" >"$log" 2>&1
	local rc=$? runs speed units findings
	runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log")
	speed=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log")
	units=$(find "$build/work/$name" -type f | wc -l)
	findings=$(find "$build/findings" -name "$name-*" -type f | wc -l)
	if ((rc == 0 && findings == 0)); then
		printf 'ok   %-14s %6s s %12s runs %9s/s  corpus %6s  findings 0\n' \
			"$name" "$seconds" "${runs:-?}" "${speed:-?}" "$units" >"$log.summary"
	else
		{
			printf 'FAIL %-14s %6s s %12s runs %9s/s  corpus %6s  findings %s (exit %s)\n' \
				"$name" "$seconds" "${runs:-?}" "${speed:-?}" "$units" "$((findings ? findings : 1))" "$rc"
			grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error|SUMMARY' "$log" | sed 's/^/     /'
			for f in "$build/findings/$name"-*; do
				[[ -f $f ]] && echo "     replay: $build/fuzz_$name $f"
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
	cat "$build/logs/$t.log.summary"
	if grep -q '^ok' "$build/logs/$t.log.summary"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done

if [[ ${FUZZ_MERGE:-0} == 1 ]]; then
	for t in "${targets[@]}"; do
		[[ $t == !* ]] && continue
		corpus=$(corpus_of "$t") || continue
		"$build/fuzz_$t" -merge=1 -max_len=16384 "$corpus" "$build/work/$t" >"$build/logs/$t.merge" 2>&1 &&
			echo "merged $t: $(find "$corpus" -type f | wc -l) seeds"
	done
fi
echo "$passed passed, $failed failed"
((failed == 0))
