package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;

/**
 * LinearDiscriminantAnalysis's {@code transform} as a model output ({@code --method transform}),
 * {@code predict_log_proba} as one ({@code --method predict_log_proba};
 * {@code conformance-tests/fixtures/generate_log_proba_fixtures.py}, cases {@code *_log_proba}; see also
 * {@link LogProbaConformanceTest}), binary
 * OneVsOneClassifier, CalibratedClassifierCV around {@code SVC(probability=True)} and ensembles of sibling forests
 * ({@code conformance-tests/fixtures/generate_method_fixtures.py}; scikit-learn 1.2.1, 1.6.1 and 1.9.1, held-out
 * 3-decimal rows). Per case the EJML reference and ONNX Runtime (the default compile, and every tree strategy
 * where the model has trees) equal scikit-learn: labels exactly, values within 1e-9 absolute + 1e-9 relative.
 */
class MethodConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/methods");
    static final Path REFUSED = Paths.get("src/test/resources/fixtures/methods-refused");
    static final Tolerance EXACT = new Tolerance(1e-9, 1e-9);
    static final Tolerance FLOAT32_TREES = new Tolerance(2e-5, 2e-5);
    static final ImportOptions TRANSFORM = ImportOptions.defaults().withMethod(ImportOptions.Method.TRANSFORM);

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(ROOT).stream().map(Arguments::of);
    }

    static final ImportOptions LOG_PROBA = ImportOptions.defaults().withMethod(ImportOptions.Method.PREDICT_LOG_PROBA);

    /** The model compiled with the case's {@code method}: predict, transform or predict_log_proba. */
    static ModelIr load(Path dir) throws IOException {
        String json = Files.readString(dir.resolve("case.json"));
        ImportOptions options = json.contains("\"method\": \"transform\"") ? TRANSFORM
                : json.contains("\"method\": \"predict_log_proba\"") ? LOG_PROBA : ImportOptions.defaults();
        return ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN, options);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchTheLibrary(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = load(dir);
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        FixtureRun.compareReference(name, ReferenceEvaluator.evaluate(ir, rows, Precision.AUTO), rows.length,
                expected, EXACT);
        // a forest's own predict_log_proba model is a float32 graph at the default precision, as its
        // probabilities are (the float32 tree tolerance of SklearnFixtureConformanceTest); every other case 1e-9
        boolean float32Graph = ModelCompiler.compile(ir, CompileOptions.defaults()).report().inputType()
                .equals("float32");
        Tolerance tol = float32Graph ? FLOAT32_TREES : EXACT;
        FixtureRun.compare(name + " auto", FixtureRun.run(ir, CompileOptions.defaults(), rows), expected, tol);
        if (FixtureRun.hasTrees(ir)) {
            for (CompileOptions o : FixtureRun.variants(ir, Precision.AUTO)) {
                FixtureRun.compareWithExpected(name + " " + FixtureRun.describe(o), ir, o, rows, expected, tol);
            }
        }
    }

    /**
     * Two sibling forests in one VotingClassifier / StackingClassifier read one shared cast of the input (their
     * extended input) under tree-traversal and perfect-tree-traversal; the results are the library's (checked by
     * the conformance cases above under every strategy, and here again).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"voting_two_forests_soft__skl1.9.1", "stacking_two_forests_logreg__skl1.9.1"})
    void siblingForestsShareOneExtendedInput(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = load(dir);
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        for (TreeStrategy s : new TreeStrategy[]{TreeStrategy.TREE_TRAVERSAL, TreeStrategy.PERFECT_TREE_TRAVERSAL}) {
            CompileOptions o = CompileOptions.defaults().withStrategy(s);
            ModelProto proto = ModelProto.parseFrom(ModelCompiler.compile(ir, o).onnx());
            long casts = proto.getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().equals("Cast") && n.getInput(0).equals(ModelContract.INPUT)).count();
            assertEquals(1, casts, name + " " + s + ": casts of the input");
            FixtureRun.compareWithExpected(name + " " + s, ir, o, rows, expected, EXACT);
        }
    }

    /** lsqr has no transform in scikit-learn: refused naming the solver, for every version's pickle. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.2.1", "1.6.1", "1.9.1"})
    void ldaLsqrTransformIsRefusedNamingTheSolver(String version) {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.load(
                REFUSED.resolve("lda_lsqr__skl" + version + ".pkl"), ModelFormat.SKLEARN, TRANSFORM));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.context().endsWith("solver"), e.context());
        assertTrue(e.bareMessage().contains("solver='lsqr'") && e.bareMessage().contains("has no transform"),
                e.bareMessage());
        // the same pickle still compiles as a classifier
        assertEquals(5, ModelImporter.load(REFUSED.resolve("lda_lsqr__skl" + version + ".pkl"),
                ModelFormat.SKLEARN).estimator().inputWidth());
    }

    /** A predictor without transform is refused by name with --method transform. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.2.1", "1.6.1", "1.9.1"})
    void aPredictorWithoutTransformIsRefused(String version) {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.load(
                REFUSED.resolve("logreg__skl" + version + ".pkl"), ModelFormat.SKLEARN, TRANSFORM));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.bareMessage().contains("LogisticRegression has no transform method"), e.bareMessage());
        assertTrue(e.hint().contains("--method transform"), e.hint());
    }
}
