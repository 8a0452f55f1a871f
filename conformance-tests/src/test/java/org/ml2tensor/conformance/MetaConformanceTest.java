package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.conformance.reference.ReferenceOutputs;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.Ensemble;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * Real scikit-learn meta-estimators (1.2.1, 1.6.1 and 1.9.1; {@code conformance-tests/fixtures/generate_meta_fixtures.py}):
 * VotingClassifier (soft with weights, hard with ties and a dropped member), VotingRegressor, StackingClassifier
 * (binary with the dropped probability column, multiclass with passthrough), StackingRegressor,
 * CalibratedClassifierCV (isotonic around HistGradientBoosting, sigmoid around a forest, {@code ensemble=False}),
 * BaggingClassifier (trees on column subsets; LinearSVC by vote fractions), BaggingRegressor, AdaBoostClassifier
 * (SAMME and the default algorithm of each version), AdaBoostRegressor, and a ColumnTransformer → StackingClassifier
 * with a calibrated and a bagged member, OneVsRestClassifier around SVC/NuSVC(probability=True)
 * ({@code generate_meta_ovr_svc_fixtures.py}: labels from the decisions, probabilities from Platt). For every case the EJML reference and ONNX Runtime — with the default
 * ({@code auto}) tree strategy and with each tree strategy forced — equal scikit-learn on 60 held-out decimal rows.
 *
 * <p>Tolerances: labels exact; values 1e-9 absolute + 1e-9 relative (float64 graphs; members' trees compare in
 * float32 as scikit-learn does, so every row reaches the same leaves).
 */
class MetaConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/meta");
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).build();
    private static final Tolerance TOL = new Tolerance(1e-9, 1e-9);

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(ROOT).stream().map(n -> Arguments.of(n));
    }

    static double[][] rows(Path dir) throws IOException {
        return FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchScikitLearn(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        assertInstanceOf(Ensemble.class, last(ir.estimator()), "an Ensemble node");
        double[][] rows = rows(dir);
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        ReferenceOutputs ref = ReferenceEvaluator.evaluate(ir, rows, Precision.AUTO);
        FixtureRun.compareReference(name, ref, rows.length, expected, TOL);
        int labelCol = expected.header.indexOf("label");
        List<CompileOptions> variants = new ArrayList<>(List.of(CompileOptions.defaults()));
        if (name.endsWith("1.9.1")) { // every tree strategy once per composition (the others: auto) keeps this fast
            for (TreeStrategy s : List.of(TreeStrategy.GEMM, TreeStrategy.TREE_TRAVERSAL,
                    TreeStrategy.PERFECT_TREE_TRAVERSAL)) {
                variants.add(CompileOptions.defaults().withStrategy(s));
            }
        }
        for (CompileOptions o : variants) {
            CompiledModel m = ModelCompiler.compile(ir, o);
            assertEquals("float64", m.report().inputType(), "meta-estimators compute in float64");
            try (Predictor p = Predictor.open(m.onnx(), name, CPU)) {
                Predictions out = p.predict(rows);
                FixtureRun.compare(name + " " + o.strategy().cliName(), out, expected, TOL);
                for (int r = 0; labelCol >= 0 && r < rows.length; r++) {
                    // strictly, ties included (FixtureRun accepts either label of a tie; the tie rules are tested here)
                    String want = expected.rows.get(r)[labelCol];
                    assertEquals(want, out.labels().labelText(r), name + " label of row " + r);
                    assertEquals(want, ref.intLabels() != null ? Long.toString(ref.intLabels()[r])
                            : ref.stringLabels()[r], name + " reference label of row " + r);
                }
            }
        }
    }

    /** {@code inspect}'s step list shows the members nested under the ensemble, each with its own lowering. */
    @Test
    void stepsShowTheNestedGraphWithEachPartsLowering() throws Exception {
        ModelIr ir = ModelImporter.load(ROOT.resolve("ct_stacking_nested__skl1.9.1/model.pkl"), ModelFormat.SKLEARN);
        List<String> steps = ModelCompiler.compile(ir, CompileOptions.defaults()).report().stepGraph();
        String text = String.join("\n", steps);
        assertTrue(text.contains("StackingClassifier(3 members"), text);
        assertTrue(text.contains("    [1] cal → proba\n      CalibratedClassifierCV(2 members"), text);
        assertTrue(text.contains("        [0] fold 0 → decision\n          LinearModel(5 → 3"), text);
        assertTrue(text.contains("    final estimator on 9 columns\n      LinearModel(9 → 3, SOFTMAX)"), text);
        assertTrue(steps.stream().anyMatch(l -> l.startsWith("      TreeEnsemble(10 trees, depth 4, 5 → 3): ")), text);
    }

    /**
     * A forest inside CalibratedClassifierCV is lowered with the strategy the bare forest gets: the same selector,
     * the same options.
     */
    @Test
    void aForestInsideACalibratorKeepsTheBareForestsStrategy() throws Exception {
        ModelIr ir = ModelImporter.load(ROOT.resolve("calibrated_forest_sigmoid_multiclass__skl1.9.1/model.pkl"),
                ModelFormat.SKLEARN);
        Ensemble cal = (Ensemble) ir.estimator();
        ModelIr bare = new ModelIr(cal.members().get(0).estimator(), ir.schema(), ir.source());
        for (Precision p : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
            CompileOptions o = CompileOptions.defaults().withPrecision(p);
            assertEquals(ModelCompiler.compile(bare, o).report().strategy(),
                    ModelCompiler.compile(ir, o).report().strategy());
        }
    }

    /**
     * OneVsRest around SVC/NuSVC(probability=True): the members' decisions give the labels, their Platt probabilities
     * the probabilities; on the fixture rows where the two argmaxes differ, ONNX Runtime still gives scikit-learn's
     * label (the values are compared by {@link #referenceAndOnnxRuntimeMatchScikitLearn}).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ovr_svc_probability_multiclass__skl1.2.1",
            "ovr_svc_probability_multiclass__skl1.9.1", "ovr_nusvc_probability_binary__skl1.6.1"})
    void oneVsRestAroundAnSvcWithProbabilitiesLabelsByDecisionAndGivesPlattProbabilities(String name)
            throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        Ensemble e = (Ensemble) ir.estimator();
        org.ml2tensor.ir.Combiner.OneVsRest ovr = (org.ml2tensor.ir.Combiner.OneVsRest) e.combiner();
        assertTrue(ovr.splitResponses(), name);
        int k = ovr.classifiers(e.members().size());
        assertEquals(2 * k, e.members().size(), name);
        assertEquals(org.ml2tensor.ir.Member.Response.DECISION, e.members().get(0).response());
        assertEquals(org.ml2tensor.ir.Member.Response.PROBA_POSITIVE, e.members().get(k).response());
        double[][] rows = rows(dir);
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        int disagreeing = 0;
        try (Predictor p = Predictor.open(ModelCompiler.compile(ir, CompileOptions.defaults()).onnx(), name, CPU)) {
            Predictions out = p.predict(rows);
            for (int r = 0; r < rows.length; r++) {
                String[] row = expected.rows.get(r);
                int best = 1;
                for (int j = 2; j < row.length; j++) {
                    best = Double.parseDouble(row[j]) > Double.parseDouble(row[best]) ? j : best;
                }
                if (!expected.header.get(best).equals("proba_" + row[0])) {
                    disagreeing++;
                    assertEquals(row[0], out.labels().labelText(r), name + " label of row " + r);
                }
            }
        }
        assertTrue(disagreeing >= 8, name + ": " + disagreeing + " rows whose label is not the probability argmax");
    }

    /** Every unsupported member of a nested meta-estimator is reported at once (here one per calibration fold), with its object path. */
    @Test
    void unsupportedMembersAreReportedTogetherWithTheirPaths() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.load(
                Paths.get("src/test/resources/fixtures/meta-refused/stacking_unsupported_members__skl1.9.1.pkl"),
                ModelFormat.SKLEARN));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        String m = e.getMessage();
        assertTrue(m.contains("3 estimators are not supported"), m);
        assertTrue(m.contains("StackingClassifier.estimators_[0] (LabelSpreading)"), m);
        assertTrue(m.contains("StackingClassifier.estimators_[2] (CalibratedClassifierCV)"
                + ".calibrated_classifiers_[0] (_CalibratedClassifier).estimator (DummyClassifier)"), m);
    }

    private static Estimator last(Estimator e) {
        return e instanceof Pipeline p ? p.last() : e;
    }
}
