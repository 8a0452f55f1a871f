#!/usr/bin/env python3
"""Writes the benchmark models (issue 7) into OUT_DIR on demand; they are too large to commit.

    /usr/bin/python3 importers/src/test/python/make_bench_models.py OUT_DIR             # XGBoost 1.7.4
    .venv-lgbm/bin/python importers/src/test/python/make_bench_models.py OUT_DIR         # LightGBM 4.7.0

Each interpreter writes the models of the libraries it has (Debian's python3 has xgboost, the venv of
make_lightgbm_fixtures.py has lightgbm); run both to get all three. Models, all binary classifiers trained
on the same synthetic Higgs-like data (28 float features, a few NaN):

- xgb_500x8.json / .ubj:   XGBoost, 500 trees, max_depth 8
- xgb_3000x6.json / .ubj:  XGBoost, 3000 trees, max_depth 6
- lgbm_500x256.txt:        LightGBM, 500 trees, num_leaves 256, max_depth 8

Also bench_rows.csv (``--rows`` rows of float32 inputs, NaN = missing) and, per model, NAME.pred.csv with
the library's probabilities for those rows, so a benchmark can check its outputs.
"""
import argparse
import os

import numpy as np

FEATURES = 28


def data(n, seed):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, FEATURES).astype(np.float32)
    w = rng.randn(FEATURES)
    logits = x @ w * 0.3 + np.sin(x[:, 0] * 2) + x[:, 1] * x[:, 2] - np.abs(x[:, 3])
    y = (logits + rng.logistic(size=n) > 0).astype(np.float32)
    x[rng.rand(n, FEATURES) < 0.02] = np.nan
    return x, y


def write_csv(path, rows):
    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim == 1:
        rows = rows.reshape(-1, 1)
    with open(path, "w") as f:
        for r in rows:
            f.write(",".join("NaN" if np.isnan(v) else repr(float(v)) for v in r) + "\n")


def xgboost_models(out, x, y, rows):
    import xgboost as xgb
    train = xgb.DMatrix(x, label=y)
    for name, trees, depth in (("xgb_500x8", 500, 8), ("xgb_3000x6", 3000, 6)):
        params = {"objective": "binary:logistic", "max_depth": depth, "eta": 0.1, "tree_method": "hist",
                  "seed": 1, "nthread": os.cpu_count()}
        booster = xgb.train(params, train, trees)
        for ext in ("json", "ubj"):
            booster.save_model(os.path.join(out, f"{name}.{ext}"))
        write_csv(os.path.join(out, f"{name}.pred.csv"), booster.predict(xgb.DMatrix(rows)))
        print(name, "xgboost", xgb.__version__)


def lightgbm_models(out, x, y, rows):
    import lightgbm as lgb
    params = {"objective": "binary", "num_leaves": 256, "max_depth": 8, "learning_rate": 0.1,
              "min_data_in_leaf": 20, "verbose": -1, "seed": 1, "deterministic": True}
    booster = lgb.train(params, lgb.Dataset(x, label=y), num_boost_round=500)
    booster.save_model(os.path.join(out, "lgbm_500x256.txt"))
    write_csv(os.path.join(out, "lgbm_500x256.pred.csv"), booster.predict(rows.astype(np.float64)))
    print("lgbm_500x256", "lightgbm", lgb.__version__)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--train-rows", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000, help="rows written to bench_rows.csv")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    x, y = data(args.train_rows, seed=7)
    rows, _ = data(args.rows, seed=8)
    write_csv(os.path.join(args.out_dir, "bench_rows.csv"), rows)
    made = 0
    for library, build in (("xgboost", xgboost_models), ("lightgbm", lightgbm_models)):
        try:
            __import__(library)
        except ImportError:
            print(f"{library} is not installed in this interpreter: skipping its models")
            continue
        build(args.out_dir, x, y, rows)
        made += 1
    if made == 0:
        raise SystemExit("neither xgboost nor lightgbm is installed")


if __name__ == "__main__":
    main()
