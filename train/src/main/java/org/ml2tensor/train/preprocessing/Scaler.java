package org.ml2tensor.train.preprocessing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.DoubleBuffer;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.sgd.StateIo;

/**
 * {@code StandardScaler} (scikit-learn's {@code _incremental_mean_and_var}: running mean, corrected
 * two-pass variance, NaN ignored per feature), {@code MinMaxScaler} and {@code MaxAbsScaler}
 * {@code partial_fit}, with their {@code transform} for pipelines.
 */
public final class Scaler implements IncrementalEstimator {
    /** Which scaler. */
    public enum Kind { STANDARD, MINMAX, MAXABS }

    private static final double EPS = Math.ulp(1.0);

    private final Kind kind;
    private final SklearnVersion version;
    private final boolean withMean;
    private final boolean withStd;
    private int d = -1;
    private double[] count;
    private double[] mean;
    private double[] var;
    private double[] min;
    private double[] max;
    private double[] maxAbs;

    public Scaler(Kind kind, Settings s, SklearnVersion version) {
        this.kind = kind;
        this.version = version;
        this.withMean = kind == Kind.STANDARD && s.bool("with_mean", true);
        this.withStd = kind == Kind.STANDARD && s.bool("with_std", true);
        s.bool("copy", true);
        if (kind != Kind.STANDARD && s.bool("clip", false)) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "clip=True is not supported").build();
        }
        if (kind == Kind.MINMAX && !s.string("feature_range", "(0, 1)").replace(" ", "").equals("(0,1)")) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "only feature_range=(0, 1) is supported").build();
        }
    }

    @Override
    public String sklearnName() {
        return switch (kind) {
            case STANDARD -> "StandardScaler";
            case MINMAX -> "MinMaxScaler";
            case MAXABS -> "MaxAbsScaler";
        };
    }

    @Override
    public boolean fitted() {
        return d >= 0;
    }

    @Override
    public double lastLoss() {
        return Double.NaN;
    }

    @Override
    public void partialFit(Chunk c) {
        if (d < 0) {
            d = c.width();
            count = new double[d];
            mean = new double[d];
            var = new double[d];
            min = new double[d];
            max = new double[d];
            maxAbs = new double[d];
            java.util.Arrays.fill(min, Double.NaN);
            java.util.Arrays.fill(max, Double.NaN);
            java.util.Arrays.fill(maxAbs, Double.NaN);
        } else if (c.width() != d) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "X has " + c.width() + " features, but "
                    + sklearnName() + " is expecting " + d + " features as input.").build();
        }
        int n = c.rows();
        for (int j = 0; j < d; j++) {
            double sum = 0;
            double m = 0;
            double lo = Double.NaN;
            double hi = Double.NaN;
            double abs = Double.NaN;
            for (int i = 0; i < n; i++) {
                double v = c.get(i, j);
                if (Double.isNaN(v)) {
                    continue;
                }
                double w = c.weight(i);
                sum += c.sampleWeight() == null ? v : w * v;
                m += c.sampleWeight() == null ? 1 : w;
                lo = Double.isNaN(lo) || v < lo ? v : lo;
                hi = Double.isNaN(hi) || v > hi ? v : hi;
                abs = Double.isNaN(abs) || Math.abs(v) > abs ? Math.abs(v) : abs;
            }
            if (kind == Kind.STANDARD) {
                double last = count[j];
                double lastSum = mean[j] * last;
                double total = last + m;
                double newMean = (lastSum + sum) / total;
                double tMean = sum / m;
                double corr = 0;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    double v = c.get(i, j);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double t = v - tMean;
                    double w = c.weight(i);
                    corr += c.sampleWeight() == null ? t : w * t;
                    sq += c.sampleWeight() == null ? t * t : w * (t * t);
                }
                double newUnnorm = sq - corr * corr / m;
                double unnorm;
                if (last == 0) {
                    unnorm = newUnnorm;
                } else {
                    double lastOverNew = last / m;
                    double diff = lastSum / lastOverNew - sum;
                    unnorm = var[j] * last + newUnnorm + lastOverNew / total * (diff * diff);
                }
                mean[j] = newMean;
                var[j] = unnorm / total;
                count[j] = total;
            } else {
                count[j] += m;
                min[j] = Double.isNaN(min[j]) ? lo : Double.isNaN(lo) ? min[j] : Math.min(min[j], lo);
                max[j] = Double.isNaN(max[j]) ? hi : Double.isNaN(hi) ? max[j] : Math.max(max[j], hi);
                maxAbs[j] = Double.isNaN(maxAbs[j]) ? abs : Double.isNaN(abs) ? maxAbs[j] : Math.max(maxAbs[j], abs);
            }
        }
    }

    /** {@code mean_}. */
    public double[] mean() {
        return mean.clone();
    }

    /** {@code var_}. */
    public double[] var() {
        return var.clone();
    }

    /** {@code n_samples_seen_} per feature. */
    public double[] samplesSeen() {
        return count.clone();
    }

    public double[] dataMin() {
        return min.clone();
    }

    public double[] dataMax() {
        return max.clone();
    }

    public double[] maxAbs() {
        return maxAbs.clone();
    }

    /** {@code scale_}. */
    public double[] scale() {
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            switch (kind) {
                case STANDARD -> {
                    double sd = Math.sqrt(var[j]);
                    double n = count[j];
                    boolean constant = var[j] <= n * EPS * var[j] + (n * mean[j] * EPS) * (n * mean[j] * EPS);
                    s[j] = constant || sd < 10 * EPS ? 1.0 : sd;
                }
                case MINMAX -> {
                    double range = max[j] - min[j];
                    s[j] = 1.0 / (range < 10 * EPS ? 1.0 : range);
                }
                case MAXABS -> s[j] = maxAbs[j] < 10 * EPS ? 1.0 : maxAbs[j];
            }
        }
        return s;
    }

    /** MinMaxScaler's {@code min_}. */
    public double[] minOffset() {
        double[] s = scale();
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = 0.0 - min[j] * s[j];
        }
        return m;
    }

    /** scikit-learn's {@code transform} of a chunk (a heap copy; same operations, same rounding). */
    public Chunk transform(Chunk c) {
        double[] s = scale();
        double[] m = kind == Kind.MINMAX ? minOffset() : null;
        double[] out = new double[c.rows() * d];
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double v = c.get(i, j);
                out[i * d + j] = switch (kind) {
                    case STANDARD -> {
                        double x = withMean ? v - mean[j] : v;
                        yield withStd ? x / s[j] : x;
                    }
                    case MINMAX -> v * s[j] + m[j];
                    case MAXABS -> v / s[j];
                };
            }
        }
        return new Chunk(DoubleBuffer.wrap(out), c.rows(), d, d, c.y(), c.sampleWeight(), c.end());
    }

    @Override
    public Evaluation newEvaluation() {
        return null;
    }

    @Override
    public Estimator toIr() {
        // scikit-learn's operation order (see Transformer.Affine): (x - mean) / scale, x * scale + min, x / scale.
        double[] s = scale();
        double[] off = new double[d];
        double[] mul = new double[d];
        for (int j = 0; j < d; j++) {
            switch (kind) {
                case STANDARD -> {
                    off[j] = withMean ? mean[j] : 0;
                    mul[j] = withStd ? s[j] : 1.0;
                }
                case MINMAX -> {
                    off[j] = minOffset()[j];
                    mul[j] = s[j];
                }
                case MAXABS -> mul[j] = s[j];
            }
        }
        return new Transformer.Affine(kind == Kind.MINMAX ? Transformer.Affine.Form.MULTIPLY_ADD
                : Transformer.Affine.Form.SUBTRACT_DIVIDE, off, mul);
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        double seen = count[0];
        boolean uniform = java.util.Arrays.stream(count).allMatch(v -> v == seen);
        Py nSeen = uniform ? (version == SklearnVersion.V1_9 ? Py.of(seen) : Py.of((long) seen)) : Py.Array.of(count);
        switch (kind) {
            case STANDARD -> {
                st.put("with_mean", Py.of(withMean)).put("with_std", Py.of(withStd)).put("copy", Py.of(true));
                st.put("n_features_in_", Py.of((long) d)).put("n_samples_seen_", nSeen);
                st.put("mean_", withMean ? Py.Array.of(mean) : Py.none());
                st.put("var_", withStd ? Py.Array.of(var) : Py.none());
                st.put("scale_", withStd ? Py.Array.of(scale()) : Py.none());
            }
            case MINMAX -> {
                st.put("feature_range", new Py.Tuple(java.util.List.of(Py.of(0L), Py.of(1L))));
                st.put("copy", Py.of(true)).put("clip", Py.of(false));
                st.put("n_features_in_", Py.of((long) d)).put("n_samples_seen_", nSeen);
                st.put("scale_", Py.Array.of(scale())).put("min_", Py.Array.of(minOffset()));
                st.put("data_min_", Py.Array.of(min)).put("data_max_", Py.Array.of(max));
                double[] range = new double[d];
                for (int j = 0; j < d; j++) {
                    range[j] = max[j] - min[j];
                }
                st.put("data_range_", Py.Array.of(range));
            }
            case MAXABS -> {
                st.put("copy", Py.of(true)).put("clip", Py.of(false));
                st.put("n_features_in_", Py.of((long) d)).put("n_samples_seen_", nSeen);
                st.put("max_abs_", Py.Array.of(maxAbs)).put("scale_", Py.Array.of(scale()));
            }
        }
        return new Py.Instance("sklearn.preprocessing._data", sklearnName(), st);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(d);
        for (double[] v : new double[][]{count, mean, var, min, max, maxAbs}) {
            StateIo.write(out, v);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        d = in.readInt();
        count = StateIo.readVector(in);
        mean = StateIo.readVector(in);
        var = StateIo.readVector(in);
        min = StateIo.readVector(in);
        max = StateIo.readVector(in);
        maxAbs = StateIo.readVector(in);
    }
}
