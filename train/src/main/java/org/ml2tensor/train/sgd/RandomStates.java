package org.ml2tensor.train.sgd;

import java.security.SecureRandom;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.random.NumpyRandomState;

/** {@code check_random_state} and label helpers shared by the estimators. */
public final class RandomStates {
    private static final NumpyRandomState GLOBAL = new NumpyRandomState(new SecureRandom().nextInt() & 0xFFFF_FFFFL);

    private RandomStates() {
    }

    /** An int seed → a fresh {@code RandomState(seed)} (every call); None → the shared, advancing one. */
    public static NumpyRandomState check(Long seed) {
        if (seed == null) {
            return GLOBAL;
        }
        return new NumpyRandomState(seed);
    }

    static boolean integral(double[] labels) {
        for (double v : labels) {
            if (v != Math.rint(v) || Math.abs(v) > 1e15) {
                return false;
            }
        }
        return true;
    }

    /** IR labels: integers when every label is integral, else their text. */
    public static ClassLabels labels(double[] classes) {
        if (integral(classes)) {
            long[] v = new long[classes.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (long) classes[i];
            }
            return new ClassLabels.Ints(v);
        }
        java.util.List<String> s = new java.util.ArrayList<>();
        for (double c : classes) {
            s.add(Double.toString(c));
        }
        return new ClassLabels.Strings(s);
    }

    /** {@code classes_} as int64 when integral (as pandas reads an integer column), else float64. */
    public static Py.Array labelArray(double[] classes) {
        if (integral(classes)) {
            long[] v = new long[classes.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (long) classes[i];
            }
            return Py.Array.ofLongs(v);
        }
        return Py.Array.of(classes);
    }
}
