#!/usr/bin/env python3
"""Run every "Try it" block of the lessons and recaps with the app's CLI.

A checking script, not a generator (standard library only). From the
repository root, after building:

    python3 content/generators/check_try.py content build/aipm

Each `try` block (COURSE-FORMATS.md section 4) is turned into the command
line it stands for (`lab` -> `aipm train`, `funnel` -> `aipm funnel`) and
run; `drill` and `quiz` blocks are checked against the banks. Prints one
line per block and exits 1 when a command fails or a key or id is unknown.
"""

import csv
import glob
import os
import re
import subprocess
import sys

LAB = {"balanced": "--balanced", "model": "--model", "features": "--features", "ngrams": "--ngrams",
       "test_split": "--test-split", "val_split": "--val-split", "seed": "--seed",
       "threshold": "--threshold", "epochs": "--epochs", "batch": "--batch"}
FUNNEL = {"steps": "--steps", "window": "--window", "order": "--order", "from": "--from",
          "to": "--to", "by": "--by", "where": "--where", "trend": "--trend"}
TYPES = {"estimation", "product_sense", "analytical", "root_cause", "cross_functional", "strategy",
         "leadership", "behavioral"}
RUNS = {"data", "split", "tokenize", "features", "train", "evaluate", "threshold", "explain"}


def blocks(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"^```try\n(.*?)^```", text, re.S | re.M):
        line = text.count("\n", 0, m.start()) + 1
        kv = {}
        for raw in m.group(1).splitlines():
            k, _, v = raw.partition(":")
            kv[k.strip()] = v.strip()
        yield line, kv


def ids(content, name):
    with open(os.path.join(content, name), newline="", encoding="utf-8") as f:
        return {r["id"] for r in csv.DictReader(f)}


def main():
    content = sys.argv[1] if len(sys.argv) > 1 else "content"
    aipm = sys.argv[2] if len(sys.argv) > 2 else "build/aipm"
    questions = ids(content, "estimation.csv") | ids(content, "interview.csv")
    modules = ids(content, "modules.csv")
    bad = n = 0
    files = sorted(glob.glob(os.path.join(content, "lessons", "*.md")) + glob.glob(os.path.join(content, "recaps", "*.md")))
    for path in files:
        for line, kv in blocks(path):
            n += 1
            where = "%s:%d" % (os.path.relpath(path), line)
            action = kv.pop("action", "")
            label = kv.pop("label", "")
            problem = None
            if not label:
                problem = "no label"
            elif action in ("lab", "funnel"):
                table = LAB if action == "lab" else FUNNEL
                run = kv.pop("run", None)
                if run is not None and run not in RUNS:
                    problem = "unknown run '%s'" % run
                data = kv.pop("data", "")
                argv = [aipm, "train" if action == "lab" else "funnel", os.path.join(content, data)]
                for k, v in kv.items():
                    if k not in table:
                        problem = "unknown %s key '%s'" % (action, k)
                    else:
                        argv += [table[k], v]
                if not problem:
                    r = subprocess.run(argv, capture_output=True, text=True)
                    if r.returncode != 0:
                        problem = "%s: %s" % (" ".join(argv[1:]), (r.stderr or r.stdout).strip()[:200])
                    else:
                        print("%s: ok: aipm %s" % (where, " ".join(argv[1:])))
            elif action == "drill":
                if "question" in kv and kv["question"] not in questions:
                    problem = "unknown question '%s'" % kv["question"]
                elif "type" in kv and kv["type"] not in TYPES:
                    problem = "unknown type '%s'" % kv["type"]
                elif set(kv) - {"question", "type"} or not kv:
                    problem = "drill takes type or question"
                else:
                    print("%s: ok: drill %s" % (where, kv))
            elif action == "quiz":
                if kv.get("scope") not in modules | {"final"}:
                    problem = "unknown scope '%s'" % kv.get("scope")
                else:
                    print("%s: ok: quiz %s" % (where, kv["scope"]))
            else:
                problem = "unknown action '%s'" % action
            if problem:
                bad += 1
                print("%s: problem: %s" % (where, problem))
    print("%d try blocks, %d problems" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
