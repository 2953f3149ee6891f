"""Summarize a py-spy profile in collapsed-stack form (PROFILE=1 bench/run-catalog): the functions with the
most samples, inclusive (anywhere on the stack) and exclusive (on top), as shares of all samples.

    .stack/venv/bin/python bench/profile_summary.py .stack/profile-10000-ours-xml.txt [--top 25]
"""
from __future__ import annotations

import argparse
from collections import Counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    inclusive: Counter = Counter()
    exclusive: Counter = Counter()
    total = 0
    for line in open(args.path):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].rsplit("/", 1)[-1] + ")"
                  if " (" in f else f for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += n
        exclusive[frames[-1]] += n
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
        print(f"\n{title}:")
        for frame, n in counter.most_common(args.top):
            print(f"  {100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
