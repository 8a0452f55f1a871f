package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.Combiner;
import org.ml2tensor.ir.NumpySums;

/** AdaBoost's combining heads: the SAMME / SAMME.R decision and AdaBoostRegressor's weighted median. */
final class AdaBoostLowering {
    private AdaBoostLowering() {
    }

    /**
     * The decision of {@link Combiner.AdaBoost}: {@code [N, 1]} (column 1 − column 0) for two classes, else
     * {@code decision / (K − 1)} {@code [N, K]} (the softmax argument of {@code predict_proba}).
     */
    static Value decision(GraphBuilder g, DType real, List<Value> parts, Combiner.AdaBoost a, int k) {
        double[] w = a.weights();
        Value sum = null;
        for (int i = 0; i < parts.size(); i++) {
            Value term;
            if (a.form() == Combiner.AdaBoost.Form.SAMME_R) {
                // (K-1)·(log p − (1/K)·Σ log p), p clipped below at the float64 epsilon
                Value logp = g.log(g.max(parts.get(i), g.scalar(real, Math.ulp(1.0))));
                Value mean = g.mul(g.scalar(real, 1.0 / k), g.reduceSum(logp, 1, true));
                term = g.mul(g.scalar(real, k - 1), g.sub(logp, mean));
            } else {
                long[] range = new long[k];
                for (int c = 0; c < k; c++) {
                    range[c] = c;
                }
                Value hit = g.equal(g.unsqueeze(parts.get(i), 1), g.longs("classes", range, 1, k));
                Value off = g.scalar(real, a.form() == Combiner.AdaBoost.Form.SAMME ? -1.0 / (k - 1) * w[i] : 0.0);
                term = g.where(hit, g.scalar(real, w[i]), off);
            }
            sum = sum == null ? term : g.add(sum, term);
        }
        Value dec = g.div(sum, g.scalar(real, NumpySums.sum(w)));
        if (k == 2) {
            Value c0 = g.gather(dec, g.longs("column", new long[]{0}, 1), 1);
            Value c1 = g.gather(dec, g.longs("column", new long[]{1}, 1), 1);
            return g.sub(c1, c0);
        }
        return g.div(dec, g.scalar(real, k - 1));
    }

    /**
     * AdaBoostRegressor: per row the smallest prediction {@code v_i} whose weight below or at it,
     * {@code Σ_{j: v_j ≤ v_i} w_j}, reaches half the total — the first of the sorted cumulative weights to
     * reach it, as scikit-learn finds it.
     */
    static Value weightedMedian(GraphBuilder g, DType real, List<Value> parts, double[] w) {
        int t = parts.size();
        Value v = g.concat(1, parts); // [N, T]
        Value rows = g.unsqueeze(v, 2); // [N, T, 1]: v_i
        Value cols = g.unsqueeze(v, 1); // [N, 1, T]: v_j
        Value below = g.cast(g.lessOrEqual(cols, rows), real); // [N, T, T]: v_j <= v_i
        Value weight = g.matMul(below, g.reals("median_weights", real, w, t, 1)); // [N, T, 1]
        Value half = g.scalar(real, 0.5 * NumpySums.sum(w));
        Value reached = g.squeeze(g.greaterOrEqual(weight, half), 2); // [N, T]
        Value candidates = g.where(reached, g.neg(v), g.scalar(real, Double.NEGATIVE_INFINITY));
        Value at = g.unsqueeze(g.argMax(candidates, 1), 1);
        return g.gatherElements(v, at, 1);
    }
}
