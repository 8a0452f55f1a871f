package org.ml2tensor.importers.xgboost;

/**
 * Import options for XGBoost models.
 *
 * @param bestIterationOnly keep only the trees of iterations {@code 0..best_iteration} when the file stores
 *                          a {@code best_iteration} attribute (what the scikit-learn wrapper's
 *                          {@code predict} does after early stopping). The default imports every tree,
 *                          as {@code Booster.predict} and XGBoost4J do; note that XGBoost 1.x writes
 *                          {@code best_iteration} even without early stopping (then it is the last one).
 */
public record XgboostOptions(boolean bestIterationOnly) {
    /** Every tree. */
    public static final XgboostOptions DEFAULTS = new XgboostOptions(false);
}
