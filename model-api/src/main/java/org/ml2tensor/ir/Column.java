package org.ml2tensor.ir;

import java.util.Objects;

/** A named, typed column of a model's input. */
public record Column(String name, ColumnType type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
