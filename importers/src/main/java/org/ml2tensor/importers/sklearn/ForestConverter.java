package org.ml2tensor.importers.sklearn;

import java.util.IdentityHashMap;
import java.util.Map;
import org.ml2tensor.importers.ReadBudget;
import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code RandomForestClassifier/Regressor} and {@code ExtraTreesClassifier/Regressor}: the mean of the
 * trees in {@code estimators_}, with the averaging factor {@code 1/T} folded into the leaves. Classifier
 * leaves are normalised per tree before averaging, as {@code predict_proba} does.
 */
final class ForestConverter implements SklearnConverter {
    private final boolean classifier;

    ForestConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        List<PyValue> members = est.items("estimators_");
        if (members.isEmpty()) {
            throw est.invalid("estimators_", "the forest has no trees");
        }
        if (classifier && MultiOutputTrees.isMultiOutput(est)) {
            return MultiOutputTrees.convertForest(est, ctx, members);
        }
        double scale = 1.0 / members.size();
        ClassLabels labels = classifier ? TreeLeaves.singleOutputLabels(est) : null;
        List<DecisionTree> trees = new ArrayList<>(members.size());
        int outputs = -1;
        int maxTreeFeatures = 0;
        // a member referenced again (same pickle object) is the same IR tree: charged, not rebuilt
        Map<PyValue, DecisionTree> built = new IdentityHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            DecisionTree again = built.get(members.get(i));
            if (again != null) {
                ReadBudget.chargeTree(again.nodeCount(), again.valueWidth(), "estimators_[" + i + "]");
                trees.add(again);
                continue;
            }
            SklearnObject member = est.child("estimators_", members.get(i), "estimators_[" + i + "]");
            TreeStructure tree = ctx.tree(member);
            maxTreeFeatures = Math.max(maxTreeFeatures, tree.features());
            if (classifier) {
                int k = labels.size();
                trees.add(tree.toIr(TreeLeaves.classProbabilities(tree, k, scale), k, -1, null));
                built.put(members.get(i), trees.get(trees.size() - 1));
                outputs = k;
            } else {
                if (outputs >= 0 && tree.outputs() != outputs) {
                    throw member.invalid("tree_", "tree has " + tree.outputs() + " outputs, the forest " + outputs);
                }
                outputs = tree.outputs();
                trees.add(tree.toIr(TreeLeaves.regressionValues(tree, scale), outputs, -1, null));
                built.put(members.get(i), trees.get(trees.size() - 1));
            }
        }
        int features = TreeLeaves.featureCount(est, maxTreeFeatures);
        Head head = classifier ? new Head.Classification(labels, true) : new Head.Regression(outputs);
        return new TreeEnsemble(trees, features, outputs, Comparison.LESS_OR_EQUAL, new double[outputs],
                ScoreTransform.IDENTITY, head, true);
    }
}
