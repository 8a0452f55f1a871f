package org.ml2tensor.compiler.lowering.tree;

import java.util.ArrayDeque;

import org.ml2tensor.compiler.ir.DecisionTree;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * TreeTraversal strategy: all trees' nodes in one flattened table where the two children of a node are
 * adjacent (the "false" child first), so one round is {@code index = firstChild[index] + decision}
 * with int32 indices. Leaves point to themselves with a NaN threshold (decision always false), so extra
 * rounds are harmless. Depth-many rounds, then one leaf gather and a sum over trees.
 */
final class TreeTraversalLowering implements TreeLowering {

    @Override
    public Value rawScores(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext) {
        GraphBuilder g = ctx.graph();
        int trees = e.trees().size();
        long total = 0;
        for (DecisionTree t : e.trees()) {
            total += t.nodeCount();
        }
        if (total >= Integer.MAX_VALUE / 2) {
            throw TreeLimits.tooLarge("tree-traversal", total + " nodes", "int32 node indices");
        }
        int n = (int) total;
        LeafTables leaves = new LeafTables(e);
        int w = leaves.width();
        int[] column = new int[n];
        double[] threshold = new double[n];
        int[] firstChild = new int[n];
        double[] values = new double[n * w];
        int[] roots = new int[trees];
        int next = 0;
        for (int t = 0; t < trees; t++) {
            DecisionTree tree = e.trees().get(t);
            int[] id = new int[tree.nodeCount()];
            roots[t] = next;
            id[0] = next++;
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(0);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                int gi = id[i];
                if (tree.isLeaf(i)) {
                    column[gi] = 0;
                    threshold[gi] = Double.NaN;
                    firstChild[gi] = gi;
                    leaves.leafRow(tree, i, values, gi * w);
                } else {
                    column[gi] = layout.column(tree, i);
                    threshold[gi] = FeatureLayout.threshold(tree, i);
                    firstChild[gi] = next;
                    id[tree.right()[i]] = next++;
                    id[tree.left()[i]] = next++;
                    queue.add(tree.right()[i]);
                    queue.add(tree.left()[i]);
                }
            }
        }
        int depth = e.maxDepth();
        Value index;
        if (depth == 0) {
            index = null;
        } else {
            // Round 0 reads the roots: constant columns and thresholds.
            int[] rootColumns = new int[trees];
            double[] rootThresholds = new double[trees];
            int[] rootChildren = new int[trees];
            for (int t = 0; t < trees; t++) {
                rootColumns[t] = column[roots[t]];
                rootThresholds[t] = threshold[roots[t]];
                rootChildren[t] = firstChild[roots[t]];
            }
            Value x0 = g.gather(xext, g.ints("tt_root_columns", rootColumns, trees), 1);
            Value d0 = NodeValues.goesLeft(g, e.comparison(), x0,
                    NodeValues.thresholds(ctx, "tt_root_thresholds", rootThresholds, e.comparison(), trees));
            index = g.add(g.ints("tt_root_children", rootChildren, trees), g.cast(d0, DType.INT32));
            if (depth > 1) {
                Value columns = g.ints("tt_columns", column, n);
                Value thresholds = NodeValues.thresholds(ctx, "tt_thresholds", threshold, e.comparison(), n);
                Value children = g.ints("tt_first_child", firstChild, n);
                for (int level = 1; level < depth; level++) {
                    Value xv = g.gatherElements(xext, g.gather(columns, index, 0), 1);
                    Value d = NodeValues.goesLeft(g, e.comparison(), xv, g.gather(thresholds, index, 0));
                    index = g.add(g.gather(children, index, 0), g.cast(d, DType.INT32));
                }
            }
        }
        Value table = w == 1 ? g.reals("tt_leaf_values", ctx.real(), values, n)
                : g.reals("tt_leaf_values", ctx.real(), values, n, w);
        if (index == null) {
            // Every tree is a single leaf: broadcast the root leaves to the batch.
            Value anyColumn = g.gather(xext, g.ints("tt_any_column", new int[]{0}, 1), 1);
            Value zeros = g.mul(g.cast(g.isNaN(anyColumn), ctx.real()), g.scalar(ctx.real(), 0));
            Value rootLeaves = g.gather(table, g.ints("tt_roots", roots, trees), 0);
            Value perRow = w == 1 ? g.add(zeros, rootLeaves) : g.add(g.unsqueeze(zeros, 2), rootLeaves);
            return leaves.aggregate(ctx, perRow);
        }
        return leaves.aggregate(ctx, g.gather(table, index, 0));
    }
}
