package org.ml2tensor.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;

/**
 * Scores one partition: reads up to {@code batchSize} rows into a reused direct buffer (one per task
 * thread), runs them through the executor's shared {@link Predictor}, and emits each input row with
 * the output columns appended, in input order. Rows are pulled lazily, so a partition is never held
 * in memory beyond one batch.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
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
    public Iterator<Row> call(Iterator<Row> input) {
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

    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final int width = plan.features().size();
        private final boolean float64 = plan.model().float64();
        private final int batch = plan.batchSize();
        private final Row[] rows = new Row[batch];
        /** Row of the batch → row of the predictions, or -1 for a row kept without a prediction. */
        private final int[] predictionRow = new int[batch];
        private final Output[] outputs = new Output[plan.outputs().size()];
        private final int partition = TaskContext.getPartitionId();
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;
        private long offset;
        private int count;
        private int emitted;

        Batches(Iterator<Row> input) {
            this.input = input;
            ByteBuffer bytes = buffer(Math.max(1, batch * width) * (float64 ? Double.BYTES : Float.BYTES));
            this.floats = float64 ? null : bytes.asFloatBuffer();
            this.doubles = float64 ? bytes.asDoubleBuffer() : null;
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
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = emitted++;
            Row row = rows[i];
            rows[i] = null;
            return output(row, predictionRow[i]);
        }

        /** Reads the next batch of rows and predicts the valid ones. */
        private void fill() {
            count = 0;
            emitted = 0;
            int scored = 0;
            boolean acceptsMissing = plan.model().acceptsMissing();
            while (count < batch && input.hasNext()) {
                Row row = input.next();
                long rowOffset = offset++;
                boolean predict = true;
                boolean skip = false;
                int base = scored * width;
                for (int f = 0; f < width; f++) {
                    FeatureColumn column = plan.features().get(f);
                    double v = column.read(row);
                    if (Double.isNaN(v)) {
                        String reason = column.invalidReason(row);
                        if (reason == null && !acceptsMissing) {
                            reason = "is NaN, and the model does not accept missing values";
                        }
                        if (reason != null) {
                            switch (plan.policy()) {
                                case ERROR -> throw invalid(rowOffset, f, column, reason);
                                case SKIP -> skip = true;
                                case KEEP -> predict = acceptsMissing;
                            }
                        }
                    }
                    if (skip) {
                        break;
                    }
                    if (float64) {
                        doubles.put(base + f, v);
                    } else {
                        floats.put(base + f, (float) v);
                    }
                }
                if (skip) {
                    continue;
                }
                rows[count] = row;
                predictionRow[count] = predict ? scored++ : -1;
                count++;
            }
            predict(scored);
        }

        private void predict(int n) {
            java.util.Arrays.fill(outputs, null);
            if (n == 0) {
                return;
            }
            Predictor predictor = Ml2TensorExecutors.predictor(plan.model(), plan.device(), onnx::value);
            Predictions p;
            if (float64) {
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

        private Row output(Row row, int r) {
            int inputWidth = plan.inputWidth();
            Object[] values = new Object[inputWidth + outputs.length];
            for (int i = 0; i < inputWidth; i++) {
                values[i] = row.get(i);
            }
            for (int o = 0; o < outputs.length; o++) {
                values[inputWidth + o] = r < 0 ? null : value(plan.outputs().get(o).kind(), outputs[o], r);
            }
            return RowFactory.create(values);
        }

        private Object value(OutputColumn.Kind kind, Output out, int r) {
            return switch (kind) {
                case LONG_LABEL -> ((Output.Longs) out).data()[r * out.width()];
                case STRING_LABEL -> out.text(r, 0);
                case SCALAR -> ((Matrix) out).getDouble(r, 0);
                case ARRAY -> {
                    Matrix m = (Matrix) out;
                    double[] v = new double[out.width()];
                    for (int c = 0; c < v.length; c++) {
                        v[c] = m.getDouble(r, c);
                    }
                    yield plan.vectors() ? Vectors.dense(v) : v;
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
