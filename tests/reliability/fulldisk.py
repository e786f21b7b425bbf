#!/usr/bin/env python3
"""A full disk: the database on a 16 MB tmpfs that fills up.

1. The disk fills while the TUI is in a quiz: the answer must say it could
   not be saved and why ("database or disk is full"), leaving a lesson must
   say the place was not saved, `aipm drill score --record` and `aipm coach
   import` beside it must fail with that message, and the TUI must quit
   normally.
2. Started on a disk that filled after aipm closed cleanly, `aipm
   learners` and the TUI must say the disk is full and exit 1.
3. The disk fills while the writer program (tests/reliability/writer.c)
   writes: it must stop with the store's message, not crash.
4. With room again: integrity_check is ok, every confirmed write is there
   and whole (dbcheck.py), and writing works.

Needs to mount a tmpfs (root, or sudo without a password); without that the
test is skipped (exit status 77).

usage: fulldisk.py WRITER AIPM CONTENT"""

import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbcheck  # noqa: E402
import tui  # noqa: E402

SKIP = 77


def mount_tmpfs(path, size):
    for prefix in ([], ["sudo", "-n"]):
        r = subprocess.run(prefix + ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                           capture_output=True, text=True)
        if r.returncode == 0:
            return prefix
    return None


def fill(mnt, name):
    """Writes zeros to mnt/name until the file system is full."""
    subprocess.run(["dd", "if=/dev/zero", f"of={mnt}/{name}", "bs=4k"], capture_output=True)


def sanitizer_report(text):
    return "Sanitizer" in text or "runtime error" in text


def main():
    writer, aipm, content = sys.argv[1:4]
    mnt = tempfile.mkdtemp(prefix="aipm-full-")
    prefix = mount_tmpfs(mnt, "16m")
    if prefix is None:
        print("cannot mount a tmpfs here (not root, no sudo): the full-disk test is skipped")
        os.rmdir(mnt)
        return SKIP
    work = tempfile.mkdtemp(prefix="aipm-full-work-")
    problems = []
    session = None

    def expect(cond, what):
        if not cond:
            problems.append(what)
        return cond

    try:
        db = os.path.join(mnt, "aipm.db")
        bundles, bundle_files = dbcheck.writer_setup(writer, db, content, work)
        env = {"HOME": work, "XDG_DATA_HOME": "", "AIPM_DB": "", "TERM": "xterm-256color",
               "LANG": "C.UTF-8"}
        cli_env = dict(os.environ, **env)
        base = [aipm, "--db", db, "--content", content]
        use_tui = tui.available()
        log = dbcheck.Log()

        def cli_must_fail(args):
            what = " ".join(a for a in args if a not in ("--learner", "Crash"))
            r = subprocess.run(base + args, capture_output=True, text=True, env=cli_env)
            print(f"aipm {what} on the full disk: exit {r.returncode}: {r.stderr.strip()}")
            expect(r.returncode == 1 and "full" in r.stderr,
                   f"aipm {what} should fail saying the disk is full")
            expect(not sanitizer_report(r.stderr), f"sanitizer report: {r.stderr[:500]}")

        r = subprocess.run([writer, "write", db, work, "4", "1"], capture_output=True, text=True)
        log.feed(r.stdout, "before", time.monotonic_ns())
        expect(r.returncode == 0, f"the writer failed with room: {r.stdout[-300:]}")

        # 1. The disk fills while the TUI is open. Nothing else writes, so
        # the write-ahead log has no room left over from a failed write that
        # a small answer could still use: every write fails.
        if use_tui:
            session = tui.Session(base + ["--learner", "Crash"], env)
            # Crash was made by the writer and has not signed in here: greeted.
            expect(session.wait_for("Welcome, Crash"), "the TUI did not start")
            session.keys("l")
            session.wait_for("Enter read")
            session.keys("z")
            expect(session.wait_for("Question 1 of"), "the quiz did not open")
            fill(mnt, "filler")
            session.text("1")
            session.keys("Enter")
            shown = session.wait_for("could not be saved")
            expect(shown and "full" in session.screen(),
                   "the quiz did not say the answer could not be saved for a full disk:\n"
                   + session.screen())
            # leaving a lesson saves the place: it says it could not
            session.keys("q")
            session.wait_for("Enter read")
            session.keys("Enter")
            session.wait_for("j/k scroll")
            session.keys("j", "j", "q")
            expect(session.wait_for("place in this lesson was not saved") and
                   "full" in session.screen(),
                   "leaving the lesson did not say the place was not saved:\n"
                   + session.screen())
            # while the TUI has the database open the command line can open
            # it too, and its writes fail
            cli_must_fail(["--learner", "Crash", "drill", "score", "est-ab-test-days",
                           "--point", "50", "--low", "10", "--high", "100", "--record"])
            cli_must_fail(["coach", "import", bundle_files[0]])
            expect(session.quit() == 0,
                   "the TUI did not quit normally on the full disk:\n" + session.screen())
            session.close()
            session = None
        else:
            fill(mnt, "filler")
            for args in (["--learner", "Crash", "drill", "score", "est-ab-test-days", "--point",
                          "50", "--low", "10", "--high", "100", "--record"],
                         ["coach", "import", bundle_files[0]]):
                cli_must_fail(args)
        os.unlink(os.path.join(mnt, "filler"))
        for p in dbcheck.check(db, log, bundles):
            problems.append("after the disk filled under the TUI: " + p)

        # 2. Starting on a full disk. While a -shm file is left (a write
        # failed as aipm closed) aipm can still open and read; when the disk
        # filled after aipm had closed cleanly, it cannot even open.
        r = subprocess.run(base + ["learners"], capture_output=True, text=True, env=cli_env)
        expect(r.returncode == 0 and not os.path.exists(db + "-shm"),
               f"with room again aipm should close cleanly: {r.stderr.strip()}")
        fill(mnt, "filler")
        cli_must_fail(["learners"])
        if use_tui:
            session = tui.Session(base + ["--learner", "Crash"], env)
            expect(session.wait_for("[aipm exited] 1") and "the disk is full" in session.screen(),
                   "the TUI started on a full disk should say so and exit 1:\n"
                   + session.screen())
            session.close()
            session = None
        os.unlink(os.path.join(mnt, "filler"))

        # 3. The disk fills while the writer writes: it must stop with the
        # store's message, not crash, and lose nothing it confirmed.
        proc = subprocess.Popen([writer, "write", db, work, "5"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        out = []
        while sum(1 for line in out if line.startswith("ok ")) < 60:
            line = proc.stdout.readline()
            if not line:
                break
            out.append(line)
        fill(mnt, "filler")
        try:
            rest, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, err = proc.communicate()
            problems.append("the writer went on writing for a minute on a full disk")
        text = "".join(out) + rest
        log.feed(text, "filling", time.monotonic_ns())
        last = text.strip().splitlines()[-1] if text.strip() else ""
        print(f"writer on the filling disk: {sum(1 for l in text.splitlines() if l.startswith('ok '))}"
              f" writes confirmed, then: {last}")
        expect(proc.returncode == 1 and last.startswith("err ") and "full" in last,
               f"the writer should stop with 'disk is full', not ({proc.returncode}) {last}")
        expect(not sanitizer_report(err), f"sanitizer report: {err[:500]}")

        # 4. Room again: nothing lost, and writing works.
        os.unlink(os.path.join(mnt, "filler"))
        for p in dbcheck.check(db, log, bundles):
            problems.append("after the disk filled under the writer: " + p)
        r = subprocess.run(base + ["--learner", "Crash", "drill", "score", "est-ab-test-days",
                                   "--point", "50", "--low", "10", "--high", "100", "--record"],
                           capture_output=True, text=True, env=cli_env)
        expect(r.returncode == 0 and "recorded" in r.stdout,
               f"writing with room again failed: {r.stdout[-300:]} {r.stderr[-300:]}")
    finally:
        if session:
            session.close()
        subprocess.run(prefix + ["umount", mnt], capture_output=True)
        os.rmdir(mnt)
    return dbcheck.finish(problems, work)


if __name__ == "__main__":
    sys.exit(main())
