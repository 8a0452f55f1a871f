package org.ml2tensor.importers.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Python {@code set} or {@code frozenset}, kept as its items in stream order. */
public final class PySet implements PyValue {
    private final ArrayList<PyValue> items = new ArrayList<>();
    private final boolean frozen;

    PySet(boolean frozen) {
        this.frozen = frozen;
    }

    void add(PyValue v) {
        items.add(v);
    }

    public List<PyValue> items() {
        return Collections.unmodifiableList(items);
    }

    public boolean isFrozen() {
        return frozen;
    }

    @Override
    public String typeName() {
        return (frozen ? "frozenset[" : "set[") + items.size() + "]";
    }

    @Override
    public String toString() {
        return "{" + Containers.shallow(items) + "}";
    }
}
