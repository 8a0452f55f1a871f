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
 * the weights), as scikit-learn's own brute force does; the other metrics use the exact form over an
 * {@code [N, n, F]} difference tensor. Per row the graph holds about {@link #bytesPerRow} bytes; the runtime
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
        } else {
            double[] flat = new double[n * f];
            for (int s = 0; s < n; s++) {
                System.arraycopy(pts[s], 0, flat, s * f, f);
            }
            Value diff = g.abs(g.sub(g.unsqueeze(x, 1), g.reals("points", t, flat, n, f))); // [N, n, F]
            key = switch (m.metric()) {
                case MANHATTAN -> g.reduceSum(diff, 2, false);
                case CHEBYSHEV -> g.squeeze(g.topK(diff, 1, true)[0], 2);
                case MINKOWSKI -> g.reduceSum(g.pow(diff, g.scalar(t, m.p())), 2, false);
                case EUCLIDEAN -> throw GraphChecks.defect("euclidean handled above");
            };
            dist = null;
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
            g.output(ModelContract.PROBABILITIES, proba);
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
}
