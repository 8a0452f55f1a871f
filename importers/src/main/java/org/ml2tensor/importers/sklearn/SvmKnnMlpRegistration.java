package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

/** Registrations of the SVM, nearest-neighbour and MLP converters and the helper classes their pickles hold. */
final class SvmKnnMlpRegistration {
    private SvmKnnMlpRegistration() {
    }

    /** Helper classes in these pickles: KD/ball trees and distance metrics (k-NN), optimizers (MLP); never converted. */
    static final List<String> HELPERS = helpers();

    static void add(SklearnRegistry.Builder b) {
        String svm = "sklearn.svm:_classes,classes";
        b.add(new SvmConverter(SvmConverter.Kind.CLASSIFIER), svm, "SVC", "NuSVC");
        b.add(new SvmConverter(SvmConverter.Kind.REGRESSOR), svm, "SVR", "NuSVR");
        b.add(new SvmConverter(SvmConverter.Kind.ONE_CLASS), svm, "OneClassSVM");
        String mlp = "sklearn.neural_network:_multilayer_perceptron,multilayer_perceptron";
        b.add(new MlpConverter(true), mlp, "MLPClassifier");
        b.add(new MlpConverter(false), mlp, "MLPRegressor");
        b.add(new NeighborsConverter(true), "sklearn.neighbors:_classification,classification", "KNeighborsClassifier");
        b.add(new NeighborsConverter(false), "sklearn.neighbors:_regression,regression", "KNeighborsRegressor");
    }

    private static List<String> helpers() {
        List<String> h = new ArrayList<>();
        for (String tree : List.of("_kd_tree.KDTree", "_kd_tree.newObj", "_ball_tree.BallTree", "_ball_tree.newObj",
                "_kd_tree.KDTree64", "_ball_tree.BallTree64")) {
            h.add("sklearn.neighbors." + tree);
        }
        for (String m : List.of("EuclideanDistance", "ManhattanDistance", "ChebyshevDistance", "MinkowskiDistance")) {
            h.add("sklearn.metrics._dist_metrics." + m);
            h.add("sklearn.metrics._dist_metrics." + m + "64");
            h.add("sklearn.neighbors._dist_metrics." + m);
        }
        h.add("sklearn.metrics._dist_metrics.newObj");
        h.add("sklearn.neighbors._dist_metrics.newObj");
        h.add("sklearn.neural_network._stochastic_optimizers.AdamOptimizer");
        h.add("sklearn.neural_network._stochastic_optimizers.SGDOptimizer");
        return List.copyOf(h);
    }
}
