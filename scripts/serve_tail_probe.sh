#!/usr/bin/env bash
# scripts/serve_tail_probe.sh: looks for the causes of the batching path's latency tail. For each server
# variant (JVM options and serve options), in interleaved rounds, one `ml2tensor serve` on a free loopback
# port serves a model (compiled once to .onnx), and the closed-loop load generator sends one-row requests
# from C clients for S seconds after a warm-up. Per run it records rows/s, latency p50/p99/p99.9/max, the
# server's GC pauses in the measured window (from -Xlog:gc), the time the server's threads spent runnable
# but waiting for a core (run-queue delay, /proc/PID/task/*/schedstat) and its CPU time, and the load
# average. Results: out/serve-probe/probe-TIME.jsonl, one JSON line per run; scripts/serve_tail_probe_report.py
# summarises every probe-*.jsonl there (per variant: medians over its runs) into the "Serving: where the
# latency tail comes from" section of BENCHMARKS.md (or --output FILE), between the serve-tail-probe markers.
#
#   scripts/serve_tail_probe.sh [--model rf500_d8] [--clients 64] [--seconds 10] [--rounds 2]
#                               [--variant 'NAME|JVM OPTS|SERVE ARGS']... [--output FILE] [--report-only]
#
# Without --variant: the default server, G1 with a 5 ms pause goal and a 64 MiB young generation,
# Parallel GC, one batch worker per model, and 2 Netty event loops. Loopback only, bounded in time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
model=rf500_d8
clients=64
seconds=10
rounds=2
output=BENCHMARKS.md
report_only=0
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --variant) variants+=("$2"); shift ;;
    --output) output="$2"; shift ;;
    --report-only) report_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve_tail_probe.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ ${#variants[@]} -eq 0 ]; then
  variants=(
    "default||"
    "g1-5ms-young64m|-XX:MaxGCPauseMillis=5 -Xmn64m|"
    "parallel-gc|-XX:+UseParallelGC|"
    "1-worker||--workers 1"
    "2-event-loops|-Dio.netty.eventLoopThreads=2|"
  )
fi
work=out/serve-probe
mkdir -p "$work/models" "$work/classes"
if [ "$report_only" = 1 ]; then
  python3 scripts/serve_tail_probe_report.py "$work" "$output"
  exit 0
fi
models=out/bench-models
if [ ! -f "$models/$model/model.pkl" ]; then
  py=/usr/bin/python3
  [ -x .venv-bench/bin/python ] && py=.venv-bench/bin/python
  "$py" conformance-tests/fixtures/make_large_models.py "$models" --only "$model" >&2
fi
./ml2tensor --version >/dev/null
[ -f "$work/models/$model.onnx" ] || ML2TENSOR_NO_BUILD=1 ./ml2tensor compile "$models/$model/model.pkl" \
  -o "$work/models/$model.onnx" --strategy auto --expected-batch 256 >&2
javac -d "$work/classes" serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# Sum over the server's threads of CPU ns and run-queue wait ns.
sched() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{c += $1; w += $2} END {printf "%.0f %.0f", c, w}'; }
out="$work/probe-$(date -u +%Y%m%dT%H%M%S).jsonl"
for r in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    IFS='|' read -r name jvm args <<< "$v"
    port="$(free_port)"
    gclog="$work/gc-$name-$r.log"
    # shellcheck disable=SC2086
    ML2TENSOR_CDS=0 ML2TENSOR_NO_BUILD=1 ML2TENSOR_JAVA_OPTS="$jvm -Xlog:gc:file=$gclog:uptimemillis" \
      ./ml2tensor serve "$work/models" --port "$port" --grpc-port -1 --device cpu --access-log off --no-watch \
      --max-batch-rows 256 --max-queue-delay-us 200 $args > "$work/server-$name.log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1; do
      kill -0 "$pid" 2>/dev/null || { cat "$work/server-$name.log" >&2; exit 1; }
      sleep 0.2
    done
    java -Xss512k -XX:+UseSerialGC -cp "$work/classes" org.ml2tensor.serve.bench.LoadGenerator --port "$port" --model "$model" \
      --rows "$models/$model/input.csv" --clients "$clients" --seconds 3 --warmup 0 --max-requests 100000000 >/dev/null
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    read -r c0 w0 <<< "$(sched "$pid")"
    up0="$(awk '{print $1}' /proc/uptime)"
    gc0="$(wc -l < "$gclog")"
    line="$(java -Xss512k -XX:+UseSerialGC -cp "$work/classes" org.ml2tensor.serve.bench.LoadGenerator --port "$port" --model "$model" \
      --rows "$models/$model/input.csv" --clients "$clients" --seconds "$seconds" --warmup 0 --max-requests 100000000)"
    read -r c1 w1 <<< "$(sched "$pid")"
    up1="$(awk '{print $1}' /proc/uptime)"
    gc="$(tail -n +"$((gc0 + 1))" "$gclog" | awk '/Pause/ {v = $NF; sub(/ms$/, "", v); v += 0; n++; s += v; if (v > m) m = v}
      END {printf "\"gc_pauses\":%d,\"gc_pause_ms_total\":%.1f,\"gc_pause_ms_max\":%.2f", n, s, m}')"
    kill -TERM "$pid"; wait "$pid" || true
    wall="$(echo "$up1 - $up0" | bc)"
    echo "{\"variant\":\"$name\",\"round\":$r,\"loadavg\":\"$load\",$gc,\"server_cpu_s_per_s\":$(awk -v a="$c0" -v b="$c1" -v t="$wall" 'BEGIN {printf "%.3f", (b - a) / 1e9 / t}'),\"server_runqueue_wait_s_per_s\":$(awk -v a="$w0" -v b="$w1" -v t="$wall" 'BEGIN {printf "%.3f", (b - a) / 1e9 / t}'),${line#\{}" | tee -a "$out"
  done
done
python3 scripts/serve_tail_probe_report.py "$work" "$output"
