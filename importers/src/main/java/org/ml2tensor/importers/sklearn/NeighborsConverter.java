package org.ml2tensor.importers.sklearn;

import java.util.Optional;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyDict;
import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Neighbors;

/**
 * {@code KNeighborsClassifier} / {@code KNeighborsRegressor}: the training rows {@code _fit_X}, encoded targets
 * {@code _y}, {@code n_neighbors}, {@code weights} and {@code effective_metric_} (euclidean, manhattan, chebyshev,
 * minkowski with its {@code p}). Whatever {@code algorithm} was used at fit time, the graph computes brute force.
 */
final class NeighborsConverter implements SklearnConverter {
    private final boolean classifier;

    NeighborsConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        NdArray xa = est.array("_fit_X");
        if (xa.ndim() != 2 || xa.dim(0) == 0 || xa.dim(1) == 0) {
            throw est.invalid("_fit_X", "expected a non-empty 2-D array of training rows, found " + xa.typeName());
        }
        int n = xa.dim(0);
        int f = xa.dim(1);
        double[][] points = est.matrix("_fit_X", n, f, false);
        if (TreeLeaves.featureCount(est, f) != f) {
            throw est.invalid("_fit_X", "training rows have " + f + " features, the model " + TreeLeaves.featureCount(est, f));
        }
        String weights = est.get("weights") instanceof PyValue.PyStr s ? s.value() : "callable";
        if (!weights.equals("uniform") && !weights.equals("distance")) {
            throw est.unsupported("weights", "weights '" + weights + "' is not supported: a callable runs Python",
                    "use weights='uniform' or 'distance'");
        }
        String metricName = est.string("effective_metric_");
        double p = 2;
        Neighbors.Metric metric = switch (metricName) {
            case "euclidean", "l2" -> Neighbors.Metric.EUCLIDEAN;
            case "manhattan", "cityblock", "l1" -> Neighbors.Metric.MANHATTAN;
            case "chebyshev", "infinity" -> Neighbors.Metric.CHEBYSHEV;
            case "minkowski" -> Neighbors.Metric.MINKOWSKI;
            default -> throw est.unsupported("effective_metric_", "metric '" + metricName + "' is not supported",
                    "use euclidean, manhattan, chebyshev or minkowski");
        };
        Optional<PyValue> params = est.optional("effective_metric_params_");
        if (params.isPresent() && params.get() instanceof PyDict d) {
            if (d.get("w").filter(v -> !(v instanceof PyValue.PyNone)).isPresent()) {
                throw est.unsupported("effective_metric_params_", "weighted Minkowski distances (w) are not supported",
                        "fit without metric_params={'w': ...}");
            }
            for (String key : d.stringKeys()) {
                if (!key.equals("p") && !key.equals("w")) {
                    throw est.unsupported("effective_metric_params_", "metric parameter '" + key + "' is not supported",
                            "fit without metric_params");
                }
            }
            Optional<PyValue> pv = d.get("p");
            if (metric == Neighbors.Metric.MINKOWSKI) {
                p = pv.isPresent() ? est.numberOf("effective_metric_params_", pv.get()) : est.number("p");
            }
        } else if (metric == Neighbors.Metric.MINKOWSKI) {
            p = est.number("p");
        }
        if (metric == Neighbors.Metric.MINKOWSKI) {
            if (p == 1) {
                metric = Neighbors.Metric.MANHATTAN;
            } else if (p == 2) {
                metric = Neighbors.Metric.EUCLIDEAN;
            } else if (Double.isInfinite(p) && p > 0) {
                metric = Neighbors.Metric.CHEBYSHEV;
            } else if (!(p > 0)) {
                throw est.unsupported("p", "Minkowski p = " + p + " is not supported", "use p > 0");
            }
        }
        long k = est.integer("n_neighbors");
        if (k < 1 || k > n) {
            throw est.invalid("n_neighbors", "n_neighbors = " + k + " with " + n + " training rows");
        }
        if (est.bool("outputs_2d_", false)) {
            if (classifier) {
                throw est.unsupported("outputs_2d_", "multi-output k-NN classification is not supported",
                        "fit one classifier per output");
            }
        }
        NdArray ya = est.array("_y");
        if (ya.dim(0) != n || ya.ndim() > 2) {
            throw est.invalid("_y", "expected " + n + " targets, found " + ya.typeName());
        }
        boolean distance = weights.equals("distance");
        if (classifier) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            long[] y = est.within("_y", ya::toLongs);
            int[] classOf = new int[n];
            for (int i = 0; i < n; i++) {
                if (y[i] < 0 || y[i] >= labels.size()) {
                    throw est.invalid("_y", "class index " + y[i] + " out of range for " + labels.size() + " classes");
                }
                classOf[i] = (int) y[i];
            }
            return new Neighbors(points, metric, p, (int) k, distance, classOf, new double[0][],
                    new Head.Classification(labels, true));
        }
        int t = ya.ndim() == 1 ? 1 : ya.dim(1);
        double[] flat = est.within("_y", ya::toDoubles);
        double[][] targets = new double[n][t];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * t, targets[i], 0, t);
        }
        return new Neighbors(points, metric, p, (int) k, distance, new int[0], targets, new Head.Regression(t));
    }
}
