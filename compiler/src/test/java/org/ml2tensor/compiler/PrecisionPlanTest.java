package org.ml2tensor.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.NodeProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;

/** Per-step types of {@code --precision auto}, the fast mode's report, and the scalers' operation order. */
class PrecisionPlanTest {

    static TreeEnsemble stump(boolean float32Inputs) {
        DecisionTree t = new DecisionTree(new int[]{1, 0, 0}, new double[]{1.1820000000000002, 0, 0},
                new int[]{1, -1, -1}, new int[]{2, -1, -1}, new boolean[3], null, new double[]{0, 1.5, -2}, 1, -1);
        return new TreeEnsemble(List.of(t), 3, 1, Comparison.LESS_OR_EQUAL, new double[]{0},
                ScoreTransform.IDENTITY, new Head.Regression(1), float32Inputs);
    }

    static ModelIr ir(org.ml2tensor.ir.Estimator e, String format) {
        return new ModelIr(e, 3, List.of(), new SourceInfo(format, "test", ""));
    }

    static ModelProto compile(ModelIr ir, Precision p) throws Exception {
        return ModelProto.parseFrom(ModelCompiler.compile(ir, CompileOptions.defaults()
                .withStrategy(TreeStrategy.TREE_TRAVERSAL).withPrecision(p)).onnx());
    }

    static int inputType(ModelProto m) {
        return m.getGraph().getInput(0).getType().getTensorType().getElemType();
    }

    static List<String> ops(ModelProto m) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    @Test
    void lightgbmLikeEnsembleComparesInFloat64ByDefault() throws Exception {
        ModelProto m = compile(ir(stump(false), "lightgbm"), Precision.AUTO);
        assertEquals(TensorProto.DataType.DOUBLE_VALUE, inputType(m));
        assertFalse(ops(m).contains("Cast") && castsTo(m, TensorProto.DataType.FLOAT_VALUE), ops(m).toString());
        assertFalse(metadata(m).containsKey(ModelContract.INEXACT_STEPS));
    }

    @Test
    void scikitLearnForestAloneTakesFloat32AndInAPipelineIsCastWhereScikitLearnCasts() throws Exception {
        ModelProto alone = compile(ir(stump(true), "sklearn"), Precision.AUTO);
        assertEquals(TensorProto.DataType.FLOAT_VALUE, inputType(alone));
        Transformer scaler = new Transformer.Affine(Transformer.Affine.Form.SUBTRACT_DIVIDE,
                new double[]{1, 2, 3}, new double[]{3, 7, 11});
        ModelProto piped = compile(ir(new Pipeline(List.of(scaler), stump(true)), "sklearn"), Precision.AUTO);
        assertEquals(TensorProto.DataType.DOUBLE_VALUE, inputType(piped));
        List<String> ops = ops(piped);
        // (x - mean) / scale in float64, then the Cast to float32 the forest's validation makes
        assertTrue(ops.indexOf("Sub") < ops.indexOf("Div") && ops.indexOf("Div") < ops.indexOf("Cast"), ops.toString());
        assertFalse(ops.subList(0, ops.indexOf("Cast")).contains("Mul"), "no reciprocal multiplication: " + ops);
        assertTrue(castsTo(piped, TensorProto.DataType.FLOAT_VALUE));
    }

    @Test
    void minMaxScalerIsMultiplyThenAdd() throws Exception {
        Transformer minMax = new Transformer.Affine(Transformer.Affine.Form.MULTIPLY_ADD,
                new double[]{-0.5, 0.25, 1}, new double[]{0.1, 0.2, 0.3});
        List<String> ops = ops(compile(ir(minMax, "sklearn"), Precision.AUTO));
        assertEquals(List.of("Mul", "Add"), ops.subList(0, 2), ops.toString());
    }

    @Test
    void fastModeNamesWhatItGivesUp() throws Exception {
        Transformer scaler = new Transformer.Affine(Transformer.Affine.Form.SUBTRACT_DIVIDE,
                new double[]{1, 2, 3}, new double[]{3, 7, 11});
        ModelIr ir = ir(new Pipeline(List.of(scaler), stump(false)), "sklearn");
        CompiledModel m = ModelCompiler.compile(ir, CompileOptions.defaults().withPrecision(Precision.FLOAT32));
        List<String> steps = m.report().inexactSteps();
        assertEquals(2, steps.size(), steps.toString());
        assertTrue(steps.get(0).startsWith("step 0 (scaler (x-offset)/scale)"), steps.get(0));
        assertTrue(steps.get(1).contains("HistGradientBoosting compares float64 features"), steps.get(1));
        assertTrue(m.metadata().get(ModelContract.INEXACT_STEPS).contains("step 1 (tree ensemble)"));
        assertEquals("float32", m.metadata().get(ModelContract.PRECISION));
        // the same model at the default precision: nothing to report, float64 input
        CompiledModel exact = ModelCompiler.compile(ir, CompileOptions.defaults());
        assertTrue(exact.report().inexactSteps().isEmpty());
        assertEquals("float64", exact.report().inputType());
        assertEquals("auto", exact.metadata().get(ModelContract.PRECISION));
        // a forest alone loses nothing in fast mode: scikit-learn compares in float32 itself
        assertTrue(ModelCompiler.compile(ir(stump(true), "sklearn"), CompileOptions.defaults()
                .withPrecision(Precision.FLOAT32)).report().inexactSteps().isEmpty());
    }

    private static boolean castsTo(ModelProto m, int type) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast"))
                .anyMatch(n -> n.getAttributeList().stream().anyMatch(a -> a.getName().equals("to") && a.getI() == type));
    }

    private static java.util.Map<String, String> metadata(ModelProto m) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        m.getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
