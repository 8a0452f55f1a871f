package org.ml2tensor.runtime.io;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A stream of feature rows read block by block in bounded memory (CSV, NPY). Values are converted to
 * the block's float type exactly as the format allows: decimal text is rounded once, directly to the
 * target type.
 */
public interface RowSource extends AutoCloseable {
    /** The file (or stream) name used in messages. */
    String name();

    /** Column names when the format has them (a CSV header). */
    Optional<List<String>> columnNames();

    /** Values per row. */
    int width();

    /** Total rows when known before reading (NPY). */
    OptionalLong totalRows();

    /** Fraction of the input consumed so far, 0..1, or NaN when unknown. */
    double fractionRead();

    /**
     * Reads the next rows into {@code block} starting at its row 0 and sets its row count.
     *
     * @return rows read; 0 at the end of the input
     * @throws org.ml2tensor.error.Ml2TensorException INVALID_INPUT naming the place of a bad value
     */
    int read(RowBlock block);

    @Override
    void close();
}
