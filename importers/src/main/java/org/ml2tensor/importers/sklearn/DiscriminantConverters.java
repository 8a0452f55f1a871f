package org.ml2tensor.importers.sklearn;

import java.util.List;

import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.QuadraticModel;
import org.ml2tensor.ir.ScoreTransform;

/** Discriminant analysis and k-means: linear or quadratic scores per class (or per centre). */
final class DiscriminantConverters {
    private DiscriminantConverters() {
    }

    /**
     * {@code LinearDiscriminantAnalysis} as a classifier (any solver): {@code d = X · coef_ᵀ + intercept_};
     * binary {@code [1 − σ(d), σ(d)]}, multiclass {@code softmax(d)}.
     */
    static final class Lda implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            LinearParts p = LinearParts.read(est);
            p.requireInputs(est, TreeLeaves.featureCount(est, p.inputs()));
            int expected = labels.size() == 2 ? 1 : labels.size();
            if (p.outputs() != expected) {
                throw est.invalid("coef_", "expected " + expected + " coefficient rows for " + labels.size()
                        + " classes, found " + p.outputs());
            }
            return new LinearModel(p.weights(), p.intercepts(),
                    expected == 1 ? ScoreTransform.LOGISTIC : ScoreTransform.SOFTMAX,
                    new Head.Classification(labels, true));
        }
    }

    /**
     * {@code QuadraticDiscriminantAnalysis}: {@code score_k = −½ ‖(x − means_k) · rotations_k · scalings_k^-½‖²
     * − ½ Σ log scalings_k + log priors_k}, probabilities {@code softmax(score)}.
     */
    static final class Qda implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            int k = labels.size();
            double[][] means = est.matrix("means_", k, -1, false);
            int f = means[0].length;
            if (TreeLeaves.featureCount(est, f) != f) {
                throw est.invalid("means_", "expected " + TreeLeaves.featureCount(est, f) + " features, found " + f);
            }
            double[] priors = est.doubles("priors_", k);
            List<PyValue> rotations = est.items("rotations_");
            List<PyValue> scalings = est.items("scalings_");
            if (rotations.size() != k || scalings.size() != k) {
                throw est.invalid("rotations_", "expected " + k + " rotations and scalings, found " + rotations.size()
                        + " and " + scalings.size());
            }
            double[][][] projections = new double[k][][];
            double[] offsets = new double[k];
            for (int c = 0; c < k; c++) {
                double[][] r = NaiveBayesConverters.arrayItem(est, "rotations_", rotations.get(c), f);
                double[] s = NaiveBayesConverters.arrayItem(est, "scalings_", scalings.get(c), 1)[0];
                if (r[0].length != s.length) {
                    throw est.invalid("scalings_", "class " + c + " has " + s.length + " scalings for "
                            + r[0].length + " rotation columns");
                }
                double logSum = 0;
                double[][] p = new double[f][s.length];
                for (int j = 0; j < s.length; j++) {
                    if (!(s[j] > 0)) {
                        throw est.invalid("scalings_", "scaling " + s[j] + " of class " + c + " is not positive");
                    }
                    double inv = Math.pow(s[j], -0.5);
                    for (int i = 0; i < f; i++) {
                        p[i][j] = r[i][j] * inv;
                    }
                    logSum += Math.log(s[j]);
                }
                projections[c] = p;
                offsets[c] = -0.5 * logSum + Math.log(priors[c]);
            }
            return new QuadraticModel(means, projections, null, offsets, -0.5, ScoreTransform.SOFTMAX,
                    new Head.Classification(labels, true));
        }
    }

    /**
     * {@code KMeans} / {@code MiniBatchKMeans}: {@code label} is {@code predict} (the nearest of
     * {@code cluster_centers_}, the first on a tie) and the scores are {@code transform} (the Euclidean
     * distance to each centre).
     */
    static final class KMeans implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] centres = est.matrix("cluster_centers_", -1, -1, false);
            int f = centres[0].length;
            if (TreeLeaves.featureCount(est, f) != f) {
                throw est.invalid("cluster_centers_", "expected " + TreeLeaves.featureCount(est, f)
                        + " features, found " + f);
            }
            if (centres.length < 2) {
                throw est.unsupported("cluster_centers_", "a single cluster has no prediction to make",
                        "fit with n_clusters >= 2");
            }
            return new QuadraticModel(centres, null, null, new double[centres.length], -1.0, ScoreTransform.SQRT_NEG,
                    new Head.Classification(ClassLabels.range(centres.length), false));
        }
    }

    /** {@code RANSACRegressor}: predicts with its fitted {@code estimator_}. */
    static final class Ransac implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            return ctx.convert(est.child("estimator_"));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return List.of(est.child("estimator_"));
        }
    }
}
