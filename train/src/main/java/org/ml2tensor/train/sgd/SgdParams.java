package org.ml2tensor.train.sgd;

import java.util.TreeMap;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.pickle.Py;

/**
 * The constructor parameters of an SGD-family estimator (SGDClassifier, SGDRegressor, Perceptron,
 * PassiveAggressiveClassifier/Regressor) with scikit-learn's defaults, and how {@code partial_fit} runs
 * them (PA estimators use the {@code pa1}/{@code pa2} schedule with {@code eta0 = C}).
 */
public record SgdParams(String estimator, SklearnVersion version, String loss, Penalty penalty, double alpha,
                        double l1Ratio, boolean fitIntercept, int maxIter, Double tol, boolean shuffle,
                        double epsilon, Long randomState, LearningRate learningRate, double eta0, double powerT,
                        int nIterNoChange, TreeMap<Double, Double> classWeight, double average, double c) {

    /** Reads the parameters of {@code estimator} from {@code s} (unknown names are errors). */
    public static SgdParams read(String estimator, Settings s, SklearnVersion v) {
        boolean pa = estimator.startsWith("PassiveAggressive");
        boolean perceptron = estimator.equals("Perceptron");
        boolean regressor = estimator.endsWith("Regressor");
        String loss;
        if (perceptron) {
            loss = "perceptron";
        } else if (pa) {
            loss = s.string("loss", regressor ? "epsilon_insensitive" : "hinge");
        } else {
            loss = s.string("loss", regressor ? "squared_error" : "hinge");
        }
        Penalty penalty = pa ? Penalty.NONE
                : Penalty.parse(s.string("penalty", perceptron ? "None" : "l2"));
        double alpha = pa ? 1.0 : s.number("alpha", 1e-4);
        double l1Ratio = pa ? 0.15 : s.number("l1_ratio", 0.15);
        boolean fitIntercept = s.bool("fit_intercept", true);
        int maxIter = s.integer("max_iter", 1000);
        Double tol = s.optionalNumber("tol", 1e-3);
        boolean shuffle = s.bool("shuffle", true);
        double epsilon = pa && !regressor ? 0.1 : s.number("epsilon", 0.1);
        Long randomState = s.optionalLong("random_state", perceptron ? 0L : null);
        int nIterNoChange = s.integer("n_iter_no_change", 5);
        s.number("verbose", 0);
        s.string("n_jobs", "None");
        s.bool("warm_start", false);
        s.number("validation_fraction", 0.1);
        if (s.bool("early_stopping", false)) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "early_stopping should be False with partial_fit")
                    .build();
        }
        TreeMap<Double, Double> classWeight = regressor ? null : s.numberMap("class_weight");
        double average = 0;
        if (!perceptron) {
            String avg = s.string("average", "False");
            average = switch (avg) {
                case "False", "false", "0" -> 0;
                case "True", "true" -> 1;
                default -> {
                    try {
                        yield Integer.parseInt(avg);
                    } catch (NumberFormatException e) {
                        throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "average=" + avg
                                + ": expected True, False or a positive integer").build();
                    }
                }
            };
        }
        LearningRate lr;
        double eta0;
        double powerT;
        double c = 1.0;
        if (pa) {
            c = s.number("C", 1.0);
            boolean first = regressor ? loss.equals("epsilon_insensitive") : loss.equals("hinge");
            boolean second = regressor ? loss.equals("squared_epsilon_insensitive") : loss.equals("squared_hinge");
            if (!first && !second) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, estimator + " loss must be "
                        + (regressor ? "epsilon_insensitive or squared_epsilon_insensitive" : "hinge or squared_hinge")
                        + ", got '" + loss + "'").build();
            }
            lr = first ? LearningRate.PA1 : LearningRate.PA2;
            eta0 = c;
            powerT = 0.5;
        } else if (perceptron) {
            lr = LearningRate.CONSTANT;
            eta0 = s.number("eta0", 1.0);
            powerT = 0.5;
        } else {
            lr = LearningRate.parse(s.string("learning_rate", regressor ? "invscaling" : "optimal"));
            double defaultEta0 = regressor || v == SklearnVersion.V1_9 ? 0.01 : 0.0;
            eta0 = s.number("eta0", defaultEta0);
            powerT = s.number("power_t", regressor ? 0.25 : 0.5);
            if (lr != LearningRate.OPTIMAL && eta0 <= 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "eta0 must be > 0").build();
            }
        }
        if (alpha < 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "alpha must be >= 0").build();
        }
        return new SgdParams(estimator, v, loss, penalty, alpha, l1Ratio, fitIntercept, maxIter, tol, shuffle,
                epsilon, randomState, lr, eta0, powerT, nIterNoChange, classWeight, average, c);
    }

    /** The loss object the PA or SGD run uses. */
    SgdLoss lossFunction() {
        if (estimator.startsWith("PassiveAggressive")) {
            return estimator.endsWith("Regressor") ? new SgdLoss.EpsilonInsensitive(epsilon) : new SgdLoss.Hinge(1.0);
        }
        return switch (loss) {
            case "hinge" -> new SgdLoss.Hinge(1.0);
            case "perceptron" -> new SgdLoss.Hinge(0.0);
            case "squared_hinge" -> new SgdLoss.SquaredHinge(1.0);
            case "modified_huber" -> new SgdLoss.ModifiedHuber();
            case "log_loss", "log" -> version == SklearnVersion.V1_9 ? new SgdLoss.HalfBinomial() : new SgdLoss.LogPlusMinus();
            case "squared_error", "squared_loss" -> new SgdLoss.Squared();
            case "huber" -> new SgdLoss.Huber(epsilon);
            case "epsilon_insensitive" -> new SgdLoss.EpsilonInsensitive(epsilon);
            case "squared_epsilon_insensitive" -> new SgdLoss.SquaredEpsilonInsensitive(epsilon);
            default -> throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "unknown loss '" + loss + "'")
                    .hint("classifier losses: hinge, log_loss, modified_huber, squared_hinge, perceptron, squared_error, "
                            + "huber, epsilon_insensitive, squared_epsilon_insensitive").build();
        };
    }

    /** The run settings of {@code _plain_sgd}. */
    PlainSgd.Config config() {
        return new PlainSgd.Config(lossFunction(), penalty, alpha, l1Ratio, learningRate, eta0, powerT, fitIntercept,
                shuffle, average, tol == null ? Double.NEGATIVE_INFINITY : tol, nIterNoChange,
                version == SklearnVersion.V1_9);
    }

    /** The constructor parameters as the pickled {@code __dict__} entries, in signature order. */
    Py.Dict pickleParams() {
        boolean pa = estimator.startsWith("PassiveAggressive");
        boolean perceptron = estimator.equals("Perceptron");
        boolean regressor = estimator.endsWith("Regressor");
        Py.Dict d = Py.Dict.empty();
        if (!perceptron) {
            d.put("loss", Py.of(loss));
        }
        if (!pa) {
            d.put("penalty", Py.of(penalty.sklearnName()));
            d.put("alpha", Py.of(alpha));
            d.put("l1_ratio", Py.of(l1Ratio));
        } else {
            d.put("C", Py.of(c));
        }
        d.put("fit_intercept", Py.of(fitIntercept));
        d.put("max_iter", Py.of((long) maxIter));
        d.put("tol", tol == null ? Py.none() : Py.of(tol));
        d.put("shuffle", Py.of(shuffle));
        d.put("verbose", Py.of(0L));
        if (!perceptron) {
            d.put("epsilon", Py.of(epsilon));
        }
        if (!regressor) {
            d.put("n_jobs", Py.none());
        }
        d.put("random_state", randomState == null ? Py.none() : Py.of(randomState));
        if (!pa) {
            d.put("learning_rate", Py.of(perceptron ? "constant" : learningRate.sklearnName()));
            d.put("eta0", Py.of(eta0));
            d.put("power_t", Py.of(powerT));
        } else {
            d.put("learning_rate", Py.of(learningRate.sklearnName()));
            d.put("eta0", Py.of(1.0));
            d.put("power_t", Py.of(0.5));
            d.put("alpha", Py.of(1.0));
            d.put("l1_ratio", Py.of(0.15));
            d.put("penalty", Py.none());
        }
        d.put("early_stopping", Py.of(false));
        d.put("validation_fraction", Py.of(0.1));
        d.put("n_iter_no_change", Py.of((long) nIterNoChange));
        if (!regressor) {
            if (classWeight == null) {
                d.put("class_weight", Py.none());
            } else {
                double[] k = classWeight.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                double[] w = classWeight.values().stream().mapToDouble(Double::doubleValue).toArray();
                d.put("class_weight", new Py.FloatKeyDict(k, w));
            }
        }
        d.put("warm_start", Py.of(false));
        if (perceptron) {
            d.put("average", Py.of(false));
            d.put("loss", Py.of("perceptron"));
        } else if (average == 0 || average == 1) {
            d.put("average", Py.of(average == 1));
        } else {
            d.put("average", Py.of((long) average));
        }
        return d;
    }
}
