package org.ml2tensor.compiler.lowering;

import org.ml2tensor.ir.KernelSvm;
import org.ml2tensor.ir.Mlp;
import org.ml2tensor.ir.Neighbors;

/** Entry points of the SVM, MLP and nearest-neighbour lowerings for {@link EstimatorLowering}, with their trace. */
final class FamilyLowering {
    private FamilyLowering() {
    }

    static Void svm(LoweringContext ctx, KernelSvm m, Frame x) {
        ctx.recordStrategy("kernel", "SVM: kernel against the support vectors as one MatMul");
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        ctx.trace("KernelSvm(" + m.kernel() + ", " + m.supportVectors().length + " support vectors, " + m.inputWidth()
                + " → " + m.outputWidth() + "): MatMul kernel + MatMul dual coefficients");
        SvmLowering.lower(ctx, m, x.numeric(ctx.graph()));
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return null;
    }

    static Void mlp(LoweringContext ctx, Mlp m, Frame x) {
        ctx.recordStrategy("mlp", "MLP: MatMul + Add + activation per layer");
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        ctx.trace("Mlp(" + m.weights().size() + " layers, " + m.hidden() + ", " + m.inputWidth() + " → "
                + m.outputWidth() + ")");
        MlpLowering.lower(ctx, m, x.numeric(ctx.graph()));
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return null;
    }

    static Void neighbors(LoweringContext ctx, Neighbors m, Frame x) {
        ctx.recordStrategy("neighbors", "nearest neighbours: distances to the stored training set, TopK");
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        ctx.trace("Neighbors(" + m.points().length + " points, k=" + m.k() + ", " + m.metric() + ", "
                + m.inputWidth() + " → " + m.outputWidth() + ")");
        NeighborsLowering.lower(ctx, m, x.numeric(ctx.graph()));
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return null;
    }
}
