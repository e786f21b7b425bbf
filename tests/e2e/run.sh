#!/usr/bin/env bash
# Runs the test_* functions of tests/e2e/test_*.sh against the built aipm
# in tmux, and ends with "N passed, N failed".
# usage: tests/e2e/run.sh [--file test_NAME.sh] PATH/TO/aipm [NAME-FILTER]
#   --file  only the tests defined in that file (meson runs each file as a
#           test of its own this way); every file is still sourced, for the
#           helpers the files share.
set -u
here=$(cd "$(dirname "$0")" && pwd)
only_file=
if [[ ${1:-} == --file ]]; then
	only_file=$here/$(basename "${2:?--file needs a test_*.sh name}")
	[[ -f $only_file ]] || { echo "no such test file: $only_file"; echo "0 passed, 1 failed"; exit 1; }
	shift 2
fi
AIPM=$(realpath "${1:?usage: run.sh [--file test_NAME.sh] PATH/TO/aipm [filter]}")
filter=${2:-}
CONTENT_DIR=$(realpath "$here/../../content")
TMUX_SOCKET="aipm-e2e-$$"
export AIPM CONTENT_DIR TMUX_SOCKET
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 77; }

source "$here/lib.sh"
# A session that lives for the whole run, so that killing a test's session
# never takes the tmux server down under the next test.
tmux -L "$TMUX_SOCKET" new-session -d -s keeper "sleep 86400"
for f in "$here"/test_*.sh; do source "$f"; done

# The tests to run: every test_* function, or those of one file (extdebug
# makes declare -F name the file each function was defined in).
tests=$(declare -F | awk '{print $3}' | grep '^test_' | grep -- "$filter")
if [[ -n $only_file ]]; then
	shopt -s extdebug
	selected=
	for t in $tests; do
		read -r _ _ defined_in <<<"$(declare -F "$t")"
		[[ $defined_in == "$only_file" ]] && selected+="$t "
	done
	shopt -u extdebug
	tests=$selected
fi

passed=0 failed=0
for t in $tests; do
	TEST_FAILED=0
	echo "--- $t"
	E2E_ENV="" "$t"
	stop_app
	if ((TEST_FAILED)); then
		failed=$((failed + 1))
		echo "FAILED $t"
	else
		passed=$((passed + 1))
		echo "ok $t"
	fi
done
tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
echo "$passed passed, $failed failed"
# A file (or filter) that selects no test is a mistake, not a pass.
((passed + failed > 0)) || { echo "no test matched"; exit 1; }
((failed == 0))
