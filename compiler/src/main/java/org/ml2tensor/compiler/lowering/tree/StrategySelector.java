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
 * expected batch size, target device and the tensor-size limit; explicit strategies are checked against
 * the same limits and refused with a clear message when they would exceed them.
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
        if (requested == TreeStrategy.NATIVE) {
            if (o.target() != Target.CPU_NATIVE) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION,
                                "--strategy native emits an ONNX-ML TreeEnsemble node, which is not portable")
                        .at("--strategy native").hint("add --target cpu-native, or choose a portable strategy").build();
            }
            if (comparison != DType.FLOAT) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION,
                                "the native ONNX-ML tree ensemble compares in float32, but this model's library"
                                        + " compares float64 features with float64 thresholds")
                        .at("--strategy native")
                        .hint("use a portable strategy, or --precision float32 to accept float32 comparisons")
                        .build();
            }
            return new Choice(TreeStrategy.NATIVE, "requested");
        }
        if (requested == TreeStrategy.GEMM) {
            String over = gemmOverLimit(e, o, real);
            if (over != null) {
                throw TreeLimits.tooLarge("gemm", over, o.maxTensorBytes() + " bytes (--max-tensor-bytes)");
            }
            return new Choice(requested, "requested");
        }
        if (requested == TreeStrategy.TREE_TRAVERSAL || requested == TreeStrategy.PERFECT_TREE_TRAVERSAL) {
            return new Choice(requested, "requested");
        }
        String prefix = requested == TreeStrategy.TUNED ? "tuned without a runtime, fell back to auto: " : "";
        if (o.target() == Target.CPU_NATIVE && o.device() == DeviceHint.CPU && comparison == DType.FLOAT
                && o.expectedBatchSize() <= 64) {
            return new Choice(TreeStrategy.NATIVE, prefix + "target cpu-native on CPU with expected batch "
                    + o.expectedBatchSize() + " <= 64: one fused native TreeEnsemble kernel has the lowest latency");
        }
        // GEMM only on CUDA: on ONNX Runtime's CPU provider its per-tree batched MatMuls of tiny matrices ran
        // 5-30x slower than the traversals at every batch size we measured (BENCHMARKS.md).
        if (o.device() == DeviceHint.CUDA && depth <= 4 && gemmOverLimit(e, o, real) == null) {
            return new Choice(TreeStrategy.GEMM, prefix + "CUDA and max depth " + depth
                    + " <= 4: path-matrix products suit the GPU's matrix units");
        }
        GemmLowering.Dimensions dims = GemmLowering.dimensions(e);
        if (o.expectedBatchSize() <= 64 && dims.denseEntries() <= GemmLowering.DENSE_LIMIT
                && gemmOverLimit(e, o, real) == null) {
            return new Choice(TreeStrategy.GEMM, prefix + "expected batch " + o.expectedBatchSize()
                    + " <= 64 and the block path matrix has " + dims.denseEntries()
                    + " entries: the dense GEMM form has the fewest ops (latency)");
        }
        long padded = PerfectTreeTraversalLowering.tableElements(e, new LeafTables(e).width());
        long limit = o.maxTensorBytes() / real.byteSize();
        long nodes = Math.max(1, e.totalNodes());
        if (depth <= 12 && padded <= limit && padded <= 16L * nodes + 4096L * e.trees().size()) {
            return new Choice(TreeStrategy.PERFECT_TREE_TRAVERSAL, prefix + "max depth " + depth
                    + " <= 12 and padding to perfect trees costs " + padded + " table entries for " + nodes
                    + " nodes: index arithmetic replaces child lookups");
        }
        return new Choice(TreeStrategy.TREE_TRAVERSAL, prefix + "max depth " + depth
                + (depth > 12 ? " > 12" : " with padding of " + padded + " entries for " + nodes + " nodes")
                + ": traversal over the unpadded node table");
    }

    /** Null when GEMM fits the limit, else what it would need. */
    static String gemmOverLimit(TreeEnsemble e, CompileOptions o, DType real) {
        GemmLowering.Dimensions d = GemmLowering.dimensions(e);
        int bytes = real.byteSize();
        long constant = TreeLimits.times(d.pathMatrixElements(), bytes);
        long leafTable = TreeLimits.times(TreeLimits.times((long) d.trees() * d.leaves(), d.outputs()), bytes);
        long intermediates = TreeLimits.times(TreeLimits.times(d.perRowElements(), bytes),
                Math.max(1, o.expectedBatchSize()));
        if (constant > o.maxTensorBytes() || d.pathMatrixElements() >= Integer.MAX_VALUE - 8) {
            return "a path matrix of " + constant + " bytes (" + d.trees() + " trees × " + d.internal()
                    + " internal nodes × " + d.leaves() + " leaves)";
        }
        if (leafTable > o.maxTensorBytes() || (long) d.trees() * d.leaves() * d.outputs() >= Integer.MAX_VALUE - 8) {
            return "a leaf value table of " + leafTable + " bytes (" + d.trees() + " trees × " + d.leaves()
                    + " leaves × " + d.outputs() + " outputs)";
        }
        if (intermediates > o.maxTensorBytes()) {
            return intermediates + " bytes of intermediates at batch " + o.expectedBatchSize();
        }
        return null;
    }
}
