package org.ml2tensor.importers.sklearn;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The refusal of a pickled class that has no converter: what is unsupported, where (the object path),
 * and what to do instead — a specific route where one exists (a LightGBM or XGBoost scikit-learn wrapper
 * can save its booster in the library's own format, which ml2tensor reads), otherwise a pointer to
 * {@code ml2tensor list-estimators}.
 */
public final class UnsupportedEstimators {
    /** The pointer to the full list, shared by every refusal. */
    public static final String LIST_HINT = "run 'ml2tensor list-estimators' for the supported estimators";

    private UnsupportedEstimators() {
    }

    /** An UNSUPPORTED error for the Python class {@code qualifiedName} found at {@code path}. */
    public static Ml2TensorException refusal(String qualifiedName, String path) {
        String simple = SklearnObject.simpleName(qualifiedName);
        return Ml2TensorException.of(ErrorCode.UNSUPPORTED, simple + " (" + qualifiedName + ") is not supported")
                .at(path).hint(insteadOf(qualifiedName)).build();
    }

    /** What to do instead of compiling {@code qualifiedName}, ending with the pointer to the full list. */
    public static String insteadOf(String qualifiedName) {
        String simple = SklearnObject.simpleName(qualifiedName);
        if (qualifiedName.startsWith("lightgbm.")) {
            return "save the LightGBM booster as text, model.booster_.save_model('model.txt') (or "
                    + "booster.save_model for a Booster), and compile that file; " + LIST_HINT;
        }
        if (qualifiedName.startsWith("xgboost.")) {
            return "save the XGBoost booster, model.get_booster().save_model('model.json'), and compile that file; "
                    + LIST_HINT;
        }
        if (simple.startsWith("CatBoost")) {
            return "CatBoost models are not supported; " + LIST_HINT;
        }
        return LIST_HINT;
    }
}
