package org.ml2tensor.compiler.lowering;

import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/** Emits the ops of a {@link ScoreTransform} over raw scores {@code [N, k]}. */
final class ScoreTransformLowering {
    private ScoreTransformLowering() {
    }

    static Value apply(LoweringContext ctx, ScoreTransform transform, Value raw) {
        GraphBuilder g = ctx.graph();
        return switch (transform) {
            case IDENTITY -> raw;
            case LOGISTIC -> g.sigmoid(raw);
            case SOFTMAX -> g.softmax(raw, 1);
            case EXP -> g.exp(raw);
            case LOGISTIC_2X -> g.sigmoid(g.mul(raw, g.scalar(raw.dtype(), 2.0)));
            case LOGISTIC_NORMALIZED -> normalize(g, g.sigmoid(raw));
            case NORMALIZE -> normalize(g, raw);
            case LOG1P_EXP -> softplus(g, raw);
            case SIGNED_SQUARE -> g.mul(g.abs(raw), raw);
            case ISOLATION -> g.neg(g.pow(g.scalar(raw.dtype(), 2.0), g.neg(raw)));
            case MODIFIED_HUBER -> modifiedHuber(g, raw);
            case SQRT_NEG -> g.sqrt(g.max(g.neg(raw), g.scalar(raw.dtype(), 0.0)));
        };
    }

    /**
     * {@code log(1 + exp(x))} as {@code max(x, 0) + log(1 + exp(-|x|))}: no overflow for large x, and
     * built from ops ONNX Runtime implements for float and double (its Softplus is float-only).
     */
    private static Value softplus(GraphBuilder g, Value x) {
        Value one = g.scalar(x.dtype(), 1.0);
        Value tail = g.log(g.add(one, g.exp(g.neg(g.abs(x)))));
        return g.add(g.max(x, g.scalar(x.dtype(), 0.0)), tail);
    }

    /**
     * {@code (clip(x, -1, 1) + 1) / 2}; with several columns divided by the row sum, a zero row becoming
     * uniform (scikit-learn's SGDClassifier.predict_proba).
     */
    private static Value modifiedHuber(GraphBuilder g, Value x) {
        Value clipped = g.min(g.max(x, g.scalar(x.dtype(), -1.0)), g.scalar(x.dtype(), 1.0));
        Value p = g.div(g.add(clipped, g.scalar(x.dtype(), 1.0)), g.scalar(x.dtype(), 2.0));
        long k = x.shape().size(1);
        if (k == 1) {
            return p;
        }
        Value sum = g.reduceSum(p, 1, true);
        Value zero = g.equal(sum, g.scalar(x.dtype(), 0.0));
        return g.where(zero, g.scalar(x.dtype(), 1.0 / k), g.div(p, sum));
    }

    private static Value normalize(GraphBuilder g, Value x) {
        return g.div(x, g.reduceSum(x, 1, true));
    }
}
