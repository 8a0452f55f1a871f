package org.ml2tensor.importers.sklearn;

import java.util.List;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * {@code DecisionTreeClassifier}, {@code DecisionTreeRegressor}, {@code ExtraTreeClassifier} and
 * {@code ExtraTreeRegressor}: one tree; classifier leaves hold normalised class probabilities, regressor
 * leaves one value per output. Splits are {@code x <= threshold}; NaN follows {@code missing_go_to_left}
 * (false for pickles older than sklearn 1.3).
 */
final class DecisionTreeConverter implements SklearnConverter {
    private final boolean classifier;

    DecisionTreeConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        TreeStructure tree = ctx.tree(est);
        int features = TreeLeaves.featureCount(est, tree.features());
        if (classifier && MultiOutputTrees.isMultiOutput(est)) {
            return MultiOutputTrees.convert(est, ctx, List.of(tree), est.simpleName());
        }
        if (classifier) {
            ClassLabels labels = TreeLeaves.singleOutputLabels(est);
            int k = labels.size();
            return new TreeEnsemble(List.of(tree.toIr(TreeLeaves.classProbabilities(tree, k, 1.0), k, -1, null)),
                    features, k, Comparison.LESS_OR_EQUAL, new double[k], ScoreTransform.IDENTITY,
                    new Head.Classification(labels, true), true);
        }
        int outputs = tree.outputs();
        return new TreeEnsemble(List.of(tree.toIr(TreeLeaves.regressionValues(tree, 1.0), outputs, -1, null)),
                features, outputs, Comparison.LESS_OR_EQUAL, new double[outputs], ScoreTransform.IDENTITY,
                new Head.Regression(outputs), true);
    }
}
