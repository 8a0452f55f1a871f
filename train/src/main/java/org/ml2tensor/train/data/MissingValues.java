package org.ml2tensor.train.data;

/** What a reader does with a missing cell (empty or {@code nan}). */
public enum MissingValues {
    /** Stop with the file, line and column (the default: scikit-learn's SGD rejects NaN). */
    ERROR,
    /** Skip rows with a missing feature, target or weight. */
    DROP_ROW,
    /** Pass NaN through (estimators that handle it, e.g. the scalers). */
    KEEP
}
