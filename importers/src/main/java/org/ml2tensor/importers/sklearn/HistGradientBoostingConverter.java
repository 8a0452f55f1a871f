package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.TreeChecks;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyObject;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code HistGradientBoostingClassifier/Regressor}: {@code raw = _baseline_prediction + Σ leaf values}
 * (leaves already include the learning rate). Numeric splits are {@code x <= num_threshold} with NaN
 * following {@code missing_go_to_left}; categorical splits become {@link CategoricalSplit}s with the
 * training categories as the known set. Node records are decoded by field name, so the 52-byte
 * (uint32 {@code feature_idx}) and 56-byte (intp) layouts both work. When the model holds the internal
 * categorical {@code _preprocessor} (sklearn ≥ 1.4), its ordinal codes and column reordering are folded
 * back onto the raw input columns.
 */
final class HistGradientBoostingConverter implements SklearnConverter {
    private final boolean classifier;

    HistGradientBoostingConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        int features = est.width("n_features_in_");
        int k = est.count("n_trees_per_iteration_", 1, 1 << 20);
        ClassLabels labels = classifier ? ClassLabelReader.read(est, "classes_") : null;
        if (classifier && k != (labels.size() == 2 ? 1 : labels.size())) {
            throw est.invalid("n_trees_per_iteration_", k + " trees per iteration for " + labels.size() + " classes");
        }
        double[] base = est.doubles("_baseline_prediction");
        if (base.length != k) {
            throw est.invalid("_baseline_prediction", "expected " + k + " values, found " + base.length);
        }
        FeatureSpace space = FeatureSpace.of(est, features);
        List<PyValue> iterations = est.items("_predictors");
        if (iterations.isEmpty()) {
            throw est.invalid("_predictors", "the model has no trees");
        }
        List<DecisionTree> trees = new ArrayList<>();
        for (int it = 0; it < iterations.size(); it++) {
            List<PyValue> perClass = est.itemsOf("_predictors", iterations.get(it));
            if (perClass.size() != k) {
                throw est.invalid("_predictors", "iteration " + it + " has " + perClass.size() + " trees, expected " + k);
            }
            for (int c = 0; c < k; c++) {
                SklearnObject predictor = est.child("_predictors", perClass.get(c),
                        "_predictors[" + it + "][" + c + "]");
                trees.add(tree(predictor, c, space));
            }
        }
        ScoreTransform transform = classifier ? (k == 1 ? ScoreTransform.LOGISTIC : ScoreTransform.SOFTMAX)
                : regressionTransform(est);
        Head head = classifier ? new Head.Classification(labels, true) : new Head.Regression(1);
        return new TreeEnsemble(trees, features, k, Comparison.LESS_OR_EQUAL, base, transform, head);
    }

    private static ScoreTransform regressionTransform(SklearnObject est) {
        String lossClass = est.optional("_loss").filter(v -> v instanceof PyObject)
                .map(v -> ((PyObject) v).type().name()).orElse("");
        String loss = est.optionalString("loss").orElse("squared_error");
        if (lossClass.equals("HalfPoissonLoss") || lossClass.equals("HalfGammaLoss")
                || lossClass.equals("HalfTweedieLoss") || loss.equals("poisson") || loss.equals("gamma")) {
            return ScoreTransform.EXP;
        }
        return switch (loss) {
            case "squared_error", "absolute_error", "quantile", "least_squares", "least_absolute_deviation" ->
                    ScoreTransform.IDENTITY;
            default -> throw est.unsupported("loss", "HistGradientBoostingRegressor loss '" + loss
                    + "' is not supported", "use squared_error, absolute_error, quantile, poisson or gamma");
        };
    }

    private static DecisionTree tree(SklearnObject predictor, int target, FeatureSpace space) {
        NdArray nodes = predictor.array("nodes");
        if (nodes.ndim() != 1 || nodes.size() < 1 || !nodes.dtype().isStructured()) {
            throw predictor.invalid("nodes", "expected a structured node array, found " + nodes.typeName());
        }
        int n = nodes.size();
        double[] value = predictor.within("nodes", () -> nodes.fieldDoubles("value"));
        long[] featureIdx = predictor.within("nodes", () -> nodes.fieldLongs("feature_idx"));
        double[] threshold = predictor.within("nodes", () -> nodes.fieldDoubles("num_threshold"));
        long[] missing = predictor.within("nodes", () -> nodes.fieldLongs("missing_go_to_left"));
        long[] left = predictor.within("nodes", () -> nodes.fieldLongs("left"));
        long[] right = predictor.within("nodes", () -> nodes.fieldLongs("right"));
        long[] isLeaf = predictor.within("nodes", () -> nodes.fieldLongs("is_leaf"));
        long[] isCategorical = nodes.hasField("is_categorical")
                ? predictor.within("nodes", () -> nodes.fieldLongs("is_categorical")) : new long[n];
        long[] bitsetIdx = nodes.hasField("bitset_idx")
                ? predictor.within("nodes", () -> nodes.fieldLongs("bitset_idx")) : new long[n];
        long[][] bitsets = null;
        int[] f = new int[n];
        int[] l = new int[n];
        int[] r = new int[n];
        boolean[] m = new boolean[n];
        double[] thr = new double[n];
        double[] leaves = new double[n];
        CategoricalSplit[] cats = null;
        for (int i = 0; i < n; i++) {
            if (isLeaf[i] != 0) {
                l[i] = -1;
                r[i] = -1;
                leaves[i] = value[i];
                continue;
            }
            if (left[i] < 0 || left[i] >= n || right[i] < 0 || right[i] >= n) {
                throw predictor.invalid("nodes", "node " + i + " has children out of range");
            }
            if (featureIdx[i] < 0 || featureIdx[i] >= space.width()) {
                throw predictor.invalid("nodes", "node " + i + " reads feature " + featureIdx[i] + " of "
                        + space.width());
            }
            int fi = (int) featureIdx[i];
            l[i] = (int) left[i];
            r[i] = (int) right[i];
            m[i] = missing[i] != 0;
            f[i] = space.inputColumn(fi);
            thr[i] = threshold[i];
            if (isCategorical[i] != 0) {
                if (bitsets == null) {
                    bitsets = readBitsets(predictor);
                }
                if (bitsetIdx[i] < 0 || bitsetIdx[i] >= bitsets.length) {
                    throw predictor.invalid("raw_left_cat_bitsets", "node " + i + " uses bitset " + bitsetIdx[i]
                            + " of " + bitsets.length);
                }
                if (cats == null) {
                    cats = new CategoricalSplit[n];
                }
                cats[i] = space.categoricalSplit(predictor, fi, bitsets[(int) bitsetIdx[i]]);
                thr[i] = 0;
            }
        }
        ReadBudget.chargeTree(f.length, 1, "a tree of " + f.length + " nodes");
        DecisionTree t = new DecisionTree(f, thr, l, r, m, cats, leaves, 1, target);
        TreeChecks.depth(t, "_predictors");
        return t;
    }

    private static long[][] readBitsets(SklearnObject predictor) {
        NdArray a = predictor.array("raw_left_cat_bitsets");
        if (a.ndim() != 2 || a.dim(1) != 8) {
            throw predictor.invalid("raw_left_cat_bitsets", "expected uint32[n, 8], found " + a.typeName());
        }
        long[] flat = predictor.within("raw_left_cat_bitsets", a::toLongs);
        long[][] out = new long[a.dim(0)][8];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * 8, out[i], 0, 8);
        }
        return out;
    }

    /**
     * How the predictors' feature indices and category codes relate to the raw input columns: identity
     * for sklearn &lt; 1.4 (categories are raw values); with a {@code _preprocessor}, categorical columns
     * come first and category codes index the ordinal encoder's {@code categories_}.
     */
    record FeatureSpace(int[] inputOf, double[][] categoryValues, BitSet[] known) {
        int width() {
            return inputOf.length;
        }

        int inputColumn(int internal) {
            return inputOf[internal];
        }

        static FeatureSpace of(SklearnObject est, int features) {
            boolean[] categorical = new boolean[features];
            if (est.has("is_categorical_")) {
                long[] flags = est.longs("is_categorical_", features);
                for (int i = 0; i < features; i++) {
                    categorical[i] = flags[i] != 0;
                }
            }
            int[] inputOf = new int[features];
            double[][] values = new double[features][];
            BitSet[] known = new BitSet[features];
            if (!est.has("_preprocessor")) {
                for (int i = 0; i < features; i++) {
                    inputOf[i] = i;
                }
                SklearnObject binMapper = est.has("_bin_mapper") ? est.child("_bin_mapper") : null;
                List<PyValue> thresholds = binMapper != null && binMapper.has("bin_thresholds_")
                        ? binMapper.items("bin_thresholds_") : List.of();
                for (int i = 0; i < features; i++) {
                    if (categorical[i]) {
                        if (i >= thresholds.size() || !(thresholds.get(i) instanceof NdArray cats)) {
                            throw est.invalid("_bin_mapper", "no known categories for categorical feature " + i);
                        }
                        values[i] = binMapper.within("bin_thresholds_", cats::toDoubles);
                        known[i] = rawCategories(est, i, values[i], values[i].length);
                        values[i] = null;
                    }
                }
                return new FeatureSpace(inputOf, values, known);
            }
            SklearnObject pre = est.child("_preprocessor");
            List<PyValue> encoderCategories = encoderCategories(est, pre);
            int next = 0;
            int catIndex = 0;
            for (int i = 0; i < features; i++) {
                if (categorical[i]) {
                    if (catIndex >= encoderCategories.size() || !(encoderCategories.get(catIndex) instanceof NdArray a)) {
                        throw pre.invalid("transformers_", "the ordinal encoder has no categories for column " + i);
                    }
                    if (!a.dtype().isNumeric()) {
                        throw pre.unsupported("transformers_", "categorical column " + i + " has categories of dtype "
                                + a.dtype().describe() + "; only numeric category values are supported",
                                "encode string categories as integer codes before training");
                    }
                    double[] v = pre.within("transformers_", a::toDoubles);
                    int count = v.length;
                    if (count > 0 && Double.isNaN(v[count - 1])) {
                        count--;
                    }
                    values[next] = java.util.Arrays.copyOf(v, count);
                    known[next] = rawCategories(est, i, values[next], count);
                    inputOf[next++] = i;
                    catIndex++;
                }
            }
            for (int i = 0; i < features; i++) {
                if (!categorical[i]) {
                    inputOf[next++] = i;
                }
            }
            return new FeatureSpace(inputOf, values, known);
        }

        private static List<PyValue> encoderCategories(SklearnObject est, SklearnObject pre) {
            for (PyValue t : pre.items("transformers_")) {
                List<PyValue> entry = pre.itemsOf("transformers_", t);
                if (entry.size() >= 2 && entry.get(0) instanceof PyValue.PyStr name && name.value().equals("encoder")) {
                    SklearnObject encoder = pre.child("transformers_", entry.get(1), "transformers_[encoder]");
                    return encoder.items("categories_");
                }
            }
            throw est.invalid("_preprocessor", "the categorical preprocessor has no 'encoder' step");
        }

        /** The set of raw category values, which must be non-negative integers. */
        private static BitSet rawCategories(SklearnObject est, int column, double[] v, int count) {
            BitSet b = new BitSet();
            for (int i = 0; i < count; i++) {
                double c = v[i];
                if (c != Math.rint(c) || c < 0 || c > (1 << 20)) {
                    throw est.unsupported("is_categorical_", "categorical feature " + column + " has category value "
                            + c + "; only non-negative integer categories are supported",
                            "encode categories as integer codes 0, 1, 2, ... before training");
                }
                b.set((int) c);
            }
            return b;
        }

        CategoricalSplit categoricalSplit(SklearnObject predictor, int internal, long[] words) {
            BitSet knownSet = known[internal];
            if (knownSet == null) {
                throw predictor.invalid("nodes", "categorical split on feature " + internal
                        + ", which the model does not mark as categorical");
            }
            BitSet goLeft = new BitSet();
            for (int w = 0; w < 8; w++) {
                for (int bit = 0; bit < 32; bit++) {
                    if ((words[w] >>> bit & 1) != 0) {
                        int code = w * 32 + bit;
                        double[] codeValues = categoryValues[internal];
                        if (codeValues == null) {
                            goLeft.set(code);
                        } else if (code < codeValues.length) {
                            goLeft.set((int) codeValues[code]);
                        }
                    }
                }
            }
            goLeft.and(knownSet);
            return new CategoricalSplit(goLeft, knownSet);
        }
    }
}
