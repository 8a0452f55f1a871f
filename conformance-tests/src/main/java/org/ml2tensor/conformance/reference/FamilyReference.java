package org.ml2tensor.conformance.reference;

import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.KernelSvm;
import org.ml2tensor.ir.Mlp;
import org.ml2tensor.ir.Neighbors;

/**
 * Reference evaluation of the SVM, MLP and nearest-neighbour IR records, written from the libraries' own
 * algorithms (libsvm's {@code svm_predict_values} / {@code multiclass_probability}, scikit-learn's
 * {@code _ovr_decision_function}, {@code _forward_pass_fast}, brute-force k-NN with {@code _get_weights}),
 * row by row in float64, with EJML for the dense products.
 */
public final class FamilyReference {
    private FamilyReference() {
    }

    // ---------------------------------------------------------------- SVM

    /** libsvm's one-vs-one decision values (libsvm sign), or the single decision value: {@code [N][pairs or 1]}. */
    public static double[][] svmDecisions(KernelSvm m, DMatrixRMaj x) {
        double[][] sv = m.supportVectors();
        int n = sv.length;
        int f = x.numCols;
        DMatrixRMaj svm = new DMatrixRMaj(sv);
        double[][] out = new double[x.numRows][];
        double[] kr = new double[n];
        int block = 256; // rows per EJML product: bounded memory at any batch size
        for (int from = 0; from < x.numRows; from += block) {
            int rows = Math.min(block, x.numRows - from);
            DMatrixRMaj k = null;
            if (m.kernel() != KernelSvm.Kernel.RBF) {
                DMatrixRMaj part = new DMatrixRMaj(rows, f);
                System.arraycopy(x.data, from * f, part.data, 0, rows * f);
                k = new DMatrixRMaj(rows, n);
                CommonOps_DDRM.multTransB(part, svm, k);
            }
            for (int i = 0; i < rows; i++) {
                int r = from + i;
                for (int s = 0; s < n; s++) {
                    kr[s] = switch (m.kernel()) {
                        case LINEAR -> k.unsafe_get(i, s);
                        case POLY -> powi(m.gamma() * k.unsafe_get(i, s) + m.coef0(), m.degree());
                        case SIGMOID -> Math.tanh(m.gamma() * k.unsafe_get(i, s) + m.coef0());
                        case RBF -> {
                            double d2 = 0;
                            double[] v = sv[s];
                            for (int j = 0; j < f; j++) {
                                double d = x.data[r * f + j] - v[j];
                                d2 += d * d;
                            }
                            yield Math.exp(-m.gamma() * d2);
                        }
                    };
                }
                out[r] = decisions(m, kr);
            }
        }
        return out;
    }

    private static double powi(double base, int times) {
        double tmp = base;
        double ret = 1.0;
        for (int t = times; t > 0; t /= 2) {
            if (t % 2 == 1) {
                ret *= tmp;
            }
            tmp = tmp * tmp;
        }
        return ret;
    }

    private static double[] decisions(KernelSvm m, double[] k) {
        if (!(m.head() instanceof Head.Classification)) {
            double s = 0;
            for (int i = 0; i < k.length; i++) {
                s += m.dualCoef()[0][i] * k[i];
            }
            return new double[]{s + m.intercept()[0]};
        }
        int classes = m.classes();
        int[] start = m.starts();
        int[] count = m.supportCounts();
        double[] dec = new double[m.pairs()];
        int p = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++) {
                double sum = 0;
                for (int s = start[i]; s < start[i] + count[i]; s++) {
                    sum += m.dualCoef()[j - 1][s] * k[s];
                }
                for (int s = start[j]; s < start[j] + count[j]; s++) {
                    sum += m.dualCoef()[i][s] * k[s];
                }
                dec[p] = sum + m.intercept()[p];
                p++;
            }
        }
        return dec;
    }

    static ReferenceOutputs svm(KernelSvm m, DMatrixRMaj x) {
        double[][] dec = svmDecisions(m, x);
        int rows = dec.length;
        if (m.head() instanceof Head.Regression) {
            return new ReferenceOutputs(null, null, null, null, dec);
        }
        if (m.head() instanceof Head.Outlier) {
            long[] labels = new long[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = dec[r][0] > 0 ? 1 : -1;
            }
            return new ReferenceOutputs(labels, null, null, dec, null);
        }
        Head.Classification c = (Head.Classification) m.head();
        int k = m.classes();
        int[] index = new int[rows];
        double[][] values = new double[rows][];
        for (int r = 0; r < rows; r++) {
            double[] votes = new double[k];
            double[] ovrVotes = new double[k];
            double[] conf = new double[k];
            int p = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    double d = dec[r][p++];
                    votes[d > 0 ? i : j]++;
                    ovrVotes[d >= 0 ? i : j]++;
                    conf[i] += d;
                    conf[j] -= d;
                }
            }
            double[] ovr = new double[k];
            for (int i = 0; i < k; i++) {
                ovr[i] = ovrVotes[i] + conf[i] / (3 * (Math.abs(conf[i]) + 1));
            }
            index[r] = m.breakTies() && k > 2 ? argMax(ovr) : argMax(votes);
            if (c.probabilities()) {
                values[r] = coupling(m, dec[r]).p();
            } else if (k == 2) {
                values[r] = new double[]{-dec[r][0]};
            } else {
                values[r] = m.ovr() ? ovr : dec[r];
            }
        }
        return labelled(c, index, values, c.probabilities());
    }

    /** Probabilities and the number of iterations libsvm's coupling ran. */
    public record Coupling(double[] p, int iterations) {
    }

    /** Platt sigmoids ({@code sigmoid_predict}) and {@code multiclass_probability}, as libsvm runs them. */
    public static Coupling coupling(KernelSvm m, double[] dec) {
        int k = m.classes();
        double[][] r = new double[k][k];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double f = dec[p] * m.probA()[p] + m.probB()[p];
                double s = f >= 0 ? Math.exp(-f) / (1.0 + Math.exp(-f)) : 1.0 / (1 + Math.exp(f));
                r[i][j] = Math.min(Math.max(s, 1e-7), 1 - 1e-7);
                r[j][i] = 1 - r[i][j];
                p++;
            }
        }
        int maxIter = Math.max(100, k);
        double[][] q = new double[k][k];
        double[] qp = new double[k];
        double[] prob = new double[k];
        double eps = 0.005 / k;
        for (int t = 0; t < k; t++) {
            prob[t] = 1.0 / k;
            q[t][t] = 0;
            for (int j = 0; j < t; j++) {
                q[t][t] += r[j][t] * r[j][t];
                q[t][j] = q[j][t];
            }
            for (int j = t + 1; j < k; j++) {
                q[t][t] += r[j][t] * r[j][t];
                q[t][j] = -r[j][t] * r[t][j];
            }
        }
        int iter;
        for (iter = 0; iter < maxIter; iter++) {
            double pqp = 0;
            for (int t = 0; t < k; t++) {
                qp[t] = 0;
                for (int j = 0; j < k; j++) {
                    qp[t] += q[t][j] * prob[j];
                }
                pqp += prob[t] * qp[t];
            }
            double maxError = 0;
            for (int t = 0; t < k; t++) {
                maxError = Math.max(maxError, Math.abs(qp[t] - pqp));
            }
            if (maxError < eps) {
                break;
            }
            for (int t = 0; t < k; t++) {
                double diff = (-qp[t] + pqp) / q[t][t];
                prob[t] += diff;
                pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (int j = 0; j < k; j++) {
                    qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
                    prob[j] /= (1 + diff);
                }
            }
        }
        return new Coupling(prob, iter);
    }

    // ---------------------------------------------------------------- MLP

    static ReferenceOutputs mlp(Mlp m, DMatrixRMaj x) {
        DMatrixRMaj a = x;
        int layers = m.weights().size();
        for (int l = 0; l < layers; l++) {
            DMatrixRMaj w = new DMatrixRMaj(m.weights().get(l));
            DMatrixRMaj z = new DMatrixRMaj(a.numRows, w.numCols);
            CommonOps_DDRM.mult(a, w, z);
            double[] b = m.biases().get(l);
            for (int r = 0; r < z.numRows; r++) {
                double[] row = new double[z.numCols];
                for (int c = 0; c < z.numCols; c++) {
                    row[c] = z.unsafe_get(r, c) + b[c];
                }
                row = activate(l == layers - 1 ? m.output() : m.hidden(), row);
                for (int c = 0; c < z.numCols; c++) {
                    z.unsafe_set(r, c, row[c]);
                }
            }
            a = z;
        }
        double[][] out = ReferenceEvaluator.toArrays(a);
        if (m.head() instanceof Head.MultiClassification multilabel) {
            return MultiTargetReference.multilabel(out);
        }
        if (!(m.head() instanceof Head.Classification c)) {
            return new ReferenceOutputs(null, null, null, null, out);
        }
        int[] index = new int[out.length];
        for (int r = 0; r < out.length; r++) {
            if (c.labels().size() == 2) {
                index[r] = out[r][0] > 0.5 ? 1 : 0;
                out[r] = new double[]{1 - out[r][0], out[r][0]};
            } else {
                index[r] = argMax(out[r]);
            }
        }
        return labelled(c, index, out, true);
    }

    private static double[] activate(Mlp.Activation act, double[] v) {
        double[] o = v.clone();
        switch (act) {
            case IDENTITY -> {
            }
            case LOGISTIC -> {
                for (int i = 0; i < o.length; i++) {
                    o[i] = 1 / (1 + Math.exp(-o[i]));
                }
            }
            case TANH -> {
                for (int i = 0; i < o.length; i++) {
                    o[i] = Math.tanh(o[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < o.length; i++) {
                    o[i] = Math.max(o[i], 0);
                }
            }
            case EXP -> {
                for (int i = 0; i < o.length; i++) {
                    o[i] = Math.exp(o[i]);
                }
            }
            case SOFTMAX -> {
                double max = Arrays.stream(o).max().orElse(0);
                double sum = 0;
                for (int i = 0; i < o.length; i++) {
                    o[i] = Math.exp(o[i] - max);
                    sum += o[i];
                }
                for (int i = 0; i < o.length; i++) {
                    o[i] /= sum;
                }
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- k-NN

    /** The distance of a row to a training point under the model's metric (exact form). */
    public static double distance(Neighbors m, double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            double d = Math.abs(x[j] - y[j]);
            switch (m.metric()) {
                case EUCLIDEAN -> s += d * d;
                case MANHATTAN -> s += d;
                case CHEBYSHEV -> s = Math.max(s, d);
                case MINKOWSKI -> s += Math.pow(d, m.p());
            }
        }
        return switch (m.metric()) {
            case EUCLIDEAN -> Math.sqrt(s);
            case MINKOWSKI -> Math.pow(s, 1 / m.p());
            default -> s;
        };
    }

    /**
     * The k nearest training indices of a row, nearest first, the lower index first among equal distances
     * (an insertion into a sorted list of k: a later point displaces only a strictly farther one).
     */
    public static int[] nearest(Neighbors m, double[] x, double[] distances) {
        double[][] pts = m.points();
        int k = m.k();
        int[] out = new int[k];
        int size = 0;
        for (int s = 0; s < pts.length; s++) {
            double d = distance(m, x, pts[s]);
            distances[s] = d;
            if (size == k && d >= distances[out[k - 1]]) {
                continue;
            }
            int at = Math.min(size, k - 1);
            while (at > 0 && distances[out[at - 1]] > d) {
                if (at < k) {
                    out[at] = out[at - 1];
                }
                at--;
            }
            out[at] = s;
            size = Math.min(size + 1, k);
        }
        return out;
    }

    /** Every training index within the radius, in index order. */
    static int[] within(Neighbors m, double[] x, double[] distances) {
        double[][] pts = m.points();
        int[] out = new int[pts.length];
        int size = 0;
        for (int s = 0; s < pts.length; s++) {
            distances[s] = distance(m, x, pts[s]);
            if (distances[s] <= m.radius()) {
                out[size++] = s;
            }
        }
        return Arrays.copyOf(out, size);
    }

    static ReferenceOutputs neighbors(Neighbors m, DMatrixRMaj x) {
        int rows = x.numRows;
        double[][] values = new double[rows][];
        int[] index = new int[rows];
        double[] dist = new double[m.points().length];
        double[] row = new double[x.numCols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < row.length; j++) {
                row[j] = x.unsafe_get(r, j);
            }
            int[] nn = m.byRadius() ? within(m, row, dist) : nearest(m, row, dist);
            double[] w = new double[nn.length];
            boolean anyZero = false;
            for (int i = 0; i < nn.length; i++) {
                anyZero |= dist[nn[i]] == 0;
            }
            for (int i = 0; i < nn.length; i++) {
                double d = dist[nn[i]];
                w[i] = !m.distanceWeights() ? 1 : anyZero ? (d == 0 ? 1 : 0) : 1 / d;
            }
            if (m.head() instanceof Head.Classification c) {
                double[] votes = new double[c.labels().size()];
                double sum = 0;
                for (int i = 0; i < nn.length; i++) {
                    votes[m.classOf()[nn[i]]] += w[i];
                    sum += w[i];
                }
                if (nn.length == 0 && m.outlierClass() >= 0) {
                    votes[m.outlierClass()] = 1;
                    sum = 1;
                }
                for (int i = 0; i < votes.length; i++) {
                    votes[i] /= sum == 0 ? 1 : sum;
                }
                values[r] = votes;
                index[r] = argMax(votes);
            } else {
                int t = m.targets()[0].length;
                double[] y = new double[t];
                double sum = 0;
                for (int i = 0; i < nn.length; i++) {
                    for (int j = 0; j < t; j++) {
                        y[j] += w[i] * m.targets()[nn[i]][j];
                    }
                    sum += w[i];
                }
                for (int j = 0; j < t; j++) {
                    y[j] /= sum;
                }
                values[r] = y;
            }
        }
        if (m.head() instanceof Head.Classification c) {
            return labelled(c, index, values, c.probabilities());
        }
        return new ReferenceOutputs(null, null, null, null, values);
    }

    // ---------------------------------------------------------------- shared

    static int argMax(double[] v) {
        return ReferenceEvaluator.argMax(v);
    }

    private static ReferenceOutputs labelled(Head.Classification c, int[] index, double[][] values, boolean proba) {
        long[] ints = null;
        String[] strings = null;
        if (c.labels() instanceof ClassLabels.Ints il) {
            long[] v = il.values();
            ints = new long[index.length];
            for (int r = 0; r < index.length; r++) {
                ints[r] = v[index[r]];
            }
        } else {
            List<String> s = c.labels().asText();
            strings = new String[index.length];
            for (int r = 0; r < index.length; r++) {
                strings[r] = s.get(index[r]);
            }
        }
        return proba ? new ReferenceOutputs(ints, strings, values, null, null)
                : new ReferenceOutputs(ints, strings, null, values, null);
    }
}
