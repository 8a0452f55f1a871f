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

    /** {@code a × b} for non-negative factors, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    static long times(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /**
     * Refuses a constant table of {@code elements} values of {@code elementBytes} bytes each when it exceeds
     * {@code maxBytes} (--max-tensor-bytes) or one Java array; 64-bit, saturating arithmetic.
     */
    static void checkTable(String strategy, String table, long elements, int elementBytes, long maxBytes) {
        long bytes = times(elements, elementBytes);
        if (bytes > maxBytes) {
            throw tooLarge(strategy, "a " + table + " table of " + (bytes == Long.MAX_VALUE ? "more than 2^63" : bytes)
                    + " bytes", maxBytes + " bytes (--max-tensor-bytes)");
        }
        if (elements >= Integer.MAX_VALUE - 8) {
            throw tooLarge(strategy, "a " + table + " table of " + elements + " elements",
                    (Integer.MAX_VALUE - 8) + " elements (one Java array)");
        }
    }
}
