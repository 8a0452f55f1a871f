package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.NodeProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;
import org.ml2tensor.runtime.io.StreamingPredict;

/** Hostile and broken .onnx files (crafted here) end quickly with a clear error, and never read other files. */
class HostileOnnxTest {
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).build();
    private static final float[][] ROW = {{1f, 2f, 3f, 4f}};

    @TempDir
    Path dir;

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static Ml2TensorException refused(ModelProto m, PredictorOptions options) {
        return assertThrows(Ml2TensorException.class, () -> {
            try (Predictor p = Predictor.open(m.toByteArray(), "hostile.onnx", options)) {
                p.predict(ROW);
            }
        });
    }

    @Test
    void externalDataIsRefusedUnlessTheCallerNamesAFolder() throws Exception {
        // The /etc/passwd attack: a relative location that ONNX Runtime would resolve against the working
        // directory (model given as bytes) or the model's folder (model given as a file).
        Files.write(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n".getBytes(StandardCharsets.US_ASCII));
        ModelProto m = HostileModels.externalAdd("passwd", 0);
        Ml2TensorException bytes = refused(m, CPU);
        assertEquals(ErrorCode.UNSUPPORTED, bytes.code());
        assertTrue(bytes.getMessage().contains("location 'passwd'") && bytes.getMessage().contains("--external-data-dir"),
                bytes.getMessage());
        Path file = TestModels.write(m, dir, "m.onnx");
        Ml2TensorException fromFile = assertThrows(Ml2TensorException.class, () -> Predictor.open(file, CPU).close());
        assertEquals(ErrorCode.UNSUPPORTED, fromFile.code(), fromFile.getMessage());
        // The same refusal for external data in a node attribute (a Constant's tensor).
        TensorProto ext = m.getGraph().getInitializer(0);
        ModelProto inAttribute = m.toBuilder().setGraph(m.getGraph().toBuilder().clearInitializer()
                .addNode(0, NodeProto.newBuilder().setOpType("Constant").addOutput("W").addAttribute(
                        org.ml2tensor.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("value")
                                .setType(org.ml2tensor.onnx.proto.OnnxMl.AttributeProto.AttributeType.TENSOR).setT(ext))))
                .build();
        assertEquals(ErrorCode.UNSUPPORTED, refused(inAttribute, CPU).code());
    }

    @Test
    void externalDataInsideTheNamedFolderIsReadAndEmbedded() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        byte[] content = new byte[8 + 16];
        System.arraycopy(floats(10f, 20f, 30f, 40f), 0, content, 8, 16);
        Files.write(dir.resolve("data/w.bin"), content);
        PredictorOptions trusting = CPU.toBuilder().externalDataDir(dir).build();
        try (Predictor p = Predictor.open(HostileModels.externalAdd("data/w.bin", 8).toByteArray(), "ok.onnx", trusting)) {
            float[] y = p.predict(ROW).matrix("Y").toFloatArrays()[0];
            assertArrayEquals(new float[]{11f, 22f, 33f, 44f}, y);
        }
    }

    @Test
    void externalDataOutsideTheNamedFolderIsRefused() throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.write(dir.resolve("outside.bin"), floats(1, 2, 3, 4));
        Files.createSymbolicLink(base.resolve("link.bin"), dir.resolve("outside.bin"));
        Files.createDirectories(base.resolve("sub"));
        PredictorOptions trusting = CPU.toBuilder().externalDataDir(base).build();
        for (String location : List.of("../outside.bin", "sub/../../outside.bin", dir.resolve("outside.bin").toString(),
                "/etc/passwd", "link.bin")) {
            Ml2TensorException e = refused(HostileModels.externalAdd(location, 0), trusting);
            assertEquals(ErrorCode.MODEL_FORMAT, e.code(), location + ": " + e.getMessage());
        }
        Ml2TensorException missing = refused(HostileModels.externalAdd("passwd", 0), trusting);
        assertEquals(ErrorCode.IO, missing.code(), missing.getMessage());
        Files.write(base.resolve("short.bin"), new byte[8]);
        Ml2TensorException range = refused(HostileModels.externalAdd("short.bin", 0), trusting);
        assertEquals(ErrorCode.MODEL_FORMAT, range.code(), range.getMessage());
    }

    @Test
    void anInfiniteLoopStopsAtTheTimeLimit() {
        for (int parallel : new int[]{1, 2}) {
            PredictorOptions limited = CPU.toBuilder().runTimeout(Duration.ofMillis(300)).parallelRuns(parallel).build();
            long start = System.nanoTime();
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> {
                try (Predictor p = Predictor.open(HostileModels.infiniteLoop().toByteArray(), "loop.onnx", limited)) {
                    p.predict(TestModels.rows(40_000, 4, 1));
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("time limit of 300 ms"), e.getMessage());
            assertTrue(seconds < 10, "took " + seconds + " s");
        }
    }

    @Test
    void outputsThatPredictNothingAreRefusedByName() {
        ModelProto noOutput = HostileModels.model(HostileModels.rowSum(4).getGraph().toBuilder().clearOutput());
        ModelProto sequence = HostileModels.withOutput(HostileModels.sequenceOutput("seq"),
                TestModels.node("SequenceConstruct", List.of("X"), "seq"));
        ModelProto scalar = HostileModels.withOutput(TestModels.value("total", TensorProto.DataType.FLOAT_VALUE),
                NodeProto.newBuilder().setOpType("ReduceSum").addInput("X").addOutput("total")
                        .addAttribute(TestModels.intAttr("keepdims", 0)).build());
        ModelProto zeroWidth = HostileModels.withOutput(TestModels.value("empty", TensorProto.DataType.FLOAT_VALUE, -1, 0),
                NodeProto.newBuilder().setOpType("Slice").addInput("X").addInput("zero").addInput("zero")
                        .addInput("axes").addOutput("empty").build());
        zeroWidth = zeroWidth.toBuilder().setGraph(zeroWidth.getGraph().toBuilder()
                .addInitializer(TestModels.longs("zero", new long[]{0}))).build();
        assertEquals(ErrorCode.UNSUPPORTED, refused(noOutput, CPU).code(), refused(noOutput, CPU).getMessage());
        for (var c : List.of(List.of(sequence, "'seq'"), List.of(scalar, "'total'"), List.of(zeroWidth, "'empty'"))) {
            Ml2TensorException e = refused((ModelProto) c.get(0), CPU);
            assertEquals(ErrorCode.UNSUPPORTED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("output " + c.get(1)), e.getMessage());
        }
    }

    /**
     * A 200-byte {@code .onnx} whose output width is absurd only at run time (dynamic in the declaration):
     * the call is refused with one line naming the output and its run-time shape, before any of it is
     * copied into the heap — by the output byte limit (here 1 MiB against 2 rows × 2^20 floats;
     * the default is a quarter of the heap), and, where ONNX Runtime cannot even allocate it (2^40 values
     * per row), by its own allocation failure.
     */
    @Test
    void anOutputAbsurdOnlyAtRunTimeIsRefusedInOneLine() {
        PredictorOptions limited = CPU.toBuilder().maxOutputBytes(1 << 20).build();
        float[][] rows = {{1f, 2f, 3f, 4f}, {5f, 6f, 7f, 8f}};
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> {
            try (Predictor p = Predictor.open(HostileModels.expandAtRunTime(1 << 20, -1).toByteArray(), "wide.onnx", limited)) {
                p.predict(rows);
            }
        });
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("output 'Y' has shape [") && e.getMessage().contains(", 1048576] at run time")
                && e.getMessage().contains("over the output limit of 1048576 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        try (Predictor p = Predictor.open(HostileModels.expandAtRunTime(3, -1).toByteArray(), "ok.onnx", limited)) {
            assertArrayEquals(new float[]{26f, 26f, 26f}, p.predict(rows).matrix("Y").toFloatArrays()[1], "a sane width still runs");
        }
        long start = System.nanoTime();
        Ml2TensorException huge = assertThrows(Ml2TensorException.class, () -> {
            try (Predictor p = Predictor.open(HostileModels.expandAtRunTime(1L << 40, -1).toByteArray(), "huge.onnx", CPU)) {
                p.predict(rows);
            }
        });
        assertTrue(huge.code() == ErrorCode.RUNTIME || huge.code() == ErrorCode.LIMIT_EXCEEDED, huge.getMessage());
        assertFalse(huge.getMessage().contains("\n"), huge.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "ends in seconds");
    }

    @Test
    void anAbsurdDeclaredWidthIsAClearError() {
        Ml2TensorException e = refused(HostileModels.rowSum(1L << 40), CPU);
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("1099511627776 features"), e.getMessage());
    }

    @Test
    void wideModelsRunAtTheDefaultBatchSize() throws Exception {
        // 8,192 float32 features × 65,536 default rows would need a 2 GiB buffer: batches are sized in bytes.
        int width = 8192;
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < width; c++) {
            csv.append(c == 0 ? "" : ",").append("f").append(c);
        }
        csv.append('\n');
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < width; c++) {
                csv.append(c == 0 ? "" : ",").append(r + 1);
            }
            csv.append('\n');
        }
        Path in = Files.writeString(dir.resolve("wide.csv"), csv);
        Path out = dir.resolve("sums.csv");
        try (Predictor p = Predictor.open(HostileModels.rowSum(width).toByteArray(), "wide.onnx", CPU)) {
            StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults());
        }
        assertEquals(List.of("Y", "8192.0", "16384.0", "24576.0"), Files.readAllLines(out));
        assertEquals(1024, CPU.rowsPerBatch(16_384, 4));
        assertEquals(PredictorOptions.DEFAULT_BATCH_SIZE, CPU.rowsPerBatch(256, 4));
    }

    @Test
    void aDynamicWidthModelTakesSevenHundredThousandColumns() throws Exception {
        int width = 700_000;
        float[] row = new float[width];
        java.util.Arrays.fill(row, 0.5f);
        try (Predictor p = Predictor.open(HostileModels.rowSum(-1).toByteArray(), "dynamic.onnx", CPU)) {
            float[][] y = p.predict(new float[][]{row, row}).matrix("Y").toFloatArrays();
            assertEquals(350_000f, y[1][0]);
        }
    }

    @Test
    void optionsOutOfRangeAreInvalidOptions() {
        for (Runnable bad : List.<Runnable>of(
                () -> PredictorOptions.builder().batchSize(2_000_000_000),
                () -> PredictorOptions.builder().parallelRuns(-3),
                () -> PredictorOptions.builder().parallelRuns(100_000).build(),
                () -> PredictorOptions.builder().runTimeout(Duration.ofSeconds(-1)))) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class, bad::run);
            assertEquals(ErrorCode.INVALID_OPTION, e.code(), e.getMessage());
        }
        assertFalse(PredictorOptions.builder().parallelRuns(100_000).forceThreads(true).build().toString().isEmpty());
    }

    @Test
    void classLabelsThatLookLikeFormulasAreWrittenSpreadsheetSafe() throws Exception {
        ModelProto m = TestModels.stringClassifier(List.of("=1+1", "-2", "@SUM(A1)"));
        StringBuilder csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width\n");
        for (float[] r : TestModels.rows(60, 4, 9)) {
            csv.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(r[3]).append('\n');
        }
        Path in = Files.writeString(dir.resolve("x.csv"), csv);
        Path out = dir.resolve("y.csv");
        try (Predictor p = Predictor.open(m.toByteArray(), "labels.onnx", CPU)) {
            StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults());
        }
        java.util.Set<String> labels = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(out).subList(1, 61)) {
            labels.add(line.substring(0, line.indexOf(',')));
        }
        assertTrue(java.util.Set.of("'=1+1", "-2", "'@SUM(A1)").containsAll(labels), labels.toString());
        assertTrue(labels.size() >= 2, labels.toString());
    }
}
