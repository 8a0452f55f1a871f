package org.ml2tensor.cli.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.runtime.*;

class StrategyTunerTest {

    private static ModelIr forest() {
        Random rnd = new Random(5);
        List<DecisionTree> trees = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            int n = 15;
            int[] f = new int[n];
            double[] th = new double[n];
            int[] l = new int[n];
            int[] r = new int[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                boolean leaf = 2 * i + 1 >= n;
                l[i] = leaf ? -1 : 2 * i + 1;
                r[i] = leaf ? -1 : 2 * i + 2;
                f[i] = rnd.nextInt(4);
                th[i] = rnd.nextGaussian();
                v[i] = rnd.nextGaussian();
            }
            trees.add(new DecisionTree(f, th, l, r, new boolean[n], null, v, 1, -1));
        }
        return new ModelIr(new TreeEnsemble(trees, 4, 1, Comparison.LESS_OR_EQUAL, new double[]{0.5},
                ScoreTransform.IDENTITY, new Head.Regression(1)), 4, List.of(), SourceInfo.inCode("forest"));
    }

    @Test
    void tunedTimesTheCandidatesAndRecordsWhy() {
        ModelIr ir = forest();
        CompileOptions options = CompileOptions.defaults().withStrategy(TreeStrategy.TUNED).withExpectedBatchSize(256);
        PredictorOptions cpu = PredictorOptions.builder().device(Device.CPU).build();
        CompiledModel tuned = StrategyTuner.tune(ir, options, cpu);
        String reason = tuned.metadata().get(ModelContract.STRATEGY_REASON);
        assertTrue(reason.startsWith("tuned at batch 256"), reason);
        for (String s : List.of("gemm=", "tree-traversal=", "perfect-tree-traversal=")) {
            assertTrue(reason.contains(s), reason);
        }
        String chosen = tuned.report().strategy();
        assertTrue(List.of("gemm", "tree-traversal", "perfect-tree-traversal").contains(chosen), chosen);
        // The tuned model computes exactly what the same strategy compiled directly computes.
        CompiledModel direct = ModelCompiler.compile(ir, options.withStrategy(TreeStrategy.fromCli(chosen)));
        float[][] rows = new float[50][4];
        Random rnd = new Random(1);
        for (float[] row : rows) {
            for (int c = 0; c < 4; c++) {
                row[c] = (float) rnd.nextGaussian();
            }
        }
        try (Predictor a = Predictor.open(tuned.onnx(), "tuned", cpu);
             Predictor b = Predictor.open(direct.onnx(), "direct", cpu)) {
            assertArrayEquals(b.predict(rows).values().column(0), a.predict(rows).values().column(0));
        }
        assertEquals(TreeStrategy.fromCli(chosen).cliName(), tuned.metadata().get(ModelContract.STRATEGY));
    }
}
