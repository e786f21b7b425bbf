#!/usr/bin/env python3
"""Seeded event logs for the funnel benchmark (standard library only).

Shoppers arrive over 60 days (the log stops at --events rows); each has sessions of page views with some
searches and scrolls, and may add to cart, check out and buy. Columns:
user_id,event,timestamp,platform,country,variant. Rows come one day at a
time, shuffled inside the day (an export, not a sorted table), and about
0.1% have an empty or unreadable timestamp, which every reader must skip.
The same --seed and --events give the same bytes.

    python3 gen_events.py --seed 1 --events 1000000 --out /tmp/events-1M.csv
"""

import argparse
import math
import random
from datetime import datetime, timedelta, timezone

START = datetime(2026, 3, 1, tzinfo=timezone.utc)
DAYS = 60
PLATFORMS = ["android", "ios", "web"]
COUNTRIES = ["us", "de", "fr", "gb", "br", "in", "jp", "es", "it", "nl"]


def user_events(rng, t0):
    """(seconds since START, event) for one shopper arriving at t0."""
    out = []
    t = t0
    for _ in range(1 + min(int(rng.expovariate(1 / 1.2)), 8)):
        for _ in range(1 + min(int(rng.expovariate(1 / 2.0)), 12)):
            out.append((int(t), "page_view"))
            t += rng.expovariate(1 / 40.0)
            if rng.random() < 0.25:
                out.append((int(t), rng.choice(("search", "scroll"))))
                t += rng.expovariate(1 / 20.0)
        if rng.random() < 0.30:
            t += rng.expovariate(1 / 60.0)
            out.append((int(t), "add_to_cart"))
            if rng.random() < 0.55:
                t += rng.expovariate(1 / 300.0)
                out.append((int(t), "checkout"))
                if rng.random() < 0.70:
                    t += rng.expovariate(1 / 120.0)
                    out.append((int(t), "purchase"))
        t += 3600 * math.exp(rng.gauss(2.5, 1.2))  # the next visit, hours to weeks later
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, default=1000000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    per_user = 6.0  # a little under the rows per shopper: the log is cut at --events
    users_per_day = max(1, int(args.events / per_user / DAYS))
    days = {}
    written = 0
    uid = 0
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("user_id,event,timestamp,platform,country,variant\n")
        for d in range(DAYS + 120):
            if d < DAYS:
                for _ in range(users_per_day):
                    uid += 1
                    name = "u%08x" % (uid * 2654435761 % (1 << 32))
                    props = "%s,%s,%s" % (rng.choice(PLATFORMS), rng.choice(COUNTRIES),
                                         "A" if rng.random() < 0.5 else "B")
                    for t, ev in user_events(rng, d * 86400 + rng.random() * 86400):
                        days.setdefault(t // 86400, []).append((t, name, ev, props))
            rows = days.pop(d, [])
            rng.shuffle(rows)
            rows = rows[:args.events - written]
            day = START + timedelta(days=d)
            stamp = day.strftime("%Y-%m-%dT")
            lines = []
            for t, name, ev, props in rows:
                s = t % 86400
                if rng.random() < 0.001:
                    ts = rng.choice(("", "n/a"))
                else:
                    ts = "%s%02d:%02d:%02dZ" % (stamp, s // 3600, s // 60 % 60, s % 60)
                lines.append("%s,%s,%s,%s\n" % (name, ev, ts, props))
            f.write("".join(lines))
            written += len(rows)
            if written >= args.events or (d >= DAYS and not days):
                break
    print("wrote %d events for %d users to %s" % (written, uid, args.out))


if __name__ == "__main__":
    main()
