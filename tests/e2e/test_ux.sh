# Issue 17: the details a learner who uses aipm every day trips over,
# each on the real binary.

ux_db() { echo "$E2E_HOME/.local/share/aipm/aipm.db"; }

# A numeric answer that is not a number is refused with a hint, asked
# again, and never stored as wrong.
test_ux_numeric_answer_not_a_number_is_refused() {
	start_app 80x24 --learner Nia
	wait_for "Nia" || return
	local out
	out=$(printf 'sixty percent\n5000\n' |
		aipm_cli --learner Nia quiz m3-prototype-is-not-a-product 2>&1)
	grep -qF "'sixty percent': Not a number" <<<"$out" ||
		fail "the CLI did not refuse 'sixty percent': $out"
	grep -qF "Right." <<<"$out" || fail "the number typed next was not judged: $out"
	grep -qF "Not right." <<<"$out" && fail "a word answer was marked wrong: $out"
	local stored
	stored=$(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM quiz_attempts WHERE answer LIKE '%percent%'")
	[[ $stored == 0 ]] || fail "the word answer was stored ($stored attempts)"
}

# q on home asks before quitting (one q too many on the way back from a
# lesson stays in the app); Esc at the first start's sign-in asks too; the
# first sign-in says Welcome, the next start Welcome back.
test_ux_quit_asks_and_first_greeting() {
	start_app 80x24
	wait_for "Are you taking the course" || return
	keys Escape
	wait_for "Quit aipm?" || return
	keys n
	wait_gone "Quit aipm?" || return
	wait_for "Are you taking the course" || return
	keys Enter
	wait_for "What's your name?" || return
	type_text "Oda"
	keys Enter
	wait_for "Welcome, Oda" || return
	assert_screen_lacks "Welcome back" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys q q q
	wait_for "Quit aipm?" || return
	wait_for "y/Enter: yes" || return
	keys q
	wait_gone "Quit aipm?" || return
	wait_for "Welcome, Oda" || return
	keys q y
	wait_for "[aipm exited] 0" || return
	restart_app 80x24
	wait_for "Welcome back, Oda" || return
}

# An empty 'aipm drill due' says so and when the next review is; a
# question due before today says how long it is overdue, not "due today".
test_ux_drill_due_empty_and_overdue() {
	start_app 80x24 --learner Ola
	wait_for "Ola" || return
	# Reviews only: no new questions join the day's due list.
	aipm_cli --learner Ola drill settings --new-per-day 0 >/dev/null || fail "drill settings"
	AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Ola drill score est-dog-food-us \
		--point 9.8M --low 5M --high 20M --record >/dev/null || fail "drill score --record failed"
	local out
	out=$(AIPM_NOW=2026-03-02T11:00:00 aipm_cli --learner Ola drill due)
	grep -qF "Nothing is due for review today; the next review is due 2026-03-" <<<"$out" ||
		fail "an empty drill due printed: $out"
	out=$(AIPM_NOW=2026-03-02T11:00:00 aipm_cli --learner Ola drill due --format csv)
	[[ $out == id,* && $(wc -l <<<"$out") == 1 ]] || fail "the CSV of nothing due is not its header: $out"
	# The mixed review says it too, with the day the next reviews fall.
	out=$(AIPM_NOW=2026-03-02T11:00:00 aipm_cli --learner Ola review)
	grep -qE "^Nothing is due for review today; the next falls due on 2026-03-0[3-8]\.$" <<<"$out" ||
		fail "an empty review printed: $out"
	out=$(AIPM_NOW=2026-03-02T11:00:00 aipm_cli --learner Ola review --format csv)
	[[ $out == kind,* && $(wc -l <<<"$out") == 1 ]] || fail "the review CSV of nothing due: $out"
	E2E_ENV="AIPM_NOW=2026-04-01T09:00:00Z"
	restart_app 80x24 --learner Ola
	wait_for "Ola" || return
	keys d
	wait_for "Interview drill" || return
	keys u
	wait_for "1 question to review today" || return
	screen | grep -E "overdue 26 days" | grep -qF "dog" || fail "the overdue row does not say 26 days"
	assert_screen_lacks "due today" || return
}

# hit_number PATTERN: k of "/PATTERN  k of N" in the reader's status line.
hit_number() { screen | grep -oE "/$1  [0-9]+ of" | grep -oE '[0-9]+' | head -1; }

# Search as less: after G, n goes forwards from the view and wraps to the
# top with a word (it went backwards); N wraps to the bottom the same way;
# the current match is drawn apart from the others.
test_ux_reader_search_wraps_like_less() {
	start_app 80x24 --learner Lia
	wait_for "Lia" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys /
	wait_for "Search this lesson" || return
	type_text 'pain'
	keys Enter
	wait_for '/pain  1 of' || return
	# One match in the current match's colours (black on green), the
	# others in the matches' (black on yellow).
	local current others
	current=$(tmux -L "$TMUX_SOCKET" capture-pane -p -e -t "$SESSION" | grep -o $'\e\\[42mpain' | wc -l)
	others=$(tmux -L "$TMUX_SOCKET" capture-pane -p -e -t "$SESSION" | grep -o $'\e\\[43mpain' | wc -l)
	[[ $current == 1 && $others -ge 1 ]] ||
		fail "the current match is not picked out: $current current, $others others"
	keys G
	sleep 0.3
	local last=0 k tries=0
	while ((tries++ < 40)); do
		keys n
		sleep 0.2
		screen | grep -qF "search hit bottom, continuing at top" && break
		k=$(hit_number pain)
		((k > last)) || { fail "after G, n went from match $last to $k"; return; }
		last=$k
	done
	screen | grep -qF "search hit bottom, continuing at top" || { fail "n never wrapped"; return; }
	[[ $(hit_number pain) == 1 ]] || fail "after the wrap n is at match $(hit_number pain), not 1"
	keys N
	wait_for "search hit top, continuing at bottom" || return
	[[ $(hit_number pain) == "$last" ]] || fail "N from the first match went to $(hit_number pain), not $last"
}

# Up/Down in the search prompt go through the patterns searched before.
test_ux_search_history() {
	start_app 80x24 --learner Lio
	wait_for "Lio" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys /
	wait_for "Search this lesson" || return
	type_text 'pain'
	keys Enter
	wait_for '/pain  1 of' || return
	keys /
	wait_for "Up/Down: history" || return
	keys C-u
	type_text 'point'
	keys Enter
	wait_for '/point  1 of' || return
	keys /
	wait_for "Search this lesson" || return
	keys C-u Up Up Enter
	wait_for '/pain  1 of' || return
}

# Inside a mock the key bar says what the text says (Enter goes on, not
# "q back"); the summary lists the skipped questions and the ones the mock
# ended before.
test_ux_mock_keys_and_skipped_in_summary() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Mo
	wait_for "Mo" || return
	keys d m
	wait_for "A mock interview: how many questions?" || return
	keys Enter
	wait_for "mock interview: 1 of 5" || return
	wait_for "Worksheet" || return
	keys Down
	type_text "1M"
	keys Tab
	type_text "100k"
	keys Tab
	type_text "10M"
	keys C-d
	wait_for "Saved: question 1 of 5 of the mock interview. Enter goes on." || return
	wait_for "Enter go on" || return
	assert_screen_lacks "q back" || return
	keys Enter
	wait_for "Question 2 of 5 next" || return
	keys s
	wait_for "Question 3 of 5 next" || return
	keys q
	wait_for "End the mock interview?" || return
	keys y
	wait_for "Mock interview done: 1 of 5 questions answered" || return
	screen | grep -qE "^ +2 .* skipped" || fail "the skipped question 2 is not in the summary"
	screen | grep -qE "^ +3 .* not reached" || fail "question 3 is not in the summary"
	screen | grep -qE "^ +5 .* not reached" || fail "question 5 is not in the summary"
}

# A lesson opened with Ctrl-N sits over the course tree: q goes back to
# the tree, not to the lesson read before.
test_ux_ctrl_n_lesson_goes_back_to_the_tree() {
	start_app 80x24 --learner Ned
	wait_for "Ned" || return
	keys l
	wait_for "Enter read" || return
	keys j j Enter
	wait_for "j/k scroll" || return
	local other
	other=$(screen | sed -n 1p)
	keys C-n
	sleep 0.5
	wait_for "j/k scroll" || return
	[[ $(screen | sed -n 1p) != "$other" ]] || { fail "Ctrl-N did not open another lesson"; return; }
	keys q
	wait_for "Enter read" || return
	wait_for "lessons done" || return
}

# Ctrl-N is held while an interview answer is written (its clock runs);
# rubric grading says where the cursor went, and a point graded missed
# ([-]) is told apart from one not graded yet ([ ]).
test_ux_interview_holds_ctrl_n_and_rubric_marks() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Bo
	wait_for "Bo" || return
	keys d
	wait_for "Analytical / success metrics" || return
	keys Down Down Enter
	wait_for "How do you measure the success of an AI feature?" || return
	keys Enter
	wait_for "Your answer (an outline is enough" || return
	type_text "Start with the mission and the company goals."
	keys C-n
	wait_for "Finish this answer first (Ctrl-D)" || return
	wait_for "Your answer (an outline is enough" || return
	keys Enter
	type_text "North Star: replies sent with a suggestion; guardrail: complaints."
	keys C-d
	wait_for "The course's framework for Analytical / success metrics:" || return
	wait_for "[ ] not graded" || return
	wait_for "[ ]   Product health metrics" || return
	keys Down n
	wait_for "[-]   Product health metrics" || return
	wait_for "Point 2: missed. On to point 3." || return
	wait_for "[ ]   System health metrics" || return
	keys p
	wait_for "[~]   System health metrics" || return
	wait_for "Point 3: partly. On to point 4." || return
	wait_for "* hinted by your text" || return
}

# The last lesson does not send the learner to a next lesson; the tree's
# help names the status marks it draws.
test_ux_last_lesson_end_and_tree_help() {
	start_app 80x24 --learner Lu
	wait_for "Lu" || return
	keys l
	wait_for "Enter read" || return
	keys '?'
	wait_for "a check mark (+ without Unicode) done" || return
	keys Escape
	wait_gone "any key: close" || return
	keys Enter
	wait_for "j/k scroll" || return
	# ] to the end of the course.
	local i
	for i in $(seq 40); do keys ']'; done
	wait_for "This is the last lesson." || return
	keys G
	wait_for "End of the course's last lesson." || return
	assert_screen_lacks "for the next lesson" || return
}

# 'aipm lessons show ID --format json', as the README says printing
# commands take --format.
test_ux_lessons_show_json() {
	start_app 80x24 --learner Jo
	wait_for "Jo" || return
	local out
	out=$(aipm_cli lessons show m8-the-interview-process --format json) ||
		{ fail "lessons show --format json failed: $out"; return; }
	grep -qF '"id": "m8-the-interview-process"' <<<"$out" || fail "no id in: ${out:0:200}"
	grep -qF '"title": "The interview process, from portfolio to offer"' <<<"$out" || fail "no title"
	grep -qE '"text": ".*Before you apply' <<<"$out" || fail "no rendered text"
	aipm_cli lessons show m8-the-interview-process --format csv 2>/dev/null &&
		fail "--format csv was taken for a lesson"
	aipm_cli lessons show m8-the-interview-process --format text | grep -q "Before you apply" ||
		fail "--format text does not print the lesson"
}

# Choice feedback says which options were yours and which right ones were
# missed, with a "Your answer" line (only the right ones were ticked).
test_ux_choice_feedback_shows_yours_and_missed() {
	start_app 80x24 --learner Kit
	wait_for "Kit" || return
	local lesson choices
	lesson=$(first_lesson)
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys z
	wait_for "Question 1 of" || return
	answer_question "$lesson-q1" right
	wait_for "Right." || return
	keys Enter
	wait_for "Question 2 of" || return
	answer_question "$lesson-q2" wrong
	wait_for "Not right." || return
	wait_for "Your answer: " || return
	wait_for "(yours)" || return
	wait_for "(missed)" || return
	keys Enter
	wait_for "Question 3 of" || return
	choices=$(sqlite3 "$(lessons_db)" "SELECT choices FROM quiz_questions WHERE id = '$lesson-q3'")
	# One of its three right options.
	keys "$(shown_number "$choices" 1)" Enter
	wait_for "Not right." || return
	local yours missed
	yours=$(screen | grep -c "(yours)")
	missed=$(screen | grep -c "(missed)")
	[[ $yours == 1 && $missed == 2 ]] || fail "$yours options marked yours, $missed missed; want 1 and 2"
}

# Notes are edited and deleted (asked first, undone with u) on the Notes
# screen, listed across the course, and exported as Markdown.
test_ux_notes_edit_delete_undo_export() {
	start_app 80x24 --learner Nola
	wait_for "Nola" || return
	local lesson title
	lesson=$(first_lesson)
	title=$(lesson_title "$lesson")
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys a
	wait_for "Add a note" || return
	type_text "Ask about labels"
	keys Enter
	wait_for "Note saved" || return
	keys a
	wait_for "Add a note" || return
	type_text "Second thought"
	keys Enter
	wait_for "Note saved" || return
	keys e
	wait_for "2 notes on this lesson" || return
	wait_for "Ask about labels" || return
	keys e
	wait_for "Edit the note" || return
	keys C-u
	type_text "Ask about labels and their cost"
	keys Enter
	wait_for "Note saved." || return
	wait_for "Ask about labels and their cost" || return
	keys j d
	wait_for "Delete this note?" || return
	keys Escape
	wait_gone "Delete this note?" || return
	wait_for "2 notes on this lesson" || return
	keys d
	wait_for "Delete this note?" || return
	keys y
	wait_for "Note deleted: u brings it back." || return
	wait_for "1 note on this lesson" || return
	keys u
	wait_for "Note restored." || return
	wait_for "2 notes on this lesson" || return
	keys d y
	wait_for "1 note on this lesson" || return
	assert_screen_lacks "Second thought" || return
	# The course's notes, from the tree.
	keys q q
	wait_for "Enter read" || return
	keys e
	wait_for "1 note across the course" || return
	wait_for "$title: Ask about labels and their cost" || return
	local md
	md=$(aipm_cli --learner Nola notes --format markdown)
	grep -qxF "# Notes of Nola" <<<"$md" || fail "no title in: $md"
	grep -qxF "## $title ($lesson)" <<<"$md" || fail "no lesson heading in: $md"
	grep -qE "^- [0-9-]+ [0-9:]+: Ask about labels and their cost$" <<<"$md" || fail "no note in: $md"
	grep -qF "Second thought" <<<"$md" && fail "the deleted note is exported"
	aipm_cli --learner Nola notes --format csv | grep -qF "$lesson," || fail "notes --format csv"
}

# At 80x24: home and the drill menu are not cut; a tree title cut with an
# ellipsis is read whole on the last row; the help popup's keys are whole.
test_ux_80_columns_not_cut() {
	start_app 80x24 --learner Ria
	wait_for "Ria" || return
	wait_for "5 min read, press n" || return
	assert_screen_lacks "…" || return
	keys d
	wait_for "Mock interview" || return
	wait_for "timed mixed questions, then a summary" || return
	assert_screen_lacks "…" || return
	keys q l
	wait_for "Enter read" || return
	local i long
	long=$(sqlite3 "$(ux_db)" "SELECT title FROM lessons ORDER BY LENGTH(title) DESC LIMIT 1")
	for i in $(seq 40); do
		screen | grep -qxF "  $long" && break
		keys j
		sleep 0.1
	done
	screen | grep -qxF "  $long" || fail "the longest title is never shown whole: $long"
	keys Enter
	wait_for "j/k scroll" || return
	keys '?'
	wait_for "Space/b, PgDn/PgUp" || return
	assert_screen_lacks "PgD…" || return
}

# t on a selected term opens the glossary filtered to it; the entry lists
# its lessons by title and a number opens one.
test_ux_glossary_term_filter_and_used_in() {
	start_app 80x24 --learner Gil
	wait_for "Gil" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	local term i
	for i in $(seq 10); do
		keys Tab
		sleep 0.2
		term=$(sqlite3 "$(ux_db)" "SELECT term FROM glossary" | while read -r t; do
			screen | grep -qF "Enter: $t" && { echo "$t"; break; }
		done)
		[[ -n $term ]] && break
	done
	[[ -n $term ]] || { fail "Tab selected no glossary term"; return; }
	keys t
	wait_for "Find:" || return
	wait_for "$term" || return
	assert_screen_lacks "press / to filter" || return
	keys Enter
	wait_for "Used in (a number opens the lesson):" || return
	wait_for "1. " || return
	local first
	first=$(screen | grep -oE "1\. [^│|x]+" | head -1 | sed -E 's/^1\. //; s/ +$//')
	keys 1
	wait_for "j/k scroll" || return
	screen | sed -n 1p | grep -qF "${first:0:30}" || fail "1 did not open '$first'"
}

# The sources popup says what the seed numbers it cites are.
test_ux_sources_name_the_seeds() {
	start_app 80x24 --learner Sid
	wait_for "Sid" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys s
	wait_for "Everything this lesson draws on" || return
	local i
	for i in $(seq 30); do
		screen | grep -qF "The seeds cited are the course's source" && break
		keys j
		sleep 0.1
	done
	wait_for "The seeds cited are the course's source" || return
	for i in $(seq 10); do keys j; done
	sleep 0.3
	wait_for "seed 000: notes on a podcast episode" || return
}

# The review forecast: 'aipm drill due --forecast' and home's next days.
test_ux_review_forecast() {
	E2E_ENV="AIPM_NOW=2026-03-02T11:00:00Z" start_app 80x24 --learner Fay
	wait_for "Fay" || return
	# An estimate answered today comes back in 4 days (test_drill's own
	# dog-food answer is due 2026-03-06); a tight miss tomorrow.
	AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Fay drill score est-dog-food-us \
		--point 9.8M --low 5M --high 20M --record >/dev/null || fail "drill score --record failed"
	local out
	out=$(AIPM_NOW=2026-03-02T11:00:00 aipm_cli --learner Fay drill due --forecast --format csv)
	grep -qx "0,2026-03-02,0" <<<"$out" || fail "forecast today: $out"
	grep -qx "4,2026-03-06,1" <<<"$out" || fail "forecast in 4 days: $out"
	[[ $(wc -l <<<"$out") == 8 ]] || fail "the forecast is not 7 days: $out"
	AIPM_NOW=2026-03-02T11:00:00 aipm_cli --learner Fay drill due --forecast |
		grep -qF "1 review in the next 7 days" || fail "the forecast's total"
	aipm_cli --learner Fay drill list --forecast 2>/dev/null && fail "--forecast taken by drill list"
	E2E_ENV="AIPM_NOW=2026-03-02T11:00:00Z"
	restart_app 80x24 --learner Fay
	wait_for "next 6 days: 0 · 0 · 0 · 1 · 0 · 0 (tomorrow first)" || return
}

# After an estimate, the learner's own grade (1-4) replaces the points'
# for the schedule, as Anki's buttons do.
test_ux_estimate_grade_override() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Gus
	wait_for "Gus" || return
	keys d
	wait_for "Estimation" || return
	keys Enter
	wait_for "Estimate the amount of dog food" || return
	keys Enter
	wait_for "Worksheet" || return
	keys Down
	type_text "9.8M"
	keys Tab
	type_text "5M"
	keys Tab
	type_text "20M"
	keys C-d
	wait_for "Scored and saved." || return
	wait_for "Next review     in 4 days (2026-03-06)" || return
	wait_for "good (from the points)" || return
	keys 4
	wait_for "Graded easy" || return
	wait_for "easy (your grade)" || return
	assert_screen_lacks "in 4 days (2026-03-06)" || return
	local easy
	easy=$(sqlite3 "$(ux_db)" "SELECT due_at FROM review_cards WHERE item_id = 'est:est-dog-food-us'")
	keys 1
	wait_for "again (your grade)" || return
	local again reps
	again=$(sqlite3 "$(ux_db)" "SELECT due_at FROM review_cards WHERE item_id = 'est:est-dog-food-us'")
	reps=$(sqlite3 "$(ux_db)" "SELECT reps FROM review_cards WHERE item_id = 'est:est-dog-food-us'")
	((again < easy)) || fail "again ($again) is not sooner than easy ($easy)"
	[[ $reps == 1 ]] || fail "a regrade counted as another review: reps $reps"
}

# The calibration bars and the rows without one start in one column.
test_ux_calibration_bars_aligned() {
	E2E_ENV="AIPM_NOW=2026-03-02T11:00:00Z" start_app 80x24 --learner Cal
	wait_for "Cal" || return
	AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Cal drill score est-dog-food-us \
		--point 9.8M --low 5M --high 20M --record >/dev/null || fail "drill score --record failed"
	keys d c
	wait_for "Ranges held, by range width" || return
	wait_for "1 of 1 held (100%)" || return
	local bar empty
	bar=$(column_of "0.5-1" "█")
	empty=$(column_of "< 0.5" "no answers")
	[[ $bar -gt 0 && $bar == "$empty" ]] || fail "the bar starts at column $bar, an empty row's text at $empty"
}

# On a retry of an interview question, the previous answer is shown with
# the new one once it is saved (under it at 80 columns; drill_review_answer_twice
# is test_drill_review.sh's).
test_ux_interview_retry_shows_previous_answer() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Rex
	wait_for "Rex" || return
	drill_review_answer_twice || return
	keys G
	wait_for "Your answer this time" || return
	wait_for "My second answer: North Star and a guardrail." || return
	wait_for "Your previous answer (2026-03-02 10:00, rubric" || return
	wait_for "My first answer: North Star and a guardrail." || return
}

# m bookmarks the paragraph at the top; M lists the bookmarks across the
# course; Enter opens the lesson with that paragraph at the top; d deletes.
test_ux_bookmarks() {
	start_app 80x24 --learner Bea
	wait_for "Bea" || return
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys PageDown
	sleep 0.3
	keys m
	wait_for "Bookmarked (M lists your bookmarks): " || return
	local excerpt
	excerpt=$(sqlite3 "$(ux_db)" "SELECT excerpt FROM bookmarks")
	[[ -n $excerpt ]] || { fail "no bookmark stored"; return; }
	keys g M
	wait_for "1 bookmark and 0 highlights across the course" || return
	wait_for "${excerpt:0:30}" || return
	keys Enter
	wait_for "j/k scroll" || return
	sleep 0.3
	screen | sed -n 2,4p | grep -qF "${excerpt:0:20}" ||
		fail "the bookmark did not open at its paragraph: $(screen | sed -n 2,4p)"
	keys q
	wait_for "1 bookmark and 0 highlights across the course" || return
	keys d
	wait_for "Delete this bookmark?" || return
	keys y
	wait_for "0 bookmarks and 0 highlights across the course" || return
}

# The rubric screen's help lists its own keys: not Ctrl-N (held while the
# answer is unsaved) nor the generic "q / Esc back".
test_ux_rubric_help_is_its_own() {
	start_app 80x24 --learner Hel
	wait_for "Hel" || return
	keys d
	wait_for "Analytical / success metrics" || return
	keys Down Down Enter
	wait_for "How do you measure the success" || return
	keys Enter
	wait_for "Your answer (an outline is enough" || return
	type_text "North Star"
	keys C-d
	wait_for "The course's framework for" || return
	keys '?'
	wait_for "covered, partly, missed" || return
	wait_for "leave without saving" || return
	assert_screen_lacks "open the next unfinished lesson" || return
	assert_screen_lacks "q / Esc" || return
	keys Escape
	wait_gone "covered, partly, missed" || return
	keys C-n
	wait_for "Save the grades first (Enter), or leave with Esc." || return
}

# u on an estimate's reveal takes the answer back: no attempt, no card,
# the worksheet open again to score once more.
test_ux_estimate_undo() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Una
	wait_for "Una" || return
	keys d
	wait_for "Estimation" || return
	keys Enter
	wait_for "Estimate the amount of dog food" || return
	keys Enter
	wait_for "Worksheet" || return
	keys Down
	type_text "9.8M"
	keys Tab
	type_text "5M"
	keys Tab
	type_text "20M"
	keys C-d
	wait_for "Scored and saved." || return
	# No worksheet lines: the reveal says so under its heading.
	keys G
	wait_for "no lines: the estimate was given directly" || return
	[[ $(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM estimation_attempts") == 1 ]] || fail "not recorded"
	keys u
	wait_for "Answer undone, nothing of it kept" || return
	wait_for "Worksheet" || return
	[[ $(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM estimation_attempts") == 0 ]] || fail "the attempt stayed"
	[[ $(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM review_cards") == 0 ]] || fail "the card stayed"
	keys C-d
	wait_for "Scored and saved." || return
	[[ $(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM estimation_attempts") == 1 ]] || fail "not recorded again"
	[[ $(sqlite3 "$(ux_db)" "SELECT reps FROM review_cards") == 1 ]] || fail "the card is not a first review"
}

# With NO_COLOR a chart's series draw with marks of their own, and the
# legend shows them, so the series can be told apart.
test_ux_no_color_chart_legends() {
	E2E_ENV="NO_COLOR=1 AIPM_NOW=2026-03-02T11:00:00Z" start_app 80x24 --learner Noc
	wait_for "Noc" || return
	local q
	for q in est-dog-food-us est-coffee-cups-us; do
		AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Noc drill score "$q" \
			--point 1M --low 100k --high 10M --record >/dev/null 2>&1
	done
	keys d c
	wait_for "Trend: share held" || return
	wait_for "* held" || return
	wait_for "+ goal 90%" || return
	screen | grep -q "█ held" && fail "the legend still draws one block for every series"
	true
}

# The stats chart gets the rows of an 80x24 screen (the unanswered types
# take one line, not a table row each) and says both series are out of 100.
test_ux_stats_chart_rows() {
	E2E_ENV="AIPM_NOW=2026-03-04T11:00:00Z" start_app 80x24 --learner Sta
	wait_for "Sta" || return
	local d
	for d in 02 03 04; do
		AIPM_NOW=2026-03-${d}T10:00:00 aipm_cli --learner Sta drill score est-dog-food-us \
			--point 1M --low 100k --high 10M --record >/dev/null || fail "drill score"
	done
	keys d s
	wait_for "Per day, both out of 100: mean score, and % of 90% ranges held" || return
	wait_for "Not answered yet: Product sense" || return
	local plot
	plot=$(screen | grep -c " │")
	((plot >= 6)) || fail "the chart has $plot rows"
}

# The reveal pairs reference lines with the learner's freely named lines
# by value (homes meets households), and a reference line with no pair
# says so without its name pushing the columns.
test_ux_reveal_pairs_by_value() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 90x40 --learner Pia
	wait_for "Pia" || return
	keys d
	wait_for "Estimation" || return
	keys Enter
	wait_for "Estimate the amount of dog food" || return
	keys Enter
	wait_for "Worksheet" || return
	type_text "homes = 120M"
	keys Enter
	type_text "pups = homes * 0.6"
	keys Enter
	type_text "tons = pups * 0.3 * 365 / 1000"
	keys Down
	type_text "tons"
	keys Tab
	type_text "3M"
	keys Tab
	type_text "30M"
	keys C-d
	wait_for "Scored and saved." || return
	keys G
	wait_for "homes = 120M  (pairs with households)" || return
	wait_for "pups = homes * 0.6 = 72M  (pairs with dogs)" || return
	wait_for "tons = pups * 0.3 * 365 / 1000 = 7.88M  (pairs with tons_per_year)" || return
	keys g
	wait_for "yours: homes = 120M, about right (by meaning)" || return
	wait_for "none of your lines pairs with it" || return
	assert_screen_lacks "no line of yours is called" || return
}

# A course-search hit inside a table keeps its row: the row's first cell
# leads the line, and a long row is cut before the match, not after it.
test_ux_course_search_table_rows() {
	start_app 80x24 --learner Tab
	wait_for "Tab" || return
	keys l /
	wait_for "Search the course" || return
	type_text 'drones|patient'
	keys Enter
	wait_for "matches in" || return
	wait_for "Input │ drones" || return
	wait_for "Output │ …" || return
	screen | grep -F "Output │" | grep -qF "patient" || fail "the match is cut off its row"
}

# Once an interview answer is saved, 1-4 grade it in place of the rubric.
test_ux_interview_grade_override() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Ivo
	wait_for "Ivo" || return
	keys d
	wait_for "Analytical / success metrics" || return
	keys Down Down Enter
	wait_for "How do you measure the success" || return
	keys Enter
	wait_for "Your answer (an outline is enough" || return
	type_text "North Star"
	keys C-d
	wait_for "The course's framework for" || return
	keys Enter
	wait_for "Saved." || return
	wait_for "rubric); 1 again, 2 hard, 3 good, 4 easy" || return
	local before after
	before=$(sqlite3 "$(ux_db)" "SELECT due_at FROM review_cards")
	keys 4
	wait_for "Graded easy" || return
	wait_for "easy (your grade)" || return
	after=$(sqlite3 "$(ux_db)" "SELECT due_at FROM review_cards")
	((after > before)) || fail "easy ($after) is not later than the rubric's grade ($before)"
	[[ $(sqlite3 "$(ux_db)" "SELECT reps FROM review_cards") == 1 ]] || fail "a regrade counted as a review"
}

# In the TUI too: a word typed for a numeric question gets the hint and
# the question stays, to be answered with a number.
test_ux_tui_numeric_answer_refused() {
	start_app 80x24 --learner Num
	wait_for "Num" || return
	local lesson=m1-when-not-to-use-ai n i
	keys l
	wait_for "Enter read" || return
	keys j j j Enter
	wait_for "When not to use AI" || return
	keys z
	wait_for "Question 1 of" || return
	n=$(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM quiz_questions WHERE lesson_id = '$lesson'")
	for i in $(seq 1 "$n"); do
		wait_for "Question $i of $n" || return
		if [[ $(sqlite3 "$(ux_db)" "SELECT kind FROM quiz_questions WHERE id = '$lesson-q$i'") == numeric ]]; then
			type_text "sixty percent"
			keys Enter
			wait_for "Not a number" || return
			wait_for "Question $i of $n" || return
			assert_screen_lacks "Not right." || return
			keys C-u
		fi
		answer_question "$lesson-q$i" right
		wait_for "Right." || return
		keys Enter
	done
	[[ $(sqlite3 "$(ux_db)" "SELECT COUNT(*) FROM quiz_attempts WHERE answer LIKE '%percent%'") == 0 ]] ||
		fail "the word answer was stored"
}
