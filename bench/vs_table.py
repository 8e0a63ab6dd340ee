#!/usr/bin/env python3
"""The tables bench/vs-pytorch.sh prints, from the JSON documents its rounds wrote, with each case's target.

Usage: python3 bench/vs_table.py DIR ROUNDS CASES THREADS...
DIR holds chainrule-tT-R-I.json and pytorch-tT-R-I.json for each thread count T in THREADS, rounds R = 1..ROUNDS
and cases I = 0..CASES-1: what `chainrule bench --json` and bench/pytorch_bench.py --json print for one case.
Needs no torch.

The targets are issue 10's, at the thread count of the run: teaching-size networks (mazur, xor) at least 100 times
PyTorch's steps per second; the course network and the MLPs at least 1.0 times, or 0.4 times when chainrule runs
its pure-Java kernels; matrix products at least 0.8 times PyTorch's OpenBLAS, or, in pure Java, 12 GFLOP/s at
n = 1024 on one thread (no target for the other products in pure Java). With 1 and 2 threads among THREADS, a
last table gives chainrule's speed-up from 1 thread to 2 for the networks trained at batch 128 or more: at least
1.6 times, followed by the speed-up of the n = 1024 products, as a reference without a target: PyTorch's is its
BLAS's (OpenBLAS's) own, what the machine's two threads gave during the run. A case meets its target when the
medians do; each table's last line counts them and names the misses.
"""
import json
import re
import statistics
import sys

SCALING_TARGET = 1.6
# The lines that begin the scaling table and end a run; bench/vs_summary.py finds them in what a run printed
SCALING_HEADER = "# 2 threads against 1"
ALL_TARGETS = "# all targets met"


def target(name, threads, java):
    """The case's target: ("ratio", x) for PyTorch's time / chainrule's, ("gflops", x), or None."""
    if name.startswith(("mazur-", "xor-")):
        return ("ratio", 100.0)
    if name.startswith("matmul-"):
        if not java:
            return ("ratio", 0.8)
        return ("gflops", 12.0) if name.endswith(" n1024") and threads == 1 else None
    return ("ratio", 0.4 if java else 1.0)


UNITS = {"ratio": "x", "gflops": " GF/s"}


def describe(goal):
    if goal is None:
        return "-"
    kind, value = goal
    return f">= {value:g}{UNITS[kind]}"


class Tally:
    """Targets met and missed, for a table's last line; where: the table, as the run's last line names it."""

    def __init__(self, where):
        self.where, self.goals, self.misses = where, 0, []

    def check(self, name, reached, goal, unit):
        """Counts one target; returns the table's mark: yes or NO."""
        self.goals += 1
        if reached >= goal:
            return "yes"
        self.misses.append(f"{name} {reached:.3g}{unit} < {goal:g}{unit}")
        return "NO"

    def line(self, what):
        summary = f"# {what} met: {self.goals - len(self.misses)} of {self.goals}"
        return summary + (f"; missed: {', '.join(self.misses)}" if self.misses else "")


def load(work, tool, threads, rounds, count):
    """runs[r][i]: the JSON document of round r, case i."""
    return [[json.load(open(f"{work}/{tool}-t{threads}-{r}-{i}.json")) for i in range(count)]
            for r in range(1, rounds + 1)]


def medians(runs, count):
    """Each case's median time over the rounds, in µs."""
    return [statistics.median(run[i]["cases"][0]["microseconds"] for run in runs) for i in range(count)]


def table(chainrule, pytorch, rounds, count, tally):
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
    ours_medians, theirs_medians = medians(chainrule, count), medians(pytorch, count)
    for i in range(count):
        case = chainrule[0][i]["cases"][0]
        ours = [run[i]["cases"][0]["microseconds"] for run in chainrule]
        theirs = [run[i]["cases"][0]["microseconds"] for run in pytorch]
        ratio = theirs_medians[i] / ours_medians[i]
        pairs = [t / o for o, t in zip(ours, theirs)]
        row = (f"{case['name']:32s} {ours_medians[i]:14.2f} {theirs_medians[i]:14.2f} {ratio:8.3f}"
               f" {min(pairs):8.3f} {max(pairs):8.3f}")
        gflops = None
        if case["gflops"] is not None:
            # the JSON does not carry the flops: one round's GFLOP/s times its time gives them
            flops = case["gflops"] * case["microseconds"] * 1e3
            gflops = flops / ours_medians[i] / 1e3
            row += f" {gflops:10.2f} {flops / theirs_medians[i] / 1e3:10.2f}"
        else:
            row += f" {'':10s} {'':10s}"
        goal = target(case["name"], first["threads"], java)
        met = ""
        if goal is not None:
            kind, value = goal
            met = tally.check(case["name"], ratio if kind == "ratio" else gflops, value, UNITS[kind])
        print(f"{row}  {describe(goal):>12s}  {met}".rstrip())
    unsettled = [f"{run[i]['cases'][0]['name']} (round {r})" for r, run in enumerate(chainrule, 1)
                 for i in range(count) if not run[i]["cases"][0]["warmupSettled"]]
    if unsettled:
        print("# chainrule's warm-up reached its limit before the JIT and the heap settled, so these times may"
              f" include compiling or page faults: {', '.join(unsettled)}")
    print(tally.line("targets"))


def scaling(runs, count, tally):
    """chainrule's speed-up from 1 thread to 2 for the networks trained at batch 128 or more, and PyTorch's."""
    print(f"{SCALING_HEADER}: each tool's median time on 1 thread / on 2 (above 1: 2 threads are faster)")
    print(f"{'case':32s} {'chainrule t1':>14s} {'chainrule t2':>14s} {'speed-up':>9s} {'PyTorch':>9s}"
          f"  {'target':>12s}  met")
    ours = {t: medians(runs[("chainrule", t)], count) for t in (1, 2)}
    theirs = {t: medians(runs[("pytorch", t)], count) for t in (1, 2)}
    names = [runs[("chainrule", 1)][0][i]["cases"][0]["name"] for i in range(count)]

    def row(i, goal, met):
        print(f"{names[i]:32s} {ours[1][i]:14.2f} {ours[2][i]:14.2f} {ours[1][i] / ours[2][i]:9.3f}"
              f" {theirs[1][i] / theirs[2][i]:9.3f}  {describe(goal):>12s}  {met}".rstrip())

    for i, name in enumerate(names):
        batch = re.search(r" b(\d+)$", name)
        if not name.startswith("matmul-") and batch and int(batch.group(1)) >= 128:
            row(i, ("ratio", SCALING_TARGET),
                tally.check(name, ours[1][i] / ours[2][i], SCALING_TARGET, UNITS["ratio"]))
    print(tally.line("scaling targets"))
    products = [i for i, name in enumerate(names) if name.startswith("matmul-") and name.endswith(" n1024")]
    if products:
        print("# for reference, no target: the n = 1024 products; PyTorch's are its BLAS's DGEMM (OpenBLAS), what"
              " two threads of this machine gave during the run")
        for i in products:
            row(i, None, "")


def main(work, rounds, count, thread_counts):
    runs = {(tool, t): load(work, tool, t, rounds, count) for tool in ("chainrule", "pytorch") for t in thread_counts}
    tallies = []
    for t in thread_counts:
        if tallies:
            print()
        tallies.append(Tally(f"on {t} thread{'s' if t > 1 else ''}"))
        table(runs[("chainrule", t)], runs[("pytorch", t)], rounds, count, tallies[-1])
    if 1 in thread_counts and 2 in thread_counts:
        print()
        tallies.append(Tally("in scaling"))
        scaling(runs, count, tallies[-1])
    if len(tallies) > 1:
        goals = sum(t.goals for t in tallies)
        missed = sum(len(t.misses) for t in tallies)
        where = "; ".join(f"missed {t.where}: {', '.join(t.misses)}" for t in tallies if t.misses)
        print()
        print(f"{ALL_TARGETS}: {goals - missed} of {goals}" + (f"; {where}" if where else ""))


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(t) for t in sys.argv[4:]])
