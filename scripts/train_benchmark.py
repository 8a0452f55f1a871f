#!/usr/bin/env python3
"""Helper of scripts/train_benchmark.sh: writes the benchmark CSV and times scikit-learn on it.

  train_benchmark.py make OUT.csv ROWS         make_classification(ROWS, 5 features, 2 classes, random_state=0),
                                               written once as CSV (header f0..f4,y; 6 decimals)
  train_benchmark.py sklearn-fit FILE HOLDOUT       (a) load everything, SGDClassifier(random_state=0).fit
  train_benchmark.py sklearn-partial FILE HOLDOUT CHUNK   (b) pd.read_csv(chunksize=CHUNK) + partial_fit
Both print one JSON line: seconds, n_iter_, t_, coef, intercept, held-out accuracy (the first HOLDOUT rows).
"""
import json
import sys
import time

import numpy as np


def make(out, rows):
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=rows, n_features=5, n_informative=3, n_redundant=1, n_classes=2,
                               random_state=0)
    import pandas as pd
    step = 1_000_000
    with open(out, "w") as f:
        f.write("f0,f1,f2,f3,f4,y\n")
        for s in range(0, rows, step):
            df = pd.DataFrame(X[s:s + step], columns=["f0", "f1", "f2", "f3", "f4"])
            df["y"] = y[s:s + step]
            df.to_csv(f, header=False, index=False, float_format="%.6f")


def report(model, t0, Xh, yh, extra=None):
    out = {"seconds": round(time.time() - t0, 3), "n_iter_": float(model.n_iter_), "t_": float(model.t_),
           "coef": model.coef_.ravel().tolist(), "intercept": model.intercept_.tolist(),
           "accuracy": float((model.predict(Xh) == yh).mean())}
    if extra:
        out.update(extra)
    print(json.dumps(out))


def sklearn_fit(path, holdout):
    import pandas as pd
    from sklearn.linear_model import SGDClassifier
    t0 = time.time()
    d = pd.read_csv(path)
    X = d[["f0", "f1", "f2", "f3", "f4"]].to_numpy(dtype=np.float64)
    y = d["y"].to_numpy()
    del d
    t_read = time.time() - t0
    m = SGDClassifier(random_state=0).fit(X[holdout:], y[holdout:])
    report(m, t0, X[:holdout], y[:holdout], {"read_seconds": round(t_read, 3)})


def sklearn_partial(path, holdout, chunk):
    import pandas as pd
    from sklearn.linear_model import SGDClassifier
    t0 = time.time()
    m = SGDClassifier(random_state=0)
    Xh = yh = None
    seen = 0
    for d in pd.read_csv(path, chunksize=chunk):
        X = d[["f0", "f1", "f2", "f3", "f4"]].to_numpy(dtype=np.float64)
        y = d["y"].to_numpy()
        if seen < holdout:
            k = min(holdout - seen, len(y))
            Xh, yh = X[:k], y[:k]
            X, y = X[k:], y[k:]
        seen += len(d)
        if len(y):
            m.partial_fit(X, y, classes=[0, 1])
    report(m, t0, Xh, yh)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif cmd == "sklearn-fit":
        sklearn_fit(sys.argv[2], int(sys.argv[3]))
    elif cmd == "sklearn-partial":
        sklearn_partial(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("unknown command " + cmd)
