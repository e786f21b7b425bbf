#!/usr/bin/env python3
"""Which lessons use each glossary term, against glossary.csv's lists.

A checking script, not a generator (standard library only). From the
repository root:

    python3 content/generators/check_glossary.py content          # report
    python3 content/generators/check_glossary.py content --write  # rewrite the lists

"Uses" follows COURSE-FORMATS.md section 7 and the app's marking of terms:
one pattern of every term and alias, longest spelling first, whole words,
case-insensitive, over the lesson's title and text outside code blocks,
inline code, Source paragraphs and link targets. The report lists, per
term, the lessons listed but not using it (which `content check` refuses)
and those using it but not listed; --write makes every list exactly the
lessons that use the term, in course order.
"""

import csv
import glob
import io
import os
import re
import sys


def lesson_texts(content):
    out = []
    for path in sorted(glob.glob(os.path.join(content, "lessons", "*.md"))):
        text = open(path, encoding="utf-8").read()
        _, front, body = text.split("---\n", 2)
        meta = dict(l.split(":", 1) for l in front.splitlines() if ":" in l)
        body = re.sub(r"^```.*?^```\s*$", "", body, flags=re.S | re.M)
        kept = [meta["title"].strip()]
        for block in re.split(r"\n\s*\n", body):
            if re.match(r"\s*Sources?:", block):
                continue
            block = re.sub(r"`[^`]*`", " ", block)
            block = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)
            block = re.sub(r"^#+\s*", "", block, flags=re.M)
            block = block.replace("**", "").replace("*", "").replace("|", " ")
            kept.append(block)
        out.append((meta["id"].strip(), "\n\n".join(kept)))
    return out


def main():
    content = sys.argv[1] if len(sys.argv) > 1 else "content"
    write = "--write" in sys.argv
    path = os.path.join(content, "glossary.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    spellings = []
    for i, r in enumerate(rows):
        for s in [r["term"]] + [a for a in r["aliases"].split(" | ") if a.strip()]:
            spellings.append((s.strip(), i))
    spellings.sort(key=lambda x: (-len(x[0]), x[1]))
    alts = "|".join("(%s)" % r"\s+".join(map(re.escape, s.split())) for s, _ in spellings)
    pattern = re.compile(r"(?<!\w)(?:%s)(?!\w)" % alts, re.IGNORECASE)
    lessons = lesson_texts(content)
    used = {i: [] for i in range(len(rows))}
    for lid, text in lessons:
        hit = set()
        for m in pattern.finditer(text):
            hit.add(spellings[m.lastindex - 1][1])
        for i in sorted(hit):
            used[i].append(lid)
    problems = 0
    for i, r in enumerate(rows):
        listed = r["lessons"].split()
        extra = [l for l in listed if l not in used[i]]
        missing = [l for l in used[i] if l not in listed]
        if extra or missing:
            print("%s: listed but unused: %s; used but unlisted: %s" % (r["term"], " ".join(extra) or "-", " ".join(missing) or "-"))
            problems += bool(extra)
        if not used[i]:
            print("%s: no lesson uses it" % r["term"])
        r["lessons"] = " ".join(used[i])
    common = [r["term"] for i, r in enumerate(rows) if len(used[i]) * 2 >= len(lessons)]
    print("terms used in at least half of the %d lessons (common, underlined once per section): %s" % (len(lessons), ", ".join(common)))
    if write:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        open(path, "w", encoding="utf-8", newline="").write(buf.getvalue())
        print("rewrote", path)
    print("%d terms list a lesson that does not use them" % problems)
    return 1 if problems and not write else 0


if __name__ == "__main__":
    sys.exit(main())
