package org.ml2tensor.ir;

/**
 * A node of the model IR that maps rows of {@link #inputWidth()} typed columns to outputs. Predictors carry
 * a {@link Head} describing their outputs; transformers produce {@link #outputWidth()} columns.
 * Every kind is visited by {@link EstimatorVisitor} (and transformers by {@link TransformerVisitor}).
 */
public sealed interface Estimator permits Predictor, Pipeline, Transformer, TargetTransform,
        LogProbabilities {
    /** Number of input columns this estimator reads. */
    int inputWidth();

    /** Number of columns this estimator's main output has (scores, probabilities, values). */
    int outputWidth();

    /** The type this estimator needs in input column {@code column} (numeric unless it says otherwise). */
    default ColumnType inputType(int column) {
        return ColumnType.FLOAT;
    }

    /** For each input column, whether a missing value there has a defined result (see {@link Missing}). */
    boolean[] missingInputs();

    <R> R accept(EstimatorVisitor<R> visitor);
}
