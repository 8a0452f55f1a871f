package org.ml2tensor.importers.pickle;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A Python {@code tuple}. Compares by identity. */
public final class PyTuple implements PyValue {
    static final PyTuple EMPTY = new PyTuple(new PyValue[0]);

    private final List<PyValue> items;

    PyTuple(PyValue[] items) {
        this.items = Collections.unmodifiableList(Arrays.asList(items));
    }

    /** Builds a tuple (for tests and callers composing values). */
    public static PyTuple of(PyValue... items) {
        return new PyTuple(items.clone());
    }

    public List<PyValue> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public PyValue get(int i) {
        return items.get(i);
    }

    @Override
    public String typeName() {
        return "tuple[" + items.size() + "]";
    }

    @Override
    public String toString() {
        return "(" + Containers.shallow(items) + ")";
    }
}
