# The command line's shared conventions (src/cli/cli.c): a subcommand is
# picked from its command's table and the usage is made from that table;
# a command's learner is found, or refused, the same way everywhere.

# Runs the rest of the line; fails the test unless it exits with status
# $1 and says $2 (on stdout or stderr).
expect_status() {
	local want_status=$1 want=$2 out status
	shift 2
	out=$("$@" 2>&1)
	status=$?
	[[ $status == "$want_status" ]] || fail "$*: exit $status, not $want_status ($out)"
	grep -qF -- "$want" <<<"$out" || fail "$*: '$out' does not say '$want'"
}

test_cli_subcommand_tables() {
	E2E_HOME=$(mktemp -d "${TMPDIR:-/tmp}/aipm-e2e-XXXXXX")
	SESSION="aipm-e2e-cli-tables-$$" # no screen: the command line only
	local out form
	# A command that needs a subcommand: a line for each form, exit 2.
	out=$(aipm_cli drill 2>&1)
	[[ $? == 2 ]] || fail "drill alone: not exit 2 ($out)"
	for form in "usage: aipm drill list [--type TYPE]" "       aipm drill due [--forecast]" \
		"       aipm drill score ID --point X" "       aipm drill calibration [--format"; do
		grep -qF -- "$form" <<<"$out" || fail "drill's usage lacks '$form': $out"
	done
	expect_status 2 "usage: aipm drill list" aipm_cli drill frob
	# --help: the command's own form first, then its subcommands', then
	# the summary.
	out=$(aipm_cli lessons --help)
	[[ $(sed -n 1p <<<"$out") == "usage: aipm lessons [--format table|csv|json]" ]] ||
		fail "lessons --help, line 1: $out"
	[[ $(sed -n 2p <<<"$out") == "       aipm lessons show ID|MODULE "* ]] ||
		fail "lessons --help, line 2: $out"
	[[ $(sed -n 3p <<<"$out") == "list the course"* ]] || fail "lessons --help, line 3: $out"
	# Subcommands of two words: coach group add, remove and delete.
	aipm_cli learners add Ann >/dev/null || fail "learners add Ann"
	out=$(aipm_cli coach group add g1 Ann) || fail "coach group add: $out"
	grep -q "^added Ann (.*) to g1$" <<<"$out" || fail "coach group add said: $out"
	out=$(aipm_cli coach groups --format csv)
	grep -qx "g1,1" <<<"$out" || fail "coach groups after the add: $out"
	out=$(aipm_cli coach group remove g1 Ann) || fail "coach group remove: $out"
	grep -q "^removed Ann (.*) from g1$" <<<"$out" || fail "coach group remove said: $out"
	expect_status 0 "deleted group g1" aipm_cli coach group delete g1
	expect_status 1 "no group called 'g1'" aipm_cli coach group delete g1
	expect_status 2 "aipm coach group delete G" aipm_cli coach group delete
	expect_status 2 "aipm coach group add G NAME..." aipm_cli coach group frob g1
	# A command whose one option is --format names what it did not take.
	expect_status 2 "aipm review: unexpected argument '--frob'" aipm_cli review --frob
	expect_status 2 "usage: aipm review [--format table|csv|json]" aipm_cli review --frob
	expect_status 2 "aipm coach: unexpected argument 'x'" aipm_cli coach imports x
}

test_cli_learner_of_a_command() {
	E2E_HOME=$(mktemp -d "${TMPDIR:-/tmp}/aipm-e2e-XXXXXX")
	SESSION="aipm-e2e-cli-learner-$$"
	local out
	# Nobody has signed in: a learner's command says so; the listings
	# that serve an empty database still list.
	expect_status 1 "aipm notes: no learner has signed in yet" aipm_cli notes
	expect_status 1 "aipm progress: no learner has signed in yet" aipm_cli progress
	out=$(aipm_cli drill list --format csv) || fail "drill list, nobody signed in: $out"
	grep -q "^est-" <<<"$out" || fail "drill list, nobody signed in: no questions: $out"
	out=$(aipm_cli lessons --format csv) || fail "lessons, nobody signed in: $out"
	grep -q "not started" <<<"$out" || fail "lessons, nobody signed in: $out"
	# Two learners: which one must be said, and then it is used.
	aipm_cli learners add Ann >/dev/null || fail "learners add Ann"
	aipm_cli learners add Bob >/dev/null || fail "learners add Bob"
	expect_status 1 "aipm review: several learners share this database" aipm_cli review
	expect_status 1 "aipm drill: several learners share this database" aipm_cli drill list
	expect_status 0 "no runs yet for Bob" aipm_cli --learner Bob experiments
	expect_status 1 "aipm lessons: no learner called 'Cy'" aipm_cli --learner Cy lessons
}
