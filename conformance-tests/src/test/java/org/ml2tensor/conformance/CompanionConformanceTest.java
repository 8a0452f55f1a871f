package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * Every committed tree fixture (scikit-learn, decimal-input, XGBoost and LightGBM) compiled with the defaults,
 * and, where the compiler embedded a CPU companion ({@code ml2tensor.cpu_companion}), run through the
 * {@link Predictor}'s companion route in calls of at most its row count: the companion's outputs must equal
 * the library's within the case's float32-graph tolerance (2e-5 absolute + 2e-5 relative, labels exact, as
 * for the main graph) and the main graph's outputs within the same tolerance; the count of bit-identical
 * values is printed. Models the companion cannot reproduce (float64 comparisons or sums: LightGBM,
 * HistGradientBoosting, pipelines) must get none.
 */
class CompanionConformanceTest {
    private static final Tolerance FLOAT32_GRAPH = new Tolerance(2e-5, 2e-5);
    private static final List<String> SUMMARY = new CopyOnWriteArrayList<>();

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String n : FixtureCsv.caseNames(SklearnFixtureConformanceTest.ROOT)) {
            out.add(Arguments.of("sklearn/" + n));
        }
        for (String n : FixtureCsv.caseNames(DecimalFixtureConformanceTest.ROOT)) {
            out.add(Arguments.of("decimal/" + n));
        }
        BoosterFixtureConformanceTest.cases().map(a -> (String) a.get()[0]).distinct()
                .forEach(n -> out.add(Arguments.of("booster/" + n)));
        return out.stream();
    }

    /** A fixture's model, rows and expected outputs, and how to compare a chunk of its rows. */
    private record Fixture(ModelIr ir, double[][] rows, FixtureCsv expected, boolean booster) {
    }

    private static Fixture load(String name) throws IOException {
        String kind = name.substring(0, name.indexOf('/'));
        String rest = name.substring(kind.length() + 1);
        return switch (kind) {
            case "sklearn" -> {
                Path dir = SklearnFixtureConformanceTest.ROOT.resolve(rest);
                yield new Fixture(ModelImporter.load(dir.resolve("model.pkl"), ModelFormat.SKLEARN),
                        FixtureCsv.read(dir.resolve("input.csv"), true).numbers(),
                        FixtureCsv.read(dir.resolve("expected.csv"), true), false);
            }
            case "decimal" -> {
                Path dir = DecimalFixtureConformanceTest.ROOT.resolve(rest);
                Path model = Stream.of("model.pkl", "model.txt", "model.json").map(dir::resolve).filter(Files::exists)
                        .findFirst().orElseThrow();
                ModelIr ir = ModelImporter.load(model, ModelFormat.AUTO);
                yield new Fixture(ir, DecimalFixtureConformanceTest.readLikeTheCli(dir.resolve("input.csv"),
                        ir.featureCount()), FixtureCsv.read(dir.resolve("expected.csv"), true), false);
            }
            default -> {
                Path file = BoosterFixtureConformanceTest.ROOT.resolve(rest);
                String stem = file.getFileName().toString().replaceAll("\\.(json|ubj|txt|pkl|joblib)$", "");
                yield new Fixture(ModelImporter.load(file, ModelFormat.AUTO),
                        FixtureCsv.read(file.resolveSibling(stem + ".rows.csv"), false).numbers(),
                        FixtureCsv.read(file.resolveSibling(stem + ".pred.csv"), false), true);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCompanionComputesAsTheLibraryAndTheMainGraph(String name) throws Exception {
        Fixture f = load(name);
        if (!FixtureRun.hasTrees(f.ir())) {
            return;
        }
        CompiledModel m = ModelCompiler.compile(f.ir(), CompileOptions.defaults());
        boolean has = m.metadata().containsKey(ModelContract.CPU_COMPANION);
        boolean lone = f.ir().estimator() instanceof TreeEnsemble;
        boolean float32 = lone && ((TreeEnsemble) f.ir().estimator()).float32Inputs();
        if (!lone || !float32 && !scalarTrees((TreeEnsemble) f.ir().estimator())) {
            assertFalse(has, name + ": only a lone tree ensemble (float64: of trees adding one number each) gets a"
                    + " CPU companion");
            return;
        }
        assertTrue(has, name + ": a lone tree ensemble gets a CPU companion");
        assertEquals(float32 ? "float32" : "float64", m.report().inputType(), name);
        // float64: the companion sums as the library does, so it is held to the main graph's float64 tolerance
        Tolerance library = float32 ? FLOAT32_GRAPH : f.booster() ? new Tolerance(1e-5, 1e-6) : new Tolerance(1e-12, 1e-6);
        Tolerance againstMain = float32 ? FLOAT32_GRAPH : new Tolerance(0, 0); // float64: bit-identical
        List<String> notices = new ArrayList<>();
        PredictorOptions base = PredictorOptions.builder().device(Device.CPU).noticeSink(notices::add).build();
        try (Predictor companion = Predictor.open(m.onnx(), name, base);
             Predictor main = Predictor.open(m.onnx(), name, base.toBuilder().cpuCompanion(false).build())) {
            assertTrue(notices.isEmpty(), name + ": " + notices);
            int k = companion.cpuCompanionMaxRows();
            assertTrue(k >= 1 && k <= 64, name + ": companion rows " + k);
            assertEquals(0, main.cpuCompanionMaxRows());
            double[][] rows = float32 ? widen(float32(f.rows())) : f.rows();
            long values = 0;
            long identical = 0;
            double worst = 0;
            for (int from = 0; from < rows.length; from += k) {
                int to = Math.min(rows.length, from + k);
                Predictions c;
                Predictions g;
                if (float32) {
                    float[][] chunk = float32(java.util.Arrays.copyOfRange(rows, from, to));
                    c = companion.predict(chunk);
                    g = main.predict(chunk);
                } else {
                    double[][] chunk = java.util.Arrays.copyOfRange(rows, from, to);
                    c = companion.predict(chunk);
                    g = main.predict(chunk);
                }
                List<Integer> idx = IntStream.range(from, to).boxed().toList();
                String what = name + " companion rows " + from + ".." + (to - 1);
                if (f.booster()) {
                    BoosterFixtureConformanceTest.compare(what, f.ir(), c, f.expected().select(idx), library);
                } else {
                    FixtureRun.compare(what, c, f.expected().select(idx), library);
                }
                OutputComparison cmp = new OutputComparison(name + " companion vs main graph, rows " + from);
                for (Output o : g.outputs()) {
                    Output co = c.output(o.name()).orElseThrow();
                    for (int r = 0; r < o.rows(); r++) {
                        for (int j = 0; j < o.width(); j++) {
                            String a = o.text(r, j);
                            String b = co.text(r, j);
                            values++;
                            identical += a.equals(b) ? 1 : 0;
                            if (o instanceof Output.Floats || o instanceof Output.Doubles) {
                                double x = ((org.ml2tensor.runtime.Matrix) o).getDouble(r, j);
                                double y = ((org.ml2tensor.runtime.Matrix) co).getDouble(r, j);
                                worst = Math.max(worst, Math.abs(x - y));
                                cmp.value(o.name(), from + r, x, y, againstMain);
                            } else {
                                cmp.label(from + r, a, b, false);
                            }
                        }
                    }
                }
                cmp.assertClean();
            }
            SUMMARY.add(String.format(Locale.ROOT, "%s (%s): %d rows in calls of <= %d, %d of %d values bit-identical to"
                    + " the main graph, largest difference %.3g", name, float32 ? "float32" : "float64", rows.length, k,
                    identical, values, worst));
        }
    }

    @AfterAll
    static void summary() {
        System.out.println("CPU companion conformance (" + SUMMARY.size() + " models with a companion):");
        SUMMARY.stream().sorted().forEach(s -> System.out.println("  " + s));
    }

    private static boolean scalarTrees(TreeEnsemble t) {
        return t.trees().stream().allMatch(d -> d.valueWidth() == 1 && (d.target() >= 0 || t.outputWidth() == 1));
    }

    private static double[][] widen(float[][] rows) {
        double[][] d = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            d[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                d[r][c] = rows[r][c];
            }
        }
        return d;
    }

    private static float[][] float32(double[][] rows) {
        float[][] f = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            f[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                f[r][c] = (float) rows[r][c];
            }
        }
        return f;
    }
}
