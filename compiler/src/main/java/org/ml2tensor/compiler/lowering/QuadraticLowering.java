package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.QuadraticModel;

/**
 * {@code raw = offsets + factor · q(x)} of a {@link QuadraticModel}, vectorised over the outputs: the
 * differences {@code x − means} form one {@code [N, K, F]} tensor; diagonal forms square (and divide) it and
 * sum over the features, projected forms run one batched {@code MatMul [K, N, F] × [K, F, R]} (projections
 * padded with zero columns to the largest rank R) before squaring and summing.
 */
final class QuadraticLowering {
    private QuadraticLowering() {
    }

    static Value rawScores(LoweringContext ctx, QuadraticModel m, Value x) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        int k = m.outputWidth();
        int f = m.inputWidth();
        Value means = g.reals("means", t, flatten(m.means()), k, f);
        Value diff = g.sub(g.unsqueeze(x, 1), means); // [N, K, F]
        Value q;
        if (m.projections() == null) {
            Value sq = g.mul(diff, diff);
            if (m.divisors() != null) {
                sq = g.div(sq, g.reals("divisors", t, flatten(m.divisors()), k, f));
            }
            q = g.reduceSum(sq, 2, false);
            ctx.recordBytesPerRow(2L * k * f * t.byteSize());
        } else {
            int r = m.rank();
            double[] p = new double[k * f * r];
            for (int c = 0; c < k; c++) {
                double[][] pc = m.projections()[c];
                for (int i = 0; i < f; i++) {
                    for (int j = 0; j < pc[i].length; j++) {
                        p[(c * f + i) * r + j] = pc[i][j];
                    }
                }
            }
            Value z = g.matMul(g.transpose(diff, 1, 0, 2), g.reals("projections", t, p, k, f, r)); // [K, N, R]
            q = g.transpose(g.reduceSum(g.mul(z, z), 2, false), 1, 0);
            ctx.recordBytesPerRow((long) k * (f + 2L * r) * t.byteSize());
        }
        return g.add(g.mul(q, g.scalar(t, m.factor())), g.reals("offsets", t, m.offsets(), k));
    }

    private static double[] flatten(double[][] a) {
        int w = a[0].length;
        double[] out = new double[a.length * w];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * w, w);
        }
        return out;
    }
}
