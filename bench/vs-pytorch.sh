#!/usr/bin/env bash
# Runs `chainrule bench` and bench/pytorch_bench.py with the same thread count and cases, one after the other, and
# prints a table: case, chainrule µs, PyTorch µs, ratio (PyTorch's time ÷ chainrule's: above 1, chainrule is faster),
# and GFLOP/s of both for the matrix products.
#
# Usage: bench/vs-pytorch.sh [--threads N] [--case NAME ...]   (default: 1 thread, every case)
# PYTHON names the interpreter that has PyTorch (default: /usr/bin/python3, where Debian's python3-torch lives).
# Builds examples/target/chainrule.jar with Maven (offline) if it is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
threads=1
cases=()
while (($#)); do
    case $1 in
        --threads) threads=${2:?--threads needs a number}; shift 2 ;;
        --case) cases+=(--case "${2:?--case needs a name}"); shift 2 ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "vs-pytorch.sh: unknown argument '$1'; try --help" >&2; exit 2 ;;
    esac
done
if [[ ! $threads =~ ^[1-9][0-9]*$ ]]; then
    echo "vs-pytorch.sh: --threads must be a positive number, got '$threads'" >&2
    exit 2
fi

if ! "$python" -c 'import torch' 2>/dev/null; then
    cat >&2 <<MESSAGE
vs-pytorch.sh: PyTorch is not installed for $python.
Install Debian's build:   apt-get install python3-torch python3-numpy
(and libopenblas0, or PyTorch's matrix products run on the reference BLAS, some 25 times slower),
and run with /usr/bin/python3 (the default; set PYTHON=/path/to/python3 for another interpreter that has torch).
MESSAGE
    exit 2
fi

jar=$root/examples/target/chainrule.jar
if [[ ! -f $jar ]]; then
    echo "vs-pytorch.sh: building $jar" >&2
    (cd "$root" && mvn -B -o -q -pl examples -am package -DskipTests)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "vs-pytorch.sh: chainrule bench, $threads thread(s)..." >&2
# OpenBLAS on one thread of its own, so that chainrule may use it and --threads alone sets the thread count
# (without OpenBLAS, chainrule runs its Java kernels and says so in its header line). The Parallel collector is
# the JVM's throughput collector, for training as for any batch job: G1, the default, trades throughput for short
# pauses, and its teaching-size steps take about a fifth longer (README, "Benchmarks").
OPENBLAS_NUM_THREADS=1 java -XX:+UseParallelGC -jar "$jar" bench --json --threads "$threads" "${cases[@]}" \
    > "$work/chainrule.json"
echo "vs-pytorch.sh: pytorch_bench.py, $threads thread(s)..." >&2
"$python" "$root/bench/pytorch_bench.py" --json --threads "$threads" "${cases[@]}" > "$work/pytorch.json"

"$python" - "$work/chainrule.json" "$work/pytorch.json" <<'PYTHON'
import json
import sys

chainrule, pytorch = (json.load(open(path)) for path in sys.argv[1:3])
print(f"# chainrule: {chainrule['jvm']}, gc {chainrule['collector']}, threads {chainrule['threads']}"
      f" ({chainrule['threadSetting']}), matmul {chainrule['matmul']}")
print(f"# pytorch {pytorch['torch']}: Python {pytorch['python']}, threads {pytorch['threads']}, BLAS {pytorch['blas']}")
if "/blas/" in pytorch["blas"]:
    print("# warning: PyTorch ran on the reference BLAS; apt-get install libopenblas0 for a fair comparison")
print(f"# {chainrule['date']}; ratio = PyTorch's time / chainrule's (above 1: chainrule is faster)")
print(f"{'case':32s} {'chainrule us':>14s} {'PyTorch us':>14s} {'ratio':>8s} {'GFLOP/s':>10s} {'PyTorch':>10s}")
theirs = {case["name"]: case for case in pytorch["cases"]}
for ours in chainrule["cases"]:
    other = theirs[ours["name"]]
    row = (f"{ours['name']:32s} {ours['microseconds']:14.2f} {other['microseconds']:14.2f}"
           f" {other['microseconds'] / ours['microseconds']:8.3f}")
    if ours["gflops"] is not None:
        row += f" {ours['gflops']:10.2f} {other['gflops']:10.2f}"
    print(row)
PYTHON
