package org.ml2tensor.runtime;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Rows handed to a {@link Predictor}, copied batch by batch into a direct buffer of the model's float
 * type, or exposed without a copy when they already are a direct native-order buffer of that type.
 */
abstract class InputRows {
    /** Number of rows. */
    abstract int rows();

    /** Values per row. */
    abstract int width();

    /** Writes rows {@code [from, to)} row-major into {@code dst} starting at its position 0. */
    abstract void copyTo(int from, int to, FloatBuffer dst);

    /** Writes rows {@code [from, to)} row-major into {@code dst} starting at its position 0. */
    abstract void copyTo(int from, int to, DoubleBuffer dst);

    /** A zero-copy view of rows {@code [from, to)} in type {@code type}, or {@code null} if a copy is needed. */
    Buffer view(int from, int to, FloatType type) {
        return null;
    }

    static final class FloatArrays extends InputRows {
        private final float[][] rows;
        private final int width;

        FloatArrays(float[][] rows, int width) {
            this.rows = rows;
            this.width = width;
        }

        @Override
        int rows() {
            return rows.length;
        }

        @Override
        int width() {
            return width;
        }

        @Override
        void copyTo(int from, int to, FloatBuffer dst) {
            for (int r = from; r < to; r++) {
                dst.put(rows[r], 0, width);
            }
        }

        @Override
        void copyTo(int from, int to, DoubleBuffer dst) {
            for (int r = from; r < to; r++) {
                float[] row = rows[r];
                for (int c = 0; c < width; c++) {
                    dst.put(row[c]);
                }
            }
        }
    }

    static final class DoubleArrays extends InputRows {
        private final double[][] rows;
        private final int width;

        DoubleArrays(double[][] rows, int width) {
            this.rows = rows;
            this.width = width;
        }

        @Override
        int rows() {
            return rows.length;
        }

        @Override
        int width() {
            return width;
        }

        @Override
        void copyTo(int from, int to, FloatBuffer dst) {
            for (int r = from; r < to; r++) {
                double[] row = rows[r];
                for (int c = 0; c < width; c++) {
                    dst.put((float) row[c]);
                }
            }
        }

        @Override
        void copyTo(int from, int to, DoubleBuffer dst) {
            for (int r = from; r < to; r++) {
                dst.put(rows[r], 0, width);
            }
        }
    }

    /** Row-major floats from a buffer's position; the caller's buffer position is never moved. */
    static final class Floats extends InputRows {
        private final FloatBuffer data;
        private final int rows;
        private final int width;

        Floats(FloatBuffer data, int rows, int width) {
            this.data = data.duplicate();
            this.rows = rows;
            this.width = width;
        }

        @Override
        int rows() {
            return rows;
        }

        @Override
        int width() {
            return width;
        }

        private FloatBuffer slice(int from, int to) {
            FloatBuffer d = data.duplicate();
            int base = data.position();
            d.limit(base + to * width).position(base + from * width);
            return d;
        }

        @Override
        void copyTo(int from, int to, FloatBuffer dst) {
            dst.put(slice(from, to));
        }

        @Override
        void copyTo(int from, int to, DoubleBuffer dst) {
            FloatBuffer s = slice(from, to);
            while (s.hasRemaining()) {
                dst.put(s.get());
            }
        }

        @Override
        Buffer view(int from, int to, FloatType type) {
            if (type == FloatType.FLOAT32 && data.isDirect() && data.order() == ByteOrder.nativeOrder()) {
                return slice(from, to);
            }
            return null;
        }
    }

    /** Row-major doubles from a buffer's position; the caller's buffer position is never moved. */
    static final class Doubles extends InputRows {
        private final DoubleBuffer data;
        private final int rows;
        private final int width;

        Doubles(DoubleBuffer data, int rows, int width) {
            this.data = data.duplicate();
            this.rows = rows;
            this.width = width;
        }

        @Override
        int rows() {
            return rows;
        }

        @Override
        int width() {
            return width;
        }

        private DoubleBuffer slice(int from, int to) {
            DoubleBuffer d = data.duplicate();
            int base = data.position();
            d.limit(base + to * width).position(base + from * width);
            return d;
        }

        @Override
        void copyTo(int from, int to, FloatBuffer dst) {
            DoubleBuffer s = slice(from, to);
            while (s.hasRemaining()) {
                dst.put((float) s.get());
            }
        }

        @Override
        void copyTo(int from, int to, DoubleBuffer dst) {
            dst.put(slice(from, to));
        }

        @Override
        Buffer view(int from, int to, FloatType type) {
            if (type == FloatType.FLOAT64 && data.isDirect() && data.order() == ByteOrder.nativeOrder()) {
                return slice(from, to);
            }
            return null;
        }
    }
}
