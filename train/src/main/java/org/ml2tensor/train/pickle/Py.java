package org.ml2tensor.train.pickle;

import java.util.ArrayList;
import java.util.List;

/** Python values that {@link PickleWriter} can write: what a fitted scikit-learn estimator's state holds. */
public sealed interface Py {
    /** {@code None}. */
    record None() implements Py {
    }

    /** {@code True}/{@code False}. */
    record Bool(boolean value) implements Py {
    }

    /** A Python int. */
    record Int(long value) implements Py {
    }

    /** A Python float. */
    record Float(double value) implements Py {
    }

    /** A Python str. */
    record Str(String value) implements Py {
    }

    /** A Python tuple. */
    record Tuple(List<Py> items) implements Py {
    }

    /** A Python list. */
    record PyList(List<Py> items) implements Py {
    }

    /** A Python dict with string keys, in insertion order. */
    record Dict(List<String> keys, List<Py> values) implements Py {
        public static Dict empty() {
            return new Dict(new ArrayList<>(), new ArrayList<>());
        }

        /** Adds an entry and returns this dict. */
        public Dict put(String key, Py value) {
            keys.add(key);
            values.add(value);
            return this;
        }
    }

    /** A dict with float keys (a class_weight mapping). */
    record FloatKeyDict(double[] keys, double[] values) implements Py {
    }

    /**
     * A C-ordered numpy array of float64 ({@code f8}) or int64 ({@code i8}) values.
     *
     * @param shape dimensions (empty for a 0-d array)
     */
    record Array(String dtype, long[] shape, double[] doubles, long[] longs) implements Py {
        public static Array of(double[] v) {
            return new Array("f8", new long[]{v.length}, v.clone(), null);
        }

        public static Array of(double[][] v) {
            int cols = v.length == 0 ? 0 : v[0].length;
            double[] flat = new double[v.length * cols];
            for (int i = 0; i < v.length; i++) {
                System.arraycopy(v[i], 0, flat, i * cols, cols);
            }
            return new Array("f8", new long[]{v.length, cols}, flat, null);
        }

        public static Array ofLongs(long[] v) {
            return new Array("i8", new long[]{v.length}, null, v.clone());
        }
    }

    /** An instance {@code module.name} restored with {@code __setstate__(state)}, as scikit-learn pickles them. */
    record Instance(String module, String name, Dict state) implements Py {
    }

    static Py of(double v) {
        return new Float(v);
    }

    static Py of(long v) {
        return new Int(v);
    }

    static Py of(boolean v) {
        return new Bool(v);
    }

    static Py of(String v) {
        return v == null ? new None() : new Str(v);
    }

    static Py none() {
        return new None();
    }
}
