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
