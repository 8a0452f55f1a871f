package org.ml2tensor.conformance.reference;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;

import org.ml2tensor.ir.Calibrator;
import org.ml2tensor.ir.Combiner;
import org.ml2tensor.ir.Ensemble;
import org.ml2tensor.ir.Member;
import org.ml2tensor.ir.NumpySums;

/**
 * Reference evaluation of an {@link Ensemble}: each member through the ordinary {@link ReferenceEvaluator}
 * (on its columns), its response read from the member's {@link ReferenceOutputs}, then scikit-learn's
 * combining formula in numpy's order of operations, row by row in float64.
 */
final class EnsembleReference {
    private EnsembleReference() {
    }

    static ReferenceOutputs evaluate(Ensemble e, Table x) {
        int n = x.rows;
        int k = e.classes();
        List<double[][]> parts = new ArrayList<>();
        List<ReferenceOutputs> outputs = new ArrayList<>();
        boolean chain = e.combiner() instanceof Combiner.Targets t && t.chain();
        for (Member m : e.members()) {
            Table in = m.columns() == null ? x : x.select(m.columns());
            if (chain && !parts.isEmpty()) {
                List<Table> tables = new ArrayList<>(List.of(x));
                for (double[][] p : parts) {
                    tables.add(Table.of(new DMatrixRMaj(p)));
                }
                in = Table.concat(n, tables);
            }
            ReferenceOutputs o = ReferenceEvaluator.on(m.estimator(), in);
            outputs.add(withRaw(o, m.predictor()));
            parts.add(response(withRaw(o, m.predictor()), m.response(), m.classMap(), k, n,
                    m.predictor().head() instanceof org.ml2tensor.ir.Head.Classification h ? h.labels().asText() : null));
        }
        Combiner c = e.combiner();
        double[][] raw;
        if (c instanceof Combiner.OneVsRest ovr) {
            return oneVsRest(e, ovr, parts, outputs, n);
        }
        if (c instanceof Combiner.Targets t) {
            raw = new double[n][parts.size()];
            int[] order = t.order();
            for (int i = 0; i < parts.size(); i++) {
                for (int r = 0; r < n; r++) {
                    raw[r][order == null ? i : order[i]] = parts.get(i)[r][0];
                }
            }
        } else if (c instanceof Combiner.OneVsOne ovo) {
            raw = oneVsOne(parts, outputs, ovo.confidenceIsProba(), k, n);
            if (k == 2) {
                return binaryOneVsOne(e, raw, ovo.confidenceIsProba()[0] ? 0.5 : 0.0);
            }
        } else if (c instanceof Combiner.Stack s) {
            int w = 0;
            for (double[][] p : parts) {
                w += p[0].length;
            }
            DMatrixRMaj meta = new DMatrixRMaj(n, w);
            for (int r = 0; r < n; r++) {
                int at = 0;
                for (double[][] p : parts) {
                    for (double v : p[r]) {
                        meta.unsafe_set(r, at++, v);
                    }
                }
            }
            List<Table> tables = new ArrayList<>(List.of(Table.of(meta)));
            if (s.passthrough()) {
                tables.add(x);
            }
            ReferenceOutputs f = ReferenceEvaluator.on(s.finalEstimator(), Table.concat(n, tables));
            if (f.raw() == null) { // a family evaluated to its outputs: they are the scores, as in the graph
                ReferenceOutputs g = withRaw(f, new Member("final", s.finalEstimator(), null, Member.Response.VALUE,
                        null).predictor());
                return ReferenceEvaluator.head(new DMatrixRMaj(g.raw()), org.ml2tensor.ir.ScoreTransform.IDENTITY,
                        e.head() instanceof org.ml2tensor.ir.Head.Classification h
                                ? new org.ml2tensor.ir.Head.Classification(h.labels(), f.probabilities() != null)
                                : e.head());
            }
            raw = f.raw();
        } else if (c instanceof Combiner.Average a) {
            raw = average(parts, a.weights(), n);
        } else if (c instanceof Combiner.Vote v) {
            List<double[][]> votes = new ArrayList<>();
            for (double[][] p : parts) {
                double[][] oneHot = new double[n][k];
                for (int r = 0; r < n; r++) {
                    oneHot[r][(int) p[r][0]] = 1;
                }
                votes.add(oneHot);
            }
            raw = sum(votes, v.weights(), n);
            if (v.normalize()) {
                double total = v.weights() == null ? parts.size() : sequential(v.weights());
                for (double[] row : raw) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] /= total;
                    }
                }
            }
        } else if (c instanceof Combiner.Calibration cal) {
            List<double[][]> probas = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                probas.add(calibrated(parts.get(i), cal.calibrators().get(i), cal.classIndex().get(i), k));
            }
            raw = average(probas, null, n);
        } else if (c instanceof Combiner.AdaBoost a) {
            raw = adaBoost(parts, a, k, n);
        } else {
            raw = weightedMedian(parts, ((Combiner.WeightedMedian) c).weights(), n);
        }
        return ReferenceEvaluator.head(new DMatrixRMaj(raw), e.transform(), e.head());
    }

    private static double[][] response(ReferenceOutputs o, Member.Response response, int[] map, int classes, int n,
                                       List<String> labels) {
        return switch (response) {
            case VALUE -> o.values();
            case DECISION -> o.raw();
            case LABEL -> {
                double[][] out = new double[n][1];
                for (int r = 0; r < n; r++) {
                    int index;
                    if (labels != null && (o.intLabels() != null || o.stringLabels() != null)) {
                        index = labels.indexOf(o.intLabels() != null ? Long.toString(o.intLabels()[r]) : o.stringLabels()[r]);
                    } else {
                        double[] raw = o.raw()[r];
                        index = raw.length == 1 ? (raw[0] > 0 ? 1 : 0) : ReferenceEvaluator.argMax(raw);
                    }
                    out[r][0] = map == null ? index : map[index];
                }
                yield out;
            }
            case PROBA_POSITIVE -> {
                double[][] out = new double[n][1];
                for (int r = 0; r < n; r++) {
                    out[r][0] = o.probabilities()[r][1];
                }
                yield out;
            }
            case PROBA -> {
                if (map == null) {
                    yield o.probabilities();
                }
                double[][] out = new double[n][classes];
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < map.length; j++) {
                        out[r][map[j]] += o.probabilities()[r][j];
                    }
                }
                yield out;
            }
        };
    }

    private static ReferenceOutputs oneVsRest(Ensemble e, Combiner.OneVsRest ovr, List<double[][]> scores,
                                              List<ReferenceOutputs> outputs, int n) {
        boolean proba = ((org.ml2tensor.ir.Head.Classification) e.head()).probabilities();
        int k = ovr.classifiers(scores.size());
        double[][] raw = new double[n][];
        int[] index = new int[n];
        for (int r = 0; r < n; r++) {
            double[] s = new double[k];
            double[] y = new double[k == 1 ? 2 : k];
            for (int i = 0; i < k; i++) {
                s[i] = scores.get(i)[r][0];
                if (proba) {
                    // split: predict_proba[:, 1] of the probability forms that follow the decision members
                    y[k == 1 ? 1 : i] = ovr.splitResponses() ? scores.get(k + i)[r][0]
                            : outputs.get(i).probabilities()[r][1];
                }
            }
            if (k == 1) {
                boolean decision = e.members().get(0).response() == Member.Response.DECISION;
                index[r] = s[0] > (decision ? 0.0 : 0.5) ? 1 : 0;
                y[0] = 1 - y[1];
            } else {
                int best = 0;
                for (int i = 1; i < k; i++) {
                    if (s[i] > s[best] || ovr.before19() && s[i] == s[best]) {
                        best = i;
                    }
                }
                index[r] = best;
            }
            if (!proba) {
                raw[r] = s;
                continue;
            }
            double sum = 0;
            for (double v : y) {
                sum += v;
            }
            for (int j = 0; j < y.length; j++) {
                y[j] = sum != 0 || ovr.before19() ? y[j] / sum : y[j];
            }
            raw[r] = y;
        }
        ReferenceOutputs o = ReferenceEvaluator.head(new DMatrixRMaj(raw), e.transform(), e.head());
        org.ml2tensor.ir.ClassLabels labels = ((org.ml2tensor.ir.Head.Classification) e.head()).labels();
        long[] ints = null;
        String[] strings = null;
        if (labels instanceof org.ml2tensor.ir.ClassLabels.Ints li) {
            ints = new long[n];
            for (int r = 0; r < n; r++) {
                ints[r] = li.values()[index[r]];
            }
        } else {
            strings = new String[n];
            for (int r = 0; r < n; r++) {
                strings[r] = labels.asText().get(index[r]);
            }
        }
        return new ReferenceOutputs(ints, strings, o.probabilities(), o.scores(), null, o.raw());
    }

    /** Binary OneVsOne: decision = column 1, label = decision &gt; threshold (0, or 0.5 for probabilities). */
    private static ReferenceOutputs binaryOneVsOne(Ensemble e, double[][] y, double threshold) {
        double[][] decision = new double[y.length][1];
        double[][] shifted = new double[y.length][1];
        for (int r = 0; r < y.length; r++) {
            decision[r][0] = y[r][1];
            shifted[r][0] = y[r][1] - threshold;
        }
        ReferenceOutputs scores = ReferenceEvaluator.head(new DMatrixRMaj(decision), e.transform(), e.head());
        ReferenceOutputs labels = ReferenceEvaluator.head(new DMatrixRMaj(shifted), e.transform(), e.head());
        return new ReferenceOutputs(labels.intLabels(), labels.stringLabels(), scores.probabilities(),
                scores.scores(), scores.values(), scores.raw());
    }

    private static double[][] oneVsOne(List<double[][]> labels, List<ReferenceOutputs> outputs, boolean[] isProba,
                                       int k, int n) {
        double[][] out = new double[n][k];
        for (int r = 0; r < n; r++) {
            double[] votes = new double[k];
            double[] sums = new double[k];
            int p = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    double conf = isProba[p] ? outputs.get(p).probabilities()[r][1] : outputs.get(p).raw()[r][0];
                    sums[i] -= conf;
                    sums[j] += conf;
                    if (labels.get(p)[r][0] == 0) {
                        votes[i] += 1;
                    } else {
                        votes[j] += 1;
                    }
                    p++;
                }
            }
            for (int c = 0; c < k; c++) {
                out[r][c] = votes[c] + sums[c] / (3 * (Math.abs(sums[c]) + 1));
            }
        }
        return out;
    }

    /**
     * A member's outputs with raw scores: families whose reference gives only outputs (SVM, MLP, k-NN) have their
     * probabilities (else decision scores, else values) as raw scores, as their graphs do (their labels are
     * read from the labels).
     */
    static ReferenceOutputs withRaw(ReferenceOutputs o, org.ml2tensor.ir.Predictor member) {
        if (o.raw() != null) {
            return o;
        }
        double[][] raw = o.probabilities() != null ? o.probabilities() : o.scores() != null ? o.scores() : o.values();
        return new ReferenceOutputs(o.intLabels(), o.stringLabels(), o.probabilities(), o.scores(), o.values(), raw);
    }

    private static double sequential(double[] w) {
        double t = 0;
        for (double v : w) {
            t += v;
        }
        return t;
    }

    /** {@code Σ w_i·v_i} in member order, or {@code Σ v_i}. */
    private static double[][] sum(List<double[][]> parts, double[] weights, int n) {
        int width = parts.get(0)[0].length;
        double[][] out = new double[n][width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                double s = 0;
                for (int i = 0; i < parts.size(); i++) {
                    double v = parts.get(i)[r][j];
                    s = i == 0 ? (weights == null ? v : v * weights[i]) : s + (weights == null ? v : v * weights[i]);
                }
                out[r][j] = s;
            }
        }
        return out;
    }

    /** {@code np.average(parts, axis=0, weights)}. */
    private static double[][] average(List<double[][]> parts, double[] weights, int n) {
        double[][] out = sum(parts, weights, n);
        double total = weights == null ? parts.size() : sequential(weights);
        for (double[] row : out) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= total;
            }
        }
        return out;
    }

    private static double[][] calibrated(double[][] scores, List<Calibrator> calibrators, int[] classIndex, int k) {
        int n = scores.length;
        double[][] proba = new double[n][k];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < calibrators.size(); j++) {
                double p = apply(calibrators.get(j), scores[r][j]);
                proba[r][k == 2 ? 1 : classIndex[j]] = p;
            }
            if (k == 2) {
                proba[r][0] = 1.0 - proba[r][1];
            } else {
                double sum = 0;
                for (double v : proba[r]) {
                    sum += v;
                }
                for (int j = 0; j < k; j++) {
                    proba[r][j] = sum != 0 ? proba[r][j] / sum : 1.0 / k;
                }
            }
            for (int j = 0; j < k; j++) {
                if (1.0 < proba[r][j] && proba[r][j] <= 1.0 + 1e-5) {
                    proba[r][j] = 1.0;
                }
            }
        }
        return proba;
    }

    private static double apply(Calibrator c, double f) {
        if (c instanceof Calibrator.Sigmoid s) {
            return 1.0 / (1.0 + Math.exp(s.a() * f + s.b()));
        }
        return ((Calibrator.Isotonic) c).apply(f);
    }

    private static double[][] adaBoost(List<double[][]> parts, Combiner.AdaBoost a, int k, int n) {
        double[] w = a.weights();
        double total = NumpySums.sum(w);
        double[][] out = new double[n][k == 2 ? 1 : k];
        double[] dec = new double[k];
        for (int r = 0; r < n; r++) {
            java.util.Arrays.fill(dec, 0.0);
            for (int i = 0; i < parts.size(); i++) {
                double[] p = parts.get(i)[r];
                if (a.form() == Combiner.AdaBoost.Form.SAMME_R) {
                    double[] logp = new double[k];
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        logp[j] = Math.log(Math.max(p[j], Math.ulp(1.0)));
                        s += logp[j];
                    }
                    for (int j = 0; j < k; j++) {
                        dec[j] += (k - 1) * (logp[j] - (1.0 / k) * s);
                    }
                } else {
                    for (int j = 0; j < k; j++) {
                        boolean hit = (int) p[0] == j;
                        dec[j] += hit ? w[i] : a.form() == Combiner.AdaBoost.Form.SAMME ? -1.0 / (k - 1) * w[i] : 0.0;
                    }
                }
            }
            for (int j = 0; j < k; j++) {
                dec[j] /= total;
            }
            if (k == 2) {
                out[r][0] = -dec[0] + dec[1];
            } else {
                for (int j = 0; j < k; j++) {
                    out[r][j] = dec[j] / (k - 1);
                }
            }
        }
        return out;
    }

    private static double[][] weightedMedian(List<double[][]> parts, double[] w, int n) {
        double half = 0.5 * NumpySums.sum(w);
        double[][] out = new double[n][1];
        for (int r = 0; r < n; r++) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < parts.size(); i++) {
                double vi = parts.get(i)[r][0];
                double below = 0;
                for (int j = 0; j < parts.size(); j++) {
                    if (parts.get(j)[r][0] <= vi) {
                        below += w[j];
                    }
                }
                if (below >= half && vi < best) {
                    best = vi;
                }
            }
            out[r][0] = best;
        }
        return out;
    }
}
