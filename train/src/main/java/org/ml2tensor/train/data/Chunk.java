package org.ml2tensor.train.data;

import java.nio.DoubleBuffer;
import java.util.Objects;

/**
 * A block of training rows: {@code rows × width} features, row-major in {@code x} (a heap array wrapped,
 * or a memory-mapped view of an {@code .npy} file — never copied), one target per row, optional
 * per-row sample weights, and where the block ends in its source (for checkpoints).
 *
 * @param x            row-major features, indices {@code [0, rows·width)}
 * @param rows         row count
 * @param width        features per row
 * @param stride       distance between rows in {@code x} (≥ width; the extra values, e.g. a target column, are skipped)
 * @param y            targets (labels or values), length ≥ rows
 * @param sampleWeight weights per row, or null for all ones
 * @param end          the source position just after the last row of the chunk
 */
public record Chunk(DoubleBuffer x, int rows, int width, int stride, double[] y, double[] sampleWeight,
                    SourcePosition end) {
    public Chunk {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (rows < 0 || width <= 0 || stride < width || (rows > 0 && (long) (rows - 1) * stride + width > x.limit())
                || y.length < rows
                || (sampleWeight != null && sampleWeight.length < rows)) {
            throw new IllegalArgumentException("inconsistent chunk: " + rows + " rows × " + width);
        }
        end = end == null ? SourcePosition.START : end;
    }

    /** A chunk of heap rows (tests, the Java API). */
    public static Chunk of(double[][] rows, double[] y) {
        int width = rows[0].length;
        double[] flat = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return new Chunk(DoubleBuffer.wrap(flat), rows.length, width, width, y.clone(), null, null);
    }

    /** This chunk with per-row sample weights. */
    public Chunk withSampleWeight(double[] weights) {
        return new Chunk(x, rows, width, stride, y, weights, end);
    }

    /** Feature {@code j} of row {@code i}. */
    public double get(int i, int j) {
        return x.get(i * stride + j);
    }

    /** Weight of row {@code i}. */
    public double weight(int i) {
        return sampleWeight == null ? 1.0 : sampleWeight[i];
    }

    /** Rows {@code [from, to)} of this chunk as a chunk of its own (shares the buffers' data). */
    public Chunk slice(int from, int to) {
        double[] ys = java.util.Arrays.copyOfRange(y, from, to);
        double[] ws = sampleWeight == null ? null : java.util.Arrays.copyOfRange(sampleWeight, from, to);
        DoubleBuffer xs = x.duplicate().position(from * stride).limit(Math.max(from * stride, (to - 1) * stride + width))
                .slice();
        return new Chunk(xs, to - from, width, stride, ys, ws, end);
    }
}
