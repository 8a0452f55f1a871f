package org.ml2tensor.runtime;

/**
 * Predicted labels, one per row: int64 ({@link Output.Longs}) for integer classes and outlier flags,
 * or strings ({@link Output.Strings}) for string classes.
 */
public sealed interface Labels permits Output.Longs, Output.Strings {
    /** Number of rows. */
    int size();

    /** The label of {@code row} as text. */
    String labelText(int row);

    /** The int64 labels; throws {@link IllegalStateException} for string labels. */
    long[] asLongs();

    /** The labels as text (a copy). */
    default String[] asStrings() {
        String[] out = new String[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labelText(i);
        }
        return out;
    }

    /** Whether the labels are strings. */
    default boolean isText() {
        return this instanceof Output.Strings;
    }
}
