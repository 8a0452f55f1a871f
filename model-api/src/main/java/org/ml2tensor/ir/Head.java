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
     * Several classification targets predicted at once (scikit-learn multi-output and multilabel
     * classifiers). Outputs: {@code label [N, T]}, target {@code t} in column {@code t} (int64, or string when
     * any target has string classes: integer classes are then written as their decimal text), and, when
     * {@code probabilities}, {@code probabilities [N, Σ K_t]}: each target's {@code predict_proba} block
     * {@code [N, K_t]} in target order. A multilabel target (one sigmoid or one binary classifier per label,
     * where scikit-learn returns only {@code p}) has classes {@code [0, 1]} and the block {@code [1 − p, p]}.
     *
     * @param targets       the class labels of each target, in target (output column) order
     * @param probabilities whether every target has {@code predict_proba}; without it only {@code label}
     */
    record MultiClassification(java.util.List<ClassLabels> targets, boolean probabilities) implements Head {
        public MultiClassification {
            targets = java.util.List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a multi-output classifier needs at least 1 target");
            }
            for (ClassLabels l : targets) {
                if (l.size() < 2) {
                    throw new IllegalArgumentException("every target needs at least 2 classes");
                }
            }
        }

        /** Whether {@code label} holds strings (some target has string classes). */
        public boolean stringLabels() {
            return targets.stream().anyMatch(l -> l instanceof ClassLabels.Strings);
        }

        /** Width of {@code probabilities}: the sum of the targets' class counts. */
        public int probabilityWidth() {
            return targets.stream().mapToInt(ClassLabels::size).sum();
        }
    }

    /**
     * Outlier detection (IsolationForest): {@code scores = transform(raw) - offset} is scikit-learn's
     * {@code decision_function}; {@code label} = -1 where that score is negative, else 1.
     */
    record Outlier(double offset) implements Head {
    }
}
