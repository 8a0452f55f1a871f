package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.ir.Comparison;

/**
 * Rounds float64 thresholds to float32 so that a float32 comparison makes exactly the decision the
 * library makes on float32 inputs: for {@code x <= t} the largest float32 not above {@code t}; for
 * {@code x < t} the smallest float32 not below {@code t}. Infinities and NaN are kept.
 */
public final class Thresholds {
    private Thresholds() {
    }

    public static float toFloat32(double t, Comparison comparison) {
        float f = (float) t;
        if (Double.isNaN(t) || Double.isInfinite(t)) {
            return f;
        }
        if (comparison == Comparison.LESS_OR_EQUAL && f > t) {
            return Math.nextDown(f);
        }
        if (comparison == Comparison.LESS && f < t) {
            return Math.nextUp(f);
        }
        return f;
    }
}
