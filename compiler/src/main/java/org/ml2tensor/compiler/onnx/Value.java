package org.ml2tensor.compiler.onnx;

/**
 * A named tensor value of a graph under construction (graph input, initializer or node output), with its
 * element type and shape. Values belong to the {@link GraphBuilder} that made them.
 */
public record Value(String name, DType dtype, Shape shape, GraphBuilder owner) {
    public int rank() {
        return shape.rank();
    }

    @Override
    public String toString() {
        return name + ":" + dtype + shape;
    }
}
