package org.ml2tensor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.data.MissingValues;
import org.ml2tensor.train.sgd.SgdClassifier;

/** End to end on a real CSV: faults, checkpoints and resume; pickle and ONNX outputs. */
class TrainingRunTest {
    @TempDir
    Path dir;

    /** data.csv reduced to f0..f3 and the 3-class target y3 (300 rows). */
    private Path csv() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.dir().resolve("data.csv"))) {
            String[] p = line.split(",");
            out.add(String.join(",", p[0], p[1], p[2], p[3], p[5]));
        }
        Path f = dir.resolve("train.csv");
        Files.write(f, out);
        return f;
    }

    private TrainingRun.Config config(Path input, Path output, Path checkpoint, boolean resume, long holdout) {
        return new TrainingRun.Config("SGDClassifier", Settings.of(Map.of("loss", "log_loss", "random_state", "0",
                "average", "True")), SklearnVersion.V1_9, input, "y3", null, null, new double[]{0, 1, 2}, 50, 2,
                holdout, MissingValues.ERROR, output, CompileOptions.defaults().withPrecision(Precision.FLOAT64),
                checkpoint, 1, resume, false);
    }

    @Test
    void malformedRowKeepsTheCheckpointAndResumeFinishesWithTheSameModel() throws IOException {
        Path good = csv();
        TrainingRun.Summary reference = new TrainingRun(config(good, dir.resolve("ref.joblib"), null, false, 40),
                s -> { }).run();

        List<String> lines = new ArrayList<>(Files.readAllLines(good));
        String original = lines.get(229);
        lines.set(229, original.replaceFirst(",[^,]*,", ",1.2.3,"));
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, lines);
        Path cp = dir.resolve("cp");
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> new TrainingRun(config(bad, dir.resolve("out.joblib"), cp, false, 40), s -> { }).run());
        assertEquals(bad + ":230", e.context());
        assertTrue(e.getMessage().contains("column 2 ('f1')"), e.getMessage());
        assertTrue(Files.exists(cp.resolve("state.bin")) && Files.exists(cp.resolve("model.joblib")));
        Checkpoint saved = Checkpoint.read(cp);
        assertEquals(200, saved.position().rowsBefore());
        assertEquals(160, saved.rowsDone());

        lines.set(229, original);
        Files.write(bad, lines);
        TrainingRun.Summary resumed = new TrainingRun(config(bad, dir.resolve("out.joblib"), cp, true, 40), s -> { })
                .run();
        SgdClassifier a = (SgdClassifier) reference.estimator();
        SgdClassifier b = (SgdClassifier) resumed.estimator();
        assertArrayEquals(a.intercept(), b.intercept(), 0.0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.coef()[i], b.coef()[i], 0.0);
        }
        assertEquals(a.t(), b.t(), 0.0);
        assertEquals(reference.evaluation().primary(), resumed.evaluation().primary(), 0.0);
        assertArrayEquals(Files.readAllBytes(dir.resolve("ref.joblib")), Files.readAllBytes(dir.resolve("out.joblib")));
    }

    @Test
    void pickleReadsBackThroughTheImporterAsTheSameIr() throws IOException {
        Path model = dir.resolve("m.joblib");
        TrainingRun.Summary s = new TrainingRun(config(csv(), model, null, false, 0), x -> { }).run();
        ModelIr imported = ModelImporter.load(model, ModelFormat.SKLEARN);
        LinearModel mine = (LinearModel) s.ir().estimator();
        LinearModel theirs = (LinearModel) imported.estimator();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(mine.weights()[i], theirs.weights()[i], 0.0);
        }
        assertArrayEquals(mine.intercepts(), theirs.intercepts(), 0.0);
        var mh = (org.ml2tensor.ir.Head.Classification) mine.head();
        var th = (org.ml2tensor.ir.Head.Classification) theirs.head();
        assertEquals(mh.labels().asText(), th.labels().asText());
        assertEquals(mh.probabilities(), th.probabilities());
        assertEquals(mine.transform(), theirs.transform());
    }

    @Test
    void compiledOnnxPredictsLikeTheTrainedModel() throws IOException {
        Path model = dir.resolve("m.onnx");
        TrainingRun.Summary s = new TrainingRun(config(csv(), model, null, false, 0), x -> { }).run();
        SgdClassifier est = (SgdClassifier) s.estimator();
        Chunk all = Fixtures.load("data", "y3", false);
        double[][] rows = new double[all.rows()][4];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 4; j++) {
                rows[i][j] = all.get(i, j);
            }
        }
        double[][] decision = est.decision(all);
        double[][] proba = est.proba(all); // log_loss: the ONNX model outputs predict_proba, as scikit-learn's
        try (Predictor p = Predictor.open(model, PredictorOptions.builder().device(Device.CPU).build())) {
            Predictions out = p.predict(rows);
            long[] labels = out.labels().asLongs();
            for (int i = 0; i < rows.length; i++) {
                int best = 0;
                for (int k = 1; k < 3; k++) {
                    if (decision[i][k] > decision[i][best]) {
                        best = k;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    assertEquals(proba[i][k], out.probabilities().getDouble(i, k), 1e-12);
                }
                assertEquals(best, labels[i], "row " + i);
            }
        }
    }
}
