#!/usr/bin/env python3
"""Writes a large CSV of random float rows for the streaming-predict benchmark (scripts/benchmarks.sh).

    python3 scripts/make_big_csv.py OUT.csv ROWS [COLUMNS]

Header f0,f1,...; values drawn from a normal distribution (sd 2, seeded), printed with 7 significant
digits, so a 28-column row is about 270 bytes. Needs only numpy.
"""
import sys

import numpy as np


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 28
    rng = np.random.default_rng(11)
    chunk = 100_000
    with open(out, "w") as f:
        f.write(",".join(f"f{i}" for i in range(cols)) + "\n")
        done = 0
        while done < rows:
            n = min(chunk, rows - done)
            block = (rng.standard_normal((n, cols)) * 2).astype(np.float32)
            np.savetxt(f, block, fmt="%.7g", delimiter=",")
            done += n


if __name__ == "__main__":
    main()
