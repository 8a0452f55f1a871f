#!/usr/bin/env python3
"""Checks that every kind of pickle `ml2tensor train` writes loads in scikit-learn 1.2.1 / 1.6.1 / 1.9.1 and
predicts what the trainer's ONNX graph predicts (and what scikit-learn's own partial_fit on the same chunks
predicts). Used by scripts/verify_train_pickles.sh (through the CLI) and by the train module's
PickleCompatibilityTest (through the Java API, when ML2TENSOR_VERIFY_PYTHONS is set).

  verify_train_pickles.py data DIR            writes DIR/cls.csv, DIR/counts.csv (300 rows each, header, target columns)
  verify_train_pickles.py specs               one JSON line per model: name, estimator, data, target, classes, sets, onnx
  verify_train_pickles.py onnx DIR            (needs onnxruntime) runs every DIR/<name>-<ver>.onnx on its data, saves .npz
  verify_train_pickles.py check DIR           (any scikit-learn) loads every DIR/<name>-<ver>.joblib, compares; JSON summary
  verify_train_pickles.py run --ml2tensor CMD --out DIR --pythons P1,P2,P3   all of the above through the CLI
Models are trained in chunks of CHUNK rows; <ver> is the --sklearn release the pickle reproduces (1.9 or 1.2).
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np

CHUNK = 100
VERSIONS = ("1.9", "1.2")
FEATURES = {"cls": ["f0", "f1", "f2", "f3"], "counts": ["c0", "c1", "c2", "c3", "c4"]}

SPECS = [
    # name, estimator, data, target, classes, sets, onnx
    ("sgdc-log", "SGDClassifier", "cls", "y", "0,1", {"loss": "log_loss", "random_state": "0"}, True),
    ("sgdc-avg3", "SGDClassifier", "cls", "y3", "0,1,2", {"average": "True", "random_state": "1"}, True),
    ("sgdc-mhuber", "SGDClassifier", "cls", "y3", "0,1,2", {"loss": "modified_huber", "random_state": "2"}, True),
    ("perceptron", "Perceptron", "cls", "y3", "0,1,2", {"random_state": "0"}, True),
    ("pa-classifier", "PassiveAggressiveClassifier", "cls", "y", "0,1", {"random_state": "0"}, True),
    ("sgd-regressor", "SGDRegressor", "cls", "yr", None, {"random_state": "0"}, True),
    ("pa-regressor", "PassiveAggressiveRegressor", "cls", "yr", None, {"random_state": "0"}, True),
    ("multinomial-nb", "MultinomialNB", "counts", "yc", "0,1,2", {}, True),
    ("complement-nb", "ComplementNB", "counts", "yc", "0,1,2", {}, True),
    ("bernoulli-nb", "BernoulliNB", "counts", "yc", "0,1,2", {"binarize": "1.0"}, True),
    ("categorical-nb", "CategoricalNB", "counts", "yc", "0,1,2", {}, False),
    ("gaussian-nb", "GaussianNB", "cls", "y3", "0,1,2", {}, True),
    ("standard-scaler", "StandardScaler", "cls", None, None, {}, True),
    ("minmax-scaler", "MinMaxScaler", "cls", None, None, {}, True),
    ("maxabs-scaler", "MaxAbsScaler", "cls", None, None, {}, True),
    ("scaled-sgdc", "StandardScaler+SGDClassifier", "cls", "y", "0,1", {"loss": "log_loss", "random_state": "0"}, True),
    ("incremental-pca", "IncrementalPCA", "cls", None, None, {"n_components": "2"}, True),
    ("incremental-pca-whiten", "IncrementalPCA", "cls", None, None, {"n_components": "3", "whiten": "True"}, True),
    ("minibatch-kmeans", "MiniBatchKMeans", "cls", None, None, {"n_clusters": "3", "random_state": "0"}, True),
]


def write_data(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.RandomState(11)
    n = 300
    X = np.round(rng.normal(size=(n, 4)) * [1.0, 2.0, 0.5, 3.0] + [0.5, -1.0, 0.0, 2.0], 4)
    m = X @ [1.5, -0.7, 2.0, 0.3] - 0.2 + rng.normal(scale=0.8, size=n)
    y, y3 = (m > 0).astype(int), np.digitize(m, [-1.0, 1.5])
    yr = np.round(X @ [1.5, -0.7, 2.0, 0.3] + 0.5 + rng.normal(scale=0.3, size=n), 4)
    with open(os.path.join(out, "cls.csv"), "w") as f:
        f.write("f0,f1,f2,f3,y,y3,yr\n")
        for i in range(n):
            f.write(",".join(repr(float(v)) for v in X[i]) + ",%d,%d,%r\n" % (y[i], y3[i], float(yr[i])))
    C = rng.poisson(lam=[1.0, 3.0, 0.5, 2.0, 0.2], size=(n, 5))
    yc = np.digitize(C @ [0.5, -0.3, 1.0, 0.1, 2.0] + rng.normal(scale=0.5, size=n), [-0.5, 0.8])
    with open(os.path.join(out, "counts.csv"), "w") as f:
        f.write("c0,c1,c2,c3,c4,yc\n")
        for i in range(n):
            f.write(",".join("%d" % v for v in C[i]) + ",%d\n" % yc[i])
    # one training file per (data, target): the features and that target only
    for name, est, data, target, classes, sets, onnx in SPECS:
        X, cols = load_data(out, data)
        with open(train_file(out, data, target), "w") as f:
            f.write(",".join(FEATURES[data] + ([target] if target else [])) + "\n")
            for i in range(len(X)):
                f.write(",".join(repr(float(v)) for v in X[i]) + ("," + repr(float(cols[target][i])) if target else "")
                        + "\n")


def load_data(out, data):
    import csv
    with open(os.path.join(out, data + ".csv")) as f:
        rows = list(csv.DictReader(f))
    X = np.array([[float(r[c]) for c in FEATURES[data]] for r in rows])
    cols = {k: np.array([float(r[k]) for r in rows]) for k in rows[0] if k not in FEATURES[data]}
    return X, cols


def train_file(out, data, target):
    return os.path.join(out, "%s-%s.csv" % (data, target or "none"))


def specs():
    """name|estimator|training CSV (relative to DIR)|target or -|classes or -|k=v;k=v|onnx 0/1|chunk rows"""
    for name, est, data, target, classes, sets, onnx in SPECS:
        print("|".join([name, est, os.path.basename(train_file("", data, target)), target or "-", classes or "-",
                        ";".join("%s=%s" % kv for kv in sets.items()), "1" if onnx else "0", str(CHUNK)]))


def run_onnx(out):
    import onnxruntime as ort
    for name, est, data, target, classes, sets, onnx in SPECS:
        if not onnx:
            continue
        X, _ = load_data(out, data)
        for ver in VERSIONS:
            path = os.path.join(out, "%s-%s.onnx" % (name, ver))
            s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            inp = s.get_inputs()[0]
            x = X.astype(np.float64 if "double" in inp.type else np.float32)
            res = s.run(None, {inp.name: x})
            np.savez(path + ".npz", **{o.name: r for o, r in zip(s.get_outputs(), res)})


def _typed(v):
    if v in ("True", "False"):
        return v == "True"
    for t in (int, float):
        try:
            return t(v)
        except ValueError:
            pass
    return v


def reference(est, data_X, cols, target, classes, sets):
    """scikit-learn's own partial_fit over the same chunks (a pipeline: the scaler over every chunk first)."""
    import sklearn.cluster
    import sklearn.decomposition
    import sklearn.linear_model
    import sklearn.naive_bayes
    import sklearn.pipeline
    import sklearn.preprocessing

    def make(name, params):
        for mod in (sklearn.linear_model, sklearn.naive_bayes, sklearn.preprocessing, sklearn.decomposition,
                    sklearn.cluster):
            if hasattr(mod, name):
                return getattr(mod, name)(**params)
        raise KeyError(name)

    params = {k: _typed(v) for k, v in sets.items()}
    chunks = [slice(s, s + CHUNK) for s in range(0, len(data_X), CHUNK)]
    y = cols[target] if target else None
    kw = lambda sl: {} if target is None else (
        {"classes": np.array([float(c) for c in classes.split(",")])} if classes else {})
    if "+" in est:
        first, second = est.split("+")
        scaler, model = make(first, {}), make(second, params)
        for sl in chunks:
            scaler.partial_fit(data_X[sl])
        for sl in chunks:
            model.partial_fit(scaler.transform(data_X[sl]), y[sl], **kw(sl))
        return sklearn.pipeline.make_pipeline(scaler, model)
    model = make(est, params)
    for sl in chunks:
        if target is None:
            model.partial_fit(data_X[sl])
        else:
            model.partial_fit(data_X[sl], y[sl], **kw(sl))
    return model


def outputs(model, X):
    """What a loaded model computes: transforms (scalers, PCA), or predictions and probabilities."""
    if hasattr(model, "transform") and type(model).__name__ not in ("Pipeline", "MiniBatchKMeans"):
        return {"transform": model.transform(X)}
    out = {"predict": np.asarray(model.predict(X), dtype=float)}
    if hasattr(model, "predict_proba"):
        out["proba"] = model.predict_proba(X)
    return out


def close(a, b, rtol=1e-9, atol=1e-12):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False, "shape %s vs %s" % (a.shape, b.shape)
    err = np.max(np.abs(a - b) / (atol + rtol * np.maximum(1.0, np.abs(b)))) if a.size else 0.0
    return bool(err <= 1.0), "max |diff| %.3g" % (float(np.max(np.abs(a - b))) if a.size else 0.0)


def check(out):
    import joblib
    import sklearn
    mine = sklearn.__version__
    family = "1.2" if mine.startswith("1.2") else "1.9"
    results, failures = [], 0
    for name, est, data, target, classes, sets, onnx in SPECS:
        X, cols = load_data(out, data)
        for ver in VERSIONS:
            path = os.path.join(out, "%s-%s.joblib" % (name, ver))
            r = {"model": os.path.basename(path), "sklearn": mine}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = joblib.load(path)
                    got = outputs(model, X)
                r["loaded"] = type(model).__name__
                checks = []
                if onnx and os.path.exists(path[:-7] + ".onnx.npz"):
                    z = np.load(path[:-7] + ".onnx.npz")
                    names = list(z.keys())
                    if "predict" in got and "label" in names:
                        checks.append(("onnx label", np.array_equal(got["predict"], z["label"].astype(float).ravel()), ""))
                    if "proba" in got and "probabilities" in names:
                        ok, msg = close(got["proba"], z["probabilities"])
                        checks.append(("onnx probabilities", ok, msg))
                    if "predict" in got and "label" not in names and "proba" not in got:
                        ok, msg = close(got["predict"], z[names[0]].ravel())
                        checks.append(("onnx %s" % names[0], ok, msg))
                    if "transform" in got:
                        ok, msg = close(got["transform"], z[names[0]])
                        checks.append(("onnx %s" % names[0], ok, msg))
                if ver == family:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        ref = outputs(reference(est, X, cols, target, classes, sets), X)
                    for k in ref:
                        if k == "predict" and classes:
                            checks.append(("partial_fit " + k, np.array_equal(got[k], ref[k]), ""))
                        else:
                            ok, msg = close(got[k], ref[k])
                            checks.append(("partial_fit " + k, ok, msg))
                r["checks"] = ["%s %s %s" % (c, "ok" if ok else "MISMATCH", msg) for c, ok, msg in checks]
                r["ok"] = all(ok for _, ok, _ in checks) and len(checks) > 0 or (not checks and ver != family and not onnx)
            except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
                r["ok"] = False
                r["error"] = "%s: %s" % (type(e).__name__, e)
            failures += 0 if r["ok"] else 1
            results.append(r)
    n_checks = sum(len(r.get("checks", [])) for r in results)
    onnx_checks = sum(1 for r in results for c in r.get("checks", []) if c.startswith("onnx"))
    diffs = [float(c.rsplit(" ", 1)[1]) for r in results for c in r.get("checks", []) if "max |diff|" in c]
    print(json.dumps({"sklearn": mine, "models": len(results), "checks": n_checks, "onnx_checks": onnx_checks,
                      "max_abs_diff": max(diffs) if diffs else 0.0, "failures": failures, "results": results}))
    return failures


def run_all(cmd, out, pythons):
    write_data(out)
    for name, est, data, target, classes, sets, onnx in SPECS:
        for ver in VERSIONS:
            base = cmd + ["train", est, "--input", train_file(out, data, target), "--chunk-rows", str(CHUNK),
                          "--sklearn", ver, "-q"]
            if target:
                base += ["--target", target]
            if classes:
                base += ["--classes", classes]
            for k, v in sets.items():
                base += ["--set", "%s=%s" % (k, v)]
            subprocess.run(base + ["-o", os.path.join(out, "%s-%s.joblib" % (name, ver))], check=True,
                           stdout=subprocess.DEVNULL)
            if onnx:
                subprocess.run(base + ["--precision", "float64", "-o", os.path.join(out, "%s-%s.onnx" % (name, ver))],
                               check=True, stdout=subprocess.DEVNULL)
    run_onnx(out)
    failures = 0
    for py in pythons:
        p = subprocess.run([py, os.path.abspath(__file__), "check", out], capture_output=True, text=True)
        sys.stdout.write(p.stdout)
        sys.stderr.write(p.stderr[-2000:])
        failures += 1 if p.returncode else 0
    return failures


if __name__ == "__main__":
    c = sys.argv[1]
    if c == "data":
        write_data(sys.argv[2])
    elif c == "specs":
        specs()
    elif c == "onnx":
        run_onnx(sys.argv[2])
    elif c == "check":
        sys.exit(1 if check(sys.argv[2]) else 0)
    elif c == "run":
        a = sys.argv[2:]
        sys.exit(1 if run_all(a[a.index("--ml2tensor") + 1].split(), a[a.index("--out") + 1],
                              a[a.index("--pythons") + 1].split(",")) else 0)
    else:
        sys.exit(__doc__)
