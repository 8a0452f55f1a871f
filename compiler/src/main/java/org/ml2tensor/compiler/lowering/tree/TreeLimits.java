package org.ml2tensor.compiler.lowering.tree;

import java.util.List;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Size guards of the tree strategies. */
final class TreeLimits {
    private TreeLimits() {
    }

    /**
     * One table a strategy emits: {@code elements} values of {@code elementBytes} bytes each. With
     * {@code javaArray} the compiler builds it in one Java array, which caps its element count too.
     */
    record Table(String name, long elements, int elementBytes, boolean javaArray) {
        Table(String name, long elements, int elementBytes) {
            this(name, elements, elementBytes, true);
        }

        long bytes() {
            return times(elements, elementBytes);
        }
    }

    /** Null when every table fits {@code maxBytes} (and one Java array), else the first that does not. */
    static String overLimit(List<Table> tables, long maxBytes) {
        for (Table t : tables) {
            long bytes = t.bytes();
            if (bytes > maxBytes) {
                return "a " + t.name() + " of " + (bytes == Long.MAX_VALUE ? "more than 2^63" : bytes) + " bytes";
            }
            if (t.javaArray() && t.elements() >= Integer.MAX_VALUE - 8) {
                return "a " + t.name() + " of " + t.elements() + " elements (more than one Java array holds)";
            }
        }
        return null;
    }

    /** Throws {@link #tooLarge} when a table of {@code tables} exceeds {@code maxBytes}. */
    static void check(String strategy, List<Table> tables, long maxBytes) {
        String over = overLimit(tables, maxBytes);
        if (over != null) {
            throw tooLarge(strategy, over, maxBytes + " bytes (--max-tensor-bytes)");
        }
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
}
