package org.ml2tensor.ir;

/** A one-dimensional score → probability map of scikit-learn's {@code CalibratedClassifierCV}. */
public sealed interface Calibrator {
    /** {@code _SigmoidCalibration}: {@code p = 1 / (1 + exp(a·f + b))}. */
    record Sigmoid(double a, double b) implements Calibrator {
    }

    /**
     * {@code IsotonicRegression(out_of_bounds='clip')}: {@code f} clipped to {@code [x[0], x[m-1]]}, then
     * {@code np.interp(f, x, y)}: {@code y[m-1]} from {@code x[m-1]} on, else on segment {@code j} ({@code x[j] <= f < x[j+1]}),
     * {@code slope_j·(f − x[j]) + y[j]} with {@code slope_j = (y[j+1] − y[j]) / (x[j+1] − x[j])}.
     */
    record Isotonic(double[] x, double[] y) implements Calibrator {
        public Isotonic {
            x = x.clone();
            y = y.clone();
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("isotonic thresholds: " + x.length + " x for " + y.length + " y");
            }
            for (int i = 1; i < x.length; i++) {
                if (!(x[i] > x[i - 1])) {
                    throw new IllegalArgumentException("isotonic thresholds must increase strictly");
                }
            }
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }

        /** The slope of segment {@code j}, computed as numpy does. */
        public double slope(int j) {
            return (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
        }

        /** The calibrated value of {@code f} (NaN stays NaN). */
        public double apply(double f) {
            if (x.length == 1) {
                return y[0];
            }
            double c = Math.min(Math.max(f, x[0]), x[x.length - 1]);
            if (c >= x[x.length - 1]) {
                return y[y.length - 1];
            }
            int j = 0;
            while (j < x.length - 2 && x[j + 1] <= c) {
                j++;
            }
            return slope(j) * (c - x[j]) + y[j];
        }
    }
}
