package org.ml2tensor.train.sgd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.random.NumpyRandomState;

/** {@code SGDRegressor} and {@code PassiveAggressiveRegressor} {@code partial_fit}. */
public final class SgdRegressor implements IncrementalEstimator {
    private final SgdParams p;
    private int features = -1;
    private double t = 1.0;
    private double[] coef;
    private double[] avgCoef;
    private double stdIntercept;
    private double avgIntercept;
    private boolean publishAverage;
    private double lastLoss = Double.NaN;
    private int nIter;
    private final VisitOrders orders = new VisitOrders();

    public SgdRegressor(SgdParams params) {
        this.p = params;
    }

    @Override
    public String sklearnName() {
        return p.estimator();
    }

    @Override
    public boolean fitted() {
        return coef != null;
    }

    @Override
    public double lastLoss() {
        return lastLoss;
    }

    /** {@code coef_}. */
    public double[] coef() {
        return (publishAverage ? avgCoef : coef).clone();
    }

    /** {@code intercept_[0]}. */
    public double intercept() {
        return publishAverage ? avgIntercept : stdIntercept;
    }

    public double t() {
        return t;
    }

    @Override
    public void partialFit(Chunk chunk) {
        fit(chunk, 1);
    }

    /** One {@code _partial_fit} call with {@code maxIter} epochs; returns {@code n_iter_}. */
    public int fit(Chunk chunk, int maxIter) {
        if (features < 0) {
            features = chunk.width();
            coef = new double[features];
            if (p.average() > 0) {
                avgCoef = new double[features];
            }
        } else if (chunk.width() != features) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "Number of features " + chunk.width()
                    + " does not match previous data " + features + ".").build();
        }
        int n = chunk.rows();
        if (n == 0) {
            return 0;
        }
        long seed = seed();
        boolean shuffled = p.shuffle() && maxIter == 1;
        int[] index = shuffled ? orders.shuffled(n, seed, p.randomState() != null) : orders.fresh(n);
        PlainSgd.Result r = PlainSgd.run(p.config(), coef, stdIntercept, avgCoef, avgIntercept, chunk, chunk.y(),
                null, index, shuffled, 1.0, 1.0, seed, t, maxIter);
        nIter = r.epochs();
        t += (double) nIter * n;
        lastLoss = r.sumLoss() / n;
        stdIntercept = r.intercept();
        if (p.average() > 0) {
            avgIntercept = r.averageIntercept();
            publishAverage = p.average() <= t - 1.0;
        }
        return nIter;
    }

    /** The shuffle seed of a call: {@code rand_r}'s seed drawn from {@code check_random_state}. */
    private long seed() {
        NumpyRandomState rs = RandomStates.check(p.randomState());
        long seed = rs.randint(0, Integer.MAX_VALUE);
        rs.randint(1, Integer.MAX_VALUE);
        return seed;
    }

    public int nIter() {
        return nIter;
    }

    private double[] predict(Chunk c) {
        double[] w = publishAverage ? avgCoef : coef;
        double b = intercept();
        double[] out = new double[c.rows()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < features; j++) {
                s += c.get(i, j) * w[j];
            }
            out[i] = s + b;
        }
        return out;
    }

    @Override
    public Evaluation newEvaluation() {
        return new Evaluation.Regression(this::predict);
    }

    @Override
    public Estimator toIr() {
        requireFitted();
        return new LinearModel(new double[][]{coef()}, new double[]{intercept()}, ScoreTransform.IDENTITY,
                new Head.Regression(1));
    }

    private void requireFitted() {
        if (!fitted()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "no rows were trained on").build();
        }
    }

    @Override
    public Py.Instance toPickle() {
        requireFitted();
        Py.Dict d = p.pickleParams();
        d.put("_loss_function_", Py.none());
        d.put("t_", Py.of(t));
        d.put("n_features_in_", Py.of((long) features));
        d.put("coef_", Py.Array.of(coef()));
        d.put("intercept_", Py.Array.of(new double[]{intercept()}));
        if (p.average() > 0) {
            d.put("_standard_coef", Py.Array.of(coef));
            d.put("_standard_intercept", Py.Array.of(new double[]{stdIntercept}));
            d.put("_average_coef", Py.Array.of(avgCoef));
            d.put("_average_intercept", Py.Array.of(new double[]{avgIntercept}));
        }
        d.put("n_iter_", Py.of((long) nIter));
        return new Py.Instance(p.estimator().equals("SGDRegressor") ? "sklearn.linear_model._stochastic_gradient"
                : "sklearn.linear_model._passive_aggressive", p.estimator(), d);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        requireFitted();
        out.writeInt(features);
        out.writeDouble(t);
        out.writeInt(nIter);
        StateIo.write(out, coef);
        out.writeDouble(stdIntercept);
        out.writeBoolean(avgCoef != null);
        if (avgCoef != null) {
            StateIo.write(out, avgCoef);
            out.writeDouble(avgIntercept);
        }
        out.writeBoolean(publishAverage);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        features = in.readInt();
        t = in.readDouble();
        nIter = in.readInt();
        coef = StateIo.readVector(in);
        stdIntercept = in.readDouble();
        if (in.readBoolean()) {
            avgCoef = StateIo.readVector(in);
            avgIntercept = in.readDouble();
        }
        publishAverage = in.readBoolean();
    }
}
