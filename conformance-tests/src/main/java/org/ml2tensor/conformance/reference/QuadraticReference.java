package org.ml2tensor.conformance.reference;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import org.ml2tensor.ir.QuadraticModel;

/**
 * Reference evaluation of {@link QuadraticModel} in float64, following scikit-learn's formulas: GaussianNB's
 * {@code Σ (x − θ)² / var}, QDA's {@code ‖(x − μ_k) · R_k S_k^-½‖²} (an EJML product per class) and KMeans'
 * squared distances; then {@code offsets + factor · q}.
 */
final class QuadraticReference {
    private QuadraticReference() {
    }

    static DMatrixRMaj rawScores(QuadraticModel m, DMatrixRMaj x) {
        int n = x.numRows;
        int f = m.inputWidth();
        int k = m.outputWidth();
        DMatrixRMaj raw = new DMatrixRMaj(n, k);
        DMatrixRMaj diff = new DMatrixRMaj(n, f);
        for (int c = 0; c < k; c++) {
            double[] mu = m.means()[c];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < f; j++) {
                    diff.unsafe_set(r, j, x.unsafe_get(r, j) - mu[j]);
                }
            }
            double[] q = new double[n];
            if (m.projections() != null) {
                DMatrixRMaj p = new DMatrixRMaj(m.projections()[c]);
                DMatrixRMaj z = new DMatrixRMaj(n, p.numCols);
                CommonOps_DDRM.mult(diff, p, z);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < z.numCols; j++) {
                        q[r] += z.unsafe_get(r, j) * z.unsafe_get(r, j);
                    }
                }
            } else {
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < f; j++) {
                        double d = diff.unsafe_get(r, j);
                        q[r] += m.divisors() == null ? d * d : d * d / m.divisors()[c][j];
                    }
                }
            }
            for (int r = 0; r < n; r++) {
                raw.unsafe_set(r, c, m.offsets()[c] + m.factor() * q[r]);
            }
        }
        return raw;
    }

    /** SGDClassifier's modified-Huber probabilities (before the binary {@code [1-p, p]} expansion). */
    static void modifiedHuber(double[] raw, double[] out) {
        double sum = 0;
        for (int i = 0; i < raw.length; i++) {
            out[i] = (Math.min(Math.max(raw[i], -1), 1) + 1) / 2;
            sum += out[i];
        }
        if (raw.length > 1) {
            for (int i = 0; i < raw.length; i++) {
                out[i] = sum == 0 ? 1.0 / raw.length : out[i] / sum;
            }
        }
    }
}
