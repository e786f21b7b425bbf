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

# layout_titles: the texts the title rule knows, from the app's database.
layout_titles() {
	sqlite3 "$E2E_HOME/.local/share/aipm/aipm.db" "SELECT title FROM lessons UNION ALL
		SELECT title FROM modules UNION ALL SELECT term FROM glossary UNION ALL
		SELECT question FROM interview_questions UNION ALL
		SELECT question FROM estimation_questions" >"$E2E_HOME/titles"
}

test_layout_every_screen_80x24_and_60x20() {
	# Box lines as Unicode, not the terminal's line-drawing set, which
	# a detached tmux captures as the letters q, x, l, k.
	E2E_ENV="NCURSES_NO_UTF8_ACS=1"
	start_app 80x24 --learner Lou
	wait_for "Lou" || return
	layout_titles
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

# The drill's answer screens and what follows them, the review, the
# funnel's event log, the lab's cells, the coach's views and the help of
# each, with answers on record so that the charts and lists have rows.
test_layout_answers_and_tools_80x24_and_60x20() {
	E2E_ENV="NCURSES_NO_UTF8_ACS=1 AIPM_NOW=2026-03-02T10:00:00Z"
	start_app 80x24 --learner Lia
	wait_for "Lia" || return
	layout_titles
	lc "drill menu help" d '?' "open the questions of a type"
	keys q
	lc "estimation list" Enter "Estimate the amount of dog food"
	lc "estimate" Enter "Worksheet"
	keys Down
	type_text "9.8M"
	keys Tab
	type_text "5M"
	keys Tab
	type_text "20M"
	lc "estimate reveal" C-d "Scored and saved."
	lc "estimate reveal help" '?' "scroll"
	keys q
	go_home
	lc "interview list" d Down Down Enter "How do you measure the success"
	lc "interview" Enter "Your answer (an outline is enough"
	type_text "North Star metric, then guardrails and a counter metric for each"
	lc "interview framework" C-d "The course's framework for"
	lc "rubric" Enter "Saved."
	go_home
	lc calibration d c "alibration"
	keys q
	lc "drill stats" s "tats"
	keys q
	lc "due list" u "j/k"
	go_home
	lc review r "eview"
	go_home
	lc progress p "Your progress"
	local tab
	for tab in 2 3 4 5 6 7; do
		lc "progress section $tab" "$tab" "Tab/1-7"
	done
	lc "progress help" '?' "section"
	go_home
	lc "funnel menu help" f '?' "funnel"
	keys q
	lc "event log" e "event"
	lc "event log help" '?' "funnel"
	keys q
	local view
	for view in 2 3 4 5 1; do
		lc "event log view $view" "$view" "1-5/Tab view"
	done
	go_home
	lc lab m "Tab"
	local cell
	for cell in 2 3 4 5 6; do
		lc "lab cell $cell" Tab "Tab"
	done
	lc "lab help" '?' "cell"
	go_home
	lc coach c "oach"
	lc "coach help" '?' "learner"
	keys q
	lc "difficult questions" d "j/k"
	keys q
	lc "coach learner" Enter "Lia"
	go_home
	lc "mock interview" d m "ock"
	go_home
}

# The checker itself: each of its rules finds what it is for, and passes
# the same rows laid out by the rule.
test_layout_checker_finds_each_break() {
	local check="python3 $here_layout/layout_check.py 30" titles out
	# No app: an empty HOME and no session for stop_app.
	SESSION=none E2E_HOME=$(mktemp -d)
	titles=$(mktemp)
	printf '%s\n' "Models, data and training" >"$titles"
	out=$(printf 'title\n abcdefghij klmnopqr stuvwxyza\n' | $check) &&
		fail "a row cut at the edge passed"
	[[ $out == *"row 2: runs to the edge"* ]] || fail "edge: $out"
	printf 'title\n abcdefghij klmnopqr stuvwxyz…\n abcdefghij klmnopqr stuvwx  █\n' |
		$check >/dev/null ||
		fail "an ellipsis at the edge, or text before the scroll gap, did not pass"
	out=$(printf 'title\n m2 Models, data and tra 0/8\n' | $check "$titles") &&
		fail "a title cut mid-word passed"
	[[ $out == *"'Models, data and training' cut"* ]] || fail "title: $out"
	printf 'title\n m2 Models, data an… 0/8\n m2 Models, data and\n training\n' |
		$check "$titles" >/dev/null || fail "a title with an ellipsis, or wrapped, did not pass"
	out=$(printf 'x\n  lesson   status  read\n  · One     new     5 min\n' |
		python3 "$here_layout/layout_check.py" 40) && fail "a cell out of its column passed"
	[[ $out == *"column 'status' at 11, its cell 'new' at 12"* ]] || fail "table: $out"
	printf 'x\n  lesson   status  read\n  · One    new      5 min\n' |
		python3 "$here_layout/layout_check.py" 40 >/dev/null || fail "an aligned table did not pass"
	rm -f "$titles"
}
