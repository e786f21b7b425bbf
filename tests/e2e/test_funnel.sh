# Funnels: the course's AARRR funnel with an edited count; the shipped
# event log built into a funnel, broken down, its incident found on the
# trend and filtered to, the A/B check, drop-offs exported; bad files
# reported by name and line; the command line's JSON and SQL.

# open_shipped_log NAME: the app on the shipped log's funnel screen.
open_shipped_log() {
	start_app 80x24 --learner "$1"
	wait_for "Welcome, $1" || return 1
	keys f
	wait_for "The shipped event log" || return 1
	keys e
	wait_for "events.csv: 123,113 rows" || return 1
	wait_for "246 skipped" || return 1
}

# set_steps SPEC: types the steps into the steps prompt.
set_steps() {
	keys s
	wait_for "Funnel steps" || return 1
	keys C-u
	type_text "$1"
	keys Enter
	wait_gone "Funnel steps" || return 1
}

test_funnel_course_edit_count() {
	start_app 80x24 --learner Ann
	wait_for "Welcome, Ann" || return
	wait_for "f  Funnels" || return
	keys f c
	wait_for "Funnel by stage" || return
	wait_for "product marketing" || return
	wait_for "PM or growth" || return
	wait_for "60 of 100 people (60.0%)" || return
	# acquisition: 40 -> 30 moves the bars, the step rates and the words
	keys j e
	wait_for "People who reach acquisition" || return
	keys C-u
	type_text "30"
	keys Enter
	wait_for "70 of 100 people (70.0%)" || return
	wait_for "66.7%" || return
	wait_for "(edited)" || return
	# a count that is not a number is refused
	keys e C-u
	type_text "lots"
	keys Enter
	wait_for "Not a whole number: lots" || return
	keys r
	wait_for "60 of 100 people (60.0%)" || return
}

test_funnel_build_and_break_down() {
	open_shipped_log Ben || return
	# the product funnel opens first, awareness to referral
	wait_for "store_impression" || return
	wait_for "The biggest drop is from store_impression to store_click" || return
	set_steps "install,signup" || return
	wait_for "3,154  65.0%" || return
	keys 2
	wait_for "Press b to break the funnel down" || return
	# fewest values first: variant (2), platform (3), channel (4)
	wait_for "Columns: variant (2)," || return
	keys b
	wait_for "variant = A: 2,441 entered" || return
	keys b
	wait_for "platform = android: 2,293 entered" || return
	wait_for "platform = ios: 1,864 entered" || return
	keys b
	wait_for "by channel" || return
	wait_for "channel = organic" || return
	# other settings recompute from memory
	keys w
	wait_for "Conversion window" || return
	keys C-u
	type_text "1h"
	keys Enter
	wait_for "window 1h" || return
	keys o
	wait_for "strict order" || return
}

test_funnel_incident_on_trend() {
	open_shipped_log Cy || return
	set_steps "install,signup" || return
	keys f
	wait_for "Filter the rows" || return
	type_text "platform=android"
	keys Enter
	wait_for "where platform=android" || return
	keys 4
	wait_for "install to signup, % converted by day of entry" || return
	keys L
	wait_for "Lowest day: 2026-07-" || return
	wait_for "against a median of" || return
	wait_for "(95% CI " || return
	# the lowest day falls in the incident (2026-07-09 to 07-21), far
	# below the median
	local day
	day=$(screen | sed -n 's/.*Lowest day: 2026-07-\([0-9][0-9]\),.*/\1/p')
	[[ $day =~ ^[0-9]+$ ]] && ((10#$day >= 9 && 10#$day <= 21)) ||
		fail "the lowest day is 2026-07-$day, not inside the incident"
	# selecting the day filters the funnel to its entries
	keys Enter
	wait_for "entries on 2026-07-$day" || return
	wait_for "x all periods" || return
	keys x
	wait_gone "entries on 2026-07-$day" || return
}

test_funnel_ab_check() {
	open_shipped_log Dee || return
	set_steps "install,signup" || return
	keys 3
	wait_for "Press a to use 'variant'" || return
	keys a
	wait_for "variant: A (2,441 entered), B (2,412 entered)" || return
	wait_for "signup  B vs A    +3.6 pts    +0.9 to +6.3    0.009" || return
	wait_for "B converts better than A from install to signup" || return
	wait_for "95% CI +0.9 to +6.3" || return
}

test_funnel_dropoffs_export() {
	open_shipped_log Eve || return
	set_steps "install,signup" || return
	keys j Enter
	wait_for "1,699 users reached install but not signup" || return
	keys e
	wait_for "Export the drop-offs" || return
	keys C-u
	type_text "$E2E_HOME/dropped.csv"
	keys Enter
	wait_for "Saved 1,699 users to" || return
	local lines
	lines=$(wc -l <"$E2E_HOME/dropped.csv")
	[[ $lines == 1700 ]] || fail "the export has $lines lines, want 1700"
	head -1 "$E2E_HOME/dropped.csv" |
		grep -q '^user_id,entered,last_step,last_step_at,platform,channel,variant$' ||
		fail "export header: $(head -1 "$E2E_HOME/dropped.csv")"
}

test_funnel_bad_file_named_with_line() {
	start_app 80x24 --learner Fay
	wait_for "Welcome, Fay" || return
	printf 'who,what,when\na,b,c\n' >"$E2E_HOME/nocols.csv"
	keys f o
	wait_for "Open a CSV file" || return
	type_text "$E2E_HOME/nocols.csv"
	keys Enter
	wait_for "nocols.csv:1: no unit column" || return
	wait_for "'who', 'what', 'when'" || return
	keys q
	head -c 2000 /bin/ls >"$E2E_HOME/binary.csv"
	keys o C-u
	type_text "$E2E_HOME/binary.csv"
	keys Enter
	# binary data: its first NUL byte, placed (before, its garbage columns)
	wait_for "binary.csv:1:8: a NUL byte" || return
}

# The TUI's writers ask before they replace a file, and never write over
# the database or through a link (issue 14).
test_funnel_export_asks_before_replacing() {
	open_shipped_log Gus || return
	set_steps "install,signup" || return
	keys j Enter
	wait_for "1,699 users reached install but not signup" || return
	printf 'keep me\n' >"$E2E_HOME/mine.csv"
	keys e
	wait_for "Export the drop-offs" || return
	keys C-u
	type_text "$E2E_HOME/mine.csv"
	keys Enter
	wait_for "Replace the file?" || return
	wait_for "mine.csv already exists. Replace it?" || return
	wait_for "y: yes  n/Esc: no" || return
	# Enter is no here: nothing is lost by a key pressed once too often
	keys Enter
	wait_gone "Replace the file?" || return
	[[ $(cat "$E2E_HOME/mine.csv") == "keep me" ]] || fail "answered no, the file changed"
	keys e
	wait_for "Export the drop-offs" || return
	keys Enter
	wait_for "Replace the file?" || return
	keys y
	wait_for "Saved 1,699 users to" || return
	[[ $(wc -l <"$E2E_HOME/mine.csv") == 1700 ]] || fail "answered yes, the file was not replaced"
	# a link is refused without a question, its target kept
	printf 'target\n' >"$E2E_HOME/target.csv"
	ln -s "$E2E_HOME/target.csv" "$E2E_HOME/link.csv"
	keys e
	wait_for "Export the drop-offs" || return
	keys C-u
	type_text "$E2E_HOME/link.csv"
	keys Enter
	wait_for "link.csv is a symbolic link" || return
	[[ $(cat "$E2E_HOME/target.csv") == "target" ]] || fail "the link's target changed"
	# the database itself, by its path
	# (the app itself may write to it meanwhile: what is checked is that it
	# is still a database, not a CSV)
	local db="$E2E_HOME/.local/share/aipm/aipm.db"
	keys e
	wait_for "Export the drop-offs" || return
	keys C-u
	type_text "$db"
	keys Enter
	wait_for "is the database aipm is using" || return
	assert_screen_lacks "Replace the file?"
	[[ $(head -c 15 "$db") == "SQLite format 3" ]] || fail "the database was written over"
	aipm_cli learners | grep -q Gus || fail "the database lost its learner"
}

test_funnel_cli_json_and_sql() {
	local json
	json=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --by variant \
		--format json)
	grep -q '"count": 4853' <<<"$json" || fail "JSON lacks the 4853 installs"
	grep -q '"verdict": "B converts better than A' <<<"$json" || fail "JSON lacks the A/B verdict"
	grep -q '"ragged": 54' <<<"$json" || fail "JSON lacks the skipped-row counts"
	local sql
	sql=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --window 7d \
		--emit-sql clickhouse)
	grep -q 'windowFunnel(604800000)(aipm_t' <<<"$sql" || fail "no windowFunnel in: $sql"
	aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --order any \
		--emit-sql clickhouse >/dev/null 2>&1 && fail "ClickHouse any-order should be refused"
	# trend points carry their volume and Wilson interval; the lowest
	# week is the incident's
	local trend
	trend=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --trend week)
	grep -q '^2026-07-13      378        195    51.6  46.6-56.6  lowest' <<<"$trend" ||
		fail "no lowest week with its interval in: $trend"
	grep -q '^Lowest week: 2026-07-13, 51.6% (95% CI 46.6-56.6%) against a median of 66.4%.' \
		<<<"$trend" || fail "no lowest-week line in: $trend"
	aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --trend week \
		--format json | grep -q '"lowest": "2026-07-13"' || fail "JSON lacks the lowest week"
	local err
	err=$(aipm_cli funnel /nonexistent.csv --steps a,b 2>&1)
	grep -q 'nonexistent.csv: cannot read' <<<"$err" || fail "missing file: $err"
}

# The stage counts' edits live only on the screen: q asks before losing
# them, and only y leaves (issue 19).
test_funnel_aarrr_asks_before_losing_edits() {
	start_app 80x24 --learner Hal
	wait_for "Welcome, Hal" || return
	keys f c
	wait_for "Funnel by stage" || return
	keys j e C-u
	type_text "30"
	keys Enter
	wait_for "(edited)" || return
	keys q
	wait_for "Leave without saving?" || return
	keys n
	wait_gone "Leave without saving?" || return
	wait_for "70 of 100 people (70.0%)" || return
	keys Escape
	wait_for "Leave without saving?" || return
	keys y
	wait_gone "Funnel by stage" || return
	# unedited, q leaves at once
	keys c
	wait_for "Funnel by stage" || return
	keys q
	wait_gone "Funnel by stage" || return
	assert_screen_lacks "Leave without saving?"
}

# At 80x24 the A/B view of the seven-step funnel does not fit: it scrolls
# to its last table row and the verdict's last sentence; p-values have one
# format, a bound near zero keeps its sign (issue 19).
test_funnel_ab_scrolls_at_80x24() {
	open_shipped_log Ivy || return
	keys 3
	wait_for "Press a to use 'variant'" || return
	keys a
	wait_for "variant: A (12,418 entered), B (12,564 entered)" || return
	assert_screen_lacks "users would narrow it."
	assert_screen_lacks "invite_sent    B vs A"
	keys NPage NPage
	wait_for "users would narrow it." || return
	wait_for "invite_sent    B vs A    +0.1 pts  -0.04 to +0.22    0.159" || return
	wait_for "store_click    B vs A    +0.2 pts    -1.0 to +1.4    0.769" || return
	wait_for "95% CI -0.04 to +0.22, which includes zero; p = 0.159" || return
	assert_screen_lacks "-0.0 to"
	# back up with k and g
	keys g
	wait_for "variant: A (12,418 entered)" || return
	keys j
	wait_gone "variant: A (12,418 entered)" || return
}

# The drop-off list's header sits over its columns.
test_funnel_dropoff_header_aligned() {
	open_shipped_log Jo || return
	keys 5
	wait_for "users reached store_impression but not store_click:" || return
	local head row
	head=$(screen | grep -m1 'user_id  ')
	row=$(screen | grep -m1 ' u_[0-9a-f]')
	[[ $(awk '{print index($0, "user_id")}' <<<"$head") == $(awk '{print index($0, "u_")}' <<<"$row") ]] ||
		fail "header '$head' and row '$row' start in different columns"
	[[ $(awk '{print index($0, "entered")}' <<<"$head") == $(awk '{print index($0, "2026-")}' <<<"$row") ]] ||
		fail "the entered column is not under its header"
}

# units.csv: 40 users, 3 sessions each, a view per session and a buy in
# a third of them; platform and variant per session.
write_units_log() {
	local out=$1 u s
	echo "user_id,session_id,event,timestamp,platform,variant" >"$out"
	for ((u = 0; u < 40; u++)); do
		for ((s = 0; s < 3; s++)); do
			local p=ios v=A
			(((u + s) % 2)) && p=android
			((u % 2)) && v=B
			echo "u$u,s${u}_$s,view,2026-06-0$((s + 1))T10:00:00Z,$p,$v" >>"$out"
			(((u + s) % 3 == 0)) &&
				echo "u$u,s${u}_$s,buy,2026-06-0$((s + 1))T10:05:00Z,$p,$v" >>"$out"
		done
	done
}

# b offers the columns with few values first and the id-like session_id
# last; u switches the unit between user_id and session_id (issue 19).
test_funnel_breakdown_order_and_unit_switch() {
	start_app 80x24 --learner Kim
	wait_for "Welcome, Kim" || return
	write_units_log "$E2E_HOME/units.csv"
	keys f o
	wait_for "Open a CSV file" || return
	type_text "$E2E_HOME/units.csv"
	keys Enter
	wait_for "units.csv: 160 rows, 40 users" || return
	set_steps "view,buy" || return
	wait_for "40  100.0%" || return
	keys 2
	wait_for "Columns: platform (2)," || return
	wait_for "variant (2), session_id (120)" || return
	keys b
	wait_for "by platform" || return
	keys b
	wait_for "by variant" || return
	keys b
	wait_for "by session_id" || return
	keys b
	wait_gone "by session_id" || return
	# sessions as the unit: 120 of them, 40 of which buy
	keys 1 u
	wait_for "Unit: session_id (sessions)" || return
	wait_for "units.csv: 160 rows, 120 sessions" || return
	wait_for "120  100.0%" || return
	wait_for "40  33.3%" || return
	keys u
	wait_for "units.csv: 160 rows, 40 users" || return
}

# Twelve steps at 80x24: the summary below the bars is a PgDn away, and
# j/k still select steps (issue 19).
test_funnel_view_scrolls_at_80x24() {
	open_shipped_log Lou || return
	set_steps "store_impression,store_click,install,signup,session_start,purchase,invite_sent,store_impression,store_click,install,signup,purchase" || return
	wait_for "12 steps" || return
	assert_screen_lacks "store_impression to store_click: 0.0% go on."
	keys NPage
	wait_for "store_impression to store_click: 0.0% go on." || return
	keys PPage
	wait_for "store_impression ███" || return
	keys j
	wait_for "install: 49.4% of store_click go on" || return
}

# Exclusion steps, on the screen and on the command line alike: in the
# shipped log session_start follows signup, so excluding it between
# signup and purchase leaves out most who signed up (issue 19).
test_funnel_exclusion_steps() {
	open_shipped_log Max || return
	set_steps "install,signup,purchase" || return
	wait_for "4,853  100.0%" || return
	keys n
	wait_for "Exclusion steps" || return
	type_text "session_start:2-3"
	keys Enter
	wait_for "excluding session_start 2-3" || return
	wait_for "3,152 users left out: an exclusion event came inside their chain." || return
	wait_for "1,701  100.0%" || return
	local out
	out=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup,purchase \
		--exclude session_start:2-3 2>/dev/null)
	grep -q '^Excluded: 3152 users with an exclusion event in their chain' <<<"$out" ||
		fail "the CLI does not say who was excluded: $out"
	grep -q '^1  install    1701' <<<"$out" || fail "the CLI's counts differ from the screen's: $out"
	aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup \
		--exclude session_start:2-1 >/dev/null 2>&1 && fail "steps 2-1 should be refused"
}

# The time to convert, as a histogram under the funnel, follows the
# selected step; t measures it from step 1; the CLI prints the same
# (issue 19).
test_funnel_time_to_convert() {
	open_shipped_log Ned || return
	set_steps "install,signup,purchase" || return
	keys j j NPage
	wait_for "Time to convert, signup to purchase (t: from step 1): 612 users, median 15h" || return
	wait_for "2d-7d   ███" || return
	keys t
	wait_for "Time to convert, install to purchase (t: from the step before): 612 users," || return
	wait_for "median 1d 12h, p90 9d 10h" || return
	local out
	out=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup,purchase 2>/dev/null)
	grep -q '^Time to convert, install to purchase: 612 users, median 1d 12h, p90 9d 10h' <<<"$out" ||
		fail "no time to convert in: $out"
	grep -q '^2d-7d      164  26.8  #' <<<"$out" || fail "no 2d-7d bucket in: $out"
	out=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup,purchase \
		--time-to-convert 2-3 --format json 2>/dev/null)
	grep -q '"from_step": 2' <<<"$out" || fail "JSON lacks the histogram's steps"
	aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup \
		--time-to-convert 2-1 >/dev/null 2>&1 && fail "--time-to-convert 2-1 should be refused"
}

# aipm funnel --dropped STEP -o FILE: who dropped, with their properties
# at first touch; cells from the log cannot become spreadsheet formulas
# (issue 19).
test_funnel_cli_dropped_with_properties() {
	start_app 80x24 --learner Ola
	wait_for "Welcome, Ola" || return
	local log="$E2E_HOME/hostile.csv" out="$E2E_HOME/dropped.csv"
	printf 'user_id,event,timestamp,campaign\n' >"$log"
	printf '=cmd|calc,view,2026-06-01T10:00:00Z,"=HYPERLINK(""http://x"")"\n' >>"$log"
	printf 'u2,view,2026-06-01T10:00:00Z,spring\nu2,view,2026-06-02T10:00:00Z,summer\n' >>"$log"
	printf 'u3,view,2026-06-01T10:00:00Z,spring\nu3,buy,2026-06-01T10:05:00Z,spring\n' >>"$log"
	aipm_cli funnel "$log" --steps view,buy --dropped 2 -o "$out" 2>"$E2E_HOME/err" ||
		fail "the export failed: $(cat "$E2E_HOME/err")"
	grep -q 'reached view but not buy: written to' "$E2E_HOME/err" || fail "no message: $(cat "$E2E_HOME/err")"
	[[ $(head -1 "$out") == "user_id,entered,last_step,last_step_at,campaign" ]] ||
		fail "header: $(head -1 "$out")"
	# the first touch: u2's campaign on its first view, not its second
	grep -q '^u2,2026-06-01 10:00:00,1,2026-06-01 10:00:00,spring$' "$out" || fail "u2: $(cat "$out")"
	grep -qF "'=cmd|calc,2026-06-01 10:00:00,1,2026-06-01 10:00:00,\"'=HYPERLINK(\"\"http://x\"\")\"" "$out" ||
		fail "formulas not disarmed: $(cat "$out")"
	grep -q '^u3,' "$out" && fail "u3 converted, it is not a drop-off"
	# an existing file is kept unless --force
	aipm_cli funnel "$log" --steps view,buy --dropped buy -o "$out" 2>/dev/null &&
		fail "an existing file was replaced without --force"
	aipm_cli funnel "$log" --steps view,buy --dropped buy -o "$out" --force 2>/dev/null ||
		fail "--force did not replace the file"
	aipm_cli funnel "$log" --steps view,buy --dropped 1 -o - >/dev/null 2>&1 &&
		fail "step 1 has no drop-offs before it and should be refused"
	aipm_cli funnel "$log" --steps view,buy --dropped buy 2>/dev/null && fail "--dropped without -o"
	return 0
}

# Step names complete from the log's events with Tab (issue 19).
test_funnel_steps_complete_with_tab() {
	open_shipped_log Pia || return
	keys s
	wait_for "Funnel steps" || return
	wait_for "Tab: complete" || return
	keys C-u
	type_text "ins"
	keys Tab
	wait_for "install," || return
	type_text "si"
	keys Tab
	wait_for "install,signup," || return
	# ambiguous: the shared prefix, then the most frequent match
	type_text "s"
	keys Tab
	wait_for "install,signup,store_impression" || return
	keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
	wait_for "install,signup," || return
	keys Enter
	wait_gone "Funnel steps" || return
	wait_for "2 steps" || return
	wait_for "3,154  65.0%" || return
}

# With a breakdown the trend shows each group's own line (v), and the
# lowest week of Android is the incident's (issue 19).
test_funnel_trend_per_breakdown_value() {
	open_shipped_log Quin || return
	set_steps "install,signup" || return
	keys 2 b b
	wait_for "by platform" || return
	keys 4 p
	wait_for "% converted by week of entry, all users" || return
	keys v
	wait_for "% converted by week of entry, platform = android" || return
	keys L
	wait_for "Lowest week: 2026-07-13, 54 of 186, 29.0% (CI 23.0-35.9%)" || return
	keys v
	wait_for "platform = ios" || return
	local out
	out=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --by platform \
		--trend week 2>/dev/null)
	grep -q '^Trend by week and platform (first touch)' <<<"$out" || fail "no trend per platform: $out"
	grep -q '^          2026-07-13      186         54    29.0  23.0-35.9' <<<"$out" ||
		fail "Android's incident week differs from the screen's: $out"
	out=$(aipm_cli funnel "$CONTENT_DIR/datasets/events.csv" --steps install,signup --by platform \
		--trend week --format csv 2>/dev/null)
	[[ $(head -1 <<<"$out") == group,period_start,entered,converted,rate,ci95_low,ci95_high,complete ]] ||
		fail "trend CSV header: $(head -1 <<<"$out")"
	grep -q '^android,2026-07-13,186,54,0.290323,' <<<"$out" || fail "no Android row in the CSV: $out"
}

# A unit id longer than its column ends in an ellipsis in the drop-off
# list, and Enter shows the row whole (issue 19).
test_funnel_dropoff_long_id_readable() {
	start_app 80x24 --learner Rae
	wait_for "Welcome, Rae" || return
	printf 'user_id,event,timestamp,campaign\n' >"$E2E_HOME/long.csv"
	printf 'customer-0123456789-abcdefghij,view,2026-06-01T10:00:00Z,spring_sale_2026_launch\n' >>"$E2E_HOME/long.csv"
	printf 'u2,view,2026-06-01T10:00:00Z,x\nu2,buy,2026-06-01T10:01:00Z,x\n' >>"$E2E_HOME/long.csv"
	keys f o
	wait_for "Open a CSV file" || return
	type_text "$E2E_HOME/long.csv"
	keys Enter
	wait_for "long.csv: 3 rows" || return
	set_steps "view,buy" || return
	keys 5
	wait_for "1 user reached view but not buy:" || return
	wait_for "customer-01234567…" || return
	assert_screen_lacks "customer-0123456789-abcdefghij"
	keys Enter
	wait_for "user_id: customer-0123456789-abcdefghij" || return
	wait_for "entered: 2026-06-01 10:00:00" || return
}

# A breakdown value too long for its heading ends in an ellipsis, and
# Enter shows the top group's value whole (issue 19).
test_funnel_breakdown_long_value_readable() {
	start_app 80x24 --learner Lou
	wait_for "Welcome, Lou" || return
	local long=partner_newsletter_spring_2026_second_wave_relaunch
	printf 'user_id,event,timestamp,campaign\n' >"$E2E_HOME/camp.csv"
	printf 'u1,view,2026-06-01T10:00:00Z,%s\nu1,buy,2026-06-01T10:01:00Z,%s\n' "$long" "$long" >>"$E2E_HOME/camp.csv"
	printf 'u2,view,2026-06-01T10:00:00Z,%s\n' "$long" >>"$E2E_HOME/camp.csv"
	keys f o
	wait_for "Open a CSV file" || return
	type_text "$E2E_HOME/camp.csv"
	keys Enter
	wait_for "camp.csv: 3 rows" || return
	set_steps "view,buy" || return
	keys 2 b
	wait_for "campaign = partner_newsletter" || return
	wait_for "…" || return
	assert_screen_lacks "reach the last step"
	keys Enter
	wait_for "Breakdown group" || return
	wait_for "campaign: $long" || return
	wait_for "2 entered, 50.0% reach the last step" || return
	keys Enter
	wait_gone "Breakdown group" || return
}
