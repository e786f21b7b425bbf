# Progress and coaching: two learners answer on one machine and export
# their signed bundles; a coach (aipm --coach: not a learner) imports both
# into their own database with the import screen's file picker, sees both
# in the cohort, opens one, opens the difficult questions. The learner's
# own progress screen; the command-line import refusing an edited bundle;
# the first start's choice of a coach; and hostile text in a bundle never
# reaching the coach's terminal, spreadsheet or report raw.

# Ana (signed in by start_app) and Ben answer the dog-food estimate: her
# 90% range holds the answer (9.82M tonnes), his misses by four orders of
# magnitude.
two_learners_answer() {
	aipm_cli learners add Ben >/dev/null || fail "learners add Ben"
	aipm_cli --learner Ana drill score est-dog-food-us --point 8M --low 3M --high 20M \
		--record >/dev/null || fail "Ana's answer was not recorded"
	aipm_cli --learner Ben drill score est-dog-food-us --point 500 --low 100 --high 1000 \
		--record >/dev/null || fail "Ben's answer was not recorded"
}

test_learner_sees_their_progress() {
	start_app 80x24 --learner Ana
	wait_for "Welcome, Ana" || return
	aipm_cli --learner Ana drill score est-dog-food-us --point 8M --low 3M --high 20M \
		--record >/dev/null || fail "answer not recorded"
	keys p
	wait_for "Your progress" || return
	wait_for "0 of 37 lessons done" || return
	wait_for "90% ranges held 1 of 1 (100%)" || return
	wait_for "Lessons done per module" || return
	keys 3
	wait_for "estimate:" || return
	wait_for "range held" || return
	keys 2
	wait_for "Start from the pain point" || return
	keys '?'
	wait_for "a section by number" || return
	keys Escape
	keys q
	wait_for "Welcome, Ana" || return
}

test_coach_imports_two_learners_and_opens_the_views() {
	start_app 80x24 --learner Ana
	wait_for "Welcome, Ana" || return
	two_learners_answer
	aipm_cli --learner Ana progress export -o "$E2E_HOME/ana.csv" >/dev/null ||
		fail "Ana's export failed"
	aipm_cli --learner Ben progress export -o "$E2E_HOME/ben.csv" >/dev/null ||
		fail "Ben's export failed"
	head -1 "$E2E_HOME/ana.csv" | grep -q '^aipm-progress-bundle,format,2$' ||
		fail "the bundle does not start with its format row"
	sed -n 2p "$E2E_HOME/ana.csv" | grep -Eq '^meta,public_key,[A-Za-z0-9+/]{43}=$' ||
		fail "the bundle's second row is not its key"
	tail -1 "$E2E_HOME/ana.csv" | grep -Eq '^signature,ed25519,[A-Za-z0-9+/]{86}==$' ||
		fail "the bundle does not end with its signature row"

	# The coach, on their own database, is not a learner of it.
	restart_app 80x24 --db "$E2E_HOME/coach.db" --coach
	wait_for "Coach: cohort" || return
	wait_for "L sign in" || return
	keys i
	wait_for "Coach: import progress bundles" || return
	keys o
	wait_for "Folder:" || return
	type_text "$E2E_HOME"
	keys Enter
	wait_for "ana.csv" || return
	wait_for "Ana, exported" || return
	wait_for "Ben, exported" || return
	keys a
	wait_for "[x] ana.csv" || return
	keys i
	wait_for "2 imported, 0 refused" || return
	wait_for "ana.csv: Ana (new)" || return
	keys q
	wait_for "Coach: cohort" || return
	wait_for "Ana" || return
	wait_for "Ben" || return
	wait_for "2 learners" || return
	# Ana, first by name: her view.
	keys g Enter
	wait_for "Coach: one learner" || return
	wait_for "90% ranges held 1 of 1 (100%)" || return
	wait_for "imported" || return
	# the key that signs her bundles, as her export printed it
	local fp
	fp=$(aipm_cli --learner Ana progress export -o "$E2E_HOME/again.csv" | grep -o 'SHA256:[^ ]*')
	wait_for "Key $fp" || return
	keys 3
	wait_for "estimate:" || return
	keys q
	wait_for "Coach: cohort" || return
	keys d
	wait_for "Coach: difficult questions" || return
	wait_for "Estimate the amount of dog food" || return
	wait_for "1/2" || return
	wait_for "Missed by 1 of the 2 learners" || return
	wait_for "Taught in: Answering success-metric and estimation questions" || return
	wait_for "over 1000x too low" || return
	keys q
	wait_for "Coach: cohort" || return
	# The same import again adds nothing; the report names both.
	local out
	out=$(aipm_cli --db "$E2E_HOME/coach.db" coach import --format csv "$E2E_HOME/ana.csv")
	grep -q ",Ana,.*,no,$fp,no,2,0,0,0,2,imported\$" <<<"$out" || fail "re-import added rows: $out"
	# Nobody signs in on the coach's database.
	out=$(aipm_cli --db "$E2E_HOME/coach.db" learners --format csv)
	[[ $out == "name,id,created,current" ]] || fail "the coach became a learner: $out"
	out=$(aipm_cli --db "$E2E_HOME/coach.db" coach report --format csv --only cohort)
	grep -q '^Ana,' <<<"$out" || fail "the report lacks Ana: $out"
	grep -q '^Ben,' <<<"$out" || fail "the report lacks Ben: $out"
}

test_coach_import_refuses_an_edited_bundle() {
	start_app 80x24 --learner Ana
	wait_for "Welcome, Ana" || return
	two_learners_answer
	aipm_cli --learner Ben progress export -o "$E2E_HOME/ben.csv" >/dev/null ||
		fail "Ben's export failed"
	sed 's/^meta,learner_name,Ben$/meta,learner_name,Bob/' "$E2E_HOME/ben.csv" \
		>"$E2E_HOME/edited.csv"
	head -c 300 "$E2E_HOME/ben.csv" >"$E2E_HOME/cut.csv"
	local err status
	err=$(aipm_cli --db "$E2E_HOME/coach.db" coach import "$E2E_HOME/edited.csv" \
		"$E2E_HOME/cut.csv" 2>&1 >/dev/null)
	status=$?
	((status == 1)) || fail "import of a bad bundle exited $status"
	grep -q "edited.csv: the signature does not match" <<<"$err" ||
		fail "no signature reason: $err"
	grep -q "cut.csv:[0-9]*: the bundle is truncated" <<<"$err" || fail "no truncation reason: $err"
	# Nothing was written.
	local learners
	learners=$(aipm_cli --db "$E2E_HOME/coach.db" coach report --format csv --only cohort)
	grep -q "Bob\|Ben" <<<"$learners" && fail "a refused bundle left a learner: $learners"
	return 0
}

# The one-learner view from the command line: a name two learners share
# lists both UUIDs and fails; the start of a UUID names one.
test_coach_learner_command() {
	start_app 80x24 --learner Ana
	wait_for "Welcome, Ana" || return
	two_learners_answer
	aipm_cli --learner Ben progress export -o "$E2E_HOME/ben.csv" >/dev/null ||
		fail "Ben's export failed"
	local coach="$E2E_HOME/coach.db" out err status
	aipm_cli --db "$coach" learners add Ben >/dev/null || fail "a local Ben"
	aipm_cli --db "$coach" coach import "$E2E_HOME/ben.csv" >/dev/null || fail "import failed"
	err=$(aipm_cli --db "$coach" coach learner ben 2>&1 >/dev/null)
	status=$?
	((status == 1)) || fail "an ambiguous name exited $status"
	grep -q "2 learners match 'ben'" <<<"$err" || fail "no ambiguity message: $err"
	local uuid
	uuid=$(grep -o '[0-9a-f]\{8\}-[0-9a-f-]\{27\}  Ben  imported' <<<"$err" | cut -c1-36)
	[[ -n $uuid ]] || fail "the imported Ben's UUID is not listed: $err"
	out=$(aipm_cli --db "$coach" coach learner "${uuid:0:8}" --format csv) ||
		fail "coach learner by UUID failed"
	grep -q '^calibration,,ranges held,0 of 1 90% ranges held' <<<"$out" ||
		fail "no calibration row: $out"
	grep -q '^timeline,.*,"estimate: 0 points, range missed",,bad$' <<<"$out" ||
		fail "no timeline row: $out"
	# the drill answer today is a day of activity: a streak of one
	grep -q '^summary,,streak,.*1 active days.*,1$' <<<"$out" || fail "no streak row: $out"
	out=$(aipm_cli --db "$coach" coach learner "$uuid" --only summary --format json)
	grep -q '"imported": true' <<<"$out" || fail "not shown as imported: $out"
	grep -q '"timeline"' <<<"$out" && fail "--only summary printed the timeline: $out"
	return 0
}

# The first start offers a coach's way in: the Coach screen with nobody
# added to the cohort, remembered; Esc on the name goes back, not out.
test_first_start_offers_a_coach() {
	start_app 80x24
	wait_for "I'm a learner: add my name" || return
	wait_for "I'm a coach: open the cohort" || return
	wait_for "q quit" || return
	keys Enter
	wait_for "What's your name?" || return
	keys Escape
	wait_for "I'm a coach: open the cohort" || return
	assert_screen_lacks "[aipm exited]" || return
	keys j Enter
	wait_for "Coach: cohort" || return
	wait_for "No learners here yet" || return
	wait_for "L sign in" || return
	keys q
	wait_for "[aipm exited] 0" || return
	local out
	out=$(aipm_cli learners --format csv)
	[[ $out == "name,id,created,current" ]] || fail "the coach became a learner: $out"
	# The next start opens the Coach screen again; L signs in a learner,
	# and then the start after that is theirs.
	restart_app 80x24
	wait_for "Coach: cohort" || return
	keys L
	wait_for "I'm a learner: add my name" || return
	keys Escape
	wait_for "Coach: cohort" || return
	keys L
	wait_for "I'm a learner: add my name" || return
	keys Enter
	wait_for "What's your name?" || return
	type_text "Dana"
	keys Enter
	wait_for "Welcome, Dana" || return
	keys q y
	wait_for "[aipm exited] 0" || return
	restart_app 80x24
	wait_for "Welcome back, Dana" || return
	# --coach opens the Coach screen whoever signed in last.
	restart_app 80x24 --coach
	wait_for "Coach: cohort" || return
	wait_for "Dana" || return
	wait_for "1 learner" || return
}
