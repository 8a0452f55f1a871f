package org.ml2tensor.serve;

/** The {@code platform} the protocol's model metadata reports. */
public final class ModelPlatform {
    /** Triton's name for ONNX Runtime models, which v2 clients recognise. */
    public static final String NAME = "onnxruntime_onnx";

    private ModelPlatform() {
    }
}
