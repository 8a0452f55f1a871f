package org.ml2tensor.ir;

/**
 * QuantileTransformer: per column, with quantiles {@code q} and references {@code r},
 * {@code y = ½·(interp(x, q, r) − interp(−x, −q[::-1], −r[::-1]))} in numpy's {@code interp} arithmetic
 * (the average of the forward and the reversed interpolation, which splits runs of equal quantiles), then
 * {@code y = 1} where {@code x == q[-1]} and {@code y = 0} where {@code x == q[0]} (in that order); NaN
 * passes through. With normal output the bounds are {@code x - 1e-7 < q[0]} → 0 and {@code x + 1e-7 > q[-1]} → 1,
 * then {@code norm.ppf} ({@link #ppf}, Wichura's AS241, within 1e-15 relative of scipy's), clipped to
 * ±{@code norm.ppf(1 - (1e-7 - spacing(1)))}.
 *
 * @param quantiles  per input column, {@code quantiles_[:, j]} (ascending)
 * @param references {@code references_} (ascending, one per quantile)
 * @param normal     whether the output is normal ({@code output_distribution='normal'}) rather than uniform
 */
public record QuantileTransform(double[][] quantiles, double[] references, boolean normal)
        implements Transformer.SameColumns {
    /** scikit-learn's {@code BOUNDS_THRESHOLD}. */
    public static final double BOUNDS = 1e-7;

    /** AS241 (PPND16) coefficients, numerators and denominators of the three rational pieces, lowest degree first. */
    public static final double[] A = {3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4, 3.3430575583588128105e+4,
        2.5090809287301226727e+3};
    public static final double[] B = {1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2,
        5.3941960214247511077e+3, 2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
        5.2264952788528545610e+3};
    public static final double[] C = {1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
        3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2,
        7.74545014278341407640e-4};
    public static final double[] D = {1.0, 2.05319162663775882187e0, 1.67638483018380384940e0,
        6.89767334985100004550e-1, 1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
        1.05075007164441684324e-9};
    public static final double[] E = {6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
        2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5,
        2.01033439929228813265e-7};
    public static final double[] F = {1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1,
        1.48753612908506148525e-2, 7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
        2.04426310338993978564e-15};

    /** The lower clip of the normal output, {@code norm.ppf(1e-7 - spacing(1))}. */
    public static final double CLIP_MIN = ppf(BOUNDS - Math.ulp(1.0));
    /** The upper clip of the normal output, {@code norm.ppf(1 - (1e-7 - spacing(1)))}. */
    public static final double CLIP_MAX = ppf(1 - (BOUNDS - Math.ulp(1.0)));

    /** {@code c[0] + c[1]·x + … + c[7]·x⁷} by Horner's rule. */
    public static double horner(double[] c, double x) {
        double s = c[c.length - 1];
        for (int k = c.length - 2; k >= 0; k--) {
            s = s * x + c[k];
        }
        return s;
    }

    /** The standard normal quantile function (AS241): -∞ at 0, +∞ at 1, NaN for NaN. */
    public static double ppf(double p) {
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * horner(A, r) / horner(B, r);
        }
        double r = Math.sqrt(-Math.log(Math.min(p, 1 - p)));
        double v = r <= 5 ? horner(C, r - 1.6) / horner(D, r - 1.6) : horner(E, r - 5) / horner(F, r - 5);
        return q < 0 ? -v : v;
    }

    public QuantileTransform {
        if (quantiles.length == 0 || references.length < 2) {
            throw new IllegalArgumentException("a quantile transform needs columns and at least 2 quantiles");
        }
        for (double[] q : quantiles) {
            if (q.length != references.length) {
                throw new IllegalArgumentException(q.length + " quantiles for " + references.length + " references");
            }
            for (int i = 0; i < q.length; i++) {
                if (Double.isNaN(q[i]) || i > 0 && q[i] < q[i - 1]) {
                    throw new IllegalArgumentException("quantiles must be ascending numbers");
                }
            }
        }
    }

    /** {@code numpy.interp(x, xp, fp)} for ascending {@code xp}, in numpy's arithmetic. */
    public static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (Double.isNaN(x)) {
            return x;
        }
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        if (x < xp[0]) {
            return fp[0];
        }
        int j = 0;
        while (j + 1 < n && xp[j + 1] <= x) {
            j++;
        }
        if (j == n - 1 || xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return slope * (x - xp[j]) + fp[j];
    }

    /** The reversed, negated copy of {@code v} ({@code -v[::-1]}). */
    public static double[] negatedReverse(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[v.length - 1 - i];
        }
        return out;
    }

    /** The output of {@code x} in column {@code j}. */
    public double apply(int j, double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double[] q = quantiles[j];
        double y = 0.5 * (interp(x, q, references) - interp(-x, negatedReverse(q), negatedReverse(references)));
        if (normal ? x + BOUNDS > q[q.length - 1] : x == q[q.length - 1]) {
            y = 1;
        }
        if (normal ? x - BOUNDS < q[0] : x == q[0]) {
            y = 0;
        }
        if (!normal) {
            return y;
        }
        double z = ppf(y);
        return z < CLIP_MIN ? CLIP_MIN : z > CLIP_MAX ? CLIP_MAX : z;
    }

    @Override
    public int width() {
        return quantiles.length;
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitQuantileTransform(this);
    }
}
