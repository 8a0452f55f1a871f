package org.ml2tensor.importers.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Python {@code dict}, in insertion order. Keys that are {@code str}, {@code int}, {@code float},
 * {@code bool} or {@code None} compare by value (later assignments replace earlier ones, as in Python);
 * other keys compare by identity.
 */
public final class PyDict implements PyValue {
    /** One key/value pair. */
    public record Entry(PyValue key, PyValue value) {
        @Override
        public String toString() {
            return Containers.leaf(key) + ": " + Containers.leaf(value);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<Object, Integer> index = new HashMap<>();

    PyDict() {
    }

    void put(PyValue key, PyValue value) {
        Object k = keyOf(key);
        Integer at = index.get(k);
        if (at != null) {
            entries.set(at, new Entry(entries.get(at).key(), value));
        } else {
            index.put(k, entries.size());
            entries.add(new Entry(key, value));
        }
    }

    private static Object keyOf(PyValue key) {
        if (key instanceof PyValue.PyStr s) {
            return s.value();
        }
        if (key instanceof PyValue.PyInt i) {
            return i.value();
        }
        if (key instanceof PyValue.PyBool b) {
            return b.value() ? 1L : 0L;
        }
        if (key instanceof PyValue.PyFloat f) {
            double d = f.value();
            return d == Math.rint(d) && Math.abs(d) < 0x1p62 ? (Object) (long) d : (Object) d;
        }
        if (key instanceof PyValue.PyNone) {
            return PyValue.PyNone.NONE;
        }
        return new IdentityKey(key);
    }

    private record IdentityKey(PyValue value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdentityKey k && k.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }

    /** The value for a string key, if present. */
    public Optional<PyValue> get(String key) {
        Integer at = index.get(key);
        return at == null ? Optional.empty() : Optional.of(entries.get(at).value());
    }

    public boolean containsKey(String key) {
        return index.containsKey(key);
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** The string keys, in order. */
    public List<String> stringKeys() {
        List<String> keys = new ArrayList<>();
        for (Entry e : entries) {
            if (e.key() instanceof PyValue.PyStr s) {
                keys.add(s.value());
            }
        }
        return keys;
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String typeName() {
        return "dict[" + entries.size() + "]";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        int n = Math.min(entries.size(), 8);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(entries.get(i));
        }
        if (entries.size() > n) {
            sb.append(", ... (").append(entries.size()).append(" items)");
        }
        return sb.append('}').toString();
    }
}
