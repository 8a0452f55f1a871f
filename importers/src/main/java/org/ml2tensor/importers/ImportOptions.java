package org.ml2tensor.importers;

/**
 * Options of reading a model file.
 *
 * @param readBudgetBytes the {@link ReadBudget} of a read, in bytes of objects created; 0 for the
 *                        automatic budget, max(256 MiB, 12 × file size)
 * @param method          which method of the model the IR computes: {@code predict} (the default),
 *                        {@code transform} (scikit-learn estimators that have both, e.g.
 *                        LinearDiscriminantAnalysis: the model then outputs {@code variable}) or
 *                        {@code predict_log_proba} (scikit-learn classifiers that have it: the model then outputs
 *                        {@code label} and {@code log_probabilities})
 */
public record ImportOptions(long readBudgetBytes, Method method) {
    /** The estimator method a compiled model computes. */
    public enum Method {
        /** {@code predict} / {@code predict_proba} / {@code decision_function}, by the model's kind. */
        PREDICT,
        /** {@code transform}, for a predictor that also has one (its outputs become {@code variable}). */
        TRANSFORM,
        /**
         * {@code predict} and {@code predict_log_proba}, for a scikit-learn classifier that has it (its outputs are
         * {@code label} and {@code log_probabilities}).
         */
        PREDICT_LOG_PROBA;

        /** The CLI spelling: {@code predict}, {@code transform} or {@code predict_log_proba}. */
        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ImportOptions {
        if (readBudgetBytes < 0) {
            throw new IllegalArgumentException("readBudgetBytes must be 0 (automatic) or positive");
        }
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
    }

    /** The automatic budget, {@code predict}. */
    public static ImportOptions defaults() {
        return new ImportOptions(0, Method.PREDICT);
    }

    /** A fixed budget of {@code bytes} (0: automatic). */
    public ImportOptions withReadBudget(long bytes) {
        return new ImportOptions(bytes, method);
    }

    /** The same options computing {@code m}. */
    public ImportOptions withMethod(Method m) {
        return new ImportOptions(readBudgetBytes, m);
    }
}
