package org.ml2tensor.spark;

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
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.types.UTF8String;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;

/**
 * Scores one partition of Spark's internal rows: reads up to {@code batchSize} rows into a reused
 * direct buffer (one per task thread), runs them through the executor's shared {@link Predictor}, and
 * emits each input row with the output columns appended, in input order. Rows are pulled lazily, so a
 * partition is never held in memory beyond one batch, and never converted to {@code Row} objects: the
 * features are read from the internal (usually unsafe) rows, and the outputs are written as Spark's
 * internal values ({@code UTF8String}, unsafe arrays) next to the input row.
 *
 * <p>Models with string (categorical) columns are fed through {@link Predictor#predictCells}.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    /** Each task thread keeps its input buffer between tasks (Spark reuses its task threads). */
    private static final ThreadLocal<ByteBuffer> BUFFERS = new ThreadLocal<>();

    private final ScoringPlan plan;
    private final Broadcast<byte[]> onnx;

    PartitionScorer(ScoringPlan plan, Broadcast<byte[]> onnx) {
        this.plan = plan;
        this.onnx = onnx;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> input) {
        return new Batches(input);
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
        private final Iterator<InternalRow> input;
        private final FeatureColumn[] features = plan.features().toArray(new FeatureColumn[0]);
        private final OutputColumn.Kind[] kinds;
        private final int width = features.length;
        private final boolean cells = plan.model().hasStringColumns();
        private final boolean float64 = plan.model().float64();
        private final int batch = plan.batchSize();
        private final InternalRow[] rows = new InternalRow[batch];
        /** Row of the batch → row of the predictions, or -1 for a row kept without a prediction. */
        private final int[] predictionRow = new int[batch];
        /** Rows of cells for a model with string columns (reused). */
        private final Object[][] cellRows;
        private final Output[] outputs;
        private final int partition = TaskContext.getPartitionId();
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;
        /** The appended values of the row being emitted, and the input row joined to them (both reused). */
        private final GenericInternalRow appended;
        private final JoinedRow joined = new JoinedRow();
        private final Map<String, UTF8String> labels = new HashMap<>();
        private final UserDefinedType<Vector> vectorType;
        private long offset;
        private long firstOfBatch;
        private int count;
        private int emitted;

        @SuppressWarnings("unchecked")
        Batches(Iterator<InternalRow> input) {
            this.input = input;
            List<OutputColumn> outs = plan.outputs();
            this.kinds = new OutputColumn.Kind[outs.size()];
            for (int o = 0; o < kinds.length; o++) {
                kinds[o] = outs.get(o).kind();
            }
            this.outputs = new Output[kinds.length];
            this.appended = new GenericInternalRow(kinds.length);
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
                if (!input.hasNext()) {
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
            InternalRow row = rows[i];
            rows[i] = null;
            int r = predictionRow[i];
            for (int o = 0; o < kinds.length; o++) {
                if (r < 0) {
                    appended.setNullAt(o);
                } else {
                    appended.update(o, value(kinds[o], outputs[o], r));
                }
            }
            // Spark's scan of these rows projects each one to an unsafe row at once, so reuse is safe.
            return joined.apply(row, appended);
        }

        /** Reads the next batch of rows and predicts the valid ones. */
        private void fill() {
            count = 0;
            emitted = 0;
            firstOfBatch = offset;
            int scored = 0;
            while (count < batch && input.hasNext()) {
                InternalRow row = input.next();
                long rowOffset = offset++;
                boolean predict = true;
                boolean skip = false;
                int base = scored * width;
                Object[] cellRow = cells ? cellRows[scored] : null;
                for (int f = 0; f < width; f++) {
                    FeatureColumn column = features[f];
                    boolean text = cells && plan.model().isStringFeature(f);
                    String s = text ? column.text(row) : null;
                    double v = text ? (s == null ? Double.NaN : 0) : column.read(row);
                    if (Double.isNaN(v)) {
                        String reason = text ? "is null" : column.invalidReason(row);
                        boolean missingOk = plan.model().acceptsMissing(f);
                        if (reason == null && !missingOk) {
                            reason = "is NaN, and the model does not accept missing values";
                        }
                        if (reason != null) {
                            switch (plan.policy()) {
                                case ERROR -> throw invalid(rowOffset, f, column, reason);
                                case SKIP -> skip = true;
                                case KEEP -> predict &= missingOk;
                            }
                        }
                    }
                    if (skip) {
                        break;
                    }
                    if (cells) {
                        cellRow[f] = text ? s : (Object) v;
                    } else if (float64) {
                        doubles.put(base + f, v);
                    } else {
                        floats.put(base + f, (float) v);
                    }
                }
                if (skip) {
                    continue;
                }
                // the input may reuse its row objects: keep a copy until the batch is emitted
                rows[count] = row.copy();
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

        private Object value(OutputColumn.Kind kind, Output out, int r) {
            return switch (kind) {
                case LONG_LABEL -> ((Output.Longs) out).data()[r * out.width()];
                case STRING_LABEL -> labels.computeIfAbsent(out.text(r, 0), UTF8String::fromString);
                case SCALAR -> ((Matrix) out).getDouble(r, 0);
                case ARRAY -> {
                    Matrix m = (Matrix) out;
                    double[] v = new double[out.width()];
                    for (int c = 0; c < v.length; c++) {
                        v[c] = m.getDouble(r, c);
                    }
                    yield vectorType != null ? vectorType.serialize(Vectors.dense(v)) : UnsafeArrayData.fromPrimitiveArray(v);
                }
            };
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
