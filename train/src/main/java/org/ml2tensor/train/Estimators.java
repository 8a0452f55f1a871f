package org.ml2tensor.train;

import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.sgd.SgdClassifier;
import org.ml2tensor.train.sgd.SgdParams;
import org.ml2tensor.train.sgd.SgdRegressor;

/** Creates an incremental estimator from its scikit-learn class name and constructor parameters. */
public final class Estimators {
    /** The class names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("SGDClassifier", "SGDRegressor", "Perceptron",
            "PassiveAggressiveClassifier", "PassiveAggressiveRegressor");

    private Estimators() {
    }

    /**
     * @param name     scikit-learn class name, e.g. {@code SGDClassifier}
     * @param settings constructor parameters ({@code loss=log_loss}, …); unknown names are errors
     * @param classes  all labels (classifiers; scikit-learn's {@code classes=}), null otherwise
     */
    public static IncrementalEstimator create(String name, Settings settings, SklearnVersion version, double[] classes) {
        IncrementalEstimator e = switch (name) {
            case "SGDClassifier", "Perceptron", "PassiveAggressiveClassifier" ->
                    new SgdClassifier(SgdParams.read(name, settings, version), classes);
            case "SGDRegressor", "PassiveAggressiveRegressor" -> new SgdRegressor(SgdParams.read(name, settings, version));
            default -> throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "cannot train '" + name + "' incrementally")
                    .hint("estimators: " + String.join(", ", NAMES)).build();
        };
        settings.requireAllUsed(name);
        return e;
    }

    /** Whether {@code name} needs {@code classes} before the first chunk. */
    public static boolean isClassifier(String name) {
        return name.endsWith("Classifier") || name.equals("Perceptron") || name.endsWith("NB");
    }
}
