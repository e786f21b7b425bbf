# Hostile text from other people (a learner's bundle, a course folder, a
# model's labels, a CSV's header) through every CLI output: no escape
# sequence, C1 control or bidi override reaches the terminal raw, CSV cells
# that a spreadsheet would run as formulas are neutralised, and Markdown
# reports make no HTML or link of it. Checked on the bytes the commands
# write and on a real terminal (tmux): the window title stays, the screen
# is not cleared.

ESC=$'\x1b'
BEL=$'\a'
CR=$'\r'
CSI_C1=$'\xc2\x9b'
RLO=$'\xe2\x80\xae'
PLACEHOLDER=$'\xef\xbf\xbd'
EVE='=HYPERLINK("http://evil.example","<b>Eve</b>")'

# raw_controls TEXT: whether TEXT holds ESC, BEL, CR, U+009B or U+202E.
raw_controls() {
	LC_ALL=C grep -q "[$ESC$BEL$CR]\|$CSI_C1\|$RLO" <<<"$1"
}

# A learner whose note, quiz answer and name are attacks, exported and
# imported into a coach's database ($E2E_HOME/coach.db).
hostile_bundle() {
	aipm_cli learners add 'Eve' >/dev/null || fail "learners add Eve"
	local db="$E2E_HOME/.local/share/aipm/aipm.db"
	# The note: set the window title, clear the screen, hide text, move
	# over the lines above, a one-character CSI, a right-to-left override,
	# HTML and a link for the Markdown report.
	sqlite3 "$db" "INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at)
		SELECT 'n-evil', id, 'm1-shiny-object-trap', char(27) || ']0;pwned' || char(7)
		|| char(27) || '[2J' || char(27) || '[8mhidden' || char(27) || '[1A' || char(155)
		|| '2J' || char(8238) || 'gnp.exe <script>x</script> [link](http://evil.example)',
		1772445600, 1772445600 FROM learners WHERE name = 'Eve';
		INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,
		answered_at) SELECT 'qa-evil', id, NULL, 'm1-shiny-object-trap-q1',
		char(27) || '[31m' || '=HYPERLINK(\"http://evil.example\",\"click\")', 0, 1772445700
		FROM learners WHERE name = 'Eve';
		UPDATE learners SET name = '=HYPERLINK(\"http://evil.example\",\"<b>Eve</b>\")'
		WHERE name = 'Eve'" || fail "the hostile rows were not written"
	aipm_cli --learner "$EVE" progress export \
		-o "$E2E_HOME/eve.csv" >/dev/null || fail "Eve's export failed"
	aipm_cli --db "$E2E_HOME/coach.db" coach import "$E2E_HOME/eve.csv" >/dev/null ||
		fail "the coach's import failed"
}

test_coach_views_print_no_raw_controls() {
	start_app 80x24 --learner Ana
	wait_for "Welcome, Ana" || return
	hostile_bundle
	local coach="$E2E_HOME/coach.db" out format
	for format in table csv json; do
		out=$(aipm_cli --db "$coach" coach learner "$EVE" --format "$format" 2>&1)
		grep -q "pwned" <<<"$out" || fail "coach learner --format $format lacks the note: $out"
		raw_controls "$out" && fail "coach learner --format $format wrote raw controls: $out"
	done
	out=$(aipm_cli --db "$coach" coach learner "$EVE" --format table)
	grep -qF "${PLACEHOLDER}]0;pwned${PLACEHOLDER}${PLACEHOLDER}[2J" <<<"$out" ||
		fail "the note's controls are not shown as placeholders: $out"
	out=$(aipm_cli --db "$coach" coach learner "$EVE" --format json)
	grep -qF '\u001B]0;pwned\u0007' <<<"$out" || fail "JSON lost jansson's escapes: $out"
	grep -qF '\u009B2J\u202Egnp.exe' <<<"$out" || fail "JSON left C1 or bidi raw: $out"
	# Reports: the spreadsheet's formula and the Markdown's HTML and link.
	out=$(aipm_cli --db "$coach" coach report --format csv --only cohort)
	grep -q "^\"'=HYPERLINK(" <<<"$out" || fail "a CSV cell starts a formula: $out"
	raw_controls "$out" && fail "the CSV report wrote raw controls"
	out=$(aipm_cli --db "$coach" coach report --only cohort)
	grep -qF '&lt;b&gt;Eve&lt;/b&gt;' <<<"$out" || fail "the Markdown report passed HTML: $out"
	grep -qF '<b>' <<<"$out" && fail "the Markdown report holds raw HTML: $out"
	out=$(aipm_cli --db "$coach" coach report --format table)
	raw_controls "$out" && fail "the table report wrote raw controls"
	out=$(aipm_cli --db "$coach" coach imports)
	raw_controls "$out" && fail "coach imports wrote raw controls"
	# On a real terminal: the title stays, the lines above stay.
	local uuid
	uuid=$(sqlite3 "$coach" "SELECT uuid FROM learners")
	restart_app 100x40 --db "$coach" coach learner "${uuid:0:8}" --only notes
	wait_for "[aipm exited] 0" || return
	wait_for "section" || return
	wait_for "pwned" || return
	local title
	title=$(tmux -L "$TMUX_SOCKET" display-message -p -t "$SESSION" '#{pane_title}')
	[[ $title == *pwned* ]] && fail "the note set the window title: $title"
	return 0
}

test_names_refuse_c1_and_bidi() {
	local err status
	E2E_HOME=$(mktemp -d "${TMPDIR:-/tmp}/aipm-e2e-XXXXXX")
	err=$(aipm_cli learners add "Ana${CSI_C1}2J" 2>&1)
	status=$?
	((status == 1)) || fail "a name with U+009B was added (exit $status)"
	grep -q "it holds a control character" <<<"$err" || fail "no reason: $err"
	raw_controls "$err" && fail "the refusal echoed the name raw: $err"
	err=$(aipm_cli learners add "Ana${RLO}gnp.exe" 2>&1)
	grep -q "reorders text" <<<"$err" || fail "a bidi override was accepted: $err"
	err=$(aipm_cli learners add "Ana${ESC}[31m" 2>&1)
	grep -q "control character" <<<"$err" || fail "ESC was accepted: $err"
	[[ $(aipm_cli learners --format csv) == "name,id,created,current" ]] ||
		fail "a refused name was added"
}

# Other people's files: a course folder, a model's labels, a CSV header.
test_other_files_print_no_raw_controls() {
	E2E_HOME=$(mktemp -d "${TMPDIR:-/tmp}/aipm-e2e-XXXXXX")
	local content="$E2E_HOME/content" out
	cp -r "$CONTENT_DIR"/. "$content"/
	printf '\nA line with \033]0;pwned\007 and \033[2J in it, and \302\233 too.\n' \
		>>"$content/lessons/m1-01-shiny-object-trap.md"
	out=$(aipm_cli --content "$content" lessons show m1-shiny-object-trap --width 80 2>&1)
	grep -q "pwned" <<<"$out" || fail "lessons show lacks the line: $out"
	raw_controls "$out" && fail "lessons show wrote raw controls"
	# A model whose labels are escape sequences.
	{
		echo "text,label"
		for i in $(seq 1 40); do
			echo "good fine great lovely $i,$(printf 'pos\033[2J')"
			echo "bad awful poor boring $i,$(printf 'neg\033]0;pwned\007')"
		done
	} >"$E2E_HOME/evil.csv"
	aipm_cli train "$E2E_HOME/evil.csv" --save "$E2E_HOME/evil.model" >"$E2E_HOME/train.out" 2>&1 ||
		fail "training failed: $(cat "$E2E_HOME/train.out")"
	raw_controls "$(cat "$E2E_HOME/train.out")" && fail "train wrote raw controls"
	local format
	for format in table csv json; do
		out=$(aipm_cli predict --model "$E2E_HOME/evil.model" --format "$format" "a lovely film")
		grep -q "pos" <<<"$out" || fail "predict --format $format lacks the label: $out"
		raw_controls "$out" && fail "predict --format $format wrote raw controls: $out"
	done
	# An event log whose header is an attack: the error echoes it.
	printf 'user\033[2J,ev\033]0;pwned\007,when\n1,a,2026-01-01T00:00:00Z\n' >"$E2E_HOME/log.csv"
	out=$(aipm_cli funnel "$E2E_HOME/log.csv" --steps a,b 2>&1)
	raw_controls "$out" && fail "the funnel's message echoed the header raw: $out"
	grep -q "pwned" <<<"$out" || fail "the funnel's message does not name the header: $out"
	return 0
}
