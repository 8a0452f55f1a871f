package org.ml2tensor.train.sgd;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.random.XorShiftShuffle;

/**
 * One call of scikit-learn's {@code _plain_sgd} (float64, dense rows) for one weight vector: the same
 * per-sample update order, the lazily scaled weight vector ({@code wscale}), truncated-gradient L1,
 * lazy averaging ({@code average_a}/{@code average_b}), the xorshift shuffle and {@code fit}'s tol-based
 * stopping. Dot products are summed one feature at a time, in order, as scikit-learn does; the weights
 * {@code w} and averages {@code aw} are updated in place.
 */
final class PlainSgd {
    private static final double MAX_DLOSS = 1e12;
    private static final double WSCALE_THRESHOLD = 1e-9;
    /** Rows gathered at a time in visiting order (64 KiB of features for 8 columns). */
    private static final int BLOCK = 1024;

    /** Settings of one call. */
    record Config(SgdLoss loss, Penalty penalty, double alpha, double l1Ratio, LearningRate learningRate,
                  double eta0, double powerT, boolean fitIntercept, boolean shuffle, double average,
                  double tol, int nIterNoChange, boolean objectiveWithPenalty) {
    }

    /**
     * One-vs-all targets read from the raw labels while rows are gathered: {@code +1} for {@code positive},
     * {@code negative} (−1, or 0 for the half-binomial loss) for every other label.
     */
    record Binarised(double positive, double negative) {
    }

    /** What the call returns besides the in-place weights. */
    record Result(double intercept, double averageIntercept, int epochs, double sumLoss) {
    }

    private final Config c;
    private final double[] w;
    private final double[] aw;
    private final int d;
    private double wscale = 1.0;
    private double sqNorm;
    /** Whether {@link #sqNorm} is needed (fit's penalised objective); partial_fit never reads it. */
    private boolean trackNorm;
    private double averageA;
    private double averageB = 1.0;
    /** The gathered block: features, targets and weights of the next rows in visiting order. */
    private final double[] rows;
    private final double[] ys = new double[BLOCK];
    private double[] sw;

    private PlainSgd(Config c, double[] w, double[] aw) {
        this.c = c;
        this.w = w;
        this.aw = aw;
        this.d = w.length;
        this.rows = new double[BLOCK * d];
    }

    /**
     * Runs {@code maxIter} epochs (1 for {@code partial_fit}) over {@code data} with targets {@code y}.
     *
     * @param y         the targets, or with {@code binarised} the raw labels to binarise
     * @param index     the visiting order, shuffled in place each epoch when shuffling (start with 0..n-1)
     * @param shuffled  whether {@code index} already holds the first epoch's shuffled order (then it is only
     *                  read in that epoch; {@link VisitOrders} shares it between calls)
     * @param t         the global step counter {@code t_} before the call
     */
    static Result run(Config c, double[] w, double intercept, double[] aw, double averageIntercept, Chunk data,
                      double[] y, Binarised binarised, int[] index, boolean shuffled, double weightPos,
                      double weightNeg, long seed, double t, int maxIter) {
        PlainSgd sgd = new PlainSgd(c, w, aw);
        sgd.binarised = binarised;
        return sgd.epochs(intercept, averageIntercept, data, y, index, shuffled, weightPos, weightNeg, seed, t,
                maxIter);
    }

    private Binarised binarised;

    private Result epochs(double intercept, double averageIntercept, Chunk data, double[] y, int[] index,
                          boolean shuffled, double weightPos, double weightNeg, long seed, double t, int maxIter) {
        final int n = data.rows();
        final java.nio.DoubleBuffer x = data.x();
        final SgdLoss loss = c.loss();
        final LearningRate lr = c.learningRate();
        final Penalty penalty = c.penalty();
        final double alpha = c.alpha();
        final double l1Ratio = penalty == Penalty.L2 ? 0.0 : penalty == Penalty.L1 ? 1.0 : c.l1Ratio();
        final boolean isHinge = loss instanceof SgdLoss.Hinge;
        final boolean l1 = penalty == Penalty.L1 || penalty == Penalty.ELASTICNET;
        final boolean l2 = penalty == Penalty.L2 || penalty == Penalty.ELASTICNET;
        final double[] q = l1 ? new double[d] : null;
        double u = 0.0;
        double eta = c.eta0();
        double optimalInit = 0.0;
        if (lr == LearningRate.OPTIMAL) {
            if (alpha == 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION,
                        "alpha must be > 0 since learning_rate is 'optimal'").hint("set alpha=1e-4 or another positive value").build();
            }
            double typw = Math.sqrt(1.0 / Math.sqrt(alpha));
            double initialEta0 = typw / Math.max(1.0, loss.dloss(1.0, -typw));
            optimalInit = 1.0 / (initialEta0 * alpha);
        }
        final double eta0 = c.eta0();
        final double powerT = c.powerT();
        final double average = c.average();
        final boolean fitIntercept = c.fitIntercept();
        final boolean passiveAggressive = lr == LearningRate.PA1 || lr == LearningRate.PA2;
        final boolean penalisedObjective = maxIter > 1 && c.objectiveWithPenalty() && !passiveAggressive
                && penalty != Penalty.NONE;
        trackNorm = penalisedObjective;
        // The common case runs plainBlock: the same operations in the same order, so the same bits.
        final boolean plain = !passiveAggressive && !penalisedObjective && aw == null && !l1
                && data.sampleWeight() == null;
        double bestObjective = Double.POSITIVE_INFINITY;
        int noImprovement = 0;
        double sumLoss = 0;
        int epoch = 0;
        for (; epoch < maxIter; epoch++) {
            sumLoss = 0;
            double objective = 0;
            if (c.shuffle() && !(epoch == 0 && shuffled)) {
                XorShiftShuffle.shuffle(index, n, seed);
            }
            for (int k0 = 0; k0 < n; k0 += BLOCK) {
                final int m = Math.min(BLOCK, n - k0);
                gather(x, data.stride(), index, k0, m, y, data.sampleWeight());
                final double[] xb = rows;
                if (plain) {
                    PlainState st = plainState;
                    st.intercept = intercept;
                    st.t = t;
                    st.eta = eta;
                    st.sumLoss = sumLoss;
                    plainBlock(m, st, loss, lr, alpha, optimalInit, eta0, powerT, l1Ratio, l2, fitIntercept,
                            weightPos, weightNeg);
                    intercept = st.intercept;
                    t = st.t;
                    eta = st.eta;
                    sumLoss = st.sumLoss;
                    objective = sumLoss;
                    continue;
                }
                for (int k = 0; k < m; k++) {
                    final int base = k * d;
                    final double yi = ys[k];
                    final double p = dot(w, xb, base) * wscale + intercept;
                    eta = eta(lr, eta, alpha, optimalInit, t, eta0, powerT);
                    double lossValue = loss.loss(yi, p);
                    sumLoss += lossValue;
                    objective += lossValue;
                    if (penalisedObjective) {
                        double norm = Math.sqrt(sqNorm);
                        objective += alpha * ((1 - l1Ratio) * 0.5 * (norm * norm) + l1Ratio * (l1Ratio == 0 ? 0 : l1Norm()));
                    }
                    double classWeight = yi > 0.0 ? weightPos : weightNeg;
                    double update;
                    if (passiveAggressive) {
                        update = sqNormOf(xb, base);
                        if (lr == LearningRate.PA1) {
                            if (update == 0) {
                                continue;
                            }
                            update = Math.min(eta0, lossValue / update);
                        } else {
                            update = lossValue / (update + 0.5 / eta0);
                        }
                        if (isHinge) {
                            update *= yi;
                        } else if (yi - p < 0) {
                            update *= -1;
                        }
                    } else {
                        update = -eta * dloss(loss, yi, p);
                    }
                    update *= classWeight * (sw == null ? 1.0 : sw[k]);
                    if (l2) {
                        scale(Math.max(0, 1.0 - ((1.0 - l1Ratio) * eta * alpha)));
                    }
                    if (update != 0.0) {
                        add(xb, base, update);
                        if (fitIntercept) {
                            intercept += update * 1.0;
                        }
                    }
                    if (0 < average && average <= t) {
                        double numIter = t - average + 1;
                        addAverage(xb, base, update, numIter);
                        averageIntercept += (intercept - averageIntercept) / numIter;
                    }
                    if (l1) {
                        u += l1Ratio * eta * alpha;
                        l1Penalty(q, u);
                    }
                    t += 1;
                }
            }
            if (!Double.isFinite(intercept) || anyNonFinite()) {
                throw Ml2TensorException.of(ErrorCode.RUNTIME, "Floating-point under-/overflow occurred at epoch #"
                                + (epoch + 1) + ".")
                        .hint("scaling input data with StandardScaler or MinMaxScaler might help").build();
            }
            double meanObjective = objective / n;
            if (c.tol() > Double.NEGATIVE_INFINITY && (c.objectiveWithPenalty()
                    ? meanObjective > bestObjective - c.tol()
                    : sumLoss > bestObjective - c.tol() * n)) {
                noImprovement++;
            } else {
                noImprovement = 0;
            }
            double current = c.objectiveWithPenalty() ? meanObjective : sumLoss;
            if (current < bestObjective) {
                bestObjective = current;
            }
            if (noImprovement >= c.nIterNoChange()) {
                if (lr == LearningRate.ADAPTIVE && eta > 1e-6) {
                    eta = eta / 5;
                    noImprovement = 0;
                } else {
                    epoch++;
                    break;
                }
            }
        }
        resetWscale();
        return new Result(intercept, averageIntercept, Math.min(epoch, maxIter), sumLoss);
    }

    /** The loop variables {@link #plainBlock} carries from block to block. */
    private static final class PlainState {
        double intercept;
        double t;
        double eta;
        double sumLoss;
    }

    private final PlainState plainState = new PlainState();

    /**
     * The update of the gathered block's {@code m} rows in the common case (no passive-aggressive step,
     * averaging, L1, sample weights or penalised objective): the general loop's operations in the same order,
     * without its branches, in a method of its own (compiled once, small, instead of a second copy inside
     * {@link #epochs}'s on-stack replacement).
     */
    private void plainBlock(int m, PlainState st, SgdLoss loss, LearningRate lr, double alpha, double optimalInit,
                            double eta0, double powerT, double l1Ratio, boolean l2, boolean fitIntercept,
                            double weightPos, double weightNeg) {
        final double[] xb = rows;
        final double[] wv = w;
        double intercept = st.intercept;
        double t = st.t;
        double eta = st.eta;
        double sumLoss = st.sumLoss;
        for (int k = 0; k < m; k++) {
            final int base = k * d;
            final double yi = ys[k];
            final double p = dot(wv, xb, base) * wscale + intercept;
            eta = eta(lr, eta, alpha, optimalInit, t, eta0, powerT);
            sumLoss += loss.loss(yi, p);
            double update = -eta * dloss(loss, yi, p);
            update *= (yi > 0.0 ? weightPos : weightNeg) * 1.0;
            if (l2) {
                // scale(): the factor (1 - (1-l1_ratio)·eta·alpha) as scikit-learn forms it
                wscale *= Math.max(0, 1.0 - ((1.0 - l1Ratio) * eta * alpha));
                if (wscale < WSCALE_THRESHOLD) {
                    resetWscale();
                }
            }
            if (update != 0.0) {
                final double step = update / wscale;
                for (int j = 0; j < d; j++) {
                    wv[j] += xb[base + j] * step;
                }
                if (fitIntercept) {
                    intercept += update * 1.0;
                }
            }
            t += 1;
        }
        st.intercept = intercept;
        st.t = t;
        st.eta = eta;
        st.sumLoss = sumLoss;
    }

    /**
     * Copies the rows {@code index[k0, k0+m)} (and their targets and weights) into {@link #rows}, {@link #ys}
     * and {@link #sw}, in visiting order. The shuffled rows of a large chunk are scattered over many pages;
     * gathering a block first lets the loads overlap (they do not wait for the previous row's update), and the
     * update loop then reads a small array that is already in the cache. Values are copied, not changed.
     */
    private void gather(java.nio.DoubleBuffer x, int stride, int[] index, int k0, int m, double[] y, double[] weights) {
        final double[] xb = rows;
        final int dd = d;
        if (x.hasArray()) {
            final double[] a = x.array();
            final int off = x.arrayOffset();
            for (int k = 0; k < m; k++) {
                final int from = off + index[k0 + k] * stride;
                final int to = k * dd;
                for (int j = 0; j < dd; j++) { // a short row: a loop beats System.arraycopy's call
                    xb[to + j] = a[from + j];
                }
            }
        } else {
            for (int k = 0; k < m; k++) {
                x.get(index[k0 + k] * stride, xb, k * dd, dd);
            }
        }
        if (binarised != null) {
            final double positive = binarised.positive();
            final double negative = binarised.negative();
            for (int k = 0; k < m; k++) {
                ys[k] = y[index[k0 + k]] == positive ? 1.0 : negative;
            }
        } else {
            for (int k = 0; k < m; k++) {
                ys[k] = y[index[k0 + k]];
            }
        }
        if (weights != null) {
            if (sw == null) {
                sw = new double[BLOCK];
            }
            for (int k = 0; k < m; k++) {
                sw[k] = weights[index[k0 + k]];
            }
        } else {
            sw = null;
        }
    }

    /** {@code w·x} for the row at {@code base}, summed one feature at a time in order (not scaled by wscale). */
    private double dot(double[] wv, double[] xb, int base) {
        double dot = 0.0;
        for (int j = 0; j < d; j++) {
            dot += wv[j] * xb[base + j];
        }
        return dot;
    }

    /** The learning rate of step {@code t} ('optimal', 'invscaling'; the others keep {@code eta}). */
    private static double eta(LearningRate lr, double eta, double alpha, double optimalInit, double t, double eta0,
                              double powerT) {
        if (lr == LearningRate.OPTIMAL) {
            return 1.0 / (alpha * (optimalInit + t - 1));
        } else if (lr == LearningRate.INVSCALING) {
            return eta0 / Math.pow(t, powerT);
        }
        return eta;
    }

    /** The loss's derivative, clipped to ±{@code MAX_DLOSS}. */
    private static double dloss(SgdLoss loss, double y, double p) {
        double dl = loss.dloss(y, p);
        if (dl < -MAX_DLOSS) {
            return -MAX_DLOSS;
        } else if (dl > MAX_DLOSS) {
            return MAX_DLOSS;
        }
        return dl;
    }

    private double sqNormOf(double[] x, int base) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double v = x[base + j];
            s += v * v;
        }
        return s;
    }

    private double l1Norm() {
        double s = 0;
        for (double v : w) {
            s += Math.abs(v);
        }
        return s * Math.abs(wscale);
    }

    private void scale(double factor) {
        wscale *= factor;
        if (trackNorm) {
            sqNorm *= factor * factor;
        }
        if (wscale < WSCALE_THRESHOLD) {
            resetWscale();
        }
    }

    private void add(double[] x, int base, double cst) {
        if (!trackNorm) {
            double step = cst / wscale;
            for (int j = 0; j < d; j++) {
                w[j] += x[base + j] * step;
            }
            return;
        }
        double inner = 0.0;
        double xsq = 0.0;
        double step = cst / wscale;
        for (int j = 0; j < d; j++) {
            double v = x[base + j];
            inner += w[j] * v;
            xsq += v * v;
            w[j] += v * step;
        }
        sqNorm += (xsq * cst * cst) + (2.0 * inner * wscale * cst);
    }

    private void addAverage(double[] x, int base, double cst, double numIter) {
        double mu = 1.0 / numIter;
        double step = -cst / wscale;
        for (int j = 0; j < d; j++) {
            aw[j] += averageA * x[base + j] * step;
        }
        if (numIter > 1) {
            averageB /= (1.0 - mu);
        }
        averageA += mu * averageB * wscale;
    }

    private void l1Penalty(double[] q, double u) {
        for (int j = 0; j < d; j++) {
            double z = w[j];
            if (wscale * z > 0.0) {
                w[j] = Math.max(0.0, w[j] - ((u + q[j]) / wscale));
            } else if (wscale * z < 0.0) {
                w[j] = Math.min(0.0, w[j] + ((u - q[j]) / wscale));
            }
            q[j] += wscale * (w[j] - z);
        }
    }

    private void resetWscale() {
        if (aw != null) {
            for (int j = 0; j < d; j++) {
                aw[j] += averageA * w[j];
            }
            double inv = 1.0 / averageB;
            for (int j = 0; j < d; j++) {
                aw[j] *= inv;
            }
            averageA = 0.0;
            averageB = 1.0;
        }
        for (int j = 0; j < d; j++) {
            w[j] *= wscale;
        }
        wscale = 1.0;
    }

    private boolean anyNonFinite() {
        for (double v : w) {
            if (!Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }
}
