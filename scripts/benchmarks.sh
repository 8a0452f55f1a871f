#!/usr/bin/env bash
# scripts/benchmarks.sh: regenerates BENCHMARKS.md (repository root) from the standard benchmark suite.
#
#   scripts/benchmarks.sh [--quick | --fast] [--work DIR] [--results DIR] [--output FILE] [--seconds S]
#                         [--min-calls N] [--reference-max-batch N] [--csv-rows N] [--skip SECTION]...
#                         [--report-only]
#
# What it does, in order (every step is skipped when its output already exists, unless stated):
#   1. a Python venv (.venv-bench: scikit-learn 1.9.1, numpy, pandas, lightgbm 4.7.0, via pip) and the CLI
#      build (the ./ml2tensor launcher builds it when sources changed; the build also compiles the
#      benchmark mains in the test sources);
#   2. the suite models into the work folder (default out/bench-models/, git-ignored):
#        conformance-tests/fixtures/make_large_models.py  (venv, scikit-learn 1.9.1): rf500_d8, gb500_d8,
#          rf100_d10, gb200_d4, et50_full, logreg5, pipe_scaler_pca_rf
#        importers/src/test/python/make_bench_models.py   (/usr/bin/python3 with xgboost 1.7.4):
#          xgb_500x8, xgb_3000x6; (venv, lightgbm 4.7.0): lgbm_500x256
#   3. section "models": `./ml2tensor bench` on every model, on its held-out decimal rows (batch 1, 64, 1000, 100000; --threads 2: two parallel
#      single-threaded chunks; CPU; --plain-session: the auto and native graphs also in a plain ONNX Runtime session),
#      plus a cold `./ml2tensor compile` of the 3000-tree model (always rerun);
#   4. section "pickle": Python pickle.load vs the Java pickle reader on a ~100 MB RandomForest pickle
#      (importers/src/test/python/bench_rf_pickle.py and PickleReadBenchmark in the importers test sources);
#   5. section "stream": a CSV of --csv-rows rows x 28 columns (default 10 million, about 2.7 GB; scaled
#      down to what the free disk allows, and the report says so), then
#      `/usr/bin/time -v ./ml2tensor predict` on it with rf500_d8 and logreg5: rows/s and peak RSS;
#   6. section "concurrency": org.ml2tensor.cli.bench.ConcurrencyBenchmark (cli test sources), one shared
#      Predictor called from 1, 2 and 4 threads;
#   6b. section "latency": scripts/cli_latency.sh, where a one-shot predict of 10 rows spends its time;
#   6c. section "small": scripts/small_batch_benchmark.sh, batch 1 and 64 against ONNX Runtime's native tree
#      kernel (plain session and Predictor, session-option variants); it writes its own marked section;
#   6d. section "large": scripts/large_batch_benchmark.sh, batch 10,000 and 100,000 on real rows against XGBoost4J,
#      lightgbm4j, the native kernel (plain session and Predictor) and the libraries in Python; its own marked section;
#   6d'. section "auto": scripts/auto_choice_check.sh, `auto`'s pick against `--strategy tuned` at expected batch 1
#      and 1000 on committed fixtures and the nine tree models of the suite; its own marked section;
#   6d''. sections "families" and "svm": scripts/bench_families.sh (naive Bayes, QDA/LDA, KMeans, linear family,
#      LightGBM wrappers; committed fixtures) and scripts/bench_svm_knn_mlp.sh (SVC, k-NN, MLP fitted by the venv's
#      scikit-learn into WORK/svm-knn-mlp): graph against the EJML reference at batch 1 / 1,000 / 100,000;
#   6e. section "rss": scripts/stream_rss.sh, peak RSS of a streaming predict per model (--rss-models, default the
#      largest: xgb_3000x6 lgbm_500x256 xgb_500x8; `all` = every suite model) on the --csv-rows CSV; its own section;
#   7. BENCHMARKS.md assembled by scripts/benchmarks_report.py from the results folder
#      (default out/bench-results/; each run's raw outputs, JSON and logs stay there), with "Targets (issue 17)"
#      computed from the small, large, auto and rss sections.
#
# Options:
#   --quick                 smoke test: 10x fewer trees (make_large_models.py --quick), 10k training rows for
#                           XGBoost/LightGBM, short timings, a 200k-row CSV, a 10 MB pickle; work folder
#                           out/bench-models-quick/ and results out/bench-results-quick/ so the real suite is
#                           never mixed with it; output BENCHMARKS-quick.md unless --output is given
#   --fast                  the same models and tables as the full run in less time (not timed end to end; the
#                           full run is ~50 minutes, see below): --seconds 0.5 --min-calls 1, 3 small-batch rounds, 2 large-batch
#                           rounds, a 1,000,000-row CSV for the streaming and rss sections (rss on xgb_3000x6 only).
#                           BENCHMARKS.md says which mode made it
#   --rss-models "M ..."    models of the rss section (default: xgb_3000x6 lgbm_500x256 xgb_500x8; all = every model)
#   --seconds S             measuring time per candidate and batch size (default 1)
#   --min-calls N           timed calls per candidate and batch even past --seconds (default 2)
#   --reference-max-batch N time the single-threaded EJML reference only up to batch N (default 1000: at
#                           100000 rows it needs minutes per model)
#   --csv-rows N            rows of the streaming CSV (default 10000000)
#   --skip SECTION          leave out models | pickle | stream | concurrency | latency | small | large | auto | families | svm |
#                           rss (repeatable); the report keeps
#                           what earlier runs left in the results folder for skipped sections
#   --report-only           only reassemble BENCHMARKS.md from the results folder
# Environment: BENCH_XGB_PYTHON (default /usr/bin/python3, needs xgboost), BENCH_VENV (default .venv-bench).
#
# With the defaults the suite took 36 minutes on 2 quiet cores once the models and the 10M-row CSV existed,
# without the rss section (2026-12-01: models 6, pickle and streaming 8, small batches 8, large batches 7, auto 1,
# families and SVM/k-NN/MLP 4); the rss section adds ~13 minutes for its three default models on 10M rows (~35 for
# all ten); the first run adds about 15 minutes of model, pickle and CSV generation. Model generation needs no network beyond pip for the venv.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=0
fast=0
rss_models="xgb_3000x6 lgbm_500x256 xgb_500x8"
work=""
results=""
output=""
seconds=1
min_calls=2
ref_max=1000
csv_rows=10000000
report_only=0
skip=" "
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --fast) fast=1 ;;
    --rss-models) rss_models="$2"; shift ;;
    --work) work="$2"; shift ;;
    --results) results="$2"; shift ;;
    --output) output="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --min-calls) min_calls="$2"; shift ;;
    --reference-max-batch) ref_max="$2"; shift ;;
    --csv-rows) csv_rows="$2"; shift ;;
    --skip) skip="$skip$2 "; shift ;;
    --report-only) report_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "benchmarks.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  work="${work:-out/bench-models-quick}"
  results="${results:-out/bench-results-quick}"
  output="${output:-BENCHMARKS-quick.md}"
  seconds=0.3; min_calls=1; [ "$csv_rows" = 10000000 ] && csv_rows=200000
fi
small_rounds=7; large_rounds=3; auto_runs=3
if [ "$fast" = 1 ] && [ "$quick" = 0 ]; then
  seconds=0.5; min_calls=1; small_rounds=3; large_rounds=2; auto_runs=2; rss_models="xgb_3000x6"
  [ "$csv_rows" = 10000000 ] && csv_rows=1000000
fi
[ "$quick" = 1 ] && { small_rounds=2; large_rounds=1; auto_runs=1; rss_models="xgb_3000x6"; }
[ "$rss_models" = all ] && rss_models="rf500_d8 gb500_d8 rf100_d10 gb200_d4 et50_full logreg5 pipe_scaler_pca_rf xgb_500x8 xgb_3000x6 lgbm_500x256"
mode=full; [ "$fast" = 1 ] && mode=fast; [ "$quick" = 1 ] && mode=quick
work="${work:-out/bench-models}"
results="${results:-out/bench-results}"
output="${output:-BENCHMARKS.md}"
venv="${BENCH_VENV:-.venv-bench}"
xgb_python="${BENCH_XGB_PYTHON:-/usr/bin/python3}"
mkdir -p "$work" "$results/bench"

say() { printf '\n== %s (%s)\n' "$*" "$(date +%H:%M:%S)" >&2; }
wants() { case "$skip" in *" $1 "*) return 1 ;; *) return 0 ;; esac; }
# Runs a command and records it (as typed) in the results folder.
run_logged() {
  printf '%s\n' "$*" >>"$results/commands.txt"
  "$@"
}

report() {
  say "assembling $output"
  python3 scripts/benchmarks_report.py "$results" "$output"
}
if [ "$report_only" = 1 ]; then
  report
  exit 0
fi
: >"$results/commands.txt"

# ---- 1. environment -----------------------------------------------------------------------------------
say "Python venv $venv"
if ! "$venv/bin/python" -c 'import sklearn, lightgbm, pandas, sys; sys.exit(sklearn.__version__ != "1.9.1")' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q scikit-learn==1.9.1 numpy pandas lightgbm==4.7.0
fi
"$xgb_python" -c 'import xgboost' || { echo "benchmarks.sh: $xgb_python has no xgboost (apt-get install python3-xgboost, or set BENCH_XGB_PYTHON)" >&2; exit 1; }

say "building the CLI"
./ml2tensor --version >/dev/null
classpath="cli/target/test-classes:importers/target/test-classes:cli/target/classes:cli/target/lib/*"

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "os=$( (. /etc/os-release && echo "$PRETTY_NAME") ), kernel $(uname -r)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "maven=$(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
  echo "onnxruntime=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' pom.xml)"
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS*.md' || echo ' (with uncommitted changes)')"
  echo "python_venv=$("$venv/bin/python" -c 'import sys, sklearn, lightgbm, numpy; print(f"Python {sys.version.split()[0]}, scikit-learn {sklearn.__version__}, lightgbm {lightgbm.__version__}, numpy {numpy.__version__}")')"
  echo "python_xgb=$("$xgb_python" -c 'import sys, xgboost; print(f"Python {sys.version.split()[0]}, xgboost {xgboost.__version__}")')"
  echo "quick=$quick"
  echo "mode=$mode"
  echo "batches=1,64,1000,100000 --plain-session"
  echo "seconds=$seconds"
  echo "min_calls=$min_calls"
  echo "reference_max_batch=$ref_max"
  echo "skipped=$(echo $skip)"
} >"$results/machine.env"

# ---- 2. models ----------------------------------------------------------------------------------------
sklearn_models="rf500_d8 gb500_d8 rf100_d10 gb200_d4 et50_full logreg5 pipe_scaler_pca_rf"
quick_flag=(); [ "$quick" = 1 ] && quick_flag=(--quick)
missing=()
for m in $sklearn_models; do [ -f "$work/$m/model.pkl" ] || missing+=("$m"); done
gen_cmd=("$venv/bin/python" conformance-tests/fixtures/make_large_models.py "$work" "${quick_flag[@]}" --only)
if [ ${#missing[@]} -gt 0 ]; then
  say "scikit-learn models: ${missing[*]}"
  run_logged "${gen_cmd[@]}" "${missing[@]}" | tee -a "$work/make_large_models.log"
else
  echo "# models present, not regenerated: ${gen_cmd[*]} $sklearn_models" >>"$results/commands.txt"
fi
train_rows=100000; [ "$quick" = 1 ] && train_rows=10000
xgb_cmd=("$xgb_python" importers/src/test/python/make_bench_models.py "$work" --train-rows "$train_rows")
if [ ! -f "$work/xgb_500x8.json" ] || [ ! -f "$work/xgb_3000x6.json" ]; then
  say "XGBoost models"
  run_logged "${xgb_cmd[@]}"
else
  echo "# models present, not regenerated: ${xgb_cmd[*]}" >>"$results/commands.txt"
fi
lgbm_cmd=("$venv/bin/python" importers/src/test/python/make_bench_models.py "$work" --train-rows "$train_rows")
if [ ! -f "$work/lgbm_500x256.txt" ]; then
  say "LightGBM model"
  run_logged "${lgbm_cmd[@]}"
else
  echo "# models present, not regenerated: ${lgbm_cmd[*]}" >>"$results/commands.txt"
fi

# name, file, rows (the report reads the list in this order). Rows: held-out decimal CSV rows of the model's own
# training distribution (the generator's input.csv; bench_rows.csv for XGBoost and LightGBM), "-" = synthetic.
rows_of() { [ -f "$1" ] && echo "$1" || echo -; }
{
  for m in $sklearn_models; do printf '%s\t%s\t%s\n' "$m" "$work/$m/model.pkl" "$(rows_of "$work/$m/input.csv")"; done
  for m in xgb_500x8.json xgb_3000x6.json lgbm_500x256.txt; do
    printf '%s\t%s\t%s\n' "${m%.*}" "$work/$m" "$(rows_of "$work/bench_rows.csv")"
  done
} >"$results/models.tsv"

# ---- 3. bench every model -----------------------------------------------------------------------------
if wants models; then
  while IFS=$'\t' read -r name file rows; do
    say "bench $name"
    rows_opt=(); [ "$rows" != - ] && rows_opt=(--rows "$rows")
    [ -f "$work/$name/sklearn_timing.json" ] && cp "$work/$name/sklearn_timing.json" "$results/bench/$name.sklearn.json"
    run_logged ./ml2tensor bench "$file" "${rows_opt[@]}" --batch 1,64,1000,100000 --plain-session --threads 2 --device cpu --seconds "$seconds" \
      --min-calls "$min_calls" --reference-max-batch "$ref_max" \
      --markdown "$results/bench/$name.md" --json "$results/bench/$name.json" >"$results/bench/$name.log" 2>&1 \
      || { echo "bench of $name failed:"; tail -20 "$results/bench/$name.log"; } >&2
  done <"$results/models.tsv"
  say "cold compile of xgb_3000x6"
  printf '%s\n' "/usr/bin/time -f %e ./ml2tensor compile $work/xgb_3000x6.json -o $work/xgb_3000x6.onnx" >>"$results/commands.txt"
  /usr/bin/time -f %e -o "$results/compile_cold.txt" ./ml2tensor compile "$work/xgb_3000x6.json" \
    -o "$work/xgb_3000x6.onnx" >"$results/compile_cold.log" 2>&1 || true
  # the JVM start alone, for comparison
  /usr/bin/time -f %e -o "$results/jvm_start.txt" ./ml2tensor --version >/dev/null 2>&1 || true
fi

# ---- 4. pickle reader throughput ----------------------------------------------------------------------
if wants pickle; then
  pickle_mb=100; [ "$quick" = 1 ] && pickle_mb=10
  pkl="$work/rf_pickle_${pickle_mb}mb.pkl"
  say "pickle read: $pkl"
  run_logged "$venv/bin/python" importers/src/test/python/bench_rf_pickle.py "$pkl" "$pickle_mb" 4 \
    >"$results/pickle_python.txt"
  run_logged java -cp "$classpath" org.ml2tensor.importers.pickle.PickleReadBenchmark "$pkl" 7 \
    >"$results/pickle_java.txt"
fi

# ---- 5. streaming predict at scale --------------------------------------------------------------------
if wants stream; then
  rows="$csv_rows"
  need_kb=$(( rows * 400 / 1024 ))            # CSV (~275 B/row) + the largest output (~100 B/row) + slack
  free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
  budget_kb=$(( free_kb - 2 * 1024 * 1024 ))   # keep 2 GiB free
  note=""
  if [ "$need_kb" -gt "$budget_kb" ]; then
    rows=$(( budget_kb * 1024 / 400 / 100000 * 100000 ))
    note="scaled down from $csv_rows rows: $((free_kb / 1024)) MiB free on the work folder's disk"
  fi
  csv="$work/stream_${rows}.csv"
  say "streaming predict on $rows rows ($csv)"
  df -h "$work" >"$results/stream_df.txt"
  if [ ! -f "$csv" ]; then
    run_logged "$venv/bin/python" scripts/make_big_csv.py "$csv" "$rows" 28
  fi
  {
    echo "rows=$rows"
    echo "requested_rows=$csv_rows"
    echo "csv_bytes=$(stat -c %s "$csv")"
    echo "note=$note"
  } >"$results/stream.env"
  for m in rf500_d8 logreg5; do
    out="$work/stream_pred_$m.csv"
    printf '%s\n' "/usr/bin/time -v ./ml2tensor predict $work/$m/model.pkl --input $csv --output $out --threads 2 --device cpu" >>"$results/commands.txt"
    /usr/bin/time -v -o "$results/stream_$m.time" ./ml2tensor predict "$work/$m/model.pkl" --input "$csv" \
      --output "$out" --threads 2 --device cpu >"$results/stream_$m.log" 2>&1 \
      || { echo "predict with $m failed:"; tail -5 "$results/stream_$m.log"; } >&2
    [ -f "$out" ] && wc -l <"$out" >"$results/stream_$m.lines" && rm -f "$out"
  done
  # Peak memory against --batch-size (rows per ONNX Runtime call) for the tree model, on the first 1M rows.
  small="$work/stream_1000000.csv"
  [ -f "$small" ] || head -n 1000001 "$csv" >"$small"
  for bs in 65536 8192 1024; do
    out="$work/stream_pred_bs$bs.csv"
    printf '%s\n' "/usr/bin/time -v ./ml2tensor predict $work/rf500_d8/model.pkl --input $small --output $out --threads 2 --device cpu --batch-size $bs" >>"$results/commands.txt"
    /usr/bin/time -v -o "$results/stream_bs$bs.time" ./ml2tensor predict "$work/rf500_d8/model.pkl" --input "$small" \
      --output "$out" --threads 2 --device cpu --batch-size "$bs" >"$results/stream_bs$bs.log" 2>&1 || true
    rm -f "$out"
  done
fi

# ---- 6. concurrency -----------------------------------------------------------------------------------
if wants concurrency; then
  conc_seconds=3; [ "$quick" = 1 ] && conc_seconds=0.5
  say "concurrency"
  run_logged java -cp "$classpath" org.ml2tensor.cli.bench.ConcurrencyBenchmark "$work/rf500_d8/model.pkl" \
    "$conc_seconds" 1,2,4 1,1000 1,2 >"$results/concurrency_rf500_d8.md"
  run_logged java -cp "$classpath" org.ml2tensor.cli.bench.ConcurrencyBenchmark "$work/logreg5/model.pkl" \
    "$conc_seconds" 1,2,4 1,1000 1,2 >"$results/concurrency_logreg5.md"
fi

# ---- 7. one-shot CLI latency (scripts/cli_latency.sh) ------------------------------------------------
if wants latency; then
  say "latency"
  lat_runs=7; [ "$quick" = 1 ] && lat_runs=2
  scripts/cli_latency.sh --runs "$lat_runs" --output "$results/cli_latency.md" >/dev/null
fi

# ---- 8. small batches (scripts/small_batch_benchmark.sh; its own section, kept by the report) ---------
if wants small; then
  say "small batches"
  scripts/small_batch_benchmark.sh --work "$work" --output "$output" --rounds "$small_rounds"
fi

# ---- 9. large batches (scripts/large_batch_benchmark.sh; its own section, kept by the report) ---------
if wants large; then
  say "large batches"
  printf '%s\n' "scripts/large_batch_benchmark.sh --work $work --output $output --rounds $large_rounds" >>"$results/commands.txt"
  scripts/large_batch_benchmark.sh --work "$work" --output "$output" --rounds "$large_rounds"
fi

# ---- 9b. does auto pick the fastest strategy? (scripts/auto_choice_check.sh; its own section) -----------
if wants auto; then
  say "auto's choice against tuned"
  printf '%s\n' "scripts/auto_choice_check.sh --work $work --output $output --runs $auto_runs" >>"$results/commands.txt"
  scripts/auto_choice_check.sh --work "$work" --output "$output" --runs "$auto_runs"
fi

# ---- 9c. the other families (their own sections) -------------------------------------------------------
if wants families; then
  say "families: naive Bayes, QDA/LDA, KMeans, linear family, LGBM wrappers"
  printf '%s\n' "scripts/bench_families.sh --seconds $seconds --output $output" >>"$results/commands.txt"
  scripts/bench_families.sh --seconds "$seconds" --output "$output" >"$results/families.log" 2>&1 \
    || { echo "bench_families.sh failed:"; tail -5 "$results/families.log"; } >&2
fi
if wants svm; then
  say "SVMs, nearest neighbours and MLPs"
  printf '%s\n' "scripts/bench_svm_knn_mlp.sh --dir $work/svm-knn-mlp --python $venv/bin/python --seconds $seconds --output $output" \
    >>"$results/commands.txt"
  scripts/bench_svm_knn_mlp.sh --dir "$work/svm-knn-mlp" --python "$venv/bin/python" --seconds "$seconds" \
    --output "$output" >"$results/svm.log" 2>&1 || { echo "bench_svm_knn_mlp.sh failed:"; tail -5 "$results/svm.log"; } >&2
fi

# ---- 10. peak RSS of a streaming predict per model (scripts/stream_rss.sh; its own section) -----------
if wants rss; then
  say "streaming peak RSS: $rss_models"
  printf '%s\n' "scripts/stream_rss.sh --work $work --rows $csv_rows --models \"$rss_models\" --output $output" >>"$results/commands.txt"
  scripts/stream_rss.sh --work "$work" --rows "$csv_rows" --models "$rss_models" --output "$output"
fi

report
