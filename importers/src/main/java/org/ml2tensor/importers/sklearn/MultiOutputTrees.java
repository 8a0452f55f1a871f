package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.MultiTarget;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * Multi-output tree classifiers ({@code n_outputs_ > 1}: DecisionTree, ExtraTree, RandomForest, ExtraTrees) as a
 * {@link MultiTarget} of one single-output {@link TreeEnsemble} per output. Output {@code k}'s leaves are
 * {@code value[:, k, :n_classes_[k]]} normalised per tree (scikit-learn's {@code predict_proba}) times
 * {@code 1/T} for a forest; its label is the first arg-max, {@code classes_[k]}. Each output's ensemble is
 * lowered by the ordinary tree lowering (any strategy), so the trees' structure is evaluated once per output.
 */
final class MultiOutputTrees {
    private MultiOutputTrees() {
    }

    static boolean isMultiOutput(SklearnObject est) {
        return est.has("n_outputs_") && est.integer("n_outputs_") != 1;
    }

    /** A single multi-output tree. */
    static Estimator convert(SklearnObject est, ConversionContext ctx, List<TreeStructure> trees, String kind) {
        return build(est, trees, 1.0, kind);
    }

    /** A multi-output forest (members referenced twice are read once). */
    static Estimator convertForest(SklearnObject est, ConversionContext ctx, List<PyValue> members) {
        if (members.isEmpty()) {
            throw est.invalid("estimators_", "the forest has no trees");
        }
        List<TreeStructure> trees = new ArrayList<>();
        Map<PyValue, TreeStructure> seen = new IdentityHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            TreeStructure t = seen.get(members.get(i));
            if (t == null) {
                t = ctx.tree(est.child("estimators_", members.get(i), "estimators_[" + i + "]"));
                seen.put(members.get(i), t);
            }
            trees.add(t);
        }
        return build(est, trees, 1.0 / members.size(), est.simpleName());
    }

    private static Estimator build(SklearnObject est, List<TreeStructure> trees, double scale, String kind) {
        int outputs = (int) est.integer("n_outputs_");
        List<PyValue> classes = est.items("classes_");
        if (outputs < 2 || classes.size() != outputs) {
            throw est.invalid("classes_", classes.size() + " class lists for " + outputs + " outputs");
        }
        int maxTreeFeatures = 0;
        for (TreeStructure t : trees) {
            if (t.outputs() != outputs) {
                throw est.invalid("estimators_", "a tree has " + t.outputs() + " outputs, the model " + outputs);
            }
            maxTreeFeatures = Math.max(maxTreeFeatures, t.features());
        }
        int features = TreeLeaves.featureCount(est, maxTreeFeatures);
        List<ClassLabels> labels = new ArrayList<>();
        List<MultiTarget.Target> members = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            ClassLabels l = ClassLabelReader.read(est, "classes_[" + k + "]", classes.get(k));
            labels.add(l);
            int c = l.size();
            List<DecisionTree> irTrees = new ArrayList<>();
            for (TreeStructure t : trees) {
                if (t.classes() < c) {
                    throw est.invalid("classes_", "output " + k + " has " + c + " classes, its trees " + t.classes());
                }
                irTrees.add(t.toIr(TreeLeaves.classProbabilities(t, k, c, scale), c, -1, null));
            }
            TreeEnsemble e = new TreeEnsemble(irTrees, features, c, Comparison.LESS_OR_EQUAL, new double[c],
                    ScoreTransform.IDENTITY, new Head.Classification(l, true), true);
            members.add(new MultiTarget.Target("output " + k, e, MultiTarget.Decide.PREDICT));
        }
        return new MultiTarget(kind, members, null, MultiTarget.Feed.NONE, features,
                new Head.MultiClassification(labels, true));
    }
}
