#!/usr/bin/env bash
# scripts/opset_conformance.sh: the whole fixture conformance suite (every committed scikit-learn,
# pipeline, decimal-input, XGBoost and LightGBM fixture × every strategy × precision, plus the synthetic
# linear models) compiled at each of several ONNX opsets, instead of the default one only.
#
#   scripts/opset_conformance.sh [--opsets 13,17,21] [extra Maven arguments, e.g. -Dtest='Sklearn*']
#
# Sets the system property ml2tensor.conformance.opsets, which FixtureRun.run reads (each run is repeated at each opset and must give identical outputs); CI runs the
# suite at the default opset, and SyntheticTreeConformanceTest covers every strategy at 13, 17 and 21.
# Builds only what conformance-tests needs (no install). Prints Maven's test summary and the wall time; the full log is out/opset-conformance.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
opsets="13,17,21"
if [ "${1:-}" = "--opsets" ]; then
  opsets="$2"
  shift 2
fi
mkdir -p out
log="out/opset-conformance.log"
start=$(date +%s)
status=0
mvn -B -pl conformance-tests -am test -Dml2tensor.conformance.opsets="$opsets" \
  -Dtest='*ConformanceTest' \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1 || status=$?
grep -E 'Tests run:|FAIL|BUILD' "$log" | grep -v '^\[INFO\] Tests run: [0-9]*, Failures: 0, Errors: 0, Skipped: 0, Time' || true
echo "opset_conformance: opsets $opsets, $(( $(date +%s) - start )) s, Maven exit status $status"
exit "$status"
