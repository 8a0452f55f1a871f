package org.ml2tensor.compiler.lowering.tree;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.Attribute;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.OpSchema;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The ONNX-ML {@code TreeEnsembleRegressor} emission (CPU-only in ONNX Runtime): used as the benchmark
 * baseline and, with {@code --target cpu-native}, as a candidate for CPU deployment. Numeric nodes read
 * the raw features and track missing values natively; categorical splits read the indicator columns of
 * {@link FeatureLayout}.
 */
final class NativeTreeEnsembleLowering implements TreeStrategyPlugin {

    @Override
    public TreeStrategy strategy() {
        return TreeStrategy.NATIVE;
    }

    /** ONNX-ML ops run on ONNX Runtime's CPU provider only. */
    @Override
    public boolean portable() {
        return false;
    }

    @Override
    public Unavailable unavailable(CompileOptions o, DType comparison) {
        if (o.target() != Target.CPU_NATIVE) {
            return new Unavailable("--strategy native emits an ONNX-ML TreeEnsemble node, which is not portable",
                    "add --target cpu-native, or choose a portable strategy");
        }
        if (comparison != DType.FLOAT) {
            return new Unavailable("the native ONNX-ML tree ensemble compares in float32, but this model's library"
                    + " compares float64 features with float64 thresholds",
                    "use a portable strategy, or --precision float32 to accept float32 comparisons");
        }
        return null;
    }

    /** The native node tracks missing values itself: no NaN→-inf copies of missing-left features. */
    @Override
    public FeatureLayout layout(TreeEnsemble e) {
        return new FeatureLayout(e, false);
    }

    /** The node attributes: int64 lists of one entry per node; the leaf weights: one per leaf and target. */
    @Override
    public List<TreeLimits.Table> tables(TreeEnsemble e, CompileOptions o, DType real) {
        long nodes = 0;
        long leafEntries = 0;
        for (DecisionTree tree : e.trees()) {
            nodes += tree.nodeCount();
            leafEntries += (long) tree.leafCount() * (tree.target() >= 0 ? 1 : e.outputWidth());
        }
        return List.of(new TreeLimits.Table("node attribute table", nodes, 8),
                new TreeLimits.Table("leaf weight table", leafEntries, 8));
    }

    /** The kernel keeps only the output row (and its float32 input copy). */
    @Override
    public long bytesPerRow(TreeEnsemble e, CompileOptions o, DType real) {
        return 0;
    }

    @Override
    public Value rawScores(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext) {
        if (ctx.comparison() != DType.FLOAT) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION,
                            "the native ONNX-ML tree ensemble compares in float32 only")
                    .at("--strategy native").hint("use --precision float32, or a portable strategy")
                    .build();
        }
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> targetTree = new ArrayList<>();
        List<Long> targetNode = new ArrayList<>();
        List<Long> targetId = new ArrayList<>();
        List<Float> targetWeight = new ArrayList<>();
        String branch = e.comparison() == Comparison.LESS_OR_EQUAL ? "BRANCH_LEQ" : "BRANCH_LT";
        int c = e.outputWidth();
        for (int t = 0; t < e.trees().size(); t++) {
            DecisionTree tree = e.trees().get(t);
            for (int i = 0; i < tree.nodeCount(); i++) {
                treeIds.add((long) t);
                nodeIds.add((long) i);
                if (tree.isLeaf(i)) {
                    featureIds.add(0L);
                    values.add(0f);
                    modes.add("LEAF");
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    if (tree.target() >= 0) {
                        addTarget(targetTree, targetNode, targetId, targetWeight, t, i, tree.target(), tree.value(i, 0));
                    } else {
                        for (int k = 0; k < c; k++) {
                            addTarget(targetTree, targetNode, targetId, targetWeight, t, i, k, tree.value(i, k));
                        }
                    }
                } else {
                    featureIds.add((long) layout.column(tree, i));
                    values.add(Thresholds.toFloat32(FeatureLayout.threshold(tree, i), e.comparison()));
                    modes.add(branch);
                    trueIds.add((long) tree.left()[i]);
                    falseIds.add((long) tree.right()[i]);
                    missingTrue.add(tree.missingGoesLeft()[i] && !tree.isCategorical(i) ? 1L : 0L);
                }
            }
        }
        float[] base = new float[c];
        for (int k = 0; k < c; k++) {
            base[k] = (float) e.baseScores()[k];
        }
        List<Attribute> attrs = List.of(
                Attribute.of("aggregate_function", "SUM"),
                Attribute.floats("base_values", base),
                Attribute.of("n_targets", c),
                Attribute.ints("nodes_falsenodeids", longs(falseIds)),
                Attribute.ints("nodes_featureids", longs(featureIds)),
                Attribute.ints("nodes_missing_value_tracks_true", longs(missingTrue)),
                Attribute.strings("nodes_modes", modes),
                Attribute.ints("nodes_nodeids", longs(nodeIds)),
                Attribute.ints("nodes_treeids", longs(treeIds)),
                Attribute.ints("nodes_truenodeids", longs(trueIds)),
                Attribute.floats("nodes_values", floats(values)),
                Attribute.of("post_transform", "NONE"),
                Attribute.ints("target_ids", longs(targetId)),
                Attribute.ints("target_nodeids", longs(targetNode)),
                Attribute.ints("target_treeids", longs(targetTree)),
                Attribute.floats("target_weights", floats(targetWeight)));
        return ctx.graph().custom(OpSchema.TREE_ENSEMBLE_REGRESSOR, List.of(xext), attrs, DType.FLOAT,
                Shape.batch(c));
    }

    private static void addTarget(List<Long> tree, List<Long> node, List<Long> id, List<Float> weight, int t, int i,
                                  int k, double v) {
        if (v == 0.0) {
            return;
        }
        tree.add((long) t);
        node.add((long) i);
        id.add((long) k);
        weight.add((float) v);
    }

    private static long[] longs(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static float[] floats(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
