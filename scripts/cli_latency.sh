#!/usr/bin/env bash
# scripts/cli_latency.sh: where a one-shot `ml2tensor predict` of 10 rows from a compiled .onnx spends its
# time, measured side by side in the same minutes on this machine, and the Markdown section
# "One-shot CLI latency" of BENCHMARKS.md (to --output, default out/cli-latency.md; scripts/benchmarks.sh
# runs it as its "latency" section and scripts/benchmarks_report.py puts it into BENCHMARKS.md).
#
#   scripts/cli_latency.sh [--runs N] [--baseline-jar JAR] [--output FILE]
#
# Configurations (each run N times, interleaved; medians reported):
#   jvm           java -Xshare:auto -version: the JVM's own start and exit, the floor
#   version       ml2tensor --version: JVM + CLI start, no ONNX Runtime
#   no-cache      predict with ONNX Runtime extracting its natives to a new temp folder (the old behaviour;
#                 forced by an unusable ML2TENSOR_CACHE_DIR), no AppCDS
#   cached        predict with the natives from the per-user cache, no AppCDS
#   cached+cds    predict with the natives cached and the AppCDS archive (what ./ml2tensor does)
#   baseline      --baseline-jar: the same predict with another build's jar (e.g. the commit before issue 18)
# Phases come from the JVM's class-loading log (-Xlog:class+load with uptime): CLI main starts when
# picocli loads, ONNX Runtime init when ai.onnxruntime.OnnxRuntime loads, the session is open when
# ModelInfoReader loads, and the run ends with the last class loaded. CPU = user + sys seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=7
baseline=""
output=out/cli-latency.md
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --baseline-jar) baseline="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
./ml2tensor --version >/dev/null
jar="cli/target/ml2tensor.jar"
work="$(mktemp -d "${TMPDIR:-/tmp}/ml2tensor-latency.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fixture=conformance-tests/src/test/resources/fixtures/sklearn/random_forest_classifier_strings__skl1.9.1
ML2TENSOR_CDS=0 ./ml2tensor compile "$fixture/model.pkl" -o "$work/m.onnx" >/dev/null
head -11 "$fixture/input.csv" >"$work/x.csv"
predict=(predict "$work/m.onnx" --input "$work/x.csv" --output "$work/y.csv" --device cpu --quiet)
cache="$work/cache"
mkdir -p "$cache"
java -XX:ArchiveClassesAtExit="$work/app.jsa" -Xlog:disable -jar "$jar" "${predict[@]}" >/dev/null 2>&1 || true

run_one() { # name, then the command; prints: name wall cpu main ort session end
  local name="$1" log="$work/cl.log"
  shift
  rm -f "$log"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  local wall user sys main="-" ort="-" session="-" end="-"
  read -r wall user sys <"$work/time"
  if [ -f "$log" ]; then
    ms() { { grep -m1 " $1 " "$log" || true; } | sed 's/^\[\([0-9]*\)ms\].*/\1/'; }
    main="$(ms picocli.CommandLine)"; ort="$(ms ai.onnxruntime.OnnxRuntime)"; session="$(ms org.ml2tensor.runtime.ModelInfoReader)"
    end="$(tail -1 "$log" | sed 's/^\[\([0-9]*\)ms\].*/\1/')"
  fi
  echo "$name $wall $(echo "$user + $sys" | bc) ${main:--} ${ort:--} ${session:--} ${end:--}"
}
xlog="-Xlog:class+load=info:file=$work/cl.log:uptimemillis"
: >"$work/results"
for i in $(seq "$runs"); do
  run_one jvm java -Xshare:auto -version >>"$work/results"
  run_one version java "$xlog" -jar "$jar" --version >>"$work/results"
  run_one no-cache env ML2TENSOR_CACHE_DIR=/proc/ml2tensor-no-cache java "$xlog" -Djava.io.tmpdir="$work" -jar "$jar" "${predict[@]}" >>"$work/results"
  run_one cached env ML2TENSOR_CACHE_DIR="$cache" java "$xlog" -jar "$jar" "${predict[@]}" >>"$work/results"
  run_one cached+cds env ML2TENSOR_CACHE_DIR="$cache" java -XX:SharedArchiveFile="$work/app.jsa" -Xlog:disable "$xlog" -jar "$jar" "${predict[@]}" >>"$work/results"
  if [ -n "$baseline" ]; then
    run_one baseline java "$xlog" -Djava.io.tmpdir="$work" -jar "$baseline" "${predict[@]}" >>"$work/results"
  fi
  rm -rf "$work"/onnxruntime-java*
done
mkdir -p "$(dirname "$output")"
{
  echo "## One-shot CLI latency"
  echo
  echo "\`ml2tensor predict\` of 10 rows from a compiled RandomForest .onnx (\`--device cpu --quiet\`), one fresh JVM per"
  echo "call, $runs interleaved runs per configuration, medians; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
  echo "at the end, $(java -version 2>&1 | head -1). Phases are JVM uptimes (ms) at which the CLI's main starts"
  echo "(picocli loads), ONNX Runtime starts loading, the session is open, and the last class loads. Produced by"
  echo "\`scripts/cli_latency.sh\`."
  echo
  echo "| configuration | wall s | CPU s | main ms | ORT start ms | session open ms | last class ms |"
  echo "|---|---|---|---|---|---|---|"
  for name in jvm version baseline no-cache cached cached+cds; do
    grep "^$name " "$work/results" >/dev/null || continue
    med() { grep "^$name " "$work/results" | awk -v c="$1" '{print $c}' | grep -v -- - | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }
    echo "| $name | $(med 2) | $(med 3) | $(med 4) | $(med 5) | $(med 6) | $(med 7) |"
  done
  echo
  echo "Reading the table: \`jvm\` is the floor a Java CLI cannot go below; \`version\` builds every command's"
  echo "picocli model (a named command builds only its own since issue 18); \`baseline\` (when given) is the build"
  echo "before issue 18, which also built every command and extracted ONNX Runtime's 26 MB native library into a"
  echo "new temporary folder per run; \`no-cache\` forces that extraction with today's build; \`cached\` loads the"
  echo "natives from the per-user cache (ORT start to session open shrinks most); \`cached+cds\` adds the AppCDS"
  echo "archive that \`bin/ml2tensor\` and \`./ml2tensor\` keep. What remains is the JVM, class loading and linking"
  echo "of picocli, protobuf and ONNX Runtime's Java classes, and dlopen of libonnxruntime.so; for many small calls"
  echo "keep one process (the Java API, or a long-running server) instead of one JVM per call."
} | tee "$output"
