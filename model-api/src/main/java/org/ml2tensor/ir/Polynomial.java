package org.ml2tensor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * PolynomialFeatures: each output column is the product of the input columns of one term, multiplied left to
 * right in ascending column order ({@code x0·x1·x2 = (x0·x1)·x2}, as scikit-learn builds each degree from the
 * one before); the empty term is the bias column of ones.
 *
 * @param width input columns
 * @param terms per output column, the input columns multiplied (ascending, repeats for powers)
 */
public record Polynomial(int width, int[][] terms) implements Transformer {
    public Polynomial {
        if (width <= 0 || terms.length == 0) {
            throw new IllegalArgumentException("polynomial features need input columns and terms");
        }
        for (int[] t : terms) {
            for (int i = 0; i < t.length; i++) {
                if (t[i] < 0 || t[i] >= width || i > 0 && t[i] < t[i - 1]) {
                    throw new IllegalArgumentException("term columns must be ascending input columns");
                }
            }
        }
    }

    /** The output row for an input row. */
    public double[] apply(double[] x) {
        double[] out = new double[terms.length];
        for (int k = 0; k < terms.length; k++) {
            int[] t = terms[k];
            if (t.length == 0) {
                out[k] = 1;
                continue;
            }
            double p = x[t[0]];
            for (int i = 1; i < t.length; i++) {
                p *= x[t[i]];
            }
            out[k] = p;
        }
        return out;
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public int outputWidth() {
        return terms.length;
    }

    @Override
    public boolean[] missingInputs(boolean[] outputsAccept) {
        return Missing.all(width, false);
    }

    /** {@code get_feature_names_out}: {@code 1}, {@code x0}, {@code x0^2}, {@code x0 x1}, … */
    @Override
    public List<String> outputNames(List<String> inputNames) {
        List<String> out = new ArrayList<>();
        for (int[] t : terms) {
            if (t.length == 0) {
                out.add("1");
                continue;
            }
            StringBuilder b = new StringBuilder();
            int i = 0;
            while (i < t.length) {
                int j = i;
                while (j < t.length && t[j] == t[i]) {
                    j++;
                }
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(inputNames.get(t[i]));
                if (j - i > 1) {
                    b.append('^').append(j - i);
                }
                i = j;
            }
            out.add(b.toString());
        }
        return out;
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitPolynomial(this);
    }
}
