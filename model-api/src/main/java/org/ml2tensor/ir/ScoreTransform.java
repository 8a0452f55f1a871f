package org.ml2tensor.ir;

/**
 * Element-wise or row-wise function from raw scores (margins) to the predictor's output values.
 */
public enum ScoreTransform {
    /** Raw scores as they are. */
    IDENTITY,
    /** {@code 1/(1+exp(-x))} per column (binary logistic, one-vs-rest, multiclassova). */
    LOGISTIC,
    /** Softmax over the columns of a row. */
    SOFTMAX,
    /** {@code exp(x)} (Poisson, Gamma, Tweedie). */
    EXP,
    /** {@code 1/(1+exp(-2x))} (sklearn GradientBoosting exponential loss). */
    LOGISTIC_2X,
    /** Logistic per column, then divide by the row sum (sklearn one-vs-rest LogisticRegression). */
    LOGISTIC_NORMALIZED,
    /** Divide by the row sum (probabilities from class weights/counts). */
    NORMALIZE,
    /** {@code log(1+exp(x))} (LightGBM cross_entropy_lambda). */
    LOG1P_EXP,
    /** {@code sign(x)·x²} (LightGBM regression with the sqrt flag). */
    SIGNED_SQUARE,
    /**
     * {@code -(2^-x)}: IsolationForest {@code score_samples} when x is the mean path length already divided
     * by {@code c(max_samples)} (importers fold that divisor into the leaf values).
     */
    ISOLATION,
    /**
     * SGDClassifier {@code loss='modified_huber'}: {@code (clip(x, -1, 1) + 1) / 2} per column; with several
     * columns each row is then divided by its sum, and a row of zeros becomes uniform.
     */
    MODIFIED_HUBER,
    /** {@code sqrt(max(-x, 0))}: Euclidean distances from negated squared distances (KMeans). */
    SQRT_NEG
}
