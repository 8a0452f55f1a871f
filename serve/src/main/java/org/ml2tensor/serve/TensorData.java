package org.ml2tensor.serve;

/**
 * Decoded elements of an input tensor, row-major: FP32 stays float, FP64 and the integer types are held
 * as doubles (every int32 and every int64 of magnitude up to 2^53 is exact), BYTES as strings.
 */
public sealed interface TensorData {
    /** Number of elements. */
    int size();

    /** Element {@code i} as a double (NaN for a string). */
    double getDouble(int i);

    /** FP32 elements. */
    record Floats(float[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public double getDouble(int i) {
            return values[i];
        }
    }

    /** FP64 or integer elements. */
    record Doubles(double[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public double getDouble(int i) {
            return values[i];
        }
    }

    /** BYTES elements. */
    record Texts(String[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public double getDouble(int i) {
            return Double.NaN;
        }
    }
}
