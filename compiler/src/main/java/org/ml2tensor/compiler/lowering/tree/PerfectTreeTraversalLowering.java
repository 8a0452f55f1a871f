package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.compiler.ir.DecisionTree;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * PerfectTreeTraversal strategy, tree-major: every tree padded to a perfect tree of the ensemble's depth
 * D and stored level by level as {@code [T, 2^l]} tables. With the "true" child at the odd slot the
 * per-tree position at level {@code l+1} is {@code 2·position + decision}: no child tables. Lookups are
 * GatherElements over {@code [T, N]} positions; features come from the transposed input. A leaf above
 * level D is repeated down to level D (NaN threshold: the decision is always false).
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
        Value xt = g.transpose(xext, 1, 0);
        Value x0 = g.gather(xt, g.ints("ptt_columns_0", columns[0], trees), 0);
        Value d0 = NodeValues.goesLeft(g, e.comparison(), x0,
                NodeValues.thresholds(ctx, "ptt_thresholds_0", thresholds[0], e.comparison(), trees, 1));
        Value position = g.cast(d0, DType.INT32);
        for (int l = 1; l < depth; l++) {
            int width = 1 << l;
            Value col = g.gatherElements(g.ints("ptt_columns_" + l, columns[l], trees, width), position, 1);
            Value th = g.gatherElements(NodeValues.thresholds(ctx, "ptt_thresholds_" + l, thresholds[l],
                    e.comparison(), trees, width), position, 1);
            Value d = NodeValues.goesLeft(g, e.comparison(), g.gatherElements(xt, col, 0), th);
            position = g.add(g.add(position, position), g.cast(d, DType.INT32));
        }
        return leaves.aggregateTreeMajor(ctx,
                leaves.gatherTreeMajor(ctx, leafValues, 1 << depth, position, "ptt_leaf_values"));
    }

    /** Places {@code node} of tree {@code t} at position {@code pos} of {@code level} (tables are tree-major). */
    private static void fill(DecisionTree tree, int node, int level, int pos, int t, int depth, FeatureLayout layout,
                             int[][] columns, double[][] thresholds, double[] leafValues, LeafTables leaves) {
        if (level == depth) {
            leaves.leafRow(tree, node, leafValues, ((t << depth) + pos) * leaves.width());
            return;
        }
        int cell = (t << level) + pos;
        if (tree.isLeaf(node)) {
            columns[level][cell] = 0;
            thresholds[level][cell] = Double.NaN;
            fill(tree, node, level + 1, 2 * pos, t, depth, layout, columns, thresholds, leafValues, leaves);
            fill(tree, node, level + 1, 2 * pos + 1, t, depth, layout, columns, thresholds, leafValues, leaves);
        } else {
            columns[level][cell] = layout.column(tree, node);
            thresholds[level][cell] = FeatureLayout.threshold(tree, node);
            fill(tree, tree.right()[node], level + 1, 2 * pos, t, depth, layout, columns, thresholds, leafValues, leaves);
            fill(tree, tree.left()[node], level + 1, 2 * pos + 1, t, depth, layout, columns, thresholds, leafValues,
                    leaves);
        }
    }
}
