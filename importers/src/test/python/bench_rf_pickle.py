#!/usr/bin/env python3
"""Writes a RandomForest pickle of about TARGET_MB megabytes and times Python's pickle.load on it.

    /usr/bin/python3 importers/src/test/python/bench_rf_pickle.py /tmp/rf100.pkl [TARGET_MB] [PROTOCOL]

Compare with the Java reader on the same file:

    mvn -q -o -pl importers -am test-compile
    java -cp "importers/target/classes:importers/target/test-classes:$(cat /tmp/cp.txt)" \
        org.ml2tensor.importers.pickle.PickleReadBenchmark /tmp/rf100.pkl
(where /tmp/cp.txt comes from `mvn -q -o -pl importers dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt`).
The file is not committed: it is far too large for the repository.
"""
import gc
import os
import pickle
import statistics
import sys
import time

from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier


def main():
    path = sys.argv[1]
    target = float(sys.argv[2]) if len(sys.argv) > 2 else 100.0
    protocol = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    if not os.path.exists(path):
        X, y = make_classification(n_samples=40000, n_features=20, n_informative=10, flip_y=0.1, random_state=0)
        rf = RandomForestClassifier(n_estimators=4, warm_start=True, n_jobs=2, random_state=0).fit(X, y)
        per_tree = len(pickle.dumps(rf, protocol=protocol)) / 4
        rf.n_estimators = max(4, int(target * 1e6 / per_tree))
        rf.fit(X, y)
        with open(path, "wb") as f:
            pickle.dump(rf, f, protocol=protocol)
    size = os.path.getsize(path)
    times = []
    for _ in range(7):
        with open(path, "rb") as f:
            data = f.read()
        gc.collect()
        t0 = time.perf_counter()
        obj = pickle.loads(data)
        times.append(time.perf_counter() - t0)
        del obj
    t_file = []
    for _ in range(5):
        gc.collect()
        t0 = time.perf_counter()
        with open(path, "rb") as f:
            obj = pickle.load(f)
        t_file.append(time.perf_counter() - t0)
        del obj
    print("file %s: %.1f MB" % (path, size / 1e6))
    print("python pickle.loads (bytes in memory): median %.1f ms, min %.1f ms"
          % (statistics.median(times) * 1e3, min(times) * 1e3))
    print("python pickle.load (from file):        median %.1f ms, min %.1f ms"
          % (statistics.median(t_file) * 1e3, min(t_file) * 1e3))


if __name__ == "__main__":
    main()
