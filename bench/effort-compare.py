#!/usr/bin/env python3
"""Compares queue strategies on what they have in common, from `loupe simulate` runs.

The pending images' effort in `simulate --plot` is measured on each strategy's own pending images,
and a strategy that corrects the hardest images first leaves the others pending: its figure mixes
how good the model is with which images are left. This prints two measures that do not:

- common: per seed and round, centerline effort pooled over the images pending under every
  strategy (the same images for all), median and range over the seeds;
- whole set: what the expert spends on every image of the dataset, each corrected from the
  prediction it had when its turn came (drawn from scratch in round 1) and the last round's
  pending images corrected from their last prediction, over drawing them all.

    bench/effort-compare.py RUN.json ...     (the simulate.json of each strategy and seed)
"""
import json
import statistics
import sys
from collections import defaultdict


def strategy_name(run):
    return run["strategy"].split(":")[0]


def seed_of(run):
    return run["settings"]["training"]["seed"]


def pooled(images):
    drawing = sum(i["centerline"]["drawingLength"] for i in images)
    return sum(i["centerline"]["correctionLength"] for i in images) / max(drawing, 1)


def spread(values):
    values = sorted(values)
    if len(values) == 1:
        return f"{values[0]:.1%}"
    return f"{statistics.median(values):.1%} ({values[0]:.1%}-{values[-1]:.1%})"


def main(paths):
    runs = defaultdict(dict)  # seed -> strategy -> run
    for path in paths:
        with open(path) as f:
            run = json.load(f)
        runs[seed_of(run)][strategy_name(run)] = run
    # A run cut short (fewer rounds than the longest) is left out: its last pending images are
    # not the others'.
    longest = max(len(r["rounds"]) for by in runs.values() for r in by.values())
    runs = {seed: {s: r for s, r in by.items() if len(r["rounds"]) == longest} for seed, by in runs.items()}
    strategies = sorted({s for by in runs.values() for s in by})

    common = defaultdict(lambda: defaultdict(list))  # corrections -> strategy -> [share per seed]
    sizes = defaultdict(list)
    whole = defaultdict(list)
    for seed, by in sorted(runs.items()):
        complete = [s for s in strategies if s in by]
        rounds = min(len(by[s]["rounds"]) for s in complete)
        for k in range(rounds):
            pending = [{i["id"]: i for i in by[s]["rounds"][k]["pending"]} for s in complete]
            ids = set.intersection(*(set(p) for p in pending))
            if not ids or len(complete) < len(strategies):
                continue
            n = by[complete[0]]["rounds"][k]["corrections"]
            sizes[n].append(len(ids))
            for s, p in zip(complete, pending):
                common[n][s].append(pooled([p[i] for i in ids]))
        for s in complete:
            spent = [i for r in by[s]["rounds"] for i in r["corrected"]] + by[s]["rounds"][-1]["pending"]
            whole[s].append(pooled(spent))

    print("centerline effort on the images pending under every strategy (median (range) over seeds)")
    print(f"{'corrections':>11}  {'images':>6}  " + "  ".join(f"{s:>22}" for s in strategies))
    for n in sorted(common):
        row = "  ".join(f"{spread(common[n][s]):>22}" for s in strategies)
        print(f"{n:>11}  {min(sizes[n]):>6}  {row}")
    print()
    print("whole set: centerline the expert corrects on every image, over drawing them all")
    for s in strategies:
        print(f"{s:>12}  {spread(whole[s])}  ({len(whole[s])} seeds)")


if __name__ == "__main__":
    main(sys.argv[1:])
