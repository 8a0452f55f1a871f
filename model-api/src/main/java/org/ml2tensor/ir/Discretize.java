package org.ml2tensor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * KBinsDiscretizer: per column, the bin of x is {@code searchsorted(interior edges, x, side='right')}, the
 * number of interior edges {@code <= x} (a value exactly on an edge goes to the upper bin; below the first
 * edge bin 0, above the last the last bin). Output: the bin codes ({@code encode='ordinal'}) or one 0/1
 * column per bin ({@code 'onehot'}/{@code 'onehot-dense'}, always dense here).
 *
 * @param edges  per input column, {@code bin_edges_[j][1:-1]}, ascending
 * @param oneHot whether the bins are one-hot encoded
 */
public record Discretize(double[][] edges, boolean oneHot) implements Transformer {
    public Discretize {
        if (edges.length == 0) {
            throw new IllegalArgumentException("a discretizer reads at least one column");
        }
        for (double[] e : edges) {
            for (int i = 0; i < e.length; i++) {
                if (Double.isNaN(e[i]) || i > 0 && e[i] < e[i - 1]) {
                    throw new IllegalArgumentException("bin edges must be ascending numbers");
                }
            }
        }
    }

    /** Number of bins of column {@code j}. */
    public int bins(int j) {
        return edges[j].length + 1;
    }

    /** The bin of {@code x} in column {@code j}. */
    public int bin(int j, double x) {
        int n = 0;
        for (double e : edges[j]) {
            if (x >= e) {
                n++;
            }
        }
        return n;
    }

    /** The output row for an input row. */
    public double[] apply(double[] x) {
        double[] out = new double[outputWidth()];
        int at = 0;
        for (int j = 0; j < edges.length; j++) {
            int b = bin(j, x[j]);
            if (oneHot) {
                out[at + b] = 1;
                at += bins(j);
            } else {
                out[j] = b;
            }
        }
        return out;
    }

    @Override
    public int inputWidth() {
        return edges.length;
    }

    @Override
    public int outputWidth() {
        if (!oneHot) {
            return edges.length;
        }
        int n = 0;
        for (int j = 0; j < edges.length; j++) {
            n += bins(j);
        }
        return n;
    }

    @Override
    public boolean[] missingInputs(boolean[] outputsAccept) {
        return Missing.all(inputWidth(), false);
    }

    @Override
    public List<String> outputNames(List<String> inputNames) {
        if (!oneHot) {
            return inputNames;
        }
        List<String> out = new ArrayList<>();
        for (int j = 0; j < edges.length; j++) {
            for (int b = 0; b < bins(j); b++) {
                out.add(inputNames.get(j) + "_" + b);
            }
        }
        return out;
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitDiscretize(this);
    }
}
