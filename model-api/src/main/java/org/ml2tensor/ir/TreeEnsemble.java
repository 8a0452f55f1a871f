package org.ml2tensor.ir;

import java.util.List;
import java.util.Objects;

/**
 * A sum of decision trees: {@code raw[k] = baseScores[k] + Σ_trees leaf_t[k]}, then
 * {@code transform}, then {@link Head}. Averaging (random forests), learning rates and DART weights are
 * folded into the leaf values by the importer, so the lowering only sums.
 *
 * @param trees       the trees
 * @param inputWidth  features read
 * @param outputWidth raw score columns
 * @param comparison  numeric split rule of every node
 * @param baseScores  added to the raw scores, {@code [outputWidth]}
 * @param transform   raw scores → output values
 * @param head        meaning of the output values
 * @param float32Inputs whether the library rounds inputs to float32 before comparing them with the
 *                    (float64) thresholds, as scikit-learn's trees and XGBoost do; a float64 graph then
 *                    rounds too, so that double inputs take the library's path
 */
public record TreeEnsemble(List<DecisionTree> trees, int inputWidth, int outputWidth, Comparison comparison,
                           double[] baseScores, ScoreTransform transform, Head head, boolean float32Inputs)
        implements Predictor {

    /** An ensemble whose library compares inputs in float64 (LightGBM, HistGradientBoosting). */
    public TreeEnsemble(List<DecisionTree> trees, int inputWidth, int outputWidth, Comparison comparison,
                        double[] baseScores, ScoreTransform transform, Head head) {
        this(trees, inputWidth, outputWidth, comparison, baseScores, transform, head, false);
    }

    public TreeEnsemble {
        trees = List.copyOf(trees);
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(head, "head");
        if (trees.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one tree");
        }
        if (baseScores.length != outputWidth) {
            throw new IllegalArgumentException("baseScores has " + baseScores.length + " values for "
                    + outputWidth + " outputs");
        }
        for (int t = 0; t < trees.size(); t++) {
            DecisionTree tree = trees.get(t);
            if (tree.target() >= outputWidth) {
                throw new IllegalArgumentException("tree " + t + " targets column " + tree.target()
                        + " of " + outputWidth);
            }
            if (tree.target() < 0 && tree.valueWidth() != outputWidth) {
                throw new IllegalArgumentException("tree " + t + " has " + tree.valueWidth()
                        + " values per leaf for " + outputWidth + " outputs");
            }
            for (int i = 0; i < tree.nodeCount(); i++) {
                if (!tree.isLeaf(i) && (tree.feature()[i] < 0 || tree.feature()[i] >= inputWidth)) {
                    throw new IllegalArgumentException("tree " + t + " node " + i + " reads feature "
                            + tree.feature()[i] + " of " + inputWidth);
                }
            }
        }
    }

    /** Deepest tree's depth in edges. */
    public int maxDepth() {
        int d = 0;
        for (DecisionTree t : trees) {
            d = Math.max(d, t.depth());
        }
        return d;
    }

    public int totalNodes() {
        long n = 0;
        for (DecisionTree t : trees) {
            n += t.nodeCount();
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    public boolean hasCategoricalSplits() {
        for (DecisionTree t : trees) {
            if (t.hasCategoricalSplits()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int outputWidth() {
        return outputWidth;
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.all(inputWidth(), true);
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitTreeEnsemble(this);
    }
}
