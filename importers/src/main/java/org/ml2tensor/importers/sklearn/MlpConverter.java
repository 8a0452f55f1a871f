package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Mlp;

/**
 * {@code MLPClassifier} (binary and multiclass) and {@code MLPRegressor}: {@code coefs_}, {@code intercepts_},
 * {@code activation}, {@code out_activation_}; the classes come from {@code classes_} (or the label binarizer).
 */
final class MlpConverter implements SklearnConverter {
    private final boolean classifier;

    MlpConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        List<PyValue> coefs = est.items("coefs_");
        List<PyValue> intercepts = est.items("intercepts_");
        if (coefs.isEmpty() || coefs.size() != intercepts.size()) {
            throw est.invalid("coefs_", "expected as many weight matrices as intercept vectors (at least one), found "
                    + coefs.size() + " and " + intercepts.size());
        }
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < coefs.size(); l++) {
            String at = "coefs_[" + l + "]";
            if (!(coefs.get(l) instanceof NdArray w) || w.ndim() != 2 || !w.dtype().isNumeric()) {
                throw est.invalid(at, "expected a 2-D float array, found " + coefs.get(l).typeName());
            }
            if (!(intercepts.get(l) instanceof NdArray b) || b.ndim() != 1 || b.dim(0) != w.dim(1)) {
                throw est.invalid("intercepts_[" + l + "]", "expected a float vector of " + w.dim(1) + " values, found "
                        + intercepts.get(l).typeName());
            }
            if (l > 0 && w.dim(0) != weights.get(l - 1)[0].length) {
                throw est.invalid(at, "layer " + l + " reads " + w.dim(0) + " values, the previous layer has "
                        + weights.get(l - 1)[0].length);
            }
            double[] flat = est.within(at, w::toDoubles);
            double[][] m = new double[w.dim(0)][w.dim(1)];
            for (int i = 0; i < m.length; i++) {
                System.arraycopy(flat, i * w.dim(1), m[i], 0, w.dim(1));
            }
            weights.add(m);
            biases.add(est.within("intercepts_[" + l + "]", b::toDoubles));
        }
        int inputs = weights.get(0).length;
        if (TreeLeaves.featureCount(est, inputs) != inputs) {
            throw est.invalid("coefs_", "the first layer reads " + inputs + " features, the model "
                    + TreeLeaves.featureCount(est, inputs));
        }
        Mlp.Activation hidden = activation(est, "activation");
        Mlp.Activation output = activation(est, "out_activation_");
        int outputs = weights.get(weights.size() - 1)[0].length;
        if (!classifier) {
            return new Mlp(weights, biases, hidden, output, new Head.Regression(outputs));
        }
        if (est.has("_label_binarizer")) {
            SklearnObject lb = est.child("_label_binarizer");
            String type = lb.optionalString("y_type_").orElse("multiclass");
            if (type.startsWith("multilabel")) {
                return new Mlp(weights, biases, hidden, output, MultiOutputConverters.multilabelHead(outputs));
            }
        }
        ClassLabels labels = est.has("classes_") ? ClassLabelReader.read(est, "classes_")
                : ClassLabelReader.read(est.child("_label_binarizer"), "classes_");
        int expected = labels.size() == 2 ? 1 : labels.size();
        if (outputs != expected) {
            throw est.invalid("coefs_", "the last layer has " + outputs + " outputs for " + labels.size() + " classes");
        }
        return new Mlp(weights, biases, hidden, output, new Head.Classification(labels, true));
    }

    private static Mlp.Activation activation(SklearnObject est, String attr) {
        String name = est.string(attr);
        return switch (name) {
            case "identity" -> Mlp.Activation.IDENTITY;
            case "logistic" -> Mlp.Activation.LOGISTIC;
            case "tanh" -> Mlp.Activation.TANH;
            case "relu" -> Mlp.Activation.RELU;
            case "softmax" -> Mlp.Activation.SOFTMAX;
            case "exp" -> Mlp.Activation.EXP;
            default -> throw est.unsupported(attr, "activation '" + name + "' is not supported",
                    "use identity, logistic, tanh or relu");
        };
    }
}
