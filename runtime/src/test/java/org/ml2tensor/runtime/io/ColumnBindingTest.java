package org.ml2tensor.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.FeatureNames;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.TestModels;

/**
 * Columns by name for real feature names (any order, extra columns ignored), by position for models
 * without names or with generated ones (LightGBM {@code Column_N}, XGBoost {@code fN}) with one notice,
 * and the {@link ColumnMatching} overrides. The oracle is the same model fed the rows in model order.
 */
class ColumnBindingTest {
    private static final long[] CLASSES = {10, 20, 30};

    @TempDir
    Path dir;

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final PredictorOptions cpu = PredictorOptions.builder().device(Device.CPU).noticeSink(notices::add).build();

    /** Writes {@code x} under {@code header}, with column {@code order[j]} of x as file column j. */
    private Path csv(String name, List<String> header, float[][] x, int[] order) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (float[] r : x) {
            for (int j = 0; j < order.length; j++) {
                sb.append(j == 0 ? "" : ",").append(order[j] < 0 ? 99.5f : r[order[j]]);
            }
            sb.append('\n');
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    private static byte[] model(String featureNamesJson) {
        return TestModels.withMetadata(TestModels.linearClassifier(CLASSES, false), ModelContract.FEATURE_NAMES,
                featureNamesJson).toByteArray();
    }

    private List<String> predict(byte[] model, Path in, StreamingPredict.Options options) throws IOException {
        Path out = dir.resolve("out-" + in.getFileName());
        try (Predictor p = Predictor.open(model, cpu)) {
            StreamingPredict.predictFile(p, in, out, options.withBatchRows(7));
        }
        return Files.readAllLines(out);
    }

    private List<String> expected(byte[] model, float[][] x) throws IOException {
        return predict(model, csv("ordered.csv", TestModels.FEATURES, x, new int[] {0, 1, 2, 3}),
                StreamingPredict.Options.defaults().withColumns(ColumnMatching.BY_POSITION));
    }

    @Test
    void realNamesAreMatchedByNameInAnyOrderIgnoringExtraColumns() throws IOException {
        byte[] m = TestModels.linearClassifier(CLASSES, false).toByteArray();
        float[][] x = TestModels.rows(40, 4, 5);
        List<String> want = expected(m, x);
        List<String> header = List.of("id", "petal_width", "sepal_length", "petal_length", "sepal_width");
        Path shuffled = csv("shuffled.csv", header, x, new int[] {-1, 3, 0, 2, 1});
        notices.clear();
        assertEquals(want, predict(m, shuffled, StreamingPredict.Options.defaults()));
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("does not use: [id]"), notices.get(0));
        // The same header by position is refused by the column count.
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> predict(m, shuffled,
                StreamingPredict.Options.defaults().withColumns(ColumnMatching.BY_POSITION)));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
    }

    @Test
    void aMissingNamedColumnIsRefusedNamingIt() throws IOException {
        byte[] m = TestModels.linearClassifier(CLASSES, false).toByteArray();
        Path in = csv("x.csv", List.of("petal_width", "sepal_length", "petal_length", "colour"),
                TestModels.rows(3, 4, 1), new int[] {3, 0, 2, 1});
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> predict(m, in, StreamingPredict.Options.defaults()));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals(in + " (header)", e.context());
        assertTrue(e.bareMessage().contains("missing [sepal_width], unexpected [colour]"), e.bareMessage());
    }

    @Test
    void generatedNamesAreTakenByPositionWithOneNotice() throws IOException {
        for (String names : List.of("[\"Column_0\",\"Column_1\",\"Column_2\",\"Column_3\"]", "[\"f0\",\"f1\",\"f2\",\"f3\"]")) {
            byte[] m = model(names);
            float[][] x = TestModels.rows(30, 4, 9);
            List<String> want = expected(m, x);
            notices.clear();
            Path in = csv("user.csv", List.of("a", "b", "c", "d"), x, new int[] {0, 1, 2, 3});
            assertEquals(want, predict(m, in, StreamingPredict.Options.defaults()), names);
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.get(0).contains("taken by position"), notices.get(0));
        }
    }

    @Test
    void aModelWithoutNamesTakesColumnsByPositionAndSaysSo() throws IOException {
        byte[] m = model("[]");
        float[][] x = TestModels.rows(20, 4, 4);
        List<String> want = expected(m, x);
        notices.clear();
        // A header that names the features in another order is NOT reordered: the model has no names.
        Path in = csv("reordered.csv", List.of("petal_width", "sepal_length", "petal_length", "sepal_width"), x,
                new int[] {0, 1, 2, 3});
        assertEquals(want, predict(m, in, StreamingPredict.Options.defaults()));
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("has no feature names") && notices.get(0).contains("by position"),
                notices.get(0));
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> predict(m, in,
                StreamingPredict.Options.defaults().withColumns(ColumnMatching.BY_NAME)));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.hint().contains("by-position"), e.hint());
    }

    @Test
    void byPositionOverridesRealNamesAndSkipsTheNameCheck() throws IOException {
        byte[] m = TestModels.linearClassifier(CLASSES, false).toByteArray();
        float[][] x = TestModels.rows(20, 4, 6);
        List<String> want = expected(m, x);
        Path in = csv("renamed.csv", List.of("a", "b", "c", "d"), x, new int[] {0, 1, 2, 3});
        notices.clear();
        assertEquals(want, predict(m, in, StreamingPredict.Options.defaults().withColumns(ColumnMatching.BY_POSITION)));
        assertEquals(want, predict(m, in, StreamingPredict.Options.defaults().withCheckColumnNames(false)));
        assertEquals(List.of(), notices, "an explicit choice needs no notice");
    }

    @Test
    void generatedNameDetection() {
        assertTrue(FeatureNames.areGenerated(List.of("Column_0", "Column_1")));
        assertTrue(FeatureNames.areGenerated(List.of("f0", "f1", "f2")));
        assertFalse(FeatureNames.areGenerated(List.of("f1", "f0")));
        assertFalse(FeatureNames.areGenerated(List.of("Column_0", "age")));
        assertFalse(FeatureNames.areGenerated(List.of()));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            many.add("Column_" + i);
        }
        assertTrue(FeatureNames.areGenerated(many));
        assertEquals(List.of("auto", "by-name", "by-position"),
                List.of(ColumnMatching.values()).stream().map(ColumnMatching::cliName).toList());
    }
}
