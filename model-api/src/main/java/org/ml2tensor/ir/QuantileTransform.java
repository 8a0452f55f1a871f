package org.ml2tensor.ir;

import java.util.List;

/**
 * QuantileTransformer with uniform output: per column, with quantiles {@code q} and references {@code r},
 * {@code y = ½·(interp(x, q, r) − interp(−x, −q[::-1], −r[::-1]))} in numpy's {@code interp} arithmetic
 * (the average of the forward and the reversed interpolation, which splits runs of equal quantiles), then
 * {@code y = 1} where {@code x == q[-1]} and {@code y = 0} where {@code x == q[0]} (in that order); NaN
 * passes through.
 *
 * @param quantiles  per input column, {@code quantiles_[:, j]} (ascending)
 * @param references {@code references_} (ascending, one per quantile)
 */
public record QuantileTransform(double[][] quantiles, double[] references) implements Transformer {
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
        if (x == q[q.length - 1]) {
            y = 1;
        }
        if (x == q[0]) {
            y = 0;
        }
        return y;
    }

    @Override
    public int inputWidth() {
        return quantiles.length;
    }

    @Override
    public int outputWidth() {
        return quantiles.length;
    }

    @Override
    public boolean[] missingInputs(boolean[] outputsAccept) {
        return outputsAccept.clone();
    }

    @Override
    public List<String> outputNames(List<String> inputNames) {
        return inputNames;
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitQuantileTransform(this);
    }
}
