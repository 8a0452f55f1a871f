package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.conformance.reference.ReferenceOutputs;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.ValueInfoProto;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.io.PredictionLayout;

/**
 * {@code --method predict_log_proba} beyond the tolerance comparison of {@link MethodConformanceTest} (which checks
 * every {@code *_log_proba} case against scikit-learn 1.2.1, 1.6.1 and 1.9.1 within 1e-9 absolute + 1e-9 relative):
 * here {@code -inf} must be exactly where scikit-learn has it, in ONNX Runtime and in the reference; the rows where
 * a probability underflows to 0 but scikit-learn's log-probability is finite (naive Bayes, LDA, QDA from 1.6) are
 * present and finite; the graph's outputs are {@code label} and {@code log_probabilities} with the element type
 * {@code probabilities} has; the CSV columns are {@code log_proba_<class>}; estimators without
 * {@code predict_log_proba} are refused naming the method.
 */
class LogProbaConformanceTest {
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1)
            .cpuCompanion(false).build();

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(MethodConformanceTest.ROOT).stream().filter(n -> n.contains("_log_proba__"))
                .map(Arguments::of);
    }

    @Test
    void everyVersionHasTheCases() throws IOException {
        List<String> names = cases().map(a -> (String) a.get()[0]).toList();
        for (String v : List.of("1.2.1", "1.6.1", "1.9.1")) {
            // NearestCentroid has predict_log_proba from 1.6
            assertEquals(v.equals("1.2.1") ? 20 : 21, names.stream().filter(n -> n.endsWith("__skl" + v)).count(),
                    v + ": " + names);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void infinitiesAreWhereTheLibraryHasThem(String name) throws Exception {
        Path dir = MethodConformanceTest.ROOT.resolve(name);
        ModelIr ir = MethodConformanceTest.load(dir);
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        ReferenceOutputs ref = ReferenceEvaluator.evaluate(ir, rows, Precision.AUTO);
        Predictions p = FixtureRun.run(ir, CompileOptions.defaults(), rows);
        List<String> wrong = new ArrayList<>();
        for (int c = 1; c < expected.header.size(); c++) {
            double[] exp = expected.column(c);
            for (int r = 0; r < rows.length; r++) {
                double onnx = p.logProbabilities().getDouble(r, c - 1);
                double reference = ref.logProbabilities()[r][c - 1];
                boolean inf = exp[r] == Double.NEGATIVE_INFINITY;
                if (inf != (onnx == Double.NEGATIVE_INFINITY) || inf != (reference == Double.NEGATIVE_INFINITY)
                        || !inf && !(Double.isFinite(onnx) && Double.isFinite(reference))) {
                    wrong.add("row " + r + " " + expected.header.get(c) + ": library " + exp[r] + ", onnx " + onnx
                            + ", reference " + reference);
                }
            }
        }
        assertTrue(wrong.isEmpty(), name + ":\n" + String.join("\n", wrong));
        String json = Files.readString(dir.resolve("case.json"));
        int infinities = count(json, "neg_inf_values");
        long seen = 0;
        for (int c = 1; c < expected.header.size(); c++) {
            seen += java.util.Arrays.stream(expected.column(c)).filter(v -> v == Double.NEGATIVE_INFINITY).count();
        }
        assertEquals(infinities, seen, name + ": -inf values of expected.csv vs case.json");
    }

    /** The log-sum-exp and floored estimators have rows whose probability underflows and whose log is finite. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gaussian_nb", "gaussian_nb_multiclass",
            "multinomial_nb", "complement_nb", "scaler_gaussian_nb", "lda_binary", "bagging_gaussian_nb",
            "bagging_multinomial_nb"})
    void underflowRowsAreCoveredInEveryVersion(String slug) throws IOException {
        for (String v : List.of("1.2.1", "1.6.1", "1.9.1")) {
            String json = Files.readString(MethodConformanceTest.ROOT.resolve(slug + "_log_proba__skl" + v)
                    .resolve("case.json"));
            assertTrue(count(json, "underflow_rows") > 0, slug + " " + v + ": " + json);
        }
        // QDA: finite log-softmax from 1.6, log(predict_proba) = -inf in 1.2.1, on the same rows
        Path qda = MethodConformanceTest.ROOT;
        assertTrue(count(Files.readString(qda.resolve("qda_multiclass_log_proba__skl1.9.1/case.json")), "underflow_rows") > 0);
        assertTrue(count(Files.readString(qda.resolve("qda_multiclass_log_proba__skl1.6.1/case.json")), "underflow_rows") > 0);
        assertTrue(count(Files.readString(qda.resolve("qda_multiclass_log_proba__skl1.2.1/case.json")), "neg_inf_values") > 0);
        // NearestCentroid (1.6+): the far rows' probabilities underflow, their log-softmax is finite
        assertTrue(count(Files.readString(qda.resolve("nearest_centroid_log_proba__skl1.6.1/case.json")), "underflow_rows") > 0);
        assertTrue(count(Files.readString(qda.resolve("nearest_centroid_log_proba__skl1.9.1/case.json")), "underflow_rows") > 0);
    }

    /** Outputs label + log_probabilities, with the element type the predict compile gives probabilities. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gaussian_nb_log_proba__skl1.9.1",
            "random_forest_log_proba__skl1.9.1", "lda_binary_log_proba__skl1.2.1", "svc_probability_log_proba__skl1.6.1",
            "bagging_lda_log_proba__skl1.9.1", "bagging_gaussian_nb_log_proba__skl1.6.1"})
    void outputsAndElementTypesFollowTheProbabilities(String name) throws Exception {
        Path dir = MethodConformanceTest.ROOT.resolve(name);
        ModelIr logIr = MethodConformanceTest.load(dir);
        ModelIr plainIr = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        for (Precision precision : Precision.values()) {
            CompileOptions o = CompileOptions.defaults().withPrecision(precision);
            List<ValueInfoProto> log = ModelProto.parseFrom(ModelCompiler.compile(logIr, o).onnx()).getGraph()
                    .getOutputList();
            List<ValueInfoProto> plain = ModelProto.parseFrom(ModelCompiler.compile(plainIr, o).onnx()).getGraph()
                    .getOutputList();
            assertEquals(List.of(ModelContract.LABEL, ModelContract.LOG_PROBABILITIES),
                    log.stream().map(ValueInfoProto::getName).toList(), name + " " + precision);
            assertEquals(ModelContract.PROBABILITIES, plain.get(1).getName());
            assertEquals(plain.get(1).getType().getTensorType().getElemType(),
                    log.get(1).getType().getTensorType().getElemType(), name + " " + precision);
            assertEquals(plain.get(0).getType(), log.get(0).getType(), name + " " + precision);
        }
        assertEquals("classification", ModelCompiler.compile(logIr, CompileOptions.defaults()).metadata()
                .get(ModelContract.TASK));
    }

    /** float32 graphs: finite values within float32 error of the library's, -inf only where the library has it. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gaussian_nb_log_proba__skl1.9.1",
            "multinomial_nb_log_proba__skl1.6.1", "qda_multiclass_log_proba__skl1.9.1", "logreg_multinomial_log_proba__skl1.2.1",
            "bagging_gaussian_nb_log_proba__skl1.9.1", "bagging_lda_log_proba__skl1.2.1", "nearest_centroid_log_proba__skl1.6.1"})
    void float32GraphsStayClose(String name) throws Exception {
        Path dir = MethodConformanceTest.ROOT.resolve(name);
        ModelIr ir = MethodConformanceTest.load(dir);
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        Predictions p = FixtureRun.run(ir, CompileOptions.defaults().withPrecision(Precision.FLOAT32), rows);
        Tolerance loose = new Tolerance(2e-3, 2e-3);
        for (int c = 1; c < expected.header.size(); c++) {
            double[] exp = expected.column(c);
            for (int r = 0; r < rows.length; r++) {
                double got = p.logProbabilities().getDouble(r, c - 1);
                // far rows: float32 scores lose the digits a log-softmax of magnitude 1e4 keeps; only check sane ones
                if (Double.isFinite(exp[r]) && Math.abs(exp[r]) < 50) {
                    assertTrue(loose.accepts(exp[r], got), name + " row " + r + " col " + c + ": " + exp[r] + " vs " + got);
                }
            }
        }
    }

    @Test
    void csvColumnsAreLogProbaPerClass() throws Exception {
        Path dir = MethodConformanceTest.ROOT.resolve("gaussian_nb_log_proba__skl1.9.1");
        ModelIr ir = MethodConformanceTest.load(dir);
        double[][] rows = FixtureCsv.read(dir.resolve("input.csv"), true).numbers();
        try (Predictor p = Predictor.open(ModelCompiler.compile(ir, CompileOptions.defaults()).onnx(), "nb", CPU)) {
            Predictions out = p.predict(rows);
            assertEquals(List.of("label", "log_proba_no", "log_proba_yes"),
                    PredictionLayout.of(p.info(), out).headers());
            assertEquals(List.of("label", "log_proba_no", "log_proba_yes"),
                    FixtureCsv.read(dir.resolve("expected.csv"), true).header);
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of("1.2.1", "1.6.1", "1.9.1").flatMap(v -> Stream.of(
                Arguments.of("knn_log_proba__skl" + v, "KNeighborsClassifier has no predict_log_proba method"),
                Arguments.of("ridge_classifier_log_proba__skl" + v, "RidgeClassifier has no predict_log_proba method"),
                Arguments.of("svc_no_probability_log_proba__skl" + v, "SVC has no predict_log_proba method here"),
                v.equals("1.2.1")
                        ? Arguments.of("nearest_centroid_log_proba__skl" + v,
                                "NearestCentroid has no predict_log_proba method in scikit-learn 1.2.1")
                        : Arguments.of("nearest_centroid_manhattan_log_proba__skl" + v,
                                "only with metric='euclidean', not 'manhattan'")));
    }

    /** Estimators without predict_log_proba are refused: code, path, hint. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void estimatorsWithoutTheMethodAreRefused(String file, String message) {
        Path pkl = MethodConformanceTest.REFUSED.resolve(file + ".pkl");
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> ModelImporter.load(pkl, ModelFormat.SKLEARN, MethodConformanceTest.LOG_PROBA));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.bareMessage().contains(message), e.bareMessage());
        assertTrue(e.context().startsWith(pkl.getFileName().toString()), e.context());
        assertTrue(e.hint().contains("--method predict_log_proba"), e.hint());
        // the same pickle compiles with predict
        assertEquals(5, ModelImporter.load(pkl, ModelFormat.SKLEARN, ImportOptions.defaults()).featureCount());
    }

    private static int count(String json, String key) {
        var m = java.util.regex.Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Integer.parseInt(m.group(1));
    }
}
