#!/usr/bin/env bash
# scripts/serve_compat.sh: runs scripts/serve_compat.py against `ml2tensor serve` on free loopback ports
# (not needed by CI). A venv .venv-serve gets numpy, requests, grpcio and grpcio-tools from pip; with
# SERVE_COMPAT_TRITON=1 also tritonclient[all] (where the index serves it: then the official client makes
# the calls; the local mirror here does not have it, nor the KServe SDK). Serves the
# iris RandomForest fixture as model "iris" and compares every answer with scikit-learn's predictions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${SERVE_VENV:-.venv-serve}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy requests grpcio grpcio-tools
fi
if [ "${SERVE_COMPAT_TRITON:-0}" = 1 ]; then
  "$venv/bin/pip" install -q "tritonclient[all]" || echo "serve_compat: tritonclient not available from the index; using requests + grpcio" >&2
fi
fixture=conformance-tests/src/test/resources/fixtures/sklearn/random_forest_classifier_strings__skl1.9.1
dir="$(mktemp -d)"
cp "$fixture/model.pkl" "$dir/iris.pkl"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
http="$(free_port)"; grpc="$(free_port)"
./ml2tensor serve "$dir" --port "$http" --grpc-port "$grpc" --device cpu --access-log off > "$dir/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$http/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.2
done
"$venv/bin/python" scripts/serve_compat.py --http "127.0.0.1:$http" --grpc "127.0.0.1:$grpc" --model iris --fixture "$fixture"
