#!/usr/bin/env python3
"""Medians over bench/speed.sh's rounds: each side's training crops/s, inference ms and peak RSS,
and the median of the per-round ratios Loupe / PyTorch (the two ran back to back in each round,
so a ratio is taken under one machine state). Reads the rounds' output lines from the file named."""
import re
import statistics
import sys

PATTERN = re.compile(r"^(loupe|torch) (train|infer)(?: \((\w+)\))?: (?:median )?([0-9.]+) (crops/s|ms).*peak RSS ([0-9]+) MiB")


def main(path):
    rounds, current = [], {}
    for line in open(path):
        match = PATTERN.match(line)
        if not match:
            continue
        side, task, path_name, value, _, rss = match.groups()
        key = (side if side == "torch" else f"loupe {path_name}", task)
        if key in current:
            rounds.append(current)
            current = {}
        current[key] = (float(value), int(rss))
    if current:
        rounds.append(current)
    print(f"\nmedian over {len(rounds)} rounds")
    print(f"{'':24}{'train crops/s':>15}{'infer ms':>10}{'peak RSS train MiB':>20}")
    for side in ("loupe direct", "loupe im2col", "torch"):
        train = [r[(side, "train")] for r in rounds if (side, "train") in r]
        infer = [r[(side, "infer")][0] for r in rounds if (side, "infer") in r]
        if train:
            print(f"{side:24}{statistics.median(v for v, _ in train):>15.1f}"
                  f"{statistics.median(infer) if infer else float('nan'):>10.0f}"
                  f"{statistics.median(m for _, m in train):>20.0f}")
    for side in ("loupe direct", "loupe im2col"):
        for task, label in (("train", "crops/s"), ("infer", "ms")):
            ratios = [r[(side, task)][0] / r[("torch", task)][0] for r in rounds
                      if (side, task) in r and ("torch", task) in r]
            if ratios:
                print(f"{side} / torch, {task} {label}: median {statistics.median(ratios):.2f}x "
                      f"(rounds {min(ratios):.2f}-{max(ratios):.2f}x)")


if __name__ == "__main__":
    main(sys.argv[1])
