package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.pickle.NdArray;

/** Reads {@code coef_} and {@code intercept_} of linear models in their various shapes. */
record LinearParts(double[][] weights, double[] intercepts) {

    int outputs() {
        return weights.length;
    }

    int inputs() {
        return weights[0].length;
    }

    /**
     * {@code coef_} as {@code [outputs][features]} (a vector is one output) and {@code intercept_} as a
     * scalar, a vector of one per output, or absent (zero).
     */
    static LinearParts read(SklearnObject est) {
        NdArray coef = est.array("coef_");
        double[][] w;
        if (coef.ndim() == 1) {
            w = est.matrix("coef_", 1, -1, true);
        } else if (coef.ndim() == 2) {
            w = est.matrix("coef_", -1, -1, false);
        } else {
            throw est.invalid("coef_", "expected float64[n_features] or float64[outputs, n_features], found "
                    + coef.typeName());
        }
        if (w.length == 0 || w[0].length == 0) {
            throw est.invalid("coef_", "empty coefficient array " + coef.typeName());
        }
        double[] b = new double[w.length];
        if (est.has("intercept_")) {
            double[] given = est.doubles("intercept_");
            if (given.length == 1) {
                java.util.Arrays.fill(b, given[0]);
            } else if (given.length == w.length) {
                b = given;
            } else {
                throw est.invalid("intercept_", "expected 1 or " + w.length + " intercepts, found " + given.length);
            }
        }
        return new LinearParts(w, b);
    }

    void requireInputs(SklearnObject est, int features) {
        if (inputs() != features) {
            throw est.invalid("coef_", "expected float64[" + outputs() + ", " + features + "], found "
                    + outputs() + " x " + inputs());
        }
    }
}
