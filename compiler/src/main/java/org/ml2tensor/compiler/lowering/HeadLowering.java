package org.ml2tensor.compiler.lowering;

import java.util.List;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LogProbabilities;
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
            emitClassification(ctx, raw, transform, c, scores.labelIndex(), null);
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

    /**
     * A classifier's {@code label} and, in place of its probabilities, {@code log_probabilities} computed as
     * {@code kind} says (a model compiled with method {@code predict_log_proba}).
     */
    public static void emitLogProbabilities(LoweringContext ctx, PredictorScores scores, LogProbabilities.Kind kind) {
        if (!(scores.head() instanceof Head.Classification c) || !c.probabilities()) {
            throw GraphChecks.defect("log-probabilities of a predictor without probabilities");
        }
        emitClassification(ctx, scores.raw(), scores.transform(), c, scores.labelIndex(), kind);
    }

    private static void emitClassification(LoweringContext ctx, Value raw, ScoreTransform transform,
                                           Head.Classification head, Value labelIndex, LogProbabilities.Kind log) {
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
        if (log != null && log.bagged()) {
            // EnsembleLowering combined the members' log-probabilities already (BaggingClassifier's logaddexp)
            g.output(ModelContract.LOG_PROBABILITIES, raw);
            return;
        }
        if (log == LogProbabilities.Kind.LOG_SOFTMAX) {
            if (margin || transform != ScoreTransform.SOFTMAX) {
                throw GraphChecks.defect("log-softmax of " + columns + " columns under " + transform);
            }
            g.output(ModelContract.LOG_PROBABILITIES, logSoftmax(g, raw));
            return;
        }
        Value values = ScoreTransformLowering.apply(ctx, transform, raw);
        if (head.probabilities()) {
            if (margin) {
                values = g.concat(1, List.of(g.sub(g.scalar(values.dtype(), 1.0), values), values));
            }
            if (log == null) {
                g.output(ModelContract.PROBABILITIES, values);
            } else {
                g.output(ModelContract.LOG_PROBABILITIES, log(g, values, log));
            }
        } else {
            g.output(ModelContract.SCORES, values);
        }
    }

    /** {@code log(p)}; with {@code LOG_FLOORED} a probability of exactly 0 becomes the smallest normal first. */
    static Value log(GraphBuilder g, Value p, LogProbabilities.Kind kind) {
        if (kind == LogProbabilities.Kind.LOG_FLOORED) {
            double smallest = p.dtype() == DType.FLOAT ? Float.MIN_NORMAL : Double.MIN_NORMAL;
            Value zero = g.equal(p, g.scalar(p.dtype(), 0.0));
            p = g.where(zero, g.scalar(p.dtype(), smallest), p);
        }
        return g.log(p);
    }

    /**
     * {@code (s − max) − log(Σ exp(s − max))} per row: the discriminant mixin's order of operations for
     * {@code predict_log_proba} (QDA from scikit-learn 1.6); the naive Bayes family's {@code jll − logsumexp(jll)}
     * differs from it by rounding only. The row maximum is gathered at ArgMax, so no opset-dependent ReduceMax
     * is needed.
     */
    static Value logSoftmax(GraphBuilder g, Value s) {
        Value max = g.gatherElements(s, g.unsqueeze(g.argMax(s, 1), 1), 1);
        Value shifted = g.sub(s, max);
        return g.sub(shifted, g.log(g.reduceSum(g.exp(shifted), 1, true)));
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
