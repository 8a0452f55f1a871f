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

import org.ml2tensor.contract.JsonStrings;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.error.Printable;

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
        if (declaredWidth > Integer.MAX_VALUE - 8) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the input " + Printable.escape(input.name())
                            + " declares " + declaredWidth + " features, more than ml2tensor can feed (at most "
                            + (Integer.MAX_VALUE - 8) + ")")
                    .at(source).hint("this file is damaged or hostile; a model's input has one column per feature").build();
        }
        checkOutputs(outputs, source);
        int featureCount = declaredWidth >= 0 ? (int) declaredWidth : -1;
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

    /**
     * Every output must be a tensor of rank ≥ 1 whose per-row width is not zero (the first dimension is
     * the rows); otherwise predictions would be blank. Refused with UNSUPPORTED naming the output.
     */
    private static void checkOutputs(List<TensorSpec> outputs, String source) {
        if (outputs.isEmpty()) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "the model declares no outputs, so it predicts nothing")
                    .at(source).hint("export the model with its prediction outputs").build();
        }
        for (TensorSpec o : outputs) {
            String name = "output '" + Printable.escape(o.name()) + "'";
            if (!o.tensor()) {
                throw unsupportedOutput(name + " is not a tensor (" + Printable.escape(o.description())
                        + "); ml2tensor returns tensor outputs only", source,
                        "export without sequence or map outputs (skl2onnx: options={'zipmap': False})");
            }
            if (o.rank() == 0) {
                throw unsupportedOutput(name + " is a scalar; every output needs a first dimension of rows", source,
                        "export the model with [rows, ...] outputs");
            }
            if (!OutputCollector.supported(o)) {
                throw unsupportedOutput(name + " has element type " + o.elementType() + ", which ml2tensor cannot return",
                        source, "export the model with numeric or string outputs");
            }
            long perRow = 1;
            for (int i = 1; i < o.rank(); i++) {
                long d = o.shape().get(i);
                if (d == 0) {
                    throw unsupportedOutput(name + " " + o + " has zero width, so it predicts nothing", source,
                            "export the model with non-empty outputs");
                }
                perRow = d < 0 ? perRow : (d > Integer.MAX_VALUE / Math.max(1, perRow) ? Long.MAX_VALUE : perRow * d);
            }
            if (perRow > Integer.MAX_VALUE - 8) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, name + " " + Printable.escape(o.toString())
                                + " declares more values per row than a Java array holds")
                        .at(source).hint("this file is damaged or hostile").build();
            }
        }
    }

    private static Ml2TensorException unsupportedOutput(String message, String source, String hint) {
        return Ml2TensorException.of(ErrorCode.UNSUPPORTED, message).at(source).hint(hint).build();
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
