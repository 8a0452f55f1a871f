package org.ml2tensor.importers;

import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * Reference evaluation of a {@link TreeEnsemble} by plain traversal, following the IR's documented
 * semantics (NaN → {@code missingGoesLeft}, {@link Comparison}, {@link CategoricalSplit#goesLeft},
 * {@code raw = baseScores + Σ leaves}, then the {@link ScoreTransform}). Test code only.
 */
public final class IrEvaluator {
    private IrEvaluator() {
    }

    /** Raw scores plus the sum of absolute terms per column (for summation-error bounds). */
    public record Raw(double[] scores, double[] absoluteTerms, int terms) {
    }

    public static Raw raw(TreeEnsemble e, double[] x) {
        int k = e.outputWidth();
        double[] raw = e.baseScores().clone();
        double[] abs = new double[k];
        for (int j = 0; j < k; j++) {
            abs[j] = Math.abs(raw[j]);
        }
        for (DecisionTree t : e.trees()) {
            int leaf = leaf(t, e.comparison(), x);
            if (t.target() >= 0) {
                raw[t.target()] += t.value(leaf, 0);
                abs[t.target()] += Math.abs(t.value(leaf, 0));
            } else {
                for (int j = 0; j < k; j++) {
                    raw[j] += t.value(leaf, j);
                    abs[j] += Math.abs(t.value(leaf, j));
                }
            }
        }
        return new Raw(raw, abs, e.trees().size() + 1);
    }

    public static int leaf(DecisionTree t, Comparison comparison, double[] x) {
        int node = 0;
        while (!t.isLeaf(node)) {
            double v = x[t.feature()[node]];
            boolean left;
            if (t.isCategorical(node)) {
                left = t.categorical()[node].goesLeft(v, t.missingGoesLeft()[node]);
            } else if (Double.isNaN(v)) {
                left = t.missingGoesLeft()[node];
            } else {
                left = comparison == Comparison.LESS ? v < t.threshold()[node] : v <= t.threshold()[node];
            }
            node = left ? t.left()[node] : t.right()[node];
        }
        return node;
    }

    public static double[] transform(ScoreTransform transform, double[] raw) {
        double[] out = new double[raw.length];
        switch (transform) {
            case IDENTITY:
                return raw.clone();
            case LOGISTIC:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = 1 / (1 + Math.exp(-raw[i]));
                }
                return out;
            case EXP:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.exp(raw[i]);
                }
                return out;
            case LOG1P_EXP:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.log1p(Math.exp(raw[i]));
                }
                return out;
            case SIGNED_SQUARE:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.signum(raw[i]) * raw[i] * raw[i];
                }
                return out;
            case SOFTMAX: {
                double max = Double.NEGATIVE_INFINITY;
                for (double r : raw) {
                    max = Math.max(max, r);
                }
                double sum = 0;
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.exp(raw[i] - max);
                    sum += out[i];
                }
                for (int i = 0; i < raw.length; i++) {
                    out[i] /= sum;
                }
                return out;
            }
            case LOGISTIC_2X:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = 1 / (1 + Math.exp(-2 * raw[i]));
                }
                return out;
            case LOGISTIC_NORMALIZED:
            case NORMALIZE: {
                double sum = 0;
                for (int i = 0; i < raw.length; i++) {
                    out[i] = transform == ScoreTransform.NORMALIZE ? raw[i] : 1 / (1 + Math.exp(-raw[i]));
                    sum += out[i];
                }
                for (int i = 0; i < raw.length; i++) {
                    out[i] /= sum;
                }
                return out;
            }
            case ISOLATION:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = -Math.pow(2, -raw[i]);
                }
                return out;
            case MODIFIED_HUBER: {
                double sum = 0;
                for (int i = 0; i < raw.length; i++) {
                    out[i] = (Math.min(Math.max(raw[i], -1), 1) + 1) / 2;
                    sum += out[i];
                }
                for (int i = 0; raw.length > 1 && i < raw.length; i++) {
                    out[i] = sum == 0 ? 1.0 / raw.length : out[i] / sum;
                }
                return out;
            }
            case SQRT_NEG:
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.sqrt(Math.max(-raw[i], 0));
                }
                return out;
            default:
                throw new IllegalArgumentException("unknown transform " + transform);
        }
    }

    /** Index of the first maximum (numpy argmax). */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
