#!/usr/bin/env python3
"""Read events.csv the way a robust loader should, and print what is in it.

Not a generator (standard library only). Skips and counts lines with an
empty or malformed timestamp or the wrong number of fields, then prints the
funnel (distinct users per stage), the A/B result on install -> signup, and
the daily install -> signup conversion per platform around the incident.

    python3 content/generators/check_events.py content/datasets/events.csv
"""

import csv
import math
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

FIELDS = ["user_id", "event", "timestamp", "platform", "channel", "variant"]
START = datetime(2026, 6, 1, tzinfo=timezone.utc).timestamp()
END = datetime(2026, 8, 30, tzinfo=timezone.utc).timestamp()
INC = (datetime(2026, 7, 9, 15, tzinfo=timezone.utc).timestamp(),
       datetime(2026, 7, 21, 11, tzinfo=timezone.utc).timestamp())


def parse_ts(s):
    if len(s) != 20:
        return None
    try:
        t = datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None
    return t if START <= t < END else None


def load(path):
    rows, bad = [], Counter()
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        assert header == FIELDS, header
        for rec in r:
            if len(rec) != len(FIELDS):
                bad["ragged"] += 1
                continue
            if rec[2] == "":
                bad["empty timestamp"] += 1
                continue
            t = parse_ts(rec[2])
            if t is None:
                bad["malformed timestamp"] += 1
                continue
            rows.append((rec[0], rec[1], t, rec[3], rec[4], rec[5]))
    return rows, bad


def ztest(x1, n1, x2, n2):
    p1, p2 = x1 / n1, x2 / n2
    p = (x1 + x2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / se
    return p1, p2, z, math.erfc(abs(z) / math.sqrt(2))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "content/datasets/events.csv"
    rows, bad = load(path)
    total = len(rows) + sum(bad.values())
    print("lines %d, loaded %d, skipped %d %s" % (total, len(rows), sum(bad.values()), dict(bad)))
    print("sorted by time: %s" % all(rows[i][2] <= rows[i + 1][2] for i in range(len(rows) - 1)))
    print("events:", dict(Counter(r[1] for r in rows).most_common()))

    first = defaultdict(dict)        # user -> event -> first time
    attrs = {}
    sessions = defaultdict(list)
    for uid, ev, t, plat, ch, var in rows:
        attrs[uid] = (plat, ch, var)
        if ev not in first[uid] or t < first[uid][ev]:
            first[uid][ev] = t
        if ev == "session_start":
            sessions[uid].append(t)
    retained = set()
    for uid, f in first.items():
        if "signup" in f and any(s >= f["signup"] + 86400 for s in sessions[uid]):
            retained.add(uid)
    stages = [
        ("awareness (store_impression)", lambda u, f: "store_impression" in f),
        ("acquisition (store_click)", lambda u, f: "store_click" in f),
        ("activation: install", lambda u, f: "install" in f),
        ("activation: signup", lambda u, f: "signup" in f),
        ("retention (session >= 24 h after signup)", lambda u, f: u in retained),
        ("revenue (purchase)", lambda u, f: "purchase" in f),
        ("referral (invite_sent)", lambda u, f: "invite_sent" in f),
    ]
    print("\nusers %d, platforms %s, channels %s, variants %s" % (
        len(attrs), dict(Counter(a[0] for a in attrs.values())),
        dict(Counter(a[1] for a in attrs.values())), dict(Counter(a[2] for a in attrs.values()))))
    top = prev = None
    for name, test in stages:
        n = sum(1 for u, f in first.items() if test(u, f))
        top = top or n
        print("  %-44s %6d  %5.1f%% of top  %5.1f%% of previous" % (
            name, n, 100.0 * n / top, 100.0 * n / (prev or n)))
        prev = n

    def ab(select, label):
        x = {"A": 0, "B": 0}
        n = {"A": 0, "B": 0}
        for u, f in first.items():
            if "install" in f and select(u, f):
                v = attrs[u][2]
                n[v] += 1
                x[v] += "signup" in f
        p1, p2, z, pv = ztest(x["A"], n["A"], x["B"], n["B"])
        print("  %-40s A %d/%d = %.1f%%   B %d/%d = %.1f%%   B-A %+.1f pp  z %.2f  p %.4f" % (
            label, x["A"], n["A"], 100 * p1, x["B"], n["B"], 100 * p2, 100 * (p2 - p1), z, pv))

    print("\nA/B test, install -> signup (users):")
    ab(lambda u, f: True, "all installs")
    ab(lambda u, f: not (attrs[u][0] == "android" and INC[0] - 5 * 86400 <= f["install"] < INC[1]),
       "without Android installs near the incident")

    print("\ndaily install -> signup, by day of first install (users, same-day or later signup):")
    daily = defaultdict(lambda: [0, 0])
    for u, f in first.items():
        if "install" in f:
            d = datetime.fromtimestamp(f["install"], timezone.utc).strftime("%Y-%m-%d")
            daily[(d, attrs[u][0])][0] += 1
            daily[(d, attrs[u][0])][1] += "signup" in f
    days = sorted({d for d, _ in daily})
    for d in days:
        if "2026-07-02" <= d <= "2026-07-28":
            cells = []
            for p in ("android", "ios", "web"):
                n, x = daily[(d, p)]
                cells.append("%s %3d/%3d %5.1f%%" % (p, x, n, 100.0 * x / n if n else 0))
            print("  %s  %s" % (d, "   ".join(cells)))
    print("\ndaily events on Android (signup / install):")
    cnt = Counter()
    for uid, ev, t, plat, ch, var in rows:
        if plat == "android" and ev in ("install", "signup"):
            cnt[(datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d"), ev)] += 1
    for d in days:
        if "2026-07-02" <= d <= "2026-07-28":
            i, s = cnt[(d, "install")], cnt[(d, "signup")]
            print("  %s  %3d / %3d = %.2f" % (d, s, i, s / i if i else 0))


if __name__ == "__main__":
    main()
