package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.runtime.Predictions;

/**
 * An ensemble that holds one {@link DecisionTree} instance twice (as a pickle that references one tree
 * object from two ensemble slots produces) is two trees: base 10 + leaf 1 + leaf 1 = 12 in every
 * strategy. The leaf tables once found trees by identity and folded the base score into both copies (22).
 */
class SharedTreeInstanceTest {
    @ParameterizedTest
    @EnumSource(value = TreeStrategy.class, names = {"GEMM", "TREE_TRAVERSAL", "PERFECT_TREE_TRAVERSAL", "NATIVE"})
    void oneInstanceTwiceCountsTwiceAndTheBaseOnce(TreeStrategy strategy) throws Exception {
        DecisionTree t = new DecisionTree(new int[]{0, 0, 0}, new double[]{0.5, 0, 0}, new int[]{1, -1, -1},
                new int[]{2, -1, -1}, new boolean[3], null, new double[]{0, 1, 1}, 1, 0);
        TreeEnsemble e = new TreeEnsemble(List.of(t, t), 1, 1, Comparison.LESS_OR_EQUAL, new double[]{10},
                ScoreTransform.IDENTITY, new Head.Regression(1));
        ModelIr ir = new ModelIr(e, 1, List.of(), SourceInfo.inCode("shared tree"));
        CompileOptions o = CompileOptions.defaults().withStrategy(strategy)
                .withTarget(strategy == TreeStrategy.NATIVE ? Target.CPU_NATIVE : Target.PORTABLE);
        if (strategy == TreeStrategy.NATIVE) {
            // A synthetic ensemble without float32 inputs compares in float64, which the native node cannot.
            o = o.withPrecision(Precision.FLOAT32);
        }
        double[][] rows = {{0.0}, {1.0}};
        double[][] ref = ReferenceEvaluator.evaluate(ir, rows, o.precision()).values();
        assertEquals(12.0, ref[0][0], 0.0);
        Predictions ort = FixtureRun.run(ir, o, rows);
        double[][] got = ort.values().toDoubleArrays();
        for (int r = 0; r < rows.length; r++) {
            assertEquals(12.0, got[r][0], 1e-6, strategy + " row " + r);
        }
    }
}
