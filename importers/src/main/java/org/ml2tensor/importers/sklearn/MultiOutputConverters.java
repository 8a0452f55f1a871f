package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.MultiTarget;

/**
 * Multi-output classification meta-estimators as {@link MultiTarget}s: {@code MultiOutputClassifier},
 * {@code ClassifierChain} (with {@code chain_method_} where the version has it, 1.5+) and the multilabel
 * {@code OneVsRestClassifier} (semantics: {@code sklearn-semantics.md} §9.9).
 */
final class MultiOutputConverters {
    private MultiOutputConverters() {
    }

    /** {@code MultiOutputClassifier}: member {@code t} predicts target {@code t}. */
    static final class MultiOutputClassifierConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            List<SklearnObject> subs = Members.list(est, "estimators_");
            List<MultiTarget.Target> members = new ArrayList<>();
            List<ClassLabels> labels = new ArrayList<>();
            boolean proba = true;
            for (int i = 0; i < subs.size(); i++) {
                Estimator e = Members.predictor(subs.get(i), ctx);
                labels.add(Members.labels(subs.get(i), e));
                proba &= Members.hasProba(e);
                members.add(new MultiTarget.Target("estimators_[" + i + "]", e, MultiTarget.Decide.PREDICT));
            }
            return new MultiTarget("MultiOutputClassifier", members, null, MultiTarget.Feed.NONE,
                    members.get(0).estimator().inputWidth(), new Head.MultiClassification(labels, proba));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /** {@code ClassifierChain}: binary members in {@code order_}, each reading the earlier members' outputs. */
    static final class ClassifierChainConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            List<SklearnObject> subs = Members.list(est, "estimators_");
            int[] order = order(est, subs.size());
            MultiTarget.Feed feed = feed(est);
            List<MultiTarget.Target> members = new ArrayList<>();
            ClassLabels[] labels = new ClassLabels[subs.size()];
            boolean proba = true;
            for (int i = 0; i < subs.size(); i++) {
                SklearnObject sub = subs.get(i);
                Estimator e = Members.predictor(sub, ctx);
                ClassLabels l = Members.labels(sub, e);
                if (l.size() != 2 || !(l instanceof ClassLabels.Ints)) {
                    throw sub.unsupported("classes_", "a ClassifierChain member must be a binary classifier of "
                            + "integer labels, found " + l.asText(), "train the chain on a 0/1 label matrix");
                }
                boolean p = Members.hasProba(e);
                if ((feed == MultiTarget.Feed.PREDICT_PROBA || feed == MultiTarget.Feed.PREDICT_LOG_PROBA) && !p) {
                    throw Ml2TensorExceptions.unsupported(sub, "chain_method '" + est.string("chain_method_")
                            + "' needs predict_proba, which this member has not", "use a member with predict_proba");
                }
                if (feed == MultiTarget.Feed.DECISION_FUNCTION && !Members.hasDecision(sub, e)) {
                    throw Ml2TensorExceptions.unsupported(sub, "chain_method 'decision_function' needs a decision "
                            + "function, which this member has not", "use a member with decision_function");
                }
                proba &= p;
                labels[order[i]] = l;
                members.add(new MultiTarget.Target("estimators_[" + i + "]", e, MultiTarget.Decide.PREDICT));
            }
            return new MultiTarget("ClassifierChain", members, order, feed,
                    members.get(0).estimator().inputWidth(), new Head.MultiClassification(List.of(labels), proba));
        }

        private static MultiTarget.Feed feed(SklearnObject est) {
            if (!est.has("chain_method_")) {
                return MultiTarget.Feed.PREDICT; // before 1.5: the previous members' predict
            }
            String m = est.string("chain_method_");
            return switch (m) {
                case "predict" -> MultiTarget.Feed.PREDICT;
                case "predict_proba" -> MultiTarget.Feed.PREDICT_PROBA;
                case "predict_log_proba" -> MultiTarget.Feed.PREDICT_LOG_PROBA;
                case "decision_function" -> MultiTarget.Feed.DECISION_FUNCTION;
                default -> throw est.unsupported("chain_method_", "chain_method '" + m + "' is not supported",
                        "use predict, predict_proba, predict_log_proba or decision_function");
            };
        }

        private static int[] order(SklearnObject est, int n) {
            long[] o;
            if (est.get("order_") instanceof NdArray) {
                o = est.longs("order_", n);
            } else {
                o = est.items("order_").stream().mapToLong(v -> (long) est.numberOf("order_", v)).toArray();
                if (o.length != n) {
                    throw est.invalid("order_", o.length + " positions for " + n + " estimators");
                }
            }
            int[] order = new int[n];
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (o[i] < 0 || o[i] >= n || seen[(int) o[i]]) {
                    throw est.invalid("order_", "not a permutation of the targets");
                }
                seen[(int) o[i]] = true;
                order[i] = (int) o[i];
            }
            return order;
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /**
     * A multilabel {@code OneVsRestClassifier} (label indicator {@code y}): label {@code t} is 1 where member
     * {@code t}'s decision value is above 0 (when the first member has {@code decision_function}) or its
     * {@code predict_proba[:, 1]} above 0.5; the probability block of label {@code t} is the member's
     * {@code predict_proba}, whose column 1 is scikit-learn's {@code predict_proba[:, t]}.
     */
    static Estimator multilabelOneVsRest(SklearnObject est, ConversionContext ctx) {
        List<SklearnObject> subs = Members.list(est, "estimators_");
        List<MultiTarget.Target> members = new ArrayList<>();
        List<ClassLabels> labels = new ArrayList<>();
        boolean proba = true;
        Boolean decision = null;
        for (int i = 0; i < subs.size(); i++) {
            SklearnObject sub = subs.get(i);
            Estimator e = Members.predictor(sub, ctx);
            ClassLabels l = Members.labels(sub, e);
            if (!l.asText().equals(List.of("0", "1"))) {
                throw Ml2TensorExceptions.invalid(sub, "classes_", "a multilabel one-vs-rest member must classify "
                        + "0/1, found " + l.asText());
            }
            boolean d = Members.hasDecision(sub, e);
            if (decision == null) {
                decision = d;
            } else if (decision != d) {
                throw Ml2TensorExceptions.unsupported(sub, "members with and without decision_function mixed",
                        "use one kind of classifier for every label");
            }
            if (!d && !Members.hasProba(e)) {
                throw Ml2TensorExceptions.unsupported(sub, "without decision_function or predict_proba",
                        "use a classifier that has one of them");
            }
            proba &= Members.hasProba(e);
            labels.add(l);
            members.add(new MultiTarget.Target("label " + i, e,
                    d ? MultiTarget.Decide.DECISION_POSITIVE : MultiTarget.Decide.PROBA_OVER_HALF));
        }
        return new MultiTarget("OneVsRestClassifier (multilabel)", members, null, MultiTarget.Feed.NONE,
                members.get(0).estimator().inputWidth(), new Head.MultiClassification(labels, proba));
    }

    /** The multilabel head of an {@code MLPClassifier} with {@code labels} sigmoid outputs: classes [0, 1] each. */
    static Head.MultiClassification multilabelHead(int labels) {
        List<ClassLabels> targets = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            targets.add(ClassLabels.range(2));
        }
        return new Head.MultiClassification(targets, true);
    }
}
