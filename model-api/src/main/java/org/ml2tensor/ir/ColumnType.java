package org.ml2tensor.ir;

/**
 * The type of one input or intermediate column. {@link #FLOAT} and {@link #INT} columns are numbers (NaN =
 * missing) and travel together in one numeric tensor; {@link #STRING} columns hold text (the empty string =
 * missing) and are only read by the first, category-lookup steps of a graph.
 */
public enum ColumnType {
    FLOAT, INT, STRING;

    public boolean isNumeric() {
        return this != STRING;
    }

    /** The type a column gets when two readers need {@code this} and {@code other}; null when they conflict. */
    public ColumnType merge(ColumnType other) {
        if (this == other) {
            return this;
        }
        if (isNumeric() && other.isNumeric()) {
            return INT;
        }
        return null;
    }

    /** Lower-case name used in metadata and messages ({@code float}, {@code int}, {@code string}). */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
