package org.ml2tensor.runtime;

/** The execution provider a {@link Predictor} actually uses. */
public enum Provider {
    /** ONNX Runtime's CPU execution provider. */
    CPU,
    /** ONNX Runtime's CUDA execution provider (nodes without CUDA kernels still run on CPU). */
    CUDA
}
