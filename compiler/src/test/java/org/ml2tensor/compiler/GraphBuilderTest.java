package org.ml2tensor.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.ml2tensor.compiler.onnx.Attribute;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.OpSchema;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

class GraphBuilderTest {

    @Test
    void opsCarryTypesAndShapes() {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", DType.FLOAT, Shape.batch(4));
        Value w = g.floats("w", new float[12], 4, 3);
        Value y = g.matMul(x, w);
        assertEquals(Shape.batch(3), y.shape());
        Value b = g.lessOrEqual(y, g.scalar(DType.FLOAT, 1));
        assertEquals(DType.BOOL, b.dtype());
        Value idx = g.ints("idx", new int[]{0, 2}, 2);
        assertEquals(Shape.batch(2), g.gather(x, idx, 1).shape());
        assertEquals("matmul_1", y.name());
    }

    @Test
    void contractViolationsAreRefusedWhenTheNodeIsBuilt() {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", DType.FLOAT, Shape.batch(4));
        Value i = g.ints("i", new int[]{1}, 1);
        assertThrows(Ml2TensorException.class, () -> g.add(x, i), "mixed element types");
        assertThrows(Ml2TensorException.class, () -> g.matMul(x, g.floats("w", new float[6], 3, 2)),
                "inner dimensions");
        assertThrows(Ml2TensorException.class, () -> g.gather(x, x, 1), "float indices");
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> g.custom(OpSchema.SOFTMAX, List.of(x), List.of(Attribute.of("axes", 1)), DType.FLOAT, x.shape()));
        assertEquals(ErrorCode.GRAPH, e.code());
        assertTrue(e.getMessage().contains("unknown attribute 'axes'"), e.getMessage());
        assertThrows(Ml2TensorException.class,
                () -> g.custom(OpSchema.SOFTMAX, List.of(x, x), List.of(), DType.FLOAT, x.shape()), "arity");
        assertThrows(Ml2TensorException.class,
                () -> new GraphBuilder("other").sigmoid(x), "value of another graph");
        assertThrows(Ml2TensorException.class, () -> g.input("x", DType.FLOAT, Shape.batch(1)), "duplicate name");
    }
}
