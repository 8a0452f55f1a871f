package org.ml2tensor.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;

/**
 * Scores one partition: reads up to {@code batchSize} rows' features into a reused buffer (one per task
 * thread, copied in bulk into a reused direct buffer that ONNX Runtime reads in place), runs them through
 * the executor's shared {@link Predictor}, and emits each input row with the output columns appended,
 * in input order. Rows are pulled lazily, so a partition is never held in memory beyond one batch, and
 * never converted to {@code Row} objects: the features are read from Spark's internal rows or column
 * vectors ({@link RowFeed}, which also keeps the rows of a batch), and each output row is written as
 * an {@code UnsafeRow} by {@link AppendedRows} (the input row's bytes, then the outputs).
 *
 * <p>Models with string (categorical) columns are fed through {@link Predictor#predictCells}.
 */
final class PartitionScorer implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Each task thread keeps its input buffer between tasks (Spark reuses its task threads). */
    private static final ThreadLocal<ByteBuffer> BUFFERS = new ThreadLocal<>();

    private final ScoringPlan plan;
    private final Broadcast<byte[]> onnx;
    private final StructType inputSchema;

    PartitionScorer(ScoringPlan plan, Broadcast<byte[]> onnx, StructType inputSchema) {
        this.plan = plan;
        this.onnx = onnx;
        this.inputSchema = inputSchema;
    }

    /** Scores partitions of internal rows. */
    FlatMapFunction<Iterator<InternalRow>, InternalRow> rows() {
        return input -> new Batches(RowFeed.rows(input, inputSchema, plan.batchSize()));
    }

    /** Scores partitions of columnar batches (each row projected in place from the column vectors). */
    FlatMapFunction<Iterator<ColumnarBatch>, InternalRow> columnar() {
        return input -> new Batches(RowFeed.columnar(input, inputSchema, plan.batchSize()));
    }

    private static ByteBuffer buffer(int bytes) {
        ByteBuffer b = BUFFERS.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            BUFFERS.set(b);
        }
        return b;
    }

    private final class Batches implements Iterator<InternalRow> {
        private final RowFeed feed;
        private final FeatureColumn[] features = plan.features().toArray(new FeatureColumn[0]);
        private final OutputColumn.Kind[] kinds;
        private final int width = features.length;
        private final boolean cells = plan.model().hasStringColumns();
        private final boolean[] text;
        private final boolean[] missingOk;
        private final boolean float64 = plan.model().float64();
        private final boolean vectors = plan.vectors();
        private final int batch = plan.batchSize();
        /** Row of the batch → row of the predictions, or -1 for a row kept without a prediction. */
        private final int[] predictionRow = new int[batch];
        /** Rows of cells for a model with string columns (reused). */
        private final Object[][] cellRows;
        /** The batch's features, row-major (reused), then copied in bulk into the direct buffer. */
        private final float[] floatRows;
        private final double[] doubleRows;
        private final int partition = TaskContext.getPartitionId();
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;
        private final AppendedRows out;
        /** The outputs of the last prediction, by output column: the row-major values and their width. */
        private final long[][] longValues;
        private final float[][] floatValues;
        private final double[][] doubleValues;
        private final String[][] textValues;
        private final int[] widths;
        private final Map<String, byte[]> labels = new HashMap<>();
        /** The feed when it is columnar, with the input fields' codes when they are all fixed-width primitives. */
        private final RowFeed.Columnar columnar;
        private final byte[] primitiveCodes;
        /** Whether a columnar feed's batches are first tried column by column ({@link #fillColumns}). */
        private final boolean bulk;
        private ColumnarBatch vectorsOf;
        private ColumnVector[] inputVectors;
        private ColumnVector[] featureVectors;
        private long offset;
        private long firstOfBatch;
        private int count;
        private int emitted;

        Batches(RowFeed feed) {
            this.feed = feed;
            List<OutputColumn> outs = plan.outputs();
            this.kinds = new OutputColumn.Kind[outs.size()];
            for (int o = 0; o < kinds.length; o++) {
                kinds[o] = outs.get(o).kind();
            }
            this.text = new boolean[width];
            this.missingOk = new boolean[width];
            for (int f = 0; f < width; f++) {
                text[f] = cells && plan.model().isStringFeature(f);
                missingOk[f] = plan.model().acceptsMissing(f);
            }
            this.out = new AppendedRows(inputSchema, kinds.length);
            this.columnar = feed instanceof RowFeed.Columnar c ? c : null;
            this.primitiveCodes = columnar != null ? AppendedRows.primitiveCodes(inputSchema) : null;
            this.bulk = columnar != null && !cells;
            this.longValues = new long[kinds.length][];
            this.floatValues = new float[kinds.length][];
            this.doubleValues = new double[kinds.length][];
            this.textValues = new String[kinds.length][];
            this.widths = new int[kinds.length];
            if (cells) {
                this.cellRows = new Object[batch][width];
                this.floatRows = null;
                this.doubleRows = null;
                this.floats = null;
                this.doubles = null;
            } else {
                this.cellRows = null;
                int values = Math.max(1, batch * width);
                ByteBuffer bytes = buffer(values * (float64 ? Double.BYTES : Float.BYTES));
                this.floatRows = float64 ? null : new float[values];
                this.doubleRows = float64 ? new double[values] : null;
                this.floats = float64 ? null : bytes.asFloatBuffer();
                this.doubles = float64 ? bytes.asDoubleBuffer() : null;
            }
        }

        @Override
        public boolean hasNext() {
            while (emitted >= count) {
                if (!feed.hasRow() && !feed.nextChunk()) {
                    return false;
                }
                fill();
            }
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = emitted++;
            int r = predictionRow[i];
            if (primitiveCodes != null) {
                out.beginColumns(vectors(), primitiveCodes, columnar.rowId(i));
            } else {
                UnsafeRow input = feed.kept(i);
                out.begin(input.getBaseObject(), input.getBaseOffset(), input.getSizeInBytes());
            }
            for (int o = 0; o < kinds.length; o++) {
                if (r < 0) {
                    out.setNull(o);
                } else {
                    set(o, r);
                }
            }
            // Spark's scan of these rows projects each one to a row of its own at once, so reuse is safe.
            return out.row();
        }

        /** Reads the next batch of rows of the current chunk and predicts the valid ones. */
        private void fill() {
            count = 0;
            emitted = 0;
            firstOfBatch = offset;
            feed.startBatch();
            if (bulk && fillColumns()) {
                return;
            }
            int scored = 0;
            while (count < batch && feed.hasRow()) {
                InternalRow row = feed.next();
                UnsafeRow unsafe = row instanceof UnsafeRow u ? u : null;
                ColumnVector[] vectors = columnar != null ? vectors() : null;
                int rowId = columnar != null ? columnar.current() : -1;
                long rowOffset = offset++;
                boolean predict = true;
                boolean skip = false;
                int base = scored * width;
                Object[] cellRow = cells ? cellRows[scored] : null;
                for (int f = 0; f < width; f++) {
                    FeatureColumn column = features[f];
                    boolean isText = text[f];
                    String s = isText ? column.text(row) : null;
                    double v = isText ? (s == null ? Double.NaN : 0)
                            : unsafe != null ? column.read(unsafe) : vectors != null ? column.read(featureVectors[f], rowId) : column.read(row);
                    if (v != v) {
                        String reason = isText ? "is null" : column.invalidReason(row);
                        if (reason == null && !missingOk[f]) {
                            reason = "is NaN, and the model does not accept missing values";
                        }
                        if (reason != null) {
                            switch (plan.policy()) {
                                case ERROR -> throw invalid(rowOffset, f, column, reason);
                                case SKIP -> skip = true;
                                case KEEP -> predict &= missingOk[f];
                            }
                        }
                    }
                    if (skip) {
                        break;
                    }
                    if (cells) {
                        cellRow[f] = isText ? s : (Object) v;
                    } else if (float64) {
                        doubleRows[base + f] = v;
                    } else {
                        floatRows[base + f] = (float) v;
                    }
                }
                if (skip) {
                    continue;
                }
                feed.keep(count);
                predictionRow[count] = predict ? scored++ : -1;
                count++;
            }
            predict(scored);
        }

        /**
         * Reads the next scoring batch of a columnar feed column by column (one tight loop per feature
         * vector) when none of its feature values is null or NaN, and predicts it; false, having read
         * nothing, when one is (then the batch is read row by row, where each bad value meets the policy).
         */
        private boolean fillColumns() {
            vectors();
            int n = Math.min(batch, columnar.remaining());
            int start = columnar.current() + 1;
            for (int f = 0; f < width; f++) {
                ColumnVector v = featureVectors[f];
                if (v.hasNull()) {
                    for (int r = start; r < start + n; r++) {
                        if (v.isNullAt(r)) {
                            return false;
                        }
                    }
                }
                boolean nan = false;
                switch (features[f].type()) {
                    case DOUBLE -> {
                        for (int r = 0; r < n; r++) {
                            double x = v.getDouble(start + r);
                            nan |= x != x;
                            store(r * width + f, x);
                        }
                    }
                    case FLOAT -> {
                        for (int r = 0; r < n; r++) {
                            float x = v.getFloat(start + r);
                            nan |= x != x;
                            store(r * width + f, x);
                        }
                    }
                    case LONG -> {
                        for (int r = 0; r < n; r++) {
                            store(r * width + f, v.getLong(start + r));
                        }
                    }
                    case INT -> {
                        for (int r = 0; r < n; r++) {
                            store(r * width + f, v.getInt(start + r));
                        }
                    }
                    default -> {
                        return false;
                    }
                }
                if (nan) {
                    return false;
                }
            }
            columnar.keepNext(n);
            for (int r = 0; r < n; r++) {
                predictionRow[r] = r;
            }
            count = n;
            offset += n;
            predict(n);
            return true;
        }

        private void store(int index, double value) {
            if (float64) {
                doubleRows[index] = value;
            } else {
                floatRows[index] = (float) value;
            }
        }

        /** The current column batch's input vectors (and the features' among them), looked up once per batch. */
        private ColumnVector[] vectors() {
            ColumnarBatch b = columnar.batch();
            if (b != vectorsOf) {
                inputVectors = new ColumnVector[b.numCols()];
                for (int c = 0; c < inputVectors.length; c++) {
                    inputVectors[c] = b.column(c);
                }
                featureVectors = new ColumnVector[width];
                for (int f = 0; f < width; f++) {
                    featureVectors[f] = inputVectors[features[f].ordinal()];
                }
                vectorsOf = b;
            }
            return inputVectors;
        }

        private void predict(int n) {
            if (n == 0) {
                return;
            }
            Predictor predictor = Ml2TensorExecutors.predictor(plan.model(), plan.device(), onnx::value);
            Predictions p;
            if (cells) {
                p = predictor.predictCells(plan.model().schemaNames(), Arrays.asList(cellRows).subList(0, n), firstOfBatch);
            } else if (float64) {
                DoubleBuffer view = doubles.duplicate();
                view.clear();
                view.put(doubleRows, 0, n * width).flip();
                p = predictor.predict(view, n);
            } else {
                FloatBuffer view = floats.duplicate();
                view.clear();
                view.put(floatRows, 0, n * width).flip();
                p = predictor.predict(view, n);
            }
            for (int o = 0; o < kinds.length; o++) {
                String name = plan.outputs().get(o).graphName();
                Output output = p.output(name).orElseThrow(() -> new IllegalStateException("the model returned no output '" + name + "'"));
                widths[o] = output.width();
                longValues[o] = output instanceof Output.Longs l ? l.data() : null;
                floatValues[o] = output instanceof Output.Floats f ? f.data() : null;
                doubleValues[o] = output instanceof Output.Doubles d ? d.data() : null;
                textValues[o] = output instanceof Output.Strings t ? t.data() : null;
                if (kinds[o] == OutputColumn.Kind.LONG_LABEL && longValues[o] == null
                        || kinds[o] == OutputColumn.Kind.STRING_LABEL && textValues[o] == null
                        || (kinds[o] == OutputColumn.Kind.SCALAR || kinds[o] == OutputColumn.Kind.ARRAY)
                        && floatValues[o] == null && doubleValues[o] == null) {
                    throw new IllegalStateException("the model's output '" + name + "' holds " + output.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                            + ", not what its signature says (" + kinds[o] + ")");
                }
            }
        }

        /** Writes output {@code o} of prediction row {@code r} into the output row. */
        private void set(int o, int r) {
            int w = widths[o];
            switch (kinds[o]) {
                case LONG_LABEL -> out.setLong(o, longValues[o][r * w]);
                case STRING_LABEL -> out.setString(o, labels.computeIfAbsent(textValues[o][r * w],
                        t -> t.getBytes(StandardCharsets.UTF_8)));
                case SCALAR -> out.setDouble(o, floatValues[o] != null ? floatValues[o][r * w] : doubleValues[o][r * w]);
                case ARRAY -> {
                    if (vectors) {
                        if (floatValues[o] != null) {
                            out.setVector(o, floatValues[o], r, w);
                        } else {
                            out.setVector(o, doubleValues[o], r, w);
                        }
                    } else if (floatValues[o] != null) {
                        out.setArray(o, floatValues[o], r, w);
                    } else {
                        out.setArray(o, doubleValues[o], r, w);
                    }
                }
            }
        }

        private Ml2TensorException invalid(long rowOffset, int feature, FeatureColumn column, String reason) {
            return Ml2TensorException.of(ErrorCode.INVALID_INPUT, "feature " + plan.model().featureLabel(feature)
                            + " (column '" + column.name() + "') " + reason)
                    .at("partition " + partition + ", row " + rowOffset + " of the partition (0-based)")
                    .hint("clean the column, or setHandleInvalid(\"skip\") to drop such rows or (\"keep\") to score them as missing")
                    .build();
        }
    }
}
