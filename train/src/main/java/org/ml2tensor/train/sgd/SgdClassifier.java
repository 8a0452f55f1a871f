package org.ml2tensor.train.sgd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
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

/**
 * {@code SGDClassifier}, {@code Perceptron} and {@code PassiveAggressiveClassifier} {@code partial_fit}:
 * binary (one weight vector, positive class {@code classes_[1]}) or one-vs-all in {@code classes_} order,
 * with scikit-learn's per-call random seeds, class weights, and its {@code average} bookkeeping —
 * including which intercept array {@code intercept_} aliases after averaging starts.
 */
public final class SgdClassifier implements IncrementalEstimator {
    private final SgdParams p;
    private double[] classes;
    private int features = -1;
    private double t = 1.0;
    private double[][] stdCoef;
    private double[][] avgCoef;
    private double[] stdIntercept;
    private double[] avgIntercept;
    private double[] interceptRef;
    private boolean publishAverage;
    private double[] classWeightExpanded;
    private double lastLoss = Double.NaN;
    private int nIter;
    /** Visiting orders, reused while chunks keep their length. */
    private final VisitOrders orders = new VisitOrders();

    /**
     * @param classes the labels, required before the first chunk (scikit-learn's {@code classes=})
     */
    public SgdClassifier(SgdParams params, double[] classes) {
        this.p = params;
        if (classes != null) {
            double[] sorted = Arrays.stream(classes).distinct().sorted().toArray();
            this.classes = sorted;
        }
    }

    @Override
    public String sklearnName() {
        return p.estimator();
    }

    public SgdParams params() {
        return p;
    }

    @Override
    public boolean fitted() {
        return stdCoef != null;
    }

    @Override
    public double lastLoss() {
        return lastLoss;
    }

    /** {@code classes_}. */
    public double[] classes() {
        return classes.clone();
    }

    /** {@code coef_}: one row for a binary model, one per class otherwise. */
    public double[][] coef() {
        double[][] src = publishAverage ? avgCoef : stdCoef;
        double[][] out = new double[src.length][];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[i].clone();
        }
        return out;
    }

    /** {@code intercept_}. */
    public double[] intercept() {
        return interceptRef.clone();
    }

    /** {@code t_}. */
    public double t() {
        return t;
    }

    @Override
    public void partialFit(Chunk chunk) {
        fit(chunk, 1);
    }

    /**
     * One {@code _partial_fit} call with {@code maxIter} epochs: 1 for {@code partial_fit}; {@code fit}
     * runs {@code max_iter} on a fresh estimator.
     *
     * @return epochs run ({@code n_iter_})
     */
    public int fit(Chunk chunk, int maxIter) {
        if (classes == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "classes must be passed on the first call to "
                    + "partial_fit.").hint("give --classes 0,1 (all labels that can occur)").build();
        }
        if (features < 0) {
            features = chunk.width();
        } else if (chunk.width() != features) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "Number of features " + chunk.width()
                    + " does not match previous data " + features + ".").build();
        }
        int k = classes.length;
        if (k < 2) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "The number of classes has to be greater than one; got "
                    + k + " class").build();
        }
        classWeightExpanded = computeClassWeight(chunk);
        if (stdCoef == null) {
            allocate(k);
        }
        int n = chunk.rows();
        if (n == 0) {
            return 0;
        }
        PlainSgd.Config config = p.config();
        double negative = config.loss().zeroOneLabels() ? 0.0 : -1.0;
        if (k == 2) {
            long seed = binarySeed();
            double b = p.average() > 0 ? stdIntercept[0] : interceptRef[0];
            double ab = p.average() > 0 ? avgIntercept[0] : 0;
            PlainSgd.Result r = PlainSgd.run(config, stdCoef[0], b, p.average() > 0 ? avgCoef[0] : null, ab,
                    chunk, chunk.y(), new PlainSgd.Binarised(classes[1], negative), firstOrder(n, seed, maxIter),
                    shuffledOrder(maxIter),
                    classWeightExpanded[1], classWeightExpanded[0], seed, t, maxIter);
            if (p.average() > 0) {
                avgIntercept[0] = r.averageIntercept();
            }
            nIter = r.epochs();
            t += (double) r.epochs() * n;
            lastLoss = r.sumLoss() / n;
            if (p.average() > 0) {
                if (p.average() <= t - 1) {
                    publishAverage = true;
                    interceptRef = avgIntercept;
                } else {
                    publishAverage = false;
                    stdIntercept = new double[]{r.intercept()};
                    interceptRef = stdIntercept;
                }
            } else {
                stdIntercept = new double[]{r.intercept()};
                interceptRef = stdIntercept;
            }
            return nIter;
        }
        NumpyRandomState rs = RandomStates.check(p.randomState());
        long[] seeds = new long[k];
        for (int i = 0; i < k; i++) {
            seeds[i] = rs.randint(Integer.MAX_VALUE);
        }
        double[] y = chunk.y();
        double[] intercepts = new double[k];
        int maxEpochs = 0;
        double lossSum = 0;
        for (int i = 0; i < k; i++) {
            NumpyRandomState rsi = new NumpyRandomState(seeds[i]);
            rsi.randint(1, Integer.MAX_VALUE);
            long seed = rsi.randint(Integer.MAX_VALUE);
            int[] index = firstOrder(n, seed, maxIter);
            double b = p.average() > 0 ? stdIntercept[i] : interceptRef[i];
            double ab = p.average() > 0 ? avgIntercept[i] : 0;
            PlainSgd.Result r = PlainSgd.run(config, stdCoef[i], b, p.average() > 0 ? avgCoef[i] : null, ab, chunk, y,
                    new PlainSgd.Binarised(classes[i], negative), index, shuffledOrder(maxIter),
                    classWeightExpanded[i], 1.0, seed, t, maxIter);
            if (p.average() > 0) {
                avgIntercept[i] = r.averageIntercept();
            }
            intercepts[i] = r.intercept();
            maxEpochs = Math.max(maxEpochs, r.epochs());
            lossSum += r.sumLoss();
        }
        for (int i = 0; i < k; i++) {
            interceptRef[i] = intercepts[i];
        }
        nIter = maxEpochs;
        t += (double) maxEpochs * n;
        lastLoss = lossSum / ((double) n * k);
        if (p.average() > 0) {
            if (p.average() <= t - 1.0) {
                publishAverage = true;
                interceptRef = avgIntercept;
            } else {
                publishAverage = false;
                stdIntercept = interceptRef;
            }
        }
        return nIter;
    }

    /** Epochs of the last call ({@code n_iter_}). */
    public int nIter() {
        return nIter;
    }

    private void allocate(int k) {
        int rows = k == 2 ? 1 : k;
        stdCoef = new double[rows][features];
        stdIntercept = new double[rows];
        interceptRef = stdIntercept;
        if (p.average() > 0) {
            avgCoef = new double[rows][features];
            avgIntercept = new double[rows];
        }
    }

    /**
     * The first epoch's visiting order: shuffled here (and kept for the next chunk of the same length, when the
     * seed comes from an int random_state) for a one-epoch call; else 0..n-1, which every epoch shuffles in place.
     */
    /**
     * The first epoch's visiting order: for a one-epoch call already shuffled (and shared between chunks of the
     * same length when the seed comes from an int random_state), else 0..n-1, which each epoch shuffles in place.
     */
    private int[] firstOrder(int n, long seed, int maxIter) {
        return shuffledOrder(maxIter) ? orders.shuffled(n, seed, p.randomState() != null) : orders.fresh(n);
    }

    /** The shuffle seed of a binary call: {@code rand_r}'s seed drawn from {@code check_random_state}. */
    private long binarySeed() {
        NumpyRandomState rs = RandomStates.check(p.randomState());
        rs.randint(1, Integer.MAX_VALUE);
        return rs.randint(Integer.MAX_VALUE);
    }

    private boolean shuffledOrder(int maxIter) {
        return p.shuffle() && maxIter == 1;
    }

    private double[] computeClassWeight(Chunk chunk) {
        double[] y = chunk.y();
        double first = classes[0];
        double last = classes[classes.length - 1];
        boolean allKnown = true;
        for (int i = 0; i < chunk.rows(); i++) { // no branch per row
            double v = y[i];
            allKnown &= v == first || v == last || Arrays.binarySearch(classes, v) >= 0;
        }
        for (int i = 0; !allKnown && i < chunk.rows(); i++) { // the first unknown label, for the message
            double v = y[i];
            if (v != first && v != last && Arrays.binarySearch(classes, v) < 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "classes should include all valid labels that "
                                + "can be in y (found label " + fmt(v) + ", classes " + Arrays.toString(classes) + ")")
                        .at("row " + (chunk.end().rowsBefore() - chunk.rows() + i + 1))
                        .hint("pass every label with --classes").build();
            }
        }
        double[] w = new double[classes.length];
        Arrays.fill(w, 1.0);
        if (p.classWeight() != null) {
            for (Map.Entry<Double, Double> e : p.classWeight().entrySet()) {
                int i = Arrays.binarySearch(classes, e.getKey());
                if (i < 0) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "class_weight names label "
                            + fmt(e.getKey()) + " which is not in classes " + Arrays.toString(classes)).build();
                }
                w[i] = e.getValue();
            }
        }
        return w;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Decision values {@code X @ coef_.T + intercept_}, one column per coefficient row. */
    public double[][] decision(Chunk c) {
        double[][] coef = publishAverage ? avgCoef : stdCoef;
        double[][] out = new double[c.rows()][coef.length];
        for (int i = 0; i < c.rows(); i++) {
            for (int r = 0; r < coef.length; r++) {
                double s = 0;
                for (int j = 0; j < features; j++) {
                    s += c.get(i, j) * coef[r][j];
                }
                out[i][r] = s + interceptRef[r];
            }
        }
        return out;
    }

    private int[] predictIndex(Chunk c) {
        double[][] d = decision(c);
        int[] out = new int[c.rows()];
        for (int i = 0; i < out.length; i++) {
            if (d[i].length == 1) {
                out[i] = d[i][0] > 0 ? 1 : 0;
            } else {
                int best = 0;
                for (int r = 1; r < d[i].length; r++) {
                    if (d[i][r] > d[i][best]) {
                        best = r;
                    }
                }
                out[i] = best;
            }
        }
        return out;
    }

    /** scikit-learn's {@code predict_proba} for the log_loss and modified_huber losses. */
    public double[][] proba(Chunk c) {
        double[][] d = decision(c);
        double[][] out = new double[c.rows()][classes.length];
        boolean log = p.loss().equals("log_loss") || p.loss().equals("log");
        for (int i = 0; i < out.length; i++) {
            if (d[i].length == 1) {
                double q = log ? 1 / (1 + Math.exp(-d[i][0])) : (Math.min(1, Math.max(-1, d[i][0])) + 1) / 2;
                out[i][0] = 1 - q;
                out[i][1] = q;
            } else {
                double sum = 0;
                for (int r = 0; r < d[i].length; r++) {
                    out[i][r] = log ? 1 / (1 + Math.exp(-d[i][r])) : (Math.min(1, Math.max(-1, d[i][r])) + 1) / 2;
                    sum += out[i][r];
                }
                for (int r = 0; r < d[i].length; r++) {
                    out[i][r] = sum == 0 ? 1.0 / d[i].length : out[i][r] / sum;
                }
            }
        }
        return out;
    }

    @Override
    public Evaluation newEvaluation() {
        boolean probabilistic = p.loss().equals("log_loss") || p.loss().equals("log")
                || p.loss().equals("modified_huber");
        return new Evaluation.Classification(classes, this::predictIndex,
                probabilistic && p.estimator().equals("SGDClassifier") ? this::proba : null);
    }

    @Override
    public Estimator toIr() {
        requireFitted();
        // the same outputs as the importer gives the pickle: predict_proba where scikit-learn has one
        ScoreTransform t = !p.estimator().equals("SGDClassifier") ? ScoreTransform.IDENTITY : switch (p.loss()) {
            case "log_loss", "log" -> classes.length == 2 ? ScoreTransform.LOGISTIC : ScoreTransform.LOGISTIC_NORMALIZED;
            case "modified_huber" -> ScoreTransform.MODIFIED_HUBER;
            default -> ScoreTransform.IDENTITY;
        };
        return new LinearModel(coef(), intercept(), t,
                new Head.Classification(RandomStates.labels(classes), t != ScoreTransform.IDENTITY));
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
        d.put("classes_", RandomStates.labelArray(classes));
        d.put("_expanded_class_weight", Py.Array.of(classWeightExpanded));
        d.put("t_", Py.of(t));
        d.put("n_features_in_", Py.of((long) features));
        d.put("coef_", Py.Array.of(coef()));
        d.put("intercept_", Py.Array.of(intercept()));
        if (p.average() > 0) {
            d.put("_standard_coef", classes.length == 2 ? Py.Array.of(stdCoef[0]) : Py.Array.of(stdCoef));
            d.put("_standard_intercept", Py.Array.of(stdIntercept));
            d.put("_average_coef", classes.length == 2 ? Py.Array.of(avgCoef[0]) : Py.Array.of(avgCoef));
            d.put("_average_intercept", Py.Array.of(avgIntercept));
        }
        d.put("n_iter_", Py.of((long) nIter));
        return new Py.Instance(p.estimator().equals("SGDClassifier") ? "sklearn.linear_model._stochastic_gradient"
                : p.estimator().equals("Perceptron") ? "sklearn.linear_model._perceptron"
                : "sklearn.linear_model._passive_aggressive", p.estimator(), d);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        requireFitted();
        StateIo.write(out, classes);
        out.writeInt(features);
        out.writeDouble(t);
        out.writeInt(nIter);
        StateIo.write(out, stdCoef);
        StateIo.write(out, stdIntercept);
        out.writeBoolean(avgCoef != null);
        if (avgCoef != null) {
            StateIo.write(out, avgCoef);
            StateIo.write(out, avgIntercept);
        }
        out.writeByte(interceptRef == stdIntercept ? 0 : interceptRef == avgIntercept ? 1 : 2);
        if (interceptRef != stdIntercept && interceptRef != avgIntercept) {
            StateIo.write(out, interceptRef);
        }
        out.writeBoolean(publishAverage);
        StateIo.write(out, classWeightExpanded);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        classes = StateIo.readVector(in);
        features = in.readInt();
        t = in.readDouble();
        nIter = in.readInt();
        stdCoef = StateIo.readMatrix(in);
        stdIntercept = StateIo.readVector(in);
        if (in.readBoolean()) {
            avgCoef = StateIo.readMatrix(in);
            avgIntercept = StateIo.readVector(in);
        }
        int ref = in.readByte();
        interceptRef = ref == 0 ? stdIntercept : ref == 1 ? avgIntercept : StateIo.readVector(in);
        publishAverage = in.readBoolean();
        classWeightExpanded = StateIo.readVector(in);
    }
}
