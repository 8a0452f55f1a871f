package org.ml2tensor.importers.xgboost;

import java.util.List;
import java.util.OptionalInt;

/**
 * The parts of an XGBoost learner needed for prediction, as read from the model document.
 *
 * @param version          writer version {major, minor, patch}, empty when the file has none
 * @param booster          {@code gbtree} or {@code dart} (3.3+ DART files are {@code gbtree} with weights)
 * @param objective        objective name, e.g. {@code binary:logistic}
 * @param baseScore        intercepts as stored (probability space), one value or one per output
 * @param numClass         {@code num_class} (0 for non-multiclass)
 * @param numTarget        {@code num_target} (1 unless multi-target)
 * @param numFeature       {@code num_feature}
 * @param featureNames     feature names (empty when absent)
 * @param featureTypes     feature types ({@code q}, {@code c}, …; empty when absent)
 * @param trees            the trees
 * @param treeInfo         output group of each tree
 * @param treeWeights      DART weight of each tree, or null
 * @param iterationIndptr  first tree of each iteration (2.0+), or null
 * @param numParallelTree  trees per output group per iteration
 * @param bestIteration    the {@code best_iteration} attribute, when present
 */
record XgbModel(int[] version, String booster, String objective, double[] baseScore, int numClass,
                int numTarget, int numFeature, List<String> featureNames, List<String> featureTypes,
                List<XgbTree> trees, int[] treeInfo, float[] treeWeights, int[] iterationIndptr,
                int numParallelTree, OptionalInt bestIteration) {

    /** Number of raw score columns. */
    int outputs() {
        return Math.max(1, Math.max(numClass, numTarget));
    }

    /** {@code major.minor.patch}, or {@code ?} when unknown. */
    String versionText() {
        if (version.length == 0) {
            return "?";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < version.length; i++) {
            sb.append(i == 0 ? "" : ".").append(version[i]);
        }
        return sb.toString();
    }

    /** Trees of iterations {@code [0, iterations)}. */
    int treesInFirstIterations(int iterations) {
        if (iterationIndptr != null && iterationIndptr.length > 0) {
            return iterationIndptr[Math.min(iterations, iterationIndptr.length - 1)];
        }
        boolean vector = !trees.isEmpty() && trees.get(0).vectorLeaf();
        int perIteration = Math.max(1, numParallelTree) * (vector ? 1 : outputs());
        return (int) Math.min(trees.size(), (long) iterations * perIteration);
    }
}
