"""Writes the demo model embedded in the ml2tensor CLI (`ml2tensor demo`).

Run with Debian's scikit-learn (python3-sklearn 1.2.1):
    /usr/bin/python3 cli/demo/make_demo_model.py cli/src/main/resources/org/ml2tensor/cli/demo

Outputs: model.pkl (RandomForestClassifier on iris, pickle protocol 4), input.csv (30 rows,
float32-exact values) and expected.csv (label + proba_<class> from scikit-learn itself).
"""
import os
import pickle
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
iris = load_iris()
X = iris.data.astype(np.float32)
y = np.array(iris.target_names)[iris.target]
model = RandomForestClassifier(n_estimators=12, max_depth=5, random_state=0).fit(X, y)
with open(os.path.join(out, "model.pkl"), "wb") as f:
    pickle.dump(model, f, protocol=4)

rows = X[::5]
names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
with open(os.path.join(out, "input.csv"), "w") as f:
    f.write(",".join(names) + "\n")
    for r in rows:
        f.write(",".join(repr(float(v)) for v in r) + "\n")
proba = model.predict_proba(rows)
labels = model.predict(rows)
with open(os.path.join(out, "expected.csv"), "w") as f:
    f.write(",".join(["label"] + ["proba_" + c for c in model.classes_]) + "\n")
    for lab, p in zip(labels, proba):
        f.write(",".join([str(lab)] + [repr(float(v)) for v in p]) + "\n")
with open(os.path.join(out, "README.txt"), "w") as f:
    f.write("RandomForestClassifier(n_estimators=12, max_depth=5, random_state=0) on iris; scikit-learn %s, numpy %s.\n"
            "Made by cli/demo/make_demo_model.py.\n" % (sklearn.__version__, np.__version__))
