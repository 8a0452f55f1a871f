package org.ml2tensor.importers.lightgbm;

import java.util.List;

/**
 * The header and trees of a LightGBM text model ({@code Booster.save_model}).
 *
 * @param version               {@code version=} (e.g. {@code v4})
 * @param numClass              {@code num_class=}
 * @param numTreePerIteration   {@code num_tree_per_iteration=} (trees per boosting round = score columns)
 * @param featureCount          {@code max_feature_idx + 1}
 * @param objective             the {@code objective=} line's value, or null for a custom objective
 * @param averageOutput         the bare {@code average_output} line (random-forest mode)
 * @param featureNames          {@code feature_names=}
 * @param featureInfos          {@code feature_infos=} ({@code [min:max]}, {@code none}, or categories
 *                              {@code a:b:c})
 * @param trees                 the trees in file order
 * @param boosting              {@code [boosting: …]} from the parameters section, or empty
 * @param pandasCategorical     the {@code pandas_categorical:} line's JSON, or null when absent or {@code null}
 */
record LgbmModel(String version, int numClass, int numTreePerIteration, int featureCount, String objective,
                 boolean averageOutput, List<String> featureNames, List<String> featureInfos, List<LgbmTree> trees,
                 String boosting, String pandasCategorical) {

    int iterations() {
        return trees.size() / Math.max(1, numTreePerIteration);
    }
}
