package org.ml2tensor.train.nb;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.sgd.RandomStates;
import org.ml2tensor.train.sgd.StateIo;

/**
 * {@code CategoricalNB.partial_fit}: features are category codes 0, 1, 2, …; per feature a
 * {@code n_classes × n_categories} count table that widens (zero-padded) when a larger code appears, with
 * each chunk's counts summed per (class, category) first ({@code np.bincount}) and then added;
 * {@code n_categories_} recomputed from the current chunk only (scikit-learn's quirk: it can shrink), and
 * {@code feature_log_prob_} smoothed over the stored table's width. Labels outside {@code classes} add
 * nothing. Codes must be whole non-negative numbers (scikit-learn would truncate fractions silently).
 */
public final class CategoricalNb implements IncrementalEstimator {
    private final double alpha;
    private final boolean forceAlpha;
    private final boolean fitPrior;
    private final long[] minCategories;
    private final Long minCategoriesScalar;
    private final double[] classes;
    private int d = -1;
    private double[] classCount;
    private double[][][] categoryCount;
    private long[] nCategories;
    private final SklearnVersion version;

    public CategoricalNb(Settings s, SklearnVersion v, double[] classes) {
        this.version = v;
        double a = s.number("alpha", 1.0);
        String fa = s.string("force_alpha", v == SklearnVersion.V1_9 ? "True" : "warn");
        this.forceAlpha = fa.equals("True") || fa.equals("true");
        this.alpha = !forceAlpha && a < 1e-10 ? 1e-10 : a;
        this.fitPrior = s.bool("fit_prior", true);
        if (!s.string("class_prior", "None").equals("None")) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "class_prior is not supported; use fit_prior").build();
        }
        String mc = s.string("min_categories", "None");
        if (mc.equals("None")) {
            minCategories = null;
            minCategoriesScalar = null;
        } else if (mc.contains(",")) {
            minCategories = Arrays.stream(mc.replace("[", "").replace("]", "").split(","))
                    .mapToLong(t -> Long.parseLong(t.trim())).toArray();
            minCategoriesScalar = null;
        } else {
            minCategories = null;
            minCategoriesScalar = Long.parseLong(mc.trim());
        }
        this.classes = NbCounts.classes(classes);
    }

    @Override
    public String sklearnName() {
        return "CategoricalNB";
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
            categoryCount = new double[d][k][0];
            nCategories = new long[d];
            if (minCategories != null && minCategories.length != d) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "'min_categories' should have shape ("
                        + d + ",) when an array-like is provided. Got (" + minCategories.length + ",) instead.").build();
            }
        } else {
            NbCounts.checkWidth(c, d, sklearnName());
        }
        int n = c.rows();
        int[] target = NbCounts.targets(c, classes);
        long[] maxCode = new long[d];
        Arrays.fill(maxCode, -1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = c.get(i, j);
                if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, v < 0
                                    ? "Negative values in data passed to CategoricalNB (input X)"
                                    : "CategoricalNB needs category codes 0, 1, 2, ...; row " + (i + 1) + " column "
                                    + (j + 1) + " is " + v)
                            .hint("encode categories as non-negative whole numbers (e.g. with OrdinalEncoder)").build();
                }
                maxCode[j] = Math.max(maxCode[j], (long) v);
            }
        }
        NbCounts.addClassCounts(classCount, target, c);
        for (int j = 0; j < d; j++) {
            long nc = maxCode[j] + 1;
            if (minCategoriesScalar != null) {
                nc = Math.max(nc, minCategoriesScalar);
            } else if (minCategories != null) {
                nc = Math.max(nc, minCategories[j]);
            }
            nCategories[j] = nc;
            int width = categoryCount[j][0].length;
            if (nc > width) {
                for (int cl = 0; cl < k; cl++) {
                    categoryCount[j][cl] = Arrays.copyOf(categoryCount[j][cl], (int) nc);
                }
            }
            // per class: counts = np.bincount(X[mask, j], weights=Y[mask, cl]); cat_count[cl, nonzero] += counts
            for (int cl = 0; cl < k; cl++) {
                double[] counts = new double[(int) maxCode[j] + 1];
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    if (target[i] == cl) {
                        double w = c.weight(i);
                        if (w != 0) { // mask = Y[:, cl].astype(bool)
                            counts[(int) c.get(i, j)] += w;
                            any = true;
                        }
                    }
                }
                if (!any) {
                    continue;
                }
                double[] row = categoryCount[j][cl];
                for (int code = 0; code < counts.length; code++) {
                    if (counts[code] != 0) {
                        row[code] += counts[code];
                    }
                }
            }
        }
    }

    /** {@code class_count_}. */
    public double[] classCount() {
        return classCount.clone();
    }

    /** {@code category_count_[j]}. */
    public double[][] categoryCount(int j) {
        return Arrays.stream(categoryCount[j]).map(double[]::clone).toArray(double[][]::new);
    }

    /** {@code n_categories_}. */
    public long[] nCategories() {
        return nCategories.clone();
    }

    /** {@code feature_log_prob_[j]}: log(cc + alpha) - log(row sum of (cc + alpha)). */
    public double[][] featureLogProb(int j) {
        int k = classes.length;
        double[][] out = new double[k][];
        for (int cl = 0; cl < k; cl++) {
            double[] cc = categoryCount[j][cl];
            double[] smoothed = new double[cc.length];
            for (int t = 0; t < cc.length; t++) {
                smoothed[t] = cc[t] + alpha;
            }
            double sum = pairwiseSum(smoothed, 0, smoothed.length);
            out[cl] = new double[cc.length];
            for (int t = 0; t < cc.length; t++) {
                out[cl][t] = Math.log(smoothed[t]) - Math.log(sum);
            }
        }
        return out;
    }

    /** numpy's pairwise sum along a contiguous axis (blocks of 8 partial sums below 128 values). */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        if (n <= 128) {
            double[] r = new double[8];
            for (int i = 0; i < 8; i++) {
                r[i] = a[from + i];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int t = 0; t < 8; t++) {
                    r[t] += a[from + i + t];
                }
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
    }

    /** {@code class_log_prior_}. */
    public double[] classLogPrior() {
        return NbCounts.classLogPrior(classes.length, classCount, fitPrior);
    }

    /** Joint log-likelihood of one row (a code beyond the table counts as probability 0 would: refused). */
    private int predict(Chunk ch, int i) {
        double[] prior = classLogPrior();
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int cl = 0; cl < classes.length; cl++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                int code = (int) ch.get(i, j);
                double[][] flp = featureLogProb(j);
                s += code < flp[cl].length ? flp[cl][code] : Double.NaN;
            }
            s += prior[cl];
            if (cl == 0 || s > bestScore) {
                best = cl;
                bestScore = s;
            }
        }
        return best;
    }

    @Override
    public Evaluation newEvaluation() {
        return new Evaluation.Classification(classes, ch -> {
            int[] out = new int[ch.rows()];
            for (int i = 0; i < ch.rows(); i++) {
                out[i] = predict(ch, i);
            }
            return out;
        }, null);
    }

    @Override
    public Estimator toIr() {
        // the importer owns CategoricalNB's IR (code one-hot blocks, then a linear model): compile its own pickle
        return org.ml2tensor.train.ImportedIr.of(this, version);
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        st.put("alpha", Py.of(alpha)).put("force_alpha", Py.of(forceAlpha)).put("fit_prior", Py.of(fitPrior))
                .put("class_prior", Py.none());
        st.put("min_categories", minCategoriesScalar != null ? Py.of(minCategoriesScalar)
                : minCategories != null ? Py.Array.ofLongs(minCategories) : Py.none());
        st.put("n_features_in_", Py.of((long) d)).put("classes_", RandomStates.labelArray(classes));
        st.put("class_count_", Py.Array.of(classCount));
        List<Py> counts = new ArrayList<>();
        List<Py> flp = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            counts.add(Py.Array.of(categoryCount[j]));
            flp.add(Py.Array.of(featureLogProb(j)));
        }
        st.put("category_count_", new Py.PyList(counts)).put("feature_log_prob_", new Py.PyList(flp));
        st.put("n_categories_", Py.Array.ofLongs(nCategories));
        st.put("class_log_prior_", Py.Array.of(classLogPrior()));
        return new Py.Instance("sklearn.naive_bayes", "CategoricalNB", st);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(d);
        StateIo.write(out, classCount);
        for (int j = 0; j < d; j++) {
            StateIo.write(out, categoryCount[j]);
            out.writeLong(nCategories[j]);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        d = in.readInt();
        if (d < 0 || d > 1 << 20) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "corrupt checkpoint: " + d + " features").build();
        }
        classCount = StateIo.readVector(in);
        categoryCount = new double[d][][];
        nCategories = new long[d];
        for (int j = 0; j < d; j++) {
            categoryCount[j] = StateIo.readMatrix(in);
            nCategories[j] = in.readLong();
        }
    }
}
