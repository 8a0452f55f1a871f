package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;

/** Converters of feature transformers onto {@link Transformer} steps. */
final class TransformerConverters {
    private TransformerConverters() {
    }

    private static int features(SklearnObject est, String sizedBy) {
        if (est.has("n_features_in_")) {
            return est.width("n_features_in_");
        }
        return est.doubles(sizedBy, -1).length;
    }

    /** Checks that every divisor is finite and non-zero (scikit-learn replaces zero scales by 1 at fit time). */
    private static double[] divisors(SklearnObject est, String attr, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0 || !Double.isFinite(v[i])) {
                throw est.invalid(attr, "scale " + v[i] + " at column " + i + " cannot divide");
            }
        }
        return v;
    }

    /** {@code StandardScaler}: {@code X -= mean_; X /= scale_} in float64; either may be None. */
    static final class StandardScalerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            int n = features(est, est.has("scale_") ? "scale_" : "mean_");
            double[] mean = est.has("mean_") && est.bool("with_mean", true) ? est.doubles("mean_", n) : new double[n];
            double[] scale = est.has("scale_") ? divisors(est, "scale_", est.doubles("scale_", n)) : ones(n);
            return new Transformer.Affine(Transformer.Affine.Form.SUBTRACT_DIVIDE, mean, scale);
        }
    }

    /** {@code MinMaxScaler}: {@code X *= scale_; X += min_} in float64. */
    static final class MinMaxScalerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            if (est.bool("clip", false)) {
                throw est.unsupported("clip", "MinMaxScaler(clip=True) is not supported", "use clip=False");
            }
            int n = features(est, "scale_");
            double[] scale = est.doubles("scale_", n);
            double[] min = est.doubles("min_", n);
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(scale[i]) || !Double.isFinite(min[i])) {
                    throw est.invalid("scale_", "scale " + scale[i] + " / min " + min[i] + " at column " + i
                            + " is not finite");
                }
            }
            return new Transformer.Affine(Transformer.Affine.Form.MULTIPLY_ADD, min, scale);
        }
    }

    /** {@code MaxAbsScaler}: {@code X /= scale_} in float64. */
    static final class MaxAbsScalerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            int n = features(est, "scale_");
            return new Transformer.Affine(Transformer.Affine.Form.SUBTRACT_DIVIDE, new double[n],
                    divisors(est, "scale_", est.doubles("scale_", n)));
        }
    }

    /** {@code RobustScaler}: {@code X -= center_; X /= scale_} in float64; either may be None. */
    static final class RobustScalerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            int n = features(est, est.has("scale_") ? "scale_" : "center_");
            double[] center = est.has("center_") ? est.doubles("center_", n) : new double[n];
            double[] scale = est.has("scale_") ? divisors(est, "scale_", est.doubles("scale_", n)) : ones(n);
            return new Transformer.Affine(Transformer.Affine.Form.SUBTRACT_DIVIDE, center, scale);
        }
    }

    /**
     * {@code PCA}: before scikit-learn 1.5 {@code (X - mean_) @ components_.T}; from 1.5 on
     * {@code X @ components_.T - mean_ @ components_.T}; then, when whitening, divided by
     * {@code sqrt(explained_variance_)} (from 1.5 on clipped below at the float64 machine epsilon).
     */
    static final class PcaConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] c = est.matrix("components_", -1, -1, false);
            if (c.length == 0 || c[0].length == 0) {
                throw est.invalid("components_", "no components");
            }
            int n = c[0].length;
            double[] mean = est.has("mean_") ? est.doubles("mean_", n) : new double[n];
            boolean modern = atLeast(est.sklearnVersion().orElse("1.5"), 1, 5);
            double[] divisor = null;
            if (est.bool("whiten", false)) {
                double[] variance = est.doubles("explained_variance_", c.length);
                divisor = new double[c.length];
                for (int i = 0; i < c.length; i++) {
                    if (!(variance[i] >= 0)) {
                        throw est.invalid("explained_variance_", "component " + i + " has variance " + variance[i]);
                    }
                    divisor[i] = Math.sqrt(variance[i]);
                    if (modern && divisor[i] < Math.ulp(1.0)) {
                        divisor[i] = Math.ulp(1.0);
                    }
                    if (divisor[i] == 0) {
                        throw est.invalid("explained_variance_", "component " + i + " has variance 0");
                    }
                }
            }
            return new Transformer.Projection(mean, c, modern ? Transformer.Projection.Centring.AFTER
                    : Transformer.Projection.Centring.BEFORE, divisor, "pca");
        }
    }

    /** Whether a version string such as {@code 1.6.1} or {@code 1.5.dev0} is at least {@code major.minor}. */
    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** {@code TruncatedSVD}: {@code x · components_ᵀ}. */
    static final class TruncatedSvdConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            double[][] c = est.matrix("components_", -1, -1, false);
            if (c.length == 0 || c[0].length == 0) {
                throw est.invalid("components_", "no components");
            }
            return new Transformer.Projection(new double[c[0].length], c, "truncatedsvd");
        }
    }

    /**
     * {@code SimpleImputer} (every strategy: only {@code statistics_} matters at predict time) over numbers
     * (NaN is missing) or strings (None/NaN is missing; the graph sees the empty string). Columns that were
     * empty at fit are dropped from the output, as scikit-learn does, unless {@code keep_empty_features}
     * (then 0 is imputed). {@code add_indicator=True} appends the {@code indicator_} columns.
     */
    static final class SimpleImputerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            PyValue missing = est.get("missing_values");
            if (!(missing instanceof PyValue.PyFloat f && Double.isNaN(f.value()) || missing instanceof PyValue.PyNone)) {
                throw est.unsupported("missing_values", "SimpleImputer(missing_values=" + missing
                        + ") is not supported", "use missing_values=np.nan (or None for strings)");
            }
            NdArray stats = est.array("statistics_");
            int n = stats.size();
            if (est.has("n_features_in_") && est.integer("n_features_in_") != n) {
                throw est.invalid("statistics_", "expected " + est.integer("n_features_in_") + " values, found " + n);
            }
            boolean keepEmpty = est.bool("keep_empty_features", false);
            boolean strings = stats.dtype().kind() == 'U' || stats.dtype().isObject()
                    && stats.objects().stream().anyMatch(v -> v instanceof PyValue.PyStr);
            List<Integer> kept = new ArrayList<>();
            List<ColumnType> types = new ArrayList<>();
            Transformer impute;
            if (strings) {
                List<PyValue> values = stats.dtype().isObject() ? stats.objects()
                        : stats.toStrings().stream().map(v -> (PyValue) new PyValue.PyStr(v)).toList();
                List<String> fill = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    types.add(ColumnType.STRING);
                    PyValue v = values.get(i);
                    if (v instanceof PyValue.PyStr s && !s.value().isEmpty()) {
                        fill.add(s.value());
                        kept.add(i);
                    } else if (!(v instanceof PyValue.PyNone || v instanceof PyValue.PyFloat x && Double.isNaN(x.value()))) {
                        throw est.unsupported("statistics_", "statistic " + v + " of column " + i
                                + " is not a string", "impute string columns with strings and numeric columns with numbers");
                    } else if (keepEmpty) {
                        throw est.unsupported("keep_empty_features", "an empty string column kept by"
                                + " keep_empty_features is not supported", "drop the column before training");
                    }
                }
                impute = fill.isEmpty() ? null : new Transformer.ImputeStrings(fill);
            } else {
                double[] all = stats.dtype().isObject() ? objectNumbers(est, stats) : est.within("statistics_", stats::toDoubles);
                List<Double> fill = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    types.add(ColumnType.FLOAT);
                    if (!Double.isNaN(all[i]) || keepEmpty) {
                        fill.add(Double.isNaN(all[i]) ? 0.0 : all[i]);
                        kept.add(i);
                    }
                }
                impute = fill.isEmpty() ? null
                        : new Transformer.Impute(fill.stream().mapToDouble(Double::doubleValue).toArray());
            }
            boolean indicator = est.bool("add_indicator", false);
            if (kept.size() == n && !indicator) {
                return impute;
            }
            List<Transformer.Union.Branch> branches = new ArrayList<>();
            if (impute != null) {
                branches.add(new Transformer.Union.Branch("imputer", kept.stream().mapToInt(Integer::intValue).toArray(),
                        impute, 1.0));
            }
            if (indicator) {
                SklearnObject ind = est.child("indicator_");
                int[] all = new int[n];
                for (int i = 0; i < n; i++) {
                    all[i] = i;
                }
                branches.add(new Transformer.Union.Branch("indicator", all,
                        MissingIndicatorConverter.indicator(ind, types), 1.0));
            }
            if (branches.isEmpty()) {
                throw est.unsupported("statistics_", "every column was empty during fit",
                        "train on data with values");
            }
            return new Transformer.Union(types, branches, false);
        }
    }

    /** {@code Normalizer}: rows divided by their l1, l2 or max norm. */
    static final class NormalizerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            String norm = est.optionalString("norm").orElse("l2");
            Transformer.Normalize.Norm n = switch (norm) {
                case "l1" -> Transformer.Normalize.Norm.L1;
                case "l2" -> Transformer.Normalize.Norm.L2;
                case "max" -> Transformer.Normalize.Norm.MAX;
                default -> throw est.invalid("norm", "unknown norm '" + norm + "'");
            };
            return new Transformer.Normalize(est.count("n_features_in_", 1, Integer.MAX_VALUE), n);
        }
    }

    /** {@code Binarizer}: {@code x > threshold}. */
    static final class BinarizerConverter implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            return new Transformer.Binarize(est.count("n_features_in_", 1, Integer.MAX_VALUE), est.number("threshold"));
        }
    }

    /** An object array of Python numbers (None = NaN). */
    private static double[] objectNumbers(SklearnObject est, NdArray a) {
        List<PyValue> v = a.objects();
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i) instanceof PyValue.PyNone ? Double.NaN : est.numberOf("statistics_", v.get(i));
        }
        return out;
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1.0);
        return v;
    }
}
