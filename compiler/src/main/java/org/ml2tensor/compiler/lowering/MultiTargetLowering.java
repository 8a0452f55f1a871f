package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.MultiTarget;
import org.ml2tensor.ir.ScoreTransform;

/**
 * Lowers a {@link MultiTarget}: each member with the ordinary estimator lowering (so a forest keeps its tree
 * strategy), its {@link PredictorScores} captured; a chain feeds each member's label value, probability or
 * decision value to the later members; then {@link #emit} turns the members' class indices {@code [N, T]} and
 * probability blocks into the {@link Head.MultiClassification} outputs.
 */
final class MultiTargetLowering {
    private MultiTargetLowering() {
    }

    static Void lower(LoweringContext ctx, MultiTarget m, Frame x) {
        GraphBuilder g = ctx.graph();
        int line = ctx.traceSize();
        int before = g.nodeCount();
        boolean chain = m.feed() != MultiTarget.Feed.NONE;
        ctx.trace(m.kind() + "(" + m.members().size() + " targets, " + (chain ? "chain feeding "
                + m.feed().name().toLowerCase(Locale.ROOT) : "one classifier each") + ")");
        ctx.enter();
        int t = m.members().size();
        Value[] index = new Value[t];
        Value[] blocks = new Value[t];
        List<Frame> fed = new ArrayList<>(List.of(x));
        for (int i = 0; i < t; i++) {
            MultiTarget.Target member = m.members().get(i);
            Frame in = chain && i > 0 ? Frame.concat(fed) : x;
            ctx.trace("[" + i + "] " + member.name() + " → target " + m.targetOf(i)
                    + (chain && i > 0 ? " on the input + " + i + " previous outputs" : ""));
            ctx.enter();
            PredictorScores s = ctx.capture(() -> EstimatorLowering.lowerOn(ctx, member.estimator(), in),
                    member.predictor());
            ctx.leave();
            Value idx = labelIndex(ctx, s, member.decide());
            Value proba = m.head().probabilities() || m.feed() == MultiTarget.Feed.PREDICT_PROBA
                    || m.feed() == MultiTarget.Feed.PREDICT_LOG_PROBA ? probabilities(ctx, s, member.name()) : null;
            index[m.targetOf(i)] = idx;
            blocks[m.targetOf(i)] = proba;
            if (chain) {
                fed.add(Frame.of(feed(ctx, m.feed(), s, member, idx, proba), ColumnType.FLOAT));
            }
        }
        List<Value> columns = new ArrayList<>();
        for (Value v : index) {
            columns.add(g.unsqueeze(v, 1));
        }
        Value indices = g.concat(1, columns);
        Value probabilities = m.head().probabilities() ? g.concat(1, List.of(blocks)) : null;
        ctx.leave();
        ctx.traceOps(line, g.nodeCount() - before);
        HeadLowering.emit(ctx, new PredictorScores(probabilities != null ? probabilities : g.cast(indices, ctx.real()),
                ScoreTransform.IDENTITY, m.head(), indices));
        return null;
    }

    /** A member's class index {@code [N]}. */
    private static Value labelIndex(LoweringContext ctx, PredictorScores s, MultiTarget.Decide decide) {
        GraphBuilder g = ctx.graph();
        Value raw = s.raw();
        boolean margin = raw.shape().size(1) == 1;
        return switch (decide) {
            case PREDICT -> s.labelIndex() != null ? s.labelIndex() : margin
                    ? g.cast(g.squeeze(g.greater(raw, g.scalar(raw.dtype(), 0.0)), 1), DType.INT64)
                    : g.argMax(raw, 1);
            case DECISION_POSITIVE -> {
                if (s.probabilitiesOnly() || !margin) {
                    throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "a multilabel one-vs-rest member's"
                                    + " decision_function is needed, but its graph gives only probabilities")
                            .hint("use members whose decision values the graph exposes (e.g. SVC without"
                                    + " probability=True, LogisticRegression)").build();
                }
                yield g.cast(g.squeeze(g.greater(raw, g.scalar(raw.dtype(), 0.0)), 1), DType.INT64);
            }
            case PROBA_OVER_HALF -> {
                Value p = positive(ctx, s);
                yield g.cast(g.squeeze(g.greater(p, g.scalar(p.dtype(), 0.5)), 1), DType.INT64);
            }
        };
    }

    /** {@code predict_proba[:, 1:2]} of a binary member. */
    private static Value positive(LoweringContext ctx, PredictorScores s) {
        GraphBuilder g = ctx.graph();
        Value p = ScoreTransformLowering.apply(ctx, s.transform(), s.raw());
        return p.shape().size(1) == 1 ? p : g.gather(p, g.longs("column", new long[]{1}, 1), 1);
    }

    /** A member's {@code predict_proba} {@code [N, K]}. */
    private static Value probabilities(LoweringContext ctx, PredictorScores s, String name) {
        GraphBuilder g = ctx.graph();
        if (!(s.head() instanceof Head.Classification c) || !c.probabilities()) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "member " + name + " has no predict_proba in its graph")
                    .hint("use classifiers with predict_proba, or a chain_method other than predict_proba").build();
        }
        Value p = ScoreTransformLowering.apply(ctx, s.transform(), s.raw());
        if (p.shape().size(1) == 1) {
            p = g.concat(1, List.of(g.sub(g.scalar(p.dtype(), 1.0), p), p));
        }
        return p;
    }

    /** The value a chain member passes on, {@code [N, 1]}. */
    private static Value feed(LoweringContext ctx, MultiTarget.Feed feed, PredictorScores s, MultiTarget.Target m,
                              Value index, Value proba) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        return switch (feed) {
            case PREDICT -> {
                if (!(m.labels() instanceof ClassLabels.Ints ints)) {
                    throw GraphChecks.defect("a chain of string-labelled members");
                }
                long[] v = ints.values();
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                yield g.unsqueeze(g.gather(g.reals("chain_label", real, d, d.length), index, 0), 1);
            }
            case PREDICT_PROBA -> g.gather(proba, g.longs("column", new long[]{1}, 1), 1);
            case PREDICT_LOG_PROBA -> g.log(g.gather(proba, g.longs("column", new long[]{1}, 1), 1));
            case DECISION_FUNCTION -> {
                if (s.probabilitiesOnly() || s.raw().shape().size(1) != 1) {
                    throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "chain_method='decision_function' needs member "
                                    + m.name() + "'s decision value, which its graph does not give")
                            .hint("use chain_method='predict_proba' or members with a linear decision_function").build();
                }
                yield s.raw();
            }
            case NONE -> throw GraphChecks.defect("no feed outside a chain");
        };
    }

    /**
     * The {@link Head.MultiClassification} outputs from the class indices {@code [N, T]} and the probability
     * blocks {@code [N, Σ K_t]} (ignored without probabilities): {@code label [N, T]} and {@code probabilities}.
     */
    static void emit(LoweringContext ctx, Value probabilities, Head.MultiClassification head, Value indices) {
        GraphBuilder g = ctx.graph();
        if (indices == null || indices.rank() != 2 || indices.shape().size(1) != head.targets().size()) {
            throw GraphChecks.defect("a multi-output classifier needs class indices [N, " + head.targets().size() + "]");
        }
        boolean strings = head.stringLabels();
        boolean identity = !strings;
        for (ClassLabels l : head.targets()) {
            identity &= l instanceof ClassLabels.Ints ints && isRange(ints.values());
        }
        Value label;
        if (identity) {
            label = indices;
        } else {
            List<Value> columns = new ArrayList<>();
            for (int t = 0; t < head.targets().size(); t++) {
                ClassLabels l = head.targets().get(t);
                Value idx = g.gather(indices, g.longs("target", new long[]{t}, 1), 1);
                Value classes = strings ? g.strings("classes", l.asText(), l.size())
                        : g.longs("classes", ((ClassLabels.Ints) l).values(), l.size());
                columns.add(g.gather(classes, idx, 0));
            }
            label = g.concat(1, columns);
        }
        g.output(ModelContract.LABEL, label);
        if (head.probabilities()) {
            if (probabilities.shape().size(1) != head.probabilityWidth()) {
                throw GraphChecks.defect(probabilities.shape().size(1) + " probability columns for "
                        + head.probabilityWidth());
            }
            g.output(ModelContract.PROBABILITIES, probabilities);
        }
    }

    /** A multilabel sigmoid layer {@code p [N, T]}: indices {@code p > 0.5} and the blocks {@code [1 − p_t, p_t]}. */
    static void emitMultilabel(LoweringContext ctx, Value p, Head.MultiClassification head) {
        GraphBuilder g = ctx.graph();
        int t = head.targets().size();
        Value index = g.cast(g.greater(p, g.scalar(p.dtype(), 0.5)), DType.INT64);
        // [N, T] → [N, T, 2] with [1 − p, p] on the last axis → [N, 2T]: target t in columns 2t, 2t + 1
        Value pairs = g.concat(2, List.of(g.unsqueeze(g.sub(g.scalar(p.dtype(), 1.0), p), 2), g.unsqueeze(p, 2)));
        Value blocks = g.reshape(pairs, new long[]{0, 2L * t}, p.shape().with(1,
                org.ml2tensor.compiler.onnx.Shape.Dim.of(2L * t)));
        HeadLowering.emit(ctx, new PredictorScores(blocks, ScoreTransform.IDENTITY, head, index));
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
