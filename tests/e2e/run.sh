#!/usr/bin/env bash
# Runs every test_* function of tests/e2e/test_*.sh against the built aipm
# in tmux, and ends with "N passed, N failed".
# usage: tests/e2e/run.sh PATH/TO/aipm [NAME-FILTER]
set -u
here=$(cd "$(dirname "$0")" && pwd)
AIPM=$(realpath "${1:?usage: run.sh PATH/TO/aipm [filter]}")
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

passed=0 failed=0
for t in $(declare -F | awk '{print $3}' | grep '^test_' | grep -- "$filter"); do
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
((failed == 0))
