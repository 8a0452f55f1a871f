package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.ml2tensor.compiler.CompileReport;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.io.CsvRowReader;
import org.ml2tensor.runtime.io.RowBlock;

/**
 * Decimal-input fixtures ({@code fixtures/decimal/}, written by
 * {@code conformance-tests/fixtures/generate_decimal_fixtures.py}): models trained on the LightGBM
 * example data (binary, regression, multiclass, rf, lambdarank) and XGBoost's agaricus data, scikit-learn
 * 1.2.1 / 1.6.1 / 1.9.1 HistGradientBoosting, RandomForest and scaler/PCA/imputer pipelines, with inputs
 * as decimal text (values on split thresholds, one double ulp either side, rounded to 3–6 significant
 * digits, different doubles with the same float32) and the library's outputs computed from that text.
 *
 * <p>The CSV is read the way the CLI reads it ({@link CsvRowReader}: decimal → nearest double; a float32
 * graph gets that double rounded to float32), then every strategy runs on ONNX Runtime.
 *
 * <p>Default precision ({@code auto}): labels exactly; float64 graphs (LightGBM, HistGradientBoosting,
 * pipelines, linear models) 1e-6 relative + 1e-12 absolute; float32 graphs (a lone XGBoost model or
 * scikit-learn forest, whose libraries compare in float32 and which sum leaves in float32 here)
 * 2e-5 + 2e-5. Fast mode ({@code float32}): the same float32 tolerance where the compiler reports no
 * inexact step; where it reports some, differences are allowed and the report and the metadata must
 * name them.
 */
class DecimalFixtureConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/decimal");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                for (Precision p : List.of(Precision.AUTO, Precision.FLOAT32)) {
                    out.add(Arguments.of(dir.getFileName().toString(), p));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void decimalInputsMatchTheLibrary(String name, Precision precision) throws Exception {
        Path dir = ROOT.resolve(name);
        ModelIr ir = ModelImporter.load(model(dir), ModelFormat.AUTO);
        double[][] rows = readLikeTheCli(dir.resolve("input.csv"), ir.featureCount());
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        assertEquals(expected.rows.size(), rows.length, name);
        for (CompileOptions o : FixtureRun.variants(ir, precision)) {
            CompiledModel m;
            try {
                m = ModelCompiler.compile(ir, o);
            } catch (Ml2TensorException e) {
                if (e.code() == ErrorCode.LIMIT_EXCEEDED) {
                    continue;
                }
                throw e;
            }
            CompileReport r = m.report();
            String what = name + " " + FixtureRun.describe(o) + " (" + r.inputType() + " input)";
            boolean float32Graph = r.inputType().equals("float32");
            boolean nativeSums = o.strategy() == TreeStrategy.NATIVE && !float32Graph;
            Tolerance tol = float32Graph ? new Tolerance(2e-5, 2e-5) : nativeSums ? new Tolerance(1e-7, 1e-6)
                    : new Tolerance(1e-12, 1e-6);
            if (precision == Precision.AUTO) {
                assertTrue(r.inexactSteps().isEmpty(), what + ": " + r.inexactSteps());
                assertFalse(m.metadata().containsKey(ModelContract.INEXACT_STEPS), what);
                FixtureRun.compareWithExpected(what, ir, o, rows, expected, tol);
            } else if (r.inexactSteps().isEmpty()) {
                FixtureRun.compareWithExpected(what, ir, o, rows, expected, tol);
            } else {
                // allowed to differ, but only because of the steps it reports, and it says so
                String meta = m.metadata().get(ModelContract.INEXACT_STEPS);
                assertTrue(meta != null && meta.contains(r.inexactSteps().get(0).substring(0, 10)), what);
                try {
                    FixtureRun.compareWithExpected(what, ir, o, rows, expected, tol);
                } catch (AssertionError differs) {
                    // expected for some of these models: the point of the default precision
                    String msg = differs.getMessage();
                    System.out.println("fast mode differs as reported: " + msg.substring(0, msg.indexOf(':', what.length()) + 1)
                            .replace("\n", " ") + " " + msg.substring(msg.indexOf(':', what.length()) + 1,
                            msg.indexOf('\n') < 0 ? msg.length() : msg.indexOf('\n')).trim());
                }
            }
        }
    }

    private static Path model(Path dir) throws IOException {
        for (String n : List.of("model.pkl", "model.txt", "model.json")) {
            if (Files.exists(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        throw new IOException("no model in " + dir);
    }

    /** The CLI's CSV path: {@link CsvRowReader} into a float64 block (DecimalParser → double). */
    static double[][] readLikeTheCli(Path csv, int width) {
        List<double[]> out = new ArrayList<>();
        try (CsvRowReader reader = CsvRowReader.open(csv, true)) {
            RowBlock block = RowBlock.allocate(FloatType.FLOAT64, 256, width);
            int n;
            while ((n = reader.read(block)) > 0) {
                for (int r = 0; r < n; r++) {
                    double[] row = new double[width];
                    for (int c = 0; c < width; c++) {
                        row[c] = block.get(r, c);
                    }
                    out.add(row);
                }
            }
        }
        return out.toArray(double[][]::new);
    }
}
