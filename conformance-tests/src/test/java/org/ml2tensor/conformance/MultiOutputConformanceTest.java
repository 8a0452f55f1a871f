package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import org.ml2tensor.contract.JsonStrings;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.MultiTarget;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.Task;
import org.ml2tensor.runtime.io.PredictionLayout;

/**
 * Real scikit-learn multi-output and multilabel classifiers (1.2.1, 1.6.1 and 1.9.1;
 * {@code conformance-tests/fixtures/generate_multioutput_fixtures.py}): multilabel MLPClassifier and
 * OneVsRestClassifier, MultiOutputClassifier, ClassifierChain (every {@code chain_method} of 1.6.1 and 1.9.1),
 * multi-output DecisionTree/RandomForest/ExtraTrees classifiers. For every case the EJML reference and ONNX
 * Runtime — tree models under {@code auto} and each tree strategy forced, native included — equal scikit-learn on
 * 60 held-out decimal rows: {@code label [N, T]} exactly, the probability blocks within 1e-9 absolute + 1e-9
 * relative (float64 graphs; the native ONNX-ML TreeEnsemble holds leaf values in float32, so there 1e-6). The CSV column names ({@code label_<t>}, {@code proba_<t>_<class>}) are the fixture's.
 */
class MultiOutputConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/multioutput");
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).build();
    private static final Tolerance TOL = new Tolerance(1e-9, 1e-9);
    /** ONNX-ML's TreeEnsemble holds leaf values in float32: probabilities within float32 rounding. */
    private static final Tolerance NATIVE_TOL = new Tolerance(1e-6, 1e-6);

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(ROOT).stream().map(n -> Arguments.of(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchScikitLearn(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        Predictor last = last(ir.estimator());
        assertTrue(last.head() instanceof Head.MultiClassification, name + ": a multi-output head");
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        int targets = (int) expected.header.stream().filter(h -> h.startsWith("label_")).count();

        ReferenceOutputs ref = ReferenceEvaluator.evaluate(ir, rows, Precision.AUTO);
        for (int r = 0; r < rows.length; r++) {
            for (int t = 0; t < targets; t++) {
                assertEquals(expected.rows.get(r)[t], ref.targetLabels()[r][t], name + " reference label " + t + " row " + r);
            }
            for (int j = targets; j < expected.header.size(); j++) {
                double want = FixtureCsv.number(expected.rows.get(r)[j]);
                double got = ref.probabilities()[r][j - targets];
                assertTrue(TOL.accepts(want, got), name + " reference " + expected.header.get(j) + " row " + r
                        + ": " + got + " vs " + want);
            }
        }

        List<CompileOptions> variants = new ArrayList<>(List.of(CompileOptions.defaults()));
        if (hasTrees(ir.estimator())) {
            for (TreeStrategy s : List.of(TreeStrategy.GEMM, TreeStrategy.TREE_TRAVERSAL,
                    TreeStrategy.PERFECT_TREE_TRAVERSAL, TreeStrategy.NATIVE)) {
                variants.add(CompileOptions.defaults().withStrategy(s).withTarget(
                        s == TreeStrategy.NATIVE ? org.ml2tensor.compiler.Target.CPU_NATIVE
                                : org.ml2tensor.compiler.Target.PORTABLE));
            }
        }
        for (CompileOptions o : variants) {
            if (!FixtureRun.opsets().isEmpty()) {
                FixtureRun.run(ir, o, rows); // scripts/opset_conformance.sh: identical outputs at every extra opset
            }
            CompiledModel m = ModelCompiler.compile(ir, o);
            String what = name + " " + o.strategy().cliName();
            Tolerance tol = o.strategy() == TreeStrategy.NATIVE ? NATIVE_TOL : TOL;
            assertEquals(ModelContract.TASK_MULTI_CLASSIFICATION, m.metadata().get(ModelContract.TASK), what);
            assertFalse(m.metadata().containsKey(ModelContract.CLASS_LABELS), what);
            List<List<String>> classes = JsonStrings.parseArrays(m.metadata().get(ModelContract.TARGET_CLASS_LABELS));
            assertEquals(targets, classes.size(), what);
            try (org.ml2tensor.runtime.Predictor p = org.ml2tensor.runtime.Predictor.open(m.onnx(), name, CPU)) {
                assertEquals(Task.MULTI_CLASSIFICATION, p.info().task(), what);
                assertEquals(classes, p.info().targetClassLabels(), what);
                Predictions out = p.predict(rows);
                assertEquals(expected.header, PredictionLayout.of(p.info(), out).headers(), what + ": CSV columns");
                Output label = out.output(ModelContract.LABEL).orElseThrow();
                assertEquals(targets, label.width(), what);
                Matrix proba = out.has(ModelContract.PROBABILITIES) ? out.probabilities() : null;
                assertEquals(expected.header.size() > targets, proba != null, what + ": probabilities output");
                for (int r = 0; r < rows.length; r++) {
                    for (int t = 0; t < targets; t++) {
                        assertEquals(expected.rows.get(r)[t], label.text(r, t), what + " label " + t + " row " + r);
                    }
                    for (int j = targets; j < expected.header.size(); j++) {
                        double want = FixtureCsv.number(expected.rows.get(r)[j]);
                        double got = proba.getDouble(r, j - targets);
                        assertTrue(tol.accepts(want, got), what + " " + expected.header.get(j) + " row " + r
                                + ": " + got + " vs " + want);
                    }
                }
            }
        }
    }

    /** {@code inspect}'s step list shows each target's classifier nested under the multi-output model, chained. */
    @Test
    void stepsShowEachTargetsLowering() throws Exception {
        ModelIr ir = ModelImporter.load(ROOT.resolve("chain_tree_predict__skl1.9.1/model.pkl"), ModelFormat.SKLEARN);
        String text = String.join("\n", ModelCompiler.compile(ir, CompileOptions.defaults()).report().stepGraph());
        assertTrue(text.contains("ClassifierChain(3 targets, chain feeding predict)"), text);
        assertTrue(text.contains("  [1] estimators_[1] → target 0 on the input + 1 previous outputs\n"
                + "    TreeEnsemble(1 trees, depth 4, 7 → 2)"), text);
        ModelIr forest = ModelImporter.load(ROOT.resolve("forest_multioutput_ints__skl1.9.1/model.pkl"),
                ModelFormat.SKLEARN);
        MultiTarget mt = (MultiTarget) forest.estimator();
        assertEquals(List.of(3, 2, 4), mt.head().targets().stream().map(l -> l.size()).toList());
        assertEquals(9, mt.outputWidth());
    }

    /**
     * Fast mode ({@code --precision float32}): float32 input and arithmetic, the loss named in the metadata; on the
     * fixture rows (float32-rounded) the labels stay scikit-learn's and the probabilities are within 1e-6.
     */
    @Test
    void fastModeNamesTheLossAndStaysClose() throws Exception {
        Path dir = ROOT.resolve("forest_multioutput_ints__skl1.9.1");
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        CompiledModel m = ModelCompiler.compile(ir, CompileOptions.defaults().withPrecision(Precision.FLOAT32));
        assertEquals("float32", m.report().inputType());
        assertTrue(m.metadata().get(ModelContract.INEXACT_STEPS).contains("RandomForestClassifier (3 targets)"),
                m.metadata().get(ModelContract.INEXACT_STEPS));
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        float[][] f = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            f[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                f[r][c] = (float) rows[r][c];
            }
        }
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        try (org.ml2tensor.runtime.Predictor p = org.ml2tensor.runtime.Predictor.open(m.onnx(), "fast", CPU)) {
            Predictions out = p.predict(f);
            Output label = out.output(ModelContract.LABEL).orElseThrow();
            for (int r = 0; r < rows.length; r++) {
                for (int t = 0; t < 3; t++) {
                    assertEquals(expected.rows.get(r)[t], label.text(r, t), "label " + t + " row " + r);
                }
                for (int j = 3; j < expected.header.size(); j++) {
                    assertEquals(FixtureCsv.number(expected.rows.get(r)[j]), out.probabilities().getDouble(r, j - 3), 1e-6,
                            expected.header.get(j) + " row " + r);
                }
            }
        }
    }

    /**
     * What {@code ml2tensor predict} writes: a CSV file with the fixture's columns ({@code label_<t>},
     * {@code proba_<t>_<class>}) and values, and an {@code .npy} file of the same columns (integer labels as
     * float64); string labels cannot go to {@code .npy} and are refused with INVALID_OPTION.
     */
    @Test
    void predictFileWritesOneColumnPerTargetAndClass(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        for (String name : List.of("tree_multioutput_strings__skl1.9.1", "forest_multioutput_ints__skl1.9.1")) {
            Path dir = ROOT.resolve(name);
            ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
            FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
            int targets = (int) expected.header.stream().filter(h -> h.startsWith("label_")).count();
            try (org.ml2tensor.runtime.Predictor p = org.ml2tensor.runtime.Predictor.open(
                    ModelCompiler.compile(ir, CompileOptions.defaults()).onnx(), name, CPU)) {
                Path csv = tmp.resolve(name + ".csv");
                org.ml2tensor.runtime.io.StreamingPredict.predictFile(p, dir.resolve("input.csv"), csv,
                        org.ml2tensor.runtime.io.StreamingPredict.Options.defaults().withCheckColumnNames(false));
                FixtureCsv got = FixtureCsv.read(csv, true);
                assertEquals(expected.header, got.header, name);
                assertEquals(expected.rows.size(), got.rows.size(), name);
                for (int r = 0; r < got.rows.size(); r++) {
                    for (int j = 0; j < expected.header.size(); j++) {
                        String want = expected.rows.get(r)[j];
                        String cell = got.rows.get(r)[j];
                        if (j < targets) {
                            assertEquals(want, cell, name + " " + expected.header.get(j) + " row " + r);
                        } else {
                            assertTrue(TOL.accepts(FixtureCsv.number(want), FixtureCsv.number(cell)),
                                    name + " " + expected.header.get(j) + " row " + r);
                        }
                    }
                }
                Path npy = tmp.resolve(name + ".npy");
                if (name.contains("strings")) {
                    org.ml2tensor.error.Ml2TensorException e = org.junit.jupiter.api.Assertions.assertThrows(
                            org.ml2tensor.error.Ml2TensorException.class, () -> org.ml2tensor.runtime.io.StreamingPredict
                                    .predictFile(p, dir.resolve("input.csv"), npy, org.ml2tensor.runtime.io.StreamingPredict
                                            .Options.defaults().withCheckColumnNames(false)));
                    assertEquals(org.ml2tensor.error.ErrorCode.INVALID_OPTION, e.code());
                } else {
                    org.ml2tensor.runtime.io.StreamingPredict.predictFile(p, dir.resolve("input.csv"), npy,
                            org.ml2tensor.runtime.io.StreamingPredict.Options.defaults().withCheckColumnNames(false));
                    try (org.ml2tensor.runtime.io.NpyReader in = org.ml2tensor.runtime.io.NpyReader.open(npy, true)) {
                        assertEquals(expected.header.size(), in.width(), name);
                        assertEquals(expected.rows.size(), in.totalRows().orElseThrow(), name);
                    }
                }
            }
        }
    }

    private static Predictor last(Estimator e) {
        return (Predictor) (e instanceof Pipeline p ? p.last() : e);
    }

    private static boolean hasTrees(Estimator e) {
        if (e instanceof Pipeline p) {
            return hasTrees(p.last());
        }
        if (e instanceof MultiTarget m) {
            return m.members().stream().anyMatch(t -> hasTrees(t.estimator()));
        }
        if (e instanceof org.ml2tensor.ir.Ensemble en) {
            return en.members().stream().anyMatch(t -> hasTrees(t.estimator()));
        }
        return e instanceof org.ml2tensor.ir.TreeEnsemble;
    }
}
