package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.Calibrator;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Combiner;
import org.ml2tensor.ir.Ensemble;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Member;

/**
 * Lowers an {@link Ensemble}: each member with the ordinary estimator lowering (so a forest inside a
 * calibrator or a stack gets the same tree strategy, chosen by the same rules, as the bare forest), its
 * {@link PredictorScores} captured instead of declared as outputs; then the combining head over the members'
 * responses; then the ensemble's own head through {@link HeadLowering} — which a further enclosing ensemble
 * captures in turn.
 */
final class EnsembleLowering {
    private EnsembleLowering() {
    }

    static void lower(LoweringContext ctx, Ensemble e, Frame x) {
        GraphBuilder g = ctx.graph();
        int line = ctx.traceSize();
        int before = g.nodeCount();
        ctx.trace(e.kind() + "(" + e.members().size() + " members, " + describe(e.combiner()) + ")");
        ctx.enter();
        List<Value> parts = new ArrayList<>();
        List<PredictorScores> captured = new ArrayList<>();
        boolean chain = e.combiner() instanceof Combiner.Targets t && t.chain();
        for (int i = 0; i < e.members().size(); i++) {
            Member m = e.members().get(i);
            Frame in = m.columns() == null ? x : x.select(m.columns());
            if (chain && i > 0) {
                // RegressorChain: the input columns, then the predictions of the members before this one
                List<Frame> frames = new ArrayList<>(List.of(x));
                for (Value p : parts) {
                    frames.add(Frame.of(p, ColumnType.FLOAT));
                }
                in = Frame.concat(frames);
            }
            Frame input = in;
            ctx.trace("[" + i + "] " + m.name() + " → " + m.response().name().toLowerCase(java.util.Locale.ROOT)
                    + (m.columns() == null ? "" : " on " + m.columns().length + " columns")
                    + (chain && i > 0 ? " on the input + " + i + " previous predictions" : ""));
            ctx.enter();
            PredictorScores s = ctx.capture(() -> EstimatorLowering.lowerOn(ctx, m.estimator(), input), m.predictor());
            ctx.leave();
            captured.add(s);
            parts.add(response(ctx, s, m.response(), m.classMap(), e.classes()));
        }
        PredictorScores out = combine(ctx, e, x, parts, captured);
        org.ml2tensor.ir.LogProbabilities.Kind bagged = ctx.baggedLogFor(e);
        if (bagged != null) {
            out = baggedLogProbabilities(ctx, e, out, captured, bagged);
        }
        ctx.leave();
        ctx.traceOps(line, g.nodeCount() - before);
        HeadLowering.emit(ctx, out);
    }

    private static String describe(Combiner c) {
        if (c instanceof Combiner.Average a) {
            return a.weights() == null ? "mean" : "weighted average";
        }
        if (c instanceof Combiner.Vote v) {
            return (v.weights() == null ? "" : "weighted ") + "vote" + (v.normalize() ? " fractions" : "");
        }
        if (c instanceof Combiner.Stack s) {
            return "stacked" + (s.passthrough() ? " + passthrough" : "") + " into the final estimator";
        }
        if (c instanceof Combiner.Calibration) {
            return "calibrated, mean over folds";
        }
        if (c instanceof Combiner.AdaBoost a) {
            return "AdaBoost " + a.form();
        }
        if (c instanceof Combiner.Targets t) {
            return t.chain() ? "chained targets" : "one target each";
        }
        if (c instanceof Combiner.OneVsRest) {
            return "one-vs-rest";
        }
        if (c instanceof Combiner.OneVsOne) {
            return "one-vs-one votes + confidences";
        }
        return "weighted median";
    }

    /** The member's response as a tensor: int64 {@code [N]} for LABEL, else real {@code [N, w]}. */
    private static Value response(LoweringContext ctx, PredictorScores s, Member.Response r, int[] classMap,
                                  int classes) {
        GraphBuilder g = ctx.graph();
        Value raw = s.raw();
        boolean margin = raw.shape().size(1) == 1 && s.head() instanceof Head.Classification;
        return switch (r) {
            case VALUE -> ScoreTransformLowering.apply(ctx, s.transform(), raw);
            case DECISION -> {
                if (s.probabilitiesOnly()) {
                    throw org.ml2tensor.error.Ml2TensorException.of(org.ml2tensor.error.ErrorCode.UNSUPPORTED,
                            "a member's decision_function is needed, but its lowering gives only probabilities")
                            .hint("use a member whose decision values the graph exposes, or one read by"
                                    + " predict_proba (e.g. stack_method='predict_proba')").build();
                }
                yield raw;
            }
            case LABEL -> {
                Value index = s.labelIndex() != null ? s.labelIndex() : margin ? g.cast(g.squeeze(g.greater(raw, g.scalar(raw.dtype(), 0.0)), 1), DType.INT64)
                        : g.argMax(raw, 1);
                int[] map = classMap;
                if (map == null) {
                    yield index;
                }
                long[] l = new long[map.length];
                for (int i = 0; i < map.length; i++) {
                    l[i] = map[i];
                }
                yield g.gather(g.longs("class_map", l, l.length), index, 0);
            }
            case PROBA, PROBA_POSITIVE -> {
                Value p = ScoreTransformLowering.apply(ctx, s.transform(), raw);
                if (r == Member.Response.PROBA_POSITIVE) {
                    yield margin ? p : g.gather(p, g.longs("column", new long[]{1}, 1), 1);
                }
                if (margin) {
                    p = g.concat(1, List.of(g.sub(g.scalar(p.dtype(), 1.0), p), p));
                }
                int[] map = classMap;
                if (map == null) {
                    yield p;
                }
                // spread the member's columns over the ensemble's classes: a 0/1 matrix product is exact
                double[] spread = new double[map.length * classes];
                for (int i = 0; i < map.length; i++) {
                    spread[i * classes + map[i]] = 1.0;
                }
                yield g.matMul(p, g.reals("class_spread", p.dtype(), spread, map.length, classes));
            }
        };
    }

    private static PredictorScores combine(LoweringContext ctx, Ensemble e, Frame x, List<Value> parts,
                                           List<PredictorScores> captured) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        Combiner c = e.combiner();
        if (c instanceof Combiner.Average a) {
            return new PredictorScores(weightedMean(g, real, parts, a.weights()), e.transform(), e.head());
        }
        if (c instanceof Combiner.Vote v) {
            int k = e.classes();
            long[] range = new long[k];
            for (int i = 0; i < k; i++) {
                range[i] = i;
            }
            Value classes = g.longs("classes", range, 1, k);
            List<Value> votes = new ArrayList<>();
            for (Value label : parts) {
                votes.add(g.cast(g.equal(g.unsqueeze(label, 1), classes), real));
            }
            Value counts = weightedSum(g, real, votes, v.weights());
            if (v.normalize()) {
                counts = g.div(counts, g.scalar(real, total(v.weights(), parts.size())));
            }
            return new PredictorScores(counts, e.transform(), e.head());
        }
        if (c instanceof Combiner.Stack s) {
            List<Frame> frames = new ArrayList<>();
            for (Value p : parts) {
                // a classifier stacked by predict contributes its class index as a number
                Value v = p.dtype() == DType.INT64 ? g.unsqueeze(g.cast(p, real), 1) : p;
                frames.add(Frame.of(v, ColumnType.FLOAT));
            }
            if (s.passthrough()) {
                frames.add(x);
            }
            Frame meta = Frame.concat(frames);
            ctx.trace("final estimator on " + meta.width() + " columns");
            ctx.enter();
            PredictorScores f = ctx.capture(() -> EstimatorLowering.lowerOn(ctx, s.finalEstimator(), meta),
                    new Member("final", s.finalEstimator(), null, Member.Response.VALUE, null).predictor());
            ctx.leave();
            return new PredictorScores(f.raw(), f.transform(), e.head());
        }
        if (c instanceof Combiner.Calibration cal) {
            List<Value> probas = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                probas.add(calibrated(g, real, parts.get(i), cal.calibrators().get(i), cal.classIndex().get(i),
                        e.classes()));
            }
            return new PredictorScores(weightedMean(g, real, probas, null), e.transform(), e.head());
        }
        if (c instanceof Combiner.Targets t) {
            int[] order = t.order();
            Value[] byTarget = new Value[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                byTarget[order == null ? i : order[i]] = parts.get(i);
            }
            return new PredictorScores(g.concat(1, List.of(byTarget)), e.transform(), e.head());
        }
        if (c instanceof Combiner.OneVsRest ovr) {
            if (ovr.splitResponses()) { // decisions, then the same classifiers' predict_proba[:, 1]
                int k = ovr.classifiers(parts.size());
                return OneVsLowering.oneVsRest(ctx, e, ovr, parts.subList(0, k), parts.subList(k, 2 * k));
            }
            return OneVsLowering.oneVsRest(ctx, e, ovr, parts, positives(ctx, captured, e));
        }
        if (c instanceof Combiner.OneVsOne ovo) {
            List<Value> confidences = new ArrayList<>();
            boolean[] proba = ovo.confidenceIsProba();
            for (int i = 0; i < captured.size(); i++) {
                confidences.add(response(ctx, captured.get(i),
                        proba[i] ? Member.Response.PROBA_POSITIVE : Member.Response.DECISION, null, 2));
            }
            Value y = OneVsLowering.oneVsOne(g, real, parts, confidences, e.classes());
            if (e.classes() == 2) {
                return OneVsLowering.binaryOneVsOne(g, real, y, proba[0], e);
            }
            return new PredictorScores(y, e.transform(), e.head());
        }
        if (c instanceof Combiner.AdaBoost a) {
            return new PredictorScores(AdaBoostLowering.decision(g, real, parts, a, e.classes()), e.transform(),
                    e.head());
        }
        return new PredictorScores(AdaBoostLowering.weightedMedian(g, real, parts,
                ((Combiner.WeightedMedian) c).weights()), e.transform(), e.head());
    }

    /** The members' {@code predict_proba[:, 1]} when the ensemble outputs probabilities, else null. */
    private static List<Value> positives(LoweringContext ctx, List<PredictorScores> captured, Ensemble e) {
        if (!(e.head() instanceof Head.Classification h) || !h.probabilities()) {
            return null;
        }
        List<Value> out = new ArrayList<>();
        for (PredictorScores s : captured) {
            out.add(response(ctx, s, Member.Response.PROBA_POSITIVE, null, 2));
        }
        return out;
    }

    private static double total(double[] weights, int n) {
        if (weights == null) {
            return n;
        }
        double t = 0;
        for (double w : weights) {
            t += w;
        }
        return t;
    }

    /** {@code Σ w_i·v_i} in member order (or {@code Σ v_i}). */
    static Value weightedSum(GraphBuilder g, DType real, List<Value> parts, double[] weights) {
        Value sum = null;
        for (int i = 0; i < parts.size(); i++) {
            Value v = weights == null ? parts.get(i) : g.mul(parts.get(i), g.scalar(real, weights[i]));
            sum = sum == null ? v : g.add(sum, v);
        }
        return sum;
    }

    /** numpy's {@code average}: {@code Σ w_i·v_i / Σ w} or {@code Σ v_i / n}. */
    static Value weightedMean(GraphBuilder g, DType real, List<Value> parts, double[] weights) {
        return g.div(weightedSum(g, real, parts, weights), g.scalar(real, total(weights, parts.size())));
    }

    /** One fold of CalibratedClassifierCV: calibrated per class, completed (binary) or normalised. */
    private static Value calibrated(GraphBuilder g, DType real, Value scores, List<Calibrator> calibrators,
                                    int[] classIndex, int classes) {
        Value[] columns = new Value[classes];
        for (int j = 0; j < calibrators.size(); j++) {
            Value f = scores.shape().size(1) == 1 ? scores : g.gather(scores, g.longs("column", new long[]{j}, 1), 1);
            columns[classes == 2 ? 1 : classIndex[j]] = calibrate(g, real, f, calibrators.get(j));
        }
        Value proba;
        if (classes == 2) {
            proba = g.concat(1, List.of(g.sub(g.scalar(real, 1.0), columns[1]), columns[1]));
        } else {
            List<Value> cols = new ArrayList<>();
            for (Value v : columns) {
                cols.add(v != null ? v : g.mul(g.reduceSum(scores, 1, true), g.scalar(real, 0.0)));
            }
            Value p = g.concat(1, cols);
            Value denominator = g.reduceSum(p, 1, true);
            Value zero = g.equal(denominator, g.scalar(real, 0.0));
            proba = g.where(zero, g.scalar(real, 1.0 / classes), g.div(p, denominator));
        }
        // scikit-learn: proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
        Value one = g.scalar(real, 1.0);
        Value over = g.and(g.less(one, proba), g.lessOrEqual(proba, g.scalar(real, 1.0 + 1e-5)));
        return g.where(over, one, proba);
    }

    private static Value calibrate(GraphBuilder g, DType real, Value f, Calibrator c) {
        if (c instanceof Calibrator.Sigmoid s) {
            // expit(-(a·f + b))
            Value z = g.add(g.mul(f, g.scalar(real, s.a())), g.scalar(real, s.b()));
            return g.sigmoid(g.neg(z));
        }
        Calibrator.Isotonic iso = (Calibrator.Isotonic) c;
        double[] xs = iso.x();
        double[] ys = iso.y();
        int m = xs.length;
        if (m == 1) {
            return g.add(g.mul(f, g.scalar(real, 0.0)), g.scalar(real, ys[0]));
        }
        Value clipped = g.min(g.max(f, g.scalar(real, xs[0])), g.scalar(real, xs[m - 1]));
        Value segment;
        if (m == 2) {
            segment = null;
        } else {
            double[] inner = java.util.Arrays.copyOfRange(xs, 1, m - 1);
            Value passed = g.cast(g.lessOrEqual(g.reals("isotonic_x", real, inner, 1, inner.length), clipped), real);
            segment = g.cast(g.reduceSum(passed, 1, false), DType.INT64);
        }
        double[] slope = new double[m - 1];
        double[] x0 = new double[m - 1];
        double[] y0 = new double[m - 1];
        for (int j = 0; j < m - 1; j++) {
            slope[j] = iso.slope(j);
            x0[j] = xs[j];
            y0[j] = ys[j];
        }
        Value sl;
        Value xl;
        Value yl;
        if (segment == null) {
            sl = g.scalar(real, slope[0]);
            xl = g.scalar(real, x0[0]);
            yl = g.scalar(real, y0[0]);
        } else {
            Value idx = g.unsqueeze(segment, 1);
            sl = g.gather(g.reals("isotonic_slope", real, slope, m - 1), idx, 0);
            xl = g.gather(g.reals("isotonic_x0", real, x0, m - 1), idx, 0);
            yl = g.gather(g.reals("isotonic_y0", real, y0, m - 1), idx, 0);
        }
        Value inside = g.add(g.mul(sl, g.sub(clipped, xl)), yl);
        Value last = g.greaterOrEqual(clipped, g.scalar(real, xs[m - 1]));
        return g.where(last, g.scalar(real, ys[m - 1]), inside);
    }

    /**
     * BaggingClassifier's {@code predict_log_proba} with members that have their own (scikit-learn's
     * {@code _parallel_predict_log_proba}, one job): each member's log-probabilities ({@code kind.member()}),
     * spread over the ensemble's classes with {@code -inf} where a member saw no such class, folded in member order
     * with {@code logaddexp(a, b) = max(a, b) + log(1 + exp(−|a − b|))} ({@code a == b}, both {@code -inf}
     * included, gives {@code a + log 2}), then {@code − log(n)}. The fold starts from the first member's values,
     * which is what {@code logaddexp(-inf, l)} returns exactly. The label stays the arg-max of the mean probability
     * ({@code predict}).
     */
    private static PredictorScores baggedLogProbabilities(LoweringContext ctx, Ensemble e, PredictorScores mean,
                                                          List<PredictorScores> captured,
                                                          org.ml2tensor.ir.LogProbabilities.Kind kind) {
        GraphBuilder g = ctx.graph();
        int k = e.classes();
        Value acc = null;
        for (int i = 0; i < captured.size(); i++) {
            PredictorScores s = captured.get(i);
            Value raw = s.raw();
            Value logs;
            if (kind.member() == org.ml2tensor.ir.LogProbabilities.Kind.LOG_SOFTMAX) {
                logs = HeadLowering.logSoftmax(g, raw);
            } else {
                Value p = ScoreTransformLowering.apply(ctx, s.transform(), raw);
                if (raw.shape().size(1) == 1) {
                    p = g.concat(1, List.of(g.sub(g.scalar(p.dtype(), 1.0), p), p));
                }
                logs = HeadLowering.log(g, p, kind.member());
            }
            int[] map = e.members().get(i).classMap();
            if (map != null) {
                long[] pick = new long[k];
                double[] pad = new double[k];
                java.util.Arrays.fill(pad, Double.NEGATIVE_INFINITY);
                for (int j = 0; j < map.length; j++) {
                    pick[map[j]] = j;
                    pad[map[j]] = 0.0;
                }
                logs = g.add(g.gather(logs, g.longs("class_pick", pick, k), 1),
                        g.reals("class_pad", logs.dtype(), pad, 1, k));
            }
            if (acc == null) {
                acc = logs;
                continue;
            }
            Value same = g.equal(acc, logs);
            Value gap = g.where(same, g.scalar(logs.dtype(), 0.0), g.abs(g.sub(acc, logs)));
            Value one = g.scalar(logs.dtype(), 1.0);
            acc = g.add(g.max(acc, logs), g.log(g.add(one, g.exp(g.neg(gap)))));
        }
        Value out = g.sub(acc, g.scalar(acc.dtype(), Math.log(captured.size())));
        Value index = mean.labelIndex() != null ? mean.labelIndex()
                : g.argMax(ScoreTransformLowering.apply(ctx, mean.transform(), mean.raw()), 1);
        return new PredictorScores(out, org.ml2tensor.ir.ScoreTransform.IDENTITY, e.head(), index);
    }
}
