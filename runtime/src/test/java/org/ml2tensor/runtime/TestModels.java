package org.ml2tensor.runtime;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.onnx.proto.OnnxMl.AttributeProto;
import org.ml2tensor.onnx.proto.OnnxMl.GraphProto;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.NodeProto;
import org.ml2tensor.onnx.proto.OnnxMl.OperatorSetIdProto;
import org.ml2tensor.onnx.proto.OnnxMl.StringStringEntryProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorShapeProto;
import org.ml2tensor.onnx.proto.OnnxMl.TypeProto;
import org.ml2tensor.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * Small ONNX models built by hand (opset 17, IR version 8) following {@link ModelContract}, for
 * runtime tests that must not depend on the compiler. Public for the {@code io} package tests.
 */
public final class TestModels {
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    public static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    public static final int INT64 = TensorProto.DataType.INT64_VALUE;
    public static final int STRING = TensorProto.DataType.STRING_VALUE;

    private TestModels() {
    }

    /** Weights of the 4-feature, 3-class linear classifier used across tests. */
    public static final float[][] W = {
            {0.5f, -1.25f, 0.75f},
            {-0.3f, 0.8f, 0.1f},
            {1.5f, 0.2f, -2.0f},
            {0.05f, -0.6f, 1.1f}};
    public static final float[] B = {0.1f, -0.2f, 0.3f};
    public static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    /** MatMul+Add+Softmax+ArgMax+Gather classifier with int64 classes {@code classes}. */
    public static ModelProto linearClassifier(long[] classes, boolean acceptsMissing) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("linear_classifier");
        g.addInput(value(ModelContract.INPUT, FLOAT, -1, W.length));
        g.addInitializer(floats("W", new long[] {W.length, B.length}, flatten(W)));
        g.addInitializer(floats("B", new long[] {B.length}, B));
        g.addInitializer(longs("classes", classes));
        g.addNode(node("MatMul", List.of(ModelContract.INPUT, "W"), "mm"));
        g.addNode(node("Add", List.of("mm", "B"), "logits"));
        g.addNode(node("Softmax", List.of("logits"), ModelContract.PROBABILITIES).toBuilder().addAttribute(intAttr("axis", 1)));
        g.addNode(node("ArgMax", List.of(ModelContract.PROBABILITIES), "idx").toBuilder()
                .addAttribute(intAttr("axis", 1)).addAttribute(intAttr("keepdims", 0)));
        g.addNode(node("Gather", List.of("classes", "idx"), ModelContract.LABEL).toBuilder().addAttribute(intAttr("axis", 0)));
        g.addOutput(value(ModelContract.LABEL, INT64, -1));
        g.addOutput(value(ModelContract.PROBABILITIES, FLOAT, -1, classes.length));
        Map<String, String> md = new LinkedHashMap<>();
        md.put(ModelContract.TASK, "classification");
        md.put(ModelContract.CLASS_LABELS, json(java.util.Arrays.stream(classes).mapToObj(Long::toString).toList()));
        md.put(ModelContract.CLASS_LABEL_TYPE, "int64");
        md.put(ModelContract.FEATURE_NAMES, json(FEATURES));
        md.put(ModelContract.FEATURE_COUNT, Integer.toString(FEATURES.size()));
        md.put(ModelContract.ACCEPTS_MISSING, Boolean.toString(acceptsMissing));
        md.put(ModelContract.SOURCE_FORMAT, "ir");
        md.put(ModelContract.SOURCE_SHA256, "ab".repeat(32));
        md.put(ModelContract.COMPILER_VERSION, "0.1.0-test");
        md.put(ModelContract.STRATEGY, "linear");
        md.put(ModelContract.PRECISION, "float32");
        return model(g, md);
    }

    /** The same classifier with string classes (Gather over a string tensor). */
    public static ModelProto stringClassifier(List<String> classes) {
        ModelProto base = linearClassifier(new long[] {0, 1, 2}, true);
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.removeInitializer(2);
        TensorProto.Builder t = TensorProto.newBuilder().setName("classes").setDataType(STRING).addDims(classes.size());
        classes.forEach(c -> t.addStringData(ByteString.copyFromUtf8(c)));
        g.addInitializer(t);
        g.setOutput(0, value(ModelContract.LABEL, STRING, -1));
        ModelProto.Builder m = base.toBuilder().setGraph(g);
        for (int i = 0; i < m.getMetadataPropsCount(); i++) {
            StringStringEntryProto e = m.getMetadataProps(i);
            if (e.getKey().equals(ModelContract.CLASS_LABELS)) {
                m.setMetadataProps(i, e.toBuilder().setValue(json(classes)));
            } else if (e.getKey().equals(ModelContract.CLASS_LABEL_TYPE)) {
                m.setMetadataProps(i, e.toBuilder().setValue("string"));
            }
        }
        return m.build();
    }

    /** float64 regressor {@code variable = input · w + b}, shape [N, 1]. */
    public static ModelProto doubleRegressor(double[] w, double b) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("double_regressor");
        g.addInput(value(ModelContract.INPUT, DOUBLE, -1, w.length));
        g.addInitializer(doubles("w", new long[] {w.length, 1}, w));
        g.addInitializer(doubles("b", new long[] {1}, new double[] {b}));
        g.addNode(node("MatMul", List.of(ModelContract.INPUT, "w"), "mm"));
        g.addNode(node("Add", List.of("mm", "b"), ModelContract.VARIABLE));
        g.addOutput(value(ModelContract.VARIABLE, DOUBLE, -1, 1));
        Map<String, String> md = new LinkedHashMap<>();
        md.put(ModelContract.TASK, "regression");
        md.put(ModelContract.FEATURE_COUNT, Integer.toString(w.length));
        md.put(ModelContract.ACCEPTS_MISSING, "true");
        md.put(ModelContract.PRECISION, "float64");
        return model(g, md);
    }

    /** A non-ml2tensor model: input {@code x} float [N, ?], output {@code y = 2x}; no metadata. */
    public static ModelProto foreignDoubler() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("doubler");
        g.addInput(value("x", FLOAT, -1, -1));
        g.addInitializer(floats("two", new long[] {}, new float[] {2f}));
        g.addNode(node("Mul", List.of("x", "two"), "y"));
        g.addOutput(value("y", FLOAT, -1, -1));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("handmade")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g).build();
    }

    /** Transformer {@code variable = 2 · input} over 3 features. */
    public static ModelProto doublingTransformer() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("doubling_transformer");
        g.addInput(value(ModelContract.INPUT, FLOAT, -1, 3));
        g.addInitializer(floats("two", new long[] {}, new float[] {2f}));
        g.addNode(node("Mul", List.of(ModelContract.INPUT, "two"), ModelContract.VARIABLE));
        g.addOutput(value(ModelContract.VARIABLE, FLOAT, -1, 3));
        Map<String, String> md = new LinkedHashMap<>();
        md.put(ModelContract.TASK, "transform");
        md.put(ModelContract.FEATURE_COUNT, "3");
        return model(g, md);
    }

    /**
     * Linear decision function {@code scores = input · w + b} ([N, 1]) with {@code label} (int64 [N]):
     * {@code +1/-1} for an outlier detector ({@code outlier=true}), {@code 1/0} for a binary classifier
     * without probabilities.
     */
    public static ModelProto linearDecision(float[] w, float b, boolean outlier) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(outlier ? "outlier" : "binary_decision");
        g.addInput(value(ModelContract.INPUT, FLOAT, -1, w.length));
        g.addInitializer(floats("w", new long[] {w.length, 1}, w));
        g.addInitializer(floats("b", new long[] {1}, new float[] {b}));
        g.addInitializer(floats("zero", new long[] {}, new float[] {0f}));
        g.addInitializer(longs("scale", new long[] {outlier ? 2 : 1}));
        g.addInitializer(longs("shift", new long[] {outlier ? 1 : 0}));
        g.addInitializer(longs("flat", new long[] {-1}));
        g.addNode(node("MatMul", List.of(ModelContract.INPUT, "w"), "mm"));
        g.addNode(node("Add", List.of("mm", "b"), ModelContract.SCORES));
        g.addNode(node("Greater", List.of(ModelContract.SCORES, "zero"), "positive"));
        g.addNode(node("Cast", List.of("positive"), "positive_i").toBuilder().addAttribute(intAttr("to", INT64)));
        g.addNode(node("Mul", List.of("positive_i", "scale"), "scaled"));
        g.addNode(node("Sub", List.of("scaled", "shift"), "label2d"));
        g.addNode(node("Reshape", List.of("label2d", "flat"), ModelContract.LABEL));
        g.addOutput(value(ModelContract.LABEL, INT64, -1));
        g.addOutput(value(ModelContract.SCORES, FLOAT, -1, 1));
        Map<String, String> md = new LinkedHashMap<>();
        md.put(ModelContract.TASK, outlier ? "outlier" : "classification");
        if (!outlier) {
            md.put(ModelContract.CLASS_LABELS, "[\"0\",\"1\"]");
        }
        md.put(ModelContract.FEATURE_COUNT, Integer.toString(w.length));
        return model(g, md);
    }

    /** A copy of {@code m} with one metadata entry set. */
    public static ModelProto withMetadata(ModelProto m, String key, String value) {
        ModelProto.Builder b = m.toBuilder();
        for (int i = 0; i < b.getMetadataPropsCount(); i++) {
            if (b.getMetadataProps(i).getKey().equals(key)) {
                b.setMetadataProps(i, b.getMetadataProps(i).toBuilder().setValue(value));
                return b.build();
            }
        }
        return b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)).build();
    }

    public static Path write(ModelProto m, Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, m.toByteArray());
        return p;
    }

    // ---- expected values, computed independently in double precision ----

    /** Softmax probabilities of the linear classifier for one row. */
    public static double[] expectedProbabilities(float[] row) {
        double[] z = new double[B.length];
        for (int c = 0; c < B.length; c++) {
            double s = B[c];
            for (int f = 0; f < row.length; f++) {
                s += (double) row[f] * W[f][c];
            }
            z[c] = s;
        }
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        return z;
    }

    public static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Deterministic pseudo-random rows in [-3, 3). */
    public static float[][] rows(int n, int width, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[][] out = new float[n][width];
        for (float[] row : out) {
            for (int c = 0; c < width; c++) {
                row[c] = (float) (r.nextDouble() * 6 - 3);
            }
        }
        return out;
    }

    // ---- protobuf helpers ----

    private static ModelProto model(GraphProto.Builder g, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName(ModelContract.PRODUCER)
                .setProducerVersion("0.1.0-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    public static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        int dynamic = 0;
        for (long d : dims) {
            shape.addDim(d < 0
                    ? TensorShapeProto.Dimension.newBuilder().setDimParam(dynamic++ == 0 ? "N" : "D" + dynamic)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    public static NodeProto node(String op, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addAllInput(inputs).addOutput(output).build();
    }

    public static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensor(name, FLOAT, dims, b.array());
    }

    public static TensorProto doubles(String name, long[] dims, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return tensor(name, DOUBLE, dims, b.array());
    }

    public static TensorProto longs(String name, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return tensor(name, INT64, new long[] {values.length}, b.array());
    }

    private static TensorProto tensor(String name, int type, long[] dims, byte[] raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static float[] flatten(float[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    public static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
