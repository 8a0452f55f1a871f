package org.ml2tensor.runtime.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.ml2tensor.runtime.FloatType;

/**
 * A reusable block of up to {@code capacity} rows × {@code width} features in one direct native-order
 * buffer of the model's float type, so a filled block goes to the predictor without a copy. Readers
 * fill it from row 0 and set the row count; the block is then read through {@link #floats()} or
 * {@link #doubles()}. Not thread-safe: one block per stream.
 */
public final class RowBlock {
    private final FloatType type;
    private final int capacity;
    private final int width;
    private final ByteBuffer bytes;
    private int rows;

    private RowBlock(FloatType type, int capacity, int width) {
        this.type = type;
        this.capacity = capacity;
        this.width = width;
        long size = (long) capacity * width * type.bytes();
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(capacity + " rows × " + width + " features exceed one 2 GiB buffer");
        }
        this.bytes = ByteBuffer.allocateDirect((int) Math.max(size, 1)).order(ByteOrder.nativeOrder());
    }

    /** A block for {@code capacity} rows of {@code width} values of {@code type}. */
    public static RowBlock allocate(FloatType type, int capacity, int width) {
        if (capacity < 1 || width < 0) {
            throw new IllegalArgumentException("bad block size " + capacity + " × " + width);
        }
        return new RowBlock(type, capacity, width);
    }

    public FloatType type() {
        return type;
    }

    /** Maximum rows. */
    public int capacity() {
        return capacity;
    }

    public int width() {
        return width;
    }

    /** Rows currently filled. */
    public int rows() {
        return rows;
    }

    /** The filled rows, row-major, as floats (positioned at 0, limited to {@code rows × width}). */
    public FloatBuffer floats() {
        if (type != FloatType.FLOAT32) {
            throw new IllegalStateException("this block holds float64 values");
        }
        return bytes.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().limit(rows * width);
    }

    /** The filled rows, row-major, as doubles (positioned at 0, limited to {@code rows × width}). */
    public DoubleBuffer doubles() {
        if (type != FloatType.FLOAT64) {
            throw new IllegalStateException("this block holds float32 values");
        }
        return bytes.duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer().limit(rows * width);
    }

    /** The value at ({@code row}, {@code col}) widened to double. */
    public double get(int row, int col) {
        int i = row * width + col;
        return type == FloatType.FLOAT32 ? bytes.getFloat(i * 4) : bytes.getDouble(i * 8);
    }

    void clear() {
        rows = 0;
    }

    void setRows(int rows) {
        if (rows < 0 || rows > capacity) {
            throw new IllegalArgumentException("rows " + rows + " outside 0.." + capacity);
        }
        this.rows = rows;
    }

    void putFloat(int row, int col, float v) {
        bytes.putFloat((row * width + col) * 4, v);
    }

    void putDouble(int row, int col, double v) {
        bytes.putDouble((row * width + col) * 8, v);
    }

    /** The raw bytes (native order) for bulk reads into the block, positioned at 0. */
    ByteBuffer rawBytes() {
        return bytes.duplicate().order(ByteOrder.nativeOrder()).clear();
    }
}
