package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyGlobal;
import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Discretize;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Polynomial;
import org.ml2tensor.ir.PowerTransform;
import org.ml2tensor.ir.QuantileTransform;
import org.ml2tensor.ir.Transformer;

/** Converters of the numeric preprocessing family and TargetEncoder. */
final class PreprocessingConverters {
    private PreprocessingConverters() {
    }

    /** {@code KBinsDiscretizer}: the interior {@code bin_edges_}, ordinal or (dense) one-hot output. */
    static final class KBins implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            String encode = est.optionalString("encode").orElse("onehot");
            if (!List.of("onehot", "onehot-dense", "ordinal").contains(encode)) {
                throw est.unsupported("encode", "KBinsDiscretizer(encode='" + encode + "') is not supported",
                        "use 'onehot', 'onehot-dense' or 'ordinal'");
            }
            PyValue dtype = est.optional("dtype").orElse(PyValue.PyNone.NONE);
            if (!(dtype instanceof PyValue.PyNone) && !(dtype instanceof PyGlobal g && g.name().equals("float64"))) {
                throw est.unsupported("dtype", "KBinsDiscretizer(dtype=" + (dtype instanceof PyGlobal g
                        ? g.qualifiedName() : dtype.typeName()) + ") is not supported", "use dtype=None or np.float64");
            }
            List<PyValue> items = est.items("bin_edges_");
            int n = est.has("n_features_in_") ? est.width("n_features_in_") : items.size();
            if (items.size() != n) {
                throw est.invalid("bin_edges_", items.size() + " edge arrays for " + n + " features");
            }
            double[][] edges = new double[n][];
            for (int j = 0; j < n; j++) {
                if (!(items.get(j) instanceof NdArray a) || a.ndim() != 1 || a.dim(0) < 2) {
                    throw est.invalid("bin_edges_", "feature " + j + " needs an array of at least 2 edges");
                }
                double[] all = est.within("bin_edges_", a::toDoubles);
                edges[j] = java.util.Arrays.copyOfRange(all, 1, all.length - 1);
            }
            return new Discretize(edges, !encode.equals("ordinal"));
        }
    }

    /** {@code PolynomialFeatures}: the terms of {@code powers_}, recomputed from the fitted options. */
    static final class PolynomialFeatures implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            int n = est.width("n_features_in_");
            int min;
            int max;
            if (est.has("_max_degree")) {
                min = est.count("_min_degree", 0, 64);
                max = est.count("_max_degree", 0, 64);
            } else {
                min = 0;
                max = est.count("degree", 0, 64);
            }
            boolean interactionOnly = est.bool("interaction_only", false);
            boolean bias = est.bool("include_bias", true);
            List<int[]> terms = new ArrayList<>();
            if (bias) {
                terms.add(new int[0]);
            }
            for (int d = Math.max(1, min); d <= max; d++) {
                combinations(n, d, interactionOnly, new int[d], 0, 0, terms);
                if (terms.size() > 1_000_000) {
                    throw est.unsupported("degree", "more than a million polynomial terms", "lower the degree");
                }
            }
            if (est.has("n_output_features_") && est.integer("n_output_features_") != terms.size()) {
                throw est.invalid("n_output_features_", "expected " + terms.size() + " terms, the pickle says "
                        + est.integer("n_output_features_"));
            }
            if (terms.isEmpty()) {
                throw est.invalid("degree", "no output columns");
            }
            return new Polynomial(n, terms.toArray(new int[0][]));
        }

        /** {@code itertools.combinations(_with_replacement)(range(n), d)} in its order. */
        private static void combinations(int n, int d, boolean distinct, int[] cur, int at, int from, List<int[]> out) {
            if (at == d) {
                out.add(cur.clone());
                return;
            }
            for (int j = from; j < n; j++) {
                cur[at] = j;
                combinations(n, d, distinct, cur, at + 1, distinct ? j + 1 : j, out);
            }
        }
    }

    /** {@code PowerTransformer}: {@code lambdas_}, and the internal {@code _scaler} when standardizing. */
    static final class Power implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            String method = est.optionalString("method").orElse("yeo-johnson");
            PowerTransform.Method m = switch (method) {
                case "yeo-johnson" -> PowerTransform.Method.YEO_JOHNSON;
                case "box-cox" -> PowerTransform.Method.BOX_COX;
                default -> throw est.unsupported("method", "PowerTransformer(method='" + method + "') is not supported",
                        "use 'yeo-johnson' or 'box-cox'");
            };
            double[] lambdas = est.doubles("lambdas_", -1);
            double[] mean = null;
            double[] scale = null;
            if (est.bool("standardize", true)) {
                SklearnObject s = est.child("_scaler");
                mean = s.doubles("mean_", lambdas.length);
                scale = s.doubles("scale_", lambdas.length);
                for (int j = 0; j < scale.length; j++) {
                    if (scale[j] == 0 || !Double.isFinite(scale[j])) {
                        throw s.invalid("scale_", "scale " + scale[j] + " at column " + j + " cannot divide");
                    }
                }
            }
            return new PowerTransform(m, lambdas, mean, scale);
        }
    }

    /** {@code QuantileTransformer} (uniform or normal output): {@code quantiles_} and {@code references_}. */
    static final class Quantile implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            String output = est.optionalString("output_distribution").orElse("uniform");
            if (!output.equals("uniform") && !output.equals("normal")) {
                throw est.unsupported("output_distribution", "QuantileTransformer(output_distribution='" + output
                        + "') is not supported", "use output_distribution='uniform' or 'normal'");
            }
            double[][] q = est.matrix("quantiles_", -1, -1, false);
            double[] refs = est.doubles("references_", q.length);
            int f = q.length == 0 ? 0 : q[0].length;
            double[][] columns = new double[f][q.length];
            for (int i = 0; i < q.length; i++) {
                for (int j = 0; j < f; j++) {
                    columns[j][i] = q[i][j];
                }
            }
            return new QuantileTransform(columns, refs, output.equals("normal"));
        }
    }

    /**
     * {@code TargetEncoder} (1.3+): {@code transform}, not the cross-fitted {@code fit_transform}: each
     * category's {@code encodings_} value, {@code target_mean_} for an unseen one. Multiclass targets give one
     * column per feature and class (feature-major), each an encoding of that feature.
     */
    static final class Target implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            List<PyValue> cats = est.items("categories_");
            List<PyValue> encodings = est.items("encodings_");
            String type = est.string("target_type_");
            int n = cats.size();
            List<Categories> categories = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                categories.add(CategoryReader.read(est, "categories_[" + i + "]", cats.get(i)));
            }
            if (!type.equals("multiclass")) {
                if (encodings.size() != n) {
                    throw est.invalid("encodings_", encodings.size() + " encodings for " + n + " features");
                }
                double mean = est.number("target_mean_");
                List<Transformer.OrdinalEncode.Feature> features = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    features.add(new Transformer.OrdinalEncode.Feature(categories.get(i),
                            encoding(est, i, encodings.get(i), categories.get(i)), mean));
                }
                return new Transformer.OrdinalEncode(features);
            }
            double[] means = est.doubles("target_mean_", -1);
            int k = means.length;
            if (encodings.size() != n * k) {
                throw est.invalid("encodings_", encodings.size() + " encodings for " + n + " features × " + k
                        + " classes");
            }
            List<ColumnType> types = new ArrayList<>();
            for (Categories c : categories) {
                types.add(c.type());
            }
            List<Transformer.Union.Branch> branches = new ArrayList<>();
            for (int e = 0; e < n * k; e++) {
                int feature = e / k;
                Categories c = categories.get(feature);
                branches.add(new Transformer.Union.Branch("target_encoding_" + e, new int[]{feature},
                        new Transformer.OrdinalEncode(List.of(new Transformer.OrdinalEncode.Feature(c,
                                encoding(est, e, encodings.get(e), c), means[e % k]))), 1.0));
            }
            return new Transformer.Union(types, branches, false);
        }

        private static double[] encoding(SklearnObject est, int i, PyValue v, Categories c) {
            if (!(v instanceof NdArray a) || a.ndim() != 1 || a.dim(0) != c.size()) {
                throw est.invalid("encodings_", "encoding " + i + " needs one value per category (" + c.size() + ")");
            }
            return est.within("encodings_", a::toDoubles);
        }
    }

    /**
     * {@code SplineTransformer}: the knots {@code t} and coefficients {@code c} of each pickled scipy
     * {@code BSpline} in {@code bsplines_} (read as inert data); extrapolation constant, linear, continue.
     */
    static final class Splines implements SklearnConverter {
        /** The scipy objects its pickle carries (never called). */
        static final List<String> HELPERS = List.of("scipy.interpolate._bsplines.BSpline",
                "scipy.interpolate.bsplines.BSpline", "scipy._lib.array_api_compat.numpy._aliases.asarray");

        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            String ext = est.optionalString("extrapolation").orElse("constant");
            org.ml2tensor.ir.Spline.Extrapolation e = switch (ext) {
                case "constant" -> org.ml2tensor.ir.Spline.Extrapolation.CONSTANT;
                case "linear" -> org.ml2tensor.ir.Spline.Extrapolation.LINEAR;
                case "continue" -> org.ml2tensor.ir.Spline.Extrapolation.CONTINUE;
                default -> throw est.unsupported("extrapolation", "SplineTransformer(extrapolation='" + ext
                        + "') is not supported", "use 'constant', 'linear' or 'continue'");
            };
            String missing = est.optionalString("handle_missing").orElse("error");
            if (!missing.equals("error")) {
                throw est.unsupported("handle_missing", "SplineTransformer(handle_missing='" + missing
                        + "') is not supported", "use handle_missing='error'");
            }
            int degree = est.count("degree", 0, 16);
            List<PyValue> splines = est.items("bsplines_");
            double[][] knots = new double[splines.size()][];
            double[][] coef = null;
            for (int j = 0; j < splines.size(); j++) {
                SklearnObject b = est.child("bsplines_", splines.get(j), "bsplines_[" + j + "]");
                knots[j] = b.doubles(b.has("_t") ? "_t" : "t", -1);
                double[][] c = b.matrix(b.has("_c") ? "_c" : "c", -1, -1, false);
                if (b.count("k", 0, 16) != degree) {
                    throw b.invalid("k", "degree " + b.integer("k") + " differs from the transformer's " + degree);
                }
                if (coef == null) {
                    coef = c;
                } else if (!java.util.Arrays.deepEquals(coef, c)) {
                    throw b.invalid("c", "the splines of the columns have different coefficients");
                }
            }
            if (coef == null) {
                throw est.invalid("bsplines_", "no splines");
            }
            return new org.ml2tensor.ir.Spline(knots, degree, coef, e, est.bool("include_bias", true));
        }
    }

    /**
     * {@code KNNImputer} (nan_euclidean, uniform or distance weights): the training rows {@code _fit_X}; columns
     * empty at fit ({@code _valid_mask} false) are dropped from the output; {@code add_indicator} appends the
     * {@code indicator_} columns.
     */
    static final class Knn implements SklearnConverter {
        @Override
        public Estimator convert(SklearnObject est, ConversionContext ctx) {
            PyValue missing = est.get("missing_values");
            if (!(missing instanceof PyValue.PyFloat f && Double.isNaN(f.value()))) {
                throw est.unsupported("missing_values", "KNNImputer(missing_values=" + missing + ") is not supported",
                        "use missing_values=np.nan");
            }
            if (!(est.get("metric") instanceof PyValue.PyStr m && m.value().equals("nan_euclidean"))) {
                throw est.unsupported("metric", "KNNImputer with a metric other than 'nan_euclidean' is not supported",
                        "use metric='nan_euclidean'");
            }
            String weights = est.get("weights") instanceof PyValue.PyStr w ? w.value() : "callable";
            if (!weights.equals("uniform") && !weights.equals("distance")) {
                throw est.unsupported("weights", "KNNImputer(weights=" + weights + ") is not supported",
                        "use weights='uniform' or 'distance'");
            }
            double[][] fit = est.matrix("_fit_X", -1, -1, false);
            int n = fit.length == 0 ? 0 : fit[0].length;
            org.ml2tensor.ir.KnnImpute knn = new org.ml2tensor.ir.KnnImpute(fit,
                    est.count("n_neighbors", 1, Integer.MAX_VALUE), weights.equals("distance"));
            List<Integer> kept = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                if (!Double.isNaN(knn.columnMean(c))) {
                    kept.add(c);
                } else if (est.bool("keep_empty_features", false)) {
                    throw est.unsupported("keep_empty_features", "an empty column kept by keep_empty_features is not"
                            + " supported", "drop the column before training");
                }
            }
            Transformer impute = knn;
            if (kept.size() < n) {
                impute = new Transformer.Chain(List.of(knn, new Transformer.SelectColumns(n,
                        kept.stream().mapToInt(Integer::intValue).toArray())));
            }
            if (!est.bool("add_indicator", false)) {
                return impute;
            }
            List<ColumnType> types = new ArrayList<>();
            int[] all = new int[n];
            for (int c = 0; c < n; c++) {
                types.add(ColumnType.FLOAT);
                all[c] = c;
            }
            return new Transformer.Union(types, List.of(
                    new Transformer.Union.Branch("imputer", all, impute, 1.0),
                    new Transformer.Union.Branch("indicator", all,
                            MissingIndicatorConverter.indicator(est.child("indicator_"), types), 1.0)), false);
        }
    }
}
