package org.ml2tensor.compiler;

import java.util.Locale;

/** How tree ensembles are lowered. */
public enum TreeStrategy {
    /** Deterministic heuristic from depth, tree count, expected batch size and target device. */
    AUTO,
    /** Times the candidates on the target provider at the expected batch size and keeps the fastest. */
    TUNED,
    /** All node comparisons as one gathered comparison, leaf selection by path matrices (MatMul). */
    GEMM,
    /** Depth-many rounds of Gather/compare/index arithmetic over a flattened node table. */
    TREE_TRAVERSAL,
    /** Trees padded to perfect shape, index = 2·index + decision per level. */
    PERFECT_TREE_TRAVERSAL,
    /** ONNX-ML {@code TreeEnsemble*} node (CPU only in ONNX Runtime); only with {@code --target cpu-native}. */
    NATIVE;

    /** CLI spelling, e.g. {@code tree-traversal}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static TreeStrategy fromCli(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
