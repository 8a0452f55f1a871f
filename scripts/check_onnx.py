#!/usr/bin/env python3
"""Checks ONNX files produced by ml2tensor with a second toolchain (not needed by CI).

For every file given: onnx.checker.check_model(full_check=True) and onnx.shape_inference with the onnx
package of the interpreter that runs this script, then (when onnxruntime is importable) a session
on the CPU provider that runs a batch of random rows (and an optional CSV given with --input) and
prints the output names, shapes and dtypes.

    /usr/bin/python3 scripts/check_onnx.py out/*.onnx            # Debian onnx 1.12
    .venv-check/bin/python scripts/check_onnx.py out/*.onnx       # onnx 1.23 + onnxruntime 1.30
Exit status 0 when every file passes.
"""
import argparse
import sys

import numpy as np
import onnx


def check(path, rows):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    meta = {p.key: p.value for p in model.metadata_props}
    opsets = {o.domain or "ai.onnx": o.version for o in model.opset_import}
    print(f"{path}: onnx {onnx.__version__} checker OK; ir_version {model.ir_version}, opsets {opsets}, "
          f"{len(model.graph.node)} nodes, strategy {meta.get('ml2tensor.strategy', '?')}")
    try:
        import onnxruntime as ort
    except ImportError:
        print("  (onnxruntime not importable here: session check skipped)")
        return
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    width = inp.shape[1]
    dtype = np.float64 if "double" in inp.type else np.float32
    x = rows if rows is not None else np.random.default_rng(0).normal(size=(64, width))
    outs = sess.run(None, {inp.name: x.astype(dtype)})
    desc = ", ".join(f"{o.name}{list(v.shape)}:{v.dtype}" for o, v in zip(sess.get_outputs(), outs))
    print(f"  onnxruntime {ort.__version__} OK: {desc}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--input", help="CSV with a header row to run through every model")
    args = ap.parse_args()
    rows = None
    if args.input:
        rows = np.genfromtxt(args.input, delimiter=",", skip_header=1, dtype=np.float64, ndmin=2)
    failed = 0
    for f in args.files:
        try:
            check(f, rows)
        except Exception as e:  # report every file
            failed += 1
            print(f"{f}: FAILED: {e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
