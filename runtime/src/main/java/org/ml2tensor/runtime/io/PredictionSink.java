package org.ml2tensor.runtime.io;

import org.ml2tensor.runtime.Predictions;

/**
 * Receives predictions chunk by chunk. Output becomes visible only on {@link #commit()}; closing an
 * uncommitted sink discards what was written (for files: no partial file is left).
 */
public interface PredictionSink extends AutoCloseable {
    /** Appends the rows of one chunk. */
    void write(Predictions chunk);

    /** Completes the output. */
    void commit();

    /** Releases resources; discards the output unless committed. */
    @Override
    void close();
}
