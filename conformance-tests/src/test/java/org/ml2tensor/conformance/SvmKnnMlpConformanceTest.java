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

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.conformance.reference.FamilyReference;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.KernelSvm;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Predictions;

/**
 * SVC / NuSVC / SVR / NuSVR / OneClassSVM, KNeighborsClassifier / Regressor and MLPClassifier / Regressor
 * pickled by scikit-learn 1.2.1, 1.6.1 and 1.9.1 ({@code fixtures/generate_family_svm_knn_mlp_fixtures.py}): on
 * held-out decimal rows (including one-vs-one vote ties and k-NN distance ties and duplicates of training rows),
 * the EJML reference evaluator and ONNX Runtime (float64 graph, the default precision) both equal scikit-learn.
 *
 * <p>Tolerances: labels exact. Values 1e-9 absolute + 1e-9 relative: decision values, kernels and layer products
 * are float64 dot products summed in another order than libsvm / numpy (about 1e-15 relative); SVC probabilities
 * run libsvm's coupling with the same operations in the same order, the graph unrolled for 10 iterations (the
 * reference runs libsvm's full loop and this test checks that no fixture row needs more than 10).
 */
class SvmKnnMlpConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/svm_knn_mlp");
    static final Tolerance TOL = new Tolerance(1e-9, 1e-9);

    static Stream<String> cases() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("model.pkl"))).sorted().toList()) {
                out.add(dir.getFileName().toString());
            }
        }
        return out.stream();
    }

    static double[][] rows(Path dir) throws IOException {
        FixtureCsv in = FixtureCsv.read(dir.resolve("input.csv"), true);
        double[][] rows = new double[in.rows.size()][];
        for (int r = 0; r < rows.length; r++) {
            String[] cells = in.rows.get(r);
            rows[r] = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                rows[r][c] = Double.parseDouble(cells[c]);
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchScikitLearn(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        double[][] rows = rows(dir);
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        assertEquals(rows.length, expected.rows.size(), name);
        FixtureRun.compareReference(name, ReferenceEvaluator.evaluate(ir, rows, Precision.FLOAT64), rows.length,
                expected, TOL);
        Predictions out = FixtureRun.run(ir, CompileOptions.defaults(), rows);
        FixtureRun.compare(name + " onnxruntime", out, expected, TOL);
        if (ir.estimator() instanceof KernelSvm svm && svm.head() instanceof Head.Classification c && c.probabilities()) {
            double[][] dec = FamilyReference.svmDecisions(svm, new DMatrixRMaj(rows));
            int most = 0;
            for (double[] d : dec) {
                most = Math.max(most, FamilyReference.coupling(svm, d).iterations());
            }
            assertTrue(most <= 10, name + ": libsvm's coupling needed " + most + " iterations, the graph unrolls 10");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "svc_precomputed, 'SVC › kernel', precomputed",
            "knn_cosine, 'KNeighborsClassifier › effective_metric_', cosine"})
    void closeButUnsupportedModelsAreRefusedNamingTheAttribute(String name, String context, String word) {
        for (String v : List.of("1.2.1", "1.6.1", "1.9.1")) {
            Path file = ROOT.resolve("refused").resolve(name + "__skl" + v + ".pkl");
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> ModelImporter.load(file, ModelFormat.SKLEARN), file.toString());
            assertEquals(ErrorCode.UNSUPPORTED, e.code(), e.getMessage());
            assertTrue(e.context().endsWith(context), e.getMessage());
            assertTrue(e.bareMessage().contains(word), e.getMessage());
        }
    }

    @Test
    void kNeighboursBeyondTheTensorLimitAreRefusedNamingTheOption() throws Exception {
        Path dir = ROOT.resolve("knn_manhattan__skl1.9.1");
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> ModelCompiler.compile(ir, CompileOptions.defaults().withMaxTensorBytes(1000)));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
        assertTrue(e.getMessage().contains("--max-tensor-bytes"), e.getMessage());
    }
}
