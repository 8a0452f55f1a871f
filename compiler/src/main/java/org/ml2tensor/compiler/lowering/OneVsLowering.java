package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.Combiner;
import org.ml2tensor.ir.Ensemble;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;

/** The combining heads of OneVsRestClassifier and OneVsOneClassifier. */
final class OneVsLowering {
    private OneVsLowering() {
    }

    /**
     * OneVsRest: {@code scores} are the members' {@code [N, 1]} scores (decision or probability of class 1),
     * {@code positives} their {@code predict_proba[:, 1]} (null without probabilities).
     */
    static PredictorScores oneVsRest(LoweringContext ctx, Ensemble e, Combiner.OneVsRest ovr, List<Value> scores,
                                     List<Value> positives) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        boolean proba = positives != null;
        if (scores.size() == 1) {
            Value s = scores.get(0);
            if (!proba) {
                return new PredictorScores(s, ScoreTransform.IDENTITY, e.head());
            }
            boolean decision = e.members().get(0).response() == org.ml2tensor.ir.Member.Response.DECISION;
            Value label = g.cast(g.squeeze(g.greater(s, g.scalar(real, decision ? 0.0 : 0.5)), 1), DType.INT64);
            Value y = positives.get(0);
            return new PredictorScores(normalized(g, real, g.concat(1, List.of(g.sub(g.scalar(real, 1.0), y), y)),
                    ovr.before19()),
                    ScoreTransform.IDENTITY, e.head(), label);
        }
        Value all = g.concat(1, scores);
        Value label = null;
        if (ovr.before19()) {
            int k = scores.size();
            long[] reversed = new long[k];
            for (int i = 0; i < k; i++) {
                reversed[i] = k - 1 - i;
            }
            Value lastFirst = g.gather(all, g.longs("reversed", reversed, k), 1);
            label = g.sub(g.scalar(DType.INT64, k - 1), g.argMax(lastFirst, 1));
        }
        if (!proba) {
            return new PredictorScores(all, ScoreTransform.IDENTITY, e.head(), label);
        }
        if (label == null) {
            label = g.argMax(all, 1);
        }
        return new PredictorScores(normalized(g, real, g.concat(1, positives), ovr.before19()), ScoreTransform.IDENTITY,
                e.head(),
                label);
    }

    /** {@code np.divide(Y, row_sums, out=Y, where=row_sums != 0)}; before 1.9 a plain {@code Y /= row_sums}. */
    private static Value normalized(GraphBuilder g, DType real, Value y, boolean plain) {
        Value sums = g.reduceSum(y, 1, true);
        if (plain) {
            return g.div(y, sums);
        }
        return g.where(g.equal(sums, g.scalar(real, 0.0)), y, g.div(y, sums));
    }

    /**
     * Binary OneVsOne: {@code decision_function} is column 1 of the votes plus transformed confidences, {@code predict}
     * is {@code decision > threshold}: 0, or 0.5 when the pair's confidence is a probability
     * ({@code _threshold_for_binary_predict}).
     */
    static PredictorScores binaryOneVsOne(GraphBuilder g, DType real, Value y, boolean proba, Ensemble e) {
        Value decision = g.gather(y, g.longs("class_1", new long[]{1}, 1), 1); // [N, 1]
        Value label = g.cast(g.squeeze(g.greater(decision, g.scalar(real, proba ? 0.5 : 0.0)), 1), DType.INT64);
        return new PredictorScores(decision, e.transform(), e.head(), label);
    }

    /** scikit-learn's {@code _ovr_decision_function} over the pairs {@code (i, j)}, {@code i < j}, in order. */
    static Value oneVsOne(GraphBuilder g, DType real, List<Value> labels, List<Value> confidences, int k) {
        Value[] votes = new Value[k];
        Value[] sums = new Value[k];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                Value label = g.unsqueeze(labels.get(p), 1);
                Value forI = g.cast(g.equal(label, g.scalar(DType.INT64, 0)), real);
                Value forJ = g.cast(g.equal(label, g.scalar(DType.INT64, 1)), real);
                votes[i] = votes[i] == null ? forI : g.add(votes[i], forI);
                votes[j] = votes[j] == null ? forJ : g.add(votes[j], forJ);
                Value conf = confidences.get(p);
                sums[i] = sums[i] == null ? g.neg(conf) : g.sub(sums[i], conf);
                sums[j] = sums[j] == null ? conf : g.add(sums[j], conf);
                p++;
            }
        }
        Value v = g.concat(1, List.of(votes));
        Value s = g.concat(1, List.of(sums));
        Value transformed = g.div(s, g.mul(g.scalar(real, 3.0), g.add(g.abs(s), g.scalar(real, 1.0))));
        return g.add(v, transformed);
    }
}
