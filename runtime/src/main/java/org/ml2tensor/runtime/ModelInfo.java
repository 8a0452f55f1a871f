package org.ml2tensor.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a loaded model is: its task, class labels and feature names (from ml2tensor metadata, empty
 * when absent), the feature input the runtime feeds, the graph's declared inputs and outputs, and
 * where it came from.
 *
 * @param source          file name or a description of in-memory bytes
 * @param producedByMl2Tensor whether the model carries ml2tensor metadata ({@code ml2tensor.task})
 * @param task            what the model predicts; {@link Task#UNKNOWN} for other ONNX files
 * @param classLabels     class labels in probability-column order; empty unless a classifier
 * @param featureNames    input feature names; empty when the source had none
 * @param featureCount    number of input features, or -1 when the model leaves it dynamic
 * @param acceptsMissing  whether NaN inputs are valid (missing values); true when the metadata says nothing
 * @param inputName       the one float tensor input rows are fed to
 * @param inputType       its element type
 * @param inputs          declared graph inputs
 * @param outputs         declared graph outputs (non-tensor outputs are listed but never returned)
 * @param producerName    {@code ModelProto.producer_name}
 * @param provenance      source format, fingerprint, compiler version, strategy, precision
 * @param metadata        all {@code metadata_props}
 * @param featureTypes    type of every input column ({@code float}, {@code int}, {@code string}) in schema order;
 *                        empty when the model leaves the feature count dynamic
 * @param stringInputName the string tensor input ({@code input_strings}) string columns are fed to, or ""
 */
public record ModelInfo(
        String source,
        boolean producedByMl2Tensor,
        Task task,
        List<String> classLabels,
        List<String> featureNames,
        int featureCount,
        boolean acceptsMissing,
        String inputName,
        FloatType inputType,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        String producerName,
        Provenance provenance,
        Map<String, String> metadata,
        List<String> featureTypes,
        String stringInputName) {

    public ModelInfo {
        featureTypes = List.copyOf(featureTypes);
        classLabels = List.copyOf(classLabels);
        featureNames = List.copyOf(featureNames);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        // a metadata entry without a value (protobuf's default, "") reaches Java as null from ONNX Runtime
        java.util.Map<String, String> meta = new java.util.HashMap<>();
        metadata.forEach((k, v) -> {
            if (k != null) {
                meta.put(k, v == null ? "" : v);
            }
        });
        metadata = Map.copyOf(meta);
    }

    /**
     * A multi-output classifier's class labels, one list per target in target order (from
     * {@code ml2tensor.target_class_labels}); empty for every other model or when the metadata is malformed.
     */
    public List<List<String>> targetClassLabels() {
        String json = metadata.get(org.ml2tensor.contract.ModelContract.TARGET_CLASS_LABELS);
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return org.ml2tensor.contract.JsonStrings.parseArrays(json);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Whether the model reads string columns (rows must then be given with {@code Predictor.predictRows}). */
    public boolean hasStringColumns() {
        return !stringInputName.isEmpty();
    }

    /** Whether input column {@code column} is a string column. */
    public boolean isStringColumn(int column) {
        return column < featureTypes.size() && featureTypes.get(column).equals("string");
    }

    /** The declared output with this name. */
    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** The name of feature {@code column}, or {@code "column <i>"} when the model has no names. */
    public String featureLabel(int column) {
        if (column < featureNames.size()) {
            return "column " + column + " ('" + featureNames.get(column) + "')";
        }
        return "column " + column;
    }

    /** A multi-line human-readable description (for {@code ml2tensor inspect}-style output). */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(source).append('\n');
        sb.append("producer: ").append(producerName.isEmpty() ? "(none)" : producerName)
                .append(producedByMl2Tensor ? "" : " (not an ml2tensor model)").append('\n');
        sb.append("task: ").append(task.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        if (!classLabels.isEmpty()) {
            sb.append("classes: ").append(classLabels).append('\n');
        }
        List<List<String>> targets = targetClassLabels();
        for (int t = 0; t < targets.size(); t++) {
            sb.append("target ").append(t).append(" classes: ").append(targets.get(t)).append('\n');
        }
        sb.append("features: ").append(featureCount < 0 ? "dynamic" : Integer.toString(featureCount));
        if (!featureNames.isEmpty()) {
            sb.append(' ').append(featureNames);
        }
        sb.append('\n');
        if (hasStringColumns()) {
            sb.append("feature types: ").append(featureTypes).append('\n');
        }
        sb.append("accepts missing values: ").append(acceptsMissing).append('\n');
        inputs.forEach(i -> sb.append("input ").append(i).append('\n'));
        outputs.forEach(o -> sb.append("output ").append(o).append('\n'));
        provenance.sourceFormat().ifPresent(v -> sb.append("source format: ").append(v).append('\n'));
        provenance.sourceDescription().ifPresent(v -> sb.append("source: ").append(v).append('\n'));
        provenance.sourceSha256().ifPresent(v -> sb.append("source sha256: ").append(v).append('\n'));
        provenance.compilerVersion().ifPresent(v -> sb.append("compiler version: ").append(v).append('\n'));
        provenance.strategy().ifPresent(v -> sb.append("strategy: ").append(v).append('\n'));
        provenance.strategyReason().ifPresent(v -> sb.append("strategy reason: ").append(v).append('\n'));
        provenance.precision().ifPresent(v -> sb.append("precision: ").append(v).append('\n'));
        return sb.toString();
    }
}
