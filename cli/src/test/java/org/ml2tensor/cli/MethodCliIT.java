package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --method transform}: LinearDiscriminantAnalysis's transform compiled as the model, from the command line. */
class MethodCliIT {
    static final Path LDA = Launcher.REPO.resolve(
            "conformance-tests/src/test/resources/fixtures/methods/lda_svd_multiclass_transform__skl1.9.1");

    @Test
    void compileAndPredictTheTransformOfAnLda(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("lda.onnx");
        Launcher.Run c = Launcher.run("compile", LDA.resolve("model.pkl").toString(), "-o", onnx.toString(),
                "--method", "transform");
        assertEquals(0, c.exit(), c.all());
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", onnx.toString(), "--input", LDA.resolve("input.csv").toString(),
                "--output", out.toString(), "--device", "cpu");
        assertEquals(0, r.exit(), r.all());
        List<String> got = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(LDA.resolve("expected.csv"));
        assertEquals(expected.size(), got.size(), String.join("\n", got.subList(0, Math.min(3, got.size()))));
        for (int i = 1; i < got.size(); i++) {
            String[] g = got.get(i).split(",");
            String[] e = expected.get(i).split(",");
            assertEquals(e.length, g.length, "columns of row " + i + ": " + got.get(0));
            for (int k = 0; k < e.length; k++) {
                double want = Double.parseDouble(e[k]);
                assertEquals(want, Double.parseDouble(g[k]), 1e-9 + 1e-9 * Math.abs(want), "row " + i + " col " + k);
            }
        }
    }

    /**
     * {@code --method predict_log_proba}: a GaussianNB compiled to label + log_probabilities; predict writes
     * {@code label,log_proba_<class>} equal to scikit-learn's predict_log_proba (finite where the probability
     * underflows); inspect lists the output; a KNeighborsClassifier is refused naming the method.
     */
    @Test
    void compileAndPredictLogProbabilities(@TempDir Path dir) throws Exception {
        Path nb = Launcher.REPO.resolve(
                "conformance-tests/src/test/resources/fixtures/methods/gaussian_nb_log_proba__skl1.9.1");
        Path onnx = dir.resolve("nb.onnx");
        Launcher.Run c = Launcher.run("compile", nb.resolve("model.pkl").toString(), "-o", onnx.toString(),
                "--method", "predict_log_proba");
        assertEquals(0, c.exit(), c.all());
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", onnx.toString(), "--input", nb.resolve("input.csv").toString(),
                "--output", out.toString(), "--device", "cpu");
        assertEquals(0, r.exit(), r.all());
        List<String> got = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(nb.resolve("expected.csv"));
        assertEquals("label,log_proba_no,log_proba_yes", got.get(0));
        assertEquals(expected.size(), got.size());
        for (int i = 1; i < got.size(); i++) {
            String[] g = got.get(i).split(",");
            String[] e = expected.get(i).split(",");
            assertEquals(e[0], g[0], "label of row " + i);
            for (int k = 1; k < e.length; k++) {
                double want = Double.parseDouble(e[k]);
                assertEquals(want, Double.parseDouble(g[k]), 1e-9 + 1e-9 * Math.abs(want), "row " + i + " col " + k);
            }
        }
        Launcher.Run inspect = Launcher.run("inspect", onnx.toString());
        assertEquals(0, inspect.exit(), inspect.all());
        assertTrue(inspect.out().contains("log_probabilities"), inspect.all());
        Launcher.Run knn = Launcher.run("compile", Launcher.REPO.resolve(
                        "conformance-tests/src/test/resources/fixtures/methods-refused/knn_log_proba__skl1.9.1.pkl")
                .toString(), "-o", dir.resolve("knn.onnx").toString(), "--method", "predict_log_proba");
        assertTrue(knn.exit() != 0, knn.all());
        assertTrue(knn.err().contains("KNeighborsClassifier has no predict_log_proba method"), knn.all());
        assertFalse(Files.exists(dir.resolve("knn.onnx")));
    }

    @Test
    void aWrongMethodOrABoosterIsRefused(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("m.onnx");
        Launcher.Run bad = Launcher.run("compile", LDA.resolve("model.pkl").toString(), "-o", onnx.toString(),
                "--method", "predict_proba_please");
        assertEquals(2, bad.exit(), bad.all());
        assertTrue(bad.err().contains("--method"), bad.all());
        Launcher.Run booster = Launcher.run("compile",
                Launcher.BOOSTERS.resolve("xgboost/binary_logistic.json").toString(), "-o", onnx.toString(),
                "--method", "transform");
        assertEquals(2, booster.exit(), booster.all());
        assertTrue(booster.err().contains("no transform method"), booster.all());
        assertFalse(Files.exists(onnx));
    }
}
