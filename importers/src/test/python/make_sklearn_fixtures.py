#!/usr/bin/env python3
"""Writes the scikit-learn pickle/joblib fixtures used by the importer tests.

Run once per scikit-learn installation, for example:

    /usr/bin/python3 importers/src/test/python/make_sklearn_fixtures.py          # sklearn 1.2.1, numpy 1.24
    .venv-skl19/bin/python importers/src/test/python/make_sklearn_fixtures.py    # sklearn 1.9.1, numpy 2.x
    FIXTURE_PROTOCOLS=4,5 FIXTURE_COMPRESSIONS=zlib \
    .venv-skl16/bin/python importers/src/test/python/make_sklearn_fixtures.py    # sklearn 1.6.1, numpy 1.26

Each run writes importers/src/test/resources/sklearn/skl<version>/ with, per model NAME:
  NAME.p2.pkl NAME.p4.pkl NAME.p5.pkl        pickle.dump with protocols 2, 4, 5 (and 0, 1 for a few models)
  NAME.joblib                                joblib.dump, uncompressed
  NAME.<zlib|gzip|bz2|lzma|xz|lz4>.joblib    joblib.dump(compress=(method, 3)); lz4 only when the lz4 package imports
  NAME.json                                  the model's own outputs on a few rows (NaN rows only where accepted)
and an index.json listing the models. Models are tiny so that the whole set stays small.
"""
import json
import os
import pickle
import sys
import warnings

import joblib
import numpy as np
import sklearn
from sklearn import ensemble, linear_model, tree, svm, decomposition, preprocessing, impute, pipeline

warnings.filterwarnings("ignore")

VERSION = sklearn.__version__
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "sklearn", "skl" + VERSION)
COMPRESSIONS = ["zlib", "gzip", "bz2", "lzma", "xz"]
try:
    import lz4  # noqa: F401
    COMPRESSIONS.append("lz4")
except ImportError:
    pass
# A smaller matrix for extra versions: FIXTURE_PROTOCOLS=4,5 FIXTURE_COMPRESSIONS=zlib
PROTOCOLS = [int(p) for p in os.environ.get("FIXTURE_PROTOCOLS", "2,4,5").split(",")]
if "FIXTURE_COMPRESSIONS" in os.environ:
    COMPRESSIONS = [c for c in os.environ["FIXTURE_COMPRESSIONS"].split(",") if c in COMPRESSIONS]

N_FEATURES = 5
# a few models are also written with the text-based protocols 0 and 1
LEGACY_PROTOCOL_MODELS = {"dt_clf", "gb_clf_multi", "pipe_imp_ss_lr"}


def version_tuple():
    return tuple(int(p) for p in VERSION.split(".")[:2])


def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, N_FEATURES)).round(3)
    y3 = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int) + (X[:, 2] > 0.8).astype(int)
    y2 = (X[:, 0] - X[:, 3] > 0).astype(int)
    yr = 2.0 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] * X[:, 3] + rng.normal(scale=0.1, size=90)
    yr2 = np.column_stack([yr, X[:, 4] - X[:, 0]])
    ypos = np.exp(0.3 * X[:, 0] - 0.2 * X[:, 1]) + 0.05
    X_nan = X.copy()
    mask = rng.uniform(size=X.shape) < 0.1
    X_nan[mask] = np.nan
    # rows to predict: some training rows, fresh rows, exact thresholds are hit by training rows
    X_test = np.vstack([X[:4], rng.normal(size=(4, N_FEATURES)).round(3)])
    X_test_nan = X_test.copy()
    X_test_nan[1, 0] = np.nan
    X_test_nan[5, 2] = np.nan
    X_test_nan[6, :] = np.nan
    return dict(X=X, y3=y3, y2=y2, yr=yr, yr2=yr2, ypos=ypos, X_nan=X_nan, X_test=X_test, X_test_nan=X_test_nan)


CATEGORIES = np.array([1, 3, 4, 7, 8, 10])


def categorical_data(d):
    """Column 2 holds integer categories {1,3,4,7,8,10} (with NaN), the rest numeric. Newer sklearn encodes
    them to codes 0..5 and moves the column first, which the importer has to undo."""
    rng = np.random.RandomState(1)
    X = d["X"].copy()
    X[:, 2] = CATEGORIES[rng.randint(0, 6, size=X.shape[0])]
    X[rng.uniform(size=X.shape[0]) < 0.1, 2] = np.nan
    y = (np.isin(X[:, 2], [3, 7, 10]) ^ (X[:, 1] > 1.0)).astype(int)
    X_test = d["X_test"].copy()
    X_test[:, 2] = [1, 3, 4, 7, 8, 10, 2, np.nan]  # 2 is an unseen category
    return X, y, X_test


def models(d):
    """(name, estimator, X_fit, y_fit, X_test, kind) with kind in classifier|regressor|transformer|outlier."""
    v = version_tuple()
    X, Xn, Xt, Xtn = d["X"], d["X_nan"], d["X_test"], d["X_test_nan"]
    trees_nan = v >= (1, 3)
    forest_nan = v >= (1, 4)
    m = []
    m.append(("dt_clf", tree.DecisionTreeClassifier(max_depth=3, random_state=0),
              Xn if trees_nan else X, d["y3"], Xtn if trees_nan else Xt, "classifier"))
    m.append(("dt_reg", tree.DecisionTreeRegressor(max_depth=3, random_state=0), X, d["yr"], Xt, "regressor"))
    m.append(("dt_reg_multi", tree.DecisionTreeRegressor(max_depth=3, random_state=0), X, d["yr2"], Xt, "regressor"))
    m.append(("rf_clf", ensemble.RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0),
              Xn if forest_nan else X, d["y3"], Xtn if forest_nan else Xt, "classifier"))
    m.append(("rf_clf_bin_str", ensemble.RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0),
              X, np.array(["no", "yes"], dtype=object)[d["y2"]], Xt, "classifier"))
    m.append(("rf_reg", ensemble.RandomForestRegressor(n_estimators=3, max_depth=3, random_state=0),
              X, d["yr"], Xt, "regressor"))
    m.append(("rf_reg_multi", ensemble.RandomForestRegressor(n_estimators=2, max_depth=3, random_state=0),
              X, d["yr2"], Xt, "regressor"))
    m.append(("et_clf", ensemble.ExtraTreesClassifier(n_estimators=3, max_depth=3, random_state=0),
              X, d["y3"] * 10 + 5, Xt, "classifier"))
    m.append(("et_reg", ensemble.ExtraTreesRegressor(n_estimators=3, max_depth=3, random_state=0),
              X, d["yr"], Xt, "regressor"))
    m.append(("gb_clf_bin", ensemble.GradientBoostingClassifier(n_estimators=3, max_depth=2, learning_rate=0.3,
                                                                 random_state=0), X, d["y2"], Xt, "classifier"))
    m.append(("gb_clf_multi", ensemble.GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=0),
              X, d["y3"], Xt, "classifier"))
    m.append(("gb_clf_exp", ensemble.GradientBoostingClassifier(loss="exponential", n_estimators=3, max_depth=2,
                                                                 random_state=0), X, d["y2"], Xt, "classifier"))
    m.append(("gb_clf_zero", ensemble.GradientBoostingClassifier(init="zero", n_estimators=3, max_depth=2,
                                                                  random_state=0), X, d["y3"], Xt, "classifier"))
    m.append(("gb_reg", ensemble.GradientBoostingRegressor(n_estimators=3, max_depth=2, random_state=0),
              X, d["yr"], Xt, "regressor"))
    m.append(("gb_reg_huber", ensemble.GradientBoostingRegressor(loss="huber", n_estimators=3, max_depth=2,
                                                                  random_state=0), X, d["yr"], Xt, "regressor"))
    m.append(("hgb_clf_bin", ensemble.HistGradientBoostingClassifier(max_iter=3, max_depth=3, random_state=0),
              Xn, d["y2"], Xtn, "classifier"))
    m.append(("hgb_clf_multi", ensemble.HistGradientBoostingClassifier(max_iter=3, max_depth=3, random_state=0),
              Xn, d["y3"], Xtn, "classifier"))
    m.append(("hgb_reg", ensemble.HistGradientBoostingRegressor(max_iter=3, max_depth=3, random_state=0),
              Xn, d["yr"], Xtn, "regressor"))
    m.append(("hgb_reg_poisson", ensemble.HistGradientBoostingRegressor(loss="poisson", max_iter=3, max_depth=3,
                                                                         random_state=0), Xn, d["ypos"], Xtn,
              "regressor"))
    Xc, yc, Xct = categorical_data(d)
    m.append(("hgb_clf_cat", ensemble.HistGradientBoostingClassifier(max_iter=4, max_depth=3, random_state=0,
                                                                      min_samples_leaf=5, categorical_features=[2]),
              Xc, yc, Xct, "classifier"))
    m.append(("iforest", ensemble.IsolationForest(n_estimators=3, max_samples=32, random_state=0),
              X, None, Xt, "outlier"))
    m.append(("logreg_bin", linear_model.LogisticRegression(), X, d["y2"], Xt, "classifier"))
    m.append(("logreg_multi", linear_model.LogisticRegression(), X, d["y3"].astype(float), Xt, "classifier"))
    if v < (1, 8):
        m.append(("logreg_ovr", linear_model.LogisticRegression(multi_class="ovr"), X, d["y3"], Xt, "classifier"))
    m.append(("linreg", linear_model.LinearRegression(), X, d["yr"], Xt, "regressor"))
    m.append(("linreg_multi", linear_model.LinearRegression(), X, d["yr2"], Xt, "regressor"))
    m.append(("ridge", linear_model.Ridge(alpha=0.5), X, d["yr"], Xt, "regressor"))
    m.append(("lasso", linear_model.Lasso(alpha=0.05), X, d["yr"], Xt, "regressor"))
    m.append(("enet", linear_model.ElasticNet(alpha=0.05, l1_ratio=0.3), X, d["yr"], Xt, "regressor"))
    m.append(("linsvc_bin", svm.LinearSVC(random_state=0), X, d["y2"], Xt, "classifier"))
    m.append(("linsvc_multi", svm.LinearSVC(random_state=0), X, d["y3"], Xt, "classifier"))
    m.append(("ridge_clf", linear_model.RidgeClassifier(), X, d["y3"], Xt, "classifier"))
    m.append(("sgd_clf", linear_model.SGDClassifier(random_state=0), X, d["y2"], Xt, "classifier"))
    m.append(("linsvr", svm.LinearSVR(random_state=0, max_iter=5000), X, d["yr"], Xt, "regressor"))
    m.append(("sgd_reg", linear_model.SGDRegressor(random_state=0), X, d["yr"], Xt, "regressor"))
    m.append(("poisson", linear_model.PoissonRegressor(), X, d["ypos"], Xt, "regressor"))
    m.append(("gamma", linear_model.GammaRegressor(), X, d["ypos"], Xt, "regressor"))
    m.append(("tweedie", linear_model.TweedieRegressor(power=1.5), X, d["ypos"], Xt, "regressor"))
    m.append(("std_scaler", preprocessing.StandardScaler(), X, None, Xt, "transformer"))
    m.append(("minmax_scaler", preprocessing.MinMaxScaler(feature_range=(-1, 2)), X, None, Xt, "transformer"))
    m.append(("maxabs_scaler", preprocessing.MaxAbsScaler(), X, None, Xt, "transformer"))
    m.append(("robust_scaler", preprocessing.RobustScaler(), X, None, Xt, "transformer"))
    m.append(("pca", decomposition.PCA(n_components=3, random_state=0), X, None, Xt, "transformer"))
    m.append(("pca_whiten", decomposition.PCA(n_components=3, whiten=True, random_state=0), X, None, Xt,
              "transformer"))
    m.append(("tsvd", decomposition.TruncatedSVD(n_components=2, random_state=0), X, None, Xt, "transformer"))
    for strategy in ["mean", "median", "most_frequent", "constant"]:
        kw = dict(fill_value=-1.5) if strategy == "constant" else {}
        m.append(("imputer_" + strategy, impute.SimpleImputer(strategy=strategy, **kw), Xn, None, Xtn,
                  "transformer"))
    m.append(("pipe_imp_ss_lr", pipeline.Pipeline([
        ("impute", impute.SimpleImputer()), ("skip", "passthrough"), ("scale", preprocessing.StandardScaler()),
        ("clf", linear_model.LogisticRegression())]), Xn, d["y3"], Xtn, "classifier"))
    m.append(("pipe_pca_rf", pipeline.Pipeline([
        ("scale", preprocessing.MinMaxScaler()), ("pca", decomposition.PCA(n_components=3)),
        ("rf", ensemble.RandomForestRegressor(n_estimators=2, max_depth=3, random_state=0))]),
        X, d["yr"], Xt, "regressor"))
    try:
        import pandas as pd
        cols = ["f%d" % i for i in range(N_FEATURES)]
        m.append(("pipe_df_ss_gb", pipeline.Pipeline([
            ("scale", preprocessing.StandardScaler()),
            ("gb", ensemble.GradientBoostingClassifier(n_estimators=2, max_depth=2, random_state=0))]),
            pd.DataFrame(X, columns=cols), d["y2"], pd.DataFrame(Xt, columns=cols), "classifier"))
    except ImportError:
        pass
    return m


def to_jsonable(a):
    a = np.asarray(a)
    if a.dtype.kind in "fiub":
        return a.astype(float).tolist()
    return a.tolist()


def outputs(model, X_test, kind):
    out = {}
    if kind == "transformer":
        out["transform"] = to_jsonable(model.transform(X_test))
        return out
    if kind == "outlier":
        out["predict"] = to_jsonable(model.predict(X_test))
        out["score_samples"] = to_jsonable(model.score_samples(X_test))
        out["decision_function"] = to_jsonable(model.decision_function(X_test))
        return out
    pred = model.predict(X_test)
    out["predict"] = to_jsonable(pred)
    if kind == "classifier":
        out["predict_label_kind"] = "str" if np.asarray(pred).dtype.kind in "OU" else "num"
        for method in ["predict_proba", "decision_function"]:
            if hasattr(model, method):
                try:
                    out[method] = to_jsonable(getattr(model, method)(X_test))
                except (AttributeError, NotImplementedError):
                    pass
    return out


def arrays():
    """numpy arrays of every numeric dtype, both byte orders and memory orders, strings, objects, records."""
    rng = np.random.RandomState(3)
    a = {}
    base = rng.normal(size=(3, 4)) * 100
    a["f8_c"] = base.copy()
    a["f8_f"] = np.asfortranarray(base)
    a["f8_be"] = base.astype(">f8")
    a["f4_f"] = np.asfortranarray(base.astype("<f4"))
    a["f4_be"] = base.astype(">f4")
    a["f2"] = np.array([0.5, -2.0, 65504.0, 6e-08, np.inf, -0.0], dtype="<f2")
    for t in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
        info = np.iinfo(t)
        v = np.array([info.min, info.max, 0, 1, 7], dtype="<" + t)
        if t == "u8":
            v = np.array([0, 1, 7, 2 ** 62, 12345], dtype="<u8")
        a[t] = v
        a[t + "_be"] = v.astype(">" + t)
    a["i2_3d_f"] = np.asfortranarray(np.arange(24, dtype="<i2").reshape(2, 3, 4) - 5)
    a["bool"] = np.array([True, False, True])
    a["nan_inf"] = np.array([np.nan, np.inf, -np.inf, 1e-310, 1.5])
    a["unicode"] = np.array(["ab", "", "héllo"])
    a["objects_str"] = np.array(["x", "yz"], dtype=object)
    a["objects_num"] = np.array([1, 2.5, True], dtype=object)
    rec = np.dtype([("a", "<i4"), ("b", "<f8"), ("c", "u1")], align=True)
    r = np.zeros(3, dtype=rec)
    r["a"] = [1, -2, 3]
    r["b"] = [0.5, 1.5, -2.5]
    r["c"] = [7, 8, 9]
    a["record_aligned"] = r
    rec_be = np.dtype([("x", ">f8"), ("y", ">i2")])
    rb = np.zeros(2, dtype=rec_be)
    rb["x"] = [1.25, -3.5]
    rb["y"] = [-7, 300]
    a["record_be_packed"] = rb
    a["empty"] = np.zeros((0, 3))
    a["scalar_f8"] = np.float64(2.5)
    a["scalar_i8"] = np.int64(-42)
    a["scalar_u8"] = np.uint64(2 ** 63 + 5)
    a["scalar_bool"] = np.bool_(True)
    a["scalar_f4"] = np.float32(0.1)
    expected = {}
    for k, v in a.items():
        if isinstance(v, np.ndarray) and v.dtype.names:
            expected[k] = {"fields": {n: v[n].astype(float).tolist() for n in v.dtype.names},
                           "itemsize": v.dtype.itemsize}
        elif isinstance(v, np.ndarray):
            vv = v if v.dtype.kind in "OU" else v.astype(float)
            expected[k] = {"shape": list(v.shape), "values": np.ravel(vv, order="C").tolist()}
        else:
            expected[k] = {"scalar": float(v) if not isinstance(v, np.bool_) else bool(v),
                           "exact": str(int(v)) if v.dtype.kind in "iu" else None}
    return a, expected


def write_arrays():
    a, expected = arrays()
    for p in (2, 4, 5):
        with open(os.path.join(ROOT, "arrays.p%d.pkl" % p), "wb") as f:
            pickle.dump(a, f, protocol=p)
    joblib.dump(a, os.path.join(ROOT, "arrays.joblib"))
    with open(os.path.join(ROOT, "arrays.expected.json"), "w") as f:
        json.dump(expected, f, indent=1, allow_nan=True)


def write_broken(d):
    """Models that must fail with a precise error."""
    X, y = d["X"], d["y3"]
    scaler = preprocessing.StandardScaler().fit(X)
    scaler.scale_ = scaler.scale_[:3]
    pipe = pipeline.Pipeline([("impute", impute.SimpleImputer().fit(X)), ("scale", scaler),
                              ("clf", linear_model.LogisticRegression().fit(X, y))])
    with open(os.path.join(ROOT, "broken_scaler_in_pipeline.p4.pkl"), "wb") as f:
        pickle.dump(pipe, f, protocol=4)
    pipe2 = pipeline.Pipeline([("scale", preprocessing.StandardScaler()), ("svc", svm.SVC())]).fit(X, y)
    with open(os.path.join(ROOT, "unsupported_svc.p4.pkl"), "wb") as f:
        pickle.dump(pipe2, f, protocol=4)


def main():
    os.makedirs(ROOT, exist_ok=True)
    write_arrays()
    write_broken(data())
    d = data()
    index = []
    for name, est, X_fit, y_fit, X_test, kind in models(d):
        est.fit(X_fit, y_fit) if y_fit is not None else est.fit(X_fit)
        final = est.steps[-1][1] if isinstance(est, pipeline.Pipeline) else est
        record = {
            "name": name,
            "class": type(final).__module__ + "." + type(final).__name__,
            "root_class": type(est).__module__ + "." + type(est).__name__,
            "kind": kind,
            "sklearn": VERSION,
            "numpy": np.__version__,
            "X": to_jsonable(X_test),
            "outputs": outputs(est, X_test, kind),
        }
        for p in PROTOCOLS:
            with open(os.path.join(ROOT, "%s.p%d.pkl" % (name, p)), "wb") as f:
                pickle.dump(est, f, protocol=p)
        if name in LEGACY_PROTOCOL_MODELS:
            for p in (0, 1):
                with open(os.path.join(ROOT, "%s.p%d.pkl" % (name, p)), "wb") as f:
                    pickle.dump(est, f, protocol=p)
        joblib.dump(est, os.path.join(ROOT, name + ".joblib"))
        for c in COMPRESSIONS:
            joblib.dump(est, os.path.join(ROOT, "%s.%s.joblib" % (name, c)), compress=(c, 3))
        with open(os.path.join(ROOT, name + ".json"), "w") as f:
            json.dump(record, f, indent=1, allow_nan=True)
        index.append(name)
    with open(os.path.join(ROOT, "index.json"), "w") as f:
        json.dump({"sklearn": VERSION, "numpy": np.__version__, "joblib": joblib.__version__,
                   "python": sys.version.split()[0], "protocols": PROTOCOLS, "compressions": COMPRESSIONS, "models": index}, f, indent=1)
    print("wrote %d models to %s" % (len(index), os.path.normpath(ROOT)))


if __name__ == "__main__":
    main()
