#!/usr/bin/env bash
# Out-of-core training benchmark (issue 14): SGDClassifier on ROWS x 5 features (make_classification), CSV.
#   (b) chunked: `ml2tensor train` with --chunk-rows, one pass  vs  scikit-learn's pd.read_csv(chunksize)+partial_fit
#   (a) full:    `ml2tensor train --fit` (all rows in memory, fit's max_iter/tol epochs)  vs  scikit-learn's fit
# Wall time, CPU time and peak RSS come from /usr/bin/time -v; coefficients from the written joblib files;
# held-out accuracy on the first --holdout rows. Writes the "Out-of-core training" section of BENCHMARKS.md.
#
# usage: scripts/train_benchmark.sh [--rows N] [--chunk-rows N] [--holdout N] [--dir DIR] [--python PY]
#                                   [--skip-sklearn] [--skip-fit] [--skip-read] [--repeat N] [--note TEXT]
# --repeat N (default 3) runs the chunked pair (ml2tensor (b), scikit-learn (b)) N times, alternating, and reports
# every pair's wall-time and CPU-time ratio with the load average at its start, and the smallest of each (the table
# shows the median pair by CPU-time ratio); on a loaded machine the CPU-time ratio is the steadier figure; --skip-fit keeps the (a) rows of the
# section already in BENCHMARKS.md, marked as an earlier run; --skip-read likewise keeps the reader-alone lines
# (ReadSpeedBenchmark reads the file 8 times: minutes on a loaded machine).
# defaults: 20,000,000 rows (CSV ~1 GB, written once into DIR, not committed), chunks of 400,000, holdout 200,000,
# DIR /tmp/ml2tensor-train-bench, PY .venv-train/bin/python, else /usr/bin/python3 (needs scikit-learn and pandas).
# Time: the three (b) pairs took 2-4 minutes at load 15-25 (the reader step ~3 more; --skip-read); the (a) pair
# (scikit-learn's fit: ~250 s on a quiet machine, 15 min at load 20) is most of a full run (--skip-fit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=20000000; chunk=400000; holdout=200000; dir=/tmp/ml2tensor-train-bench; py="$root/.venv-train/bin/python"
skip_sklearn=0; skip_fit=0; skip_read=0; repeat=3; note=
# without the project's venv, the system Python if it has scikit-learn and pandas (Debian: 1.2.1)
if [ ! -x "$py" ] && /usr/bin/python3 -c "import sklearn, pandas" 2>/dev/null; then py=/usr/bin/python3; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift ;;
    --chunk-rows) chunk="$2"; shift ;;
    --holdout) holdout="$2"; shift ;;
    --dir) dir="$2"; shift ;;
    --python) py="$2"; shift ;;
    --skip-sklearn) skip_sklearn=1 ;;
    --skip-fit) skip_fit=1 ;;
    --skip-read) skip_read=1 ;;
    --repeat) repeat="$2"; shift ;;
    --note) note="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir/results"
csv="$dir/classification-$rows.csv"
helper="$root/scripts/train_benchmark.py"
if [ ! -s "$csv" ]; then
  echo "writing $csv ..." >&2
  "$py" "$helper" make "$csv.tmp" "$rows" && mv "$csv.tmp" "$csv"
fi
(cd "$root" && ./ml2tensor --version >/dev/null)
sk_version=$("$py" -c "import sklearn; print(sklearn.__version__)")
# ml2tensor writes the pickle for, and follows the semantics of, the scikit-learn it is compared with
case "$sk_version" in 1.[2-5].*) sk_semantics=1.2 ;; *) sk_semantics=1.9 ;; esac

# timed CMD...: runs CMD under /usr/bin/time -v; sets wall, cpu, rss_mb; stdout in $dir/out.txt
timed() {
  load1=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt" || { cat "$dir/err.txt" >&2; return 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$dir/time.txt")
  rss_mb=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$dir/time.txt")
}

java_run() { # NAME JAVA_OPTS EXTRA...
  local name="$1" opts="$2"; shift 2
  echo "ml2tensor train $name ..." >&2
  ML2TENSOR_NO_BUILD=1 ML2TENSOR_JAVA_OPTS="$opts" timed "$root/ml2tensor" train SGDClassifier --input "$csv" \
    --target y --classes 0,1 --set random_state=0 --holdout-rows "$holdout" --chunk-rows "$chunk" -q --sklearn "$sk_semantics" \
    -o "$dir/$name.joblib" "$@"
  local acc; acc=$(awk '/held out: accuracy/ {print $4}' "$dir/out.txt")
  "$py" "$helper" describe "$dir/$name.joblib" | "$py" -c "
import json,sys; d=json.load(sys.stdin); d.update(wall=$wall, cpu=$cpu, rss_mb=$rss_mb, accuracy=$acc, load=$load1); print(json.dumps(d))" \
    > "$dir/results/java-$name.json"
  cat "$dir/results/java-$name.json" >&2
}

sk_run() { # NAME MODE ARGS...
  local name="$1"; shift
  echo "scikit-learn $name ..." >&2
  timed "$py" "$helper" "$@"
  "$py" -c "
import json,sys; d=json.loads(open('$dir/out.txt').read().strip().splitlines()[-1]); d.update(wall=$wall, cpu=$cpu, rss_mb=$rss_mb, load=$load1); print(json.dumps(d))" \
    > "$dir/results/sk-$name.json"
  cat "$dir/results/sk-$name.json" >&2
}

rm -f "$dir"/results/*.json
if [ "$skip_read" = 0 ]; then
  echo "reader speed ..." >&2
  (cd "$root" && mvn -B -q -o -pl train -am test-compile >/dev/null)
  java -cp "$root/train/target/classes:$root/cli/target/lib/*:$root/train/target/test-classes" org.ml2tensor.train.ReadSpeedBenchmark "$csv" \
    > "$dir/results/read.json"
  cat "$dir/results/read.json" >&2
fi
for r in $(seq 1 "$repeat"); do
  java_run "b-$r" "-Xmx512m"
  [ "$skip_sklearn" = 1 ] || sk_run "b-$r" sklearn-partial "$csv" "$holdout" "$chunk"
done
"$py" "$helper" median "$dir/results"
if [ "$skip_fit" = 0 ]; then
  java_run a "-Xmx8g" --fit
  [ "$skip_sklearn" = 1 ] || sk_run a sklearn-fit "$csv" "$holdout"
fi
csv_mb=$(( $(stat -c %s "$csv") / 1000000 ))
load=$(cut -d' ' -f1-3 /proc/loadavg)
BENCH_NOTE="$note" "$py" -c "
import json, os; json.dump({'rows': $rows, 'chunk': $chunk, 'holdout': $holdout, 'csv_mb': $csv_mb, 'sklearn': '$sk_version',
 'machine': '$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average $load at the end',
 'note': os.environ.get('BENCH_NOTE', '')}, open('$dir/results/meta.json', 'w'))"
"$py" "$helper" report "$dir/results" "$root/BENCHMARKS.md"
echo "updated BENCHMARKS.md (results in $dir/results)" >&2
