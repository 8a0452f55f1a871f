package org.ml2tensor.compiler;

/** What the produced ONNX file may contain. */
public enum Target {
    /** Default-domain ONNX ops only: runs on every runtime and execution provider (CUDA included). */
    PORTABLE,
    /** May also use {@code ai.onnx.ml} TreeEnsemble nodes, which ONNX Runtime runs on the CPU only. */
    CPU_NATIVE;

    public String cliName() {
        return this == PORTABLE ? "portable" : "cpu-native";
    }
}
