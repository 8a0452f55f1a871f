package org.ml2tensor.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;

/**
 * Streams a 2-D little-endian C-order {@code .npy} file (format 1.0) whose row count is known only at
 * the end: the header is written with room for any row count and rewritten with the real shape on
 * {@link #commit()}, which then renames the file into place atomically ({@link AtomicOutput}).
 * {@link #close()} without a commit leaves no file behind.
 */
public final class NpyWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final AtomicOutput out;
    private final FloatType type;
    private final int columns;
    private final int headerBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long values;
    private long zeroWidthRows;

    private NpyWriter(AtomicOutput out, FloatType type, int columns) {
        this.out = out;
        this.type = type;
        this.columns = columns;
        this.headerBytes = header(Long.MAX_VALUE, -1).length;
        write(ByteBuffer.wrap(new byte[headerBytes]));
    }

    /** Starts writing {@code target} with {@code columns} values of {@code type} per row. */
    public static NpyWriter create(Path target, FloatType type, int columns) {
        if (columns < 0) {
            throw new IllegalArgumentException("columns " + columns);
        }
        AtomicOutput out = AtomicOutput.create(target);
        try {
            return new NpyWriter(out, type, columns);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Writes a whole float matrix to {@code target} as float32. */
    public static void write(Path target, float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        try (NpyWriter w = create(target, FloatType.FLOAT32, cols)) {
            for (float[] r : rows) {
                w.writeRow(r);
            }
            w.commit();
        }
    }

    /** Writes a whole double matrix to {@code target} as float64. */
    public static void write(Path target, double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        try (NpyWriter w = create(target, FloatType.FLOAT64, cols)) {
            for (double[] r : rows) {
                w.writeRow(r);
            }
            w.commit();
        }
    }

    public void writeRow(float[] row) {
        checkRow(row.length);
        for (float v : row) {
            put(v);
        }
    }

    public void writeRow(double[] row) {
        checkRow(row.length);
        for (double v : row) {
            put(v);
        }
    }

    /** Appends one value; every {@code columns} values complete a row. */
    public void put(double v) {
        if (buffer.remaining() < 8) {
            flush();
        }
        if (type == FloatType.FLOAT32) {
            buffer.putFloat((float) v);
        } else {
            buffer.putDouble(v);
        }
        values++;
    }

    /** Appends one float value (exact in both types). */
    public void put(float v) {
        put((double) v);
    }

    private void checkRow(int length) {
        if (length != columns) {
            throw new IllegalArgumentException("row of " + length + " values, expected " + columns);
        }
        if (columns > 0 && values % columns != 0) {
            throw new IllegalStateException("a row started with put() is incomplete");
        }
        if (columns == 0) {
            zeroWidthRows++;
        }
    }

    /** Complete rows written so far. */
    public long rows() {
        return columns == 0 ? zeroWidthRows : values / columns;
    }

    /** Finishes the file with its real shape; values written with {@link #put} must fill whole rows. */
    public void commit() {
        if (columns > 0 && values % columns != 0) {
            throw new IllegalStateException("the last row is incomplete: " + values % columns + " of " + columns + " values");
        }
        flush();
        try {
            out.channel().write(ByteBuffer.wrap(header(rows(), headerBytes)), 0);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write NPY file: " + e.getMessage())
                    .at(out.target().toString()).cause(e).build();
        }
        out.commit();
    }

    private void flush() {
        buffer.flip();
        write(buffer);
        buffer.clear();
    }

    private void write(ByteBuffer b) {
        try {
            FileChannel ch = out.channel();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write NPY file: " + e.getMessage())
                    .at(out.target().toString()).cause(e).build();
        }
    }

    /** The header bytes for {@code rows}; padded with spaces to {@code length} (or to 64-byte alignment). */
    private byte[] header(long rows, int length) {
        String dict = "{'descr': '" + (type == FloatType.FLOAT32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': ("
                + rows + ", " + columns + "), }";
        int total = length > 0 ? length : ((10 + dict.length() + 1 + 63) / 64) * 64;
        int headerLen = total - 10;
        StringBuilder sb = new StringBuilder(dict);
        while (sb.length() < headerLen - 1) {
            sb.append(' ');
        }
        sb.append('\n');
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
        b.put(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    /** Discards the file unless committed. */
    @Override
    public void close() {
        out.close();
    }
}
