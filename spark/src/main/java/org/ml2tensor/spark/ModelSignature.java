package org.ml2tensor.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ml2tensor.contract.JsonStrings;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.runtime.ElementType;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.ModelInfo;
import org.ml2tensor.runtime.TensorSpec;

/**
 * What the driver learns about a model once, shipped to the executors with each task: its
 * fingerprint, features, whether it accepts missing values, input precision and output columns.
 *
 * @param sha256         SHA-256 of the ONNX bytes (the executors' cache key)
 * @param displayName    the model's source, for messages
 * @param task           the model's task in lower case ({@code classification}, {@code regression}, …)
 * @param featureNames   feature names in input order; empty when the model has none
 * @param featureCount   number of features
 * @param acceptsMissing whether NaN is a valid (missing) feature value
 * @param float64        whether the model's input is float64 (float32 otherwise)
 * @param outputs        the model's outputs with their default column names, in graph order
 * @param preferredRows  rows per ONNX Runtime run that keep intermediates cache-sized (compiler hint)
 * @param featureTypes   type of every feature ({@code float}, {@code int}, {@code string}) in feature order;
 *                       empty when the model does not say (then every feature is numeric)
 * @param missingColumns features that may be missing although the model as a whole does not accept
 *                       missing values (imputed columns of a pipeline)
 */
public record ModelSignature(
        String sha256,
        String displayName,
        String task,
        List<String> featureNames,
        int featureCount,
        boolean acceptsMissing,
        boolean float64,
        List<OutputColumn> outputs,
        int preferredRows,
        List<String> featureTypes,
        List<String> missingColumns) implements Serializable {

    private static final int DEFAULT_PREFERRED_ROWS = 16_384;

    public ModelSignature {
        featureNames = List.copyOf(featureNames);
        outputs = List.copyOf(outputs);
        featureTypes = List.copyOf(featureTypes);
        missingColumns = List.copyOf(missingColumns);
    }

    /** Whether feature {@code i} may be missing (NaN, or NULL under {@code keep}). */
    boolean acceptsMissing(int i) {
        return acceptsMissing || (!missingColumns.isEmpty() && i < featureCount && missingColumns.contains(schemaNames().get(i)));
    }

    /** Whether the model reads string (categorical) columns, which are fed to it as text. */
    public boolean hasStringColumns() {
        return featureTypes.contains("string");
    }

    /** Whether feature {@code i} is a string column. */
    public boolean isStringFeature(int i) {
        return i < featureTypes.size() && "string".equals(featureTypes.get(i));
    }

    /** The names the model's columns go by: its feature names, or {@code x0, x1, …} for a model fitted on an array. */
    List<String> schemaNames() {
        if (!featureNames.isEmpty()) {
            return featureNames;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < featureCount; i++) {
            names.add("x" + i);
        }
        return names;
    }

    /** Reads the signature from an open predictor's {@link ModelInfo}. */
    static ModelSignature of(String sha256, ModelInfo info) {
        if (info.task() == org.ml2tensor.runtime.Task.MULTI_CLASSIFICATION) {
            // label [N, T]: one label column per target, which the scalar label column cannot hold
            throw org.ml2tensor.error.Ml2TensorException.of(org.ml2tensor.error.ErrorCode.UNSUPPORTED,
                            "a multi-output classifier (task " + ModelContract.TASK_MULTI_CLASSIFICATION + ", "
                            + info.targetClassLabels().size() + " targets) cannot be scored in Spark yet: its label"
                            + " has one column per target")
                    .at(info.source()).hint("score it with 'ml2tensor predict' or the Java Predictor, or compile one"
                            + " model per target").build();
        }
        List<OutputColumn> outputs = new ArrayList<>();
        for (TensorSpec spec : info.outputs()) {
            OutputColumn.Kind kind = kind(spec);
            if (kind != null) {
                outputs.add(new OutputColumn(spec.name(), defaultColumn(spec.name()), kind));
            }
        }
        int featureCount = info.featureCount() >= 0 ? info.featureCount() : info.featureNames().size();
        return new ModelSignature(sha256, info.source(), info.task().name().toLowerCase(Locale.ROOT),
                info.featureNames(), featureCount, info.acceptsMissing(), info.inputType() == FloatType.FLOAT64,
                outputs, preferredRows(info), info.featureTypes(), missingColumns(info));
    }

    /** {@code label}, {@code probabilities} and {@code scores} keep their names; {@code variable} becomes {@code prediction}. */
    static String defaultColumn(String graphName) {
        return ModelContract.VARIABLE.equals(graphName) ? "prediction" : graphName;
    }

    private static OutputColumn.Kind kind(TensorSpec spec) {
        if (!spec.tensor() || spec.rank() < 1) {
            return null;
        }
        ElementType t = spec.elementType();
        if (t == ElementType.STRING) {
            return OutputColumn.Kind.STRING_LABEL;
        }
        if (t == ElementType.INT64 || t == ElementType.INT32 || t == ElementType.UINT32 || t == ElementType.INT16
                || t == ElementType.UINT16 || t == ElementType.INT8 || t == ElementType.UINT8 || t == ElementType.BOOL) {
            return OutputColumn.Kind.LONG_LABEL;
        }
        if (t != ElementType.FLOAT32 && t != ElementType.FLOAT64 && t != ElementType.FLOAT16) {
            return null;
        }
        boolean matrixByName = ModelContract.PROBABILITIES.equals(spec.name()) || ModelContract.SCORES.equals(spec.name())
                || ModelContract.LOG_PROBABILITIES.equals(spec.name());
        long width = 1;
        for (int d = 1; d < spec.rank(); d++) {
            long dim = spec.shape().get(d);
            width = dim < 0 ? -1 : width * dim;
            if (width < 0) {
                break;
            }
        }
        return !matrixByName && width == 1 ? OutputColumn.Kind.SCALAR : OutputColumn.Kind.ARRAY;
    }

    private static List<String> missingColumns(ModelInfo info) {
        String v = info.metadata().get(ModelContract.MISSING_COLUMNS);
        return v == null || v.isBlank() ? List.of() : JsonStrings.parseArray(v);
    }

    private static int preferredRows(ModelInfo info) {
        String v = info.metadata().get(ModelContract.PREFERRED_ROWS_PER_RUN);
        if (v != null) {
            try {
                return (int) Math.max(1, Math.min(1 << 20, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return DEFAULT_PREFERRED_ROWS;
    }

    /** The name of feature {@code i} in messages. */
    String featureLabel(int i) {
        return i < featureNames.size() ? "'" + featureNames.get(i) + "'" : "#" + i;
    }
}
