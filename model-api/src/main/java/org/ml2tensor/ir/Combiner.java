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
}
