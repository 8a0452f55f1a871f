#!/usr/bin/env python3
"""Writes the LightGBM 4.7.0 test fixtures of the importers module.

Run inside a virtual environment with lightgbm 4.7.0 (numpy, pandas):

    python3 -m venv .venv-lgbm && .venv-lgbm/bin/pip install lightgbm==4.7.0 pandas
    .venv-lgbm/bin/python importers/src/test/python/make_lightgbm_fixtures.py [OUT_DIR]

OUT_DIR defaults to importers/src/test/resources/lightgbm. For every case NAME it writes:

- NAME.txt: the model, saved by ``Booster.save_model`` (text format v4);
- NAME.rows.csv: input rows (float64; NaN = missing; categorical columns hold integer codes): random rows
  with NaN, rows placed exactly on numeric thresholds and on the next double above, zeros, extremes;
- NAME.margin.csv: ``predict(raw_score=True)``, one column per class for multiclass models;
- NAME.pred.csv: ``predict()`` (probabilities, expected values, ranking scores).

Refused cases (missing type Zero, linear trees) only get NAME.txt.
Numbers are written with Python's repr (round-trips float64 exactly), NaN as ``NaN``.
"""
import os
import sys

import lightgbm as lgb
import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "resources", "lightgbm")
RNG = np.random.RandomState(20240608)
BASE = {"verbose": -1, "num_leaves": 7, "min_data_in_leaf": 5, "learning_rate": 0.3,
        "seed": 7, "deterministic": True, "num_threads": 1, "force_row_wise": True}


def fmt(v):
    v = float(v)
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def write_csv(path, rows):
    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim == 1:
        rows = rows.reshape(-1, 1)
    with open(path, "w") as f:
        for r in rows:
            f.write(",".join(fmt(v) for v in r) + "\n")


def split_points(booster, limit=12):
    """(feature, threshold) of numeric splits, from the booster's JSON dump."""
    points = []

    def walk(node):
        if "split_index" not in node or len(points) >= limit:
            return
        if node["decision_type"] == "<=":
            p = (node["split_feature"], float(node["threshold"]))
            if p not in points:
                points.append(p)
        walk(node["left_child"])
        walk(node["right_child"])

    for info in booster.dump_model()["tree_info"]:
        walk(info["tree_structure"])
    return points


def probe_rows(booster, x, n_random=24):
    rows = [np.array(r, dtype=np.float64) for r in x[:n_random]]
    for k, (f, thr) in enumerate(split_points(booster)):
        base = np.array(x[k % len(x)], dtype=np.float64)
        at = base.copy()
        at[f] = thr
        above = base.copy()
        above[f] = np.nextafter(thr, np.inf)
        rows += [at, above]
    width = x.shape[1]
    rows.append(np.full(width, np.nan))
    rows.append(np.zeros(width))
    rows.append(np.full(width, 1e300))
    rows.append(np.full(width, -1e300))
    return np.array(rows)


def save(name, booster, rows):
    path = os.path.join(OUT, f"{name}.txt")
    booster.save_model(path)
    write_csv(os.path.join(OUT, f"{name}.rows.csv"), rows)
    write_csv(os.path.join(OUT, f"{name}.margin.csv"), booster.predict(rows, raw_score=True))
    write_csv(os.path.join(OUT, f"{name}.pred.csv"), booster.predict(rows))
    print(name, os.path.getsize(path))


def train(params, x, y, rounds=8, **dataset_kw):
    p = dict(BASE)
    p.update(params)
    return lgb.train(p, lgb.Dataset(x, label=y, **dataset_kw), num_boost_round=rounds)


def numeric_cases():
    n = 300
    x = RNG.randn(n, 4)
    x[RNG.rand(n, 4) < 0.1] = np.nan
    xf = np.nan_to_num(x, nan=0.0)
    signal = xf[:, 0] - 0.5 * xf[:, 1] + 0.25 * xf[:, 2] * xf[:, 3]
    binary = (signal + 0.3 * RNG.randn(n) > 0).astype(float)
    positive = np.exp(0.5 * signal) + 0.01
    classes = np.digitize(signal, [-0.5, 0.5]).astype(float)
    fraction = 1 / (1 + np.exp(-signal))

    def case(name, params, y, rounds=8, **kw):
        b = train(params, x, y, rounds, **kw)
        save(name, b, probe_rows(b, x))

    case("regression", {"objective": "regression"}, signal)
    case("regression_sqrt", {"objective": "regression", "reg_sqrt": True}, signal * np.abs(signal))
    case("regression_l1", {"objective": "regression_l1"}, signal)
    case("huber", {"objective": "huber", "alpha": 0.9}, signal)
    case("quantile", {"objective": "quantile", "alpha": 0.7}, signal)
    case("binary", {"objective": "binary", "sigmoid": 0.7}, binary)
    case("multiclass", {"objective": "multiclass", "num_class": 3}, classes, rounds=5)
    case("multiclassova", {"objective": "multiclassova", "num_class": 3, "sigmoid": 1.3}, classes, rounds=5)
    case("poisson", {"objective": "poisson"}, RNG.poisson(positive).astype(float))
    case("gamma", {"objective": "gamma"}, positive)
    case("tweedie", {"objective": "tweedie", "tweedie_variance_power": 1.4}, positive)
    case("cross_entropy", {"objective": "cross_entropy"}, fraction)
    case("cross_entropy_lambda", {"objective": "cross_entropy_lambda"}, fraction)
    relevance = np.clip(np.round(signal + 1), 0, 3)
    case("lambdarank", {"objective": "lambdarank"}, relevance, group=[30] * 10)
    case("rank_xendcg", {"objective": "rank_xendcg"}, relevance, group=[30] * 10)
    case("rf_binary", {"objective": "binary", "boosting": "rf", "bagging_fraction": 0.7, "bagging_freq": 1,
                       "feature_fraction": 0.8}, binary, rounds=6)
    case("rf_regression", {"objective": "regression", "boosting": "rf", "bagging_fraction": 0.6,
                           "bagging_freq": 1}, signal, rounds=5)
    # use_missing=false: missing type None on every node, NaN is treated as 0.0
    case("missing_none", {"objective": "regression", "use_missing": False}, signal)
    # a node that cannot split: the model is a single constant tree (num_leaves=1)
    case("constant", {"objective": "regression", "min_data_in_leaf": 1000}, signal, rounds=3)
    # feature names given by the caller
    b = lgb.train(dict(BASE, objective="binary"),
                  lgb.Dataset(x, label=binary, feature_name=["age", "income", "score", "tenure"]), 6)
    save("feature_names", b, probe_rows(b, x))

    # refused: missing type Zero, linear trees
    train({"objective": "regression", "zero_as_missing": True}, x, signal).save_model(
        os.path.join(OUT, "refused_zero_as_missing.txt"))
    train({"objective": "regression", "linear_tree": True}, np.nan_to_num(x), signal).save_model(
        os.path.join(OUT, "refused_linear_tree.txt"))


def categorical_cases():
    n = 500
    colour = RNG.randint(0, 6, n).astype(float)
    colour[RNG.rand(n) < 0.08] = np.nan
    many = RNG.randint(0, 70, n).astype(float)          # 70 categories: bitsets span several words
    num = RNG.randn(n, 2)
    effect = np.nan_to_num(np.array([1.5, -1.0, 0.5, -2.0, 2.0, 0.0])[np.nan_to_num(colour).astype(int)])
    effect += np.where(many % 3 == 0, 1.0, -0.5) + num[:, 0]
    y = (effect + 0.3 * RNG.randn(n) > 0).astype(float)
    x = np.column_stack([colour, num[:, 0], many, num[:, 1]])
    extra = [[c, 0.1, m, 0.2] for c, m in ((0, 3), (1, 4), (2, 33), (3, 65), (4, 69), (5, 0),
                                             (6, 1), (np.nan, 2), (-1, -1), (2.7, 40.2), (100, 1000))]
    for name, onehot in (("categorical", 4), ("categorical_onehot", 80)):
        b = train({"objective": "binary", "max_cat_to_onehot": onehot, "cat_smooth": 1,
                   "min_data_per_group": 5, "cat_l2": 1}, x, y, 6, categorical_feature=[0, 2])
        rows = np.vstack([probe_rows(b, x), np.array(extra, dtype=float)])
        save(name, b, rows)

    # pandas categorical columns: the model carries a pandas_categorical line; rows hold the codes
    frame = pd.DataFrame({
        "colour": pd.Categorical.from_codes(np.where(np.isnan(colour), -1, colour).astype(int),
                                            categories=["red", "green", "blue", "cyan", "pink", "grey"]),
        "x1": num[:, 0], "x2": num[:, 1]})
    b = lgb.train(dict(BASE, objective="binary"), lgb.Dataset(frame, label=y), 6)
    codes = np.column_stack([colour, num[:, 0], num[:, 1]])
    rows = probe_rows(b, codes)
    valid = np.isin(rows[:, 0], np.arange(6))
    rows[:, 0] = np.where(valid, rows[:, 0], np.nan)   # a pandas column can only hold known codes
    probe = pd.DataFrame({
        "colour": pd.Categorical.from_codes(np.where(np.isnan(rows[:, 0]), -1, rows[:, 0]).astype(int),
                                            categories=["red", "green", "blue", "cyan", "pink", "grey"]),
        "x1": rows[:, 1], "x2": rows[:, 2]})
    path = os.path.join(OUT, "pandas_categorical.txt")
    b.save_model(path)
    write_csv(os.path.join(OUT, "pandas_categorical.rows.csv"), rows)
    write_csv(os.path.join(OUT, "pandas_categorical.margin.csv"), b.predict(probe, raw_score=True))
    write_csv(os.path.join(OUT, "pandas_categorical.pred.csv"), b.predict(probe))
    print("pandas_categorical", os.path.getsize(path))


if __name__ == "__main__":
    assert lgb.__version__ == "4.7.0", lgb.__version__
    os.makedirs(OUT, exist_ok=True)
    numeric_cases()
    categorical_cases()
