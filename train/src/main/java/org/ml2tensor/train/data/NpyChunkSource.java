package org.ml2tensor.train.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.io.NpyHeader;

/**
 * Chunks of a 2-D C-order {@code .npy} file, memory-mapped: a float64 little-endian file is handed to the
 * estimator as a view of the mapping (no copy; the target, when it is the last column, is skipped by the
 * row stride); float32 or big-endian data is widened into a heap chunk. Resumable by row.
 */
public final class NpyChunkSource implements ChunkSource {
    private final Path file;
    private final FileChannel ch;
    private final NpyHeader h;
    private final int chunkRows;
    private final boolean hasTarget;
    private final int width;
    private long nextRow;

    private NpyChunkSource(Path file, FileChannel ch, NpyHeader h, int chunkRows, boolean hasTarget, long startRow) {
        this.file = file;
        this.ch = ch;
        this.h = h;
        this.chunkRows = chunkRows;
        this.hasTarget = hasTarget;
        this.width = h.columns() - (hasTarget ? 1 : 0);
        this.nextRow = startRow;
        if (width < 1) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "no feature columns left besides the target")
                    .at(file.toString()).build();
        }
        if (h.fortranOrder()) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "Fortran-ordered .npy files are not read in chunks")
                    .at(file.toString()).hint("save it with np.save(path, np.ascontiguousarray(X))").build();
        }
    }

    /**
     * Opens {@code file}.
     *
     * @param lastColumnIsTarget whether the last column holds the targets (features are the others)
     * @param startRow           first row to deliver (0, or a checkpoint's rows)
     */
    public static NpyChunkSource open(Path file, int chunkRows, boolean lastColumnIsTarget, long startRow) {
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
            return new NpyChunkSource(file, ch, NpyHeader.read(ch, file.toString()), chunkRows, lastColumnIsTarget,
                    startRow);
        } catch (RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the header error matters more
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            names.add("f" + i);
        }
        return names;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public double fractionRead() {
        return h.rows() == 0 ? 1.0 : (double) nextRow / h.rows();
    }

    @Override
    public Chunk next() {
        if (nextRow >= h.rows()) {
            return null;
        }
        int n = (int) Math.min(chunkRows, h.rows() - nextRow);
        int cols = h.columns();
        int elem = h.type() == FloatType.FLOAT64 ? 8 : 4;
        long offset = h.dataOffset() + nextRow * cols * elem;
        long size = (long) n * cols * elem;
        MappedByteBuffer map;
        try {
            map = ch.map(FileChannel.MapMode.READ_ONLY, offset, size);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot map rows " + nextRow + ".." + (nextRow + n) + ": "
                    + e.getMessage()).at(file.toString()).cause(e).build();
        }
        map.order(h.order());
        double[] y = new double[n];
        DoubleBuffer x;
        if (h.type() == FloatType.FLOAT64 && h.order() == ByteOrder.nativeOrder()) {
            x = map.asDoubleBuffer();
        } else if (h.type() == FloatType.FLOAT64) {
            DoubleBuffer src = map.asDoubleBuffer();
            double[] copy = new double[n * cols];
            src.get(copy);
            x = DoubleBuffer.wrap(copy);
        } else {
            FloatBuffer src = map.asFloatBuffer();
            double[] copy = new double[n * cols];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = src.get(i);
            }
            x = DoubleBuffer.wrap(copy);
        }
        if (hasTarget) {
            for (int i = 0; i < n; i++) {
                y[i] = x.get(i * cols + cols - 1);
            }
        }
        for (int i = 0; i < n * cols; i++) {
            if (Double.isNaN(x.get(i))) {
                long row = nextRow + i / cols;
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "missing value (NaN) in row " + row + ", column "
                        + (i % cols)).at(file.toString()).hint("impute or drop rows with NaN before training").build();
            }
        }
        nextRow += n;
        return new Chunk(x, n, width, cols, y, null, new SourcePosition(0, 0, nextRow, 0, 0));
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only: nothing is lost
        }
    }
}
