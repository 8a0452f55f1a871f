package org.ml2tensor.compiler.lowering.tree;

import java.util.List;

import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Lowers a tree ensemble to raw scores {@code [N, C]} with the strategy {@link StrategySelector} picks. This is the one entry point of tree lowering (estimator lowerings call it); the strategies themselves are
 * the plug-ins of {@link TreeStrategies}.
 */
public final class TreeEnsembleLowering {
    private TreeEnsembleLowering() {
    }

    /** Raw scores; {@code outputsEmitted} is reserved for lowerings that also declare the graph outputs. */
    public record Result(Value rawScores, boolean outputsEmitted) {
    }

    public static Result lower(LoweringContext ctx, TreeEnsemble e, Value x) {
        checkTotalNodes(e, ctx.options().maxTensorBytes());
        DType comparison = ctx.plan().comparison(e);
        ctx.compareIn(comparison);
        StrategySelector.Choice choice = StrategySelector.choose(e, ctx.options(), ctx.real(), comparison);
        ctx.recordStrategy(choice.strategy().cliName(), choice.reason());
        TreeStrategyPlugin plugin = TreeStrategies.plugin(choice.strategy());
        // Every table the strategy will emit is checked before any of them is allocated.
        TreeLimits.check(choice.strategy().cliName(), plugin.tables(e, ctx.options(), ctx.real()),
                ctx.options().maxTensorBytes());
        FeatureLayout layout = plugin.layout(e);
        // Compare in the library's type: scikit-learn's trees and XGBoost cast the (float64) input to float32
        // first, exactly like this Cast; LightGBM and HistGradientBoosting compare the float64 values.
        // Sibling forests reading the same input (voting, stacking, calibration folds) share one cast and one
        // extended input of the same layout.
        Value input = x.dtype() == comparison ? x
                : ctx.shared(List.of("cast", x.name(), comparison), () -> ctx.graph().cast(x, comparison));
        Value xext = ctx.shared(List.of("extended-input", input.name(), layout.signature()),
                () -> layout.emit(ctx, input));
        // Tree-major intermediates are [T, rows]: keep one of them near 1 MiB so chunks stay in cache.
        ctx.recordPreferredRows(Math.max(64, Math.min(16_384, (1L << 18) / e.trees().size())));
        ctx.recordBytesPerRow(plugin.bytesPerRow(e, ctx.options(), ctx.real()));
        Value raw = plugin.rawScores(ctx, e, layout, xext);
        if (raw.dtype() != ctx.real()) {
            raw = ctx.graph().cast(raw, ctx.real());
        }
        return new Result(raw, false);
    }

    /**
     * Refuses, before any strategy allocates, an ensemble whose nodes (every tree counted, also one tree
     * instance listed many times) cannot fit: every strategy stores at least one 4-byte entry per node in
     * one table.
     */
    static void checkTotalNodes(TreeEnsemble e, long maxTensorBytes) {
        long nodes = 0;
        for (DecisionTree t : e.trees()) {
            nodes += t.nodeCount();
        }
        if (nodes * 4 > maxTensorBytes) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the ensemble has " + nodes + " nodes in "
                            + e.trees().size() + " trees: every strategy needs a table of at least " + nodes * 4
                            + " bytes, over the limit of " + maxTensorBytes + " bytes (--max-tensor-bytes)")
                    .hint("raise --max-tensor-bytes if the model is trusted and memory allows").build();
        }
    }
}
