package org.ml2tensor.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;

/**
 * Everything a task needs to score a partition, fixed on the driver: the model's signature, which
 * input columns feed which feature, the output columns, the bad-row policy, the batch size and the
 * device.
 *
 * @param model       the model's signature
 * @param features    one input column per model feature, in the model's feature order
 * @param inputWidth  number of columns of the input rows (they are copied to the output first)
 * @param outputs     output columns, in graph order
 * @param vectors     multi-value outputs as Spark ML vectors instead of {@code array<double>}
 * @param policy      what to do with invalid feature values
 * @param batchSize   rows per ONNX Runtime call
 * @param device      where executors run the model
 */
record ScoringPlan(
        ModelSignature model,
        List<FeatureColumn> features,
        int inputWidth,
        List<OutputColumn> outputs,
        boolean vectors,
        HandleInvalid policy,
        int batchSize,
        Device device) implements Serializable {

    ScoringPlan {
        features = List.copyOf(features);
        outputs = List.copyOf(outputs);
    }

    /**
     * Binds the model to an input schema: input columns (the model's feature names by default, or
     * {@code inputCols} in feature order), and output columns named by {@code outputCols} (graph order)
     * or the model's names, each prefixed with {@code prefix}.
     */
    static ScoringPlan bind(ModelSignature model, StructType schema, String[] inputCols, String[] outputCols,
                            String prefix, boolean vectors, HandleInvalid policy, int batchSize, Device device) {
        List<String> names;
        if (inputCols != null && inputCols.length > 0) {
            names = List.of(inputCols);
        } else if (!model.featureNames().isEmpty()) {
            names = model.featureNames();
        } else {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the model " + model.displayName()
                            + " has no feature names, so the input columns must be given")
                    .hint("call setInputCols(...) with " + model.featureCount() + " numeric columns in the model's feature order")
                    .build();
        }
        if (model.featureCount() >= 0 && names.size() != model.featureCount()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, names.size() + " input columns " + names
                            + " given, but the model " + model.displayName() + " has " + model.featureCount() + " features")
                    .hint("give one column per model feature, in the model's feature order").build();
        }
        Set<String> present = new HashSet<>(List.of(schema.fieldNames()));
        List<FeatureColumn> features = new ArrayList<>();
        for (String name : names) {
            if (!present.contains(name)) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the model's feature column '" + name
                                + "' is not in the data; its columns are " + List.of(schema.fieldNames()))
                        .hint("rename the column, or map columns to features with setInputCols(...)").build();
            }
            int ordinal = schema.fieldIndex(name);
            DataType type = schema.fields()[ordinal].dataType();
            features.add(model.isStringFeature(features.size()) ? FeatureColumn.text(name, ordinal, type) : FeatureColumn.of(name, ordinal, type));
        }
        List<OutputColumn> outputs = new ArrayList<>();
        List<OutputColumn> modelOutputs = model.outputs();
        if (outputCols != null && outputCols.length > 0 && outputCols.length != modelOutputs.size()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, outputCols.length + " output column names given, but the model has "
                            + modelOutputs.size() + " outputs " + modelOutputs.stream().map(OutputColumn::graphName).toList())
                    .hint("give one name per model output, in that order").build();
        }
        for (int i = 0; i < modelOutputs.size(); i++) {
            String base = outputCols != null && outputCols.length > 0 ? outputCols[i] : modelOutputs.get(i).columnName();
            String name = (prefix == null ? "" : prefix) + base;
            if (present.contains(name)) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "output column '" + name + "' already exists in the data")
                        .hint("choose other names with setOutputCols(...) or setOutputPrefix(...)").build();
            }
            present.add(name);
            outputs.add(modelOutputs.get(i).renamed(name));
        }
        int batch = batchSize > 0 ? batchSize : model.preferredRows();
        return new ScoringPlan(model, features, schema.fields().length, outputs, vectors, policy, batch, device);
    }

    /** The input schema with the output columns appended (all nullable: {@code keep} can leave them null). */
    StructType outputSchema(StructType input) {
        StructType out = input;
        for (OutputColumn o : outputs) {
            out = out.add(new StructField(o.columnName(), sparkType(o.kind(), vectors), true,
                    org.apache.spark.sql.types.Metadata.empty()));
        }
        return out;
    }

    static DataType sparkType(OutputColumn.Kind kind, boolean vectors) {
        return switch (kind) {
            case LONG_LABEL -> DataTypes.LongType;
            case STRING_LABEL -> DataTypes.StringType;
            case SCALAR -> DataTypes.DoubleType;
            case ARRAY -> vectors ? SQLDataTypes.VectorType() : DataTypes.createArrayType(DataTypes.DoubleType, false);
        };
    }
}
