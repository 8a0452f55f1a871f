package org.ml2tensor.train.nb;

import java.util.Arrays;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.data.Chunk;

/** What the naive Bayes {@code partial_fit}s share: the classes check, label binarising and class counts. */
final class NbCounts {
    private NbCounts() {
    }

    /** {@code classes=}, required before the first chunk: distinct and sorted, as {@code classes_}. */
    static double[] classes(double[] classes) {
        if (classes == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "classes must be passed on the first call to "
                    + "partial_fit.").hint("give --classes").build();
        }
        return Arrays.stream(classes).distinct().sorted().toArray();
    }

    /** A chunk after the first must have the first one's width ({@code n_features_in_}). */
    static void checkWidth(Chunk c, int d, String estimator) {
        if (c.width() != d) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "X has " + c.width() + " features, but "
                    + estimator + " is expecting " + d + " features as input.").build();
        }
    }

    /**
     * The row of {@code label_binarize(y, classes)} each label counts in: its class; a label outside
     * {@code classes} adds nothing (−1), except in the binary case, where its binarised 0 makes the first
     * column, {@code 1 − y}, count it for class 0.
     */
    static int[] targets(Chunk c, double[] classes) {
        boolean binary = classes.length == 2;
        double[] y = c.y();
        int[] target = new int[c.rows()];
        for (int i = 0; i < target.length; i++) {
            int cls = Arrays.binarySearch(classes, y[i]);
            target[i] = cls >= 0 ? cls : binary ? 0 : -1;
        }
        return target;
    }

    /** {@code class_count_ += Y.sum(axis=0)} with {@code Y} weighted by the sample weights, row by row. */
    static void addClassCounts(double[] classCount, int[] target, Chunk c) {
        for (int i = 0; i < target.length; i++) {
            if (target[i] >= 0) {
                classCount[target[i]] += c.weight(i);
            }
        }
    }

    /**
     * {@code class_log_prior_} of the discrete models: {@code log(class_count_) − log(Σ class_count_)} with
     * {@code fit_prior} (a class never seen gets −inf), else {@code −log(n_classes)} for every class.
     */
    static double[] classLogPrior(int k, double[] classCount, boolean fitPrior) {
        double[] out = new double[k];
        if (!fitPrior) {
            Arrays.fill(out, -Math.log(k));
            return out;
        }
        double total = 0;
        for (double v : classCount) {
            total += v;
        }
        for (int c = 0; c < k; c++) {
            out[c] = Math.log(classCount[c]) - Math.log(total);
        }
        return out;
    }
}
