package org.ml2tensor.runtime;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A model input or output as declared in the graph: name, element type and shape, with {@code -1}
 * for a dynamic dimension such as the batch. {@code tensor} is false for sequence and map values,
 * which this runtime lists but does not return.
 */
public record TensorSpec(String name, boolean tensor, ElementType elementType, List<Long> shape, String description) {
    public TensorSpec {
        shape = List.copyOf(shape);
    }

    /** Declared rank, or -1 for a non-tensor value. */
    public int rank() {
        return tensor ? shape.size() : -1;
    }

    @Override
    public String toString() {
        if (!tensor) {
            return name + ": " + description;
        }
        return name + ": " + elementType.name().toLowerCase(java.util.Locale.ROOT)
                + shape.stream().map(d -> d < 0 ? "?" : d.toString()).collect(Collectors.joining(", ", "[", "]"));
    }
}
