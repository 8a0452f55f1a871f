package org.ml2tensor.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;

/**
 * Every scikit-learn fixture (real models from scikit-learn 1.2.1, 1.6.1 and 1.9.1 with their own
 * predictions, see {@code conformance-tests/fixtures/}) × every tree strategy × float32/float64, run by
 * ONNX Runtime through the Predictor and compared with scikit-learn's outputs and with the reference
 * evaluator. Inputs include rows exactly on split thresholds, NaN where the model accepts it and
 * extreme magnitudes. (The decimal-input fixtures are checked by {@link DecimalFixtureConformanceTest}.)
 *
 * <p>Tolerances: labels exact (except genuine ties, where scikit-learn's own top two probabilities are
 * within 1e-9). Tree models in float32: decisions are exact (rounded thresholds), leaf sums are float32:
 * 2e-5 absolute + 2e-5 relative. Linear models and transformers in float32: 1e-4 relative + 1e-5 absolute
 * (one float32 dot product of up to 8 terms with inputs up to 1e30). float64 graphs (precision
 * {@code float64}, and {@code auto} for everything but a lone float32-comparing tree ensemble, which
 * gets a float32 graph): 1e-9 + 1e-9 relative.
 */
class SklearnFixtureConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/sklearn");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                for (Precision p : Precision.values()) {
                    out.add(Arguments.of(dir.getFileName().toString(), p));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyStrategyMatchesScikitLearn(String name, Precision precision) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        FixtureCsv input = FixtureCsv.read(dir.resolve("input.csv"), true);
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        boolean trees = FixtureRun.hasTrees(ir);
        boolean float32Graph = precision == Precision.FLOAT32 || precision == Precision.AUTO
                && ir.estimator() instanceof org.ml2tensor.ir.TreeEnsemble t && t.float32Inputs();
        Tolerance tol = !float32Graph ? new Tolerance(1e-9, 1e-9)
                : trees ? new Tolerance(2e-5, 2e-5) : new Tolerance(1e-5, 1e-4);
        if (precision == Precision.FLOAT32) {
            FixtureRun.compareReference(name, ir, input.numbers(), expected, new Tolerance(1e-9, 1e-9));
        }
        for (CompileOptions o : FixtureRun.variants(ir, precision)) {
            // the native ONNX-ML node outputs float32 sums even inside a float64 graph
            Tolerance t = o.strategy() == org.ml2tensor.compiler.TreeStrategy.NATIVE && !float32Graph
                    ? new Tolerance(1e-6, 1e-6) : tol;
            FixtureRun.compareWithExpected(name + " " + FixtureRun.describe(o), ir, o, input.numbers(), expected, t);
        }
    }
}
