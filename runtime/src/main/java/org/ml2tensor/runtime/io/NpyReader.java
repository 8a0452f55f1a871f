package org.ml2tensor.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;

/**
 * Streams a 2-D float32/float64 {@code .npy} file block by block with positional reads: C-order data
 * one run of rows at a time (read straight into the block when type and byte order already match),
 * Fortran-order data one column segment at a time. float64 data read into a float32 block is rounded
 * to nearest (as {@code astype(np.float32)}); float32 into float64 is exact.
 */
public final class NpyReader implements RowSource {
    private static final int STAGING_BYTES = 1 << 20;

    private final FileChannel ch;
    private final String name;
    private final NpyHeader header;
    private final boolean acceptsMissing;
    private long nextRow;
    private ByteBuffer staging;

    private NpyReader(FileChannel ch, String name, boolean acceptsMissing) {
        this.ch = ch;
        this.name = name;
        this.header = NpyHeader.read(ch, name);
        this.acceptsMissing = acceptsMissing;
    }

    /** Opens {@code file} and validates its header. */
    public static NpyReader open(Path file, boolean acceptsMissing) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "input file not found").at(file.toString()).cause(e).build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input file: " + e.getMessage())
                    .at(file.toString()).cause(e).build();
        }
        try {
            return new NpyReader(ch, file.toString(), acceptsMissing);
        } catch (RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Reporting the header problem matters more.
            }
            throw e;
        }
    }

    public NpyHeader header() {
        return header;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<List<String>> columnNames() {
        return Optional.empty();
    }

    @Override
    public int width() {
        return header.columns();
    }

    @Override
    public OptionalLong totalRows() {
        return OptionalLong.of(header.rows());
    }

    @Override
    public double fractionRead() {
        return header.rows() == 0 ? 1.0 : (double) nextRow / header.rows();
    }

    @Override
    public int read(RowBlock block) {
        if (block.width() != header.columns()) {
            throw new IllegalArgumentException("block width " + block.width() + " != " + header.columns() + " columns");
        }
        block.clear();
        int rows = (int) Math.min(block.capacity(), header.rows() - nextRow);
        if (rows <= 0) {
            return 0;
        }
        try {
            if (header.fortranOrder()) {
                readColumns(block, rows);
            } else {
                readRows(block, rows);
            }
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read NPY data: " + e.getMessage()).at(name).cause(e).build();
        }
        block.setRows(rows);
        if (!acceptsMissing) {
            checkNoMissing(block, rows);
        }
        nextRow += rows;
        return rows;
    }

    private void readRows(RowBlock block, int rows) throws IOException {
        int cols = header.columns();
        int item = header.type().bytes();
        long offset = header.dataOffset() + nextRow * cols * item;
        if (header.type() == block.type() && header.order() == ByteOrder.nativeOrder()) {
            ByteBuffer dst = block.rawBytes().limit(rows * cols * item);
            readFully(dst, offset);
            return;
        }
        long values = (long) rows * cols;
        long done = 0;
        ByteBuffer s = staging();
        int perChunk = s.capacity() / item;
        while (done < values) {
            int n = (int) Math.min(perChunk, values - done);
            s.clear().limit(n * item);
            readFully(s, offset + done * item);
            s.flip();
            for (int i = 0; i < n; i++) {
                long idx = done + i;
                store(block, (int) (idx / cols), (int) (idx % cols), s, i * item);
            }
            done += n;
        }
    }

    private void readColumns(RowBlock block, int rows) throws IOException {
        int item = header.type().bytes();
        ByteBuffer s = staging();
        int perChunk = s.capacity() / item;
        for (int c = 0; c < header.columns(); c++) {
            long columnStart = header.dataOffset() + ((long) c * header.rows() + nextRow) * item;
            int done = 0;
            while (done < rows) {
                int n = Math.min(perChunk, rows - done);
                s.clear().limit(n * item);
                readFully(s, columnStart + (long) done * item);
                s.flip();
                for (int i = 0; i < n; i++) {
                    store(block, done + i, c, s, i * item);
                }
                done += n;
            }
        }
    }

    private void store(RowBlock block, int row, int col, ByteBuffer s, int at) {
        if (header.type() == FloatType.FLOAT32) {
            float v = s.getFloat(at);
            if (block.type() == FloatType.FLOAT32) {
                block.putFloat(row, col, v);
            } else {
                block.putDouble(row, col, v);
            }
        } else {
            double v = s.getDouble(at);
            if (block.type() == FloatType.FLOAT32) {
                block.putFloat(row, col, (float) v);
            } else {
                block.putDouble(row, col, v);
            }
        }
    }

    private ByteBuffer staging() {
        if (staging == null) {
            staging = ByteBuffer.allocate(STAGING_BYTES).order(header.order());
        }
        return staging;
    }

    private void readFully(ByteBuffer dst, long position) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the NPY file ended early").at(name).build();
            }
            p += n;
        }
    }

    private void checkNoMissing(RowBlock block, int rows) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < block.width(); c++) {
                if (Double.isNaN(block.get(r, c))) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "missing value (NaN) at row " + (nextRow + r)
                                    + ", column " + c + "; this model does not accept missing values")
                            .at(name).hint("impute missing values before predicting, or use a model trained to handle them")
                            .build();
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // Read-only channel: nothing is lost.
        }
    }
}
