#!/usr/bin/env bash
# Rows/s of the naive Bayes, discriminant, clustering, linear-family and LightGBM-wrapper graphs (issue 12) against
# the single-threaded EJML reference evaluator, side by side in one process, at batch 1 / 1,000 / 100,000
# (`ml2tensor bench`, CPU, --threads 2), on committed scikit-learn 1.9.1 fixtures of
# conformance-tests/src/test/resources/fixtures/families/. Writes the section "Families: naive Bayes, QDA/LDA,
# KMeans, linear family, LGBM wrappers" of BENCHMARKS.md (replacing an earlier one).
#
#   scripts/bench_families.sh [--seconds S] [--output FILE]   (default BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=1
output=BENCHMARKS.md
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    *) echo "usage: scripts/bench_families.sh [--seconds S] [--output FILE]" >&2; exit 2 ;;
  esac
done
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
root=conformance-tests/src/test/resources/fixtures/families
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
models="gaussian_nb multinomial_nb categorical_nb qda_multiclass lda_svd_multiclass kmeans sgd_log_loss_multiclass
        sgd_modified_huber_multiclass huber_regressor lgbm_classifier_strings"
for m in $models; do
  ./ml2tensor bench "$root/${m}__skl1.9.1/model.pkl" --batch 1,1000,100000 --threads 2 --seconds "$seconds" \
    --reference-max-batch 100000 --quiet --markdown "$out/$m.md" > /dev/null
done
section="## Families: naive Bayes, QDA/LDA, KMeans, linear family, LGBM wrappers"
{
  echo "$section"
  echo
  echo "Written by \`scripts/bench_families.sh\` ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load average at the start $load_start, CPU, \`--threads 2\`, \`--seconds $seconds\`):"
  echo "\`ml2tensor bench\` on the scikit-learn 1.9.1 fixtures of \`conformance-tests/src/test/resources/fixtures/families/\`,"
  echo "the compiled graph at the default precision (float64) side by side with the single-threaded EJML reference"
  echo "evaluator in the same process, rows/s at batch 1 / 1,000 / 100,000."
  echo
  for m in $models; do
    echo "### $m"
    echo
    sed -n '/^| batch/,/^$/p' "$out/$m.md" | sed '/^$/d'
    echo
  done
  echo "At batch 1 the reference wins (one ONNX Runtime call costs about 10 µs); at 1,000 and 100,000 rows compare"
  echo "the ratios (measured side by side in one process); absolute rows/s depend on the load average above."
} > "$out/section.md"
python3 - "$out/section.md" "$section" "$output" <<'EOF'
import sys, pathlib
title = sys.argv[2]
begin, end = "<!-- families-benchmark:begin -->", "<!-- families-benchmark:end -->"
section = begin + "\n" + pathlib.Path(sys.argv[1]).read_text().rstrip("\n") + "\n" + end
bench = pathlib.Path(sys.argv[3])
text = bench.read_text() if bench.exists() else ""
if begin in text and end in text:
    text = text.split(begin, 1)[0] + section + text.split(end, 1)[1]
elif title in text:
    # an older section without markers: it ends at the next heading or marker of another section
    start = text.index(title)
    stops = [i for i in (text.find("\n## ", start + len(title)), text.find("\n<!-- ", start + len(title))) if i >= 0]
    text = text[:start] + section + ("\n\n" + text[min(stops) + 1:].lstrip("\n") if stops else "\n")
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
bench.write_text(text)
EOF
echo "$output: section written"
