#!/usr/bin/env bash
# scripts/spark_benchmark.sh: the Spark module (local mode) against the single-JVM streaming predict
# (`ml2tensor predict`'s code path) on the same CSV, model and cores, in one JVM, rounds alternating;
# writes the "Spark module vs single-JVM predict" section of BENCHMARKS.md.
#
#   scripts/spark_benchmark.sh [--rows N] [--cores C] [--rounds R] [--model FILE] [--work DIR] [--no-report]
#
#   --rows N      rows of the generated CSV (default 10000000; about 70 bytes a row for 6 features)
#   --cores C     Spark local[C] and the single JVM's parallel chunks (--threads C); default: nproc
#   --rounds R    timed rounds per side, best kept (default 2)
#   --model FILE  model (source or .onnx); default: the scikit-learn 1.9.1 GradientBoostingClassifier
#                 fixture (3 classes, 8 stages, depth 3, 6 features)
#   --work DIR    CSVs and outputs (default out/spark-bench/, git-ignored); the CSV is reused when present
#   --no-report   print the result line only, leave BENCHMARKS.md alone
#   --no-build    reuse the class folders copied by the previous run (WORKDIR/classes), build nothing
#
# Builds the spark module's test classes with Maven (no install), then runs
# org.ml2tensor.spark.SparkVsSingleJvmBenchmark (spark/src/test/java) with Spark's Java 17 flags.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rows=10000000
cores="$(nproc)"
rounds=2
model="conformance-tests/src/test/resources/fixtures/sklearn/gradient_boosting_classifier_multiclass__skl1.9.1/model.pkl"
work="out/spark-bench"
report=1
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --no-report) report=0; shift ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
work="$(cd "$work" && pwd)"

if [ "$build" = 1 ]; then
mvn -B -q -pl spark -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
fi

flags=(-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true)
# Run from a copy of this worktree's class folders, so that a rebuild during the run cannot break it.
snapshot="$work/classes"
if [ "$build" = 1 ]; then
rm -rf "$snapshot"
for entry in "$root/spark/target/test-classes" "$root/spark/target/classes" $(tr ':' ' ' <"$work/classpath.txt"); do
  case "$entry" in
    "$root"/*) rel="${entry#"$root"/}"; mkdir -p "$snapshot/$rel"; cp -r "$entry/." "$snapshot/$rel/"; entry="$snapshot/$rel" ;;
  esac
done
fi
snapshot="$work/classes"
cp=""
for entry in "$root/spark/target/test-classes" "$root/spark/target/classes" $(tr ':' ' ' <"$work/classpath.txt"); do
  case "$entry" in "$root"/*) entry="$snapshot/${entry#"$root"/}" ;; esac
  cp="${cp:+$cp:}$entry"
done
started="$(date -u +%Y-%m-%dT%H:%MZ)"
java -Xmx4g "${flags[@]}" -Dlog4j2.configurationFile=spark/src/test/resources/log4j2.properties -cp "$cp" \
  org.ml2tensor.spark.SparkVsSingleJvmBenchmark "$model" "$rows" "$cores" "$rounds" "$work" \
  2> >(tee "$work/benchmark.log" >&2) | tee "$work/result.txt"
result="$(grep '^RESULT ' "$work/result.txt" | tail -1)"
[ -n "$result" ] || { echo "no result" >&2; exit 1; }
[ "$report" = 1 ] || exit 0

load="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$result" "$started" "$load" "$(nproc)" "$rows" "$cores" "$rounds" <<'PY'
import re, sys
result, started, load, nproc, rows, cores, rounds = sys.argv[1:]
kv = dict(re.findall(r'(\w+)=(\S+)', result))
ratio = float(kv['spark_vs_single'])
loss = (1 - ratio) * 100
section = f"""<!-- spark-benchmark:begin (written by scripts/spark_benchmark.sh; do not edit by hand) -->
## Spark module vs single-JVM predict

`scripts/spark_benchmark.sh --rows {rows} --cores {cores} --rounds {rounds}` ({started}; {nproc} cores;
load average before the run: {load}). One JVM, the same CSV ({kv['rows']} rows × {kv['features']} float
columns, {kv['csv_mb']} MB) and model (`{kv['model']}`), best of {kv['rounds']} alternating rounds:

| path | seconds | rows/s |
|---|---:|---:|
| single JVM: `StreamingPredict.predictFile` (what `ml2tensor predict --device cpu --threads {cores}` runs) | {float(kv['single_s']):.2f} | {float(kv['single_rows_per_s']):,.0f} |
| Spark `local[{cores}]`: `read.csv` → `Ml2TensorModel.transform` → `write.csv` | {float(kv['spark_s']):.2f} | {float(kv['spark_rows_per_s']):,.0f} |
| Spark `local[{cores}]`: `read.csv` → `write.csv` of as many columns, no scoring (Spark's IO floor) | {float(kv['spark_io_s']):.2f} | {int(kv['rows']) / float(kv['spark_io_s']):,.0f} |

Scoring alone, the rows already in memory (a `float[]` given to `Predictor.predict` in 1M-row calls,
vs a cached DataFrame → `Ml2TensorModel.transform` → Spark's `noop` sink):

| path | seconds | rows/s |
|---|---:|---:|
| single JVM `Predictor.predict` ({cores} parallel chunks) | {float(kv['single_mem_s']):.2f} | {int(kv['rows']) / float(kv['single_mem_s']):,.0f} |
| Spark `local[{cores}]` `Ml2TensorModel.transform` | {float(kv['spark_mem_s']):.2f} | {int(kv['rows']) / float(kv['spark_mem_s']):,.0f} |

In memory, Spark / single JVM throughput: **{float(kv['single_mem_s']) / float(kv['spark_mem_s']):.2f}**.
End to end (CSV in, CSV out), Spark / single JVM throughput: **{ratio:.2f}** (Spark {'loses' if loss > 0 else 'gains'} {abs(loss):.0f}%; target: loses < 30%).
The machine is shared: with a load average well above its core count the absolute figures are low
and noisy; both sides run alternately in the same JVM, so the ratios are the comparable part.
Both outputs have the same label histogram: {kv['labels_equal']} ({kv['label_histogram'].replace('_', ' ')}).
Each row is its side's best round; the rows come from different rounds, so under load the IO floor
can even exceed the scoring run.
JVM start and compiling the model are excluded from both sides; both read and write CSV.
<!-- spark-benchmark:end -->
"""
path = 'BENCHMARKS.md'
text = open(path).read()
if '<!-- spark-benchmark:begin' in text:
    text = re.sub(r'<!-- spark-benchmark:begin.*?<!-- spark-benchmark:end -->\n', lambda m: section, text, flags=re.S)
else:
    text = text.rstrip('\n') + '\n\n' + section
open(path, 'w').write(text)
print(f"BENCHMARKS.md: Spark/single = {ratio:.2f}")
PY
