package org.ml2tensor.importers.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;

/**
 * Every fixture model, in every pickle protocol and joblib compression, converted to the IR and evaluated
 * on the rows the generator saved; compared with scikit-learn's own outputs within
 * {@code |got - want| <= 1e-9 + 1e-9·|want|} (class labels exactly).
 */
class SklearnFixtureTest {
    private static final double ABS = 1e-9;
    private static final double REL = 1e-9;
    private static final SklearnImporter IMPORTER = SklearnImporter.standard();

    @TestFactory
    Stream<DynamicNode> everyModelEveryFormat() {
        List<DynamicNode> versions = new ArrayList<>();
        for (Path dir : Fixtures.versionDirs()) {
            List<DynamicNode> models = new ArrayList<>();
            for (String model : Fixtures.models(dir)) {
                Map<String, Object> expected = Json.map(Json.read(dir.resolve(model + ".json")));
                List<DynamicNode> files = new ArrayList<>();
                for (Path file : Fixtures.modelFiles(dir, model)) {
                    files.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file, expected)));
                }
                models.add(DynamicContainer.dynamicContainer(model, files));
            }
            versions.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), models));
        }
        return versions.stream();
    }

    static void check(Path file, Map<String, Object> fx) throws Exception {
        assertTrue(Files.exists(file), "missing fixture " + file);
        ModelIr ir = IMPORTER.load(file);
        assertEquals("sklearn", ir.source().format());
        assertEquals(fx.get("root_class"), ir.source().description());
        assertEquals(org.ml2tensor.importers.ModelFiles.sha256(Files.readAllBytes(file)), ir.source().sha256());
        double[][] x = Json.matrix(fx.get("X"));
        assertEquals(x[0].length, ir.featureCount(), "feature count");
        if (fx.get("name").toString().startsWith("pipe_df")) {
            assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), ir.featureNames());
        }
        String cls = fx.get("class").toString();
        IrTestEvaluator eval = new IrTestEvaluator(!cls.contains("HistGradientBoosting"));
        Map<String, Object> out = Json.map(fx.get("outputs"));
        String kind = fx.get("kind").toString();
        Head head = IrTestEvaluator.head(ir.estimator());
        for (int r = 0; r < x.length; r++) {
            IrTestEvaluator.Scores s = eval.scores(ir.estimator(), x[r]);
            String row = " row " + r;
            switch (kind) {
                case "transformer" -> close(row(out.get("transform"), r), s.transformed(), "transform" + row);
                case "regressor" -> close(row(out.get("predict"), r), s.transformed(), "predict" + row);
                case "outlier" -> {
                    double offset = ((Head.Outlier) head).offset();
                    double score = s.transformed()[0];
                    close(row(out.get("score_samples"), r), new double[]{score}, "score_samples" + row);
                    close(row(out.get("decision_function"), r), new double[]{score - offset}, "decision" + row);
                    assertEquals(row(out.get("predict"), r)[0], score - offset < 0 ? -1.0 : 1.0, "predict" + row);
                }
                case "classifier" -> classifier(fx, out, (Head.Classification) head, s, r);
                default -> fail("unknown kind " + kind);
            }
        }
    }

    private static void classifier(Map<String, Object> fx, Map<String, Object> out, Head.Classification head,
                                   IrTestEvaluator.Scores s, int r) {
        String row = " row " + r;
        int index;
        if (s.raw().length == 1) {
            index = s.raw()[0] > 0 ? 1 : 0;
        } else {
            index = 0;
            for (int k = 1; k < s.transformed().length; k++) {
                if (s.transformed()[k] > s.transformed()[index]) {
                    index = k;
                }
            }
        }
        String label = head.labels().asText().get(index);
        Object want = Json.list(out.get("predict")).get(r);
        if ("str".equals(out.get("predict_label_kind"))) {
            assertEquals(want, label, "predict" + row);
        } else {
            assertEquals((Double) want, Double.parseDouble(label), 0.0, "predict" + row);
        }
        if (head.probabilities() && out.containsKey("predict_proba")) {
            double[] p = s.transformed();
            double[] proba = p.length == 1 ? new double[]{1 - p[0], p[0]} : p;
            close(row(out.get("predict_proba"), r), proba, "predict_proba" + row);
        }
        if (out.containsKey("decision_function")) {
            double[] d = head.probabilities() ? s.raw() : s.transformed();
            close(row(out.get("decision_function"), r), d, "decision_function" + row);
        }
    }

    private static double[] row(Object table, int r) {
        Object v = Json.list(table).get(r);
        return v instanceof Double d ? new double[]{d} : Json.doubles(v);
    }

    static void close(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what + ": width");
        for (int i = 0; i < want.length; i++) {
            double tol = ABS + REL * Math.abs(want[i]);
            if (!(Math.abs(want[i] - got[i]) <= tol) && !(Double.isNaN(want[i]) && Double.isNaN(got[i]))) {
                fail(what + "[" + i + "]: expected " + want[i] + " but got " + got[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
