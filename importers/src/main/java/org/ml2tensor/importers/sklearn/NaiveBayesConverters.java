package org.ml2tensor.importers.sklearn;

import java.util.List;

import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.QuadraticModel;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.Transformer;

/**
 * The naive Bayes classifiers. Each computes scikit-learn's joint log-likelihood {@code jll} (one column per
 * class) and outputs {@code softmax(jll)} = {@code exp(jll − logsumexp(jll))}, its {@code predict_proba};
 * the label is the first arg-max of {@code jll}, its {@code predict}.
 */
final class NaiveBayesConverters {
    private NaiveBayesConverters() {
    }

    private static Head head(SklearnObject est, int k) {
        ClassLabels labels = ClassLabelReader.read(est, "classes_");
        if (labels.size() != k) {
            throw est.invalid("classes_", labels.size() + " classes for " + k + " log-likelihood rows");
        }
        return new Head.Classification(labels, true);
    }

    private static double[][] featureLogProb(SklearnObject est) {
        double[][] flp = est.matrix("feature_log_prob_", -1, -1, false);
        int f = TreeLeaves.featureCount(est, flp[0].length);
        if (flp[0].length != f) {
            throw est.invalid("feature_log_prob_", "expected " + f + " features, found " + flp[0].length);
        }
        return flp;
    }

    private static double[] classLogPrior(SklearnObject est, int k) {
        return est.doubles("class_log_prior_", k);
    }

    /** {@code MultinomialNB}: {@code jll = X · feature_log_prob_ᵀ + class_log_prior_}. */
    static final class Multinomial implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] flp = featureLogProb(est);
            return new LinearModel(flp, classLogPrior(est, flp.length), ScoreTransform.SOFTMAX, head(est, flp.length));
        }
    }

    /** {@code ComplementNB}: {@code jll = X · feature_log_prob_ᵀ} (the prior is added only for a single class). */
    static final class Complement implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] flp = featureLogProb(est);
            return new LinearModel(flp, new double[flp.length], ScoreTransform.SOFTMAX, head(est, flp.length));
        }
    }

    /**
     * {@code BernoulliNB}: {@code x > binarize} (unless None), then
     * {@code jll = X · (flp − neg)ᵀ + (class_log_prior_ + Σ neg)} with {@code neg = log(1 − exp(flp))}.
     */
    static final class Bernoulli implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] flp = featureLogProb(est);
            int k = flp.length;
            int f = flp[0].length;
            double[] prior = classLogPrior(est, k);
            double[][] w = new double[k][f];
            double[] b = new double[k];
            for (int c = 0; c < k; c++) {
                double negSum = 0;
                for (int j = 0; j < f; j++) {
                    double neg = Math.log(1 - Math.exp(flp[c][j]));
                    w[c][j] = flp[c][j] - neg;
                    negSum += neg;
                }
                b[c] = prior[c] + negSum;
            }
            LinearModel model = new LinearModel(w, b, ScoreTransform.SOFTMAX, head(est, k));
            if (!est.has("binarize")) {
                return model;
            }
            return new Pipeline(List.of(new Transformer.Binarize(f, est.number("binarize"))), model);
        }
    }

    /**
     * {@code GaussianNB}: {@code jll_k = log(class_prior_k) − ½ Σ_j log(2π var_kj) − ½ Σ_j (x_j − θ_kj)² / var_kj}
     * ({@code var_}, called {@code sigma_} before scikit-learn 1.0).
     */
    static final class Gaussian implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] theta = est.matrix("theta_", -1, -1, false);
            int k = theta.length;
            int f = theta[0].length;
            if (TreeLeaves.featureCount(est, f) != f) {
                throw est.invalid("theta_", "expected " + TreeLeaves.featureCount(est, f) + " features, found " + f);
            }
            String varName = est.has("var_") ? "var_" : "sigma_";
            double[][] var = est.matrix(varName, k, f, false);
            double[] prior = est.doubles("class_prior_", k);
            double[] offsets = new double[k];
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < f; j++) {
                    if (!(var[c][j] > 0)) {
                        throw est.invalid(varName, "variance " + var[c][j] + " of class " + c + ", feature " + j
                                + " is not positive");
                    }
                    s += Math.log(2.0 * Math.PI * var[c][j]);
                }
                offsets[c] = Math.log(prior[c]) + -0.5 * s;
            }
            return new QuadraticModel(theta, null, var, offsets, -0.5, ScoreTransform.SOFTMAX, head(est, k));
        }
    }

    /** Reads a list attribute of 1-D or 2-D arrays (QDA's {@code rotations_}/{@code scalings_}). */
    static double[][] arrayItem(SklearnObject est, String attr, PyValue v, int rows) {
        if (!(v instanceof org.ml2tensor.importers.pickle.NdArray a) || !a.dtype().isNumeric()) {
            throw est.invalid(attr, "expected a list of float64 arrays, found an item of type " + v.typeName());
        }
        double[] flat = est.within(attr, a::toDoubles);
        if (a.ndim() == 1) {
            return new double[][]{flat};
        }
        if (a.ndim() != 2 || a.dim(0) != rows) {
            throw est.invalid(attr, "expected float64[" + rows + ", n], found " + a.typeName());
        }
        int cols = a.dim(1);
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return out;
    }
}
