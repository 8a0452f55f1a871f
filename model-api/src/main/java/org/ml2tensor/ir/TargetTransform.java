package org.ml2tensor.ir;

import java.util.Objects;

/**
 * scikit-learn's {@code TransformedTargetRegressor}: the regressor's prediction, then the target
 * transformer's inverse ({@code transformer_.inverse_transform}, or {@code inverse_func}) applied to it in
 * float64. The inverse reads the regressor's {@code variable} columns (one per target).
 *
 * @param regressor a regressor (a predictor with a {@link Head.Regression} head, or a pipeline ending in one)
 * @param inverse   the inverse target transform, reading and writing one column per target
 */
public record TargetTransform(Estimator regressor, Transformer inverse) implements Estimator {
    public TargetTransform {
        Objects.requireNonNull(regressor, "regressor");
        Objects.requireNonNull(inverse, "inverse");
        if (regressor instanceof Transformer) {
            throw new IllegalArgumentException("a target transform needs a regressor, not a transformer");
        }
        if (inverse.inputWidth() != regressor.outputWidth() || inverse.outputWidth() != regressor.outputWidth()) {
            throw new IllegalArgumentException("the inverse target transform maps " + inverse.inputWidth() + " → "
                    + inverse.outputWidth() + " columns for " + regressor.outputWidth() + " targets");
        }
    }

    @Override
    public int inputWidth() {
        return regressor.inputWidth();
    }

    @Override
    public int outputWidth() {
        return regressor.outputWidth();
    }

    @Override
    public ColumnType inputType(int column) {
        return regressor.inputType(column);
    }

    @Override
    public boolean[] missingInputs() {
        return regressor.missingInputs();
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitTargetTransform(this);
    }
}
