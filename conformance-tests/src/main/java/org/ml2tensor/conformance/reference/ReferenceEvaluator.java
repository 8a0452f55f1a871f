package org.ml2tensor.conformance.reference;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import org.ml2tensor.compiler.Precision;
import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.EstimatorVisitor;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * Single-threaded reference evaluation of the model IR in float64 with EJML (dense row-major matrices)
 * for the linear algebra and plain traversal for trees. It follows the IR's documented semantics — the
 * libraries' own rules — and is the oracle the ONNX graphs are checked against.
 *
 * <p>Transformers and linear models compute in float64 in the library's operation order; tree ensembles
 * round their input to float32 where the library does ({@link TreeEnsemble#float32Inputs()}). With
 * {@link Precision#FLOAT32} the inputs are first rounded to float32 (what a float32 caller feeds); with
 * {@code AUTO} or {@code FLOAT64} they are used as given.
 */
public final class ReferenceEvaluator implements EstimatorVisitor<ReferenceOutputs> {
    private final Table x;

    private ReferenceEvaluator(Table x) {
        this.x = x;
    }

    /** Evaluates a model whose columns are all numeric. */
    public static ReferenceOutputs evaluate(ModelIr ir, double[][] rows, Precision precision) {
        Object[][] cells = new Object[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            cells[r] = new Object[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                cells[r][c] = rows[r][c];
            }
        }
        return evaluate(ir, cells, precision);
    }

    /**
     * Evaluates rows of cells in schema order: numbers ({@link Number}; NaN = missing) for numeric columns,
     * strings for string columns (null or the empty string = missing).
     */
    public static ReferenceOutputs evaluate(ModelIr ir, Object[][] rows, Precision precision) {
        int w = ir.featureCount();
        Object[] cols = new Object[w];
        for (int c = 0; c < w; c++) {
            boolean numeric = ir.schema().column(c).type().isNumeric();
            double[] num = numeric ? new double[rows.length] : null;
            String[] str = numeric ? null : new String[rows.length];
            for (int r = 0; r < rows.length; r++) {
                if (rows[r].length != w) {
                    throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, expected " + w);
                }
                Object v = rows[r][c];
                if (numeric) {
                    double d = v == null ? Double.NaN : ((Number) v).doubleValue();
                    num[r] = precision == Precision.FLOAT32 ? (double) (float) d : d;
                } else {
                    str[r] = v == null ? "" : v.toString();
                }
            }
            cols[c] = numeric ? num : str;
        }
        return ir.estimator().accept(new ReferenceEvaluator(new Table(rows.length, cols)));
    }

    /** Evaluates {@code estimator} on the columns {@code t} (a meta-estimator's member or final estimator). */
    static ReferenceOutputs on(org.ml2tensor.ir.Estimator estimator, Table t) {
        return estimator.accept(new ReferenceEvaluator(t));
    }

    @Override
    public ReferenceOutputs visitEnsemble(org.ml2tensor.ir.Ensemble e) {
        return EnsembleReference.evaluate(e, x);
    }

    @Override
    public ReferenceOutputs visitMultiTarget(org.ml2tensor.ir.MultiTarget m) {
        return MultiTargetReference.evaluate(m, x);
    }

    /**
     * {@code predict_log_proba}: the classifier's labels, and its probabilities' log ({@code LOG}; with
     * {@code LOG_FLOORED} a 0 first becomes the smallest normal) or the log-softmax of its raw scores
     * ({@code LOG_SOFTMAX}: {@code (s − max) − log Σ exp(s − max)}).
     */
    @Override
    public ReferenceOutputs visitLogProbabilities(org.ml2tensor.ir.LogProbabilities l) {
        ReferenceOutputs c = l.classifier().accept(this);
        if (l.labeller() != null) {
            ReferenceOutputs labels = l.labeller().accept(this);
            c = new ReferenceOutputs(labels.intLabels(), labels.stringLabels(), c.probabilities(), c.scores(),
                    c.values(), c.raw());
        }
        if (l.kind().bagged()) {
            return new ReferenceOutputs(c.intLabels(), c.stringLabels(), null, null, null, c.raw(), null,
                    baggedLog(l));
        }
        double[][] p = c.probabilities();
        double[][] out = new double[p.length][];
        for (int r = 0; r < p.length; r++) {
            boolean softmax = l.kind() == org.ml2tensor.ir.LogProbabilities.Kind.LOG_SOFTMAX;
            out[r] = logRow(l.kind(), softmax ? c.raw()[r] : null, p[r]);
        }
        return new ReferenceOutputs(c.intLabels(), c.stringLabels(), null, null, null, c.raw(), null, out);
    }

    /**
     * BaggingClassifier's {@code predict_log_proba} (scikit-learn's {@code _parallel_predict_log_proba}, one job):
     * the members' own log-probabilities, {@code -inf} for a class a member did not see, folded in member order
     * with numpy's {@code logaddexp} ({@code a == b}: {@code a + ln 2}; else {@code max + log1p(exp(−|a − b|))}),
     * then {@code − log(n)}.
     */
    private double[][] baggedLog(org.ml2tensor.ir.LogProbabilities l) {
        Table v = x;
        org.ml2tensor.ir.Estimator e = l.classifier();
        while (e instanceof Pipeline p) {
            for (Transformer t : p.steps()) {
                v = ReferenceTransforms.apply(t, v);
            }
            e = p.last();
        }
        org.ml2tensor.ir.Ensemble bag = (org.ml2tensor.ir.Ensemble) e;
        int k = bag.classes();
        double[][] acc = null;
        for (org.ml2tensor.ir.Member m : bag.members()) {
            ReferenceOutputs o = ReferenceEvaluator.on(m.estimator(), m.columns() == null ? v : v.select(m.columns()));
            org.ml2tensor.ir.LogProbabilities.Kind kind = l.kind().member();
            int[] map = m.classMap();
            double[][] logs = new double[v.rows][];
            for (int r = 0; r < v.rows; r++) {
                boolean softmax = kind == org.ml2tensor.ir.LogProbabilities.Kind.LOG_SOFTMAX;
                double[] own = softmax ? logRow(kind, o.raw()[r], null) : logRow(kind, null, o.probabilities()[r]);
                if (map == null) {
                    logs[r] = own;
                } else {
                    logs[r] = new double[k];
                    java.util.Arrays.fill(logs[r], Double.NEGATIVE_INFINITY);
                    for (int j = 0; j < map.length; j++) {
                        logs[r][map[j]] = own[j];
                    }
                }
            }
            if (acc == null) {
                acc = logs;
                continue;
            }
            for (int r = 0; r < v.rows; r++) {
                for (int j = 0; j < k; j++) {
                    acc[r][j] = logAddExp(acc[r][j], logs[r][j]);
                }
            }
        }
        double shift = Math.log(bag.members().size());
        for (double[] row : acc) {
            for (int j = 0; j < row.length; j++) {
                row[j] -= shift;
            }
        }
        return acc;
    }

    /** numpy's {@code logaddexp}. */
    static double logAddExp(double a, double b) {
        if (a == b) {
            return a + Math.log(2.0);
        }
        double d = a - b;
        return d > 0 ? a + Math.log1p(Math.exp(-d)) : d <= 0 ? b + Math.log1p(Math.exp(d)) : a + b;
    }

    @Override
    public ReferenceOutputs visitPipeline(Pipeline p) {
        Table v = x;
        for (Transformer t : p.steps()) {
            v = ReferenceTransforms.apply(t, v);
        }
        return p.last().accept(new ReferenceEvaluator(v));
    }

    @Override
    public ReferenceOutputs visitTransformer(Transformer t) {
        return new ReferenceOutputs(null, null, null, null, toArrays(ReferenceTransforms.apply(t, x).matrix()));
    }

    @Override
    public ReferenceOutputs visitLinearModel(LinearModel m) {
        return head(linear(m, x.matrix()), m.transform(), m.head());
    }

    @Override
    public ReferenceOutputs visitTreeEnsemble(TreeEnsemble t) {
        return head(trees(t, x.matrix()), t.transform(), t.head());
    }

    @Override
    public ReferenceOutputs visitTargetTransform(org.ml2tensor.ir.TargetTransform t) {
        ReferenceOutputs y = t.regressor().accept(this);
        Table inverted = ReferenceTransforms.apply(t.inverse(), Table.of(new DMatrixRMaj(y.values())));
        return new ReferenceOutputs(null, null, null, null, toArrays(inverted.matrix()));
    }

    @Override
    public ReferenceOutputs visitKernelSvm(org.ml2tensor.ir.KernelSvm m) {
        return FamilyReference.svm(m, x.matrix());
    }

    @Override
    public ReferenceOutputs visitMlp(org.ml2tensor.ir.Mlp m) {
        return FamilyReference.mlp(m, x.matrix());
    }

    @Override
    public ReferenceOutputs visitNeighbors(org.ml2tensor.ir.Neighbors m) {
        return FamilyReference.neighbors(m, x.matrix());
    }

    @Override
    public ReferenceOutputs visitQuadraticModel(org.ml2tensor.ir.QuadraticModel m) {
        return head(QuadraticReference.rawScores(m, x.matrix()), m.transform(), m.head());
    }

    static DMatrixRMaj linear(LinearModel m, DMatrixRMaj x) {
        DMatrixRMaj w = new DMatrixRMaj(m.weights());
        DMatrixRMaj raw = new DMatrixRMaj(x.numRows, m.outputWidth());
        CommonOps_DDRM.multTransB(x, w, raw);
        for (int r = 0; r < raw.numRows; r++) {
            for (int k = 0; k < raw.numCols; k++) {
                raw.unsafe_set(r, k, raw.unsafe_get(r, k) + m.intercepts()[k]);
            }
        }
        return raw;
    }

    static DMatrixRMaj trees(TreeEnsemble e, DMatrixRMaj x) {
        int c = e.outputWidth();
        DMatrixRMaj raw = new DMatrixRMaj(x.numRows, c);
        double[] row = new double[x.numCols];
        for (int r = 0; r < x.numRows; r++) {
            for (int f = 0; f < x.numCols; f++) {
                double v = x.unsafe_get(r, f);
                row[f] = e.float32Inputs() ? (double) (float) v : v;
            }
            for (int k = 0; k < c; k++) {
                raw.unsafe_set(r, k, e.baseScores()[k]);
            }
            for (DecisionTree tree : e.trees()) {
                int leaf = leafOf(tree, e.comparison(), row);
                if (tree.target() >= 0) {
                    raw.unsafe_set(r, tree.target(), raw.unsafe_get(r, tree.target()) + tree.value(leaf, 0));
                } else {
                    for (int k = 0; k < c; k++) {
                        raw.unsafe_set(r, k, raw.unsafe_get(r, k) + tree.value(leaf, k));
                    }
                }
            }
        }
        return raw;
    }

    /** The leaf a row reaches. */
    public static int leafOf(DecisionTree tree, Comparison comparison, double[] row) {
        int node = 0;
        while (!tree.isLeaf(node)) {
            double v = row[tree.feature()[node]];
            boolean left;
            if (tree.isCategorical(node)) {
                CategoricalSplit split = tree.categorical()[node];
                left = split.goesLeft(v, tree.missingGoesLeft()[node]);
            } else if (Double.isNaN(v)) {
                left = tree.missingGoesLeft()[node];
            } else {
                double t = tree.threshold()[node];
                left = comparison == Comparison.LESS_OR_EQUAL ? v <= t : v < t;
            }
            node = left ? tree.left()[node] : tree.right()[node];
        }
        return node;
    }

    static ReferenceOutputs head(DMatrixRMaj raw, ScoreTransform transform, Head head) {
        double[][] rawRows = toArrays(raw);
        double[][] values = new double[rawRows.length][];
        for (int r = 0; r < rawRows.length; r++) {
            values[r] = apply(transform, rawRows[r]);
        }
        if (head instanceof Head.Regression) {
            return new ReferenceOutputs(null, null, null, null, values, rawRows);
        }
        if (head instanceof Head.Outlier o) {
            long[] labels = new long[values.length];
            double[][] scores = new double[values.length][1];
            for (int r = 0; r < values.length; r++) {
                scores[r][0] = values[r][0] - o.offset();
                labels[r] = scores[r][0] < 0 ? -1 : 1;
            }
            return new ReferenceOutputs(labels, null, null, scores, null);
        }
        Head.Classification c = (Head.Classification) head;
        int[] index = new int[rawRows.length];
        boolean margin = raw.numCols == 1;
        for (int r = 0; r < rawRows.length; r++) {
            index[r] = margin ? (rawRows[r][0] > 0 ? 1 : 0) : argMax(rawRows[r]);
            if (margin && c.probabilities()) {
                values[r] = new double[]{1 - values[r][0], values[r][0]};
            }
        }
        long[] intLabels = null;
        String[] stringLabels = null;
        if (c.labels() instanceof ClassLabels.Ints ints) {
            long[] v = ints.values();
            intLabels = new long[index.length];
            for (int r = 0; r < index.length; r++) {
                intLabels[r] = v[index[r]];
            }
        } else {
            List<String> s = c.labels().asText();
            stringLabels = new String[index.length];
            for (int r = 0; r < index.length; r++) {
                stringLabels[r] = s.get(index[r]);
            }
        }
        return c.probabilities() ? new ReferenceOutputs(intLabels, stringLabels, values, null, null, rawRows)
                : new ReferenceOutputs(intLabels, stringLabels, null, values, null, rawRows);
    }

    /**
     * One row of {@code predict_log_proba}: under {@code LOG_SOFTMAX} {@code (s − max) − log Σ exp(s − max)} of the
     * raw scores {@code raw}; otherwise the log of {@code proba}, a 0 first raised to the smallest normal number
     * under {@code LOG_FLOORED}.
     */
    static double[] logRow(org.ml2tensor.ir.LogProbabilities.Kind kind, double[] raw, double[] proba) {
        if (kind == org.ml2tensor.ir.LogProbabilities.Kind.LOG_SOFTMAX) {
            double max = raw[argMax(raw)];
            double sum = 0;
            for (double v : raw) {
                sum += Math.exp(v - max);
            }
            double lse = Math.log(sum);
            double[] out = new double[raw.length];
            for (int k = 0; k < raw.length; k++) {
                out[k] = (raw[k] - max) - lse;
            }
            return out;
        }
        double[] out = new double[proba.length];
        for (int k = 0; k < proba.length; k++) {
            boolean floor = kind == org.ml2tensor.ir.LogProbabilities.Kind.LOG_FLOORED && proba[k] == 0.0;
            out[k] = Math.log(floor ? Double.MIN_NORMAL : proba[k]);
        }
        return out;
    }

    static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double[] apply(ScoreTransform t, double[] raw) {
        double[] out = new double[raw.length];
        switch (t) {
            case IDENTITY -> System.arraycopy(raw, 0, out, 0, raw.length);
            case LOGISTIC -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = sigmoid(raw[i]);
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : raw) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.exp(raw[i] - max);
                    sum += out[i];
                }
                for (int i = 0; i < raw.length; i++) {
                    out[i] /= sum;
                }
            }
            case EXP -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.exp(raw[i]);
                }
            }
            case LOGISTIC_2X -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = sigmoid(2 * raw[i]);
                }
            }
            case LOGISTIC_NORMALIZED, NORMALIZE -> {
                double sum = 0;
                for (int i = 0; i < raw.length; i++) {
                    out[i] = t == ScoreTransform.NORMALIZE ? raw[i] : sigmoid(raw[i]);
                    sum += out[i];
                }
                for (int i = 0; i < raw.length; i++) {
                    out[i] /= sum;
                }
            }
            case LOG1P_EXP -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.log1p(Math.exp(raw[i]));
                }
            }
            case SIGNED_SQUARE -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.abs(raw[i]) * raw[i];
                }
            }
            case ISOLATION -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = -Math.pow(2, -raw[i]);
                }
            }
            case MODIFIED_HUBER -> QuadraticReference.modifiedHuber(raw, out);
            case SQRT_NEG -> {
                for (int i = 0; i < raw.length; i++) {
                    out[i] = Math.sqrt(Math.max(-raw[i], 0));
                }
            }
        }
        return out;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double[][] toArrays(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                out[r][c] = m.unsafe_get(r, c);
            }
        }
        return out;
    }
}
