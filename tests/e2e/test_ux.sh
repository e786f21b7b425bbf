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
