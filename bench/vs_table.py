#!/usr/bin/env python3
"""The table bench/vs-pytorch.sh prints, from the JSON documents its rounds wrote, with each case's target.

Usage: python3 bench/vs_table.py DIR ROUNDS CASES
DIR holds chainrule-R-I.json and pytorch-R-I.json for rounds R = 1..ROUNDS and cases I = 0..CASES-1: what
`chainrule bench --json` and bench/pytorch_bench.py --json print for one case. Needs no torch.

The targets are issue 10's, for the thread count of the run: teaching-size networks (mazur, xor) at least 100 times
PyTorch's steps per second; the course network and the MLPs at least 1.0 times, or 0.4 times when chainrule runs
its pure-Java kernels; matrix products at least 0.8 times PyTorch's OpenBLAS, or, in pure Java, 12 GFLOP/s at
n = 1024 on one thread (no target for the other products in pure Java). A case meets its target when the median
does; the last line counts them and names the misses.
"""
import json
import statistics
import sys


def target(name, threads, java):
    """The case's target: ("ratio", x) for PyTorch's time / chainrule's, ("gflops", x), or None."""
    if name.startswith(("mazur-", "xor-")):
        return ("ratio", 100.0)
    if name.startswith("matmul-"):
        if not java:
            return ("ratio", 0.8)
        return ("gflops", 12.0) if name.endswith(" n1024") and threads == 1 else None
    return ("ratio", 0.4 if java else 1.0)


def describe(goal):
    if goal is None:
        return "-"
    kind, value = goal
    return f">= {value:g}x" if kind == "ratio" else f">= {value:g} GF/s"


def main(work, rounds, count):
    def load(tool):
        """runs[r][i]: the JSON document of round r, case i."""
        return [[json.load(open(f"{work}/{tool}-{r}-{i}.json")) for i in range(count)] for r in range(1, rounds + 1)]

    chainrule, pytorch = load("chainrule"), load("pytorch")
    first, other = chainrule[0][0], pytorch[0][0]
    java = first["matmul"].startswith("java")
    print(f"# chainrule: {first['jvm']}, gc {first['collector']}, threads {first['threads']}"
          f" ({first['threadSetting']}), matmul {first['matmul']}")
    print(f"# pytorch {other['torch']}: Python {other['python']}, threads {other['threads']}, BLAS {other['blas']}")
    if "/blas/" in other["blas"]:
        print("# warning: PyTorch ran on the reference BLAS; apt-get install libopenblas0 for a fair comparison")
    print(f"# {first['date']} to {chainrule[-1][-1]['date']}: {rounds} round(s) of each case, the tools alternately;"
          " times are medians")
    print("# ratio = PyTorch's median time / chainrule's (above 1: chainrule is faster); lowest, highest: of one round;"
          f" targets for {'pure-Java kernels' if java else 'the native BLAS'}, met by the medians")
    print(f"{'case':32s} {'chainrule us':>14s} {'PyTorch us':>14s} {'ratio':>8s} {'lowest':>8s} {'highest':>8s}"
          f" {'GFLOP/s':>10s} {'PyTorch':>10s}  {'target':>12s}  met")
    goals, misses = 0, []
    for i in range(count):
        case = chainrule[0][i]["cases"][0]
        ours = [run[i]["cases"][0]["microseconds"] for run in chainrule]
        theirs = [run[i]["cases"][0]["microseconds"] for run in pytorch]
        ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
        ratio = theirs_median / ours_median
        pairs = [t / o for o, t in zip(ours, theirs)]
        row = (f"{case['name']:32s} {ours_median:14.2f} {theirs_median:14.2f} {ratio:8.3f}"
               f" {min(pairs):8.3f} {max(pairs):8.3f}")
        gflops = None
        if case["gflops"] is not None:
            # the JSON does not carry the flops: one round's GFLOP/s times its time gives them
            flops = case["gflops"] * case["microseconds"] * 1e3
            gflops = flops / ours_median / 1e3
            row += f" {gflops:10.2f} {flops / theirs_median / 1e3:10.2f}"
        else:
            row += f" {'':10s} {'':10s}"
        goal = target(case["name"], first["threads"], java)
        met = ""
        if goal is not None:
            goals += 1
            reached = ratio if goal[0] == "ratio" else gflops
            met = "yes" if reached >= goal[1] else "NO"
            if met == "NO":
                unit = "x" if goal[0] == "ratio" else " GF/s"
                misses.append(f"{case['name']} {reached:.3g}{unit} < {goal[1]:g}{unit}")
        print(f"{row}  {describe(goal):>12s}  {met}".rstrip())
    summary = f"# targets met: {goals - len(misses)} of {goals}"
    print(summary + (f"; missed: {', '.join(misses)}" if misses else ""))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
