#!/usr/bin/env python3
"""The layout rule of the README's UI conventions, checked on a captured
tmux pane (standard input): a fixed column is cut with an ellipsis, running
text wraps. Prints one line per row that breaks it; exit 1 if any.

usage: layout_check.py WIDTH [TITLES-FILE]

1. A row's text that runs to the right edge of the screen (or to the gap
   before a scroll indicator in the last column) and stops in a letter or
   digit was cut there without an ellipsis.
2. A known text (a lesson, module or question title, a glossary term: one
   a line in TITLES-FILE) shown in part, stopping in the middle of a word
   with no ellipsis after it, was cut in its column.
3. A table's header and its rows: each header label starts in the column
   where that column's cells start in the rows under it (a row of cells
   separated by two or more spaces, as the header is)."""
import re
import sys

SCROLL = set("│█░▒▲▼")
ELLIPSIS = ("…", "...")


def edge_cuts(rows, width):
    for n, row in enumerate(rows, 1):
        if n == 1:  # the title bar: a name and a context to the edge
            continue
        if re.search(r"[┌└]─", row) or row.startswith("│"):
            continue  # a popup's borders, or one as wide as the screen
        text = row.rstrip()
        edge = width
        if len(text) == width and text[-1] in SCROLL:
            text = text[:-1].rstrip()
            edge = width - 2
        if len(text) < edge or not text[-1].isalnum():
            continue
        if text.endswith((" v", " ^")):  # a popup's more-below mark
            continue
        yield n, "runs to the edge and stops mid-word: " + text.strip()


def title_cuts(rows, titles):
    lo = 12
    for n, row in enumerate(rows, 1):
        # At each place a known text starts on the row: the longest start
        # of any of them there (another title may begin the same way).
        best = {}
        for title in titles:
            start = title[:lo]
            at = row.find(start)
            while at >= 0:
                k = lo
                while k < len(title) and row.startswith(title[: k + 1], at):
                    k += 1
                if k > best.get(at, (0, ""))[0]:
                    best[at] = (k, title)
                at = row.find(start, at + 1)
        for at, (k, title) in best.items():
            part, after = title[:k], row[at + k :]
            if k == len(title) or after.startswith(ELLIPSIS) or " " not in part:
                continue
            # Mid-word: the title goes on with a letter where the row
            # stops the word (a space, the end). A title in running text
            # wraps between words, never inside one.
            if part[-1].isalnum() and title[k].isalnum() and (not after or after[0] == " "):
                yield n, "'%s' cut without an ellipsis: %s" % (title, row.strip())


def table_misalignments(rows):
    """A header row: two or more labels separated by 2+ spaces, the row
    under it separated the same way with as many cells."""
    def cells(row):
        return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", row)]

    rows = [r[:-1] if r and r[-1] in SCROLL else r for r in rows]
    for n in range(1, len(rows) - 1):
        head = cells(rows[n])
        if len(head) < 3 or not all(re.fullmatch(r"[a-z][a-z /%]*", c) for _, c in head):
            continue
        # Lower-case labels only: a header such as "lesson  status  read".
        for m in range(n + 1, min(n + 4, len(rows))):
            body = cells(rows[m])
            # A row with a bar (a module's progress) is not a row of cells.
            if len(body) != len(head) or re.search("[░█▒]", rows[m]):
                continue
            for (hx, label), (bx, cell) in zip(head[1:], body[1:]):
                # Left-aligned cells start with their label; numbers may be
                # right-aligned to the label's end, or padded to two
                # digits (" 5 min" under "read").
                padded = cell[0].isdigit() and bx == hx + 1
                if bx != hx and bx + len(cell) != hx + len(label) and not padded:
                    yield m + 1, "column '%s' at %d, its cell '%s' at %d: %s" % (
                        label, hx, cell, bx, rows[m].strip())
                    break


def main():
    width = int(sys.argv[1])
    titles = []
    if len(sys.argv) > 2:
        with open(sys.argv[2], encoding="utf-8") as f:
            titles = [t.strip() for t in f if len(t.strip()) > 12]
    rows = sys.stdin.read().split("\n")
    bad = list(edge_cuts(rows, width)) + list(title_cuts(rows, titles)) + list(
        table_misalignments(rows))
    for n, what in bad:
        print("row %d: %s" % (n, what))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
