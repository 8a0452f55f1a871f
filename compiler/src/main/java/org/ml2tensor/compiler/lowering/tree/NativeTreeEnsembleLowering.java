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
        if (ctx.comparison() == DType.DOUBLE) {
            return rawScoresFloat64(ctx, e, layout, xext);
        }
        if (ctx.comparison() != DType.FLOAT) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION,
                            "the native ONNX-ML tree ensemble compares in float32 or float64 only")
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

    /**
     * A library that compares float64 features with float64 thresholds and sums in float64 (LightGBM,
     * HistGradientBoosting): ai.onnx.ml 5's {@code TreeEnsemble} on float64 input, with float64 thresholds
     * ({@code nodes_splits}) and leaf weights, summing in float64 in tree order from zero (ONNX Runtime's kernel
     * adds each tree's leaf to the running score, tree by tree). The base scores are folded into the leaves of the
     * first tree of each column, as the library adds them first ({@code (base + t0) + t1 + …}); every tree must
     * add one number to one column. A tree that is one leaf gets a split on feature 0 whose two leaves are equal.
     */
    private static Value rawScoresFloat64(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext) {
        int c = e.outputWidth();
        for (DecisionTree tree : e.trees()) {
            if (tree.valueWidth() != 1 || (tree.target() < 0 && c != 1)) {
                throw Ml2TensorException.of(ErrorCode.UNSUPPORTED,
                                "the float64 native tree ensemble needs trees that each add one number to one column")
                        .at("--strategy native").hint("use a portable strategy").build();
            }
        }
        boolean[] baseDone = new boolean[c];
        List<Long> roots = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Double> splits = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> trueLeaf = new ArrayList<>();
        List<Long> falseLeaf = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> leafTargets = new ArrayList<>();
        List<Double> leafWeights = new ArrayList<>();
        byte mode = (byte) (e.comparison() == Comparison.LESS_OR_EQUAL ? 0 : 1); // BRANCH_LEQ / BRANCH_LT
        for (int t = 0; t < e.trees().size(); t++) {
            DecisionTree tree = e.trees().get(t);
            int k = Math.max(0, tree.target());
            double base = baseDone[k] ? 0.0 : e.baseScores()[k];
            baseDone[k] = true;
            roots.add((long) featureIds.size());
            if (tree.isLeaf(0)) {
                double w = tree.value(0, 0) + base;
                featureIds.add(0L);
                splits.add(0.0);
                missingTrue.add(0L);
                trueLeaf.add(1L);
                falseLeaf.add(1L);
                trueIds.add((long) leafWeights.size());
                leafTargets.add((long) k);
                leafWeights.add(w);
                falseIds.add((long) leafWeights.size());
                leafTargets.add((long) k);
                leafWeights.add(w);
                continue;
            }
            // interior nodes of this tree in index order get consecutive global node ids, leaves global leaf ids
            int n = tree.nodeCount();
            long[] global = new long[n];
            long nextNode = featureIds.size();
            long nextLeaf = leafWeights.size();
            for (int i = 0; i < n; i++) {
                global[i] = tree.isLeaf(i) ? nextLeaf++ : nextNode++;
            }
            for (int i = 0; i < n; i++) {
                if (tree.isLeaf(i)) {
                    continue;
                }
                int l = tree.left()[i];
                int r = tree.right()[i];
                featureIds.add((long) layout.column(tree, i));
                splits.add(FeatureLayout.threshold(tree, i));
                missingTrue.add(tree.missingGoesLeft()[i] && !tree.isCategorical(i) ? 1L : 0L);
                trueIds.add(global[l]);
                trueLeaf.add(tree.isLeaf(l) ? 1L : 0L);
                falseIds.add(global[r]);
                falseLeaf.add(tree.isLeaf(r) ? 1L : 0L);
            }
            for (int i = 0; i < n; i++) {
                if (tree.isLeaf(i)) {
                    leafTargets.add((long) k);
                    leafWeights.add(tree.value(i, 0) + base);
                }
            }
        }
        for (int k = 0; k < c; k++) {
            if (!baseDone[k] && e.baseScores()[k] != 0.0) {
                throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "column " + k + " has a base score but no tree")
                        .at("--strategy native").hint("use a portable strategy").build();
            }
        }
        byte[] modes = new byte[featureIds.size()];
        java.util.Arrays.fill(modes, mode);
        List<Attribute> attrs = List.of(
                Attribute.of("aggregate_function", 1L),
                Attribute.ints("leaf_targetids", longs(leafTargets)),
                Attribute.tensor("leaf_weights", doubleTensor("leaf_weights", leafWeights)),
                Attribute.of("n_targets", c),
                Attribute.ints("nodes_falseleafs", longs(falseLeaf)),
                Attribute.ints("nodes_falsenodeids", longs(falseIds)),
                Attribute.ints("nodes_featureids", longs(featureIds)),
                Attribute.ints("nodes_missing_value_tracks_true", longs(missingTrue)),
                Attribute.tensor("nodes_modes", org.ml2tensor.onnx.proto.OnnxMl.TensorProto.newBuilder()
                        .setName("nodes_modes").setDataType(org.ml2tensor.onnx.proto.OnnxMl.TensorProto.DataType.UINT8_VALUE)
                        .addDims(modes.length).setRawData(com.google.protobuf.ByteString.copyFrom(modes)).build()),
                Attribute.tensor("nodes_splits", doubleTensor("nodes_splits", splits)),
                Attribute.ints("nodes_trueleafs", longs(trueLeaf)),
                Attribute.ints("nodes_truenodeids", longs(trueIds)),
                Attribute.of("post_transform", 0L),
                Attribute.ints("tree_roots", longs(roots)));
        Value x = xext.dtype() == DType.DOUBLE ? xext : ctx.graph().cast(xext, DType.DOUBLE);
        return ctx.graph().custom(OpSchema.TREE_ENSEMBLE, List.of(x), attrs, DType.DOUBLE, Shape.batch(c));
    }

    private static org.ml2tensor.onnx.proto.OnnxMl.TensorProto doubleTensor(String name, List<Double> values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.size() * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        values.forEach(b::putDouble);
        return org.ml2tensor.onnx.proto.OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(org.ml2tensor.onnx.proto.OnnxMl.TensorProto.DataType.DOUBLE_VALUE).addDims(values.size())
                .setRawData(com.google.protobuf.ByteString.copyFrom(b.array())).build();
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
