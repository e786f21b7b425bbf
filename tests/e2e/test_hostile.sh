# Hostile terminals beyond test_terminals.sh: every module at 300x100 and
# at 20x10, resize storms in the middle of each module and of a lesson
# (compared with a fresh start at the same place: no garbage left), a
# C locale on a lesson's text, and terminals that cannot serve (unknown or
# unset TERM, output not a terminal): never a crash, a clear message.

# The module keys of the home screen and the title each module shows.
hostile_modules=("l:Lessons" "d:Interview drill" "m:Model lab" "f:Funnels" "p:Your progress"
	"c:Coach: cohort")

# wait_title TITLE: until the title bar shows TITLE.
wait_title() {
	local deadline=$((SECONDS + E2E_TIMEOUT))
	while ((SECONDS < deadline)); do
		screen | head -1 | grep -qF -- " $1" && return 0
		sleep 0.1
	done
	fail "the title bar does not show '$1'"
	return 1
}

# open_module KEY TITLE: from home, the module's screen with its title bar.
open_module() {
	keys "$1"
	wait_gone "Welcome" || return 1
	wait_title "$2"
}

back_home() {
	local i
	for i in 1 2 3 4 5; do
		screen | grep -qF "Welcome" && return 0
		keys Escape
		sleep 0.3
	done
	wait_for "Welcome" || return 1
}

# settle: until the pane stops changing for a second (the resizes of a
# storm are drawn one by one, slowly under valgrind; a key sent meanwhile
# would be answered by a screen that a later resize then redraws).
settle() {
	local deadline=$((SECONDS + E2E_TIMEOUT)) before now
	before=$(screen)
	while ((SECONDS < deadline)); do
		sleep 1
		now=$(screen)
		[[ $now == "$before" ]] && return 0
		before=$now
	done
	fail "the screen kept changing after the storm"
	return 1
}

app_pid() {
	local pane
	pane=$(tmux -L "$TMUX_SOCKET" list-panes -t "$SESSION" -F '#{pane_pid}')
	pgrep -P "$pane" | head -1
}

# storm N: N SIGWINCH to aipm while tmux resizes its window back and forth.
storm() {
	local pid i
	pid=$(app_pid)
	[[ -n $pid ]] || { fail "no aipm process"; return 1; }
	for i in $(seq 1 "$1"); do
		kill -WINCH "$pid" 2>/dev/null || { fail "aipm is gone during the storm"; return 1; }
		if ((i % 25 == 0)); then
			resize $((40 + i % 160)) $((10 + i % 50))
		fi
	done
	resize 80 24
}

test_hostile_every_module_at_300x100_then_20x10() {
	start_app 300x100 --learner Huge
	wait_for "Welcome, Huge" || return
	local m
	for m in "${hostile_modules[@]}"; do
		open_module "${m%%:*}" "${m#*:}" || return
		keys '?'
		wait_for "any key: close" || return
		keys q
		wait_gone "any key: close" || return
		resize 20 10
		wait_for "Terminal too" || return
		resize 300 100
		wait_gone "Terminal too" || return
		wait_title "${m#*:}" || return
		back_home || return
	done
	keys q y
	wait_for "[aipm exited] 0" || return
}

test_hostile_resize_storm_in_every_module() {
	start_app 80x24 --learner Storm
	wait_for "Welcome, Storm" || return
	local m
	for m in "${hostile_modules[@]}"; do
		open_module "${m%%:*}" "${m#*:}" || return
		# keys and resizes interleaved: drawing while the size changes
		keys j j k
		storm 200 || return
		settle || return
		keys '?'
		wait_for "any key: close" || return
		keys q
		wait_gone "any key: close" || return
		wait_title "${m#*:}" || return
		back_home || return
	done
	keys q y
	wait_for "[aipm exited] 0" || return
}

# After a storm in the middle of a lesson the screen must be what a fresh
# aipm draws at the same place: nothing left over from other sizes.
test_hostile_resize_storm_in_a_lesson_leaves_no_garbage() {
	start_app 80x24 --learner Gale
	wait_for "Welcome, Gale" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys PageDown j j
	storm 300 || return
	settle || return
	keys j
	sleep 0.5
	local after fresh
	after=$(screen)
	keys q
	wait_for "Enter read" || return
	keys q
	wait_for "Welcome, Gale" || return
	keys q y
	wait_for "[aipm exited] 0" || return
	restart_app 80x24 --learner Gale
	wait_for "Welcome back, Gale" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	sleep 0.5
	fresh=$(screen)
	if [[ "$after" != "$fresh" ]]; then
		fail "the lesson after the storm differs from a fresh start at the same place"
		diff <(echo "$after") <(echo "$fresh") | sed 's/^/    /'
	fi
}

test_hostile_c_locale_lesson_is_ascii() {
	E2E_LANG=C start_app 80x24 --learner Ascii
	wait_for "Welcome, Ascii" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	local page
	for page in 1 2 3 4; do
		if screen | LC_ALL=C grep -q '[^ -~]'; then
			fail "non-ASCII characters on a C-locale screen"
			return
		fi
		keys PageDown
		sleep 0.3
	done
}

test_hostile_unknown_and_unset_term_are_refused_clearly() {
	E2E_TERM=no-such-terminal start_app 80x24 --learner Tom
	wait_for "aipm needs a terminal with cursor movement" || return
	wait_for "no-such-terminal is not known" || return
	wait_for "[aipm exited] 1" || return
	stop_app
	E2E_ENV="TERM=" start_app 80x24 --learner Tom
	wait_for "aipm needs a terminal with cursor movement" || return
	wait_for "[aipm exited] 1" || return
}

test_hostile_output_not_a_terminal_is_refused() {
	start_app 80x24 --learner Pipe '>' /dev/null
	wait_for "the interactive mode needs a terminal" || return
	wait_for "[aipm exited] 1" || return
}
