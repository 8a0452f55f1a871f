package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's "done when", through the real CLI: a scikit-learn 1.9.1 DataFrame pipeline (ColumnTransformer
 * selecting the string columns city/color and the numeric age/income by name → LogisticRegression) compiles;
 * {@code predict} reads CSVs whose columns come in other orders (and with an extra column) and matches
 * scikit-learn's labels and probabilities; {@code inspect} prints the step graph.
 */
class DataFramePipelineCliIT {
    private static final Path CASE = Launcher.REPO.resolve(
            "conformance-tests/src/test/resources/fixtures/pipelines/ct_ohe_scaler_logreg__skl1.9.1");

    /** The fixture's input.csv with its columns permuted by {@code order} and an unused id column first. */
    private static Path permuted(Path dir, int[] order) throws Exception {
        List<String> lines = Files.readAllLines(CASE.resolve("input.csv"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            StringBuilder b = new StringBuilder(i == 0 ? "row_id" : Integer.toString(i));
            for (int k : order) {
                b.append(',').append(cells[k]);
            }
            out.add(b.toString());
        }
        Path csv = dir.resolve("input_" + order[0] + order[1] + order[2] + ".csv");
        Files.write(csv, out);
        return csv;
    }

    @Test
    void predictReadsColumnsByNameInAnyOrderAndMatchesScikitLearn(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("pipeline.onnx");
        Launcher.Run c = Launcher.run("compile", CASE.resolve("model.pkl").toString(), "-o", onnx.toString());
        assertEquals(0, c.exit(), c.all());
        List<String> expected = Files.readAllLines(CASE.resolve("expected.csv"));
        for (int[] order : List.of(new int[]{0, 1, 2, 3, 4}, new int[]{4, 2, 0, 3, 1}, new int[]{3, 0, 4, 1, 2})) {
            Path in = permuted(dir, order);
            for (Path model : List.of(CASE.resolve("model.pkl"), onnx)) {
                Path out = dir.resolve("y.csv");
                Launcher.Run r = Launcher.run("predict", model.toString(), "--input", in.toString(), "--output",
                        out.toString(), "--device", "cpu");
                assertEquals(0, r.exit(), r.all());
                List<String> got = Files.readAllLines(out);
                assertEquals(expected.get(0), got.get(0), "header");
                assertEquals(expected.size(), got.size());
                for (int i = 1; i < got.size(); i++) {
                    String[] g = got.get(i).split(",");
                    String[] e = expected.get(i).split(",");
                    assertEquals(e[0], g[0], "label of row " + i + " with columns " + java.util.Arrays.toString(order));
                    for (int k = 1; k < e.length; k++) {
                        assertEquals(Double.parseDouble(e[k]), Double.parseDouble(g[k]),
                                1e-9 + 1e-9 * Math.abs(Double.parseDouble(e[k])), "row " + i + " col " + k);
                    }
                }
            }
        }
    }

    @Test
    void inspectShowsTheStepGraphAndTheInputSchema() throws Exception {
        Launcher.Run r = Launcher.run("inspect", CASE.resolve("model.pkl").toString());
        assertEquals(0, r.exit(), r.all());
        String out = r.out();
        for (String part : List.of("Pipeline(", "Union(", "branch cat", "branch num", "OneHotEncode(", "Affine(",
                "LinearModel(", "city", "income")) {
            assertTrue(out.contains(part), "inspect lacks " + part + ":\n" + out);
        }
    }
}
