package org.ml2tensor.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ml2tensor.compiler.ir.ClassLabels;
import org.ml2tensor.compiler.ir.DecisionTree;
import org.ml2tensor.compiler.ir.Comparison;
import org.ml2tensor.compiler.ir.Head;
import org.ml2tensor.compiler.ir.LinearModel;
import org.ml2tensor.compiler.ir.ModelIr;
import org.ml2tensor.compiler.ir.ScoreTransform;
import org.ml2tensor.compiler.ir.SourceInfo;
import org.ml2tensor.compiler.ir.TreeEnsemble;
import org.ml2tensor.compiler.onnx.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;

class CompilerTest {

    static ModelIr linear() {
        return new ModelIr(new LinearModel(new double[][]{{1, 2, 3}, {-1, 0.5, 0}}, new double[]{0.1, -0.2},
                ScoreTransform.SOFTMAX, new Head.Classification(new ClassLabels.Strings(List.of("a", "b")), true)),
                3, List.of("x", "y", "z"), new SourceInfo("ir", "test linear", "abc123"));
    }

    static ModelIr stump() {
        DecisionTree t = new DecisionTree(new int[]{1, 0, 0}, new double[]{0.5, 0, 0}, new int[]{1, -1, -1},
                new int[]{2, -1, -1}, new boolean[3], null, new double[]{0, 1.5, -2}, 1, -1);
        return new ModelIr(new TreeEnsemble(List.of(t), 3, 1, Comparison.LESS_OR_EQUAL, new double[]{0},
                ScoreTransform.IDENTITY, new Head.Regression(1)), 3, List.of(), SourceInfo.inCode("stump"));
    }

    @Test
    void compilingTwiceGivesIdenticalBytes() {
        for (ModelIr ir : List.of(linear(), stump())) {
            for (TreeStrategy s : List.of(TreeStrategy.AUTO, TreeStrategy.GEMM, TreeStrategy.TREE_TRAVERSAL,
                    TreeStrategy.PERFECT_TREE_TRAVERSAL)) {
                byte[] a = ModelCompiler.compile(ir, CompileOptions.defaults().withStrategy(s)).onnx();
                byte[] b = ModelCompiler.compile(ir, CompileOptions.defaults().withStrategy(s)).onnx();
                assertArrayEquals(a, b, "strategy " + s);
            }
        }
    }

    @Test
    void modelCarriesContractNamesOpsetAndMetadata() throws Exception {
        CompiledModel m = ModelCompiler.compile(linear(), CompileOptions.defaults());
        ModelProto p = ModelProto.parseFrom(m.onnx());
        assertEquals(8, p.getIrVersion());
        assertEquals(17, p.getOpsetImport(0).getVersion());
        assertEquals("", p.getOpsetImport(0).getDomain());
        assertEquals(ModelContract.INPUT, p.getGraph().getInput(0).getName());
        assertEquals(List.of("label", "probabilities"),
                p.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
        assertEquals("[\"a\",\"b\"]", m.metadata().get(ModelContract.CLASS_LABELS));
        assertEquals("[\"x\",\"y\",\"z\"]", m.metadata().get(ModelContract.FEATURE_NAMES));
        assertEquals("abc123", m.metadata().get(ModelContract.SOURCE_SHA256));
        assertEquals("linear", m.metadata().get(ModelContract.STRATEGY));
        assertTrue(p.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()),
                "portable output uses the default domain only");
        for (var n : p.getGraph().getNodeList()) {
            assertTrue(List.of("MatMul", "Add", "Softmax", "ArgMax", "Gather", "Identity").contains(n.getOpType()),
                    "unexpected op " + n.getOpType());
        }
    }

    @Test
    void nativeStrategyNeedsCpuNativeTarget() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> ModelCompiler.compile(stump(), CompileOptions.defaults().withStrategy(TreeStrategy.NATIVE)));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains("--target cpu-native"), e.getMessage());
    }

    @Test
    void unsupportedOpsetIsRefusedWithHint() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> CompileOptions.defaults().withOpset(9));
        assertTrue(e.getMessage().contains("between 13 and 21"), e.getMessage());
    }

    @Test
    void writeIsAtomicAndReplacesExistingFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.onnx");
        Files.writeString(out, "old");
        CompiledModel m = ModelCompiler.compile(stump(), CompileOptions.defaults());
        m.writeTo(out);
        assertArrayEquals(m.onnx(), Files.readAllBytes(out));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void float32ThresholdsRoundTowardTheLibraryDecision() {
        double t = 0.30000000000000004;
        float le = org.ml2tensor.compiler.lowering.tree.Thresholds.toFloat32(t, Comparison.LESS_OR_EQUAL);
        assertTrue(le <= t && Math.nextUp(le) > t);
        float lt = org.ml2tensor.compiler.lowering.tree.Thresholds.toFloat32(t, Comparison.LESS);
        assertTrue(lt >= t && Math.nextDown(lt) < t);
        assertEquals(Float.POSITIVE_INFINITY,
                org.ml2tensor.compiler.lowering.tree.Thresholds.toFloat32(Double.POSITIVE_INFINITY, Comparison.LESS_OR_EQUAL));
    }

    @Test
    void anEnsembleListingOneTreeMillionsOfTimesIsRefusedBeforeAnyTable() {
        ModelIr one = stump();
        TreeEnsemble e = (TreeEnsemble) one.estimator();
        List<DecisionTree> many = java.util.Collections.nCopies(2_000_000, e.trees().get(0));
        ModelIr ir = new ModelIr(new TreeEnsemble(many, 3, 1, Comparison.LESS_OR_EQUAL, new double[]{0},
                ScoreTransform.IDENTITY, new Head.Regression(1)), 3, List.of(), SourceInfo.inCode("many"));
        long t0 = System.nanoTime();
        Ml2TensorException ex = assertThrows(Ml2TensorException.class,
                () -> ModelCompiler.compile(ir, CompileOptions.defaults().withMaxTensorBytes(16L << 20)));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, ex.code(), ex.getMessage());
        assertTrue(ex.getMessage().contains("6000000 nodes in 2000000 trees"), ex.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "refused within seconds");
    }
}
