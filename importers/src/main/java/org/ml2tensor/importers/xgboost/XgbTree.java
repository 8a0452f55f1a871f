package org.ml2tensor.importers.xgboost;

/**
 * One XGBoost tree as stored in the model document (node arrays, all of length {@code numNodes}).
 *
 * @param left               left child, -1 for leaves
 * @param right              right child, -1 for leaves (for 3.x vector-leaf trees: the leaf's index into
 *                           {@code leafWeights})
 * @param splitIndex         feature per node
 * @param splitCondition     float32 threshold; for leaves of scalar trees the leaf value
 * @param defaultLeft        missing values go left
 * @param splitType          0 numerical, 1 categorical
 * @param categories         concatenated category sets of the categorical nodes
 * @param categoryNodes      node of each category set
 * @param categorySegments   start of each set in {@code categories}
 * @param categorySizes      length of each set
 * @param sizeLeafVector     values per leaf (1 for scalar trees; 0 in 1.x files also means scalar)
 * @param baseWeights        node weights ({@code numNodes * sizeLeafVector} for 2.x vector-leaf trees)
 * @param leafWeights        3.x vector-leaf trees: {@code leaves * sizeLeafVector} values, else null
 */
record XgbTree(int[] left, int[] right, int[] splitIndex, float[] splitCondition, boolean[] defaultLeft,
               int[] splitType, int[] categories, int[] categoryNodes, long[] categorySegments,
               long[] categorySizes, int sizeLeafVector, float[] baseWeights, float[] leafWeights) {

    int numNodes() {
        return left.length;
    }

    boolean vectorLeaf() {
        return sizeLeafVector > 1;
    }
}
