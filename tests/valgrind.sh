#!/usr/bin/env bash
# The end-to-end suite with every aipm process (the TUI in tmux and the
# command line the tests call) under valgrind memcheck: invalid reads and
# writes, uses of uninitialised values, bad frees, and memory definitely or
# possibly lost. Library noise that is not aipm's is suppressed in
# tests/valgrind.supp (each entry says why). Ends with "N passed, N failed"
# for the e2e tests, then each aipm process with errors (its stack), and
# "memcheck: N processes (N ended by their test), N with errors".
#
# usage: tests/valgrind.sh PATH/TO/aipm [E2E-NAME-FILTER]
#   VALGRIND_LOGS  keep the logs here (default: a temporary folder, removed
#                  when there is no error)
set -u
here=$(cd "$(dirname "$0")" && pwd)
aipm=$(realpath "${1:?usage: tests/valgrind.sh PATH/TO/aipm [filter]}")
filter=${2:-}
command -v valgrind >/dev/null || { echo "valgrind is not installed"; echo "0 passed, 1 failed"; exit 1; }
logs=${VALGRIND_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/aipm-valgrind-XXXXXX")}
mkdir -p "$logs"

# The e2e suite runs whatever $AIPM names: a wrapper that puts valgrind
# before the real binary, one log per process.
wrapper="$logs/aipm"
cat >"$wrapper" <<EOF
#!/bin/sh
exec valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible \\
	--errors-for-leak-kinds=definite,possible --num-callers=30 \\
	--suppressions="$here/valgrind.supp" --log-file="$logs/memcheck.%p.log" "$aipm" "\$@"
EOF
chmod +x "$wrapper"

# Every step is some 20 times slower under valgrind.
E2E_TIMEOUT=${E2E_TIMEOUT:-90} "$here/e2e/run.sh" "$wrapper" "$filter"
e2e_status=$?

# A process that ends normally is checked for every error and for leaks;
# one the test killed (its tmux session closed under it: SIGHUP) still had
# its memory in use, so only its memory errors count, not its leaks.
memory_errors='^==[0-9]+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function)'
processes=0 faulty=0 killed=0
for log in "$logs"/memcheck.*.log; do
	[[ -f $log ]] || continue
	processes=$((processes + 1))
	if grep -q 'Process terminating with default action of signal' "$log"; then
		killed=$((killed + 1))
		errors=$(grep -cE "$memory_errors" "$log")
	else
		errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
	fi
	if ((${errors:-0} > 0)); then
		faulty=$((faulty + 1))
		echo "memcheck: $errors errors in $(grep -m1 'Command:' "$log" | sed 's/.*Command: //') ($log)"
		grep -E "$memory_errors"'|definitely lost in|possibly lost in|^==[0-9]+==    (at|by) 0x' "$log" | head -40
	fi
done
echo "memcheck: $processes processes ($killed ended by their test), $faulty with errors"
if ((faulty == 0 && e2e_status == 0)) && [[ -z ${VALGRIND_LOGS:-} ]]; then
	rm -rf "$logs"
else
	echo "logs: $logs"
fi
((faulty == 0 && e2e_status == 0))
