#!/usr/bin/env python3
"""Write aipm's illustrative AARRR funnel (content/datasets/aarrr_stages.csv).

The course's app-store example (Session 3 00:09:57-00:10:46): of 100 people
searching for an app in the store, how many reach each stage. The stages and
their owners are the course's (the first three belong to product marketing,
the rest to the PM or growth, Session 3 00:26:04-00:27:08); the counts are our
own illustration, the same as in lesson m7-the-aarrr-funnel. No randomness:
the table is fixed, so --seed is accepted only for a uniform command line.

    python3 content/generators/gen_aarrr_stages.py > content/datasets/aarrr_stages.csv
"""

import argparse
import csv
import io
import sys

STAGES = [
    ("awareness", 100, "product marketing"),    # searched and saw the app
    ("acquisition", 40, "product marketing"),   # clicked the search result
    ("activation", 20, "product marketing"),    # downloaded and signed up
    ("retention", 10, "PM or growth"),          # came back
    ("revenue", 4, "PM or growth"),             # paid
    ("referral", 2, "PM or growth"),            # brought in a friend
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0, help="ignored (the table is fixed)")
    ap.add_argument("--out", help="output file (default: standard output)")
    args = ap.parse_args()
    if args.out:
        f = open(args.out, "w", encoding="utf-8", newline="")
    else:
        f = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["stage", "count", "owner"])
    for row in STAGES:
        w.writerow(row)
    f.flush()
    if args.out:
        f.close()


if __name__ == "__main__":
    main()
