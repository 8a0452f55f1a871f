package org.ml2tensor.importers.lightgbm;

import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.TreeChecks;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Turns a {@link LgbmModel} into a {@link TreeEnsemble} ({@link Comparison#LESS_OR_EQUAL}, double thresholds,
 * no base score: LightGBM folds its initial score into the first trees).
 * <ul>
 *   <li>Nodes: internal node {@code i} stays {@code i}; leaf {@code j} becomes node {@code numLeaves-1+j}.</li>
 *   <li>Missing type NaN: NaN follows {@code default_left}. Missing type None: LightGBM replaces NaN by 0.0,
 *       so NaN goes where 0.0 goes ({@code 0.0 <= threshold}). Missing type Zero (values with
 *       {@code |x| <= kZeroThreshold} and NaN take the default branch) is imported only where that equals
 *       plain comparison (the whole zero band already falls on the default side); otherwise it is refused.</li>
 *   <li>Categorical nodes: categories whose bit is set go left; NaN, negative and other values go right:
 *       {@code CategoricalSplit(goLeft, known = null)} with missing right.</li>
 *   <li>LightGBM's predictor treats inputs with {@code |x| <= 1e-35} as 0.0; thresholds inside that band
 *       are moved to its edge so that the plain comparison agrees ({@link #zeroBandThreshold}).</li>
 *   <li>Leaf values are multiplied by the objective's sigmoid slope and, with {@code average_output}
 *       (random forest), divided by the number of iterations.</li>
 *   <li>Tree {@code t} adds to column {@code t % num_tree_per_iteration}.</li>
 * </ul>
 */
final class LgbmIrBuilder {
    /** LightGBM's {@code kZeroThreshold}: the float literal {@code 1e-35f} widened to double. */
    static final double ZERO_THRESHOLD = 1e-35f;

    private static final int CATEGORICAL = 1;
    private static final int DEFAULT_LEFT = 2;
    private static final int MISSING_NONE = 0;
    private static final int MISSING_ZERO = 1;
    private static final int MISSING_NAN = 2;

    private final LgbmModel model;
    private final String file;

    private LgbmIrBuilder(LgbmModel model, String file) {
        this.model = model;
        this.file = file;
    }

    /** The objective of a model, refusing unknown ones. */
    static LgbmObjective objective(LgbmModel model, String file) {
        LgbmObjective objective;
        try {
            objective = LgbmObjective.parse(model.objective());
        } catch (NumberFormatException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "bad objective parameters: '"
                    + model.objective() + "'").at(file + " › objective").cause(e).build();
        }
        if (objective == null) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "LightGBM objective '" + model.objective()
                            + "' is not supported")
                    .at(file + " › objective")
                    .hint("supported objectives: " + String.join(", ", LgbmObjective.SUPPORTED)).build();
        }
        return objective;
    }

    static TreeEnsemble build(LgbmModel model, String file) {
        return new LgbmIrBuilder(model, file).build();
    }

    private TreeEnsemble build() {
        LgbmObjective objective = objective(model, file);
        int outputs = model.numTreePerIteration();
        if (objective.kind() == LgbmObjective.Kind.BINARY && outputs != 1
                || objective.kind() == LgbmObjective.Kind.MULTICLASS && (outputs < 2 || outputs != model.numClass())) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "objective '" + model.objective() + "' with "
                    + "num_class=" + model.numClass() + " and num_tree_per_iteration=" + outputs)
                    .at(file + " › num_tree_per_iteration").hint("the header is inconsistent; save the model again")
                    .build();
        }
        if (model.trees().isEmpty()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "the model has no trees").at(file)
                    .hint("train at least one iteration").build();
        }
        if (model.trees().size() % outputs != 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, model.trees().size() + " trees is not a multiple "
                    + "of num_tree_per_iteration=" + outputs).at(file).hint("the file is truncated").build();
        }
        double scale = objective.leafScale();
        if (model.averageOutput()) {
            scale /= model.iterations();
        }
        List<DecisionTree> trees = new ArrayList<>(model.trees().size());
        for (int t = 0; t < model.trees().size(); t++) {
            trees.add(tree(model.trees().get(t), t % outputs, scale));
        }
        return new TreeEnsemble(trees, model.featureCount(), outputs, Comparison.LESS_OR_EQUAL, new double[outputs],
                objective.transform(), objective.head(outputs));
    }

    private DecisionTree tree(LgbmTree x, int target, double scale) {
        if (x.linear()) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "linear trees (linear_tree=true) are not supported")
                    .at(where(x, -1)).hint("retrain with linear_tree=false").build();
        }
        int leaves = x.numLeaves();
        if (leaves == 1) {
            return DecisionTree.constant(new double[]{x.leafValue()[0] * scale}, target);
        }
        int internal = leaves - 1;
        int n = internal + leaves;
        ReadBudget.chargeTree(n, 1, where(x, -1));
        int[] feature = new int[n];
        double[] threshold = new double[n];
        int[] left = new int[n];
        int[] right = new int[n];
        boolean[] missingLeft = new boolean[n];
        CategoricalSplit[] categorical = null;
        double[] values = new double[n];
        for (int i = 0; i < internal; i++) {
            int f = x.splitFeature()[i];
            if (f < 0 || f >= model.featureCount()) {
                throw invalid(x, i, "split_feature " + f + " out of range for " + model.featureCount() + " features");
            }
            feature[i] = f;
            left[i] = node(x, i, x.leftChild()[i]);
            right[i] = node(x, i, x.rightChild()[i]);
            int dt = x.decisionType()[i];
            if ((dt & CATEGORICAL) != 0) {
                if (categorical == null) {
                    categorical = new CategoricalSplit[n];
                }
                categorical[i] = new CategoricalSplit(bitset(x, i), null);
                missingLeft[i] = false;
                continue;
            }
            double t = x.threshold()[i];
            if (Double.isNaN(t)) {
                throw invalid(x, i, "threshold is NaN");
            }
            threshold[i] = t = zeroBandThreshold(t);
            boolean defaultLeft = (dt & DEFAULT_LEFT) != 0;
            switch ((dt >> 2) & 3) {
                case MISSING_NAN:
                    missingLeft[i] = defaultLeft;
                    break;
                case MISSING_NONE:
                    missingLeft[i] = 0.0 <= t;
                    break;
                case MISSING_ZERO:
                    missingLeft[i] = zeroAsMissing(x, i, t, defaultLeft);
                    break;
                default:
                    throw invalid(x, i, "unknown missing type in decision_type " + dt);
            }
        }
        for (int j = 0; j < leaves; j++) {
            values[internal + j] = x.leafValue()[j] * scale;
            left[internal + j] = -1;
            right[internal + j] = -1;
        }
        try {
            DecisionTree tree = new DecisionTree(feature, threshold, left, right, missingLeft, categorical, values, 1,
                    target);
            TreeChecks.depth(tree, where(x, -1));
            return tree;
        } catch (IllegalArgumentException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "malformed tree: " + e.getMessage())
                    .at(where(x, -1)).hint("the file looks damaged; save the model again").build();
        }
    }

    /**
     * LightGBM's predictor reads input rows sparsely: any {@code |x| <= kZeroThreshold} becomes exactly 0.0
     * before the trees see it (checked against LightGBM 4.7.0 predictions). Thresholds in that band (LightGBM
     * writes {@code ±kZeroThreshold} for splits at zero) are moved so that plain {@code x <= t} routes the
     * whole band like 0.0: {@code t in [-kZ, 0)} → just below {@code -kZ}; {@code t in [0, kZ)} → {@code kZ}.
     */
    static double zeroBandThreshold(double t) {
        if (t >= -ZERO_THRESHOLD && t < 0) {
            return Math.nextDown(-ZERO_THRESHOLD);
        }
        if (t >= 0 && t < ZERO_THRESHOLD) {
            return ZERO_THRESHOLD;
        }
        return t;
    }

    /**
     * Missing type Zero: NaN and {@code |x| <= kZeroThreshold} take the default branch. That is plain
     * {@code x <= t} routing (with NaN on the default side) exactly when the whole band lies on the default
     * side of the threshold.
     */
    private boolean zeroAsMissing(LgbmTree x, int i, double t, boolean defaultLeft) {
        boolean bandNaturallyLeft = ZERO_THRESHOLD <= t;
        boolean bandNaturallyRight = -ZERO_THRESHOLD > t;
        if (defaultLeft ? bandNaturallyLeft : bandNaturallyRight) {
            return defaultLeft;
        }
        throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "zero-as-missing split (missing type Zero) sends "
                        + "0 to the " + (defaultLeft ? "left" : "right") + " although 0 compares "
                        + (defaultLeft ? "greater than" : "less or equal to") + " its threshold " + t)
                .at(where(x, i))
                .hint("retrain with zero_as_missing=false (missing values as NaN); the tensor IR has no zero-band "
                        + "routing")
                .build();
    }

    private int node(LgbmTree x, int i, int child) {
        int leaves = x.numLeaves();
        if (child >= 0) {
            if (child >= leaves - 1) {
                throw invalid(x, i, "child " + child + " is not an internal node");
            }
            return child;
        }
        int leaf = ~child;
        if (leaf >= leaves) {
            throw invalid(x, i, "child " + child + " names leaf " + leaf + " of " + leaves);
        }
        return leaves - 1 + leaf;
    }

    private BitSet bitset(LgbmTree x, int i) {
        double t = x.threshold()[i];
        int cat = (int) t;
        int[] b = x.catBoundaries();
        if (cat != t || cat < 0 || cat + 1 >= b.length) {
            throw invalid(x, i, "categorical threshold " + t + " is not an index into cat_boundaries");
        }
        int from = b[cat];
        int to = b[cat + 1];
        if (from < 0 || to < from || to > x.catThreshold().length) {
            throw invalid(x, i, "cat_boundaries [" + from + ", " + to + ") out of range");
        }
        ReadBudget.charge(64 + 4L * (to - from), where(x, i) + " categorical bitset");
        BitSet set = new BitSet();
        for (int w = from; w < to; w++) {
            long word = x.catThreshold()[w];
            for (int bit = 0; bit < 32; bit++) {
                if ((word >>> bit & 1) != 0) {
                    set.set((w - from) * 32 + bit);
                }
            }
        }
        return set;
    }

    private String where(LgbmTree x, int node) {
        return file + ":" + (x.line() + 1) + " › Tree=" + x.index() + (node >= 0 ? " node " + node : "");
    }

    private Ml2TensorException invalid(LgbmTree x, int node, String message) {
        return Ml2TensorException.of(ErrorCode.INVALID_MODEL, message).at(where(x, node))
                .hint("the file looks damaged; save the model again with Booster.save_model").build();
    }
}
