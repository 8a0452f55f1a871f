package org.ml2tensor.compiler;

import java.util.Map;
import java.util.TreeMap;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Missing;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.EstimatorLowering;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.contract.JsonStrings;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.compiler.onnx.Opsets;
import org.ml2tensor.onnx.proto.OnnxMl.GraphProto;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.OperatorSetIdProto;
import org.ml2tensor.onnx.proto.OnnxMl.StringStringEntryProto;

/**
 * Compiles a {@link ModelIr} into an ONNX model: one graph input {@code input [N, F]}, the outputs of
 * {@link ModelContract}, and provenance in {@code metadata_props}.
 */
public final class ModelCompiler {
    private ModelCompiler() {
    }

    public static CompiledModel compile(ModelIr ir, CompileOptions options) {
        return compile(ir, options, null);
    }

    /**
     * Compiles with an explicit strategy reason (recorded in the metadata and report instead of the
     * selector's), used when the strategy was chosen outside the compiler, e.g. by timing.
     */
    public static CompiledModel compile(ModelIr ir, CompileOptions options, String strategyReason) {
        GraphBuilder g = new GraphBuilder("ml2tensor");
        PrecisionPlan plan = PrecisionPlan.of(ir, options.precision());
        LoweringContext ctx = new LoweringContext(g, options, plan);
        EstimatorLowering.lower(ctx, ir.estimator(), ir.schema());
        String reason = strategyReason != null ? strategyReason : ctx.strategyReason();
        GraphProto graph = g.build();

        Map<String, String> meta = new TreeMap<>();
        meta.put(ModelContract.TASK, task(ir.estimator()));
        meta.put(ModelContract.FEATURE_COUNT, Integer.toString(ir.featureCount()));
        if (!ir.featureNames().isEmpty()) {
            meta.put(ModelContract.FEATURE_NAMES, JsonStrings.array(ir.featureNames()));
        }
        if (ir.schema().types().stream().anyMatch(t -> t != ColumnType.FLOAT)) {
            meta.put(ModelContract.FEATURE_TYPES,
                    JsonStrings.array(ir.schema().types().stream().map(ColumnType::jsonName).toList()));
        }
        ClassLabels labels = labels(ir.estimator());
        if (labels != null) {
            meta.put(ModelContract.CLASS_LABELS, JsonStrings.array(labels.asText()));
            meta.put(ModelContract.CLASS_LABEL_TYPE, labels instanceof ClassLabels.Ints ? "int64" : "string");
        }
        if (finalStep(ir.estimator()) instanceof Predictor p && p.head() instanceof Head.MultiClassification m) {
            meta.put(ModelContract.TARGET_CLASS_LABELS, JsonStrings.arrays(m.targets().stream()
                    .map(ClassLabels::asText).toList()));
            meta.put(ModelContract.CLASS_LABEL_TYPE, m.stringLabels() ? "string" : "int64");
        }
        meta.put(ModelContract.ACCEPTS_MISSING, Boolean.toString(acceptsMissing(ir.estimator())));
        boolean[] missing = ir.estimator().missingInputs();
        if (!Missing.allTrue(missing) && !Missing.allTrue(invert(missing))) {
            java.util.List<String> cols = new java.util.ArrayList<>();
            for (int i = 0; i < missing.length; i++) {
                if (missing[i]) {
                    cols.add(ir.schema().column(i).name());
                }
            }
            meta.put(ModelContract.MISSING_COLUMNS, JsonStrings.array(cols));
        }
        meta.put(ModelContract.SOURCE_FORMAT, ir.source().format());
        meta.put(ModelContract.SOURCE_DESCRIPTION, ir.source().description());
        if (!ir.source().sha256().isEmpty()) {
            meta.put(ModelContract.SOURCE_SHA256, ir.source().sha256());
        }
        meta.put(ModelContract.COMPILER_VERSION, Version.get());
        meta.put(ModelContract.STRATEGY, ctx.strategy());
        meta.put(ModelContract.STRATEGY_REASON, reason);
        meta.put(ModelContract.PRECISION, options.precision().cliName());
        if (!plan.inexactSteps().isEmpty()) {
            meta.put(ModelContract.INEXACT_STEPS, JsonStrings.array(plan.inexactSteps()));
        }
        if (ctx.preferredRows() > 0) {
            meta.put(ModelContract.PREFERRED_ROWS_PER_RUN, Long.toString(ctx.preferredRows()));
        }
        if (ctx.maxRowsPerRun() > 0) {
            meta.put(ModelContract.MAX_ROWS_PER_RUN, Long.toString(ctx.maxRowsPerRun()));
        }
        CpuCompanion.addTo(meta, ir, options, plan, graph.getNodeCount(), graph.getSerializedSize());

        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(Opsets.irVersion(options.opset()))
                .setProducerName(ModelContract.PRODUCER)
                .setProducerVersion(Version.get())
                .setDomain("org.ml2tensor")
                .setModelVersion(1)
                .setDocString("Compiled by ml2tensor from " + ir.source().description())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(options.opset()));
        if (g.usesMlDomain()) {
            model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml")
                    .setVersion(g.usesTreeEnsembleV5() ? Opsets.ML_OPSET_TREE_ENSEMBLE
                            : Opsets.mlOpsetForTreeEnsembleRegressor(options.opset())));
        }
        model.setGraph(graph);
        meta.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        byte[] bytes = model.build().toByteArray();

        TreeEnsemble trees = firstTrees(ir.estimator());
        java.util.List<String> steps = ctx.traceLines();
        String summary = steps.isEmpty() ? "" : steps.get(0).replaceAll(" \\[\\d+ nodes]$", "").strip();
        CompileReport report = new CompileReport(summary, ctx.strategy(), reason,
                trees == null ? 0 : trees.trees().size(), trees == null ? 0 : trees.maxDepth(),
                trees == null ? 0 : trees.totalNodes(), graph.getNodeCount(), bytes.length,
                options.precision(), plan.input() == DType.FLOAT ? "float32" : "float64", plan.inexactSteps(), steps);
        return new CompiledModel(bytes, meta, report);
    }

    /** The estimator that produces the model's outputs: a pipeline's last step, else the estimator itself. */
    static Estimator finalStep(Estimator e) {
        if (e instanceof org.ml2tensor.ir.TargetTransform t) {
            return finalStep(t.regressor());
        }
        if (e instanceof org.ml2tensor.ir.LogProbabilities l) {
            return finalStep(l.classifier());
        }
        return e instanceof Pipeline p ? finalStep(p.last()) : e;
    }

    static String task(Estimator e) {
        if (!(finalStep(e) instanceof Predictor p)) {
            return "transform";
        }
        if (p.head() instanceof Head.Classification) {
            return "classification";
        }
        if (p.head() instanceof Head.MultiClassification) {
            return ModelContract.TASK_MULTI_CLASSIFICATION;
        }
        return p.head() instanceof Head.Outlier ? "outlier" : "regression";
    }

    static ClassLabels labels(Estimator e) {
        return finalStep(e) instanceof Predictor p && p.head() instanceof Head.Classification c ? c.labels() : null;
    }

    /**
     * Whether missing inputs are meaningful: trees route them, imputers fill them, encoders match them,
     * scalers pass them through to the next step; linear models and projections would spread them.
     */
    static boolean acceptsMissing(Estimator e) {
        return Missing.allTrue(e.missingInputs());
    }

    private static boolean[] invert(boolean[] v) {
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = !v[i];
        }
        return out;
    }

    static TreeEnsemble firstTrees(Estimator e) {
        return finalStep(e) instanceof TreeEnsemble t ? t : null;
    }
}
