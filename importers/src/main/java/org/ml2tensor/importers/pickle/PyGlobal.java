package org.ml2tensor.importers.pickle;

/**
 * A reference to an allowlisted Python global ({@code module.name}). It is a marker only: the reader
 * never imports or calls anything.
 */
public record PyGlobal(String module, String name) implements PyValue {
    /** {@code module.name}. */
    public String qualifiedName() {
        return module + "." + name;
    }

    @Override
    public String typeName() {
        return "global " + qualifiedName();
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
