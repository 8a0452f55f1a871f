package org.ml2tensor.train;

import java.util.Locale;
import java.util.function.Function;
import org.ml2tensor.train.data.Chunk;

/** Held-out quality accumulated over chunks: accuracy (and log-loss when probabilities exist) or R². */
public interface Evaluation {
    /** Scores the rows of one held-out chunk. */
    void add(Chunk chunk);

    /** Rows scored. */
    long rows();

    /** Accuracy for classifiers, R² for regressors. */
    double primary();

    /** One line, e.g. {@code accuracy 0.9321 log-loss 0.2011 on 200,000 rows}. */
    String summary();

    /**
     * Accuracy from predicted class indices, and mean log-loss from class probabilities when given.
     *
     * @param classes sorted class labels
     */
    final class Classification implements Evaluation {
        private final double[] classes;
        private final Function<Chunk, int[]> predict;
        private final Function<Chunk, double[][]> proba;
        private long n;
        private long correct;
        private double logLoss;

        public Classification(double[] classes, Function<Chunk, int[]> predict, Function<Chunk, double[][]> proba) {
            this.classes = classes.clone();
            this.predict = predict;
            this.proba = proba;
        }

        @Override
        public void add(Chunk chunk) {
            int[] p = predict.apply(chunk);
            double[][] pr = proba == null ? null : proba.apply(chunk);
            for (int i = 0; i < chunk.rows(); i++) {
                int truth = java.util.Arrays.binarySearch(classes, chunk.y()[i]);
                if (truth >= 0 && p[i] == truth) {
                    correct++;
                }
                if (pr != null) {
                    double q = truth >= 0 ? pr[i][truth] : 0;
                    double eps = Math.ulp(1.0);
                    logLoss -= Math.log(Math.min(1 - eps, Math.max(eps, q)));
                }
                n++;
            }
        }

        @Override
        public long rows() {
            return n;
        }

        @Override
        public double primary() {
            return n == 0 ? Double.NaN : (double) correct / n;
        }

        /** Mean log-loss, NaN without probabilities. */
        public double logLoss() {
            return proba == null || n == 0 ? Double.NaN : logLoss / n;
        }

        @Override
        public String summary() {
            String s = String.format(Locale.ROOT, "accuracy %.4f", primary());
            if (proba != null) {
                s += String.format(Locale.ROOT, "  log-loss %.4f", logLoss());
            }
            return s + String.format(Locale.ROOT, "  on %,d held-out rows", n);
        }
    }

    /** R² = 1 − SS_res / SS_tot, with a running mean for SS_tot. */
    final class Regression implements Evaluation {
        private final Function<Chunk, double[]> predict;
        private long n;
        private double mean;
        private double m2;
        private double ssRes;

        public Regression(Function<Chunk, double[]> predict) {
            this.predict = predict;
        }

        @Override
        public void add(Chunk chunk) {
            double[] p = predict.apply(chunk);
            for (int i = 0; i < chunk.rows(); i++) {
                double y = chunk.y()[i];
                n++;
                double delta = y - mean;
                mean += delta / n;
                m2 += delta * (y - mean);
                ssRes += (y - p[i]) * (y - p[i]);
            }
        }

        @Override
        public long rows() {
            return n;
        }

        @Override
        public double primary() {
            return n == 0 ? Double.NaN : m2 == 0 ? (ssRes == 0 ? 1.0 : 0.0) : 1 - ssRes / m2;
        }

        @Override
        public String summary() {
            return String.format(Locale.ROOT, "R² %.4f  RMSE %.6g  on %,d held-out rows", primary(),
                    Math.sqrt(ssRes / Math.max(1, n)), n);
        }
    }
}
