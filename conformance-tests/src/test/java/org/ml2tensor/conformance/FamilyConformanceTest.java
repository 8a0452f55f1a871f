package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Predictions;

/**
 * The linear family, naive Bayes, discriminant analysis, k-means and the LightGBM scikit-learn wrappers
 * (issue 12; {@code conformance-tests/fixtures/generate_family_linear_nb_cluster_fixtures.py}, scikit-learn
 * 1.2.1, 1.6.1 and 1.9.1, LightGBM 4.7.0 with 1.9.1 only) on held-out 3-decimal rows. Per case: the EJML
 * reference and ONNX Runtime at the default precision equal scikit-learn's {@code predict} exactly and its
 * {@code predict_proba} / {@code decision_function} / {@code transform} / regression values within 1e-9
 * absolute + 1e-9 relative (float64 throughout; the sums are in another order); where scikit-learn has
 * {@code predict_log_proba}, the log of ONNX Runtime's probabilities equals it within 1e-9 absolute + 1e-9
 * relative wherever the probability is above 1e-300 (below that it underflows) — above 1e-6 for LogisticRegression
 * and SGDClassifier, whose {@code predict_log_proba} is {@code log(predict_proba)}: there {@code 1 − expit(d)}
 * cancels, so a last-bit difference of {@code expit(d)} near 1 moves the log of a tiny probability. The fast float32 graph:
 * values within 2e-4 absolute + 2e-3 relative, labels exact except rows whose expected top two are a tie (not for
 * the LightGBM wrappers: LightGBM compares float64 features, and a 3-decimal input rounded to float32 can cross a
 * threshold — the documented loss of the fast mode; their tree strategies are all checked at the default).
 */
class FamilyConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/families");
    static final Tolerance EXACT = new Tolerance(1e-9, 1e-9);
    static final Tolerance FAST = new Tolerance(2e-4, 2e-3);

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(ROOT).stream().map(n -> Arguments.of(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchTheLibrary(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        FixtureRun.compareReference(name, ReferenceEvaluator.evaluate(ir, rows, Precision.AUTO), rows.length,
                expected, EXACT);
        Predictions exact = FixtureRun.run(ir, CompileOptions.defaults(), rows);
        FixtureRun.compare(name + " auto", exact, expected, EXACT);
        Path logProba = dir.resolve("expected_log_proba.csv");
        if (Files.exists(logProba)) {
            String estimator = Files.readString(dir.resolve("case.json"));
            boolean viaProba = estimator.contains("LogisticRegression") || estimator.contains("SGDClassifier");
            compareLogProba(name, exact, FixtureCsv.read(logProba, true), viaProba ? 1e-6 : 1e-300);
        }
        if (FixtureRun.hasTrees(ir)) {
            for (CompileOptions o : FixtureRun.variants(ir, Precision.AUTO)) {
                FixtureRun.compareWithExpected(name + " " + FixtureRun.describe(o), ir, o, rows, expected, EXACT);
            }
        }
        boolean float64Trees = FixtureRun.hasTrees(ir) && !FixtureRun.trees(ir.estimator()).float32Inputs();
        for (CompileOptions o : float64Trees ? List.<CompileOptions>of() : FixtureRun.variants(ir, Precision.FLOAT32)) {
            FixtureRun.compareWithExpected(name + " " + FixtureRun.describe(o), ir, o, rows, expected, FAST);
        }
        if (Files.exists(dir.resolve("model.joblib"))) {
            ModelIr joblib = ModelImporter.load(dir.resolve("model.joblib"), ModelFormat.SKLEARN);
            FixtureRun.compare(name + " joblib", FixtureRun.run(joblib, CompileOptions.defaults(), rows), expected,
                    EXACT);
        }
    }

    /** A KMeans step before the last (its transform) is refused naming the attribute and what to do. */
    @Test
    void aKmeansTransformStepIsRefusedWithTheReason() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.load(
                ROOT.resolveSibling("kmeans_step_unsupported.pkl"), ModelFormat.SKLEARN));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.context().contains("(KMeans)") && e.context().endsWith("cluster_centers_"), e.context());
        assertTrue(e.bareMessage().contains("KMeans.transform inside a pipeline is not supported"), e.bareMessage());
        assertTrue(e.hint().contains("last step"), e.hint());
    }

    private static void compareLogProba(String name, Predictions p, FixtureCsv expected, double floor) {
        OutputComparison cmp = new OutputComparison(name + " log(probabilities)");
        double[][] want = expected.numbers();
        int checked = 0;
        for (int r = 0; r < want.length; r++) {
            for (int c = 0; c < want[r].length; c++) {
                double prob = p.probabilities().getDouble(r, c);
                if (want[r][c] > Math.log(floor) && prob > floor) {
                    cmp.value(expected.header.get(c), r, want[r][c], Math.log(prob), EXACT);
                    checked++;
                }
            }
        }
        cmp.assertClean();
        assertTrue(checked >= want.length, name + ": only " + checked + " log-probabilities above " + floor);
    }
}
