package org.ml2tensor.ir;

import java.util.List;

/**
 * Transformers applied in order, then a final estimator: scikit-learn's {@code Pipeline} ending in a
 * predictor (a pipeline of transformers only is a {@link Transformer.Chain}). Widths and column types are
 * checked step by step.
 */
public record Pipeline(List<Transformer> steps, Estimator last) implements Estimator {
    public Pipeline {
        steps = List.copyOf(steps);
        Transformer.Chain.checkFlow(steps, last);
    }

    @Override
    public int inputWidth() {
        return steps.isEmpty() ? last.inputWidth() : steps.get(0).inputWidth();
    }

    @Override
    public int outputWidth() {
        return last.outputWidth();
    }

    @Override
    public ColumnType inputType(int column) {
        return steps.isEmpty() ? last.inputType(column) : steps.get(0).inputType(column);
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.through(steps, last.missingInputs());
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitPipeline(this);
    }
}
