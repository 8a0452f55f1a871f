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

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.contract.ModelContract;
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

    /** {@code trees} complete trees of depth 6 with 10-wide vector leaves (multi-output regression). */
    static ModelIr wideLeaves(int trees) {
        int n = 127;
        java.util.List<DecisionTree> list = new java.util.ArrayList<>();
        for (int t = 0; t < trees; t++) {
            int[] f = new int[n];
            double[] th = new double[n];
            int[] l = new int[n];
            int[] r = new int[n];
            double[] v = new double[n * 10];
            for (int i = 0; i < n; i++) {
                boolean leaf = 2 * i + 1 >= n;
                l[i] = leaf ? -1 : 2 * i + 1;
                r[i] = leaf ? -1 : 2 * i + 2;
                f[i] = i % 3;
                th[i] = i * 0.01;
                for (int k = 0; k < 10; k++) {
                    v[i * 10 + k] = t + i + k;
                }
            }
            list.add(new DecisionTree(f, th, l, r, new boolean[n], null, v, 10, -1));
        }
        return new ModelIr(new TreeEnsemble(list, 3, 10, Comparison.LESS_OR_EQUAL, new double[10],
                ScoreTransform.IDENTITY, new Head.Regression(10)), 3, List.of(), SourceInfo.inCode("wide leaves"));
    }

    @Test
    void everyTableOfEveryStrategyCountsAgainstTheTensorLimit() {
        // 400 trees × 127 nodes: the float64 node tables (406 KB) fit in 1 MiB, the leaf-value table
        // (400 × 127 × 10 × 8 = 4 MB) does not; it used to be left out of the count.
        ModelIr ir = wideLeaves(400);
        CompileOptions o = CompileOptions.defaults().withPrecision(Precision.FLOAT64).withMaxTensorBytes(1 << 20);
        for (TreeStrategy s : List.of(TreeStrategy.TREE_TRAVERSAL, TreeStrategy.PERFECT_TREE_TRAVERSAL, TreeStrategy.GEMM)) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelCompiler.compile(ir, o.withStrategy(s)),
                    s.cliName());
            assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
        }
        Ml2TensorException tt = assertThrows(Ml2TensorException.class,
                () -> ModelCompiler.compile(ir, o.withStrategy(TreeStrategy.TREE_TRAVERSAL)));
        assertTrue(tt.getMessage().contains("leaf value"), tt.getMessage());
        Ml2TensorException nat = assertThrows(Ml2TensorException.class, () -> ModelCompiler.compile(ir,
                CompileOptions.defaults().withStrategy(TreeStrategy.NATIVE).withTarget(Target.CPU_NATIVE)
                        .withPrecision(Precision.FLOAT32).withMaxTensorBytes(64 << 10)));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, nat.code(), nat.getMessage());
        // Within the limit it compiles.
        ModelCompiler.compile(ir, o.withStrategy(TreeStrategy.TREE_TRAVERSAL).withMaxTensorBytes(8 << 20));
    }

    @Test
    void aNonPositiveTensorLimitIsAnInvalidOption() {
        for (long bad : new long[]{-1, 0}) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> CompileOptions.defaults().withMaxTensorBytes(bad));
            assertEquals(ErrorCode.INVALID_OPTION, e.code());
            assertEquals("--max-tensor-bytes", e.context());
        }
    }

    @Test
    void mlOpsetsFollowOnnxReleasesAndNativeTreesStayOnAiOnnxMl4() throws Exception {
        int[] released = {2, 2, 2, 3, 3, 3, 3, 4, 5}; // opsets 13..21, onnx.helper.VERSION_TABLE
        for (int opset = 13; opset <= 21; opset++) {
            assertEquals(released[opset - 13], org.ml2tensor.compiler.onnx.Opsets.mlOpset(opset), "opset " + opset);
        }
        CompiledModel m = ModelCompiler.compile(stump(), CompileOptions.defaults().withOpset(21)
                .withTarget(Target.CPU_NATIVE).withStrategy(TreeStrategy.NATIVE).withPrecision(Precision.FLOAT32));
        ModelProto p = ModelProto.parseFrom(m.onnx());
        assertEquals(10, p.getIrVersion());
        assertEquals(4, p.getOpsetImportList().stream().filter(o -> o.getDomain().equals("ai.onnx.ml"))
                .findFirst().orElseThrow().getVersion());
    }

    @Test
    void errorMessagesEscapeControlCharacters() {
        Ml2TensorException e = Ml2TensorException.of(ErrorCode.INVALID_MODEL, "class '\u001b[2J\nerror: forged\u0000'")
                .at("m.pkl › classes_").hint("fix\r\u202e").build();
        String m = e.getMessage();
        assertEquals("m.pkl › classes_: class '\\x1b[2J\\nerror: forged\\0' (hint: fix\\r\\u202e)", m);
        assertEquals("plain › text", org.ml2tensor.error.Printable.escape("plain › text"));
    }
}
