package org.ml2tensor.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Where {@link PartitionScorer} reads one partition's rows from, in chunks, as Spark
 * {@link UnsafeRow}s (the rows of Spark's row-based plans already are; any other row, and a row of a
 * columnar batch, is projected to one with Spark's generated {@code UnsafeProjection}). A scoring batch
 * never spans two chunks.
 */
interface RowFeed {
    /** Moves to the next non-empty chunk; false at the end of the partition. Call only when the current one is exhausted. */
    boolean nextChunk();

    /** Whether the current chunk has another row. */
    boolean hasRow();

    /** The next row of the current chunk (Spark may reuse it: valid until the next call). */
    UnsafeRow next();

    /** Rows of Spark's row-based plans (internal rows, usually unsafe already). */
    static RowFeed rows(Iterator<InternalRow> input, StructType schema) {
        return new Rows(input, schema);
    }

    /** Columnar batches (a cached DataFrame's or a vectorized Parquet/ORC scan's), each row projected in place. */
    static RowFeed columnar(Iterator<ColumnarBatch> input, StructType schema) {
        return new Columnar(input, schema);
    }

    /** Internal rows; any that is not an {@link UnsafeRow} is projected to one. */
    final class Rows implements RowFeed {
        private final Iterator<InternalRow> input;
        private final StructType schema;
        private UnsafeProjection projection;

        Rows(Iterator<InternalRow> input, StructType schema) {
            this.input = input;
            this.schema = schema;
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
        public UnsafeRow next() {
            InternalRow row = input.next();
            if (row instanceof UnsafeRow u) {
                return u;
            }
            if (projection == null) {
                projection = UnsafeProjection.create(schema);
            }
            return projection.apply(row);
        }
    }

    /** Columnar batches: each row is read through the batch's column vectors by a generated projection. */
    final class Columnar implements RowFeed {
        private final Iterator<ColumnarBatch> input;
        private final UnsafeProjection projection;
        private ColumnarBatch batch;
        private int cursor;

        Columnar(Iterator<ColumnarBatch> input, StructType schema) {
            this.input = input;
            this.projection = UnsafeProjection.create(schema);
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
        public UnsafeRow next() {
            if (!hasRow()) {
                throw new NoSuchElementException();
            }
            return projection.apply(batch.getRow(cursor++));
        }
    }
}
