package org.ml2tensor.ir;

import java.util.Arrays;
import java.util.List;

/**
 * Which input columns may hold missing values (NaN, or the empty string in a string column): trees route
 * them, imputers fill them, encoders match them, scalers pass them on to whatever reads their output, and
 * linear models and projections would spread them. Computed per column, backwards from the final estimator.
 */
public final class Missing {
    private Missing() {
    }

    /** {@code n} copies of {@code value}. */
    public static boolean[] all(int n, boolean value) {
        boolean[] out = new boolean[n];
        Arrays.fill(out, value);
        return out;
    }

    public static boolean allTrue(boolean[] v) {
        for (boolean b : v) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    /** What the first of {@code steps} accepts, given what reads the last one's output accepts. */
    public static boolean[] through(List<Transformer> steps, boolean[] outputsAccept) {
        boolean[] acc = outputsAccept;
        for (int i = steps.size() - 1; i >= 0; i--) {
            acc = steps.get(i).missingInputs(acc);
        }
        return acc;
    }
}
