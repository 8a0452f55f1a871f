package org.ml2tensor.compiler.lowering;

import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/** {@code raw = MatMul(x, Wᵀ) + b}. */
final class LinearLowering {
    private LinearLowering() {
    }

    static Value rawScores(LoweringContext ctx, LinearModel model, Value x) {
        GraphBuilder g = ctx.graph();
        int outputs = model.outputWidth();
        int inputs = model.inputWidth();
        double[] wt = new double[inputs * outputs];
        double[][] w = model.weights();
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i < inputs; i++) {
                wt[i * outputs + o] = w[o][i];
            }
        }
        Value weights = g.reals("coefficients", ctx.real(), wt, inputs, outputs);
        Value intercepts = g.reals("intercepts", ctx.real(), model.intercepts(), outputs);
        return g.add(g.matMul(x, weights), intercepts);
    }
}
