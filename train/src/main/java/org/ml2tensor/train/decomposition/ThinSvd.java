package org.ml2tensor.train.decomposition;

/**
 * The singular values and right singular vectors of a tall matrix (rows ≥ columns), as
 * {@code scipy.linalg.svd(full_matrices=False)} gives them: Householder QR reduces the matrix to its
 * {@code d × d} triangle R, then one-sided Jacobi rotations orthogonalise R's columns (high relative
 * accuracy; the values agree with LAPACK's to about 1e-13 relative, the vectors to that over the gap
 * between neighbouring singular values). Singular values are sorted descending.
 */
final class ThinSvd {
    final double[] s;
    /** Right singular vectors as rows ({@code Vt}). */
    final double[][] vt;

    private ThinSvd(double[] s, double[][] vt) {
        this.s = s;
        this.vt = vt;
    }

    /** {@code a} (rows × d, rows ≥ d) is overwritten. */
    static ThinSvd of(double[][] a, int d) {
        int m = a.length;
        if (m < d) {
            throw new IllegalArgumentException(m + " rows < " + d + " columns");
        }
        // Householder QR, column by column; R ends up in the upper triangle of a[0..d).
        for (int k = 0; k < d; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm = Math.hypot(norm, a[i][k]);
            }
            if (norm == 0) {
                continue;
            }
            double alpha = a[k][k] > 0 ? -norm : norm;
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) {
                v[i - k] = a[i][k];
            }
            v[0] -= alpha;
            double vv = 0;
            for (double x : v) {
                vv += x * x;
            }
            if (vv == 0) {
                continue;
            }
            for (int j = k; j < d; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i - k] * a[i][j];
                }
                double f = 2 * dot / vv;
                for (int i = k; i < m; i++) {
                    a[i][j] -= f * v[i - k];
                }
            }
        }
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                r[i][j] = a[i][j];
            }
        }
        // One-sided Jacobi on the columns of R: R·V = U·Σ.
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < d - 1; p++) {
                for (int q = p + 1; q < d; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int i = 0; i < d; i++) {
                        alpha += r[i][p] * r[i][p];
                        beta += r[i][q] * r[i][q];
                        gamma += r[i][p] * r[i][q];
                    }
                    if (gamma == 0 || Math.abs(gamma) <= 1e-16 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double sn = c * t;
                    for (int i = 0; i < d; i++) {
                        double x = r[i][p];
                        double y = r[i][q];
                        r[i][p] = c * x - sn * y;
                        r[i][q] = sn * x + c * y;
                        double vx = v[i][p];
                        double vy = v[i][q];
                        v[i][p] = c * vx - sn * vy;
                        v[i][q] = sn * vx + c * vy;
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sv = new double[d];
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            double n = 0;
            for (int i = 0; i < d; i++) {
                n = Math.hypot(n, r[i][j]);
            }
            sv[j] = n;
            order[j] = j;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] s = new double[d];
        double[][] vt = new double[d][d];
        for (int k = 0; k < d; k++) {
            s[k] = sv[order[k]];
            for (int i = 0; i < d; i++) {
                vt[k][i] = v[i][order[k]];
            }
        }
        // svd_flip(u_based_decision=False): the largest |entry| of each row (the first on ties) made positive.
        for (double[] row : vt) {
            int arg = 0;
            for (int i = 1; i < d; i++) {
                if (Math.abs(row[i]) > Math.abs(row[arg])) {
                    arg = i;
                }
            }
            if (row[arg] < 0) {
                for (int i = 0; i < d; i++) {
                    row[i] = -row[i];
                }
            }
        }
        return new ThinSvd(s, vt);
    }
}
