package org.ml2tensor.importers.lightgbm;

/**
 * One {@code Tree=i} block of a LightGBM text model. Internal nodes are {@code 0..numLeaves-2}; a child
 * {@code c >= 0} is an internal node, {@code c < 0} is leaf {@code ~c}.
 *
 * @param index         the {@code i} of {@code Tree=i}
 * @param line          line number of the {@code Tree=i} header (for messages)
 * @param numLeaves     leaves ({@code 1}: a constant tree with only {@code leafValue})
 * @param splitFeature  feature per internal node
 * @param threshold     threshold per internal node; for categorical nodes an index into {@code catBoundaries}
 * @param decisionType  flags per internal node: bit 0 categorical, bit 1 default-left, bits 2–3 missing type
 * @param leftChild     left child per internal node
 * @param rightChild    right child per internal node
 * @param leafValue     value per leaf (shrinkage already applied)
 * @param catBoundaries start of each categorical bitset in {@code catThreshold} ({@code num_cat + 1} values)
 * @param catThreshold  uint32 bitset words
 * @param linear        {@code is_linear=1}
 */
record LgbmTree(int index, int line, int numLeaves, int[] splitFeature, double[] threshold, int[] decisionType,
                int[] leftChild, int[] rightChild, double[] leafValue, int[] catBoundaries, long[] catThreshold,
                boolean linear) {
}
