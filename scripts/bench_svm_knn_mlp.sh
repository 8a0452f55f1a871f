#!/usr/bin/env bash
# SVM / k-NN / MLP benchmark (issue 12): `ml2tensor bench` (the compiled graph on ONNX Runtime's CPU provider vs
# the single-threaded EJML reference evaluator, same rows, one process) at batch 1 / 1,000 / 100,000 on models
# fitted by scikit-learn 1.9.1, and writes the "SVMs, nearest neighbours and MLPs" section of BENCHMARKS.md
# (between the svm-knn-mlp-benchmark markers).
#
# usage: scripts/bench_svm_knn_mlp.sh [--dir DIR] [--python PY] [--seconds S] [--threads N] [--models M,M...]
#                                    [--output FILE]   (default BENCHMARKS.md)
# defaults: DIR /tmp/ml2tensor-svm-knn-mlp-bench, PY /work/venvs/skl-1.9.1/bin/python (scikit-learn 1.9.1),
# 1 second per candidate and batch, --threads 2 (two parallel single-threaded ONNX Runtime runs), every model.
# --models benches only those; the section lists every model whose results are in DIR.
# Models: svc_rbf (3 classes, 20 features, ~900 support vectors), svc_rbf_proba (the same with probability=True),
# knn_euclid (k=5, 1,000 training rows x 20), knn_manhattan (k=5, distance weights, 1,000 x 20),
# knn_chebyshev and knn_minkowski3 (classifiers, k=5, metric chebyshev / minkowski p=3, 1,000 x 20),
# mlp (MLPClassifier 20-64-32-3, relu).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=/tmp/ml2tensor-svm-knn-mlp-bench; py=/work/venvs/skl-1.9.1/bin/python; seconds=1; threads=2; output=BENCHMARKS.md
models="svc_rbf,svc_rbf_proba,knn_euclid,knn_manhattan,knn_chebyshev,knn_minkowski3,mlp"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift ;;
    --python) py="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --models) models="$2"; shift ;;
    --output) output="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir"
load_start="$(cut -d' ' -f1 /proc/loadavg)"; commit="$(git -C "$root" rev-parse --short HEAD)"
"$py" - "$dir" <<'PY'
import pickle, sys, warnings
from pathlib import Path
import numpy as np
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
out = Path(sys.argv[1])
X, y = make_classification(n_samples=2000, n_features=20, n_informative=10, n_classes=3, random_state=0)
X = np.round(X, 3)
warnings.simplefilter("ignore")
models = {
    "svc_rbf": SVC(kernel="rbf", C=1.0).fit(X, y),
    "svc_rbf_proba": SVC(kernel="rbf", C=1.0, probability=True, random_state=0).fit(X, y),
    "knn_euclid": KNeighborsClassifier(n_neighbors=5).fit(X[:1000], y[:1000]),
    "knn_manhattan": KNeighborsRegressor(n_neighbors=5, weights="distance", p=1).fit(X[:1000], X[:1000, 0]),
    "knn_chebyshev": KNeighborsClassifier(n_neighbors=5, metric="chebyshev").fit(X[:1000], y[:1000]),
    "knn_minkowski3": KNeighborsClassifier(n_neighbors=5, p=3).fit(X[:1000], y[:1000]),
    "mlp": MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=200, random_state=0).fit(X, y),
}
for name, m in models.items():
    p = out / f"{name}.pkl"
    if not p.exists():
        p.write_bytes(pickle.dumps(m, protocol=4))
    extra = f", {m.support_vectors_.shape[0]} support vectors" if hasattr(m, "support_vectors_") else ""
    print(name, type(m).__name__ + extra)
PY
cd "$root"
./ml2tensor --version >/dev/null
for m in ${models//,/ }; do
  echo "bench $m ..." >&2
  ./ml2tensor bench "$dir/$m.pkl" --batch 1,1000,100000 --threads "$threads" --seconds "$seconds" \
    --markdown "$dir/$m.md" > "$dir/$m.out" 2> "$dir/$m.err"
done
case "$output" in /*) ;; *) output="$root/$output" ;; esac
"$py" - "$output" "$dir" "$threads" "$load_start" "$commit" <<'PY'
import sys, re, platform, os, time
from pathlib import Path
bench, d, threads, load, commit = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
begin = "<!-- svm-knn-mlp-benchmark:begin (scripts/bench_svm_knn_mlp.sh writes this section) -->"
end = "<!-- svm-knn-mlp-benchmark:end -->"
lines = [begin, "## SVMs, nearest neighbours and MLPs (issue 12)", "",
         f"`scripts/bench_svm_knn_mlp.sh`: `./ml2tensor bench MODEL --batch 1,1000,100000 --threads {threads}` on CPU "
         f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, {os.cpu_count()} cores, load average "
         f"{load} at the start and {os.getloadavg()[0]:.1f} at the end; the ratios come from alternating rounds in one "
         "process, absolute rows/s depend on the load), models fitted by "
         "scikit-learn 1.9.1 on make_classification (2,000 rows x 20; k-NN: the first 1,000). "
         "The graph runs on ONNX Runtime (two parallel single-threaded runs); the peer is the single-threaded EJML "
         "reference evaluator (`reference`), on the same rows in the same process. Ratios are rows/s over the "
         "reference's.", ""]
for m in ["svc_rbf", "svc_rbf_proba", "knn_euclid", "knn_manhattan", "knn_chebyshev", "knn_minkowski3", "mlp"]:
    if not (d / f"{m}.md").exists():
        continue
    md = (d / f"{m}.md").read_text()
    md = re.sub(r"^# ", "### ", md, flags=re.M)
    md = re.sub(r"^## ", "#### ", md, flags=re.M)
    lines += [f"### {m}", "", md.strip(), ""]
lines.append(end)
section = "\n".join(lines) + "\n"
text = bench.read_text()
a, b = text.find(begin), text.find(end)
text = text[:a] + section + text[b + len(end) + 1:] if a >= 0 and b > a else text.rstrip("\n") + "\n\n" + section
bench.write_text(text)
print("wrote the SVM / k-NN / MLP section of", bench)
PY
