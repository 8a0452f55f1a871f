package org.ml2tensor.ir;

/** numpy ufuncs a {@code FunctionTransformer} or {@code TransformedTargetRegressor} may reference by name. */
public enum UFunc {
    IDENTITY, LOG1P, EXPM1, LOG, EXP, SQRT, ABS, SQUARE,
    /** {@code floor(x)} (CategoricalNB reads its codes as ints; negative codes are refused by scikit-learn). */
    FLOOR
}
