package org.ml2tensor.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.Platform;

/**
 * Where {@link PartitionScorer} reads one partition's rows from, in chunks, and how it keeps the rows
 * of a scoring batch until their predictions are emitted. A scoring batch never spans two chunks.
 */
interface RowFeed {
    /** Moves to the next non-empty chunk; false at the end of the partition. Call only when the current one is exhausted. */
    boolean nextChunk();

    /** Whether the current chunk has another row. */
    boolean hasRow();

    /** The next row of the current chunk (valid until the next call). */
    InternalRow next();

    /** Forgets the kept rows: a new scoring batch starts. */
    void startBatch();

    /** Keeps the row last returned by {@link #next()} as row {@code slot} of the scoring batch. */
    void keep(int slot, InternalRow row);

    /** Kept row {@code slot} (valid until the next call of {@code kept}). */
    InternalRow kept(int slot);

    /** Rows of Spark's row-based plans (internal rows, usually unsafe, which Spark may reuse). */
    static RowFeed rows(Iterator<InternalRow> input, int batchRows) {
        return new Rows(input, batchRows);
    }

    /** Columnar batches (a cached DataFrame's or a vectorized Parquet/ORC scan's), read in place. */
    static RowFeed columnar(Iterator<ColumnarBatch> input, int batchRows) {
        return new Columnar(input, batchRows);
    }

    /**
     * Internal rows; Spark reuses the row objects of its scans, so a kept row is copied: an unsafe row's
     * bytes go into one arena reused by every batch (no allocation per row), any other row is copied.
     */
    final class Rows implements RowFeed {
        private final Iterator<InternalRow> input;
        private final InternalRow[] copies;
        private final int[] offsets;
        private final int[] sizes;
        private final int[] fields;
        private byte[] arena = new byte[1 << 16];
        private int used;
        private UnsafeRow view;

        Rows(Iterator<InternalRow> input, int batchRows) {
            this.input = input;
            this.copies = new InternalRow[batchRows];
            this.offsets = new int[batchRows];
            this.sizes = new int[batchRows];
            this.fields = new int[batchRows];
        }

        @Override
        public boolean nextChunk() {
            return input.hasNext();
        }

        @Override
        public boolean hasRow() {
            return input.hasNext();
        }

        @Override
        public InternalRow next() {
            return input.next();
        }

        @Override
        public void startBatch() {
            used = 0;
            java.util.Arrays.fill(copies, null);
        }

        @Override
        public void keep(int slot, InternalRow row) {
            if (row instanceof UnsafeRow u) {
                int size = u.getSizeInBytes();
                if (arena.length - used < size) {
                    long grown = Math.max((long) arena.length * 2, (long) used + size);
                    arena = java.util.Arrays.copyOf(arena, (int) Math.min(Integer.MAX_VALUE - 16, grown));
                }
                u.writeToMemory(arena, Platform.BYTE_ARRAY_OFFSET + used);
                offsets[slot] = used;
                sizes[slot] = size;
                fields[slot] = u.numFields();
                copies[slot] = null;
                used += size;
            } else {
                copies[slot] = row.copy();
            }
        }

        @Override
        public InternalRow kept(int slot) {
            InternalRow copy = copies[slot];
            if (copy != null) {
                return copy;
            }
            if (view == null || view.numFields() != fields[slot]) {
                view = new UnsafeRow(fields[slot]);
            }
            view.pointTo(arena, Platform.BYTE_ARRAY_OFFSET + offsets[slot], sizes[slot]);
            return view;
        }
    }

    /**
     * Columnar batches: rows are read through the batch's column vectors and kept as row numbers; the
     * batch stays valid until the next is requested, which happens only after its rows are emitted.
     */
    final class Columnar implements RowFeed {
        private final Iterator<ColumnarBatch> input;
        private final int[] rowIds;
        private ColumnarBatch batch;
        private int cursor;

        Columnar(Iterator<ColumnarBatch> input, int batchRows) {
            this.input = input;
            this.rowIds = new int[batchRows];
        }

        @Override
        public boolean nextChunk() {
            while (input.hasNext()) {
                batch = input.next();
                cursor = 0;
                if (batch.numRows() > 0) {
                    return true;
                }
            }
            batch = null;
            return false;
        }

        @Override
        public boolean hasRow() {
            return batch != null && cursor < batch.numRows();
        }

        @Override
        public InternalRow next() {
            if (!hasRow()) {
                throw new NoSuchElementException();
            }
            return batch.getRow(cursor++);
        }

        @Override
        public void startBatch() {
            // row numbers are overwritten slot by slot
        }

        @Override
        public void keep(int slot, InternalRow row) {
            rowIds[slot] = cursor - 1;
        }

        @Override
        public InternalRow kept(int slot) {
            return batch.getRow(rowIds[slot]);
        }
    }
}
