# The drill's review details (issue 17): the reveal pairs lines by
# meaning and by hand, with the two decompositions side by side when the
# width allows; undo of any answer; a daily limit of new questions; a
# retry's previous answer beside the new one.

drill_review_db() { echo "$E2E_HOME/.local/share/aipm/aipm.db"; }

# Types the dog-food worksheet whose names share nothing with the
# reference's: herd (95M, an input) is nearer the reference's dogs (89.7M,
# worked out) than pups (72M, worked out) is, but only a worked-out line
# may pair with it. Ends on the reveal.
drill_review_dog_food_sheet() {
	keys d
	wait_for "Estimation" || return
	keys Enter
	wait_for "Estimate the amount of dog food" || return
	keys Enter
	wait_for "Worksheet" || return
	local line
	for line in "homes = 120M" "herd = 95M" "pups = homes * 0.6" "bowl = 0.3" \
		"kilos = pups * bowl * 365" "out = kilos / 1000"; do
		type_text "$line"
		keys Enter
	done
	keys Down
	type_text "out"
	keys Tab
	type_text "3M"
	keys Tab
	type_text "30M"
	keys C-d
	wait_for "Scored and saved." || return
}

# At 80x24 the reference and the learner's worksheet stand one above the
# other; the lines pair by meaning (pups with dogs, though herd's value is
# nearer, because herd is an input and dogs is worked out), and the
# learner pairs and unpairs by hand.
test_drill_review_reveal_pairs_by_meaning_80x24() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Pia
	wait_for "Pia" || return
	drill_review_dog_food_sheet || return
	keys G
	wait_for "Your worksheet" || return
	wait_for "pups = homes * 0.6 = 72M  (pairs with dogs)" || return
	wait_for "herd = 95M  (not paired)" || return
	wait_for "homes = 120M  (pairs with households)" || return
	wait_for "out = kilos / 1000 = 7.88M  (pairs with tons_per_year)" || return
	wait_for "The factor that moved your answer most: dogs (your pups)" || return
	screen | grep -q "Reference (the app's own numbers).*Your worksheet" &&
		fail "two columns at 80 columns"
	# By hand: dog_share (the second reference line) with herd (the
	# second line of the worksheet).
	keys p
	wait_for "> households = 130M" || return
	wait_for "Enter pick" || return
	keys Down Enter
	wait_for "Enter pair" || return
	keys Down Enter
	wait_for "Paired dog_share with your herd = 95M." || return
	wait_for "yours: herd = 95M, too high by 8.31 orders of magnitude (paired by" || return
	keys x
	wait_for "dog_share is not paired now." || return
	wait_gone "yours: herd = 95M" || return
	keys Escape
	keys G
	wait_for "herd = 95M  (not paired)" || return
	wait_for "p pair" || return
}

# At 120x40 the two decompositions stand side by side: each reference line
# on the row of the learner's line it pairs with, and the unpaired line of
# the learner's in the right-hand column.
test_drill_review_reveal_side_by_side_120x40() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 120x40 --learner Pia
	wait_for "Pia" || return
	drill_review_dog_food_sheet || return
	keys G
	wait_for "Your worksheet" || return
	screen | grep -q "Reference (the app's own numbers) *Your worksheet" ||
		fail "the column headings do not share a row"
	screen | grep -q "dogs = 89.7M .* yours: pups = homes \* 0.6 = 72M, too low" ||
		fail "dogs and pups are not on one row"
	screen | grep -q "food_per_day = 0.3 .* yours: bowl = 0.3, about right (by meaning)" ||
		fail "food_per_day and bowl are not on one row"
	screen | grep -qE "^ {40,}herd = 95M  \(not paired\)" ||
		fail "herd is not in the right-hand column"
	# Narrowed to 80 columns, the same reveal stacks.
	resize 80 24
	keys G
	wait_for "herd = 95M  (not paired)" || return
	screen | grep -qE "^ {40,}herd" && fail "still two columns at 80 columns"
	true
}

# Answers the success-metrics question with TEXT from home; ends on the
# saved view.
drill_review_answer_metrics() {
	keys d
	wait_for "Analytical / success metrics" || return
	keys Down Down Enter
	wait_for "How do you measure the success of an AI feature?" || return
	keys Enter
	wait_for "Your answer (an outline is enough" || return
	type_text "$1"
	keys C-d
	wait_for "The course's framework for" || return
	keys Enter
	wait_for "Saved." || return
}

# Answers it twice (a first and a second answer, Rex signed in); ends on
# the second answer's saved view. The first has no previous answer.
drill_review_answer_twice() {
	drill_review_answer_metrics "My first answer: North Star and a guardrail." || return
	assert_screen_lacks "Your previous answer" || return
	keys q q q
	wait_for "Welcome, Rex" || return
	drill_review_answer_metrics "My second answer: North Star and a guardrail." || return
}

# On a retry at 120 columns the new answer and the previous one stand side
# by side under their headings; at 80 columns one above the other.
test_drill_review_retry_previous_answer_beside() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 120x40 --learner Rex
	wait_for "Rex" || return
	drill_review_answer_twice || return
	keys G
	wait_for "Your previous answer (2026-03-02 10:00, rubric" || return
	screen | grep -q "Your answer this time (rubric [0-9]*%) *Your previous answer (2026-03-02 10:00, rubric" ||
		fail "the two headings do not share a row"
	screen | grep -q "My second answer: North Star and a guardrail\. *My first answer: North Star and a guardrail\." ||
		fail "the two answers do not share a row"
	resize 80 24
	keys G
	wait_for "My first answer: North Star and a guardrail." || return
	screen | grep -q "My second answer.*My first answer" && fail "still side by side at 80 columns"
	wait_for "Your answer this time (rubric" || return
	wait_for "Your previous answer (2026-03-02 10:00, rubric" || return
}

# The rows an answer touches, to compare before an answer and after its
# undo.
drill_review_rows() {
	sqlite3 "$(drill_review_db)" "SELECT * FROM review_cards ORDER BY 1, 2;
		SELECT * FROM interview_attempts ORDER BY uid; SELECT * FROM rubric_grades ORDER BY 1, 2;
		SELECT * FROM quiz_attempts ORDER BY uid; SELECT * FROM quiz_takes ORDER BY uid;
		SELECT * FROM coach_answers ORDER BY 1, 2, 3"
}

# u on a saved interview answer takes it back: its attempt and grades
# deleted, its card as before (every row as before the answer), and the
# editor open again with the text, to grade once more.
test_drill_review_interview_undo() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Rex
	wait_for "Rex" || return
	drill_review_answer_metrics "My first answer: North Star." || return
	wait_for "u undo" || return
	local before
	before=$(drill_review_rows)
	keys q q q
	wait_for "Welcome, Rex" || return
	drill_review_answer_metrics "My second answer: North Star and a guardrail." || return
	[[ $(sqlite3 "$(drill_review_db)" "SELECT COUNT(*) FROM interview_attempts") == 2 ]] ||
		fail "the second answer is not recorded"
	[[ $(drill_review_rows) != "$before" ]] || fail "the second answer changed no row"
	keys u
	wait_for "Answer undone, nothing of it kept" || return
	wait_for "My second answer: North Star and a guardrail." || return
	wait_for "^D done" || return
	[[ $(drill_review_rows) == "$before" ]] || fail "the rows differ from before the answer"
	keys C-d
	wait_for "The course's framework for" || return
	keys Enter
	wait_for "Saved." || return
	[[ $(sqlite3 "$(drill_review_db)" "SELECT COUNT(*) FROM interview_attempts") == 2 ]] ||
		fail "not recorded again"
}

# u on a quiz answer's feedback takes it back: the attempt gone, the card
# and the take's score as before (every row as before the answer), and
# the question asked again. (answer_question, first_lesson and lessons_db
# are test_lessons.sh's.)
test_drill_review_quiz_undo() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Qui
	wait_for "Qui" || return
	local lesson before
	lesson=$(first_lesson)
	keys l
	wait_for "Enter read" || return
	keys Enter
	wait_for "j/k scroll" || return
	keys z
	wait_for "Question 1 of" || return
	before=$(drill_review_rows)
	answer_question "$lesson-q1" wrong
	wait_for "Not right." || return
	wait_for "u undo" || return
	[[ $(drill_review_rows) != "$before" ]] || fail "the answer changed no row"
	keys u
	wait_for "Answer undone, nothing of it kept: answer again." || return
	wait_for "Question 1 of" || return
	[[ $(drill_review_rows) == "$before" ]] || fail "the rows differ from before the answer"
	answer_question "$lesson-q1" right
	wait_for "Right." || return
	[[ $(sqlite3 "$(drill_review_db)" "SELECT COUNT(*), SUM(correct) FROM quiz_attempts") == "1|1" ]] ||
		fail "the answer given again is not the only one"
	[[ $(sqlite3 "$(drill_review_db)" "SELECT answered, correct FROM quiz_takes") == "1|1" ]] ||
		fail "the take does not count one right answer"
}

# The daily limit of new questions: shown and changed on the drill menu
# (+/- and Enter), honoured by Due today and by 'aipm drill due', and set
# from the shell with 'aipm drill settings'.
test_drill_review_new_questions_a_day() {
	E2E_ENV="AIPM_NOW=2026-03-02T10:00:00Z" start_app 80x24 --learner Nia
	wait_for "Nia" || return
	keys d
	wait_for "Setting: new questions a day" || return
	wait_for "5 join Due today; Enter or +/- to change" || return
	wait_for "0 to review (spaced repetition), 5 new" || return
	local out
	out=$(AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Nia drill due --format csv)
	[[ $(grep -c ',new,yes$' <<<"$out") == 5 ]] || fail "drill due does not list 5 new: $out"
	keys G
	keys -
	wait_for "4 join Due today" || return
	keys - -
	wait_for "New questions a day: 2. Due today holds 2 new." || return
	keys Enter
	wait_for "How many never-answered questions may join" || return
	keys BSpace
	type_text "1"
	keys Enter
	wait_for "1 join Due today" || return
	wait_for "0 to review (spaced repetition), 1 new" || return
	keys u
	wait_for "0 to review today (most overdue first), then 1 new." || return
	screen | grep -q "Estimation: .* new" || fail "the new question does not say new"
	out=$(aipm_cli --learner Nia drill settings --format csv)
	grep -q "^new_per_day,1," <<<"$out" || fail "drill settings: $out"
	out=$(AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Nia drill due --format csv)
	[[ $(wc -l <<<"$out") == 2 ]] || fail "drill due does not hold the limit: $out"
	out=$(AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Nia review --format csv)
	grep -q "^drill,est-[a-z0-9-]*,estimation,,new," <<<"$out" || fail "review does not list the new one: $out"
	aipm_cli --learner Nia drill settings --new-per-day 101 2>/dev/null &&
		fail "a limit over 100 was taken"
	aipm_cli --learner Nia drill settings --new-per-day 0 >/dev/null || fail "drill settings 0"
	out=$(AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Nia drill due)
	grep -qF "Nothing is due for review today" <<<"$out" || fail "limit 0: $out"
}
