#!/usr/bin/python3
"""Writes the XGBoost 1.7.4 test fixtures of the importers module.

Run with Debian's interpreter (xgboost 1.7.4, pandas 1.5.3, numpy 1.24):

    /usr/bin/python3 importers/src/test/python/make_xgboost_fixtures.py [OUT_DIR]

OUT_DIR defaults to importers/src/test/resources/xgboost. For every case NAME it writes:

- NAME.json and/or NAME.ubj: the model, saved by ``Booster.save_model``;
- NAME.rows.csv: input rows (float32 values; NaN = missing; categorical columns hold category codes);
  random rows with NaN, rows placed exactly on split thresholds and just below them, and extremes;
- NAME.margin.csv: ``predict(output_margin=True)``, one column per output group;
- NAME.pred.csv: ``predict()`` (probabilities, class index for multi:softmax, values for regression);
- booster_handle.ubj: not a saved model but the raw ``Booster.__getstate__()["handle"]`` of an
  XGBClassifier (UBJSON ``{"Config": ..., "Model": ...}``), as found inside scikit-learn-API pickles;
- NAME.best.csv (only the early-stopping case): margins over ``iteration_range=(0, best_iteration+1)``.

Numbers are written with Python's repr of the float64 value (exact for float32 results), NaN as ``NaN``.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "resources", "xgboost")
RNG = np.random.RandomState(20240607)


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


def features(n, f, nan_frac=0.1):
    x = RNG.randn(n, f).astype(np.float32)
    x[RNG.rand(n, f) < nan_frac] = np.nan
    return x


def split_points(model_json, limit=12):
    """(feature, threshold) of numeric splits found in the saved JSON model."""
    doc = json.loads(model_json)
    gb = doc["learner"]["gradient_booster"]
    trees = (gb["gbtree"] if gb["name"] == "dart" else gb)["model"]["trees"]
    points = []
    for t in trees:
        for i, left in enumerate(t["left_children"]):
            if left != -1 and t["split_type"][i] == 0:
                p = (t["split_indices"][i], t["split_conditions"][i])
                if p not in points:
                    points.append(p)
            if len(points) >= limit:
                return points
    return points


def probe_rows(booster, x, n_random=24):
    """Random rows, threshold-exact rows, just-below-threshold rows, NaN rows and extremes."""
    rows = [r for r in x[:n_random]]
    tmp = os.path.join(OUT, ".probe.json")
    booster.save_model(tmp)
    with open(tmp) as fh:
        text = fh.read()
    os.remove(tmp)
    for k, (f, thr) in enumerate(split_points(text)):
        base = np.array(x[k % len(x)], dtype=np.float32)
        at = base.copy()
        at[f] = np.float32(thr)
        below = base.copy()
        below[f] = np.nextafter(np.float32(thr), np.float32(-np.inf))
        rows += [at, below]
    width = x.shape[1]
    rows.append(np.full(width, np.nan, dtype=np.float32))
    rows.append(np.zeros(width, dtype=np.float32))
    rows.append(np.full(width, 3.0e38, dtype=np.float32))
    rows.append(np.full(width, -3.0e38, dtype=np.float32))
    return np.array(rows, dtype=np.float32)


def save(name, booster, rows, formats=("json", "ubj"), dmatrix_rows=None, best=False):
    for ext in formats:
        booster.save_model(os.path.join(OUT, f"{name}.{ext}"))
    d = dmatrix_rows if dmatrix_rows is not None else xgb.DMatrix(rows)
    write_csv(os.path.join(OUT, f"{name}.rows.csv"), rows)
    write_csv(os.path.join(OUT, f"{name}.margin.csv"), booster.predict(d, output_margin=True))
    write_csv(os.path.join(OUT, f"{name}.pred.csv"), booster.predict(d))
    if best:
        limit = (0, int(booster.attr("best_iteration")) + 1)
        write_csv(os.path.join(OUT, f"{name}.best.csv"),
                  booster.predict(d, output_margin=True, iteration_range=limit))
    print(name, {ext: os.path.getsize(os.path.join(OUT, f"{name}.{ext}")) for ext in formats} or "")


def train(params, x, y, rounds, **kw):
    p = {"max_depth": 3, "eta": 0.3, "seed": 7}
    p.update(params)
    return xgb.train(p, xgb.DMatrix(x, label=y, **kw), rounds)


def numeric_cases():
    x = features(300, 4)
    xf = np.nan_to_num(x, nan=0.0)
    signal = xf[:, 0] - 0.5 * xf[:, 1] + 0.25 * xf[:, 2] * xf[:, 3]
    binary = (signal + 0.3 * RNG.randn(300) > 0).astype(np.float32)
    positive = np.exp(0.5 * signal).astype(np.float32) + 0.01
    classes = np.digitize(signal, [-0.5, 0.5]).astype(np.float32)

    b = train({"objective": "binary:logistic", "base_score": 0.3}, x, binary, 10)
    save("binary_logistic", b, probe_rows(b, x))
    b = train({"objective": "reg:logistic"}, x, (1 / (1 + np.exp(-signal))).astype(np.float32), 8)
    save("reg_logistic", b, probe_rows(b, x), formats=("json",))
    b = train({"objective": "binary:logitraw"}, x, binary, 8)
    save("binary_logitraw", b, probe_rows(b, x), formats=("json",))
    b = train({"objective": "reg:squarederror", "base_score": 0.25}, x, signal.astype(np.float32), 10)
    save("reg_squarederror", b, probe_rows(b, x))
    b = train({"objective": "multi:softprob", "num_class": 3}, x, classes, 5)
    save("multi_softprob", b, probe_rows(b, x))
    b = train({"objective": "multi:softmax", "num_class": 3}, x, classes, 4)
    save("multi_softmax", b, probe_rows(b, x), formats=("json",))
    b = train({"objective": "count:poisson"}, x, RNG.poisson(positive).astype(np.float32), 8)
    save("count_poisson", b, probe_rows(b, x), formats=("json",))
    b = train({"objective": "reg:gamma"}, x, positive, 8)
    save("reg_gamma", b, probe_rows(b, x), formats=("json",))
    b = train({"objective": "reg:tweedie", "tweedie_variance_power": 1.3}, x, positive, 8)
    save("reg_tweedie", b, probe_rows(b, x), formats=("ubj",))
    b = train({"objective": "reg:absoluteerror"}, x, signal.astype(np.float32), 6)
    save("reg_absoluteerror", b, probe_rows(b, x), formats=("json",))
    b = train({"objective": "reg:pseudohubererror", "huber_slope": 0.8}, x, signal.astype(np.float32), 6)
    save("reg_pseudohubererror", b, probe_rows(b, x), formats=("json",))

    groups = [30] * 10
    relevance = np.clip(np.round(signal + 1), 0, 3).astype(np.float32)
    for objective in ("rank:pairwise", "rank:ndcg"):
        d = xgb.DMatrix(x, label=relevance)
        d.set_group(groups)
        b = xgb.train({"objective": objective, "max_depth": 3, "eta": 0.3, "seed": 7}, d, 6)
        save(objective.replace(":", "_"), b, probe_rows(b, x), formats=("json",))

    dart = {"booster": "dart", "rate_drop": 0.4, "skip_drop": 0.0, "objective": "binary:logistic"}
    b = train(dart, x, binary, 8)
    save("dart_binary", b, probe_rows(b, x))
    b = train({"booster": "dart", "rate_drop": 0.5, "skip_drop": 0.0, "objective": "reg:squarederror",
               "normalize_type": "forest"}, x, signal.astype(np.float32), 8)
    save("dart_regression", b, probe_rows(b, x), formats=("json",))

    forest = {"objective": "binary:logistic", "num_parallel_tree": 4, "subsample": 0.8,
              "colsample_bynode": 0.8, "eta": 1.0}
    b = train(forest, x, binary, 2)
    save("random_forest", b, probe_rows(b, x), formats=("json",))

    # early stopping: the file stores best_iteration; the library's Booster.predict still uses all trees
    dtrain = xgb.DMatrix(x[:200], label=binary[:200])
    dvalid = xgb.DMatrix(x[200:], label=binary[200:])
    b = xgb.train({"objective": "binary:logistic", "max_depth": 4, "eta": 0.8, "seed": 7}, dtrain, 60,
                  evals=[(dvalid, "valid")], early_stopping_rounds=3, verbose_eval=False)
    save("early_stopping", b, probe_rows(b, x), formats=("json",), best=True)

    # feature names from a DataFrame
    frame = pd.DataFrame(x, columns=["age", "income", "score", "tenure"])
    b = xgb.train({"objective": "binary:logistic", "max_depth": 2, "seed": 7},
                  xgb.DMatrix(frame, label=binary), 4)
    rows = probe_rows(b, x)
    save("feature_names", b, rows, formats=("json", "ubj"),
         dmatrix_rows=xgb.DMatrix(pd.DataFrame(rows, columns=frame.columns)))

    # a thousand small trees on three features (depth 2, JSON only, ~0.7 MB); XgboostFourjTest trains 3000 more
    x3 = x[:, :3]
    b = train({"objective": "binary:logistic", "max_depth": 2, "eta": 0.05}, x3, binary, 1000)
    save("many_trees", b, probe_rows(b, x3), formats=("json",))


def booster_handle_case():
    """The UBJSON {"Config", "Model"} document that a pickled XGBClassifier carries as Booster.handle."""
    x = features(200, 3)
    y = (np.nan_to_num(x[:, 0]) + 0.5 * np.nan_to_num(x[:, 1]) > 0).astype(int)
    clf = xgb.XGBClassifier(n_estimators=5, max_depth=2, random_state=7).fit(x, y)
    booster = clf.get_booster()
    with open(os.path.join(OUT, "booster_handle.ubj"), "wb") as f:
        f.write(bytes(booster.__getstate__()["handle"]))
    save("booster_handle", booster, probe_rows(booster, x), formats=())


def categorical_cases():
    n = 400
    colour = RNG.randint(0, 6, n)
    shape = RNG.randint(0, 4, n)
    num = RNG.randn(n, 2).astype(np.float32)
    effect = np.array([1.5, -1.0, 0.5, -2.0, 2.0, 0.0])[colour] + np.array([0.5, -0.5, 1.0, -1.0])[shape]
    y = (effect + num[:, 0] + 0.3 * RNG.randn(n) > 0).astype(np.float32)
    colour_missing = RNG.rand(n) < 0.08
    frame = pd.DataFrame({
        "colour": pd.Categorical.from_codes(np.where(colour_missing, -1, colour),
                                            categories=["c0", "c1", "c2", "c3", "c4", "c5"]),
        "x1": num[:, 0],
        "shape": pd.Categorical.from_codes(shape, categories=["s0", "s1", "s2", "s3"]),
        "x2": np.where(RNG.rand(n) < 0.1, np.nan, num[:, 1]).astype(np.float32),
    })
    codes = np.column_stack([
        np.where(colour_missing, np.nan, colour).astype(np.float32), num[:, 0],
        shape.astype(np.float32), frame["x2"].to_numpy(np.float32)])
    for name, onehot in (("categorical_partition", 1), ("categorical_onehot", 8)):
        d = xgb.DMatrix(frame, label=y, enable_categorical=True)
        b = xgb.train({"objective": "binary:logistic", "tree_method": "hist", "max_depth": 3,
                       "max_cat_to_onehot": onehot, "seed": 7}, d, 6)
        rows = list(codes[:30])
        for c in range(6):   # every colour, every shape, a missing colour and an unseen code
            rows.append(np.array([c, 0.1, c % 4, 0.2], dtype=np.float32))
        rows.append(np.array([np.nan, -0.3, 2, np.nan], dtype=np.float32))
        rows = np.array(rows, dtype=np.float32)
        probe = pd.DataFrame({
            "colour": pd.Categorical.from_codes(np.where(np.isnan(rows[:, 0]), -1, rows[:, 0]).astype(int),
                                                categories=["c0", "c1", "c2", "c3", "c4", "c5"]),
            "x1": rows[:, 1],
            "shape": pd.Categorical.from_codes(rows[:, 2].astype(int), categories=["s0", "s1", "s2", "s3"]),
            "x2": rows[:, 3],
        })
        save(name, b, rows, dmatrix_rows=xgb.DMatrix(probe, enable_categorical=True))


if __name__ == "__main__":
    assert xgb.__version__ == "1.7.4", xgb.__version__
    os.makedirs(OUT, exist_ok=True)
    numeric_cases()
    categorical_cases()
    booster_handle_case()
