package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.ir.Transformer;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * Lowers feature transformers (scalers, projections, imputers) in the library's operation order: a
 * scaler that divides is lowered as a Div (not a multiplication by the reciprocal), MinMaxScaler as
 * {@code x * scale + min}; no constant is folded across an operation.
 */
final class TransformerLowering {
    private TransformerLowering() {
    }

    static Value apply(LoweringContext ctx, Transformer t, Value x) {
        GraphBuilder g = ctx.graph();
        if (t instanceof Transformer.Affine a) {
            int n = a.inputWidth();
            if (a.form() == Transformer.Affine.Form.MULTIPLY_ADD) {
                Value scaled = g.mul(x, g.reals("scale", ctx.real(), a.scale(), n));
                return allZero(a.offset()) ? scaled : g.add(scaled, g.reals("min", ctx.real(), a.offset(), n));
            }
            Value shifted = allZero(a.offset()) ? x : g.sub(x, g.reals("offset", ctx.real(), a.offset(), n));
            return allOne(a.scale()) ? shifted : g.div(shifted, g.reals("scale", ctx.real(), a.scale(), n));
        }
        if (t instanceof Transformer.Projection p) {
            return project(ctx, p, x);
        }
        Transformer.Impute imp = (Transformer.Impute) t;
        Value fill = g.reals("fill", ctx.real(), imp.fill(), imp.inputWidth());
        return g.where(g.isNaN(x), fill, x);
    }

    private static Value project(LoweringContext ctx, Transformer.Projection p, Value x) {
        GraphBuilder g = ctx.graph();
        int in = p.inputWidth();
        int out = p.outputWidth();
        double[] ct = new double[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                ct[i * out + o] = p.components()[o][i];
            }
        }
        Value components = g.reals("components", ctx.real(), ct, in, out);
        Value y;
        if (allZero(p.mean())) {
            y = g.matMul(x, components);
        } else if (p.centring() == Transformer.Projection.Centring.BEFORE) {
            y = g.matMul(g.sub(x, g.reals("mean", ctx.real(), p.mean(), in)), components);
        } else {
            y = g.sub(g.matMul(x, components), g.reals("projected_mean", ctx.real(), p.projectedMean(), out));
        }
        return p.divisor() == null ? y : g.div(y, g.reals("whiten_scale", ctx.real(), p.divisor(), out));
    }

    private static boolean allZero(double[] v) {
        for (double d : v) {
            if (d != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allOne(double[] v) {
        for (double d : v) {
            if (d != 1) {
                return false;
            }
        }
        return true;
    }
}
