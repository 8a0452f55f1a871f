package org.ml2tensor.compiler;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * The CPU companion of a portable tree model: the same model lowered with the {@code native} strategy (one
 * ONNX-ML {@code TreeEnsembleRegressor} node, which ONNX Runtime runs on its CPU provider only), embedded in
 * the main model's metadata ({@link ModelContract#CPU_COMPANION}) so that a CPU runtime can run small calls
 * with one fused kernel instead of tens of tensor ops, while the artifact's graph stays default-domain only.
 *
 * <p>Written only where the native kernel computes as the library does: a lone tree ensemble whose library
 * compares float32 features with float32 thresholds (scikit-learn's trees, XGBoost), in a float32 graph
 * (float32 leaf sums, as the main graph) with no inexact step; or one whose library compares and sums in float64
 * (LightGBM, HistGradientBoosting), in a float64 graph, as ai.onnx.ml 5's {@code TreeEnsemble} over float64
 * input with float64 thresholds and leaf weights, summing tree by tree from the base score as the library does
 * (every tree must add one number to one column). {@code CompanionConformanceTest} runs every committed tree
 * fixture through the companion.
 */
final class CpuCompanion {
    /** Calls larger than this never go to the companion. */
    static final int MAX_ROWS = 64;
    /*
     * Cost model of one single-threaded call on ONNX Runtime's CPU provider, fitted to the small-batch section of
     * BENCHMARKS.md (nine suite models and two fixtures at 1, 8 and 64 rows; 2026-12-01):
     *   main graph:  G(n) = 500 ns x graph nodes + 17 ns x L + (n - 1) x 3.5 ns x L    (L = tree levels, summed)
     *   native:      N(n) = 10 us + sum over rows i <= n of V x c(i)                    (V = mean leaf depths, summed)
     * where a node visit costs c(i) = 2.5 ns while the nodes that i rows touch (~32 bytes each, at most the whole
     * node array) stay within 1 MiB of cache, and 7 ns beyond.
     */
    private static final double GRAPH_NANOS_PER_NODE = 500;
    private static final double GRAPH_NANOS_PER_LEVEL_FIRST_ROW = 17;
    private static final double GRAPH_NANOS_PER_LEVEL_ROW = 3.5;
    private static final double NATIVE_NANOS_PER_CALL = 10_000;
    private static final double NATIVE_NANOS_PER_VISIT_CACHED = 2.5;
    private static final double NATIVE_NANOS_PER_VISIT_UNCACHED = 7;
    private static final double NATIVE_BYTES_PER_NODE = 32;
    private static final double NATIVE_CACHE_BYTES = 1 << 20;
    /**
     * Largest companion embedded (serialised bytes): its base64 adds a third again to the artifact, and the whole
     * model must stay well inside protobuf's 2 GiB.
     */
    static final long MAX_BYTES = 64L << 20;

    private CpuCompanion() {
    }

    /** Whether {@code ir} compiled with {@code options} gets a companion (before trying to compile it). */
    static boolean eligible(ModelIr ir, CompileOptions options, PrecisionPlan plan) {
        if (options.target() != Target.PORTABLE || options.strategy() == TreeStrategy.NATIVE
                || !(ir.estimator() instanceof TreeEnsemble t) || !plan.inexactSteps().isEmpty()) {
            return false;
        }
        if (t.float32Inputs()) {
            return plan.input() == DType.FLOAT;
        }
        // float64 comparisons and sums: ai.onnx.ml 5's TreeEnsemble in float64, for trees adding one number each
        return plan.input() == DType.DOUBLE && plan.comparison(t) == DType.DOUBLE && scalarTrees(t);
    }

    /** Whether every tree adds one number to one column (gradient boosting), as the float64 kernel needs. */
    private static boolean scalarTrees(TreeEnsemble t) {
        for (DecisionTree tree : t.trees()) {
            if (tree.valueWidth() != 1 || (tree.target() < 0 && t.outputWidth() != 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the companion entries to {@code meta} when {@code ir} is eligible and its native lowering fits the
     * limits; otherwise leaves {@code meta} unchanged.
     *
     * @param graphNodes node count of the main graph (its per-call dispatch cost)
     * @param graphBytes serialised size of the main graph
     */
    static void addTo(Map<String, String> meta, ModelIr ir, CompileOptions options, PrecisionPlan plan,
                      int graphNodes, long graphBytes) {
        if (!eligible(ir, options, plan)) {
            return;
        }
        TreeEnsemble trees = (TreeEnsemble) ir.estimator();
        CompiledModel nat;
        try {
            nat = ModelCompiler.compile(ir, options.withStrategy(TreeStrategy.NATIVE).withTarget(Target.CPU_NATIVE),
                    "CPU companion: one native TreeEnsemble kernel for small calls");
        } catch (Ml2TensorException e) {
            return; // over the native lowering's limits: the main graph alone
        }
        byte[] bytes = nat.onnx();
        if (bytes.length > MAX_BYTES || graphBytes + bytes.length * 4L / 3 > (1L << 30)) {
            return; // too large to carry twice: the main graph alone
        }
        int maxRows = maxRows(trees, graphNodes);
        meta.put(ModelContract.CPU_COMPANION, Base64.getEncoder().encodeToString(bytes));
        meta.put(ModelContract.CPU_COMPANION_SHA256, sha256(bytes));
        meta.put(ModelContract.CPU_COMPANION_MAX_ROWS, Integer.toString(maxRows));
        meta.put(ModelContract.CPU_COMPANION_ROUTING, String.format(Locale.ROOT,
                "on ONNX Runtime's CPU provider, calls of at most %d rows run the embedded native TreeEnsemble model"
                        + " (%s, %s comparisons and sums as %s does); larger calls and other providers run this"
                        + " graph; PredictorOptions.cpuCompanion(false) or --no-cpu-companion turns it off",
                maxRows, bytes.length + " bytes", plan.input() == DType.FLOAT ? "float32" : "float64",
                ir.source().format()));
    }

    /**
     * Rows up to which the companion is expected to be no slower than the main graph, between 1 and
     * {@link #MAX_ROWS}: the last {@code n} before the first with {@code N(n) > G(n)} under the cost model above (the
     * main graph pays every tree's deepest level for every row; the kernel walks each row's own path, fast while the
     * nodes it touches stay in cache).
     */
    static int maxRows(TreeEnsemble e, int graphNodes) {
        long levels = 0;
        long nodes = 0;
        double visits = 0;
        for (DecisionTree t : e.trees()) {
            levels += Math.max(1, t.depth());
            nodes += t.nodeCount();
            visits += meanLeafDepth(t);
        }
        visits = Math.max(1, visits);
        double graph = GRAPH_NANOS_PER_NODE * graphNodes + GRAPH_NANOS_PER_LEVEL_FIRST_ROW * levels;
        double kernel = NATIVE_NANOS_PER_CALL;
        for (int n = 1; n <= MAX_ROWS; n++) {
            if (n > 1) {
                graph += GRAPH_NANOS_PER_LEVEL_ROW * levels;
            }
            double touched = Math.min(n * visits, nodes) * NATIVE_BYTES_PER_NODE;
            kernel += visits * (touched <= NATIVE_CACHE_BYTES ? NATIVE_NANOS_PER_VISIT_CACHED : NATIVE_NANOS_PER_VISIT_UNCACHED);
            if (kernel > graph) {
                return Math.max(1, n - 1);
            }
        }
        return MAX_ROWS;
    }

    /** Mean depth of a tree's leaves (each leaf counted once): the kernel's node visits for a typical row. */
    static double meanLeafDepth(DecisionTree t) {
        int n = t.nodeCount();
        int[] depth = new int[n];
        int[] stack = new int[n];
        boolean[] pushed = new boolean[n];
        int top = 0;
        stack[top++] = 0;
        pushed[0] = true;
        long sum = 0;
        int leaves = 0;
        while (top > 0) {
            int i = stack[--top];
            if (t.isLeaf(i)) {
                sum += depth[i];
                leaves++;
                continue;
            }
            for (int c : new int[]{t.left()[i], t.right()[i]}) {
                if (c >= 0 && c < n && !pushed[c]) {
                    pushed[c] = true;
                    depth[c] = depth[i] + 1;
                    stack[top++] = c;
                }
            }
        }
        return leaves == 0 ? 1 : (double) sum / leaves;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
