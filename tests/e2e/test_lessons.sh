# The Lessons module: the course tree, reading (scroll, search, resize),
# a quiz answered right and wrong, the review, and everything found again
# after a restart; the glossary, the course search, notes and the CLI.

lessons_db() { echo "$E2E_HOME/.local/share/aipm/aipm.db"; }

# The first lesson in course order, from the CLI (as the tree orders it).
first_lesson() { aipm_cli lessons --format csv | awk -F, 'NR == 2 { print $2 }'; }
lesson_title() { sqlite3 "$(lessons_db)" "SELECT title FROM lessons WHERE id = '$1'"; }

# The pane's first text row under the title bar: the top of the reader.
top_line() { screen | sed -n 2p; }
# The first rows of the reader: a place in a lesson.
top_rows() { screen | sed -n 2,5p; }

# shown_number CHOICES N: the number the screen gives the bank's option N
# of CHOICES ("a | b | c"), found by the start of its text.
shown_number() {
	local text
	text=$(awk -F' [|] ' -v n="$2" '{ print $n }' <<<"$1")
	screen | grep -F -- ". ${text:0:24}" | head -1 | sed -E 's/^[^0-9]*([0-9]+)\. .*/\1/'
}

# answer_question ID right|wrong: the keys that answer a question of the
# first lesson right or wrong, read from the imported course so that the
# test follows the content.
answer_question() {
	local row kind answer model reject choices count
	# A separator that is not white space: empty fields stay fields.
	row=$(sqlite3 -separator $'\x1f' "$(lessons_db)" \
		"SELECT kind, answer, model_answer, reject, choices FROM quiz_questions WHERE id = '$1'")
	IFS=$'\x1f' read -r kind answer model reject choices <<<"$row"
	[[ -n $kind ]] || { fail "no question $1"; return 1; }
	count=$(awk -F' [|] ' '{ print NF }' <<<"$choices")
	count=${count:-1}
	# Options are shown in the take's order: the bank's numbers are
	# found on the screen by their text.
	local shown=() c
	if [[ $kind == single || $kind == multiple ]]; then
		for c in ${answer//,/ }; do shown+=("$(shown_number "$choices" "$c")"); done
	fi
	case "$kind:$2" in
	single:right) keys "${shown[0]}" ;;
	single:wrong) keys "$((shown[0] % count + 1))" ;;
	multiple:right) for c in "${shown[@]}"; do keys "$c"; done ;;
	multiple:wrong) for c in $(seq "$count"); do keys "$c"; done ;;
	truefalse:right) keys "${answer:0:1}" ;;
	truefalse:wrong) [[ $answer == true ]] && keys f || keys t ;;
	short:right) type_text "$model" ;;
	short:wrong) type_text "${reject%% | *}" ;;
	numeric:right) type_text "$answer" ;;
	numeric:wrong) type_text "$answer$answer" ;;
	esac
	keys Enter
}

test_lessons_read_quiz_and_restart() {
	start_app 80x24 --learner Lee
	wait_for "Welcome, Lee" || return
	local lesson title
	lesson=$(first_lesson)
	title=$(lesson_title "$lesson")
	# The course tree: modules with their share done, lessons with status.
	keys l
	wait_for "lessons done (0%)" || return
	wait_for "0% done" || return
	wait_for "$title" || return
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	screen | grep -q " 100%  " && fail "the first page should not be the whole lesson"
	local before
	before=$(top_line)
	# Scroll: a line, a page, the wheel's arrow keys.
	keys j j Down PageDown
	local deadline=$((SECONDS + E2E_TIMEOUT))
	while [[ "$(top_line)" == "$before" ]] && ((SECONDS < deadline)); do
		sleep 0.1
	done
	[[ "$(top_line)" != "$before" ]] || fail "scrolling did not move the text"
	assert_screen_lacks "**" || return
	assert_screen_lacks "|---" || return
	assert_screen_lacks "## " || return
	# Search from the top: every match counted, n moves, an invalid
	# pattern is an error.
	keys g /
	wait_for "Search this lesson" || return
	type_text 'pain\s+point'
	keys Enter
	wait_for '/pain\s+point  1 of' || return
	keys n
	wait_for '/pain\s+point  2 of' || return
	keys N
	wait_for '/pain\s+point  1 of' || return
	keys /
	wait_for "Search this lesson" || return
	keys C-u
	type_text 'pain('
	keys Enter
	wait_for "Invalid pattern: missing closing parenthesis" || return
	# Resize mid-lesson: the text at the top stays at the top (the view
	# keeps the place in the paragraph, so the first word of the old top
	# line is on the new one). A line of running text, not a table row.
	# (Never the end: that would count the lesson as read.)
	keys g PageDown PageDown PageDown
	local word tries=0
	while sleep 0.3; word=$(top_line | awk '{ print $1 }')
		[[ -z $word || $(top_line) == *│* || $(top_line) == *─* ]] && ((tries++ < 20)); do
		keys k
	done
	resize 60 20
	sleep 0.5
	top_line | grep -qwF -- "$word" || fail "after narrowing, '$word' left the top line"
	word=$(top_line | awk '{ print $1 }')
	resize 100 30
	sleep 0.5
	top_line | grep -qwF -- "$word" || fail "after widening, '$word' left the top line"
	resize 80 24
	sleep 0.5
	keys g j j j j j
	sleep 0.3
	local place
	place=$(top_rows)
	# The quiz: one wrong answer among right ones.
	keys z
	wait_for "Question 1 of" || return
	local n
	n=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM quiz_questions WHERE lesson_id = '$lesson'")
	answer_question "$lesson-q1" right
	wait_for "Right." || return
	keys Enter
	wait_for "Question 2 of $n" || return
	answer_question "$lesson-q2" wrong
	wait_for "Not right." || return
	wait_for "The answer:" || return
	wait_for "Source:" || return
	keys Enter
	for i in $(seq 3 "$n"); do
		wait_for "Question $i of $n" || return
		answer_question "$lesson-q$i" right
		wait_for "Right." || return
		keys Enter
	done
	local pct
	pct=$(awk -v n="$n" 'BEGIN { printf "%.0f", (n - 1) * 100 / n }')
	wait_for "Your score: $((n - 1)) of $n right" || return
	wait_for "Read the lesson to its end to finish it." || return
	# Review: the missed question again.
	keys r
	wait_for "Review 1 of 1" || return
	answer_question "$lesson-q2" right
	wait_for "Right." || return
	keys Enter
	wait_for "Review: 1 of 1 right" || return
	keys q
	wait_for "j/k scroll" || return
	[[ "$(top_rows)" == "$place" ]] || fail "back from the quiz, the reader moved"
	keys q
	wait_for "Next " || return
	wait_for "started" || return
	wait_for "$pct%" || return
	# Every attempt was stored: the take's and the review's.
	local attempts
	attempts=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM quiz_attempts")
	[[ $attempts == $((n + 1)) ]] || fail "$attempts attempts stored, want $((n + 1))"
	keys q
	wait_for "Welcome, Lee" || return
	keys q y
	wait_for "[aipm exited] 0" || return

	# A new process: the same place in the lesson, the same score.
	restart_app 80x24
	wait_for "Welcome back, Lee" || return
	keys l
	wait_for "$pct%" || return
	keys Enter
	wait_for "j/k scroll" || return
	sleep 0.3
	[[ "$(top_rows)" == "$place" ]] ||
		fail "after a restart the lesson opened at '$(top_rows)', not '$place'"
	# Read to the end: with the quiz passed, the lesson is done.
	keys G
	wait_for "100%" || return
	keys q
	wait_for "1 of" || return
	wait_for "done" || return
	aipm_cli lessons --format csv | grep -q "^m[0-9]*,$lesson,.*,done,[0-9]*,$pct,$pct$" ||
		fail "the CLI does not list $lesson as done at $pct%: $(aipm_cli lessons --format csv | sed -n 2p)"
}

test_lessons_glossary_search_notes() {
	start_app 80x24 --learner Mo
	wait_for "Welcome, Mo" || return
	keys l
	wait_for "lessons done" || return
	# The course-wide search lists lessons and matching lines.
	keys /
	wait_for "Search the course" || return
	type_text 'confusion\s+matri(x|ces)'
	keys Enter
	wait_for "matches in" || return
	wait_for "The confusion matrix" || return
	keys Enter
	wait_for '/confusion\s+matri(x|ces)  1 of' || return
	# A note on the paragraph at the top, shown under it.
	keys a
	wait_for "Add a note" || return
	type_text "Ask the data team for the matrix"
	keys Enter
	wait_for "Note saved under its paragraph" || return
	wait_for "→ Your note: Ask the data team for the matrix" || return
	# Sources, then a glossary term on screen.
	keys s
	wait_for "Everything this lesson draws on" || return
	keys Escape
	# An empty search clears the matches.
	keys /
	wait_for "Search this lesson" || return
	keys C-u Enter
	keys g
	keys Tab
	wait_for "Enter: " || return
	keys q q
	wait_for "lessons done" || return
	# The glossary screen, filtered.
	keys t
	wait_for "terms" || return
	keys /
	type_text "harmonic"
	wait_for "1 of" || return
	wait_for "F1 score" || return
	keys Enter Enter
	wait_for "Also written" || return
	local notes
	notes=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM notes")
	[[ $notes == 1 ]] || fail "$notes notes stored, want 1"
}

test_lessons_next_from_home_and_cli_show() {
	start_app 80x24 --learner Nia
	wait_for "Welcome, Nia" || return
	local lesson title
	lesson=$(first_lesson)
	title=$(lesson_title "$lesson")
	# One key from home to the next lesson.
	keys n
	wait_for "j/k scroll" || return
	wait_for "$title" || return
	# The CLI renders the same lesson as plain text, no wider than asked.
	local out width
	out=$(aipm_cli lessons show "$lesson" --width 50)
	grep -qF "$title" <<<"$out" || fail "lessons show lacks the title"
	width=$(LC_ALL=C.UTF-8 wc -L <<<"$out")
	((width <= 50)) || fail "lessons show --width 50 printed a line of $width columns"
	grep -qE '\*\*|^#|\|---|\]\(' <<<"$out" && fail "lessons show printed a Markdown marker"
	grep -q "│" <<<"$out" || fail "lessons show printed no table"
	aipm_cli lessons show no-such-lesson >/dev/null 2>&1 && fail "an unknown lesson should fail"
	aipm_cli lessons show "$lesson" --width 3 >/dev/null 2>&1 && fail "--width 3 should fail"
	aipm_cli lessons --format json | grep -q '"percent_done"' || fail "lessons --format json"
}

test_next_lesson_is_one_key_from_anywhere() {
	start_app 80x24 --learner Nia
	wait_for "Welcome, Nia" || return
	keys d
	wait_for "Interview drill" || return
	keys C-n
	wait_for "Start from the pain point" || return
	wait_for "j/k scroll" || return
	keys '?'
	wait_for "open the next unfinished lesson" || return
}

# open_at PATTERN: from the course tree, the course search opens the
# lesson at PATTERN's first match.
open_at() {
	keys /
	wait_for "Search the course" || return 1
	type_text "$1"
	keys Enter
	wait_for " in 1 lesson" || return 1
	keys Enter
	wait_for "/$1  1 of" || return 1
}

# Try-it blocks: Enter on the one on screen opens the module set up, and
# `lessons show` prints the same as a command line.
test_try_it_opens_the_modules_set_up() {
	start_app 100x30 --learner Ola
	wait_for "Welcome, Ola" || return
	keys l
	wait_for "lessons done" || return
	# The notebook lesson: the lab on the shipped reviews, the notebook's
	# settings, on the cell to run.
	open_at "shipped reviews with the notebook" || return
	wait_for "▶ Try it: Train on the shipped reviews" || return
	wait_for "$ aipm train" || return
	keys Enter
	wait_for "Set up by the lesson: press r to run cell 6 (Evaluate)" || return
	keys 5
	# The block's epochs and batch are SGD's, so SGD it is.
	wait_for "solver           mini-batch SGD (epochs)" || return
	wait_for "epochs           2" || return
	wait_for "batch size       16" || return
	keys 1
	wait_for "balanced subset 1000 per class" || return
	wait_for "content/datasets/reviews.csv" || return
	# Back through the reader and the search to the tree.
	keys q q q
	wait_for "lessons done" || return
	# The funnel lesson: the shipped log at the incident, by platform.
	open_at "The July incident: install to signup" || return
	keys Tab
	wait_for "Enter: try it (funnel)" || return
	keys Enter
	# The incident, set up: 10-20 July, a day's window, by platform.
	E2E_TIMEOUT=60 wait_for "window 1d, by platform" || return
	wait_for "platform = android: 306 entered, 10.8% reach the last step" || return
	keys q q q
	wait_for "lessons done" || return
	# The estimation lesson: the dog-food question itself; the interview
	# lesson: the drill's list of its type.
	open_at "Try it: Estimate the amount of dog food" || return
	keys Enter
	wait_for "Estimate the amount of dog food" || return
	keys Escape
	wait_for "Enter: try it (drill)" || return
	keys q q
	wait_for "lessons done" || return
	open_at "Try it: Drill product sense questions" || return
	keys Enter
	wait_for "Product sense" || return
	wait_for "Design" || return
	# The same blocks from the shell.
	local out
	out=$(aipm_cli lessons show m8-metrics-and-estimation-answers --width 100)
	grep -qF '$ aipm drill score est-dog-food-us --point X --low L --high H' <<<"$out" ||
		fail "lessons show does not print the dog-food command line"
	out=$(aipm_cli lessons show m7-the-aarrr-funnel --width 200)
	grep -qF -- "--steps install,signup --window 1d --from 2026-07-10 --to 2026-07-20 --by platform" \
		<<<"$out" || fail "lessons show does not print the funnel command line"
}

# A module's recap and its cumulative quiz from the course tree: 12
# questions drawn from its lessons, scored, shown on the tree.
test_recap_and_cumulative_quiz() {
	start_app 80x24 --learner Pia
	wait_for "Welcome, Pia" || return
	keys l
	wait_for "Recap and module quiz (12 questions)" || return
	# The first recap row is the sixth row: m1, its four lessons, then it.
	keys g j j j j j
	keys Enter
	wait_for "Key points" || return
	keys G
	wait_for "The lessons of this module" || return
	wait_for "End of the recap" || return
	keys z
	wait_for "Question 1 of 12" || return
	local i
	for i in $(seq 12); do
		wait_for "Question $i of 12" || return
		# Any answer: a choice, true, or a typed word.
		# A numeric question takes a number only.
		if screen | grep -q "Type a number"; then type_text "1"
		elif screen | grep -q "Type "; then type_text "no idea"
		else keys 1; fi
		keys Enter
		wait_for "The answer:" || return
		keys Enter
	done
	wait_for "Your score:" || return
	wait_for "the pass mark is 70%" || return
	keys v
	wait_for "Your answers (12)" || return
	keys v q q
	wait_for "Recap and module quiz" || return
	local takes
	takes=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM quiz_takes WHERE scope = 'module'
		AND lesson_id = 'm1' AND answered = 12 AND finished_at IS NOT NULL AND seed IS NOT NULL")
	[[ $takes == 1 ]] || fail "$takes finished module takes stored, want 1"
	local shown
	shown=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM quiz_attempts a JOIN quiz_questions q
		ON q.id = a.question_id WHERE q.kind IN ('single', 'multiple') AND a.shown = ''")
	[[ $shown == 0 ]] || fail "$shown choice answers stored without the order shown"
}

# The daily review mixes quiz and drill cards: answered one day, they come
# back in one session and on home's count the next.
test_daily_review_mixes_quiz_and_drill() {
	E2E_ENV="AIPM_NOW=2026-04-01T09:00:00Z" start_app 80x24 --learner Quy
	wait_for "Quy" || return
	# Reviews only: no new drill questions join the day's due list.
	aipm_cli --learner Quy drill settings --new-per-day 0 >/dev/null || fail "drill settings"
	E2E_ENV="AIPM_NOW=2026-04-01T09:00:00Z" restart_app 80x24 --learner Quy
	wait_for "0 due today: 0 quiz, 0 drill" || return
	keys q y
	wait_for "[aipm exited] 0" || return
	# A wrong quiz answer from the shell and a missed estimate: both due
	# tomorrow.
	printf 'no idea\n' | AIPM_NOW=2026-04-01T09:00:00Z aipm_cli --learner Quy \
		quiz m1-shiny-object-trap >/dev/null 2>&1
	AIPM_NOW=2026-04-01T09:05:00Z aipm_cli --learner Quy drill score est-dog-food-us \
		--point 1 --low 0.5 --high 2 --record >/dev/null || fail "drill score --record"
	local listed
	listed=$(AIPM_NOW=2026-04-02T09:00:00Z aipm_cli --learner Quy review --format csv)
	grep -q '^drill,est-dog-food-us,estimation' <<<"$listed" || fail "aipm review: $listed"
	grep -q '^quiz,m1-shiny-object-trap-q' <<<"$listed" || fail "aipm review: $listed"
	E2E_ENV="AIPM_NOW=2026-04-02T09:00:00Z"
	restart_app 80x24 --learner Quy
	wait_for "due today: 1 quiz, 1 drill (press r)" || return
	keys r
	wait_for "2 due today: 1 drill, 1 quiz" || return
	local card kind
	for card in 1 2; do
		wait_for "Card $card of 2 next" || return
		kind=$(screen | grep -o "Card $card of 2 next: [A-Za-z]*" | awk '{ print $NF }')
		keys Enter
		if [[ $kind == Quiz ]]; then
			# Back to the session after the feedback.
			wait_for "a card of the daily review" || return
			# A numeric question takes a number only.
		if screen | grep -q "Type a number"; then type_text "1"
		elif screen | grep -q "Type "; then type_text "no idea"
		else keys 1; fi
			keys Enter
			wait_for "The answer:" || return
			keys Enter
		else
			wait_for "Estimate the amount of dog food" || return
			keys Down
			type_text "9B"
			keys Tab
			type_text "3B"
			keys Tab
			type_text "30B"
			keys C-d
			wait_for "Scored and saved." || return
			keys q
		fi
	done
	wait_for "Done for today: 2 cards answered." || return
	wait_for "✓" || return
	keys q
	wait_for "Welcome back, Quy" || return
	# Both answered today: nothing is due any more.
	wait_for "0 due today: 0 quiz, 0 drill" || return
}

# A lesson's cross-reference opens the lesson it names; the final exam is
# the tree's last row: 40 questions from the whole course, stored as a take
# of scope 'final', from the tree and from the shell alike.
test_lesson_link_and_final_exam() {
	start_app 80x24 --learner Rue
	wait_for "Welcome, Rue" || return
	keys l
	wait_for "lessons done" || return
	open_at "traditional way: build it once" || return
	wait_for "(see The AI lifecycle[1])" || return
	local tries=0
	until screen | grep -qF "Enter: open m3-the-ai-lifecycle"; do
		((tries++ < 12)) || { fail "Tab never selected the link to m3-the-ai-lifecycle"; return; }
		keys Tab
		sleep 0.2
	done
	keys Enter
	wait_for "The AI lifecycle and operations → The AI lifecycle" || return
	wait_for "Built once, or never finished?" || return
	keys q q q
	wait_for "lessons done" || return
	keys G
	wait_for "Final exam: 40 questions from the whole course" || return
	keys Enter
	wait_for "Question 1 of 40" || return
	wait_for "Final exam" || return
	# Esc leaves whatever the first question is (q would be typed into a
	# short answer).
	keys Escape
	wait_for "Final exam: 40 questions" || return
	local takes
	takes=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM quiz_takes WHERE scope = 'final'
		AND lesson_id = 'final' AND total = 40 AND seed IS NOT NULL")
	[[ $takes == 1 ]] || fail "$takes final-exam takes stored from the tree, want 1"
	local out
	out=$(printf '1\n' | aipm_cli --learner Rue quiz final --seed 7 2>&1)
	grep -q "Question 1 of 40" <<<"$out" || fail "aipm quiz final: $out"
	grep -q "Stopped after 1 of 40 questions" <<<"$out" || fail "aipm quiz final: $out"
	takes=$(sqlite3 "$(lessons_db)" "SELECT COUNT(*) FROM quiz_takes WHERE scope = 'final'
		AND seed = 7 AND answered = 1")
	[[ $takes == 1 ]] || fail "$takes final-exam takes with seed 7 and one answer, want 1"
}
