#!/usr/bin/env python3
"""Writes importers/src/test/resources/sklearn/skl1.9.1/unsupported_many.pkl: a pipeline with three estimators
ml2tensor did not convert (KBinsDiscretizer and PolynomialFeatures inside a ColumnTransformer, SVC last — SVC converts
since issue 12, so two are reported now), to
check that all of them are reported at once with their object paths. Run with the 1.9.1 venv:
    .venv-skl19/bin/python importers/src/test/python/make_unsupported_pipeline.py
"""
import pickle
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import KBinsDiscretizer, PolynomialFeatures, StandardScaler
from sklearn.svm import SVC

rng = np.random.RandomState(0)
X = rng.normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)
model = Pipeline([
    ("prep", ColumnTransformer([("bins", KBinsDiscretizer(n_bins=3, encode="ordinal"), [0]),
                                ("poly", PolynomialFeatures(2), [1]), ("scale", StandardScaler(), [2])])),
    ("svc", SVC())]).fit(X, y)
out = Path(__file__).resolve().parents[1] / "resources/sklearn/skl1.9.1/unsupported_many.pkl"
out.write_bytes(pickle.dumps(model, protocol=4))
print("wrote", out, out.stat().st_size, "bytes")
