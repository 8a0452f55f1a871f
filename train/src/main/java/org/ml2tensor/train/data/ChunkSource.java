package org.ml2tensor.train.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Training rows delivered chunk by chunk in bounded memory; {@link #next()} returns null at the end. */
public interface ChunkSource extends AutoCloseable {
    /** The input's name for messages. */
    String name();

    /** Names of the feature columns, in order (empty when the format has none). */
    List<String> featureNames();

    /** Features per row. */
    int width();

    /**
     * The next chunk, or null at the end of the input. A chunk's arrays may be reused by the next-but-one call
     * (CSV) or be a view of a mapped file (.npy, valid while the source is open): copy rows you keep longer.
     */
    Chunk next();

    /** Fraction of the input consumed, 0..1 (NaN when unknown). */
    double fractionRead();

    @Override
    void close();

    /** This source as an {@link Iterable} of chunks (one pass). */
    default Iterable<Chunk> asIterable() {
        return () -> new Iterator<>() {
            private Chunk pending = ChunkSource.this.next();

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public Chunk next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                Chunk c = pending;
                pending = ChunkSource.this.next();
                return c;
            }
        };
    }
}
