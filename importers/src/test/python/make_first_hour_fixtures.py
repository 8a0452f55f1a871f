"""Fixtures for issue 18 (the first hour of a new user), written to importers/src/test/resources/first_hour/.

Run with a venv holding scikit-learn 1.9.1 and lightgbm 4.7.0:
    python3 -m venv .venv-fh && .venv-fh/bin/pip install scikit-learn==1.9.1 lightgbm==4.7.0
    .venv-fh/bin/python importers/src/test/python/make_first_hour_fixtures.py

- lgbm_numpy.txt: LightGBM booster trained on a numpy array (generated names Column_0..Column_3),
  lgbm_numpy.input.csv: held-out rows under a user's own header (a,b,c,d), and
  lgbm_numpy.expected.csv: LightGBM's own predict_proba for them (label,proba_0,proba_1).
- lgbm_classifier.pkl: the scikit-learn wrapper LGBMClassifier pickled (unsupported: save the booster).
- svc_pipeline.pkl: Pipeline(StandardScaler, SVC) (SVC was unsupported; it converts since issue 12, and
  gp_pipeline.pkl of make_unsupported_gp_fixtures.py now checks that a refusal names the step).
"""
import os
import pickle

import lightgbm as lgb
import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

out = os.path.join(os.path.dirname(__file__), "..", "resources", "first_hour")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(18)
x = np.round(rng.normal(size=(300, 4)) * [1.0, 2.5, 0.3, 10.0], 3)
y = ((x[:, 0] + 0.4 * x[:, 1] - 2.0 * x[:, 2] + 0.05 * x[:, 3]) > 0).astype(int)
train, test = slice(0, 260), slice(260, 300)

booster = lgb.train({"objective": "binary", "num_leaves": 7, "verbose": -1, "seed": 1},
                    lgb.Dataset(x[train], y[train]), num_boost_round=8)
booster.save_model(os.path.join(out, "lgbm_numpy.txt"))
p = booster.predict(x[test])
with open(os.path.join(out, "lgbm_numpy.input.csv"), "w") as f:
    f.write("a,b,c,d\n")
    for row in x[test]:
        f.write(",".join(repr(float(v)) for v in row) + "\n")
with open(os.path.join(out, "lgbm_numpy.expected.csv"), "w") as f:
    f.write("label,proba_0,proba_1\n")
    for q in p:
        f.write("%d,%r,%r\n" % (int(q > 0.5), float(1 - q), float(q)))

clf = lgb.LGBMClassifier(n_estimators=2, num_leaves=3, verbose=-1).fit(x[train], y[train])
with open(os.path.join(out, "lgbm_classifier.pkl"), "wb") as f:
    pickle.dump(clf, f, protocol=4)
pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC(kernel="rbf"))]).fit(x[:40], y[:40])
with open(os.path.join(out, "svc_pipeline.pkl"), "wb") as f:
    pickle.dump(pipe, f, protocol=4)
