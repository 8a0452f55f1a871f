package org.ml2tensor.importers.sklearn;

/**
 * Registrations of the naive Bayes, discriminant-analysis, clustering and remaining linear-model converters
 * (kept here so that {@link SklearnRegistry#standard()} needs one line for them).
 */
final class FamilyRegistrations {
    private FamilyRegistrations() {
    }

    static void register(SklearnRegistry.Builder b) {
        LinearConverters.LinearRegressorConverter regressor = new LinearConverters.LinearRegressorConverter();
        LinearConverters.DecisionOnlyClassifierConverter decision = new LinearConverters.DecisionOnlyClassifierConverter();
        b.add(new LinearConverters.LogisticRegressionConverter(), "sklearn.linear_model:_logistic",
                "LogisticRegressionCV");
        b.add(decision, "sklearn.linear_model:_ridge", "RidgeClassifierCV");
        b.add(regressor, "sklearn.linear_model:_ridge", "RidgeCV");
        b.add(regressor, "sklearn.linear_model:_coordinate_descent", "LassoCV", "ElasticNetCV");
        b.add(regressor, "sklearn.linear_model:_least_angle", "Lars", "LassoLars", "LarsCV", "LassoLarsCV",
                "LassoLarsIC");
        b.add(regressor, "sklearn.linear_model:_bayes", "BayesianRidge", "ARDRegression");
        b.add(regressor, "sklearn.linear_model:_huber", "HuberRegressor");
        b.add(regressor, "sklearn.linear_model:_quantile", "QuantileRegressor");
        b.add(regressor, "sklearn.linear_model:_theil_sen", "TheilSenRegressor");
        b.add(regressor, "sklearn.linear_model:_omp", "OrthogonalMatchingPursuit", "OrthogonalMatchingPursuitCV");
        b.add(new DiscriminantConverters.Ransac(), "sklearn.linear_model:_ransac", "RANSACRegressor");
        b.add(decision, "sklearn.linear_model:_perceptron", "Perceptron");
        b.add(decision, "sklearn.linear_model:_passive_aggressive", "PassiveAggressiveClassifier");
        b.add(regressor, "sklearn.linear_model:_passive_aggressive", "PassiveAggressiveRegressor");
        String nb = "sklearn:naive_bayes";
        b.add(new NaiveBayesConverters.Gaussian(), nb, "GaussianNB");
        b.add(new NaiveBayesConverters.Multinomial(), nb, "MultinomialNB");
        b.add(new NaiveBayesConverters.Complement(), nb, "ComplementNB");
        b.add(new NaiveBayesConverters.Bernoulli(), nb, "BernoulliNB");
        String da = "sklearn:discriminant_analysis";
        b.add(new DiscriminantConverters.Lda(), da, "LinearDiscriminantAnalysis");
        b.add(new DiscriminantConverters.Qda(), da, "QuadraticDiscriminantAnalysis");
        b.add(new LightgbmWrapperConverter(true), "lightgbm:sklearn", "LGBMClassifier");
        b.add(new LightgbmWrapperConverter(false), "lightgbm:sklearn", "LGBMRegressor", "LGBMRanker");
        b.add(new DiscriminantConverters.KMeans(), "sklearn.cluster:_kmeans", "KMeans", "MiniBatchKMeans");
    }
}
