package org.ml2tensor.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One model output as a Spark column: the graph output it reads, the column name, and how it is typed.
 *
 * @param graphName  the ONNX output name ({@code label}, {@code probabilities}, {@code scores}, {@code variable}, …)
 * @param columnName the Spark column it becomes
 * @param kind       the Spark type family
 */
public record OutputColumn(String graphName, String columnName, Kind kind) implements Serializable {
    /** How an output maps to a Spark type. */
    public enum Kind {
        /** int64 (or narrower integer) labels → {@code bigint}. */
        LONG_LABEL,
        /** string labels → {@code string}. */
        STRING_LABEL,
        /** one float per row → {@code double}. */
        SCALAR,
        /** several floats per row → {@code array<double>} (or a Spark ML vector). */
        ARRAY
    }

    public OutputColumn {
        Objects.requireNonNull(graphName, "graphName");
        Objects.requireNonNull(columnName, "columnName");
        Objects.requireNonNull(kind, "kind");
    }

    /** The same output under another column name. */
    public OutputColumn renamed(String name) {
        return new OutputColumn(graphName, name, kind);
    }
}
