package org.ml2tensor.compiler.ir;

/** A feature transformer: rows in, rows out ({@code variable} output when it is the last step). */
public sealed interface Transformer extends Estimator {

    /** {@code y = (x - offset) * scale} per column (StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler). */
    record Affine(double[] offset, double[] scale) implements Transformer {
        public Affine {
            if (offset.length != scale.length) {
                throw new IllegalArgumentException("offset and scale differ in length");
            }
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

    /** {@code y = (x - mean) · Cᵀ} (PCA, TruncatedSVD with zero mean); {@code components [k][inputs]}. */
    record Projection(double[] mean, double[][] components) implements Transformer {
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
