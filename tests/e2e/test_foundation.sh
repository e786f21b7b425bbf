# The foundation: first start, sign in, home, help, resize, quit.

test_first_start_signs_in_and_shows_home() {
	start_app 80x24
	wait_for "Are you taking the course, or coaching the people who do?" || return
	wait_for "I'm a coach" || return
	keys Enter
	wait_for "What's your name?" || return
	wait_for "Enter start" || return
	type_text "Ana Lima"
	keys Enter
	wait_for "Welcome, Ana Lima" || return
	wait_for "0 of 37 lessons done" || return
	wait_for "Next" || return
	wait_for "Start from the pain point" || return
	# the status bar names the keys of this screen
	wait_for "s switch learner" || return
	# the database is private to the user
	local mode
	mode=$(stat -c %a "$E2E_HOME/.local/share/aipm/aipm.db")
	[[ $mode == 600 ]] || fail "database mode is $mode, want 600"
	mode=$(stat -c %a "$E2E_HOME/.local/share/aipm")
	[[ $mode == 700 ]] || fail "database folder mode is $mode, want 700"
	keys q y
	wait_for "[aipm exited] 0" || return
}

test_help_overlay_and_back() {
	start_app 80x24 --learner Ben
	wait_for "Welcome, Ben" || return
	keys '?'
	wait_for "switch to another learner" || return
	wait_for "any key: close" || return
	keys Escape
	wait_gone "any key: close" || return
	wait_for "Welcome, Ben" || return
}

test_resize_small_and_back() {
	start_app 80x24 --learner Cy
	wait_for "Welcome, Cy" || return
	resize 50 15
	wait_for "Terminal too small" || return
	wait_for "need 60x20, have 50x15" || return
	resize 80 24
	wait_gone "Terminal too small" || return
	wait_for "Welcome, Cy" || return
	wait_for "lessons done" || return
}

test_switch_learner_and_remember() {
	start_app 80x24 --learner Dee
	wait_for "Welcome, Dee" || return
	keys s
	wait_for "Who is learning?" || return
	keys n
	wait_for "What's your name?" || return
	type_text "Eve"
	keys Enter
	wait_for "Welcome, Eve" || return
	keys q y
	wait_for "[aipm exited] 0" || return
	# the next start signs in the last learner
	restart_app 80x24
	wait_for "Welcome back, Eve" || return
	local listed
	listed=$(aipm_cli learners --format csv)
	grep -q "^Dee," <<<"$listed" || fail "learners lacks Dee: $listed"
	grep -q "^Eve,.*,yes$" <<<"$listed" || fail "Eve is not current: $listed"
}

test_no_color_and_ascii() {
	E2E_ENV="NO_COLOR=1" E2E_LANG=C start_app 80x24 --learner Fay
	wait_for "Welcome, Fay" || return
	# ASCII drawing: no block characters in a C locale
	wait_for "0 of 37 lessons done" || return
	assert_screen_lacks "░" || return
}

test_bad_content_is_reported_not_fatal() {
	local content
	content=$(mktemp -d)
	cp -r "$CONTENT_DIR"/. "$content"/
	printf 'id,lesson\n"broken\n' > "$content/quiz/zz-broken.csv"
	start_app 80x24 --learner Gus --content "$content"
	wait_for "Welcome, Gus" || return
	wait_for "problem" || return
	wait_for "lessons done" || return
	keys '!'
	# the quote that never closes, on the line where it opens
	wait_for "zz-broken.csv:2: a quote opens a field here" || return
	rm -rf "$content"
}

test_pick_existing_learner_from_list() {
	start_app 80x24 --learner Hal
	wait_for "Welcome, Hal" || return
	aipm_cli learners add "Ida" >/dev/null || fail "learners add failed"
	keys s
	wait_for "Who is learning?" || return
	wait_for "Ida" || return
	keys j Enter
	# Ida was added but had never signed in: greeted, and welcomed back
	# the next time.
	wait_for "Welcome, Ida" || return
	keys s
	wait_for "Who is learning?" || return
	keys k Enter
	wait_for "Welcome back, Hal" || return
	keys s
	wait_for "Who is learning?" || return
	keys j Enter
	wait_for "Welcome back, Ida" || return
}
