package org.ml2tensor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SplineTransformer: per input column, the B-spline basis of degree {@code k} on knots {@code t} (scipy's
 * {@code BSpline} with coefficient matrix {@code coef}, the identity, or the identity with its first
 * {@code k} rows repeated for periodic splines), one output column per spline in feature-major order, the last
 * spline of each feature dropped when {@code includeBias} is false. Outside the base interval
 * {@code [t[k], t[n]]}: {@link Extrapolation#CONSTANT} repeats the boundary values of the first/last
 * {@code k} splines (others 0), {@link Extrapolation#LINEAR} continues the first/last {@code max(k, 2)}
 * splines linearly with the boundary derivative, {@link Extrapolation#CONTINUE} evaluates the boundary
 * polynomial pieces (scikit-learn's {@code 'error'} raises there instead).
 *
 * @param knots per input column, the knot vector {@code t} (ascending, {@code n + k + 1} knots)
 * @param coef  {@code [n][splines]}, shared by the columns
 */
public record Spline(double[][] knots, int degree, double[][] coef, Extrapolation extrapolation, boolean includeBias)
        implements Transformer {
    /** What happens outside the base interval. */
    public enum Extrapolation { CONSTANT, LINEAR, CONTINUE }

    public Spline {
        Objects.requireNonNull(extrapolation, "extrapolation");
        if (knots.length == 0 || degree < 0 || degree > 16 || coef.length == 0) {
            throw new IllegalArgumentException("a spline needs columns, a degree in 0..16 and coefficients");
        }
        for (double[] t : knots) {
            if (t.length != coef.length + degree + 1) {
                throw new IllegalArgumentException(t.length + " knots for " + coef.length + " coefficients of degree "
                        + degree);
            }
            for (int i = 1; i < t.length; i++) {
                if (!(t[i] >= t[i - 1])) {
                    throw new IllegalArgumentException("knots must be ascending numbers");
                }
            }
            if (!(t[coef.length] > t[degree])) {
                throw new IllegalArgumentException("the base interval is empty");
            }
        }
        int s = coef[0].length;
        for (double[] row : coef) {
            if (row.length != s) {
                throw new IllegalArgumentException("ragged coefficient matrix");
            }
        }
    }

    /** Number of basis functions ({@code n}). */
    public int basisCount() {
        return coef.length;
    }

    /** Splines per column before the bias column is dropped. */
    public int splines() {
        return coef[0].length;
    }

    /** The knot interval scipy evaluates {@code x} in: {@code t[l] <= x < t[l+1]}, clamped to {@code [k, n-1]}. */
    public int interval(int column, double x) {
        double[] t = knots[column];
        int n = basisCount();
        int l = degree;
        while (l < n - 1 && x >= t[l + 1]) {
            l++;
        }
        return l;
    }

    /**
     * The {@code k+1} basis functions that are non-zero on interval {@code l}, at {@code x}, by the Cox–de Boor
     * recursion (scipy's {@code _deBoor_D} with no derivative): {@code b[j]} is basis {@code l - k + j}.
     */
    public double[] deBoor(int column, int l, double x) {
        double[] t = knots[column];
        double[] b = new double[degree + 1];
        double[] h = new double[degree + 1];
        b[0] = 1;
        for (int j = 1; j <= degree; j++) {
            System.arraycopy(b, 0, h, 0, j);
            b[0] = 0;
            for (int n = 1; n <= j; n++) {
                double xb = t[l + n];
                double xa = t[l + n - j];
                if (xb == xa) {
                    b[n] = 0;
                    continue;
                }
                double w = h[n - 1] / (xb - xa);
                b[n - 1] += w * (xb - x);
                b[n] = w * (x - xa);
            }
        }
        return b;
    }

    /** The spline values (all {@link #splines()}) of column {@code column} at {@code x}, scipy's {@code spl(x)}. */
    public double[] values(int column, double x) {
        int l = interval(column, x);
        double[] b = deBoor(column, l, x);
        double[] out = new double[splines()];
        for (int j = 0; j <= degree; j++) {
            double[] row = coef[l - degree + j];
            for (int s = 0; s < out.length; s++) {
                out[s] += row[s] * b[j];
            }
        }
        return out;
    }

    /** The first derivative of the spline values at {@code x} ({@code spl(x, nu=1)}), from the polynomial pieces. */
    public double[] derivatives(int column, double x) {
        double[][] p = piece(column, interval(column, x));
        double u = x - knots[column][interval(column, x)];
        double[] d = new double[splines()];
        for (int i = 0; i < basisCount(); i++) {
            double s = 0;
            for (int q = degree; q >= 1; q--) {
                s = s * u + q * p[i][q];
            }
            for (int c = 0; c < d.length; c++) {
                d[c] += coef[i][c] * s;
            }
        }
        return d;
    }

    /**
     * The polynomial pieces on interval {@code l}: {@code [basis][power]} coefficients of every basis
     * function in {@code u = x - t[l]} (zero rows for the bases not supported there), by the Cox–de Boor
     * recursion on polynomials.
     */
    public double[][] piece(int column, int l) {
        double[] t = knots[column];
        int total = t.length - 1;
        double[][] prev = new double[total][degree + 1];
        prev[l][0] = 1;
        for (int d = 1; d <= degree; d++) {
            double[][] next = new double[total - d][degree + 1];
            for (int i = 0; i < total - d; i++) {
                double left = t[i + d] - t[i];
                if (left != 0) {
                    // (x - t_i)/left · B_{i,d-1}, with x = u + t_l
                    mulAdd(next[i], prev[i], t[l] - t[i], left);
                }
                double right = t[i + d + 1] - t[i + 1];
                if (right != 0) {
                    // (t_{i+d+1} - x)/right · B_{i+1,d-1} = -(u + t_l - t_{i+d+1})/right · B
                    mulAdd(next[i], prev[i + 1], t[l] - t[i + d + 1], -right);
                }
            }
            prev = next;
        }
        return prev;
    }

    /** {@code acc += (u + a) / den · p} on polynomial coefficients. */
    private static void mulAdd(double[] acc, double[] p, double a, double den) {
        for (int q = p.length - 1; q >= 0; q--) {
            if (p[q] == 0) {
                continue;
            }
            if (q + 1 < acc.length) {
                acc[q + 1] += p[q] / den;
            }
            acc[q] += a * p[q] / den;
        }
    }

    /** How many boundary splines linear extrapolation continues ({@code degree + 1} for degree 0 and 1). */
    public int linearColumns() {
        return degree <= 1 ? degree + 1 : degree;
    }

    /** The output row for an input row (the library's transform). */
    public double[] apply(double[] x) {
        int s = splines();
        double[] full = new double[knots.length * s];
        for (int f = 0; f < knots.length; f++) {
            double[] t = knots[f];
            double xmin = t[degree];
            double xmax = t[basisCount()];
            double v = x[f];
            double[] y;
            if (extrapolation == Extrapolation.CONTINUE || xmin <= v && v <= xmax) {
                y = values(f, v);
            } else {
                y = new double[s];
                boolean below = v < xmin;
                double edge = below ? xmin : xmax;
                double[] fv = values(f, edge);
                if (extrapolation == Extrapolation.CONSTANT) {
                    for (int j = 0; j < degree; j++) {
                        int c = below ? j : s - 1 - j;
                        y[c] = fv[c];
                    }
                } else {
                    double[] fp = derivatives(f, edge);
                    for (int j = 0; j < linearColumns(); j++) {
                        int c = below ? j : s - 1 - j;
                        y[c] = fv[c] + (v - edge) * fp[c];
                    }
                }
            }
            System.arraycopy(y, 0, full, f * s, s);
        }
        if (includeBias) {
            return full;
        }
        double[] out = new double[outputWidth()];
        int k = 0;
        for (int i = 0; i < full.length; i++) {
            if ((i + 1) % s != 0) {
                out[k++] = full[i];
            }
        }
        return out;
    }

    @Override
    public int inputWidth() {
        return knots.length;
    }

    @Override
    public int outputWidth() {
        return knots.length * (includeBias ? splines() : splines() - 1);
    }

    @Override
    public boolean[] missingInputs(boolean[] outputsAccept) {
        return Missing.all(inputWidth(), false);
    }

    /** {@code <column>_sp_<i>}. */
    @Override
    public List<String> outputNames(List<String> inputNames) {
        List<String> out = new ArrayList<>();
        for (int f = 0; f < knots.length; f++) {
            for (int i = 0; i < (includeBias ? splines() : splines() - 1); i++) {
                out.add(inputNames.get(f) + "_sp_" + i);
            }
        }
        return out;
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitSpline(this);
    }
}
