package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.conformance.reference.ReferenceOutputs;
import org.ml2tensor.runtime.Predictions;

/**
 * Every tree strategy × precision on randomly generated ensembles built to stress the edge cases:
 * inputs exactly on thresholds (float64 thresholds that are not float32 numbers), NaN with per-node
 * missing directions, categorical splits with unknown/negative/huge categories, single-leaf trees,
 * unbalanced trees, scalar (per-class) and vector leaves. ONNX Runtime must agree with the reference
 * evaluator: labels exactly, decisions exactly (so values to float32 summation error: 1e-5 relative).
 */
class SyntheticTreeConformanceTest {
    private static final int FEATURES = 6;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TreeStrategy s : org.ml2tensor.compiler.lowering.tree.TreeStrategies.all()) {
            for (Precision p : Precision.values()) {
                if (s == TreeStrategy.NATIVE && p != Precision.FLOAT32) { // these ensembles compare in float64
                    continue;
                }
                for (Comparison c : Comparison.values()) {
                    for (int seed = 1; seed <= 3; seed++) {
                        out.add(Arguments.of(s, p, c, seed));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} seed {3}")
    @MethodSource("cases")
    void strategiesMatchReference(TreeStrategy strategy, Precision precision, Comparison comparison, int seed)
            throws Exception {
        Random rnd = new Random(seed);
        double[] grid = grid();
        for (String kind : List.of("regression", "multiclass", "binary", "large")) {
            TreeEnsemble e = ensemble(rnd, grid, comparison, kind);
            ModelIr ir = new ModelIr(e, FEATURES, List.of(), SourceInfo.inCode("synthetic " + kind));
            CompileOptions o = CompileOptions.defaults().withStrategy(strategy).withPrecision(precision)
                    .withTarget(strategy == TreeStrategy.NATIVE ? Target.CPU_NATIVE : Target.PORTABLE)
                    .withExpectedBatchSize(seed == 2 ? 1 : 1000);
            org.ml2tensor.compiler.CompileReport report = ModelCompiler.compile(ir, o).report();
            assertEquals(strategy.cliName(), report.strategy());
            double[][] rows = rows(rnd, grid, 300);
            ReferenceOutputs ref = ReferenceEvaluator.evaluate(ir, rows, precision);
            Predictions ort = FixtureRun.run(ir, o, rows);
            // float32 graphs (fast mode; auto for float32-comparing ensembles) sum leaves in float32
            double tol = report.inputType().equals("float32") ? 2e-5 : 1e-12;
            assertMatches(ref, ort, tol, kind);
        }
    }

    static Stream<Arguments> opsetCases() {
        List<Arguments> out = new ArrayList<>();
        for (int opset : new int[]{13, 17, 21}) {
            for (TreeStrategy s : org.ml2tensor.compiler.lowering.tree.TreeStrategies.all()) {
                for (Precision p : Precision.values()) {
                    if (s != TreeStrategy.NATIVE || p == Precision.FLOAT32) {
                        out.add(Arguments.of(opset, s, p));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * The same checks at the oldest, default and newest supported opsets (each with its IR version and
     * ai.onnx.ml opset), including the native TreeEnsembleRegressor at opset 21, where ai.onnx.ml 5 would
     * have deprecated it.
     */
    @ParameterizedTest(name = "opset {0} {1} {2}")
    @MethodSource("opsetCases")
    void everyStrategyRunsAtOpsets13To21(int opset, TreeStrategy strategy, Precision precision) throws Exception {
        Random rnd = new Random(opset);
        double[] grid = grid();
        for (String kind : List.of("regression", "multiclass", "binary")) {
            TreeEnsemble e = ensemble(rnd, grid, Comparison.LESS_OR_EQUAL, kind);
            ModelIr ir = new ModelIr(e, FEATURES, List.of(), SourceInfo.inCode("synthetic " + kind));
            CompileOptions o = CompileOptions.defaults().withStrategy(strategy).withPrecision(precision).withOpset(opset)
                    .withTarget(strategy == TreeStrategy.NATIVE ? Target.CPU_NATIVE : Target.PORTABLE);
            double[][] rows = rows(rnd, grid, 200);
            ReferenceOutputs ref = ReferenceEvaluator.evaluate(ir, rows, precision);
            Predictions ort = FixtureRun.run(ir, o, rows);
            assertMatches(ref, ort, precision == Precision.FLOAT64 ? 1e-12 : 2e-5, kind + " at opset " + opset);
        }
    }

    /** ONNX Runtime's outputs equal the reference's: labels exactly, numbers within {@code tol} relative. */
    static void assertMatches(ReferenceOutputs ref, Predictions ort, double tol, String what) {
        if (ref.values() != null) {
            assertClose(ref.values(), ort.values().toDoubleArrays(), tol, what);
            return;
        }
        if (ref.intLabels() != null) {
            assertArrayEquals(ref.intLabels(), ort.labels().asLongs(), what + " labels");
        } else {
            assertArrayEquals(ref.stringLabels(), ort.labels().asStrings(), what + " labels");
        }
        assertClose(ref.probabilities(), ort.probabilities().toDoubleArrays(), tol, what);
    }

    static void assertClose(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        for (int r = 0; r < expected.length; r++) {
            for (int k = 0; k < expected[r].length; k++) {
                double e = expected[r][k];
                double a = actual[r][k];
                double bound = tol * Math.max(1, Math.abs(e));
                if (!(Math.abs(e - a) <= bound)) {
                    throw new AssertionError(what + " row " + r + " col " + k + ": expected " + e + " got " + a
                            + " (tolerance " + bound + ")");
                }
            }
        }
    }

    /** Thresholds and inputs come from one grid, so inputs hit thresholds exactly. */
    static double[] grid() {
        return new double[]{-3.5, -1.0, -0.1, 0.0, 0.1, 0.30000000000000004, 0.7, 1.0, 2.0, 2.5, 3.0, 1e10, -1e-30};
    }

    static double[][] rows(Random rnd, double[] grid, int n) {
        double[][] rows = new double[n][FEATURES];
        for (double[] r : rows) {
            for (int f = 0; f < FEATURES; f++) {
                int pick = rnd.nextInt(20);
                if (pick < 13) {
                    r[f] = grid[pick];
                } else if (pick < 15) {
                    r[f] = Double.NaN;
                } else if (pick < 17) {
                    r[f] = rnd.nextInt(12) - 2;
                } else if (pick == 17) {
                    r[f] = rnd.nextBoolean() ? 1e30 : -1e30;
                } else if (pick == 18 && rnd.nextBoolean()) {
                    r[f] = grid[rnd.nextInt(grid.length)] + 1e-9;
                } else {
                    r[f] = rnd.nextGaussian() * 3;
                }
            }
        }
        return rows;
    }

    static TreeEnsemble ensemble(Random rnd, double[] grid, Comparison comparison, String kind) {
        int classes = kind.equals("multiclass") ? 3 : 1;
        int trees = kind.equals("large") ? 180 : 2 + rnd.nextInt(6);
        List<DecisionTree> list = new ArrayList<>();
        boolean scalarPerClass = kind.equals("multiclass") && rnd.nextBoolean();
        for (int t = 0; t < trees; t++) {
            int width = kind.equals("multiclass") && !scalarPerClass ? classes : 1;
            int target = scalarPerClass ? t % classes : (width == 1 && classes == 1 ? -1 : -1);
            int depth = kind.equals("large") ? 5 : t == 0 ? 0 : 1 + rnd.nextInt(6);
            list.add(tree(rnd, grid, depth, width, target));
        }
        double[] base = new double[classes];
        for (int k = 0; k < classes; k++) {
            base[k] = rnd.nextGaussian();
        }
        Head head = switch (kind) {
            case "multiclass" -> new Head.Classification(new ClassLabels.Ints(new long[]{3, 5, 9}), true);
            case "binary" -> new Head.Classification(new ClassLabels.Strings(List.of("no", "yes")), true);
            default -> new Head.Regression(1);
        };
        ScoreTransform transform = switch (kind) {
            case "multiclass" -> ScoreTransform.SOFTMAX;
            case "binary" -> ScoreTransform.LOGISTIC;
            default -> ScoreTransform.IDENTITY;
        };
        return new TreeEnsemble(list, FEATURES, classes, comparison, base, transform, head, rnd.nextBoolean());
    }

    static DecisionTree tree(Random rnd, double[] grid, int maxDepth, int width, int target) {
        List<int[]> children = new ArrayList<>();
        List<Integer> feature = new ArrayList<>();
        List<Double> threshold = new ArrayList<>();
        List<Boolean> missingLeft = new ArrayList<>();
        List<CategoricalSplit> cats = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        build(rnd, grid, 0, maxDepth, width, children, feature, threshold, missingLeft, cats, values);
        int n = feature.size();
        int[] f = new int[n];
        double[] th = new double[n];
        int[] l = new int[n];
        int[] r = new int[n];
        boolean[] ml = new boolean[n];
        double[] v = new double[n * width];
        for (int i = 0; i < n; i++) {
            f[i] = feature.get(i);
            th[i] = threshold.get(i);
            l[i] = children.get(i)[0];
            r[i] = children.get(i)[1];
            ml[i] = missingLeft.get(i);
            System.arraycopy(values.get(i), 0, v, i * width, width);
        }
        return new DecisionTree(f, th, l, r, ml, cats.toArray(new CategoricalSplit[0]), v, width, target);
    }

    private static int build(Random rnd, double[] grid, int depth, int maxDepth, int width, List<int[]> children,
                             List<Integer> feature, List<Double> threshold, List<Boolean> missingLeft,
                             List<CategoricalSplit> cats, List<double[]> values) {
        int id = feature.size();
        children.add(new int[]{-1, -1});
        feature.add(rnd.nextInt(FEATURES));
        threshold.add(grid[rnd.nextInt(grid.length)] + (rnd.nextBoolean() ? 0 : 1e-9));
        missingLeft.add(rnd.nextBoolean());
        double[] leaf = new double[width];
        for (int k = 0; k < width; k++) {
            leaf[k] = Math.round(rnd.nextGaussian() * 1000) / 1000.0;
        }
        values.add(leaf);
        boolean categorical = rnd.nextInt(5) == 0;
        if (categorical) {
            BitSet left = new BitSet();
            for (int c = 0; c < 10; c++) {
                if (rnd.nextBoolean()) {
                    left.set(c);
                }
            }
            BitSet known = null;
            if (rnd.nextBoolean()) {
                known = new BitSet();
                known.set(0, 7);
            }
            cats.add(new CategoricalSplit(left, known));
        } else {
            cats.add(null);
        }
        if (depth < maxDepth && (depth == 0 || rnd.nextInt(4) > 0)) {
            int left = build(rnd, grid, depth + 1, maxDepth, width, children, feature, threshold, missingLeft, cats, values);
            int right = build(rnd, grid, depth + 1, maxDepth, width, children, feature, threshold, missingLeft, cats, values);
            children.set(id, new int[]{left, right});
        } else {
            cats.set(id, null);
        }
        return id;
    }

    static String show(double[] a) {
        return Arrays.toString(a);
    }
}
