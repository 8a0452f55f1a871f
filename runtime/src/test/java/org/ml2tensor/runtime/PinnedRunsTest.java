package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ml2tensor.runtime.TestModels.node;
import static org.ml2tensor.runtime.TestModels.value;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.onnx.proto.OnnxMl.GraphProto;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.OperatorSetIdProto;
import org.ml2tensor.onnx.proto.OnnxMl.StringStringEntryProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;

/**
 * Small calls through {@link PinnedRuns}: every answer equals a plain ONNX Runtime session's bit for bit, slots
 * are reused, and pinning turns itself off where ONNX Runtime does not write the preallocated outputs in place.
 */
class PinnedRunsTest {
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).build();
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    /** Outputs of a plain session (the ordinary ONNX Runtime path) for {@code rows} rows of {@code x}. */
    private static Map<String, Object> plain(byte[] model, float[] x, int rows, int width) throws Exception {
        OrtEnvironment env = Predictor.environment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(model, so);
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, rows * width), new long[]{rows, width});
             OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                OnnxTensor o = (OnnxTensor) e.getValue();
                out.put(e.getKey(), switch (o.getInfo().type) {
                    case FLOAT -> o.getFloatBuffer().array();
                    case INT64 -> o.getLongBuffer().array();
                    case STRING -> (String[]) o.getValue();
                    default -> throw new AssertionError(o.getInfo());
                });
            }
            return out;
        }
    }

    private static void assertSame(Map<String, Object> expected, Predictions got, String what) {
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Output o = got.output(e.getKey()).orElseThrow();
            if (e.getValue() instanceof float[] f) {
                float[] g = ((Output.Floats) o).data();
                assertEquals(f.length, g.length, what);
                for (int i = 0; i < f.length; i++) {
                    assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(g[i]), what + " value " + i);
                }
            } else if (e.getValue() instanceof String[] strings) {
                assertArrayEquals(strings, ((Output.Strings) o).data(), what);
            } else {
                assertArrayEquals((long[]) e.getValue(), ((Output.Longs) o).data(), what);
            }
        }
    }

    @Test
    void smallCallsEqualAPlainSessionBitForBitAndReuseSlots() throws Exception {
        byte[] model = TestModels.linearClassifier(new long[] {10, 20, 30}, false).toByteArray();
        try (Predictor p = Predictor.open(model, "classifier.onnx", CPU)) {
            assertArrayEquals(new int[] {0, -1}, p.pinnedSlots(), "no slot before the first call; no companion");
            for (int call = 0; call < 60; call++) {
                int n = 1 + call % 5;
                float[] x = TestModels.flatten(TestModels.rows(n, 4, 100 + call));
                assertSame(plain(model, x, n, 4), p.predict(x, n), "call " + call + " (" + n + " rows)");
            }
            assertEquals(5, p.pinnedSlots()[0], "one slot per row count, reused by later calls");
            // a direct buffer and a double[] go through the same slots
            float[] x = TestModels.flatten(TestModels.rows(3, 4, 7));
            FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(48).order(java.nio.ByteOrder.nativeOrder())
                    .asFloatBuffer().put(x).flip();
            assertSame(plain(model, x, 3, 4), p.predict(direct, 3), "direct buffer");
            double[] wide = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                wide[i] = x[i];
            }
            assertSame(plain(model, x, 3, 4), p.predict(wide, 3), "double[]");
            assertEquals(5, p.pinnedSlots()[0]);
            // larger calls take the chunked path and leave the slots alone
            assertEquals(200, p.predict(TestModels.rows(200, 4, 3)).rows());
            assertEquals(5, p.pinnedSlots()[0]);
        }
    }

    @Test
    void stringLabelsComeFromTheSameRunAsThePinnedProbabilities() throws Exception {
        byte[] model = TestModels.stringClassifier(List.of("setosa", "versicolor", "virginica")).toByteArray();
        try (Predictor p = Predictor.open(model, "strings.onnx", CPU)) {
            for (int call = 0; call < 12; call++) {
                int n = 1 + call % 3;
                float[] x = TestModels.flatten(TestModels.rows(n, 4, 500 + call));
                assertSame(plain(model, x, n, 4), p.predict(x, n), "call " + call + " (" + n + " rows)");
            }
            assertEquals(3, p.pinnedSlots()[0], "the probabilities are pinned, the labels requested");
        }
    }

    @Test
    void missingValuesAreRejectedOnThePinnedPathAndTheSlotIsReturned() {
        try (Predictor p = Predictor.open(TestModels.linearClassifier(new long[] {0, 1, 2}, false).toByteArray(),
                "classifier.onnx", CPU)) {
            float[] ok = {1, 2, 3, 4};
            p.predict(ok, 1);
            p.predict(ok, 1);
            assertEquals(1, p.pinnedSlots()[0]);
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> p.predict(new float[] {1, Float.NaN, 3, 4}, 1));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
            assertTrue(e.getMessage().contains("row 0"), e.getMessage());
            assertEquals(1, p.pinnedSlots()[0]);
            assertEquals(1, p.predict(ok, 1).rows());
        }
    }

    @Test
    void concurrentSmallCallsEachGetTheirOwnSlot() throws Exception {
        byte[] model = TestModels.linearClassifier(new long[] {10, 20, 30}, true).toByteArray();
        int threads = 6;
        try (Predictor p = Predictor.open(model, "classifier.onnx", CPU)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    futures.add(pool.submit(() -> {
                        for (int call = 0; call < 40; call++) {
                            int n = 1 + (call + seed) % 3;
                            float[] x = TestModels.flatten(TestModels.rows(n, 4, seed * 1000L + call));
                            assertSame(plain(model, x, n, 4), p.predict(x, n), "thread " + seed + " call " + call);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            int live = p.pinnedSlots()[0];
            assertTrue(live >= 3 && live <= 3 * threads, "slots: " + live);
        }
    }

    @Test
    void aPassThroughOutputIsRightOnEveryCall() throws Exception {
        // 'input' is also a graph output: whatever ONNX Runtime does with a preallocated buffer for it, every
        // call must return its own rows (the sentinel check turns pinning off if the buffer is not written)
        GraphProto.Builder g = GraphProto.newBuilder().setName("pass_through");
        g.addInput(value(ModelContract.INPUT, FLOAT, -1, 3));
        g.addInitializer(TestModels.floats("two", new long[] {}, new float[] {2f}));
        g.addNode(node("Mul", List.of(ModelContract.INPUT, "two"), ModelContract.VARIABLE));
        g.addOutput(value(ModelContract.VARIABLE, FLOAT, -1, 3));
        g.addOutput(value(ModelContract.INPUT, FLOAT, -1, 3));
        byte[] model = model(g);
        try (Predictor p = Predictor.open(model, "pass.onnx", CPU)) {
            for (int call = 0; call < 6; call++) {
                float[] x = TestModels.flatten(TestModels.rows(2, 3, call));
                Predictions out = p.predict(x, 2);
                assertArrayEquals(x, ((Output.Floats) out.output(ModelContract.INPUT).orElseThrow()).data(), "call " + call);
                assertSame(plain(model, x, 2, 3), out, "call " + call);
            }
        }
    }

    @Test
    void anOutputWhoseWidthDependsOnTheValuesTurnsPinningOff() throws Exception {
        // variable = zeros [N, max(input)]: the same row count can give another shape than the slot's
        GraphProto.Builder g = GraphProto.newBuilder().setName("value_dependent_width");
        g.addInput(value(ModelContract.INPUT, FLOAT, -1, 2));
        g.addInitializer(TestModels.floats("zero", new long[] {}, new float[] {0f}));
        g.addInitializer(TestModels.longs("one", new long[] {1}));
        g.addNode(node("Shape", List.of(ModelContract.INPUT), "full_shape"));
        g.addNode(node("Gather", List.of("full_shape", "zero_index"), "rows"));
        g.addInitializer(TestModels.longs("zero_index", new long[] {0}));
        g.addNode(node("ReduceMax", List.of(ModelContract.INPUT), "max").toBuilder()
                .addAttribute(TestModels.intAttr("keepdims", 0)));
        g.addNode(node("Cast", List.of("max"), "max_i").toBuilder().addAttribute(TestModels.intAttr("to", INT64)));
        g.addNode(node("Reshape", List.of("max_i", "one"), "width"));
        g.addNode(node("Concat", List.of("rows", "width"), "shape").toBuilder().addAttribute(TestModels.intAttr("axis", 0)));
        g.addNode(node("Expand", List.of("zero", "shape"), ModelContract.VARIABLE));
        g.addOutput(value(ModelContract.VARIABLE, FLOAT, -1, -1));
        try (Predictor p = Predictor.open(model(g), "dynamic.onnx", CPU)) {
            for (int call = 0; call < 3; call++) {
                assertEquals(2, p.predict(new float[] {1, 2}, 1).values().width());
            }
            assertEquals(1, p.pinnedSlots()[0], "the width-2 slot is in use");
            assertEquals(3, p.predict(new float[] {3, 1}, 1).values().width(), "a new width for the same row count");
            assertEquals(-1, p.pinnedSlots()[0], "pinning is off after a pinned run failed");
            assertEquals(2, p.predict(new float[] {1, 2}, 1).values().width());
        }
    }

    private static byte[] model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("handmade")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(ModelContract.FEATURE_COUNT)
                        .setValue(Integer.toString((int) g.getInput(0).getType().getTensorType().getShape().getDim(1)
                                .getDimValue())))
                .setGraph(g).build().toByteArray();
    }
}
