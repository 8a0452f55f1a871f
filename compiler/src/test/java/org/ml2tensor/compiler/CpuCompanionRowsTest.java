package org.ml2tensor.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * Where small calls go: the CPU companion's row limit against the crossovers measured in BENCHMARKS.md
 * (small-batch section, 2026-12-01: single-threaded p50 of the native kernel and of the main graph at 1, 8 and 64 rows).
 */
class CpuCompanionRowsTest {

    /** A perfect tree of {@code depth} levels (BFS layout), one output. */
    static DecisionTree perfect(int depth, int seed) {
        int n = (1 << (depth + 1)) - 1;
        int[] f = new int[n];
        double[] th = new double[n];
        int[] l = new int[n];
        int[] r = new int[n];
        Arrays.fill(l, -1);
        Arrays.fill(r, -1);
        double[] v = new double[n];
        for (int i = 0; i < (1 << depth) - 1; i++) {
            f[i] = (i + seed) % 28;
            th[i] = 0.01 * ((i * 31 + seed) % 200) - 1;
            l[i] = 2 * i + 1;
            r[i] = 2 * i + 2;
        }
        for (int i = 0; i < n; i++) {
            v[i] = (i * 7 + seed) % 13 - 6;
        }
        return new DecisionTree(f, th, l, r, new boolean[n], null, v, 1, -1);
    }

    static TreeEnsemble ensemble(int trees, int depth) {
        List<DecisionTree> list = new ArrayList<>();
        for (int t = 0; t < trees; t++) {
            list.add(perfect(depth, t));
        }
        return new TreeEnsemble(list, 28, 1, Comparison.LESS_OR_EQUAL, new double[]{0}, ScoreTransform.IDENTITY,
                new Head.Regression(1));
    }

    @Test
    void smallShallowEnsemblesSendEverySmallCallToTheKernel() {
        // gb200_d4: 200 trees of depth 4 (6,200 nodes, cache-resident); at 64 rows the kernel took 103 us, the
        // 43-node graph 173 us: the kernel is cheaper per row, so every call up to MAX_ROWS goes to it
        assertEquals(CpuCompanion.MAX_ROWS, CpuCompanion.maxRows(ensemble(200, 4), 43));
    }

    @Test
    void largeEnsemblesKeepTheGraphAboveTheMeasuredCrossover() {
        // xgb_500x8: kernel 19 / 98 / 1,818 us at 1 / 8 / 64 rows, graph 96 / 193 / 1,117 us: crossover ~15 rows
        // (rf500_d8 ~13, gb500_d8 ~16); the first model, fitted to 1 and 64 rows only, said 7 and lost at 8
        int r500 = CpuCompanion.maxRows(ensemble(500, 8), 71);
        assertTrue(r500 >= 10 && r500 <= 20, "500 x 8: " + r500);
        // xgb_3000x6: kernel 87 / 1,048 us at 1 / 8 rows, graph 339 / 729 us: crossover ~4-5 rows; was 1 before
        int r3000 = CpuCompanion.maxRows(ensemble(3000, 6), 57);
        assertTrue(r3000 >= 3 && r3000 <= 8, "3000 x 6: " + r3000);
    }

    @Test
    void meanLeafDepthCountsEachLeafOnce() {
        assertEquals(3.0, CpuCompanion.meanLeafDepth(perfect(3, 0)), 0);
        // a chain: root -> (leaf, node) -> (leaf, leaf): leaves at depths 1, 2, 2
        int[] l = {1, -1, 3, -1, -1};
        int[] r = {2, -1, 4, -1, -1};
        DecisionTree chain = new DecisionTree(new int[5], new double[5], l, r, new boolean[5], null, new double[5], 1, -1);
        assertEquals(5.0 / 3, CpuCompanion.meanLeafDepth(chain), 1e-12);
    }
}
