package org.ml2tensor.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.ml2tensor.compiler.onnx.JsonStrings;
import org.ml2tensor.compiler.onnx.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Builds a {@link ModelInfo} from an ORT session's declared inputs, outputs and metadata. */
final class ModelInfoReader {
    private ModelInfoReader() {
    }

    static ModelInfo read(OrtSession session, String source) throws OrtException {
        List<TensorSpec> inputs = specs(session.getInputInfo().values());
        List<TensorSpec> outputs = specs(session.getOutputInfo().values());
        OnnxModelMetadata meta = session.getMetadata();
        Map<String, String> md = meta.getCustomMetadata();

        TensorSpec strings = inputs.stream().filter(i -> i.name().equals(ModelContract.INPUT_STRINGS)
                && i.elementType() == ElementType.STRING).findFirst().orElse(null);
        List<TensorSpec> numericInputs = inputs.stream().filter(i -> i != strings).toList();
        TensorSpec input = strings != null && numericInputs.isEmpty() ? null : featureInput(numericInputs, source);
        FloatType inputType = input != null && input.elementType() == ElementType.FLOAT64 ? FloatType.FLOAT64
                : FloatType.FLOAT32;
        if (strings != null && input == null && "float64".equals(md.get(ModelContract.PRECISION))) {
            inputType = FloatType.FLOAT64;
        }
        long declaredWidth = strings != null || input == null ? -1 : input.shape().get(1);

        List<String> featureNames = list(md, ModelContract.FEATURE_NAMES, source);
        int featureCount = declaredWidth >= 0 ? Math.toIntExact(declaredWidth) : -1;
        String countText = md.get(ModelContract.FEATURE_COUNT);
        if (countText != null) {
            int fromMetadata = parseCount(countText, source);
            if (featureCount >= 0 && featureCount != fromMetadata) {
                throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "metadata " + ModelContract.FEATURE_COUNT
                                + "=" + fromMetadata + " disagrees with the input shape " + input)
                        .at(source).hint("recompile the model with ml2tensor").build();
            }
            featureCount = fromMetadata;
        }
        if (featureCount < 0 && !featureNames.isEmpty()) {
            featureCount = featureNames.size();
        }
        if (!featureNames.isEmpty() && featureNames.size() != featureCount) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "metadata lists " + featureNames.size()
                            + " feature names but the model has " + featureCount + " features")
                    .at(source).hint("recompile the model with ml2tensor").build();
        }
        List<String> types = list(md, ModelContract.FEATURE_TYPES, source);
        if (types.isEmpty() && featureCount >= 0) {
            types = java.util.Collections.nCopies(featureCount, "float");
        }
        if (featureCount >= 0 && types.size() != featureCount) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "metadata lists " + types.size()
                            + " feature types but the model has " + featureCount + " features")
                    .at(source).hint("recompile the model with ml2tensor").build();
        }
        boolean acceptsMissing = !"false".equalsIgnoreCase(md.getOrDefault(ModelContract.ACCEPTS_MISSING, "true").trim());
        return new ModelInfo(
                source,
                md.containsKey(ModelContract.TASK),
                Task.fromMetadata(md.get(ModelContract.TASK)),
                list(md, ModelContract.CLASS_LABELS, source),
                featureNames,
                featureCount,
                acceptsMissing,
                input == null ? "" : input.name(),
                inputType,
                inputs,
                outputs,
                meta.getProducerName() == null ? "" : meta.getProducerName(),
                Provenance.fromMetadata(md),
                md,
                types,
                strings == null ? "" : strings.name());
    }

    /** The one input rows are fed to: a rank-2 float32/float64 tensor. */
    private static TensorSpec featureInput(List<TensorSpec> inputs, String source) {
        if (inputs.size() != 1) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "the model has " + inputs.size() + " inputs " + inputs
                            + "; ml2tensor feeds exactly one [rows, features] float tensor")
                    .at(source).hint("export the model with a single float input").build();
        }
        TensorSpec in = inputs.get(0);
        boolean floatType = in.elementType() == ElementType.FLOAT32 || in.elementType() == ElementType.FLOAT64;
        if (!in.tensor() || !floatType || in.rank() != 2) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "the model input " + in
                            + " is not a [rows, features] float32 or float64 tensor")
                    .at(source).hint("export the model with a single 2-D float input").build();
        }
        return in;
    }

    private static List<TensorSpec> specs(Iterable<NodeInfo> nodes) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            if (n.getInfo() instanceof TensorInfo t) {
                List<Long> shape = Arrays.stream(t.getShape()).boxed().toList();
                out.add(new TensorSpec(n.getName(), true, ElementType.of(t.onnxType), shape, t.toString()));
            } else {
                out.add(new TensorSpec(n.getName(), false, ElementType.OTHER, List.of(), String.valueOf(n.getInfo())));
            }
        }
        return out;
    }

    private static List<String> list(Map<String, String> md, String key, String source) {
        String json = md.get(key);
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JsonStrings.parseArray(json);
        } catch (IllegalArgumentException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "metadata " + key + " is not a JSON array of strings: "
                            + e.getMessage())
                    .at(source).hint("recompile the model with ml2tensor").cause(e).build();
        }
    }

    private static int parseCount(String text, String source) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "metadata " + ModelContract.FEATURE_COUNT
                    + " is not a feature count: '" + text + "'").at(source).build();
        }
    }
}
