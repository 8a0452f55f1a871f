package org.ml2tensor.ir;

import java.util.Objects;

/**
 * {@code scores = transform(x · Wᵀ + b)}.
 *
 * @param weights    {@code [outputs][inputs]}
 * @param intercepts {@code [outputs]}
 * @param transform  score transform
 * @param head       meaning of the scores
 */
public record LinearModel(double[][] weights, double[] intercepts, ScoreTransform transform, Head head)
        implements Predictor {
    public LinearModel {
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(head, "head");
        if (weights.length == 0 || weights[0].length == 0) {
            throw new IllegalArgumentException("weights must be non-empty");
        }
        int width = weights[0].length;
        for (double[] row : weights) {
            if (row.length != width) {
                throw new IllegalArgumentException("ragged weights");
            }
        }
        if (intercepts.length != weights.length) {
            throw new IllegalArgumentException("intercepts has " + intercepts.length + " values for "
                    + weights.length + " outputs");
        }
    }

    @Override
    public int inputWidth() {
        return weights[0].length;
    }

    @Override
    public int outputWidth() {
        return weights.length;
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.all(inputWidth(), false);
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitLinearModel(this);
    }
}
