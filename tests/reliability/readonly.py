#!/usr/bin/env python3
"""A read-only database, through the command line and the TUI.

Two cases, each with a database that holds progress: the file read-only in
a folder that is not writable either (a shared classroom copy: SQLite
cannot create the -shm file beside it), and the file alone read-only. As
root the commands run as uid 65534 (root ignores file modes). In both:
reading commands work, writing ones fail with a message that says the
database is read-only, the TUI opens, says so, shows lessons, and a quiz
answer says it could not be saved and why; it quits normally; the file's
bytes are unchanged and nothing is created beside it in the read-only
folder.

usage: readonly.py WRITER AIPM CONTENT"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbcheck  # noqa: E402
import tui  # noqa: E402

NOBODY = 65534


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    writer, aipm, content = sys.argv[1:4]
    root = os.geteuid() == 0
    wrapper = []
    if root:
        if not shutil.which("setpriv"):
            print("setpriv (util-linux) is needed to run as another user")
            return 1
        wrapper = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    print("running the read-only commands as", f"uid {NOBODY}" if root else "this user")
    problems = []

    def expect(cond, what):
        if not cond:
            problems.append(what)
        return cond

    tmp = tempfile.mkdtemp(prefix="aipm-ro-")
    os.chmod(tmp, 0o755)
    for case in ("folder", "file"):
        top = os.path.join(tmp, case)
        os.mkdir(top)
        work = os.path.join(top, "work")
        folder = os.path.join(top, "db")
        os.mkdir(work)
        os.mkdir(folder)
        db = os.path.join(folder, "aipm.db")
        bundle = dbcheck.writer_setup(writer, db, content, work)[1][0]
        wrote = subprocess.run([writer, "write", db, work, "3", "0.5"], capture_output=True,
                               text=True)
        expect(wrote.returncode == 0, f"the writer failed: {wrote.stdout[-200:]}")
        os.chmod(db, 0o444)
        os.chmod(top, 0o755)
        os.chmod(work, 0o755)
        os.chmod(bundle, 0o644)
        # a read-only folder, or one everybody may write in
        os.chmod(folder, 0o555 if case == "folder" else 0o777)
        before = digest(db)
        listing = sorted(os.listdir(folder))
        env = {"HOME": work, "XDG_DATA_HOME": "", "AIPM_DB": "", "TERM": "xterm-256color",
               "LANG": "C.UTF-8"}
        base = [aipm, "--db", db, "--content", content]

        def cli(*args):
            return subprocess.run(wrapper + ["env"] + [f"{k}={v}" for k, v in env.items()] +
                                  base + list(args), capture_output=True, text=True)

        label = f"read-only {case}"
        for args in (["lessons"], ["learners"], ["--learner", "Crash", "drill", "list"],
                     ["--learner", "Crash", "progress"]):
            r = cli(*args)
            expect(r.returncode == 0 and r.stdout.strip(),
                   f"{label}: aipm {' '.join(args)} should read ({r.returncode}): {r.stderr}")
        for args in (["--learner", "Crash", "drill", "score", "est-ab-test-days", "--point",
                      "50", "--low", "10", "--high", "100", "--record"],
                     ["coach", "import", bundle], ["learners", "add", "Zed"]):
            r = cli(*args)
            print(f"{label}: aipm {' '.join(args[-6:])}: exit {r.returncode}: {r.stderr.strip()}")
            expect(r.returncode == 1 and "read-only" in r.stderr,
                   f"{label}: aipm {' '.join(args)} should fail saying read-only")

        if tui.available():
            s = tui.Session(base + ["--learner", "Crash"], env, wrapper=wrapper)
            expect(s.wait_for("read-only"), f"{label}: the TUI did not say read-only:\n"
                   + s.screen())
            # Made by the writer, never signed in, and nothing can note it now.
            expect(s.wait_for("Welcome, Crash"), f"{label}: the TUI did not open")
            s.keys("l")
            s.wait_for("Enter read")
            s.keys("Enter")
            expect(s.wait_for("j/k scroll"), f"{label}: the lesson did not open:\n" + s.screen())
            s.keys("j", "j", "PageDown", "z")
            expect(s.wait_for("Question 1 of"), f"{label}: the quiz did not open:\n"
                   + s.screen())
            s.text("1")
            s.keys("Enter")
            expect(s.wait_for("could not be saved") and "read-only" in s.screen(),
                   f"{label}: the quiz answer did not say read-only:\n" + s.screen())
            expect(s.quit() == 0, f"{label}: the TUI did not quit normally:\n" + s.screen())
            s.close()

        expect(digest(db) == before, f"{label}: the database file changed")
        if case == "folder":
            expect(sorted(os.listdir(folder)) == listing,
                   f"{label}: files appeared beside it: {sorted(os.listdir(folder))}")
        os.chmod(folder, 0o755)
        os.chmod(db, 0o644)
        integrity = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True,
                                   text=True).stdout.strip()
        expect(integrity == "ok", f"{label}: integrity_check says {integrity}")
    return dbcheck.finish(problems, tmp)


if __name__ == "__main__":
    sys.exit(main())
