package org.ml2tensor.train;

import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.nb.DiscreteNb;
import org.ml2tensor.train.nb.GaussianNb;
import org.ml2tensor.train.preprocessing.ScaledPipeline;
import org.ml2tensor.train.preprocessing.Scaler;
import org.ml2tensor.train.sgd.SgdClassifier;
import org.ml2tensor.train.sgd.SgdParams;
import org.ml2tensor.train.sgd.SgdRegressor;

/** Creates an incremental estimator from its scikit-learn class name and constructor parameters. */
public final class Estimators {
    /** The class names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("SGDClassifier", "SGDRegressor", "Perceptron",
            "PassiveAggressiveClassifier", "PassiveAggressiveRegressor", "StandardScaler", "MinMaxScaler", "MaxAbsScaler",
            "MultinomialNB", "ComplementNB", "BernoulliNB", "GaussianNB", "CategoricalNB", "MiniBatchKMeans", "IncrementalPCA", "StandardScaler+<estimator>", "MinMaxScaler+<estimator>", "MaxAbsScaler+<estimator>");

    private Estimators() {
    }

    /**
     * @param name     scikit-learn class name, e.g. {@code SGDClassifier}
     * @param settings constructor parameters ({@code loss=log_loss}, …); unknown names are errors
     * @param classes  all labels (classifiers; scikit-learn's {@code classes=}), null otherwise
     */
    public static IncrementalEstimator create(String name, Settings settings, SklearnVersion version, double[] classes) {
        int plus = name.indexOf('+');
        if (plus > 0) {
            String first = name.substring(0, plus);
            Scaler.Kind kind = scalerKind(first);
            if (kind == null) {
                throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "a pipeline starts with a scaler, not '" + first + "'")
                        .hint("e.g. StandardScaler+SGDClassifier").build();
            }
            // Parameters are those of the final estimator; the scaler keeps its defaults.
            return new ScaledPipeline(new Scaler(kind, Settings.empty(), version),
                    create(name.substring(plus + 1), settings, version, classes));
        }
        Scaler.Kind kind = scalerKind(name);
        if (kind != null) {
            Scaler s = new Scaler(kind, settings, version);
            settings.requireAllUsed(name);
            return s;
        }
        IncrementalEstimator e = switch (name) {
            case "SGDClassifier", "Perceptron", "PassiveAggressiveClassifier" ->
                    new SgdClassifier(SgdParams.read(name, settings, version), classes);
            case "SGDRegressor", "PassiveAggressiveRegressor" -> new SgdRegressor(SgdParams.read(name, settings, version));
            case "MultinomialNB" -> new DiscreteNb(DiscreteNb.Kind.MULTINOMIAL, settings, version, classes);
            case "ComplementNB" -> new DiscreteNb(DiscreteNb.Kind.COMPLEMENT, settings, version, classes);
            case "BernoulliNB" -> new DiscreteNb(DiscreteNb.Kind.BERNOULLI, settings, version, classes);
            case "GaussianNB" -> new GaussianNb(settings, classes);
            case "CategoricalNB" -> new org.ml2tensor.train.nb.CategoricalNb(settings, version, classes);
            case "MiniBatchKMeans" -> new org.ml2tensor.train.cluster.MiniBatchKMeans(settings, version);
            case "IncrementalPCA" -> new org.ml2tensor.train.decomposition.IncrementalPca(settings, version);
            default -> throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "cannot train '" + name + "' incrementally")
                    .hint("estimators: " + String.join(", ", NAMES)).build();
        };
        settings.requireAllUsed(name);
        return e;
    }

    private static Scaler.Kind scalerKind(String name) {
        return switch (name) {
            case "StandardScaler" -> Scaler.Kind.STANDARD;
            case "MinMaxScaler" -> Scaler.Kind.MINMAX;
            case "MaxAbsScaler" -> Scaler.Kind.MAXABS;
            default -> null;
        };
    }

    /** Whether {@code name} needs {@code classes} before the first chunk. */
    public static boolean isClassifier(String name) {
        if (name.contains("+")) {
            return isClassifier(name.substring(name.indexOf('+') + 1));
        }
        return name.endsWith("Classifier") || name.equals("Perceptron") || name.endsWith("NB");
    }
}
