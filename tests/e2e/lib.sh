# End-to-end helpers: run the real aipm in a detached tmux session with a
# private HOME and database, type into it, and assert on the captured pane.
# Each test is a function named test_*; run.sh runs them all.

E2E_TIMEOUT=${E2E_TIMEOUT:-10}

# start_app [tmux-size WxH] [extra aipm args...]: a fresh session "$SESSION".
start_app() {
	local size=${1:-80x24}
	shift || true
	E2E_HOME=$(mktemp -d "${TMPDIR:-/tmp}/aipm-e2e-XXXXXX")
	SESSION="aipm-e2e-$$-$RANDOM"
	tmux -L "$TMUX_SOCKET" new-session -d -s "$SESSION" -x "${size%x*}" -y "${size#*x}" \
		"env HOME=$E2E_HOME XDG_DATA_HOME= AIPM_DB= TERM=${E2E_TERM:-xterm-256color} \
		 LANG=${E2E_LANG:-C.UTF-8} ${E2E_ENV:-} $AIPM $* ; echo '[aipm exited]' \$?; sleep 30"
}

# restart_app [size] [args]: the same HOME (and so database), a new process.
restart_app() {
	local size=${1:-80x24}
	shift || true
	tmux -L "$TMUX_SOCKET" kill-session -t "$SESSION" 2>/dev/null
	SESSION="aipm-e2e-$$-$RANDOM"
	tmux -L "$TMUX_SOCKET" new-session -d -s "$SESSION" -x "${size%x*}" -y "${size#*x}" \
		"env HOME=$E2E_HOME XDG_DATA_HOME= AIPM_DB= TERM=${E2E_TERM:-xterm-256color} \
		 LANG=${E2E_LANG:-C.UTF-8} ${E2E_ENV:-} $AIPM $* ; echo '[aipm exited]' \$?; sleep 30"
}

stop_app() {
	tmux -L "$TMUX_SOCKET" kill-session -t "$SESSION" 2>/dev/null
	rm -rf "$E2E_HOME"
}

keys() { tmux -L "$TMUX_SOCKET" send-keys -t "$SESSION" "$@"; }
# literal text, no key-name lookup
type_text() { tmux -L "$TMUX_SOCKET" send-keys -t "$SESSION" -l "$1"; }
screen() { tmux -L "$TMUX_SOCKET" capture-pane -p -t "$SESSION"; }
resize() { tmux -L "$TMUX_SOCKET" resize-window -t "$SESSION" -x "$1" -y "$2"; }

# wait_for TEXT: until the pane shows TEXT (fixed string), or fail.
wait_for() {
	local deadline=$((SECONDS + E2E_TIMEOUT))
	while ((SECONDS < deadline)); do
		if screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
	done
	fail "expected the screen to show: $1"
	return 1
}

# wait_gone TEXT: until the pane no longer shows TEXT.
wait_gone() {
	local deadline=$((SECONDS + E2E_TIMEOUT))
	while ((SECONDS < deadline)); do
		if ! screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
	done
	fail "expected the screen to stop showing: $1"
	return 1
}

# assert_screen_lacks TEXT: right now, the pane does not show TEXT.
assert_screen_lacks() {
	if screen | grep -qF -- "$1"; then
		fail "the screen should not show: $1"
		return 1
	fi
}

fail() {
	TEST_FAILED=1
	echo "    FAIL: $*"
	echo "    --- screen ---"
	screen | sed 's/^/    | /'
	echo "    --------------"
}

# aipm_cli ARGS: the CLI on the test's own database.
aipm_cli() { env HOME="$E2E_HOME" XDG_DATA_HOME= AIPM_DB= "$AIPM" "$@"; }
