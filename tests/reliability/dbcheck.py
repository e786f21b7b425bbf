"""What a database must hold after a crash or a concurrent run: shared by
crash.py and concurrent.py.

Confirmations are the "ok ..." lines the writer (tests/reliability/writer.c)
printed; "try ..." lines are writes that may or may not have happened."""

import sqlite3
import subprocess


class Log:
    """The writes one or more writer processes announced and confirmed,
    kept as sets (the checks compare whole tables with them after every
    kill, and a run confirms tens of thousands of writes)."""

    def __init__(self):
        self.confirmed = {}  # kind -> set of keys (tuples of fields)
        self.interview_grades = {}  # interview attempt uid -> rubric points
        self.positions = {}  # lesson -> {(tag, start ns): write}
        self.errors = []
        self.counts = {}  # kind -> confirmations seen

    def count(self, kind):
        return self.counts.get(kind, 0)

    def feed(self, text, tag, ended_ns):
        """One process's output; ended_ns: when it had certainly stopped
        (time.monotonic_ns() reads the writer's CLOCK_MONOTONIC)."""
        last_try = {}
        for line in text.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            state, kind, f = parts[0], parts[1], parts[2:]
            if state == "err":
                self.errors.append(line)
            elif state == "try" and kind == "pos":
                w = {"value": (int(f[1]), int(f[2])), "start": int(f[3]), "end": ended_ns,
                     "confirmed": False}
                self.positions.setdefault(f[0], {})[(tag, int(f[3]))] = w
                last_try[f[0]] = w
            elif state == "ok":
                self.counts[kind] = self.counts.get(kind, 0) + 1
                if kind == "pos":
                    last_try[f[0]]["end"] = int(f[3])
                    last_try[f[0]]["confirmed"] = True
                    continue
                key = (f[0], f[1]) if kind == "quiz" else f[1] if kind == "note" else f[0]
                self.confirmed.setdefault(kind, set()).add(key)
                if kind == "iq":
                    self.interview_grades[f[0]] = int(f[2])


def writer_setup(writer, db, content, work):
    """Runs `writer setup`: returns the bundles it wrote as {learner UUID:
    (quiz attempts, estimation attempts)} and their files; exits the test
    when the setup fails."""
    setup = subprocess.run([writer, "setup", db, content, work], capture_output=True, text=True)
    if setup.returncode != 0:
        raise SystemExit(f"setup failed: {setup.stdout} {setup.stderr}")
    bundles, files = {}, []
    for line in setup.stdout.splitlines():
        _, path, uuid, quiz, est = line.split()
        bundles[uuid] = (int(quiz), int(est))
        files.append(path)
    return bundles, files


def finish(problems, work):
    """Prints the problems and "N problems", removes the work folder when
    there are none (else says where it is) and returns the exit status."""
    for p in problems[:20]:
        print("   ", p)
    print(f"{len(problems)} problems")
    if problems:
        print(f"the files are kept in {work}")
    else:
        subprocess.run(["rm", "-rf", work])
    return 1 if problems else 0


def scalar(db, sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def check(path, log, bundles, learner="Crash"):
    """Problems found in the database at path, as sentences (empty: all
    good). bundles maps a learner UUID to (quiz attempts, estimation
    attempts) of its bundle."""
    problems = []
    db = sqlite3.connect(path)
    try:
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            return ["integrity_check: " + "; ".join(integrity[:5])]
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        me = scalar(db, "SELECT id FROM learners WHERE name = ? AND origin = 'local'", learner)
        if me is None:
            return problems + [f"the learner {learner} is gone"]

        # Every confirmed write is there.
        def column(sql, *args):
            return {r[0] for r in db.execute(sql, args)}

        found = {
            "take": column("SELECT uid FROM quiz_takes"),
            "quiz": set(db.execute("SELECT take_uid, question_id FROM quiz_attempts")),
            "est": column("SELECT uid FROM estimation_attempts"),
            "recorded": column("SELECT uid FROM estimation_attempts"),
            "iq": column("SELECT uid FROM interview_attempts"),
            "note": column("SELECT body FROM notes WHERE learner_id = ?", me),
            "exp": column("SELECT uid FROM experiments"),
            "bundle": column("SELECT uuid FROM learners"),
        }
        for kind, keys in log.confirmed.items():
            missing = keys - found[kind]
            if missing:
                problems.append(f"{len(missing)} confirmed writes of kind {kind} are missing, "
                                f"such as {sorted(missing)[:3]}")
        grades = dict(db.execute("SELECT attempt_uid, COUNT(*) FROM rubric_grades GROUP BY 1"))
        for uid, points in log.interview_grades.items():
            if uid in found["iq"] and grades.get(uid, 0) != points:
                problems.append(f"interview answer {uid} has {grades.get(uid, 0)} of {points} "
                                "grades")

        # Each write is all or nothing: counts kept beside the rows agree.
        for uid, answered, correct, attempts, right in db.execute(
            "SELECT t.uid, t.answered, t.correct, COUNT(a.uid), COALESCE(SUM(a.correct), 0)"
            " FROM quiz_takes t LEFT JOIN quiz_attempts a ON a.take_uid = t.uid GROUP BY t.uid"
        ):
            if (answered, correct) != (attempts, right):
                problems.append(
                    f"take {uid} counts {answered} answers ({correct} right) but has "
                    f"{attempts} ({right} right)"
                )
        for item, reps, attempts in db.execute(
            "SELECT c.item_id, c.reps, (SELECT COUNT(*) FROM estimation_attempts a"
            "  WHERE a.learner_id = c.learner_id AND 'est:' || a.question_id = c.item_id)"
            " + (SELECT COUNT(*) FROM interview_attempts a"
            "  WHERE a.learner_id = c.learner_id AND 'iq:' || a.question_id = c.item_id)"
            " + (SELECT COUNT(*) FROM quiz_attempts a"
            "  WHERE a.learner_id = c.learner_id AND 'quiz:' || a.question_id = c.item_id)"
            " FROM review_cards c WHERE c.learner_id = ?",
            (me,),
        ):
            if reps != attempts:
                problems.append(f"card {item} has {reps} reviews for {attempts} answers")
        unscheduled = scalar(
            db,
            "SELECT COUNT(*) FROM estimation_attempts a WHERE learner_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM review_cards c WHERE c.learner_id = a.learner_id"
            "  AND c.item_id = 'est:' || a.question_id)",
            me,
        )
        if unscheduled:
            problems.append(f"{unscheduled} estimation answers without their review card")
        # A quiz answer reschedules its question in the same transaction.
        unscheduled = scalar(
            db,
            "SELECT COUNT(*) FROM quiz_attempts a WHERE learner_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM review_cards c WHERE c.learner_id = a.learner_id"
            "  AND c.item_id = 'quiz:' || a.question_id)",
            me,
        )
        if unscheduled:
            problems.append(f"{unscheduled} quiz answers without their review card")
        for uid, (quiz, est) in bundles.items():
            lid = scalar(db, "SELECT id FROM learners WHERE uuid = ?", uid)
            if lid is None:
                continue
            got = (
                scalar(db, "SELECT COUNT(*) FROM quiz_attempts WHERE learner_id = ?", lid),
                scalar(db, "SELECT COUNT(*) FROM estimation_attempts WHERE learner_id = ?", lid),
            )
            if got != (quiz, est):
                problems.append(f"bundle learner {uid} has {got} answers of {(quiz, est)}")
        for lid, kept, rows in db.execute(
            "SELECT l.id, COALESCE(c.quiz_answers, 0), (SELECT COUNT(*) FROM quiz_attempts a"
            " WHERE a.learner_id = l.id) FROM learners l"
            " LEFT JOIN coach_learners c ON c.learner_id = l.id"
        ):
            if kept != rows:
                problems.append(f"learner {lid}: the coach's total says {kept} quiz answers, "
                                f"the table has {rows}")
    finally:
        db.close()
    return problems


def position_candidates(log, lesson):
    """The (block, line) values the lesson's position may hold once every
    writer stopped: those of the writes that may have committed last. A
    confirmed write certainly committed between its try and its ok; a write
    left unconfirmed may have committed before its process was gone. A write
    can be the last one unless a confirmed write began after it ended."""
    writes = log.positions.get(lesson)
    if not writes:
        return None
    # the two latest starts of confirmed writes: a write is compared with
    # the latest start among the others
    starts = sorted((w["start"] for w in writes.values() if w["confirmed"]), reverse=True)[:2]
    out = set()
    for w in writes.values():
        others = [t for t in starts if not (w["confirmed"] and t == w["start"])] or [-1]
        if w["end"] >= others[0]:
            out.add(w["value"])
    return out
