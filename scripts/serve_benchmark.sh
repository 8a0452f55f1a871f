#!/usr/bin/env bash
# scripts/serve_benchmark.sh: load test of `ml2tensor serve` on loopback; writes the "Serving" section of
# BENCHMARKS.md (between the serve-benchmark markers; the rest of the file is left as it is).
#
#   scripts/serve_benchmark.sh [--models DIR] [--seconds S] [--clients "1 16 64"] [--rounds R] [--server-warmup W]
#                              [--max-requests N]
#                              [--delay-us U] [--output FILE] [--soak-minutes M] [--soak-only] [--skip-drain]
#
# 1. Models: DIR/rf500_d8/model.pkl (RandomForestClassifier, 500 trees, depth 8, 28 features) and
#    DIR/logreg5/model.pkl (LogisticRegression, 5 classes), as conformance-tests/fixtures/make_large_models.py
#    writes them (scripts/benchmarks.sh uses the same folder, default out/bench-models); missing ones are made
#    with that script (--only rf500_d8 logreg5) by .venv-bench/bin/python if present, else /usr/bin/python3.
# 2. The CLI (./ml2tensor builds it when needed; ML2TENSOR_JAVA_OPTS is passed on to the servers and recorded)
#    and the load generators, compiled with javac and run with -XX:+UseSerialGC so that their own GC pauses
#    stay short: serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java (REST, JDK only, one blocking
#    thread per client) and GrpcLoadGenerator.java (gRPC, the CLI's grpc-java jars, all clients as HTTP/2
#    streams on one connection and one event-loop thread; --raw sends raw_input_contents). Each measured run
#    also records the CPU seconds the generator and the server process used (server from /proc/PID/stat).
# 3. Two `ml2tensor serve` processes on free loopback ports (REST and gRPC), both serving both models: batching on
#    (--max-batch-rows 256 --max-queue-delay-us U, default 200) and off (--max-batch-rows 1, the same workers:
#    one ONNX Runtime call per request). First W seconds (default 12) of 64 clients per server and model, so
#    that the JIT has compiled the hot paths; then R rounds (default 2); in each, for each model and client count, a
#    closed-loop run of one-row JSON requests against one server and then the other (on/off in odd rounds,
#    off/on in even ones): warm-up 2 s, then S seconds (default 8) or N requests (default 2,000,000). Each run
#    records rows/s, latency p50/p90/p99/p99.9/max, errors, CPU used and the 1-minute load average before and
#    after. After the REST runs of rf500_d8 at 64 clients, the same over gRPC (raw_input_contents), on/off.
#    Then, coordinated omission corrected: rf500_d8 with 64 clients on a fixed schedule (--rate) at half of
#    each mode's closed-loop throughput, latency counted from the scheduled send time. Rows per ORT call and
#    peak RSS from each server.
# 4. Drain check on the batching server once the runs are done: 64 clients, SIGTERM after 3 s of load;
#    every request sent must get an answer (200, or 503 once draining) and the server must exit 0.
# 5. --soak-minutes M (optional, not part of the default run): scripts/serve_soak.sh --minutes M (RSS every
#    10 s, slope after the warm-up). --soak-only skips steps 3-4 and keeps their earlier results.
# Results: out/serve-bench/ (JSON lines, server logs); report section in BENCHMARKS.md (or --output FILE),
# with the soak summary from out/serve-soak/soak.json when there is one.
# Loopback only; every run is bounded in time and count. Takes about 7 minutes with 2 rounds (9 on a 2-core
# machine loaded by other work, including a rebuild of the CLI after source changes).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

models="out/bench-models"
seconds=8
clients="1 16 64"
max_requests=2000000
delay_us=200
output="BENCHMARKS.md"
soak=0
soak_only=0
drain=1
rounds=2
server_warmup=12
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --max-requests) max_requests="$2"; shift ;;
    --delay-us) delay_us="$2"; shift ;;
    --output) output="$2"; shift ;;
    --soak-minutes) soak="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --server-warmup) server_warmup="$2"; shift ;;
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
javac -d "$work/grpc-classes" -cp "cli/target/lib/*" serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java \
  serve/src/test/java/org/ml2tensor/serve/bench/GrpcLoadGenerator.java
gen() { java -Xss512k -XX:+UseSerialGC -cp "$work/classes" org.ml2tensor.serve.bench.LoadGenerator "$@"; }
ggen() { java -XX:+UseSerialGC -cp "$work/grpc-classes:cli/target/lib/*" org.ml2tensor.serve.bench.GrpcLoadGenerator "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

server_pid=""
start_server() { # mode, extra args... -> server_pid, port, grpc_port
  local mode="$1"; shift
  port="$(free_port)"
  grpc_port="$(free_port)"
  ML2TENSOR_NO_BUILD=1 ./ml2tensor serve "$work/models" --port "$port" --grpc-port "$grpc_port" --device cpu \
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
stop_server() { # pid; sets server_rc
  kill -TERM "$1"
  server_rc=0
  wait "$1" || server_rc=$?
}
batch_stats() { # port, model -> "mean rows per call, mean requests per call" from the server's /metrics
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v m="$2" '
    index($0, "ml2tensor_batch_rows_sum{model=\"" m "\"}") == 1 {rs=$2}
    index($0, "ml2tensor_batch_rows_count{model=\"" m "\"}") == 1 {rc=$2}
    index($0, "ml2tensor_batch_requests_sum{model=\"" m "\"}") == 1 {qs=$2}
    END {printf "\"calls\":%d,\"mean_batch_rows\":%.2f,\"mean_batch_requests\":%.2f", rc, (rc ? rs / rc : 0), (rc ? qs / rc : 0)}'
}
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
load1() { cut -d' ' -f1 /proc/loadavg; }
cell() { # mode, rest|grpc, port, server pid, model, clients, round, extra generator args...
  local mode="$1" proto="$2" p="$3" pid="$4" model="$5" c="$6" r="$7"; shift 7
  local l0 line g=gen
  [ "$proto" = grpc ] && g=ggen
  l0="$(load1)"
  line="$($g --port "$p" --server-pid "$pid" --model "$model" --rows "$models/$model/input.csv" --clients "$c" \
    --seconds "$seconds" --warmup 2 --max-requests "$max_requests" "$@")"
  echo "{\"mode\":\"$mode\",\"round\":$r,\"model\":\"$model\",\"load1_start\":$l0,\"load1_end\":$(load1),${line#\{}" \
    | tee -a "$results" >&2
}

# 3. batching on and off: both servers up at once, cells interleaved (on/off, then off/on next round)
if [ "$soak_only" = 0 ]; then
  echo "{\"mode\":\"machine\",\"loadavg_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"rounds\":$rounds,\"server_warmup_s\":$server_warmup,\"java_opts\":\"${ML2TENSOR_JAVA_OPTS:-}\"}" >> "$results"
  start_server batching --max-batch-rows 256 --max-queue-delay-us "$delay_us"
  on_pid=$server_pid; on_port=$port; on_gport=$grpc_port
  start_server nobatching --max-batch-rows 1 --max-queue-delay-us 0
  off_pid=$server_pid; off_port=$port; off_gport=$grpc_port
  # JIT warm-up of both servers (on a loaded machine the compiler threads get little CPU, and 2 s per
  # run would leave the first runs on interpreted code): W seconds of 64 clients per server and model.
  for model in rf500_d8 logreg5; do
    for p in "$on_port" "$off_port"; do
      gen --port "$p" --model "$model" --rows "$models/$model/input.csv" --clients 64 --seconds "$server_warmup" \
        --warmup 0 --max-requests "$max_requests" > /dev/null
    done
  done
  for p in "$on_gport" "$off_gport"; do
    ggen --raw --port "$p" --model rf500_d8 --rows "$models/rf500_d8/input.csv" --clients 64 --seconds 5 --warmup 0 \
      --max-requests "$max_requests" > /dev/null
  done
  for r in $(seq 1 "$rounds"); do
    for model in rf500_d8 logreg5; do
      for c in $clients; do
        if [ $((r % 2)) = 1 ]; then
          cell batching rest "$on_port" "$on_pid" "$model" "$c" "$r"; cell nobatching rest "$off_port" "$off_pid" "$model" "$c" "$r"
        else
          cell nobatching rest "$off_port" "$off_pid" "$model" "$c" "$r"; cell batching rest "$on_port" "$on_pid" "$model" "$c" "$r"
        fi
      done
      if [ "$model" = rf500_d8 ]; then
        if [ $((r % 2)) = 1 ]; then
          cell batching grpc "$on_gport" "$on_pid" rf500_d8 64 "$r" --raw --warmup 4; cell nobatching grpc "$off_gport" "$off_pid" rf500_d8 64 "$r" --raw --warmup 4
        else
          cell nobatching grpc "$off_gport" "$off_pid" rf500_d8 64 "$r" --raw --warmup 4; cell batching grpc "$on_gport" "$on_pid" rf500_d8 64 "$r" --raw --warmup 4
        fi
      fi
    done
  done
  # Coordinated omission corrected: 64 clients on a fixed schedule at half of each mode's closed-loop
  # throughput (median over the rounds), latency counted from each request's scheduled send time.
  for mode in batching nobatching; do
    rate="$(python3 -c 'import json,sys,statistics; r=[json.loads(l) for l in open(sys.argv[1])]; print(round(0.5*statistics.median(x["rows_per_s"] for x in r if x.get("mode")==sys.argv[2] and x.get("model")=="rf500_d8" and x.get("clients")==64 and x.get("loop")=="closed") or 100))' "$results" "$mode" 2>/dev/null || echo 100)"
    p=$on_port; pid=$on_pid
    [ "$mode" = nobatching ] && { p=$off_port; pid=$off_pid; }
    cell "$mode" rest "$p" "$pid" rf500_d8 64 0 --rate "$rate"
  done
  for model in rf500_d8 logreg5; do
    echo "{\"mode\":\"batching\",\"stats_model\":\"$model\",$(batch_stats "$on_port" "$model")}" | tee -a "$results" >&2
    echo "{\"mode\":\"nobatching\",\"stats_model\":\"$model\",$(batch_stats "$off_port" "$model")}" | tee -a "$results" >&2
  done
  on_rss="$(peak_rss_kb "$on_pid")"
  off_rss="$(peak_rss_kb "$off_pid")"
  stop_server "$off_pid"
  echo "{\"mode\":\"nobatching\",\"peak_rss_kb\":$off_rss,\"exit\":$server_rc}" | tee -a "$results" >&2
  if [ "$drain" = 0 ]; then
    stop_server "$on_pid"
    echo "{\"mode\":\"batching\",\"peak_rss_kb\":$on_rss,\"exit\":$server_rc}" | tee -a "$results" >&2
  else
    server_pid=$on_pid; port=$on_port
  fi
fi

# 4. drain under load (the batching server of step 3 when it ran, else a fresh one)
if [ "$drain" = 1 ]; then
  [ "$soak_only" = 0 ] || start_server drain --max-batch-rows 256 --max-queue-delay-us "$delay_us"
  answered() { curl -sf "http://127.0.0.1:$port/metrics" | awk 'index($0, "ml2tensor_requests_total{model=\"rf500_d8\"") == 1 {s += $2} END {printf "%d", s}'; }
  n0="$(answered)"
  gen --port "$port" --model rf500_d8 --rows "$models/rf500_d8/input.csv" --clients 64 --until-closed \
    --max-requests "$max_requests" > "$work/drain.json" &
  gen_pid=$!
  # SIGTERM once the load is on: after 3 s of answered requests (at least 1000), as the metrics say
  for _ in $(seq 1 300); do
    [ $(( $(answered) - n0 )) -ge 1000 ] && break
    sleep 0.2
  done
  sleep 3
  stop_server "$server_pid"
  wait "$gen_pid"
  echo "{\"mode\":\"drain\",\"exit\":$server_rc,$(sed 's/^{//' "$work/drain.json")" | tee -a "$results" >&2
  [ "$soak_only" = 1 ] || echo "{\"mode\":\"batching\",\"peak_rss_kb\":$on_rss,\"exit\":$server_rc}" | tee -a "$results" >&2
fi

# 5. optional soak (scripts/serve_soak.sh; its summary lands in out/serve-soak/soak.json)
if [ "$soak" != 0 ]; then
  scripts/serve_soak.sh --minutes "$soak"
fi

[ "$soak_only" = 1 ] || echo "{\"mode\":\"machine_end\",\"loadavg_end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$results"

# 6. report
soaks=()
for f in out/serve-soak/soak.json out/serve-soak-*/soak.json; do
  if [ -f "$f" ]; then soaks+=(--soak "$f"); fi
done
python3 scripts/serve_benchmark_report.py "$results" "$output" "${soaks[@]}" --seconds "$seconds" \
  --delay-us "$delay_us"
echo "serve_benchmark: wrote the Serving section of $output" >&2
