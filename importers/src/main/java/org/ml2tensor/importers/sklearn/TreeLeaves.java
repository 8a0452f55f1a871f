package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.ir.ClassLabels;

/** Leaf-value extraction shared by the tree converters. */
final class TreeLeaves {
    private TreeLeaves() {
    }

    /**
     * Class-probability rows of output 0, each normalised to sum 1 (sklearn ≥ 1.4 stores fractions,
     * older versions weighted counts) and multiplied by {@code scale}.
     */
    static double[] classProbabilities(TreeStructure t, int classes, double scale) {
        if (t.classes() != classes || t.outputs() != 1) {
            throw new IllegalArgumentException("tree has " + t.outputs() + " outputs of " + t.classes()
                    + " classes, expected 1 output of " + classes);
        }
        return classProbabilities(t, 0, classes, scale);
    }

    /**
     * Class-probability rows of output {@code output} (a multi-output tree): its first {@code classes} values
     * per leaf, normalised to sum 1 and multiplied by {@code scale}.
     */
    static double[] classProbabilities(TreeStructure t, int output, int classes, double scale) {
        int n = t.nodeCount();
        ReadBudget.charge(8L * n * classes, "leaf values of " + n + " nodes × " + classes + " classes");
        double[] out = new double[n * classes];
        for (int i = 0; i < n; i++) {
            if (!t.isLeaf(i)) {
                continue;
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += t.value(i, output, c);
            }
            double norm = sum == 0 ? 1 : sum;
            for (int c = 0; c < classes; c++) {
                out[i * classes + c] = t.value(i, output, c) / norm * scale;
            }
        }
        return out;
    }

    /** Regression values of every output ({@code nodes * outputs}), multiplied by {@code scale}. */
    static double[] regressionValues(TreeStructure t, double scale) {
        if (t.classes() != 1) {
            throw new IllegalArgumentException("a regression tree has " + t.classes() + " values per output");
        }
        int n = t.nodeCount();
        int k = t.outputs();
        ReadBudget.charge(8L * n * k, "leaf values of " + n + " nodes × " + k + " outputs");
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            if (t.isLeaf(i)) {
                for (int j = 0; j < k; j++) {
                    out[i * k + j] = t.value(i, j, 0) * scale;
                }
            }
        }
        return out;
    }

    /** Number of input features: {@code n_features_in_}, else {@code n_features_}, else {@code fallback}. */
    static int featureCount(SklearnObject est, int fallback) {
        if (est.has("n_features_in_")) {
            return est.width("n_features_in_");
        }
        if (est.has("n_features_")) {
            return est.width("n_features_");
        }
        if (fallback > 0) {
            return fallback;
        }
        throw est.invalid("n_features_in_", "the number of input features is unknown");
    }

    /** Refuses multi-output classifiers, which the IR's single classification head cannot express. */
    static ClassLabels singleOutputLabels(SklearnObject est) {
        // multi-output classifiers are converted by MultiOutputTrees before they get here
        if (est.has("n_outputs_") && est.integer("n_outputs_") != 1) {
            throw est.unsupported("n_outputs_", "multi-output classifiers (" + est.integer("n_outputs_")
                    + " outputs) are not supported", "train one classifier per output");
        }
        return ClassLabelReader.read(est, "classes_");
    }
}
