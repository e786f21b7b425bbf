#!/usr/bin/env python3
"""Crash consistency: aipm's write paths killed with SIGKILL at random moments.

Each round starts a writer on the same database and kills it after a random
delay (a writer that ends first is not a kill; rounds go on until --kills
writers were killed): most rounds the writer program (tests/reliability/writer.c: quiz
answers, drill answers, reading positions, notes, bundle imports, experiment
logging, through the engine calls the screens make), the others the real
aipm command line (`aipm drill score --record`, `aipm coach import`). After
every kill the database must pass PRAGMA integrity_check and
foreign_key_check, hold every write that was confirmed before the kill, and
hold each write whole (dbcheck.py).

usage: crash.py WRITER AIPM CONTENT [--kills N] [--seed S]
Ends with "N kills" and "N problems"; exit status 1 on any problem."""

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbcheck  # noqa: E402


def run_and_kill(cmd, delay, env=None):
    """Runs cmd, SIGKILLs it after delay seconds (unless it ended); returns
    (output, exit status or None when killed, the time it was gone)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = p.communicate(timeout=delay)
        status = p.returncode
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        out, err = p.communicate()
        status = None
    gone = time.monotonic_ns()
    return out.decode(errors="replace"), err.decode(errors="replace"), status, gone


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("writer")
    ap.add_argument("aipm")
    ap.add_argument("content")
    ap.add_argument("--kills", type=int, default=int(os.environ.get("AIPM_CRASH_KILLS", 240)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("AIPM_CRASH_SEED", time.time())))
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    print(f"seed {a.seed} (AIPM_CRASH_SEED={a.seed} repeats this run)")

    work = tempfile.mkdtemp(prefix="aipm-crash-")
    db = os.path.join(work, "aipm.db")
    bundles, bundle_files = dbcheck.writer_setup(a.writer, db, a.content, work)
    with closing(sqlite3.connect(db)) as c:
        est_ids = [r[0] for r in c.execute("SELECT id FROM estimation_questions ORDER BY id")]

    env = dict(os.environ, AIPM_DB="", HOME=work, XDG_DATA_HOME="")
    log = dbcheck.Log()
    problems = []
    kills = cli_runs = 0
    killed_mid_write = 0
    round_no = -1
    # A busy machine lets more writers finish before their kill: count kills.
    while kills < a.kills and round_no < 4 * a.kills:
        round_no += 1
        tag = f"r{round_no}"
        if rnd.random() < 0.75:
            delay = rnd.uniform(0.03, 0.3)
            out, err, status, gone = run_and_kill(
                [a.writer, "write", db, work, str(rnd.randrange(1 << 30))], delay
            )
            log.feed(out, tag, gone)
            tries = sum(1 for line in out.splitlines() if line.startswith("try "))
            oks = sum(1 for line in out.splitlines() if line.startswith("ok ") and
                      not line.startswith("ok take"))
            killed_mid_write += tries > oks
        else:
            cli_runs += 1
            base = [a.aipm, "--db", db, "--content", a.content]
            if rnd.random() < 0.6:
                q = rnd.choice(est_ids)
                cmd = base + ["--learner", "Crash", "drill", "score", q, "--point", "1e6",
                              "--low", "1e5", "--high", "1e7", "--record", "--format", "csv"]
            else:
                cmd = base + ["coach", "import", rnd.choice(bundle_files), "--format", "csv"]
            out, err, status, gone = run_and_kill(cmd, rnd.uniform(0.0, 0.07), env)
            if status not in (None, 0):
                problems.append(f"round {round_no}: {' '.join(cmd[5:])} failed ({status}): "
                                f"{err.strip()}")
            # a confirmation the command printed before it died counts
            if "drill" in cmd and status == 0:
                uid = out.strip().splitlines()[-1].split(",")[-1]
                log.feed(f"ok recorded {uid}\n", tag, gone)
            elif "import" in cmd and status == 0:
                uuid = [l for l in out.splitlines() if ",imported" in l][0].split(",")[2]
                log.feed(f"ok bundle {uuid}\n", tag, gone)
        if status is None:
            kills += 1
        if log.errors:
            problems.append(f"round {round_no}: the writer failed: {log.errors}")
            break
        found = dbcheck.check(db, log, bundles)
        with closing(sqlite3.connect(db)) as c:
            positions = c.execute(
                "SELECT lesson_id, block, line_in_block FROM lesson_progress p"
                " JOIN learners l ON l.id = p.learner_id WHERE l.name = 'Crash'"
            ).fetchall()
        for lesson, block, line in positions:
            allowed = dbcheck.position_candidates(log, lesson)
            if allowed is not None and (block, line) not in allowed:
                found.append(f"position of {lesson} is {(block, line)}, not one of {allowed}")
        if found:
            problems += [f"after round {round_no} (killed: {status is None}): {f}" for f in found]
            break
    counts = ", ".join(f"{k} {log.count(k)}" for k in
                       ("quiz", "est", "iq", "pos", "note", "bundle", "exp", "recorded"))
    print(f"confirmed writes checked: {counts}")
    print(f"{round_no + 1} rounds ({cli_runs} of the aipm command line), "
          f"{killed_mid_write} writer kills between a try and its ok")
    print(f"{kills} kills")
    if kills < a.kills and not problems:
        problems.append(f"only {kills} of {a.kills} writers were killed: they ended too soon")
    return dbcheck.finish(problems, work)



if __name__ == "__main__":
    sys.exit(main())
