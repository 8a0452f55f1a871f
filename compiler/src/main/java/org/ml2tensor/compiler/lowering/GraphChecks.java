package org.ml2tensor.compiler.lowering;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Errors raised by lowerings. */
public final class GraphChecks {
    private GraphChecks() {
    }

    /** An internal inconsistency: the IR passed validation but cannot be lowered. */
    public static Ml2TensorException defect(String message) {
        return Ml2TensorException.of(ErrorCode.GRAPH, message)
                .hint("this is a defect of the ml2tensor compiler; please report it with the model").build();
    }
}
