package org.ml2tensor.importers.sklearn;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.pickle.PyBytes;
import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.importers.xgboost.XgboostImporter;
import org.ml2tensor.importers.xgboost.XgboostOptions;

/**
 * XGBoost's scikit-learn wrappers ({@code xgboost.sklearn.XGBClassifier}, {@code XGBRegressor},
 * {@code XGBRanker}) pickled by Python: the fitted booster travels inside as
 * {@code _Booster.__getstate__()["handle"]}, the model in XGBoost's own UBJSON/JSON bytes, which the
 * XGBoost importer reads; a classifier's {@code classes_} become the labels.
 */
final class XgboostWrapperConverter implements SklearnConverter {
    private final boolean classifier;

    XgboostWrapperConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        SklearnObject booster = est.child("_Booster");
        PyValue handle = booster.get("handle");
        if (!(handle instanceof PyBytes bytes)) {
            throw booster.invalid("handle", "expected the booster's model bytes, found " + handle.typeName());
        }
        ModelIr ir;
        try {
            ir = XgboostImporter.loadBytes(bytes.toByteArray(), booster.path() + ".handle", XgboostOptions.DEFAULTS);
        } catch (Ml2TensorException e) {
            throw e.within(booster.path());
        }
        Estimator e = ir.estimator();
        if (!classifier || !est.has("classes_") || !(e instanceof TreeEnsemble t)
                || !(t.head() instanceof Head.Classification c)) {
            return e;
        }
        ClassLabels labels = ClassLabelReader.read(est, "classes_");
        if (labels.size() != c.labels().size()) {
            throw est.invalid("classes_", labels.size() + " classes but the booster has " + c.labels().size());
        }
        return new TreeEnsemble(t.trees(), t.inputWidth(), t.outputWidth(), t.comparison(), t.baseScores(),
                t.transform(), new Head.Classification(labels, c.probabilities()), t.float32Inputs());
    }
}
