package org.ml2tensor.importers.xgboost;

import java.util.Map;
import java.util.TreeMap;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;

/**
 * What an XGBoost objective means for prediction: the output transform ({@code PredTransform}), the link
 * that turns the stored {@code base_score} into a margin ({@code ProbToMargin}) and the model head.
 *
 * <p>{@code binary:logitraw} and {@code rank:*} predict raw margins: they become regressions of the margin.
 * {@code binary:hinge} is a two-class classifier whose scores are decision values (class 1 iff margin &gt; 0).
 * {@code multi:softmax} gets probabilities like {@code multi:softprob}; its label output equals XGBoost's
 * predicted class.
 */
enum XgbObjective {
    REGRESSION(ScoreTransform.IDENTITY, Link.IDENTITY, Kind.REGRESSION),
    LOGISTIC_REGRESSION(ScoreTransform.LOGISTIC, Link.LOGIT, Kind.REGRESSION),
    BINARY_LOGISTIC(ScoreTransform.LOGISTIC, Link.LOGIT, Kind.BINARY_PROBABILITY),
    BINARY_HINGE(ScoreTransform.IDENTITY, Link.IDENTITY, Kind.BINARY_DECISION),
    RAW_MARGIN(ScoreTransform.IDENTITY, Link.IDENTITY, Kind.REGRESSION),
    EXP_REGRESSION(ScoreTransform.EXP, Link.LOG, Kind.REGRESSION),
    MULTICLASS(ScoreTransform.SOFTMAX, Link.IDENTITY, Kind.MULTICLASS);

    /** How {@code base_score} (stored in output space) becomes a margin. */
    enum Link { IDENTITY, LOGIT, LOG }

    enum Kind { REGRESSION, BINARY_PROBABILITY, BINARY_DECISION, MULTICLASS }

    private static final Map<String, XgbObjective> BY_NAME = new TreeMap<>();

    static {
        for (String n : new String[]{"reg:squarederror", "reg:linear", "reg:squaredlogerror",
                "reg:pseudohubererror", "reg:absoluteerror", "reg:quantileerror", "reg:expectile"}) {
            BY_NAME.put(n, REGRESSION);
        }
        BY_NAME.put("reg:logistic", LOGISTIC_REGRESSION);
        BY_NAME.put("binary:logistic", BINARY_LOGISTIC);
        BY_NAME.put("binary:logitraw", RAW_MARGIN);
        BY_NAME.put("binary:hinge", BINARY_HINGE);
        for (String n : new String[]{"rank:pairwise", "rank:ndcg", "rank:map"}) {
            BY_NAME.put(n, RAW_MARGIN);
        }
        for (String n : new String[]{"count:poisson", "reg:gamma", "reg:tweedie", "survival:cox",
                "survival:aft"}) {
            BY_NAME.put(n, EXP_REGRESSION);
        }
        BY_NAME.put("multi:softprob", MULTICLASS);
        BY_NAME.put("multi:softmax", MULTICLASS);
    }

    final ScoreTransform transform;
    final Link link;
    final Kind kind;

    XgbObjective(ScoreTransform transform, Link link, Kind kind) {
        this.transform = transform;
        this.link = link;
        this.kind = kind;
    }

    /** The objective for an XGBoost objective name, or null when unknown. */
    static XgbObjective byName(String name) {
        return BY_NAME.get(name);
    }

    /** Names this importer accepts, for error hints. */
    /** The objective names this importer compiles, in registry order. */
    static java.util.List<String> names() {
        return java.util.List.copyOf(BY_NAME.keySet());
    }

    static String supportedNames() {
        return String.join(", ", BY_NAME.keySet());
    }

    /** Head of a model with {@code outputs} raw score columns. */
    Head head(int outputs) {
        switch (kind) {
            case BINARY_PROBABILITY:
                return new Head.Classification(ClassLabels.range(2), true);
            case BINARY_DECISION:
                return new Head.Classification(ClassLabels.range(2), false);
            case MULTICLASS:
                return new Head.Classification(ClassLabels.range(outputs), true);
            default:
                return new Head.Regression(outputs);
        }
    }

    /**
     * {@code ProbToMargin} of the objective, evaluated in float32 as XGBoost does; NaN when the value is
     * outside the link's domain.
     */
    double toMargin(double baseScore) {
        float p = (float) baseScore;
        switch (link) {
            case LOGIT:
                if (!(p > 0f && p < 1f)) {
                    return Double.NaN;
                }
                return (float) -Math.log((float) (1.0f / p - 1.0f));
            case LOG:
                if (!(p > 0f)) {
                    return Double.NaN;
                }
                return (float) Math.log(p);
            default:
                return p;
        }
    }
}
