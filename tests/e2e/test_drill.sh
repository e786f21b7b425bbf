# The interview drill: an estimate built on the worksheet, scored and
# revealed, moving the calibration; a metrics answer graded against its
# rubric; the due queue on the home screen the next day (clock injected);
# a mock interview and its summary.

DRILL_DAY1="AIPM_NOW=2026-03-02T10:00:00"
DRILL_DAY2="AIPM_NOW=2026-03-03T08:00:00"

# column_of LINE TEXT: the column (in characters, from 1) of TEXT on the
# first pane line containing LINE; 0 when it is not there.
column_of() {
	local LC_ALL=C.UTF-8 line
	line=$(screen | grep -F -- "$1" | head -1)
	[[ $line == *"$2"* ]] || { echo 0; return; }
	local before=${line%%"$2"*}
	echo $((${#before} + 1))
}

test_drill_estimate_worksheet_reveal_and_calibration() {
	E2E_ENV="$DRILL_DAY1" start_app 80x24 --learner Ana
	wait_for "Welcome, Ana" || return
	keys d
	wait_for "Estimation                     74 questions, 0 answered" || return
	keys Enter
	wait_for "Estimate the amount of dog food required" || return
	keys Enter
	wait_for "Unit: metric tons per year" || return
	wait_for "time 00:0" || return
	wait_for "say it out loud" || return
	type_text "dogs = 90M"
	keys Enter
	type_text "food = 0.3"
	keys Enter
	type_text "tons = dgos * food * 365 / 1000"
	wait_for "^ unknown name 'dgos'" || return
	# the caret sits under the character the error is about
	local want got
	want=$(column_of "tons = dgos" "dgos")
	got=$(column_of "^ unknown name" "^")
	[[ $want -gt 0 && $want == "$got" ]] || fail "caret at column $got, the name at $want"
	keys C-u
	type_text "tons = dogs * food * 365 / 1000"
	wait_for "= 9.86M" || return
	assert_screen_lacks "unknown name" || return
	# a pause stops the clock and is recorded
	keys C-p
	wait_for "Paused: the clock stands still" || return
	sleep 1.2
	keys C-p
	wait_gone "Paused: the clock" || return
	keys Down
	type_text "tons"
	wait_for "= 9.86M metric tons per year" || return
	keys Enter
	type_text "5M"
	keys Enter
	type_text "20M"
	wait_for "spans 0.60 orders of magnitude" || return
	keys Enter
	wait_for "Scored and saved." || return
	wait_for "Off by          0.00 orders of magnitude: near perfect" || return
	wait_for "held the reference, 0.60 orders of magnitude wide" || return
	wait_for "Points          74 of 100" || return
	wait_for "the app's own estimate, not the" || return
	wait_for "paused 00:0" || return
	keys G
	wait_for "dogs = 90M  (pairs with dogs)" || return
	wait_for "The factor that moved your answer most: dogs" || return
	wait_for "Calibration now: 1 of 1 ranges held the reference (100%" || return
	keys c
	wait_for "held the answer in 1 of 1 estimates (100%)" || return
	wait_for "1 of 1 held (100%)" || return
	# the same numbers from the command line
	local listed
	listed=$(AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Ana drill list --type estimation --format csv)
	grep -q "^est-dog-food-us,estimation,.*,1,74,2026-03-06 10:00,no$" <<<"$listed" ||
		fail "drill list: $(head -3 <<<"$listed")"
	aipm_cli --learner Ana drill calibration --format json | grep -q '"held": 1' ||
		fail "drill calibration does not count the held range"
}

test_drill_metrics_answer_self_graded() {
	E2E_ENV="$DRILL_DAY1" start_app 80x24 --learner Bo
	wait_for "Welcome, Bo" || return
	keys d
	wait_for "Analytical / success metrics" || return
	keys Down Down Enter
	wait_for "How do you measure the success of an AI feature?" || return
	keys Enter
	wait_for "Your answer (an outline is enough" || return
	type_text "Start with the mission and the company goals."
	keys Enter
	type_text "North Star: replies sent with a suggestion; guardrail: complaints."
	keys C-d
	wait_for "The course's framework for Analytical / success metrics:" || return
	wait_for "1. Start with the mission" || return
	# the points the text touches are marked already, the others not
	wait_for "[✓] * Starts from mission and goals" || return
	wait_for "[✓] * North Star and guardrail" || return
	wait_for "[ ]   Product health metrics" || return
	keys Down p
	wait_for "[~]   Product health metrics" || return
	keys Enter
	wait_for "Saved." || return
	wait_for "Rubric: 2 of 6 points covered, 1 partly (42%)" || return
	wait_for "Model outline (the app's own" || return
	local listed
	listed=$(AIPM_NOW=2026-03-02T10:00:00 aipm_cli --learner Bo drill list --type analytical --format csv)
	grep -q "^iq-measure-ai-feature,analytical,.*,1,42,2026-03-03 10:00,no$" <<<"$listed" ||
		fail "drill list: $(head -3 <<<"$listed")"
}

test_drill_due_question_on_home_next_day() {
	E2E_ENV="$DRILL_DAY1" start_app 80x24 --learner Cy
	wait_for "Cy" || return
	# Reviews only: no new questions join the day's due list.
	aipm_cli --learner Cy drill settings --new-per-day 0 >/dev/null || fail "drill settings"
	E2E_ENV="$DRILL_DAY1" restart_app 80x24 --learner Cy
	wait_for "0 due today: 0 quiz, 0 drill" || return
	keys d
	wait_for "Estimation" || return
	keys Enter
	wait_for "Estimate the amount of dog food" || return
	keys Down Enter
	wait_for "Unit: cups per day" || return
	# a tight range far from the answer: "again", due tomorrow
	keys Down
	type_text "1,000"
	keys Tab
	type_text "900"
	keys Tab
	type_text "1,100"
	keys C-d
	wait_for "Scored and saved." || return
	wait_for "Next review     in 1 day (2026-03-03)" || return
	keys q
	wait_for "How many cups of coffee" || return
	keys q q
	wait_for "0 due today: 0 quiz, 0 drill" || return
	keys q y
	wait_for "[aipm exited] 0" || return
	E2E_ENV="$DRILL_DAY2"
	restart_app 80x24 --learner Cy
	wait_for "1 due today: 0 quiz, 1 drill (press r)" || return
	keys d u
	wait_for "1 question to review today" || return
	wait_for "Estimation: How many cups of coffee" || return
	wait_for "due today" || return
}

test_drill_mock_interview_summary() {
	E2E_ENV="$DRILL_DAY1" start_app 80x24 --learner Di
	wait_for "Welcome, Di" || return
	keys d m
	wait_for "A mock interview: how many questions?" || return
	keys k Enter
	wait_for "mock interview: 1 of 3" || return
	wait_for "Worksheet" || return
	keys Down
	type_text "1M"
	keys Tab
	type_text "100k"
	keys Tab
	type_text "10M"
	keys C-d
	wait_for "Saved: question 1 of 3 of the mock interview" || return
	keys Enter
	wait_for "Question 2 of 3 next" || return
	keys s
	wait_for "Question 3 of 3 next" || return
	keys s
	wait_for "Mock interview done: 1 of 3 questions answered" || return
	wait_for "Calibration of this session:" || return
	wait_for "1  Estimation" || return
	keys q s
	wait_for "1 answer. Streak: 1 day (best 1). 1 mock interview." || return
}
