package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * Leaf values and their aggregation into raw scores. In <em>scalar</em> form (every tree adds one
 * number to one score column, as in gradient boosting) a leaf is one number and per-column sums are a
 * MatMul with a tree→column assignment matrix; in <em>vector</em> form (random-forest classifiers,
 * multi-output trees) a leaf is a row of {@code C} numbers summed over trees.
 */
final class LeafTables {
    private final TreeEnsemble ensemble;
    private final boolean scalar;
    /** The tree whose leaves carry base score k (-1: not folded), so no separate Add is needed. */
    private final int[] baseCarrier;
    private final boolean baseFolded;

    LeafTables(TreeEnsemble ensemble) {
        this.ensemble = ensemble;
        boolean allTargeted = true;
        for (DecisionTree t : ensemble.trees()) {
            allTargeted &= t.target() >= 0;
        }
        this.scalar = allTargeted || ensemble.outputWidth() == 1;
        int c = ensemble.outputWidth();
        baseCarrier = new int[c];
        java.util.Arrays.fill(baseCarrier, -1);
        for (int t = 0; t < ensemble.trees().size(); t++) {
            int target = ensemble.trees().get(t).target();
            for (int k = 0; k < c; k++) {
                if (baseCarrier[k] < 0 && (target == k || target < 0)) {
                    baseCarrier[k] = t;
                }
            }
        }
        boolean all = true;
        for (int k : baseCarrier) {
            all &= k >= 0;
        }
        baseFolded = all;
    }

    /**
     * Base score added to column {@code k} of the leaves of tree {@code t} (folded into the first
     * contributor). Trees are identified by their index, never by identity: an ensemble may hold one
     * {@link DecisionTree} instance many times, and each occurrence is a separate tree.
     */
    private double base(int t, int k) {
        return baseFolded && baseCarrier[k] == t ? ensemble.baseScores()[k] : 0.0;
    }

    /** Numbers per leaf: 1 in scalar form, {@code C} in vector form. */
    int width() {
        return scalar ? 1 : ensemble.outputWidth();
    }

    boolean scalar() {
        return scalar;
    }

    /**
     * Writes the leaf row of {@code node} of tree number {@code t} into {@code out} at {@code offset}
     * ({@link #width()} numbers).
     */
    void leafRow(int t, int node, double[] out, int offset) {
        DecisionTree tree = ensemble.trees().get(t);
        if (scalar) {
            int k = Math.max(0, tree.target());
            out[offset] = tree.value(node, 0) + base(t, k);
        } else if (tree.target() >= 0) {
            java.util.Arrays.fill(out, offset, offset + width(), 0.0);
            out[offset + tree.target()] = tree.value(node, 0) + base(t, tree.target());
        } else {
            for (int k = 0; k < width(); k++) {
                out[offset + k] = tree.value(node, k) + base(t, k);
            }
        }
    }

    /** Writes the full-width ({@code C}) leaf row, whatever the form (used by GEMM). */
    void fullRow(DecisionTree tree, int node, double[] out, int offset) {
        int c = ensemble.outputWidth();
        if (tree.target() >= 0) {
            java.util.Arrays.fill(out, offset, offset + c, 0.0);
            out[offset + tree.target()] = tree.value(node, 0);
        } else {
            for (int k = 0; k < c; k++) {
                out[offset + k] = tree.value(node, k);
            }
        }
    }

    /**
     * Sums gathered leaves into raw scores {@code [N, C]}: {@code leaves} is {@code [N, T]} in scalar
     * form or {@code [N, T, C]} in vector form.
     */
    Value aggregate(LoweringContext ctx, Value leaves) {
        GraphBuilder g = ctx.graph();
        int c = ensemble.outputWidth();
        int trees = ensemble.trees().size();
        Value raw;
        if (!scalar) {
            raw = g.reduceSum(leaves, 1, false);
        } else if (c == 1) {
            raw = g.reduceSum(leaves, 1, true);
        } else {
            double[] assign = new double[trees * c];
            for (int t = 0; t < trees; t++) {
                assign[t * c + ensemble.trees().get(t).target()] = 1.0;
            }
            raw = g.matMul(leaves, g.reals("tree_to_column", ctx.real(), assign, trees, c));
        }
        return addBaseUnlessFolded(ctx, raw);
    }

    /**
     * Sums tree-major leaves into raw scores {@code [N, C]}: {@code leaves} is {@code [T, N]} in scalar
     * form or {@code [T, N, C]} in vector form.
     */
    Value aggregateTreeMajor(LoweringContext ctx, Value leaves) {
        GraphBuilder g = ctx.graph();
        int c = ensemble.outputWidth();
        int trees = ensemble.trees().size();
        Value raw;
        if (!scalar) {
            raw = g.reduceSum(leaves, 0, false);
        } else if (c == 1) {
            raw = g.transpose(g.reduceSum(leaves, 0, true), 1, 0);
        } else {
            double[] assign = new double[c * trees];
            for (int t = 0; t < trees; t++) {
                assign[ensemble.trees().get(t).target() * trees + t] = 1.0;
            }
            raw = g.transpose(g.matMul(g.reals("column_from_tree", ctx.real(), assign, c, trees), leaves), 1, 0);
        }
        return addBaseUnlessFolded(ctx, raw);
    }

    /**
     * Gathers the leaves reached: {@code table} holds {@code slots} leaf rows per tree ({@code [T, slots]}
     * scalars or {@code [T·slots, C]} rows), {@code index} the per-tree slot {@code [T, N]}.
     */
    Value gatherTreeMajor(LoweringContext ctx, double[] table, int slots, Value index, String hint) {
        GraphBuilder g = ctx.graph();
        int trees = ensemble.trees().size();
        if (scalar) {
            return g.gatherElements(g.reals(hint, ctx.real(), table, trees, slots), index, 1);
        }
        int[] offsets = new int[trees];
        for (int t = 0; t < trees; t++) {
            offsets[t] = t * slots;
        }
        Value global = g.add(index, g.ints(hint + "_offsets", offsets, trees, 1));
        return g.gather(g.reals(hint, ctx.real(), table, (long) trees * slots, width()), global, 0);
    }

    /** Adds the base scores unless {@link #leafRow} already folded them into the leaves. */
    Value addBaseUnlessFolded(LoweringContext ctx, Value raw) {
        return baseFolded ? raw : addBase(ctx, raw);
    }

    /** Adds the base scores (when any is non-zero). */
    Value addBase(LoweringContext ctx, Value raw) {
        double[] base = ensemble.baseScores();
        boolean zero = true;
        for (double b : base) {
            zero &= b == 0.0;
        }
        if (zero) {
            return raw;
        }
        return ctx.graph().add(raw, ctx.graph().reals("base_scores", ctx.real(), base, base.length));
    }
}
