package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.Value;

/** Lowers a tree ensemble to raw scores {@code [N, C]} with the strategy {@link StrategySelector} picks. */
public final class TreeEnsembleLowering {
    private TreeEnsembleLowering() {
    }

    /** Raw scores; {@code outputsEmitted} is reserved for lowerings that also declare the graph outputs. */
    public record Result(Value rawScores, boolean outputsEmitted) {
    }

    public static Result lower(LoweringContext ctx, TreeEnsemble e, Value x) {
        DType comparison = ctx.plan().comparison(e);
        ctx.compareIn(comparison);
        StrategySelector.Choice choice = StrategySelector.choose(e, ctx.options(), ctx.real(), comparison);
        ctx.recordStrategy(choice.strategy().cliName(), choice.reason());
        TreeLowering lowering = switch (choice.strategy()) {
            case GEMM -> new GemmLowering();
            case PERFECT_TREE_TRAVERSAL -> new PerfectTreeTraversalLowering();
            case NATIVE -> new NativeTreeEnsembleLowering();
            default -> new TreeTraversalLowering();
        };
        FeatureLayout layout = choice.strategy() == TreeStrategy.NATIVE
                ? NativeTreeEnsembleLowering.layoutFor(e) : new FeatureLayout(e);
        // Compare in the library's type: scikit-learn's trees and XGBoost cast the (float64) input to float32
        // first, exactly like this Cast; LightGBM and HistGradientBoosting compare the float64 values.
        Value input = x.dtype() == comparison ? x : ctx.graph().cast(x, comparison);
        Value xext = layout.emit(ctx, input);
        // Tree-major intermediates are [T, rows]: keep one of them near 1 MiB so chunks stay in cache.
        ctx.recordPreferredRows(Math.max(64, Math.min(16_384, (1L << 18) / e.trees().size())));
        Value raw = lowering.rawScores(ctx, e, layout, xext);
        if (raw.dtype() != ctx.real()) {
            raw = ctx.graph().cast(raw, ctx.real());
        }
        return new Result(raw, false);
    }
}
