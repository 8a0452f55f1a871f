package org.ml2tensor.ir;

import java.util.Objects;

/**
 * k nearest neighbours over a stored training set (scikit-learn {@code KNeighborsClassifier} /
 * {@code KNeighborsRegressor}, brute-force semantics): the {@code k} points nearest a row, the lowest training
 * index first among equal distances. Uniform weights average them; distance weights use {@code 1/d}, except that
 * when any of them is at distance 0 those get weight 1 and the others 0. A classifier's probabilities are the
 * weighted class shares and its label their first arg-max (ties go to the smallest class).
 *
 * @param points          training rows {@code [n][features]} ({@code _fit_X})
 * @param metric          distance
 * @param p               Minkowski power (only for {@link Metric#MINKOWSKI})
 * @param k               neighbours per row ({@code n_neighbors}), at most {@code n}
 * @param distanceWeights {@code weights='distance'} (else uniform)
 * @param classOf         classifier: class index per training row ({@code _y}); else empty
 * @param targets         regressor: {@code [n][targets]} ({@code _y}); else empty
 * @param head            classification with probabilities, or regression
 */
public record Neighbors(double[][] points, Metric metric, double p, int k, boolean distanceWeights, int[] classOf,
                        double[][] targets, Head head) implements Predictor {

    /** The metrics of {@code effective_metric_} that are supported. */
    public enum Metric {
        EUCLIDEAN, MANHATTAN, CHEBYSHEV, MINKOWSKI
    }

    public Neighbors {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(head, "head");
        if (points.length == 0 || points[0].length == 0) {
            throw new IllegalArgumentException("no training points");
        }
        for (double[] row : points) {
            if (row.length != points[0].length) {
                throw new IllegalArgumentException("ragged training points");
            }
        }
        if (k < 1 || k > points.length) {
            throw new IllegalArgumentException("k = " + k + " for " + points.length + " training points");
        }
        if (metric == Metric.MINKOWSKI && !(p > 0 && Double.isFinite(p))) {
            throw new IllegalArgumentException("Minkowski p must be positive and finite: " + p);
        }
        if (head instanceof Head.Classification c) {
            if (classOf.length != points.length || !c.probabilities()) {
                throw new IllegalArgumentException("a classifier needs one class per training point, with probabilities");
            }
            for (int y : classOf) {
                if (y < 0 || y >= c.labels().size()) {
                    throw new IllegalArgumentException("class index " + y + " out of range");
                }
            }
        } else if (head instanceof Head.Regression r) {
            if (targets.length != points.length) {
                throw new IllegalArgumentException("a regressor needs targets for every training point");
            }
            for (double[] t : targets) {
                if (t.length != r.targets()) {
                    throw new IllegalArgumentException("targets must have " + r.targets() + " values");
                }
            }
        } else {
            throw new IllegalArgumentException("nearest neighbours classify or regress");
        }
    }

    @Override
    public int inputWidth() {
        return points[0].length;
    }

    @Override
    public int outputWidth() {
        return head instanceof Head.Classification c ? c.labels().size() : ((Head.Regression) head).targets();
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.all(inputWidth(), false);
    }

    @Override
    public ScoreTransform transform() {
        return ScoreTransform.IDENTITY;
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitNeighbors(this);
    }
}
