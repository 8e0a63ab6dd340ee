#!/usr/bin/env python3
"""PyTorch's side of `chainrule bench`: the same cases, names, steps and printed lines, so the two compare line by line.

Usage: /usr/bin/python3 bench/pytorch_bench.py [--threads N] [--case NAME ...] [--steps N] [--json] [--list]
Needs Debian's PyTorch (apt-get install python3-torch python3-numpy, and libopenblas0 for a fast BLAS; run it with
/usr/bin/python3), except for --list.

A training step: forward through Linear layers with sigmoid hidden units, softmax cross-entropy, zero_grad, backward,
SGD with lr 0.1, all in float64. A matmul case: one n x n product, A.B, At.B or A.Bt. Each case runs
max(5, steps // 10) times and for at least a second to warm up, then in rounds of `steps` steps on the clock until a
second has passed, and the median round is reported; steps is about 2e9 / flops for training (at least 20; 5000 for
mazur and xor) and 4e9 / 2n^3 for a product (at least 10), as in torch_mlp_bench.py.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import statistics
import sys
import time


def training(name, widths, batch, steps=0):
    return {"name": name, "kind": "training", "widths": widths, "batch": batch, "steps": steps}


def product(form, n):
    return {"name": f"matmul-{form} n{n}", "kind": "matmul", "form": form, "n": n}


CASES = [
    training("mazur-2-2-2 b1", [2, 2, 2], 1, steps=5000),
    training("xor-2-4-2 b4", [2, 4, 2], 4, steps=5000),
    training("ng-400-25-10 b5000", [400, 25, 10], 5000),
    *[training(f"mlp-784-256-128-10 b{b}", [784, 256, 128, 10], b) for b in (1, 32, 128, 1024)],
    training("mlp-784-1024-1024-10 b256", [784, 1024, 1024, 10], 256),
    *[product(form, n) for n in (256, 512, 1024) for form in ("A.B", "At.B", "A.Bt")],
]


def blas():
    """The BLAS that Debian's PyTorch loads: whichever libblas.so.3 the alternatives point at. The reference BLAS
    (.../blas/libblas.so.3) is some 25 times slower than OpenBLAS (libopenblas0) on a matrix product."""
    found = glob.glob("/usr/lib/*/libblas.so.3")
    return os.path.realpath(found[0]) if found else "unknown"


def flops(case):
    if case["kind"] == "matmul":
        return 2 * case["n"] ** 3
    widths = case["widths"]
    return 6 * case["batch"] * sum(a * b for a, b in zip(widths, widths[1:]))


def default_steps(case):
    if case["kind"] == "matmul":
        return max(10, int(4e9 / flops(case)))
    return case["steps"] or max(20, int(2e9 / flops(case)))


def training_step(torch, case):
    widths, batch = case["widths"], case["batch"]
    layers = [torch.nn.Linear(a, b).to(torch.float64) for a, b in zip(widths, widths[1:])]
    opt = torch.optim.SGD([p for layer in layers for p in layer.parameters()], lr=0.1)
    x = torch.randn(batch, widths[0], dtype=torch.float64)
    y = torch.randint(0, widths[-1], (batch,))

    def step():
        h = x
        for layer in layers[:-1]:
            h = torch.sigmoid(layer(h))
        loss = torch.nn.functional.cross_entropy(layers[-1](h), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


def matmul_op(torch, case):
    n = case["n"]
    a = torch.randn(n, n, dtype=torch.float64)
    b = torch.randn(n, n, dtype=torch.float64)
    return {"A.B": lambda: a @ b, "At.B": lambda: a.t() @ b, "A.Bt": lambda: a @ b.t()}[case["form"]]


WARMUP_SECONDS = 1.0
TIMED_SECONDS = 1.0


def run(torch, case, steps):
    op = matmul_op(torch, case) if case["kind"] == "matmul" else training_step(torch, case)
    # As chainrule's bench: max(5, steps / 10) steps, and on until WARMUP_SECONDS have passed (chainrule's also
    # waits for its JIT to stop compiling and its heap to stop growing; PyTorch has neither to wait for).
    warmup = 0
    warmup_end = time.perf_counter() + WARMUP_SECONDS
    while warmup < max(5, steps // 10) or time.perf_counter() < warmup_end:
        op()
        warmup += 1
    # Rounds of `steps` steps until TIMED_SECONDS have passed; the median round is reported.
    rounds = []
    timed_end = time.perf_counter() + TIMED_SECONDS
    while True:
        start = time.perf_counter()
        for _ in range(steps):
            op()
        rounds.append((time.perf_counter() - start) / steps)
        if time.perf_counter() >= timed_end:
            break
    seconds = statistics.median(rounds)
    matmul = case["kind"] == "matmul"
    return {"name": case["name"], "kind": case["kind"], "steps": steps, "rounds": len(rounds), "warmup": warmup,
            "microseconds": seconds * 1e6,
            "samplesPerSecond": None if matmul else case["batch"] / seconds,
            "gflops": flops(case) / seconds / 1e9 if matmul else None}


def line(result):
    if result["samplesPerSecond"] is not None:
        return (f"{result['name']:32s} {result['microseconds']:12.1f} us/step"
                f" {result['samplesPerSecond']:14.0f} samples/s")
    return f"{result['name']:32s} {result['microseconds']:12.1f} us/op   {result['gflops']:14.1f} GFLOP/s"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, metavar="N", help="threads for PyTorch (default: 1)")
    parser.add_argument("--case", action="append", default=[], metavar="NAME", help="run only this case (repeatable)")
    parser.add_argument("--steps", type=int, metavar="N", help="time N steps of every case")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of lines")
    parser.add_argument("--list", action="store_true", help="print the case names, one a line, and stop")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(case["name"] for case in CASES))
        return 0
    if args.threads < 1:
        parser.error(f"--threads must be at least 1, got {args.threads}")
    if args.steps is not None and args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    by_name = {case["name"]: case for case in CASES}
    for name in args.case:
        if name not in by_name:
            parser.error(f"no case named '{name}'; the cases are " + ", ".join(f"'{n}'" for n in by_name))
    cases = [by_name[name] for name in args.case] or CASES

    # Debian's PyTorch calls OpenBLAS, which starts its own threads unless told before it loads.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import torch  # after the thread settings above

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    report = {"tool": "pytorch", "torch": torch.__version__, "python": platform.python_version(), "blas": blas(),
              "threads": torch.get_num_threads(), "threadSetting": "torch.set_num_threads",
              "date": datetime.datetime.now().astimezone().replace(microsecond=0).isoformat(), "cases": []}
    if not args.json:
        print(f"# pytorch {report['torch']} | Python {report['python']} | BLAS {report['blas']}"
              f" | threads {report['threads']} ({report['threadSetting']}) | {report['date']}", flush=True)
    for case in cases:
        result = run(torch, case, args.steps or default_steps(case))
        report["cases"].append(result)
        if not args.json:
            print(line(result), flush=True)
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
