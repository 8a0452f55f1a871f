package org.ml2tensor.compiler.lowering.tree;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;

/**
 * GEMM strategy (Hummingbird's formulation, with the one-hot feature MatMul replaced by a Gather so a
 * NaN in one feature cannot poison the others): all internal-node decisions of all trees in one
 * comparison {@code [N, T·I]}, then per tree {@code H = decisions · P} with the path matrix
 * {@code P ∈ {-1,0,1}^{I×L}}, the leaf whose path count matches selected by {@code H == D}, and leaf values
 * by {@code selection · E}.
 */
final class GemmLowering implements TreeStrategyPlugin {

    @Override
    public TreeStrategy strategy() {
        return TreeStrategy.GEMM;
    }

    @Override
    public FeatureLayout layout(TreeEnsemble e) {
        return new FeatureLayout(e);
    }

    /**
     * Node tables, the path matrix (block-diagonal in the dense form), path counts, leaf values, and the
     * intermediates at the expected batch size (they grow with it: GEMM is refused for batches they would
     * not fit).
     */
    @Override
    public List<TreeLimits.Table> tables(TreeEnsemble e, CompileOptions o, DType real) {
        Dimensions d = dimensions(e);
        int bytes = real.byteSize();
        long nodes = (long) d.trees() * d.internal();
        long leafSlots = (long) d.trees() * d.leaves();
        boolean dense = d.denseEntries() <= DENSE_LIMIT;
        return List.of(
                new TreeLimits.Table("node column table", nodes, 4),
                new TreeLimits.Table("node threshold table", nodes, bytes),
                dense ? new TreeLimits.Table("block path matrix (" + nodes + " × " + leafSlots + ")",
                        d.denseEntries(), bytes)
                        : new TreeLimits.Table("path matrix (" + d.trees() + " trees × " + d.internal()
                        + " internal nodes × " + d.leaves() + " leaves)", d.pathMatrixElements(), bytes),
                new TreeLimits.Table("path count table", leafSlots, bytes),
                new TreeLimits.Table("leaf value table (" + d.trees() + " trees × " + d.leaves() + " leaves × "
                        + d.outputs() + " outputs)", TreeLimits.times(leafSlots, d.outputs()), bytes),
                new TreeLimits.Table("intermediates at batch " + o.expectedBatchSize(),
                        TreeLimits.times(bytesPerRow(e, o, real), Math.max(1, o.expectedBatchSize())), 1, false));
    }

    @Override
    public long bytesPerRow(TreeEnsemble e, CompileOptions o, DType real) {
        Dimensions d = dimensions(e);
        if (d.denseEntries() <= DENSE_LIMIT) {
            return (long) d.trees() * (d.internal() + d.leaves()) * (real.byteSize() + 1) * 2;
        }
        return d.perRowElements() * real.byteSize();
    }

    /** Sizes of the padded GEMM tensors. */
    record Dimensions(int trees, int internal, int leaves, int outputs) {
        long pathMatrixElements() {
            return (long) trees * internal * leaves;
        }

        /** Elements of intermediates per input row. */
        long perRowElements() {
            return (long) trees * (2L * internal + 2L * leaves + outputs);
        }

        /** Entries of the block-diagonal path matrix {@code [T·I, T·L]} of the dense form. */
        long denseEntries() {
            return (long) trees * internal * trees * leaves;
        }
    }

    static Dimensions dimensions(TreeEnsemble e) {
        int internal = 1;
        int leaves = 1;
        for (DecisionTree t : e.trees()) {
            int l = t.leafCount();
            leaves = Math.max(leaves, l);
            internal = Math.max(internal, t.nodeCount() - l);
        }
        return new Dimensions(e.trees().size(), internal, leaves, e.outputWidth());
    }

    @Override
    public Value rawScores(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext) {
        GraphBuilder g = ctx.graph();
        Dimensions d = dimensions(e);
        int trees = d.trees();
        int ii = d.internal();
        int ll = d.leaves();
        int c = d.outputs();
        int[] columns = new int[trees * ii];
        double[] thresholds = new double[trees * ii];
        double[] paths = new double[trees * ii * ll];
        double[] pathCounts = new double[trees * ll];
        double[] leafValues = new double[trees * ll * c];
        java.util.Arrays.fill(thresholds, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(pathCounts, -1.0);
        LeafTables leavesTable = new LeafTables(e);
        for (int t = 0; t < trees; t++) {
            DecisionTree tree = e.trees().get(t);
            int[] internalIndex = new int[tree.nodeCount()];
            int nextInternal = 0;
            for (int i = 0; i < tree.nodeCount(); i++) {
                if (!tree.isLeaf(i)) {
                    internalIndex[i] = nextInternal;
                    columns[t * ii + nextInternal] = layout.column(tree, i);
                    thresholds[t * ii + nextInternal] = FeatureLayout.threshold(tree, i);
                    nextInternal++;
                }
            }
            // Depth-first walk recording, for each leaf, the decisions on its path.
            List<int[]> path = new ArrayList<>();
            int[] leafCounter = {0};
            walk(tree, 0, path, internalIndex, t, ii, ll, c, paths, pathCounts, leafValues, leafCounter, leavesTable);
        }
        Value x = g.gather(xext, g.ints("gemm_columns", columns, columns.length), 1);
        Value th = NodeValues.thresholds(ctx, "gemm_thresholds", thresholds, e.comparison(), thresholds.length);
        Value decisions = g.cast(NodeValues.goesLeft(g, e.comparison(), x, th), ctx.real());
        if (d.denseEntries() <= DENSE_LIMIT) {
            return dense(ctx, e, d, decisions, paths, pathCounts, leafValues);
        }
        Value perTree = g.transpose(
                g.reshape(decisions, new long[]{-1, trees, ii}, Shape.batch(trees, ii)), 1, 0, 2);
        Value h = g.matMul(perTree, g.reals("gemm_paths", ctx.real(), paths, trees, ii, ll));
        Value selected = g.cast(g.equal(h, g.reals("gemm_path_counts", ctx.real(), pathCounts, trees, 1, ll)),
                ctx.real());
        Value values = g.matMul(selected, g.reals("gemm_leaf_values", ctx.real(), leafValues, trees, ll, c));
        return leavesTable.addBase(ctx, g.reduceSum(values, 0, false));
    }

    /** Largest block-diagonal path matrix of the dense form (entries). */
    static final long DENSE_LIMIT = 1L << 21;

    /**
     * Dense form for small ensembles: one MatMul with the block-diagonal path matrix {@code [T·I, T·L]}, one
     * Equal, one MatMul with the stacked leaf values {@code [T·L, C]} that also sums over trees; the base
     * scores are folded into tree 0's leaves (each row selects exactly one of them). Seven ops in all, which
     * is what small batches pay for.
     */
    private static Value dense(LoweringContext ctx, TreeEnsemble e, Dimensions d, Value decisions, double[] paths,
                               double[] pathCounts, double[] leafValues) {
        GraphBuilder g = ctx.graph();
        int trees = d.trees();
        int ii = d.internal();
        int ll = d.leaves();
        int c = d.outputs();
        double[] block = new double[trees * ii * trees * ll];
        for (int t = 0; t < trees; t++) {
            for (int i = 0; i < ii; i++) {
                for (int l = 0; l < ll; l++) {
                    block[(t * ii + i) * (trees * ll) + t * ll + l] = paths[(t * ii + i) * ll + l];
                }
            }
        }
        double[] values = leafValues.clone();
        for (int l = 0; l < ll; l++) {
            for (int k = 0; k < c; k++) {
                values[l * c + k] += e.baseScores()[k];
            }
        }
        Value h = g.matMul(decisions, g.reals("gemm_block_paths", ctx.real(), block, (long) trees * ii, (long) trees * ll));
        Value selected = g.cast(g.equal(h, g.reals("gemm_path_counts", ctx.real(), pathCounts, (long) trees * ll)),
                ctx.real());
        return g.matMul(selected, g.reals("gemm_leaf_values", ctx.real(), values, (long) trees * ll, c));
    }

    private static void walk(DecisionTree tree, int node, List<int[]> path, int[] internalIndex, int t, int ii,
                             int ll, int c, double[] paths, double[] pathCounts, double[] leafValues,
                             int[] leafCounter, LeafTables leaves) {
        if (tree.isLeaf(node)) {
            int leaf = leafCounter[0]++;
            int lefts = 0;
            for (int[] step : path) {
                paths[(t * ii + step[0]) * ll + leaf] = step[1];
                if (step[1] > 0) {
                    lefts++;
                }
            }
            pathCounts[t * ll + leaf] = lefts;
            leaves.fullRow(tree, node, leafValues, (t * ll + leaf) * c);
            return;
        }
        path.add(new int[]{internalIndex[node], 1});
        walk(tree, tree.left()[node], path, internalIndex, t, ii, ll, c, paths, pathCounts, leafValues, leafCounter, leaves);
        path.get(path.size() - 1)[1] = -1;
        walk(tree, tree.right()[node], path, internalIndex, t, ii, ll, c, paths, pathCounts, leafValues, leafCounter, leaves);
        path.remove(path.size() - 1);
    }

}
