package org.ml2tensor.runtime.io;

import java.util.Locale;

/** How input columns are matched to a model's features (see {@link ColumnBinding}). */
public enum ColumnMatching {
    /** By name when the model has real feature names and the input a header; otherwise by position. */
    AUTO,
    /** By header name, in any order; columns the model does not use are ignored. */
    BY_NAME,
    /** By position; the header (if any) is not checked, only the column count. */
    BY_POSITION;

    /** {@code auto}, {@code by-name}, {@code by-position}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #cliName()}; {@link IllegalArgumentException} for anything else. */
    public static ColumnMatching fromCli(String s) {
        for (ColumnMatching m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException(s);
    }
}
