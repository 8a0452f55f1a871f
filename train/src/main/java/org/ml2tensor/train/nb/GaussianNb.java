package org.ml2tensor.train.nb;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.sgd.RandomStates;
import org.ml2tensor.train.sgd.StateIo;

/**
 * {@code GaussianNB} {@code partial_fit}, including scikit-learn's per-call {@code epsilon_} (recomputed from
 * each batch, the new value subtracted from {@code var_} before the update and added after). Written as a
 * pickle; the IR has no Gaussian likelihood node yet, so it does not compile to ONNX.
 */
public final class GaussianNb implements IncrementalEstimator {
    private final double varSmoothing;
    private final double[] classes;
    private int d = -1;
    private double[][] theta;
    private double[][] var;
    private double[] classCount;
    private double epsilon;

    public GaussianNb(Settings s, double[] classes) {
        this.varSmoothing = s.number("var_smoothing", 1e-9);
        if (!s.string("priors", "None").equals("None")) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "priors is not supported").build();
        }
        this.classes = NbCounts.classes(classes);
    }

    @Override
    public String sklearnName() {
        return "GaussianNB";
    }

    @Override
    public boolean fitted() {
        return d >= 0;
    }

    @Override
    public void partialFit(Chunk c) {
        int k = classes.length;
        int n = c.rows();
        if (d < 0) {
            d = c.width();
            theta = new double[k][d];
            var = new double[k][d];
            classCount = new double[k];
        } else {
            NbCounts.checkWidth(c, d, sklearnName());
        }
        double maxVar = 0;
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += c.get(i, j);
            }
            double m = s / n;
            double v = 0;
            for (int i = 0; i < n; i++) {
                double t = c.get(i, j) - m;
                v += t * t;
            }
            maxVar = Math.max(maxVar, v / n);
        }
        boolean first = epsilon == 0 && Arrays.stream(classCount).allMatch(x -> x == 0);
        epsilon = varSmoothing * maxVar;
        if (!first) {
            for (double[] row : var) {
                for (int j = 0; j < d; j++) {
                    row[j] -= epsilon;
                }
            }
        }
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = Arrays.binarySearch(classes, c.y()[i]);
            if (label[i] < 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "The target label(s) [" + c.y()[i]
                        + "] in y do not exist in the initial classes " + Arrays.toString(classes)).build();
            }
        }
        boolean weighted = c.sampleWeight() != null;
        for (int cls = 0; cls < k; cls++) {
            double nNew = 0;
            int count = 0;
            double[] sum = new double[d];
            for (int i = 0; i < n; i++) {
                if (label[i] == cls) {
                    count++;
                    double w = weighted ? c.sampleWeight()[i] : 1;
                    nNew += w;
                    for (int j = 0; j < d; j++) {
                        sum[j] += weighted ? c.get(i, j) * w : c.get(i, j);
                    }
                }
            }
            if (count == 0 || (weighted && Math.abs(nNew) <= 1e-8)) {
                if (count > 0) {
                    classCount[cls] += nNew;
                }
                continue;
            }
            double[] mu = new double[d];
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                mu[j] = sum[j] / nNew;
                double s = 0;
                for (int i = 0; i < n; i++) {
                    if (label[i] == cls) {
                        double t = c.get(i, j) - mu[j];
                        s += weighted ? t * t * c.sampleWeight()[i] : t * t;
                    }
                }
                v[j] = s / nNew;
            }
            double past = classCount[cls];
            if (past == 0) {
                theta[cls] = mu;
                var[cls] = v;
            } else {
                double total = past + nNew;
                for (int j = 0; j < d; j++) {
                    double old = theta[cls][j];
                    double totalMu = (nNew * mu[j] + past * old) / total;
                    double ssd = past * var[cls][j] + nNew * v[j] + (nNew * past / total) * ((old - mu[j]) * (old - mu[j]));
                    theta[cls][j] = totalMu;
                    var[cls][j] = ssd / total;
                }
            }
            classCount[cls] += nNew;
        }
        for (double[] row : var) {
            for (int j = 0; j < d; j++) {
                row[j] += epsilon;
            }
        }
    }

    public double[][] theta() {
        return Arrays.stream(theta).map(double[]::clone).toArray(double[][]::new);
    }

    public double[][] var() {
        return Arrays.stream(var).map(double[]::clone).toArray(double[][]::new);
    }

    public double[] classCount() {
        return classCount.clone();
    }

    public double epsilon() {
        return epsilon;
    }

    /** {@code class_prior_}. */
    public double[] classPrior() {
        double total = Arrays.stream(classCount).sum();
        double[] p = new double[classCount.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = classCount[i] / total;
        }
        return p;
    }

    @Override
    public Evaluation newEvaluation() {
        double[] prior = classPrior();
        return new Evaluation.Classification(classes, ch -> {
            int[] out = new int[ch.rows()];
            for (int i = 0; i < ch.rows(); i++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes.length; c++) {
                    double jll = Math.log(prior[c]);
                    for (int j = 0; j < d; j++) {
                        double t = ch.get(i, j) - theta[c][j];
                        jll -= 0.5 * Math.log(2 * Math.PI * var[c][j]) + 0.5 * t * t / var[c][j];
                    }
                    if (jll > best) {
                        best = jll;
                        out[i] = c;
                    }
                }
            }
            return out;
        }, null);
    }

    @Override
    public Estimator toIr() {
        return org.ml2tensor.train.ImportedIr.of(this, org.ml2tensor.train.SklearnVersion.V1_9);
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        st.put("priors", Py.none()).put("var_smoothing", Py.of(varSmoothing));
        st.put("n_features_in_", Py.of((long) d)).put("classes_", RandomStates.labelArray(classes));
        st.put("epsilon_", Py.of(epsilon)).put("theta_", Py.Array.of(theta)).put("var_", Py.Array.of(var));
        st.put("class_count_", Py.Array.of(classCount)).put("class_prior_", Py.Array.of(classPrior()));
        return new Py.Instance("sklearn.naive_bayes", "GaussianNB", st);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(d);
        StateIo.write(out, theta);
        StateIo.write(out, var);
        StateIo.write(out, classCount);
        out.writeDouble(epsilon);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        d = in.readInt();
        theta = StateIo.readMatrix(in);
        var = StateIo.readMatrix(in);
        classCount = StateIo.readVector(in);
        epsilon = in.readDouble();
    }
}
