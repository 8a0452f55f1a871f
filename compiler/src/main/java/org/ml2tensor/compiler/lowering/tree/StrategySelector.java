package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.DeviceHint;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Chooses the tree strategy. {@code auto} is a deterministic function of depth, tree count, padding,
 * expected batch size, target device and the tensor-size limit; explicit strategies are checked for
 * availability here and against their plug-in's table sizes by {@link TreeEnsembleLowering}, and refused
 * with a clear message when they exceed them. Every limit comes from the plug-ins ({@link TreeStrategies}).
 */
public final class StrategySelector {
    private StrategySelector() {
    }

    /** The chosen strategy and why. */
    public record Choice(TreeStrategy strategy, String reason) {
    }

    /** Chooses for a graph whose arithmetic is float32 ({@code Precision.FLOAT32} and float32-input models). */
    public static Choice choose(TreeEnsemble e, CompileOptions o) {
        return choose(e, o, DType.FLOAT, DType.FLOAT);
    }

    /**
     * @param real       element type of the graph's arithmetic (leaf values, sums, GEMM matrices)
     * @param comparison element type in which the ensemble compares (the native node compares in float32)
     */
    public static Choice choose(TreeEnsemble e, CompileOptions o, DType real, DType comparison) {
        int depth = e.maxDepth();
        TreeStrategy requested = o.strategy();
        if (requested != TreeStrategy.AUTO && requested != TreeStrategy.TUNED) {
            TreeStrategyPlugin.Unavailable no = TreeStrategies.plugin(requested).unavailable(o, comparison);
            if (no != null) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, no.why())
                        .at("--strategy " + requested.cliName()).hint(no.hint()).build();
            }
            return new Choice(requested, "requested");
        }
        String prefix = requested == TreeStrategy.TUNED ? "tuned without a runtime, fell back to auto: " : "";
        if (o.target() == Target.CPU_NATIVE && o.device() == DeviceHint.CPU && o.expectedBatchSize() <= 64
                && TreeStrategies.plugin(TreeStrategy.NATIVE).unavailable(o, comparison) == null
                && fits(TreeStrategy.NATIVE, e, o, real)) {
            return new Choice(TreeStrategy.NATIVE, prefix + "target cpu-native on CPU with expected batch "
                    + o.expectedBatchSize() + " <= 64: one fused native TreeEnsemble kernel has the lowest latency");
        }
        boolean gemmFits = fits(TreeStrategy.GEMM, e, o, real);
        // GEMM only on CUDA: on ONNX Runtime's CPU provider its per-tree batched MatMuls of tiny matrices ran
        // 5-30x slower than the traversals at every batch size we measured (BENCHMARKS.md).
        if (o.device() == DeviceHint.CUDA && depth <= 4 && gemmFits) {
            return new Choice(TreeStrategy.GEMM, prefix + "CUDA and max depth " + depth
                    + " <= 4: path-matrix products suit the GPU's matrix units");
        }
        GemmLowering.Dimensions dims = GemmLowering.dimensions(e);
        // Only on CUDA: on the CPU provider the traversals' decision-table form was faster at batch 64 (2.0x vs
        // 3.6x the native kernel on the 15-tree XGBoost fixture) and level at batch 1 (BENCHMARKS.md, Small batches).
        if (o.device() == DeviceHint.CUDA && o.expectedBatchSize() <= 64
                && dims.denseEntries() <= GemmLowering.DENSE_LIMIT && gemmFits) {
            return new Choice(TreeStrategy.GEMM, prefix + "expected batch " + o.expectedBatchSize()
                    + " <= 64 and the block path matrix has " + dims.denseEntries()
                    + " entries on CUDA: the dense GEMM form has the fewest ops (latency)");
        }
        long padded = PerfectTreeTraversalLowering.tableElements(e, new LeafTables(e).width());
        long nodes = Math.max(1, e.totalNodes());
        // Small batches run the decision-table form where it fits (PerfectTreeTraversalLowering.DECISION_TABLE_CELLS),
        // which decides every (padded) node for every row: padding beyond twice the real nodes made
        // perfect-tree-traversal slower than tree-traversal on the CPU (LightGBM fixture, 300 nodes padded to 2,540:
        // 2.25x vs 1.91x native at batch 1, 2.75x vs 2.65x at 64; pipe_scaler_pca_rf, 36,342 nodes padded to 76,700:
        // 243 vs 48 us at batch 1). Where neither strategy's decision table fits, both walk level by level and the
        // perfect form's index arithmetic wins whatever the padding (gb500_d8 at batch 1: 103 vs 132 us, at 64: 779 vs
        // 963 us; rf100_d10: 48 vs 54 and 294 vs 337 us; BENCHMARKS.md, Small batches and the auto-choice section).
        boolean decisionTable = PerfectTreeTraversalLowering.useDecisionTable(o, real, e.trees().size(), depth)
                || TreeTraversalLowering.useDecisionTable(o, real, e.trees().size(), TreeTraversalLowering.slots(e));
        if (o.expectedBatchSize() <= 64 && padded > 2 * nodes && decisionTable && o.device() != DeviceHint.CUDA
                && fits(TreeStrategy.TREE_TRAVERSAL, e, o, real)) {
            return new Choice(TreeStrategy.TREE_TRAVERSAL, prefix + "expected batch " + o.expectedBatchSize()
                    + " <= 64 and padding to perfect trees costs " + padded + " table entries for " + nodes
                    + " nodes (over 2x): every row decides every padded node, so traversal over the unpadded table");
        }
        if (depth <= 12 && fits(TreeStrategy.PERFECT_TREE_TRAVERSAL, e, o, real)
                && padded <= 16L * nodes + 4096L * e.trees().size()) {
            return new Choice(TreeStrategy.PERFECT_TREE_TRAVERSAL, prefix + "max depth " + depth
                    + " <= 12 and padding to perfect trees costs " + padded + " table entries for " + nodes
                    + " nodes: index arithmetic replaces child lookups");
        }
        return new Choice(TreeStrategy.TREE_TRAVERSAL, prefix + "max depth " + depth
                + (depth > 12 ? " > 12" : " with padding of " + padded + " entries for " + nodes + " nodes")
                + ": traversal over the unpadded node table");
    }

    private static boolean fits(TreeStrategy s, TreeEnsemble e, CompileOptions o, DType real) {
        return TreeStrategies.overLimit(s, e, o, real) == null;
    }
}
