package org.ml2tensor.importers.sklearn;

import java.nio.charset.StandardCharsets;

import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.lightgbm.LightgbmImporter;
import org.ml2tensor.importers.pickle.PyBytes;
import org.ml2tensor.importers.pickle.PyValue.PyStr;
import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * LightGBM's scikit-learn wrappers ({@code lightgbm.sklearn.LGBMClassifier}, {@code LGBMRegressor},
 * {@code LGBMRanker}) pickled by Python: {@code Booster.__getstate__} stores the model as LightGBM's own text
 * in {@code _Booster._handle} ({@code handle} before LightGBM 4), which the LightGBM text importer reads. A
 * classifier's labels are the wrapper's {@code _classes} (its label encoder's {@code classes_}: string labels
 * too), so {@code label} is {@code predict}'s {@code _le.inverse_transform(argmax)}.
 */
final class LightgbmWrapperConverter implements SklearnConverter {
    private final boolean classifier;

    LightgbmWrapperConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        if (est.has("_objective") && !(est.get("_objective") instanceof PyStr)) {
            throw est.unsupported("_objective", "a custom objective function cannot be compiled",
                    "train with a built-in objective, or save the booster as text and compile that");
        }
        SklearnObject booster = est.child("_Booster");
        String attr = booster.has("_handle") ? "_handle" : "handle";
        PyValue handle = booster.get(attr);
        byte[] text;
        if (handle instanceof PyStr s) {
            text = s.value().getBytes(StandardCharsets.UTF_8);
        } else if (handle instanceof PyBytes b) {
            text = b.toByteArray();
        } else {
            throw booster.invalid(attr, "expected the booster's model text, found " + handle.typeName());
        }
        ModelIr ir;
        try {
            ir = LightgbmImporter.loadBytes(text, booster.path() + "." + attr);
        } catch (Ml2TensorException e) {
            throw e.within(booster.path());
        }
        Estimator e = ir.estimator();
        if (!classifier) {
            return e;
        }
        if (!(e instanceof TreeEnsemble t) || !(t.head() instanceof Head.Classification c)) {
            throw est.unsupported("_objective", "the booster of an LGBMClassifier is not a classifier",
                    "use a binary or multiclass objective");
        }
        ClassLabels labels = est.has("_le") && est.child("_le").has("classes_")
                ? ClassLabelReader.read(est.child("_le"), "classes_")
                : ClassLabelReader.read(est, "_classes");
        if (labels.size() != c.labels().size()) {
            throw est.invalid("_classes", labels.size() + " classes but the booster has " + c.labels().size());
        }
        return new TreeEnsemble(t.trees(), t.inputWidth(), t.outputWidth(), t.comparison(), t.baseScores(),
                t.transform(), new Head.Classification(labels, c.probabilities()), t.float32Inputs());
    }
}
