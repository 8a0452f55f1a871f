package org.ml2tensor.importers.sklearn;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ScoreTransform;

/** Converters of the linear-model family. */
final class LinearConverters {
    private LinearConverters() {
    }

    /**
     * {@code LogisticRegression}: binary → one margin column and LOGISTIC (LOGISTIC_2X for an explicit
     * binary multinomial); multiclass multinomial → SOFTMAX; one-vs-rest → LOGISTIC_NORMALIZED.
     */
    static final class LogisticRegressionConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            LinearParts p = LinearParts.read(est);
            p.requireInputs(est, TreeLeaves.featureCount(est, p.inputs()));
            String multiClass = est.optionalString("multi_class").orElse("auto");
            String solver = est.optionalString("solver").orElse("lbfgs");
            boolean ovr = multiClass.equals("ovr")
                    || ((multiClass.equals("auto") || multiClass.equals("deprecated") || multiClass.equals("warn"))
                    && solver.equals("liblinear") && est.has("multi_class"));
            int k = labels.size();
            if (k == 2) {
                if (p.outputs() != 1) {
                    throw est.invalid("coef_", "a binary model has " + p.outputs() + " coefficient rows");
                }
                ScoreTransform t = multiClass.equals("multinomial") ? ScoreTransform.LOGISTIC_2X : ScoreTransform.LOGISTIC;
                return new LinearModel(p.weights(), p.intercepts(), t, new Head.Classification(labels, true));
            }
            if (p.outputs() != k) {
                throw est.invalid("coef_", "expected " + k + " coefficient rows, found " + p.outputs());
            }
            return new LinearModel(p.weights(), p.intercepts(),
                    ovr ? ScoreTransform.LOGISTIC_NORMALIZED : ScoreTransform.SOFTMAX,
                    new Head.Classification(labels, true));
        }
    }

    /**
     * Linear classifiers without probabilities ({@code LinearSVC}, {@code RidgeClassifier},
     * {@code SGDClassifier}): decision values only; binary models have one margin column.
     */
    static final class DecisionOnlyClassifierConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = est.has("classes_") ? ClassLabelReader.read(est, "classes_")
                    : ClassLabelReader.read(est.child("_label_binarizer"), "classes_");
            LinearParts p = LinearParts.read(est);
            p.requireInputs(est, TreeLeaves.featureCount(est, p.inputs()));
            int expected = labels.size() == 2 ? 1 : labels.size();
            if (p.outputs() != expected) {
                throw est.invalid("coef_", "expected " + expected + " coefficient rows for " + labels.size()
                        + " classes, found " + p.outputs());
            }
            return new LinearModel(p.weights(), p.intercepts(), ScoreTransform.IDENTITY,
                    new Head.Classification(labels, false));
        }
    }

    /**
     * Linear regressors ({@code LinearRegression}, {@code Ridge}, {@code Lasso}, {@code ElasticNet},
     * {@code LinearSVR}, {@code SGDRegressor}), single or multi-target.
     */
    static final class LinearRegressorConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            LinearParts p = LinearParts.read(est);
            p.requireInputs(est, TreeLeaves.featureCount(est, p.inputs()));
            return new LinearModel(p.weights(), p.intercepts(), ScoreTransform.IDENTITY,
                    new Head.Regression(p.outputs()));
        }
    }

    /**
     * Generalised linear models ({@code PoissonRegressor}, {@code GammaRegressor},
     * {@code TweedieRegressor}): log link → EXP, identity link → IDENTITY.
     */
    static final class GeneralizedLinearConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            LinearParts p = LinearParts.read(est);
            p.requireInputs(est, TreeLeaves.featureCount(est, p.inputs()));
            if (p.outputs() != 1) {
                throw est.invalid("coef_", "expected one coefficient row, found " + p.outputs());
            }
            return new LinearModel(p.weights(), p.intercepts(), logLink(est) ? ScoreTransform.EXP : ScoreTransform.IDENTITY,
                    new Head.Regression(1));
        }

        private static boolean logLink(SklearnObject est) {
            if (!est.simpleName().equals("TweedieRegressor")) {
                return true;
            }
            String link = est.optionalString("link").orElse("auto");
            return switch (link) {
                case "log" -> true;
                case "identity" -> false;
                case "auto" -> est.number("power") > 0;
                default -> throw est.unsupported("link", "TweedieRegressor link '" + link + "' is not supported",
                        "use link='log' or 'identity'");
            };
        }
    }
}
