#!/usr/bin/env bash
# scripts/serve_benchmark.sh: load test of `ml2tensor serve` on loopback; writes the "Serving" section of
# BENCHMARKS.md (between the serve-benchmark markers; the rest of the file is left as it is).
#
#   scripts/serve_benchmark.sh [--models DIR] [--seconds S] [--clients "1 16 64"] [--max-requests N]
#                              [--delay-us U] [--output FILE] [--soak-minutes M] [--soak-only] [--skip-drain]
#
# 1. Models: DIR/rf500_d8/model.pkl (RandomForestClassifier, 500 trees, depth 8, 28 features) and
#    DIR/logreg5/model.pkl (LogisticRegression, 5 classes), as conformance-tests/fixtures/make_large_models.py
#    writes them (scripts/benchmarks.sh uses the same folder, default out/bench-models); missing ones are made
#    with that script (--only rf500_d8 logreg5) by .venv-bench/bin/python if present, else /usr/bin/python3.
# 2. The CLI (./ml2tensor builds it when needed) and the load generator
#    (serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java, JDK only, compiled with javac).
# 3. For batching on (--max-batch-rows 256 --max-queue-delay-us U, default 200) and off (--max-batch-rows 1;
#    the same number of workers, one ONNX Runtime call per request): one `ml2tensor serve` process serving
#    both models on a free loopback port; for each model and each client count, a closed-loop run of one-row
#    JSON requests: warm-up 2 s, then S seconds (default 10) or N requests (default 2,000,000), whichever
#    comes first. Rows/s, latency p50/p99, errors; the server's peak RSS.
# 4. Drain check: 64 clients with batching on, SIGTERM to the server after 3 s of load; every request
#    sent must get an answer (200, or 503 once draining) and the server must exit 0.
# 5. --soak-minutes M (optional, not part of the default run): M minutes of 64 clients on rf500_d8,
#    RSS sampled every 10 s into the results folder and summarised (first/last/max). --soak-only skips
#    steps 3-4 and keeps their earlier results for the report.
# Results: out/serve-bench/ (JSON lines, server logs); report section in BENCHMARKS.md (or --output FILE).
# Loopback only; every run is bounded in time and count. Takes about 3 minutes (+ model generation once).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

models="out/bench-models"
seconds=10
clients="1 16 64"
max_requests=2000000
delay_us=200
output="BENCHMARKS.md"
soak=0
soak_only=0
drain=1
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --max-requests) max_requests="$2"; shift ;;
    --delay-us) delay_us="$2"; shift ;;
    --output) output="$2"; shift ;;
    --soak-minutes) soak="$2"; shift ;;
    --skip-drain) drain=0 ;;
    --soak-only) soak_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve_benchmark.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

work="out/serve-bench"
mkdir -p "$work/models" "$work/classes"
results="$work/results.jsonl"
if [ "$soak_only" = 1 ] && [ -f "$results" ]; then
  grep -v '"mode":"soak"' "$results" > "$results.tmp" || true
  mv "$results.tmp" "$results"
  drain=0
else
  : > "$results"
fi

# 1. models
need=()
for m in rf500_d8 logreg5; do
  [ -f "$models/$m/model.pkl" ] || need+=("$m")
done
if [ ${#need[@]} -gt 0 ]; then
  py=/usr/bin/python3
  [ -x .venv-bench/bin/python ] && py=.venv-bench/bin/python
  echo "serve_benchmark: making ${need[*]} with $py (once)" >&2
  "$py" conformance-tests/fixtures/make_large_models.py "$models" --only "${need[@]}" >&2
fi
for m in rf500_d8 logreg5; do
  cp "$models/$m/model.pkl" "$work/models/$m.pkl"
done

# 2. CLI and load generator
./ml2tensor --version >/dev/null
javac -d "$work/classes" serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java
gen() { java -Xss512k -cp "$work/classes" org.ml2tensor.serve.bench.LoadGenerator "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

server_pid=""
start_server() { # mode, extra args...
  local mode="$1"; shift
  port="$(free_port)"
  ML2TENSOR_NO_BUILD=1 ./ml2tensor serve "$work/models" --port "$port" --grpc-port -1 --device cpu \
    --access-log off --no-watch "$@" > "$work/server-$mode.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    if curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$mode.log" >&2; return 1; }
    sleep 0.2
  done
  echo "serve_benchmark: the server did not become ready" >&2; return 1
}
server_rc=0
stop_server() { # sets server_rc
  kill -TERM "$server_pid"
  server_rc=0
  wait "$server_pid" || server_rc=$?
}
batch_stats() { # model -> "mean rows per call, mean requests per call" from the server's /metrics
  curl -sf "http://127.0.0.1:$port/metrics" | awk -v m="$1" '
    index($0, "ml2tensor_batch_rows_sum{model=\"" m "\"}") == 1 {rs=$2}
    index($0, "ml2tensor_batch_rows_count{model=\"" m "\"}") == 1 {rc=$2}
    index($0, "ml2tensor_batch_requests_sum{model=\"" m "\"}") == 1 {qs=$2}
    END {printf "\"calls\":%d,\"mean_batch_rows\":%.2f,\"mean_batch_requests\":%.2f", rc, (rc ? rs / rc : 0), (rc ? qs / rc : 0)}'
}
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0; }

run_mode() { # mode, serve args...
  local mode="$1"; shift
  start_server "$mode" "$@"
  for model in rf500_d8 logreg5; do
    for c in $clients; do
      line="$(gen --port "$port" --model "$model" --rows "$models/$model/input.csv" --clients "$c" \
        --seconds "$seconds" --warmup 2 --max-requests "$max_requests")"
      echo "{\"mode\":\"$mode\",\"model\":\"$model\",${line#\{}" | tee -a "$results" >&2
    done
    echo "{\"mode\":\"$mode\",\"stats_model\":\"$model\",$(batch_stats "$model")}" | tee -a "$results" >&2
  done
  rss="$(peak_rss_kb)"
  stop_server
  echo "{\"mode\":\"$mode\",\"peak_rss_kb\":$rss,\"exit\":$server_rc}" | tee -a "$results" >&2
}

# 3. batching on / off
if [ "$soak_only" = 0 ]; then
  echo "{\"mode\":\"machine\",\"loadavg_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$results"
  run_mode batching --max-batch-rows 256 --max-queue-delay-us "$delay_us"
  run_mode nobatching --max-batch-rows 1 --max-queue-delay-us 0
fi

# 4. drain under load
if [ "$drain" = 1 ]; then
  start_server drain --max-batch-rows 256 --max-queue-delay-us "$delay_us"
  gen --port "$port" --model rf500_d8 --rows "$models/rf500_d8/input.csv" --clients 64 --until-closed \
    --max-requests "$max_requests" > "$work/drain.json" &
  gen_pid=$!
  # SIGTERM once the load is on: after 3 s of answered requests (at least 1000), as the metrics say
  for _ in $(seq 1 300); do
    n="$(curl -sf "http://127.0.0.1:$port/metrics" | awk 'index($0, "ml2tensor_requests_total{model=\"rf500_d8\"") == 1 {s += $2} END {print s + 0}')"
    [ "${n%.*}" -ge 1000 ] && break
    sleep 0.2
  done
  sleep 3
  stop_server
  wait "$gen_pid"
  echo "{\"mode\":\"drain\",\"exit\":$server_rc,$(sed 's/^{//' "$work/drain.json")" | tee -a "$results" >&2
fi

# 5. optional soak
if [ "$soak" != 0 ]; then
  start_server soak --max-batch-rows 256 --max-queue-delay-us "$delay_us"
  : > "$work/soak-rss.tsv"
  gen --port "$port" --model rf500_d8 --rows "$models/rf500_d8/input.csv" --clients 64 --warmup 0 \
    --seconds "$((soak * 60))" --max-requests 1000000000 > "$work/soak.json" &
  gen_pid=$!
  t=0
  while kill -0 "$gen_pid" 2>/dev/null; do
    echo -e "$t\t$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")" >> "$work/soak-rss.tsv"
    sleep 10; t=$((t + 10))
  done
  wait "$gen_pid"
  stop_server
  echo "{\"mode\":\"soak\",\"minutes\":$soak,\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"exit\":$server_rc,$(sed 's/^{//' "$work/soak.json")" | tee -a "$results" >&2
fi

[ "$soak_only" = 1 ] || echo "{\"mode\":\"machine_end\",\"loadavg_end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$results"

# 6. report
python3 scripts/serve_benchmark_report.py "$results" "$output" --work "$work" --seconds "$seconds" --delay-us "$delay_us"
echo "serve_benchmark: wrote the Serving section of $output" >&2
