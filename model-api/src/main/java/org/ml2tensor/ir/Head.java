package org.ml2tensor.ir;

/**
 * What a predictor's raw scores mean and which graph outputs they become.
 * Graph outputs follow skl2onnx conventions: {@code label} + {@code probabilities} for classifiers,
 * {@code label} + {@code scores} for classifiers without probabilities, {@code variable} for
 * regressors, {@code label} + {@code scores} for outlier detectors.
 */
public sealed interface Head {
    /** Regression: {@code variable} = transformed scores, one column per target. */
    record Regression(int targets) implements Head {
        public Regression {
            if (targets <= 0) {
                throw new IllegalArgumentException("targets must be positive");
            }
        }
    }

    /**
     * Classification. With one raw score column and two classes the score is a margin: class 1 iff
     * margin &gt; 0, and probabilities are {@code [1-p, p]}. Otherwise one column per class and the label
     * is the arg-max (first maximum wins, as in numpy).
     *
     * @param labels        class labels in model order
     * @param probabilities whether the transformed scores are probabilities ({@code predict_proba});
     *                      when false they are decision values ({@code decision_function})
     */
    record Classification(ClassLabels labels, boolean probabilities) implements Head {
        public Classification {
            if (labels.size() < 2) {
                throw new IllegalArgumentException("a classifier needs at least 2 classes");
            }
        }
    }

    /**
     * Outlier detection (IsolationForest): {@code scores = transform(raw) - offset} is scikit-learn's
     * {@code decision_function}; {@code label} = -1 where that score is negative, else 1.
     */
    record Outlier(double offset) implements Head {
    }
}
