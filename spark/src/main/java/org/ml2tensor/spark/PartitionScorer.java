package org.ml2tensor.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;

/**
 * Scores one partition: reads up to {@code batchSize} rows into a reused direct buffer (one per task
 * thread), runs them through the executor's shared {@link Predictor}, and emits each input row with
 * the output columns appended, in input order. Rows are pulled lazily, so a partition is never held in
 * memory beyond one batch, and never converted to {@code Row} objects: the features are read from
 * Spark's internal rows ({@link #rows}) or straight from the column vectors of columnar batches
 * ({@link #columnar}), and the outputs are written as Spark's internal values into one reused mutable
 * row (unsafe arrays, {@code UTF8String}) joined to the input row.
 *
 * <p>Models with string (categorical) columns are fed through {@link Predictor#predictCells}.
 */
final class PartitionScorer implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Each task thread keeps its input buffer between tasks (Spark reuses its task threads). */
    private static final ThreadLocal<ByteBuffer> BUFFERS = new ThreadLocal<>();

    private final ScoringPlan plan;
    private final Broadcast<byte[]> onnx;

    PartitionScorer(ScoringPlan plan, Broadcast<byte[]> onnx) {
        this.plan = plan;
        this.onnx = onnx;
    }

    /** Scores partitions of internal rows. */
    FlatMapFunction<Iterator<InternalRow>, InternalRow> rows() {
        return input -> new Batches(RowFeed.rows(input, plan.batchSize()));
    }

    /** Scores partitions of columnar batches (rows are read in place, never copied). */
    FlatMapFunction<Iterator<ColumnarBatch>, InternalRow> columnar() {
        return input -> new Batches(RowFeed.columnar(input, plan.batchSize()));
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
        private final int batch = plan.batchSize();
        /** Row of the batch → row of the predictions, or -1 for a row kept without a prediction. */
        private final int[] predictionRow = new int[batch];
        /** Rows of cells for a model with string columns (reused). */
        private final Object[][] cellRows;
        private final Output[] outputs;
        private final int partition = TaskContext.getPartitionId();
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;
        /** The appended values of the row being emitted (typed slots, no boxing), and the input row joined to them. */
        private final SpecificInternalRow appended;
        private final JoinedRow joined = new JoinedRow();
        /** One reused unsafe array per array output (Spark copies each emitted row at once). */
        private final UnsafeArrayData[] arrays;
        private final Map<String, UTF8String> labels = new HashMap<>();
        private final UserDefinedType<Vector> vectorType;
        private long offset;
        private long firstOfBatch;
        private int count;
        private int emitted;

        @SuppressWarnings("unchecked")
        Batches(RowFeed feed) {
            this.feed = feed;
            List<OutputColumn> outs = plan.outputs();
            this.kinds = new OutputColumn.Kind[outs.size()];
            StructType appendedType = new StructType();
            for (int o = 0; o < kinds.length; o++) {
                kinds[o] = outs.get(o).kind();
                appendedType = appendedType.add(new StructField("o" + o, ScoringPlan.sparkType(kinds[o], plan.vectors()), true,
                        org.apache.spark.sql.types.Metadata.empty()));
            }
            this.text = new boolean[width];
            this.missingOk = new boolean[width];
            for (int f = 0; f < width; f++) {
                text[f] = cells && plan.model().isStringFeature(f);
                missingOk[f] = plan.model().acceptsMissing(f);
            }
            this.outputs = new Output[kinds.length];
            this.arrays = new UnsafeArrayData[kinds.length];
            this.appended = new SpecificInternalRow(appendedType);
            this.vectorType = plan.vectors() ? (UserDefinedType<Vector>) SQLDataTypes.VectorType() : null;
            if (cells) {
                this.cellRows = new Object[batch][width];
                this.floats = null;
                this.doubles = null;
            } else {
                this.cellRows = null;
                ByteBuffer bytes = buffer(Math.max(1, batch * width) * (float64 ? Double.BYTES : Float.BYTES));
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
            for (int o = 0; o < kinds.length; o++) {
                if (r < 0) {
                    appended.setNullAt(o);
                } else {
                    set(o, r);
                }
            }
            // Spark's scan of these rows projects each one to an unsafe row at once, so reuse is safe.
            return joined.apply(feed.kept(i), appended);
        }

        /** Reads the next batch of rows of the current chunk and predicts the valid ones. */
        private void fill() {
            count = 0;
            emitted = 0;
            firstOfBatch = offset;
            feed.startBatch();
            int scored = 0;
            while (count < batch && feed.hasRow()) {
                InternalRow row = feed.next();
                long rowOffset = offset++;
                boolean predict = true;
                boolean skip = false;
                int base = scored * width;
                Object[] cellRow = cells ? cellRows[scored] : null;
                for (int f = 0; f < width; f++) {
                    FeatureColumn column = features[f];
                    boolean isText = text[f];
                    String s = isText ? column.text(row) : null;
                    double v = isText ? (s == null ? Double.NaN : 0) : column.read(row);
                    if (Double.isNaN(v)) {
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
                        doubles.put(base + f, v);
                    } else {
                        floats.put(base + f, (float) v);
                    }
                }
                if (skip) {
                    continue;
                }
                feed.keep(count, row);
                predictionRow[count] = predict ? scored++ : -1;
                count++;
            }
            predict(scored);
        }

        private void predict(int n) {
            Arrays.fill(outputs, null);
            if (n == 0) {
                return;
            }
            Predictor predictor = Ml2TensorExecutors.predictor(plan.model(), plan.device(), onnx::value);
            Predictions p;
            if (cells) {
                p = predictor.predictCells(plan.model().schemaNames(), Arrays.asList(cellRows).subList(0, n), firstOfBatch);
            } else if (float64) {
                DoubleBuffer view = doubles.duplicate();
                view.position(0).limit(n * width);
                p = predictor.predict(view, n);
            } else {
                FloatBuffer view = floats.duplicate();
                view.position(0).limit(n * width);
                p = predictor.predict(view, n);
            }
            for (int o = 0; o < outputs.length; o++) {
                String name = plan.outputs().get(o).graphName();
                outputs[o] = p.output(name).orElseThrow(() -> new IllegalStateException("the model returned no output '" + name + "'"));
            }
        }

        /** Writes output {@code o} of prediction row {@code r} into the appended row. */
        private void set(int o, int r) {
            Output out = outputs[o];
            switch (kinds[o]) {
                case LONG_LABEL -> appended.setLong(o, ((Output.Longs) out).data()[r * out.width()]);
                case STRING_LABEL -> appended.update(o, labels.computeIfAbsent(out.text(r, 0), UTF8String::fromString));
                case SCALAR -> appended.setDouble(o, ((Matrix) out).getDouble(r, 0));
                case ARRAY -> {
                    Matrix m = (Matrix) out;
                    int w = out.width();
                    if (vectorType != null) {
                        double[] v = new double[w];
                        for (int c = 0; c < w; c++) {
                            v[c] = m.getDouble(r, c);
                        }
                        appended.update(o, vectorType.serialize(Vectors.dense(v)));
                    } else {
                        UnsafeArrayData a = arrays[o];
                        if (a == null || a.numElements() != w) {
                            a = UnsafeArrayData.fromPrimitiveArray(new double[w]);
                            arrays[o] = a;
                        }
                        for (int c = 0; c < w; c++) {
                            a.setDouble(c, m.getDouble(r, c));
                        }
                        appended.update(o, a);
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
