package org.ml2tensor.conformance;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.conformance.reference.ReferenceOutputs;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/** Compiles a model, runs it through the Predictor on ONNX Runtime's CPU provider, and compares outputs. */
final class FixtureRun {
    // the main graph of each variant, never the CPU companion (CompanionConformanceTest checks that one)
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1)
            .cpuCompanion(false).build();

    private FixtureRun() {
    }

    static boolean hasTrees(ModelIr ir) {
        return trees(ir.estimator()) != null;
    }

    static TreeEnsemble trees(Estimator e) {
        if (e instanceof TreeEnsemble t) {
            return t;
        }
        if (e instanceof org.ml2tensor.ir.LogProbabilities l) {
            return trees(l.classifier());
        }
        return e instanceof Pipeline p ? trees(p.last()) : null;
    }

    /**
     * Every lowering that applies: for trees GEMM (when within limits), both traversals, the
     * small-batch decision-table forms of both traversals and native (float32, or float64 where the library
     * compares in float64).
     */
    static List<CompileOptions> variants(ModelIr ir, Precision precision) {
        return strategyVariants(ir, precision);
    }

    /**
     * The extra opsets every compile of the suite is repeated at: none, or the comma-separated list of the
     * system property {@code ml2tensor.conformance.opsets} ({@code scripts/opset_conformance.sh} runs the
     * whole fixture suite with {@code 13,17,21}). {@link #run} compiles at each of them too and requires
     * outputs identical to the ones at the requested opset, so every conformance test that runs a model
     * through this class covers them without listing them.
     */
    static List<Integer> opsets() {
        String v = System.getProperty("ml2tensor.conformance.opsets", "").trim();
        if (v.isEmpty()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String s : v.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    private static List<CompileOptions> strategyVariants(ModelIr ir, Precision precision) {
        CompileOptions base = CompileOptions.defaults().withPrecision(precision);
        if (!hasTrees(ir)) {
            return List.of(base);
        }
        List<CompileOptions> out = new ArrayList<>();
        for (TreeStrategy s : org.ml2tensor.compiler.lowering.tree.TreeStrategies.portable()) {
            out.add(base.withStrategy(s));
        }
        out.add(base.withStrategy(TreeStrategy.PERFECT_TREE_TRAVERSAL).withExpectedBatchSize(1));
        out.add(base.withStrategy(TreeStrategy.TREE_TRAVERSAL).withExpectedBatchSize(1));
        // native: float32 where the library compares in float32 (or fast mode), float64 (ai.onnx.ml 5) where it
        // compares in float64
        if (precision != Precision.FLOAT64 && trees(ir.estimator()).float32Inputs() || precision == Precision.FLOAT32
                || !trees(ir.estimator()).float32Inputs()) {
            out.add(base.withStrategy(TreeStrategy.NATIVE).withTarget(org.ml2tensor.compiler.Target.CPU_NATIVE));
        }
        return out;
    }

    static String describe(CompileOptions o) {
        return o.strategy().cliName() + (o.expectedBatchSize() <= 64 ? "(batch " + o.expectedBatchSize() + ")" : "")
                + " " + o.precision().cliName();
    }

    /**
     * Runs the compiled model; null when the strategy refuses the model for its size (checked separately).
     * With {@link #opsets()} set, the model is also compiled and run at each of those opsets, and their
     * outputs must equal these bit for bit.
     */
    static Predictions run(ModelIr ir, CompileOptions options, double[][] rows) {
        Predictions base = runAt(ir, options, rows);
        for (int opset : opsets()) {
            if (opset != options.opset()) {
                Predictions other = runAt(ir, options.withOpset(opset), rows);
                String what = ir.source().description() + " " + describe(options);
                if ((base == null) != (other == null)) {
                    throw new AssertionError(what + ": refused at only one of opsets " + options.opset() + " and " + opset);
                }
                if (base != null) {
                    assertSameOutputs(what + " opset " + opset + " vs " + options.opset(), base, other);
                }
            }
        }
        return base;
    }

    private static void assertSameOutputs(String what, Predictions a, Predictions b) {
        List<String> namesA = a.outputs().stream().map(org.ml2tensor.runtime.Output::name).toList();
        List<String> namesB = b.outputs().stream().map(org.ml2tensor.runtime.Output::name).toList();
        if (!namesA.equals(namesB)) {
            throw new AssertionError(what + ": outputs " + namesA + " vs " + namesB);
        }
        for (org.ml2tensor.runtime.Output x : a.outputs()) {
            org.ml2tensor.runtime.Output y = b.output(x.name()).orElseThrow();
            if (x.rows() != y.rows() || x.width() != y.width()) {
                throw new AssertionError(what + ": output " + x.name() + " shape differs");
            }
            for (int r = 0; r < x.rows(); r++) {
                for (int c = 0; c < x.width(); c++) {
                    if (!x.text(r, c).equals(y.text(r, c))) {
                        throw new AssertionError(what + ": output " + x.name() + " row " + r + " column " + c + ": "
                                + x.text(r, c) + " vs " + y.text(r, c));
                    }
                }
            }
        }
    }

    private static Predictions runAt(ModelIr ir, CompileOptions options, double[][] rows) {
        CompiledModel m;
        try {
            m = ModelCompiler.compile(ir, options);
        } catch (Ml2TensorException e) {
            if (e.code() == ErrorCode.LIMIT_EXCEEDED) {
                return null;
            }
            throw e;
        }
        try (Predictor p = Predictor.open(m.onnx(), "fixture", CPU)) {
            if (m.report().inputType().equals("float64")) {
                return p.predict(rows);
            }
            // A float32 graph gets the doubles rounded to float32, as numpy's astype(float32) does.
            float[][] f = new float[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                f[r] = new float[rows[r].length];
                for (int c = 0; c < rows[r].length; c++) {
                    f[r][c] = (float) rows[r][c];
                }
            }
            return p.predict(f);
        }
    }

    /** Compares ONNX Runtime's outputs and the reference evaluator's with a fixture's expected.csv. */
    static void compareWithExpected(String what, ModelIr ir, CompileOptions options, double[][] rows,
                                    FixtureCsv expected, Tolerance tol) {
        Predictions p = run(ir, options, rows);
        if (p == null) {
            return;
        }
        compare(what, p, expected, tol);
    }

    /** Compares a Predictor's outputs with a fixture's expected.csv. */
    static void compare(String what, Predictions p, FixtureCsv expected, Tolerance tol) {
        OutputComparison cmp = new OutputComparison(what);
        int n = expected.rows.size();
        List<String> h = expected.header;
        int probaCol = 0;
        int valueCol = 0;
        int scoreCol = 0;
        for (int c = 0; c < h.size(); c++) {
            String col = h.get(c);
            double[] exp = col.equals("label") ? null : expected.column(c);
            for (int r = 0; r < n; r++) {
                if (col.equals("label")) {
                    String e = expected.rows.get(r)[c];
                    String a = p.labels().labelText(r);
                    cmp.label(r, e, a, sameNumber(e, a) || tie(expected, r));
                } else if (col.startsWith("proba_")) {
                    cmp.value(col, r, exp[r], p.probabilities().getDouble(r, probaCol), tol);
                } else if (col.startsWith("log_proba_")) {
                    cmp.value(col, r, exp[r], p.logProbabilities().getDouble(r, probaCol), tol);
                } else if (col.startsWith("prediction") || col.matches("x\\d+")) {
                    cmp.value(col, r, exp[r], p.values().getDouble(r, valueCol), tol);
                } else if (col.equals("score") || col.startsWith("decision")) {
                    cmp.value(col, r, exp[r], p.scores().getDouble(r, scoreCol), tol);
                } else {
                    cmp.fail("unknown expected column " + col);
                }
            }
            if (col.startsWith("proba_") || col.startsWith("log_proba_")) {
                probaCol++;
            } else if (col.startsWith("prediction") || col.matches("x\\d+")) {
                valueCol++;
            } else if (col.equals("score") || col.startsWith("decision")) {
                scoreCol++;
            }
        }
        cmp.assertClean();
    }

    /** The reference evaluator (float64, library rules) against the fixture's expected outputs. */
    static void compareReference(String what, ModelIr ir, double[][] rows, FixtureCsv expected, Tolerance tol) {
        compareReference(what, ReferenceEvaluator.evaluate(ir, rows, Precision.FLOAT32), rows.length, expected, tol);
    }

    /** Reference outputs against the fixture's expected outputs. */
    static void compareReference(String what, ReferenceOutputs ref, int rowCount, FixtureCsv expected, Tolerance tol) {
        double[][] rows = new double[rowCount][];
        OutputComparison cmp = new OutputComparison(what + " reference");
        List<String> h = expected.header;
        int k = 0;
        for (int c = 0; c < h.size(); c++) {
            String col = h.get(c);
            if (col.equals("label")) {
                for (int r = 0; r < rows.length; r++) {
                    String a = ref.intLabels() != null ? Long.toString(ref.intLabels()[r]) : ref.stringLabels()[r];
                    String e = expected.rows.get(r)[c];
                    cmp.label(r, e, a, sameNumber(e, a) || tie(expected, r));
                }
                continue;
            }
            double[][] m = ref.logProbabilities() != null ? ref.logProbabilities()
                    : ref.probabilities() != null ? ref.probabilities() : ref.scores() != null ? ref.scores()
                    : ref.values();
            double[] exp = expected.column(c);
            for (int r = 0; r < rows.length; r++) {
                cmp.value(col, r, exp[r], m[r][k], tol);
            }
            k++;
        }
        cmp.assertClean();
    }

    private static boolean sameNumber(String a, String b) {
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** True when the expected top-two probabilities (or decisions) of a row are a genuine tie. */
    private static boolean tie(FixtureCsv expected, int r) {
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < expected.header.size(); c++) {
            String col = expected.header.get(c);
            if (col.startsWith("proba_") || col.startsWith("decision_")) {
                double v = FixtureCsv.number(expected.rows.get(r)[c]);
                if (v > best) {
                    second = best;
                    best = v;
                } else if (v > second) {
                    second = v;
                }
            }
        }
        return best - second <= 1e-9;
    }
}
