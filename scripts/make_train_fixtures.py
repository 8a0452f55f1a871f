#!/usr/bin/env python3
"""Writes the conformance fixtures of the `train` module: scikit-learn's partial_fit results on small data.

Run it once with each scikit-learn release we match (CI has no Python; the outputs are committed):
  .venv-train/bin/python scripts/make_train_fixtures.py     # scikit-learn 1.9.1
  /usr/bin/python3 scripts/make_train_fixtures.py           # Debian's scikit-learn 1.2.1
Outputs (train/src/test/resources/fixtures/): data.csv, nb-data.csv (shared, written identically by both)
and expected-<version>.txt, one block per case:
  case NAME / estimator CLASS / set k=v ... / data data|nb / target y|y3|yr|yc / chunks n1 n2 ... /
  weights 0|1 / mode partial_fit|fit / attr NAME ROWS COLS v ... / end
"""
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import (PassiveAggressiveClassifier, PassiveAggressiveRegressor, Perceptron,
                                  SGDClassifier, SGDRegressor)
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import IncrementalPCA
from sklearn.naive_bayes import BernoulliNB, CategoricalNB, ComplementNB, GaussianNB, MultinomialNB
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

warnings.simplefilter("ignore")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train", "src", "test", "resources", "fixtures")
CHUNKS = [120, 100, 80]


def make_data():
    rng = np.random.RandomState(7)
    n = sum(CHUNKS)
    X = np.round(rng.normal(size=(n, 4)) * [1.0, 2.0, 0.5, 3.0] + [0.5, -1.0, 0.0, 2.0], 4)
    w = np.array([1.5, -0.7, 2.0, 0.3])
    m = X @ w - 0.2 + rng.normal(scale=0.8, size=n)
    y = (m > 0).astype(int)
    y3 = np.digitize(m, [-1.0, 1.5])
    yr = np.round(X @ w + 0.5 + rng.normal(scale=0.3, size=n), 4)
    sw = np.round(rng.uniform(0.2, 2.0, size=n), 3)
    counts = rng.poisson(lam=[1.0, 3.0, 0.5, 2.0, 0.2], size=(n, 5)).astype(float)
    yc = np.digitize(counts @ [0.5, -0.3, 1.0, 0.1, 2.0] + rng.normal(scale=0.5, size=n), [-0.5, 0.8])
    return X, y, y3, yr, sw, counts, yc


def fmt(v):
    return repr(float(v))


def write_data(X, y, y3, yr, sw, counts, yc):
    with open(os.path.join(OUT, "data.csv"), "w") as f:
        f.write("f0,f1,f2,f3,y,y3,yr,w\n")
        for i in range(len(y)):
            f.write(",".join(fmt(v) for v in X[i]) + ",%d,%d,%s,%s\n" % (y[i], y3[i], fmt(yr[i]), fmt(sw[i])))
    with open(os.path.join(OUT, "nb-data.csv"), "w") as f:
        f.write("c0,c1,c2,c3,c4,yc,w\n")
        for i in range(len(yc)):
            f.write(",".join("%d" % v for v in counts[i]) + ",%d,%s\n" % (yc[i], fmt(sw[i])))


def attr(out, name, a):
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        a = a.reshape(1, 1)
    elif a.ndim == 1:
        a = a.reshape(1, -1)
    out.append("attr %s %d %d %s" % (name, a.shape[0], a.shape[1], " ".join(fmt(v) for v in a.ravel())))


def main():
    os.makedirs(OUT, exist_ok=True)
    X, y, y3, yr, sw, counts, yc = make_data()
    write_data(X, y, y3, yr, sw, counts, yc)
    targets = {"y": y, "y3": y3, "yr": yr, "yc": yc}
    version = ".".join(sklearn.__version__.split(".")[:2])
    cases = []

    def case(name, cls, params, data="data", target="y", weights=False, mode="partial_fit", attrs=("coef_", "intercept_", "t_")):
        cases.append((name, cls, params, data, target, weights, mode, attrs))

    for target in ("y", "y3"):
        for loss in ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron", "squared_error",
                     "huber", "epsilon_insensitive"):
            case("sgdc-%s-%s" % (target, loss), SGDClassifier, {"loss": loss, "random_state": 0}, target=target)
        for pen in ("l1", "elasticnet"):
            for loss in ("hinge", "log_loss"):
                case("sgdc-%s-%s-%s" % (target, loss, pen), SGDClassifier,
                     {"loss": loss, "penalty": pen, "alpha": 0.01, "random_state": 1}, target=target)
        for lr in ("constant", "invscaling", "adaptive"):
            case("sgdc-%s-%s" % (target, lr), SGDClassifier,
                 {"loss": "log_loss", "learning_rate": lr, "eta0": 0.05, "random_state": 3}, target=target)
        for avg in (True, 50, 150):
            case("sgdc-%s-avg%s" % (target, avg), SGDClassifier,
                 {"loss": "hinge", "average": avg, "random_state": 5}, target=target)
        case("sgdc-%s-weights" % target, SGDClassifier,
             {"loss": "log_loss", "class_weight": {0: 2.0, 1: 0.5}, "random_state": 11}, target=target, weights=True)
        case("sgdc-%s-noshuffle-nointercept" % target, SGDClassifier,
             {"loss": "modified_huber", "shuffle": False, "fit_intercept": False}, target=target)
        case("perceptron-%s" % target, Perceptron, {}, target=target)
        case("pac-%s-hinge" % target, PassiveAggressiveClassifier, {"random_state": 2}, target=target)
        case("pac-%s-squared_hinge" % target, PassiveAggressiveClassifier,
             {"loss": "squared_hinge", "C": 0.5, "random_state": 2}, target=target)
    case("sgdc-y-fit", SGDClassifier, {"random_state": 0, "max_iter": 50}, mode="fit",
         attrs=("coef_", "intercept_", "t_", "n_iter_"))
    case("sgdc-y-fit-log", SGDClassifier, {"loss": "log_loss", "random_state": 4, "max_iter": 50, "tol": 1e-4},
         mode="fit", attrs=("coef_", "intercept_", "t_", "n_iter_"))
    for loss in ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"):
        case("sgdr-%s" % loss, SGDRegressor, {"loss": loss, "random_state": 0}, target="yr")
    case("sgdr-l1", SGDRegressor, {"penalty": "l1", "alpha": 0.01, "random_state": 6}, target="yr")
    case("sgdr-elasticnet-optimal", SGDRegressor,
         {"penalty": "elasticnet", "learning_rate": "optimal", "alpha": 0.01, "random_state": 6}, target="yr")
    case("sgdr-avg", SGDRegressor, {"average": 40, "random_state": 8}, target="yr", weights=True)
    case("par-epsilon_insensitive", PassiveAggressiveRegressor, {"random_state": 9}, target="yr")
    case("par-squared_epsilon_insensitive", PassiveAggressiveRegressor,
         {"loss": "squared_epsilon_insensitive", "C": 0.1, "random_state": 9}, target="yr")
    nb_attrs = ("class_count_", "feature_count_", "feature_log_prob_", "class_log_prior_")
    case("mnb", MultinomialNB, {}, data="nb", target="yc", attrs=nb_attrs)
    case("mnb-w", MultinomialNB, {"alpha": 0.5}, data="nb", target="yc", weights=True, attrs=nb_attrs)
    case("cnb", ComplementNB, {}, data="nb", target="yc", attrs=nb_attrs + ("feature_all_",))
    case("bnb", BernoulliNB, {"binarize": 1.0}, data="nb", target="yc", attrs=nb_attrs)
    case("gnb", GaussianNB, {}, data="data", target="y3", attrs=("theta_", "var_", "class_count_", "class_prior_", "epsilon_"))
    case("gnb-w", GaussianNB, {}, data="data", target="y3", weights=True,
         attrs=("theta_", "var_", "class_count_", "class_prior_", "epsilon_"))
    cat_attrs = ("class_count_", "n_categories_", "category_count_*", "feature_log_prob_*", "class_log_prior_")
    case("catnb", CategoricalNB, {}, data="nb", target="yc", attrs=cat_attrs)
    case("catnb-w", CategoricalNB, {"alpha": 0.5}, data="nb", target="yc", weights=True, attrs=cat_attrs)
    case("catnb-min", CategoricalNB, {"min_categories": 6, "fit_prior": False}, data="nb", target="yc", attrs=cat_attrs)
    ipca_attrs = ("components_", "singular_values_", "mean_", "var_", "explained_variance_",
                  "explained_variance_ratio_", "noise_variance_", "n_samples_seen_")
    case("ipca", IncrementalPCA, {"n_components": 2}, target=None, attrs=ipca_attrs)
    case("ipca-all", IncrementalPCA, {}, target=None, attrs=ipca_attrs)
    case("ipca-whiten", IncrementalPCA, {"n_components": 3, "whiten": True}, target=None, attrs=ipca_attrs)
    km_attrs = ("cluster_centers_", "_counts", "n_steps_", "inertia_")
    case("mbkm", MiniBatchKMeans, {"n_clusters": 3, "random_state": 0}, target=None, attrs=km_attrs)
    case("mbkm-init-size", MiniBatchKMeans, {"n_clusters": 4, "random_state": 3, "init_size": 50, "batch_size": 100},
         target=None, weights=True, attrs=km_attrs)
    case("mbkm-reassign", MiniBatchKMeans, {"n_clusters": 6, "random_state": 5, "reassignment_ratio": 0.6},
         target=None, attrs=km_attrs)
    case("mbkm-random", MiniBatchKMeans, {"n_clusters": 3, "random_state": 1, "init": "random", "n_init": 1},
         target=None, attrs=km_attrs)
    case("standard-scaler", StandardScaler, {}, target=None, attrs=("mean_", "var_", "scale_", "n_samples_seen_"))
    case("minmax-scaler", MinMaxScaler, {}, target=None, attrs=("data_min_", "data_max_", "scale_", "min_"))
    case("maxabs-scaler", MaxAbsScaler, {}, target=None, attrs=("max_abs_", "scale_"))

    out = ["# scikit-learn %s, numpy %s; made by scripts/make_train_fixtures.py" % (sklearn.__version__, np.__version__)]
    for name, cls, params, data, target, weights, mode, attrs in cases:
        Xd = counts if data == "nb" else X
        yt = targets.get(target)
        est = cls(**params)
        if mode == "fit":
            est.fit(Xd, yt, sample_weight=sw if weights else None)
        else:
            start = 0
            for n in CHUNKS:
                sl = slice(start, start + n)
                kw = {}
                if weights:
                    kw["sample_weight"] = sw[sl]
                if target is None:
                    est.partial_fit(Xd[sl], **kw)
                elif cls in (SGDRegressor, PassiveAggressiveRegressor):
                    est.partial_fit(Xd[sl], yt[sl], **kw)
                else:
                    est.partial_fit(Xd[sl], yt[sl], classes=np.unique(yt), **kw)
                start += n
        out.append("case " + name)
        out.append("estimator " + cls.__name__)
        for k, v in params.items():
            if isinstance(v, dict):
                v = ",".join("%s:%s" % (a, b) for a, b in v.items())
            out.append("set %s=%s" % (k, v))
        out.append("data " + data)
        out.append("target " + (target or "-"))
        out.append("chunks " + " ".join(str(c) for c in CHUNKS))
        out.append("weights %d" % (1 if weights else 0))
        out.append("mode " + mode)
        for a in attrs:
            if a.endswith("*"):
                for j, v in enumerate(getattr(est, a[:-1])):
                    attr(out, "%s%d" % (a[:-1], j), v)
            else:
                attr(out, a, getattr(est, a))
        out.append("end")
    with open(os.path.join(OUT, "expected-%s.txt" % version), "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %d cases for scikit-learn %s" % (len(cases), sklearn.__version__))


if __name__ == "__main__":
    main()
