#!/usr/bin/env python3
"""Times a model's own Python predictor on the rows of a CSV, for scripts/large_batch_benchmark.sh.

    PYTHON scripts/bench_python_peers.py MODEL ROWS.csv --batches 1,64,1000,100000 --threads 2 --rounds 5

MODEL: an XGBoost .json/.ubj (needs xgboost: /usr/bin/python3 has 1.7.4), a LightGBM .txt (needs lightgbm:
the scikit-learn 1.9.1 venv has 4.7) or a scikit-learn pickle (predict_proba, else predict). ROWS.csv: numeric
CSV, header optional, NaN or empty = missing; cycled up to the largest batch. Every batch size is timed in
`--rounds` rounds (one untimed call first), each round taking the median of its calls (calls repeat within a
round until ~0.25 s have passed, at least once). Prints one JSON object: library, version, threads, and per
batch the rows/s of the median round and the spread (min and max over rounds). This runs in its own
process: a different interpreter and memory than the JVM that times the other candidates.
"""
import argparse
import json
import pickle
import statistics
import sys
import time

import numpy as np


def load_rows(path, n):
    with open(path) as f:
        first = f.readline().split(",")[0].strip()
    try:
        float(first or "nan")
        skip = 0
    except ValueError:
        skip = 1
    x = np.genfromtxt(path, delimiter=",", skip_header=skip, dtype=np.float32)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    reps = -(-n // len(x))
    return np.ascontiguousarray(np.tile(x, (reps, 1))[:n])


def predictor(model, threads):
    if model.endswith((".json", ".ubj")):
        import xgboost as xgb
        b = xgb.Booster(model_file=model)
        b.set_param({"nthread": threads})
        return "xgboost inplace_predict", xgb.__version__, lambda x: b.inplace_predict(x)
    if model.endswith(".txt"):
        import lightgbm as lgb
        b = lgb.Booster(model_file=model)
        return "lightgbm Booster.predict", lgb.__version__, lambda x: b.predict(x, num_threads=threads)
    import sklearn
    with open(model, "rb") as f:
        m = pickle.load(f)
    est = m.steps[-1][1] if hasattr(m, "steps") else m
    if hasattr(est, "n_jobs"):
        est.n_jobs = threads
    fn = m.predict_proba if hasattr(m, "predict_proba") else m.predict
    return f"scikit-learn {type(est).__name__}.{fn.__name__}", sklearn.__version__, fn


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("rows")
    p.add_argument("--batches", default="1,64,1000,100000")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--round-seconds", type=float, default=0.25)
    a = p.parse_args()
    batches = [int(b) for b in a.batches.split(",")]
    x = load_rows(a.rows, max(batches))
    name, version, fn = predictor(a.model, a.threads)
    out = {"library": name, "version": version, "python": sys.version.split()[0], "threads": a.threads,
           "rows_file": a.rows, "batches": {}}
    for b in batches:
        xb = x[:b]
        fn(xb)
        rounds = []
        for _ in range(a.rounds):
            calls = []
            start = time.perf_counter()
            while not calls or time.perf_counter() - start < a.round_seconds:
                t = time.perf_counter()
                fn(xb)
                calls.append(time.perf_counter() - t)
            rounds.append(b / statistics.median(calls))
        out["batches"][str(b)] = {"rows_per_s": statistics.median(rounds), "min": min(rounds), "max": max(rounds),
                                  "ms_per_call": 1e3 * b / statistics.median(rounds)}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
