package org.ml2tensor.compiler;

import java.util.Map;
import java.util.TreeMap;

import org.ml2tensor.compiler.ir.ClassLabels;
import org.ml2tensor.compiler.ir.Estimator;
import org.ml2tensor.compiler.ir.Head;
import org.ml2tensor.compiler.ir.LinearModel;
import org.ml2tensor.compiler.ir.ModelIr;
import org.ml2tensor.compiler.ir.Pipeline;
import org.ml2tensor.compiler.ir.Transformer;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.EstimatorLowering;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.JsonStrings;
import org.ml2tensor.compiler.onnx.ModelContract;
import org.ml2tensor.compiler.onnx.Opsets;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
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
        LoweringContext ctx = new LoweringContext(g, options);
        Value x = g.input(ModelContract.INPUT, options.precision().dtype(), Shape.batch(ir.featureCount()));
        if (ir.estimator().inputWidth() != ir.featureCount()) {
            throw new IllegalArgumentException("estimator reads " + ir.estimator().inputWidth()
                    + " features but the model declares " + ir.featureCount());
        }
        EstimatorLowering.lower(ctx, ir.estimator(), x);
        String reason = strategyReason != null ? strategyReason : ctx.strategyReason();
        GraphProto graph = g.build();

        Map<String, String> meta = new TreeMap<>();
        meta.put(ModelContract.TASK, task(ir.estimator()));
        meta.put(ModelContract.FEATURE_COUNT, Integer.toString(ir.featureCount()));
        if (!ir.featureNames().isEmpty()) {
            meta.put(ModelContract.FEATURE_NAMES, JsonStrings.array(ir.featureNames()));
        }
        ClassLabels labels = labels(ir.estimator());
        if (labels != null) {
            meta.put(ModelContract.CLASS_LABELS, JsonStrings.array(labels.asText()));
            meta.put(ModelContract.CLASS_LABEL_TYPE, labels instanceof ClassLabels.Ints ? "int64" : "string");
        }
        meta.put(ModelContract.ACCEPTS_MISSING, Boolean.toString(acceptsMissing(ir.estimator())));
        meta.put(ModelContract.SOURCE_FORMAT, ir.source().format());
        meta.put(ModelContract.SOURCE_DESCRIPTION, ir.source().description());
        if (!ir.source().sha256().isEmpty()) {
            meta.put(ModelContract.SOURCE_SHA256, ir.source().sha256());
        }
        meta.put(ModelContract.COMPILER_VERSION, Version.get());
        meta.put(ModelContract.STRATEGY, ctx.strategy());
        meta.put(ModelContract.STRATEGY_REASON, reason);
        meta.put(ModelContract.PRECISION, options.precision().cliName());
        if (ctx.preferredRows() > 0) {
            meta.put(ModelContract.PREFERRED_ROWS_PER_RUN, Long.toString(ctx.preferredRows()));
        }
        if (ctx.maxRowsPerRun() > 0) {
            meta.put(ModelContract.MAX_ROWS_PER_RUN, Long.toString(ctx.maxRowsPerRun()));
        }

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
                    .setVersion(Opsets.mlOpsetForTreeEnsembleRegressor(options.opset())));
        }
        model.setGraph(graph);
        meta.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        byte[] bytes = model.build().toByteArray();

        TreeEnsemble trees = firstTrees(ir.estimator());
        CompileReport report = new CompileReport(describe(ir.estimator()), ctx.strategy(), reason,
                trees == null ? 0 : trees.trees().size(), trees == null ? 0 : trees.maxDepth(),
                trees == null ? 0 : trees.totalNodes(), graph.getNodeCount(), bytes.length);
        return new CompiledModel(bytes, meta, report);
    }

    static String task(Estimator e) {
        if (e instanceof Pipeline p) {
            return task(p.last());
        }
        if (e instanceof Transformer) {
            return "transform";
        }
        Head head = e instanceof LinearModel m ? m.head() : ((TreeEnsemble) e).head();
        if (head instanceof Head.Classification) {
            return "classification";
        }
        return head instanceof Head.Outlier ? "outlier" : "regression";
    }

    static ClassLabels labels(Estimator e) {
        if (e instanceof Pipeline p) {
            return labels(p.last());
        }
        Head head = e instanceof LinearModel m ? m.head() : e instanceof TreeEnsemble t ? t.head() : null;
        return head instanceof Head.Classification c ? c.labels() : null;
    }

    /**
     * Whether NaN inputs are meaningful: trees route them (learned or default direction), imputers fill
     * them, scalers pass them through to the next step; linear models and projections would spread them.
     */
    static boolean acceptsMissing(Estimator e) {
        if (e instanceof TreeEnsemble || e instanceof Transformer.Impute || e instanceof Transformer.Affine) {
            return true;
        }
        if (e instanceof Pipeline p) {
            for (Transformer t : p.steps()) {
                if (t instanceof Transformer.Impute) {
                    return true;
                }
                if (!(t instanceof Transformer.Affine)) {
                    return false;
                }
            }
            return acceptsMissing(p.last());
        }
        return false;
    }

    static TreeEnsemble firstTrees(Estimator e) {
        if (e instanceof TreeEnsemble t) {
            return t;
        }
        return e instanceof Pipeline p ? firstTrees(p.last()) : null;
    }

    static String describe(Estimator e) {
        if (e instanceof Pipeline p) {
            StringBuilder sb = new StringBuilder("Pipeline(");
            for (Transformer t : p.steps()) {
                sb.append(t.getClass().getSimpleName()).append(", ");
            }
            return sb.append(describe(p.last())).append(')').toString();
        }
        if (e instanceof TreeEnsemble t) {
            return "TreeEnsemble(" + t.trees().size() + " trees, depth " + t.maxDepth() + ", " + t.outputWidth()
                    + " outputs)";
        }
        if (e instanceof LinearModel m) {
            return "LinearModel(" + m.outputWidth() + " outputs, " + m.transform() + ")";
        }
        return e.getClass().getSimpleName();
    }
}
