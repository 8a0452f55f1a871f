package org.ml2tensor.importers.xgboost;

import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.TreeChecks;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Turns an {@link XgbModel} into a {@link TreeEnsemble}:
 * <ul>
 *   <li>numeric splits keep XGBoost's rule {@code x < threshold} ({@link Comparison#LESS}, float32
 *       thresholds) and send missing values to {@code default_left};</li>
 *   <li>categorical splits (XGBoost: categories in the set go right, everything else left, missing follows
 *       {@code default_left}) swap their children so that the IR's {@code goLeft} holds the set, with
 *       {@code known = null} and the missing direction flipped;</li>
 *   <li>DART tree weights are multiplied into the leaves (float32, as XGBoost does);</li>
 *   <li>{@code base_score} goes through the objective's link ({@code ProbToMargin}) into the base scores;</li>
 *   <li>scalar trees add to column {@code tree_info[t]}; vector-leaf trees (multi-output) to all columns.</li>
 * </ul>
 */
final class XgbIrBuilder {
    /** XGBoost's own limit on category values ({@code 2^24}, exactly representable in float32). */
    static final int MAX_CATEGORY = 1 << 24;

    private final XgbModel model;
    private final String file;

    private XgbIrBuilder(XgbModel model, String file) {
        this.model = model;
        this.file = file;
    }

    /** The objective of a model, refusing unknown ones. */
    static XgbObjective objective(XgbModel model, String file) {
        XgbObjective objective = XgbObjective.byName(model.objective());
        if (objective == null) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "XGBoost objective '" + model.objective()
                            + "' is not supported")
                    .at(file + " › learner.objective.name")
                    .hint("supported objectives: " + XgbObjective.supportedNames()).build();
        }
        return objective;
    }

    /** Builds the ensemble from the first {@code treeCount} trees. */
    static TreeEnsemble build(XgbModel model, int treeCount, String file) {
        return new XgbIrBuilder(model, file).build(treeCount);
    }

    private TreeEnsemble build(int treeCount) {
        XgbObjective objective = objective(model, file);
        int outputs = model.outputs();
        if (objective.kind == XgbObjective.Kind.MULTICLASS && outputs < 2) {
            throw error(ErrorCode.INVALID_MODEL, "learner.learner_model_param.num_class",
                    model.objective() + " needs num_class >= 2, found " + model.numClass());
        }
        if ((objective.kind == XgbObjective.Kind.BINARY_PROBABILITY
                || objective.kind == XgbObjective.Kind.BINARY_DECISION) && outputs != 1) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "multi-label " + model.objective() + " with "
                            + outputs + " targets is not supported")
                    .at(file + " › learner.learner_model_param.num_target")
                    .hint("train one binary model per label").build();
        }
        boolean vector = model.trees().stream().anyMatch(XgbTree::vectorLeaf);
        if (!vector && outputs > model.trees().size()) {
            throw error(ErrorCode.INVALID_MODEL, "learner.learner_model_param", outputs + " outputs (num_class "
                    + model.numClass() + ", num_target " + model.numTarget() + ") but only " + model.trees().size()
                    + " trees: every output needs a tree");
        }
        ReadBudget.chargeWidth(outputs, "learner_model_param: " + outputs + " outputs");
        double[] base = baseMargins(objective, outputs);
        List<DecisionTree> trees = new ArrayList<>(treeCount);
        for (int t = 0; t < treeCount; t++) {
            trees.add(tree(t, outputs));
        }
        if (trees.isEmpty()) {
            throw error(ErrorCode.INVALID_MODEL, "learner.gradient_booster.model.trees", "the model has no trees");
        }
        return new TreeEnsemble(trees, model.numFeature(), outputs, Comparison.LESS, base, objective.transform,
                objective.head(outputs), true);
    }

    private double[] baseMargins(XgbObjective objective, int outputs) {
        double[] stored = model.baseScore();
        if (stored.length != 1 && stored.length != outputs) {
            throw error(ErrorCode.INVALID_MODEL, "learner.learner_model_param.base_score", "base_score has "
                    + stored.length + " values for " + outputs + " outputs");
        }
        double[] margins = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            double p = stored[stored.length == 1 ? 0 : k];
            margins[k] = objective.toMargin(p);
            if (!Double.isFinite(margins[k])) {
                throw error(ErrorCode.INVALID_MODEL, "learner.learner_model_param.base_score", "base_score " + p
                        + " is outside the domain of the " + objective.link.name().toLowerCase()
                        + " link of " + model.objective());
            }
        }
        return margins;
    }

    private DecisionTree tree(int t, int outputs) {
        XgbTree x = model.trees().get(t);
        String at = "learner.gradient_booster.model.trees[" + t + "]";
        int n = x.numNodes();
        int width = x.sizeLeafVector();
        if (x.vectorLeaf() && width != outputs) {
            throw error(ErrorCode.INVALID_MODEL, at + ".tree_param.size_leaf_vector", "vector leaves of width "
                    + width + " for " + outputs + " outputs");
        }
        int target = x.vectorLeaf() ? -1 : model.treeInfo()[t];
        if (target >= outputs || target < -1) {
            throw error(ErrorCode.INVALID_MODEL, "learner.gradient_booster.model.tree_info[" + t + "]",
                    "output group " + target + " of " + outputs);
        }
        float weight = model.treeWeights() == null ? 1f : model.treeWeights()[t];
        if ((long) n * width > Integer.MAX_VALUE - 16) {
            throw error(ErrorCode.LIMIT_EXCEEDED, at, n + " nodes × " + width + " leaf values is too large");
        }
        if (x.vectorLeaf()) {
            long leaves = 0;
            for (int l : x.left()) {
                leaves += l == -1 ? 1 : 0;
            }
            long needed = (x.leafWeights() != null ? leaves : n) * width;
            int present = x.leafWeights() != null ? x.leafWeights().length : x.baseWeights().length;
            if (present < needed) {
                throw error(ErrorCode.INVALID_MODEL, at + ".tree_param.size_leaf_vector", "leaf vectors of width "
                        + width + " need " + needed + " weights but the tree holds " + present);
            }
        }
        ReadBudget.chargeTree(n, width, at);
        Map<Integer, BitSet> sets = categorySets(x, at);

        int[] feature = new int[n];
        double[] threshold = new double[n];
        int[] left = new int[n];
        int[] right = new int[n];
        boolean[] missingLeft = new boolean[n];
        CategoricalSplit[] categorical = sets.isEmpty() ? null : new CategoricalSplit[n];
        double[] values = new double[n * width];
        for (int i = 0; i < n; i++) {
            if (x.left()[i] == -1) {
                left[i] = -1;
                right[i] = -1;
                leafValues(x, i, weight, values, at);
                continue;
            }
            int f = x.splitIndex()[i];
            if (f < 0 || f >= model.numFeature()) {
                throw error(ErrorCode.INVALID_MODEL, at + ".split_indices[" + i + "]", "feature " + f
                        + " out of range for num_feature " + model.numFeature());
            }
            feature[i] = f;
            if (x.splitType()[i] == 1) {
                BitSet set = sets.get(i);
                if (set == null) {
                    throw error(ErrorCode.INVALID_MODEL, at + ".categories_nodes", "categorical node " + i
                            + " has no category set");
                }
                // XGBoost sends the set right: swap so the IR's goLeft holds it
                left[i] = x.right()[i];
                right[i] = x.left()[i];
                missingLeft[i] = !x.defaultLeft()[i];
                categorical[i] = new CategoricalSplit(set, null);
            } else if (x.splitType()[i] == 0) {
                left[i] = x.left()[i];
                right[i] = x.right()[i];
                threshold[i] = x.splitCondition()[i];
                missingLeft[i] = x.defaultLeft()[i];
            } else {
                throw error(ErrorCode.UNSUPPORTED, at + ".split_type[" + i + "]", "unknown split type "
                        + x.splitType()[i]);
            }
        }
        try {
            DecisionTree tree = new DecisionTree(feature, threshold, left, right, missingLeft, categorical, values,
                    width, target);
            TreeChecks.depth(tree, file + " › " + at);
            return tree;
        } catch (IllegalArgumentException e) {
            throw error(ErrorCode.INVALID_MODEL, at, "malformed tree: " + e.getMessage());
        }
    }

    private void leafValues(XgbTree x, int i, float weight, double[] values, String at) {
        int width = x.sizeLeafVector();
        if (!x.vectorLeaf()) {
            values[i] = x.splitCondition()[i] * weight;
            return;
        }
        float[] source;
        int offset;
        if (x.leafWeights() != null) {          // 3.x: right_children holds the leaf's index
            source = x.leafWeights();
            offset = x.right()[i] * width;
        } else {                                // 2.x: base_weights holds every node's vector
            source = x.baseWeights();
            offset = i * width;
        }
        if (offset < 0 || offset + width > source.length) {
            throw error(ErrorCode.INVALID_MODEL, at, "leaf " + i + " has no weight vector");
        }
        for (int k = 0; k < width; k++) {
            values[i * width + k] = source[offset + k] * weight;
        }
    }

    private Map<Integer, BitSet> categorySets(XgbTree x, String at) {
        Map<Integer, BitSet> sets = new HashMap<>();
        for (int k = 0; k < x.categoryNodes().length; k++) {
            int node = x.categoryNodes()[k];
            long start = x.categorySegments()[k];
            long size = x.categorySizes()[k];
            if (node < 0 || node >= x.numNodes() || start < 0 || size < 0
                    || start + size > x.categories().length) {
                throw error(ErrorCode.INVALID_MODEL, at + ".categories_segments[" + k + "]",
                        "category set out of range");
            }
            int maxCategory = 0;
            for (long j = start; j < start + size; j++) {
                maxCategory = Math.max(maxCategory, x.categories()[(int) j]);
            }
            ReadBudget.charge(64 + size + maxCategory / 8, at + ".categories");
            BitSet set = new BitSet();
            for (long j = start; j < start + size; j++) {
                int c = x.categories()[(int) j];
                if (c < 0 || c >= MAX_CATEGORY) {
                    throw error(ErrorCode.INVALID_MODEL, at + ".categories[" + j + "]", "category " + c
                            + " out of range [0, 2^24)");
                }
                set.set(c);
            }
            sets.put(node, set);
        }
        return sets;
    }

    private Ml2TensorException error(ErrorCode code, String path, String message) {
        return Ml2TensorException.of(code, message).at(file + " › " + path)
                .hint("the model file looks damaged; save it again with Booster.save_model").build();
    }
}
