package org.ml2tensor.train.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.random.NumpyRandomState;
import org.ml2tensor.train.sgd.RandomStates;
import org.ml2tensor.train.sgd.StateIo;

/**
 * {@code MiniBatchKMeans.partial_fit} in scikit-learn's order. First chunk: {@code _batch_size} and
 * {@code _init_size} fixed from it, the centres from k-means++ run once ({@code randint} row sample when
 * {@code _init_size} is below the chunk length; 1.2's first centre is {@code randint(n)} and unweighted,
 * 1.3+'s a weighted {@code choice}) with the one {@code RandomState(random_state)} kept for every later call.
 * Every chunk: rows labelled with the old centres ({@code ||c||² − 2x·c}, the first minimum), each centre with
 * assigned weight moved to {@code (c·count + Σw·x)/(count + Σw)}, then the random reassignment of
 * low-count centres ({@code choice(n, replace=False)} = a permutation's head) every 10·k rows of
 * {@code _batch_size}.
 */
public final class MiniBatchKMeans implements IncrementalEstimator {
    private final int k;
    private final SklearnVersion version;
    private final String init;
    private final Long seed;
    private final long batchSizeParam;
    private final Long initSizeParam;
    private final double reassignmentRatio;
    private final boolean computeLabels;
    private final double tol;
    private final int maxIter;
    private final int maxNoImprovement;
    private final String nInit;
    private NumpyRandomState random;
    private int d = -1;
    private double[][] centers;
    private double[] counts;
    private long batchSize;
    private long initSize;
    private long sinceReassign;
    private long steps;
    private double tolAbs;
    private long[] labels;
    private double inertia;

    public MiniBatchKMeans(Settings s, SklearnVersion version) {
        this.k = s.integer("n_clusters", 8);
        this.version = version;
        this.init = s.string("init", "k-means++");
        if (!init.equals("k-means++") && !init.equals("random")) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "init=" + init + " is not supported")
                    .hint("init=k-means++ or init=random").build();
        }
        this.seed = s.optionalLong("random_state", null);
        this.batchSizeParam = s.integer("batch_size", 1024);
        this.initSizeParam = s.optionalLong("init_size", null);
        this.reassignmentRatio = s.number("reassignment_ratio", 0.01);
        this.computeLabels = s.bool("compute_labels", true);
        this.tol = s.number("tol", 0.0);
        this.maxIter = s.integer("max_iter", 100);
        this.maxNoImprovement = s.integer("max_no_improvement", 10);
        this.nInit = s.string("n_init", version == SklearnVersion.V1_9 ? "auto" : "warn");
        s.integer("verbose", 0);
        if (k < 1) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "n_clusters must be at least 1").build();
        }
    }

    @Override
    public String sklearnName() {
        return "MiniBatchKMeans";
    }

    @Override
    public boolean fitted() {
        return centers != null;
    }

    @Override
    public double lastLoss() {
        return computeLabels ? inertia : Double.NaN;
    }

    @Override
    public void partialFit(Chunk c) {
        int n = c.rows();
        if (centers == null) {
            d = c.width();
            if (n < k) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "n_samples=" + n + " should be >= n_clusters="
                        + k + ".").hint("use a first chunk of at least n_clusters rows").build();
            }
            random = RandomStates.check(seed);
            batchSize = Math.min(batchSizeParam, n);
            long is;
            if (initSizeParam == null) {
                is = 3 * batchSize;
                if (is < k) {
                    is = 3L * k;
                }
            } else {
                is = initSizeParam < k ? 3L * k : initSizeParam;
            }
            initSize = Math.min(is, n);
            tolAbs = tol == 0 ? 0.0 : tol * meanVariance(c);
            centers = initialCentres(c);
            counts = new double[k];
            sinceReassign = 0;
        } else if (c.width() != d) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "X has " + c.width() + " features, but "
                    + "MiniBatchKMeans is expecting " + d + " features as input.").build();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(c.get(i, j))) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "Input X contains NaN or infinity.")
                            .hint("MiniBatchKMeans needs complete rows (--missing drop)").build();
                }
            }
        }
        boolean reassign = randomReassign();
        step(c, reassign);
        if (computeLabels) {
            long[] lab = new long[n];
            inertia = assign(c, centers, lab);
            labels = lab;
        }
        steps++;
    }

    private double meanVariance(Chunk c) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (int i = 0; i < c.rows(); i++) {
                m += c.get(i, j);
            }
            m /= c.rows();
            double v = 0;
            for (int i = 0; i < c.rows(); i++) {
                double t = c.get(i, j) - m;
                v += t * t;
            }
            s += v / c.rows();
        }
        return s / d;
    }

    private boolean randomReassign() {
        sinceReassign += batchSize;
        boolean empty = false;
        for (double v : counts) {
            empty |= v == 0;
        }
        if (empty || sinceReassign >= 10L * k) {
            sinceReassign = 0;
            return true;
        }
        return false;
    }

    // ---- initialisation ----

    private double[][] initialCentres(Chunk c) {
        int n = c.rows();
        int[] rows;
        if (initSize < n) {
            rows = new int[(int) initSize];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (int) random.randint(0, n);
            }
        } else {
            rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = i;
            }
        }
        int m = rows.length;
        double[][] x = new double[m][d];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = c.get(rows[i], j);
            }
            w[i] = c.weight(rows[i]);
        }
        if (init.equals("random")) {
            int[] pick = version == SklearnVersion.V1_9 ? choiceWeighted(m, k, w) : head(permutation(m), k);
            double[][] out = new double[k][];
            for (int i = 0; i < k; i++) {
                out[i] = x[pick[i]].clone();
            }
            return out;
        }
        return kmeansPlusPlus(x, w);
    }

    private double[][] kmeansPlusPlus(double[][] x, double[] w) {
        int n = x.length;
        boolean weighted = version == SklearnVersion.V1_9;
        int trials = 2 + (int) Math.log(k);
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = dot(x[i], x[i]);
        }
        double[][] out = new double[k][];
        int first;
        if (weighted) {
            double total = 0;
            for (double v : w) {
                total += v;
            }
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = w[i] / total;
            }
            first = searchRight(cumsumNormalised(p), random.randomSample());
        } else {
            first = (int) random.randint(0, n);
        }
        out[0] = x[first].clone();
        double[] closest = distances(x[first], norms[first], x, norms);
        double pot = weighted ? weightedSum(closest, w) : sum(closest);
        for (int c = 1; c < k; c++) {
            double[] cum = new double[n];
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += weighted ? w[i] * closest[i] : closest[i];
                cum[i] = acc;
            }
            int[] cand = new int[trials];
            for (int t = 0; t < trials; t++) {
                double r = random.randomSample() * pot;
                cand[t] = Math.min(searchLeft(cum, r), n - 1);
            }
            int best = -1;
            double bestPot = 0;
            double[] bestDist = null;
            for (int t = 0; t < trials; t++) {
                double[] dist = distances(x[cand[t]], norms[cand[t]], x, norms);
                for (int i = 0; i < n; i++) {
                    dist[i] = Math.min(closest[i], dist[i]);
                }
                double p = weighted ? weightedSum(dist, w) : sum(dist);
                if (best < 0 || p < bestPot) {
                    best = t;
                    bestPot = p;
                    bestDist = dist;
                }
            }
            pot = bestPot;
            closest = bestDist;
            out[c] = x[cand[best]].clone();
        }
        return out;
    }

    /** {@code _euclidean_distances(center, X, squared=True)}: ||c||² + ||x||² − 2 c·x, clipped at 0. */
    private static double[] distances(double[] center, double centerNorm, double[][] x, double[] norms) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = -2 * dot(center, x[i]) + centerNorm + norms[i];
            out[i] = Math.max(v, 0);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    private static double weightedSum(double[] a, double[] w) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * w[i];
        }
        return s;
    }

    private static double[] cumsumNormalised(double[] p) {
        double[] cdf = new double[p.length];
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            cdf[i] = acc;
        }
        double last = cdf[p.length - 1];
        for (int i = 0; i < p.length; i++) {
            cdf[i] /= last;
        }
        return cdf;
    }

    /** {@code np.searchsorted(a, v)} (side='left'): the first index with a[i] ≥ v. */
    private static int searchLeft(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** side='right': the first index with a[i] > v. */
    private static int searchRight(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** numpy's legacy {@code permutation(n)}: Fisher–Yates from the end with masked-rejection bounded draws. */
    private int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) random.randint(0, i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static int[] head(int[] a, int n) {
        return Arrays.copyOf(a, n);
    }

    /** numpy's legacy {@code choice(n, size, replace=False, p=w/Σw)}: rounds of draws, repeats discarded. */
    private int[] choiceWeighted(int n, int size, double[] w) {
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = w[i] / total;
        }
        int[] found = new int[size];
        int have = 0;
        while (have < size) {
            double[] xs = new double[size - have];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = random.randomSample();
            }
            for (int i = 0; i < have; i++) {
                p[found[i]] = 0;
            }
            double[] cdf = cumsumNormalised(p);
            int[] draws = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                draws[i] = searchRight(cdf, xs[i]);
            }
            // np.unique(return_index=True), the first occurrences kept in draw order
            java.util.LinkedHashSet<Integer> seen = new java.util.LinkedHashSet<>();
            for (int v : draws) {
                seen.add(v);
            }
            for (int v : seen) {
                found[have++] = v;
            }
        }
        return found;
    }

    // ---- one step ----

    /** Labels with {@code ||c||² − 2 x·c} and the first minimum; returns the weighted inertia. */
    private double assign(Chunk c, double[][] cs, long[] out) {
        double[] cn = new double[k];
        for (int j = 0; j < k; j++) {
            cn[j] = dot(cs[j], cs[j]);
        }
        double inert = 0;
        double[] row = new double[d];
        for (int i = 0; i < c.rows(); i++) {
            for (int f = 0; f < d; f++) {
                row[f] = c.get(i, f);
            }
            int label = 0;
            double min = cn[0] - 2 * dot(row, cs[0]);
            for (int j = 1; j < k; j++) {
                double v = cn[j] - 2 * dot(row, cs[j]);
                if (v < min) {
                    min = v;
                    label = j;
                }
            }
            out[i] = label;
            double sq = 0;
            for (int f = 0; f < d; f++) {
                double t = row[f] - cs[label][f];
                sq += t * t;
            }
            inert += sq * c.weight(i);
        }
        return inert;
    }

    private void step(Chunk c, boolean reassign) {
        int n = c.rows();
        long[] lab = new long[n];
        assign(c, centers, lab);
        for (int j = 0; j < k; j++) {
            double wsum = 0;
            for (int i = 0; i < n; i++) {
                if (lab[i] == j) {
                    wsum += c.weight(i);
                }
            }
            if (wsum > 0) {
                double[] cen = centers[j];
                for (int f = 0; f < d; f++) {
                    cen[f] = cen[f] * counts[j];
                }
                for (int i = 0; i < n; i++) {
                    if (lab[i] == j) {
                        double w = c.weight(i);
                        for (int f = 0; f < d; f++) {
                            cen[f] += c.get(i, f) * w;
                        }
                    }
                }
                counts[j] += wsum;
                double alpha = 1 / counts[j];
                for (int f = 0; f < d; f++) {
                    cen[f] *= alpha;
                }
            }
        }
        if (reassign && reassignmentRatio > 0) {
            double max = Arrays.stream(counts).max().orElse(0);
            boolean[] to = new boolean[k];
            int nTo = 0;
            for (int j = 0; j < k; j++) {
                to[j] = counts[j] < reassignmentRatio * max;
                nTo += to[j] ? 1 : 0;
            }
            if (nTo > 0.5 * n) {
                Integer[] order = new Integer[k];
                for (int j = 0; j < k; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, (a, b) -> Double.compare(counts[a], counts[b])); // stable, like argsort's
                for (int r = (int) (0.5 * n); r < k; r++) {
                    to[order[r]] = false;
                }
                nTo = 0;
                for (boolean b : to) {
                    nTo += b ? 1 : 0;
                }
            }
            if (nTo > 0) {
                int[] picks = head(permutation(n), nTo);
                double minKept = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    if (!to[j]) {
                        minKept = Math.min(minKept, counts[j]);
                    }
                }
                int p = 0;
                for (int j = 0; j < k; j++) {
                    if (to[j]) {
                        for (int f = 0; f < d; f++) {
                            centers[j][f] = c.get(picks[p], f);
                        }
                        p++;
                        counts[j] = minKept;
                    }
                }
            }
        }
    }

    /** {@code cluster_centers_}. */
    public double[][] centers() {
        return Arrays.stream(centers).map(double[]::clone).toArray(double[][]::new);
    }

    /** {@code _counts}. */
    public double[] counts() {
        return counts.clone();
    }

    /** {@code n_steps_}. */
    public long steps() {
        return steps;
    }

    /** {@code inertia_} of the last chunk (with {@code compute_labels}). */
    public double inertia() {
        return inertia;
    }

    @Override
    public Evaluation newEvaluation() {
        return null;
    }

    @Override
    public Estimator toIr() {
        return org.ml2tensor.train.ImportedIr.of(this, version);
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        st.put("n_clusters", Py.of((long) k)).put("init", Py.of(init)).put("max_iter", Py.of((long) maxIter))
                .put("tol", Py.of(tol)).put("n_init", nInit.matches("\\d+") ? Py.of(Long.parseLong(nInit)) : Py.of(nInit))
                .put("verbose", Py.of(0L)).put("random_state", seed == null ? Py.none() : Py.of(seed))
                .put("max_no_improvement", Py.of((long) maxNoImprovement))
                .put("batch_size", Py.of(batchSizeParam)).put("compute_labels", Py.of(computeLabels))
                .put("init_size", initSizeParam == null ? Py.none() : Py.of(initSizeParam))
                .put("reassignment_ratio", Py.of(reassignmentRatio));
        long nInitResolved = nInit.matches("\\d+") ? Long.parseLong(nInit)
                : nInit.equals("auto") && init.equals("k-means++") ? 1 : 3;
        st.put("n_features_in_", Py.of((long) d)).put("_n_init", Py.of(nInitResolved)).put("_tol", Py.of(tolAbs))
                .put("_batch_size", Py.of(batchSize)).put("_init_size", Py.of(initSize))
                .put("_n_threads", Py.of(1L)).put("cluster_centers_", Py.Array.of(centers))
                .put("_counts", Py.Array.of(counts)).put("_n_since_last_reassign", Py.of(sinceReassign));
        if (computeLabels && labels != null) {
            st.put("labels_", Py.Array.ofLongs(labels)).put("inertia_", Py.of(inertia));
        }
        st.put("n_steps_", Py.of(steps)).put("_n_features_out", Py.of((long) k));
        return new Py.Instance("sklearn.cluster._kmeans", "MiniBatchKMeans", st);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(d);
        out.writeLong(batchSize);
        out.writeLong(initSize);
        out.writeLong(sinceReassign);
        out.writeLong(steps);
        out.writeDouble(tolAbs);
        out.writeDouble(inertia);
        StateIo.write(out, counts);
        StateIo.write(out, centers);
        random.writeState(out);
        out.writeInt(labels == null ? -1 : labels.length);
        if (labels != null) {
            for (long v : labels) {
                out.writeInt((int) v);
            }
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        d = in.readInt();
        batchSize = in.readLong();
        initSize = in.readLong();
        sinceReassign = in.readLong();
        steps = in.readLong();
        tolAbs = in.readDouble();
        inertia = in.readDouble();
        counts = StateIo.readVector(in);
        centers = StateIo.readMatrix(in);
        random = NumpyRandomState.readState(in);
        int n = in.readInt();
        if (n > 1 << 28) {
            throw new IOException("corrupt checkpoint: " + n + " labels");
        }
        labels = n < 0 ? null : new long[n];
        for (int i = 0; i < Math.max(n, 0); i++) {
            labels[i] = in.readInt();
        }
    }
}
