package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Combiner;
import org.ml2tensor.ir.Ensemble;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Member;
import org.ml2tensor.ir.Member.Response;
import org.ml2tensor.ir.ScoreTransform;

/**
 * {@code OneVsRestClassifier}, {@code OneVsOneClassifier}, {@code MultiOutputRegressor} and
 * {@code RegressorChain} as {@link Ensemble}s (semantics: {@code sklearn-semantics.md} §9.9).
 */
final class MultiConverters {
    private MultiConverters() {
    }

    /** Checks that a one-vs-* member is a binary classifier over the codes 0/1. */
    private static void binaryMember(SklearnObject sub, Estimator e) {
        ClassLabels l = Members.labels(sub, e);
        if (!(l instanceof ClassLabels.Ints ints) || ints.values().length != 2 || ints.values()[0] != 0
                || ints.values()[1] != 1) {
            throw sub.invalid("classes_", "a one-vs-* member must be a binary classifier of 0/1, found "
                    + l.asText());
        }
    }

    /** {@code OneVsRestClassifier} (single-label). */
    static final class OneVsRestConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            SklearnObject binarizer = est.child("label_binarizer_");
            String type = binarizer.optionalString("y_type_").orElse("multiclass");
            if (type.startsWith("multilabel")) {
                return MultiOutputConverters.multilabelOneVsRest(est, ctx);
            }
            ClassLabels labels = ClassLabelReader.read(binarizer, "classes_");
            List<SklearnObject> subs = Members.list(est, "estimators_");
            int expected = labels.size() == 2 ? 1 : labels.size();
            if (subs.size() != expected) {
                throw est.invalid("estimators_", subs.size() + " estimators for " + labels.size() + " classes");
            }
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            boolean proba = true;
            boolean split = false;
            for (int i = 0; i < subs.size(); i++) {
                SklearnObject sub = subs.get(i);
                Estimator e = Members.predictor(sub, ctx);
                binaryMember(sub, e);
                converted.add(e);
                boolean decision = Members.hasDecision(sub, e);
                boolean p = Members.hasProba(e);
                if (!decision && !p) {
                    throw Ml2TensorExceptions.unsupported(sub, "without decision_function or predict_proba",
                            "use a classifier that has one of them");
                }
                proba &= p;
                String name = labels.asText().get(labels.size() == 2 ? 1 : i);
                Estimator decisionForm = decision && p ? MetaConverters.decisionForm(e) : e;
                members.add(new Member(name, decisionForm, null,
                        decision ? Response.DECISION : Response.PROBA_POSITIVE, null));
                // an SVC with probability=True: predict reads its decision, predict_proba its Platt probabilities
                split |= decisionForm != e;
            }
            split &= proba;
            for (int i = 0; split && i < subs.size(); i++) {
                members.add(new Member(members.get(i).name() + " (predict_proba)", converted.get(i), null,
                        Response.PROBA_POSITIVE, null));
            }
            String version = est.sklearnVersion().orElse("1.9");
            boolean before19 = !TransformerConverters.atLeast(version, 1, 9);
            return new Ensemble("OneVsRestClassifier", members, new Combiner.OneVsRest(before19, split),
                    converted.get(0).inputWidth(), ScoreTransform.IDENTITY, new Head.Classification(labels, proba));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /**
     * {@code OneVsOneClassifier}: votes plus transformed confidences per class; binary: column 1 of those, the label
     * {@code decision > 0} (0.5 when the pair's estimator has only predict_proba, scikit-learn's threshold).
     */
    static final class OneVsOneConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            ClassLabels labels = ClassLabelReader.read(est, "classes_");
            int k = labels.size();
            if (est.has("pairwise_indices_")) {
                throw est.unsupported("pairwise_indices_", "precomputed-kernel pairs are not supported",
                        "use a base estimator on features");
            }
            List<SklearnObject> subs = Members.list(est, "estimators_");
            if (subs.size() != k * (k - 1) / 2) {
                throw est.invalid("estimators_", subs.size() + " estimators for " + k + " classes");
            }
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            boolean[] isProba = new boolean[subs.size()];
            int p = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    SklearnObject sub = subs.get(p);
                    Estimator e = Members.predictor(sub, ctx);
                    binaryMember(sub, e);
                    converted.add(e);
                    if (!Members.hasDecision(sub, e) && !Members.hasProba(e)) {
                        throw Ml2TensorExceptions.unsupported(sub, "without decision_function or predict_proba",
                                "use a classifier that has one of them");
                    }
                    isProba[p] = !Members.hasDecision(sub, e);
                    members.add(new Member(labels.asText().get(i) + " vs " + labels.asText().get(j), e, null,
                            Response.LABEL, null));
                    p++;
                }
            }
            return new Ensemble("OneVsOneClassifier", members, new Combiner.OneVsOne(isProba),
                    converted.get(0).inputWidth(), ScoreTransform.IDENTITY, new Head.Classification(labels, false));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }

    /** {@code MultiOutputRegressor} and {@code RegressorChain}. */
    static final class TargetsConverter implements SklearnConverter {
        private final boolean chain;

        TargetsConverter(boolean chain) {
            this.chain = chain;
        }

        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            List<SklearnObject> subs = Members.list(est, "estimators_");
            int[] order = null;
            if (chain) {
                long[] o;
                if (est.get("order_") instanceof org.ml2tensor.importers.pickle.NdArray) {
                    o = est.longs("order_", subs.size());
                } else {
                    o = est.items("order_").stream().mapToLong(v -> (long) est.numberOf("order_", v)).toArray();
                    if (o.length != subs.size()) {
                        throw est.invalid("order_", o.length + " positions for " + subs.size() + " estimators");
                    }
                }
                order = new int[o.length];
                boolean[] seen = new boolean[o.length];
                for (int i = 0; i < o.length; i++) {
                    if (o[i] < 0 || o[i] >= o.length || seen[(int) o[i]]) {
                        throw est.invalid("order_", "not a permutation of the targets");
                    }
                    seen[(int) o[i]] = true;
                    order[i] = (int) o[i];
                }
            }
            List<Member> members = new ArrayList<>();
            List<Estimator> converted = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                Estimator e = Members.predictor(subs.get(i), ctx);
                if (!(Members.last(e).head() instanceof Head.Regression r) || r.targets() != 1) {
                    throw Ml2TensorExceptions.unsupported(subs.get(i), "not a single-target regressor",
                            "use single-target regressors");
                }
                converted.add(e);
                members.add(new Member("target " + (order == null ? i : order[i]), e, null, Response.VALUE, null));
            }
            return new Ensemble(chain ? "RegressorChain" : "MultiOutputRegressor", members,
                    new Combiner.Targets(order, chain), converted.get(0).inputWidth(), ScoreTransform.IDENTITY,
                    new Head.Regression(subs.size()));
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return MetaConverters.subEstimators(est, "estimators_");
        }
    }
}
