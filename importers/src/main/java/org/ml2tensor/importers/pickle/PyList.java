package org.ml2tensor.importers.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Python {@code list}. Compares by identity; read-only once the reader returns it. */
public final class PyList implements PyValue {
    private final ArrayList<PyValue> items = new ArrayList<>();
    private final List<PyValue> view = Collections.unmodifiableList(items);

    PyList() {
    }

    void add(PyValue v) {
        items.add(v);
    }

    void addAll(List<PyValue> vs) {
        items.addAll(vs);
    }

    public List<PyValue> items() {
        return view;
    }

    public int size() {
        return items.size();
    }

    public PyValue get(int i) {
        return items.get(i);
    }

    @Override
    public String typeName() {
        return "list[" + items.size() + "]";
    }

    @Override
    public String toString() {
        return "[" + Containers.shallow(items) + "]";
    }
}
