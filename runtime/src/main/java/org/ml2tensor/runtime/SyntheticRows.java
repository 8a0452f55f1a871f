package org.ml2tensor.runtime;

import java.util.Random;

import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * Synthetic rows for timing (bench, tuning): for a tree model each feature is drawn uniformly over the span of that
 * feature's split thresholds (widened by 10%), so rows take varied paths through the trees; features no
 * split reads, and models without trees, get standard normal values. Seeded: every run sees the same rows.
 */
public final class SyntheticRows {
    private SyntheticRows() {
    }

    public static float[] generate(ModelIr ir, int rows, long seed) {
        int w = ir.featureCount();
        double[] lo = new double[w];
        double[] hi = new double[w];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        TreeEnsemble trees = trees(ir.estimator());
        if (trees != null && trees.inputWidth() == w) {
            for (DecisionTree t : trees.trees()) {
                for (int i = 0; i < t.nodeCount(); i++) {
                    double th = t.threshold()[i];
                    if (!t.isLeaf(i) && !t.isCategorical(i) && Double.isFinite(th)) {
                        int f = t.feature()[i];
                        lo[f] = Math.min(lo[f], th);
                        hi[f] = Math.max(hi[f], th);
                    } else if (!t.isLeaf(i) && t.isCategorical(i)) {
                        int f = t.feature()[i];
                        lo[f] = Math.min(lo[f], 0);
                        hi[f] = Math.max(hi[f], t.categorical()[i].tableSize());
                    }
                }
            }
        }
        Random rnd = new Random(seed);
        float[] out = new float[rows * w];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < w; f++) {
                double v;
                if (lo[f] <= hi[f]) {
                    double margin = 0.1 * Math.max(hi[f] - lo[f], 1e-6);
                    v = lo[f] - margin + rnd.nextDouble() * (hi[f] - lo[f] + 2 * margin);
                } else {
                    v = rnd.nextGaussian();
                }
                out[r * w + f] = (float) v;
            }
        }
        return out;
    }

    static TreeEnsemble trees(Estimator e) {
        if (e instanceof TreeEnsemble t) {
            return t;
        }
        return e instanceof Pipeline p && p.steps().isEmpty() ? trees(p.last()) : null;
    }
}
