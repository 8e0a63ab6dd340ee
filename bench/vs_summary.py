#!/usr/bin/env python3
"""Each target over several runs of bench/vs-pytorch.sh: how many runs met it, and its lowest, median and highest
ratio, from what the runs printed.

Usage: python3 bench/vs_summary.py FILE...
Each FILE holds what one run of bench/vs-pytorch.sh printed (the progress lines on stderr may be in it too). One
run's figures wander with the machine's minutes; this shows where each target stands over many.
"""
import re
import statistics
import sys

from vs_table import ALL_TARGETS, SCALING_HEADER

THREADS = re.compile(r"^# chainrule: .*, threads (\d+) \(")
ALL_MET = re.compile(rf"^{ALL_TARGETS}: (\d+) of (\d+)")


def rows(path):
    """The run's targets as (table, case, target, ratio, met), and its all-targets line's counts or None."""
    table, found, all_met = None, [], None
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if threads := THREADS.match(line):
                n = int(threads.group(1))
                table = f"{n} thread{'s' if n > 1 else ''}"
            elif line.startswith(SCALING_HEADER):
                table = "speed-up"
            elif counts := ALL_MET.match(line):
                all_met = tuple(int(g) for g in counts.groups())
            elif table and line.rstrip().endswith((" yes", " NO")):
                # case (two words), two times, the ratio or speed-up, ..., target (">= 0.8x", ">= 12 GF/s"), met;
                # a target in GFLOP/s is chainrule's, the column before PyTorch's
                words = line.split()
                goal = words.index(">=")
                value = words[goal - 2] if words[-2] == "GF/s" else words[4]
                found.append((table, f"{words[0]} {words[1]}", " ".join(words[goal:-1]), float(value),
                              words[-1] == "yes"))
    if not found:
        sys.exit(f"vs_summary.py: {path} holds no table of bench/vs-pytorch.sh (no row ending in yes or NO)")
    return found, all_met


def main(paths):
    runs = [rows(path) for path in paths]
    print(f"# {len(runs)} run(s):")
    for path in paths:
        print(f"#   {path}")
    counted = [met for _, met in runs if met is not None]
    if counted:
        everything = sum(met == total for met, total in counted)
        print(f"# every target met in {everything} of the {len(counted)} runs that count them all;"
              f" targets met per run: {', '.join(str(met[0]) for met in counted)} of {counted[0][1]}")
    print(f"{'table':10s} {'case':32s} {'target':>10s} {'met':>9s} {'lowest':>9s} {'median':>9s} {'highest':>9s}")
    targets = {}
    for found, _ in runs:
        for table, case, goal, ratio, met in found:
            targets.setdefault((table, case, goal), []).append((ratio, met))
    for (table, case, goal), results in targets.items():
        ratios = [ratio for ratio, _ in results]
        met = f"{sum(m for _, m in results)} of {len(results)}"
        print(f"{table:10s} {case:32s} {goal:>10s} {met:>9s} {min(ratios):9.3f} {statistics.median(ratios):9.3f}"
              f" {max(ratios):9.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1:])
