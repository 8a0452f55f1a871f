#!/usr/bin/env python3
"""Writes importers/src/test/resources/sklearn/skl1.9.1/ttr_user_function.pkl and ttr_exp2.pkl: two
TransformedTargetRegressor pickles whose inverse function ml2tensor must refuse by name, never run — a function
defined by the user (pickled by reference as __main__.inverse) and a numpy ufunc without a known inverse lowering
(numpy.exp2). Run with the 1.9.1 venv:
    /work/venvs/skl-1.9.1/bin/python importers/src/test/python/make_ttr_refusals.py
"""
import pickle
from pathlib import Path

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge


def forward(y):
    return np.log(y)


def inverse(y):
    return np.exp(y)


rng = np.random.RandomState(0)
X = rng.normal(size=(30, 2))
y = np.exp(X[:, 0])
out = Path(__file__).resolve().parents[1] / "resources/sklearn/skl1.9.1"
user = TransformedTargetRegressor(Ridge(), func=forward, inverse_func=inverse).fit(X, y)
(out / "ttr_user_function.pkl").write_bytes(pickle.dumps(user, protocol=4))
exp2 = TransformedTargetRegressor(Ridge(), func=np.log2, inverse_func=np.exp2).fit(X, y)
(out / "ttr_exp2.pkl").write_bytes(pickle.dumps(exp2, protocol=4))
print("wrote", out / "ttr_user_function.pkl", out / "ttr_exp2.pkl")
