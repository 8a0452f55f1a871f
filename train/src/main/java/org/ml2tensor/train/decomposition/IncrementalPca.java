package org.ml2tensor.train.decomposition;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.sgd.StateIo;

/**
 * {@code IncrementalPCA.partial_fit} in scikit-learn's order: the running mean and variance of
 * {@code _incremental_mean_and_var} (column sums accumulated row by row, as numpy's axis-0 sum does), the
 * first chunk centred on the running mean, later chunks centred on their own mean and stacked under
 * {@code singular_values_ · components_} with the mean-correction row, then a thin SVD with
 * {@code svd_flip(u_based_decision=False)}. {@code transform} becomes the IR's {@link Transformer.Projection}
 * in the operation order of the scikit-learn release reproduced.
 */
public final class IncrementalPca implements IncrementalEstimator {
    private final Integer nComponents;
    private final boolean whiten;
    private final SklearnVersion version;
    private final Long batchSize;
    private int d = -1;
    private int k;
    private long seen;
    private double[] mean;
    private double[] var;
    private double[][] components;
    private double[] singular;
    private double[] explainedVariance;
    private double[] explainedRatio;
    private double noiseVariance;

    public IncrementalPca(Settings s, SklearnVersion version) {
        Long n = s.optionalLong("n_components", null);
        this.nComponents = n == null ? null : Math.toIntExact(n);
        this.whiten = s.bool("whiten", false);
        s.bool("copy", true);
        this.batchSize = s.optionalLong("batch_size", null);
        this.version = version;
    }

    @Override
    public String sklearnName() {
        return "IncrementalPCA";
    }

    @Override
    public boolean fitted() {
        return components != null;
    }

    @Override
    public double lastLoss() {
        return Double.NaN;
    }

    @Override
    public void partialFit(Chunk c) {
        int n = c.rows();
        boolean first = components == null;
        if (first) {
            d = c.width();
        } else if (c.width() != d) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "X has " + c.width() + " features, but "
                    + "IncrementalPCA is expecting " + d + " features as input.").build();
        }
        if (nComponents == null) {
            k = first ? Math.min(n, d) : components.length;
        } else if (nComponents > d) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "n_components=" + nComponents + " invalid for "
                    + "n_features=" + d + ", need more rows than n_components to fit.").build();
        } else if (nComponents > n && first) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "n_components=" + nComponents + " must be less or "
                    + "equal to the batch number of samples " + n + " for the first partial_fit call.")
                    .hint("use --chunk-rows of at least n_components").build();
        } else {
            k = nComponents;
        }
        if (!first && components.length != k) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "Number of input features has changed from "
                    + components.length + " to " + k + " between calls to partial_fit!").build();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(c.get(i, j))) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "Input X contains NaN or infinity.")
                            .hint("IncrementalPCA needs complete rows (--missing drop)").build();
                }
            }
        }
        // _incremental_mean_and_var with last counts n_samples_seen_ (0 first: mean 0, var 0).
        double[] colSum = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                colSum[j] += c.get(i, j);
            }
        }
        double last = seen;
        double total = last + n;
        double[] lastMean = first ? new double[d] : mean;
        double[] lastVar = first ? new double[d] : var;
        double[] newMean = new double[d];
        double[] newVar = new double[d];
        double[] tMean = new double[d];
        for (int j = 0; j < d; j++) {
            double lastSum = lastMean[j] * last;
            newMean[j] = (lastSum + colSum[j]) / total;
            tMean[j] = colSum[j] / n;
        }
        double[] corr = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double t = c.get(i, j) - tMean[j];
                corr[j] += t;
                sq[j] += t * t;
            }
        }
        for (int j = 0; j < d; j++) {
            double newUnnorm = sq[j] - corr[j] * corr[j] / n;
            if (last == 0) {
                newVar[j] = newUnnorm / total;
            } else {
                double lastSum = lastMean[j] * last;
                double lastOverNew = last / n;
                double diff = lastSum / lastOverNew - colSum[j];
                newVar[j] = (lastVar[j] * last + newUnnorm + lastOverNew / total * (diff * diff)) / total;
            }
        }
        // Centre and stack.
        double[][] a;
        if (first) {
            a = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    a[i][j] = c.get(i, j) - newMean[j];
                }
            }
        } else {
            double[] batchMean = new double[d];
            for (int j = 0; j < d; j++) {
                batchMean[j] = colSum[j] / n; // np.mean(X, axis=0): the same row-by-row sum, divided by n
            }
            int kk = components.length;
            a = new double[kk + n + 1][d];
            for (int r = 0; r < kk; r++) {
                for (int j = 0; j < d; j++) {
                    a[r][j] = singular[r] * components[r][j];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    a[kk + i][j] = c.get(i, j) - batchMean[j];
                }
            }
            double f = Math.sqrt((last / total) * n);
            for (int j = 0; j < d; j++) {
                a[kk + n][j] = f * (mean[j] - batchMean[j]);
            }
        }
        if (a.length < d) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "IncrementalPCA here needs chunks of at least as many "
                    + "rows as features (" + d + ")").hint("raise --chunk-rows").build();
        }
        ThinSvd svd = ThinSvd.of(a, d);
        double varSum = 0;
        for (int j = 0; j < d; j++) {
            varSum += newVar[j] * total;
        }
        int m = svd.s.length;
        double[] ev = new double[m];
        double[] ratio = new double[m];
        for (int i = 0; i < m; i++) {
            double s2 = svd.s[i] * svd.s[i];
            ev[i] = s2 / (total - 1);
            ratio[i] = s2 / varSum;
        }
        seen = (long) total;
        components = java.util.Arrays.copyOf(svd.vt, k);
        singular = java.util.Arrays.copyOf(svd.s, k);
        mean = newMean;
        var = newVar;
        explainedVariance = java.util.Arrays.copyOf(ev, k);
        explainedRatio = java.util.Arrays.copyOf(ratio, k);
        if (k != n && k != d) {
            // numpy's mean of the remaining values: a pairwise sum, sequential for so few values
            double s = 0;
            for (int i = k; i < m; i++) {
                s += ev[i];
            }
            noiseVariance = s / (m - k);
        } else {
            noiseVariance = 0.0;
        }
    }

    /** {@code components_}. */
    public double[][] components() {
        return components;
    }

    /** {@code singular_values_}. */
    public double[] singularValues() {
        return singular;
    }

    /** {@code mean_}. */
    public double[] mean() {
        return mean;
    }

    /** {@code var_}. */
    public double[] var() {
        return var;
    }

    /** {@code explained_variance_}. */
    public double[] explainedVariance() {
        return explainedVariance;
    }

    /** {@code explained_variance_ratio_}. */
    public double[] explainedVarianceRatio() {
        return explainedRatio;
    }

    /** {@code noise_variance_}. */
    public double noiseVariance() {
        return noiseVariance;
    }

    /** {@code n_samples_seen_}. */
    public long samplesSeen() {
        return seen;
    }

    @Override
    public Evaluation newEvaluation() {
        return null;
    }

    @Override
    public Estimator toIr() {
        boolean modern = version == SklearnVersion.V1_9;
        double[] divisor = null;
        if (whiten) {
            divisor = new double[k];
            for (int i = 0; i < k; i++) {
                divisor[i] = Math.sqrt(explainedVariance[i]);
                if (modern && divisor[i] < Math.ulp(1.0)) {
                    divisor[i] = Math.ulp(1.0);
                }
            }
        }
        return new Transformer.Projection(mean, components, modern ? Transformer.Projection.Centring.AFTER
                : Transformer.Projection.Centring.BEFORE, divisor, "pca");
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        st.put("n_components", nComponents == null ? Py.none() : Py.of((long) nComponents))
                .put("whiten", Py.of(whiten)).put("copy", Py.of(true))
                .put("batch_size", batchSize == null ? Py.none() : Py.of(batchSize));
        st.put("n_features_in_", Py.of((long) d)).put("components_", Py.Array.of(components))
                .put("n_components_", Py.of((long) k)).put("n_samples_seen_", Py.of(seen))
                .put("mean_", Py.Array.of(mean)).put("var_", Py.Array.of(var))
                .put("singular_values_", Py.Array.of(singular))
                .put("explained_variance_", Py.Array.of(explainedVariance))
                .put("explained_variance_ratio_", Py.Array.of(explainedRatio))
                .put("noise_variance_", Py.of(noiseVariance));
        return new Py.Instance("sklearn.decomposition._incremental_pca", "IncrementalPCA", st);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(d);
        out.writeInt(k);
        out.writeLong(seen);
        out.writeDouble(noiseVariance);
        for (double[] v : new double[][]{mean, var, singular, explainedVariance, explainedRatio}) {
            StateIo.write(out, v);
        }
        StateIo.write(out, components);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        d = in.readInt();
        k = in.readInt();
        seen = in.readLong();
        noiseVariance = in.readDouble();
        mean = StateIo.readVector(in);
        var = StateIo.readVector(in);
        singular = StateIo.readVector(in);
        explainedVariance = StateIo.readVector(in);
        explainedRatio = StateIo.readVector(in);
        components = StateIo.readMatrix(in);
    }
}
