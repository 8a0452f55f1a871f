package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Neighbors;

/**
 * Lowers k nearest neighbours: the graph holds the training set; distances to every training point, then
 * {@code TopK} (smallest first, the lower index first among equal values: scikit-learn's brute-force order), then
 * the neighbours' one-hot classes or targets gathered and weighted by a batched {@code MatMul}.
 *
 * <p>Euclidean distances use {@code MatMul} ({@code ‖x‖² − 2x·p + ‖p‖²}, clipped at 0, square root only for
 * the weights), as scikit-learn's own brute force does; manhattan and minkowski use the exact form over an
 * {@code [N, F, n]} difference tensor summed over the features in order, chebyshev a running {@code Max} over the
 * features; these forms record cache-sized rows per run ({@link #preferredRows}). Per row the graph holds about {@link #bytesPerRow} bytes; the runtime
 * splits batches to stay within {@code --max-tensor-bytes}, and a model whose single row (or training set)
 * exceeds it is refused.
 */
final class NeighborsLowering {
    private NeighborsLowering() {
    }

    /** Intermediate bytes per input row. */
    static long bytesPerRow(Neighbors m, DType t) {
        long n = m.points().length;
        long f = m.inputWidth();
        return m.metric() == Neighbors.Metric.EUCLIDEAN ? 3 * n * t.byteSize() : 2 * n * f * t.byteSize() + 2 * n * t.byteSize();
    }

    /** Cache budget for one run's largest intermediate of the exact (non-euclidean) forms. */
    static final long CACHE_BYTES = 2L << 20;

    /** Rows per run that keep one {@code [rows, F, n]} intermediate within {@link #CACHE_BYTES}. */
    static long preferredRows(Neighbors m, DType t) {
        long cell = (long) m.points().length * m.inputWidth() * t.byteSize();
        return Math.max(1, Math.min(16_384, CACHE_BYTES / Math.max(1, cell)));
    }

    static void lower(LoweringContext ctx, Neighbors m, Value x) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        double[][] pts = m.points();
        int n = pts.length;
        int f = pts[0].length;
        long max = ctx.options().maxTensorBytes();
        long perRow = bytesPerRow(m, t);
        long table = (long) n * f * t.byteSize();
        if (perRow > max || table > max) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "nearest neighbours over " + n + " training points × "
                    + f + " features need " + Math.max(perRow, table) + " bytes per row or table, over the limit of "
                    + max + " bytes").at("--max-tensor-bytes")
                    .hint("raise --max-tensor-bytes (batches are split to stay within it), or fit on fewer points").build();
        }
        ctx.recordBytesPerRow(perRow);
        if (m.metric() != Neighbors.Metric.EUCLIDEAN) {
            // the exact forms are memory-bound: runs of a few rows keep the [rows, F, n] intermediates in cache
            ctx.recordPreferredRows(preferredRows(m, t));
        }
        Value key;
        Value dist;
        if (m.metric() == Neighbors.Metric.EUCLIDEAN) {
            double[] pt = new double[f * n];
            double[] norms = new double[n];
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < f; j++) {
                    pt[j * n + s] = pts[s][j];
                    norms[s] += pts[s][j] * pts[s][j];
                }
            }
            Value xx = g.reduceSum(g.mul(x, x), 1, true);
            Value dot = g.matMul(x, g.reals("points_t", t, pt, f, n));
            key = g.max(g.add(g.sub(xx, g.mul(dot, g.scalar(t, 2.0))), g.reals("point_norms", t, norms, n)),
                    g.scalar(t, 0.0));
            dist = null;
        } else if (m.metric() == Neighbors.Metric.CHEBYSHEV) {
            // running maximum over the features: |x_j - p_j| per feature as [N, n], Max into the key
            key = null;
            for (int j = 0; j < f; j++) {
                double[] col = new double[n];
                for (int s = 0; s < n; s++) {
                    col[s] = pts[s][j];
                }
                Value xj = g.gather(x, g.longs("feature", new long[]{j}, 1), 1); // [N, 1]
                Value a = g.abs(g.sub(xj, g.reals("points_f" + j, t, col, n)));
                key = key == null ? a : g.max(key, a);
            }
            dist = null;
        } else {
            // [N, F, n]: the training points innermost (long contiguous spans for Sub/Abs), reduced over the
            // features in their order (scikit-learn's sequential sum); rows per run kept cache-sized below
            double[] flat = new double[f * n];
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < f; j++) {
                    flat[j * n + s] = pts[s][j];
                }
            }
            Value diff = g.abs(g.sub(g.unsqueeze(x, 2), g.reals("points_t", t, flat, f, n))); // [N, F, n]
            key = switch (m.metric()) {
                case MANHATTAN -> g.reduceSum(diff, 1, false);
                case MINKOWSKI -> g.reduceSum(g.pow(diff, g.scalar(t, m.p())), 1, false);
                case EUCLIDEAN, CHEBYSHEV -> throw GraphChecks.defect("handled above");
            };
            dist = null;
        }
        if (m.byRadius()) {
            lowerRadius(ctx, m, key);
            return;
        }
        Value[] top = g.topK(key, m.k(), false);
        Value w;
        int k = m.k();
        if (!m.distanceWeights()) {
            w = g.add(g.mul(top[0], g.scalar(t, 0.0)), g.scalar(t, 1.0));
        } else {
            dist = switch (m.metric()) {
                case EUCLIDEAN -> g.sqrt(top[0]);
                case MINKOWSKI -> g.pow(top[0], g.scalar(t, 1.0 / m.p()));
                default -> top[0];
            };
            // scikit-learn _get_weights: 1/d, but rows with a zero distance weigh those neighbours 1 and the rest 0
            Value zero = g.cast(g.equal(dist, g.scalar(t, 0.0)), t);
            Value anyZero = g.greater(g.reduceSum(zero, 1, true), g.scalar(t, 0.0));
            w = g.where(anyZero, zero, g.div(g.scalar(t, 1.0), dist));
        }
        Value w3 = g.unsqueeze(w, 1); // [N, 1, k]
        if (m.head() instanceof Head.Classification c) {
            int classes = c.labels().size();
            double[] onehot = new double[n * classes];
            for (int s = 0; s < n; s++) {
                onehot[s * classes + m.classOf()[s]] = 1;
            }
            Value gathered = g.gather(g.reals("point_classes", t, onehot, n, classes), top[1], 0); // [N, k, C]
            Value votes = g.squeeze(g.matMul(w3, gathered), 1);
            Value sum = g.reduceSum(votes, 1, true);
            Value safe = g.where(g.equal(sum, g.scalar(t, 0.0)), g.scalar(t, 1.0), sum);
            Value proba = g.div(votes, safe);
            g.output(ModelContract.LABEL, HeadLowering.labelsOf(g, c.labels(), g.argMax(proba, 1)));
            if (c.probabilities()) {
                g.output(ModelContract.PROBABILITIES, proba);
            }
        } else {
            int targets = ((Head.Regression) m.head()).targets();
            double[] y = new double[n * targets];
            for (int s = 0; s < n; s++) {
                System.arraycopy(m.targets()[s], 0, y, s * targets, targets);
            }
            Value gathered = g.gather(g.reals("point_targets", t, y, n, targets), top[1], 0); // [N, k, T]
            Value num = g.squeeze(g.matMul(w3, gathered), 1);
            Value den = m.distanceWeights() ? g.reduceSum(w, 1, true) : g.scalar(t, k);
            g.output(ModelContract.VARIABLE, g.div(num, den));
        }
    }

    /** Radius neighbours: every point with distance {@code <= radius}, weighted, aggregated by one MatMul. */
    private static void lowerRadius(LoweringContext ctx, Neighbors m, Value key) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        int n = m.points().length;
        Value zeroV = g.scalar(t, 0.0);
        Value dist = switch (m.metric()) {
            case EUCLIDEAN -> g.sqrt(key);
            case MINKOWSKI -> g.pow(key, g.scalar(t, 1.0 / m.p()));
            default -> key;
        };
        Value inside = g.cast(g.lessOrEqual(dist, g.scalar(t, m.radius())), t);
        Value w;
        if (!m.distanceWeights()) {
            w = inside;
        } else {
            Value zero = g.mul(g.cast(g.equal(dist, zeroV), t), inside);
            Value anyZero = g.greater(g.reduceSum(zero, 1, true), zeroV);
            w = g.where(anyZero, zero, g.div(inside, dist));
        }
        if (m.head() instanceof Head.Classification c) {
            int classes = c.labels().size();
            double[] onehot = new double[n * classes];
            for (int s = 0; s < n; s++) {
                onehot[s * classes + m.classOf()[s]] = 1;
            }
            Value votes = g.matMul(w, g.reals("point_classes", t, onehot, n, classes));
            if (m.outlierClass() >= 0) {
                Value outlier = g.cast(g.equal(g.reduceSum(inside, 1, true), zeroV), t);
                double[] e = new double[classes];
                e[m.outlierClass()] = 1;
                votes = g.add(votes, g.mul(outlier, g.reals("outlier_class", t, e, classes)));
            }
            Value sum = g.reduceSum(votes, 1, true);
            Value proba = g.div(votes, g.where(g.equal(sum, zeroV), g.scalar(t, 1.0), sum));
            g.output(ModelContract.LABEL, HeadLowering.labelsOf(g, c.labels(), g.argMax(proba, 1)));
            if (c.probabilities()) {
                g.output(ModelContract.PROBABILITIES, proba);
            }
        } else {
            int targets = ((Head.Regression) m.head()).targets();
            double[] y = new double[n * targets];
            for (int s = 0; s < n; s++) {
                System.arraycopy(m.targets()[s], 0, y, s * targets, targets);
            }
            // no neighbour: 0/0 = NaN, as scikit-learn's empty mean
            g.output(ModelContract.VARIABLE, g.div(g.matMul(w, g.reals("point_targets", t, y, n, targets)),
                    g.reduceSum(w, 1, true)));
        }
    }
}
