package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.compiler.ir.DecisionTree;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * PerfectTreeTraversal strategy: every tree padded to a perfect tree of the ensemble's depth D and
 * stored level by level, all trees of a level in one table. With the "true" child at the odd slot the
 * index of level {@code l+1} is {@code 2·index + decision}, and because tree {@code t}'s nodes of level l
 * start at {@code t·2^l} that index is global: no per-tree offsets, no child tables. A leaf above level
 * D is repeated down to level D (NaN threshold: the decision is always false).
 */
final class PerfectTreeTraversalLowering implements TreeLowering {

    /** Table elements a perfect layout needs: nodes {@code T·(2^D - 1)} plus leaves {@code T·2^D·w}. */
    static long tableElements(TreeEnsemble e, int leafWidth) {
        int d = e.maxDepth();
        if (d > 30) {
            return Long.MAX_VALUE;
        }
        long t = e.trees().size();
        return t * ((1L << d) - 1) + t * (1L << d) * leafWidth;
    }

    @Override
    public Value rawScores(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext) {
        GraphBuilder g = ctx.graph();
        int trees = e.trees().size();
        int depth = e.maxDepth();
        if (depth == 0) {
            return new TreeTraversalLowering().rawScores(ctx, e, layout, xext);
        }
        LeafTables leaves = new LeafTables(e);
        int w = leaves.width();
        long elements = tableElements(e, w);
        long limit = Math.max(1, ctx.options().maxTensorBytes() / ctx.real().byteSize());
        if (elements > limit || depth > 26) {
            throw TreeLimits.tooLarge("perfect-tree-traversal",
                    "padded tables of " + elements + " elements (depth " + depth + ")",
                    limit + " elements (--max-tensor-bytes)");
        }
        int[][] columns = new int[depth][];
        double[][] thresholds = new double[depth][];
        for (int l = 0; l < depth; l++) {
            columns[l] = new int[trees << l];
            thresholds[l] = new double[trees << l];
        }
        double[] leafValues = new double[(trees << depth) * w];
        for (int t = 0; t < trees; t++) {
            fill(e.trees().get(t), 0, 0, 0, t, depth, layout, columns, thresholds, leafValues, leaves);
        }
        Value index = null;
        for (int l = 0; l < depth; l++) {
            Value d;
            if (l == 0) {
                Value x0 = g.gather(xext, g.ints("ptt_columns_0", columns[0], trees), 1);
                d = NodeValues.goesLeft(g, e.comparison(), x0,
                        NodeValues.thresholds(ctx, "ptt_thresholds_0", thresholds[0], e.comparison(), trees));
                int[] base = new int[trees];
                for (int t = 0; t < trees; t++) {
                    base[t] = 2 * t;
                }
                index = g.add(g.ints("ptt_level1_base", base, trees), g.cast(d, DType.INT32));
            } else {
                int size = trees << l;
                Value col = g.gather(g.ints("ptt_columns_" + l, columns[l], size), index, 0);
                Value th = g.gather(NodeValues.thresholds(ctx, "ptt_thresholds_" + l, thresholds[l], e.comparison(),
                        size), index, 0);
                d = NodeValues.goesLeft(g, e.comparison(), g.gatherElements(xext, col, 1), th);
                index = g.add(g.add(index, index), g.cast(d, DType.INT32));
            }
        }
        int leafCount = trees << depth;
        Value table = w == 1 ? g.reals("ptt_leaf_values", ctx.real(), leafValues, leafCount)
                : g.reals("ptt_leaf_values", ctx.real(), leafValues, leafCount, w);
        return leaves.aggregate(ctx, g.gather(table, index, 0));
    }

    /** Places {@code node} of tree {@code t} at local position {@code pos} of {@code level}. */
    private static void fill(DecisionTree tree, int node, int level, int pos, int t, int depth, FeatureLayout layout,
                             int[][] columns, double[][] thresholds, double[] leafValues, LeafTables leaves) {
        if (level == depth) {
            leaves.leafRow(tree, node, leafValues, ((t << depth) + pos) * leaves.width());
            return;
        }
        int global = (t << level) + pos;
        if (tree.isLeaf(node)) {
            columns[level][global] = 0;
            thresholds[level][global] = Double.NaN;
            fill(tree, node, level + 1, 2 * pos, t, depth, layout, columns, thresholds, leafValues, leaves);
            fill(tree, node, level + 1, 2 * pos + 1, t, depth, layout, columns, thresholds, leafValues, leaves);
        } else {
            columns[level][global] = layout.column(tree, node);
            thresholds[level][global] = FeatureLayout.threshold(tree, node);
            fill(tree, tree.right()[node], level + 1, 2 * pos, t, depth, layout, columns, thresholds, leafValues, leaves);
            fill(tree, tree.left()[node], level + 1, 2 * pos + 1, t, depth, layout, columns, thresholds, leafValues,
                    leaves);
        }
    }
}
