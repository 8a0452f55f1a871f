package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.Discretize;
import org.ml2tensor.ir.Polynomial;
import org.ml2tensor.ir.PowerTransform;
import org.ml2tensor.ir.QuantileTransform;

/**
 * Lowerings of the numeric preprocessing records (KBinsDiscretizer, PolynomialFeatures, PowerTransformer,
 * QuantileTransformer), each over a numeric tensor {@code [N, F]} in the graph's real type and in the
 * library's operation order.
 */
final class PreprocessingLowering {
    private PreprocessingLowering() {
    }

    /**
     * Bin codes as {@code ReduceSum(Cast(x >= edge))} over a {@code [F, K]} table of interior edges (padded
     * entries masked off), then, for one-hot output, {@code Equal} against the bin numbers and a Gather of the
     * real bins. In a float32 graph each edge is the smallest float32 not below it, so a float32
     * {@code x >= edge} decides as numpy's float64 searchsorted does.
     */
    static Value discretize(LoweringContext ctx, Discretize d, Value x) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        int f = d.inputWidth();
        int k = 1;
        for (double[] e : d.edges()) {
            k = Math.max(k, e.length);
        }
        double[] edges = new double[f * k];
        boolean[] valid = new boolean[f * k];
        for (int j = 0; j < f; j++) {
            for (int i = 0; i < d.edges()[j].length; i++) {
                edges[j * k + i] = real == DType.FLOAT ? ceilFloat(d.edges()[j][i]) : d.edges()[j][i];
                valid[j * k + i] = true;
            }
        }
        Value ge = g.greaterOrEqual(g.unsqueeze(x, 2), g.reals("bin_edges", real, edges, f, k));
        Value codes = g.reduceSum(g.cast(g.and(ge, g.bools("bin_edge_valid", valid, f, k)), real), 2, false);
        if (!d.oneHot()) {
            return codes;
        }
        int b = 1;
        for (int j = 0; j < f; j++) {
            b = Math.max(b, d.bins(j));
        }
        double[] numbers = new double[f * b];
        List<Long> keep = new ArrayList<>();
        for (int j = 0; j < f; j++) {
            for (int i = 0; i < b; i++) {
                numbers[j * b + i] = i;
                if (i < d.bins(j)) {
                    keep.add((long) (j * b + i));
                }
            }
        }
        Value eq = g.cast(g.equal(g.unsqueeze(codes, 2), g.reals("bin_numbers", real, numbers, f, b)), real);
        Value flat = g.reshape(eq, new long[]{-1, (long) f * b}, Shape.batch((long) f * b));
        if (keep.size() == f * b) {
            return flat;
        }
        long[] idx = keep.stream().mapToLong(Long::longValue).toArray();
        return g.gather(flat, g.longs("bins", idx, idx.length), 1);
    }

    /** The smallest float32 not below {@code v}. */
    static double ceilFloat(double v) {
        float f = (float) v;
        if (f < v) {
            f = Math.nextUp(f);
        }
        return f;
    }

    /**
     * Products degree by degree: the terms of degree d are {@code Gather(degree d-1, prefix) * Gather(x, last)},
     * so each product is formed left to right as scikit-learn forms it; one Gather picks the output columns.
     */
    static Value polynomial(LoweringContext ctx, Polynomial p, Value x) {
        GraphBuilder g = ctx.graph();
        int maxDegree = 0;
        for (int[] t : p.terms()) {
            maxDegree = Math.max(maxDegree, t.length);
        }
        // the terms needed at each degree: the output terms and all their prefixes
        List<Map<List<Integer>, Integer>> levels = new ArrayList<>();
        for (int d = 0; d <= maxDegree; d++) {
            levels.add(new HashMap<>());
        }
        List<List<List<Integer>>> order = new ArrayList<>();
        for (int d = 0; d <= maxDegree; d++) {
            order.add(new ArrayList<>());
        }
        for (int j = 0; j < p.width(); j++) {
            levels.get(1).put(List.of(j), j);
            order.get(1).add(List.of(j));
        }
        for (int[] t : p.terms()) {
            List<Integer> term = Arrays.stream(t).boxed().toList();
            for (int d = 2; d <= term.size(); d++) {
                List<Integer> prefix = term.subList(0, d);
                if (!levels.get(d).containsKey(prefix)) {
                    levels.get(d).put(List.copyOf(prefix), order.get(d).size());
                    order.get(d).add(List.copyOf(prefix));
                }
            }
        }
        List<Value> blocks = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        Value previous = x;
        offsets.add(0); // degree 0 (unused)
        offsets.add(offset);
        blocks.add(x);
        offset += p.width();
        for (int d = 2; d <= maxDegree; d++) {
            List<List<Integer>> terms = order.get(d);
            long[] prefix = new long[terms.size()];
            long[] last = new long[terms.size()];
            for (int i = 0; i < terms.size(); i++) {
                prefix[i] = levels.get(d - 1).get(terms.get(i).subList(0, d - 1));
                last[i] = terms.get(i).get(d - 1);
            }
            Value level = g.mul(g.gather(previous, g.longs("prefix", prefix, prefix.length), 1),
                    g.gather(x, g.longs("factor", last, last.length), 1));
            blocks.add(level);
            offsets.add(offset);
            offset += terms.size();
            previous = level;
        }
        boolean bias = false;
        for (int[] t : p.terms()) {
            bias |= t.length == 0;
        }
        int biasColumn = offset;
        if (bias) {
            Value first = g.gather(x, g.longs("first", new long[]{0}, 1), 1);
            Value zero = g.mul(g.cast(g.isNaN(first), ctx.real()), g.scalar(ctx.real(), 0.0));
            blocks.add(g.add(zero, g.scalar(ctx.real(), 1.0)));
        }
        Value all = blocks.size() == 1 ? blocks.get(0) : g.concat(1, blocks);
        long[] pick = new long[p.terms().length];
        boolean identity = pick.length == offset + (bias ? 1 : 0);
        for (int i = 0; i < pick.length; i++) {
            int[] t = p.terms()[i];
            pick[i] = t.length == 0 ? biasColumn
                    : offsets.get(t.length) + levels.get(t.length).get(Arrays.stream(t).boxed().toList());
            identity &= pick[i] == i;
        }
        return identity ? all : g.gather(all, g.longs("terms", pick, pick.length), 1);
    }

    /** Yeo-Johnson / Box-Cox per column, both branches computed and selected by Where, then the scaler. */
    static Value power(LoweringContext ctx, PowerTransform p, Value x) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        int f = p.inputWidth();
        double[] l = p.lambdas();
        double[] twoMinus = new double[f];
        boolean[] zero = new boolean[f];
        boolean[] two = new boolean[f];
        for (int j = 0; j < f; j++) {
            twoMinus[j] = 2 - l[j];
            zero[j] = Math.abs(l[j]) < PowerTransform.EPS;
            two[j] = !(Math.abs(l[j] - 2) > PowerTransform.EPS);
        }
        Value one = g.scalar(real, 1.0);
        Value lam = g.reals("lambdas", real, l, f);
        Value y;
        if (p.method() == PowerTransform.Method.BOX_COX) {
            Value powered = g.div(g.sub(g.pow(x, lam), one), lam);
            y = g.where(g.bools("lambda_zero", zero, f), g.log(x), powered);
        } else {
            Value xp1 = g.add(x, one);
            Value pos = g.where(g.bools("lambda_zero", zero, f), g.log(xp1),
                    g.div(g.sub(g.pow(xp1, lam), one), lam));
            Value omx = g.sub(one, x);
            Value tm = g.reals("two_minus_lambdas", real, twoMinus, f);
            Value neg = g.where(g.bools("lambda_two", two, f), g.neg(g.log(omx)),
                    g.neg(g.div(g.sub(g.pow(omx, tm), one), tm)));
            y = g.where(g.greaterOrEqual(x, g.scalar(real, 0.0)), pos, neg);
        }
        if (p.mean() == null) {
            return y;
        }
        return g.div(g.sub(y, g.reals("mean", real, p.mean(), f)), g.reals("scale", real, p.scale(), f));
    }

    /**
     * The uniform quantile transform: numpy's {@code interp} forwards and on the negated, reversed tables,
     * averaged, then the exact-bound overrides. {@code interp} is a count of the knots at or below x, a Gather
     * of the knot, value and slope of that segment (slopes computed here with numpy's formula), and Where for
     * the ends and for x on a knot.
     */
    static Value quantile(LoweringContext ctx, QuantileTransform q, Value x) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        int f = q.inputWidth();
        double[][] reversed = new double[f][];
        double[][] refs = new double[f][];
        double[][] refsReversed = new double[f][];
        for (int j = 0; j < f; j++) {
            reversed[j] = QuantileTransform.negatedReverse(q.quantiles()[j]);
            refs[j] = q.references();
            refsReversed[j] = QuantileTransform.negatedReverse(q.references());
        }
        Value forward = interp(ctx, x, q.quantiles(), refs, "forward");
        Value backward = interp(ctx, g.neg(x), reversed, refsReversed, "backward");
        Value y = g.mul(g.scalar(real, 0.5), g.sub(forward, backward));
        double[] first = new double[f];
        double[] last = new double[f];
        for (int j = 0; j < f; j++) {
            first[j] = q.quantiles()[j][0];
            last[j] = q.quantiles()[j][q.references().length - 1];
        }
        if (!q.normal()) {
            y = g.where(g.equal(x, g.reals("upper_bound", real, last, f)), g.scalar(real, 1.0), y);
            return g.where(g.equal(x, g.reals("lower_bound", real, first, f)), g.scalar(real, 0.0), y);
        }
        Value bound = g.scalar(real, QuantileTransform.BOUNDS);
        y = g.where(g.greater(g.add(x, bound), g.reals("upper_bound", real, last, f)), g.scalar(real, 1.0), y);
        y = g.where(g.less(g.sub(x, bound), g.reals("lower_bound", real, first, f)), g.scalar(real, 0.0), y);
        return normalQuantile(g, real, y);
    }

    /**
     * {@code clip(norm.ppf(p), CLIP_MIN, CLIP_MAX)} by AS241: the central and both tail rational pieces computed
     * everywhere and chosen by Where, p = 0 and 1 mapped to the clip bounds; NaN stays NaN.
     */
    private static Value normalQuantile(GraphBuilder g, DType real, Value p) {
        Value q = g.sub(p, g.scalar(real, 0.5));
        Value r1 = g.sub(g.scalar(real, 0.180625), g.mul(q, q));
        Value central = g.div(g.mul(q, horner(g, real, QuantileTransform.A, r1)), horner(g, real, QuantileTransform.B, r1));
        Value tailP = g.min(p, g.sub(g.scalar(real, 1.0), p));
        Value r = g.sqrt(g.neg(g.log(tailP)));
        Value rc = g.sub(r, g.scalar(real, 1.6));
        Value re = g.sub(r, g.scalar(real, 5.0));
        Value near = g.div(horner(g, real, QuantileTransform.C, rc), horner(g, real, QuantileTransform.D, rc));
        Value far = g.div(horner(g, real, QuantileTransform.E, re), horner(g, real, QuantileTransform.F, re));
        Value tail = g.where(g.lessOrEqual(r, g.scalar(real, 5.0)), near, far);
        tail = g.where(g.less(q, g.scalar(real, 0.0)), g.neg(tail), tail);
        Value z = g.where(g.lessOrEqual(g.abs(q), g.scalar(real, 0.425)), central, tail);
        Value lo = g.scalar(real, QuantileTransform.CLIP_MIN);
        Value hi = g.scalar(real, QuantileTransform.CLIP_MAX);
        z = g.where(g.less(z, lo), lo, g.where(g.greater(z, hi), hi, z));
        z = g.where(g.equal(p, g.scalar(real, 0.0)), lo, z);
        return g.where(g.equal(p, g.scalar(real, 1.0)), hi, z);
    }

    private static Value horner(GraphBuilder g, DType real, double[] c, Value x) {
        Value s = g.scalar(real, c[c.length - 1]);
        for (int k = c.length - 2; k >= 0; k--) {
            s = g.add(g.mul(s, x), g.scalar(real, c[k]));
        }
        return s;
    }

    /** {@code numpy.interp(x[:, j], xp[j], fp[j])} for every column j of {@code x [N, F]}. */
    private static Value interp(LoweringContext ctx, Value x, double[][] xp, double[][] fp, String hint) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        int f = xp.length;
        int n = xp[0].length;
        double[] knots = new double[f * n];
        double[] values = new double[f * n];
        double[] slopes = new double[f * n];
        double[] offsets = new double[f];
        double[] first = new double[f];
        double[] last = new double[f];
        double[] firstValue = new double[f];
        double[] lastValue = new double[f];
        for (int j = 0; j < f; j++) {
            for (int i = 0; i < n; i++) {
                knots[j * n + i] = xp[j][i];
                values[j * n + i] = fp[j][i];
                if (i + 1 < n) {
                    slopes[j * n + i] = (fp[j][i + 1] - fp[j][i]) / (xp[j][i + 1] - xp[j][i]);
                }
            }
            offsets[j] = j * n;
            first[j] = xp[j][0];
            last[j] = xp[j][n - 1];
            firstValue[j] = fp[j][0];
            lastValue[j] = fp[j][n - 1];
        }
        Value count = g.reduceSum(g.cast(g.greaterOrEqual(g.unsqueeze(x, 2),
                g.reals(hint + "_knots", real, knots, f, n)), real), 2, false);
        Value segment = g.min(g.max(g.sub(count, g.scalar(real, 1.0)), g.scalar(real, 0.0)),
                g.scalar(real, n - 2));
        Value index = g.cast(g.add(segment, g.reals(hint + "_offsets", real, offsets, f)), DType.INT64);
        Value knot = g.gather(g.reals(hint + "_knot_table", real, knots, (long) f * n), index, 0);
        Value value = g.gather(g.reals(hint + "_value_table", real, values, (long) f * n), index, 0);
        Value slope = g.gather(g.reals(hint + "_slope_table", real, slopes, (long) f * n), index, 0);
        Value inner = g.where(g.equal(knot, x), value, g.add(g.mul(slope, g.sub(x, knot)), value));
        Value low = g.where(g.less(x, g.reals(hint + "_first", real, first, f)),
                g.reals(hint + "_first_value", real, firstValue, f), inner);
        return g.where(g.greaterOrEqual(x, g.reals(hint + "_last", real, last, f)),
                g.reals(hint + "_last_value", real, lastValue, f), low);
    }

    /**
     * B-splines: the knot interval l of each value (a count of the knots at or below it, clamped to the base
     * intervals, as scipy searches), the polynomial pieces of every basis function on that interval gathered
     * per power and evaluated by Horner in {@code u = x - t[l]}, times the coefficient matrix; outside the base
     * interval the boundary values (and slopes) of the constant/linear extrapolation, chosen by Where.
     */
    static Value spline(LoweringContext ctx, org.ml2tensor.ir.Spline sp, Value x) {
        GraphBuilder g = ctx.graph();
        DType real = ctx.real();
        int f = sp.inputWidth();
        int k = sp.degree();
        int n = sp.basisCount();
        int s = sp.splines();
        int intervals = n - k;
        int knotCount = n + k + 1;
        double[] knots = new double[f * knotCount];
        double[] starts = new double[f * intervals];
        double[][] powers = new double[k + 1][f * intervals * n];
        double[] offsets = new double[f];
        for (int j = 0; j < f; j++) {
            System.arraycopy(sp.knots()[j], 0, knots, j * knotCount, knotCount);
            offsets[j] = j * intervals - k;
            for (int l = k; l < n; l++) {
                int row = j * intervals + (l - k);
                starts[row] = sp.knots()[j][l];
                double[][] piece = sp.piece(j, l);
                for (int i = 0; i < n; i++) {
                    for (int q = 0; q <= k; q++) {
                        powers[q][row * n + i] = piece[i][q];
                    }
                }
            }
        }
        Value count = g.reduceSum(g.cast(g.greaterOrEqual(g.unsqueeze(x, 2),
                g.reals("spline_knots", real, knots, f, knotCount)), real), 2, false);
        Value l = g.min(g.max(g.sub(count, g.scalar(real, 1.0)), g.scalar(real, k)), g.scalar(real, n - 1));
        Value row = g.cast(g.add(l, g.reals("spline_offsets", real, offsets, f)), DType.INT64);
        Value u = g.unsqueeze(g.sub(x, g.gather(g.reals("spline_starts", real, starts, (long) f * intervals), row, 0)), 2);
        Value b = g.gather(g.reals("spline_piece_" + k, real, powers[k], (long) f * intervals, n), row, 0);
        for (int q = k - 1; q >= 0; q--) {
            b = g.add(g.mul(b, u), g.gather(g.reals("spline_piece_" + q, real, powers[q], (long) f * intervals, n), row, 0));
        }
        double[] c = new double[n * s];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sp.coef()[i], 0, c, i * s, s);
        }
        Value y = g.matMul(b, g.reals("spline_coef", real, c, n, s)); // [N, F, s]
        if (sp.extrapolation() != org.ml2tensor.ir.Spline.Extrapolation.CONTINUE) {
            double[] lowValue = new double[f * s];
            double[] lowSlope = new double[f * s];
            double[] highValue = new double[f * s];
            double[] highSlope = new double[f * s];
            double[] xmin = new double[f];
            double[] xmax = new double[f];
            boolean linear = sp.extrapolation() == org.ml2tensor.ir.Spline.Extrapolation.LINEAR;
            int edgeColumns = linear ? sp.linearColumns() : k;
            for (int j = 0; j < f; j++) {
                xmin[j] = sp.knots()[j][k];
                xmax[j] = sp.knots()[j][n];
                double[] lo = sp.values(j, xmin[j]);
                double[] hi = sp.values(j, xmax[j]);
                double[] dlo = linear ? sp.derivatives(j, xmin[j]) : new double[s];
                double[] dhi = linear ? sp.derivatives(j, xmax[j]) : new double[s];
                for (int e = 0; e < edgeColumns && e < s; e++) {
                    lowValue[j * s + e] = lo[e];
                    lowSlope[j * s + e] = dlo[e];
                    highValue[j * s + s - 1 - e] = hi[s - 1 - e];
                    highSlope[j * s + s - 1 - e] = dhi[s - 1 - e];
                }
            }
            Value min = g.reals("spline_xmin", real, xmin, f);
            Value max = g.reals("spline_xmax", real, xmax, f);
            Value below = g.unsqueeze(g.sub(x, min), 2);
            Value above = g.unsqueeze(g.sub(x, max), 2);
            Value low = g.add(g.reals("spline_low_value", real, lowValue, f, s),
                    g.mul(below, g.reals("spline_low_slope", real, lowSlope, f, s)));
            Value high = g.add(g.reals("spline_high_value", real, highValue, f, s),
                    g.mul(above, g.reals("spline_high_slope", real, highSlope, f, s)));
            Value outside = g.where(g.unsqueeze(g.less(x, min), 2), low, high);
            Value inside = g.unsqueeze(g.and(g.lessOrEqual(min, x), g.lessOrEqual(x, max)), 2);
            y = g.where(inside, y, outside);
        }
        Value flat = g.reshape(y, new long[]{-1, (long) f * s}, Shape.batch((long) f * s));
        if (sp.includeBias()) {
            return flat;
        }
        long[] keep = new long[f * (s - 1)];
        int at = 0;
        for (int i = 0; i < f * s; i++) {
            if ((i + 1) % s != 0) {
                keep[at++] = i;
            }
        }
        return g.gather(flat, g.longs("spline_columns", keep, keep.length), 1);
    }

    /**
     * KNNImputer: nan_euclidean distances to every training row from three MatMuls over zero-filled values and
     * presence masks (scikit-learn's expanded form), then per column the k nearest donors by k rounds of
     * ArgMax(-distance) with the chosen one masked to +inf, their (weighted) mean, the column mean where no
     * donor has a defined distance, and Where(IsNaN) to fill only the missing cells. Computed in float64 even
     * in a float32 graph (Cast in and out).
     */
    static Value knnImpute(LoweringContext ctx, org.ml2tensor.ir.KnnImpute knn, Value input) {
        GraphBuilder g = ctx.graph();
        // always float64: the expanded distance form cancels badly in float32 (1e-3 relative in the weights)
        DType real = DType.DOUBLE;
        Value x = input.dtype() == real ? input : g.cast(input, real);
        double[][] fit = knn.fitX();
        int m = fit.length;
        int f = fit[0].length;
        double[] t0 = new double[f * m];
        double[] tp = new double[f * m];
        double[] tsq = new double[f * m];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < f; c++) {
                boolean present = !Double.isNaN(fit[r][c]);
                double v = present ? fit[r][c] : 0;
                t0[c * m + r] = v; // transposed [F, M]
                tp[c * m + r] = present ? 1 : 0;
                tsq[c * m + r] = v * v;
            }
        }
        Value zero = g.scalar(real, 0.0);
        Value nan = g.isNaN(x);
        Value x0 = g.where(nan, zero, x);
        Value xp = g.cast(g.not(nan), real);
        Value presentT = g.reals("knn_present", real, tp, f, m);
        Value sq = g.add(g.sub(g.matMul(g.mul(x0, x0), presentT),
                g.mul(g.scalar(real, 2.0), g.matMul(x0, g.reals("knn_train", real, t0, f, m)))),
                g.matMul(xp, g.reals("knn_train_sq", real, tsq, f, m)));
        sq = g.max(sq, zero);
        Value count = g.matMul(xp, presentT);
        Value dist = g.sqrt(g.mul(g.div(sq, g.max(count, g.scalar(real, 1.0))), g.scalar(real, f)));
        Value defined = g.greater(count, zero);
        Value inf = g.scalar(real, Double.POSITIVE_INFINITY);
        double[] index = new double[m];
        for (int r = 0; r < m; r++) {
            index[r] = r;
        }
        Value rows = g.reals("knn_rows", real, index, 1, m);
        int take = Math.min(knn.k(), m);
        List<Value> columns = new ArrayList<>();
        for (int c = 0; c < f; c++) {
            double[] donor = new double[m];
            double[] values = new double[m];
            for (int r = 0; r < m; r++) {
                donor[r] = Double.isNaN(fit[r][c]) ? 0 : 1;
                values[r] = Double.isNaN(fit[r][c]) ? 0 : fit[r][c];
            }
            Value valid = g.and(defined, g.greater(g.reals("knn_donor", real, donor, 1, m), zero));
            Value d = g.where(valid, dist, inf);
            Value col = g.reals("knn_values", real, values, 1, m);
            List<Value> ds = new ArrayList<>();
            List<Value> vs = new ArrayList<>();
            for (int t = 0; t < take; t++) {
                Value idx = g.cast(g.unsqueeze(g.argMax(g.neg(d), 1), 1), real);
                Value chosen = g.equal(idx, rows);
                ds.add(g.reduceSum(g.where(chosen, d, zero), 1, true));
                vs.add(g.reduceSum(g.where(chosen, col, zero), 1, true));
                d = g.where(chosen, inf, d);
            }
            Value sd = ds.size() == 1 ? ds.get(0) : g.concat(1, ds);
            Value sv = vs.size() == 1 ? vs.get(0) : g.concat(1, vs);
            Value w;
            if (knn.distance()) {
                Value atZero = g.cast(g.equal(sd, zero), real);
                Value anyZero = g.greater(g.reduceSum(atZero, 1, true), zero);
                w = g.where(anyZero, atZero, g.div(g.scalar(real, 1.0), sd));
            } else {
                w = g.cast(g.less(sd, inf), real);
            }
            Value sw = g.reduceSum(w, 1, true);
            Value mean = g.div(g.reduceSum(g.mul(w, sv), 1, true), g.max(sw, g.scalar(real, Double.MIN_VALUE)));
            Value imputed = g.where(g.greater(sw, zero), mean, g.scalar(real, knn.columnMean(c)));
            Value xc = g.gather(x, g.longs("knn_column", new long[]{c}, 1), 1);
            columns.add(g.where(g.isNaN(xc), imputed, xc));
        }
        Value out = columns.size() == 1 ? columns.get(0) : g.concat(1, columns);
        return input.dtype() == real ? out : g.cast(out, input.dtype());
    }
}
