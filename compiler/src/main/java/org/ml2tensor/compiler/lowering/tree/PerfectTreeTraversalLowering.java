package org.ml2tensor.compiler.lowering.tree;

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
 * PerfectTreeTraversal strategy, tree-major: every tree padded to a perfect tree of the ensemble's depth
 * D and stored level by level as {@code [T, 2^l]} tables. With the "true" child at the odd slot the
 * per-tree position at level {@code l+1} is {@code 2·position + decision}: no child tables. Lookups are
 * GatherElements over {@code [T, N]} positions; features come from the transposed input. A leaf above
 * level D is repeated down to level D (NaN threshold: the decision is always false).
 */
final class PerfectTreeTraversalLowering implements TreeStrategyPlugin {

    @Override
    public TreeStrategy strategy() {
        return TreeStrategy.PERFECT_TREE_TRAVERSAL;
    }

    @Override
    public FeatureLayout layout(TreeEnsemble e) {
        return new FeatureLayout(e);
    }

    @Override
    public List<TreeLimits.Table> tables(TreeEnsemble e, CompileOptions o, DType real) {
        int depth = e.maxDepth();
        if (depth == 0) {
            return new TreeTraversalLowering().tables(e, o, real);
        }
        if (depth > 26) {
            return List.of(new TreeLimits.Table("perfect padding to depth " + depth + " (at most 26)",
                    Long.MAX_VALUE, 1));
        }
        int w = new LeafTables(e).width();
        long trees = e.trees().size();
        // Per-level node tables hold T·(2^D - 1) entries, the decision-table form T·2^D (T dummy roots).
        long perfect = depth > 30 ? Long.MAX_VALUE : trees << depth;
        return List.of(
                new TreeLimits.Table("padded node+leaf table set (depth " + depth + ", "
                        + tableElements(e, w) + " elements)", tableElements(e, w), real.byteSize()),
                new TreeLimits.Table("padded node column table", perfect, 4),
                new TreeLimits.Table("padded child index table (each of two)", perfect, 4),
                new TreeLimits.Table("padded node threshold table", perfect, real.byteSize()),
                new TreeLimits.Table("padded leaf value table (" + trees + " trees × 2^" + depth + " × " + w + ")",
                        TreeLimits.times(perfect, w), real.byteSize()));
    }

    @Override
    public long bytesPerRow(TreeEnsemble e, CompileOptions o, DType real) {
        int trees = e.trees().size();
        int depth = e.maxDepth();
        if (depth > 0 && useDecisionTable(o, real, trees, depth)) {
            return decisionTableBytesPerRow(trees, depth, real.byteSize());
        }
        return traversalBytesPerRow(trees, new LeafTables(e).width(), real.byteSize());
    }

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
        if (useDecisionTable(ctx.options(), ctx.real(), trees, depth)) {
            return decisionTable(ctx, e, leaves, xt, columns, thresholds, leafValues);
        }
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

    /** Bytes of the live intermediates per row of a level-by-level traversal: a few [T] int/real tensors, the leaves. */
    static long traversalBytesPerRow(int trees, int leafWidth, int realBytes) {
        return (long) trees * (6L * 4 + 2L * realBytes + (long) leafWidth * realBytes);
    }

    /** Bytes of intermediates per input row of the decision-table form: x, decision and int32 decision per node. */
    static long decisionTableBytesPerRow(int trees, int depth, int realBytes) {
        return ((long) trees << depth) * (realBytes + 1 + 4);
    }

    /**
     * The decision-table form pays {@code T·2^D} comparisons per row instead of {@code T·D} gathers, and needs
     * 1 instead of 7 ops per level: it wins where op overhead dominates (small expected batches).
     */
    static boolean useDecisionTable(CompileOptions o, DType real, int trees, int depth) {
        if (depth > 26) {
            return false;
        }
        long perRow = decisionTableBytesPerRow(trees, depth, real.byteSize());
        int batch = o.expectedBatchSize();
        return batch <= 64 && perRow * batch <= (16L << 20);
    }

    /**
     * Decision-table form: every (padded) node's decision for every row in one Gather + compare, laid out
     * level-major with T leading dummy rows, so that with {@code h = global index + T} the next level is
     * {@code h = 2h + decision} for every tree at once. One Where turns the decisions into the child index
     * of every node ({@code next}); each level is then a single GatherElements {@code h = next[h]}.
     */
    private static Value decisionTable(LoweringContext ctx, TreeEnsemble e, LeafTables leaves, Value xt,
                                       int[][] columns, double[][] thresholds, double[] leafValues) {
        GraphBuilder g = ctx.graph();
        int trees = e.trees().size();
        int depth = columns.length;
        int rows = trees << depth;
        int[] allColumns = new int[rows];
        double[] allThresholds = new double[rows];
        java.util.Arrays.fill(allThresholds, 0, trees, Double.NaN);
        int at = trees;
        for (int l = 0; l < depth; l++) {
            System.arraycopy(columns[l], 0, allColumns, at, columns[l].length);
            System.arraycopy(thresholds[l], 0, allThresholds, at, thresholds[l].length);
            at += columns[l].length;
        }
        Value x = g.gather(xt, g.ints("ptt_all_columns", allColumns, rows), 0);
        Value th = NodeValues.thresholds(ctx, "ptt_all_thresholds", allThresholds, e.comparison(), rows, 1);
        int[] level0 = new int[trees];
        int[] leafBase = new int[trees];
        for (int t = 0; t < trees; t++) {
            level0[t] = trees + t;
            leafBase[t] = (trees + t) << depth;
        }
        // next[h] = the global index of node h's child on this row's path: 2h+1 (left, "true") or 2h. On the
        // last level the leaf base of the tree is subtracted in the constants, so the final lookup gives the
        // per-tree leaf position directly. One Where builds it for every node: no Cast, no index arithmetic.
        int[] left = new int[rows];
        int[] right = new int[rows];
        int last = trees << (depth - 1);
        for (int h = trees; h < rows; h++) {
            int base = h >= last ? leafBase[(h - last) >> (depth - 1)] : 0;
            left[h] = 2 * h + 1 - base;
            right[h] = 2 * h - base;
        }
        Value next = g.where(NodeValues.goesLeft(g, e.comparison(), x, th),
                g.ints("ptt_true_child", left, rows, 1), g.ints("ptt_false_child", right, rows, 1));
        Value position = g.gather(next, g.ints("ptt_level0", level0, trees), 0);
        for (int l = 1; l < depth; l++) {
            position = g.gatherElements(next, position, 0);
        }
        return leaves.aggregateTreeMajor(ctx,
                leaves.gatherTreeMajor(ctx, leafValues, 1 << depth, position, "ptt_leaf_values"));
    }

    /** Places {@code node} of tree {@code t} at position {@code pos} of {@code level} (tables are tree-major). */
    private static void fill(DecisionTree tree, int node, int level, int pos, int t, int depth, FeatureLayout layout,
                             int[][] columns, double[][] thresholds, double[] leafValues, LeafTables leaves) {
        if (level == depth) {
            leaves.leafRow(t, node, leafValues, ((t << depth) + pos) * leaves.width());
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
