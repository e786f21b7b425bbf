#!/usr/bin/env bash
# The forgery suite: crafted progress bundles, as a learner (or anyone who
# reads a coach's report) could make them to change another learner's data
# in the coach's database, each refused by `aipm coach import` with the
# coach's database unchanged (its full `sqlite3 .dump` compared before and
# after); and the genuine bundles, which still import, twice over (the
# second time changes nothing but the import log), also as a copy with
# CR LF line ends.
#
# Two learners, Ana and Ben, on their own computers (their own
# databases), and a coach with a learner of her own (Kim) who signs in on
# the coach's computer. Ana is the attacker: she holds her own private key
# (it is in her database) and forge (tests/forgery/forge.c) signs with it.
#
# usage: tests/forgery/run.sh PATH/TO/aipm PATH/TO/forge CONTENT_DIR
set -u
AIPM=$(realpath "${1:?usage: run.sh aipm forge content}")
FORGE=$(realpath "${2:?usage: run.sh aipm forge content}")
CONTENT=$(realpath "${3:?usage: run.sh aipm forge content}")
command -v sqlite3 >/dev/null || { echo "the suite needs the sqlite3 CLI"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_DATA_HOME= AIPM_DB= AIPM_NOW=
cd "$work" || exit 1

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
die() { echo "setup failed: $*"; echo "0 passed, 1 failed"; exit 1; }

aipm() { "$AIPM" --content "$CONTENT" "$@"; }
now=$(date +%s)

# ---- the learners and the coach ------------------------------------------

aipm --db ana.db learners add Ana >/dev/null || die "Ana"
aipm --db ben.db learners add Ben >/dev/null || die "Ben"
aipm --db coach.db learners add Kim >/dev/null || die "Kim"
aipm --db ana.db --learner Ana drill score est-dog-food-us --point 8M --low 3M --high 20M \
	--record >/dev/null || die "Ana's estimate"
aipm --db ben.db --learner Ben drill score est-dog-food-us --point 9M --low 5M --high 15M \
	--record >/dev/null || die "Ben's estimate"
# Ben's take, answer, interview answer with its grades, and a note.
sqlite3 ben.db "
	INSERT INTO quiz_takes (uid, learner_id, lesson_id, started_at, finished_at, answered,
	 correct, total) VALUES ('ben-take', 1, 'm1-shiny-object-trap', $((now - 900)),
	 $((now - 800)), 2, 1, 2);
	INSERT INTO quiz_attempts (uid, learner_id, take_uid, question_id, answer, correct,
	 answered_at) VALUES ('ben-qa', 1, 'ben-take', 'q1', '2', 1, $((now - 850)));
	INSERT INTO interview_attempts (uid, learner_id, question_id, type, answer_text, seconds,
	 score, answered_at) VALUES ('ben-iq', 1, 'iq-x', 'product_sense', 'segments first', 300,
	 50, $((now - 700)));
	INSERT INTO rubric_grades VALUES ('ben-iq', 1, 0, 2), ('ben-iq', 2, 0, 0);
	INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at)
	 VALUES ('ben-note', 1, 'm1-shiny-object-trap', 'mine', $((now - 600)),
	 $((now - 600)));" || die "Ben's rows"
sqlite3 ana.db "
	INSERT INTO notes (uid, learner_id, lesson_id, body, created_at, updated_at)
	 VALUES ('ana-note', 1, 'm1-shiny-object-trap', 'hers', $((now - 500)),
	 $((now - 500)));" || die "Ana's note"
# An export two hours ago, and one now: the old one is a replay later.
AIPM_NOW=$((now - 7200)) aipm --db ana.db --learner Ana progress export -o ana-old.csv \
	>/dev/null || die "Ana's old export"
aipm --db ana.db --learner Ana progress export -o ana.csv >/dev/null || die "Ana's export"
# Ben's a few seconds after Ana's: a bundle made from Ana's with Ben's UUID
# (05) is then older than Ben's too, and is still refused for its key,
# not its time (it was, when the two exports fell in different seconds).
AIPM_NOW=$((now + 5)) aipm --db ben.db --learner Ben progress export -o ben.csv >/dev/null ||
	die "Ben's export"

key_of() { sqlite3 "$1" "SELECT hex(private_key) FROM learner_keys"; }
uuid_of() { sqlite3 "$1" "SELECT uuid FROM learners WHERE name = '$2'"; }
fingerprint() { aipm --db "$1" coach trust "$2" | grep -o 'SHA256:[^,]*'; }
ANA_KEY=$(key_of ana.db)
ANA=$(uuid_of ana.db Ana)
BEN=$(uuid_of ben.db Ben)
KIM=$(uuid_of coach.db Kim)
[[ ${#ANA_KEY} == 64 && -n $ANA && -n $BEN && -n $KIM ]] || die "keys and ids"

# The coach imports both genuine bundles: their keys are pinned.
aipm --db coach.db coach import ana.csv ben.csv >/dev/null || die "the genuine import"
ANA_FP=$(fingerprint coach.db Ana)
BEN_FP=$(fingerprint coach.db Ben)
[[ -n $ANA_FP && -n $BEN_FP ]] || die "pinned fingerprints"

# resign IN OUT: IN signed again by Ana's key.
resign() { "$FORGE" resign "$ANA_KEY" "$1" "$2" || die "forge $1"; }
# edit IN OUT SED: Ana's own bundle edited, then signed by her.
edit() { sed "$3" "$1" >"$work/edit.tmp" && resign "$work/edit.tmp" "$2"; }
# the rows of a section, the line after its columns row
after_columns() { sed "/^$2,columns,/a $3" "$1"; }

# ---- the forgeries ---------------------------------------------------------

mkdir forged
# 1-3: rows hung on Ben's, signed by Ana with her own UUID.
after_columns ana.csv rubric_grades "rubric_grades,row,ben-iq,3,0,0" >edit.tmp
resign edit.tmp forged/01-grades-on-bens-answer.csv
after_columns ana.csv quiz_attempts "quiz_attempts,row,ana-qa,ben-take,q2,1,0,$((now - 400)),,," \
	>edit.tmp
resign edit.tmp forged/02-answer-in-bens-take.csv
after_columns ana.csv notes "notes,row,ben-note,m1-shiny-object-trap,overwritten,$((now - 300)),$((now - 300))," \
	>edit.tmp
resign edit.tmp forged/03-row-under-bens-uid.csv
# 4-6: Ana's bundle made Ben's, or the coach's own Kim's.
sed "s/$ANA/$BEN/" ana.csv >forged/04-bens-uuid-signature-kept.csv
edit ana.csv forged/05-bens-uuid-signed-by-ana.csv "s/$ANA/$BEN/;s/^meta,learner_name,Ana$/meta,learner_name,Ben/"
edit ana.csv forged/06-coachs-own-learner.csv "s/$ANA/$KIM/;s/^meta,learner_name,Ana$/meta,learner_name,Kim/"
# 7-9: the checksum of format 1 re-sealed; a checksum for a signature; a
# signature swapped in from another bundle.
head -n -1 ana.csv | sed '1s/format,2/format,1/;2d;s/^meta,learner_name,Ana$/meta,learner_name,Ann/' \
	>edit.tmp
{ cat edit.tmp; printf 'checksum,sha256,%s\n' "$(sha256sum <edit.tmp | cut -d' ' -f1)"; } \
	>forged/07-format-1-resealed.csv
head -n -1 ana.csv | sed 's/^meta,learner_name,Ana$/meta,learner_name,Ann/' >edit.tmp
{ cat edit.tmp; printf 'checksum,sha256,%s\n' "$(sha256sum <edit.tmp | cut -d' ' -f1)"; } \
	>forged/08-format-2-with-a-checksum.csv
{ head -n -1 ana.csv; tail -1 ben.csv; } >forged/09-swapped-signature.csv
# 10: a replay of Ana's older genuine bundle, after the newer one.
cp ana-old.csv forged/10-replay-of-an-older-bundle.csv
# 11: Ben's genuine bundle from a new key (his key lost, a new one made).
cp ben.db ben-new.db
sqlite3 ben-new.db "DELETE FROM learner_keys" || die "Ben's new key"
AIPM_NOW=$((now + 10)) aipm --db ben-new.db --learner Ben progress export \
	-o forged/11-a-key-change.csv >/dev/null || die "Ben's export with a new key"
BEN_NEW_FP=$(AIPM_NOW=$((now + 10)) aipm --db ben-new.db --learner Ben progress export -o ben-new.csv |
	grep -o 'SHA256:[^ ]*')
# 12-19: impossible values, signed by their own learner.
edit ana.csv forged/12-a-future-time.csv "s/^\(notes,row,ana-note,.*,\)[0-9]*,$/\1253402300799,/"
edit ana.csv forged/13-time-in-year-minus-1199.csv "s/^\(notes,row,ana-note,.*,\)[0-9]*,$/\1-99986400000,/"
edit ana.csv forged/14-time-int64-max.csv "s/^\(notes,row,ana-note,.*,\)[0-9]*,$/\19223372036854775807,/"
edit ana.csv forged/15-exported-in-the-future.csv "s/^meta,exported_at,.*/meta,exported_at,253402300799/"
sed "s/^\(interview_attempts,row,ben-iq,.*,\)50,/\11e9,/" ben.csv >edit.tmp
"$FORGE" resign "$(key_of ben.db)" edit.tmp forged/16-score-of-1e9.csv
sed "s/^quiz_takes,row,ben-take,\(.*\),1,2,\([^,]*,lesson\)$/quiz_takes,row,ben-take,\1,500,2,\2/" ben.csv >edit.tmp
"$FORGE" resign "$(key_of ben.db)" edit.tmp forged/17-quiz-500-of-2.csv
edit ana.csv forged/18-low-above-high-hit.csv \
	"s/^\(estimation_attempts,row,[^,]*,est-dog-food-us\),8000000,3000000,20000000,\([^,]*\),[01],/\1,8000000,30000000,2000000,\2,1,/"
edit ana.csv forged/19-name-with-a-c1-csi.csv "s/^meta,learner_name,Ana$/meta,learner_name,Ana$(printf '\302\233')2J/"
edit ana.csv forged/20-name-with-a-bidi-override.csv "s/^meta,learner_name,Ana$/meta,learner_name,Ana$(printf '\342\200\256')gnp.exe/"
# 21: the second line names Ben's key, the body is signed by Ana's.
sed -n 2p ben.csv >benkey.tmp
resign ana.csv edit.tmp
sed "2{r benkey.tmp
d}" edit.tmp >forged/21-names-bens-key-signed-by-ana.csv

# forged FILE WANT...: refused with every WANT in the message, the
# coach's database byte for byte the same.
expect_refused() {
	local file=$1 err status
	shift
	sqlite3 coach.db .dump >before.sql
	err=$(aipm --db coach.db coach import "$file" 2>&1 >/dev/null)
	status=$?
	sqlite3 coach.db .dump >after.sql
	local why=""
	((status == 1)) || why="exit $status, not 1"
	for want in "$@"; do
		grep -qF -- "$want" <<<"$err" || why="${why:+$why; }no '$want'"
	done
	cmp -s before.sql after.sql || why="${why:+$why; }the database changed"
	if [[ -z $why ]]; then ok "$(basename "$file"): ${err#aipm coach: refused }"; else
		bad "$(basename "$file"): $why: $err"; fi
}

expect_refused forged/01-grades-on-bens-answer.csv "rubric_grades.attempt_uid" "ben-iq" \
	"another learner's"
expect_refused forged/02-answer-in-bens-take.csv "quiz_attempts.take_uid" "ben-take" \
	"another learner's"
expect_refused forged/03-row-under-bens-uid.csv "notes row 'ben-note' is already another learner's"
expect_refused forged/04-bens-uuid-signature-kept.csv "signature does not match"
expect_refused forged/05-bens-uuid-signed-by-ana.csv "$ANA_FP" "$BEN_FP" "aipm coach trust"
expect_refused forged/06-coachs-own-learner.csv "who signs in on this computer"
expect_refused forged/07-format-1-resealed.csv "format 1 is no longer imported" "export it again"
expect_refused forged/08-format-2-with-a-checksum.csv "does not end with its signature row"
expect_refused forged/09-swapped-signature.csv "signature does not match"
expect_refused forged/10-replay-of-an-older-bundle.csv "an older bundle is not imported over a newer one"
expect_refused forged/11-a-key-change.csv "$BEN_FP" "$BEN_NEW_FP" "aipm coach trust"
expect_refused forged/12-a-future-time.csv "notes.updated_at (field 7)" "not a time"
expect_refused forged/13-time-in-year-minus-1199.csv "notes.updated_at (field 7)"
expect_refused forged/14-time-int64-max.csv "notes.updated_at (field 7)"
expect_refused forged/15-exported-in-the-future.csv "meta.exported_at (field 3)"
expect_refused forged/16-score-of-1e9.csv "interview_attempts.score (field 9)" "0 to 100"
expect_refused forged/17-quiz-500-of-2.csv "quiz_takes.correct (field 8)" "more than the take's total (2)"
expect_refused forged/18-low-above-high-hit.csv "estimation_attempts.low (field 6)" \
	"the low end of the range is above the estimate"
expect_refused forged/19-name-with-a-c1-csi.csv "cannot be a name: it holds a control character"
expect_refused forged/20-name-with-a-bidi-override.csv "reorders text"
expect_refused forged/21-names-bens-key-signed-by-ana.csv "signature does not match"

# Each forgery is a real edit: its bytes differ from every genuine bundle.
for f in forged/*.csv; do
	cmp -s "$f" ana.csv || cmp -s "$f" ben.csv || continue
	bad "$f is a genuine bundle, not a forgery"
done

# ---- the genuine bundles -----------------------------------------------------

# dump_rows: the coach's database but its import log (which logs every
# import, a repeated one too).
dump_rows() { sqlite3 coach.db .dump | grep -v '^INSERT INTO bundle_imports '; }
imports() { sqlite3 coach.db "SELECT COUNT(*) FROM bundle_imports"; }

genuine_twice() {
	local name=$1 before_rows before_log out
	shift
	before_rows=$(dump_rows)
	before_log=$(imports)
	if ! out=$(aipm --db coach.db coach import --format csv "$@" 2>&1); then
		bad "$name: refused: $out"
		return
	fi
	if [[ $(dump_rows) != "$before_rows" ]]; then
		bad "$name: importing again changed rows: $out"
	elif (($(imports) != before_log + $#)); then
		bad "$name: the import log did not grow by $#"
	elif grep -q ',imported$' <<<"$out" && ! grep -vq ',0,0,0,[0-9]*,imported$\|^file,' <<<"$out"; then
		ok "$name: imported again, nothing added, updated or changed"
	else
		bad "$name: $out"
	fi
}
genuine_twice "ana.csv and ben.csv, again" ana.csv ben.csv
genuine_twice "ana.csv, a third time" ana.csv
sed 's/$/\r/' ana.csv >ana-crlf.csv
genuine_twice "ana.csv with CR LF line ends" ana-crlf.csv

# A million points for an estimate that misses: imported, scored as the
# drill scores it.
after_columns ana.csv estimation_attempts \
	"estimation_attempts,row,ana-est-2,est-dog-food-us,100,50,200,0,1,0,0,1000000,60,0,,,$((now - 200))" \
	>edit.tmp
resign edit.tmp points.csv
if aipm --db coach.db coach import points.csv >/dev/null 2>&1 &&
	[[ $(sqlite3 coach.db "SELECT hit || ',' || (points < 1) FROM estimation_attempts
		WHERE uid = 'ana-est-2'") == "0,1" ]]; then
	ok "a million points as sent: recomputed from the estimate, a miss"
else
	bad "points.csv: $(sqlite3 coach.db "SELECT hit, points FROM estimation_attempts WHERE uid = 'ana-est-2'")"
fi

# Ben's new key, accepted on purpose.
if aipm --db coach.db coach trust Ben --reset >/dev/null &&
	aipm --db coach.db coach import forged/11-a-key-change.csv >/dev/null 2>&1 &&
	[[ $(fingerprint coach.db Ben) == "$BEN_NEW_FP" ]]; then
	ok "coach trust Ben --reset: the new key is pinned by the next bundle"
else
	bad "coach trust --reset did not let Ben's new key in"
fi

echo "$passed passed, $failed failed"
((failed == 0))
