package org.ml2tensor.spark;

import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;

/** The SQL function of {@link Ml2Tensor#register}: one struct in, one struct of model outputs out. */
final class SqlScorer implements UDF1<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ModelSignature model;
    private final Broadcast<byte[]> onnx;
    private final Device device;
    private final HandleInvalid policy;
    /** Per-thread cache of the field ordinals for the last struct schema seen. */
    private transient ThreadLocal<Binding> binding;

    private record Binding(StructType schema, FeatureColumn[] columns) {
    }

    SqlScorer(ModelSignature model, Broadcast<byte[]> onnx, Device device, HandleInvalid policy) {
        this.model = model;
        this.onnx = onnx;
        this.device = device;
        this.policy = policy;
    }

    @Override
    public Row call(Row struct) {
        if (struct == null) {
            return null;
        }
        FeatureColumn[] columns = bind(struct);
        int width = columns.length;
        boolean cells = model.hasStringColumns();
        boolean float64 = model.float64();
        float[] floats = cells || float64 ? null : new float[width];
        double[] doubles = !cells && float64 ? new double[width] : null;
        Object[] row = cells ? new Object[width] : null;
        for (int f = 0; f < width; f++) {
            boolean text = model.isStringFeature(f);
            String s = text ? columns[f].text(struct) : null;
            double v = text ? (s == null ? Double.NaN : 0) : columns[f].read(struct);
            if (Double.isNaN(v)) {
                String reason = text ? "is null" : columns[f].invalidReason(struct);
                if (reason == null && !model.acceptsMissing(f)) {
                    reason = "is NaN, and the model does not accept missing values";
                }
                if (reason != null) {
                    if (policy == HandleInvalid.ERROR) {
                        throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "feature " + model.featureLabel(f)
                                        + " (field '" + columns[f].name() + "') " + reason)
                                .at("partition " + TaskContext.getPartitionId())
                                .hint("clean the column, or register the function with HandleInvalid.KEEP to get NULL")
                                .build();
                    }
                    if (policy == HandleInvalid.SKIP || !model.acceptsMissing(f)) {
                        return null;
                    }
                }
            }
            if (cells) {
                row[f] = text ? s : (Object) v;
            } else if (float64) {
                doubles[f] = v;
            } else {
                floats[f] = (float) v;
            }
        }
        Predictor predictor = Ml2TensorExecutors.predictor(model, device, onnx::value);
        Predictions p = cells ? predictor.predictCells(model.schemaNames(), java.util.Collections.singletonList(row))
                : float64 ? predictor.predict(doubles, 1) : predictor.predict(floats, 1);
        List<OutputColumn> outputs = model.outputs();
        Object[] values = new Object[outputs.size()];
        for (int o = 0; o < values.length; o++) {
            OutputColumn column = outputs.get(o);
            Output out = p.output(column.graphName()).orElseThrow();
            values[o] = switch (column.kind()) {
                case LONG_LABEL -> ((Output.Longs) out).data()[0];
                case STRING_LABEL -> out.text(0, 0);
                case SCALAR -> ((Matrix) out).getDouble(0, 0);
                case ARRAY -> {
                    double[] v = new double[out.width()];
                    for (int c = 0; c < v.length; c++) {
                        v[c] = ((Matrix) out).getDouble(0, c);
                    }
                    yield v;
                }
            };
        }
        return RowFactory.create(values);
    }

    private FeatureColumn[] bind(Row struct) {
        if (binding == null) {
            binding = new ThreadLocal<>();
        }
        StructType schema = struct.schema();
        Binding b = binding.get();
        if (b != null && b.schema() == schema) {
            return b.columns();
        }
        if (schema == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the function's argument has no field names")
                    .hint("call it as fn(struct(*)) or fn(struct(col1, col2, ...))").build();
        }
        int n = model.featureCount();
        FeatureColumn[] columns = new FeatureColumn[n];
        for (int f = 0; f < n; f++) {
            int ordinal;
            if (model.featureNames().isEmpty()) {
                if (f >= schema.fields().length) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the struct has " + schema.fields().length
                            + " fields but the model " + model.displayName() + " takes " + n + " features").build();
                }
                ordinal = f;
            } else {
                String name = model.featureNames().get(f);
                if (!List.of(schema.fieldNames()).contains(name)) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the struct has no field '" + name
                                    + "' (a feature of " + model.displayName() + "); its fields are " + List.of(schema.fieldNames()))
                            .hint("pass struct(*) of a table with the model's feature columns, or alias the columns").build();
                }
                ordinal = schema.fieldIndex(name);
            }
            String field = schema.fields()[ordinal].name();
            DataType type = schema.fields()[ordinal].dataType();
            columns[f] = model.isStringFeature(f) ? FeatureColumn.text(field, ordinal, type) : FeatureColumn.of(field, ordinal, type);
        }
        binding.set(new Binding(schema, columns));
        return columns;
    }
}
