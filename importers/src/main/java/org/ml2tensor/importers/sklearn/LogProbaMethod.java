package org.ml2tensor.importers.sklearn;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LogProbabilities;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Predictor;

/**
 * The model's {@code predict_log_proba} (compile with method {@code predict_log_proba}): which estimators have
 * one in scikit-learn and how each computes it (checked in the sources of 1.2.1, 1.6.1 and 1.9.1):
 * <ul>
 *   <li>the naive Bayes family: {@code jll − logsumexp(jll)} of the joint log-likelihood (all versions);</li>
 *   <li>QuadraticDiscriminantAnalysis: {@code log(predict_proba)} before 1.6 (1.2.1 checked); from 1.6 the
 *       discriminant mixin's {@code (s − max) − log Σ exp(s − max)} (scikit-learn PR #26689, merged for 1.6;
 *       1.6.1 and 1.9.1 checked);</li>
 *   <li>LinearDiscriminantAnalysis: {@code log(predict_proba)} with a probability of 0 raised to the smallest
 *       normal number first (all versions);</li>
 *   <li>LogisticRegression(CV), SGDClassifier (log_loss, modified_huber), SVC/NuSVC (probability=True),
 *       MLPClassifier, decision trees, forests, GradientBoostingClassifier, AdaBoostClassifier:
 *       {@code log(predict_proba)}, {@code -inf} where a probability is 0;</li>
 *   <li>BaggingClassifier: {@code logaddexp} of its members' {@code predict_log_proba} minus {@code log(n)} when
 *       the base estimator has one, else {@code log(predict_proba)} — both equal {@code log} of the mean
 *       probability when each member's log-probability is {@code log(predict_proba)} (compiled so); a base with
 *       its own rule (naive Bayes, QDA from 1.6: log-softmax; LDA: floored log) is compiled as scikit-learn
 *       computes it: each member's log-probabilities, folded with {@code logaddexp} in member order, minus
 *       {@code log(n)} ({@code BAGGED_LOG_SOFTMAX}, {@code BAGGED_LOG_FLOORED});</li>
 *   <li>NearestCentroid (1.6+, euclidean): the discriminant mixin's log-softmax of
 *       {@code −‖(x − c_k) / s‖² + 2 log prior_k}; the label stays {@code predict}; refused before 1.6, where the
 *       method does not exist;</li>
 *   <li>Pipeline: its final step's.</li>
 * </ul>
 * Every other estimator (k-NN, RidgeClassifier, HistGradientBoostingClassifier, voting, stacking, calibration,
 * one-vs-rest/one-vs-one, the XGBoost and LightGBM wrappers, regressors, transformers) has no
 * {@code predict_log_proba} and is refused by name.
 */
final class LogProbaMethod {
    private static final Set<String> NAIVE_BAYES = Set.of("GaussianNB", "MultinomialNB", "ComplementNB",
            "BernoulliNB", "CategoricalNB");
    private static final Set<String> LOG_OF_PROBA = Set.of("LogisticRegression", "LogisticRegressionCV",
            "SGDClassifier", "SVC", "NuSVC", "MLPClassifier", "DecisionTreeClassifier", "ExtraTreeClassifier",
            "RandomForestClassifier", "ExtraTreesClassifier", "GradientBoostingClassifier", "AdaBoostClassifier");
    private static final String HINT = "compile it without --method predict_log_proba and take the log of"
            + " 'probabilities' where it has them";

    private LogProbaMethod() {
    }

    /** Converts {@code root} and wraps it as its {@code predict_log_proba}; refuses an estimator without one. */
    static LogProbabilities of(SklearnObject root, ConversionContext ctx) {
        SklearnObject end = finalStep(root);
        if (end.simpleName().equals("NearestCentroid")) {
            return nearestCentroid(root, end, ctx);
        }
        LogProbabilities.Kind kind = kindOf(end).orElseThrow(() -> refusal(end,
                end.simpleName() + " has no predict_log_proba method"));
        Estimator e = ctx.convert(root);
        Estimator last = e;
        while (last instanceof Pipeline p) {
            last = p.last();
        }
        if (!(last instanceof Predictor p) || !(p.head() instanceof Head.Classification c)) {
            String what = last instanceof Predictor p && p.head() instanceof Head.MultiClassification
                    ? "a multi-output classifier (its predict_log_proba is a list per target)" : "not a classifier";
            throw refusal(end, end.simpleName() + " is " + what + ": predict_log_proba is not supported");
        }
        if (!c.probabilities()) {
            throw refusal(end, end.simpleName() + " has no predict_log_proba method here: it has no predict_proba"
                    + " (SVC/NuSVC need probability=True, SGDClassifier loss='log_loss' or 'modified_huber')");
        }
        return new LogProbabilities(e, kind);
    }

    /**
     * NearestCentroid's {@code predict_log_proba} (scikit-learn 1.6+, euclidean metric only): the log-softmax of
     * the discriminant scores; the label stays {@code predict} (the nearest centroid with uniform priors, the
     * converter's lowering), so the labeller is the model converted for {@code predict}.
     */
    private static LogProbabilities nearestCentroid(SklearnObject root, SklearnObject end, ConversionContext ctx) {
        String version = end.sklearnVersion().orElse("1.9");
        if (!TransformerConverters.atLeast(version, 1, 6)) {
            throw refusal(end, "NearestCentroid has no predict_log_proba method in scikit-learn " + version
                    + " (it has one from 1.6)");
        }
        String metric = end.optionalString("metric").orElse("callable");
        if (!metric.equals("euclidean")) {
            throw refusal(end, "NearestCentroid has no predict_log_proba method here: scikit-learn offers it only"
                    + " with metric='euclidean', not '" + metric + "'");
        }
        Estimator labeller = ctx.convert(root);
        Estimator scores = NearestCentroidConverter.discriminant(end);
        return new LogProbabilities(replaceLast(labeller, scores), LogProbabilities.Kind.LOG_SOFTMAX, labeller);
    }

    private static Estimator replaceLast(Estimator e, Estimator last) {
        if (e instanceof Pipeline p) {
            return new Pipeline(p.steps(), replaceLast(p.last(), last));
        }
        return last;
    }

    /** The last estimator of a pipeline (nested pipelines followed), or {@code est} itself. */
    private static SklearnObject finalStep(SklearnObject est) {
        SklearnObject x = est;
        for (int depth = 0; depth < 16 && x.simpleName().equals("Pipeline"); depth++) {
            List<SklearnObject> present = PipelineConverter.steps(x).stream()
                    .map(PipelineConverter.Step::estimator).filter(s -> s != null).toList();
            if (present.isEmpty()) {
                return x;
            }
            x = present.get(present.size() - 1);
        }
        return x;
    }

    /** How {@code est} computes its {@code predict_log_proba}; empty when it has none. */
    static Optional<LogProbabilities.Kind> kindOf(SklearnObject est) {
        String name = est.simpleName();
        if (name.equals("Pipeline")) {
            SklearnObject end = finalStep(est);
            return end == est ? Optional.empty() : kindOf(end);
        }
        if (NAIVE_BAYES.contains(name)) {
            return Optional.of(LogProbabilities.Kind.LOG_SOFTMAX);
        }
        if (name.equals("QuadraticDiscriminantAnalysis")) {
            boolean mixin = TransformerConverters.atLeast(est.sklearnVersion().orElse("1.9"), 1, 6);
            return Optional.of(mixin ? LogProbabilities.Kind.LOG_SOFTMAX : LogProbabilities.Kind.LOG);
        }
        if (name.equals("LinearDiscriminantAnalysis")) {
            return Optional.of(LogProbabilities.Kind.LOG_FLOORED);
        }
        if (LOG_OF_PROBA.contains(name)) {
            return Optional.of(LogProbabilities.Kind.LOG);
        }
        if (name.equals("BaggingClassifier")) {
            List<SklearnObject> members = Members.list(est, "estimators_");
            if (members.isEmpty()) {
                return Optional.of(LogProbabilities.Kind.LOG);
            }
            SklearnObject base = members.get(0);
            Optional<LogProbabilities.Kind> member = hasLogProba(base) ? kindOf(base) : Optional.empty();
            if (member.isPresent() && member.get() == LogProbabilities.Kind.LOG_SOFTMAX) {
                return Optional.of(LogProbabilities.Kind.BAGGED_LOG_SOFTMAX);
            }
            if (member.isPresent() && member.get() == LogProbabilities.Kind.LOG_FLOORED) {
                return Optional.of(LogProbabilities.Kind.BAGGED_LOG_FLOORED);
            }
            if (member.isPresent() && member.get() != LogProbabilities.Kind.LOG) {
                throw refusal(base, "BaggingClassifier of " + base.simpleName() + ": its members' "
                        + member.get() + " log-probabilities are not supported");
            }
            return Optional.of(LogProbabilities.Kind.LOG);
        }
        return Optional.empty();
    }

    /** Whether a fitted member answers predict_log_proba (SVC only with probability=True, SGD only with a probabilistic loss). */
    private static boolean hasLogProba(SklearnObject est) {
        String name = finalStep(est).simpleName();
        SklearnObject end = finalStep(est);
        return switch (name) {
            case "SVC", "NuSVC" -> end.bool("probability", false);
            case "SGDClassifier" -> Set.of("log_loss", "log", "modified_huber")
                    .contains(end.optionalString("loss").orElse("hinge"));
            default -> true;
        };
    }

    private static Ml2TensorException refusal(SklearnObject est, String message) {
        return Ml2TensorException.of(ErrorCode.UNSUPPORTED, message).at(est.path()).hint(HINT).build();
    }
}
