#!/usr/bin/env python3
"""Generate aipm's product event log for the funnel module (content/datasets/events.csv).

An app in the app store, followed for 90 days from 2026-06-01 (UTC):

  store_impression  awareness    the app is shown in store search (often several times)
  store_click       acquisition  the person opens the store listing
  install           activation   the app is installed (web: the web app is first opened)
  signup            activation   an account is created
  session_start     retention    every app open after signup; a return visit is a
                                 session_start at least 24 h after the signup
  purchase          revenue      an in-app purchase, inside a session
  invite_sent       referral     an invitation sent to a friend, inside a session

Columns: user_id,event,timestamp,platform,channel,variant. Platform, channel and
variant are fixed per user; variant (A/B, 50/50) is an experiment on the signup
screen: B converts install -> signup 3.5 percentage points better than A.

Deliberately embedded (see content/README.md, "Datasets"):
  * an incident: an Android release breaks signup from 2026-07-09 15:00 to
    2026-07-21 11:00 UTC; 82% of Android signup attempts in that window fail,
    and a quarter of the people who failed come back after the fix;
  * an ads campaign 2026-08-10..16 (more ads traffic, lower click-through);
  * about 0.2% messy lines (empty timestamp, malformed timestamp, ragged row)
    written raw, for a robust loader to skip and count;
  * rows not sorted globally: time-sorted blocks, each grouped by export shard,
    written in shuffled block order.

Standard library only; deterministic: the same --seed gives byte-identical output.

    python3 content/generators/gen_events.py --seed 7 > content/datasets/events.csv
"""

import argparse
import csv
import io
import math
import random
import sys
from datetime import datetime, timezone

N_USERS = 25000
START = int(datetime(2026, 6, 1, tzinfo=timezone.utc).timestamp())
DAYS = 90
END = START + DAYS * 86400                      # exclusive: 2026-08-30T00:00:00Z
DAY = 86400
HOUR = 3600

INCIDENT_START = int(datetime(2026, 7, 9, 15, 0, tzinfo=timezone.utc).timestamp())
INCIDENT_END = int(datetime(2026, 7, 21, 11, 0, tzinfo=timezone.utc).timestamp())
INCIDENT_PLATFORM = "android"
INCIDENT_FAIL = 0.82            # share of Android signup attempts that fail
INCIDENT_RETRY = 0.25           # share of those who come back after the fix

CAMPAIGN_FIRST = int(datetime(2026, 8, 10, tzinfo=timezone.utc).timestamp())
CAMPAIGN_END = int(datetime(2026, 8, 17, tzinfo=timezone.utc).timestamp())

MESSY_RATE = 0.002

PLATFORMS = (("android", 0.46), ("ios", 0.39), ("web", 0.15))
CHANNELS = (("organic", 0.44), ("ads", 0.30), ("social", 0.16), ("referral", 0.10))
# P(click | aware), by channel
P_CLICK = {"organic": 0.45, "ads": 0.31, "social": 0.38, "referral": 0.60}
# P(install | click), by platform
P_INSTALL = {"android": 0.51, "ios": 0.50, "web": 0.47}
# P(signup | install): platform base, channel shift, variant shift (B - A = 3.5 pp)
P_SIGNUP = {"android": 0.69, "ios": 0.70, "web": 0.62}
SIGNUP_CHANNEL = {"organic": 0.0, "ads": -0.04, "social": -0.01, "referral": 0.05}
SIGNUP_VARIANT = {"A": -0.0175, "B": 0.0175}
# P(returns at least a day after signup), by channel; web a little lower
P_RETAIN = {"organic": 0.55, "ads": 0.43, "social": 0.50, "referral": 0.64}
RETAIN_WEB = -0.08
P_CONTINUE = 0.93               # after each return session, chance of another one
# Hour-of-day profile of arrivals (UTC; a mostly European and American audience)
HOURS = [2.0, 1.5, 1.2, 1.0, 1.0, 1.2, 1.6, 2.2, 2.8, 3.2, 3.4, 3.5,
         3.6, 3.8, 4.0, 4.2, 4.4, 4.5, 4.6, 4.6, 4.3, 3.8, 3.2, 2.6]

HEADER = ["user_id", "event", "timestamp", "platform", "channel", "variant"]


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pick(rng, table):
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def geometric(rng, mean):
    """Number of extra repeats, geometric with the given mean (0, 1, 2, ...)."""
    p = 1.0 / (1.0 + mean)
    n = 0
    while rng.random() > p:
        n += 1
    return n


def lognorm_seconds(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def arrival_table(rng):
    """(day, channel) cells with their weights: growth, weekends, noise, campaign."""
    cells, weights = [], []
    for d in range(DAYS):
        day_start = START + d * DAY
        growth = 1.0 + 0.35 * d / (DAYS - 1)
        weekday = datetime.fromtimestamp(day_start, timezone.utc).weekday()
        weekend = 1.2 if weekday >= 5 else 1.0
        noise = rng.uniform(0.9, 1.1)
        for ch, w in CHANNELS:
            boost = 2.2 if (ch == "ads" and CAMPAIGN_FIRST <= day_start < CAMPAIGN_END) else 1.0
            cells.append((day_start, ch))
            weights.append(w * growth * weekend * noise * boost)
    cum, s = [], 0.0
    for w in weights:
        s += w
        cum.append(s)
    return cells, cum


def simulate_user(rng, ui, uid, t0, channel, platform, variant, out):
    """Append (ts, ui, seq, event) tuples for one person to out."""
    ev = []

    def add(t, name):
        if START <= t < END:
            ev.append((int(t), name))
            return True
        return False

    # awareness: one or more store impressions over the following days
    n_impr = 1 + geometric(rng, 2.6 if channel != "ads" else 3.4)
    times = [t0]
    for _ in range(n_impr - 1):
        times.append(times[-1] + rng.expovariate(1.0 / (1.6 * DAY)) + 60)
    p_click = P_CLICK[channel]
    if channel == "ads" and CAMPAIGN_FIRST <= t0 < CAMPAIGN_END:
        p_click *= 0.8
    if rng.random() >= p_click:
        for t in times:
            add(t, "store_impression")
        out.extend((t, ui, k, e) for k, (t, e) in enumerate(ev))
        return
    # acquisition: the click follows one of the impressions
    k = rng.randrange(len(times))
    kept = times[:k + 1] + [t for t in times[k + 1:] if rng.random() < 0.3]
    for t in kept:
        add(t, "store_impression")
    t_click = times[k] + lognorm_seconds(rng, 25, 0.8) + 2
    if not add(t_click, "store_click"):
        out.extend((t, ui, j, e) for j, (t, e) in enumerate(ev))
        return
    if rng.random() < 0.22:              # came back to the listing later
        add(t_click + rng.uniform(0.2, 30) * HOUR, "store_click")
    # activation, part 1: install
    if rng.random() < P_INSTALL[platform]:
        if rng.random() < 0.9:
            t_inst = t_click + lognorm_seconds(rng, 70, 0.7) + 10
        else:
            t_inst = t_click + rng.uniform(1, 48) * HOUR
        installed = add(t_inst, "install")
    else:
        installed = False
    if installed:
        # activation, part 2: signup (the A/B experiment and the incident live here)
        p = P_SIGNUP[platform] + SIGNUP_CHANNEL[channel] + SIGNUP_VARIANT[variant]
        t_sign = None
        if rng.random() < p:
            r = rng.random()
            if r < 0.70:
                t_sign = t_inst + lognorm_seconds(rng, 180, 0.8) + 20
            elif r < 0.92:
                t_sign = t_inst + rng.uniform(0.5, 12) * HOUR
            else:
                t_sign = t_inst + rng.uniform(1, 5) * DAY
            if (platform == INCIDENT_PLATFORM and INCIDENT_START <= t_sign < INCIDENT_END
                    and rng.random() < INCIDENT_FAIL):
                if rng.random() < INCIDENT_RETRY:
                    t_sign = INCIDENT_END + rng.expovariate(1.0 / (1.5 * DAY)) + 600
                else:
                    t_sign = None
        if t_sign is not None and add(t_sign, "signup"):
            after_signup(rng, t_sign, channel, platform, add)
    out.extend((t, ui, j, e) for j, (t, e) in enumerate(ev))


def after_signup(rng, t_sign, channel, platform, add):
    """Sessions, purchases and invites of a person who signed up at t_sign."""
    sessions = [t_sign + rng.uniform(2, 90)]
    t = sessions[0]
    for _ in range(geometric(rng, 0.8)):          # more opens on the first day
        t += rng.uniform(0.5, 9) * HOUR
        sessions.append(t)
    p_ret = P_RETAIN[channel] + (RETAIN_WEB if platform == "web" else 0.0)
    retained = rng.random() < p_ret
    if retained:
        t = t_sign + DAY + lognorm_seconds(rng, 1.2 * DAY, 0.9)
        while t < END:
            sessions.append(t)
            if rng.random() >= P_CONTINUE:
                break
            t += DAY * 0.3 + lognorm_seconds(rng, 1.6 * DAY, 0.8)
        if rng.random() < 0.02:                   # reinstall on a new phone
            t_re = t_sign + rng.uniform(5, 40) * DAY
            if add(t_re, "install"):
                sessions.append(t_re + rng.uniform(30, 600))
    sessions = [s for s in sessions if s < END]
    for s in sessions:
        add(s, "session_start")
    # revenue
    p_buy = 0.38 if retained else 0.05
    if rng.random() < p_buy:
        for _ in range(1 + geometric(rng, 0.8)):
            s = rng.choice(sessions)
            add(s + rng.uniform(60, 40 * 60), "purchase")
    # referral
    p_inv = (0.26 if retained else 0.03)
    if rng.random() < p_inv:
        for _ in range(1 + geometric(rng, 0.9)):
            s = rng.choice(sessions)
            add(s + rng.uniform(30, 30 * 60), "invite_sent")


def messy_line(rng, row):
    """A raw line that a robust loader must skip: bad timestamp or ragged."""
    uid, event, ts, platform, channel, variant = row
    kind = rng.choices(["empty_ts", "bad_ts", "ragged"], [0.35, 0.4, 0.25])[0]
    if kind == "empty_ts":
        return kind, ",".join([uid, event, "", platform, channel, variant])
    if kind == "bad_ts":
        y, mo, d = ts[0:4], ts[5:7], ts[8:10]
        hh, mm, ss = ts[11:13], ts[14:16], ts[17:19]
        bad = rng.choice([
            "%s/%s/%s %s:%s:%s" % (d, mo, y, hh, mm, ss),          # local export format
            "%s-%s-%sT%s:%s" % (y, mo, d, hh, mm[:1]),            # truncated write
            "2026-06-31T%s:%s:%sZ" % (hh, mm, ss),                 # no 31 June
            "%s-%s-%sT%d:%s:%sZ" % (y, mo, d, int(hh) + 24, mm, ss),  # hour out of range
            "%s-%s-%s%s:%s:%sZ" % (y, mo, d, hh, mm, ss),          # lost the T
            "1970-01-01T00:00:00Z",                                # epoch default
            "null", "NaN", "0000-00-00T00:00:00Z",
        ])
        return kind, ",".join([uid, event, bad, platform, channel, variant])
    form = rng.choice(["short", "long", "cut"])
    if form == "short":                     # the variant column went missing
        return kind, ",".join([uid, event, ts, platform, channel])
    if form == "long":                      # an app version leaked into the row
        ver = "%d.%d.%d" % (rng.choice([4, 5]), rng.randrange(0, 12), rng.randrange(0, 9))
        return kind, ",".join([uid, event, ts, platform, channel, variant, ver])
    return kind, ",".join([uid, event, ts[:rng.randrange(4, 16)]])   # cut mid-write


def generate(seed):
    """Return (lines, stats): lines are lists (clean rows) or str (raw messy lines)."""
    rng = random.Random(seed)
    cells, cum = arrival_table(rng)
    hour_cum, s = [], 0.0
    for w in HOURS:
        s += w
        hour_cum.append(s)
    seen = set()
    users = []
    events = []
    for ui in range(N_USERS):
        while True:
            uid = "u_%08x" % rng.getrandbits(32)
            if uid not in seen:
                seen.add(uid)
                break
        day_start, channel = rng.choices(cells, cum_weights=cum)[0]
        hour = rng.choices(range(24), cum_weights=hour_cum)[0]
        t0 = day_start + hour * HOUR + rng.randrange(HOUR)
        platform = pick(rng, PLATFORMS)
        variant = "A" if rng.random() < 0.5 else "B"
        users.append((uid, platform, channel, variant))
        simulate_user(rng, ui, uid, t0, channel, platform, variant, events)

    # export order: time-sorted blocks, each grouped by shard, blocks shuffled
    events.sort()
    blocks = []
    i = 0
    while i < len(events):
        size = rng.randrange(300, 3000)
        block = events[i:i + size]
        block.sort(key=lambda e: e[1] % 8)           # stable: time order within a shard
        blocks.append(block)
        i += size
    rng.shuffle(blocks)
    rows = []
    for block in blocks:
        for t, ui, _seq, name in block:
            uid, platform, channel, variant = users[ui]
            rows.append([uid, name, iso(t), platform, channel, variant])

    # messy lines replace a few rows
    n_messy = int(round(len(rows) * MESSY_RATE))
    stats = {"rows": len(rows), "messy": {}}
    for j in sorted(rng.sample(range(len(rows)), n_messy)):
        kind, line = messy_line(rng, rows[j])
        rows[j] = line
        stats["messy"][kind] = stats["messy"].get(kind, 0) + 1
    return rows, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="output file (default: standard output)")
    args = ap.parse_args()
    rows, stats = generate(args.seed)
    if args.out:
        f = open(args.out, "w", encoding="utf-8", newline="")
    else:
        f = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(HEADER)
    for row in rows:
        if isinstance(row, str):
            f.write(row + "\n")                 # raw messy line
        else:
            w.writerow(row)
    f.flush()
    if args.out:
        f.close()
    print("events: %d lines, messy %s" % (stats["rows"], stats["messy"]), file=sys.stderr)


if __name__ == "__main__":
    main()
