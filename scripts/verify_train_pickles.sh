#!/usr/bin/env bash
# Trains every kind of model `ml2tensor train` writes (SGD family, naive Bayes, scalers, a scaler pipeline,
# IncrementalPCA, MiniBatchKMeans), each as a scikit-learn pickle (--sklearn 1.9 and 1.2) and, where the IR
# has the model, as float64 ONNX; then loads every pickle in each scikit-learn given and checks that it
# predicts/transforms what the ONNX graph computes (ONNX Runtime) and what that scikit-learn's own
# partial_fit on the same chunks gives. Exit status 1 on any mismatch or load failure. Not run by CI (no Python).
#
# usage: scripts/verify_train_pickles.sh [--out DIR] [--pythons P1,P2,...] [--onnx-python P]
# defaults: DIR /tmp/ml2tensor-verify-pickles; the pythons of this machine's scikit-learn 1.2.1 (Debian),
# 1.6.1 and 1.9.1 venvs; the ONNX step needs onnxruntime (default: the 1.9.1 venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out=/tmp/ml2tensor-verify-pickles
pythons=/usr/bin/python3,/work/venvs/skl-1.6.1/bin/python,/work/venvs/skl-1.9.1/bin/python
onnx_py=/work/venvs/skl-1.9.1/bin/python
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --pythons) pythons="$2"; shift ;;
    --onnx-python) onnx_py="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
rm -rf "$out" && mkdir -p "$out"
(cd "$root" && ./ml2tensor --version >/dev/null)
# The helper drives the CLI; its ONNX step runs in $onnx_py, the checks in every python given.
"$onnx_py" "$root/scripts/verify_train_pickles.py" run --ml2tensor "$root/ml2tensor" --out "$out" --pythons "$pythons" \
  | tee "$out/summary.jsonl" \
  | "$onnx_py" -c '
import json, sys
bad = 0
for line in sys.stdin:
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    print("scikit-learn %s: %d pickles, %d failures" % (d["sklearn"], d["models"], d["failures"]))
    for r in d["results"]:
        if not r["ok"]:
            bad += 1
            print("  FAIL", r["model"], r.get("error", ""), "; ".join(r.get("checks", [])))
sys.exit(1 if bad else 0)'
