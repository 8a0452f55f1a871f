#!/usr/bin/env python3
"""Writes importers/src/test/resources/sklearn/skl1.9.1/unsupported_many.pkl: a pipeline with three estimators
ml2tensor did not convert (Nystroem and GaussianRandomProjection inside a ColumnTransformer — KBinsDiscretizer and
PolynomialFeatures were the examples until issue 19 converted them — SVC last, which converts since issue 12, so two
are reported), to
check that all of them are reported at once with their object paths. Run with the 1.9.1 venv:
    .venv-skl19/bin/python importers/src/test/python/make_unsupported_pipeline.py
"""
import pickle
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.kernel_approximation import Nystroem
from sklearn.preprocessing import StandardScaler
from sklearn.random_projection import GaussianRandomProjection
from sklearn.svm import SVC

rng = np.random.RandomState(0)
X = rng.normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)
model = Pipeline([
    ("prep", ColumnTransformer([("nystroem", Nystroem(n_components=5, random_state=0), [0]),
                                ("projection", GaussianRandomProjection(n_components=2, random_state=0), [1, 2]),
                                ("scale", StandardScaler(), [2])])),
    ("svc", SVC())]).fit(X, y)
out = Path(__file__).resolve().parents[1] / "resources/sklearn/skl1.9.1/unsupported_many.pkl"
out.write_bytes(pickle.dumps(model, protocol=4))
print("wrote", out, out.stat().st_size, "bytes")
