package org.ml2tensor.ir;

import java.util.Objects;

/**
 * One sub-estimator of an {@link Ensemble}: any estimator that ends in a predictor (a bare predictor, a
 * pipeline, another ensemble), the input columns it reads, and which of its outputs the combining head uses.
 *
 * @param name      the member's name in the library (for messages and {@code inspect})
 * @param estimator the sub-estimator, lowered and evaluated like a whole model
 * @param columns   the ensemble input columns it reads, in order (Bagging's {@code estimators_features_}),
 *                  or null for all of them
 * @param response  which output of the member the head reads
 * @param classMap  for classifier members, the ensemble class index of each of the member's classes (a
 *                  bootstrap sample may have missed classes), or null when they are the same
 */
public record Member(String name, Estimator estimator, int[] columns, Response response, int[] classMap) {
    /** What a member contributes, named after scikit-learn's response methods. */
    public enum Response {
        /** {@code predict} of a regressor: its values. */
        VALUE,
        /** {@code predict} of a classifier: the class index (through {@code classMap}). */
        LABEL,
        /** {@code predict_proba}: one column per ensemble class (through {@code classMap}). */
        PROBA,
        /** {@code predict_proba[:, 1:]} of a binary classifier (stacking and calibration drop column 0). */
        PROBA_POSITIVE,
        /** {@code decision_function}: the member's raw scores ({@code [N]} for binary, {@code [N, K]}). */
        DECISION
    }

    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(response, "response");
        columns = columns == null ? null : columns.clone();
        classMap = classMap == null ? null : classMap.clone();
        if (columns != null && columns.length != estimator.inputWidth()) {
            throw new IllegalArgumentException("member " + name + " reads " + estimator.inputWidth()
                    + " columns but is given " + columns.length);
        }
    }

    @Override
    public int[] columns() {
        return columns == null ? null : columns.clone();
    }

    @Override
    public int[] classMap() {
        return classMap == null ? null : classMap.clone();
    }

    /** The predictor that ends this member (a pipeline's last step). */
    public Predictor predictor() {
        Estimator e = estimator;
        while (e instanceof Pipeline p) {
            e = p.last();
        }
        if (e instanceof Predictor p) {
            return p;
        }
        throw new IllegalArgumentException("member " + name + " is a transformer, not a predictor");
    }

    /** How many columns this member contributes for an ensemble of {@code classes} classes (0: regression). */
    public int width(int classes) {
        Predictor p = predictor();
        return switch (response) {
            case VALUE -> p.outputWidth();
            case LABEL, PROBA_POSITIVE -> 1;
            case PROBA -> classes;
            case DECISION -> p.outputWidth();
        };
    }
}
