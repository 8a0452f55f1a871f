package org.ml2tensor.ir;

import java.util.List;
import java.util.Objects;

/**
 * A meta-estimator: sub-estimators ({@link Member}s — predictors, pipelines or other ensembles) over the same
 * input rows, and a {@link Combiner} that turns what they contribute into this estimator's raw scores, which
 * {@link #transform()} and {@link #head()} turn into outputs like any predictor's. Voting, stacking,
 * calibration, bagging and boosting are all this one node; members are lowered and evaluated exactly like
 * whole models, so any predictor the IR knows composes.
 *
 * @param kind       the library's name for it (e.g. {@code StackingClassifier}), for messages and {@code inspect}
 * @param members    the sub-estimators, in the library's order
 * @param combiner   the combining head
 * @param inputWidth columns the ensemble reads
 * @param transform  applied to the combined raw scores (a stacking final estimator's own transform)
 * @param head       the outputs
 */
public record Ensemble(String kind, List<Member> members, Combiner combiner, int inputWidth,
                       ScoreTransform transform, Head head) implements Predictor {
    public Ensemble {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(combiner, "combiner");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(head, "head");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException(kind + " has no sub-estimators");
        }
        boolean chain = combiner instanceof Combiner.Targets t && t.chain();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            int[] cols = m.columns();
            if (cols == null && m.estimator().inputWidth() != inputWidth + (chain ? i : 0)) {
                throw new IllegalArgumentException("member " + m.name() + " reads " + m.estimator().inputWidth()
                        + " columns of " + inputWidth);
            }
            if (cols != null) {
                for (int c : cols) {
                    if (c < 0 || c >= inputWidth) {
                        throw new IllegalArgumentException("member " + m.name() + " reads column " + c + " of "
                                + inputWidth);
                    }
                }
            }
        }
        if (combiner instanceof Combiner.Stack s) {
            int width = metaWidth(members, head) + (s.passthrough() ? inputWidth : 0);
            if (s.finalEstimator().inputWidth() != width) {
                throw new IllegalArgumentException("the final estimator reads " + s.finalEstimator().inputWidth()
                        + " columns but the members give " + width);
            }
        }
    }

    /** Number of columns the members contribute side by side (a stacking final estimator's input). */
    public static int metaWidth(List<Member> members, Head head) {
        int classes = head instanceof Head.Classification c ? c.labels().size() : 0;
        int w = 0;
        for (Member m : members) {
            w += m.width(classes);
        }
        return w;
    }

    /** Number of classes (0 for a regressor). */
    public int classes() {
        return head instanceof Head.Classification c ? c.labels().size() : 0;
    }

    @Override
    public int outputWidth() {
        if (combiner instanceof Combiner.Stack s) {
            return s.finalEstimator().outputWidth();
        }
        if (head instanceof Head.Regression r) {
            return r.targets();
        }
        if (combiner instanceof Combiner.OneVsRest o && o.classifiers(members.size()) == 1) {
            return 2;
        }
        if (combiner instanceof Combiner.AdaBoost && classes() == 2) {
            return 1;
        }
        return classes();
    }

    @Override
    public ColumnType inputType(int column) {
        for (Member m : members) {
            int[] cols = m.columns();
            if (cols == null) {
                return m.estimator().inputType(column);
            }
            for (int i = 0; i < cols.length; i++) {
                if (cols[i] == column) {
                    return m.estimator().inputType(i);
                }
            }
        }
        return ColumnType.FLOAT;
    }

    /** A column may be missing only where every member (and a passthrough final estimator) accepts it. */
    @Override
    public boolean[] missingInputs() {
        boolean[] out = Missing.all(inputWidth, true);
        for (Member m : members) {
            boolean[] in = m.estimator().missingInputs();
            int[] cols = m.columns();
            for (int i = 0; i < Math.min(in.length, inputWidth); i++) {
                int c = cols == null ? i : cols[i];
                out[c] &= in[i];
            }
        }
        if (combiner instanceof Combiner.Stack s && s.passthrough()) {
            boolean[] f = s.finalEstimator().missingInputs();
            int offset = f.length - inputWidth;
            for (int i = 0; i < inputWidth; i++) {
                out[i] &= f[offset + i];
            }
        }
        return out;
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitEnsemble(this);
    }
}
