package org.ml2tensor.importers.lightgbm;

import java.util.List;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;

/**
 * The {@code objective=} line of a LightGBM model ({@code ObjectiveFunction::ToString}), e.g.
 * {@code binary sigmoid:0.7}, {@code multiclass num_class:3}, {@code regression sqrt}, and what it means
 * for prediction ({@code ConvertOutput}).
 *
 * <p>{@code sigmoid:s} of {@code binary}/{@code multiclassova} computes {@code 1/(1+exp(-s·raw))}: the
 * importer multiplies the leaf values by {@link #leafScale()} = s and uses {@link ScoreTransform#LOGISTIC}.
 * {@code cross_entropy} is a regression onto [0,1] with the logistic link; {@code cross_entropy_lambda}
 * uses {@code log(1+exp(x))}; ranking objectives return raw scores.
 *
 * @param name      the first word ({@code regression}, {@code binary}, …), {@code custom} when absent
 * @param sigmoid   the {@code sigmoid:} parameter, 1 when absent
 * @param sqrt      the {@code sqrt} flag of regression objectives
 * @param transform raw score → output
 * @param kind      what the outputs are
 */
record LgbmObjective(String name, double sigmoid, boolean sqrt, ScoreTransform transform, Kind kind) {

    enum Kind { REGRESSION, BINARY, MULTICLASS }

    static final List<String> SUPPORTED = List.of("regression", "regression_l1", "huber", "fair", "quantile",
            "mape", "poisson", "gamma", "tweedie", "binary", "multiclass", "multiclassova", "cross_entropy",
            "cross_entropy_lambda", "lambdarank", "rank_xendcg");

    /** Parses the objective line; null when the name is not supported. A null line is a custom objective. */
    static LgbmObjective parse(String line) {
        if (line == null || line.isBlank()) {
            return new LgbmObjective("custom", 1, false, ScoreTransform.IDENTITY, Kind.REGRESSION);
        }
        String[] parts = line.trim().split(" +");
        String name = parts[0];
        double sigmoid = 1;
        boolean sqrt = false;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("sqrt")) {
                sqrt = true;
            } else if (parts[i].startsWith("sigmoid:")) {
                sigmoid = Double.parseDouble(parts[i].substring("sigmoid:".length()));
            }
        }
        switch (name) {
            case "regression":
            case "regression_l2":
            case "regression_l1":
            case "huber":
            case "fair":
            case "quantile":
            case "mape":
                return new LgbmObjective(name, 1, sqrt, sqrt ? ScoreTransform.SIGNED_SQUARE : ScoreTransform.IDENTITY,
                        Kind.REGRESSION);
            case "poisson":
            case "gamma":
            case "tweedie":
                return new LgbmObjective(name, 1, false, ScoreTransform.EXP, Kind.REGRESSION);
            case "binary":
                return new LgbmObjective(name, sigmoid, false, ScoreTransform.LOGISTIC, Kind.BINARY);
            case "multiclass":
                return new LgbmObjective(name, 1, false, ScoreTransform.SOFTMAX, Kind.MULTICLASS);
            case "multiclassova":
                return new LgbmObjective(name, sigmoid, false, ScoreTransform.LOGISTIC, Kind.MULTICLASS);
            case "cross_entropy":
            case "xentropy":
                return new LgbmObjective(name, 1, false, ScoreTransform.LOGISTIC, Kind.REGRESSION);
            case "cross_entropy_lambda":
            case "xentlambda":
                return new LgbmObjective(name, 1, false, ScoreTransform.LOG1P_EXP, Kind.REGRESSION);
            case "lambdarank":
            case "rank_xendcg":
                return new LgbmObjective(name, 1, false, ScoreTransform.IDENTITY, Kind.REGRESSION);
            default:
                return null;
        }
    }

    /** Factor multiplied into every leaf value (the sigmoid slope of binary and multiclassova). */
    double leafScale() {
        return kind == Kind.REGRESSION ? 1 : sigmoid;
    }

    Head head(int outputs) {
        switch (kind) {
            case BINARY:
                return new Head.Classification(ClassLabels.range(2), true);
            case MULTICLASS:
                return new Head.Classification(ClassLabels.range(outputs), true);
            default:
                return new Head.Regression(outputs);
        }
    }
}
