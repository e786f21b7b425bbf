# Issue 17: notes and highlights on the paragraph they were made at, and a
# new learner's first greeting.

para_db() { echo "$E2E_HOME/.local/share/aipm/aipm.db"; }

# A learner that --learner NAME creates is new: "Welcome", not "Welcome
# back"; the next start with the same name is a return.
test_paragraphs_new_learner_is_welcomed() {
	start_app 80x24 --learner Nova
	wait_for "Nova" || return
	wait_for "Welcome, Nova" || return
	assert_screen_lacks "Welcome back" || return
	restart_app 80x24 --learner Nova
	wait_for "Welcome back, Nova" || return
}

# A bold glossary term is drawn bold and underlined (the issue saw it
# plain; a capture with its escapes shows both).
test_paragraphs_bold_term_underlined() {
	start_app 80x24 --learner Bo
	wait_for "Bo" || return
	keys l
	wait_for "Enter read" || return
	keys /
	wait_for "Search the course" || return
	type_text "what training produces"
	keys Enter
	wait_for "1 match" || return
	keys Enter
	wait_for "j/k scroll" || return
	local line
	line=$(tmux -L "$TMUX_SOCKET" capture-pane -e -p -t "$SESSION" | grep -F "Model" | grep -F "what training")
	# "• Model": the bullet turns bold on, the term adds the underline.
	grep -qP '\e\[1m• \e\[4m(\e\[36m)?Model' <<<"$line" ||
		fail "the bold term Model is not bold and underlined: $(cat -v <<<"$line")"
}
