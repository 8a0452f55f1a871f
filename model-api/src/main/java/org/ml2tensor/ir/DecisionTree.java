package org.ml2tensor.ir;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * One binary decision tree as node arrays (node 0 is the root). A node is a leaf iff
 * {@code left[i] == -1}; then {@code right[i] == -1} too and its feature/threshold are ignored.
 *
 * <p>Leaf values are stored flat: node {@code i} owns {@code values[i*valueWidth .. (i+1)*valueWidth)}.
 * When {@code valueWidth == 1} and {@code target >= 0} the leaf value adds to score column
 * {@code target} (one tree per class in gradient boosting); when {@code target == -1} the leaf vector adds
 * to all columns (random-forest classifiers, multi-output regression). Interior values are ignored.
 *
 * @param feature         feature index per node
 * @param threshold       numeric threshold per node (see the ensemble's {@link Comparison})
 * @param left            left child per node, -1 for leaves
 * @param right           right child per node, -1 for leaves
 * @param missingGoesLeft where NaN goes, per node
 * @param categorical     categorical split per node, null entries (or a null array) for numeric splits
 * @param values          leaf values, {@code nodes * valueWidth}
 * @param valueWidth      values per leaf
 * @param target          score column of a scalar tree, or -1 for vector leaves
 */
public record DecisionTree(int[] feature, double[] threshold, int[] left, int[] right,
                           boolean[] missingGoesLeft, CategoricalSplit[] categorical,
                           double[] values, int valueWidth, int target) {

    public DecisionTree {
        Objects.requireNonNull(feature, "feature");
        int n = feature.length;
        if (n == 0) {
            throw new IllegalArgumentException("a tree needs at least one node");
        }
        if (threshold.length != n || left.length != n || right.length != n || missingGoesLeft.length != n) {
            throw new IllegalArgumentException("node arrays differ in length");
        }
        if (categorical != null && categorical.length != n) {
            throw new IllegalArgumentException("categorical array differs in length");
        }
        if (valueWidth <= 0 || values.length != (long) n * valueWidth) {
            throw new IllegalArgumentException("values must hold nodes*valueWidth numbers");
        }
        if (target >= 0 && valueWidth != 1) {
            throw new IllegalArgumentException("a tree with a target column must have scalar leaves");
        }
        for (int i = 0; i < n; i++) {
            boolean leafL = left[i] < 0;
            boolean leafR = right[i] < 0;
            if (leafL != leafR) {
                throw new IllegalArgumentException("node " + i + " has exactly one child");
            }
            if (!leafL && (left[i] >= n || right[i] >= n || left[i] == i || right[i] == i)) {
                throw new IllegalArgumentException("node " + i + " has a child index out of range");
            }
        }
    }

    /** A tree that is a single leaf. */
    public static DecisionTree constant(double[] leafValue, int target) {
        return new DecisionTree(new int[]{0}, new double[]{0}, new int[]{-1}, new int[]{-1},
                new boolean[]{false}, null, leafValue.clone(), leafValue.length, target);
    }

    public int nodeCount() {
        return feature.length;
    }

    public boolean isLeaf(int node) {
        return left[node] < 0;
    }

    public boolean isCategorical(int node) {
        return categorical != null && categorical[node] != null;
    }

    public boolean hasCategoricalSplits() {
        if (categorical == null) {
            return false;
        }
        for (CategoricalSplit c : categorical) {
            if (c != null) {
                return true;
            }
        }
        return false;
    }

    /** Number of leaves. */
    public int leafCount() {
        int c = 0;
        for (int l : left) {
            if (l < 0) {
                c++;
            }
        }
        return c;
    }

    /**
     * Longest root-to-leaf path in edges (0 for a single leaf). Also verifies that the nodes form a tree
     * reachable from the root without cycles.
     */
    public int depth() {
        int n = nodeCount();
        int[] depthOf = new int[n];
        Arrays.fill(depthOf, -1);
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(0);
        depthOf[0] = 0;
        int max = 0;
        int visited = 0;
        while (!stack.isEmpty()) {
            int i = stack.pop();
            visited++;
            if (visited > n) {
                throw new IllegalArgumentException("tree nodes form a cycle or share children");
            }
            max = Math.max(max, depthOf[i]);
            if (!isLeaf(i)) {
                for (int c : new int[]{left[i], right[i]}) {
                    if (depthOf[c] >= 0) {
                        throw new IllegalArgumentException("node " + c + " is reached twice");
                    }
                    depthOf[c] = depthOf[i] + 1;
                    stack.push(c);
                }
            }
        }
        return max;
    }

    /** Value {@code k} of leaf {@code node}. */
    public double value(int node, int k) {
        return values[node * valueWidth + k];
    }
}
