#!/usr/bin/env bash
# scripts/serve_soak.sh: holds `ml2tensor serve` under load for N minutes and watches its memory. One server
# (batching on: --max-batch-rows 256 --max-queue-delay-us 200) serves rf500_d8 (RandomForestClassifier, 500
# trees; made by conformance-tests/fixtures/make_large_models.py when missing) on a free loopback port; the
# closed-loop load generator (serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java) keeps C
# one-row JSON clients busy for the whole time while the server's RSS (VmRSS) and the load average are
# sampled every 10 s. At the end: least-squares RSS slope after the warm-up (MiB per minute), the growth
# that slope predicts over the window, the residual noise, and a verdict: flat when the fitted growth is
# below max(3 x residual standard deviation, 2% of the mean RSS). The server must also exit 0 on SIGTERM.
# --rate R holds the load at R requests/s in all (each client on a fixed schedule, latency counted from the
# scheduled send time) instead of the closed loop, so that a long soak on a shared machine takes a bounded
# share of the CPU. ML2TENSOR_JAVA_OPTS is passed to the server (e.g. -Xmx512m) and recorded. The server runs
# from a private copy of cli/target (jar and lib/), so rebuilding the project during the soak cannot pull
# its class files away.
#
#   scripts/serve_soak.sh [--minutes 30] [--clients 64] [--warmup-minutes 2] [--model rf500_d8] [--rate R]
#                         [--out DIR]
#
# Results (--out, default out/serve-soak): rss.tsv (seconds, RSS KiB, load average 1 min), out/serve-soak/soak.json (summary,
# also printed), out/serve-soak/server.log. scripts/serve_benchmark_report.py adds the summary to the
# Serving section of BENCHMARKS.md. Loopback only; bounded by --minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes=30
clients=64
warmup=2
model=rf500_d8
rate=0
work=out/serve-soak
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --warmup-minutes) warmup="$2"; shift ;;
    --model) model="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    --out) work="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve_soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
models=out/bench-models
mkdir -p "$work/models" "$work/classes"
if [ ! -f "$models/$model/model.pkl" ]; then
  py=/usr/bin/python3
  [ -x .venv-bench/bin/python ] && py=.venv-bench/bin/python
  "$py" conformance-tests/fixtures/make_large_models.py "$models" --only "$model" >&2
fi
rm -f "$work/models/"*
cp "$models/$model/model.pkl" "$work/models/$model.pkl"
./ml2tensor --version >/dev/null
javac -d "$work/classes" serve/src/test/java/org/ml2tensor/serve/bench/LoadGenerator.java
rm -rf "$work/cli"
mkdir -p "$work/cli"
cp -r cli/target/ml2tensor.jar cli/target/lib "$work/cli/"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
# shellcheck disable=SC2086
java ${ML2TENSOR_JAVA_OPTS:-} -jar "$work/cli/ml2tensor.jar" serve "$work/models" --port "$port" --grpc-port -1 --device cpu --access-log off \
  --no-watch --max-batch-rows 256 --max-queue-delay-us 200 > "$work/server.log" 2>&1 &
pid=$!
gen_pid=""
trap '[ -n "$gen_pid" ] && kill "$gen_pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
rate_args=()
[ "$rate" != 0 ] && rate_args=(--rate "$rate")
java -Xss512k -XX:+UseSerialGC -cp "$work/classes" org.ml2tensor.serve.bench.LoadGenerator --port "$port" \
  --model "$model" --rows "$models/$model/input.csv" --clients "$clients" --warmup 0 --seconds "$((minutes * 60))" \
  --max-requests 1000000000 "${rate_args[@]}" > "$work/load.json" &
gen_pid=$!
: > "$work/rss.tsv"
t0="$(date +%s)"
while kill -0 "$gen_pid" 2>/dev/null; do
  t=$(( $(date +%s) - t0 ))
  printf '%d\t%s\t%s\n' "$t" "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" "$(cut -d' ' -f1 /proc/loadavg)" \
    >> "$work/rss.tsv"
  sleep 10
done
wait "$gen_pid"
gen_pid=""
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
trap - EXIT
ML2TENSOR_JAVA_OPTS="${ML2TENSOR_JAVA_OPTS:-}" python3 - "$work" "$minutes" "$warmup" "$clients" "$model" "$rc" "$load_start" "$load_end" "$rate" <<'PY'
import json, os, statistics, sys
from pathlib import Path
work, minutes, warmup, clients, model, rc, load_start, load_end, rate = sys.argv[1:]
samples = [l.split("\t") for l in Path(work, "rss.tsv").read_text().splitlines() if l.count("\t") == 2]
pts = [(int(t), int(k) / 1024) for t, k, _ in samples if k.strip().isdigit()]
loads = [float(x) for _, _, x in samples]
after = [(t, m) for t, m in pts if t >= float(warmup) * 60]
slope = growth = noise = 0.0
if len(after) >= 3:
    mt = statistics.fmean(t for t, _ in after)
    mm = statistics.fmean(m for _, m in after)
    sxx = sum((t - mt) ** 2 for t, _ in after)
    b = sum((t - mt) * (m - mm) for t, m in after) / sxx
    noise = statistics.pstdev([m - (mm + b * (t - mt)) for t, m in after])
    slope = b * 60
    growth = b * (after[-1][0] - after[0][0])
    mean = mm
else:
    mean = statistics.fmean(m for _, m in pts) if pts else 0
load = json.loads(Path(work, "load.json").read_text())
summary = {
    "mode": "soak", "minutes": int(minutes), "clients": int(clients), "model": model, "exit": int(rc),
    "rate": float(rate), "java_opts": os.environ.get("ML2TENSOR_JAVA_OPTS", ""),
    "samples": len(pts), "warmup_minutes": float(warmup),
    "rss_start_mib": round(pts[0][1], 1) if pts else 0,
    "rss_after_warmup_mib": round(after[0][1], 1) if after else 0,
    "rss_end_mib": round(pts[-1][1], 1) if pts else 0,
    "rss_max_mib": round(max(m for _, m in pts), 1) if pts else 0,
    "slope_mib_per_min": round(slope, 3), "fitted_growth_mib": round(growth, 1),
    "residual_sd_mib": round(noise, 2), "mean_rss_mib": round(mean, 1),
    "flat": len(after) >= 3 and abs(growth) < max(3 * noise, 0.02 * mean),
    "loadavg_start": load_start, "loadavg_end": load_end,
    "load1_min": min(loads) if loads else 0, "load1_max": max(loads) if loads else 0,
    "requests": load["requests"], "errors": load["errors"], "lost": load["lost"],
    "rows_per_s": load["rows_per_s"], "p50_ms": load["p50_ms"], "p99_ms": load["p99_ms"],
}
Path(work, "soak.json").write_text(json.dumps(summary) + "\n")
print(json.dumps(summary))
PY
