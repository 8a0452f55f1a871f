package org.ml2tensor.ir;

/** How a numeric split compares a feature value {@code x} with its threshold {@code t}; true goes left. */
public enum Comparison {
    /** {@code x <= t} (scikit-learn, LightGBM). */
    LESS_OR_EQUAL,
    /** {@code x < t} (XGBoost). */
    LESS
}
