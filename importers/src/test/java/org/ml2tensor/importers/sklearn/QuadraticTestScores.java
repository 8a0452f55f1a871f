package org.ml2tensor.importers.sklearn;

import org.ml2tensor.ir.QuadraticModel;

/** Plain raw scores of a {@link QuadraticModel} for one row (importer tests). */
final class QuadraticTestScores {
    private QuadraticTestScores() {
    }

    static double[] raw(QuadraticModel m, double[] x) {
        double[] raw = new double[m.outputWidth()];
        for (int c = 0; c < raw.length; c++) {
            double q = 0;
            double[] mu = m.means()[c];
            if (m.projections() != null) {
                double[][] p = m.projections()[c];
                for (int j = 0; j < p[0].length; j++) {
                    double z = 0;
                    for (int i = 0; i < x.length; i++) {
                        z += (x[i] - mu[i]) * p[i][j];
                    }
                    q += z * z;
                }
            } else {
                for (int i = 0; i < x.length; i++) {
                    double d = x[i] - mu[i];
                    q += m.divisors() == null ? d * d : d * d / m.divisors()[c][i];
                }
            }
            raw[c] = m.offsets()[c] + m.factor() * q;
        }
        return raw;
    }
}
