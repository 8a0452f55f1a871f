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
 * @param labeller   null, or an estimator over the same input whose label is {@code predict} where the
 *                   classifier's arg-max is not (NearestCentroid with uniform priors: {@code predict} is the
 *                   nearest centroid, {@code predict_log_proba} the log-softmax of the discriminant scores)
 */
public record LogProbabilities(Estimator classifier, Kind kind, Estimator labeller) implements Estimator {
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
        LOG_FLOORED,
        /**
         * BaggingClassifier whose members compute {@link #LOG_SOFTMAX} (naive Bayes, QDA from 1.6): each member's
         * log-softmax, spread over the ensemble's classes ({@code -inf} for a class a member did not see), folded
         * in member order with numpy's {@code logaddexp}, then {@code − log(n_members)}.
         */
        BAGGED_LOG_SOFTMAX,
        /** As {@link #BAGGED_LOG_SOFTMAX} with members computing {@link #LOG_FLOORED} (LinearDiscriminantAnalysis). */
        BAGGED_LOG_FLOORED;

        /** For a bagged kind, how each member computes its log-probabilities; else this kind. */
        public Kind member() {
            return switch (this) {
                case BAGGED_LOG_SOFTMAX -> LOG_SOFTMAX;
                case BAGGED_LOG_FLOORED -> LOG_FLOORED;
                default -> this;
            };
        }

        /** Whether the members' log-probabilities are combined with {@code logaddexp} (BaggingClassifier). */
        public boolean bagged() {
            return this == BAGGED_LOG_SOFTMAX || this == BAGGED_LOG_FLOORED;
        }
    }

    public LogProbabilities(Estimator classifier, Kind kind) {
        this(classifier, kind, null);
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
        if (labeller != null) {
            Estimator l = labeller;
            while (l instanceof Pipeline lp) {
                l = lp.last();
            }
            if (!(l instanceof Predictor lp) || !(lp.head() instanceof Head.Classification lc)
                    || !lc.labels().asText().equals(c.labels().asText()) || labeller.inputWidth() != classifier.inputWidth()) {
                throw new IllegalArgumentException("the labeller must classify the same input into the same classes");
            }
        }
        if (kind.bagged()) {
            if (!(p instanceof Ensemble e) || !(e.combiner() instanceof Combiner.Average a) || a.weights() != null
                    || e.members().stream().anyMatch(m -> m.response() != Member.Response.PROBA)) {
                throw new IllegalArgumentException(kind + " needs an unweighted mean of the members' probabilities");
            }
            for (Member m : e.members()) {
                Predictor mp = m.predictor();
                if (kind.member() == Kind.LOG_SOFTMAX && mp.transform() != ScoreTransform.SOFTMAX) {
                    throw new IllegalArgumentException("member " + m.name() + " has no softmax scores");
                }
            }
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
