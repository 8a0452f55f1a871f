package org.ml2tensor.ir;

import java.util.Objects;

/**
 * scikit-learn's {@code predict_log_proba} as the model's output (compile with method
 * {@code predict_log_proba}): the classifier's {@code label}, and {@code log_probabilities [N, K]} in place of
 * {@code probabilities}, computed as the estimator computes it ({@link Kind}).
 *
 * @param classifier a classifier with probabilities (a predictor with a {@link Head.Classification} head whose
 *                   {@code probabilities} is true, or a pipeline ending in one)
 * @param kind       how the estimator computes its log-probabilities
 */
public record LogProbabilities(Estimator classifier, Kind kind) implements Estimator {
    /** How an estimator's {@code predict_log_proba} is computed. */
    public enum Kind {
        /**
         * {@code log(predict_proba)}: {@code -inf} where a probability is 0 (LogisticRegression, SGDClassifier,
         * SVC, MLPClassifier, trees, forests, gradient boosting, AdaBoost, QuadraticDiscriminantAnalysis before 1.6).
         */
        LOG,
        /**
         * {@code s − max(s) − log(Σ exp(s − max(s)))} of the raw scores {@code s} (the joint log-likelihood) whose
         * probabilities are their softmax: finite where the probability underflows (the naive Bayes family,
         * QuadraticDiscriminantAnalysis from 1.6).
         */
        LOG_SOFTMAX,
        /**
         * {@code log(p)} with a probability of exactly 0 first raised to the smallest normal number of the
         * element type (LinearDiscriminantAnalysis: {@code log(2.2250738585072014e-308)} = −708.3964 in float64).
         */
        LOG_FLOORED
    }

    public LogProbabilities {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(kind, "kind");
        Estimator end = classifier;
        while (end instanceof Pipeline p) {
            end = p.last();
        }
        if (!(end instanceof Predictor p) || !(p.head() instanceof Head.Classification c) || !c.probabilities()) {
            throw new IllegalArgumentException("log-probabilities need a classifier with probabilities");
        }
        if (kind == Kind.LOG_SOFTMAX && (p.transform() != ScoreTransform.SOFTMAX || p.outputWidth() != c.labels().size())) {
            throw new IllegalArgumentException("LOG_SOFTMAX needs one raw score per class turned into probabilities"
                    + " by a softmax, not " + p.transform() + " of " + p.outputWidth() + " columns");
        }
    }

    /** The predictor that ends {@link #classifier()} (a pipeline's last step, or the classifier itself). */
    public Predictor predictor() {
        Estimator end = classifier;
        while (end instanceof Pipeline p) {
            end = p.last();
        }
        return (Predictor) end;
    }

    @Override
    public int inputWidth() {
        return classifier.inputWidth();
    }

    @Override
    public int outputWidth() {
        return classifier.outputWidth();
    }

    @Override
    public ColumnType inputType(int column) {
        return classifier.inputType(column);
    }

    @Override
    public boolean[] missingInputs() {
        return classifier.missingInputs();
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitLogProbabilities(this);
    }
}
