package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.TreeChecks;
import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyTuple;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * A decoded {@code sklearn.tree._tree.Tree}: node arrays read through the node dtype's own field
 * offsets (so the 56-byte layout of sklearn &lt; 1.3 and the 64-byte layout with
 * {@code missing_go_to_left} both work) and the {@code value} array {@code [nodes, outputs, classes]}.
 */
record TreeStructure(int[] left, int[] right, int[] feature, double[] threshold, boolean[] missingGoesLeft,
                     long[] nodeSamples, double[] values, int outputs, int classes, int features) {

    int nodeCount() {
        return left.length;
    }

    boolean isLeaf(int node) {
        return left[node] < 0;
    }

    /** Value of output {@code k}, class {@code c} at {@code node}. */
    double value(int node, int k, int c) {
        return values[(node * outputs + k) * classes + c];
    }

    static TreeStructure read(SklearnObject tree) {
        PyTuple args = tree.raw().args();
        int nFeatures = -1;
        if (args.size() >= 1 && args.get(0) instanceof PyValue.PyInt n && n.value() >= 0
                && n.value() <= Integer.MAX_VALUE) {
            nFeatures = (int) n.value();
        }
        int nodeCount = tree.count("node_count", 1, Integer.MAX_VALUE);
        NdArray nodes = tree.array("nodes");
        if (nodes.ndim() != 1 || nodes.size() != nodeCount || !nodes.dtype().isStructured()) {
            throw tree.invalid("nodes", "expected a structured array of " + nodeCount + " nodes, found "
                    + nodes.typeName());
        }
        NdArray valueArray = tree.array("values");
        if (valueArray.ndim() != 3 || valueArray.dim(0) != nodeCount || valueArray.dim(1) < 1
                || valueArray.dim(2) < 1) {
            throw tree.invalid("values", "expected float64[" + nodeCount + ", outputs, classes], found "
                    + valueArray.typeName());
        }
        long[] l = tree.within("nodes", () -> nodes.fieldLongs("left_child"));
        long[] r = tree.within("nodes", () -> nodes.fieldLongs("right_child"));
        long[] f = tree.within("nodes", () -> nodes.fieldLongs("feature"));
        double[] thr = tree.within("nodes", () -> nodes.fieldDoubles("threshold"));
        long[] samples = tree.within("nodes", () -> nodes.fieldLongs("n_node_samples"));
        boolean[] missing = new boolean[nodeCount];
        if (nodes.hasField("missing_go_to_left")) {
            long[] m = tree.within("nodes", () -> nodes.fieldLongs("missing_go_to_left"));
            for (int i = 0; i < nodeCount; i++) {
                missing[i] = m[i] != 0;
            }
        }
        int[] left = new int[nodeCount];
        int[] right = new int[nodeCount];
        int[] feature = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            boolean leaf = l[i] < 0 || r[i] < 0;
            if (!leaf && (l[i] >= nodeCount || r[i] >= nodeCount || f[i] < 0 || f[i] > Integer.MAX_VALUE)) {
                throw tree.invalid("nodes", "node " + i + " has children (" + l[i] + ", " + r[i]
                        + ") or feature " + f[i] + " out of range");
            }
            left[i] = leaf ? -1 : (int) l[i];
            right[i] = leaf ? -1 : (int) r[i];
            feature[i] = leaf ? 0 : (int) f[i];
            if (leaf) {
                thr[i] = 0;
            }
        }
        double[] values = tree.within("values", valueArray::toDoubles);
        return new TreeStructure(left, right, feature, thr, missing, samples, values, valueArray.dim(1),
                valueArray.dim(2), nFeatures);
    }

    /**
     * The IR tree with the given leaf values ({@code nodes * width}); features are mapped through
     * {@code featureMap} when it is not null.
     */
    DecisionTree toIr(double[] leafValues, int width, int target, int[] featureMap) {
        ReadBudget.chargeTree(feature.length, width, "a tree of " + feature.length + " nodes");
        int[] f = feature.clone();
        if (featureMap != null) {
            for (int i = 0; i < f.length; i++) {
                if (!isLeaf(i)) {
                    if (f[i] >= featureMap.length) {
                        throw new IllegalArgumentException("node " + i + " reads feature " + f[i] + " of a subset of "
                                + featureMap.length);
                    }
                    f[i] = featureMap[f[i]];
                }
            }
        }
        DecisionTree t = new DecisionTree(f, threshold.clone(), left.clone(), right.clone(),
                missingGoesLeft.clone(), (CategoricalSplit[]) null, leafValues, width, target);
        TreeChecks.depth(t, "tree_");
        return t;
    }
}
