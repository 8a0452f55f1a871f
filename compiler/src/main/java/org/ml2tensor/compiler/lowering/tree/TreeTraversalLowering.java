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
    static int slots(TreeEnsemble e) {
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
                new TreeLimits.Table("child index table (each of two, small batches)", cells, 4),
                new TreeLimits.Table("node threshold table", cells, real.byteSize()),
                new TreeLimits.Table("leaf value table (" + trees + " trees × " + m + " nodes × " + w + ")",
                        TreeLimits.times(cells, w), real.byteSize()));
    }

    @Override
    public long bytesPerRow(TreeEnsemble e, CompileOptions o, DType real) {
        if (e.maxDepth() > 0 && useDecisionTable(o, real, e.trees().size(), slots(e))) {
            return decisionTableBytesPerRow(e.trees().size(), slots(e), real.byteSize());
        }
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
        if (depth > 0 && useDecisionTable(ctx.options(), ctx.real(), trees, m)) {
            return decisionTable(ctx, e, leaves, xt, m, column, threshold, firstChild, values);
        }
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

    /** Bytes of intermediates per row of the decision-table form: x, decision and int32 child index per node. */
    static long decisionTableBytesPerRow(int trees, int slots, int realBytes) {
        return (long) trees * slots * (realBytes + 1 + 4);
    }

    /** As in {@link PerfectTreeTraversalLowering#useDecisionTable}: small expected batches, bounded tables. */
    static boolean useDecisionTable(CompileOptions o, DType real, int trees, int slots) {
        return o.expectedBatchSize() <= 64
                && (long) trees * slots * o.expectedBatchSize() <= PerfectTreeTraversalLowering.DECISION_TABLE_CELLS;
    }

    /**
     * Decision-table form for small batches: every node's child on this row's path, {@code next[g] =
     * x[column[g]] <= threshold[g] ? trueChild[g] : falseChild[g]} over global node ids {@code g = t·M + i},
     * built by one Gather, one compare and one Where; each level is then one GatherElements {@code g =
     * next[g]} (leaves point to themselves). 1 op per level instead of 7.
     */
    private static Value decisionTable(LoweringContext ctx, TreeEnsemble e, LeafTables leaves, Value xt, int m,
                                       int[] column, double[] threshold, int[] firstChild, double[] values) {
        GraphBuilder g = ctx.graph();
        int trees = e.trees().size();
        int cells = trees * m;
        int[] whenTrue = new int[cells];
        int[] whenFalse = new int[cells];
        for (int c = 0; c < cells; c++) {
            int base = c - c % m;
            boolean leaf = firstChild[c] == c - base;
            whenFalse[c] = base + firstChild[c];
            whenTrue[c] = leaf ? c : base + firstChild[c] + 1;
        }
        int[] roots = new int[trees];
        int[] offsets = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = t * m;
            offsets[t] = t * m;
        }
        Value x = g.gather(xt, g.ints("tt_all_columns", column, cells), 0);
        Value th = NodeValues.thresholds(ctx, "tt_all_thresholds", threshold, e.comparison(), cells, 1);
        Value next = g.where(NodeValues.goesLeft(g, e.comparison(), x, th),
                g.ints("tt_true_child", whenTrue, cells, 1), g.ints("tt_false_child", whenFalse, cells, 1));
        Value index = g.gather(next, g.ints("tt_roots", roots, trees), 0);
        for (int level = 1; level < e.maxDepth(); level++) {
            index = g.gatherElements(next, index, 0);
        }
        Value local = g.sub(index, g.ints("tt_node_offsets", offsets, trees, 1));
        return leaves.aggregateTreeMajor(ctx, leaves.gatherTreeMajor(ctx, values, m, local, "tt_leaf_values"));
    }
}
