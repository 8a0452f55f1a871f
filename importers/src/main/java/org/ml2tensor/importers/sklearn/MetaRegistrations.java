package org.ml2tensor.importers.sklearn;

import java.util.List;

/** Registers the meta-estimator converters ({@link MetaConverters}) and the helper classes they read. */
final class MetaRegistrations {
    /** Inert classes inside meta-estimator pickles (folds of CalibratedClassifierCV and their calibrators). */
    static final List<String> HELPERS = List.of("sklearn.calibration._CalibratedClassifier",
            "sklearn.calibration._SigmoidCalibration", "sklearn.isotonic.IsotonicRegression",
            "sklearn.isotonic._isotonic.IsotonicRegression");

    private MetaRegistrations() {
    }

    static void addTo(SklearnRegistry.Builder b) {
        String voting = "sklearn.ensemble:_voting,voting";
        b.add(new MetaConverters.VotingClassifierConverter(), voting, "VotingClassifier");
        b.add(new MetaConverters.VotingRegressorConverter(), voting, "VotingRegressor");
        String stacking = "sklearn.ensemble:_stacking";
        b.add(new MetaConverters.StackingConverter(true), stacking, "StackingClassifier");
        b.add(new MetaConverters.StackingConverter(false), stacking, "StackingRegressor");
        b.add(new MetaConverters.CalibratedConverter(), "sklearn:calibration", "CalibratedClassifierCV");
        String bagging = "sklearn.ensemble:_bagging,bagging";
        b.add(new MetaConverters.BaggingConverter(true), bagging, "BaggingClassifier");
        b.add(new MetaConverters.BaggingConverter(false), bagging, "BaggingRegressor");
        String boosting = "sklearn.ensemble:_weight_boosting,weight_boosting";
        b.add(new MetaConverters.AdaBoostConverter(true), boosting, "AdaBoostClassifier");
        b.add(new MetaConverters.AdaBoostConverter(false), boosting, "AdaBoostRegressor");
        b.add(new MultiConverters.OneVsRestConverter(), "sklearn:multiclass", "OneVsRestClassifier");
        b.add(new MultiConverters.OneVsOneConverter(), "sklearn:multiclass", "OneVsOneClassifier");
        b.add(new MultiConverters.TargetsConverter(false), "sklearn:multioutput", "MultiOutputRegressor");
        b.add(new MultiConverters.TargetsConverter(true), "sklearn:multioutput", "RegressorChain");
        b.add(new MultiOutputConverters.MultiOutputClassifierConverter(), "sklearn:multioutput", "MultiOutputClassifier");
        b.add(new MultiOutputConverters.ClassifierChainConverter(), "sklearn:multioutput", "ClassifierChain");
    }
}
