#!/usr/bin/env bash
# scripts/fuzz.sh: longer runs of the seeded mutation fuzz than CI's (5,000 cases per format family).
#
#   scripts/fuzz.sh [--cases N] [--seed S] [--minutes M] [--families importers|onnx|all]
#
# Each round runs, in child JVMs limited to a 512 MiB heap (the promised bound for the small fixtures):
#   - importers: org.ml2tensor.importers.fuzz.ImporterFuzz (importers test sources): pickle, joblib with
#     every codec (none, zlib, gzip, bz2, lzma, xz, lz4; the decoded pickle is mutated and compressed again,
#     or the compressed bytes are mutated), XGBoost JSON and UBJSON, LightGBM text; each case is imported
#     and, when that succeeds, compiled;
#   - onnx: org.ml2tensor.runtime.fuzz.OnnxFuzz (runtime test sources): mutated .onnx models opened with
#     Predictor.open and, when that succeeds, run on two rows.
# Every case must end in success or an Ml2TensorException whose code is in README's exit-code list for
# model files, within 10 s, leaving no file behind; an OutOfMemoryError or any other exception fails it.
#
# Options:
#   --cases N      cases per family and round (default 20000)
#   --seed S       seed of the first round (default: the current time); round k uses S+k
#   --minutes M    keep starting rounds until M minutes have passed (default: one round)
#   --families F   importers, onnx or all (default all)
#
# Reproduce a failure with the seed and case count it printed:
#   mvn -B -q -pl importers -am test -Dtest=ImporterFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
#       -Dml2tensor.fuzz.seed=S -Dml2tensor.fuzz.cases=N
set -euo pipefail
cd "$(dirname "$0")/.."

cases=20000
seed=$(date +%s)
minutes=0
families=all
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --families) families="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$families" in
  importers) modules=importers; tests=ImporterFuzzTest ;;
  onnx) modules=runtime; tests=OnnxFuzzTest ;;
  all) modules=importers,runtime; tests='ImporterFuzzTest,OnnxFuzzTest' ;;
  *) echo "--families must be importers, onnx or all" >&2; exit 2 ;;
esac

# a case takes well under 0.2 s; give the child JVM room
timeout=$(( cases / 5 + 600 ))
start=$(date +%s)
round=0
while :; do
  s=$(( seed + round ))
  echo "== fuzz round $round: seed $s, $cases cases per family ($families)"
  mvn -B -q -pl "$modules" -am test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dml2tensor.fuzz.seed="$s" -Dml2tensor.fuzz.cases="$cases" -Dml2tensor.fuzz.timeout="$timeout" \
      | grep -E '^(FUZZ|  FAIL)' || { echo "fuzz round $round (seed $s) FAILED" >&2; exit 1; }
  round=$(( round + 1 ))
  if (( minutes <= 0 )) || (( $(date +%s) - start >= minutes * 60 )); then
    break
  fi
done
echo "fuzz: $round round(s) passed, seeds $seed..$(( seed + round - 1 ))"
