package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.Calibrator;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Combiner;
import org.ml2tensor.ir.Ensemble;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.KernelSvm;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Member;
import org.ml2tensor.ir.Member.Response;
import org.ml2tensor.ir.ScoreTransform;

/**
 * scikit-learn's meta-estimators as {@link Ensemble}s: voting, stacking, calibration, bagging and AdaBoost.
 * Sub-estimators are converted with the ordinary registry, so any supported predictor (or pipeline ending in
 * one) composes. Semantics per version: {@code shared/design/sklearn-semantics.md} §9.
 */
final class MetaConverters {
    private MetaConverters() {
    }

    private static int inputWidth(SklearnObject est, List<Estimator> members) {
        if (est.has("n_features_in_")) {
            return est.width("n_features_in_");
        }
        return members.get(0).inputWidth();
    }

    private static double[] weights(SklearnObject est, String attr, List<Boolean> dropped) {
        if (!est.has(attr)) {
            return null;
        }
        List<PyValue> all = est.items(attr);
        if (all.size() != dropped.size()) {
            throw est.invalid(attr, all.size() + " weights for " + dropped.size() + " estimators");
        }
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!dropped.get(i)) {
                kept.add(est.numberOf(attr, all.get(i)));
            }
        }
        return kept.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static List<SklearnObject> subEstimators(SklearnObject est, String... attrs) {
        List<SklearnObject> out = new ArrayList<>();
        for (String a : attrs) {
            if (a.endsWith("_") && a.startsWith("final")) {
                out.add(est.child(a));
            } else {
                out.addAll(Members.list(est, a));
            }
        }
        return out;
    }

    /**
     * {@code e} without Platt probabilities where it is an {@code SVC(probability=True)} (or a pipeline ending in
     * one): the form whose scores are {@code decision_function}; {@code e} itself otherwise.
     */
    static Estimator decisionForm(Estimator e) {
        return CalibratedConverter.decisionFormOf(e);
    }

    /** {@code VotingClassifier} (hard: weighted votes of the encoded labels; soft: averaged probabilities). */
    static final class VotingClassifierConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            boolean soft = est.string("voting").equals("soft");
            List<SklearnObject> subs = Members.list(est, "estimators_");
            List<String> names = Members.names(est, "estimators");
            double[] w = weights(est, "weights", Members.droppedFlags(est, "estimators"));
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                Estimator e = Members.predictor(subs.get(i), ctx);
                converted.add(e);
                if (soft && !Members.hasProba(e)) {
                    throw Ml2TensorExceptions.unsupported(subs.get(i), "without predict_proba in a soft VotingClassifier",
                            "use voting='hard' or a classifier with predict_proba");
                }
                members.add(new Member(i < names.size() ? names.get(i) : "estimators_[" + i + "]", e, null,
                        soft ? Response.PROBA : Response.LABEL,
                        Members.encodedClassMap(subs.get(i), e, labels.size())));
            }
            Combiner c = soft ? new Combiner.Average(w) : new Combiner.Vote(w, false);
            return new Ensemble("VotingClassifier", members, c, inputWidth(est, converted), ScoreTransform.IDENTITY,
                    new Head.Classification(labels, soft));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /** {@code VotingRegressor}: {@code np.average} of the predictions with the weights. */
    static final class VotingRegressorConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            List<SklearnObject> subs = Members.list(est, "estimators_");
            List<String> names = Members.names(est, "estimators");
            double[] w = weights(est, "weights", Members.droppedFlags(est, "estimators"));
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                Estimator e = Members.predictor(subs.get(i), ctx);
                converted.add(e);
                members.add(new Member(i < names.size() ? names.get(i) : "estimators_[" + i + "]", e, null,
                        Response.VALUE, null));
            }
            return new Ensemble("VotingRegressor", members, new Combiner.Average(w), inputWidth(est, converted),
                    ScoreTransform.IDENTITY, new Head.Regression(1));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /** {@code StackingClassifier} / {@code StackingRegressor}. */
    static final class StackingConverter implements SklearnConverter {
        private final boolean classifier;

        StackingConverter(boolean classifier) {
            this.classifier = classifier;
        }

        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = classifier ? ClassLabelReader.read(est, "classes_") : null;
            List<SklearnObject> subs = Members.list(est, "estimators_");
            List<String> names = Members.names(est, "estimators");
            List<PyValue> methods = est.items("stack_method_");
            if (methods.size() != subs.size()) {
                throw est.invalid("stack_method_", methods.size() + " methods for " + subs.size() + " estimators");
            }
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                SklearnObject sub = subs.get(i);
                Estimator e = Members.predictor(sub, ctx);
                converted.add(e);
                String method = methods.get(i) instanceof PyValue.PyStr s ? s.value() : "";
                Response r;
                int[] map = null;
                switch (method) {
                    case "predict_proba" -> {
                        if (!Members.hasProba(e)) {
                            throw Ml2TensorExceptions.unsupported(sub, "stacked by predict_proba, which ml2tensor does"
                                    + " not compute for it", "stack it with stack_method='decision_function'");
                        }
                        r = labels.size() == 2 ? Response.PROBA_POSITIVE : Response.PROBA;
                        map = Members.encodedClassMap(sub, e, labels.size());
                    }
                    case "decision_function" -> r = Response.DECISION;
                    case "predict" -> r = classifier ? Response.LABEL : Response.VALUE;
                    default -> throw est.unsupported("stack_method_", "stack method '" + method + "'",
                            "use predict_proba, decision_function or predict");
                }
                members.add(new Member(i < names.size() ? names.get(i) : "estimators_[" + i + "]", e, null, r, map));
            }
            boolean passthrough = est.bool("passthrough", false);
            SklearnObject finalObj = est.child("final_estimator_");
            Estimator fin = Members.predictor(finalObj, ctx);
            Head head;
            if (classifier) {
                if (!(Members.last(fin).head() instanceof Head.Classification fc)) {
                    throw Ml2TensorExceptions.unsupported(finalObj, "a regressor as a classifier's final estimator",
                            "use a classifier as final_estimator");
                }
                head = new Head.Classification(labels, fc.probabilities());
            } else {
                head = Members.last(fin).head();
            }
            return new Ensemble(classifier ? "StackingClassifier" : "StackingRegressor", members,
                    new Combiner.Stack(fin, passthrough), inputWidth(est, converted), Members.last(fin).transform(),
                    head);
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_", "final_estimator_");
        }
    }

    /** {@code CalibratedClassifierCV} with sigmoid or isotonic calibrators, one member per fold. */
    static final class CalibratedConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            int k = labels.size();
            List<SklearnObject> folds = Members.list(est, "calibrated_classifiers_");
            List<Member> members = new ArrayList<>();
            List<List<Calibrator>> calibrators = new ArrayList<>();
            List<int[]> classIndex = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            for (int i = 0; i < folds.size(); i++) {
                SklearnObject fold = folds.get(i);
                SklearnObject sub = inner(fold);
                Estimator e = decisionForm(Members.predictor(sub, ctx));
                converted.add(e);
                String method = fold.optionalString("method").orElse("sigmoid");
                if (!method.equals("sigmoid") && !method.equals("isotonic")) {
                    throw fold.unsupported("method", "calibration method '" + method + "' is not supported",
                            "calibrate with method='sigmoid' or 'isotonic'");
                }
                int[] map = Members.labelClassMap(sub, e, labels);
                int own = Members.labels(sub, e).size();
                Response r;
                if (Members.hasDecision(sub, e)) {
                    r = Response.DECISION;
                } else if (Members.hasProba(e)) {
                    r = k == 2 ? Response.PROBA_POSITIVE : Response.PROBA;
                } else {
                    throw Ml2TensorExceptions.unsupported(sub, "without decision_function or predict_proba",
                            "calibrate a classifier that has one of them");
                }
                List<SklearnObject> cals = Members.list(fold, fold.has("calibrators") ? "calibrators" : "calibrators_");
                int expected = k == 2 ? 1 : own;
                if (cals.size() != expected) {
                    throw fold.invalid("calibrators", cals.size() + " calibrators for " + expected + " score columns");
                }
                List<Calibrator> list = new ArrayList<>();
                for (SklearnObject c : cals) {
                    list.add(calibrator(c));
                }
                int[] idx = new int[own];
                for (int j = 0; j < own; j++) {
                    idx[j] = map == null ? j : map[j];
                }
                calibrators.add(list);
                classIndex.add(idx);
                members.add(new Member("fold " + i, e, null, r, null));
            }
            return new Ensemble("CalibratedClassifierCV", members, new Combiner.Calibration(calibrators, classIndex),
                    inputWidth(est, converted), ScoreTransform.IDENTITY, new Head.Classification(labels, true));
        }

        /**
         * The calibrator reads {@code decision_function} where the classifier has one, so an
         * {@code SVC(probability=True)} is calibrated on its decision values: its Platt parameters go unused.
         */
        private static Estimator decisionFormOf(Estimator e) {
            if (e instanceof KernelSvm s && s.head() instanceof Head.Classification c && c.probabilities()) {
                return new KernelSvm(s.kernel(), s.gamma(), s.coef0(), s.degree(), s.supportVectors(),
                        s.supportCounts(), s.dualCoef(), s.intercept(), s.ovr(), s.breakTies(), new double[0],
                        new double[0], new Head.Classification(c.labels(), false));
            }
            if (e instanceof Pipeline p) {
                Estimator last = decisionFormOf(p.last());
                return last == p.last() ? p : new Pipeline(p.steps(), last);
            }
            return e;
        }

        private static SklearnObject inner(SklearnObject fold) {
            return fold.child(fold.has("estimator") ? "estimator" : "base_estimator");
        }

        private static Calibrator calibrator(SklearnObject c) {
            return switch (c.simpleName()) {
                case "_SigmoidCalibration" -> new Calibrator.Sigmoid(c.number("a_"), c.number("b_"));
                case "IsotonicRegression" -> {
                    double[] x = c.doubles("X_thresholds_", -1);
                    double[] y = c.doubles("y_thresholds_", x.length);
                    yield new Calibrator.Isotonic(x, y);
                }
                default -> throw Ml2TensorExceptions.unsupported(c, "not a known calibrator",
                        "calibrate with method='sigmoid' or 'isotonic'");
            };
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            List<SklearnObject> out = new ArrayList<>();
            for (SklearnObject fold : Members.list(est, "calibrated_classifiers_")) {
                out.add(inner(fold));
            }
            return out;
        }
    }

    /** {@code BaggingClassifier} / {@code BaggingRegressor}: members on their feature subsets, averaged. */
    static final class BaggingConverter implements SklearnConverter {
        private final boolean classifier;

        BaggingConverter(boolean classifier) {
            this.classifier = classifier;
        }

        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = classifier ? ClassLabelReader.read(est, "classes_") : null;
            List<SklearnObject> subs = Members.list(est, "estimators_");
            List<PyValue> features = est.items("estimators_features_");
            if (features.size() != subs.size()) {
                throw est.invalid("estimators_features_", features.size() + " feature sets for " + subs.size()
                        + " estimators");
            }
            int width = est.width("n_features_in_");
            List<Member> members = new ArrayList<>();
            boolean proba = true;
            for (int i = 0; i < subs.size(); i++) {
                Estimator e = Members.predictor(subs.get(i), ctx);
                if (!(features.get(i) instanceof org.ml2tensor.importers.pickle.NdArray a)) {
                    throw est.invalid("estimators_features_", "feature set " + i + " is not an array");
                }
                long[] f = est.within("estimators_features_", a::toLongs);
                int[] cols = new int[f.length];
                boolean all = f.length == width;
                for (int j = 0; j < f.length; j++) {
                    if (f[j] < 0 || f[j] >= width) {
                        throw est.invalid("estimators_features_", "feature " + f[j] + " of " + width);
                    }
                    cols[j] = (int) f[j];
                    all &= f[j] == j;
                }
                Response r = Response.VALUE;
                int[] map = null;
                if (classifier) {
                    boolean p = Members.hasProba(e);
                    if (i > 0 && p != proba) {
                        throw Ml2TensorExceptions.unsupported(subs.get(i), "mixed with members that differ in "
                                + "predict_proba", "bag one kind of estimator");
                    }
                    proba = p;
                    r = p ? Response.PROBA : Response.LABEL;
                    map = Members.encodedClassMap(subs.get(i), e, labels.size());
                }
                members.add(new Member("estimators_[" + i + "]", e, all ? null : cols, r, map));
            }
            if (!classifier) {
                return new Ensemble("BaggingRegressor", members, new Combiner.Average(null), width,
                        ScoreTransform.IDENTITY, new Head.Regression(1));
            }
            Combiner c = proba ? new Combiner.Average(null) : new Combiner.Vote(null, true);
            return new Ensemble("BaggingClassifier", members, c, width, ScoreTransform.IDENTITY,
                    new Head.Classification(labels, true));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /** {@code AdaBoostClassifier} (SAMME by version, SAMME.R of 1.2–1.5) and {@code AdaBoostRegressor}. */
    static final class AdaBoostConverter implements SklearnConverter {
        private final boolean classifier;

        AdaBoostConverter(boolean classifier) {
            this.classifier = classifier;
        }

        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            List<SklearnObject> subs = Members.list(est, "estimators_");
            double[] all = est.doubles("estimator_weights_", -1);
            if (all.length < subs.size()) {
                throw est.invalid("estimator_weights_", all.length + " weights for " + subs.size() + " estimators");
            }
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            ClassLabels labels = classifier ? ClassLabelReader.read(est, "classes_") : null;
            String version = est.sklearnVersion().orElse("1.6");
            String algorithm = est.optionalString("algorithm").orElse("SAMME");
            boolean modern = TransformerConverters.atLeast(version, 1, 6);
            Combiner.AdaBoost.Form form = modern ? Combiner.AdaBoost.Form.SAMME
                    : algorithm.equals("SAMME.R") ? Combiner.AdaBoost.Form.SAMME_R : Combiner.AdaBoost.Form.SAMME_01;
            for (int i = 0; i < subs.size(); i++) {
                Estimator e = Members.predictor(subs.get(i), ctx);
                converted.add(e);
                Response r = Response.VALUE;
                int[] map = null;
                if (classifier) {
                    map = Members.labelClassMap(subs.get(i), e, labels);
                    r = form == Combiner.AdaBoost.Form.SAMME_R ? Response.PROBA : Response.LABEL;
                    if (r == Response.PROBA && !Members.hasProba(e)) {
                        throw Ml2TensorExceptions.unsupported(subs.get(i), "without predict_proba under SAMME.R",
                                "use algorithm='SAMME'");
                    }
                }
                members.add(new Member("estimators_[" + i + "]", e, null, r, map));
            }
            int width = inputWidth(est, converted);
            if (!classifier) {
                return new Ensemble("AdaBoostRegressor", members,
                        new Combiner.WeightedMedian(java.util.Arrays.copyOf(all, subs.size())), width,
                        ScoreTransform.IDENTITY, new Head.Regression(1));
            }
            double[] w = all; // SAMME.R stores weights of 1, as its decision divides by their sum
            ScoreTransform t = labels.size() == 2 ? ScoreTransform.LOGISTIC : ScoreTransform.SOFTMAX;
            return new Ensemble("AdaBoostClassifier", members, new Combiner.AdaBoost(w, form), width, t,
                    new Head.Classification(labels, true));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }
}
