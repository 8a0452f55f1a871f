package org.ml2tensor.importers.sklearn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code IsolationForest}: each leaf holds its path length ({@code depth + c(n_node_samples)}) divided by
 * {@code T · c(max_samples_)}, so that the summed raw score through {@link ScoreTransform#ISOLATION}
 * is {@code score_samples}; the head subtracts {@code offset_} to give {@code decision_function}. Tree
 * features are mapped back through {@code estimators_features_}.
 */
final class IsolationForestConverter implements SklearnConverter {
    private static final double EULER_GAMMA = 0.5772156649015329;

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        List<PyValue> members = est.items("estimators_");
        List<PyValue> subsets = est.items("estimators_features_");
        if (members.isEmpty() || subsets.size() != members.size()) {
            throw est.invalid("estimators_features_", "expected one feature subset per tree ("
                    + members.size() + " trees), found " + subsets.size());
        }
        int features = TreeLeaves.featureCount(est, -1);
        double maxSamples = est.number("max_samples_");
        double denominator = members.size() * averagePathLength(maxSamples);
        if (!(denominator > 0)) {
            throw est.invalid("max_samples_", "max_samples_ = " + maxSamples + " gives no path-length normaliser");
        }
        List<DecisionTree> trees = new ArrayList<>(members.size());
        for (int t = 0; t < members.size(); t++) {
            SklearnObject member = est.child("estimators_", members.get(t), "estimators_[" + t + "]");
            TreeStructure tree = ctx.tree(member);
            int[] subset = featureSubset(est, subsets.get(t), features, t);
            int[] depth = depths(tree);
            double[] leaves = new double[tree.nodeCount()];
            for (int i = 0; i < leaves.length; i++) {
                if (tree.isLeaf(i)) {
                    leaves[i] = (depth[i] + averagePathLength(tree.nodeSamples()[i])) / denominator;
                }
            }
            trees.add(tree.toIr(leaves, 1, -1, subset));
        }
        return new TreeEnsemble(trees, features, 1, Comparison.LESS_OR_EQUAL, new double[1],
                ScoreTransform.ISOLATION, new Head.Outlier(est.number("offset_")), true);
    }

    private static int[] featureSubset(SklearnObject est, PyValue v, int features, int t) {
        if (!(v instanceof org.ml2tensor.importers.pickle.NdArray a) || a.ndim() != 1 || !a.dtype().isInteger()) {
            throw est.invalid("estimators_features_", "entry " + t + " is not an integer vector");
        }
        long[] idx = est.within("estimators_features_", a::toLongs);
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= features) {
                throw est.invalid("estimators_features_", "entry " + t + " names feature " + idx[i] + " of " + features);
            }
            out[i] = (int) idx[i];
        }
        return out;
    }

    /** Edges from the root to every node. */
    private static int[] depths(TreeStructure tree) {
        int[] depth = new int[tree.nodeCount()];
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(0);
        int visited = 0;
        while (!stack.isEmpty()) {
            int i = stack.pop();
            if (++visited > depth.length) {
                throw new IllegalArgumentException("tree nodes form a cycle");
            }
            if (!tree.isLeaf(i)) {
                depth[tree.left()[i]] = depth[i] + 1;
                depth[tree.right()[i]] = depth[i] + 1;
                stack.push(tree.left()[i]);
                stack.push(tree.right()[i]);
            }
        }
        return depth;
    }

    /** c(n): the average path length of an unsuccessful search in a binary search tree of n items. */
    static double averagePathLength(double n) {
        if (n <= 1) {
            return 0;
        }
        if (n <= 2) {
            return 1;
        }
        return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
    }
}
