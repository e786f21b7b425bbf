#!/usr/bin/env python3
"""Concurrent use: the same learner in two processes on one database.

1. Six `aipm learners` start at once on a database that does not exist yet:
   each must succeed (the first start creates and migrates it).
2. Two writers (tests/reliability/writer.c) write as the same learner for
   SECONDS (AIPM_CONCURRENT_SECONDS, default 60): quiz answers, drill
   answers, reading positions of the same four lessons, notes, bundle
   imports, experiments; meanwhile the aipm command line records drill
   answers for the same learner in a loop. No process may fail (a "database
   is locked" would be a failure reaching the user), every confirmed write
   must be there and whole (dbcheck.py), each review card must count every
   answer (no lost update), the reading time of a lesson must add up every
   saved position, and each position must be the last one written
   (last writer wins).

usage: concurrent.py WRITER AIPM CONTENT [--seconds S]
Ends with "N problems"; exit status 1 on any problem."""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbcheck  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("writer")
    ap.add_argument("aipm")
    ap.add_argument("content")
    ap.add_argument("--seconds", type=float,
                    default=float(os.environ.get("AIPM_CONCURRENT_SECONDS", 60)))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="aipm-concurrent-")
    db = os.path.join(work, "aipm.db")
    env = dict(os.environ, AIPM_DB="", HOME=work, XDG_DATA_HOME="")
    base = [a.aipm, "--db", db, "--content", a.content]
    problems = []

    # 1. Terminals starting together on a new database.
    starters = [subprocess.Popen(base + ["learners"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env) for _ in range(6)]
    for p in starters:
        out, err = p.communicate()
        if p.returncode != 0:
            problems.append(f"a first start failed ({p.returncode}): {err.decode().strip()}")
    print(f"6 starts at once on a new database: {6 - len(problems)} succeeded")

    bundles, _ = dbcheck.writer_setup(a.writer, db, a.content, work)
    with closing(sqlite3.connect(db)) as c:
        est_ids = [r[0] for r in c.execute("SELECT id FROM estimation_questions ORDER BY id")]

    # 2. Two writers as the same learner, and the command line beside them.
    # Their output goes to files: a pipe nobody reads until the end would
    # fill and stop them.
    outs = [open(os.path.join(work, f"writer-{i}.out"), "w+") for i in range(2)]
    writers = [subprocess.Popen([a.writer, "write", db, work, str(seed), str(a.seconds)],
                                stdout=outs[i], stderr=subprocess.STDOUT)
               for i, seed in enumerate((11, 22))]
    log = dbcheck.Log()
    cli_runs = cli_failures = 0
    deadline = time.monotonic() + a.seconds
    while time.monotonic() < deadline:
        q = est_ids[cli_runs % len(est_ids)]
        r = subprocess.run(base + ["--learner", "Crash", "drill", "score", q, "--point", "1e6",
                                   "--low", "1e5", "--high", "1e7", "--record", "--format", "csv"],
                           capture_output=True, text=True, env=env)
        cli_runs += 1
        if r.returncode != 0:
            cli_failures += 1
            problems.append(f"aipm drill score --record failed: {r.stderr.strip()}")
            if cli_failures > 5:
                break
            continue
        log.feed("ok recorded " + r.stdout.strip().splitlines()[-1].split(",")[-1] + "\n",
                 f"cli{cli_runs}", time.monotonic_ns())
        time.sleep(0.05)
    for i, p in enumerate(writers):
        p.wait()
        outs[i].seek(0)
        out = outs[i].read()
        outs[i].close()
        log.feed(out, f"w{i}", time.monotonic_ns())
        if p.returncode != 0 or not out.rstrip().endswith("done"):
            problems.append(f"writer {i} failed ({p.returncode}): "
                            f"{(out.strip().splitlines() or [''])[-1]}")
        kinds = {}
        for line in out.splitlines():
            if line.startswith("ok "):
                kinds[line.split()[1]] = kinds.get(line.split()[1], 0) + 1
        print(f"writer {i}: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"aipm drill score --record: {cli_runs} runs, {cli_failures} failed")
    problems += [f"writer error: {e}" for e in log.errors]

    # 3. Nothing lost, nothing half-written, the last position wins.
    problems += dbcheck.check(db, log, bundles)
    with closing(sqlite3.connect(db)) as c:
        rows = c.execute(
            "SELECT lesson_id, block, line_in_block, seconds_spent FROM lesson_progress p"
            " JOIN learners l ON l.id = p.learner_id WHERE l.name = 'Crash'").fetchall()
    for lesson, block, line, seconds in rows:
        allowed = dbcheck.position_candidates(log, lesson)
        if allowed is not None and (block, line) not in allowed:
            problems.append(f"position of {lesson} is {(block, line)}, not one of {allowed}")
        saves = sum(1 for w in log.positions.get(lesson, {}).values() if w["confirmed"])
        if seconds != saves:
            problems.append(f"{lesson}: {seconds} s of reading time for {saves} saves of 1 s")
    print(f"positions: {len(rows)} lessons, {log.count('pos')} saves by both writers")
    return dbcheck.finish(problems, work)

if __name__ == "__main__":
    sys.exit(main())
