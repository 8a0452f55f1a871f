package org.ml2tensor.compiler;

/** The device a compiled model is expected to run on; steers the automatic strategy choice. */
public enum DeviceHint {
    CPU,
    CUDA
}
