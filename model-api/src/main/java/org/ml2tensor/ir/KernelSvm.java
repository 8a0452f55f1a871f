package org.ml2tensor.ir;

import java.util.Objects;

/**
 * A libsvm model (scikit-learn {@code SVC}, {@code NuSVC}, {@code SVR}, {@code NuSVR}, {@code OneClassSVM}) in
 * libsvm's own sign convention: for a classifier, pair {@code p = (i, j)} (lexicographic, {@code i < j}) has
 * {@code dec_p = Σ_{k∈i} dualCoef[j-1][k]·K(x, sv_k) + Σ_{k∈j} dualCoef[i][k]·K(x, sv_k) + intercept[p]}; class
 * {@code i} wins the pair iff {@code dec_p > 0}. Regressors and one-class models have one row of dual
 * coefficients: {@code Σ dualCoef[0][k]·K(x, sv_k) + intercept[0]}.
 *
 * @param kernel         kernel function
 * @param gamma          resolved gamma ({@code _gamma})
 * @param coef0          poly / sigmoid offset
 * @param degree         poly degree (integer power)
 * @param supportVectors {@code [nSV][features]}, grouped by class in class order
 * @param supportCounts  support vectors per class ({@code _n_support}); one entry for regressors and one-class
 * @param dualCoef       {@code _dual_coef_}: {@code [classes-1][nSV]} (one row for regressors and one-class)
 * @param intercept      {@code _intercept_} (= −rho): one per pair, or one
 * @param ovr            classifier decision values in scikit-learn's one-vs-rest form (else raw one-vs-one)
 * @param breakTies      predict = first arg-max of the one-vs-rest decision instead of the libsvm vote
 * @param probA          Platt slope per pair ({@code _probA}); empty without probabilities
 * @param probB          Platt offset per pair ({@code _probB}); empty without probabilities
 * @param head           classification (with probabilities iff Platt parameters are present), regression,
 *                       or outlier detection ({@code label} = 1 iff decision &gt; 0, {@code scores} = decision)
 */
public record KernelSvm(Kernel kernel, double gamma, double coef0, int degree, double[][] supportVectors,
                        int[] supportCounts, double[][] dualCoef, double[] intercept, boolean ovr, boolean breakTies,
                        double[] probA, double[] probB, Head head) implements Predictor {

    /** libsvm kernels ({@code Kernel::k_function}). */
    public enum Kernel {
        /** {@code x·sv}. */
        LINEAR,
        /** {@code (γ·x·sv + coef0)^degree}. */
        POLY,
        /** {@code exp(−γ·‖x − sv‖²)}. */
        RBF,
        /** {@code tanh(γ·x·sv + coef0)}. */
        SIGMOID
    }

    public KernelSvm {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(head, "head");
        if (supportVectors.length == 0 || supportVectors[0].length == 0) {
            throw new IllegalArgumentException("an SVM needs at least one support vector");
        }
        int n = supportVectors.length;
        int f = supportVectors[0].length;
        for (double[] sv : supportVectors) {
            if (sv.length != f) {
                throw new IllegalArgumentException("ragged support vectors");
            }
        }
        int total = 0;
        for (int c : supportCounts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative support count");
            }
            total += c;
        }
        if (total != n) {
            throw new IllegalArgumentException("support counts add up to " + total + ", not " + n);
        }
        int classes = head instanceof Head.Classification c ? c.labels().size() : 1;
        if (head instanceof Head.Classification && supportCounts.length != classes) {
            throw new IllegalArgumentException(supportCounts.length + " support counts for " + classes + " classes");
        }
        int rows = Math.max(1, classes - 1);
        if (dualCoef.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " rows of dual coefficients, found " + dualCoef.length);
        }
        for (double[] row : dualCoef) {
            if (row.length != n) {
                throw new IllegalArgumentException("dual coefficient rows must have " + n + " values");
            }
        }
        int pairs = classes * (classes - 1) / 2;
        if (intercept.length != Math.max(1, pairs)) {
            throw new IllegalArgumentException("expected " + Math.max(1, pairs) + " intercepts, found " + intercept.length);
        }
        if (probA.length != probB.length || (probA.length != 0 && probA.length != pairs)) {
            throw new IllegalArgumentException("Platt parameters must have one value per pair");
        }
        if (head instanceof Head.Classification c && c.probabilities() != (probA.length > 0)) {
            throw new IllegalArgumentException("probabilities need Platt parameters, and only then");
        }
        if (head instanceof Head.Regression r && r.targets() != 1) {
            throw new IllegalArgumentException("an SVM regressor has one target");
        }
        if (kernel == Kernel.POLY && degree < 0) {
            throw new IllegalArgumentException("negative degree");
        }
    }

    /** Number of classes (1 for regressors and one-class models). */
    public int classes() {
        return head instanceof Head.Classification c ? c.labels().size() : 1;
    }

    /** Number of one-vs-one pairs. */
    public int pairs() {
        int k = classes();
        return k * (k - 1) / 2;
    }

    /** First support-vector index of each class block. */
    public int[] starts() {
        int[] s = new int[supportCounts.length];
        for (int i = 1; i < s.length; i++) {
            s[i] = s[i - 1] + supportCounts[i - 1];
        }
        return s;
    }

    @Override
    public int inputWidth() {
        return supportVectors[0].length;
    }

    @Override
    public int outputWidth() {
        if (!(head instanceof Head.Classification c)) {
            return 1;
        }
        int k = c.labels().size();
        if (c.probabilities()) {
            return k;
        }
        return k == 2 ? 1 : ovr ? k : pairs();
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.all(inputWidth(), false);
    }

    @Override
    public ScoreTransform transform() {
        return ScoreTransform.IDENTITY;
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitKernelSvm(this);
    }
}
