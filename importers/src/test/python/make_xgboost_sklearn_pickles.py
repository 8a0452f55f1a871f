"""XGBoost scikit-learn wrapper pickles (XGBClassifier / XGBRegressor) for the pickle importer.

Run with Debian's python3-xgboost 1.7.4 and python3-sklearn:
    /usr/bin/python3 importers/src/test/python/make_xgboost_sklearn_pickles.py importers/src/test/resources/xgboost

Writes sklearn_xgbclassifier.pkl (3 classes, protocol 4) and sklearn_xgbregressor.joblib (zlib) with
<stem>.rows.csv (float32-exact rows, NaN included) and <stem>.pred.csv (predict_proba / predict).
"""
import os
import pickle
import sys

import joblib
import numpy as np
import xgboost as xgb
from sklearn.datasets import make_classification, make_regression

out = sys.argv[1]
rng = np.random.default_rng(0)

X, y = make_classification(n_samples=400, n_features=5, n_informative=3, n_classes=3, random_state=0)
X = X.astype(np.float32)
X[rng.random(X.shape) < 0.05] = np.nan
clf = xgb.XGBClassifier(n_estimators=6, max_depth=3, random_state=0).fit(X, y)
with open(os.path.join(out, "sklearn_xgbclassifier.pkl"), "wb") as f:
    pickle.dump(clf, f, protocol=4)

Xr, yr = make_regression(n_samples=400, n_features=4, random_state=1)
Xr = Xr.astype(np.float32)
reg = xgb.XGBRegressor(n_estimators=8, max_depth=3, random_state=0).fit(Xr, yr)
joblib.dump(reg, os.path.join(out, "sklearn_xgbregressor.joblib"), compress=3)


def write(stem, rows, pred):
    with open(os.path.join(out, stem + ".rows.csv"), "w") as f:
        for r in rows:
            f.write(",".join("NaN" if np.isnan(v) else repr(float(v)) for v in r) + "\n")
    with open(os.path.join(out, stem + ".pred.csv"), "w") as f:
        for p in np.atleast_2d(pred.T).T:
            f.write(",".join(repr(float(v)) for v in np.atleast_1d(p)) + "\n")


write("sklearn_xgbclassifier", X[:40], clf.predict_proba(X[:40]))
write("sklearn_xgbregressor", Xr[:40], reg.predict(Xr[:40]).reshape(-1, 1))
