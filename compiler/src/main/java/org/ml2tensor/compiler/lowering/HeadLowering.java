package org.ml2tensor.compiler.lowering;

import java.util.List;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.compiler.onnx.Value;

/**
 * Turns a predictor's raw scores {@code [N, k]} into the graph outputs its {@link Head} calls for:
 * {@code label}/{@code probabilities}, {@code label}/{@code scores} or {@code variable}.
 */
public final class HeadLowering {
    private HeadLowering() {
    }

    public static void emit(LoweringContext ctx, Value raw, ScoreTransform transform, Head head) {
        emit(ctx, new PredictorScores(raw, transform, head));
    }

    /** As {@link #emit(LoweringContext, Value, ScoreTransform, Head)}, with the label index when it is given. */
    public static void emit(LoweringContext ctx, PredictorScores scores) {
        if (ctx.deliver(scores)) {
            return; // a meta-estimator's member: the ensemble reads the scores (LoweringContext.capture)
        }
        Value raw = scores.raw();
        ScoreTransform transform = scores.transform();
        Head head = scores.head();
        GraphBuilder g = ctx.graph();
        if (head instanceof Head.Regression) {
            g.output(ModelContract.VARIABLE, ScoreTransformLowering.apply(ctx, transform, raw));
        } else if (head instanceof Head.Classification c) {
            emitClassification(ctx, raw, transform, c, scores.labelIndex());
        } else if (head instanceof Head.MultiClassification m) {
            MultiTargetLowering.emit(ctx, raw, m, scores.labelIndex());
        } else if (head instanceof Head.Outlier o) {
            Value score = g.sub(ScoreTransformLowering.apply(ctx, transform, raw), g.scalar(raw.dtype(), o.offset()));
            Value negative = g.less(g.squeeze(score, 1), g.scalar(raw.dtype(), 0.0));
            Value label = g.where(negative, g.scalar(DType.INT64, -1), g.scalar(DType.INT64, 1));
            g.output(ModelContract.LABEL, label);
            g.output(ModelContract.SCORES, score);
        }
    }

    private static void emitClassification(LoweringContext ctx, Value raw, ScoreTransform transform,
                                           Head.Classification head, Value labelIndex) {
        GraphBuilder g = ctx.graph();
        long columns = raw.shape().size(1);
        boolean margin = columns == 1;
        if (margin && head.labels().size() != 2) {
            throw GraphChecks.defect("a single score column needs exactly 2 classes, got " + head.labels().size());
        }
        if (!margin && columns != head.labels().size()) {
            throw GraphChecks.defect(columns + " score columns for " + head.labels().size() + " classes");
        }
        Value index = labelIndex != null ? labelIndex : margin
                ? g.cast(g.squeeze(g.greater(raw, g.scalar(raw.dtype(), 0.0)), 1), DType.INT64)
                : g.argMax(raw, 1);
        g.output(ModelContract.LABEL, labelsOf(g, head.labels(), index));
        Value values = ScoreTransformLowering.apply(ctx, transform, raw);
        if (head.probabilities()) {
            if (margin) {
                values = g.concat(1, List.of(g.sub(g.scalar(values.dtype(), 1.0), values), values));
            }
            g.output(ModelContract.PROBABILITIES, values);
        } else {
            g.output(ModelContract.SCORES, values);
        }
    }

    static Value labelsOf(GraphBuilder g, ClassLabels labels, Value index) {
        if (labels instanceof ClassLabels.Ints ints) {
            long[] v = ints.values();
            if (isRange(v)) {
                return index;
            }
            return g.gather(g.longs("classes", v, v.length), index, 0);
        }
        List<String> s = ((ClassLabels.Strings) labels).values();
        return g.gather(g.strings("classes", s, s.size()), index, 0);
    }

    private static boolean isRange(long[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] != i) {
                return false;
            }
        }
        return true;
    }
}
