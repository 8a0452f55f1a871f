package org.ml2tensor.importers.pickle;

import java.util.List;

/** Shallow rendering of container contents, safe for cyclic values. */
final class Containers {
    private Containers() {
    }

    static String shallow(List<PyValue> items) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(items.size(), 8);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(leaf(items.get(i)));
        }
        if (items.size() > n) {
            sb.append(", ... (").append(items.size()).append(" items)");
        }
        return sb.toString();
    }

    /** Scalars print their value, containers only their type. */
    static String leaf(PyValue v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof PyTuple || v instanceof PyList || v instanceof PyDict || v instanceof PySet
                || v instanceof PyObject || v instanceof NdArray || v instanceof PyDType) {
            return "<" + v.typeName() + ">";
        }
        return v.toString();
    }
}
