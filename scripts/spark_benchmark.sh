#!/usr/bin/env bash
# scripts/spark_benchmark.sh: the Spark module (local mode) against the single JVM (`Predictor`, and the
# streaming predict that `ml2tensor predict` runs) on the same rows, model and cores, in one JVM:
# scoring in memory (rounds interleaved), then CSV in / CSV out;
# writes the "Spark module vs single-JVM predict" section of BENCHMARKS.md.
#
#   scripts/spark_benchmark.sh [--rows N] [--cores C] [--rounds R] [--csv-rounds K] [--model FILE] [--work DIR] [--no-report]
#
#   --rows N      rows of the generated CSV (default 10000000; about 70 bytes a row for 6 features)
#   --cores C     Spark local[C] and the single JVM's parallel chunks (--threads C); default: nproc
#   --rounds R    in-memory rounds, every path once per round, interleaved (default 3); medians reported
#   --csv-rounds K  CSV-in/CSV-out rounds after them (default 1; 0 skips that part)
#   --binary-rounds B  binary rounds after those (default: as --csv-rounds; 0 skips): the single JVM
#                 .npy → .npy (what `ml2tensor predict X.npy -o Y.npy` runs; it reads no Parquet) vs
#                 Spark Parquet → Parquet (what Spark jobs usually read), the same rows
#   --model FILE  model (source or .onnx); default: the scikit-learn 1.9.1 GradientBoostingClassifier
#                 fixture (3 classes, 8 stages, depth 3, 6 features)
#   --work DIR    CSVs and outputs (default out/spark-bench/, git-ignored); the CSV is reused when present
#   --no-report   print the result line only, leave BENCHMARKS.md alone
#   --no-build    reuse the class folders copied by the previous run (WORKDIR/classes), build nothing
#   --report-only rewrite the BENCHMARKS.md section from the last run's WORKDIR/result.txt (give the same
#                 --rows/--cores/--rounds/--csv-rounds as that run); runs nothing
#
# Builds the spark module's test classes with Maven (no install), then runs
# org.ml2tensor.spark.SparkVsSingleJvmBenchmark (spark/src/test/java) with Spark's Java 17 flags.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rows=10000000
cores="$(nproc)"
rounds=3
csv_rounds=1
binary_rounds=""
model="conformance-tests/src/test/resources/fixtures/sklearn/gradient_boosting_classifier_multiclass__skl1.9.1/model.pkl"
work="out/spark-bench"
report=1
build=1
report_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --csv-rounds) csv_rounds="$2"; shift 2 ;;
    --binary-rounds) binary_rounds="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --no-report) report=0; shift ;;
    --no-build) build=0; shift ;;
    --report-only) report_only=1; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
binary_rounds="${binary_rounds:-$csv_rounds}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

if [ "$report_only" = 0 ]; then
started="$(date -u +%Y-%m-%dT%H:%MZ)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
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
java -Xmx4g "${flags[@]}" -Dlog4j2.configurationFile=spark/src/test/resources/log4j2.properties -cp "$cp" \
  org.ml2tensor.spark.SparkVsSingleJvmBenchmark "$model" "$rows" "$cores" "$rounds" "$work" "$csv_rounds" "$binary_rounds" \
  2> >(tee "$work/benchmark.log" >&2) | tee "$work/result.txt"
printf '%s\n%s\n%s\n' "$started" "$load" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$work/started.txt"
fi
started="$(sed -n 1p "$work/started.txt")"
load="$(sed -n 2p "$work/started.txt")"
result="$(grep '^RESULT ' "$work/result.txt" | tail -1)"
[ -n "$result" ] || { echo "no result" >&2; exit 1; }
[ "$report" = 1 ] || exit 0

load_after="$(sed -n 3p "$work/started.txt")"
python3 - "$result" "$started" "$load" "$load_after" "$(nproc)" "$rows" "$cores" "$rounds" "$csv_rounds" "$binary_rounds" <<'PY'
import re, statistics, sys
result, started, load, load_after, nproc, rows, cores, rounds, csv_rounds, binary_rounds = sys.argv[1:]
kv = dict(re.findall(r'(\w+)=(\S+)', result))
def series(key):
    return [] if kv[key] == '-' else [float(v) for v in kv[key].split(',')]
n = int(kv['rows'])
single_mem, spark_mem, rows_mem, scan_mem = (series(k) for k in ('single_mem', 'spark_mem', 'spark_rows_mem', 'spark_scan_mem'))
single_csv, spark_csv, io_csv = (series(k) for k in ('single_csv', 'spark_csv', 'spark_io_csv'))
single_bin, spark_bin, io_bin = (series(k) if k in kv else [] for k in ('single_bin', 'spark_bin', 'spark_io_bin'))
single_cpu, spark_cpu, rows_cpu, scan_cpu = (series(k) for k in ('single_cpu', 'spark_cpu', 'spark_rows_cpu', 'spark_scan_cpu'))
med = statistics.median
def ratios(a, b):
    return [x / y for x, y in zip(a, b)]
mem_ratio = med(ratios(single_mem, spark_mem))
rows_ratio = med(ratios(single_mem, rows_mem))
cpu_ratio = med(ratios(single_cpu, spark_cpu))
cpu_rows_ratio = med(ratios(single_cpu, rows_cpu))
def cpu_line(label, xs):
    return f"| {label} | {med(xs):.2f} | {med(xs) * 1e9 / n:.0f} | {', '.join(f'{x:.2f}' for x in xs)} |"
def line(label, xs):
    return f"| {label} | {med(xs):.2f} | {n / med(xs):,.0f} | {', '.join(f'{x:.2f}' for x in xs)} |"
verdict = 'met' if mem_ratio >= 0.7 else 'not met'
csv_part = ''
if single_csv:
    csv_ratio = med(ratios(single_csv, spark_csv))
    io_share = med(io_csv) / med(spark_csv) * 100
    csv_part = f"""
**CSV in, CSV out** ({len(single_csv)} round(s), after the rounds above): the same CSV file ({kv['csv_mb']} MB) read and
the label and per-class probabilities written as CSV.

| path | seconds (median) | rows/s | every round (s) |
|---|---:|---:|---|
{line(f"single JVM: `StreamingPredict.predictFile` (what `ml2tensor predict --device cpu --threads {cores}` runs)", single_csv)}
{line(f"Spark `local[{cores}]`: `read.csv` → `Ml2TensorModel.transform` → `write.csv`", spark_csv)}
{line(f"Spark `local[{cores}]`: `read.csv` → `write.csv` of as many columns, no scoring (Spark's CSV floor)", io_csv)}

End to end, Spark / single JVM throughput: **{csv_ratio:.2f}** (the issue's pairing: `ml2tensor predict` on the same file; target ≥ 0.70: **{'met' if csv_ratio >= 0.7 else 'not met'}**). Spark's own CSV read and write, with no
scoring at all, take {io_share:.0f}% of the Spark run and {med(io_csv) / med(single_csv):.2f}× the whole single-JVM run: even if scoring
cost nothing, the Spark path could reach at most {med(single_csv) / med(io_csv):.2f} of the single JVM here with CSV in and out
(the in-memory ratio above is the scoring path's).
"""
bin_part = ''
if single_bin:
    bin_ratio = med(ratios(single_bin, spark_bin))
    bin_part = f"""
**Binary files in and out** ({len(single_bin)} round(s), after the CSV rounds; a different pairing, labelled as such):
each side reads its natural columnar file of the same rows and writes the label and probabilities in
the same format. The single JVM maps a float32 `.npy` ({kv['npy_mb']} MB) and writes `.npy` (`ml2tensor
predict` reads CSV and `.npy`, not Parquet); Spark reads Parquet ({kv['parquet_mb']} MB, float64 columns,
Spark's default snappy) and writes Parquet, which is what a Spark job usually reads and writes.

| path | seconds (median) | rows/s | every round (s) |
|---|---:|---:|---|
{line(f"single JVM: `StreamingPredict.predictFile` `.npy` → `.npy` (`ml2tensor predict X.npy -o Y.npy --threads {cores}`)", single_bin)}
{line(f"Spark `local[{cores}]`: `read.parquet` → `Ml2TensorModel.transform` → `write.parquet`", spark_bin)}
{line(f"Spark `local[{cores}]`: `read.parquet` → `write.parquet` of as many columns, no scoring (Spark's Parquet floor)", io_bin)}

Binary end to end, Spark / single JVM throughput: **{bin_ratio:.2f}** (Spark's Parquet read and write alone:
{med(io_bin) / med(single_bin):.2f}× the whole single-JVM `.npy` run).
"""
section = f"""<!-- spark-benchmark:begin (written by scripts/spark_benchmark.sh; do not edit by hand) -->
## Spark module vs single-JVM predict

`scripts/spark_benchmark.sh --rows {rows} --cores {cores} --rounds {rounds} --csv-rounds {csv_rounds} --binary-rounds {binary_rounds}` ({started}; {nproc} cores;
load average before / after the run: {load} / {load_after}). One JVM; the same rows ({n:,} × {kv['features']} float
features, normal values, written once as CSV), the same model (`{kv['model']}`) and the same cores on both
sides: Spark `local[{cores}]` (ONNX Runtime single-threaded in each of the {cores} task slots) vs one `Predictor`
with {cores} parallel single-threaded runs. JVM start and compiling the model are excluded from both sides.

**Scoring in memory** (the issue's target; {len(single_mem)} rounds, the paths interleaved in each round): a `float[]`
given to `Predictor.predict` in 1M-row calls, vs a cached DataFrame of the same CSV through
`Ml2TensorModel.transform` into Spark's `noop` sink.

| path | seconds (median) | rows/s | every round (s) |
|---|---:|---:|---|
{line(f"single JVM `Predictor.predict` ({cores} parallel runs)", single_mem)}
{line(f"Spark `local[{cores}]` `Ml2TensorModel.transform`, columnar batches (the default)", spark_mem)}
{line(f"Spark `local[{cores}]` `Ml2TensorModel.transform`, row path (`spark.ml2tensor.columnar=false`)", rows_mem)}
{line(f"Spark `local[{cores}]`: the cached frame's scan into `noop`, no scoring (Spark's floor)", scan_mem)}

The same runs in CPU seconds of the whole JVM (all its threads: task threads, ONNX Runtime, GC, JIT,
Spark's driver): on a machine whose load average is far above its core count, a run's wall time is
mostly its wait for a core, and its CPU time is what it costs.

| path | CPU seconds (median) | CPU ns per row | every round (CPU s) |
|---|---:|---:|---|
{cpu_line("single JVM `Predictor.predict`", single_cpu)}
{cpu_line("Spark, columnar batches (the default)", spark_cpu)}
{cpu_line("Spark, row path", rows_cpu)}
{cpu_line("Spark, the cached frame's scan alone", scan_cpu)}

In memory, Spark / single JVM throughput (median of the per-round ratios), by the default columnar path:
**{mem_ratio:.2f}** by wall time, **{cpu_ratio:.2f}** by CPU time (row path: {rows_ratio:.2f} and {cpu_rows_ratio:.2f}).
Target ≥ 0.70 by wall time (Spark loses < 30%): **{verdict}** ({mem_ratio:.3f}; the row path {rows_ratio:.3f}). Spark's own scan of the cached frame, with no scoring, costs
{med(scan_cpu) / med(single_cpu) * 100:.0f}% of the single JVM's whole scoring CPU time.

Where the Spark path's time goes (JFR, 2M rows, `local[2]`, 2026-12-01, steady-state rounds; samples
of the task threads): ONNX Runtime ≈ 50% (the same ≈ 290 ns a row as the single JVM, which spends
98% of its CPU there); the rest is Spark's own work around the rows — decoding the cached batches
(the row path's `SpecificColumnarIterator` alone was 15%), the `RDDScanExec` projection that copies
every emitted row once more plus its per-row `LinkedList` append (≈ 10%), and ours: reading the
features and writing the output rows (≈ 20%, from ≈ 35% before rows were written as bytes).
{csv_part}{bin_part}
Both sides give the same label histogram: {kv['labels_equal']} ({kv['label_histogram'].replace('_', ' ')}).
The machine is shared with other builds (five other helpers' Maven builds and tests ran throughout): with a load average far above its {nproc} cores the absolute
figures are low and noisy; the paths alternate within each round, so the ratios are the comparable part.
<!-- spark-benchmark:end -->
"""
path = 'BENCHMARKS.md'
text = open(path).read()
if '<!-- spark-benchmark:begin' in text:
    text = re.sub(r'<!-- spark-benchmark:begin.*?<!-- spark-benchmark:end -->\n', lambda m: section, text, flags=re.S)
else:
    text = text.rstrip('\n') + '\n\n' + section
open(path, 'w').write(text)
print(f"BENCHMARKS.md: in memory Spark/single = {mem_ratio:.2f} (columnar, the default), {rows_ratio:.2f} (row path)")
PY
