# Two terminals, one learner: the same quiz answered in both at once while
# the command line records drill answers for that learner in a loop. No
# screen may say an answer was not saved (a "database is locked" would),
# and every answer of both terminals is stored.

# A second session on the same HOME (so the same database).
start_second() {
	SECOND="aipm-e2e-$$-$RANDOM"
	tmux -L "$TMUX_SOCKET" new-session -d -s "$SECOND" -x 80 -y 24 \
		"env HOME=$E2E_HOME XDG_DATA_HOME= AIPM_DB= TERM=xterm-256color LANG=C.UTF-8 \
		 $AIPM $* ; echo '[aipm exited]' \$?; sleep 30"
}

# in_second CMD...: runs a lib.sh helper against the second session.
in_second() {
	local first=$SESSION rc
	SESSION=$SECOND
	"$@"
	rc=$?
	SESSION=$first
	return $rc
}

test_two_terminals_same_learner_answer_together() {
	start_app 80x24 --learner Duo
	wait_for "Welcome, Duo" || return
	start_second --learner Duo
	in_second wait_for "Welcome back, Duo" || return
	local db=$E2E_HOME/.local/share/aipm/aipm.db lesson n est
	lesson=$(aipm_cli lessons --format csv | awk -F, 'NR == 2 { print $2 }')
	n=$(sqlite3 "$db" "SELECT COUNT(*) FROM quiz_questions WHERE lesson_id = '$lesson'")
	est=$(sqlite3 "$db" "SELECT id FROM estimation_questions ORDER BY id LIMIT 1")
	keys l z
	in_second keys l z
	wait_for "Question 1 of $n" || return
	in_second wait_for "Question 1 of $n" || return
	# the command line writes for the same learner all along
	(
		while [[ -d $E2E_HOME && ! -e $E2E_HOME/stop-cli ]]; do
			aipm_cli --learner Duo drill score "$est" --point 5 --low 1 --high 10 --record \
				>/dev/null 2>>"$E2E_HOME/cli-errors" || echo failed >>"$E2E_HOME/cli-errors"
		done
	) &
	local cli=$! i
	for i in $(seq 1 "$n"); do
		wait_for "Question $i of $n" || break
		in_second wait_for "Question $i of $n" || break
		# both answers sent before either is checked
		type_text 1
		in_second type_text 1
		keys Enter
		in_second keys Enter
		wait_for "ight." || break
		in_second wait_for "ight." || break
		if screen | grep -q "not saved\|could not be saved\|locked" ||
			in_second screen | grep -q "not saved\|could not be saved\|locked"; then
			fail "an answer was not saved"
			in_second screen | sed 's/^/    2| /'
			break
		fi
		keys Enter
		in_second keys Enter
	done
	# Let the loop's last command finish (killing the loop would leave it
	# writing while the counts below are read).
	touch "$E2E_HOME/stop-cli"
	wait "$cli" 2>/dev/null
	in_second tmux -L "$TMUX_SOCKET" kill-session -t "$SECOND"
	((TEST_FAILED)) && return
	[[ ! -s $E2E_HOME/cli-errors ]] || fail "the command line failed: $(head -3 "$E2E_HOME/cli-errors")"
	local stored takes
	stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM quiz_attempts a JOIN learners l ON l.id = a.learner_id
		WHERE l.name = 'Duo' AND a.question_id IN
		(SELECT id FROM quiz_questions WHERE lesson_id = '$lesson')")
	takes=$(sqlite3 "$db" "SELECT COUNT(*) FROM quiz_takes WHERE lesson_id = '$lesson'
		AND answered = $n AND finished_at IS NOT NULL")
	[[ $stored == $((2 * n)) ]] || fail "$stored answers stored of the $((2 * n)) given"
	[[ $takes == 2 ]] || fail "$takes finished takes, want 2"
}

# A dropped SSH session: the terminal hangs up in the middle of a lesson
# (tmux closing the pane sends SIGHUP, as sshd does). aipm leaves as q would,
# so the next start opens the lesson where the reader was.
test_hangup_keeps_the_reading_place() {
	start_app 80x24 --learner Hup
	wait_for "Welcome, Hup" || return
	keys n
	wait_for "j/k scroll" || return
	keys Space Space j j
	wait_gone " 0%" || return
	sleep 0.3
	local place
	place=$(screen | sed -n 2,5p)
	restart_app 80x24 --learner Hup # kills the session: SIGHUP
	wait_for "Welcome back, Hup" || return
	keys n
	wait_for "j/k scroll" || return
	sleep 0.3
	[[ "$(screen | sed -n 2,5p)" == "$place" ]] ||
		fail "after the hang-up the lesson opened at '$(screen | sed -n 2,5p)', not '$place'"
}
