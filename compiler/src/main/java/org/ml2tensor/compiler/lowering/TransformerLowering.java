package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.ir.Transformer;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/** Lowers feature transformers (scalers, projections, imputers). */
final class TransformerLowering {
    private TransformerLowering() {
    }

    static Value apply(LoweringContext ctx, Transformer t, Value x) {
        GraphBuilder g = ctx.graph();
        if (t instanceof Transformer.Affine a) {
            int n = a.inputWidth();
            Value shifted = allZero(a.offset()) ? x : g.sub(x, g.reals("offset", ctx.real(), a.offset(), n));
            return g.mul(shifted, g.reals("scale", ctx.real(), a.scale(), n));
        }
        if (t instanceof Transformer.Projection p) {
            int in = p.inputWidth();
            int out = p.outputWidth();
            double[] ct = new double[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    ct[i * out + o] = p.components()[o][i];
                }
            }
            Value centred = allZero(p.mean()) ? x : g.sub(x, g.reals("mean", ctx.real(), p.mean(), in));
            return g.matMul(centred, g.reals("components", ctx.real(), ct, in, out));
        }
        Transformer.Impute imp = (Transformer.Impute) t;
        Value fill = g.reals("fill", ctx.real(), imp.fill(), imp.inputWidth());
        return g.where(g.isNaN(x), fill, x);
    }

    private static boolean allZero(double[] v) {
        for (double d : v) {
            if (d != 0) {
                return false;
            }
        }
        return true;
    }
}
