# Issue 17: the details a learner who uses aipm every day trips over,
# each on the real binary.

daily_db() { echo "$E2E_HOME/.local/share/aipm/aipm.db"; }

# A numeric answer that is not a number is refused with a hint, asked
# again, and never stored as wrong.
test_daily_numeric_answer_not_a_number_is_refused() {
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
	stored=$(sqlite3 "$(daily_db)" "SELECT COUNT(*) FROM quiz_attempts WHERE answer LIKE '%percent%'")
	[[ $stored == 0 ]] || fail "the word answer was stored ($stored attempts)"
}
