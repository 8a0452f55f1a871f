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


def describe(path):
    import joblib
    m = joblib.load(path)
    print(json.dumps({"coef": m.coef_.ravel().tolist(), "intercept": m.intercept_.tolist(), "t_": float(m.t_),
                      "n_iter_": float(m.n_iter_)}))


def report_md(results_dir, benchmarks_md):
    """Writes the 'Out-of-core training' section of BENCHMARKS.md from the results folder."""
    import os
    def load(name):
        p = os.path.join(results_dir, name)
        return json.load(open(p)) if os.path.exists(p) else None
    meta = load("meta.json")
    rows = [("ml2tensor train, chunked (b)", load("java-b.json")), ("ml2tensor train --fit (a)", load("java-a.json")),
            ("scikit-learn partial_fit loop (b)", load("sk-b.json")), ("scikit-learn fit (a)", load("sk-a.json"))]
    lines = ["<!-- train-benchmark:start (scripts/train_benchmark.sh writes this section) -->",
             "## Out-of-core training: SGDClassifier, %s rows x 5 features" % format(meta["rows"], ","), "",
             "`scripts/train_benchmark.sh --rows %d` on %s; CSV %s MB (make_classification, random_state=0, "
             "6 decimals), the first %s rows held out, chunks of %s rows. (a) = every row in memory and "
             "scikit-learn's `fit` epochs (max_iter=1000, tol=1e-3, n_iter_no_change=5); (b) = one pass of "
             "`partial_fit` per chunk. Both SGDClassifier(random_state=0), scikit-learn %s semantics. Wall time and "
             "peak RSS from `/usr/bin/time -v` of the whole process (JVM or Python start, reading, training)."
             % (meta["rows"], meta["machine"], format(meta["csv_mb"], ","), format(meta["holdout"], ","),
                format(meta["chunk"], ","), meta["sklearn"]), "",
             "| run | wall s | CPU s | peak RSS MB | epochs | held-out accuracy | coef | intercept |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    old = open(benchmarks_md).read() if os.path.exists(benchmarks_md) else ""
    earlier = {}
    for line in old.splitlines():
        for name in ("ml2tensor train --fit (a)", "scikit-learn fit (a)"):
            if line.startswith("| " + name + " |") and "not run" not in line:
                earlier[name] = line.replace("| " + name + " |", "| " + name + " (earlier run) |", 1)
            elif line.startswith("| " + name + " (earlier run) |"):
                earlier[name] = line
    for name, r in rows:
        if r is None:
            lines.append(earlier.get(name, "| %s | not run | | | | | | |" % name))
            continue
        lines.append("| %s | %.1f | %.1f | %d | %s | %.4f | %s | %.4f |" % (
            name, r["wall"], r["cpu"], r["rss_mb"], "%g" % r["n_iter_"], r["accuracy"],
            "[" + ", ".join("%.4f" % c for c in r["coef"]) + "]", r["intercept"][0]))
    jb, sb, ja = rows[0][1], rows[2][1], rows[1][1]
    if jb and sb:
        lines += ["", "Chunked (b), median pair: ml2tensor %.1f s wall / %.1f s CPU vs scikit-learn's partial_fit loop "
                  "%.1f s wall / %.1f s CPU = **%.1fx by wall time, %.1fx by CPU time** (load average %s / %s at the "
                  "start of each); coefficients equal to %.1e (max abs difference; same chunks, same shuffle)." % (
                      jb["wall"], jb["cpu"], sb["wall"], sb["cpu"], sb["wall"] / jb["wall"], sb["cpu"] / jb["cpu"],
                      jb.get("load", "?"), sb.get("load", "?"),
                      max(abs(a - b) for a, b in zip(jb["coef"], sb["coef"])))]
    if jb and ja:
        lines += ["Accuracy (b) - (a): %+.2f points." % (100 * (jb["accuracy"] - ja["accuracy"]))]
    elif jb and "ml2tensor train --fit (a)" in earlier:
        acc_a = float(earlier["ml2tensor train --fit (a)"].split("|")[6])
        lines += ["Accuracy (b) - (a, earlier run): %+.2f points." % (100 * (jb["accuracy"] - acc_a))]
    runs = sorted(f for f in os.listdir(results_dir) if f.startswith("java-b-") and f.endswith(".json"))
    pairs = []
    for f in runs:
        j, k = load(f), load("sk-" + f[len("java-"):])
        if j and k:
            pairs.append((k["wall"] / j["wall"], k["cpu"] / j["cpu"], j, k))
    if len(pairs) > 1:
        lines += ["", "Side by side, %d alternating runs of each (b) on the same file (scikit-learn / ml2tensor):" % len(pairs), ""]
        lines += ["| pair | ml2tensor wall s | ml2tensor CPU s | scikit-learn wall s | scikit-learn CPU s | wall ratio "
                  "| CPU-time ratio | load average (1 min) at the starts |", "|---:|---:|---:|---:|---:|---:|---:|---|"]
        for i, (wr, cr, j, k) in enumerate(pairs):
            lines.append("| %d | %.1f | %.1f | %.1f | %.1f | %.1fx | %.1fx | %s / %s |" % (
                i + 1, j["wall"], j["cpu"], k["wall"], k["cpu"], wr, cr, j.get("load", "?"), k.get("load", "?")))
        lines += ["", "Smallest ratio over the pairs: **%.1fx by wall time, %.1fx by CPU time** (wall ratios move "
                  "with the load the two processes happen to meet; CPU time is what each needed)." % (
                      min(p[0] for p in pairs), min(p[1] for p in pairs))]
    rd = load("read.json")
    if not rd:
        # --skip-read: keep the reader-alone lines of the earlier run, marked as such
        for line in old.splitlines():
            if line.startswith("CSV reader alone") or line.startswith("Same process, same file: the runtime's"):
                lines += ([""] if line.startswith("CSV reader alone") else []) + [
                    line if "(earlier run" in line else line.replace("CSV reader alone (", "CSV reader alone (earlier run; ", 1)
                    .replace("Same process, same file:", "Same process, same file (earlier run):", 1)]
    if rd:
        lines += ["", "CSV reader alone (`ReadSpeedBenchmark`, one thread, best of %s rounds after a warm-up, alternating "
                  "with the old reader): %.0f MB/s wall, **%.0f MB per CPU-second** (%s rows/s by CPU time)." % (
                      rd.get("rounds", 1), rd["mb_per_s"], rd["mb_per_cpu_s"],
                                                         format(int(rd["rows"] / rd["cpu_seconds"]), ","))]
        if "runtime_reader_mb_per_cpu_s" in rd:
            lines += ["Same process, same file: the runtime's `CsvRowReader` (train's reader before the single-pass "
                      "parser) reads %.0f MB per CPU-second, so the new parser is **%.1fx** faster per CPU-second." % (
                          rd["runtime_reader_mb_per_cpu_s"], rd["mb_per_cpu_s"] / rd["runtime_reader_mb_per_cpu_s"])]
    lines += ["", meta.get("note", ""), "<!-- train-benchmark:end -->"]
    section = "\n".join(lines) + "\n"
    text = open(benchmarks_md).read() if os.path.exists(benchmarks_md) else ""
    a = text.find("<!-- train-benchmark:start")
    b = text.find("<!-- train-benchmark:end -->")
    if a >= 0 and b >= 0:
        text = text[:a] + section + text[b + len("<!-- train-benchmark:end -->") + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(benchmarks_md, "w").write(text)


def median(results_dir):
    """Copies the median pair of the repeated runs (by the pair's CPU-time ratio; both sides of the same
    alternating pair, so the table's two rows saw the same load) to java-b.json / sk-b.json; without
    scikit-learn runs, the median ml2tensor run by CPU time."""
    import os
    import shutil
    def load(f):
        return json.load(open(os.path.join(results_dir, f)))
    runs = sorted(f[len("java-b-"):] for f in os.listdir(results_dir) if f.startswith("java-b-") and f.endswith(".json"))
    pairs = [n for n in runs if os.path.exists(os.path.join(results_dir, "sk-b-" + n))]
    if pairs:
        pairs.sort(key=lambda n: load("sk-b-" + n)["cpu"] / load("java-b-" + n)["cpu"])
        n = pairs[len(pairs) // 2]
        shutil.copy(os.path.join(results_dir, "sk-b-" + n), os.path.join(results_dir, "sk-b.json"))
    elif runs:
        runs.sort(key=lambda n: load("java-b-" + n)["cpu"])
        n = runs[len(runs) // 2]
    else:
        return
    shutil.copy(os.path.join(results_dir, "java-b-" + n), os.path.join(results_dir, "java-b.json"))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "median":
        median(sys.argv[2])
        sys.exit(0)
    if cmd == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif cmd == "sklearn-fit":
        sklearn_fit(sys.argv[2], int(sys.argv[3]))
    elif cmd == "sklearn-partial":
        sklearn_partial(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "describe":
        describe(sys.argv[2])
    elif cmd == "report":
        report_md(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown command " + cmd)

