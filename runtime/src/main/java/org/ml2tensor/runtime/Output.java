package org.ml2tensor.runtime;

import java.nio.FloatBuffer;
import java.nio.DoubleBuffer;

/**
 * One model output for all predicted rows, copied out of ONNX Runtime: {@code rows × width} values in
 * row-major order (a rank-1 output such as {@code label} has width 1). The records expose their
 * flat arrays directly; they are not copied again, so do not modify them if you share them.
 */
public sealed interface Output permits Output.Floats, Output.Doubles, Output.Longs, Output.Strings {
    /** The graph output name. */
    String name();

    int rows();

    /** Values per row: the product of the output's non-batch dimensions. */
    int width();

    /** The value at ({@code row}, {@code col}) as text: shortest round-trip decimal for floats. */
    String text(int row, int col);

    /** float32 output, e.g. probabilities of a float32 model. */
    record Floats(String name, int rows, int width, float[] data) implements Output, Matrix {
        @Override
        public float getFloat(int row, int col) {
            return data[row * width + col];
        }

        @Override
        public double getDouble(int row, int col) {
            return data[row * width + col];
        }

        @Override
        public ElementType elementType() {
            return ElementType.FLOAT32;
        }

        @Override
        public String text(int row, int col) {
            return Float.toString(getFloat(row, col));
        }

        /** A read-only view of the flat data. */
        public FloatBuffer buffer() {
            return FloatBuffer.wrap(data).asReadOnlyBuffer();
        }
    }

    /** float64 output, e.g. values of a float64 model. */
    record Doubles(String name, int rows, int width, double[] data) implements Output, Matrix {
        @Override
        public float getFloat(int row, int col) {
            return (float) data[row * width + col];
        }

        @Override
        public double getDouble(int row, int col) {
            return data[row * width + col];
        }

        @Override
        public ElementType elementType() {
            return ElementType.FLOAT64;
        }

        @Override
        public String text(int row, int col) {
            return Double.toString(getDouble(row, col));
        }

        /** A read-only view of the flat data. */
        public DoubleBuffer buffer() {
            return DoubleBuffer.wrap(data).asReadOnlyBuffer();
        }
    }

    /** Integer output (int64; int32/int16/int8/uint8/bool are widened), e.g. int64 class labels. */
    record Longs(String name, int rows, int width, long[] data) implements Output, Labels {
        @Override
        public String text(int row, int col) {
            return Long.toString(data[row * width + col]);
        }

        @Override
        public int size() {
            return rows;
        }

        @Override
        public String labelText(int row) {
            return Long.toString(data[row * width]);
        }

        @Override
        public long[] asLongs() {
            if (width == 1) {
                return data;
            }
            long[] out = new long[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = data[r * width];
            }
            return out;
        }
    }

    /** String output, e.g. string class labels. */
    record Strings(String name, int rows, int width, String[] data) implements Output, Labels {
        @Override
        public String text(int row, int col) {
            return data[row * width + col];
        }

        @Override
        public int size() {
            return rows;
        }

        @Override
        public String labelText(int row) {
            return data[row * width];
        }

        @Override
        public long[] asLongs() {
            throw new IllegalStateException("output '" + name + "' holds string labels; use asStrings()");
        }
    }
}
