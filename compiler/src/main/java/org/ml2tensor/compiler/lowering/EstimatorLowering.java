package org.ml2tensor.compiler.lowering;

import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.EstimatorVisitor;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.InputSchema;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.tree.TreeEnsembleLowering;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;

/** Lowers an estimator applied to a frame of input columns and declares its graph outputs. */
public final class EstimatorLowering implements EstimatorVisitor<Void> {
    private final LoweringContext ctx;
    private final Frame x;

    private EstimatorLowering(LoweringContext ctx, Frame x) {
        this.ctx = ctx;
        this.x = x;
    }

    /**
     * Declares the graph inputs of {@code schema} (see {@link InputSchema}: {@code input} for the numeric
     * columns, {@code input_strings} for the string columns), lowers {@code estimator} over them and emits the
     * graph outputs.
     */
    public static void lower(LoweringContext ctx, Estimator estimator, InputSchema schema) {
        GraphBuilder g = ctx.graph();
        Value numbers = schema.numericCount() == 0 ? null
                : g.input(ModelContract.INPUT, ctx.real(), Shape.batch(schema.numericCount()));
        Value strings = schema.stringCount() == 0 ? null
                : g.input(ModelContract.INPUT_STRINGS, org.ml2tensor.compiler.onnx.DType.STRING,
                Shape.batch(schema.stringCount()));
        java.util.List<Frame.Ref> refs = new java.util.ArrayList<>();
        for (int i = 0; i < schema.width(); i++) {
            ColumnType t = schema.column(i).type();
            refs.add(new Frame.Ref(t.isNumeric() ? numbers : strings, schema.groupIndex(i), t));
        }
        estimator.accept(new EstimatorLowering(ctx, Frame.of(refs)));
    }

    /** Lowers {@code estimator} applied to the numeric tensor {@code x [N, F]} and emits the graph outputs. */
    public static void lower(LoweringContext ctx, Estimator estimator, Value x) {
        estimator.accept(new EstimatorLowering(ctx, Frame.of(x, ColumnType.FLOAT)));
    }

    /** Lowers {@code estimator} over the columns {@code x} (a meta-estimator's member or final estimator). */
    static void lowerOn(LoweringContext ctx, Estimator estimator, Frame x) {
        estimator.accept(new EstimatorLowering(ctx, x));
    }

    @Override
    public Void visitEnsemble(org.ml2tensor.ir.Ensemble e) {
        EnsembleLowering.lower(ctx, e, x);
        return null;
    }

    @Override
    public Void visitMultiTarget(org.ml2tensor.ir.MultiTarget m) {
        return MultiTargetLowering.lower(ctx, m, x);
    }

    @Override
    public Void visitPipeline(Pipeline p) {
        ctx.trace("Pipeline(" + (p.steps().size() + 1) + " steps)");
        ctx.enter();
        Frame v = x;
        for (Transformer t : p.steps()) {
            v = TransformerLowering.apply(ctx, t, v);
        }
        p.last().accept(new EstimatorLowering(ctx, v));
        ctx.leave();
        return null;
    }

    @Override
    public Void visitTransformer(Transformer t) {
        ctx.recordStrategy("transform", "feature transformer");
        Frame out = TransformerLowering.apply(ctx, t, x);
        if (!out.allNumeric()) {
            throw GraphChecks.defect("a transformer model must output numbers, not strings");
        }
        ctx.graph().output(ModelContract.VARIABLE, out.numeric(ctx.graph()));
        return null;
    }

    @Override
    public Void visitLinearModel(LinearModel m) {
        ctx.recordStrategy("linear", "linear model: MatMul + Add");
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        ctx.trace("LinearModel(" + m.inputWidth() + " → " + m.outputWidth() + ", " + m.transform() + "): MatMul + Add");
        HeadLowering.emit(ctx, LinearLowering.rawScores(ctx, m, x.numeric(ctx.graph())), m.transform(), m.head());
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return null;
    }

    @Override
    public Void visitTargetTransform(org.ml2tensor.ir.TargetTransform t) {
        // the regressor's scores are captured like a meta-estimator member's (whatever lowering it has), then go
        // through the inverse target transform and leave as this estimator's own regression scores
        ctx.trace("TargetTransform (TransformedTargetRegressor): the regressor, then the inverse target transform");
        ctx.enter();
        PredictorScores s = ctx.capture(() -> t.regressor().accept(this), endPredictor(t.regressor()));
        Value y = ScoreTransformLowering.apply(ctx, s.transform(), s.raw());
        ctx.trace("inverse target transform:");
        ctx.enter();
        Value inverse = TransformerLowering.apply(ctx, t.inverse(), Frame.of(y, ColumnType.FLOAT)).numeric(ctx.graph());
        ctx.leave();
        ctx.leave();
        HeadLowering.emit(ctx, inverse, ScoreTransform.IDENTITY, new Head.Regression(t.outputWidth()));
        return null;
    }

    @Override
    public Void visitLogProbabilities(org.ml2tensor.ir.LogProbabilities m) {
        // the classifier's scores are captured like a meta-estimator member's (whatever lowering it has); its label
        // leaves as it is and its probabilities leave as log_probabilities, computed as the estimator does
        ctx.trace("predict_log_proba (" + m.kind().name().toLowerCase(java.util.Locale.ROOT) + "):");
        ctx.enter();
        PredictorScores[] box = new PredictorScores[1];
        if (m.kind().bagged()) {
            ctx.withBaggedLog((org.ml2tensor.ir.Ensemble) m.predictor(), m.kind(),
                    () -> box[0] = ctx.capture(() -> m.classifier().accept(this), m.predictor()));
        } else {
            box[0] = ctx.capture(() -> m.classifier().accept(this), m.predictor());
        }
        PredictorScores s = box[0];
        if (m.labeller() != null) {
            // predict differs from the arg-max of the log-probabilities (NearestCentroid): the labeller's label
            org.ml2tensor.compiler.onnx.Value index = ctx.captureLabelIndex(() -> m.labeller().accept(this),
                    ((Head.Classification) s.head()).labels());
            s = new PredictorScores(s.raw(), s.transform(), s.head(), index, s.probabilitiesOnly());
        }
        ctx.leave();
        HeadLowering.emitLogProbabilities(ctx, s, m.kind());
        return null;
    }

    /** The predictor that ends {@code e}: a pipeline's last step, a target transform's regressor. */
    private static org.ml2tensor.ir.Predictor endPredictor(Estimator e) {
        if (e instanceof Pipeline p) {
            return endPredictor(p.last());
        }
        if (e instanceof org.ml2tensor.ir.TargetTransform t) {
            return endPredictor(t.regressor());
        }
        if (e instanceof org.ml2tensor.ir.Predictor p) {
            return p;
        }
        throw GraphChecks.defect("a target transform's regressor ends in a transformer");
    }

    @Override
    public Void visitKernelSvm(org.ml2tensor.ir.KernelSvm m) {
        return FamilyLowering.svm(ctx, m, x);
    }

    @Override
    public Void visitMlp(org.ml2tensor.ir.Mlp m) {
        return FamilyLowering.mlp(ctx, m, x);
    }

    @Override
    public Void visitNeighbors(org.ml2tensor.ir.Neighbors m) {
        return FamilyLowering.neighbors(ctx, m, x);
    }

    @Override
    public Void visitQuadraticModel(org.ml2tensor.ir.QuadraticModel m) {
        ctx.recordStrategy("quadratic", "per-class quadratic scores: Sub + Mul/MatMul + ReduceSum");
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        ctx.trace("QuadraticModel(" + m.inputWidth() + " → " + m.outputWidth() + ", " + m.transform() + ")");
        HeadLowering.emit(ctx, QuadraticLowering.rawScores(ctx, m, x.numeric(ctx.graph())), m.transform(), m.head());
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return null;
    }

    @Override
    public Void visitTreeEnsemble(TreeEnsemble e) {
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        TreeEnsembleLowering.Result r = TreeEnsembleLowering.lower(ctx, e, x.numeric(ctx.graph()));
        if (!r.outputsEmitted()) {
            HeadLowering.emit(ctx, r.rawScores(), e.transform(), e.head());
        }
        ctx.trace("TreeEnsemble(" + e.trees().size() + " trees, depth " + e.maxDepth() + ", " + e.inputWidth()
                + " → " + e.outputWidth() + "): " + ctx.strategy());
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return null;
    }
}
