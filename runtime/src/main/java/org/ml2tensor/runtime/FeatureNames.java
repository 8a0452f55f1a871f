package org.ml2tensor.runtime;

import java.util.List;

/**
 * Whether a model's feature names are real names a user gave, or names a library generated for columns
 * of a plain array — LightGBM's {@code Column_0 … Column_N}, XGBoost's {@code f0 … fN} — which say
 * nothing about the columns and so are matched by position, never by name.
 */
public final class FeatureNames {
    private FeatureNames() {
    }

    /** True when {@code names} is non-empty and every name is the generated one for its position. */
    public static boolean areGenerated(List<String> names) {
        if (names.isEmpty()) {
            return false;
        }
        return allMatch(names, "Column_") || allMatch(names, "f");
    }

    /** True when the model has feature names worth matching by name. */
    public static boolean areReal(List<String> names) {
        return !names.isEmpty() && !areGenerated(names);
    }

    private static boolean allMatch(List<String> names, String prefix) {
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(prefix + i)) {
                return false;
            }
        }
        return true;
    }
}
