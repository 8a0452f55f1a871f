package org.ml2tensor.importers.lightgbm;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ml2tensor inspect} shows about a LightGBM model.
 *
 * @param version             text format version ({@code v4})
 * @param boosting            {@code gbdt}, {@code rf}, {@code dart}, {@code goss} (empty when not recorded)
 * @param objective           the objective line ({@code custom} when absent)
 * @param trees               trees
 * @param iterations          boosting rounds
 * @param maxDepth            deepest tree, in edges
 * @param features            input width
 * @param featureNames        names from {@code feature_names=}
 * @param categoricalFeatures features with categorical splits info in {@code feature_infos}
 * @param outputs             raw score columns
 * @param classes             classes of a classifier, 0 otherwise
 * @param averageOutput       random-forest averaging
 * @param leafScale           factor folded into the leaves besides averaging (the sigmoid slope)
 * @param pandasCategorical   the {@code pandas_categorical} JSON (category names per pandas column), or null
 */
public record LightgbmModelInfo(String version, String boosting, String objective, int trees, int iterations,
                                int maxDepth, int features, List<String> featureNames,
                                List<Integer> categoricalFeatures, int outputs, int classes, boolean averageOutput,
                                double leafScale, String pandasCategorical) {
    public LightgbmModelInfo {
        featureNames = List.copyOf(featureNames);
        categoricalFeatures = List.copyOf(categoricalFeatures);
    }

    /** Human-readable lines, one fact per line. */
    public List<String> render() {
        List<String> lines = new ArrayList<>();
        lines.add("format: lightgbm text " + version);
        lines.add("boosting: " + (boosting.isEmpty() ? "?" : boosting) + (averageOutput ? " (average_output)" : ""));
        lines.add("objective: " + objective);
        lines.add("trees: " + trees + " (" + iterations + " iterations), max depth " + maxDepth);
        lines.add("features: " + features + (featureNames.isEmpty() ? "" : " " + featureNames));
        if (!categoricalFeatures.isEmpty()) {
            lines.add("categorical features (inputs are integer category codes): " + categoricalFeatures);
        }
        if (pandasCategorical != null) {
            lines.add("pandas categories (code = position): " + pandasCategorical);
        }
        lines.add(classes > 0 ? "classes: " + classes : "outputs: " + outputs);
        return lines;
    }
}
