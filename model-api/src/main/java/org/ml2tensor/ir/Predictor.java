package org.ml2tensor.ir;

/** An estimator that ends a model with scores: raw scores, then {@link #transform()}, then {@link #head()}. */
public sealed interface Predictor extends Estimator permits LinearModel, TreeEnsemble, KernelSvm, Mlp, Neighbors, QuadraticModel,
        Ensemble, MultiTarget {
    /** Raw scores → output values. */
    ScoreTransform transform();

    /** Which graph outputs the values become. */
    Head head();
}
