package org.ml2tensor.compiler.ir;

/**
 * A node of the model IR that maps rows of {@link #inputWidth()} numbers to outputs. Predictors carry a
 * {@link Head} describing their outputs; transformers produce {@link #outputWidth()} columns.
 */
public sealed interface Estimator permits LinearModel, TreeEnsemble, Pipeline, Transformer {
    /** Number of input columns this estimator reads. */
    int inputWidth();

    /** Number of numeric columns this estimator's main output has (scores, probabilities, values). */
    int outputWidth();
}
