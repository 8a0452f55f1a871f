package org.ml2tensor.ir;

/**
 * KNNImputer: a missing value of column c is the (uniform or 1/distance weighted) mean of column c over the
 * {@code k} nearest training rows that have column c, by scikit-learn's {@code nan_euclidean} distance
 * {@code sqrt(F / present · Σ_present (x - y)²)} over the coordinates present in both rows; donors at NaN
 * distance (nothing in common) get weight 0, and a row with no donor at a defined distance takes the
 * column's training mean. With distance weights a donor at distance 0 takes all the weight. Among equal
 * distances the earlier training row is taken first (scikit-learn's {@code argpartition} order there is
 * implementation-defined).
 *
 * @param fitX        the training rows ({@code _fit_X}, NaN = missing), {@code [M][F]}
 * @param k           {@code n_neighbors}
 * @param distance    whether weights are 1/distance ({@code weights='distance'}) rather than uniform
 */
public record KnnImpute(double[][] fitX, int k, boolean distance) implements Transformer.SameColumns {
    public KnnImpute {
        if (fitX.length == 0 || fitX[0].length == 0 || k < 1) {
            throw new IllegalArgumentException("a KNN imputer needs training rows, columns and k >= 1");
        }
        for (double[] row : fitX) {
            if (row.length != fitX[0].length) {
                throw new IllegalArgumentException("ragged training rows");
            }
        }
    }

    /** The mean of column c over the training rows that have it (NaN when none does). */
    public double columnMean(int c) {
        double s = 0;
        int n = 0;
        for (double[] row : fitX) {
            if (!Double.isNaN(row[c])) {
                s += row[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** scikit-learn's nan_euclidean distance between two rows (NaN when no coordinate is present in both). */
    public static double distance(double[] a, double[] b) {
        double s = 0;
        int present = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                double d = a[i] - b[i];
                s += d * d;
                present++;
            }
        }
        return present == 0 ? Double.NaN : Math.sqrt(s / present * a.length);
    }

    /** The output row for an input row. */
    public double[] apply(double[] x) {
        double[] out = x.clone();
        int m = fitX.length;
        double[] dist = new double[m];
        for (int r = 0; r < m; r++) {
            dist[r] = distance(x, fitX[r]);
        }
        for (int c = 0; c < x.length; c++) {
            if (!Double.isNaN(x[c])) {
                continue;
            }
            double[] d = new double[m];
            int donors = 0;
            boolean anyDefined = false;
            for (int r = 0; r < m; r++) {
                boolean donor = !Double.isNaN(fitX[r][c]);
                donors += donor ? 1 : 0;
                d[r] = donor && !Double.isNaN(dist[r]) ? dist[r] : Double.POSITIVE_INFINITY;
                anyDefined |= donor && !Double.isNaN(dist[r]);
            }
            if (!anyDefined) {
                out[c] = columnMean(c);
                continue;
            }
            int take = Math.min(k, m);
            double[] sd = new double[take];
            double[] sv = new double[take];
            boolean[] used = new boolean[m];
            for (int t = 0; t < take; t++) {
                int best = -1;
                for (int r = 0; r < m; r++) {
                    if (!used[r] && (best < 0 || d[r] < d[best])) {
                        best = r;
                    }
                }
                used[best] = true;
                sd[t] = d[best];
                sv[t] = Double.isNaN(fitX[best][c]) ? 0 : fitX[best][c];
            }
            boolean zero = false;
            for (double v : sd) {
                zero |= v == 0;
            }
            double sw = 0;
            double swx = 0;
            for (int t = 0; t < take; t++) {
                double w = !distance ? (sd[t] < Double.POSITIVE_INFINITY ? 1 : 0)
                        : zero ? (sd[t] == 0 ? 1 : 0) : 1 / sd[t];
                sw += w;
                swx += w * sv[t];
            }
            out[c] = swx / sw;
        }
        return out;
    }

    @Override
    public int width() {
        return fitX[0].length;
    }

    @Override
    public boolean[] missingInputs(boolean[] outputsAccept) {
        return Missing.all(inputWidth(), true);
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitKnnImpute(this);
    }
}
