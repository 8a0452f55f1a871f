package org.ml2tensor.cli.bench;

/** One thing the bench times: a compiled strategy run by ONNX Runtime, or a peer engine. */
public interface Candidate extends AutoCloseable {
    /** Display name, e.g. {@code perfect-tree-traversal} or {@code peer: xgboost4j}. */
    String name();

    /** True for peers (the baselines ratios are taken against). */
    boolean peer();

    /** Largest batch size this candidate is timed at; larger batches show it as skipped. */
    default int maxBatch() {
        return Integer.MAX_VALUE;
    }

    /** Why batches above {@link #maxBatch()} are skipped (shown in the table). */
    default String skipReason() {
        return "";
    }

    /** Predicts {@code n} rows of {@code width} features stored row-major in {@code rows}. */
    void predict(float[] rows, int n) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
