package org.ml2tensor.ir;

import java.util.List;
import java.util.Objects;

/**
 * Several classification targets, one single-target classifier each (scikit-learn's
 * {@code MultiOutputClassifier}, {@code ClassifierChain}, multilabel {@code OneVsRestClassifier}, and the
 * multi-output trees and forests split per output). Its {@link Head.MultiClassification} head gives
 * {@code label [N, T]} and the per-target probability blocks.
 *
 * <p>Member {@code i} predicts target {@code order[i]} ({@code order} null: target {@code i}). With a
 * {@link Feed} other than {@link Feed#NONE} the members form a chain: member {@code i} reads the input columns
 * followed by one value per earlier member, in chain order — its label value ({@link Feed#PREDICT}),
 * {@code predict_proba[:, 1]}, {@code log(predict_proba[:, 1])} or its decision value (scikit-learn's
 * {@code chain_method}; chains are of binary classifiers).
 *
 * @param kind       the library's name (for messages and {@code inspect})
 * @param members    one single-target classifier per target, in chain order
 * @param order      the target each member predicts, or null for {@code 0..T−1}
 * @param feed       what a chain passes on (NONE: independent members)
 * @param inputWidth columns the model reads
 * @param head       the targets' class labels, in target order, and whether probabilities are output
 */
public record MultiTarget(String kind, List<Target> members, int[] order, Feed feed, int inputWidth,
                          Head.MultiClassification head) implements Predictor {

    /** What a chain passes from each member to the later ones (scikit-learn's {@code chain_method}). */
    public enum Feed { NONE, PREDICT, PREDICT_PROBA, PREDICT_LOG_PROBA, DECISION_FUNCTION }

    /** How a member's label is decided. */
    public enum Decide {
        /** The member's own {@code predict}. */
        PREDICT,
        /** Class index 1 where the member's decision value is {@code > 0} (multilabel one-vs-rest). */
        DECISION_POSITIVE,
        /** Class index 1 where {@code predict_proba[:, 1] > 0.5} (multilabel one-vs-rest without decision values). */
        PROBA_OVER_HALF
    }

    /**
     * One member.
     *
     * @param name      its name in the library (for messages and {@code inspect})
     * @param estimator a single-target classifier (a predictor, pipeline or ensemble)
     * @param decide    how its label is decided
     */
    public record Target(String name, Estimator estimator, Decide decide) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(estimator, "estimator");
            Objects.requireNonNull(decide, "decide");
        }

        /** The predictor that ends this member (a pipeline's last step). */
        public Predictor predictor() {
            Estimator e = estimator;
            while (e instanceof Pipeline p) {
                e = p.last();
            }
            if (e instanceof Predictor p) {
                return p;
            }
            throw new IllegalArgumentException("member " + name + " is a transformer, not a classifier");
        }

        /** The member's class labels. */
        public ClassLabels labels() {
            if (predictor().head() instanceof Head.Classification c) {
                return c.labels();
            }
            throw new IllegalArgumentException("member " + name + " is not a single-target classifier");
        }
    }

    public MultiTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(head, "head");
        members = List.copyOf(members);
        int t = members.size();
        if (t == 0 || head.targets().size() != t) {
            throw new IllegalArgumentException(kind + " has " + t + " members for " + head.targets().size() + " targets");
        }
        order = order == null ? null : order.clone();
        boolean[] seen = new boolean[t];
        for (int i = 0; i < t; i++) {
            int target = order == null ? i : order[i];
            if (target < 0 || target >= t || seen[target]) {
                throw new IllegalArgumentException("order is not a permutation of the " + t + " targets");
            }
            seen[target] = true;
            Target m = members.get(i);
            boolean chain = feed != Feed.NONE;
            if (m.estimator().inputWidth() != inputWidth + (chain ? i : 0)) {
                throw new IllegalArgumentException("member " + m.name() + " reads " + m.estimator().inputWidth()
                        + " columns, expected " + (inputWidth + (chain ? i : 0)));
            }
            if (!m.labels().asText().equals(head.targets().get(target).asText())) {
                throw new IllegalArgumentException("member " + m.name() + " has classes " + m.labels().asText()
                        + ", target " + target + " " + head.targets().get(target).asText());
            }
            if ((chain || m.decide() != Decide.PREDICT) && m.labels().size() != 2) {
                throw new IllegalArgumentException("member " + m.name() + " must be binary");
            }
        }
    }

    @Override
    public int[] order() {
        return order == null ? null : order.clone();
    }

    /** The target member {@code i} predicts. */
    public int targetOf(int member) {
        return order == null ? member : order[member];
    }

    @Override
    public ScoreTransform transform() {
        return ScoreTransform.IDENTITY;
    }

    @Override
    public int outputWidth() {
        return head.probabilityWidth();
    }

    @Override
    public ColumnType inputType(int column) {
        return members.get(0).estimator().inputType(column);
    }

    /** A column may be missing only where every member accepts it. */
    @Override
    public boolean[] missingInputs() {
        boolean[] out = Missing.all(inputWidth, true);
        for (Target m : members) {
            boolean[] in = m.estimator().missingInputs();
            for (int i = 0; i < inputWidth && i < in.length; i++) {
                out[i] &= in[i];
            }
        }
        return out;
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitMultiTarget(this);
    }
}
