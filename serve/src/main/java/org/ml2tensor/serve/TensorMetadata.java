package org.ml2tensor.serve;

import java.util.List;

/**
 * A model input or output as the protocol's metadata describes it.
 *
 * @param name     tensor name
 * @param datatype protocol data type
 * @param shape    dimensions, -1 for variable ones (the batch)
 */
public record TensorMetadata(String name, Datatype datatype, List<Long> shape) {
    public TensorMetadata {
        shape = List.copyOf(shape);
    }
}
