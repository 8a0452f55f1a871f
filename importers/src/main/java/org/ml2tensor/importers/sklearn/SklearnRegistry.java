package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.pickle.GlobalAllowlist;

/**
 * Immutable map from Python qualified class names (with aliases for modules scikit-learn renamed, e.g.
 * {@code sklearn.tree.tree} → {@code sklearn.tree._classes}) to converters, plus the inert helper classes
 * those estimators pickle. Registering a name twice is an error.
 */
public final class SklearnRegistry {
    /** Inert classes and functions that supported estimators carry in their pickles; never converted. */
    static final List<String> HELPERS = helpers();

    private final Map<String, SklearnConverter> converters;
    private final List<String> supported;

    private SklearnRegistry(Map<String, SklearnConverter> converters, List<String> supported) {
        this.converters = Map.copyOf(converters);
        this.supported = List.copyOf(supported);
    }

    /** The converters shipped with ml2tensor. */
    public static SklearnRegistry standard() {
        Builder b = new Builder();
        String tree = "sklearn.tree:_classes,tree";
        b.add(new DecisionTreeConverter(true), tree, "DecisionTreeClassifier", "ExtraTreeClassifier");
        b.add(new DecisionTreeConverter(false), tree, "DecisionTreeRegressor", "ExtraTreeRegressor");
        String forest = "sklearn.ensemble:_forest,forest";
        b.add(new ForestConverter(true), forest, "RandomForestClassifier", "ExtraTreesClassifier");
        b.add(new ForestConverter(false), forest, "RandomForestRegressor", "ExtraTreesRegressor");
        String gb = "sklearn.ensemble:_gb,gradient_boosting";
        b.add(new GradientBoostingConverter(true), gb, "GradientBoostingClassifier");
        b.add(new GradientBoostingConverter(false), gb, "GradientBoostingRegressor");
        String hgb = "sklearn.ensemble._hist_gradient_boosting:gradient_boosting";
        b.add(new HistGradientBoostingConverter(true), hgb, "HistGradientBoostingClassifier");
        b.add(new HistGradientBoostingConverter(false), hgb, "HistGradientBoostingRegressor");
        b.add(new IsolationForestConverter(), "sklearn.ensemble:_iforest,iforest", "IsolationForest");
        b.add(new LinearConverters.LogisticRegressionConverter(), "sklearn.linear_model:_logistic,logistic",
                "LogisticRegression");
        b.add(new LinearConverters.LinearRegressorConverter(), "sklearn.linear_model:_base,base", "LinearRegression");
        b.add(new LinearConverters.LinearRegressorConverter(), "sklearn.linear_model:_ridge,ridge", "Ridge");
        b.add(new LinearConverters.LinearRegressorConverter(),
                "sklearn.linear_model:_coordinate_descent,coordinate_descent", "Lasso", "ElasticNet");
        b.add(new LinearConverters.LinearRegressorConverter(), "sklearn.svm:_classes,classes", "LinearSVR");
        b.add(new LinearConverters.LinearRegressorConverter(),
                "sklearn.linear_model:_stochastic_gradient,stochastic_gradient", "SGDRegressor");
        b.add(new LinearConverters.DecisionOnlyClassifierConverter(), "sklearn.svm:_classes,classes", "LinearSVC");
        b.add(new LinearConverters.DecisionOnlyClassifierConverter(), "sklearn.linear_model:_ridge,ridge",
                "RidgeClassifier");
        b.add(new SgdClassifierConverter(),
                "sklearn.linear_model:_stochastic_gradient,stochastic_gradient", "SGDClassifier");
        b.add(new LinearConverters.GeneralizedLinearConverter(), "sklearn.linear_model._glm:glm",
                "PoissonRegressor", "GammaRegressor", "TweedieRegressor");
        String data = "sklearn.preprocessing:_data,data";
        b.add(new TransformerConverters.StandardScalerConverter(), data, "StandardScaler");
        b.add(new TransformerConverters.MinMaxScalerConverter(), data, "MinMaxScaler");
        b.add(new TransformerConverters.MaxAbsScalerConverter(), data, "MaxAbsScaler");
        b.add(new TransformerConverters.RobustScalerConverter(), data, "RobustScaler");
        b.add(new TransformerConverters.PcaConverter(), "sklearn.decomposition:_pca,pca", "PCA");
        b.add(new TransformerConverters.PcaConverter(), "sklearn.decomposition:_incremental_pca", "IncrementalPCA");
        b.add(new TransformerConverters.TruncatedSvdConverter(), "sklearn.decomposition:_truncated_svd,truncated_svd",
                "TruncatedSVD");
        b.add(new TransformerConverters.SimpleImputerConverter(), "sklearn:impute._base,impute", "SimpleImputer");
        b.add(new PipelineConverter(), "sklearn:pipeline", "Pipeline");
        b.add(new FeatureUnionConverter(), "sklearn:pipeline", "FeatureUnion");
        b.add(new ColumnTransformerConverter(), "sklearn.compose:_column_transformer", "ColumnTransformer");
        b.add(new FunctionTransformerConverter(), "sklearn.preprocessing:_function_transformer",
                "FunctionTransformer");
        b.add(new OneHotEncoderConverter(), "sklearn.preprocessing:_encoders", "OneHotEncoder");
        b.add(new MissingIndicatorConverter(), "sklearn:impute._base", "MissingIndicator");
        b.add(new OrdinalEncoderConverter(), "sklearn.preprocessing:_encoders", "OrdinalEncoder");
        b.add(new TransformerConverters.NormalizerConverter(), data, "Normalizer");
        b.add(new TransformerConverters.BinarizerConverter(), data, "Binarizer");
        String univariate = "sklearn.feature_selection:_univariate_selection";
        b.add(new SelectorConverters.KBest(), univariate, "SelectKBest");
        b.add(new SelectorConverters.Percentile(), univariate, "SelectPercentile");
        b.add(new SelectorConverters.PValues(), univariate, "SelectFpr", "SelectFdr", "SelectFwe");
        b.add(new SelectorConverters.Generic(), univariate, "GenericUnivariateSelect");
        b.add(new SelectorConverters.Variance(), "sklearn.feature_selection:_variance_threshold",
                "VarianceThreshold");
        b.add(new SelectorConverters.FromModel(), "sklearn.feature_selection:_from_model", "SelectFromModel");
        b.add(new SelectorConverters.Rfe(), "sklearn.feature_selection:_rfe", "RFE", "RFECV");
        b.add(new TransformedTargetRegressorConverter(), "sklearn.compose:_target", "TransformedTargetRegressor");
        b.add(new PreprocessingConverters.KBins(), "sklearn.preprocessing:_discretization", "KBinsDiscretizer");
        b.add(new PreprocessingConverters.PolynomialFeatures(), "sklearn.preprocessing:_polynomial",
                "PolynomialFeatures");
        b.add(new PreprocessingConverters.Power(), data, "PowerTransformer");
        b.add(new PreprocessingConverters.Quantile(), data, "QuantileTransformer");
        b.add(new PreprocessingConverters.Splines(), "sklearn.preprocessing:_polynomial", "SplineTransformer");
        b.add(new PreprocessingConverters.Knn(), "sklearn:impute._knn", "KNNImputer");
        b.add(new PreprocessingConverters.Target(), "sklearn.preprocessing:_target_encoder", "TargetEncoder");
        b.add(new XgboostWrapperConverter(true), "xgboost:sklearn", "XGBClassifier");
        b.add(new XgboostWrapperConverter(false), "xgboost:sklearn", "XGBRegressor", "XGBRanker");
        SvmKnnMlpRegistration.add(b);
        FamilyRegistrations.register(b);
        MetaRegistrations.addTo(b);
        return b.build();
    }

    /** The converter for a Python class, if any. */
    public Optional<SklearnConverter> find(String pythonClass) {
        return Optional.ofNullable(converters.get(pythonClass));
    }

    /** The converter for an estimator; fails with {@link ErrorCode#UNSUPPORTED} listing what is supported. */
    SklearnConverter require(SklearnObject est) {
        SklearnConverter c = converters.get(est.className());
        if (c == null) {
            throw UnsupportedEstimators.refusal(est.className(), est.path());
        }
        return c;
    }

    /** Simple class names of the supported estimators, sorted. */
    public List<String> supportedEstimators() {
        return supported;
    }

    /** Every Python qualified class name that has a converter (aliases included), sorted. */
    public List<String> pythonNames() {
        return List.copyOf(new TreeSet<>(converters.keySet()));
    }

    /** numpy, builtins, the converted estimator classes and their helper classes. */
    public GlobalAllowlist allowlist() {
        List<String> names = new ArrayList<>(converters.keySet());
        names.addAll(HELPERS);
        return GlobalAllowlist.numpyAndBuiltins().plus(names)
                .withLibraryClassHint(UnsupportedEstimators.LIST_HINT)
                .toleratingLibraryClasses();
    }

    /** Collects converters; {@link #build()} fails on a duplicate name. */
    public static final class Builder {
        private final Map<String, SklearnConverter> converters = new LinkedHashMap<>();
        private final TreeSet<String> supported = new TreeSet<>();

        /**
         * Registers {@code converter} for each class name under each module spelling. {@code modules} is
         * {@code "package:sub1,sub2"}: the class {@code X} is registered as {@code package.sub1.X} and
         * {@code package.sub2.X}.
         */
        public Builder add(SklearnConverter converter, String modules, String... classNames) {
            int colon = modules.indexOf(':');
            String pkg = modules.substring(0, colon);
            for (String className : classNames) {
                for (String sub : modules.substring(colon + 1).split(",")) {
                    put(pkg + "." + sub + "." + className, converter);
                }
                supported.add(className);
            }
            return this;
        }

        /** Registers one exact qualified name. */
        public Builder put(String qualifiedName, SklearnConverter converter) {
            if (converters.putIfAbsent(qualifiedName, converter) != null) {
                throw new IllegalStateException("converter for " + qualifiedName + " registered twice");
            }
            return this;
        }

        public SklearnRegistry build() {
            return new SklearnRegistry(converters, new ArrayList<>(supported));
        }
    }

    private static List<String> helpers() {
        List<String> h = new ArrayList<>();
        h.add("sklearn.tree._tree.Tree");
        h.add("xgboost.core.Booster");
        h.add("lightgbm.basic.Booster");
        h.add("sklearn.dummy.DummyClassifier");
        h.add("sklearn.dummy.DummyRegressor");
        for (String s : List.of("BinomialDeviance", "MultinomialDeviance", "ExponentialLoss", "LeastSquaresError",
                "LeastAbsoluteError", "HuberLossFunction", "QuantileLossFunction")) {
            h.add("sklearn.ensemble._gb_losses." + s);
        }
        for (String s : List.of("HalfSquaredError", "AbsoluteError", "PinballLoss", "HuberLoss", "HalfPoissonLoss",
                "HalfGammaLoss", "HalfTweedieLoss", "HalfTweedieLossIdentity", "HalfBinomialLoss",
                "HalfMultinomialLoss", "ExponentialLoss")) {
            h.add("sklearn._loss.loss." + s);
            for (String module : List.of("sklearn._loss._loss", "_loss")) {
                h.add(module + ".Cy" + s);
                h.add(module + ".__pyx_unpickle_Cy" + s);
            }
        }
        for (String s : List.of("IdentityLink", "LogLink", "LogitLink", "HalfLogitLink", "MultinomialLogit",
                "Interval")) {
            h.add("sklearn._loss.link." + s);
        }
        String hgb = "sklearn.ensemble._hist_gradient_boosting.";
        h.add(hgb + "predictor.TreePredictor");
        h.add(hgb + "binning._BinMapper");
        for (String s : List.of("LeastSquares", "LeastAbsoluteDeviation", "BinaryCrossEntropy",
                "CategoricalCrossEntropy", "Poisson")) {
            h.add(hgb + "loss." + s);
        }
        h.add("sklearn.compose._column_transformer.make_column_selector");
        for (String f : List.of("f_classif", "f_regression", "chi2", "r_regression", "f_oneway")) {
            h.add("sklearn.feature_selection._univariate_selection." + f); // score functions: references, never called
        }
        for (String f : List.of("mutual_info_classif", "mutual_info_regression")) {
            h.add("sklearn.feature_selection._mutual_info." + f);
        }
        h.add("sklearn.compose._column_transformer._RemainderColsList");
        for (String module : FunctionTransformerConverter.UFUNC_MODULES) {
            for (String f : List.of("log1p", "expm1", "log", "exp", "sqrt", "abs", "absolute", "square")) {
                h.add(module + "." + f);
            }
        }
        h.addAll(PreprocessingConverters.Splines.HELPERS);
        h.add("sklearn.preprocessing._label.LabelEncoder");
        h.add("sklearn.preprocessing._label.LabelBinarizer");
        h.add("sklearn.utils.validation.check_array");
        h.add("sklearn.utils._bunch.Bunch");
        h.add("sklearn.utils.Bunch");
        for (String s : List.of("Hinge", "Log", "SquaredLoss", "Huber", "ModifiedHuber", "SquaredHinge",
                "EpsilonInsensitive", "SquaredEpsilonInsensitive")) {
            h.add("sklearn.linear_model._sgd_fast." + s);
            h.add("sklearn.linear_model.sgd_fast." + s);
        }
        h.addAll(SvmKnnMlpRegistration.HELPERS);
        h.addAll(MetaRegistrations.HELPERS);
        return List.copyOf(h);
    }
}
