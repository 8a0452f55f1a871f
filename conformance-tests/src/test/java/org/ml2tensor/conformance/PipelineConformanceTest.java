package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.io.CsvCellReader;
import org.ml2tensor.runtime.io.StreamingPredict;

/**
 * Real scikit-learn pipelines (1.2.1 on object arrays, 1.6.1 and 1.9.1 on pandas DataFrames; see
 * {@code conformance-tests/fixtures/generate_pipeline_fixtures.py}): ColumnTransformer graphs over string and
 * numeric columns with OneHotEncoder, SimpleImputer (strings, add_indicator), MissingIndicator,
 * FunctionTransformer and FeatureUnion, ending in LogisticRegression, GradientBoosting, HistGradientBoosting
 * and RandomForest. Held-out rows hold unseen categories and missing strings and numbers; DataFrame cases give
 * the CSV columns in another order than at fit (matched by name). For every case: the reference evaluator,
 * ONNX Runtime through {@link Predictor#predictCells} at float64 and float32 (every tree strategy) and the
 * streaming CSV path all equal scikit-learn's outputs.
 *
 * <p>Tolerances: labels exact. Reference and float64 graphs: 1e-9 absolute + 1e-9 relative. float32 graphs:
 * 1e-5 absolute + 1e-4 relative (float32 scaler and dot-product arithmetic; trees' decisions are exact on
 * these float32-representable inputs).
 */
class PipelineConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/pipelines");
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).build();

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(ROOT).stream().map(n -> Arguments.of(n));
    }

    record Input(List<String> header, List<Object[]> cells) {
    }

    static Input input(Path dir) {
        try (CsvCellReader r = CsvCellReader.open(dir.resolve("input.csv"))) {
            List<Object[]> cells = new ArrayList<>();
            List<Object[]> batch = new ArrayList<>();
            while (r.read(batch, 1000) > 0) {
                cells.addAll(batch);
            }
            return new Input(r.header(), cells);
        }
    }

    /** The cells in schema order, numbers parsed (empty = NaN), for the reference evaluator. */
    static Object[][] schemaRows(ModelIr ir, Input in) {
        Object[][] rows = new Object[in.cells().size()][ir.featureCount()];
        for (int c = 0; c < ir.featureCount(); c++) {
            int at = ir.schema().named() ? in.header().indexOf(ir.schema().column(c).name()) : c;
            assertTrue(at >= 0, "input.csv lacks " + ir.schema().column(c).name());
            for (int r = 0; r < rows.length; r++) {
                String s = (String) in.cells().get(r)[at];
                rows[r][c] = ir.schema().column(c).type() == ColumnType.STRING ? s
                        : s.isEmpty() ? Double.NaN : Double.parseDouble(s);
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchScikitLearn(String name) throws Exception {
        check(ROOT.resolve(name), name);
    }

    /** Reference, ONNX Runtime (float64, float32, every tree strategy) and scikit-learn agree on one fixture. */
    static void check(Path dir, String name) throws Exception {
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        Input in = input(dir);
        FixtureCsv expected = FixtureCsv.read(dir.resolve("expected.csv"), true);
        boolean dataFrame = Files.readString(dir.resolve("case.json")).contains("\"dataframe\": true");
        assertEquals(dataFrame, ir.schema().named(), "columns matched by name exactly for DataFrame models");
        FixtureRun.compareReference(name, ReferenceEvaluator.evaluate(ir, schemaRows(ir, in), Precision.FLOAT64),
                in.cells().size(), expected, new Tolerance(1e-9, 1e-9));
        // The fast mode rounds inputs to float32: where the rows are not float32 numbers (values one float64
        // ulp below a bin edge), its oracle is the library's rules on the rounded rows (the reference at FLOAT32).
        FixtureCsv fastOracle = float32Numbers(ir, in) ? expected : FixtureCsv.fromReference(expected,
                ReferenceEvaluator.evaluate(ir, schemaRows(ir, in), Precision.FLOAT32));
        for (Precision p : Precision.values()) {
            Tolerance tol = p == Precision.FLOAT64 ? new Tolerance(1e-9, 1e-9) : new Tolerance(1e-5, 1e-4);
            for (CompileOptions o : FixtureRun.variants(ir, p)) {
                CompiledModel m = ModelCompiler.compile(ir, o);
                try (Predictor predictor = Predictor.open(m.onnx(), name, CPU)) {
                    Predictions out = predictor.predictCells(in.header(), in.cells());
                    FixtureRun.compare(name + " " + FixtureRun.describe(o), out,
                            p == Precision.FLOAT32 ? fastOracle : expected, tol);
                }
            }
        }
    }

    /** Whether every numeric cell of the input is a float32 number. */
    static boolean float32Numbers(ModelIr ir, Input in) {
        for (Object[] row : schemaRows(ir, in)) {
            for (Object v : row) {
                if (v instanceof Double d && !d.isNaN() && (double) (float) (double) d != d) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The done-when of issue 19: a DataFrame pipeline's CSV, columns in another order, through the streaming predictor. */
    @Test
    void csvWithColumnsInAnyOrderStreamsThroughThePredictor(@TempDir Path tmp) throws Exception {
        Path dir = ROOT.resolve("ct_ohe_scaler_logreg__skl1.9.1");
        ModelIr ir = ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN);
        assertEquals(List.of("string", "string", "float", "float", "float"),
                ir.schema().types().stream().map(ColumnType::jsonName).toList().subList(0, 5));
        CompiledModel m = ModelCompiler.compile(ir, CompileOptions.defaults());
        Path out = tmp.resolve("pred.csv");
        try (Predictor predictor = Predictor.open(m.onnx(), "ct", CPU)) {
            StreamingPredict.predictFile(predictor, dir.resolve("input.csv"), out,
                    StreamingPredict.Options.defaults().withBatchRows(7));
        }
        FixtureCsv got = FixtureCsv.read(out, true);
        FixtureCsv want = FixtureCsv.read(dir.resolve("expected.csv"), true);
        assertEquals(want.header, got.header);
        assertEquals(want.rows.size(), got.rows.size());
        for (int r = 0; r < want.rows.size(); r++) {
            assertEquals(want.rows.get(r)[0], got.rows.get(r)[0], "label of row " + r);
            for (int c = 1; c < want.header.size(); c++) {
                double e = Double.parseDouble(want.rows.get(r)[c]);
                double a = Double.parseDouble(got.rows.get(r)[c]);
                assertTrue(Math.abs(e - a) <= 1e-5 + 1e-4 * Math.abs(e), "row " + r + " col " + c + ": " + e + " vs " + a);
            }
        }
    }
}
