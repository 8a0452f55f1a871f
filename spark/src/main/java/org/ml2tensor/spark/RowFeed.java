package org.ml2tensor.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.Platform;

/**
 * Where {@link PartitionScorer} reads one partition's rows from, in chunks, and how it keeps the rows
 * of a scoring batch until their outputs are written: as {@link UnsafeRow}s, the form
 * {@link AppendedRows} copies. A scoring batch never spans two chunks.
 */
interface RowFeed {
    /** Moves to the next non-empty chunk; false at the end of the partition. Call only when the current one is exhausted. */
    boolean nextChunk();

    /** Whether the current chunk has another row. */
    boolean hasRow();

    /** The next row of the current chunk, to read features from (valid until the next call). */
    InternalRow next();

    /** Forgets the kept rows: a new scoring batch starts. */
    void startBatch();

    /** Keeps the row last returned by {@link #next()} as row {@code slot} of the scoring batch. */
    void keep(int slot);

    /** Kept row {@code slot} as an unsafe row (valid until the next call of {@code kept}). */
    UnsafeRow kept(int slot);

    /** Rows of Spark's row-based plans (internal rows, usually unsafe already). */
    static RowFeed rows(Iterator<InternalRow> input, StructType schema, int batchRows) {
        return new Rows(input, schema, batchRows);
    }

    /** Columnar batches (a cached DataFrame's or a vectorized Parquet/ORC scan's), read in place. */
    static RowFeed columnar(Iterator<ColumnarBatch> input, StructType schema, int batchRows) {
        return new Columnar(input, schema, batchRows);
    }

    /**
     * Internal rows. Spark reuses the row objects of its scans, so a kept row's bytes are copied into
     * one arena reused by every batch (no allocation per row); a row that is not an {@link UnsafeRow}
     * is projected to one first.
     */
    final class Rows implements RowFeed {
        private final Iterator<InternalRow> input;
        private final StructType schema;
        private final int[] offsets;
        private final int[] sizes;
        private final UnsafeRow view;
        private UnsafeProjection projection;
        private UnsafeRow last;
        private byte[] arena = new byte[1 << 16];
        private int used;

        Rows(Iterator<InternalRow> input, StructType schema, int batchRows) {
            this.input = input;
            this.schema = schema;
            this.offsets = new int[batchRows];
            this.sizes = new int[batchRows];
            this.view = new UnsafeRow(schema.fields().length);
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
            InternalRow row = input.next();
            if (row instanceof UnsafeRow u) {
                last = u;
            } else {
                if (projection == null) {
                    projection = UnsafeProjection.create(schema);
                }
                last = projection.apply(row);
            }
            return last;
        }

        @Override
        public void startBatch() {
            used = 0;
        }

        @Override
        public void keep(int slot) {
            int size = last.getSizeInBytes();
            if (arena.length - used < size) {
                long grown = Math.max((long) arena.length * 2, (long) used + size);
                arena = Arrays.copyOf(arena, (int) Math.min(Integer.MAX_VALUE - 16, grown));
            }
            last.writeToMemory(arena, Platform.BYTE_ARRAY_OFFSET + used);
            offsets[slot] = used;
            sizes[slot] = size;
            used += size;
        }

        @Override
        public UnsafeRow kept(int slot) {
            view.pointTo(arena, Platform.BYTE_ARRAY_OFFSET + offsets[slot], sizes[slot]);
            return view;
        }
    }

    /**
     * Columnar batches: features are read through the batch's column vectors, rows are kept as row
     * numbers (the batch stays valid until the next is requested, which happens only after its rows
     * are emitted), and a kept row is projected to an unsafe row by Spark's generated projection
     * only when its output row is written.
     */
    final class Columnar implements RowFeed {
        private final Iterator<ColumnarBatch> input;
        private final UnsafeProjection projection;
        private final int[] rowIds;
        private ColumnarBatch batch;
        private int cursor;

        Columnar(Iterator<ColumnarBatch> input, StructType schema, int batchRows) {
            this.input = input;
            this.projection = UnsafeProjection.create(schema);
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
        public void keep(int slot) {
            rowIds[slot] = cursor - 1;
        }

        @Override
        public UnsafeRow kept(int slot) {
            return projection.apply(batch.getRow(rowIds[slot]));
        }

        /** The current column batch. */
        ColumnarBatch batch() {
            return batch;
        }

        /** The row number (in the current column batch) of the row last returned by {@link #next()}. */
        int current() {
            return cursor - 1;
        }

        /** Rows of the current column batch not read yet. */
        int remaining() {
            return batch == null ? 0 : batch.numRows() - cursor;
        }

        /** Reads and keeps the next {@code n} rows of the current column batch as slots 0 to n - 1 (a batch read in bulk). */
        void keepNext(int n) {
            for (int i = 0; i < n; i++) {
                rowIds[i] = cursor + i;
            }
            cursor += n;
        }

        /** The row number (in the current column batch) of kept row {@code slot}. */
        int rowId(int slot) {
            return rowIds[slot];
        }
    }
}
