package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.KernelSvm;

/**
 * libsvm models: {@code SVC}, {@code NuSVC} (classification), {@code SVR}, {@code NuSVR} (regression),
 * {@code OneClassSVM} (outlier detection). Reads libsvm's own coefficients ({@code _dual_coef_},
 * {@code _intercept_}: in a binary classifier the public {@code dual_coef_}/{@code intercept_} are negated),
 * {@code _n_support}, the resolved {@code _gamma} and the Platt parameters {@code _probA}/{@code _probB} (present,
 * possibly empty, in 1.2 to 1.9; the public {@code probA_} is deprecated in 1.9).
 */
final class SvmConverter implements SklearnConverter {
    enum Kind { CLASSIFIER, REGRESSOR, ONE_CLASS }

    private final Kind kind;

    SvmConverter(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        if (est.bool("_sparse", false)) {
            throw est.unsupported("_sparse", est.simpleName() + " fitted on a sparse matrix is not supported",
                    "fit it on a dense array");
        }
        String kernelName = est.has("kernel") && est.get("kernel") instanceof org.ml2tensor.importers.pickle.PyValue.PyStr
                ? est.string("kernel") : "callable";
        KernelSvm.Kernel kernel = switch (kernelName) {
            case "linear" -> KernelSvm.Kernel.LINEAR;
            case "poly" -> KernelSvm.Kernel.POLY;
            case "rbf" -> KernelSvm.Kernel.RBF;
            case "sigmoid" -> KernelSvm.Kernel.SIGMOID;
            default -> throw est.unsupported("kernel", "kernel '" + kernelName + "' is not supported: a precomputed or "
                    + "callable kernel needs the Gram matrix against the training rows, which the model does not hold",
                    "use kernel='linear', 'poly', 'rbf' or 'sigmoid'");
        };
        NdArray svArray = est.array("support_vectors_");
        if (svArray.ndim() != 2 || svArray.dim(0) == 0) {
            throw est.invalid("support_vectors_", "expected a non-empty float64[n, features], found " + svArray.typeName());
        }
        int n = svArray.dim(0);
        int f = svArray.dim(1);
        double[][] sv = est.matrix("support_vectors_", n, f, false);
        int features = TreeLeaves.featureCount(est, f);
        if (features != f) {
            throw est.invalid("support_vectors_", "support vectors have " + f + " features, the model " + features);
        }
        double gamma = est.number("_gamma");
        double coef0 = est.number("coef0");
        long degreeL = est.integer("degree");
        if (degreeL < 0 || degreeL > 1000) {
            throw est.unsupported("degree", "degree " + degreeL + " is out of range", "use a degree in 0..1000");
        }
        int degree = (int) degreeL;
        if (kind != Kind.CLASSIFIER) {
            double[][] dual = est.matrix("_dual_coef_", 1, n, false);
            double[] intercept = est.doubles("_intercept_", 1);
            Head head = kind == Kind.REGRESSOR ? new Head.Regression(1) : new Head.Outlier(0.0);
            return new KernelSvm(kernel, gamma, coef0, degree, sv, new int[]{n}, dual, intercept, false, false,
                    new double[0], new double[0], head);
        }
        ClassLabels labels = ClassLabelReader.read(est, "classes_");
        int k = labels.size();
        long[] counts = est.longs("_n_support", k);
        int[] supportCounts = new int[k];
        long total = 0;
        for (int i = 0; i < k; i++) {
            if (counts[i] < 0) {
                throw est.invalid("_n_support", "negative support count " + counts[i]);
            }
            supportCounts[i] = (int) Math.min(counts[i], Integer.MAX_VALUE);
            total += counts[i];
        }
        if (total != n) {
            throw est.invalid("_n_support", "support counts add up to " + total + ", but there are " + n + " support vectors");
        }
        int pairs = k * (k - 1) / 2;
        double[][] dual = est.matrix("_dual_coef_", k - 1, n, false);
        double[] intercept = est.doubles("_intercept_", pairs);
        double[] probA = est.has("_probA") ? est.doubles("_probA", -1) : new double[0];
        double[] probB = est.has("_probB") ? est.doubles("_probB", -1) : new double[0];
        if (probA.length != probB.length || (probA.length != 0 && probA.length != pairs)) {
            throw est.invalid("_probA", "expected " + pairs + " Platt parameters in _probA and _probB, found "
                    + probA.length + " and " + probB.length);
        }
        String shape = est.optionalString("decision_function_shape").orElse("ovr");
        if (!shape.equals("ovr") && !shape.equals("ovo")) {
            throw est.unsupported("decision_function_shape", "decision_function_shape '" + shape + "' is not supported",
                    "use 'ovr' or 'ovo'");
        }
        boolean breakTies = est.bool("break_ties", false);
        if (breakTies && shape.equals("ovo") && k > 2) {
            throw est.invalid("break_ties", "break_ties=True with decision_function_shape='ovo' cannot predict in "
                    + "scikit-learn either");
        }
        return new KernelSvm(kernel, gamma, coef0, degree, sv, supportCounts, dual, intercept, shape.equals("ovr"),
                breakTies, probA, probB, new Head.Classification(labels, probA.length > 0));
    }
}
