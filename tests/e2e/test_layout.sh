# Issue 17, deliverable 8: every screen at 80x24 and at 60x20 keeps the
# layout rule of the README's UI conventions, as layout_check.py reads it
# from the pane: no row cut without an ellipsis at the edge, no known title
# cut mid-word without one in its column, no table cell out of its
# header's column.

here_layout=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# layout_cuts: what breaks the rule on the pane now (layout_check.py).
layout_cuts() {
	local cols
	cols=$(tmux -L "$TMUX_SOCKET" display -p -t "$SESSION" '#{pane_width}')
	screen | python3 "$here_layout/layout_check.py" "$cols" "$E2E_HOME/titles"
}

# layout_check NAME: the screen at 80x24 and at 60x20 has no cut row;
# the window goes back to 80x24 after.
layout_check() {
	local name=$1 size cuts
	for size in 80x24 60x20; do
		resize "${size%x*}" "${size#*x}"
		sleep 0.4
		cuts=$(LC_ALL=C.UTF-8 layout_cuts)
		[[ -z $cuts ]] || fail "$name at $size breaks the layout rule: $cuts"
	done
	resize 80 24
	sleep 0.3
}

# lc NAME KEYS... WAITED-TEXT: types KEYS, waits for the text, checks.
lc() {
	local name=$1 text=${*: -1}
	keys "${@:2:$#-2}"
	wait_for "$text" || return 1
	sleep 0.2
	layout_check "$name"
}


# go_home: Esc (it leaves a typed answer too) until home asks to quit,
# then stays.
go_home() {
	local i
	for i in 1 2 3 4 5 6; do
		if screen | grep -qF "Quit aipm?"; then
			keys n
			wait_gone "Quit aipm?"
			return
		fi
		keys Escape
		sleep 0.5
	done
	fail "Esc never reached home"
}

test_layout_every_screen_80x24_and_60x20() {
	# Box lines as Unicode, not the terminal's line-drawing set, which
	# a detached tmux captures as the letters q, x, l, k.
	E2E_ENV="NCURSES_NO_UTF8_ACS=1"
	start_app 80x24 --learner Lou
	wait_for "Lou" || return
	sqlite3 "$E2E_HOME/.local/share/aipm/aipm.db" "SELECT title FROM lessons UNION ALL
		SELECT title FROM modules UNION ALL SELECT term FROM glossary UNION ALL
		SELECT question FROM interview_questions UNION ALL
		SELECT question FROM estimation_questions" >"$E2E_HOME/titles"
	layout_check home
	lc "home help" '?' "open the next lesson"
	keys q
	lc tree l "Enter read"
	lc "tree help" '?' "j/k, g/G"
	keys q
	lc search / "Search the course"
	type_text "recall"
	lc "course search" Enter "match"
	keys q
	lc lesson Enter "j/k scroll"
	lc "lesson help" '?' "scroll a page"
	keys q
	lc glossary t "Glossary"
	keys q
	lc notes e "notes on this lesson"
	keys q
	lc bookmarks M "across the course"
	keys q
	lc quiz z "Question 1"
	go_home
	lc progress p "Your progress"
	keys q
	lc "drill menu" d "Mock interview"
	lc "drill list" Enter "j/k"
	lc "a drill question" Enter "Enter"
	go_home
	keys d
	lc calibration c "alibration"
	keys q
	lc "drill stats" s "tats"
	go_home
	lc funnels f "ourse funnel"
	lc "course funnel" c "stage"
	go_home
	lc lab m "Tab"
	go_home
	lc coach c "oach"
	keys q
}
