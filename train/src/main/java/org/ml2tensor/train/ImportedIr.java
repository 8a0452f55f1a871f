package org.ml2tensor.train;

import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.sklearn.SklearnImporter;
import org.ml2tensor.ir.Estimator;

/**
 * The IR of a trained estimator read back from its own scikit-learn pickle by the importer — for the models
 * whose IR the importers own (GaussianNB's quadratic form, BernoulliNB's binarising step, k-means' nearest
 * centre), so that {@code train} compiles exactly what {@code compile} makes of the same pickle.
 */
public final class ImportedIr {
    private ImportedIr() {
    }

    /** {@code estimator}'s pickle (as {@code version} writes it) through the scikit-learn importer. */
    public static Estimator of(IncrementalEstimator estimator, SklearnVersion version) {
        byte[] bytes = ModelOutput.pickle(estimator, version);
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, ImportOptions.defaults())) {
            return SklearnImporter.standard().load(bytes, "trained " + estimator.sklearnName()).estimator();
        }
    }
}
