package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.ir.Estimator;
import org.ml2tensor.compiler.ir.LinearModel;
import org.ml2tensor.compiler.ir.Pipeline;
import org.ml2tensor.compiler.ir.Transformer;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.tree.TreeEnsembleLowering;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.ModelContract;
import org.ml2tensor.compiler.onnx.Value;

/** Lowers an estimator and declares its graph outputs. */
public final class EstimatorLowering {
    private EstimatorLowering() {
    }

    /** Lowers {@code estimator} applied to {@code x} and emits the graph outputs. */
    public static void lower(LoweringContext ctx, Estimator estimator, Value x) {
        GraphBuilder g = ctx.graph();
        if (estimator instanceof Pipeline p) {
            Value v = x;
            for (Transformer t : p.steps()) {
                v = TransformerLowering.apply(ctx, t, v);
            }
            lower(ctx, p.last(), v);
        } else if (estimator instanceof Transformer t) {
            ctx.recordStrategy("transform", "feature transformer");
            g.output(ModelContract.VARIABLE, TransformerLowering.apply(ctx, t, x));
        } else if (estimator instanceof LinearModel m) {
            ctx.recordStrategy("linear", "linear model: MatMul + Add");
            HeadLowering.emit(ctx, LinearLowering.rawScores(ctx, m, x), m.transform(), m.head());
        } else if (estimator instanceof TreeEnsemble e) {
            TreeEnsembleLowering.Result r = TreeEnsembleLowering.lower(ctx, e, x);
            if (!r.outputsEmitted()) {
                HeadLowering.emit(ctx, r.rawScores(), e.transform(), e.head());
            }
        } else {
            throw GraphChecks.defect("no lowering for " + estimator.getClass().getSimpleName());
        }
    }
}
