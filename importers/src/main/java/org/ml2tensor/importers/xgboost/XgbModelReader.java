package org.ml2tensor.importers.xgboost;

import org.ml2tensor.importers.ReadBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.ml2tensor.error.ErrorCode;

/**
 * Maps an XGBoost model document (JSON or UBJSON, XGBoost 1.0–3.x) onto {@link XgbModel}. Also accepts
 * the {@code {"Config":…, "Model":{…}}} document of a pickled Booster handle by descending into
 * {@code Model}. Checks array lengths against {@code num_nodes}; structural checks (child indices,
 * cycles, feature indices) happen when the IR is built.
 */
final class XgbModelReader {
    private static final String RESAVE = "save the model again with a current XGBoost "
            + "(Booster.save_model('model.json'))";

    private XgbModelReader() {
    }

    static XgbModel read(DocNode root) {
        DocNode doc = root.has("learner") || !root.has("Model") ? root : root.field("Model");
        int[] version = doc.optional("version").map(DocNode::ints).orElse(new int[0]);
        DocNode learner = doc.field("learner");
        DocNode params = learner.field("learner_model_param");
        DocNode baseScoreNode = params.field("base_score");
        double[] baseScore = baseScoreNode.value() instanceof DocValue.Num n ? new double[]{(float) n.value()}
                : BaseScore.parse(baseScoreNode.string());
        if (baseScore == null) {
            throw baseScoreNode.error(ErrorCode.INVALID_MODEL, "base_score '" + baseScoreNode.string()
                    + "' is neither a number nor a list of numbers", RESAVE);
        }
        int numClass = params.optional("num_class").map(DocNode::intValue).orElse(0);
        int numTarget = params.optional("num_target").map(DocNode::intValue).orElse(1);
        DocNode numFeatureNode = params.field("num_feature");
        int numFeature = numFeatureNode.intValue();
        if (numFeature <= 0) {
            throw numFeatureNode.error(ErrorCode.INVALID_MODEL, "num_feature must be positive, is " + numFeature,
                    RESAVE);
        }
        ReadBudget.chargeWidth(numFeature, "num_feature = " + numFeature);
        if (numClass < 0 || numTarget < 1) {
            throw params.error(ErrorCode.INVALID_MODEL, "num_class " + numClass + " / num_target " + numTarget
                    + " out of range", RESAVE);
        }
        String objective = learner.field("objective").field("name").string();
        List<String> featureNames = learner.optional("feature_names").map(DocNode::strings).orElse(List.of());
        List<String> featureTypes = learner.optional("feature_types").map(DocNode::strings).orElse(List.of());
        OptionalInt bestIteration = learner.optional("attributes")
                .flatMap(a -> a.optional("best_iteration")).map(b -> OptionalInt.of(b.intValue()))
                .orElse(OptionalInt.empty());

        DocNode gb = learner.field("gradient_booster");
        String booster = gb.field("name").string();
        DocNode model;
        float[] weights = null;
        switch (booster) {
            case "gbtree":
                model = gb.field("model");
                if (model.has("weight_drop")) {        // DART since 3.3: one booster with tree weights
                    weights = floats(model.field("weight_drop"));
                    booster = "dart";
                }
                break;
            case "dart":
                model = gb.field("gbtree").field("model");
                weights = floats(gb.field("weight_drop"));
                break;
            case "gblinear":
                throw gb.field("name").error(ErrorCode.UNSUPPORTED, "the gblinear booster is not supported "
                        + "(this importer reads tree models)", "train with booster='gbtree' or 'dart'");
            default:
                throw gb.field("name").error(ErrorCode.UNSUPPORTED, "unknown booster '" + booster + "'",
                        "supported boosters: gbtree, dart");
        }
        List<XgbTree> trees = new ArrayList<>();
        for (DocNode t : model.field("trees").elements()) {
            trees.add(tree(t));
        }
        DocNode treeInfoNode = model.field("tree_info");
        int[] treeInfo = treeInfoNode.ints();
        if (treeInfo.length != trees.size()) {
            throw treeInfoNode.error(ErrorCode.INVALID_MODEL, "tree_info has " + treeInfo.length + " entries for "
                    + trees.size() + " trees", RESAVE);
        }
        if (weights != null && weights.length != trees.size()) {
            throw gb.error(ErrorCode.INVALID_MODEL, "weight_drop has " + weights.length + " weights for "
                    + trees.size() + " trees", RESAVE);
        }
        int[] indptr = model.optional("iteration_indptr").map(DocNode::ints).orElse(null);
        int numParallelTree = model.optional("gbtree_model_param")
                .flatMap(p -> p.optional("num_parallel_tree")).map(DocNode::intValue).orElse(1);
        return new XgbModel(version, booster, objective, baseScore, numClass, numTarget, numFeature,
                featureNames, featureTypes, trees, treeInfo, weights, indptr, numParallelTree, bestIteration);
    }

    private static XgbTree tree(DocNode t) {
        DocNode param = t.field("tree_param");
        int n = param.field("num_nodes").intValue();
        int sizeLeafVector = param.optional("size_leaf_vector").map(DocNode::intValue).orElse(1);
        if (n <= 0) {
            throw param.error(ErrorCode.INVALID_MODEL, "num_nodes must be positive, is " + n, RESAVE);
        }
        int width = Math.max(1, sizeLeafVector);
        int[] left = ints(t, "left_children", n);
        int[] right = ints(t, "right_children", n);
        int[] splitIndex = ints(t, "split_indices", n);
        float[] cond = floats(t, "split_conditions", n);
        int[] defaultLeftInts = ints(t, "default_left", n);
        boolean[] defaultLeft = new boolean[n];
        for (int i = 0; i < n; i++) {
            defaultLeft[i] = defaultLeftInts[i] != 0;
        }
        int[] splitType = t.has("split_type") ? ints(t, "split_type", n) : new int[n];
        int[] categories = t.optional("categories").map(DocNode::ints).orElse(new int[0]);
        int[] categoryNodes = t.optional("categories_nodes").map(DocNode::ints).orElse(new int[0]);
        long[] segments = longs(t.optional("categories_segments"));
        long[] sizes = longs(t.optional("categories_sizes"));
        if (segments.length != categoryNodes.length || sizes.length != categoryNodes.length) {
            throw t.error(ErrorCode.INVALID_MODEL, "categories_nodes, categories_segments and categories_sizes "
                    + "differ in length", RESAVE);
        }
        float[] baseWeights = t.has("base_weights") ? floats(t.field("base_weights")) : new float[0];
        float[] leafWeights = t.has("leaf_weights") ? floats(t.field("leaf_weights")) : null;
        return new XgbTree(left, right, splitIndex, cond, defaultLeft, splitType, categories, categoryNodes,
                segments, sizes, width, baseWeights, leafWeights);
    }

    private static int[] ints(DocNode tree, String name, int n) {
        DocNode node = tree.field(name);
        int[] v = node.ints();
        checkLength(node, v.length, n);
        return v;
    }

    private static float[] floats(DocNode tree, String name, int n) {
        DocNode node = tree.field(name);
        float[] v = floats(node);
        checkLength(node, v.length, n);
        return v;
    }

    private static float[] floats(DocNode node) {
        double[] d = node.numbers();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static long[] longs(Optional<DocNode> node) {
        if (node.isEmpty()) {
            return new long[0];
        }
        double[] d = node.get().numbers();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    private static void checkLength(DocNode node, int actual, int expected) {
        if (actual != expected) {
            throw node.error(ErrorCode.INVALID_MODEL, "has " + actual + " entries but the tree has " + expected
                    + " nodes (tree_param.num_nodes)", RESAVE);
        }
    }
}
