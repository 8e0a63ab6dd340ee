#!/usr/bin/env bash
# Runs `chainrule bench` and bench/pytorch_bench.py with the same thread count, case by case, alternately, for a
# number of rounds (each case of each tool in a fresh process), and prints a table per thread count (--threads 1,2
# runs both, case by case, and adds chainrule's speed-up from 1 thread to 2): case, each tool's median µs over
# the rounds, the ratio of the medians (PyTorch's time ÷ chainrule's: above 1, chainrule is faster), the lowest and
# highest ratio of one round's pair, GFLOP/s of both for the matrix products, and each case's target and whether the
# median meets it (bench/vs_table.py). The machine's speed drifts from minute to minute; measuring the two tools
# seconds apart and taking medians keeps a slow minute from deciding a ratio. --java runs chainrule on its pure-Java
# kernels (-Dchainrule.blas=java), against the pure-Java targets.
#
# Usage: bench/vs-pytorch.sh [--threads N[,N...]] [--rounds N] [--java] [--case NAME ...]
#        (default: 1 thread, 3 rounds, OpenBLAS when the system has it, every case)
# PYTHON names the interpreter that has PyTorch (default: /usr/bin/python3, where Debian's python3-torch lives).
# Builds examples/target/chainrule.jar with Maven (offline) if it is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
threads=1
rounds=3
blas=auto
cases=()
while (($#)); do
    case $1 in
        --threads) threads=${2:?--threads needs a number, or numbers separated by commas}; shift 2 ;;
        --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
        --case) cases+=("${2:?--case needs a name}"); shift 2 ;;
        --java) blas=java; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "vs-pytorch.sh: unknown argument '$1'; try --help" >&2; exit 2 ;;
    esac
done
IFS=, read -ra thread_counts <<< "$threads"
if [[ ! $threads =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] \
        || (($(printf '%s\n' "${thread_counts[@]}" | sort -u | wc -l) != ${#thread_counts[@]})); then
    echo "vs-pytorch.sh: --threads must be a positive number, or different ones separated by commas, got '$threads'" >&2
    exit 2
fi
if [[ ! $rounds =~ ^[1-9][0-9]*$ ]]; then
    echo "vs-pytorch.sh: --rounds must be a positive number, got '$rounds'" >&2
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

# Every name is checked before the first case runs, so that a typo does not cost the rounds before it
if ! known=$("$python" "$root/bench/pytorch_bench.py" --list) || [[ -z $known ]]; then
    echo "vs-pytorch.sh: $root/bench/pytorch_bench.py --list gave no case names" >&2
    exit 2
fi
for name in "${cases[@]}"; do
    if ! grep -qxF -- "$name" <<< "$known"; then
        echo "vs-pytorch.sh: no case named '$name'; the cases are:" >&2
        echo "$known" | sed 's/^/  /' >&2
        exit 2
    fi
done
if ((${#cases[@]} == 0)); then
    mapfile -t cases <<< "$known"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((round = 1; round <= rounds; round++)); do
    for i in "${!cases[@]}"; do
        for t in "${thread_counts[@]}"; do
            echo "vs-pytorch.sh: round $round of $rounds, $t thread(s): ${cases[i]}" >&2
            # OpenBLAS on one thread of its own, so that chainrule may use it and --threads alone sets the thread
            # count (without OpenBLAS, chainrule runs its Java kernels and says so in its header line). The Parallel
            # collector is the JVM's throughput collector, for training as for any batch job: G1, the default,
            # trades throughput for short pauses, and its teaching-size steps take about a fifth longer (README,
            # "Benchmarks"). -XX:+AlwaysPreTouch touches the heap's pages as the collector commits them, so that
            # no timed step pays a page fault for memory the heap grew into after the warm-up (README, "Benchmarks").
            OPENBLAS_NUM_THREADS=1 java -XX:+UseParallelGC -XX:+AlwaysPreTouch -Dchainrule.blas="$blas" \
                -jar "$jar" bench --json \
                --threads "$t" --case "${cases[i]}" > "$work/chainrule-t$t-$round-$i.json"
            "$python" "$root/bench/pytorch_bench.py" --json --threads "$t" --case "${cases[i]}" \
                > "$work/pytorch-t$t-$round-$i.json"
        done
    done
done

"$python" "$root/bench/vs_table.py" "$work" "$rounds" "${#cases[@]}" "${thread_counts[@]}"
