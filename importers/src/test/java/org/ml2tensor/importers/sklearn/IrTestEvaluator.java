package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.IrEvaluator;

import org.ml2tensor.compiler.ir.DecisionTree;
import org.ml2tensor.compiler.ir.Estimator;
import org.ml2tensor.compiler.ir.Head;
import org.ml2tensor.compiler.ir.LinearModel;
import org.ml2tensor.compiler.ir.Pipeline;
import org.ml2tensor.compiler.ir.Transformer;
import org.ml2tensor.compiler.ir.TreeEnsemble;

/**
 * A deliberately plain evaluator of the IR for importer tests (the official reference evaluator lives in
 * conformance-tests). With {@code float32Trees} tree inputs are rounded to float32 first, as scikit-learn's
 * DecisionTree/forest/GradientBoosting/IsolationForest predict does.
 */
final class IrTestEvaluator {
    /** Raw scores before the transform and outputs after it. */
    record Scores(double[] raw, double[] transformed) {
    }

    private final boolean float32Trees;

    IrTestEvaluator(boolean float32Trees) {
        this.float32Trees = float32Trees;
    }

    /** Output of a transformer, or transformed scores of a predictor. */
    double[] output(Estimator e, double[] x) {
        return scores(e, x).transformed();
    }

    Scores scores(Estimator e, double[] x) {
        if (e instanceof Pipeline p) {
            double[] v = x;
            for (Transformer t : p.steps()) {
                v = transform(t, v);
            }
            return scores(p.last(), v);
        }
        if (e instanceof Transformer t) {
            double[] y = transform(t, x);
            return new Scores(y, y);
        }
        if (e instanceof LinearModel l) {
            double[] raw = new double[l.outputWidth()];
            for (int k = 0; k < raw.length; k++) {
                double s = l.intercepts()[k];
                for (int j = 0; j < x.length; j++) {
                    s += l.weights()[k][j] * x[j];
                }
                raw[k] = s;
            }
            return new Scores(raw, IrEvaluator.transform(l.transform(), raw));
        }
        TreeEnsemble t = (TreeEnsemble) e;
        double[] raw = t.baseScores().clone();
        double[] in = x;
        if (t.float32Inputs() && float32Trees) {
            in = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                in[i] = (float) x[i];
            }
        }
        for (DecisionTree tree : t.trees()) {
            int leaf = IrEvaluator.leaf(tree, t.comparison(), in);
            if (tree.target() >= 0) {
                raw[tree.target()] += tree.value(leaf, 0);
            } else {
                for (int k = 0; k < raw.length; k++) {
                    raw[k] += tree.value(leaf, k);
                }
            }
        }
        return new Scores(raw, IrEvaluator.transform(t.transform(), raw));
    }

    static double[] transform(Transformer t, double[] x) {
        if (t instanceof Transformer.Affine a) {
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = a.apply(i, x[i]);
            }
            return y;
        }
        if (t instanceof Transformer.Projection p) {
            return p.apply(x);
        }
        Transformer.Impute imp = (Transformer.Impute) t;
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i])) {
                y[i] = imp.fill()[i];
            }
        }
        return y;
    }

    /** The head of the estimator at the end of a pipeline. */
    static Head head(Estimator e) {
        if (e instanceof Pipeline p) {
            return head(p.last());
        }
        if (e instanceof LinearModel l) {
            return l.head();
        }
        if (e instanceof TreeEnsemble t) {
            return t.head();
        }
        return null;
    }
}
