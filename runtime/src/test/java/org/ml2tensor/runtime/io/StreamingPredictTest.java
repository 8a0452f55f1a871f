package org.ml2tensor.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.TestModels;

class StreamingPredictTest {
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).build();
    private static final long[] CLASSES = {10, 20, 30};

    @TempDir
    Path dir;

    private Path csv(String name, List<String> header, float[][] rows) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (float[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                sb.append(c == 0 ? "" : ",").append(r[c]);
            }
            sb.append('\n');
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void classifierCsvToCsvMatchesDirectPredictionsWithProgress() throws IOException {
        float[][] x = TestModels.rows(1000, 4, 21);
        Path in = csv("x.csv", TestModels.FEATURES, x);
        Path out = dir.resolve("pred.csv");
        List<Progress> reports = new ArrayList<>();
        try (Predictor p = Predictor.open(TestModels.linearClassifier(CLASSES, false).toByteArray(), CPU)) {
            StreamingPredict.Summary s = StreamingPredict.predictFile(p, in, out,
                    StreamingPredict.Options.defaults().withBatchRows(128).withProgress(reports::add));
            assertEquals(1000, s.rows());
            Predictions direct = p.predict(x);
            List<String> lines = Files.readAllLines(out);
            assertEquals("label,proba_10,proba_20,proba_30", lines.get(0));
            assertEquals(1001, lines.size());
            long[] labels = direct.labels().asLongs();
            for (int r = 0; r < x.length; r++) {
                String[] cells = lines.get(r + 1).split(",");
                assertEquals(labels[r], Long.parseLong(cells[0]), "row " + r);
                for (int c = 0; c < 3; c++) {
                    // Shortest round-trip text: parsing it back gives exactly the float ORT produced.
                    assertEquals(direct.probabilities().getFloat(r, c), Float.parseFloat(cells[c + 1]), 0f);
                }
            }
        }
        assertEquals(8, reports.size(), "one report per block of 128 rows");
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(Math.min(1000, 128L * (i + 1)), reports.get(i).rowsDone());
        }
        assertEquals(1.0, reports.get(reports.size() - 1).fractionDone(), 1e-12);
        assertTrue(reports.get(0).rowsTotal().isEmpty(), "CSV row count is unknown up front");
        assertEquals(List.of("pred.csv", "x.csv"), files());
    }

    @Test
    void npyInputWithFloat64ModelAndNpyOutput() throws IOException {
        double[] w = {0.5, -2.0, 0.25};
        double[][] x = {{1, 2, 3}, {0.1, 0.2, 0.3}, {-1e10, 1e-10, 7}};
        Path in = dir.resolve("x.npy");
        NpyWriter.write(in, x);
        Path out = dir.resolve("pred.npy");
        List<Progress> reports = new ArrayList<>();
        try (Predictor p = Predictor.open(TestModels.doubleRegressor(w, 1.5).toByteArray(), CPU)) {
            StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults().withBatchRows(2).withProgress(reports::add));
            double[] direct = p.predict(x).values().column(0);
            try (NpyReader r = NpyReader.open(out, true)) {
                assertEquals(FloatType.FLOAT64, r.header().type());
                assertEquals(1, r.width());
                RowBlock block = RowBlock.allocate(FloatType.FLOAT64, 10, 1);
                assertEquals(3, r.read(block));
                for (int i = 0; i < 3; i++) {
                    assertEquals(direct[i], block.get(i, 0), 0.0);
                }
            }
        }
        assertEquals(3L, reports.get(0).rowsTotal().getAsLong());
        assertEquals(List.of(2L, 3L), reports.stream().map(Progress::rowsDone).toList());
    }

    @Test
    void headerMismatchFailsBeforeWritingAnything() throws IOException {
        Path in = csv("x.csv", List.of("sepal_length", "sepal_width", "petal_length", "colour"), TestModels.rows(3, 4, 1));
        Path out = dir.resolve("pred.csv");
        try (Predictor p = Predictor.open(TestModels.linearClassifier(CLASSES, false).toByteArray(), CPU)) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults()));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
            assertEquals(in + " (header)", e.context());
            assertTrue(e.bareMessage().contains("missing [petal_width], unexpected [colour]"), e.bareMessage());
            // Names unchecked on request; the count still is.
            StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults().withCheckColumnNames(false));
            assertTrue(Files.exists(out));
            Path narrow = csv("narrow.csv", List.of("a", "b", "c"), TestModels.rows(3, 3, 1));
            Ml2TensorException width = assertThrows(Ml2TensorException.class, () -> StreamingPredict.predictFile(p, narrow,
                    dir.resolve("n.csv"), StreamingPredict.Options.defaults().withCheckColumnNames(false)));
            assertTrue(width.bareMessage().contains("3 columns but the model expects 4 features"), width.bareMessage());
        }
        assertEquals(List.of("narrow.csv", "pred.csv", "x.csv"), files());
    }

    @Test
    void badCellMidwayLeavesNoOutputAndKeepsAnOldOne() throws IOException {
        float[][] x = TestModels.rows(500, 4, 2);
        StringBuilder sb = new StringBuilder(String.join(",", TestModels.FEATURES)).append('\n');
        for (int r = 0; r < x.length; r++) {
            sb.append(r == 400 ? "1,2,nan,4" : x[r][0] + "," + x[r][1] + "," + x[r][2] + "," + x[r][3]).append('\n');
        }
        Path in = Files.writeString(dir.resolve("x.csv"), sb);
        Path out = Files.writeString(dir.resolve("pred.csv"), "previous results\n");
        try (Predictor p = Predictor.open(TestModels.linearClassifier(CLASSES, false).toByteArray(), CPU)) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults().withBatchRows(64)));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
            assertEquals(in + ":402", e.context());
            assertTrue(e.bareMessage().startsWith("missing value ('nan') in column 3 ('petal_length')"), e.bareMessage());
        }
        assertEquals("previous results\n", Files.readString(out));
        assertEquals(List.of("pred.csv", "x.csv"), files());
    }

    @Test
    void headerOnlyInputIsEmptyInput() throws IOException {
        Path in = Files.writeString(dir.resolve("x.csv"), String.join(",", TestModels.FEATURES) + "\n");
        try (Predictor p = Predictor.open(TestModels.linearClassifier(CLASSES, true).toByteArray(), CPU)) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> StreamingPredict.predictFile(p, in, dir.resolve("pred.csv"), StreamingPredict.Options.defaults()));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
            assertEquals("empty input: no data rows", e.bareMessage());
        }
        assertEquals(List.of("x.csv"), files());
    }

    @Test
    void outputColumnsFollowTheContractForEveryTask() throws IOException {
        assertEquals(List.of("label", "proba_setosa", "proba_versicolor", "proba_virginica"),
                header(TestModels.stringClassifier(List.of("setosa", "versicolor", "virginica")).toByteArray(), 4));
        assertEquals(List.of("prediction"), header(TestModels.doubleRegressor(new double[] {1, 2}, 0).toByteArray(), 2));
        assertEquals(List.of("x0", "x1", "x2"), header(TestModels.doublingTransformer().toByteArray(), 3));
        assertEquals(List.of("label", "score"), header(TestModels.linearDecision(new float[] {1, -1}, 0.5f, true).toByteArray(), 2));
        assertEquals(List.of("label", "decision"), header(TestModels.linearDecision(new float[] {1, -1}, 0.5f, false).toByteArray(), 2));
        assertEquals(List.of("y_0", "y_1"), header(TestModels.foreignDoubler().toByteArray(), 2));
        byte[] twoTargets = TestModels.withMetadata(TestModels.doublingTransformer(), ModelContract.TASK, "regression").toByteArray();
        assertEquals(List.of("prediction_0", "prediction_1", "prediction_2"), header(twoTargets, 3));
    }

    private List<String> header(byte[] model, int width) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            names.add("f" + i);
        }
        float[][] x = TestModels.rows(5, width, 3);
        try (Predictor p = Predictor.open(model, CPU);
             CsvRowReader src = CsvRowReader.of(new java.io.ByteArrayInputStream(Files.readAllBytes(csv("h.csv", names, x))),
                     "h.csv", -1, true)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (CsvPredictionWriter w = CsvPredictionWriter.toStream(bytes, p.info())) {
                StreamingPredict.run(p, src, w, StreamingPredict.Options.defaults().withCheckColumnNames(false));
            }
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(6, lines.size());
            return List.of(lines.get(0).split(","));
        }
    }

    @Test
    void outlierAndDecisionValuesAreWritten() throws IOException {
        float[] w = {1, -1};
        float[][] x = {{3, 1}, {0, 2}};
        try (Predictor p = Predictor.open(TestModels.linearDecision(w, 0.5f, true).toByteArray(), CPU)) {
            Path out = dir.resolve("o.csv");
            StreamingPredict.predictFile(p, csv("o_in.csv", List.of("a", "b"), x), out, StreamingPredict.Options.defaults());
            assertEquals(List.of("label,score", "1,2.5", "-1,-1.5"), Files.readAllLines(out));
        }
    }

    @Test
    void stringLabelsAreQuotedWhenNeededAndRefusedByNpy() throws IOException {
        List<String> classes = List.of("a,b", "say \"hi\"", "plain");
        float[][] x = TestModels.rows(50, 4, 8);
        try (Predictor p = Predictor.open(TestModels.stringClassifier(classes).toByteArray(), CPU)) {
            Path in = csv("x.csv", TestModels.FEATURES, x);
            Path out = dir.resolve("p.csv");
            StreamingPredict.predictFile(p, in, out, StreamingPredict.Options.defaults());
            List<String> lines = Files.readAllLines(out);
            assertEquals("label,\"proba_a,b\",\"proba_say \"\"hi\"\"\",proba_plain", lines.get(0));
            // Read the written table back with the CSV header parser: quoted names come back intact.
            String[] labels = p.predict(x).labels().asStrings();
            for (int r = 0; r < x.length; r++) {
                String expected = labels[r].equals("plain") ? "plain" : "\"" + labels[r].replace("\"", "\"\"") + "\"";
                assertTrue(lines.get(r + 1).startsWith(expected + ","), lines.get(r + 1));
            }
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> StreamingPredict.predictFile(p, in, dir.resolve("p.npy"), StreamingPredict.Options.defaults()));
            assertEquals(ErrorCode.INVALID_OPTION, e.code());
        }
        assertArrayEquals(new String[] {"p.csv", "x.csv"}, files().toArray());
    }
}
