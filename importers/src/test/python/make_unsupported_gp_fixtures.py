#!/usr/bin/env python3
"""Writes the refusal fixtures that used SVC before ml2tensor converted SVMs: a Gaussian process stands in as an
estimator ml2tensor does not convert. Run with scikit-learn 1.9.1:
    /work/venvs/skl-1.9.1/bin/python importers/src/test/python/make_unsupported_gp_fixtures.py
Writes resources/first_hour/gp_pipeline.pkl (StandardScaler + GaussianProcessClassifier) and
resources/sklearn/skl1.9.1/unsupported_gp.p4.pkl (StandardScaler + GaussianProcessRegressor).
"""
import pickle
from pathlib import Path

import numpy as np
from sklearn.gaussian_process import GaussianProcessClassifier, GaussianProcessRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

res = Path(__file__).resolve().parents[1] / "resources"
rng = np.random.RandomState(0)
X = np.round(rng.normal(size=(20, 3)), 2)
y = (X[:, 0] > 0).astype(int)
gpc = Pipeline([("scale", StandardScaler()), ("gpc", GaussianProcessClassifier(random_state=0))]).fit(X, y)
(res / "first_hour/gp_pipeline.pkl").write_bytes(pickle.dumps(gpc, protocol=4))
gpr = Pipeline([("scale", StandardScaler()), ("gpr", GaussianProcessRegressor(random_state=0))]).fit(X, X[:, 1])
(res / "sklearn/skl1.9.1/unsupported_gp.p4.pkl").write_bytes(pickle.dumps(gpr, protocol=4))
print("wrote gp_pipeline.pkl and unsupported_gp.p4.pkl")
