package org.ml2tensor.importers.pickle;

import java.util.Optional;

/**
 * What a pickle would have built by calling an allowlisted global: the callable, its positional
 * arguments, keyword arguments ({@code NEWOBJ_EX} only) and the state given by {@code BUILD}. No code
 * runs; this is a record of the call.
 */
public final class PyObject implements PyValue {
    private final PyGlobal type;
    private final PyTuple args;
    private final PyDict kwargs;
    private PyValue state;
    private PyDict dictItems;

    PyObject(PyGlobal type, PyTuple args, PyDict kwargs) {
        this.type = type;
        this.args = args;
        this.kwargs = kwargs;
    }

    /**
     * The items set on this object by {@code SETITEM(S)} when it is an instance of a dict subclass (such as
     * scikit-learn's {@code Bunch}); empty otherwise.
     */
    public PyDict dictItems() {
        if (dictItems == null) {
            dictItems = new PyDict();
        }
        return dictItems;
    }

    /** The class (or factory function) that would have been called. */
    public PyGlobal type() {
        return type;
    }

    /** {@code module.name} of {@link #type()}. */
    public String className() {
        return type.qualifiedName();
    }

    public PyTuple args() {
        return args;
    }

    /** Keyword arguments of {@code NEWOBJ_EX}, or null. */
    public PyDict kwargs() {
        return kwargs;
    }

    /** The {@code BUILD} state, or null when none was given. */
    public PyValue state() {
        return state;
    }

    /**
     * The instance dictionary: the state when it is a dict, or the first element of a
     * {@code (dict, slotstate)} pair.
     */
    public Optional<PyDict> attributes() {
        if (state instanceof PyDict d) {
            return Optional.of(d);
        }
        if (state instanceof PyTuple t && t.size() == 2 && t.get(0) instanceof PyDict d) {
            return Optional.of(d);
        }
        return Optional.empty();
    }

    /** Applies a {@code BUILD}: dict states are copied into the instance dictionary, as Python does. */
    void setState(PyValue newState) {
        if (newState instanceof PyDict add) {
            PyDict target = state instanceof PyDict old ? old : new PyDict();
            for (PyDict.Entry e : add.entries()) {
                target.put(e.key(), e.value());
            }
            state = target;
        } else {
            state = newState;
        }
    }

    @Override
    public String typeName() {
        return type.name();
    }

    @Override
    public String toString() {
        return type.qualifiedName() + "(" + Containers.shallow(args.items()) + ")";
    }
}
