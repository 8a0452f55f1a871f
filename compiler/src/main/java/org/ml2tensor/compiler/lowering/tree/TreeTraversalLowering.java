package org.ml2tensor.compiler.lowering.tree;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.TreeStrategy;

import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * TreeTraversal strategy, tree-major: per-tree node tables {@code [T, M]} (M = largest tree) in which the
 * two children of a node are adjacent ("false" child first), and a per-tree node index {@code [T, N]}.
 * One round is {@code index = firstChild[t, index] + (x[column[t, index]] <= threshold[t, index])}, where
 * every lookup is a GatherElements (typed, vectorised in ONNX Runtime; a 1-D Gather copies element by
 * element) and features are read from the transposed input {@code [F', N]}. Leaves point to themselves
 * with a NaN threshold (decision always false), so rounds beyond a leaf's depth are harmless.
 */
final class TreeTraversalLowering implements TreeStrategyPlugin {

    @Override
    public TreeStrategy strategy() {
        return TreeStrategy.TREE_TRAVERSAL;
    }

    @Override
    public FeatureLayout layout(TreeEnsemble e) {
        return new FeatureLayout(e);
    }

    /** Nodes of the largest tree: every per-tree table has this many slots. */
    private static int slots(TreeEnsemble e) {
        int m = 0;
        for (DecisionTree t : e.trees()) {
            m = Math.max(m, t.nodeCount());
        }
        return m;
    }

    @Override
    public List<TreeLimits.Table> tables(TreeEnsemble e, CompileOptions o, DType real) {
        long trees = e.trees().size();
        int m = slots(e);
        long cells = trees * m;
        int w = new LeafTables(e).width();
        return List.of(
                new TreeLimits.Table("node column table", cells, 4),
                new TreeLimits.Table("first child table", cells, 4),
                new TreeLimits.Table("node threshold table", cells, real.byteSize()),
                new TreeLimits.Table("leaf value table (" + trees + " trees × " + m + " nodes × " + w + ")",
                        TreeLimits.times(cells, w), real.byteSize()));
    }

    @Override
    public long bytesPerRow(TreeEnsemble e, CompileOptions o, DType real) {
        return PerfectTreeTraversalLowering.traversalBytesPerRow(e.trees().size(), new LeafTables(e).width(),
                real.byteSize());
    }

    @Override
    public Value rawScores(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext) {
        GraphBuilder g = ctx.graph();
        int trees = e.trees().size();
        int m = 0;
        for (DecisionTree t : e.trees()) {
            m = Math.max(m, t.nodeCount());
        }
        LeafTables leaves = new LeafTables(e);
        int w = leaves.width();
        int[] column = new int[trees * m];
        double[] threshold = new double[trees * m];
        int[] firstChild = new int[trees * m];
        double[] values = new double[trees * m * w];
        Arrays.fill(threshold, Double.NaN);
        for (int t = 0; t < trees; t++) {
            DecisionTree tree = e.trees().get(t);
            int base = t * m;
            for (int i = 0; i < m; i++) {
                firstChild[base + i] = i;
            }
            int[] id = new int[tree.nodeCount()];
            int next = 1;
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(0);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                int local = id[i];
                if (tree.isLeaf(i)) {
                    leaves.leafRow(t, i, values, (base + local) * w);
                } else {
                    column[base + local] = layout.column(tree, i);
                    threshold[base + local] = FeatureLayout.threshold(tree, i);
                    firstChild[base + local] = next;
                    id[tree.right()[i]] = next++;
                    id[tree.left()[i]] = next++;
                    queue.add(tree.right()[i]);
                    queue.add(tree.left()[i]);
                }
            }
        }
        int depth = e.maxDepth();
        Value xt = g.transpose(xext, 1, 0);
        Value index;
        int[] rootColumns = new int[trees];
        double[] rootThresholds = new double[trees];
        int[] rootChildren = new int[trees];
        for (int t = 0; t < trees; t++) {
            rootColumns[t] = column[t * m];
            rootThresholds[t] = threshold[t * m];
            rootChildren[t] = firstChild[t * m];
        }
        // Round 0 reads the roots: constant columns and thresholds, one Gather of whole input rows.
        Value x0 = g.gather(xt, g.ints("tt_root_columns", rootColumns, trees), 0);
        Value d0 = NodeValues.goesLeft(g, e.comparison(), x0,
                NodeValues.thresholds(ctx, "tt_root_thresholds", rootThresholds, e.comparison(), trees, 1));
        index = g.add(g.ints("tt_root_children", rootChildren, trees, 1), g.cast(d0, DType.INT32));
        if (depth > 1) {
            Value columns = g.ints("tt_columns", column, trees, m);
            Value thresholds = NodeValues.thresholds(ctx, "tt_thresholds", threshold, e.comparison(), trees, m);
            Value children = g.ints("tt_first_child", firstChild, trees, m);
            for (int level = 1; level < depth; level++) {
                Value xv = g.gatherElements(xt, g.gatherElements(columns, index, 1), 0);
                Value d = NodeValues.goesLeft(g, e.comparison(), xv, g.gatherElements(thresholds, index, 1));
                index = g.add(g.gatherElements(children, index, 1), g.cast(d, DType.INT32));
            }
        }
        return leaves.aggregateTreeMajor(ctx, leaves.gatherTreeMajor(ctx, values, m, index, "tt_leaf_values"));
    }
}
