package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.ir.Comparison;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/** Threshold tables and comparisons in the graph's precision. */
final class NodeValues {
    private NodeValues() {
    }

    /**
     * A threshold table in the comparison type of the ensemble being lowered
     * ({@link LoweringContext#comparison()}): float32 thresholds rounded per {@link Thresholds}, float64
     * kept exact.
     */
    static Value thresholds(LoweringContext ctx, String hint, double[] t, Comparison comparison, long... dims) {
        GraphBuilder g = ctx.graph();
        if (ctx.comparison() == DType.DOUBLE) {
            return g.doubles(hint, t, dims);
        }
        float[] f = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            f[i] = Thresholds.toFloat32(t[i], comparison);
        }
        return g.floats(hint, f, dims);
    }

    /** {@code x <= t} or {@code x < t}: true means the left child. */
    static Value goesLeft(GraphBuilder g, Comparison comparison, Value x, Value t) {
        return comparison == Comparison.LESS_OR_EQUAL ? g.lessOrEqual(x, t) : g.less(x, t);
    }
}
