package org.ml2tensor.importers;

import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Checks every importer applies to the trees it builds. */
public final class TreeChecks {
    /**
     * Deepest tree accepted (root-to-leaf edges). Tree strategies evaluate one level per step, so a
     * deeper tree (a 200k-node chain) would compile to an enormous graph and predict one level at a time.
     */
    public static final int MAX_DEPTH = 4096;

    private TreeChecks() {
    }

    /**
     * Verifies that {@code tree} is a tree (no cycles, no shared children; iteratively, whatever its
     * depth) no deeper than {@link #MAX_DEPTH}, and returns its depth.
     *
     * @param at where the tree is, for the message
     * @throws IllegalArgumentException when the nodes do not form a tree
     */
    public static int depth(DecisionTree tree, String at) {
        int depth = tree.depth();
        if (depth > MAX_DEPTH) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "a tree of depth " + depth
                            + " is deeper than the limit of " + MAX_DEPTH)
                    .at(at)
                    .hint("no library trains such trees on real data; retrain with a max_depth (or num_leaves) bound")
                    .build();
        }
        return depth;
    }
}
