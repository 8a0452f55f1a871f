package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * Feature selectors: each becomes a {@link Transformer.SelectColumns} of its {@code get_support()} mask,
 * recomputed from the fitted attributes with scikit-learn's tie rules (SelectKBest keeps the later of tied
 * scores, SelectPercentile the earlier; NaN scores count as the smallest). RFE/RFECV predict with
 * {@code estimator_} on the selected columns.
 */
final class SelectorConverters {
    private SelectorConverters() {
    }

    static Transformer.SelectColumns select(SklearnObject est, boolean[] mask) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                kept.add(i);
            }
        }
        if (kept.isEmpty()) {
            throw est.unsupported("support", "the selector keeps no feature", "select at least one feature");
        }
        return new Transformer.SelectColumns(mask.length, kept.stream().mapToInt(Integer::intValue).toArray());
    }

    /** NaN → the most negative double, as {@code _clean_nans} does. */
    private static double[] clean(double[] scores) {
        double[] s = scores.clone();
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i])) {
                s[i] = -Double.MAX_VALUE;
            }
        }
        return s;
    }

    static boolean[] kBest(double[] scores, int k) {
        boolean[] mask = new boolean[scores.length];
        double[] s = clean(scores);
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> s[i]).thenComparingInt(i -> i));
        for (int i = Math.max(0, s.length - k); i < s.length; i++) {
            mask[order[i]] = true;
        }
        return mask;
    }

    static boolean[] percentile(double[] scores, double percentile) {
        int n = scores.length;
        if (percentile >= 100) {
            return fill(n, true);
        }
        if (percentile <= 0) {
            return fill(n, false);
        }
        double[] s = clean(scores);
        double threshold = npPercentile(s, 100 - percentile);
        boolean[] mask = new boolean[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            mask[i] = s[i] > threshold;
            kept += mask[i] ? 1 : 0;
        }
        int maxFeatures = (int) (n * percentile / 100);
        for (int i = 0; i < n && kept < maxFeatures; i++) {
            if (s[i] == threshold) {
                mask[i] = true;
                kept++;
            }
        }
        return mask;
    }

    /** numpy's default (linear) percentile. */
    static double npPercentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = (s.length - 1) * q / 100.0;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    private static boolean[] fill(int n, boolean v) {
        boolean[] m = new boolean[n];
        Arrays.fill(m, v);
        return m;
    }

    static boolean[] fpr(double[] p, double alpha) {
        boolean[] m = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = p[i] < alpha;
        }
        return m;
    }

    static boolean[] fdr(double[] p, double alpha) {
        int n = p.length;
        double[] sv = p.clone();
        Arrays.sort(sv);
        double max = Double.NaN;
        for (int i = 0; i < n; i++) {
            if (sv[i] <= alpha / n * (i + 1)) {
                max = Double.isNaN(max) ? sv[i] : Math.max(max, sv[i]);
            }
        }
        boolean[] m = new boolean[n];
        for (int i = 0; i < n && !Double.isNaN(max); i++) {
            m[i] = p[i] <= max;
        }
        return m;
    }

    private static int width(SklearnObject est) {
        return est.count("n_features_in_", 1, Integer.MAX_VALUE);
    }

    /** SelectKBest. */
    static final class KBest implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[] scores = est.doubles("scores_", width(est));
            PyValue k = est.get("k");
            if (k instanceof PyValue.PyStr s && s.value().equals("all")) {
                return select(est, fill(scores.length, true));
            }
            return select(est, kBest(scores, (int) est.integer("k")));
        }
    }

    /** SelectPercentile. */
    static final class Percentile implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            return select(est, percentile(est.doubles("scores_", width(est)), est.number("percentile")));
        }
    }

    /** SelectFpr, SelectFdr, SelectFwe (p-values against alpha). */
    static final class PValues implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[] p = est.doubles("pvalues_", width(est));
            double alpha = est.number("alpha");
            return select(est, switch (est.simpleName()) {
                case "SelectFdr" -> fdr(p, alpha);
                case "SelectFwe" -> fpr(p, alpha / p.length);
                default -> fpr(p, alpha);
            });
        }
    }

    /** GenericUnivariateSelect (mode and param). */
    static final class Generic implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            String mode = est.string("mode");
            int n = width(est);
            PyValue param = est.get("param");
            return select(est, switch (mode) {
                case "k_best" -> param instanceof PyValue.PyStr s && s.value().equals("all") ? fill(n, true)
                        : kBest(est.doubles("scores_", n), (int) est.number("param"));
                case "percentile" -> percentile(est.doubles("scores_", n), est.number("param"));
                case "fpr" -> fpr(est.doubles("pvalues_", n), est.number("param"));
                case "fwe" -> fpr(est.doubles("pvalues_", n), est.number("param") / n);
                case "fdr" -> fdr(est.doubles("pvalues_", n), est.number("param"));
                default -> throw est.unsupported("mode", "GenericUnivariateSelect(mode='" + mode + "') is not supported",
                        "use k_best, percentile, fpr, fdr or fwe");
            });
        }
    }

    /** VarianceThreshold: variance strictly above the threshold. */
    static final class Variance implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[] v = est.doubles("variances_", -1);
            double t = est.number("threshold");
            boolean[] m = new boolean[v.length];
            for (int i = 0; i < v.length; i++) {
                m[i] = v[i] > t;
            }
            return select(est, m);
        }
    }

    /** SelectFromModel over an estimator with {@code coef_} (importance = |coef| summed over outputs). */
    static final class FromModel implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            SklearnObject inner = est.child("estimator_");
            if (!inner.has("coef_")) {
                throw est.unsupported("estimator_", "SelectFromModel over " + inner.simpleName()
                        + " is not supported (its importances are not stored in the pickle)",
                        "use a linear estimator (coef_) or select the columns explicitly");
            }
            double normOrder = est.has("norm_order") ? est.number("norm_order") : 1;
            double[][] coef = inner.matrix("coef_", -1, -1, true);
            double[] imp = new double[coef[0].length];
            for (int j = 0; j < imp.length; j++) {
                double s = 0;
                for (double[] row : coef) {
                    s += coef.length == 1 ? Math.abs(row[j]) : Math.pow(Math.abs(row[j]), normOrder);
                }
                imp[j] = coef.length == 1 || normOrder == 1 ? s : Math.pow(s, 1 / normOrder);
            }
            double threshold = threshold(est, inner, imp);
            boolean[] mask = fill(imp.length, true);
            PyValue maxFeatures = est.optional("max_features_").or(() -> est.optional("max_features"))
                    .orElse(PyValue.PyNone.NONE);
            if (maxFeatures instanceof PyValue.PyInt mf) {
                int m = (int) mf.value();
                mask = new boolean[imp.length];
                Integer[] order = new Integer[imp.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -imp[i]).thenComparingInt(i -> i));
                for (int i = 0; i < Math.min(m, order.length); i++) {
                    mask[order[i]] = true;
                }
            }
            for (int i = 0; i < imp.length; i++) {
                mask[i] &= !(imp[i] < threshold);
            }
            return select(est, mask);
        }

        private static double threshold(SklearnObject est, SklearnObject inner, double[] imp) {
            PyValue t = est.optional("threshold").orElse(PyValue.PyNone.NONE);
            if (t instanceof PyValue.PyNone) {
                boolean l1 = inner.optionalString("penalty").map("l1"::equals).orElse(false)
                        || inner.simpleName().contains("Lasso");
                if (l1) {
                    return 1e-5;
                }
                t = new PyValue.PyStr("mean");
            }
            if (t instanceof PyValue.PyStr s) {
                String text = s.value().strip().toLowerCase(Locale.ROOT);
                double scale = 1;
                if (text.contains("*")) {
                    scale = Double.parseDouble(text.substring(0, text.indexOf('*')).strip());
                    text = text.substring(text.indexOf('*') + 1).strip();
                }
                double ref = switch (text) {
                    case "mean" -> Arrays.stream(imp).average().orElse(0);
                    case "median" -> npPercentile(imp, 50);
                    default -> throw est.unsupported("threshold", "threshold '" + s.value() + "' is not supported",
                            "use a number, 'mean', 'median' or 'k*mean'");
                };
                return scale * ref;
            }
            return est.number("threshold");
        }
    }

    /** RFE / RFECV: {@code estimator_} applied to the {@code support_} columns. */
    static final class Rfe implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            long[] support = est.longs("support_", -1);
            boolean[] mask = new boolean[support.length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = support[i] != 0;
            }
            Transformer.SelectColumns select = select(est, mask);
            Estimator inner = ctx.convert(est.child("estimator_"));
            if (inner instanceof Transformer t) {
                return new Transformer.Chain(List.of(select, t));
            }
            if (inner instanceof Pipeline p) {
                List<Transformer> steps = new ArrayList<>();
                steps.add(select);
                steps.addAll(p.steps());
                return new Pipeline(steps, p.last());
            }
            return new Pipeline(List.of(select), inner);
        }

        @Override
        public List<SklearnObject> children(SklearnObject est) {
            return List.of(est.child("estimator_"));
        }
    }
}
