package org.ml2tensor.train.nb;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.sgd.RandomStates;
import org.ml2tensor.train.sgd.StateIo;

/**
 * {@code MultinomialNB}, {@code ComplementNB} and {@code BernoulliNB} {@code partial_fit}: class and feature
 * counts accumulated over chunks (weighted by sample weights; labels outside {@code classes} add nothing, as
 * in scikit-learn), {@code feature_log_prob_} and {@code class_log_prior_} recomputed from the totals.
 * Multinomial and complement models become a linear model with a softmax (their {@code predict_proba});
 * BernoulliNB needs a binarising step the IR does not have.
 */
public final class DiscreteNb implements IncrementalEstimator {
    /** Which model. */
    public enum Kind { MULTINOMIAL, COMPLEMENT, BERNOULLI }

    private final Kind kind;
    private final double alpha;
    private final boolean forceAlpha;
    private final boolean fitPrior;
    private final double binarize;
    private final boolean norm;
    private final double[] classes;
    private final SklearnVersion version;
    private int d = -1;
    private double[] classCount;
    private double[][] featureCount;

    public DiscreteNb(Kind kind, Settings s, SklearnVersion v, double[] classes) {
        this.kind = kind;
        this.version = v;
        double a = s.number("alpha", 1.0);
        String fa = s.string("force_alpha", v == SklearnVersion.V1_9 ? "True" : "warn");
        this.forceAlpha = fa.equals("True") || fa.equals("true");
        this.alpha = !forceAlpha && a < 1e-10 ? 1e-10 : a;
        this.fitPrior = s.bool("fit_prior", true);
        if (s.has("class_prior") && !s.string("class_prior", "None").equals("None")) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "class_prior is not supported; use fit_prior").build();
        }
        s.string("class_prior", "None");
        this.binarize = kind == Kind.BERNOULLI ? s.number("binarize", 0.0) : 0.0;
        this.norm = kind == Kind.COMPLEMENT && s.bool("norm", false);
        this.classes = NbCounts.classes(classes);
    }

    @Override
    public String sklearnName() {
        return switch (kind) {
            case MULTINOMIAL -> "MultinomialNB";
            case COMPLEMENT -> "ComplementNB";
            case BERNOULLI -> "BernoulliNB";
        };
    }

    @Override
    public boolean fitted() {
        return d >= 0;
    }

    @Override
    public void partialFit(Chunk c) {
        int k = classes.length;
        if (d < 0) {
            d = c.width();
            classCount = new double[k];
            featureCount = new double[k][d];
        } else {
            NbCounts.checkWidth(c, d, sklearnName());
        }
        int[] targets = NbCounts.targets(c, classes);
        NbCounts.addClassCounts(classCount, targets, c);
        for (int i = 0; i < c.rows(); i++) {
            int target = targets[i];
            if (target < 0) {
                continue;
            }
            double w = c.weight(i);
            for (int j = 0; j < d; j++) {
                double v = c.get(i, j);
                if (kind == Kind.BERNOULLI) {
                    v = v > binarize ? 1.0 : 0.0;
                } else if (v < 0) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "Negative values in data passed to "
                            + sklearnName()).hint("naive Bayes counts need non-negative features").build();
                }
                featureCount[target][j] += w * v;
            }
        }
    }

    /** {@code class_count_}. */
    public double[] classCount() {
        return classCount.clone();
    }

    /** {@code feature_count_}. */
    public double[][] featureCount() {
        return Arrays.stream(featureCount).map(double[]::clone).toArray(double[][]::new);
    }

    /** ComplementNB's {@code feature_all_}. */
    public double[] featureAll() {
        double[] all = new double[d];
        for (double[] row : featureCount) {
            for (int j = 0; j < d; j++) {
                all[j] += row[j];
            }
        }
        return all;
    }

    /** {@code feature_log_prob_}. */
    public double[][] featureLogProb() {
        int k = classes.length;
        double[][] out = new double[k][d];
        double[] all = featureAll();
        for (int c = 0; c < k; c++) {
            switch (kind) {
                case MULTINOMIAL -> {
                    double sum = 0;
                    for (int j = 0; j < d; j++) {
                        sum += featureCount[c][j] + alpha;
                    }
                    for (int j = 0; j < d; j++) {
                        out[c][j] = Math.log(featureCount[c][j] + alpha) - Math.log(sum);
                    }
                }
                case BERNOULLI -> {
                    double denom = classCount[c] + alpha * 2;
                    for (int j = 0; j < d; j++) {
                        out[c][j] = Math.log(featureCount[c][j] + alpha) - Math.log(denom);
                    }
                }
                case COMPLEMENT -> {
                    double[] comp = new double[d];
                    double sum = 0;
                    for (int j = 0; j < d; j++) {
                        comp[j] = all[j] + alpha - featureCount[c][j];
                        sum += comp[j];
                    }
                    double logged = 0;
                    for (int j = 0; j < d; j++) {
                        out[c][j] = Math.log(comp[j] / sum);
                        logged += out[c][j];
                    }
                    for (int j = 0; j < d; j++) {
                        out[c][j] = norm ? out[c][j] / logged : -out[c][j];
                    }
                }
            }
        }
        return out;
    }

    /** {@code class_log_prior_}. */
    public double[] classLogPrior() {
        return NbCounts.classLogPrior(classes.length, classCount, fitPrior);
    }

    private double[] intercepts() {
        return kind == Kind.COMPLEMENT && classes.length > 1 ? new double[classes.length] : classLogPrior();
    }

    private double[][] jll(Chunk ch) {
        double[][] w = featureLogProb();
        double[] b = intercepts();
        double[][] out = new double[ch.rows()][classes.length];
        for (int i = 0; i < ch.rows(); i++) {
            for (int c = 0; c < classes.length; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += ch.get(i, j) * w[c][j];
                }
                out[i][c] = s + b[c];
            }
        }
        return out;
    }

    @Override
    public Evaluation newEvaluation() {
        if (kind == Kind.BERNOULLI) {
            return null;
        }
        return new Evaluation.Classification(classes, ch -> {
            double[][] j = jll(ch);
            int[] out = new int[j.length];
            for (int i = 0; i < j.length; i++) {
                for (int c = 1; c < classes.length; c++) {
                    if (j[i][c] > j[i][out[i]]) {
                        out[i] = c;
                    }
                }
            }
            return out;
        }, null);
    }

    @Override
    public Estimator toIr() {
        if (kind == Kind.BERNOULLI) {
            return org.ml2tensor.train.ImportedIr.of(this, version);
        }
        return new LinearModel(featureLogProb(), intercepts(), ScoreTransform.SOFTMAX,
                new Head.Classification(RandomStates.labels(classes), true));
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        st.put("alpha", Py.of(alpha)).put("force_alpha", Py.of(forceAlpha)).put("fit_prior", Py.of(fitPrior))
                .put("class_prior", Py.none());
        if (kind == Kind.BERNOULLI) {
            st.put("binarize", Py.of(binarize));
        }
        if (kind == Kind.COMPLEMENT) {
            st.put("norm", Py.of(norm));
            st.put("feature_all_", Py.Array.of(featureAll()));
        }
        st.put("n_features_in_", Py.of((long) d)).put("classes_", RandomStates.labelArray(classes));
        st.put("class_count_", Py.Array.of(classCount)).put("feature_count_", Py.Array.of(featureCount));
        st.put("feature_log_prob_", Py.Array.of(featureLogProb())).put("class_log_prior_", Py.Array.of(classLogPrior()));
        return new Py.Instance("sklearn.naive_bayes", sklearnName(), st);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(d);
        StateIo.write(out, classCount);
        StateIo.write(out, featureCount);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        d = in.readInt();
        classCount = StateIo.readVector(in);
        featureCount = StateIo.readMatrix(in);
    }
}
