package org.ml2tensor.conformance.reference;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.MultiTarget;

/**
 * Reference evaluation of a {@link MultiTarget} (and of a multilabel MLP's sigmoid layer): each member through
 * the ordinary {@link ReferenceEvaluator}, on the input plus, in a chain, the earlier members' fed values (as
 * scikit-learn's {@code _get_predictions} builds {@code X_aug}); labels {@code [N][T]} and probability blocks in
 * target order.
 */
final class MultiTargetReference {
    private MultiTargetReference() {
    }

    static ReferenceOutputs evaluate(MultiTarget m, Table x) {
        int n = x.rows;
        int t = m.members().size();
        String[][] labels = new String[n][t];
        double[][][] blocks = new double[t][][];
        List<Table> fed = new ArrayList<>(List.of(x));
        boolean chain = m.feed() != MultiTarget.Feed.NONE;
        for (int i = 0; i < t; i++) {
            MultiTarget.Target member = m.members().get(i);
            Table in = chain && i > 0 ? Table.concat(n, fed) : x;
            ReferenceOutputs o = EnsembleReference.withRaw(ReferenceEvaluator.on(member.estimator(), in),
                    member.predictor());
            ClassLabels classes = member.labels();
            List<String> text = classes.asText();
            double[] feed = new double[n];
            int target = m.targetOf(i);
            for (int r = 0; r < n; r++) {
                int index = switch (member.decide()) {
                    case PREDICT -> text.indexOf(o.intLabels() != null ? Long.toString(o.intLabels()[r])
                            : o.stringLabels()[r]);
                    case DECISION_POSITIVE -> o.raw()[r][0] > 0 ? 1 : 0;
                    case PROBA_OVER_HALF -> o.probabilities()[r][1] > 0.5 ? 1 : 0;
                };
                labels[r][target] = text.get(index);
                feed[r] = switch (m.feed()) {
                    case NONE -> 0;
                    case PREDICT -> ((ClassLabels.Ints) classes).values()[index];
                    case PREDICT_PROBA -> o.probabilities()[r][1];
                    case PREDICT_LOG_PROBA -> Math.log(o.probabilities()[r][1]);
                    case DECISION_FUNCTION -> o.raw()[r][0];
                };
            }
            if (m.head().probabilities()) {
                blocks[target] = o.probabilities();
            }
            if (chain) {
                DMatrixRMaj f = new DMatrixRMaj(n, 1);
                for (int r = 0; r < n; r++) {
                    f.unsafe_set(r, 0, feed[r]);
                }
                fed.add(Table.of(f));
            }
        }
        return new ReferenceOutputs(null, null, m.head().probabilities() ? concat(blocks, n) : null, null, null,
                null, labels);
    }

    /** A multilabel MLP's sigmoid outputs {@code p [N][T]}: labels {@code p > 0.5}, blocks {@code [1 − p, p]}. */
    static ReferenceOutputs multilabel(double[][] p) {
        int n = p.length;
        int t = n == 0 ? 0 : p[0].length;
        String[][] labels = new String[n][t];
        double[][] proba = new double[n][2 * t];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < t; j++) {
                labels[r][j] = p[r][j] > 0.5 ? "1" : "0";
                proba[r][2 * j] = 1 - p[r][j];
                proba[r][2 * j + 1] = p[r][j];
            }
        }
        return new ReferenceOutputs(null, null, proba, null, null, p, labels);
    }

    private static double[][] concat(double[][][] blocks, int n) {
        int w = 0;
        for (double[][] b : blocks) {
            w += b[0].length;
        }
        double[][] out = new double[n][w];
        for (int r = 0; r < n; r++) {
            int at = 0;
            for (double[][] b : blocks) {
                System.arraycopy(b[r], 0, out[r], at, b[r].length);
                at += b[r].length;
            }
        }
        return out;
    }
}
