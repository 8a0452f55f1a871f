package org.ml2tensor.importers.xgboost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * What {@code ml2tensor inspect} shows about an XGBoost model.
 *
 * @param version          XGBoost version that wrote the file ({@code ?} when unknown)
 * @param booster          {@code gbtree} or {@code dart}
 * @param objective        objective name
 * @param treesImported    trees in the IR
 * @param treesInFile      trees in the file
 * @param maxDepth         deepest tree, in edges
 * @param features         input width
 * @param featureNames     names, empty when the file has none
 * @param categoricalFeatures features typed {@code c}
 * @param outputs          raw score columns
 * @param classes          classes of a classifier, 0 for regression/ranking
 * @param baseMargins      intercepts after the objective's link
 * @param bestIteration    the stored {@code best_iteration}
 * @param vectorLeaves     whether trees have multi-output (vector) leaves
 */
public record XgboostModelInfo(String version, String booster, String objective, int treesImported,
                               int treesInFile, int maxDepth, int features, List<String> featureNames,
                               List<Integer> categoricalFeatures, int outputs, int classes, double[] baseMargins,
                               OptionalInt bestIteration, boolean vectorLeaves) {
    public XgboostModelInfo {
        featureNames = List.copyOf(featureNames);
        categoricalFeatures = List.copyOf(categoricalFeatures);
        baseMargins = baseMargins.clone();
    }

    @Override
    public double[] baseMargins() {
        return baseMargins.clone();
    }

    /** Human-readable lines, one fact per line. */
    public List<String> render() {
        List<String> lines = new ArrayList<>();
        lines.add("format: xgboost " + version);
        lines.add("booster: " + booster + (vectorLeaves ? " (multi-output vector leaves)" : ""));
        lines.add("objective: " + objective);
        lines.add("trees: " + treesImported + (treesImported != treesInFile ? " of " + treesInFile : "")
                + ", max depth " + maxDepth);
        lines.add("features: " + features + (featureNames.isEmpty() ? "" : " " + featureNames));
        if (!categoricalFeatures.isEmpty()) {
            lines.add("categorical features (inputs are category codes): " + categoricalFeatures);
        }
        lines.add(classes > 0 ? "classes: " + classes : "outputs: " + outputs);
        lines.add("base margin: " + Arrays.toString(baseMargins));
        bestIteration.ifPresent(b -> lines.add("best_iteration: " + b));
        return lines;
    }
}
