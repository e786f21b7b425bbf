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

# The reader's row that shows TEXT, and the row under it.
row_with() { screen | grep -F -- "$1" | head -1; }
row_after() { screen | grep -A1 -F -- "$1" | sed -n 2p; }

# reader_find TEXT: the reader's search, from the end of the lesson,
# brings the paragraph with TEXT to the top (under a line of context).
reader_find() {
	keys G
	keys /
	wait_for "Search this lesson" || return 1
	keys C-u
	type_text "$1"
	keys Enter
	wait_for "1 of 1" || return 1
	sleep 0.3
	screen | sed -n 2,3p | grep -qF -- "$1" || { fail "$1 is not at the top"; return 1; }
}

# A note is shown under the paragraph it was written at; a highlight is a
# bar in the margin (a glyph: it holds with NO_COLOR), listed with the
# bookmarks, opened and removed from there. After a new import of the
# course that moves the paragraph down, both are still at it; a note whose
# paragraph was reworded goes to the end, saying so.
test_paragraphs_notes_and_highlights_stay_at_their_paragraph() {
	local content lesson=m1-shiny-object-trap
	content=$(mktemp -d)
	cp -r "$CONTENT_DIR"/. "$content"/
	E2E_ENV="NO_COLOR=1"
	start_app 80x24 --learner Pia --content "$content"
	wait_for "Pia" || return
	keys C-n
	wait_for "j/k scroll" || return
	reader_find "Her order is the reverse" || return
	keys a
	wait_for "Add a note" || return
	wait_for "Her order is the reverse" || return
	type_text "Check the pain first"
	keys Enter
	wait_for "Note saved under its paragraph" || return
	[[ $(row_after "Her order is the reverse:") == *"→ Your note: Check the pain first"* ]] ||
		fail "the note is not under its paragraph"
	keys h
	wait_for "Highlighted" || return
	[[ $(row_with "Her order is the reverse:") == "█"* ]] ||
		fail "no highlight bar beside the paragraph: $(row_with "Her order is the reverse:")"
	[[ $(row_with "The course opens with") != "█"* ]] || fail "another paragraph is highlighted"
	reader_find "The point sounds obvious" || return
	keys a
	wait_for "Add a note" || return
	type_text "Ask for examples"
	keys Enter
	wait_for "Note saved under its paragraph" || return
	[[ $(sqlite3 "$(para_db)" "SELECT COUNT(*) FROM notes WHERE anchor LIKE 'the-shiny-object-trap/%'") == 2 ]] ||
		fail "the notes' anchors: $(sqlite3 "$(para_db)" "SELECT anchor FROM notes")"
	keys q
	wait_for "Enter read" || return
	# A new course: a paragraph comes before "Her order" in its section,
	# and the paragraph the second note is at is reworded.
	local file="$content/lessons/m1-01-shiny-object-trap.md"
	sed -i 's/^Her order is the reverse:$/A paragraph the new course adds.\n\nHer order is the reverse:/; s/^The point sounds obvious,/The point seems obvious,/' "$file"
	grep -qF "A paragraph the new course adds." "$file" || { fail "the lesson was not edited"; return; }
	restart_app 80x24 --learner Pia --content "$content"
	wait_for "Welcome back, Pia" || return
	keys C-n
	wait_for "j/k scroll" || return
	reader_find "Her order is the reverse" || return
	[[ $(row_after "Her order is the reverse:") == *"→ Your note: Check the pain first"* ]] ||
		fail "after the import, the note is not under its paragraph"
	[[ $(row_with "Her order is the reverse:") == "█"* ]] ||
		fail "after the import, the highlight is not at its paragraph"
	[[ $(row_with "A paragraph the new course adds.") != "█"* ]] ||
		fail "the highlight stayed at the paragraph's old place"
	assert_screen_lacks "Your note: Ask for examples" || return
	keys G
	wait_for "Ask for examples (its paragraph has changed since)" || return
	# The list of bookmarks and highlights: open, then remove.
	keys M
	wait_for "0 bookmarks and 1 highlight across the course" || return
	wait_for "highlight  Start from the pain point: Her order is the reverse:" || return
	keys Enter
	wait_for "j/k scroll" || return
	sleep 0.3
	screen | sed -n 2,4p | grep -qF "Her order is the reverse" ||
		fail "the highlight did not open at its paragraph: $(screen | sed -n 2,4p)"
	keys q
	wait_for "1 highlight across the course" || return
	keys d
	wait_for "Remove this highlight?" || return
	keys y
	wait_for "0 bookmarks and 0 highlights across the course" || return
	rm -rf "$content"
}
