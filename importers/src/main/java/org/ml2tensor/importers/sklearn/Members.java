package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.ir.Transformer;

/** What the meta-estimator converters share: reading sub-estimators and relating their classes. */
final class Members {
    /** scikit-learn classifiers with a {@code decision_function} (their IR raw scores are it). */
    private static final Set<String> DECISION_FUNCTION = Set.of("LogisticRegression", "LogisticRegressionCV",
            "SGDClassifier", "LinearSVC", "RidgeClassifier", "RidgeClassifierCV", "Perceptron",
            "PassiveAggressiveClassifier", "GradientBoostingClassifier", "HistGradientBoostingClassifier", "SVC",
            "NuSVC", "LinearDiscriminantAnalysis", "QuadraticDiscriminantAnalysis", "AdaBoostClassifier",
            "StackingClassifier", "OneVsRestClassifier", "OneVsOneClassifier", "XGBClassifier");

    private Members() {
    }

    /** A fitted sub-estimator held in a list attribute, e.g. {@code estimators_[3]}. */
    static List<SklearnObject> list(SklearnObject owner, String attr) {
        List<PyValue> items = owner.items(attr);
        List<SklearnObject> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(owner.child(attr, items.get(i), attr + "[" + i + "]"));
        }
        if (out.isEmpty()) {
            throw owner.invalid(attr, "the ensemble has no fitted sub-estimators");
        }
        return out;
    }

    /** Names of the (name, estimator) pairs of {@code attr} whose estimator is not {@code 'drop'} / None. */
    static List<String> names(SklearnObject owner, String attr) {
        List<String> names = new ArrayList<>();
        for (PyValue pair : owner.items(attr)) {
            List<PyValue> p = owner.itemsOf(attr, pair);
            if (p.size() != 2 || !(p.get(0) instanceof PyValue.PyStr name)) {
                throw owner.invalid(attr, "expected (name, estimator) pairs");
            }
            if (!dropped(p.get(1))) {
                names.add(name.value());
            }
        }
        return names;
    }

    /** For each (name, estimator) pair of {@code attr}, whether it was dropped. */
    static List<Boolean> droppedFlags(SklearnObject owner, String attr) {
        List<Boolean> out = new ArrayList<>();
        for (PyValue pair : owner.items(attr)) {
            out.add(dropped(owner.itemsOf(attr, pair).get(1)));
        }
        return out;
    }

    private static boolean dropped(PyValue v) {
        return v instanceof PyValue.PyNone || v instanceof PyValue.PyStr s && s.value().equals("drop");
    }

    /** Converts a sub-estimator that must end in a predictor. */
    static Estimator predictor(SklearnObject est, ConversionContext ctx) {
        Estimator e = ctx.convert(est);
        if (e instanceof Transformer) {
            throw Ml2TensorExceptions.unsupported(est, "a transformer where a predictor is expected",
                    "every sub-estimator of an ensemble must be a predictor (or a pipeline ending in one)");
        }
        return e;
    }

    static Predictor last(Estimator e) {
        Estimator x = e;
        while (x instanceof Pipeline p) {
            x = p.last();
        }
        return (Predictor) x;
    }

    /** The class labels of a classifier sub-estimator. */
    static ClassLabels labels(SklearnObject est, Estimator e) {
        if (last(e).head() instanceof Head.Classification c) {
            return c.labels();
        }
        if (last(e).head() instanceof Head.MultiClassification) {
            throw Ml2TensorExceptions.unsupported(est, "a multi-output classifier where a single-target classifier is"
                    + " expected", "use single-target classifiers inside this ensemble");
        }
        throw Ml2TensorExceptions.unsupported(est, "a regressor where a classifier is expected",
                "use classifiers inside a classifier ensemble");
    }

    /** Whether the sub-estimator's IR outputs {@code predict_proba}. */
    static boolean hasProba(Estimator e) {
        return last(e).head() instanceof Head.Classification c && c.probabilities();
    }

    /** Whether the scikit-learn sub-estimator has {@code decision_function} (a pipeline: its last step). */
    static boolean hasDecision(SklearnObject est, Estimator e) {
        if (last(e).head() instanceof Head.Classification c && !c.probabilities()) {
            return true;
        }
        SklearnObject x = est;
        while (x.simpleName().equals("Pipeline")) {
            List<PipelineConverter.Step> steps = PipelineConverter.steps(x);
            SklearnObject lastStep = steps.get(steps.size() - 1).estimator();
            if (lastStep == null) {
                return false;
            }
            x = lastStep;
        }
        return DECISION_FUNCTION.contains(x.simpleName());
    }

    /**
     * For a sub-estimator trained on class indices (voting, stacking, bagging encode y first), the ensemble
     * class of each of its classes; null when they are exactly {@code 0..K-1}.
     */
    static int[] encodedClassMap(SklearnObject est, Estimator e, int classes) {
        ClassLabels l = labels(est, e);
        if (!(l instanceof ClassLabels.Ints ints)) {
            throw Ml2TensorExceptions.invalid(est, "classes_", "a sub-estimator of an ensemble saw string labels "
                    + "where scikit-learn encodes them as integers");
        }
        long[] v = ints.values();
        int[] map = new int[v.length];
        boolean identity = v.length == classes;
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= classes) {
                throw Ml2TensorExceptions.invalid(est, "classes_", "class code " + v[i] + " outside 0.." + (classes - 1));
            }
            map[i] = (int) v[i];
            identity &= v[i] == i;
        }
        return identity ? null : map;
    }

    /** For a sub-estimator trained on the original labels, the ensemble index of each of its classes. */
    static int[] labelClassMap(SklearnObject est, Estimator e, ClassLabels ensemble) {
        List<String> mine = labels(est, e).asText();
        List<String> all = ensemble.asText();
        int[] map = new int[mine.size()];
        boolean identity = mine.size() == all.size();
        for (int i = 0; i < map.length; i++) {
            map[i] = all.indexOf(mine.get(i));
            if (map[i] < 0) {
                throw Ml2TensorExceptions.invalid(est, "classes_", "class " + mine.get(i) + " is not a class of the ensemble");
            }
            identity &= map[i] == i;
        }
        return identity ? null : map;
    }
}
