package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Size guards of the tree strategies. */
final class TreeLimits {
    private TreeLimits() {
    }

    static Ml2TensorException tooLarge(String strategy, String what, String limit) {
        return Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED,
                        "strategy " + strategy + " would need " + what + ", over the limit of " + limit)
                .at("--strategy " + strategy)
                .hint("use --strategy auto (it picks a strategy within limits) or tree-traversal, which has no padding")
                .build();
    }
}
