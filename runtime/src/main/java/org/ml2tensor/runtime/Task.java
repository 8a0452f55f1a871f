package org.ml2tensor.runtime;

import java.util.Locale;

/** What a model predicts, from the {@code ml2tensor.task} metadata. */
public enum Task {
    CLASSIFICATION,
    /**
     * Several classification targets ({@code multi_classification}): {@code label [N, T]} and the per-target
     * probability blocks side by side; see {@link ModelInfo#targetClassLabels()}.
     */
    MULTI_CLASSIFICATION,
    REGRESSION,
    TRANSFORM,
    OUTLIER,
    /** Not an ml2tensor model, or a task this runtime does not know. */
    UNKNOWN;

    /** Parses a metadata value such as {@code classification}; unknown or absent values give UNKNOWN. */
    static Task fromMetadata(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "classification" -> CLASSIFICATION;
            case "multi_classification" -> MULTI_CLASSIFICATION;
            case "regression" -> REGRESSION;
            case "transform" -> TRANSFORM;
            case "outlier" -> OUTLIER;
            default -> UNKNOWN;
        };
    }
}
