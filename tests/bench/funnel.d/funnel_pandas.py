#!/usr/bin/env python3
"""The benchmark's funnel in pandas, with aipm's ordered semantics: per
step-1 event, the earliest next-step event after the previous one (events
ordered by time, then file row) within the window of the step-1 event;
each user counts for the furthest step reached from any step-1 event.
Rows with an empty or unreadable timestamp are skipped, as aipm does.
Prints the counts per step, comma-separated.

    funnel_pandas.py FILE WINDOW_SECONDS STEP1 STEP2 ...
"""

import sys

import numpy as np
import pandas as pd


def main():
    path, window, steps = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    df = pd.read_csv(path, usecols=["user_id", "event", "timestamp"], dtype=str,
                     keep_default_na=False)
    df["row"] = np.arange(len(df), dtype=np.int64)
    t = pd.to_datetime(df["timestamp"], format="%Y-%m-%dT%H:%M:%SZ", errors="coerce", utc=True)
    ok = t.notna() & (df["user_id"] != "") & (df["event"] != "")
    df = df[ok & df["event"].isin(steps)].copy()
    df["t"] = t[df.index].astype("int64") // 10**9
    # one sort key for (time, row): seconds in the high bits, the row below
    df["k"] = df["t"] * (1 << 26) + df["row"]
    starts = df.loc[df["event"] == steps[0], ["user_id", "k", "t"]]
    starts = starts.rename(columns={"k": "k1", "t": "t1"}).reset_index(drop=True)
    starts["sid"] = np.arange(len(starts))
    level = np.ones(len(starts), dtype=np.int64)
    alive = starts.assign(kprev=starts["k1"])
    for j, step in enumerate(steps[1:], start=2):
        nxt = df.loc[df["event"] == step, ["user_id", "k", "t"]].sort_values("k")
        m = pd.merge_asof(alive.sort_values("kprev"), nxt, left_on="kprev", right_on="k",
                          by="user_id", direction="forward", allow_exact_matches=False)
        m = m[m["k"].notna() & (m["t"] - m["t1"] <= window)]
        level[m["sid"].to_numpy()] = j
        alive = m[["user_id", "k1", "t1", "sid"]].assign(kprev=m["k"].astype("int64"))
    per_user = pd.Series(level).groupby(starts["user_id"]).max()
    print(",".join(str(int((per_user >= j).sum())) for j in range(1, len(steps) + 1)))


if __name__ == "__main__":
    main()
