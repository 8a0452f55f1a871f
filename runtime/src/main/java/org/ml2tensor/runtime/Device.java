package org.ml2tensor.runtime;

/** The device a {@link Predictor} is asked to run on. */
public enum Device {
    /** CUDA when a GPU and the CUDA 12 / cuDNN 9 libraries are present, otherwise CPU (with one notice). */
    AUTO,
    /** ONNX Runtime's CPU execution provider only. */
    CPU,
    /** The CUDA execution provider; fails with {@code PROVIDER_UNAVAILABLE} when it cannot be used. */
    CUDA
}
