package org.ml2tensor.runtime;

import ai.onnxruntime.OrtException;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Maps ONNX Runtime failures to {@link Ml2TensorException}s with a code, context and hint. */
final class OrtErrors {
    private OrtErrors() {
    }

    /** A failure while creating a session from {@code source}. */
    static Ml2TensorException loading(OrtException e, String source) {
        String msg = firstLine(e.getMessage());
        return switch (e.getCode()) {
            case ORT_NO_SUCHFILE -> Ml2TensorException.of(ErrorCode.IO, "model file not found: " + msg)
                    .at(source).cause(e).build();
            case ORT_INVALID_PROTOBUF -> Ml2TensorException.of(ErrorCode.MODEL_FORMAT,
                            "not an ONNX model (protobuf parsing failed): " + msg)
                    .at(source).hint("pass an .onnx file written by `ml2tensor compile`").cause(e).build();
            case ORT_INVALID_GRAPH, ORT_INVALID_ARGUMENT -> Ml2TensorException.of(ErrorCode.INVALID_MODEL,
                            "ONNX Runtime rejected the model graph: " + msg)
                    .at(source).hint("recompile the model; if it came from ml2tensor this is a compiler defect").cause(e).build();
            case ORT_NOT_IMPLEMENTED -> Ml2TensorException.of(ErrorCode.UNSUPPORTED,
                            "ONNX Runtime cannot run an operator of this model: " + msg)
                    .at(source).hint("compile with a lower opset or a different strategy").cause(e).build();
            default -> Ml2TensorException.of(ErrorCode.RUNTIME, "ONNX Runtime failed to load the model: " + msg)
                    .at(source).cause(e).build();
        };
    }

    /** A failure while running a batch. */
    static Ml2TensorException running(OrtException e, String source) {
        return Ml2TensorException.of(ErrorCode.RUNTIME, "ONNX Runtime failed to run the model: " + firstLine(e.getMessage()))
                .at(source).cause(e).build();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
