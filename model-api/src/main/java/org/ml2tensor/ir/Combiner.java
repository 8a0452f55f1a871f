package org.ml2tensor.ir;

import java.util.List;

/**
 * How an {@link Ensemble} combines what its members contribute (see {@link Member.Response}) into the
 * ensemble's raw scores, which its {@link ScoreTransform} and {@link Head} then turn into outputs.
 */
public sealed interface Combiner {
    /**
     * {@code np.average} of the members' contributions: {@code Σ w_i·v_i / Σ w_i}, or the plain mean
     * {@code Σ v_i / n} without weights (soft voting, VotingRegressor, Bagging).
     *
     * @param weights one per member, or null
     */
    record Average(double[] weights) implements Combiner {
        public Average {
            weights = weights == null ? null : weights.clone();
        }

        @Override
        public double[] weights() {
            return weights == null ? null : weights.clone();
        }
    }

    /**
     * Votes of the members' labels: per class, the summed weights of the members that predict it
     * ({@code np.bincount(codes, weights)}); the label is the first maximum, so a tie goes to the smallest
     * class index (hard voting). With {@code normalize} the counts are divided by the total weight
     * (Bagging's vote fractions of members without {@code predict_proba}).
     *
     * @param weights one per member, or null for 1 each
     */
    record Vote(double[] weights, boolean normalize) implements Combiner {
        public Vote {
            weights = weights == null ? null : weights.clone();
        }

        @Override
        public double[] weights() {
            return weights == null ? null : weights.clone();
        }
    }

    /**
     * Stacking: the members' contributions side by side (then, with {@code passthrough}, the ensemble's own
     * input columns) are the input of {@code finalEstimator}, whose raw scores and transform are the
     * ensemble's. A classifier's final estimator was trained on class indices.
     */
    record Stack(Estimator finalEstimator, boolean passthrough) implements Combiner {
    }

    /**
     * CalibratedClassifierCV: per member (one per fold), its scores for each class (or for class 1 of a
     * binary model) through that class's calibrator; binary {@code [1 − p, p]}, multiclass divided by the
     * row sum (uniform where it is 0), values in {@code (1, 1 + 1e-5]} set to 1; then the mean over members.
     *
     * @param calibrators per member, one per score column, in the member's column order
     * @param classIndex  per member, the ensemble class of each score column
     */
    record Calibration(List<List<Calibrator>> calibrators, List<int[]> classIndex) implements Combiner {
        public Calibration {
            calibrators = calibrators.stream().map(List::copyOf).toList();
            classIndex = classIndex.stream().map(int[]::clone).toList();
        }
    }

    /**
     * AdaBoostClassifier's decision. {@link Form#SAMME} ({@code ≥ 1.6}): per class,
     * {@code Σ_t w_t·(1 if label_t = c else −1/(K−1)) / Σ w}; {@link Form#SAMME_01} ({@code ≤ 1.5} SAMME):
     * {@code Σ_t w_t·[label_t = c] / Σ w}; {@link Form#SAMME_R} ({@code ≤ 1.5} default): per member
     * {@code (K−1)·(log p − mean_c log p)} with {@code p} clipped at the float64 epsilon, summed, divided by
     * {@code Σ w}. A binary decision is column 1 minus column 0.
     */
    record AdaBoost(double[] weights, Form form) implements Combiner {
        public enum Form { SAMME, SAMME_01, SAMME_R }

        public AdaBoost {
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }
    }

    /** AdaBoostRegressor: per row, the weighted median of the members' predictions. */
    record WeightedMedian(double[] weights) implements Combiner {
        public WeightedMedian {
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }
    }

    /**
     * OneVsRestClassifier: member {@code c} scores class {@code c} ({@code decision_function}, else
     * {@code predict_proba[:, 1]}); the label is the class of the highest score; probabilities are the members'
     * {@code predict_proba[:, 1]} divided by their row sum. A single member is a binary
     * problem: class 1 where its score is above 0 (decision) or 0.5 (probability), probabilities
     * {@code [1 − p, p]} over their sum. Before 1.9 ({@code before19}) the last of equal scores wins and a row of
     * zero probabilities is divided by its zero sum (NaN, as scikit-learn returns it); from 1.9 the first wins and
     * such a row stays 0 (checked with 1.2.1, 1.6.1 and 1.9.1).
     *
     * <p>With {@code splitResponses} the members are the {@code K} classifiers read by {@code predict} (their
     * {@code decision_function}) followed by the same {@code K} classifiers read by {@code predict_proba[:, 1]}: an
     * SVC with {@code probability=True}, whose decision and Platt probabilities are different computations.
     */
    record OneVsRest(boolean before19, boolean splitResponses) implements Combiner {
        /** Labels and probabilities from the same members. */
        public OneVsRest(boolean before19) {
            this(before19, false);
        }

        /** The number of classifiers ({@code K}, 1 for a binary problem) among {@code members} members. */
        public int classifiers(int members) {
            return splitResponses ? members / 2 : members;
        }
    }

    /**
     * OneVsOneClassifier: members for the class pairs {@code (i, j)}, {@code i < j}, in order, each with its
     * 0/1 label and its confidence ({@code decision_function} or {@code predict_proba[:, 1]}, read from the same
     * member); decision = votes + {@code s / (3·(|s| + 1))} with {@code s} the summed signed confidences
     * (scikit-learn's {@code _ovr_decision_function}); the label is its first maximum.
     *
     * @param confidenceIsProba per member, whether the confidence is {@code predict_proba[:, 1]}
     */
    record OneVsOne(boolean[] confidenceIsProba) implements Combiner {
        public OneVsOne {
            confidenceIsProba = confidenceIsProba.clone();
        }

        @Override
        public boolean[] confidenceIsProba() {
            return confidenceIsProba.clone();
        }
    }

    /**
     * MultiOutputRegressor ({@code order} null: member {@code t} predicts target {@code t}) and RegressorChain
     * (member {@code i} reads the input columns followed by the predictions of members {@code 0..i−1} and
     * predicts target {@code order[i]}).
     */
    record Targets(int[] order, boolean chain) implements Combiner {
        public Targets {
            order = order == null ? null : order.clone();
        }

        @Override
        public int[] order() {
            return order == null ? null : order.clone();
        }
    }
}
