#!/usr/bin/env bash
# scripts/stream_rss.sh: peak memory of a streaming `ml2tensor predict` over a large CSV, for every model of
# the benchmark suite (issue 17: peak RSS < 1 GB at 10 million rows). Writes the "Streaming predict: peak
# memory per model" section of BENCHMARKS.md (between its markers; scripts/benchmarks.sh keeps it).
#
#   scripts/stream_rss.sh [--work DIR] [--rows N] [--models "M ..."] [--output FILE] [--limit-gb G]
#                         [--batch-size N] [--timeout S]
#
# The CSV (DIR/stream_N.csv, N rows x 28 float columns, about 275 bytes a row; scripts/make_big_csv.py) is
# written once and reused (scripts/benchmarks.sh section "stream" makes the same file). For each model found
# in DIR (default out/bench-models: rf500_d8 gb500_d8 rf100_d10 gb200_d4 et50_full logreg5
# pipe_scaler_pca_rf xgb_500x8 xgb_3000x6 lgbm_500x256, as scripts/benchmarks.sh makes them) it runs
#   /usr/bin/time -v ./ml2tensor predict MODEL --input CSV --output - --threads 2 --device cpu --quiet
# with the predictions counted and discarded (no output file), samples the JVM's VmRSS every 2 s, and
# records the peak (from time -v), the peak over the first quarter of the samples (so a reader can see
# that memory stops growing once the first batches have run: the predict streams), the wall time and rows/s.
# --timeout S stops a model's run after S seconds (default 0: none); the row records how many rows it did.
# Defaults: --rows 10000000 (10M rows take 5-15 minutes per 500-tree model on 2 cores), --limit-gb 1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work=out/bench-models
rows=10000000
models="rf500_d8 gb500_d8 rf100_d10 gb200_d4 et50_full logreg5 pipe_scaler_pca_rf xgb_500x8 xgb_3000x6 lgbm_500x256"
output=BENCHMARKS.md
limit=1
batch_size=""
timeout_s=0
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work="$2"; shift ;;
    --rows) rows="$2"; shift ;;
    --models) models="$2"; shift ;;
    --output) output="$2"; shift ;;
    --limit-gb) limit="$2"; shift ;;
    --batch-size) batch_size="$2"; shift ;;
    --timeout) timeout_s="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stream_rss.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
py="${BENCH_PY:-}"
if [ -z "$py" ]; then
  if [ -x .venv-bench/bin/python ]; then py=.venv-bench/bin/python; else py=python3; fi
fi
./ml2tensor --version >/dev/null
csv="$work/stream_${rows}.csv"
if [ ! -f "$csv" ]; then
  need_kb=$(( rows * 300 / 1024 ))
  free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
  if [ "$need_kb" -gt $(( free_kb - 2 * 1024 * 1024 )) ]; then
    echo "stream_rss.sh: $csv needs about $((need_kb / 1024)) MiB, only $((free_kb / 1024)) MiB free" >&2
    exit 1
  fi
  echo "writing $csv ..." >&2
  "$py" scripts/make_big_csv.py "$csv" "$rows" 28
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
model_file() {
  for f in "$work/$1.json" "$work/$1.txt" "$work/$1/model.pkl"; do [ -f "$f" ] && { echo "$f"; return; }; done
}
extra=(); [ -n "$batch_size" ] && extra=(--batch-size "$batch_size")
table="$tmp/table.md"
: >"$table"
for m in $models; do
  f="$(model_file "$m")"
  if [ -z "$f" ]; then
    echo "| $m | not found in $work | | | | | | |" >>"$table"
    continue
  fi
  echo "stream_rss: $m ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  load0="$(cut -d' ' -f1 /proc/loadavg)"
  start=$(date +%s.%N)
  (
    if [ "$timeout_s" != 0 ]; then
      exec timeout -s INT "$timeout_s" /usr/bin/time -v -o "$tmp/$m.time" ./ml2tensor predict "$f" --input "$csv" \
        --output - --threads 2 --device cpu --quiet "${extra[@]}"
    fi
    exec /usr/bin/time -v -o "$tmp/$m.time" ./ml2tensor predict "$f" --input "$csv" --output - --threads 2 \
      --device cpu --quiet "${extra[@]}"
  ) 2>"$tmp/$m.err" | wc -l >"$tmp/$m.lines" &
  pipeline=$!
  : >"$tmp/$m.rss"
  while kill -0 "$pipeline" 2>/dev/null; do
    sleep 2
    jpid="$(pgrep -n -f -- "-jar .*ml2tensor.jar predict $f" || true)"
    [ -n "$jpid" ] && awk '/VmRSS/ {print $2}' "/proc/$jpid/status" 2>/dev/null >>"$tmp/$m.rss" || true
  done
  wait "$pipeline" || true
  end=$(date +%s.%N)
  python3 - "$m" "$f" "$tmp/$m.time" "$tmp/$m.rss" "$tmp/$m.lines" "$start" "$end" "$rows" "$limit" "$load0" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$tmp/$m.err" >>"$table" <<'PY'
import re, sys
m, f, tfile, rssf, linesf, start, end, rows, limit, l0, l1, errf = sys.argv[1:]
t = open(tfile).read() if __import__("os").path.exists(tfile) else ""
peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
status = re.search(r"Exit status: (\d+)", t)
samples = [int(x) for x in open(rssf).read().split()]
first = samples[: max(1, len(samples) // 4)] if samples else []
lines = int(open(linesf).read().strip() or 0)
done = max(0, lines - 1)  # the CSV header line
wall = float(end) - float(start)
peak_gb = int(peak.group(1)) / 1048576 if peak else None
q_gb = max(first) / 1048576 if first else None
verdict = "n/a" if peak_gb is None else ("**met**" if peak_gb < float(limit) else "**missed**")
note = "" if status and status.group(1) == "0" else f" (exit {status.group(1) if status else '?'}: " + \
    open(errf).read().strip().splitlines()[-1][:120].replace("|", "/") + ")" if open(errf).read().strip() else ""
print(f"| {m} | {done:,} of {int(rows):,}{note} | {wall:.0f} | {done / wall:,.0f} | "
      f"{'n/a' if peak_gb is None else f'{peak_gb:.2f} GB'} | {'n/a' if q_gb is None else f'{q_gb:.2f} GB'} | "
      f"{l0} → {l1} | {verdict} |")
PY
done
{
  echo "<!-- stream-rss:begin -->"
  echo "## Streaming predict: peak memory per model"
  echo
  echo "Regenerated by \`scripts/stream_rss.sh --rows $rows$([ -n "$batch_size" ] && echo " --batch-size $batch_size")$([ "$timeout_s" != 0 ] && echo " --timeout $timeout_s")\` ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD));"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, JVM options: ${ML2TENSOR_JAVA_OPTS:-default}."
  echo "\`/usr/bin/time -v ./ml2tensor predict MODEL --input $(basename "$csv") --output - --threads 2 --device cpu --quiet\`"
  echo "on a CSV of $(python3 -c "print(f'{$rows:,}')") rows × 28 float columns, predictions counted and discarded. *Peak RSS* is"
  echo "time -v's maximum resident set of the whole JVM; *first quarter* is the largest VmRSS sampled (every 2 s) in the"
  echo "first quarter of the run: equal or close to the peak means memory stopped growing after the first batches"
  echo "(the command streams: a bounded window of rows and outputs, whatever the file's length). Target (issue 17):"
  echo "peak RSS < $limit GB for every model. Wall time includes JVM start, import and compile; the load average"
  echo "(start → end) shows how much the cores were shared."
  echo
  echo "| model | rows predicted | wall s | rows/s | peak RSS | first quarter | load average | < $limit GB |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  cat "$table"
  echo "<!-- stream-rss:end -->"
} >"$tmp/section.md"
python3 scripts/replace_section.py "$tmp/section.md" "$output" stream-rss streaming-memory
