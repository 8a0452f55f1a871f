#!/usr/bin/env bash
# Issue 14's fault check on the benchmark file: a malformed row at line 9,000,000 of the 20M-row CSV
# (written by scripts/train_benchmark.sh) stops `ml2tensor train` with file:line and the column (exit 7),
# keeps the checkpoint of the last good chunk, and `--resume` after the line is fixed finishes with the same
# model as an uninterrupted run (the joblib files compared byte for byte).
#
# usage: scripts/train_fault_check.sh [--dir DIR] [--rows N] [--line L]
# defaults: DIR /tmp/ml2tensor-train-bench, 20,000,000 rows, line 9,000,000. Needs 2x the CSV's disk space.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=/tmp/ml2tensor-train-bench; rows=20000000; bad_line=9000000
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift ;;
    --rows) rows="$2"; shift ;;
    --line) bad_line="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
csv="$dir/classification-$rows.csv"
[ -s "$csv" ] || { echo "no $csv: run scripts/train_benchmark.sh --rows $rows first" >&2; exit 2; }
work="$dir/fault"
rm -rf "$work"; mkdir -p "$work"
train() { # OUTPUT INPUT EXTRA...
  local out="$1" in="$2"; shift 2
  ML2TENSOR_NO_BUILD=1 "$root/ml2tensor" train SGDClassifier --input "$in" --target y --classes 0,1 \
    --set random_state=0 --holdout-rows 200000 --chunk-rows 400000 -q -o "$out" "$@"
}
(cd "$root" && ./ml2tensor --version >/dev/null)

echo "uninterrupted run ..." >&2
train "$work/reference.joblib" "$csv"

echo "corrupting line $bad_line ..." >&2
original="$(sed -n "${bad_line}p;${bad_line}q" "$csv")"
sed "${bad_line}s/^./x/" "$csv" > "$work/bad.csv" # same length: 'x.319383' is not a number
sed -n "${bad_line}p;${bad_line}q" "$work/bad.csv" >&2

echo "run with --checkpoint (expect exit 7 at line $bad_line) ..." >&2
set +e
train "$work/model.joblib" "$work/bad.csv" --checkpoint "$work/cp" --checkpoint-every 5 2> "$work/err.txt"
rc=$?
set -e
cat "$work/err.txt" >&2
[ "$rc" = 7 ] || { echo "FAIL: exit status $rc, expected 7" >&2; exit 1; }
grep -q "bad.csv:$bad_line" "$work/err.txt" || { echo "FAIL: the error does not name line $bad_line" >&2; exit 1; }
[ -s "$work/cp/model.joblib" ] && [ -s "$work/cp/state.bin" ] || { echo "FAIL: no checkpoint" >&2; exit 1; }
[ ! -e "$work/model.joblib" ] || { echo "FAIL: an output was written despite the error" >&2; exit 1; }

echo "fixing the line and resuming ..." >&2
python3 - "$work/bad.csv" "$bad_line" "$original" <<'EOF'
import sys
# Rewrites one line in place (same length: the bytes before the checkpoint's offset stay as they were).
path, line, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "r+b") as f:
    off = 0
    for i, l in enumerate(f, 1):
        if i == line:
            fixed = text.encode() + b"\n"
            assert len(fixed) == len(l), (len(fixed), len(l))
            f.seek(off)
            f.write(fixed)
            break
        off += len(l)
EOF
train "$work/model.joblib" "$work/bad.csv" --checkpoint "$work/cp" --resume 2>&1 | tail -n 3 >&2
if cmp -s "$work/model.joblib" "$work/reference.joblib"; then
  echo "PASS: malformed line $bad_line stopped the run (exit 7, checkpoint kept); --resume gave a model byte-identical to the uninterrupted run"
else
  echo "FAIL: the resumed model differs from the uninterrupted run" >&2
  exit 1
fi
rm -f "$work/bad.csv"
