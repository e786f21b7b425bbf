# Hostile terminals: tiny and huge windows, a resize storm, terminals that
# cannot serve, plain ASCII and no colour. Never a crash, never garbage.

test_tiny_window_says_too_small() {
	start_app 20x10 --learner Tia
	wait_for "Terminal too" || return
	wait_for "have 20x10." || return
	resize 80 24
	wait_for "Welcome, Tia" || return
}

test_huge_window_draws() {
	start_app 300x100 --learner Hugo
	wait_for "Welcome, Hugo" || return
	wait_for "lessons done" || return
	keys '?'
	wait_for "any key: close" || return
	keys q
	wait_gone "any key: close" || return
}

test_resize_storm_survives() {
	start_app 80x24 --learner Rex
	wait_for "Welcome, Rex" || return
	local pid
	pid=$(tmux -L "$TMUX_SOCKET" list-panes -t "$SESSION" -F '#{pane_pid}')
	local app
	app=$(pgrep -P "$pid" -f aipm | head -1)
	[[ -n $app ]] || app=$pid
	for i in $(seq 1 300); do
		kill -WINCH "$app" 2>/dev/null
	done
	for size in 61x20 120x40 59x19 100x30 60x20 80x24; do
		resize "${size%x*}" "${size#*x}"
	done
	wait_for "Welcome, Rex" || return
	keys q y
	wait_for "[aipm exited] 0" || return
}

test_dumb_terminal_is_refused_clearly() {
	E2E_TERM=dumb start_app 80x24 --learner Dum
	wait_for "aipm needs a terminal" || return
	wait_for "[aipm exited] 1" || return
}

test_vt100_and_c_locale_draw_ascii() {
	E2E_TERM=vt100 E2E_LANG=C start_app 80x24 --learner Vic
	wait_for "Welcome, Vic" || return
	wait_for "lessons done" || return
	assert_screen_lacks "░" || return
	keys '?'
	wait_for "any key: close" || return
	assert_screen_lacks "┌" || return
}

test_no_color_keeps_styles_distinguishable() {
	E2E_ENV="NO_COLOR=1" start_app 80x24 --learner Noc
	wait_for "Welcome, Noc" || return
	# attributes, not colours: the escape dump has no colour changes
	if tmux -L "$TMUX_SOCKET" capture-pane -p -e -t "$SESSION" | grep -qE $'\e\\[[0-9;]*3[0-7]m'; then
		fail "NO_COLOR set but the screen uses foreground colours"
	fi
}
