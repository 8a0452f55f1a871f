package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Neighbors;

/**
 * {@code NearestCentroid} with uniform class priors: {@code predict} = the class of the nearest of
 * {@code centroids_} (euclidean or manhattan; the first centroid on a tie), lowered as the 1-nearest neighbour
 * among the centroids. Outputs {@code label} only: scikit-learn 1.2 has no {@code predict_proba} or
 * {@code decision_function}, and 1.5+'s discriminant scores are not computed. Non-uniform {@code class_prior_}
 * (1.5+: predict by discriminant score) is refused.
 */
final class NearestCentroidConverter implements SklearnConverter {
    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        ClassLabels labels = ClassLabelReader.read(est, "classes_");
        int k = labels.size();
        int f = centroidWidth(est, k);
        if (TreeLeaves.featureCount(est, f) != f) {
            throw est.invalid("centroids_", "centroids have " + f + " features, the model " + TreeLeaves.featureCount(est, f));
        }
        double[][] centroids = est.matrix("centroids_", k, f, false);
        String metric = est.get("metric") instanceof org.ml2tensor.importers.pickle.PyValue.PyStr s ? s.value() : "callable";
        Neighbors.Metric m = switch (metric) {
            case "euclidean" -> Neighbors.Metric.EUCLIDEAN;
            case "manhattan" -> Neighbors.Metric.MANHATTAN;
            default -> throw est.unsupported("metric", "NearestCentroid metric '" + metric + "' is not supported",
                    "use metric='euclidean' or 'manhattan'");
        };
        if (est.has("class_prior_")) {
            for (double p : est.doubles("class_prior_", k)) {
                if (Math.abs(p - 1.0 / k) > 1e-8 + 1e-5 / k) { // numpy.isclose(class_prior_, 1/k)
                    throw est.unsupported("class_prior_", "NearestCentroid with non-uniform priors predicts by "
                            + "discriminant score, which is not supported", "fit with priors='uniform'");
                }
            }
        }
        int[] classOf = new int[k];
        for (int i = 0; i < k; i++) {
            classOf[i] = i;
        }
        return new Neighbors(centroids, m, 2, 1, false, classOf, new double[0][], new Head.Classification(labels, false));
    }

    /** Features of {@code centroids_}, checked to hold one non-empty row per class ({@code k}). */
    private static int centroidWidth(SklearnObject est, int k) {
        NdArray c = est.array("centroids_");
        if (c.ndim() != 2 || c.dim(0) != k || c.dim(1) == 0) {
            throw est.invalid("centroids_", "expected " + k + " centroids, found " + c.typeName());
        }
        return c.dim(1);
    }

    /**
     * {@code predict_log_proba} of a fitted euclidean NearestCentroid (scikit-learn 1.6+, the discriminant
     * mixin): the classifier whose raw scores are the discriminant scores
     * {@code −Σ_j ((x_j − c_kj) / s_j)² + 2 log(class_prior_k)} ({@code s = within_class_std_dev_}, a 0 left as
     * 1), under SOFTMAX, so that {@code LOG_SOFTMAX} gives {@code (s − max) − log Σ exp(s − max)}.
     * scikit-learn divides x and the centroid by {@code s} before subtracting; this divides the squared difference
     * by {@code s²} (equal up to rounding).
     */
    static org.ml2tensor.ir.QuadraticModel discriminant(SklearnObject est) {
        ClassLabels labels = ClassLabelReader.read(est, "classes_");
        int k = labels.size();
        int f = centroidWidth(est, k);
        double[][] centroids = est.matrix("centroids_", k, f, false);
        double[] std = est.doubles("within_class_std_dev_", f);
        double[] prior = est.doubles("class_prior_", k);
        double[][] divisors = new double[k][f];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < f; j++) {
                divisors[i][j] = std[j] != 0 ? std[j] * std[j] : 1.0;
            }
        }
        double[] offsets = new double[k];
        for (int i = 0; i < k; i++) {
            offsets[i] = 2.0 * Math.log(prior[i]);
        }
        return new org.ml2tensor.ir.QuadraticModel(centroids, null, divisors, offsets, -1.0,
                org.ml2tensor.ir.ScoreTransform.SOFTMAX, new Head.Classification(labels, true));
    }
}
