package org.ml2tensor.compiler.ir;

/** A feature transformer: rows in, rows out ({@code variable} output when it is the last step). */
public sealed interface Transformer extends Estimator {

    /**
     * A per-column affine map in the operation order of the library, in float64:
     * {@link Form#SUBTRACT_DIVIDE} {@code y = (x - offset) / scale} (StandardScaler, RobustScaler,
     * MaxAbsScaler with offset 0) or {@link Form#MULTIPLY_ADD} {@code y = x * scale + offset}
     * (MinMaxScaler). Subtracting 0 and dividing by 1 are exact, so they may be left out.
     */
    record Affine(Form form, double[] offset, double[] scale) implements Transformer {
        /** The operation order. */
        public enum Form {
            /** {@code (x - offset) / scale}. */
            SUBTRACT_DIVIDE,
            /** {@code x * scale + offset}. */
            MULTIPLY_ADD
        }

        public Affine {
            java.util.Objects.requireNonNull(form, "form");
            if (offset.length != scale.length) {
                throw new IllegalArgumentException("offset and scale differ in length");
            }
        }

        /** {@code y} for one value of column {@code c}, in the library's operation order. */
        public double apply(int c, double x) {
            return form == Form.SUBTRACT_DIVIDE ? (x - offset[c]) / scale[c] : x * scale[c] + offset[c];
        }

        @Override
        public int inputWidth() {
            return offset.length;
        }

        @Override
        public int outputWidth() {
            return offset.length;
        }
    }

    /**
     * A linear projection (PCA, TruncatedSVD with zero mean), {@code components [k][inputs]}, in the
     * operation order of the scikit-learn version that wrote it: {@link Centring#BEFORE}
     * {@code y = (x - mean) · Cᵀ} (scikit-learn before 1.5) or {@link Centring#AFTER}
     * {@code y = x · Cᵀ - mean · Cᵀ} (1.5 and later), then divided by {@code divisor} when whitening
     * ({@code null}: no division).
     */
    record Projection(double[] mean, double[][] components, Centring centring, double[] divisor)
            implements Transformer {
        /** Where the mean is subtracted. */
        public enum Centring {
            BEFORE,
            AFTER
        }

        public Projection {
            java.util.Objects.requireNonNull(centring, "centring");
            if (divisor != null && divisor.length != components.length) {
                throw new IllegalArgumentException("divisor has " + divisor.length + " values for "
                        + components.length + " components");
            }
        }

        /** {@code (x - mean) · Cᵀ}, no whitening. */
        public Projection(double[] mean, double[][] components) {
            this(mean, components, Centring.BEFORE, null);
        }

        /** {@code mean · Cᵀ}, summed left to right (the constant subtracted by {@link Centring#AFTER}). */
        public double[] projectedMean() {
            double[] out = new double[components.length];
            for (int k = 0; k < components.length; k++) {
                double s = 0;
                for (int i = 0; i < mean.length; i++) {
                    s += mean[i] * components[k][i];
                }
                out[k] = s;
            }
            return out;
        }

        /** {@code y} for one row in the operation order above (dot products summed left to right). */
        public double[] apply(double[] x) {
            double[] projectedMean = centring == Centring.AFTER ? projectedMean() : null;
            double[] y = new double[components.length];
            for (int k = 0; k < y.length; k++) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += (centring == Centring.BEFORE ? x[i] - mean[i] : x[i]) * components[k][i];
                }
                if (projectedMean != null) {
                    s -= projectedMean[k];
                }
                y[k] = divisor == null ? s : s / divisor[k];
            }
            return y;
        }

        @Override
        public int inputWidth() {
            return mean.length;
        }

        @Override
        public int outputWidth() {
            return components.length;
        }
    }

    /** Replaces NaN in column i by {@code fill[i]} (SimpleImputer). */
    record Impute(double[] fill) implements Transformer {
        @Override
        public int inputWidth() {
            return fill.length;
        }

        @Override
        public int outputWidth() {
            return fill.length;
        }
    }
}
