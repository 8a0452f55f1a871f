package org.ml2tensor.compiler.lowering.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;

class TreeStrategiesTest {

    /** {@code trees} unbalanced trees (depth 5, 9 leaves) over 4 features with 3-wide vector leaves. */
    static ModelIr forest(int trees) {
        List<DecisionTree> list = new ArrayList<>();
        for (int t = 0; t < trees; t++) {
            // a chain of depth 5 down the left, a full subtree of depth 2 at the root's right: 17 nodes
            int n = 17;
            int[] f = new int[n];
            double[] th = new double[n];
            int[] l = new int[n];
            int[] r = new int[n];
            Arrays.fill(l, -1);
            Arrays.fill(r, -1);
            int[] internal = {0, 1, 3, 5, 7, 2, 11, 12};
            l[0] = 1; r[0] = 2; l[1] = 3; r[1] = 4; l[3] = 5; r[3] = 6; l[5] = 7; r[5] = 8; l[7] = 9; r[7] = 10;
            l[2] = 11; r[2] = 12; l[11] = 13; r[11] = 14; l[12] = 15; r[12] = 16;
            for (int i : internal) {
                f[i] = (i + t) % 4;
                th[i] = 0.1 * i - 0.5 + 0.01 * t;
            }
            double[] v = new double[n * 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i * 7 + t) % 11 - 5;
            }
            list.add(new DecisionTree(f, th, l, r, new boolean[n], null, v, 3, -1));
        }
        return new ModelIr(new TreeEnsemble(list, 4, 3, Comparison.LESS_OR_EQUAL, new double[]{0.5, 0, -0.5},
                ScoreTransform.IDENTITY, new Head.Regression(3)), 4, List.of(), SourceInfo.inCode("forest"));
    }

    @Test
    void everyConcreteStrategyHasExactlyOnePlugin() {
        List<TreeStrategy> all = TreeStrategies.all();
        assertEquals(all.size(), all.stream().distinct().count(), all.toString());
        for (TreeStrategy s : TreeStrategy.values()) {
            boolean meta = s == TreeStrategy.AUTO || s == TreeStrategy.TUNED;
            assertEquals(!meta, all.contains(s), s.cliName());
            if (!meta) {
                assertEquals(s, TreeStrategies.plugin(s).strategy());
                assertTrue(TreeStrategies.cliNames().contains(s.cliName()));
            }
        }
        assertFalse(TreeStrategies.portable().contains(TreeStrategy.NATIVE));
        assertFalse(TreeStrategies.candidates(CompileOptions.defaults()).contains(TreeStrategy.NATIVE));
        assertTrue(TreeStrategies.candidates(CompileOptions.defaults().withTarget(Target.CPU_NATIVE))
                .contains(TreeStrategy.NATIVE));
        // float64 comparisons: ai.onnx.ml 5's TreeEnsemble in float64
        assertTrue(TreeStrategies.candidates(CompileOptions.defaults().withTarget(Target.CPU_NATIVE)
                .withPrecision(Precision.FLOAT64)).contains(TreeStrategy.NATIVE));
    }

    /**
     * With the limit set to the largest table a plug-in declares, it compiles and no constant of its graph
     * is larger (so no emitted table escapes the declared list); one byte less and it is refused.
     */
    @Test
    void everyPortablePluginDeclaresEveryTableItEmits() throws Exception {
        ModelIr ir = forest(12);
        TreeEnsemble e = (TreeEnsemble) ir.estimator();
        for (Precision p : List.of(Precision.FLOAT32, Precision.FLOAT64)) {
            DType real = p == Precision.FLOAT64 ? DType.DOUBLE : DType.FLOAT;
            for (int batch : new int[]{1, 1000}) {
                for (TreeStrategy s : TreeStrategies.portable()) {
                    CompileOptions o = CompileOptions.defaults().withPrecision(p).withStrategy(s)
                            .withExpectedBatchSize(batch);
                    long largest = 0;
                    for (TreeLimits.Table t : TreeStrategies.plugin(s).tables(e, o, real)) {
                        largest = Math.max(largest, t.bytes());
                    }
                    long limit = largest;
                    String what = s.cliName() + " " + p.cliName() + " batch " + batch;
                    CompiledModel m = ModelCompiler.compile(ir, o.withMaxTensorBytes(largest));
                    ModelProto proto = ModelProto.parseFrom(m.onnx());
                    for (TensorProto init : proto.getGraph().getInitializerList()) {
                        long bytes = init.getRawData().size() + 4L * init.getFloatDataCount()
                                + 8L * init.getDoubleDataCount() + 4L * init.getInt32DataCount()
                                + 8L * init.getInt64DataCount();
                        assertTrue(bytes <= largest, what + ": " + init.getName() + " has " + bytes
                                + " bytes, more than any declared table (" + largest + ")");
                    }
                    assertEquals(TreeStrategies.bytesPerRow(s, e, o, real) > 0, true, what);
                    Ml2TensorException ex = assertThrows(Ml2TensorException.class,
                            () -> ModelCompiler.compile(ir, o.withMaxTensorBytes(limit - 1)), what);
                    assertEquals(ErrorCode.LIMIT_EXCEEDED, ex.code(), ex.getMessage());
                    assertNotNull(TreeStrategies.overLimit(s, e, o.withMaxTensorBytes(largest - 1), real));
                }
            }
        }
    }

    @Test
    void nativeIsRefusedWithItsPluginsReasonOutsideCpuNative() {
        Ml2TensorException ex = assertThrows(Ml2TensorException.class, () -> ModelCompiler.compile(forest(2),
                CompileOptions.defaults().withStrategy(TreeStrategy.NATIVE)));
        assertEquals(ErrorCode.INVALID_OPTION, ex.code());
        assertTrue(ex.getMessage().contains("not portable"), ex.getMessage());
    }
}
