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
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Predictions;

/**
 * Every XGBoost (1.7.4 JSON/UBJ and scikit-learn-API pickles, 3.4.0 from XGBoost4J) and LightGBM (4.7.0) fixture of the importers
 * module × every tree strategy × float32/float64, run by ONNX Runtime and compared with the library's own
 * {@code predict} output ({@code .pred.csv}).
 *
 * <p>Tolerance: the libraries sum leaves in float32 (XGBoost) or float64 (LightGBM) in their own order;
 * float32 graphs (fast mode, and auto for XGBoost) sum in float32: 2e-5 absolute + 2e-5 relative on
 * transformed outputs (probabilities, predictions); float64 graphs: 1e-5 absolute + 1e-6 relative
 * (XGBoost's own float32 sums bound it).
 * Labels (multi:softmax) exact.
 */
class BoosterFixtureConformanceTest {
    static final Path ROOT = Paths.get("../importers/src/test/resources");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String lib : List.of("xgboost", "lightgbm")) {
            try (Stream<Path> files = Files.list(ROOT.resolve(lib))) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    boolean model = n.endsWith(".json") || n.endsWith(".ubj") || n.endsWith(".txt")
                            || n.endsWith(".pkl") || n.endsWith(".joblib");
                    String stem = n.substring(0, n.lastIndexOf('.'));
                    if (model && !n.startsWith("refused") && Files.exists(f.resolveSibling(stem + ".pred.csv"))
                            && Files.exists(f.resolveSibling(stem + ".rows.csv"))) {
                        for (Precision p : Precision.values()) {
                            out.add(Arguments.of(lib + "/" + n, p));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyStrategyMatchesTheLibrary(String name, Precision precision) throws Exception {
        Path file = ROOT.resolve(name);
        String stem = file.getFileName().toString().replaceAll("\\.(json|ubj|txt|pkl|joblib)$", "");
        ModelIr ir = ModelImporter.load(file, ModelFormat.AUTO);
        double[][] allRows = FixtureCsv.read(file.resolveSibling(stem + ".rows.csv"), false).numbers();
        FixtureCsv allPred = FixtureCsv.read(file.resolveSibling(stem + ".pred.csv"), false);
        // The fast float32 mode is exact for float32 inputs only where the library compares in float64
        // (LightGBM, a reported inexact step): there only rows whose values are all float32 numbers are
        // comparable; auto and float64: all rows.
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < allRows.length; r++) {
            if (precision != Precision.FLOAT32 || float32Exact(allRows[r])) {
                keep.add(r);
            }
        }
        double[][] rows = keep.stream().map(r -> allRows[r]).toArray(double[][]::new);
        FixtureCsv pred = allPred.select(keep);
        boolean float32Sums = precision == Precision.FLOAT32
                || precision == Precision.AUTO && FixtureRun.trees(ir.estimator()).float32Inputs();
        Tolerance tol = !float32Sums ? new Tolerance(1e-5, 1e-6) : new Tolerance(2e-5, 2e-5);
        for (CompileOptions o : FixtureRun.variants(ir, precision)) {
            String what = name + " " + FixtureRun.describe(o);
            Predictions p = FixtureRun.run(ir, o, rows);
            if (p == null) {
                continue;
            }
            compare(what, ir, p, pred, tol);
        }
    }

    private static boolean float32Exact(double[] row) {
        for (double v : row) {
            if (!Double.isNaN(v) && (double) (float) v != v) {
                return false;
            }
        }
        return true;
    }

    /** The library's predict output: probability of class 1, class probabilities, class index, or values. */
    static void compare(String what, ModelIr ir, Predictions p, FixtureCsv pred, Tolerance tol) {
        OutputComparison cmp = new OutputComparison(what);
        double[][] exp = pred.numbers();
        int cols = exp[0].length;
        Head head = FixtureRun.trees(ir.estimator()).head();
        for (int r = 0; r < exp.length; r++) {
            if (head instanceof Head.Classification c && c.probabilities()) {
                int k = p.probabilities().width();
                if (cols == 1 && k == 2) {
                    cmp.value("p1", r, exp[r][0], p.probabilities().getDouble(r, 1), tol);
                } else if (cols == k) {
                    for (int j = 0; j < k; j++) {
                        cmp.value("p" + j, r, exp[r][j], p.probabilities().getDouble(r, j), tol);
                    }
                } else {
                    cmp.label(r, Long.toString((long) exp[r][0]), p.labels().labelText(r), false);
                }
            } else if (head instanceof Head.Classification) {
                cmp.label(r, Long.toString((long) exp[r][0]), p.labels().labelText(r), false);
            } else {
                for (int j = 0; j < cols; j++) {
                    cmp.value("y" + j, r, exp[r][j], p.values().getDouble(r, j), tol);
                }
            }
        }
        cmp.assertClean();
    }
}
