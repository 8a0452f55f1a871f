#!/usr/bin/env bash
# Stacking against the sum of its parts (issue 13): a StackingClassifier (RandomForest 100 trees depth 8, rbf SVC,
# LogisticRegression → LogisticRegression) fitted by scikit-learn 1.9.1 is compiled once as one graph, and its
# parts (the three fitted base estimators and the final estimator) are compiled separately, all with
# `ml2tensor compile` at the default precision (the forest part with --precision float64: alone it would be a
# float32 graph, 2.6e-7 off the stack's float64 probabilities). In ONE Python process, with ONNX Runtime sessions of one
# intra-op thread each, batch 100,000 decimal rows: the combined graph against the parts run one after another
# (each base model, numpy concatenation of their stack_method_ outputs, the final model), in alternating rounds.
# Checks that both give scikit-learn's predict_proba (1e-9), then writes the "Stacking against its parts" section
# of BENCHMARKS.md (between the stacking-benchmark markers).
#
# usage: scripts/bench_stacking.sh [--dir DIR] [--python PY] [--rounds N] [--batch N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=/tmp/ml2tensor-stacking-bench; py=/work/venvs/skl-1.9.1/bin/python; rounds=5; batch=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift ;;
    --python) py="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --batch) batch="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir"
"$py" - "$dir" "$batch" <<'PY'
import pickle, sys, warnings
from pathlib import Path
import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier, StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
warnings.simplefilter("ignore")
out, batch = Path(sys.argv[1]), int(sys.argv[2])
X, y = make_classification(n_samples=1500, n_features=20, n_informative=10, n_classes=3, random_state=0)
X = np.round(X, 3)
stack = StackingClassifier([("rf", RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)),
                            ("svc", SVC(kernel="rbf")), ("lr", LogisticRegression(max_iter=500))],
                           final_estimator=LogisticRegression(max_iter=500), cv=3).fit(X[:500], y[:500])
parts = {"stack": stack, "part_rf": stack.estimators_[0], "part_svc": stack.estimators_[1],
         "part_lr": stack.estimators_[2], "part_final": stack.final_estimator_}
for name, m in parts.items():
    (out / f"{name}.pkl").write_bytes(pickle.dumps(m, protocol=4))
rng = np.random.RandomState(7)
rows = np.round(rng.normal(size=(batch, 20)) * 1.5, 3)
np.save(out / "rows.npy", rows)
np.save(out / "expected.npy", stack.predict_proba(rows))
(out / "stack_method.txt").write_text(",".join(stack.stack_method_))
print("stack_method_", stack.stack_method_, "support vectors", stack.estimators_[1].support_vectors_.shape[0])
PY
cd "$root"
for m in stack part_rf part_svc part_lr part_final; do
  rm -f "$dir/$m.onnx"
  # a forest alone compiles to a float32 graph (float32 probabilities); float64 keeps the parts as exact as the stack
  extra=(); [ "$m" = part_rf ] && extra=(--precision float64)
  ./ml2tensor compile "$dir/$m.pkl" -o "$dir/$m.onnx" "${extra[@]}" >/dev/null 2>"$dir/$m.compile.err" || { cat "$dir/$m.compile.err"; exit 1; }
done
"$py" - "$dir" "$rounds" "$root/BENCHMARKS.md" <<'PY'
import os, platform, statistics, sys, time
from pathlib import Path
import numpy as np
import onnxruntime as ort
d, rounds, bench = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
rows = np.load(d / "rows.npy")
expected = np.load(d / "expected.npy")
methods = (d / "stack_method.txt").read_text().split(",")

def session(name):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    s = ort.InferenceSession(str(d / f"{name}.onnx"), so, providers=["CPUExecutionProvider"])
    i = s.get_inputs()[0]
    dtype = np.float32 if "float)" in i.type or i.type == "tensor(float)" else np.float64
    return s, i.name, dtype

stack = session("stack")
parts = [session(n) for n in ("part_rf", "part_svc", "part_lr")]
final = session("part_final")

def run(s, x, want):
    sess, name, dtype = s
    outs = [o.name for o in sess.get_outputs()]
    return sess.run([want if want in outs else outs[0]], {name: x.astype(dtype, copy=False)})[0]

def combined():
    return run(stack, rows, "probabilities")

def separately():
    cols = []
    for s, m in zip(parts, methods):
        cols.append(run(s, rows, "probabilities" if m == "predict_proba" else "scores"))
    return run(final, np.hstack(cols), "probabilities")

for f in (combined, separately):
    got = f()
    err = np.max(np.abs(got - expected) / (1e-9 + 1e-9 * np.abs(expected)))
    assert err <= 1.0, (f.__name__, np.max(np.abs(got - expected)))
times = {"combined": [], "separately": []}
for r in range(rounds):
    for name, f in (("combined", combined), ("separately", separately)) if r % 2 == 0 else \
            (("separately", separately), ("combined", combined)):
        t = time.perf_counter()
        f()
        times[name].append(time.perf_counter() - t)
med = {k: statistics.median(v) for k, v in times.items()}
n = len(rows)
begin = "<!-- stacking-benchmark:begin (scripts/bench_stacking.sh writes this section) -->"
end = "<!-- stacking-benchmark:end -->"
lines = [begin, "## Stacking against its parts (issue 13)", "",
         f"`scripts/bench_stacking.sh` ({time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, load "
         f"average {os.getloadavg()[0]:.1f} at the end, onnxruntime {ort.__version__}, one intra-op thread per "
         f"session): a StackingClassifier (RandomForest 100 trees depth 8, rbf SVC, LogisticRegression → "
         f"LogisticRegression, 3 classes, 20 features, stack_method_ {', '.join(methods)}) fitted by scikit-learn "
         f"1.9.1, compiled as one graph, against its four fitted parts compiled separately and run one after "
         f"another (numpy concatenates the base outputs for the final model) — what a user would otherwise run. "
         f"Same process, same {n:,} decimal rows per call, {rounds} alternating rounds, median; both equal "
         f"scikit-learn's predict_proba within 1e-9.", "",
         "| form | median s per call | rows/s | vs parts |", "|---|---:|---:|---:|"]
for k, label in (("combined", "one stacking graph"), ("separately", "parts one after another")):
    lines.append(f"| {label} | {med[k]:.3f} | {n / med[k]:,.0f} | {med['separately'] / med[k]:.2f}× |")
lines += ["", end]
section = "\n".join(lines) + "\n"
text = bench.read_text()
a, b = text.find(begin), text.find(end)
text = text[:a] + section + text[b + len(end) + 1:] if a >= 0 and b > a else text.rstrip("\n") + "\n\n" + section
bench.write_text(text)
print("\n".join(lines))
PY
