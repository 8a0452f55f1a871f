package org.ml2tensor.compiler.onnx;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Supported default-domain opsets and the IR version and {@code ai.onnx.ml} opset that go with each
 * (from the ONNX versioning table, docs/Versioning.md, checked against onnx.helper.VERSION_TABLE).
 */
public final class Opsets {
    /** Default opset: 17 (IR version 8), readable by older runtimes and Debian's onnx 1.12 checker. */
    public static final int DEFAULT = 17;
    public static final int MIN = 13;
    public static final int MAX = 21;

    private Opsets() {
    }

    /** The IR version to declare for a default-domain opset. */
    public static int irVersion(int opset) {
        check(opset);
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        return 10;
    }

    /**
     * The {@code ai.onnx.ml} opset released together with a default-domain opset, from ONNX's release table
     * (docs/Versioning.md; {@code onnx.helper.VERSION_TABLE}): ONNX 1.8–1.10 (opsets 13–15) ship
     * ai.onnx.ml 2, 1.11–1.14 (16–19) ship 3, 1.15 (20) ships 4, 1.16 (21) ships 5.
     */
    public static int mlOpset(int opset) {
        check(opset);
        if (opset <= 15) {
            return 2;
        }
        if (opset <= 19) {
            return 3;
        }
        return opset == 20 ? 4 : 5;
    }

    /**
     * The {@code ai.onnx.ml} opset to import for a graph whose ML-domain nodes are {@code TreeEnsembleRegressor}:
     * the released one, but at most 4, because ai.onnx.ml 5 deprecates TreeEnsembleRegressor in favour of
     * TreeEnsemble and ONNX Runtime refuses it there. Domains are versioned independently, so ai.onnx 21
     * with ai.onnx.ml 4 is a valid model.
     */
    public static int mlOpsetForTreeEnsembleRegressor(int opset) {
        return Math.min(mlOpset(opset), 4);
    }

    /** The {@code ai.onnx.ml} opset of a graph holding ai.onnx.ml 5's {@code TreeEnsemble}: 5, whatever the default-domain opset. */
    public static final int ML_OPSET_TREE_ENSEMBLE = 5;

    public static void check(int opset) {
        if (opset < MIN || opset > MAX) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "opset " + opset + " is not supported")
                    .at("--opset").hint("choose an opset between " + MIN + " and " + MAX + " (default " + DEFAULT + ")")
                    .build();
        }
    }
}
