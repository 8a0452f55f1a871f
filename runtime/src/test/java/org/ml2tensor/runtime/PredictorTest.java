package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

class PredictorTest {
    static final long[] CLASSES = {10, 20, 30};
    static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).build();

    @TempDir
    Path dir;

    private Predictor classifier(boolean acceptsMissing) {
        return Predictor.open(TestModels.linearClassifier(CLASSES, acceptsMissing).toByteArray(), "classifier.onnx", CPU);
    }

    @Test
    void classifierMatchesIndependentlyComputedProbabilitiesAndLabels() {
        float[][] x = TestModels.rows(50, 4, 1);
        try (Predictor p = classifier(false)) {
            assertEquals(Provider.CPU, p.provider());
            Predictions out = p.predict(x);
            assertEquals(50, out.rows());
            Matrix proba = out.probabilities();
            assertEquals(3, proba.width());
            long[] labels = out.labels().asLongs();
            for (int r = 0; r < x.length; r++) {
                double[] expected = TestModels.expectedProbabilities(x[r]);
                for (int c = 0; c < 3; c++) {
                    // float32 MatMul + Softmax against a double reference: a few float ulps.
                    assertEquals(expected[c], proba.getDouble(r, c), 2e-6, "row " + r + " class " + c);
                }
                assertEquals(CLASSES[TestModels.argMax(expected)], labels[r], "row " + r);
            }
        }
    }

    @Test
    void knownRowGivesKnownValues() {
        // Row (1, 0, 0, 0): logits = W[0] + B = (0.6, -1.45, 1.05) → softmax computed by hand.
        try (Predictor p = classifier(false)) {
            Predictions out = p.predict(new float[][] {{1, 0, 0, 0}});
            double e0 = Math.exp(0.6 - 1.05), e1 = Math.exp(-1.45 - 1.05), e2 = 1;
            double s = e0 + e1 + e2;
            assertArrayEquals(new float[] {(float) (e0 / s), (float) (e1 / s), (float) (e2 / s)},
                    out.probabilities().toFloatArrays()[0], 1e-6f);
            assertArrayEquals(new long[] {30}, out.labels().asLongs());
            assertArrayEquals(new String[] {"30"}, out.labels().asStrings());
        }
    }

    @Test
    void stringLabelsAreReturnedAsStrings() {
        List<String> classes = List.of("setosa", "versicolor", "virginica");
        try (Predictor p = Predictor.open(TestModels.stringClassifier(classes).toByteArray(), CPU)) {
            float[][] x = TestModels.rows(20, 4, 2);
            Labels labels = p.predict(x).labels();
            assertTrue(labels.isText());
            for (int r = 0; r < x.length; r++) {
                assertEquals(classes.get(TestModels.argMax(TestModels.expectedProbabilities(x[r]))), labels.labelText(r));
            }
            assertThrows(IllegalStateException.class, labels::asLongs);
            assertEquals(classes, p.info().classLabels());
        }
    }

    @Test
    void float64ModelTakesDoublesWithoutRounding() {
        double[] w = {0.1, 0.2, 0.3};
        double[][] x = {{1e-9, 1.0 / 3, 2.0 / 3}, {1e15, -1e15, 0.5}};
        try (Predictor p = Predictor.open(TestModels.doubleRegressor(w, 0.25).toByteArray(), CPU)) {
            assertEquals(FloatType.FLOAT64, p.info().inputType());
            assertEquals(Task.REGRESSION, p.info().task());
            Matrix v = p.predict(x).values();
            assertEquals(ElementType.FLOAT64, v.elementType());
            for (int r = 0; r < x.length; r++) {
                double expected = 0.25 + x[r][0] * w[0] + x[r][1] * w[1] + x[r][2] * w[2];
                // double MatMul may sum in another order: a few double ulps of the largest term.
                assertEquals(expected, v.getDouble(r, 0), Math.ulp(1e15) * 4, "row " + r);
            }
        }
        // 1e-9 is not a float: a float round-trip would change it; a float64 model keeps it exactly.
        try (Predictor p = Predictor.open(TestModels.doubleRegressor(w, 0.0).toByteArray(), CPU)) {
            double tiny = p.predict(new double[][] {{1e-9, 0, 0}}).values().getDouble(0, 0);
            assertEquals(1e-9 * 0.1, tiny, 0.0);
            assertTrue((double) (float) 1e-9 * 0.1 != tiny);
        }
    }

    @Test
    void foreignModelIsDescribedAndRuns() throws IOException {
        Path file = TestModels.write(TestModels.foreignDoubler(), dir, "doubler.onnx");
        try (Predictor p = Predictor.open(file, CPU)) {
            ModelInfo info = p.info();
            assertFalse(info.producedByMl2Tensor());
            assertEquals(Task.UNKNOWN, info.task());
            assertEquals("x", info.inputName());
            assertEquals(-1, info.featureCount());
            assertEquals("handmade", info.producerName());
            assertEquals(List.of(-1L, -1L), info.inputs().get(0).shape());
            assertEquals("y", info.outputs().get(0).name());
            assertTrue(info.describe().contains("not an ml2tensor model"));
            Predictions out = p.predict(new float[][] {{1, 2, 3, 4, 5}, {-1, 0.5f, 0, 0, 0}});
            Output.Floats y = (Output.Floats) out.output("y").orElseThrow();
            assertEquals(5, y.width());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, -2, 1, 0, 0, 0}, y.data());
        }
    }

    @Test
    void metadataIsReadIntoModelInfo() {
        try (Predictor p = classifier(false)) {
            ModelInfo info = p.info();
            assertTrue(info.producedByMl2Tensor());
            assertEquals(Task.CLASSIFICATION, info.task());
            assertEquals(List.of("10", "20", "30"), info.classLabels());
            assertEquals(TestModels.FEATURES, info.featureNames());
            assertEquals(4, info.featureCount());
            assertFalse(info.acceptsMissing());
            assertEquals(FloatType.FLOAT32, info.inputType());
            assertEquals(Optional.of("ab".repeat(32)), info.provenance().sourceSha256());
            assertEquals(Optional.of("0.1.0-test"), info.provenance().compilerVersion());
            assertEquals(Optional.of("linear"), info.provenance().strategy());
            assertEquals(Optional.of("float32"), info.provenance().precision());
            assertEquals(List.of("label", "probabilities"), info.outputs().stream().map(TensorSpec::name).toList());
            assertEquals(ElementType.INT64, info.output("label").orElseThrow().elementType());
            assertEquals(List.of(-1L, 3L), info.output("probabilities").orElseThrow().shape());
        }
    }

    @Test
    void batchingAndBufferInputsGiveTheSameAnswers() {
        float[][] x = TestModels.rows(103, 4, 3);
        float[] flat = TestModels.flatten(x);
        try (Predictor whole = classifier(false);
             Predictor batched = Predictor.open(TestModels.linearClassifier(CLASSES, false).toByteArray(),
                     CPU.toBuilder().batchSize(10).build())) {
            Predictions ref = whole.predict(x);
            FloatBuffer direct = ByteBuffer.allocateDirect(flat.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            direct.put(flat).flip();
            FloatBuffer bigEndianDirect = ByteBuffer.allocateDirect(flat.length * 4).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            bigEndianDirect.put(flat).flip();
            double[][] asDoubles = new double[x.length][4];
            for (int r = 0; r < x.length; r++) {
                for (int c = 0; c < 4; c++) {
                    asDoubles[r][c] = x[r][c];
                }
            }
            List<Predictions> variants = List.of(
                    batched.predict(x), whole.predict(flat, x.length), batched.predict(flat, x.length),
                    whole.predict(direct, x.length), batched.predict(direct, x.length),
                    batched.predict(bigEndianDirect, x.length), batched.predict(asDoubles));
            float[] expectedProba = ((Output.Floats) ref.probabilities()).data();
            for (Predictions v : variants) {
                assertArrayEquals(ref.labels().asLongs(), v.labels().asLongs());
                assertArrayEquals(expectedProba, ((Output.Floats) v.probabilities()).data());
            }
            assertEquals(0, direct.position(), "the caller's buffer position is left alone");
        }
    }

    @Test
    void bufferWithAPositionIsReadFromThere() {
        float[][] x = TestModels.rows(5, 4, 4);
        float[] flat = TestModels.flatten(x);
        FloatBuffer direct = ByteBuffer.allocateDirect((flat.length + 8) * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.position(8);
        direct.put(flat);
        direct.position(8);
        try (Predictor p = classifier(false)) {
            assertArrayEquals(p.predict(x).labels().asLongs(), p.predict(direct, 5).labels().asLongs());
        }
    }

    @Test
    void emptyInputGivesEmptyPredictions() {
        try (Predictor p = classifier(false)) {
            Predictions out = p.predict(new float[0][]);
            assertEquals(0, out.rows());
            assertEquals(0, out.labels().size());
            assertEquals(3, out.probabilities().width());
        }
    }

    @Test
    void wrongRowWidthIsInvalidInput() {
        try (Predictor p = classifier(false)) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> p.predict(new float[][] {{1, 2, 3, 4}, {1, 2, 3}}));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
            assertTrue(e.getMessage().contains("row 1 has 3 values but the model expects 4 features"), e.getMessage());
            Ml2TensorException b = assertThrows(Ml2TensorException.class,
                    () -> p.predict(FloatBuffer.wrap(new float[10]), 2));
            assertEquals(ErrorCode.INVALID_INPUT, b.code());
            assertTrue(b.getMessage().contains("holds 10 values but 2 rows × 4 features = 8"), b.getMessage());
            assertThrows(Ml2TensorException.class, () -> p.predict(DoubleBuffer.wrap(new double[7]), 2));
        }
    }

    @Test
    void columnNamesAreChecked() {
        try (Predictor p = classifier(false)) {
            p.checkColumns(TestModels.FEATURES);
            Ml2TensorException count = assertThrows(Ml2TensorException.class,
                    () -> p.checkColumns(List.of("sepal_length", "sepal_width", "petal_length")));
            assertEquals(ErrorCode.INVALID_INPUT, count.code());
            assertTrue(count.getMessage().contains("3 columns but the model expects 4 features"), count.getMessage());
            Ml2TensorException names = assertThrows(Ml2TensorException.class,
                    () -> p.predict(new float[][] {{1, 2, 3, 4}}, List.of("sepal_length", "sepal_width", "petal_length", "colour")));
            assertTrue(names.getMessage().contains("missing [petal_width], unexpected [colour]"), names.getMessage());
            Ml2TensorException order = assertThrows(Ml2TensorException.class,
                    () -> p.checkColumns(List.of("sepal_length", "sepal_width", "petal_width", "petal_length")));
            assertTrue(order.getMessage().contains("different order: column 2 is 'petal_width'"), order.getMessage());
            assertTrue(order.hint().contains("reorder"));
        }
    }

    @Test
    void nanIsRejectedNamingRowAndColumnWhenTheModelDoesNotAcceptMissing() {
        float[][] x = TestModels.rows(30, 4, 5);
        x[17][2] = Float.NaN;
        try (Predictor p = Predictor.open(TestModels.linearClassifier(CLASSES, false).toByteArray(), "c.onnx",
                CPU.toBuilder().batchSize(8).build())) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> p.predict(x));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
            assertTrue(e.getMessage().contains("row 17, column 2 ('petal_length')"), e.getMessage());
            double[][] d = {{0, 0, 0, Double.NaN}};
            Ml2TensorException de = assertThrows(Ml2TensorException.class, () -> p.predict(d));
            assertTrue(de.getMessage().contains("row 0, column 3 ('petal_width')"), de.getMessage());
        }
        try (Predictor lenient = classifier(true)) {
            assertEquals(30, lenient.predict(x).rows());
        }
    }

    @Test
    void nonOnnxFileIsModelFormatNamingTheFile() throws IOException {
        Path bogus = dir.resolve("model.onnx");
        Files.writeString(bogus, "this is not a protobuf, just some text\n");
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> Predictor.open(bogus, CPU));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code());
        assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());

        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        Ml2TensorException emptyError = assertThrows(Ml2TensorException.class, () -> Predictor.open(empty, CPU));
        assertEquals(ErrorCode.MODEL_FORMAT, emptyError.code());
        assertTrue(emptyError.getMessage().contains("empty.onnx"));

        Ml2TensorException missing = assertThrows(Ml2TensorException.class,
                () -> Predictor.open(dir.resolve("absent.onnx"), CPU));
        assertEquals(ErrorCode.IO, missing.code());
        assertTrue(missing.getMessage().contains("absent.onnx"));

        Ml2TensorException bytes = assertThrows(Ml2TensorException.class,
                () -> Predictor.open(new byte[] {1, 2, 3, 4, 5}, "junk.bin", CPU));
        assertEquals(ErrorCode.MODEL_FORMAT, bytes.code());
        assertTrue(bytes.getMessage().startsWith("junk.bin: "), bytes.getMessage());
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        Predictor p = classifier(false);
        p.close();
        p.close();
        assertThrows(IllegalStateException.class, () -> p.predict(new float[][] {{1, 2, 3, 4}}));
    }

    @Test
    void optionsAreValidated() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> PredictorOptions.builder().batchSize(0));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertThrows(Ml2TensorException.class, () -> PredictorOptions.builder().intraOpThreads(-1));
        assertThrows(Ml2TensorException.class, () -> PredictorOptions.builder().gpuMemLimitBytes(-5));
        PredictorOptions o = PredictorOptions.builder().cuda(1).gpuMemLimitBytes(1 << 30).build();
        assertEquals(Device.CUDA, o.device());
        assertEquals(1, o.cudaDeviceId());
        assertFalse(o.cudaUseTf32());
        assertEquals(1L << 30, o.gpuMemLimitBytes().getAsLong());
        assertEquals(Device.AUTO, PredictorOptions.defaults().device());
    }

    @Test
    void optimizedModelCacheIsWrittenThenReused() throws IOException {
        Path cache = dir.resolve("cache/classifier.opt.onnx");
        byte[] model = TestModels.linearClassifier(CLASSES, false).toByteArray();
        PredictorOptions withCache = CPU.toBuilder().optimizedModelCache(cache).build();
        float[][] x = TestModels.rows(20, 4, 6);
        Predictions first;
        try (Predictor p = Predictor.open(model, withCache)) {
            first = p.predict(x);
        }
        assertTrue(Files.size(cache) > 0);
        Path key = cache.resolveSibling("classifier.opt.onnx.key");
        String keyText = Files.readString(key);
        assertTrue(keyText.contains("provider=CPU"), keyText);
        long written = Files.getLastModifiedTime(cache).toMillis();
        try (Predictor p = Predictor.open(model, withCache)) {
            assertArrayEquals(first.labels().asLongs(), p.predict(x).labels().asLongs());
            assertArrayEquals(((Output.Floats) first.probabilities()).data(), ((Output.Floats) p.predict(x).probabilities()).data());
            assertEquals(TestModels.FEATURES, p.info().featureNames(), "metadata survives the optimised copy");
        }
        assertEquals(written, Files.getLastModifiedTime(cache).toMillis(), "a valid cache is not rewritten");
        // A different model invalidates the key, and the cache is rewritten for it.
        try (Predictor p = Predictor.open(TestModels.linearClassifier(new long[] {1, 2, 3}, false).toByteArray(), withCache)) {
            assertEquals(List.of("1", "2", "3"), p.info().classLabels());
        }
        assertTrue(!Files.readString(key).equals(keyText));
    }
}
