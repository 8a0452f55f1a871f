package org.ml2tensor.runtime;

import com.google.protobuf.ByteString;
import java.util.List;
import org.ml2tensor.onnx.proto.OnnxMl.AttributeProto;
import org.ml2tensor.onnx.proto.OnnxMl.GraphProto;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.NodeProto;
import org.ml2tensor.onnx.proto.OnnxMl.OperatorSetIdProto;
import org.ml2tensor.onnx.proto.OnnxMl.StringStringEntryProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;
import org.ml2tensor.onnx.proto.OnnxMl.TypeProto;
import org.ml2tensor.onnx.proto.OnnxMl.ValueInfoProto;

/** Small hostile or broken {@code .onnx} models, crafted in code (nothing committed). */
final class HostileModels {
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private HostileModels() {
    }

    static ModelProto model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("hostile")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }

    /** {@code Y = X + W} where the 4 floats of {@code W} are external data at {@code location}. */
    static ModelProto externalAdd(String location, long offset) {
        TensorProto w = TensorProto.newBuilder().setName("W").setDataType(FLOAT).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", "16")).build();
        return model(GraphProto.newBuilder().setName("external")
                .addInput(TestModels.value("X", FLOAT, -1, 4)).addOutput(TestModels.value("Y", FLOAT, -1, 4))
                .addInitializer(w).addNode(TestModels.node("Add", List.of("X", "W"), "Y")));
    }

    /** A {@code Loop} with no trip count whose condition stays true: runs forever unless terminated. */
    static ModelProto infiniteLoop() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(TestModels.value("i", INT64)).addInput(TestModels.value("cond_in", BOOL))
                .addInput(TestModels.value("v_in", FLOAT, -1, 4))
                .addOutput(TestModels.value("cond_out", BOOL)).addOutput(TestModels.value("v_out", FLOAT, -1, 4))
                .addInitializer(TestModels.floats("one", new long[0], new float[]{1f}))
                .addNode(TestModels.node("Identity", List.of("cond_in"), "cond_out"))
                .addNode(TestModels.node("Add", List.of("v_in", "one"), "v_out")).build();
        NodeProto loop = NodeProto.newBuilder().setOpType("Loop").setName("forever")
                .addInput("").addInput("yes").addInput("X").addOutput("Y")
                .addAttribute(AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(body)).build();
        TensorProto yes = TensorProto.newBuilder().setName("yes").setDataType(BOOL)
                .setRawData(ByteString.copyFrom(new byte[]{1})).build();
        return model(GraphProto.newBuilder().setName("loop")
                .addInput(TestModels.value("X", FLOAT, -1, 4)).addOutput(TestModels.value("Y", FLOAT, -1, 4))
                .addInitializer(yes).addNode(loop));
    }

    /** {@code Y = ReduceSum(X, axis 1)} for an input of {@code width} features ({@code -1}: dynamic). */
    static ModelProto rowSum(long width) {
        return model(GraphProto.newBuilder().setName("rowsum")
                .addInput(TestModels.value("X", FLOAT, -1, width)).addOutput(TestModels.value("Y", FLOAT, -1, 1))
                .addInitializer(TestModels.longs("axes", new long[]{1}))
                .addNode(TestModels.node("ReduceSum", List.of("X", "axes"), "Y")));
    }

    /**
     * {@code Y = Expand(ReduceSum(X, axis 1), [1, width])}: a tiny file whose output width is only known
     * at run time ({@code declared} values per row in the graph's output declaration, -1: dynamic).
     */
    static ModelProto expandAtRunTime(long width, long declared) {
        return model(GraphProto.newBuilder().setName("expand")
                .addInput(TestModels.value("X", FLOAT, -1, 4)).addOutput(TestModels.value("Y", FLOAT, -1, declared))
                .addInitializer(TestModels.longs("axes", new long[]{1}))
                .addInitializer(TestModels.longs("shape", new long[]{1, width}))
                .addNode(TestModels.node("ReduceSum", List.of("X", "axes"), "S"))
                .addNode(TestModels.node("Expand", List.of("S", "shape"), "Y")));
    }

    /** A graph whose one output is declared as {@code output} (computed by {@code node}). */
    static ModelProto withOutput(ValueInfoProto output, NodeProto... nodes) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("odd_output")
                .addInput(TestModels.value("X", FLOAT, -1, 4)).addOutput(output)
                .addInitializer(TestModels.longs("axes", new long[]{1}));
        for (NodeProto n : nodes) {
            g.addNode(n);
        }
        return model(g);
    }

    static ValueInfoProto sequenceOutput(String name) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setSequenceType(
                TypeProto.Sequence.newBuilder().setElemType(TestModels.value("e", FLOAT, -1, 4).getType()))).build();
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
