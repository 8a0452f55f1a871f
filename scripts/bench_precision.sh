#!/usr/bin/env bash
# scripts/bench_precision.sh: what the default precision (auto: float64 input, comparisons and sums for
# LightGBM) costs against the fast float32 graphs, on a LightGBM model of 500 trees (num_leaves 256,
# max_depth 8, 28 features: lgbm_500x256 from importers/src/test/python/make_bench_models.py) at batch
# 100,000 on the CPU, every portable strategy at both precisions side by side in one process
# (`ml2tensor bench --precisions auto,float32`), next to ONNX Runtime's native float32 TreeEnsemble and
# LightGBM's own predictor (lightgbm4j). Writes RESULTS/precision.json and .md and replaces the section
# "Precision: float64 comparisons vs the fast float32 graphs" of BENCHMARKS.md (scripts/benchmarks.sh keeps
# it: scripts/benchmarks_report.py includes RESULTS/precision.json when present).
#
#   scripts/bench_precision.sh [--work DIR] [--results DIR] [--seconds S] [--threads N]
# Environment: BENCH_VENV (default .venv-bench; needs lightgbm 4.7.0 and numpy) makes the model when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work=out/bench-models
results=out/bench-results
seconds=3
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work" "$results"
model="$work/lgbm_500x256.txt"
if [ ! -f "$model" ]; then
  venv="${BENCH_VENV:-.venv-bench}"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q numpy lightgbm==4.7.0
  fi
  "$venv/bin/python" importers/src/test/python/make_bench_models.py "$work" --train-rows 100000
fi
cmd=(./ml2tensor bench "$model" --batch 100000 --strategies all --precisions auto,float32 --device cpu
     --threads "$threads" --seconds "$seconds" --min-calls 3 --no-reference
     --json "$results/precision.json" --markdown "$results/precision.md")
echo "${cmd[*]}" > "$results/precision_command.txt"
"${cmd[@]}"
python3 scripts/benchmarks_report.py --splice-precision "$results" BENCHMARKS.md
